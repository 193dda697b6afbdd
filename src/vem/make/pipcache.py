"""vem's cache of unpacked, byte-compiled pip: one entry per (pip wheel, Python X.Y).

An entry is ``<cache_dir>/pip/<pip-version>-<impl><X.Y>-<wheel digest>/`` holding
``site-packages/`` (``pip/`` and its ``.dist-info`` with ``INSTALLER`` and
``REQUESTED``, as ensurepip leaves them, but no ``RECORD``: each env gets its own) and
``manifest.json`` (every directory and file with size, mtime and RECORD hash).

Entries are built in a temporary directory beside the final one and renamed into place,
so a reader sees a whole entry or none; builders serialise on a lock file, and a crash
leaves only a temporary directory that a later build sweeps away. An entry whose
manifest is unreadable or whose files do not match it (size or mtime) is damaged and is
rebuilt. Cached files are read-only on POSIX, so an env that hardlinks them cannot be
edited by accident.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

from vem.errors import VemError
from vem.fs.tree import remove_tree
from vem.python.discovery import Interpreter

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 3
RECORD_BASE = "RECORD.base"  # RECORD rows of the cached files, sorted
DEFAULT_ENTRY_POINT = "pip._internal.cli.main:main"
_STALE_TMP_SECONDS = 3600.0
_LOCK_TIMEOUT = 600.0


class DamagedEntry(Exception):
    """A cache entry does not match its manifest."""


class CachedFile(NamedTuple):
    path: str  # relative to site-packages, "/"-separated
    size: int
    mtime_ns: int


class Entry(NamedTuple):
    """A complete cache entry, as read from its manifest."""

    root: Path
    pip_version: str
    dist_info: str
    dirs: tuple[str, ...]
    files: tuple[CachedFile, ...]
    entry_point: str = DEFAULT_ENTRY_POINT  # "module:function" of pip's console script

    @property
    def site_packages(self) -> Path:
        return self.root / "site-packages"

    def record_rows(self) -> str:
        """RECORD's lines for the cached files and RECORD itself (scripts not included)."""
        try:
            return (self.root / RECORD_BASE).read_text(encoding="utf-8")
        except OSError:
            raise DamagedEntry(f"{RECORD_BASE} is missing") from None

    def verify(self) -> None:
        """Raise DamagedEntry unless every file is there with its recorded size and mtime."""
        sp = self.site_packages
        for f in self.files:
            try:
                st = os.stat(sp / f.path)
            except OSError:
                raise DamagedEntry(f"{f.path} is missing") from None
            if st.st_size != f.size or st.st_mtime_ns != f.mtime_ns:
                raise DamagedEntry(f"{f.path} was changed")


def wheel_key(wheel: Path) -> str:
    """Identifies the wheel file without reading it: its real path, size and mtime
    (a wheel replaced in place gets a new entry)."""
    real = os.path.realpath(wheel)
    st = os.stat(real)
    text = f"{real}\0{st.st_size}\0{st.st_mtime_ns}"
    return hashlib.sha256(os.fsencode(text)).hexdigest()[:16]


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def entry_dir(cache_dir: Path, wheel: Path, interpreter: Interpreter) -> Path:
    """Where the entry for this wheel and this Python's X.Y lives."""
    name = wheel.name.split("-")
    version = name[1] if len(name) > 1 else "unknown"
    xy = f"{interpreter.version[0]}.{interpreter.version[1]}"
    return cache_dir / "pip" / f"pip-{version}-{interpreter.implementation}{xy}-{wheel_key(wheel)}"


