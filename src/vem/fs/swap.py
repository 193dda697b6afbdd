"""Replacing one directory by another without a moment where neither is in place:
the hidden names vem builds under, an atomic exchange, and a rename that never
replaces.

On Linux, ``renameat2(RENAME_EXCHANGE)`` swaps two directories in one step, so a hard
kill leaves either the old env or the new one in place, never neither. Where it is not
available (another OS, a file system without it), the swap is two renames made with
Ctrl-C and SIGTERM held back, and :func:`restore` puts an env that was set aside back
where it belongs when a hard kill came between them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

#: Prefix of the hidden directories vem builds beside an env (``recreate``) or moves
#: through (``move``); followed by the purpose, the env's name and a random part.
PREFIX = ".vem-"
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def hidden_name(path: Path, purpose: str) -> Path:
    """A fresh hidden sibling of ``path``: ``.vem-<purpose>-<name>-<random>``."""
    return path.with_name(f"{PREFIX}{purpose}-{path.name}-{os.urandom(4).hex()}")


def siblings(path: Path, purpose: str) -> list[Path]:
    """The hidden siblings of ``path`` made for ``purpose`` (leftovers of earlier runs)."""
    prefix = f"{PREFIX}{purpose}-{path.name}-"
    found: list[Path] = []
    try:
        with os.scandir(path.parent) as it:
            for entry in it:
                rest = entry.name[len(prefix) :]
                if entry.name.startswith(prefix) and len(rest) == 8 and "-" not in rest:
                    found.append(Path(entry.path))
    except OSError:
        return []
    return sorted(found)


def _renameat2(src: Path, dst: Path, flags: int) -> bool:
    """renameat2(2) through libc; False when this system lacks it (then nothing was done)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return False
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    if func(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(src), None, str(dst))


class Held:
    """What :func:`signals_held` saw: whether a held-back signal arrived meanwhile."""

    arrived = False


@contextlib.contextmanager
def signals_held(*, swallow: bool = False) -> Iterator[Held]:
    """Hold back Ctrl-C and SIGTERM for work that must not be cut short (a few renames,
    deleting the replaced env). They are delivered afterwards; with ``swallow`` they are
    dropped instead (the work they would have stopped is done) and ``arrived`` says so."""
    import threading

    held = Held()
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield held
        return
    wanted = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield held
    finally:
        pending = signal.sigpending() & wanted
        held.arrived = bool(pending)
        if swallow and pending:
            saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in pending}
            signal.pthread_sigmask(signal.SIG_SETMASK, old)  # the ignored ones are dropped
            for sig, handler in saved.items():
                signal.signal(sig, handler)
        else:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def exchange(place: Path, new: Path) -> None:
    """Put the directory ``new`` at ``place`` and what was at ``place`` at ``new``."""
    if _renameat2(new, place, _RENAME_EXCHANGE):
        return
    aside = hidden_name(place, "aside")
    with signals_held():
        os.rename(place, aside)
        try:
            os.rename(new, place)
        except BaseException:
            os.rename(aside, place)
            raise
        os.rename(aside, new)


def restore(place: Path) -> None:
    """After a hard kill in the middle of a two-rename :func:`exchange`: if nothing is at
    ``place`` and an env was set aside from it, put that env back."""
    if os.path.lexists(place):
        return
    for aside in siblings(place, "aside"):
        if (aside / "pyvenv.cfg").is_file():
            os.rename(aside, place)
            return


def rename_new(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst``, failing with FileExistsError if anything is at ``dst``
    (plain rename would silently replace an empty directory)."""
    if _renameat2(src, dst, _RENAME_NOREPLACE):
        return
    if os.path.lexists(dst):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst))
    os.rename(src, dst)


def same_file_system(a: Path, b: Path) -> bool:
    """Whether ``a`` and the nearest existing directory holding ``b`` share a device."""
    probe = b
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return os.stat(a).st_dev == os.stat(probe).st_dev
    except OSError:
        return False
