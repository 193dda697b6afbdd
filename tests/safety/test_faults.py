"""Faults a machine throws at vem: full disks (real tmpfs mounts, root only), a
read-only cache, a volume mounted at .venv, a symlinked pip-cache entry, five config
writers at once (issue 13, items 15, 16, 17, 20)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import VemRunner, run_vem_process
from tests.hostile_helpers import fill, require_mounts, tmpfs
from tests.seed_helpers import entry_for, make_env, run
from vem.make import seed
from vem.python.discovery import Interpreter, current


@pytest.fixture
def running() -> Interpreter:
    return current()


def test_a_full_data_dir_never_fails_a_finished_create(
    vem: VemRunner, project: Path, tmp_path: Path
) -> None:
    require_mounts(tmp_path)
    data = Path(os.environ["XDG_DATA_HOME"])
    with tmpfs(data, "256k"):
        fill(data)
        result = vem("create", "--no-pip")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == str(project / ".venv")
        assert "warning:" in result.stderr and "record" in result.stderr
        assert vem("path").stdout.strip() == str(project / ".venv")  # complete and usable
        assert vem("create", "--no-pip", "--exist-ok").exit_code == 0  # rerun: fine
        (data / "filler").unlink()
        # --exist-ok never records an env (a planted .venv must not become trusted);
        # activating it explicitly does
        assert vem("create", "--no-pip", "--exist-ok").exit_code == 0
        assert vem("activate", "--shell", "bash").exit_code == 0  # now recorded
        assert str(project / ".venv") in (data / "vem" / "envs.json").read_text()
        fill(data)
        removed = vem("remove", "--yes")
        assert removed.exit_code == 0, removed.stderr
        assert "warning:" in removed.stderr
        assert not (project / ".venv").exists()
        # the stale record is detectably stale: list does not show a gone env
        assert vem("list", "--json").stdout.strip() == "[]"


def test_a_read_only_cache_dir_does_not_stop_a_create(vem: VemRunner, project: Path) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"])
    cache.mkdir(parents=True)
    cache.chmod(0o555)
    try:
        # root ignores permissions: a file where vem's cache dir should be is read-only
        # for everyone
        (cache / "vem").write_text("not a directory")
        result = vem("create", "--no-pip")
        assert result.exit_code == 0, result.stderr
        assert (project / ".venv" / "pyvenv.cfg").is_file()
        assert vem("remove", "--yes").exit_code == 0
    finally:
        cache.chmod(0o755)


def test_a_full_cache_disk_reaches_the_private_unpack(tmp_path: Path, running: Interpreter) -> None:
    require_mounts(tmp_path)
    cache = tmp_path / "cache"
    env = make_env(running, tmp_path / "env")
    with tmpfs(cache, "512k"):
        fill(cache)
        done = seed.seed_pip(env, running, cache_dir=cache)
        assert not done.linked
    assert not (env / ".vem-pip-build").exists()
    run(env / "bin" / "pip", "--version")


def test_a_volume_mounted_at_dot_venv_can_be_created_into(
    vem: VemRunner, project: Path, tmp_path: Path
) -> None:
    require_mounts(tmp_path)
    with tmpfs(project / ".venv", "64m") as volume:
        result = vem("create", "--no-pip")
        assert result.exit_code == 0, result.stderr
        assert (volume / "pyvenv.cfg").is_file()
        assert vem("create", "--no-pip", "--clear").exit_code == 0
        assert vem("remove", "--yes").exit_code == 0
        assert volume.is_dir() and list(volume.iterdir()) == []  # the mount point stays


def test_a_symlinked_pip_cache_entry_never_changes_its_target(
    tmp_path: Path, running: Interpreter, pip_cache: Path
) -> None:
    env = make_env(running, tmp_path / "env")
    seed.seed_pip(env, running, cache_dir=pip_cache)
    entry = entry_for(pip_cache, env, running)
    cache = tmp_path / "cache"
    (cache / "pip").mkdir(parents=True)
    outside = tmp_path / "outside"
    shutil.copytree(entry.root, outside, copy_function=shutil.copy2)
    (outside / "manifest.json").write_text("{damaged")
    outside.chmod(0o555)
    (cache / "pip" / entry.root.name).symlink_to(outside)
    env2 = make_env(running, tmp_path / "env2")
    seed.seed_pip(env2, running, cache_dir=cache)
    run(env2 / "bin" / "pip", "--version")
    assert stat.S_IMODE(outside.stat().st_mode) == 0o555
    assert (outside / "manifest.json").read_text() == "{damaged"
    assert not (cache / "pip" / entry.root.name).is_symlink()  # rebuilt as vem's own


def test_five_concurrent_config_sets_keep_all_five(home: Path) -> None:
    values = {
        "location": "central",
        "central_home": str(home / "envs"),
        "python": "3.11",
        "pip": "false",
        "pip_link": "false",
    }
    for _ in range(3):
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "vem", "config", "set", key, value],
                stdin=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for key, value in values.items()
        ]
        assert all(p.wait(timeout=60) == 0 for p in procs)
        listed = run_vem_process("config", "list", "--json").stdout
        for key in values:
            assert f'"{key}"' in listed
        config = (home / ".config" / "vem" / "config.toml").read_text()
        assert all(f"{key} =" in config for key in values), config
        (home / ".config" / "vem" / "config.toml").unlink()


def test_config_set_writes_through_a_symlinked_config(vem: VemRunner, home: Path) -> None:
    dotfiles = home / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "vem.toml").write_text('location = "central"\n')
    (home / ".config" / "vem").mkdir(parents=True)
    link = home / ".config" / "vem" / "config.toml"
    link.symlink_to(dotfiles / "vem.toml")
    assert vem("config", "set", "pip", "false").exit_code == 0
    assert link.is_symlink()
    text = (dotfiles / "vem.toml").read_text()
    assert 'location = "central"' in text and "pip = false" in text
