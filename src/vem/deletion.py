"""Deleting envs: the one place vem deletes anything, and it checks first.

It deletes only a directory that is an env (``pyvenv.cfg``) or that vem itself
marked as being built; a symlink is unlinked, never followed; ``/``, the home
directory, the central home, a project root, and any directory holding one of
those are refused (exit 5) with nothing touched. So is an env that holds what no
venv makes at its top level (a folder of projects someone ran ``python -m venv .``
in), a project root below it, or a mount point (another file system, or a bind
mount of a user's folder) anywhere inside it: the whole tree is scanned before
anything is deleted.

The check and the delete refer to the same directory: it is opened (never through a
symlink), checked through that descriptor, renamed aside, and deleted only if the
renamed directory is still the one that was opened (same device and inode) — else it
is put back. Deleting works through directory descriptors and never crosses into
another file system. What was renamed aside gets a marker file, and only marked
leftovers of interrupted deletes are ever swept away.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shlex
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

from vem.env.layout import INCOMPLETE_MARKER, is_env
from vem.errors import EnvNotFound, Unsafe, VemError
from vem.fs.tree import empty_dir
from vem.places.project import looks_like_project_root

TRASH_PREFIX = ".vem-trash-"
#: Written into a directory vem renamed aside to delete; the sweep deletes nothing else.
TRASH_MARKER = ".vem-trashed"

#: What venv, virtualenv, uv, pip (its data scheme) and other env tools write at the
#: top level of an env; anything else there is the user's, and the env is refused.
ENV_TOP_LEVEL = frozenset(
    {
        "pyvenv.cfg",
        "bin",
        "Scripts",
        "include",
        "Include",
        "lib",
        "lib64",
        "Lib",
        "share",
        "etc",
        "man",
        "src",  # pip's checkouts of editable VCS installs
        ".gitignore",  # venv 3.13+, virtualenv, uv
        "CACHEDIR.TAG",  # virtualenv, uv
        ".lock",  # uv
        ".project",  # virtualenvwrapper, pew, vem
        "pipx_metadata.json",  # pipx
        "uv-receipt.toml",  # uv tool envs
        ".tox-info.json",  # tox
    }
)
_OWN_PREFIX = ".vem-"  # vem's own files: markers, build dirs, ids
#: Trees not scanned for project roots: site-packages may hold a package's own
#: setup.py (old numpy did), src holds pip's checkouts of editable installs.
_NO_PROJECT_SCAN = frozenset({"lib", "lib64", "Lib", "src"})
_PROJECT_SCAN_DEPTH = 3
#: Markers that make a folder below an env's top level a project (weaker ones, such
#: as requirements.txt, turn up in packages' data files).
_DEEP_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")
#: Deeper trees are refused rather than walked (no venv nests this deep).
_MAX_DEPTH = 200

_O_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def check_deletable(
    path: Path, *, protected: Iterable[Path], allow_incomplete: bool = False
) -> None:
    """Raise Unsafe unless ``path`` (absolute) may be deleted as an env."""
    guards = list(protected)
    try:
        if path.is_symlink():
            if not is_env(path):
                raise Unsafe(f"{path} is a symlink to something that is not an environment")
            return
        _check_by_name(path, guards, allow_incomplete)
        fd = _open_env_dir(path, None)
        try:
            _inspect(fd, path, guards, allow_incomplete)
        finally:
            os.close(fd)
    except OSError as exc:  # it changed under the check (or cannot be read)
        raise VemError(f"cannot check {path}: {exc.strerror or exc}; nothing was deleted") from None


def delete_env(path: Path, *, protected: Iterable[Path], allow_incomplete: bool = False) -> None:
    """Check, then delete the env at ``path`` (or unlink a symlink to one).

    The directory is first renamed aside, so an interrupted delete never leaves a
    half-deleted env where the env was.
    """
    guards = list(protected)
    check_deletable(path, protected=guards, allow_incomplete=allow_incomplete)
    try:
        if path.is_symlink():
            _unlink_symlink(path)
            return
        parent_fd = os.open(path.parent, _O_DIR)
        try:
            _delete_dir(parent_fd, path, guards, allow_incomplete)
            _sweep_leftovers(parent_fd, path, guards)
        finally:
            os.close(parent_fd)
    except FileNotFoundError:
        raise EnvNotFound(f"{path} is gone (another vem removed it?)") from None
    except OSError as exc:
        raise VemError(f"could not delete {path}: {exc.strerror or exc}") from None


# --- checks ---------------------------------------------------------------------------


def _check_by_name(path: Path, guards: list[Path], allow_incomplete: bool) -> None:
    if not os.path.lexists(path):
        raise EnvNotFound(f"{path} does not exist")
    if not path.is_dir():
        raise Unsafe(f"{path} is not a directory")
    marked = allow_incomplete and (path / INCOMPLETE_MARKER).is_file()
    if not is_env(path) and not marked:
        raise Unsafe(f"{path} is not an environment (no pyvenv.cfg); nothing was deleted")
    real = path.resolve()
    for other in [Path("/"), Path.home(), *guards]:
        other_real = other.resolve()
        if real == other_real or other_real.is_relative_to(real):
            raise Unsafe(f"refusing to delete {path}: it is or holds {other}")
    if looks_like_project_root(path):
        raise Unsafe(f"refusing to delete {path}: it looks like a project root, not only an env")


def _open_env_dir(path: Path, parent_fd: int | None) -> int:
    """The env's directory, opened without following a symlink."""
    name: str | Path = path.name if parent_fd is not None else path
    try:
        return os.open(name, _O_DIR | _O_NOFOLLOW, dir_fd=parent_fd)
    except FileNotFoundError:
        raise EnvNotFound(f"{path} does not exist") from None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise Unsafe(f"{path} changed into something that is not a directory") from None
        raise VemError(f"cannot open {path}: {exc.strerror}") from None


