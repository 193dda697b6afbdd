"""Turning ``-p SPEC`` into a verified interpreter.

Interface used by the rest of vem (keep it stable): :class:`Interpreter` and
:func:`find_interpreter`; :func:`list_interpreters` backs ``vem python list``.

Search order (first interpreter that satisfies the spec wins; docs/python-discovery.md):

0. an explicit path (the spec contains a path separator or starts with ``~``): only that;
1. the Python running vem, when it satisfies the spec (no process needed);
2. executables on ``PATH``, directory by directory, each verified by running it
   (a pyenv shim that answers "command not found" is skipped);
3. ``$PYENV_ROOT/versions/*`` (default ``~/.pyenv``);
4. uv-managed Pythons (``$UV_PYTHON_INSTALL_DIR``, else ``$XDG_DATA_HOME/uv/python``);
5. the Windows ``py`` launcher, where present.

What running an interpreter taught us is cached (see :mod:`vem.python.probe`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vem.errors import InvalidInput, VemError

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

    from vem.python.probe import ProbeCache, ProbeResult

_WINDOWS = sys.platform == "win32"
# Patterns as strings: ``re`` compiles (and caches) them on first use, not at import.
_VERSION_RE = r"(?i)^(?:c?python|py)?(\d+(?:\.\d+){0,2})$"
_ANY_RE = r"(?i)^(?:c?python|py)$"
_RANGE_START = "<>=!~"
_NAME_VERSION_RE = r"^python(\d+)\.(\d+)(?:\.exe)?$"
# "3.12.1" (pyenv), "cpython-3.12.1-linux-x86_64-gnu" (uv); not "pypy3.10-7.3.12",
# whose second number is PyPy's own version: such installs are run to learn theirs.
_DIR_VERSION_RE = r"^(?:[a-z]+-)?(\d+)\.(\d+)\.(\d+)"


@dataclass(frozen=True)
class Interpreter:
    """A Python interpreter that was run and answered with its version."""

    path: Path  # absolute, as found (not resolved: symlinks matter to venv)
    version: tuple[int, int, int]
    implementation: str = "cpython"

    @property
    def version_str(self) -> str:
        return ".".join(map(str, self.version))

    @property
    def is_running(self) -> bool:
        """True when this is the interpreter vem itself runs on, named by the same path
        (then the env is built in-process). The same file reached by another path (a
        ``python3`` symlink, a hardlinked copy) is not: venv records the path it was
        started as in pyvenv.cfg, and that path is what the user chose."""
        return os.path.abspath(self.path) == os.path.abspath(sys.executable)


def current() -> Interpreter:
    v = sys.version_info
    return Interpreter(Path(sys.executable), (v.major, v.minor, v.micro), sys.implementation.name)


# --- specs -------------------------------------------------------------------------


class PythonSpec(NamedTuple):
    """A parsed ``-p`` value. Exactly one of ``path``/``prefix``/``specifier`` is
    set, or none of them for "any Python"."""

    text: str
    path: Path | None = None
    prefix: tuple[int, ...] | None = None  # 3.12 → (3, 12)
    specifier: str | None = None  # ">=3.11", as given

    def matches(self, version: tuple[int, int, int]) -> bool:
        if self.prefix is not None:
            return version[: len(self.prefix)] == self.prefix
        if self.specifier is not None:
            return _specifier_set(self.specifier).contains(
                ".".join(map(str, version)), prereleases=True
            )
        return True

    @property
    def major(self) -> int | None:
        return self.prefix[0] if self.prefix else None

    def exe_names(self) -> list[str]:
        """Executable names tried on PATH before pyenv and uv: the exact versioned name
        for ``3.12``/``3.12.1``; the generic names (plus every ``python3.N``) otherwise."""
        if self.prefix is not None and len(self.prefix) >= 2:
            return [_exe(f"python{self.prefix[0]}.{self.prefix[1]}")]
        first = f"python{self.prefix[0]}" if self.prefix is not None else "python3"
        return [_exe(first), _exe("python")]

    def fallback_names(self) -> list[str]:
        """Generic names tried on PATH after pyenv and uv (for ``3.12``-like specs only:
        a bare ``python3`` rarely is the wanted minor version, and probing a shim costs)."""
        if self.prefix is not None and len(self.prefix) >= 2:
            return [_exe(f"python{self.prefix[0]}"), _exe("python")]
        return []

    @property
    def wants_listing(self) -> bool:
        """Whether versioned names (python3.N) on PATH must be enumerated too."""
        return self.prefix is None or len(self.prefix) < 2


def _specifier_set(text: str) -> SpecifierSet:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(text)
    except InvalidSpecifier as exc:
        raise InvalidInput(f"invalid Python version range {text!r}: {exc}") from None


def parse_spec(spec: str) -> PythonSpec:
    """Parse a ``-p`` value; raise InvalidInput when it is none of the accepted forms."""
    text = spec.strip()
    if not text:
        return PythonSpec(spec)
    is_range = text.startswith("~=")
    if not is_range and (
        os.sep in text or (os.altsep and os.altsep in text) or text.startswith("~")
    ):
        return PythonSpec(spec, path=Path(os.path.expanduser(text)).absolute())
    if re.match(_ANY_RE, text):
        return PythonSpec(spec)
    m = re.match(_VERSION_RE, text)
    if m:
        return PythonSpec(spec, prefix=tuple(int(p) for p in m.group(1).split(".")))
    rest = re.sub(r"^(?:c?python|py)", "", text, flags=re.IGNORECASE).strip()
    if rest and rest[0] in _RANGE_START:
        _specifier_set(rest)  # validates
        return PythonSpec(spec, specifier=rest)
    raise InvalidInput(
        f"invalid Python spec {spec!r}",
        hint="use 3.12, 3.12.1, python3.12, a range like '>=3.11', or a path to an interpreter",
    )


def _exe(name: str) -> str:
    return name + ".exe" if _WINDOWS else name


# --- candidates -------------------------------------------------------------------


class Candidate(NamedTuple):
    """A file that might be a Python, and where it was found."""

    path: Path
    source: str  # "path", "running", "PATH", "pyenv", "uv", "py launcher"
    hint: tuple[int, int, int] | None = None  # version guessed from a directory name


class Found(NamedTuple):
    """A candidate after probing (for listings and error messages)."""

    candidate: Candidate
    result: ProbeResult | None  # None: did not run as a Python
    reason: str = ""  # why it was skipped, when it was


def pyenv_root() -> Path:
    return Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")


def uv_python_dir() -> Path:
    """Where uv installs managed Pythons by default (``uv python dir``), without running uv."""
    explicit = os.environ.get("UV_PYTHON_INSTALL_DIR")
    if explicit:
        return Path(explicit).expanduser()
    if _WINDOWS:
        appdata = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(appdata) / "uv" / "data" / "python"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "uv" / "python"


def _path_dirs() -> list[Path]:
    return [Path(d) for d in os.environ.get("PATH", "").split(os.pathsep) if d]


def _path_candidates(
    spec: PythonSpec, names: list[str], *, listing: bool, shims_too: bool = False
) -> Iterator[Candidate]:
    shims = pyenv_root() / "shims"
    for d in _path_dirs():
        found = list(names)
        # pyenv's versioned shims only work for the selected versions, which the scan of
        # $PYENV_ROOT/versions finds anyway: a search does not run each of them (a full
        # listing does, to show which fail).
        if listing and (d != shims or shims_too):
            found += _versioned_names(d, spec.major)
        for name in found:
            p = d / name
            if os.access(p, os.X_OK) and p.is_file():
                yield Candidate(p, "PATH")


def _versioned_names(directory: Path, major: int | None) -> list[str]:
    """``python3.N`` executables in a directory, newest first."""
    try:
        entries = os.listdir(directory)
    except OSError:
        return []
    versions: list[tuple[tuple[int, int], str]] = []
    for entry in entries:
        m = re.match(_NAME_VERSION_RE, entry)
        if m and (major is None or int(m.group(1)) == major):
            versions.append(((int(m.group(1)), int(m.group(2))), entry))
    return [name for _, name in sorted(versions, reverse=True)]


def _dir_version(name: str) -> tuple[int, int, int] | None:
    m = re.search(_DIR_VERSION_RE, name)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def _install_candidates(root: Path, source: str, bin_names: list[str]) -> Iterator[Candidate]:
    """Interpreters in ``root/<install>/bin``, newest install first."""
    try:
        installs = [e for e in os.scandir(root) if e.is_dir() and not e.name.startswith(".")]
    except OSError:
        return
    keyed = sorted(
        ((_dir_version(e.name) or (0, 0, 0), e.name) for e in installs),
        reverse=True,
    )
    for hint_key, name in keyed:
        hint = hint_key if hint_key != (0, 0, 0) else None
        base = root / name
        bindirs = [base] if _WINDOWS else [base / "bin", base / "install" / "bin"]
        for bindir in bindirs:
            exe = _pick_exe(bindir, hint, bin_names)
            if exe is not None:
                yield Candidate(exe, source, hint)
                break


def _pick_exe(bindir: Path, hint: tuple[int, int, int] | None, names: list[str]) -> Path | None:
    tries = ([_exe(f"python{hint[0]}.{hint[1]}")] if hint else []) + names
    for name in tries:
        p = bindir / name
        if p.is_file():
            return p
    return None


def _py_launcher_candidates() -> Iterator[Candidate]:
    if not _WINDOWS:
        return
    import shutil
    import subprocess

    py = shutil.which("py")
    if py is None:
        return
    try:
        out = subprocess.run(
            [py, "--list-paths"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return
    for line in out.splitlines():
        m = re.search(r"([A-Za-z]:\\.*\.exe)\s*$", line)
        if m:
            yield Candidate(Path(m.group(1)), "py launcher")


def candidates(spec: PythonSpec, *, everything: bool = False) -> Iterator[Candidate]:
    """Every place to look, in the documented order (explicit paths excluded);
    ``everything`` also lists pyenv's versioned shims on PATH (for ``vem python list``)."""
    yield Candidate(Path(sys.executable), "running")
    yield from _path_candidates(
        spec, spec.exe_names(), listing=spec.wants_listing, shims_too=everything
    )
    default_names = [_exe("python3"), _exe("python")]
    yield from _install_candidates(pyenv_root() / "versions", "pyenv", default_names)
    yield from _install_candidates(uv_python_dir(), "uv", default_names)
    yield from _path_candidates(spec, spec.fallback_names(), listing=False)
    yield from _py_launcher_candidates()


