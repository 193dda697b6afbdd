"""Writing a file atomically: a crash leaves the old file or the new one, and a symlink
at the path is replaced, never written through."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` by a file holding ``data`` (written beside it, flushed to disk,
    then renamed over it). ``mode``: its permission bits (None: owner read/write only).
    The parent directory is created when missing."""
    import tempfile  # imports here keep `vem path` / `vem activate` start-up light

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if mode is not None:
                os.fchmod(f.fileno(), stat.S_IMODE(mode))
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write` of UTF-8 text; a path that is not UTF-8 (surrogateescape)
    is written as the bytes it is."""
    atomic_write(path, text.encode("utf-8", "surrogateescape"))
