"""Requirement files: which ones a sync uses, every file they include, what they require,
and the fingerprint (kept inside the env) that says whether the env already holds them.

Nothing here runs a process: ``vem sync`` on an unchanged env reads files and stops.
Lines are read the way pip reads them: ``#`` comments, ``\\`` continuations, ``${VAR}``
expanded from the environment, ``-r``/``-c`` (``--requirement``/``--constraint``) paths
relative to the including file.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from vem.env.layout import read_cfg
from vem.errors import InvalidInput, VemError

#: The fingerprint of the last successful sync, inside the env (a CI cache carries it).
STAMP_FILE = ".vem-sync.json"
#: Present while a sync installs: the stamp beside it no longer tells what the env holds.
PENDING_FILE = ".vem-sync.pending"
_FORMAT = "vem-sync 1"
_INCLUDE_OPTIONS = {"-r": "r", "--requirement": "r", "-c": "c", "--constraint": "c"}
_ENV_VAR = re.compile(r"\$\{([A-Z0-9_]+)\}")
_COMMENT = re.compile(r"(^|\s+)#.*$")


class RequirementFiles(NamedTuple):
    """The top-level files of a sync (absolute), where they came from, and the directory
    the installer runs in (pip resolves relative paths such as ``-e .`` against it)."""

    files: tuple[Path, ...]
    source: str
    cwd: Path


class ReadFile(NamedTuple):
    path: Path
    data: bytes
    constraints: bool  # reached through -c: it constrains, it requires nothing


def choose_files(
    given: Sequence[Path], *, cwd: Path, project_root: Path, pyproject: Mapping[str, object]
) -> RequirementFiles:
    """``-r`` files, else ``[tool.vem] requirements``, else ``requirements.txt`` in the
    project root if present, else none."""
    if given:
        return RequirementFiles(tuple(_absolute(p, cwd) for p in given), "command line", cwd)
    listed = pyproject.get("requirements")
    where = f"{project_root / 'pyproject.toml'} [tool.vem] requirements"
    if listed is not None:
        if not isinstance(listed, list) or not all(isinstance(x, str) and x for x in listed):
            raise InvalidInput(
                f"{where} must be a list of file names",
                hint='requirements = ["requirements.txt"]',
            )
        files = tuple(_absolute(Path(x), project_root) for x in listed)
        return RequirementFiles(files, where, project_root)
    default = project_root / "requirements.txt"
    if default.is_file():
        return RequirementFiles((default,), str(default), project_root)
    return RequirementFiles((), "none found", project_root)


def _absolute(path: Path, base: Path) -> Path:
    return Path(os.path.normpath(base / os.path.expanduser(path)))


def logical_lines(text: str) -> Iterator[str]:
    """pip's logical lines: continuations joined, comments and blank lines dropped."""
    pending = ""
    for raw in text.splitlines():
        line = _COMMENT.sub("", raw)
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            yield line
    if pending.strip():
        yield pending.strip()


def expand_vars(text: str, environ: Mapping[str, str]) -> str:
    """pip's ``${VAR}`` expansion (only that form; unset variables stay as written)."""
    return _ENV_VAR.sub(lambda m: environ.get(m.group(1), m.group(0)), text)


def _include(line: str) -> tuple[str, str] | None:
    """``("r"|"c", target)`` when the line includes another file, else None."""
    import shlex

    if not line.startswith("-"):
        return None
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise InvalidInput(f"cannot parse {line!r}: {exc}") from None
    head, sep, value = words[0].partition("=")
    if head in _INCLUDE_OPTIONS:
        target = value if sep else (words[1] if len(words) > 1 else "")
        return _INCLUDE_OPTIONS[head], target
    if head[:2] in ("-r", "-c") and len(head) > 2 and not head.startswith("--"):
        return head[1], words[0][2:]
    return None


def read_all(files: Sequence[Path], environ: Mapping[str, str]) -> list[ReadFile]:
    """Every file the sync depends on, each once, in the order pip reads them.

    A missing file, a directory, or a cycle of includes is exit 2 naming the chain.
    Includes by URL are not followed (their line is part of the including file).
    """
    out: list[ReadFile] = []
    seen: set[Path] = set()

    def visit(path: Path, chain: tuple[Path, ...], constraints: bool) -> None:
        if path in chain:
            cycle = " -> ".join(str(p) for p in (*chain[chain.index(path) :], path))
            raise InvalidInput(f"requirement files include each other in a cycle: {cycle}")
        if path in seen:
            return
        data = _read(path, chain)
        seen.add(path)
        out.append(ReadFile(path, data, constraints))
        text = data.decode("utf-8", errors="replace")
        for line in logical_lines(text):
            found = _include(expand_vars(line, environ))
            if found is None:
                continue
            kind, target = found
            if not target:
                raise InvalidInput(f"{path}: {line!r} names no file")
            if "://" in target:
                continue
            visit(_absolute(Path(target), path.parent), (*chain, path), constraints or kind == "c")

    for f in files:
        visit(f, (), False)
    return out


