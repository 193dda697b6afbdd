"""Seeding pip into a new env, offline, from the target Python's own bundled pip wheel.

Interface used by create (keep it stable): :func:`seed_pip` and :func:`upgrade_pip`.

The wheel is the one the target Python ships for ensurepip (``<stdlib>/ensurepip/
_bundled``), or the distribution's (``<prefix>/share/python-wheels`` on Debian and
Fedora, whose ``ensurepip`` has no bundle). It is unpacked and byte-compiled once per
(wheel, Python X.Y) into vem's cache (:mod:`vem.make.pipcache`), then hardlinked into each
env — or copied, with ``link=False`` or where hardlinks fail. The env gets console
scripts ``pip``, ``pip3`` and ``pip3.X`` for its own python and a RECORD listing every
installed file, with ``INSTALLER`` = ``pip``: what ``python -m venv`` leaves.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Literal, NamedTuple

from vem.env.layout import bin_dir, env_python, read_cfg
from vem.errors import VemError
from vem.fs.tree import remove_tree
from vem.make.pipcache import (
    CachedFile,
    DamagedEntry,
    Entry,
    get_entry,
    rebuild_entry,
    record_hash,
)
from vem.make.relocate import shebang as _shebang
from vem.python.discovery import Interpreter

_WINDOWS = sys.platform == "win32"
_PIP_VERSION_RE = re.compile(r"""^_PIP_VERSION\s*=\s*["']([^"']+)["']""", re.MULTILINE)
_WHEEL_RE = re.compile(r"^pip-([^-]+)-.*\.whl$")
# Hardlinking is impossible here: copy instead (EXDEV: another filesystem).
_NO_LINK_ERRNOS = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EACCES}
if hasattr(errno, "EOPNOTSUPP"):
    _NO_LINK_ERRNOS.add(errno.EOPNOTSUPP)

_SCRIPT_BODY = """\
# -*- coding: utf-8 -*-
import re
import sys
from {module} import {name}
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit({call}())
"""


class Seeded(NamedTuple):
    """What seed_pip did."""

    pip_version: str
    wheel: Path
    linked: bool  # hardlinked from the cache (False: copied)
    files: int


# --- finding the wheel ---------------------------------------------------------------


def _stdlib_dirs(env_path: Path, interpreter: Interpreter) -> list[Path]:
    """Where the target's stdlib probably is, derived from paths only."""
    xy = f"{interpreter.version[0]}.{interpreter.version[1]}"
    homes: list[Path] = []
    home = read_cfg(env_path).home
    if home:
        homes.append(Path(home))
    homes.append(interpreter.path.parent)
    with contextlib.suppress(OSError):
        homes.append(Path(os.path.realpath(interpreter.path)).parent)
    dirs: list[Path] = []
    for h in homes:
        candidates = [h / "Lib", h.parent / "Lib"] if _WINDOWS else []
        candidates += [h.parent / "lib" / f"python{xy}", h.parent / "lib" / f"pypy{xy}"]
        for c in candidates:
            if c not in dirs and (c / "os.py").exists():
                dirs.append(c)
    return dirs


def _pick_wheel(directory: Path, preferred: str | None) -> Path | None:
    """The pip wheel in ``directory``: version ``preferred`` if there, else the newest."""
    try:
        entries = os.listdir(directory)
    except OSError:
        return None
    wheels: dict[str, str] = {}  # version → file name
    for name in entries:
        m = _WHEEL_RE.match(name)
        if m:
            wheels[m.group(1)] = name
    if not wheels:
        return None
    version = preferred if preferred in wheels else max(wheels, key=_version_key)
    return directory / wheels[version]


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.+-]", text))