def _is_file_at(fd: int, name: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _inspect(fd: int, path: Path, guards: list[Path], allow_incomplete: bool) -> None:
    """Everything the gate asks of the directory open at ``fd`` (the object deleted)."""
    marked = allow_incomplete and _is_file_at(fd, INCOMPLETE_MARKER)
    if not _is_file_at(fd, "pyvenv.cfg") and not marked:
        raise Unsafe(f"{path} is not an environment (no pyvenv.cfg); nothing was deleted")
    _check_identity(fd, path, guards)
    _check_contents(fd, path)


def _check_identity(fd: int, path: Path, guards: list[Path]) -> None:
    """The opened directory is none of the guarded ones and holds none of them."""
    st = os.fstat(fd)
    me = (st.st_dev, st.st_ino)
    for guard in [Path("/"), Path.home(), *guards]:
        for above in (guard, *guard.parents):
            try:
                gst = os.stat(above)
            except OSError:
                continue
            if (gst.st_dev, gst.st_ino) == me:
                raise Unsafe(f"refusing to delete {path}: it is or holds {guard}")


def _check_contents(fd: int, path: Path) -> None:
    """The top level holds only what venvs hold; no project root and no mount point
    anywhere below; every directory readable. Raises before anything is deleted."""
    with os.scandir(fd) as it:
        names = sorted(e.name for e in it)
    foreign = [n for n in names if n not in ENV_TOP_LEVEL and not n.startswith(_OWN_PREFIX)]
    if foreign:
        shown = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        raise Unsafe(
            f"refusing to delete {path}: it holds {shown}, which no virtual environment "
            "makes; nothing was deleted",
            hint="move your files out of it first",
        )
    from vem.fs.mounts import mounts_inside

    inside = mounts_inside(str(path))
    if inside:
        raise _mount_error(path, inside[0])
    dev = os.fstat(fd).st_dev
    for name in names:
        _scan(fd, name, path, Path(name), dev, scan_projects=name not in _NO_PROJECT_SCAN)


def _mount_error(path: Path, mount: str | Path) -> Unsafe:
    return Unsafe(
        f"refusing to delete {path}: {mount} is a mount point (another file system or a "
        "bind mount) inside it; nothing was deleted",
        hint=f"unmount {mount} first",
    )


def _scan(
    parent_fd: int, name: str, root: Path, rel: Path, dev: int, *, scan_projects: bool
) -> None:
    try:
        st = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        return
    if st.st_dev != dev:
        raise _mount_error(root, root / rel)
    if len(rel.parts) > _MAX_DEPTH:
        raise Unsafe(f"refusing to delete {root}: it nests deeper than any environment")
    if not _may_delete_in(parent_fd, name, st):
        raise VemError(
            f"cannot delete {root / rel}: permission denied; nothing was deleted",
            hint=f"chmod -R u+rwX {shlex.quote(str(root))}, then remove it again",
        )
    try:
        fd = os.open(name, _O_DIR | _O_NOFOLLOW, dir_fd=parent_fd)
    except PermissionError:
        raise VemError(
            f"cannot read {root / rel}: permission denied; nothing was deleted",
            hint=f"chmod -R u+rwX {shlex.quote(str(root))}, then remove it again",
        ) from None
    try:
        with os.scandir(fd) as it:
            children = [e.name for e in it]
        if scan_projects and len(rel.parts) <= _PROJECT_SCAN_DEPTH:
            marker = next((m for m in _DEEP_MARKERS if m in children), None)
            if marker is not None:
                raise Unsafe(
                    f"refusing to delete {root}: {root / rel} looks like a project "
                    f"(it holds {marker}); nothing was deleted",
                    hint="move it out of the environment first",
                )
        for child in children:
            _scan(fd, child, root, rel / child, dev, scan_projects=scan_projects)
    finally:
        os.close(fd)


def _may_delete_in(parent_fd: int, name: str, st: os.stat_result) -> bool:
    """Its entries can be deleted: root, its owner (vem adds u+w itself), or write
    permission."""
    if not hasattr(os, "geteuid") or os.geteuid() == 0 or st.st_uid == os.geteuid():
        return True
    return os.access(name, os.W_OK | os.X_OK | os.R_OK, dir_fd=parent_fd)


# --- deleting -------------------------------------------------------------------------


def _unlink_symlink(path: Path) -> None:
    try:
        os.unlink(path)
    except IsADirectoryError:
        raise Unsafe(f"{path} changed into a directory while vem was removing it") from None


def _delete_dir(parent_fd: int, path: Path, guards: list[Path], allow_incomplete: bool) -> None:
    fd = _open_env_dir(path, parent_fd)
    try:
        _inspect(fd, path, guards, allow_incomplete)
        st = os.fstat(fd)
        from vem.fs.mounts import is_mount_point

        if is_mount_point(str(path)):
            # A volume mounted at the env (Docker): empty it, keep the mount point.
            empty_dir(fd, st.st_dev, last="pyvenv.cfg")
            return
        trash = f"{TRASH_PREFIX}{path.name}-{os.urandom(4).hex()}"
        os.rename(path.name, trash, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
        moved = os.stat(trash, dir_fd=parent_fd, follow_symlinks=False)
        if (moved.st_dev, moved.st_ino) != (st.st_dev, st.st_ino):
            _put_back(parent_fd, trash, path)
        _mark(fd)
        empty_dir(fd, st.st_dev, last=TRASH_MARKER)
    finally:
        os.close(fd)
    os.rmdir(trash, dir_fd=parent_fd)


def _put_back(parent_fd: int, trash: str, path: Path) -> NoReturn:
    """Something else was swapped in at ``path`` after the check: return it untouched."""
    try:
        _rename_noreplace(parent_fd, trash, path.name)
    except OSError:
        raise Unsafe(
            f"{path} changed while vem was removing it; nothing was deleted, and what was "
            f"there is now at {path.parent / trash}"
        ) from None
    raise Unsafe(f"{path} changed while vem was removing it; nothing was deleted")


def _rename_noreplace(dir_fd: int, src: str, dst: str) -> None:
    """Rename ``src`` to ``dst`` (both in ``dir_fd``), failing if ``dst`` exists."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # not glibc/Linux: the window is tiny, but check first
        if os.path.lexists(os.path.join(f"/proc/self/fd/{dir_fd}", dst)):
            raise FileExistsError(errno.EEXIST, "exists", dst)
        os.rename(src, dst, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        return
    rename_noreplace = 1
    if renameat2(dir_fd, os.fsencode(src), dir_fd, os.fsencode(dst), rename_noreplace) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), dst)


def _mark(fd: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _O_NOFOLLOW
    marker = os.open(TRASH_MARKER, flags, 0o644, dir_fd=fd)
    try:
        os.write(marker, b"vem renamed this environment aside to delete it\n")
    finally:
        os.close(marker)


def finish_deletes(parent: Path, name_prefix: str, *, protected: Iterable[Path] = ()) -> None:
    """Finish deletes, interrupted by a hard kill, of envs in ``parent`` whose names
    started with ``name_prefix``: only what vem marked when it set it aside."""
    try:
        parent_fd = os.open(parent, _O_DIR)
    except OSError as exc:
        raise VemError(f"could not finish deleting in {parent}: {exc.strerror or exc}") from None
    try:
        _sweep(parent_fd, parent, f"{TRASH_PREFIX}{name_prefix}", list(protected))
    finally:
        os.close(parent_fd)


def _sweep_leftovers(parent_fd: int, path: Path, guards: list[Path]) -> None:
    """Finish earlier deletes of the same env that were interrupted."""
    _sweep(parent_fd, path.parent, f"{TRASH_PREFIX}{path.name}-", guards)


def _sweep(parent_fd: int, parent: Path, prefix: str, guards: list[Path]) -> None:
    """Delete the directories in ``parent`` named ``prefix…`` that vem marked when it
    set them aside (after checking them), each checked again."""
    with os.scandir(parent_fd) as it:
        names = [e.name for e in it if e.name.startswith(prefix)]
    parent_dev = os.fstat(parent_fd).st_dev
    for name in names:
        with contextlib.suppress(OSError, VemError):
            fd = os.open(name, _O_DIR | _O_NOFOLLOW, dir_fd=parent_fd)
            try:
                st = os.fstat(fd)
                if st.st_dev != parent_dev or not _is_file_at(fd, TRASH_MARKER):
                    continue
                leftover = parent / name
                _check_identity(fd, leftover, guards)
                _check_contents(fd, leftover)
                empty_dir(fd, st.st_dev, last=TRASH_MARKER)
            finally:
                os.close(fd)
            os.rmdir(name, dir_fd=parent_fd)
