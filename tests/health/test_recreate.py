"""`vem recreate`: real packages (local wheels, a pinned older version, an editable
install, a git install) survive a rebuild; failures and interrupts leave the old env as
it was; a dead base Python is replaced by one of the same X.Y."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import pyenv_python, require
from tests.recreate_helpers import (
    Packages,
    check_works,
    leftovers,
    pip_install,
    populate,
    run,
    snapshot,
    vem_cmd,
)


@pytest.fixture
def central(home: Path) -> Path:
    return home / ".virtualenvs"


@pytest.fixture
def full_env(central: Path, packages: Packages, environ: dict[str, str]) -> Path:
    """A central env 'full' holding every kind of install."""
    proc = run(vem_cmd("create", "full"), environ)
    assert proc.returncode == 0, proc.stderr
    env = central / "full"
    populate(env, packages, environ)
    return env


def test_recreate_keeps_every_install_working(
    full_env: Path, packages: Packages, environ: dict[str, str], central: Path
) -> None:
    (full_env / "bin" / "postactivate").write_text("echo hook\n")
    before_ino = os.stat(full_env / "pyvenv.cfg").st_ino
    proc = run(vem_cmd("recreate", "full"), environ)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"{full_env}\n"
    # the plan was told before the build: where each distribution comes from
    assert "alpha 1.0" in proc.stderr and "index" in proc.stderr
    assert str(packages.beta_wheel) in proc.stderr
    assert str(packages.editable) in proc.stderr
    assert os.stat(full_env / "pyvenv.cfg").st_ino != before_ino  # really rebuilt
    check_works(full_env, packages, environ)
    assert (full_env / "bin" / "postactivate").read_text() == "echo hook\n"
    assert leftovers(central) == []
    # scripts were written for the final path, not the one it was built at
    assert (full_env / "bin" / "alpha-hello").read_text().startswith(f"#!{full_env}/bin/python")
    assert f"VIRTUAL_ENV={full_env}\n" in (full_env / "bin" / "activate").read_text()
    direct = json.loads(
        next(
            (full_env / "lib").glob("*/site-packages/edproj-0.1.dist-info/direct_url.json")
        ).read_text()
    )
    assert direct["dir_info"] == {"editable": True}
    if packages.repo is not None:
        vcs = run(
            [str(full_env / "bin" / "python"), "-c", "import vcsproj; print(vcsproj.VERSION)"],
            environ,
        )
        assert vcs.stdout == "0.3\n"
    listed = json.loads(run(vem_cmd("list", "--json"), environ).stdout)
    assert [(e["name"], e["status"]) for e in listed] == [("full", "ok")]


def test_json_and_dry_run(full_env: Path, environ: dict[str, str]) -> None:
    before = snapshot(full_env)
    proc = run(vem_cmd("recreate", "full", "--dry-run", "--json"), environ)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["path"] == str(full_env) and data["dry_run"] is True
    sources = {d["name"]: d["source"] for d in data["plan"]["distributions"]}
    assert sources["alpha"] == "index" and sources["beta"] == "file"
    assert sources["edproj"] == "editable" and sources["pip"] in ("seeded", "index")
    assert snapshot(full_env) == before
    text = run(vem_cmd("recreate", "full", "--dry-run"), environ)
    assert text.returncode == 0 and "edproj 0.1" in text.stdout
    assert snapshot(full_env) == before


def test_env_without_pip_stays_without_pip(
    central: Path, environ: dict[str, str], packages: Packages
) -> None:
    proc = run(
        vem_cmd("create", "bare", "--no-pip", "--prompt", "my $(prompt)", "--system-site-packages"),
        environ,
    )
    assert proc.returncode == 0, proc.stderr
    env = central / "bare"
    owner = central.parent / "some project"
    owner.mkdir()
    (env / ".project").write_text(f"{owner}\n")
    proc = run(vem_cmd("recreate", "bare", "--json"), environ)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["prompt"] == "my $(prompt)" and data["status"] == "ok"
    assert (env / ".project").read_text() == f"{owner}\n"
    assert not list((env / "lib").glob("*/site-packages/pip"))
    assert "include-system-site-packages = true" in (env / "pyvenv.cfg").read_text()


def test_a_distribution_that_cannot_be_had(
    full_env: Path, packages: Packages, environ: dict[str, str], tmp_path: Path
) -> None:
    # gamma from a local file that is then deleted; delta from the index, which lacks it
    wheel = shutil.copy(next(packages.wheels.glob("gamma-*.whl")), tmp_path)
    pip_install(full_env, environ, str(wheel))
    os.unlink(wheel)
    before = snapshot(full_env)
    proc = run(vem_cmd("recreate", "full"), environ)
    assert proc.returncode == 1
    assert "gamma 1.0" in proc.stderr and "is gone" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(full_env) == before
    check_works(full_env, packages, environ)

    pip_install(
        full_env,
        environ,
        "--force-reinstall",
        "--no-deps",
        next(str(p) for p in packages.wheels.glob("gamma-*.whl")),
    )
    lacking = dict(environ, PIP_FIND_LINKS=str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    before = snapshot(full_env)
    proc = run(vem_cmd("recreate", "full"), lacking)
    assert proc.returncode == 1
    assert "installing the distributions failed" in proc.stderr
    assert snapshot(full_env) == before
    assert leftovers(full_env.parent) == []
    check_works(full_env, packages, environ)


def _copy_python(version: str, dest: Path) -> Path:
    install = require(pyenv_python(version), f"pyenv's Python {version}").parent.parent
    subprocess.run(["cp", "-al", str(install), str(dest)], check=True)  # hardlinks: fast
    return dest / "bin" / f"python{version}"


def test_base_python_gone(
    central: Path, environ: dict[str, str], packages: Packages, tmp_path: Path
) -> None:
    copy = _copy_python("3.12", tmp_path / "py312")
    proc = run(vem_cmd("create", "old", "-p", str(copy)), environ)
    assert proc.returncode == 0, proc.stderr
    env = central / "old"
    pip_install(env, environ, "alpha==1.0")
    shutil.rmtree(tmp_path / "py312")
    info = json.loads(run(vem_cmd("info", "old", "--json"), environ).stdout)
    assert info["status"] == "broken"
    for args in (["recreate", "old"], ["recreate", "old", "-p", "3.12"]):
        proc = run(vem_cmd(*args), environ)  # found by discovery, then named with -p
        assert proc.returncode == 0, proc.stderr
        hello = run([str(env / "bin" / "alpha-hello")], environ)
        assert hello.stdout == "alpha 1.0\n"
        info = json.loads(run(vem_cmd("info", "old", "--json"), environ).stdout)
        assert info["status"] == "ok" and info["python"].startswith("3.12.")
        assert str(tmp_path) not in (info["base_python"] or "")


def test_no_python_of_that_version(central: Path, environ: dict[str, str]) -> None:
    proc = run(vem_cmd("create", "odd", "--no-pip"), environ)
    assert proc.returncode == 0
    cfg = central / "odd" / "pyvenv.cfg"
    text = cfg.read_text()
    cfg.write_text(
        "\n".join(
            "version = 3.99.0" if line.startswith("version") else line for line in text.splitlines()
        )
        + "\n"
    )
    before = snapshot(central / "odd")
    proc = run(vem_cmd("recreate", "odd"), environ)
    assert proc.returncode == 1 and "no Python 3.99 found" in proc.stderr
    assert snapshot(central / "odd") == before


def _start(environ: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        vem_cmd(*args),
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )


def _wait_for_build(directory: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not leftovers(directory) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def test_interrupts_at_random_moments(
    full_env: Path, packages: Packages, environ: dict[str, str]
) -> None:
    rng = random.Random(os.environ.get("VEM_TEST_SEED", "9"))
    for i in range(6):
        proc = _start(environ, "recreate", "full")
        _wait_for_build(full_env.parent, proc)  # past start-up: the new env is being built
        time.sleep(rng.uniform(0.0, 1.0))
        sig = signal.SIGINT if i % 2 == 0 else signal.SIGKILL
        os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=120)
        # 130, or killed by the SIGINT itself (-2: a shell reports that as 130 too),
        # or by the SIGKILL; the env must work afterwards in every case
        assert proc.returncode in (0, 130, -signal.SIGINT, -signal.SIGKILL), err
        assert not VEM_FRAME.search(err), err  # pip, also interrupted, may print its own
        check_works(full_env, packages, environ)
        listed = json.loads(run(vem_cmd("list", "--json"), environ).stdout)
        assert [(e["path"], e["status"]) for e in listed] == [(str(full_env), "ok")]
    proc = run(vem_cmd("recreate", "full"), environ)
    assert proc.returncode == 0, proc.stderr
    check_works(full_env, packages, environ)
    assert leftovers(full_env.parent) == []


def test_second_recreate_waits_for_the_lock(
    full_env: Path, packages: Packages, environ: dict[str, str], home: Path
) -> None:
    from vem.fs.locks import path_lock

    before = snapshot(full_env)
    with path_lock(home / ".cache" / "vem" / "locks", full_env):
        proc = _start(environ, "recreate", "full")
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=3)  # held up by the lock, not failed
        assert snapshot(full_env) == before and leftovers(full_env.parent) == []
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    other = run(vem_cmd("recreate", "full"), environ)
    assert other.returncode == 0, other.stderr
    check_works(full_env, packages, environ)


def test_two_recreates_at_once(full_env: Path, packages: Packages, environ: dict[str, str]) -> None:
    procs = [_start(environ, "recreate", "full") for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    check_works(full_env, packages, environ)
    assert leftovers(full_env.parent) == []


def test_hostile_targets(
    central: Path, environ: dict[str, str], tmp_path: Path, isolated: Path
) -> None:
    plain = tmp_path / "not an env"
    plain.mkdir()
    (plain / "keep.txt").write_text("mine")
    # a path that is not an env is not found (3); what is not a valid name is exit 2
    for name, code in (("..", 3), (str(plain), 3), ("../x", 3), ("-x", 2), ("", 2)):
        proc = run(vem_cmd("recreate", name), environ, cwd=plain)
        assert proc.returncode == code, (name, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert (plain / "keep.txt").read_text() == "mine"
    assert run(vem_cmd("create", "real", "--no-pip"), environ).returncode == 0
    link = tmp_path / "link"
    link.symlink_to(central / "real")
    before = snapshot(central / "real")
    proc = run(vem_cmd("recreate", str(link)), environ)
    assert proc.returncode == 5 and "symlink" in proc.stderr
    assert link.is_symlink() and snapshot(central / "real") == before


def test_symlinks_to_user_data_are_never_followed(
    central: Path, environ: dict[str, str], tmp_path: Path
) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data.txt").write_text("keep me")
    assert run(vem_cmd("create", "links", "--no-pip"), environ).returncode == 0
    env = central / "links"
    (env / "userdata").symlink_to(precious)
    sp = next((env / "lib").glob("*/site-packages"))
    (sp / "linked.dist-info").symlink_to(precious)  # not read as a distribution either
    proc = run(vem_cmd("recreate", "links"), environ)
    assert proc.returncode == 0, proc.stderr
    assert (precious / "data.txt").read_text() == "keep me"
    assert sorted(os.listdir(precious)) == ["data.txt"]


VEM_FRAME = re.compile(r'File ".*[/\\]vem[/\\]')
HOSTILE = "sp ace 'q\"uote $(touch PWNED) `touch PWNED` é🚒"


def test_hostile_project_path(packages: Packages, environ: dict[str, str], isolated: Path) -> None:
    proj = isolated / HOSTILE
    proj.mkdir()
    (proj / "pyproject.toml").write_text("")
    proc = run(vem_cmd("create"), environ, cwd=proj)
    assert proc.returncode == 0, proc.stderr
    env = proj / ".venv"
    pip_install(env, environ, "alpha==1.0")
    proc = run(vem_cmd("recreate"), environ, cwd=proj)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"{env}\n"
    hello = run([str(env / "bin" / "alpha-hello")], environ, cwd=isolated)
    assert hello.stdout == "alpha 1.0\n", hello.stderr
    sourced = run(
        [
            "bash",
            "--norc",
            "-c",
            'source "$1/bin/activate" && command -v alpha-hello',
            "_",
            str(env),
        ],
        environ,
        cwd=isolated,
    )
    assert sourced.stdout == f"{env}/bin/alpha-hello\n"
    assert not list(isolated.rglob("PWNED"))


def test_a_planted_base_interpreter_is_never_run(
    environ: dict[str, str], isolated: Path, packages: Packages
) -> None:
    """A cloned repository can plant .venv/pyvenv.cfg naming an interpreter of its own:
    recreate does not run it, and uses a Python of the env's X.Y that discovery finds."""
    proj = isolated / "cloned"
    proj.mkdir()
    (proj / "pyproject.toml").write_text("")
    assert run(vem_cmd("create", "--no-pip"), environ, cwd=proj).returncode == 0
    evil = proj / "tools"
    evil.mkdir()
    xy = f"{sys.version_info[0]}.{sys.version_info[1]}"
    for name in ("python3", f"python{xy}"):
        (evil / name).write_text(f"#!/bin/sh\ntouch {isolated}/PWNED\n")
        (evil / name).chmod(0o755)
    cfg = proj / ".venv" / "pyvenv.cfg"
    lines = [
        line
        for line in cfg.read_text().splitlines()
        if not line.startswith(("home", "executable", "base-executable"))
    ]
    cfg.write_text("\n".join([f"home = {evil}", *lines]) + "\n")
    proc = run(vem_cmd("recreate"), environ, cwd=proj)
    assert proc.returncode == 0, proc.stderr
    assert not (isolated / "PWNED").exists()
    assert str(evil) not in (proj / ".venv" / "pyvenv.cfg").read_text()
