"""`vem move`: an env changes location with its packages (never reinstalled), scripts,
.project and vem's record following; a taken target, a failure or an interrupt leaves
it where it was, working."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import skip_or_fail
from tests.recreate_helpers import (
    Packages,
    leftovers,
    pip_install,
    run,
    snapshot,
    vem_cmd,
)


@pytest.fixture
def proj(isolated: Path) -> Path:
    proj = isolated / "my proj"
    proj.mkdir()
    (proj / "pyproject.toml").write_text("")
    return proj


@pytest.fixture
def proj_env(proj: Path, environ: dict[str, str], packages: Packages) -> Path:
    proc = run(vem_cmd("create"), environ, cwd=proj)
    assert proc.returncode == 0, proc.stderr
    env = proj / ".venv"
    pip_install(env, environ, "alpha==1.0", "-e", str(packages.editable))
    return env


def works(env: Path, environ: dict[str, str]) -> bool:
    hello = run([str(env / "bin" / "alpha-hello")], environ)
    ed = run([str(env / "bin" / "ed-hello")], environ)
    pip = run([str(env / "bin" / "pip"), "--version"], environ)
    return (hello.stdout, ed.stdout, pip.returncode) == ("alpha 1.0\n", "edproj 0.1\n", 0)


def test_project_to_central_and_back(
    proj: Path, proj_env: Path, environ: dict[str, str], home: Path
) -> None:
    module = next((proj_env / "lib").glob("*/site-packages/alpha/__init__.py"))
    inode = os.stat(module).st_ino
    proc = run(vem_cmd("move", "--to", "central"), environ, cwd=proj)
    assert proc.returncode == 0, proc.stderr
    central = home / ".virtualenvs" / "my proj"
    assert proc.stdout == f"{central}\n"
    assert not os.path.lexists(proj_env)
    assert os.stat(central / module.relative_to(proj_env)).st_ino == inode  # not reinstalled
    assert (central / ".project").read_text() == f"{proj}\n"
    assert works(central, environ)
    assert f"VIRTUAL_ENV='{central}'" in (central / "bin" / "activate").read_text()
    assert run(vem_cmd("path"), environ, cwd=proj).stdout == f"{central}\n"
    listed = json.loads(run(vem_cmd("list", "--json"), environ, cwd=home).stdout)
    assert [(e["path"], e["location"], e["status"]) for e in listed] == [
        (str(central), "central", "ok")
    ]
    proc = run(vem_cmd("move", "--to", "project", "--json"), environ, cwd=proj)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["path"], data["location"], data["status"]) == (str(proj_env), "project", "ok")
    assert not (proj_env / ".project").exists() and not os.path.lexists(central)
    assert works(proj_env, environ)
    listed = json.loads(run(vem_cmd("list", "--json"), environ, cwd=home).stdout)
    assert [e["path"] for e in listed] == [str(proj_env)]
    # already there: nothing to do
    again = run(vem_cmd("move", "--to", "project"), environ, cwd=proj)
    assert (again.returncode, again.stdout) == (0, f"{proj_env}\n")


def test_target_taken(proj: Path, proj_env: Path, environ: dict[str, str], home: Path) -> None:
    taken = home / ".virtualenvs" / "my proj"
    taken.mkdir(parents=True)
    (taken / "mine.txt").write_text("not an env")
    before = snapshot(proj_env)
    proc = run(vem_cmd("move", "--to", "central"), environ, cwd=proj)
    assert proc.returncode == 4 and "taken" in proc.stderr
    assert snapshot(proj_env) == before and (taken / "mine.txt").read_text() == "not an env"
    assert works(proj_env, environ)


def test_bad_input(proj: Path, proj_env: Path, environ: dict[str, str], tmp_path: Path) -> None:
    assert run(vem_cmd("create", "named", "--no-pip"), environ).returncode == 0
    proc = run(vem_cmd("move", "named", "--to", "project"), environ, cwd=proj)
    assert proc.returncode == 2 and "no project" in proc.stderr
    assert run(vem_cmd("move", "--to", "nowhere"), environ, cwd=proj).returncode == 2
    assert run(vem_cmd("move", "..", "--to", "central"), environ, cwd=proj).returncode == 3
    link = tmp_path / "link"
    link.symlink_to(proj_env)
    proc = run(vem_cmd("move", str(link), "--to", "central"), environ)
    assert proc.returncode == 5 and link.is_symlink() and works(proj_env, environ)


def test_symlinks_inside_are_kept_as_symlinks(
    proj: Path, proj_env: Path, environ: dict[str, str], tmp_path: Path, home: Path
) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data.txt").write_text("keep me")
    (proj_env / "userdata").symlink_to(precious)
    proc = run(vem_cmd("move", "--to", "central"), environ, cwd=proj)
    assert proc.returncode == 0, proc.stderr
    moved = home / ".virtualenvs" / "my proj" / "userdata"
    assert moved.is_symlink() and os.readlink(moved) == str(precious)
    assert os.listdir(precious) == ["data.txt"]


def _other_file_system(tmp_path: Path) -> Path:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.stat(shm).st_dev != os.stat(tmp_path).st_dev:
        return shm
    skip_or_fail("no second file system (/dev/shm) to move across")
    raise AssertionError("unreachable")


def test_across_file_systems(
    proj: Path, proj_env: Path, environ: dict[str, str], tmp_path: Path
) -> None:
    other = _other_file_system(tmp_path)
    import tempfile

    central = Path(tempfile.mkdtemp(dir=other, prefix="vem-test-"))
    try:
        env = dict(environ, WORKON_HOME=str(central))
        (proj_env / "share").mkdir(exist_ok=True)
        (proj_env / "share" / "userdata").symlink_to(tmp_path)
        proc = run(vem_cmd("move", "--to", "central"), env, cwd=proj)
        assert proc.returncode == 0, proc.stderr
        assert not os.path.lexists(proj_env) and works(central / "my proj", env)
        assert (central / "my proj" / "share" / "userdata").is_symlink()
        assert leftovers(central) == []
        proc = run(vem_cmd("move", "--to", "project"), env, cwd=proj)
        assert proc.returncode == 0, proc.stderr
        assert works(proj_env, env) and os.listdir(central) == []
    finally:
        import shutil

        shutil.rmtree(central)


def test_interrupts_at_random_moments(
    proj: Path, proj_env: Path, environ: dict[str, str], home: Path
) -> None:
    central = home / ".virtualenvs" / "my proj"
    rng = random.Random(os.environ.get("VEM_TEST_SEED", "7"))
    for i in range(8):
        to = "central" if i % 2 == 0 else "project"
        proc = subprocess.Popen(
            vem_cmd("move", "--to", to),
            cwd=proj,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.0, 0.4))
        os.killpg(proc.pid, signal.SIGINT if i % 3 else signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        # -2: Ctrl-C came while Python was still importing vem, before any of its code ran
        assert proc.returncode in (0, 130, -9, -2), err
        here = [p for p in (proj_env, central) if os.path.lexists(p)]
        assert len(here) == 1, here  # in one place, whole
        journal = here[0] / ".vem-moving"
        if not (journal.exists() and journal.read_text().strip() == str(here[0])):
            assert works(here[0], environ)  # else: killed in mid-rename; the rerun finishes
        rerun = run(vem_cmd("move", "--to", to), environ, cwd=proj)
        assert rerun.returncode == 0, rerun.stderr
        target = central if to == "central" else proj_env
        assert rerun.stdout == f"{target}\n" and works(target, environ)
        assert leftovers(proj) == [] and leftovers(central.parent) == []
