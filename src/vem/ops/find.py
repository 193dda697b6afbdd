"""``vem info``, ``vem path`` and ``vem list``: describing envs, never running them."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from vem.env import Env
from vem.workspace import Workspace

if TYPE_CHECKING:
    from vem.sizes import EnvSize

# NamedTuples, not dataclasses: `vem path` runs on every `workon`, and creating
# dataclasses costs it ~2 ms (measured with -X importtime). They are results all the
# same (vem.ops.result.Outcome: warnings and hints).


class EnvResult(NamedTuple):
    """One env (path)."""

    env: Env
    warnings: list[str]
    hints: list[str]


class ListResult(NamedTuple):
    envs: list[Env]
    #: the path of the active env ($VIRTUAL_ENV), if it is one of ``envs``
    active: str | None
    warnings: list[str]
    hints: list[str]


class InfoResult(NamedTuple):
    """One env, with what it costs on disk."""

    env: Env
    size: EnvSize
    warnings: list[str]
    hints: list[str]


def info(ws: Workspace, name: str | None) -> InfoResult:
    """One env in detail, whatever its status, always with its size."""
    from vem.sizes import measure, partial_warning

    env = ws.find_env(name)
    size = measure([env.path]).sizes[0]
    warnings = ws.drain_warnings()
    if size.partial:
        warnings.append(partial_warning(env.path, size))
    return InfoResult(env=env, size=size, warnings=warnings, hints=[])


def path(ws: Workspace, name: str | None) -> EnvResult:
    """An env that may be used: an incomplete, broken or mismatched one is exit 3."""
    env = ws.find_usable_env(name)
    return EnvResult(env=env, warnings=ws.drain_warnings(), hints=[])


def list_envs(ws: Workspace, location: str | None = None) -> ListResult:
    envs = ws.list_envs(location)
    active_env = ws.active_env()
    active = None
    if active_env is not None:
        real = os.path.realpath(active_env.path)
        listed = [e for e in envs if os.path.realpath(e.path) == real]
        if not listed and location is None:
            envs.append(active_env)
            listed = [active_env]
        if listed:
            active = str(listed[0].path)
    return ListResult(envs=envs, active=active, warnings=ws.drain_warnings(), hints=[])
