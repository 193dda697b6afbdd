"""vem's record of the envs it created or was told about (in its data dir).

It lets ``vem list`` show project envs anywhere on the machine and tells
auto-activation which envs are trusted. One JSON file, changed under a lock and
replaced atomically, so concurrent vem processes never lose or tear an entry.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from vem.errors import VemError
from vem.fsutil import atomic_write_text, path_lock


class RecordNotWritten(VemError):
    """vem's record could not be updated (a full or read-only data dir). The work it
    records is done: callers report this as a warning, never as a failure."""


class KnownEnv(NamedTuple):
    path: Path
    project: Path | None
    location: str
    #: the random id in the env's .vem-id when it was recorded (see vem.trust)
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
        from vem.trust import is_stale, write_roots

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
        from vem.trust import ensure_id

        if location == "project":  # its project is the folder holding it (vem.trust)
            project = path.parent
        existing = next((e for e in self.entries() if e.path == path), None)
        entry = KnownEnv(path, project, location, ensure_id(path))
        if existing != entry:
            self._update(path, entry)

    def prune(self) -> None:
        """Drop the records of envs that are gone or replaced by another env."""
        from vem.trust import is_stale

        if any(is_stale(e) for e in self.entries()):
            self._update(None, None)

    def refresh_roots(self) -> None:
        """Write the roots file the shells read when it is missing or out of date."""
        from vem.trust import roots_are_current, write_roots

        if not roots_are_current(self.file.parent, self.file):
            with path_lock(self._lock_dir, self.file):
                write_roots(self.file.parent, self._read() or [])

    def discard(self, path: Path) -> None:
        real = os.path.realpath(path)
        if any(e.path == path or os.path.realpath(e.path) == real for e in self.entries()):
            self._update(path, None)
