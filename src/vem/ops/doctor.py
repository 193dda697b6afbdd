"""``vem doctor``: the diagnosis of one env or of every env ``list`` shows, read from
the file system alone (no interpreter is run, so 1,000 envs take well under a second)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vem.result import JSON, Result

if TYPE_CHECKING:
    from vem.env.model import Env
    from vem.places.workspace import Workspace


@dataclass(frozen=True)
class DoctorOptions:
    name: str | None = None  # one env (found as every command finds NAME); None: all


@dataclass
class DoctorResult(Result):
    envs: list[Env] = field(default_factory=list)

    @property
    def sick(self) -> list[Env]:
        """The envs with at least one problem, in the order checked."""
        return [env for env in self.envs if not env.health.ok]

    def to_json(self) -> list[JSON]:
        """The contract's array: each env object with its ``problems``."""
        out: list[JSON] = []
        for env in self.envs:
            item: dict[str, JSON] = dict(env.to_json())
            problems: list[JSON] = []
            for problem in env.health.problems:
                problems.append({key: value for key, value in problem.to_json().items()})
            item["problems"] = problems
            out.append(item)
        return out


def doctor(ws: Workspace, options: DoctorOptions) -> DoctorResult:
    envs = [ws.find_env(options.name)] if options.name is not None else ws.list_envs()
    result = DoctorResult(envs=envs)
    result.warnings += ws.drain_warnings()
    return result
