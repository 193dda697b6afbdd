"""Reading the start of a file with a bound, never blocking: a FIFO, a device or a
socket is not read, and (unless asked) a symlink is not followed."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

_WINDOWS = sys.platform == "win32"


def read_head(path: Path, limit: int, *, follow: bool = False) -> bytes | None:
    """Up to ``limit + 1`` bytes from the start of ``path`` if it is a regular file
    (so a caller can tell a file longer than ``limit``); None for anything else.

    A FIFO, a device (``/dev/zero``) or a socket is never read, so nothing hangs or
    fills memory; unless ``follow``, a symlink is not followed either (an env may hold
    a symlink to a user's file: its content is nobody's business here).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
        if _WINDOWS and os.path.islink(path):  # pragma: no cover - no O_NOFOLLOW there
            return None
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
