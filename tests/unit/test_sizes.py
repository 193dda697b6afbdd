"""Sizes: exact bytes with hardlinks and symlinks made on purpose; `list --size`,
`info`; unreadable folders give a partial size and a warning, never a crash."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from tests.conftest import VemRunner
from vem.cli.render import human_size
from vem.env.sizes import EnvSize, measure, partial_warning


def fake_env(path: Path, files: dict[str, bytes]) -> Path:
    """A directory with pyvenv.cfg (13 bytes) and ``files``; sizes need nothing more."""
    path.mkdir(parents=True)
    (path / "pyvenv.cfg").write_bytes(b"version = 3.1")
    for rel, data in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_bytes(data)
    return path


def test_hardlinks_inside_count_once_outside_are_shared(tmp_path: Path) -> None:
    a = fake_env(tmp_path / "a", {"lib/one": b"x" * 1000, "lib/two": b"y" * 300})
    b = fake_env(tmp_path / "b", {})
    os.link(a / "lib" / "one", a / "bin-one")  # both links inside a: a's own
    os.link(a / "lib" / "two", b / "two")  # shared between a and b
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "big").write_bytes(b"z" * 5000)
    os.link(cache / "big", b / "big")  # shared with a cache outside both
    (a / "lib" / "link").symlink_to(cache / "big")  # a symlink: its own bytes only
    (b / "dangling").symlink_to(tmp_path / "nowhere")

    measured = measure([a, b])
    link_a, link_b = len(str(cache / "big")), len(str(tmp_path / "nowhere"))
    assert measured.sizes[0].size == 13 + 1000 + link_a
    assert measured.sizes[0].shared_size == 300
    assert measured.sizes[1].size == 13 + link_b
    assert measured.sizes[1].shared_size == 300 + 5000
    # every inode once: a's own files, b's own, the two shared files once
    assert measured.total == (13 + 1000 + link_a) + (13 + link_b) + 300 + 5000


def test_symlink_loops_and_links_to_root_are_not_followed(tmp_path: Path) -> None:
    env = fake_env(tmp_path / "env", {"f": b"abc"})
    (env / "loop").symlink_to(env / "loop")
    (env / "up").symlink_to(env)
    (env / "root").symlink_to("/")
    (size,) = measure([env]).sizes
    assert size.size == 13 + 3 + len(str(env / "loop")) + len(str(env)) + 1
    assert size.unreadable == ()


def test_an_env_that_is_a_symlink_costs_only_the_link(tmp_path: Path) -> None:
    real = fake_env(tmp_path / "real", {"f": b"x" * 100})
    (tmp_path / "link").symlink_to(real)
    assert measure([tmp_path / "link"]).sizes[0].size == len(str(real))


def measure_unprivileged(env: Path) -> EnvSize:
    """``measure([env])`` by a user the permissions bind: as root (who reads every
    folder), in a forked child that became nobody, with everything already imported."""
    if os.geteuid() != 0:
        return measure([env]).sizes[0]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            size = measure([env]).sizes[0]
            os.write(write_end, json.dumps([size.size, size.shared_size, size.unreadable]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    size_, shared, unreadable = json.loads(data)
    return EnvSize(size_, shared, tuple(unreadable))


def test_unreadable_folder_is_partial_not_a_crash() -> None:
    base = Path(tempfile.mkdtemp(prefix="vem-sizes-"))  # reachable by nobody when root
    try:
        base.chmod(0o755)
        env = fake_env(base / "env", {"ok": b"x" * 7, "locked/f": b"x" * 10})
        (env / "locked").chmod(0)
        size = measure_unprivileged(env)
    finally:
        (base / "env" / "locked").chmod(0o755)
        shutil.rmtree(base)
    assert size.size == 13 + 7 and size.partial
    assert size.unreadable == (str(env / "locked"),)
    assert partial_warning(env, size) == (
        f"could not read {env / 'locked'}: the size of {env} is partial"
    )


def test_list_size_json_and_table(vem: VemRunner, home: Path, tmp_path: Path) -> None:
    central = home / ".virtualenvs"
    a = fake_env(central / "a", {"f": b"x" * 2000})
    b = fake_env(central / "b", {})
    os.link(a / "f", b / "f")
    result = vem("list", "--size", "--json")
    assert result.exit_code == 0, result.stderr
    sizes = {e["name"]: (e["size"], e["shared_size"]) for e in json.loads(result.stdout)}
    assert sizes == {"a": (13, 2000), "b": (13, 2000)}
    table = vem("list", "--size")
    assert table.exit_code == 0
    header, *rows, total = table.stdout.splitlines()
    assert "SIZE" in header.split() and "SHARED" in header.split()
    assert len(rows) == 2 and all("13 B" in row and "2.0 KiB" in row for row in rows)
    assert total.startswith(f"total: {human_size(13 + 13 + 2000)} in 2 environments")


def test_info_always_shows_size(vem: VemRunner, home: Path) -> None:
    fake_env(home / ".virtualenvs" / "a", {"f": b"x" * 3000})
    text = vem("info", "a")
    assert text.exit_code == 0
    assert any(line.split() == ["size", "2.9", "KiB"] for line in text.stdout.splitlines())
    data = json.loads(vem("info", "a", "--json").stdout)
    assert (data["size"], data["shared_size"]) == (3013, 0)


def test_human_size() -> None:
    assert [human_size(n) for n in (0, 1023, 1024, 1536, 5 * 1024**3)] == [
        "0 B",
        "1023 B",
        "1.0 KiB",
        "1.5 KiB",
        "5.0 GiB",
    ]
