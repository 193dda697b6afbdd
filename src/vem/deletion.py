"""Deleting envs: the one place vem deletes anything, and it checks first.

It deletes only a directory that is an env (``pyvenv.cfg``) or that vem itself
marked as being built; a symlink is unlinked, never followed; ``/``, the home
directory, the central home, a project root, and any directory holding one of
those are refused (exit 5) with nothing touched.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from vem.env import INCOMPLETE_MARKER, is_env
from vem.errors import Unsafe, VemError
from vem.project import looks_like_project_root


def check_deletable(
    path: Path, *, protected: Iterable[Path], allow_incomplete: bool = False
) -> None:
    """Raise Unsafe unless ``path`` (absolute) may be deleted as an env."""
    if path.is_symlink():
        if not is_env(path):
            raise Unsafe(f"{path} is a symlink to something that is not an environment")
        return
    if not path.is_dir():
        raise Unsafe(f"{path} is not a directory")
    marked = allow_incomplete and (path / INCOMPLETE_MARKER).is_file()
    if not is_env(path) and not marked:
        raise Unsafe(f"{path} is not an environment (no pyvenv.cfg); nothing was deleted")
    real = path.resolve()
    guarded = [Path("/"), Path.home(), *protected]
    for other in guarded:
        other_real = other.resolve()
        if real == other_real or other_real.is_relative_to(real):
            raise Unsafe(f"refusing to delete {path}: it is or holds {other}")
    if looks_like_project_root(path):
        raise Unsafe(f"refusing to delete {path}: it looks like a project root, not only an env")


def delete_env(path: Path, *, protected: Iterable[Path], allow_incomplete: bool = False) -> None:
    """Check, then delete the env at ``path`` (or unlink a symlink to one).

    The directory is first renamed aside, so an interrupted delete never leaves a
    half-deleted env where the env was.
    """
    check_deletable(path, protected=protected, allow_incomplete=allow_incomplete)
    try:
        if path.is_symlink():
            path.unlink()
            return
        prefix = f".vem-trash-{path.name}-"
        trash = path.with_name(prefix + os.urandom(4).hex())
        os.rename(path, trash)
        _rmtree(trash)
        _sweep_leftovers(path.parent, prefix)
    except OSError as exc:
        raise VemError(f"could not delete {path}: {exc.strerror or exc}") from None


def finish_deletes(parent: Path, name_prefix: str) -> None:
    """Finish deletes, interrupted by a hard kill, of envs in ``parent`` whose names
    started with ``name_prefix`` (each was checked before it was renamed aside)."""
    try:
        _sweep_leftovers(parent, f".vem-trash-{name_prefix}")
    except OSError as exc:
        raise VemError(f"could not finish deleting in {parent}: {exc.strerror or exc}") from None


def _sweep_leftovers(parent: Path, prefix: str) -> None:
    """Finish earlier deletes of the same env that were interrupted: what they renamed
    aside (checked as an env before the rename) is still there."""
    for entry in os.scandir(parent):
        if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
            _rmtree(Path(entry.path))


def _rmtree(path: Path) -> None:
    def retry_writable(func: Callable[..., Any], name: str, _exc: Any) -> None:
        # Read-only files (some packages install them) need write permission on
        # their directory to go; anything else is re-raised.
        parent = os.path.dirname(name)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR)
        func(name)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry_writable)
    else:
        shutil.rmtree(path, onerror=retry_writable)
