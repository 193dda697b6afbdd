"""The installer interface: pip (the env's own) and uv, used by ``create -r`` and ``sync``.

Both get only what vem must say (the env, the files, the names): index settings are the
user's own (pip's ``PIP_*`` variables and config files, uv's ``UV_*`` and uv.toml) and
vem never passes an index option. Their output goes to ``output_fd`` (the CLI gives
stderr, so pip's progress bar shows on a terminal); stdout stays vem's result.

What an env holds is read from its site-packages metadata, never by running it.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from vem.env.layout import env_python
from vem.errors import VemError
from vem.make.requirements import (
    RequirementFiles,
    current_fingerprint,
    env_version,
    mark_pending,
    read_stamp,
    required,
    write_stamp,
)
from vem.python.proc import run_tool

INSTALLERS = ("pip", "uv")


class Installer(Protocol):
    name: str

    def install(
        self, env: Path, files: Sequence[Path], *, cwd: Path, output_fd: int | None
    ) -> None:
        """``install -r FILE...`` into the env; VemError (exit 1) on failure."""

    def uninstall(self, env: Path, names: Sequence[str], *, output_fd: int | None) -> None:
        """Remove these distributions from the env."""


class PipInstaller:
    """The env's own pip: ``<env>/bin/python -m pip``."""

    name = "pip"

    def install(
        self, env: Path, files: Sequence[Path], *, cwd: Path, output_fd: int | None
    ) -> None:
        python = env_python(env)
        if not has_pip(env):
            raise VemError(
                f"the environment at {env} has no pip to install the requirements with",
                hint=f"--installer uv installs without pip; or add pip with {python} -m ensurepip",
            )
        args = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
        run_tool(args + _r_args(files), "installing the requirements", output_fd, cwd=cwd)

    def uninstall(self, env: Path, names: Sequence[str], *, output_fd: int | None) -> None:
        args = [str(env_python(env)), "-m", "pip", "uninstall", "--disable-pip-version-check"]
        run_tool([*args, "-y", *names], "uninstalling", output_fd)


class UvInstaller:
    """``uv pip install --python <env>``: uv from PATH, else the ``uv`` Python package."""

    name = "uv"

    def __init__(self, program: Path) -> None:
        self.program = program

    def install(
        self, env: Path, files: Sequence[Path], *, cwd: Path, output_fd: int | None
    ) -> None:
        args = [str(self.program), "pip", "install", "--python", str(env_python(env))]
        run_tool(args + _r_args(files), "installing the requirements with uv", output_fd, cwd=cwd)

    def uninstall(self, env: Path, names: Sequence[str], *, output_fd: int | None) -> None:
        args = [str(self.program), "pip", "uninstall", "--python", str(env_python(env))]
        run_tool([*args, *names], "uninstalling with uv", output_fd)


def _r_args(files: Sequence[Path]) -> list[str]:
    args: list[str] = []
    for f in files:
        args += ["-r", str(f)]  # absolute: a file named "-x" is never taken for an option
    return args


def find_uv(environ: Mapping[str, str]) -> Path | None:
    """uv on PATH, else the binary of the ``uv`` Python package (vem's ``uv`` extra)."""
    found = shutil.which("uv", path=environ.get("PATH"))
    if found:
        return Path(found)
    try:
        import uv  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    try:
        return Path(uv.find_uv_bin())
    except (FileNotFoundError, AttributeError):
        return None


def get_installer(name: str, environ: Mapping[str, str] | None = None) -> Installer:
    """The installer called ``name``; uv missing is exit 1 with how to get it."""
    if name == "pip":
        return PipInstaller()
    if name == "uv":
        program = find_uv(os.environ if environ is None else environ)
        if program is None:
            raise VemError(
                "uv was not found, neither on PATH nor as the uv Python package",
                hint="install uv (pip install uv, into the environment vem runs from, or "
                "any way that puts `uv` on PATH), or use --installer pip",
            )
        return UvInstaller(program)
    raise VemError(f"unknown installer {name!r}; valid: {', '.join(INSTALLERS)}")


# --- what an env holds, from its metadata ------------------------------------------


class Dist(NamedTuple):
    """One installed distribution: its canonical name and what its metadata says."""

    name: str
    requires: tuple[str, ...]  # Requires-Dist lines
    url: str | None  # direct_url.json "url" (installed from a path or URL)


def site_packages(env: Path) -> list[Path]:
    """The env's own site-packages directories (not the base Python's)."""
    if sys.platform == "win32":
        found = [env / "Lib" / "site-packages"]
    else:
        found = sorted(env.glob("lib/*/site-packages"))
        found += [
            p
            for p in sorted(env.glob("lib64/*/site-packages"))
            if p.resolve() not in {q.resolve() for q in found}
        ]
    return [p for p in found if p.is_dir()]


def has_pip(env: Path) -> bool:
    """pip is importable from the env's own site-packages (a file check, no metadata)."""
    return any((site / "pip" / "__init__.py").is_file() for site in site_packages(env))


