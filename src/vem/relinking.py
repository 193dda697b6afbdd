"""Pointing an env's files at its current directory after a move: its activate
scripts, the shebangs of its console scripts, and editable installs of a project that
moved with it. Each file is replaced atomically and keeps its mode; only regular files
directly inside the env (never through a symlink) are read or replaced, and only
those that named the old place are touched."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from vem.errors import Unsafe
from vem.layout import read_head

#: Console scripts and .pth files are small; anything bigger is not one (a binary).
FILE_LIMIT = 1 << 20


def replace_file(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` atomically with ``mode``; a symlink at ``path`` is
    replaced, never written through."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".vem")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), stat.S_IMODE(mode))
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def real_dir(path: Path, what: str) -> Path:
    """``path`` if it is a directory and not a symlink (so nothing is written outside
    the env through it); else Unsafe (exit 5)."""
    if path.is_symlink() or not path.is_dir():
        raise Unsafe(f"{what} {path} is not a plain directory (a symlink?); nothing was changed")
    return path


def _regular_files(directory: Path, suffix: str = "") -> Iterator[tuple[Path, int]]:
    """Regular files (not symlinks) directly in ``directory``, with their mode."""
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False):
            yield Path(entry.path), entry.stat(follow_symlinks=False).st_mode


def _moved_path(text: str, old: Path, new: Path) -> str | None:
    """``text`` with the ``old`` prefix swapped for ``new``, if it lies in ``old``."""
    old_s = os.path.normpath(old)
    if text == old_s:
        return str(new)
    if text.startswith(old_s.rstrip(os.sep) + os.sep):
        return str(new) + text[len(old_s.rstrip(os.sep)) :]
    return None


def site_packages(env_path: Path) -> list[Path]:
    """The env's site-packages directories (``lib/pythonX.Y/site-packages``)."""
    found = []
    for lib in ("lib", "Lib"):
        for sub in _dirs(env_path / lib):
            candidate = sub / "site-packages"
            if sub.name.startswith("python") and candidate.is_dir():
                found.append(candidate)
            elif sub.name == "site-packages":
                found.append(sub)
    return [p for p in found if not p.is_symlink()]


def _dirs(path: Path) -> list[Path]:
    try:
        with os.scandir(path) as it:
            return [Path(e.path) for e in it if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def rewrite_editables(env_path: Path, old: Path, new: Path) -> list[Path]:
    """Editable installs whose source lay in ``old`` (the project that moved) point
    into ``new``: ``.pth`` path lines, setuptools' ``__editable__`` finder mappings and
    PEP 610 ``direct_url.json`` files."""
    changed = []
    for site in site_packages(env_path):
        for path, mode in _regular_files(site, ".pth"):
            data = _small_text(path)
            if data is None:
                continue
            lines = data.split("\n")
            moved = [
                line if line.startswith(("import", "#")) else (_moved_path(line, old, new) or line)
                for line in lines
            ]
            if moved != lines:
                replace_file(path, "\n".join(moved).encode("utf-8"), mode)
                changed.append(path)
        for path, mode in _regular_files(site, "_finder.py"):
            if path.name.startswith("__editable___") and _rewrite_finder(path, mode, old, new):
                changed.append(path)
        for dist in _dirs(site):
            if dist.name.endswith(".dist-info") and _rewrite_direct_url(dist, old, new):
                changed.append(dist / "direct_url.json")
    return changed


def _small_text(path: Path) -> str | None:
    data = read_head(path, FILE_LIMIT)
    if data is None or len(data) > FILE_LIMIT:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


_STRING = r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""


def _rewrite_finder(path: Path, mode: int, old: Path, new: Path) -> bool:
    """setuptools' ``__editable___*_finder.py``: its string literals naming paths in
    ``old`` (``MAPPING``, ``NAMESPACES``) are written for ``new``."""
    import ast
    import re

    text = _small_text(path)
    if text is None:
        return False

    def swap(match: re.Match[str]) -> str:
        try:
            value = ast.literal_eval(match.group(0))
        except (ValueError, SyntaxError):
            return match.group(0)
        moved = _moved_path(value, old, new) if isinstance(value, str) else None
        return repr(moved) if moved is not None else match.group(0)

    result = re.sub(_STRING, swap, text)
    if result == text:
        return False
    replace_file(path, result.encode("utf-8"), mode)
    return True


def _rewrite_direct_url(dist: Path, old: Path, new: Path) -> bool:
    import json
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    path = dist / "direct_url.json"
    text = _small_text(path)
    if text is None:
        return False
    try:
        data = json.loads(text)
        url = data["url"]
        editable = data.get("dir_info", {}).get("editable", False)
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    if not (isinstance(url, str) and url.startswith("file:") and editable is True):
        return False
    moved = _moved_path(url2pathname(urlparse(url).path), old, new)
    if moved is None:
        return False
    data["url"] = Path(moved).as_uri()
    replace_file(path, json.dumps(data).encode("utf-8"), path.lstat().st_mode)
    return True
