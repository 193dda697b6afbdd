"""The Env value and reading one from disk, without ever running its interpreter."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from vem.env.health import Health, diagnose
from vem.env.layout import read_cfg, read_project_file
from vem.result import JSON


def env_name(path: Path) -> str:
    """An env's name from its path: a ``.venv`` is named after the folder holding it."""
    return path.parent.name if path.name == ".venv" else path.name


class Env(NamedTuple):
    """One environment as vem reports it (the contract's env object)."""

    name: str
    path: Path
    location: str
    python: str | None
    project: Path | None
    health: Health
    prompt: str
    base_python: str | None = None

    @property
    def status(self) -> str:
        return self.health.status

    def to_json(self) -> dict[str, JSON]:
        return {
            "name": self.name,
            "path": str(self.path),
            "location": self.location,
            "python": self.python,
            "project": str(self.project) if self.project is not None else None,
            "status": self.status,
            "prompt": self.prompt,
            "base_python": self.base_python,
        }


def read_env(
    path: Path,
    *,
    name: str,
    location: str,
    project: Path | None = None,
) -> Env:
    """Describe the env at ``path`` (absolute) from its files.

    ``project`` is the project the location knows of; a ``.project`` file wins.
    The prompt is pyvenv.cfg's, else the env's name (never a bare ``.venv``).
    """
    cfg = read_cfg(path)
    project = read_project_file(path) or project
    base = cfg.base_interpreter
    return Env(
        name=name,
        path=path,
        location=location,
        python=cfg.version,
        project=project,
        health=diagnose(path, cfg, name=name, location=location, project=project),
        prompt=cfg.prompt or name,
        base_python=str(base) if base is not None else None,
    )
