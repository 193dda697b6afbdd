"""``vem remove``: delete one env through the deletion gate, after confirmation."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from vem.deletion import check_deletable, delete_env
from vem.env.layout import is_env
from vem.env.model import Env
from vem.errors import Unsafe
from vem.fs.locks import path_lock
from vem.names import is_path_like
from vem.ops.bookkeeping import forget_deleted
from vem.places.workspace import Workspace, expand_path
from vem.result import Result

#: Asks the user a yes/no question; None when there is no terminal to ask on.
Confirm = Callable[[str], bool]


@dataclass(frozen=True)
class RemoveOptions:
    name: str | None = None
    yes: bool = False
    confirm: Confirm | None = None


@dataclass
class RemoveResult(Result):
    env: Env
    removed: bool


def remove(ws: Workspace, options: RemoveOptions) -> RemoveResult:
    name = options.name
    if name is not None and is_path_like(name):
        target = expand_path(name, ws.cwd)
        if target.exists() and not is_env(target):
            raise Unsafe(f"{target} is not an environment (no pyvenv.cfg); nothing was deleted")
    found = ws.find(name)
    env = found.env
    if found.pointer is not None:
        from vem.env.pointer import check_removable

        check_removable(env.path, ws.project_root)  # only an env that claims the project
    check_deletable(env.path, protected=ws.guards)
    if not options.yes:
        if options.confirm is None:
            raise Unsafe(
                f"not removing {env.path} without --yes (no terminal to ask on)",
                hint="vem remove --yes" + (f" {shlex.quote(name)}" if name else ""),
            )
        if not options.confirm(f"Remove {env.name} at {env.path}?"):
            raise Unsafe(f"not removed: {env.path} (you declined)")
    with path_lock(ws.dirs.lock_dir, env.path):  # never while a create builds it
        delete_env(env.path, protected=ws.guards)
    warnings = [f"{w}; the environment was removed" for w in forget_deleted(ws, env)]
    warnings += ws.drain_warnings()
    active = ws.environ.get("VIRTUAL_ENV")
    in_function = bool(ws.environ.get("_VEM_SHELL_FUNCTION"))  # it deactivates by itself
    if active and not in_function and os.path.realpath(active) == os.path.realpath(env.path):
        warnings.append(
            f"{env.path} was the active env of this shell: run `deactivate` "
            "(the vem shell function from `vem shell-init` does it for you)"
        )
    return RemoveResult(env=env, removed=True, warnings=warnings)