def searched_places(spec: PythonSpec) -> list[str]:
    listing = ", python3.N" if spec.wants_listing else ""
    places = [f"PATH ({', '.join(spec.exe_names())}{listing})"]
    places.append(str(pyenv_root() / "versions"))
    places.append(str(uv_python_dir()))
    if spec.fallback_names():
        places.append(f"PATH ({', '.join(spec.fallback_names())})")
    if _WINDOWS:
        places.append("py launcher")
    return places


# --- probing ----------------------------------------------------------------------


def _check(candidate: Candidate, cache: ProbeCache) -> Found:
    from vem.python.probe import ProbeResult, probe_cached

    if candidate.source == "running":
        return Found(candidate, ProbeResult.for_running())
    result, reason = probe_cached(candidate.path, cache)
    return Found(candidate, result, reason)


def _to_interpreter(found: Found) -> Interpreter:
    assert found.result is not None
    return Interpreter(
        found.result.executable_for(found.candidate.path),
        found.result.version,
        found.result.implementation,
    )


def _no_venv_error(found: Found) -> VemError:
    assert found.result is not None
    return VemError(
        f"Python {found.result.version_str} at {found.candidate.path} has no venv module: "
        "vem builds environments with the venv module of Python 3 (tested on 3.6 and newer)",
        hint="Python 2 environments need virtualenv<20.22; choose a Python 3 with -p",
    )


