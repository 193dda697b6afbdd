"""`vem prune`: what it removes (broken, incomplete, orphaned, unused), what it never
touches (healthy envs, user folders behind symlinks, envs another vem is creating,
other tools' envs), and its terminal/--yes/--dry-run/--json contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

from tests.conftest import VemRunner
from vem.env.layout import INCOMPLETE_MARKER
from vem.fs.locks import path_lock


def central(home: Path) -> Path:
    return home / ".virtualenvs"


def healthy(home: Path, name: str) -> Path:
    path = central(home) / name
    venv.EnvBuilder(symlinks=True).create(path)
    return path


def broken(home: Path, tmp_path: Path, name: str) -> Path:
    """An env whose base Python was deleted: made by a Python reached through a
    folder of its own, which then goes."""
    base = tmp_path / f"python-of-{name}"
    base.mkdir()
    (base / "python3").symlink_to(os.path.realpath(sys.executable))
    path = central(home) / name
    subprocess.run([str(base / "python3"), "-m", "venv", "--without-pip", str(path)], check=True)
    (base / "python3").unlink()
    return path


def incomplete(home: Path, name: str) -> Path:
    path = healthy(home, name)
    (path / INCOMPLETE_MARKER).write_text("vem is creating this environment\n")
    return path


def test_prune_removes_broken_and_incomplete_only(
    vem: VemRunner, home: Path, tmp_path: Path
) -> None:
    ok = healthy(home, "ok")
    gone = broken(home, tmp_path, "gone")
    half = incomplete(home, "half")
    result = vem("prune", "--yes")
    assert result.exit_code == 0, result.stderr
    assert sorted(result.stdout.split()) == sorted([str(gone), str(half)])
    assert not os.path.lexists(gone) and not os.path.lexists(half)
    assert (ok / "pyvenv.cfg").is_file()


def test_criteria_select(vem: VemRunner, home: Path, tmp_path: Path) -> None:
    gone = broken(home, tmp_path, "gone")
    half = incomplete(home, "half")
    result = vem("prune", "--incomplete", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert (entry["path"], entry["removed"], entry["reasons"]) == (str(half), True, ["incomplete"])
    assert entry["size"] > 0 and "shared_size" in entry
    assert gone.is_dir()


def test_without_terminal_or_yes_it_refuses_and_dry_run_deletes_nothing(
    vem: VemRunner, home: Path, tmp_path: Path
) -> None:
    gone = broken(home, tmp_path, "gone")
    refused = vem("prune")
    assert refused.exit_code == 5 and "--yes" in refused.stderr
    assert gone.is_dir()
    dry = vem("prune", "--dry-run")
    assert dry.exit_code == 0 and dry.stdout == ""  # stdout: removed paths only
    assert "would be removed" in dry.stderr and str(gone) in dry.stderr and "total" in dry.stderr
    dry_json = json.loads(vem("prune", "--dry-run", "--json").stdout)
    assert [(e["path"], e["removed"]) for e in dry_json] == [(str(gone), False)]
    assert gone.is_dir()


def test_nothing_to_prune_is_exit_0(vem: VemRunner, home: Path) -> None:
    healthy(home, "ok")
    result = vem("prune")
    assert result.exit_code == 0 and result.stdout == ""


def test_refused_env_is_reported_skipped_and_exit_5(
    vem: VemRunner, home: Path, tmp_path: Path
) -> None:
    inside = broken(home, tmp_path, "here")
    other = broken(home, tmp_path, "other")
    os.chdir(inside)  # the cwd is never deleted
    result = vem("prune", "--yes")
    assert result.exit_code == 5
    assert result.stdout.split() == [str(other)]
    assert f"kept {inside}" in result.stderr
    assert inside.is_dir() and not other.exists()


def test_symlink_to_a_user_folder_is_unlinked_never_followed(
    vem: VemRunner, home: Path, tmp_path: Path
) -> None:
    user = tmp_path / "my documents"
    user.mkdir()
    (user / "pyvenv.cfg").write_text("home = /nowhere\nversion = 3.11.7\n")
    (user / "thesis.tex").write_text("precious")
    central(home).mkdir()
    (central(home) / "trap").symlink_to(user)
    result = vem("prune", "--yes")
    assert result.exit_code == 0, result.stderr
    assert (user / "thesis.tex").read_text() == "precious" and (user / "pyvenv.cfg").is_file()
    assert not os.path.lexists(central(home) / "trap")


def test_env_being_created_is_skipped(vem: VemRunner, home: Path) -> None:
    """While a create holds the env's lock (create does, for its whole build), prune
    leaves the unfinished env alone and says so."""
    half = incomplete(home, "half")
    lock_dir = home / ".cache" / "vem" / "locks"
    with path_lock(lock_dir, half):
        result = vem("prune", "--yes")
    assert result.exit_code == 5
    assert "another vem process is working on it" in result.stderr
    assert (half / INCOMPLETE_MARKER).is_file()
    assert vem("prune", "--yes").exit_code == 0  # once it is free
    assert not half.exists()


def test_prune_during_a_real_create(vem: VemRunner, home: Path, tmp_path: Path) -> None:
    """A create running in another process, caught in the middle of its pip install
    (its project's build backend waits for a signal), and prune at once: prune leaves
    the unfinished env alone (exit 5, it says why) and the create then completes."""
    from tests.pkgbuild import make_project

    slow = make_project(tmp_path / "slow", "slowpkg", "1.0")
    started, go = tmp_path / "started", tmp_path / "go"
    backend = slow / "vem_test_backend.py"
    backend.write_text(
        backend.read_text().replace(
            "def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n",
            "def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n"
            f"    import time\n    open({str(started)!r}, 'w').close()\n"
            f"    while not os.path.exists({str(go)!r}):\n        time.sleep(0.02)\n",
        )
    )
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"{slow}\n")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    environ.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "vem", "create", "busy", "-r", str(requirements)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the create never reached its install"
            time.sleep(0.02)
        env = central(home) / "busy"
        assert (env / INCOMPLETE_MARKER).is_file()
        result = vem("prune", "--yes")
        assert result.exit_code == 5, result.stderr
        assert "another vem process is working on it" in result.stderr
        assert (env / INCOMPLETE_MARKER).is_file()
    finally:
        go.touch()
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert (env / "pyvenv.cfg").is_file() and not (env / INCOMPLETE_MARKER).exists()
    assert subprocess.run([str(env / "bin" / "python"), "-c", "import slowpkg"]).returncode == 0


def _age(env: Path, days: float) -> None:
    then = time.time() - days * 86400
    for path in [env, *env.rglob("*")]:
        os.utime(path, (then, then), follow_symlinks=False)


def test_unused_for_days(vem: VemRunner, home: Path) -> None:
    old = healthy(home, "old")
    used = healthy(home, "used")
    fresh = healthy(home, "fresh")
    _age(old, 100)
    _age(used, 100)
    _age(fresh, 10)
    subprocess.run([sys.executable, "-m", "vem", "run", "-e", "used", "--", "true"], check=True)
    result = vem("prune", "--unused-for", "30", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["path"] == str(old) and entry["reasons"] == ["unused for 100 days"]
    assert used.is_dir() and fresh.is_dir() and not old.exists()


def test_activate_marks_an_env_used(vem: VemRunner, home: Path) -> None:
    env = healthy(home, "tools")
    _age(env, 100)
    assert vem("activate", "--shell", "bash", "tools").exit_code == 0
    dry = vem("prune", "--unused-for", "30", "--dry-run")
    assert dry.exit_code == 0 and dry.stdout == ""


def test_unused_for_rejects_negative_days(vem: VemRunner) -> None:
    result = vem("prune", "--unused-for", "-1")
    assert result.exit_code == 2


def test_orphaned_central_env_is_pruned(vem: VemRunner, home: Path, project: Path) -> None:
    made = vem("create", "-l", "central", "--no-pip")
    assert made.exit_code == 0, made.stderr
    env = Path(made.stdout.strip())
    assert (env / ".project").read_text().strip() == str(project)
    os.chdir(project.parent)
    for child in project.iterdir():
        child.unlink()
    project.rmdir()
    result = vem("prune", "--orphaned", "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [str(env)] and not env.exists()
