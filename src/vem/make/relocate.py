"""Rewriting an env's scripts for a new path: the console-script shebangs that pip (and
vem's pip seeding) write, vem's activate scripts, and the ``command`` line of pyvenv.cfg.

Used by ``move`` and ``recreate`` (and meant for ``relink``). A rewrite is computed
first (:func:`plan`), written beside each file as a hidden temporary (:func:`stage`),
and put in place by renames (:func:`commit`): staging can be undone without a trace
(:func:`discard`) and committing is one ``os.replace`` per file, so the env is never
left with a half-written script. Files are matched by what they say, never run:

- ``#!<old>/bin/<python>`` (the kernel's shebang) and pip's ``/bin/sh`` trampoline
  ``'''exec' "<old>/bin/<python>" "$0" "$@"`` for paths a shebang cannot hold;
- vem's activate scripts (``activate``, ``activate.fish``, ``activate.csh``,
  ``Activate.ps1``), which are written again for the new path whatever they held:
  vem's scripts quote every path, the stdlib's ones do not (CVE-2024-9287).

Other files are left alone (a symlink is never followed or rewritten).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from vem.env.layout import bin_dir, site_packages
from vem.errors import Unsafe
from vem.fs.atomic import atomic_write
from vem.fs.reads import read_head

#: A console script bigger than this is not a script pip wrote.
_MAX_SCRIPT = 1 << 20
STAGE_SUFFIX = ".vem-relocate"
#: pip's (distlib's) trampoline for paths a shebang cannot hold. It puts the path in
#: double quotes without escaping, so the path is everything between them.
_TRAMPOLINE_RE = re.compile(rb"\A#!/bin/sh\n'''exec' ([^\n]+) \"\$0\" \"\$@\"\n' '''\n")
_SAFE_NAME_RE = re.compile(r"[A-Za-z0-9._+-]+")


class Rewrite(NamedTuple):
    """One file of the env to replace: its path relative to the env, its new bytes
    and its permission bits."""

    rel: str
    data: bytes
    mode: int


def shebang(python: Path) -> str:
    """``#!<python>`` when the kernel can take it (short, no white space); else a
    /bin/sh trampoline that runs the interpreter of that name beside the script, so no
    path is ever interpreted by the shell."""
    text = str(python)
    if len(text) <= 125 and not any(c.isspace() for c in text):
        return f"#!{text}\n"
    name = python.name if _SAFE_NAME_RE.fullmatch(python.name) else "python"
    return f"#!/bin/sh\n'''exec' \"$(dirname -- \"$0\")/{name}\" \"$0\" \"$@\"\n' '''\n"


def _script_header(data: bytes, old_bin: bytes) -> tuple[int, str] | None:
    """(length of the header, interpreter name) when ``data`` starts with a shebang or
    pip trampoline naming an interpreter in ``old_bin`` (bytes, ending with a slash)."""
    if not data.startswith(b"#!"):
        return None
    m = _TRAMPOLINE_RE.match(data)
    if m is not None:
        exe = m.group(1)
        if len(exe) >= 2 and exe[:1] == exe[-1:] == b'"':
            exe = exe[1:-1]
        end = m.end()
    else:
        newline = data.find(b"\n")
        if newline < 0:
            return None
        exe = data[2:newline].strip()
        end = newline + 1
    if not exe.startswith(old_bin):
        return None
    name = exe[len(old_bin) :]
    if not name or b"/" in name or b" " in name:
        return None
    return end, os.fsdecode(name)


def _console_scripts(env: Path, old: Path, new: Path) -> list[Rewrite]:
    bindir = bin_dir(env)
    old_bin = os.fsencode(bin_dir(old)) + b"/"
    rewrites: list[Rewrite] = []
    try:
        entries = sorted(os.scandir(bindir), key=lambda e: e.name)
    except OSError:
        return rewrites
    for entry in entries:
        if entry.name.endswith(STAGE_SUFFIX) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if st.st_size > _MAX_SCRIPT:
                continue
            with open(entry.path, "rb") as f:
                data = f.read(_MAX_SCRIPT)
        except OSError:
            continue
        header = _script_header(data, old_bin)
        if header is None:
            continue
        end, name = header
        new_header = shebang(bin_dir(new) / name).encode()
        rel = os.path.relpath(entry.path, env)
        rewrites.append(Rewrite(rel, new_header + data[end:], st.st_mode & 0o7777))
    return rewrites


def _activate_scripts(env: Path, new: Path, prompt: str) -> list[Rewrite]:
    from vem.shells import Target
    from vem.shells.scripts import SCRIPTS

    if not bin_dir(env).is_dir():
        return []
    target = Target(new, prompt)
    rel_bin = os.path.relpath(bin_dir(env), env)
    rewrites: list[Rewrite] = []
    for shell in SCRIPTS:
        assert shell.script_name is not None
        # vem's own files: a symlink planted in their place is replaced (by a rename:
        # what it points to is never written), not followed and not kept
        rel = os.path.join(rel_bin, shell.script_name)
        rewrites.append(Rewrite(rel, shell.script(target).encode("utf-8"), 0o644))
    return rewrites


def _cfg_command(env: Path, old: Path, new: Path) -> list[Rewrite]:
    """pyvenv.cfg's ``command`` line (Python 3.11+) names the env's path: say the new one."""
    cfg = env / "pyvenv.cfg"
    try:
        if cfg.is_symlink():
            return []
        text = cfg.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    lines = text.splitlines(keepends=True)
    changed = False
    for i, line in enumerate(lines):
        key, sep, value = line.partition("=")
        if sep and key.strip().lower() == "command" and str(old) in value:
            lines[i] = f"{key}={value.replace(str(old), str(new))}"
            changed = True
    if not changed:
        return []
    return [Rewrite("pyvenv.cfg", "".join(lines).encode("utf-8"), 0o644)]


def plan(env: Path, *, old: Path, new: Path, prompt: str) -> list[Rewrite]:
    """What to rewrite in the env now at ``env`` so that it works at ``new``, its
    scripts having been written for ``old`` (``env`` may be either, or neither)."""
    return [
        *_console_scripts(env, old, new),
        *_activate_scripts(env, new, prompt),
        *_cfg_command(env, old, new),
    ]


def _staged(env: Path, rewrite: Rewrite) -> Path:
    return env / (rewrite.rel + STAGE_SUFFIX)


def stage(env: Path, rewrites: Sequence[Rewrite]) -> None:
    """Write each rewrite beside its file (hidden temporaries, flushed to disk)."""
    try:
        for rw in rewrites:
            tmp = _staged(env, rw)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(rw.data)
                os.fchmod(f.fileno(), rw.mode)
    except BaseException:
        discard(env, rewrites)
        raise


def commit(env: Path, rewrites: Iterable[Rewrite]) -> None:
    """Put every staged rewrite in place (one rename each)."""
    for rw in rewrites:
        os.replace(_staged(env, rw), env / rw.rel)


def discard(env: Path, rewrites: Iterable[Rewrite]) -> None:
    """Remove staged rewrites that were not committed."""
    for rw in rewrites:
        with contextlib.suppress(OSError):
            os.unlink(_staged(env, rw))


def relocate(env: Path, *, old: Path, prompt: str) -> list[Path]:
    """Rewrite, in place, the scripts of the env at ``env`` that were written for
    ``old``; returns the files rewritten."""
    rewrites = plan(env, old=old, new=env, prompt=prompt)
    stage(env, rewrites)
    commit(env, rewrites)
    return [env / rw.rel for rw in rewrites]


# --- editable installs of a project that moved ------------------------------

#: Console scripts and .pth files are small; anything bigger is not one (a binary).
FILE_LIMIT = 1 << 20


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
                atomic_write(path, "\n".join(moved).encode("utf-8"), mode)
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
    atomic_write(path, result.encode("utf-8"), mode)
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
    atomic_write(path, json.dumps(data).encode("utf-8"), path.lstat().st_mode)
    return True
