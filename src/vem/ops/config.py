"""``vem config``: the user config's keys, their effective values and sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vem.places.settings import KEYS, Value, key_spec
from vem.places.workspace import Workspace
from vem.result import Result


@dataclass
class ConfigResult(Result):
    file: Path
    #: key -> effective value with its source (list, get) or the value written (set)
    values: dict[str, Value]
    #: set: the value was written; unset: the key was there and is gone
    changed: bool = False


def config_list(ws: Workspace) -> ConfigResult:
    values = {key: ws.settings.get(key) for key in KEYS}
    return ConfigResult(file=ws.config.path, values=values, warnings=ws.drain_warnings())


def config_get(ws: Workspace, key: str) -> ConfigResult:
    value = ws.settings.get(key)
    return ConfigResult(file=ws.config.path, values={key: value}, warnings=ws.drain_warnings())


def config_set(ws: Workspace, key: str, raw: str) -> ConfigResult:
    """Validate VALUE for KEY as the command that will use it would (exit 2 naming
    what is valid), then write it atomically."""
    key_spec(key)
    if key == "location":
        ws.locations.get(raw.strip())  # an unknown location: exit 2 naming the valid ones
    if key == "python":
        from vem.python.discovery import parse_spec

        parse_spec(raw)  # 'nonsense' is exit 2 now, not at the next create
    stored = ws.config.set(key, raw)
    return ConfigResult(
        file=ws.config.path,
        values={key: Value(stored, f"config file {ws.config.path}")},
        changed=True,
        warnings=ws.drain_warnings(),
    )


def config_unset(ws: Workspace, key: str) -> ConfigResult:
    changed = ws.config.unset(key)
    return ConfigResult(
        file=ws.config.path, values={}, changed=changed, warnings=ws.drain_warnings()
    )
