"""``vem info``, ``vem path`` and ``vem list``: describing envs, never running them."""

from __future__ import annotations

import os
from dataclasses import dataclass

from vem.env import Env
from vem.ops.result import Result
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


def info(ws: Workspace, name: str | None) -> EnvResult:
    """One env in detail, whatever its status."""
    env = ws.find_env(name)
    return EnvResult(env=env, warnings=ws.drain_warnings())


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