def iter_found(spec: PythonSpec, cache: ProbeCache, *, everything: bool = False) -> Iterator[Found]:
    """Probe candidates in order, once per real file; those that cannot match are skipped
    by their directory-name version without being run."""
    from vem.python.probe import is_script

    seen: set[str] = set()
    for cand in candidates(spec, everything=everything):
        try:
            real = os.path.realpath(cand.path)
        except OSError:
            real = str(cand.path)
        if real in seen and not is_script(cand.path):
            continue
        if cand.hint is not None and not spec.matches(cand.hint):
            seen.add(real)
            yield Found(cand, None, "skipped: version from its directory does not match")
            continue
        found = _check(cand, cache)
        if found.result is not None:
            seen.add(os.path.realpath(found.result.executable_for(cand.path)))
        seen.add(real)
        yield found


def _cache(cache_dir: Path) -> ProbeCache:
    from vem.python.probe import ProbeCache

    return ProbeCache(cache_dir)


def find_interpreter(spec: str | None, *, cache_dir: Path) -> Interpreter:
    """``None`` → the running Python; a path; a version like ``3.12``, ``3.12.1``,
    ``python3.12``; or a range like ``>=3.11``.

    Raises InvalidInput for an unparsable spec and VemError when nothing matches.
    ``cache_dir`` is vem's cache directory (where probes are remembered).
    """
    if spec is None or not spec.strip():
        return current()
    parsed = parse_spec(spec)
    if parsed.path is None and not parsed.prefix and not parsed.specifier:
        return current()
    cache = _cache(cache_dir)
    try:
        if parsed.path is not None:
            return _find_path(parsed, cache)
        return _search(parsed, cache)
    finally:
        cache.save()


