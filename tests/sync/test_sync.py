"""`vem sync` end to end with REAL pip and REAL uv, offline, from a folder of tiny wheels.

The index settings (PIP_NO_INDEX/PIP_FIND_LINKS, UV_NO_INDEX/UV_FIND_LINKS) are set in
the environment as a user would set them: vem must pass them on and add none of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import run_vem_process
from tests.helpers import REAL_PYENV_ROOT, pyenv_python, require, skip_or_fail
from tests.wheels import make_wheel

STAMP = ".vem-sync.json"


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """alpha needs beta; gamma[fast] needs delta; epsilon and zeta need nothing."""
    d = tmp_path_factory.mktemp("wheels")
    make_wheel(d, "alpha", requires=["beta>=1"])
    make_wheel(d, "beta")
    make_wheel(d, "gamma", extras=["fast"], requires=['delta; extra == "fast"'])
    make_wheel(d, "delta")
    make_wheel(d, "epsilon")
    make_wheel(d, "zeta", requires=['epsilon; python_version < "3"'])
    return d


@pytest.fixture(autouse=True)
def offline(wheelhouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's own index settings: nothing but the wheel folder, for pip and uv."""
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheelhouse))
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    monkeypatch.setenv("UV_NO_INDEX", "1")
    monkeypatch.setenv("UV_FIND_LINKS", str(wheelhouse))
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    return wheelhouse


def real_uv() -> Path:
    """uv on PATH or from the uv package; skipped when missing, a failure under CI."""
    found = shutil.which("uv")
    if found is None:
        try:
            import uv  # type: ignore[import-not-found, unused-ignore]

            found = uv.find_uv_bin()
        except (ImportError, FileNotFoundError):
            found = None
    if found is None:
        skip_or_fail("uv is not installed (the test extra installs it)")
        raise AssertionError("unreachable")
    return Path(found)


@pytest.fixture
def spy_uv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `uv` first on PATH that logs each call, then runs the real uv. Returns the log."""
    real = real_uv()
    bindir = tmp_path / "spy-bin"
    bindir.mkdir()
    log = tmp_path / "uv-calls.log"
    spy = bindir / "uv"
    spy.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    spy.chmod(spy.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return log


def sync(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_vem_process("sync", *args, cwd=cwd, timeout=180)


def sync_json(cwd: Path, *args: str) -> dict[str, object]:
    done = sync(cwd, "--json", *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    return data


def installed(env: Path) -> set[str]:
    """Distribution names in the env's site-packages (read from disk)."""
    site = next(env.glob("lib/python*/site-packages"))
    return {p.name.split("-")[0].lower() for p in site.glob("*.dist-info")}


