"""Inter-process locks: an OS lock (flock / msvcrt) on a file, released when its
holder dies, even by SIGKILL."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from vem.errors import VemError


@contextlib.contextmanager
def file_lock(lock_file: Path, *, timeout: float = 600, what: str = "") -> Iterator[None]:
    """Hold an exclusive inter-process lock on ``lock_file`` (created if missing).

    An OS lock (flock / msvcrt), so it is released when its holder dies, even by
    SIGKILL: a crashed vem never leaves a lock behind. Written here rather than taken
    from filelock, whose import costs ~80 ms (it loads asyncio) on every create.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    with _locked(fd, lock_file, timeout, what):
        yield


@contextlib.contextmanager
def _locked(fd: int, lock_file: Path, timeout: float, what: str) -> Iterator[None]:
    """Lock the open ``fd`` (closed afterwards)."""
    import time

    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise VemError(
                    f"timed out after {timeout:.0f} s waiting for another vem process"
                    + (f" working on {what}" if what else ""),
                    hint=f"it holds the lock {lock_file}; the lock goes when that process "
                    "ends (even if it is killed), so wait for it or stop it",
                )
            time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - not run on this project's CI
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def path_lock(lock_dir: Path, target: Path, timeout: float = 600) -> Iterator[None]:
    """Hold an inter-process lock on ``target`` (any path), kept in ``lock_dir``.

    The lock file lives in vem's own directory, never beside user files.
    """
    import hashlib

    name = hashlib.sha256(os.fsencode(target)).hexdigest()[:32] + ".lock"
    fd, lock_file = _open_lock(lock_dir, name)
    with _locked(fd, lock_file, timeout, str(target)):
        yield


def _open_lock(lock_dir: Path, name: str) -> tuple[int, Path]:
    """The lock file, in ``lock_dir`` if that can be written (an existing lock file in
    a read-only dir is opened for reading: flock needs no more); else in a private
    per-user dir in the temp dir, so a read-only or full cache never stops a create."""
    lock_file = lock_dir / name
    try:
        lock_dir.mkdir(parents=True, exist_ok=True)
        return os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644), lock_file
    except OSError:
        pass
    try:
        return os.open(lock_file, os.O_RDONLY), lock_file
    except OSError:
        pass
    fallback = _private_temp_dir("locks") / name
    return os.open(fallback, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600), fallback


def _private_temp_dir(what: str) -> Path:
    """``<tmp>/vem-<uid>-<what>``: made 0700, and used only if it is a real directory
    of this user that no one else can write (never someone's planted link)."""
    import stat
    import tempfile

    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = Path(tempfile.gettempdir()) / f"vem-{uid}-{what}"
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o022:
        raise VemError(
            f"cannot lock: vem's cache cannot be written and {path} is not a private "
            "directory of yours",
            hint=f"make vem's cache dir writable, or remove {path}",
        )
    return path