def installed(env: Path) -> list[Dist]:
    """Every distribution installed in the env, read from its ``*.dist-info``."""
    import json
    from importlib.metadata import distributions

    from packaging.utils import canonicalize_name

    out: dict[str, Dist] = {}
    for dist in distributions(path=[str(p) for p in site_packages(env)]):
        raw_name = dist.metadata["Name"] if dist.metadata else None
        if not raw_name:
            continue
        name = canonicalize_name(raw_name)
        url = None
        direct = dist.read_text("direct_url.json")
        if direct:
            try:
                data = json.loads(direct)
                url = data.get("url") if isinstance(data, dict) else None
            except ValueError:
                url = None
        out.setdefault(name, Dist(name, tuple(dist.requires or ()), url))
    return list(out.values())


def marker_environment(python_version: str) -> dict[str, str]:
    """PEP 508 marker values for the env: this machine's, with the env's Python version
    (from pyvenv.cfg; the env's interpreter is never run to learn it)."""
    from packaging.markers import default_environment

    env: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    parts = python_version.split(".")
    env["python_version"] = ".".join(parts[:2])
    env["python_full_version"] = python_version
    env["implementation_version"] = python_version
    return env


def needed(roots: Iterable[str], dists: Sequence[Dist], *, markers: Mapping[str, str]) -> set[str]:
    """The canonical names of ``roots`` (PEP 508 requirement texts) and everything they
    need, transitively, through the installed metadata (Requires-Dist, markers and
    extras evaluated)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    by_name = {d.name: d for d in dists}
    keep: set[str] = set()
    done: set[tuple[str, str]] = set()  # (name, extra) already followed
    todo: list[tuple[str, str]] = []

    def add(text: str, extra: str) -> None:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            return
        if req.marker is not None and not req.marker.evaluate({**markers, "extra": extra}):
            return
        name = canonicalize_name(req.name)
        keep.add(name)
        for wanted in ("", *sorted(req.extras)):
            todo.append((name, wanted))

    for root in roots:
        add(root, "")
    while todo:
        name, extra = todo.pop()
        if (name, extra) in done:
            continue
        done.add((name, extra))
        dist = by_name.get(name)
        if dist is None:
            continue
        for text in dist.requires:
            add(text, extra)
    return keep


def not_needed(
    named: Iterable[str],
    unnamed: Iterable[str],
    env: Path,
    *,
    python_version: str,
    cwd: Path,
) -> tuple[list[str], list[str]]:
    """What ``--exact`` removes: distributions in the env neither required nor needed by
    what is required (pip and its needs are kept). Returns (to remove, unresolved): a
    path/URL requirement that no installed distribution came from is unresolved, and
    then nothing is removed (vem cannot tell what it needs)."""
    dists = installed(env)
    roots = ["pip", *named]
    unresolved: list[str] = []
    for text in unnamed:
        match = _dist_from(text, dists, cwd)
        if match is None:
            unresolved.append(text)
        else:
            roots.append(match)
    if unresolved:
        return [], unresolved
    keep = needed(roots, dists, markers=marker_environment(python_version))
    return sorted(d.name for d in dists if d.name not in keep), []


def _dist_from(text: str, dists: Sequence[Dist], cwd: Path) -> str | None:
    """The installed distribution a path/URL requirement produced (by its ``#egg=``
    name, or by the URL pip/uv recorded in direct_url.json)."""
    from packaging.utils import canonicalize_name

    base, _, fragment = text.partition("#")
    for part in fragment.split("&"):
        key, _, value = part.partition("=")
        if key == "egg" and value:
            return canonicalize_name(value)
    if "://" in base:
        urls = {base}
    else:
        urls = {Path(os.path.abspath(cwd / os.path.expanduser(base))).as_uri()}
    for d in dists:
        if d.url is not None and d.url.rstrip("/") in {u.rstrip("/") for u in urls}:
            return d.name
    return None


# --- bringing an env up to its requirement files ---------------------------------------


class Applied(NamedTuple):
    """What :func:`apply_requirements` did."""

    changed: bool  # False: the env already held exactly this (nothing ran)
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def apply_requirements(
    env: Path,
    files: RequirementFiles,
    *,
    installer: str,
    exact: bool = False,
    environ: Mapping[str, str] | None = None,
    output_fd: int | None = None,
    force: bool = False,
) -> Applied:
    """Install the files into the env unless its stamp says it holds them already
    (``force``: install anyway); with ``exact``, then remove what nothing requires.
    The stamp is written only when all of that succeeded. The caller holds the env's
    lock."""
    environ = os.environ if environ is None else environ
    value, read = current_fingerprint(env, files, installer=installer, exact=exact, environ=environ)
    if not force and read_stamp(env) == value:
        return Applied(changed=False)
    tool = get_installer(installer, environ) if files.files or exact else None
    mark_pending(env)
    if tool is not None and files.files:
        tool.install(env, files.files, cwd=files.cwd, output_fd=output_fd)
    removed: list[str] = []
    warnings: list[str] = []
    if exact:
        wanted = required(read, environ)
        removed, unresolved = not_needed(
            wanted.named, wanted.unnamed, env, python_version=env_version(env), cwd=files.cwd
        )
        if unresolved:
            warnings.append(
                "--exact removed nothing: no installed distribution came from "
                + ", ".join(unresolved)
                + " (add #egg=NAME to name it)"
            )
        if removed and tool is not None:
            tool.uninstall(env, removed, output_fd=output_fd)
    write_stamp(env, value, files=read, installer=installer, exact=exact)
    return Applied(changed=True, removed=tuple(removed), warnings=tuple(warnings))