def read_entry(root: Path) -> Entry:
    """The entry at ``root``; DamagedEntry when its manifest is missing or malformed,
    or when the entry is a symlink (its files would come from outside vem's cache)."""
    if os.path.islink(root):
        raise DamagedEntry("the entry is a symlink")
    try:
        data: Any = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise DamagedEntry(f"unreadable manifest: {exc}") from None
    try:
        if data["format"] != MANIFEST_FORMAT:
            raise DamagedEntry("manifest of another format")
        return Entry(
            root=root,
            pip_version=str(data["pip_version"]),
            dist_info=str(data["dist_info"]),
            dirs=tuple(str(d) for d in data["dirs"]),
            files=tuple(CachedFile(str(p), int(s), int(m)) for p, s, m in data["files"]),
            entry_point=str(data["entry_point"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DamagedEntry(f"malformed manifest: {exc}") from None


def get_entry(cache_dir: Path, wheel: Path, interpreter: Interpreter) -> Entry:
    """The entry for ``wheel`` and ``interpreter``, building it when missing (the fast
    path reads only the manifest; callers verify files as they use them)."""
    root = entry_dir(cache_dir, wheel, interpreter)
    try:
        return read_entry(root)
    except DamagedEntry:
        return rebuild_entry(root, wheel, interpreter)


def rebuild_entry(root: Path, wheel: Path, interpreter: Interpreter) -> Entry:
    """Under the entry's lock: keep a complete, undamaged entry another process made
    meanwhile; else move the damaged one aside and build a new one."""
    from vem.fs.locks import file_lock

    with file_lock(Path(str(root) + ".lock"), timeout=_LOCK_TIMEOUT, what=str(root)):
        if os.path.lexists(root):
            try:
                entry = read_entry(root)
                entry.verify()
                entry.record_rows()
                return entry
            except DamagedEntry:
                _discard(root)
        _sweep_stale(root.parent)
        return _build(root, wheel, interpreter)


def _discard(path: Path) -> None:
    trash = path.parent / f".trash-{os.urandom(8).hex()}"
    try:
        os.rename(path, trash)
    except OSError:
        trash = path
    remove_tree(trash)


def _sweep_stale(pip_cache: Path) -> None:
    """Remove temporary and trash directories left by crashed builds."""
    now = time.time()
    try:
        entries = list(os.scandir(pip_cache))
    except OSError:
        return
    for e in entries:
        if not e.name.startswith((".tmp-", ".trash-")):
            continue
        try:
            old = now - e.stat(follow_symlinks=False).st_mtime > _STALE_TMP_SECONDS
        except OSError:
            continue
        if old or e.name.startswith(".trash-"):
            remove_tree(Path(e.path))


def _build(root: Path, wheel: Path, interpreter: Interpreter) -> Entry:
    tmp = root.parent / f".tmp-{root.name}-{os.urandom(4).hex()}"
    try:
        sp = tmp / "site-packages"
        sp.mkdir(parents=True)
        dist_info, pip_version = _unpack(wheel, sp, tmp / "unused")
        _compile(sp / "pip", interpreter)
        manifest, record = _make_manifest(sp, dist_info, pip_version, wheel, interpreter)
        (tmp / RECORD_BASE).write_text(record, encoding="utf-8")
        (tmp / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        remove_tree(tmp / "unused")
        os.rename(tmp, root)
    except BaseException:
        remove_tree(tmp)
        raise
    return read_entry(root)


def _unpack(wheel: Path, sp: Path, scratch: Path) -> tuple[str, str]:
    """Unpack the wheel with installer into ``sp``; scripts go to scratch (each env gets
    its own). Returns the dist-info directory name and pip's version."""
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    scheme = {
        "purelib": str(sp),
        "platlib": str(sp),
        "scripts": str(scratch / "scripts"),
        "headers": str(scratch / "headers"),
        "data": str(scratch / "data"),
    }
    destination = SchemeDictionaryDestination(
        scheme, interpreter=sys.executable, script_kind="posix", bytecode_optimization_levels=()
    )
    try:
        with WheelFile.open(wheel) as source:
            source.validate_record()
            dist_info = str(source.dist_info_dir)
            install(source, destination, additional_metadata={"INSTALLER": b"pip\n"})
    except (VemError, OSError):
        raise  # OSError (a full or read-only cache) lets seed_pip fall back
    except Exception as exc:
        raise VemError(f"cannot unpack {wheel}: {exc}") from exc
    (sp / dist_info / "RECORD").unlink(missing_ok=True)
    (sp / dist_info / "REQUESTED").write_bytes(b"")
    version = dist_info[: -len(".dist-info")].partition("-")[2]
    return dist_info, version


def _compile(package: Path, interpreter: Interpreter) -> None:
    """Byte-compile with the target interpreter itself (its magic number, its cache tag).
    Files it cannot compile simply stay without byte-code, as with pip."""
    from vem.python.proc import run_tool

    cmd = [str(interpreter.path), "-E", "-s", "-m", "compileall", "-q"]
    if interpreter.version >= (3, 8):
        cmd += ["-j", "0"]
    run_tool(
        [*cmd, str(package)],
        f"byte-compiling pip with {interpreter.path}",
        timeout=600,
        check=False,
    )


def _make_manifest(
    sp: Path, dist_info: str, pip_version: str, wheel: Path, interpreter: Interpreter
) -> tuple[dict[str, Any], str]:
    """The manifest, and the RECORD rows of the files (each env adds its scripts)."""
    import csv
    import io

    dirs: list[str] = []
    files: list[list[Any]] = []
    rows: list[tuple[str, str, str]] = [(f"{dist_info}/RECORD", "", "")]
    readonly = os.name != "nt"
    for dirpath, dirnames, filenames in os.walk(sp):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, sp).replace(os.sep, "/")
        if rel_dir != ".":
            dirs.append(rel_dir)
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if readonly:
                os.chmod(full, 0o444)
            st = os.stat(full)
            files.append([rel, st.st_size, st.st_mtime_ns])
            # Byte-code is listed without hash, as pip does.
            if name.endswith(".pyc"):
                rows.append((rel, "", ""))
            else:
                rows.append((rel, _file_hash(full), str(st.st_size)))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(sorted(rows))
    manifest = {
        "format": MANIFEST_FORMAT,
        "pip_version": pip_version,
        "entry_point": _console_entry_point(sp / dist_info / "entry_points.txt"),
        "dist_info": dist_info,
        "wheel": str(wheel),
        "python": f"{interpreter.implementation}{interpreter.version_str}",
        "dirs": dirs,
        "files": files,
    }
    return manifest, buf.getvalue()


def _console_entry_point(path: Path) -> str:
    """pip's own ``pip = module:function`` (``pip._internal:main`` before pip 19.3)."""
    import re

    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return DEFAULT_ENTRY_POINT
    m = re.search(r"^pip\s*=\s*([\w.]+:[\w.]+)\s*$", text, re.MULTILINE)
    return m.group(1) if m else DEFAULT_ENTRY_POINT


def _file_hash(path: str) -> str:
    with open(path, "rb") as f:
        return record_hash(f.read())
