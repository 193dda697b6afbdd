"""Finding the project root of a directory."""

from __future__ import annotations

import os
from pathlib import Path

#: Files or directories whose presence makes a directory a project root.
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", ".git", ".venv")


def find_project_root(start: Path, home: Path | None = None) -> Path:
    """The nearest of ``start`` and its ancestors holding a project marker; else ``start``.

    ``start`` must be absolute. ``$HOME`` and ``/`` are never reached by climbing
    through a ``.venv`` alone: a stray ``~/.venv`` does not make every folder below
    ``$HOME`` part of one project.
    """
    home = home if home is not None else Path(os.path.expanduser("~"))
    for candidate in (start, *start.parents):
        if candidate != start and candidate in (home, Path(candidate.anchor)):
            if looks_like_project_root(candidate):
                return candidate
            continue
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return start


def looks_like_project_root(path: Path) -> bool:
    """Holds a marker other than ``.venv`` (an env dir never does)."""
    return any((path / m).exists() for m in PROJECT_MARKERS if m != ".venv")
