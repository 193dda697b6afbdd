"""``vem info``, ``vem path`` and ``vem list``: describing envs, never running them."""

from __future__ import annotations

import os
from dataclasses import dataclass

from vem.env import Env
from vem.ops.result import Result
from vem.sizes import EnvSize
from vem.workspace import Workspace


@dataclass
class EnvResult(Result):
    """One env (info, path)."""

    env: Env


@dataclass
class ListResult(Result):
    envs: list[Env]
    #: the path of the active env ($VIRTUAL_ENV), if it is one of ``envs``
    active: str | None = None


@dataclass
class InfoResult(Result):
    """One env, with what it costs on disk."""

    env: Env
    size: EnvSize


def info(ws: Workspace, name: str | None) -> InfoResult:
    """One env in detail, whatever its status, always with its size."""
    from vem.sizes import measure, partial_warning

    env = ws.find_env(name)
    size = measure([env.path]).sizes[0]
    warnings = ws.drain_warnings()
    if size.partial:
        warnings.append(partial_warning(env.path, size))
    return InfoResult(env=env, size=size, warnings=warnings)


def path(ws: Workspace, name: str | None) -> EnvResult:
    """An env that may be used: an incomplete, broken or mismatched one is exit 3."""
    env = ws.find_usable_env(name)
    return EnvResult(env=env, warnings=ws.drain_warnings())


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
    return ListResult(envs=envs, active=active, warnings=ws.drain_warnings())