def _ensurepip_version(stdlib: Path) -> str | None:
    try:
        text = (stdlib / "ensurepip" / "__init__.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    m = _PIP_VERSION_RE.search(text)
    return m.group(1) if m else None


def wheel_places(env_path: Path, interpreter: Interpreter) -> list[tuple[Path, str | None]]:
    """(directory, preferred pip version) pairs to look for a pip wheel in, in order."""
    places: list[tuple[Path, str | None]] = []
    for stdlib in _stdlib_dirs(env_path, interpreter):
        preferred = _ensurepip_version(stdlib)
        places.append((stdlib / "ensurepip" / "_bundled", preferred))
        # Debian/Ubuntu/Fedora: <prefix>/lib/pythonX.Y → <prefix>/share/python-wheels
        places.append((stdlib.parent.parent / "share" / "python-wheels", None))
    return places


def find_pip_wheel(env_path: Path, interpreter: Interpreter, *, cache_dir: Path) -> Path:
    """The pip wheel the target Python ships. Found from paths alone when possible; else
    the interpreter is asked (cached) for its stdlib and ``WHEEL_PKG_DIR``."""
    places = wheel_places(env_path, interpreter)
    for directory, preferred in places:
        wheel = _pick_wheel(directory, preferred)
        if wheel is not None:
            return wheel
    from vem.python.probe import ProbeCache, probe_cached

    cache = ProbeCache(cache_dir)
    result, _ = probe_cached(interpreter.path, cache)
    cache.save()
    asked: list[tuple[Path, str | None]] = []
    if result is not None and result.stdlib:
        stdlib = Path(result.stdlib)
        asked.append((stdlib / "ensurepip" / "_bundled", _ensurepip_version(stdlib)))
    if result is not None and result.wheel_dir:
        asked.append((Path(result.wheel_dir), None))
    for directory, preferred in asked:
        wheel = _pick_wheel(directory, preferred)
        if wheel is not None:
            return wheel
    looked = sorted({str(d) for d, _ in places + asked})
    raise VemError(
        f"Python {interpreter.version_str} at {interpreter.path} ships no pip wheel; looked in: "
        + ", ".join(looked),
        hint="install your distribution's pip wheel package (Debian/Ubuntu: python3-pip-whl), "
        "or create the env with --no-pip",
    )


# --- installing into the env ---------------------------------------------------------


def site_packages(env_path: Path, interpreter: Interpreter) -> Path:
    if _WINDOWS:
        sp = env_path / "Lib" / "site-packages"
    else:
        xy = f"{interpreter.version[0]}.{interpreter.version[1]}"
        sp = env_path / "lib" / f"python{xy}" / "site-packages"
        if not sp.is_dir():
            found = sorted((env_path / "lib").glob("*/site-packages"))
            sp = found[0] if found else sp
    if not sp.is_dir():
        raise VemError(f"{env_path} has no site-packages directory ({sp})")
    return sp


def _place(src: str, dst: str, f: CachedFile, link: bool) -> bool:
    """Put one cached file into the env; returns whether it is (still) linking.
    Raises DamagedEntry when the cached file is missing or changed."""
    if link:
        try:
            os.link(src, dst)
        except FileExistsError:
            os.unlink(dst)
            os.link(src, dst)
        except FileNotFoundError:
            raise DamagedEntry(f"{f.path} is missing") from None
        except OSError as exc:
            if exc.errno not in _NO_LINK_ERRNOS:
                raise
            link = False
    if link:
        st = os.stat(dst)
    else:
        try:
            st = os.stat(src)
            shutil.copyfile(src, dst)
        except FileNotFoundError:
            raise DamagedEntry(f"{f.path} is missing") from None
        # Keep the source's mtime: the byte-code records it and is valid only with it.
        os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
    if st.st_size != f.size or st.st_mtime_ns != f.mtime_ns:
        raise DamagedEntry(f"{f.path} was changed")
    return link


def _install_files(entry: Entry, sp: Path, link: bool) -> bool:
    # Plain strings: this loop runs for every file of pip (about a thousand).
    dst_root = str(sp) + os.sep
    src_root = str(entry.site_packages) + os.sep
    for d in entry.dirs:
        with contextlib.suppress(FileExistsError):
            os.mkdir(dst_root + d)
    for f in entry.files:
        link = _place(src_root + f.path, dst_root + f.path, f, link)
    return link


def _remove_partial(entry: Entry, sp: Path) -> None:
    for top in {d.split("/")[0] for d in entry.dirs}:
        target = sp / top
        if target.is_dir() and not target.is_symlink():
            with contextlib.suppress(OSError):
                remove_tree(target)


def script_names(interpreter: Interpreter) -> list[str]:
    major, minor = interpreter.version[0], interpreter.version[1]
    return ["pip", f"pip{major}", f"pip{major}.{minor}"]


def script_body(entry_point: str) -> str:
    """The body of a console script for ``module:function`` (as pip writes it)."""
    module, _, call = entry_point.partition(":")
    return _SCRIPT_BODY.format(module=module, name=call.split(".")[0], call=call)


def _write_scripts(env_path: Path, interpreter: Interpreter, entry_point: str) -> list[Path]:
    scripts = bin_dir(env_path)
    written: list[Path] = []
    if _WINDOWS:
        from installer.scripts import Script

        kind: Literal["win-arm64", "win-amd64"] = (
            "win-arm64" if "arm64" in sys.version.lower() else "win-amd64"
        )
        for name in script_names(interpreter):
            module, _, call = entry_point.partition(":")
            script = Script(name, module, call, section="console")
            filename, data = script.generate(str(env_python(env_path)), kind)
            path = scripts / filename
            path.write_bytes(data)
            written.append(path)
        return written
    content = (_shebang(env_python(env_path)) + script_body(entry_point)).encode("utf-8")
    for name in script_names(interpreter):
        path = scripts / name
        path.unlink(missing_ok=True)
        path.write_bytes(content)
        path.chmod(0o755)
        written.append(path)
    return written


def _write_record(entry: Entry, sp: Path, scripts: list[Path], rows: str) -> Path:
    """RECORD: the scripts' rows (their paths need no CSV quoting), then the cached ones."""
    lines: list[str] = []
    for s in scripts:
        rel = os.path.relpath(s, sp).replace(os.sep, "/")
        data = s.read_bytes()
        lines.append(f"{rel},{record_hash(data)},{len(data)}\n")
    path = sp / entry.dist_info / "RECORD"
    path.write_text("".join(lines) + rows, encoding="utf-8")
    return path


def seed_pip(
    env_path: Path, interpreter: Interpreter, *, cache_dir: Path, link: bool = True
) -> Seeded:
    """Make pip importable and runnable in the env at ``env_path`` (built without pip).

    ``link=False`` copies the files instead of hardlinking them from the cache.
    Raises VemError when pip cannot be provided.
    """
    wheel = find_pip_wheel(env_path, interpreter, cache_dir=cache_dir)
    sp = site_packages(env_path, interpreter)
    try:
        entry = get_entry(cache_dir, wheel, interpreter)
    except OSError:
        # The cache cannot be written (read-only or full): unpack into a private one.
        return _seed_without_cache(env_path, interpreter, wheel, sp)
    attempts = 3
    while True:
        try:
            rows = entry.record_rows()
            linked = _install_files(entry, sp, link)
            break
        except DamagedEntry:
            _remove_partial(entry, sp)
            attempts -= 1
            if not attempts:
                raise VemError(f"vem's pip cache at {entry.root} keeps being damaged") from None
            entry = rebuild_entry(entry.root, wheel, interpreter)
    scripts = _write_scripts(env_path, interpreter, entry.entry_point)
    _write_record(entry, sp, scripts, rows)
    return Seeded(entry.pip_version, wheel, linked, len(entry.files))


def _seed_without_cache(env_path: Path, interpreter: Interpreter, wheel: Path, sp: Path) -> Seeded:
    """Build a throw-away cache entry beside the env, copy pip from it, remove it."""
    private = env_path / ".vem-pip-build"
    try:
        entry = rebuild_entry(private / "entry", wheel, interpreter)
        rows = entry.record_rows()
        _install_files(entry, sp, link=False)
        scripts = _write_scripts(env_path, interpreter, entry.entry_point)
        _write_record(entry, sp, scripts, rows)
    finally:
        remove_tree(private)
    return Seeded(entry.pip_version, wheel, False, len(entry.files))


# --- upgrading -------------------------------------------------------------------------


def upgrade_pip_command(env_path: Path) -> list[str]:
    return [
        str(env_python(env_path)),
        "-m",
        "pip",
        "install",
        "--upgrade",
        "--disable-pip-version-check",
        "--quiet",
        "pip",
    ]


def upgrade_pip(env_path: Path) -> None:
    """Upgrade the env's pip from the package index (needs the network)."""
    from vem.python.proc import run_tool

    run_tool(upgrade_pip_command(env_path), f"upgrading pip in {env_path}")
