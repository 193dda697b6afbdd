"""Small filesystem helpers: atomic writes and inter-process locks."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from vem.errors import VemError


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a crash leaves either the old or the new file."""
    import tempfile  # imports here keep `vem path` / `vem activate` start-up light

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def path_lock(lock_dir: Path, target: Path, timeout: float = 600) -> Iterator[None]:
    """Hold an inter-process lock on ``target`` (any path), kept in ``lock_dir``.

    The lock file lives in vem's own directory, never beside user files.
    """
    import hashlib

    import filelock

    lock_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(os.fsencode(target)).hexdigest()[:32]
    lock = filelock.FileLock(str(lock_dir / f"{digest}.lock"), timeout=timeout)
    try:
        with lock:
            yield
    except filelock.Timeout as exc:
        raise VemError(f"timed out waiting for another vem process working on {target}") from exc
