"""``vem list [--all] [--size]`` and ``vem info``'s size: every env on the machine and
what it costs. vem's own envs come from the workspace; ``--all`` adds other tools'
stores (vem.stores, read-only); sizes come from one threaded pass (vem.sizes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vem.ops.result import JSON, Result
from vem.sizes import EnvSize, measure, partial_warning

if TYPE_CHECKING:
    from vem.env import Env
    from vem.workspace import Workspace

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
    from vem.env import read_env
    from vem.ops.find import list_envs

    listed = list_envs(ws, options.location)
    own = listed.envs
    result = InventoryResult(warnings=listed.warnings)
    result.envs = [
        Listed(env, with_tool=options.all, active=str(env.path) == listed.active) for env in own
    ]
    if options.all:
        from vem.stores import foreign_envs

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
