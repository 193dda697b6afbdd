"""Small filesystem helpers: atomic writes and inter-process locks."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from vem.errors import VemError


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a crash leaves either the old or the new file."""
    import tempfile  # imports here keep `vem path` / `vem activate` start-up light

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # surrogateescape: a path that is not UTF-8 is written as the bytes it is
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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


# --- deleting a tree ------------------------------------------------------------------

_O_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def empty_dir(fd: int, dev: int, *, last: str | None = None) -> None:
    """Delete everything in the directory open at ``fd``, through descriptors, never
    following a symlink and never entering another file system; ``last`` goes last."""
    with os.scandir(fd) as it:
        names = sorted((e.name for e in it), key=lambda n: n == last)
    for name in names:
        st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        if not stat.S_ISDIR(st.st_mode):
            _retry_writable(fd, partial(os.unlink, name, dir_fd=fd))
            continue
        if st.st_dev != dev:
            raise OSError(errno.EXDEV, "a mount point inside the environment", name)
        sub = os.open(name, _O_DIR | _O_NOFOLLOW, dir_fd=fd)
        try:
            sub_st = os.fstat(sub)
            if (sub_st.st_dev, sub_st.st_ino) != (st.st_dev, st.st_ino):
                raise OSError(errno.EBUSY, "changed while being deleted", name)
            empty_dir(sub, dev)
        finally:
            os.close(sub)
        _retry_writable(fd, partial(os.rmdir, name, dir_fd=fd))


def _retry_writable(fd: int, delete: Callable[[], None]) -> None:
    """Run ``delete``; on a permission error, give the directory (by its descriptor,
    so never through a symlink) u+rwx and try once more."""
    try:
        delete()
    except PermissionError:
        mode = os.fstat(fd).st_mode
        os.fchmod(fd, stat.S_IMODE(mode) | stat.S_IWUSR | stat.S_IXUSR | stat.S_IRUSR)
        delete()


def remove_tree(path: Path) -> None:
    """Delete the tree at ``path`` (vem's own files: cache entries, temporary dirs),
    read-only files included, through directory descriptors: a symlink is unlinked,
    never followed, and no other file system is entered. The one tree deleter; the
    deletion gate (vem.deletion) decides first when the tree is an env."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return
    fd = os.open(path, _O_DIR | _O_NOFOLLOW)
    try:
        empty_dir(fd, os.fstat(fd).st_dev)
    finally:
        os.close(fd)
    parent = os.open(path.parent, _O_DIR)
    try:
        _retry_writable(parent, partial(os.rmdir, path.name, dir_fd=parent))
    finally:
        os.close(parent)
