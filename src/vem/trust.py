"""Which envs the ``--auto`` hook may activate, and the data the shells read to know
without starting vem.

Trust belongs to an env, not to a path: each env vem builds (or that the user
explicitly activates) gets a random id in ``<env>/.vem-id``, and vem's record keeps
that id. An env is trusted only while the file still holds the recorded id, so a
folder deleted by hand and replaced by a cloned repository with its own ``.venv``
is not the env vem made, whatever its path. For a ``project``-location env the
project is the folder holding it: a planted ``.venv/.project`` cannot widen it.

The *roots file* lists the project roots of trusted envs, one a line, after a first
line that changes on every write (the shells compare it to decide whether to read
the rest). It is only a filter that saves a process on each ``cd``: the shell asks
vem when it enters a listed root, and vem checks the record again. Stale data can
therefore cost one vem run; it can never activate anything.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from vem.layout import is_env

if TYPE_CHECKING:
    from vem.known import KnownEnv

#: The id file vem writes into each env it makes.
ID_FILE = ".vem-id"
#: The roots file, in vem's data dir, and tcsh's copy of it (csh cannot read a file).
ROOTS_FILE = "auto-roots"
ROOTS_CSH = "auto-roots.csh"
_ID = re.compile(r"[0-9a-f]{32}")
_MAX_ID_BYTES = 256


def new_id() -> str:
    import secrets

    return secrets.token_hex(16)


def read_id(env_path: Path) -> str | None:
    """The id in ``<env>/.vem-id``: a regular file (never a FIFO or a link to a
    device), read with a bound; None when missing or not an id vem writes."""
    import stat

    try:
        fd = os.open(env_path / ID_FILE, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        raw = os.read(fd, _MAX_ID_BYTES)
    except OSError:
        return None
    finally:
        os.close(fd)
    text = raw.decode("ascii", errors="replace").strip()
    return text if _ID.fullmatch(text) else None


def write_id(env_path: Path) -> str:
    """Give ``env_path`` a new id (replacing any) and return it."""
    from vem.fsutil import atomic_write_text

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


def trusted_project(entry: KnownEnv) -> Path | None:
    """The project whose directories activate ``entry``: a ``project``-location env's
    parent, whatever its ``.project`` says; else the recorded project."""
    if entry.location == "project":
        return entry.path.parent
    return entry.project


def is_trusted(entry: KnownEnv) -> bool:
    """The env vem recorded is still there: an env holding the recorded id."""
    return entry.id is not None and is_env(entry.path) and read_id(entry.path) == entry.id


def is_stale(entry: KnownEnv) -> bool:
    """A record to drop: its env is gone, or another env (another id) sits there."""
    if not is_env(entry.path):
        return True
    return entry.id is not None and read_id(entry.path) != entry.id


def trusted_roots(entries: Iterable[KnownEnv]) -> list[str]:
    """The project roots of trusted envs, as recorded and with symlinks resolved,
    each once. A root with a line break cannot be a line of the file: left out (its
    env is then never activated on its own; `vem activate` still works)."""
    roots: list[str] = []
    for entry in entries:
        project = trusted_project(entry)
        if project is None or not is_trusted(entry):
            continue
        for variant in (str(project), os.path.realpath(project)):
            if "\n" not in variant and "\r" not in variant and variant not in roots:
                roots.append(variant)
    return roots


def roots_file(data_dir: Path) -> Path:
    return data_dir / ROOTS_FILE


def write_roots(data_dir: Path, entries: Iterable[KnownEnv]) -> None:
    """Rewrite the roots file (and tcsh's) atomically from ``entries``."""
    import time

    from vem.fsutil import atomic_write_text
    from vem.shells.csh import roots_code

    roots = trusted_roots(entries)
    generation = f"vem-auto-roots {time.time_ns()}-{os.getpid()}"
    atomic_write_text(roots_file(data_dir), "".join(f"{line}\n" for line in [generation, *roots]))
    csh = data_dir / ROOTS_CSH
    try:
        before = int(csh.stat().st_mtime)
    except OSError:
        before = 0
    atomic_write_text(csh, roots_code(roots))
    # tcsh sees a change by the mtime in whole seconds (`-M`): make it grow each time.
    stamp = max(int(time.time()), before + 1)
    os.utime(csh, (stamp, stamp))


def roots_are_current(data_dir: Path, record: Path) -> bool:
    """The roots files exist and are not older than vem's record."""
    try:
        written = min(
            roots_file(data_dir).stat().st_mtime_ns, (data_dir / ROOTS_CSH).stat().st_mtime_ns
        )
    except OSError:
        return False
    try:
        return written >= record.stat().st_mtime_ns
    except OSError:
        return True
