"""vem's record of the envs it created or was told about, and which of them the
``--auto`` hook may activate.

The record (``envs.json`` in vem's data dir) lets ``vem list`` show project envs
anywhere on the machine. One JSON file, changed under a lock and replaced atomically,
so concurrent vem processes never lose or tear an entry.

Trust belongs to an env, not to a path: each env vem builds (or that the user
explicitly activates) gets a random id (vem.env.identity) and the record keeps it. An
env is trusted only while it still holds the recorded id, so a folder deleted by hand
and replaced by a cloned repository with its own ``.venv`` is not the env vem made.
For a ``project``-location env the project is the folder holding it: a planted
``.venv/.project`` cannot widen it.

The *roots file* lists the project roots of trusted envs, one a line, after a first
line that changes on every write (the shells compare it to decide whether to read the
rest). It is only a filter that saves a process on each ``cd``: the shell asks vem when
it enters a listed root, and vem checks the record again. Stale data can therefore cost
one vem run; it can never activate anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from vem.env.identity import ensure_id, read_id
from vem.env.layout import is_env
from vem.errors import VemError
from vem.fs.atomic import atomic_write_text
from vem.fs.locks import path_lock
from vem.shells._base import HookFiles

#: The roots file, in vem's data dir, and tcsh's copy of it (csh cannot read a file).
ROOTS_FILE = "auto-roots"
ROOTS_CSH = "auto-roots.csh"
#: tcsh's hook script, beside them
CSH_HOOK = "auto-hook.csh"


class RecordNotWritten(VemError):
    """vem's record could not be updated (a full or read-only data dir). The work it
    records is done: callers report this as a warning, never as a failure."""


class KnownEnv(NamedTuple):
    path: Path
    project: Path | None
    location: str
    #: the random id in the env's .vem-id when it was recorded (see vem.places.record)
    id: str | None = None


class KnownEnvs:
    def __init__(self, data_dir: Path, lock_dir: Path) -> None:
        self.file = data_dir / "envs.json"
        self._lock_dir = lock_dir
        self._entries: list[KnownEnv] | None = None

    def entries(self) -> list[KnownEnv]:
        if self._entries is None:
            self._entries = self._read() or []
        return self._entries

    def _read(self) -> list[KnownEnv] | None:
        """The entries; None when the file is there but unreadable or damaged."""
        import json

        try:
            raw = json.loads(self.file.read_text(encoding="utf-8"))
            items = raw["envs"]
            return [
                KnownEnv(
                    Path(item["path"]),
                    Path(item["project"]) if item.get("project") else None,
                    str(item.get("location", "project")),
                    str(item["id"]) if item.get("id") else None,
                )
                for item in items
            ]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None

    def _update(self, path: Path | None, entry: KnownEnv | None) -> None:
        try:
            self._update_locked(path, entry)
        except OSError as exc:
            raise RecordNotWritten(
                f"could not update vem's record of envs {self.file}: {exc.strerror or exc}"
            ) from None

    def _update_locked(self, path: Path | None, entry: KnownEnv | None) -> None:
        with path_lock(self._lock_dir, self.file):
            read = self._read()
            if read is None:  # damaged by hand: keep a copy rather than lose it silently
                os.replace(self.file, self.file.with_suffix(".json.corrupt"))
            # one record per env: not the same path, nor the same env reached through
            # a symlinked path (same id or same real path); none whose env is gone
            real = os.path.realpath(path) if path is not None else None
            current = [
                e
                for e in read or []
                if e.path != path
                and not (entry is not None and entry.id is not None and e.id == entry.id)
                and os.path.realpath(e.path) != real
                and not is_stale(e)
            ]
            if entry is not None:
                current.append(entry)
            payload = {
                "version": 1,
                "envs": [
                    {
                        "path": str(e.path),
                        "project": str(e.project) if e.project else None,
                        "location": e.location,
                        "id": e.id,
                    }
                    for e in current
                ],
            }
            import json

            atomic_write_text(self.file, json.dumps(payload, indent=1) + "\n")
            self._entries = current
            write_roots(self.file.parent, current)

    def add(self, path: Path, project: Path | None, location: str) -> None:
        """Record (and so trust) the env at ``path``, giving it an id if it has none.
        Only for envs vem built or that the user explicitly activated."""
        if location == "project":  # its project is the folder holding it (vem.places.record)
            project = path.parent
        existing = next((e for e in self.entries() if e.path == path), None)
        entry = KnownEnv(path, project, location, ensure_id(path))
        if existing != entry:
            self._update(path, entry)

    def prune(self) -> None:
        """Drop the records of envs that are gone or replaced by another env."""
        if any(is_stale(e) for e in self.entries()):
            self._update(None, None)

    def refresh_roots(self) -> None:
        """Write the roots file the shells read when it is missing or out of date."""
        if not roots_are_current(self.file.parent, self.file):
            with path_lock(self._lock_dir, self.file):
                write_roots(self.file.parent, self._read() or [])

    def discard(self, path: Path) -> None:
        real = os.path.realpath(path)
        if any(e.path == path or os.path.realpath(e.path) == real for e in self.entries()):
            self._update(path, None)


# --- trust and the roots file --------------------------------------------------


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


def hook_files(data_dir: Path) -> HookFiles:
    """Where the ``--auto`` hook finds what it reads, in vem's data dir."""
    return HookFiles(data_dir / ROOTS_FILE, data_dir / ROOTS_CSH, data_dir / CSH_HOOK)


def write_roots(data_dir: Path, entries: Iterable[KnownEnv]) -> None:
    """Rewrite the roots file (and tcsh's) atomically from ``entries``."""
    import time

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
