"""vem's inter-process lock and atomic writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vem.errors import VemError
from vem.fs.atomic import atomic_write_text
from vem.fs.locks import file_lock

HOLDER = """
import sys, time
from pathlib import Path
from vem.fs.locks import file_lock
with file_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_lock_excludes_others_and_dies_with_its_holder(tmp_path: Path) -> None:
    lock = tmp_path / "locks" / "x.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(VemError, match="timed out") as info, file_lock(lock, timeout=0.3):
            pass
        assert str(lock) in (info.value.hint or "")
    finally:
        holder.kill()  # SIGKILL: no cleanup runs in the holder
        holder.wait()
    with file_lock(lock, timeout=5):  # the OS released it with the process
        assert lock.exists()


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "d" / "f.txt"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]
