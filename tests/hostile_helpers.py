"""Helpers for tests that attack vem the way a hostile machine would: real mounts
(root only), another user, a process racing renames. A missing capability skips the
test locally and fails it under CI (``CI`` set)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.helpers import skip_or_fail


def _mount(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


def require_mounts(scratch: Path) -> None:
    """Skip (fail under CI) unless this process can mount and unmount."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        skip_or_fail("mounting needs root on Linux")
    probe = scratch / ".mount-probe"
    probe.mkdir(parents=True, exist_ok=True)
    try:
        done = _mount(["-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)])
    except FileNotFoundError:
        skip_or_fail("no mount program")
        return
    if done.returncode != 0:
        skip_or_fail(f"cannot mount here: {done.stderr.strip()}")
    subprocess.run(["umount", str(probe)], check=True)
    probe.rmdir()


@contextlib.contextmanager
def mounted(args: list[str], where: Path, scope: Path | None = None) -> Iterator[Path]:
    """``mount ARGS WHERE`` for the duration; always unmounted afterwards, also when
    the code under test moved it (every mount below ``scope`` goes)."""
    done = _mount([*args, str(where)])
    assert done.returncode == 0, done.stderr
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)
        from vem.fs.mounts import mounts_inside

        for point in reversed(mounts_inside(str(scope or where.parent))):
            subprocess.run(["umount", "-l", point], check=False)


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    with mounted(["-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs"], where):
        yield where


def fill(directory: Path) -> None:
    """Fill the file system holding ``directory`` to the last byte."""
    fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for size in (1 << 16, 1 << 10, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)


NOBODY = 65534


def as_user(uid: int, action: Callable[[], int]) -> tuple[int, str]:
    """Run ``action`` in a forked child as ``uid`` (gid too); return its exit code and
    whatever it wrote to the pipe (a traceback, if it raised). Needs root."""
    if os.geteuid() != 0 or not hasattr(os, "fork"):
        skip_or_fail("running as another user needs root")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 99
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            code = action()
        except BaseException:
            os.write(write_end, traceback.format_exc().encode())
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        output = f.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output


AT_FDCWD = -100
RENAME_EXCHANGE = 2

_RENAMER = f"""
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
fn = getattr(libc, "renameat2", None)
a, b = os.fsencode(sys.argv[1]), os.fsencode(sys.argv[2])
def exchange():
    if fn is not None:
        return fn({AT_FDCWD}, a, {AT_FDCWD}, b, {RENAME_EXCHANGE})
    return libc.syscall(316, {AT_FDCWD}, a, {AT_FDCWD}, b, {RENAME_EXCHANGE})
print("ready", flush=True)
pause = float(sys.argv[3])
while True:
    exchange()
    if pause:
        time.sleep(pause)
"""


def require_exchange() -> None:
    """Skip (fail under CI) unless renameat2(RENAME_EXCHANGE) can be called."""
    if not sys.platform.startswith("linux"):
        skip_or_fail("renameat2 is Linux only")
    libc = ctypes.CDLL(None)
    if getattr(libc, "renameat2", None) is None and platform.machine() != "x86_64":
        skip_or_fail("no renameat2 in libc and not x86_64")


@contextlib.contextmanager
def exchanging(a: Path, b: Path, pause: float = 0.0) -> Iterator[None]:
    """Another process atomically swaps ``a`` and ``b`` in a loop, as fast as it can
    or with ``pause`` seconds between swaps."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _RENAMER, str(a), str(b), str(pause)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield
    finally:
        proc.kill()
        proc.wait()
