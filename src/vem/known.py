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
                )
                for item in items
            ]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None

    def _update(self, path: Path, entry: KnownEnv | None) -> None:
        try:
            self._update_locked(path, entry)
        except OSError as exc:
            raise RecordNotWritten(
                f"could not update vem's record of envs {self.file}: {exc.strerror or exc}"
            ) from None

    def _update_locked(self, path: Path, entry: KnownEnv | None) -> None:
        with path_lock(self._lock_dir, self.file):
            read = self._read()
            if read is None:  # damaged by hand: keep a copy rather than lose it silently
                os.replace(self.file, self.file.with_suffix(".json.corrupt"))
            current = [e for e in read or [] if e.path != path]
            if entry is not None:
                current.append(entry)
            payload = {
                "version": 1,
                "envs": [
                    {
                        "path": str(e.path),
                        "project": str(e.project) if e.project else None,
                        "location": e.location,
                    }
                    for e in current
                ],
            }
            import json

            atomic_write_text(self.file, json.dumps(payload, indent=1) + "\n")
            self._entries = current

    def add(self, path: Path, project: Path | None, location: str) -> None:
        existing = next((e for e in self.entries() if e.path == path), None)
        entry = KnownEnv(path, project, location)
        if existing != entry:
            self._update(path, entry)

    def discard(self, path: Path) -> None:
        if any(e.path == path for e in self.entries()):
            self._update(path, None)
