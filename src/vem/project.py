"""Finding the project root of a directory."""

from __future__ import annotations

from pathlib import Path

#: Files or directories whose presence makes a directory a project root.
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", ".git", ".venv")


def find_project_root(start: Path) -> Path:
    """The nearest of ``start`` and its ancestors holding a project marker; else ``start``.

    ``start`` must be absolute.
    """
    for candidate in (start, *start.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return start


def looks_like_project_root(path: Path) -> bool:
    """Holds a marker other than ``.venv`` (an env dir never does)."""
    return any((path / m).exists() for m in PROJECT_MARKERS if m != ".venv")
