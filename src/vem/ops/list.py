"""``vem list [--all] [--size]`` and ``vem info``'s size: every env on the machine and
what it costs. vem's own envs come from the workspace; ``--all`` adds other tools'
stores (vem.env.stores, read-only); sizes come from one threaded pass (vem.env.sizes)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from vem.env.sizes import EnvSize, measure, partial_warning
from vem.result import JSON, Result

if TYPE_CHECKING:
    from vem.env.model import Env
    from vem.places.workspace import Workspace

#: ``location`` of an env found only in another tool's store
OTHER = "other"


@dataclass(frozen=True)
class InventoryOptions:
    location: str | None = None
    all: bool = False
    size: bool = False


@dataclass
class Listed:
    """One env as ``list`` shows it: with ``--all`` its tool, with ``--size`` its size."""

    env: Env
    tool: str | None = None
    size: EnvSize | None = None
    with_tool: bool = False
    #: it is the active env ($VIRTUAL_ENV)
    active: bool = False

    def to_json(self) -> dict[str, JSON]:
        data: dict[str, JSON] = dict(self.env.to_json())
        data["active"] = self.active
        if self.with_tool:
            data["tool"] = self.tool
        if self.size is not None:
            data["size"] = self.size.size
            data["shared_size"] = self.size.shared_size
        return data


@dataclass
class InventoryResult(Result):
    envs: list[Listed] = field(default_factory=list)
    #: with sizes: the bytes of all the envs together, every inode counted once
    total: int | None = None


def inventory(ws: Workspace, options: InventoryOptions) -> InventoryResult:
    from vem.env.model import read_env

    listed = list_envs(ws, options.location)
    own = listed.envs
    result = InventoryResult(warnings=listed.warnings)
    result.envs = [
        Listed(env, with_tool=options.all, active=str(env.path) == listed.active) for env in own
    ]
    if options.all:
        from vem.env.stores import foreign_envs

        projects = [e.project for e in own if e.project is not None] + [ws.project_root]
        found = foreign_envs(ws.environ, projects, result.warnings, skip=[e.path for e in own])
        for foreign in found:
            env = read_env(foreign.path, name=foreign.name, location=OTHER)
            result.envs.append(Listed(env, tool=foreign.tool, with_tool=True))
    if options.size:
        result.total = add_sizes(result.envs, result.warnings)
    return result


def add_sizes(listed: Sequence[Listed], warnings: list[str]) -> int:
    """Measure every env in one pass; set each one's size; return the total."""
    measured = measure([item.env.path for item in listed])
    for item, size in zip(listed, measured.sizes, strict=True):
        item.size = size
        if size.partial:
            warnings.append(partial_warning(item.env.path, size))
    return measured.total


class ListResult(NamedTuple):
    envs: list[Env]
    #: the path of the active env ($VIRTUAL_ENV), if it is one of ``envs``
    active: str | None
    warnings: list[str]
    hints: list[str]


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
