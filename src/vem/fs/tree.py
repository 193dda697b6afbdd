"""Deleting a tree through directory descriptors: never following a symlink, never
entering another file system."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path

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
