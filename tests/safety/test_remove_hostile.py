"""The deletion gate under attack: races that swap what sits at an env's name, mounts
inside an env, folders of projects, planted trash, another user's permissions,
concurrent removes and creates (issue 13, items 1-5, 18-20)."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from tests.conftest import VemRunner, run_vem_process
from tests.hostile_helpers import (
    NOBODY,
    as_user,
    exchanging,
    mounted,
    require_exchange,
    require_mounts,
)
from vem.deletion import TRASH_MARKER, TRASH_PREFIX, delete_env
from vem.errors import VemError


def fake_env(path: Path) -> Path:
    """What the gate needs of an env (pyvenv.cfg and venv's dirs), made fast."""
    (path / "bin").mkdir(parents=True)
    (path / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    (path / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.2\n")
    return path


def plain_folder(path: Path, witness: Path) -> Path:
    """A user's folder that looks like an env dir to a careless eye; ``witness`` is a
    hard link to its file, so a test can tell, without racing, whether it was deleted."""
    path.mkdir()
    (path / "bin").mkdir()
    (path / "bin" / "thesis.tex").write_text("years of work")
    os.link(path / "bin" / "thesis.tex", witness)
    return path


def survives(witness: Path) -> bool:
    return os.stat(witness).st_nlink == 2


def trash_left(arena: Path) -> list[str]:
    return [p.name for p in arena.iterdir() if p.name.startswith(TRASH_PREFIX)]


def test_race_env_exchanged_with_a_plain_folder_never_deletes_the_folder(tmp_path: Path) -> None:
    require_exchange()
    arena = tmp_path / "arena"
    arena.mkdir()
    witness = tmp_path / "witness"
    env = fake_env(arena / "env")
    plain_folder(arena / "plain", witness)
    deleted = 0
    with exchanging(env, arena / "plain"):
        deadline = time.monotonic() + 4
        for _ in range(200):
            if time.monotonic() > deadline:
                break
            try:
                delete_env(env, protected=[])
            except VemError:
                pass
            else:
                deleted += 1  # the env went; the exchange stalls until there is another
                missing = next(n for n in ("env", "plain") if not os.path.lexists(arena / n))
                # built aside, then renamed in whole: the exchange resumes at once
                os.rename(fake_env(tmp_path / f"new-{deleted}"), arena / missing)
            assert survives(witness), "the plain folder was deleted"
    assert survives(witness)
    assert trash_left(arena) == []


def test_race_symlink_exchanged_with_a_plain_folder_never_deletes_it(tmp_path: Path) -> None:
    require_exchange()
    arena = tmp_path / "arena"
    arena.mkdir()
    witness = tmp_path / "witness"
    real = fake_env(tmp_path / "real-env")
    link = arena / "link"
    link.symlink_to(real)
    plain_folder(arena / "plain", witness)
    with exchanging(link, arena / "plain"):
        deadline = time.monotonic() + 3
        for _ in range(300):
            if time.monotonic() > deadline:
                break
            try:
                delete_env(link, protected=[])
            except VemError:
                pass
            else:
                missing = next(n for n in ("link", "plain") if not os.path.lexists(arena / n))
                (arena / missing).symlink_to(real)
            assert survives(witness), "the plain folder was deleted"
            assert (real / "pyvenv.cfg").is_file(), "the symlink was followed"
    assert survives(witness)
    assert trash_left(arena) == []


def test_a_bind_mount_inside_an_env_is_refused_before_anything_is_deleted(
    vem: VemRunner, home: Path, tmp_path: Path
) -> None:
    require_mounts(tmp_path)
    assert vem("create", "cached", "--no-pip").exit_code == 0
    env = home / ".virtualenvs" / "cached"
    data = tmp_path / "user-data"
    data.mkdir()
    (data / "photos.db").write_text("irreplaceable")
    (env / "share" / "cache").mkdir(parents=True)
    (env / "bin" / "aaa-first").write_text("deleted first if anything is")
    with mounted(["--bind", str(data)], env / "share" / "cache", scope=home):
        result = vem("remove", "cached", "--yes")
        assert result.exit_code == 5, result.stderr
        assert str(env / "share" / "cache") in result.stderr
        assert "mount" in result.stderr
        assert (data / "photos.db").read_text() == "irreplaceable"
        assert (env / "pyvenv.cfg").is_file() and (env / "bin" / "aaa-first").is_file()
    assert (data / "photos.db").read_text() == "irreplaceable"
    assert vem("remove", "cached", "--yes").exit_code == 0  # unmounted: it goes


def test_a_mount_of_another_file_system_inside_an_env_is_refused(
    vem: VemRunner, home: Path, tmp_path: Path
) -> None:
    require_mounts(tmp_path)
    assert vem("create", "tmp", "--no-pip").exit_code == 0
    env = home / ".virtualenvs" / "tmp"
    where = env / "lib" / "scratch"
    where.mkdir()
    with mounted(["-t", "tmpfs", "-o", "size=1m", "tmpfs"], where, scope=home):
        (where / "work.txt").write_text("on another file system")
        result = vem("remove", "tmp", "--yes")
        assert result.exit_code == 5, result.stderr
        assert str(where) in result.stderr
        assert (where / "work.txt").is_file()


def test_a_folder_of_projects_made_into_an_env_is_refused(vem: VemRunner, isolated: Path) -> None:
    src = isolated / "src"
    (src / "p1").mkdir(parents=True)
    (src / "p1" / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    (src / "p2" / ".git").mkdir(parents=True)
    (src / "notes").write_text("todo")
    venv.EnvBuilder(symlinks=True, with_pip=False).create(src)  # `python -m venv .` in ~/src
    result = vem("remove", str(src), "--yes")
    assert result.exit_code == 5, result.stderr
    assert "notes" in result.stderr and "p1" in result.stderr
    assert (src / "p1" / "setup.py").is_file() and (src / "p2" / ".git").is_dir()
    assert (src / "notes").read_text() == "todo" and (src / "pyvenv.cfg").is_file()


def test_a_stray_file_at_an_envs_top_level_is_refused(vem: VemRunner, isolated: Path) -> None:
    env = isolated / "env"
    venv.EnvBuilder(symlinks=True, with_pip=False).create(env)
    (env / "notes.txt").write_text("mine")
    result = vem("remove", str(env), "--yes")
    assert result.exit_code == 5
    assert "notes.txt" in result.stderr
    assert (env / "notes.txt").is_file()


def test_a_project_below_an_envs_top_level_is_refused(vem: VemRunner, isolated: Path) -> None:
    env = isolated / "env"
    venv.EnvBuilder(symlinks=True, with_pip=False).create(env)
    (env / "share" / "work" / ".git").mkdir(parents=True)
    result = vem("remove", str(env), "--yes")
    assert result.exit_code == 5
    assert str(env / "share" / "work") in result.stderr
    assert (env / "share" / "work" / ".git").is_dir()


def test_what_venv_uv_and_pip_write_is_deleted(vem: VemRunner, isolated: Path) -> None:
    env = isolated / "env"
    venv.EnvBuilder(symlinks=True, with_pip=False).create(env)
    for name in (".gitignore", "CACHEDIR.TAG", ".lock", ".project"):
        (env / name).write_text("x\n")
    (env / "share" / "jupyter").mkdir(parents=True)
    (env / "etc" / "jupyter").mkdir(parents=True)
    # packages sometimes ship a setup.py (old numpy did); pip's checkouts live in src/
    pkg = next((env / "lib").glob("python*")) / "site-packages" / "numpy" / "core"
    pkg.mkdir(parents=True)
    (pkg / "setup.py").write_text("")
    (env / "src" / "mylib" / ".git").mkdir(parents=True)
    result = vem("remove", str(env), "--yes")
    assert result.exit_code == 0, result.stderr
    assert not env.exists()


def test_the_trash_sweep_spares_what_vem_did_not_set_aside(vem: VemRunner, home: Path) -> None:
    central = home / ".virtualenvs"
    assert vem("create", "x", "--no-pip").exit_code == 0
    mydata = central / ".vem-trash-x-mydata"
    mydata.mkdir()
    (mydata / "data.csv").write_text("1,2,3")
    keep = central / ".vem-trash-x-keep"
    venv.EnvBuilder(symlinks=True, with_pip=False).create(keep)  # a legal env name
    vems = central / ".vem-trash-x-0badc0de"  # one vem set aside and was interrupted on
    fake_env(vems)
    (vems / TRASH_MARKER).write_text("vem renamed this environment aside to delete it\n")
    result = vem("remove", "x", "--yes")
    assert result.exit_code == 0, result.stderr
    assert (mydata / "data.csv").read_text() == "1,2,3"
    assert (keep / "pyvenv.cfg").is_file()
    assert not vems.exists()
    assert not (central / "x").exists()


def test_remove_waits_for_a_create_holding_the_envs_lock(home: Path) -> None:
    from vem.fs.locks import path_lock
    from vem.places.workspace import AppDirs

    assert run_vem_process("create", "busy", "--no-pip").returncode == 0
    env = home / ".virtualenvs" / "busy"
    with path_lock(AppDirs.from_platform().lock_dir, env):  # as a running create holds it
        proc = subprocess.Popen(
            [sys.executable, "-m", "vem", "remove", "busy", "--yes"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=2)
        assert (env / "pyvenv.cfg").is_file(), "remove deleted an env a create was building"
        assert proc.poll() is None
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert not env.exists()


def test_concurrent_removes_one_wins_the_others_find_nothing(home: Path) -> None:
    assert run_vem_process("create", "gone", "--no-pip").returncode == 0
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "vem", "remove", "gone", "--yes"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 3, 3, 3], results
    assert all("Traceback" not in err for _, err in results)
    assert not [p for p in (home / ".virtualenvs").iterdir()]


def _nobody_dir(tmp_path: Path) -> Path:
    """A directory another user can reach (tmp_path's parents are root's, 0700)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="vem-nobody-", dir="/tmp"))
    base.chmod(0o755)
    os.chown(base, NOBODY, NOBODY)
    return base


def test_an_unreadable_directory_as_a_normal_user_is_a_clear_error(tmp_path: Path) -> None:
    base = _nobody_dir(tmp_path)
    env = base / "env"

    def setup_and_remove() -> int:
        fake_env(env)
        secret = env / "lib" / "secret"
        secret.mkdir()
        (secret / "f").write_text("x")
        secret.chmod(0)
        try:
            delete_env(env, protected=[])
        except VemError as exc:
            os.write(2, f"{exc.message}\n{exc.hint}\n".encode())
            return 10 + exc.exit_code
        return 0

    try:
        code, output = as_user(NOBODY, setup_and_remove)
        assert code == 11, output  # exit 1 (an I/O error), not a crash
        assert (env / "pyvenv.cfg").is_file()
        assert [p.name for p in base.iterdir()] == ["env"]  # no trash folder left

        def fix_then_remove() -> int:
            # the hint says: chmod -R u+rwX ENV, then remove it again
            subprocess.run(["chmod", "-R", "u+rwX", str(env)], check=True)
            delete_env(env, protected=[])
            return 0

        code, output = as_user(NOBODY, fix_then_remove)
        assert code == 0, output
        assert list(base.iterdir()) == []
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False)


def test_read_only_dirs_as_a_normal_user_never_chmod_through_a_symlink(tmp_path: Path) -> None:
    base = _nobody_dir(tmp_path)
    env, outside = base / "env", base / "outside"

    def setup_and_remove() -> int:
        outside.mkdir()
        (outside / "keep.txt").write_text("x")
        outside.chmod(0o555)
        fake_env(env)
        ro = env / "lib" / "ro"
        ro.mkdir()
        (ro / "data.txt").write_text("x")
        (ro / "link").symlink_to(outside)
        ro.chmod(0o555)
        delete_env(env, protected=[])
        return 0

    try:
        code, output = as_user(NOBODY, setup_and_remove)
        assert code == 0, output
        assert not env.exists()
        assert stat.S_IMODE(outside.stat().st_mode) == 0o555
        assert (outside / "keep.txt").is_file()
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False)


def test_remove_by_project_name_never_picks_another_projects_env(
    vem: VemRunner, isolated: Path
) -> None:
    one, two = isolated / "one" / "app", isolated / "two" / "app"
    for proj in (one, two):
        proj.mkdir(parents=True)
        (proj / "pyproject.toml").write_text("[project]\nname = 'app'\n")
        os.chdir(proj)
        assert vem("create", "--no-pip").exit_code == 0
    os.chdir(two)
    result = vem("remove", "-l", "project", "app", "--yes")
    assert result.exit_code == 2, result.stderr
    assert str(one / ".venv") in result.stderr and str(two / ".venv") in result.stderr
    assert (one / ".venv" / "pyvenv.cfg").is_file() and (two / ".venv" / "pyvenv.cfg").is_file()


def test_an_unrecorded_current_project_env_counts_as_a_candidate(
    vem: VemRunner, isolated: Path
) -> None:
    one, two = isolated / "one" / "app", isolated / "two" / "app"
    one.mkdir(parents=True)
    (one / "pyproject.toml").write_text("")
    os.chdir(one)
    assert vem("create", "--no-pip").exit_code == 0
    two.mkdir(parents=True)
    venv.EnvBuilder(symlinks=True, with_pip=False).create(two / ".venv")  # not made by vem
    os.chdir(two)
    result = vem("remove", "-l", "project", "app", "--yes")
    assert result.exit_code == 2, result.stderr
    assert (one / ".venv" / "pyvenv.cfg").is_file()


@pytest.mark.parametrize("protected_is", ["home", "central"])
def test_guards_hold_through_the_descriptor(vem: VemRunner, home: Path, protected_is: str) -> None:
    target = home if protected_is == "home" else home / ".virtualenvs"
    target.mkdir(exist_ok=True)
    (target / "pyvenv.cfg").write_text("home = /usr/bin\n")
    result = vem("remove", str(target), "--yes")
    assert result.exit_code == 5
    assert target.is_dir()
