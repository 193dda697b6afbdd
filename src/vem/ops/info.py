"""``vem info`` and ``vem path``: one env, described from its files, never run."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from vem.env.model import Env
from vem.places.workspace import Workspace

if TYPE_CHECKING:
    from vem.env.sizes import EnvSize

# NamedTuples, not dataclasses: `vem path` runs on every `workon`, and creating
# dataclasses costs it ~2 ms (measured with -X importtime). They are results all the
# same (vem.result.Outcome: warnings and hints).


class EnvResult(NamedTuple):
    """One env (path)."""

    env: Env
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
    from vem.env.sizes import measure, partial_warning

    env = ws.find_env(name)
    size = measure([env.path]).sizes[0]
    warnings = ws.drain_warnings()
    if size.partial:
        warnings.append(partial_warning(env.path, size))
    return InfoResult(env=env, size=size, warnings=warnings, hints=[])


def path(ws: Workspace, name: str | None) -> EnvResult:
    """An env that may be used: an incomplete, broken or mismatched one is exit 3."""
    env = ws.find_usable(name).env
    return EnvResult(env=env, warnings=ws.drain_warnings(), hints=[])