def _find_path(spec: PythonSpec, cache: ProbeCache) -> Interpreter:
    assert spec.path is not None
    path = spec.path
    if not path.exists():
        raise VemError(f"no interpreter at {path}: the file does not exist")
    if path.is_dir():  # an installation (~/.pyenv/versions/3.12.1) or its bin directory
        inside = [path / "bin" / _exe("python3"), path / _exe("python3"), path / _exe("python")]
        path = next((p for p in inside if p.is_file()), path)
    found = _check(Candidate(path, "path"), cache)
    if found.result is None:
        raise VemError(f"{path} is not a working Python interpreter ({found.reason})")
    if not found.result.has_venv:
        raise _no_venv_error(found)
    return _to_interpreter(found)


def _search(spec: PythonSpec, cache: ProbeCache) -> Interpreter:
    """The first match in search order for a version (``3.12``); for a range
    (``>=3.11``) the newest match, the first found among equals."""
    tried: list[Found] = []
    too_old: Found | None = None
    best: Found | None = None
    for found in iter_found(spec, cache):
        tried.append(found)
        if found.result is None or not spec.matches(found.result.version):
            continue
        if not found.result.has_venv:
            too_old = too_old or found
            continue
        if not spec.specifier:
            return _to_interpreter(found)
        if best is None or (best.result is not None and found.result.version > best.result.version):
            best = found
    if best is not None:
        return _to_interpreter(best)
    if too_old is not None:
        raise _no_venv_error(too_old)
    raise VemError(
        _not_found_message(spec, tried),
        hint="install it (pyenv install, uv python install) or pass a path with -p",
    )


def _not_found_message(spec: PythonSpec, tried: list[Found]) -> str:
    found_lines: list[str] = []
    for f in tried:
        if f.result is not None:
            found_lines.append(
                f"  {f.result.version_str}  {f.candidate.path} ({f.candidate.source})"
            )
        elif f.candidate.hint is not None:
            hint = ".".join(map(str, f.candidate.hint))
            found_lines.append(f"  {hint}  {f.candidate.path} ({f.candidate.source}, not run)")
        else:
            found_lines.append(f"  -  {f.candidate.path} ({f.candidate.source}: {f.reason})")
    lines = [f"no Python matching {spec.text!r} found", "looked in:"]
    lines += [f"  {p}" for p in searched_places(spec)]
    lines.append("found:" if found_lines else "found: nothing")
    lines += found_lines
    return "\n".join(lines)


def list_interpreters(*, cache_dir: Path) -> list[Found]:
    """Every candidate vem can see, probed (cached), in search order, one per real file."""
    cache = _cache(cache_dir)
    try:
        return list(iter_found(PythonSpec(""), cache, everything=True))
    finally:
        cache.save()