def _read(path: Path, chain: tuple[Path, ...]) -> bytes:
    via = f" (included from {chain[-1]})" if chain else ""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"requirement file {path} does not exist{via}") from None
    except IsADirectoryError:
        raise InvalidInput(f"requirement file {path} is a directory{via}") from None
    except OSError as exc:
        raise VemError(f"cannot read requirement file {path}{via}: {exc.strerror}") from None


def fingerprint(read: Sequence[ReadFile], *, python: str, installer: str, exact: bool) -> str:
    """What decides "changed": the contents of every file (in order), the env's Python
    version, the installer and ``--exact``. Paths are left out, so a project checked out
    elsewhere (another CI runner) with the same files is unchanged."""
    import hashlib

    h = hashlib.sha256()
    for part in (_FORMAT, python, installer, "exact" if exact else "plain"):
        h.update(part.encode() + b"\0")
    for f in read:
        h.update(b"%d\0" % len(f.data))
        h.update(f.data)
    return h.hexdigest()


def env_version(env: Path) -> str:
    """The env's Python version as pyvenv.cfg records it ("" when it does not)."""
    return read_cfg(env).version or ""


def current_fingerprint(
    env: Path, files: RequirementFiles, *, installer: str, exact: bool, environ: Mapping[str, str]
) -> tuple[str, list[ReadFile]]:
    """The fingerprint the env would carry once synced with these files, and the files
    read to make it (every include, each once)."""
    read = read_all(files.files, environ)
    value = fingerprint(read, python=env_version(env), installer=installer, exact=exact)
    return value, read


def read_stamp(env_path: Path) -> str | None:
    """The fingerprint of the env's last successful sync, or None (also while, or after,
    an install that did not finish)."""
    if os.path.lexists(env_path / PENDING_FILE):
        return None
    try:
        text = (env_path / STAMP_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return None
    value = data.get("fingerprint") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def write_stamp(
    env_path: Path, value: str, *, files: Sequence[ReadFile], installer: str, exact: bool
) -> None:
    """Record a successful sync, atomically (a crash leaves the old stamp or none)."""
    import json

    from vem.fs.atomic import atomic_write_text

    data = {
        "fingerprint": value,
        "installer": installer,
        "exact": exact,
        "files": [str(f.path) for f in files],
    }
    atomic_write_text(env_path / STAMP_FILE, json.dumps(data, indent=2) + "\n")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(env_path / PENDING_FILE)


def mark_pending(env_path: Path) -> None:
    """Say an install has begun; :func:`write_stamp` ends it. The old stamp is kept as
    it was, but does not count while this mark is there."""
    (env_path / PENDING_FILE).write_text("vem sync is installing into this environment\n")


# --- what the files require (for --exact) ------------------------------------------


class Required(NamedTuple):
    """What the files ask for: named requirements (PEP 508 text, markers included) and
    the path/URL ones whose name only the installed metadata can tell."""

    named: tuple[str, ...]
    unnamed: tuple[str, ...]


def required(read: Sequence[ReadFile], environ: Mapping[str, str]) -> Required:
    named: list[str] = []
    unnamed: list[str] = []
    for f in read:
        if f.constraints:
            continue
        for line in logical_lines(f.data.decode("utf-8", errors="replace")):
            line = expand_vars(line, environ)
            target = _requirement_text(line)
            if target is None:
                continue
            text, editable = target
            (unnamed if editable or not _is_named(text) else named).append(text)
    return Required(tuple(named), tuple(unnamed))


def _requirement_text(line: str) -> tuple[str, bool] | None:
    """The requirement on a line and whether it is editable; None for option lines."""
    import shlex

    for opt in ("-e", "--editable"):
        if line == opt or line.startswith((opt + " ", opt + "=")):
            rest = line[len(opt) :].lstrip(" =")
            try:
                value = shlex.split(rest)
            except ValueError:
                value = [rest]
            return (value[0], True) if value else None
    if line.startswith("-"):
        return None
    # pip: the requirement ends at the first word that starts with "-" (--hash=...)
    words: list[str] = []
    for word in line.split(" "):
        if word.startswith("-"):
            break
        words.append(word)
    text = " ".join(words).strip()
    return (text, False) if text else None


_ARCHIVE = re.compile(r"\.(whl|zip|tar|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz)$", re.IGNORECASE)


def _is_named(text: str) -> bool:
    """A PEP 508 requirement (``name[extra]>=1; marker``, ``name @ url``), not a path,
    an archive file or a bare URL (whose name only the installed metadata can tell)."""
    from packaging.requirements import InvalidRequirement, Requirement

    if "@" not in text and (
        _ARCHIVE.search(text.split(";")[0].strip()) or "/" in text or text.startswith(".")
    ):
        return False

    try:
        Requirement(text)
    except InvalidRequirement:
        return False
    return True
