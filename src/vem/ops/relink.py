"""``vem relink``: repair in place an env that was moved or renamed (or whose project
was), so that its scripts, editable install and vem's record name where it is now."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vem.errors import InvalidInput, VemError
from vem.result import Result

if TYPE_CHECKING:
    from vem.env.model import Env
    from vem.places.workspace import Workspace


@dataclass(frozen=True)
class RelinkOptions:
    name: str | None = None
    #: the project the env belongs to now (rewrites ``.project``); relative to the cwd
    project: str | None = None


@dataclass
class RelinkResult(Result):
    env: Env
    #: where the env's scripts pointed before (None: they named no other place)
    old_path: Path | None = None
    #: every file rewritten
    changed: list[Path] = field(default_factory=list)


def relink(ws: Workspace, options: RelinkOptions) -> RelinkResult:
    from vem.env.layout import INCOMPLETE_MARKER
    from vem.fs.locks import path_lock

    env = ws.find_env(options.name)
    with path_lock(ws.dirs.lock_dir, env.path):
        if (env.path / INCOMPLETE_MARKER).exists():
            problem = env.health.first
            raise VemError(
                f"the environment at {env.path} is not finished being created",
                hint=problem.fix if problem is not None else None,
            )
        new_project = _new_project(ws, env, options.project)
        result = _relink(ws, env, new_project)
    return result


def _new_project(ws: Workspace, env: Env, given: str | None) -> Path | None:
    """``--project DIR`` as an absolute, real directory; InvalidInput when it is not."""
    if given is None:
        return None
    from vem.places.workspace import expand_path

    if env.location == "project":
        raise InvalidInput(
            f"{env.path} is a project env: it belongs to the folder that holds it, "
            "and has no .project to rewrite"
        )
    path = expand_path(given, ws.cwd)
    if not path.is_dir():
        raise InvalidInput(f"--project {given}: {path} is not a directory")
    return Path(os.path.realpath(path))


def _relink(ws: Workspace, env: Env, new_project: Path | None) -> RelinkResult:
    from vem.env.layout import PROJECT_FILE
    from vem.env.traces import made_for, same_place
    from vem.fs.atomic import atomic_write
    from vem.make.relocate import real_dir, relocate, rewrite_editables

    path = env.path
    old = made_for(path)
    moved = old is not None and not same_place(old, path)
    changed: list[Path] = []
    if moved:
        assert old is not None
        real_dir(path, "the environment")
        changed += relocate(path, old=old, prompt=env.prompt)  # scripts, as `move` does
        if old.name == ".venv" and path.name == ".venv" and old.parent != path.parent:
            # the project moved, its env with it: so did an editable install of it
            changed += rewrite_editables(path, old.parent, path.parent)
    if new_project is not None:
        previous = env.project
        atomic_write(path / PROJECT_FILE, f"{new_project}\n".encode(), 0o644)
        changed.append(path / PROJECT_FILE)
        if previous is not None and previous != new_project:
            changed += rewrite_editables(path, previous, new_project)
    relinked = ws.describe(path)
    _record(ws, relinked, old if moved else None)
    result = RelinkResult(env=relinked, old_path=old if moved else None, changed=changed)
    if relinked.health.first is not None:
        problem = relinked.health.first
        result.warnings.append(f"{path} is still {problem.status}: {problem.message}")
        result.hints.append(problem.fix)
    return result


def _record(ws: Workspace, env: Env, old: Path | None) -> None:
    """vem's record follows the env: the entry for where it was goes (unless an env
    is still there: it was copied, not moved), one for where it is comes."""
    from vem.env.layout import is_env

    if old is not None and not is_env(old):
        ws.known.discard(old)
    if env.location in ("project", "central") or any(
        e.path == env.path for e in ws.known.entries()
    ):
        ws.known.add(env.path, env.project, env.location)
