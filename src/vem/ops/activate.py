"""``vem activate`` / ``workon``: which env to activate (the shell code is the shells')."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vem.env.health import env_ref
from vem.env.model import Env
from vem.errors import VemError
from vem.places.record import hook_files
from vem.places.workspace import Workspace
from vem.shells._base import HookFiles

if TYPE_CHECKING:
    from vem.shells import Shell


class ActivateResult(NamedTuple):
    """A NamedTuple, as `vem path`'s result: `vem activate` runs on every `workon`."""

    env: Env
    #: the directory to change to (``workon``), if asked for and it exists
    cd: Path | None
    warnings: list[str]
    hints: list[str]


def activate_target(
    ws: Workspace, name: str | None, *, cd_project: bool = False, record: bool = True
) -> ActivateResult:
    """The env to activate: it must be usable (exit 3 with the fix otherwise). An env
    with a project is remembered (unless ``record`` is false), so `vem list` shows it
    and --auto trusts what the user activated."""
    found = ws.find_usable(name)
    env = found.env
    warnings: list[str] = []
    if env.status != "ok" and env.health.first is not None:
        problem = env.health.first
        warnings.append(f"the environment at {env.path} is {env.status}: {problem.message}")
        warnings.append(f"`{problem.fix}` fixes it")
    cd = None
    if cd_project and env.project is not None:
        if not env.project.is_dir():
            raise VemError(
                f"the project of {env.name}, {env.project}, no longer exists; "
                "nothing was activated",
                hint=f"vem activate {env_ref(env.path, name=env.name, location=env.location)} "
                "activates the env without changing directory",
            )
        cd = env.project
    from vem.env.usage import mark_used, marks_usage

    if marks_usage(env, via_pointer=found.pointer is not None):  # only vem's own envs
        mark_used(env.path)  # for `vem prune --unused-for`: one utime
    trusted = found.pointer is None  # a .venv pointer never makes an env trusted
    if record and trusted and env.project is not None and env.location in ("project", "central"):
        warnings += ws.remember(env)
    return ActivateResult(env=env, cd=cd, warnings=warnings + ws.drain_warnings(), hints=[])


def auto_hook(shell: Shell, environ: Mapping[str, str]) -> str:
    """The ``--auto`` hook's code for the current directory, from vem's record alone.
    Records of envs that are gone or replaced are dropped (which rewrites the roots
    file), so stale data costs one run, never an activation."""
    from vem.places.auto import hook_code
    from vem.places.record import KnownEnvs
    from vem.places.workspace import AppDirs

    dirs = AppDirs.from_platform()
    known = KnownEnvs(dirs.data_dir, dirs.lock_dir)
    try:
        known.prune()
        known.refresh_roots()
    except (OSError, VemError):
        pass  # a read-only data dir: decide from the record all the same
    return hook_code(shell, known.entries(), environ)


class AutoFiles(NamedTuple):
    #: the files the hook reads
    hook: HookFiles
    warnings: list[str]
    hints: list[str]


def prepare_auto(ws: Workspace, shell: Shell) -> AutoFiles:
    """For ``shell-init --auto``: write what the hook reads, the roots file (if missing
    or out of date) and the shell's own files (tcsh's hook script). A data dir that
    cannot be written is a warning: the hook then asks vem."""
    from vem.fs.atomic import atomic_write_text

    result = AutoFiles(hook=hook_files(ws.dirs.data_dir), warnings=[], hints=[])
    try:
        ws.known.refresh_roots()
        for path, text in shell.files(result.hook).items():
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                atomic_write_text(path, text)
    except (OSError, VemError) as exc:
        result.warnings.append(f"--auto cannot write its files in {ws.dirs.data_dir}: {exc}")
    return result
