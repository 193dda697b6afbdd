"""An env's identity: the random id vem writes into ``<env>/.vem-id`` when it builds
the env (or is told about it). vem's record keeps the id, so an env is recognised by
what it holds, not by its path: a folder replaced by a cloned repository's own
``.venv`` is not the env vem made."""

from __future__ import annotations

import re
from pathlib import Path

from vem.fs.reads import read_head

#: The id file vem writes into each env it makes.
ID_FILE = ".vem-id"
_ID = re.compile(r"[0-9a-f]{32}")
_MAX_ID_BYTES = 256


def new_id() -> str:
    import secrets

    return secrets.token_hex(16)


def read_id(env_path: Path) -> str | None:
    """The id in ``<env>/.vem-id``: a regular file (never a FIFO, a device or a link),
    read with a bound; None when missing or not an id vem writes."""
    raw = read_head(env_path / ID_FILE, _MAX_ID_BYTES)
    if raw is None:
        return None
    text = raw.decode("ascii", errors="replace").strip()
    return text if _ID.fullmatch(text) else None


def write_id(env_path: Path) -> str:
    """Give ``env_path`` a new id (replacing any) and return it."""
    from vem.fs.atomic import atomic_write_text

    value = new_id()
    atomic_write_text(env_path / ID_FILE, value + "\n")
    return value


def ensure_id(env_path: Path) -> str | None:
    """The env's id, written first when it has none; None when it cannot be written."""
    found = read_id(env_path)
    if found is not None:
        return found
    try:
        return write_id(env_path)
    except OSError:
        return None
