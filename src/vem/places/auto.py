"""What the ``--auto`` hook does on entering a directory: pure logic over vem's
record of envs, so it is decided the same way in every shell.

Trust: only envs in vem's record (it made them, or ``vem activate`` was asked to
activate them) that name a project, and only while the env still holds the id vem
recorded (see :mod:`vem.places.record`). A ``.venv`` merely found on disk is never
activated: activating runs code from the env.

The shells decide from the roots file (vem.places.record) whether a directory may belong to
such a project; only then do they run vem, which decides here from the record.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vem.env.model import env_name, read_env
from vem.places.record import KnownEnv, is_trusted, trusted_project

if TYPE_CHECKING:
    from vem.shells._base import Shell

#: The shell variables the hook keeps between prompts.
AUTO_ENV = "_VEM_AUTO_ENV"  # the env the hook activated (so only it is deactivated)
AUTO_ROOT = "_VEM_AUTO_ROOT"  # the project it belongs to (no vem run inside it)


@dataclass(frozen=True)
class AutoChange:
    activate: KnownEnv | None = None
    deactivate: bool = False
    #: values for AUTO_ENV and AUTO_ROOT (None: unset)
    auto_env: str | None = None
    auto_root: str | None = None

    @property
    def variables(self) -> dict[str, str | None]:
        return {AUTO_ENV: self.auto_env, AUTO_ROOT: self.auto_root}


def _within(directory: Path, project: Path) -> bool:
    return directory == project or project in directory.parents


def _variants(path: Path) -> set[Path]:
    """The path as given and with symlinks resolved."""
    return {path, Path(os.path.realpath(path))}


def project_env(
    entries: Iterable[KnownEnv],
    cwd: Path,
    trusted: Callable[[KnownEnv], bool] = is_trusted,
) -> KnownEnv | None:
    """The trusted env whose project holds ``cwd``: the innermost project wins, and
    for one project the project's own ``.venv`` before a central env. The env's
    ``project`` is the one trust allows (a project env's folder)."""
    best: tuple[int, int, KnownEnv] | None = None
    cwds = _variants(cwd)
    for entry in entries:
        project = trusted_project(entry)
        if project is None:
            continue
        projects = _variants(project)
        if not any(_within(c, p) for c in cwds for p in projects):
            continue
        rank = (len(project.parts), entry.location == "project", entry._replace(project=project))
        if (best is None or rank[:2] > best[:2]) and trusted(entry):
            best = rank
    return best[2] if best is not None else None


def decide(
    entries: Iterable[KnownEnv],
    cwd: Path,
    *,
    active: str | None,
    auto_env: str | None,
    trusted: Callable[[KnownEnv], bool] = is_trusted,
) -> AutoChange:
    """Entering a project activates its env, or switches from the env the hook
    activated; leaving deactivates that env. An env the user activated is theirs:
    the hook leaves it alone (so ``vem workon`` is not undone by its cd)."""
    if active and active != auto_env:
        return AutoChange()
    found = project_env(entries, cwd, trusted)
    if found is None:
        return AutoChange(deactivate=bool(active))
    assert found.project is not None
    root = str(found.project)
    if active == str(found.path):
        return AutoChange(auto_env=active, auto_root=root)
    return AutoChange(activate=found, auto_env=str(found.path), auto_root=root)


def shell_cwd(environ: Mapping[str, str]) -> Path:
    """The directory as the shell names it ($PWD, symlinks kept) when that is right."""
    pwd = environ.get("PWD")
    if pwd and os.path.isabs(pwd):
        try:
            if os.path.samefile(pwd, "."):
                return Path(pwd)
        except OSError:
            pass
    return Path.cwd()


def hook_code(shell: Shell, entries: Iterable[KnownEnv], environ: Mapping[str, str]) -> str:
    """The ``--auto`` hook's code for the current directory."""
    from vem.shells._base import Target

    change = decide(
        entries,
        shell_cwd(environ),
        active=environ.get("VIRTUAL_ENV"),
        auto_env=environ.get(AUTO_ENV),
    )
    target = None
    if change.activate is not None:
        found = change.activate
        env = read_env(
            found.path, name=env_name(found.path), location=found.location, project=found.project
        )
        target = Target(env.path, env.prompt)
    return shell.switch(target=target, deactivate=change.deactivate, variables=change.variables)