def runs(env: Path, code: str) -> str:
    done = subprocess.run(
        [str(env / "bin" / "python"), "-c", code], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# --- the four actions -----------------------------------------------------------------


def test_created_then_unchanged_with_pip(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    first = sync(project)
    assert first.returncode == 0, first.stderr
    env = project / ".venv"
    assert first.stdout == f"{env}\n"  # pip's output went to stderr
    assert "Successfully installed" in first.stderr
    assert {"alpha", "beta", "pip"} <= installed(env)
    assert runs(env, "import alpha, beta; print(alpha.VERSION)") == "1.0"
    again = sync_json(project)
    assert again["action"] == "unchanged"
    assert again["path"] == str(env) and again["status"] == "ok"


def test_unchanged_runs_no_installer(project: Path, spy_uv: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    assert sync_json(project, "--installer", "uv")["action"] == "created"
    calls = spy_uv.read_text().splitlines()
    assert any(c.startswith("pip install --python ") for c in calls), calls
    spy_uv.unlink()
    assert sync_json(project, "--installer", "uv")["action"] == "unchanged"
    assert not spy_uv.exists()  # uv was not started
    (project / "requirements.txt").write_text("alpha\ngamma\n")
    assert sync_json(project, "--installer", "uv")["action"] == "updated"
    assert spy_uv.exists()
    assert "gamma" in installed(project / ".venv")


def test_unchanged_starts_no_process_at_all(
    project: Path, vem: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In-process, with every way of starting a process made to fail: no installer and
    # no interpreter (the env's or any other) may run when nothing changed.
    (project / "requirements.txt").write_text("beta\n")
    assert sync_json(project)["action"] == "created"

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started: {args}")

    monkeypatch.setattr(subprocess.Popen, "__init__", no_process)
    monkeypatch.setattr(os, "posix_spawn", no_process, raising=False)
    monkeypatch.setattr(os, "execv", no_process)
    result = vem("sync", "--json")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["action"] == "unchanged"


def test_updated_when_the_file_changes_and_stamp_is_inside_the_env(project: Path) -> None:
    (project / "requirements.txt").write_text("beta\n")
    assert sync_json(project, "--installer", "pip")["action"] == "created"
    stamp = json.loads((project / ".venv" / STAMP).read_text())
    assert stamp["installer"] == "pip" and len(stamp["fingerprint"]) == 64
    (project / "requirements.txt").write_text("beta\nepsilon\n")
    assert sync_json(project)["action"] == "updated"
    assert "epsilon" in installed(project / ".venv")
    # the installer and --exact are part of what was synced
    assert sync_json(project, "--exact")["action"] == "updated"
    assert sync_json(project, "--exact")["action"] == "unchanged"


def test_no_requirement_files_makes_a_bare_env(project: Path) -> None:
    assert sync_json(project)["action"] == "created"
    assert sync_json(project)["action"] == "unchanged"
    assert installed(project / ".venv") == {"pip"}


def test_pyproject_lists_the_files(project: Path) -> None:
    (project / "reqs").mkdir()
    (project / "reqs" / "main.txt").write_text("beta\n")
    (project / "requirements.txt").write_text("epsilon\n")  # not used: pyproject wins
    (project / "pyproject.toml").write_text(
        '[project]\nname = "myproj"\n[tool.vem]\nrequirements = ["reqs/main.txt"]\n'
    )
    sub = project / "src"
    sub.mkdir()
    assert sync_json(sub)["action"] == "created"  # found from a subdirectory too
    assert installed(project / ".venv") == {"pip", "beta"}


def test_pyproject_requirements_must_be_a_list(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.vem]\nrequirements = "requirements.txt"\n')
    done = sync(project)
    assert done.returncode == 2
    assert "must be a list" in done.stderr and "Traceback" not in done.stderr
    assert not (project / ".venv").exists()


def test_nested_includes_and_constraints_trigger_updated(project: Path) -> None:
    deep = project / "req dir's"
    deep.mkdir()
    (project / "requirements.txt").write_text(
        "-r \"req dir's/base.txt\"\n--constraint=req\\ dir\\'s/pins.txt\n"
    )
    (deep / "base.txt").write_text("-r more.txt\nalpha\n")
    (deep / "more.txt").write_text("# nothing yet\n")
    (deep / "pins.txt").write_text("beta==1.0\n")
    assert sync_json(project, "--installer", "pip")["action"] == "created"
    assert sync_json(project)["action"] == "unchanged"
    (deep / "more.txt").write_text("epsilon\n")  # two levels down
    assert sync_json(project)["action"] == "updated"
    assert "epsilon" in installed(project / ".venv")
    (deep / "pins.txt").write_text("beta==1.0\n# reviewed\n")  # a constraints file
    assert sync_json(project)["action"] == "updated"
    assert sync_json(project)["action"] == "unchanged"


# --- --exact ----------------------------------------------------------------------------


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_exact_removes_what_nothing_needs(project: Path, installer: str) -> None:
    if installer == "uv":
        real_uv()
    req = project / "requirements.txt"
    req.write_text("alpha\ngamma[fast]\nepsilon\nzeta\n")
    assert sync_json(project, "--installer", installer)["action"] == "created"
    env = project / ".venv"
    assert {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"} <= installed(env)
    req.write_text("alpha\ngamma[fast]\nzeta\n")
    assert sync_json(project, "--installer", installer, "--exact")["action"] == "updated"
    # epsilon went (zeta needs it only on Python 2); beta (alpha's), delta (gamma[fast]'s)
    # and pip stay
    assert installed(env) == {"alpha", "beta", "gamma", "delta", "zeta", "pip"}
    req.write_text("gamma\n")
    sync_json(project, "--installer", installer, "--exact")
    assert installed(env) == {"gamma", "pip"}


# --- failures ---------------------------------------------------------------------------


def test_failed_install_keeps_the_stamp_and_the_next_sync_tries_again(project: Path) -> None:
    req = project / "requirements.txt"
    req.write_text("beta\n")
    assert sync_json(project)["action"] == "created"
    stamp = project / ".venv" / STAMP
    before = stamp.read_bytes()
    req.write_text("beta\nno-such-distribution-xyz\n")
    for _ in range(2):  # the second sync tries again: it does not think it is done
        failed = sync(project)
        assert failed.returncode == 1
        assert "installing the requirements failed" in failed.stderr
        assert "no-such-distribution-xyz" in failed.stderr  # pip really ran again
        assert "Traceback" not in failed.stderr
        assert failed.stdout == ""
        assert stamp.read_bytes() == before
    req.write_text("beta\n")  # back to what the stamp says: reinstalled, not trusted
    assert sync_json(project)["action"] == "updated"
    assert sync_json(project)["action"] == "unchanged"


def test_failed_install_into_a_new_env_leaves_nothing(project: Path) -> None:
    (project / "requirements.txt").write_text("no-such-distribution-xyz\n")
    failed = sync(project)
    assert failed.returncode == 1
    assert not (project / ".venv").exists()
    (project / "requirements.txt").write_text("beta\n")
    assert sync_json(project)["action"] == "created"


def test_uv_missing_is_exit_1_with_a_hint(project: Path, tmp_path: Path) -> None:
    (project / "requirements.txt").write_text("beta\n")
    env = dict(os.environ, PATH=str(tmp_path / "empty"))
    code = "import sys; sys.modules['uv'] = None\nfrom vem.cli import main\nmain()"
    done = subprocess.run(
        [sys.executable, "-c", code, "sync", "--installer", "uv"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "uv was not found" in done.stderr
    assert "hint: install uv (pip install uv," in done.stderr
    assert not (project / ".venv").exists()


@pytest.mark.parametrize(
    ("setting", "where"), [("VEM_INSTALLER", "VEM_INSTALLER"), ("flag", "command line")]
)
def test_bad_installer_is_exit_2_naming_the_valid_ones(
    project: Path, monkeypatch: pytest.MonkeyPatch, setting: str, where: str
) -> None:
    args: tuple[str, ...] = ("--installer", "conda") if setting == "flag" else ()
    if setting != "flag":
        monkeypatch.setenv(setting, "conda")
    done = sync(project, *args)
    assert done.returncode == 2
    assert "one of pip, uv" in done.stderr and where in done.stderr


def test_installer_config_key(project: Path) -> None:
    assert run_vem_process("config", "set", "installer", "uv").returncode == 0
    assert run_vem_process("config", "get", "installer").stdout.strip() == "uv"
    bad = run_vem_process("config", "set", "installer", "poetry")
    assert bad.returncode == 2 and "one of pip, uv" in bad.stderr


@pytest.mark.parametrize("kind", ["missing", "directory", "nested-missing", "cycle"])
def test_bad_requirement_paths_are_exit_2(project: Path, kind: str) -> None:
    target = {"missing": "no such.txt", "directory": "a dir", "nested-missing": "top.txt"}
    (project / "a dir").mkdir()
    (project / "top.txt").write_text("-r 'gone $(touch PWNED).txt'\n")
    (project / "one.txt").write_text("-r two.txt\n")
    (project / "two.txt").write_text("--requirement one.txt\n")
    done = sync(project, "-r", target.get(kind, "one.txt"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("vem: error: ") and "Traceback" not in done.stderr
    assert not (project / ".venv").exists() and not (project / "PWNED").exists()
    if kind == "cycle":
        assert "cycle" in done.stderr


def test_hostile_requirement_file_names(project: Path, tmp_path: Path) -> None:
    odd = tmp_path / 'it\'s a "dir" $(touch PWNED);`id`'
    odd.mkdir()
    (odd / "-r req.txt").write_text("beta\n")
    done = sync(project, "-r", str(odd / "-r req.txt"), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["action"] == "created"
    assert "beta" in installed(project / ".venv")
    assert not list(tmp_path.rglob("PWNED")) and not (project / "PWNED").exists()


# --- rebuilt ----------------------------------------------------------------------------


def test_cache_restored_on_a_new_image_is_rebuilt(project: Path) -> None:
    # A CI cache restores the env, but this image's Python lives elsewhere: the env's
    # interpreter links point at a Python that does not exist.
    (project / "requirements.txt").write_text("alpha\n")
    assert sync_json(project)["action"] == "created"
    env = project / ".venv"
    gone = Path("/nonexistent/python-from-the-old-image/bin")
    for link in (env / "bin").iterdir():
        if link.is_symlink() and link.name.startswith("python"):
            link.unlink()
            link.symlink_to(gone / "python3")
    cfg = env / "pyvenv.cfg"
    lines = [
        f"home = {gone}" if line.startswith("home") else line
        for line in cfg.read_text().splitlines()
        if not line.startswith(("executable", "command"))
    ]
    cfg.write_text("\n".join(lines) + "\n")
    assert json.loads(run_vem_process("info", "--json", cwd=project).stdout)["status"] == "broken"
    rebuilt = sync_json(project)
    assert rebuilt["action"] == "rebuilt" and rebuilt["status"] == "ok"
    assert runs(env, "import alpha, beta; print('ok')") == "ok"
    assert sync_json(project)["action"] == "unchanged"


def test_incomplete_env_is_rebuilt(project: Path) -> None:
    assert sync_json(project)["action"] == "created"
    (project / ".venv" / ".vem-incomplete").write_text("killed\n")
    assert sync_json(project)["action"] == "rebuilt"
    assert not (project / ".venv" / ".vem-incomplete").exists()


def test_a_directory_that_is_not_an_env_is_never_destroyed(project: Path) -> None:
    (project / ".venv").mkdir()
    (project / ".venv" / "notes.txt").write_text("mine\n")
    done = sync(project)
    assert done.returncode == 5, done.stderr
    assert (project / ".venv" / "notes.txt").read_text() == "mine\n"


def other_python(here: str) -> tuple[str, Path]:
    """Another pyenv Python X.Y than the running one (3.12, or 3.11 when running 3.12)."""
    xy = "3.12" if here != "3.12" else "3.11"
    return xy, require(pyenv_python(xy), f"pyenv's Python {xy}")


def test_another_python_xy_is_rebuilt(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYENV_ROOT", str(REAL_PYENV_ROOT))
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    xy, other = other_python(here)
    (project / "requirements.txt").write_text("beta\n")
    assert sync_json(project, "-p", here)["action"] == "created"
    assert sync_json(project, "-p", here)["action"] == "unchanged"  # same X.Y: kept
    moved = sync_json(project, "-p", xy)
    assert moved["action"] == "rebuilt"
    assert str(moved["python"]).startswith(f"{xy}.")
    want = str(tuple(int(n) for n in xy.split(".")))
    assert runs(project / ".venv", "import beta, sys; print(sys.version_info[:2])") == want
    assert sync_json(project)["action"] == "unchanged"  # no -p: the env's Python is kept
    assert sync_json(project, "-p", str(other))["action"] == "unchanged"


def test_a_failed_rebuild_leaves_the_old_env_working(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replace, never destroy first: the new env is built beside the old one."""
    monkeypatch.setenv("PYENV_ROOT", str(REAL_PYENV_ROOT))
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    xy, _ = other_python(here)
    (project / "requirements.txt").write_text("beta\n")
    assert sync_json(project)["action"] == "created"
    env = project / ".venv"
    before = sorted(p.name for p in env.iterdir())
    (project / "requirements.txt").write_text("beta\nno-such-distribution\n")
    failed = sync(project, "-p", xy)
    assert failed.returncode == 1, failed.stderr
    assert "Traceback" not in failed.stderr
    assert sorted(p.name for p in env.iterdir()) == before
    assert runs(env, "import beta, sys; print(sys.version_info[:2])") == str(sys.version_info[:2])
    assert [p.name for p in project.iterdir() if p.name.startswith(".vem-")] == []


# --- concurrency --------------------------------------------------------------------


def test_concurrent_syncs_all_succeed(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    results: list[subprocess.CompletedProcess[str]] = []

    def one() -> None:
        results.append(sync(project, "--json"))

    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    actions = sorted(json.loads(r.stdout)["action"] for r in results)
    assert actions == ["created", "unchanged", "unchanged"]
    assert {"alpha", "beta"} <= installed(project / ".venv")


# --- create -r / --exist-ok ---------------------------------------------------------------


def test_create_r_records_what_it_installed(project: Path) -> None:
    (project / "requirements.txt").write_text("alpha\n")
    made = run_vem_process("create", "-r", "requirements.txt", cwd=project)
    assert made.returncode == 0, made.stderr
    assert sync_json(project)["action"] == "unchanged"


def test_create_exist_ok_installs_r_as_sync_does(project: Path) -> None:
    assert run_vem_process("create", cwd=project).returncode == 0
    (project / "requirements.txt").write_text("beta\n")
    again = run_vem_process("create", "--exist-ok", "-r", "requirements.txt", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "beta" in installed(project / ".venv")  # not silently ignored
    assert sync_json(project)["action"] == "unchanged"
    (project / "requirements.txt").write_text("beta\nepsilon\n")
    assert run_vem_process("create", "--exist-ok", "-r", "requirements.txt").returncode == 0
    assert "epsilon" in installed(project / ".venv")


def test_create_exist_ok_with_another_python_is_exit_4(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYENV_ROOT", str(REAL_PYENV_ROOT))
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    xy, _ = other_python(here)
    assert run_vem_process("create", "--no-pip", cwd=project).returncode == 0
    same = run_vem_process("create", "--exist-ok", "--no-pip", "-p", here, cwd=project)
    assert same.returncode == 0, same.stderr
    other = run_vem_process("create", "--exist-ok", "--no-pip", "-p", xy, cwd=project)
    assert other.returncode == 4
    assert f"Python {sys.version.split()[0]}" in other.stderr and xy in other.stderr
    hint = next(line for line in other.stderr.splitlines() if line.startswith("hint: "))
    assert f"--clear -p {xy}" in hint and "vem recreate" in hint
    # the hint's first command, typed literally elsewhere, rebuilds this env with X.Y
    command = hint[len("hint: ") :].split(" rebuilds it empty")[0]
    words = command.split()[1:]
    assert "'" not in command  # nothing to unquote in this path
    done = run_vem_process(*words, "--no-pip", "--json", cwd=project.parent)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["python"].startswith(f"{xy}.")
    assert json.loads(done.stdout)["path"] == str(project / ".venv")


def test_create_exist_ok_with_system_site_packages_differing_is_exit_4(project: Path) -> None:
    assert run_vem_process("create", "--no-pip", cwd=project).returncode == 0
    done = run_vem_process(
        "create", "--exist-ok", "--no-pip", "--system-site-packages", cwd=project
    )
    assert done.returncode == 4
    assert "system site-packages" in done.stderr and "--clear --system-site-packages" in done.stderr
