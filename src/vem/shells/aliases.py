"""Which aliases ``vem alias`` defines: one per env with a project, named after the env,
except a name that would shadow something the user already runs (a shell keyword or
builtin, or a command on PATH), a name no shell takes, and an env whose project is gone."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from vem.env.model import Env
from vem.errors import InvalidInput
from vem.names import validate_name
from vem.shells._base import AliasSpec

_SPACES = re.compile(r"\s+")


class AliasPlan(NamedTuple):
    aliases: list[AliasSpec]
    warnings: list[str]


def alias_name(name: str) -> str | None:
    """``name`` as an alias: runs of white space become ``-``; None if what is left is
    not a plain name (letters, digits, ``.``, ``_``, ``-``)."""
    candidate = _SPACES.sub("-", name.strip())
    try:
        return validate_name(candidate)
    except InvalidInput:
        return None


def plan_aliases(
    envs: Iterable[Env],
    *,
    builtins: frozenset[str],
    on_path: Callable[[str], str | None],
) -> AliasPlan:
    """The aliases for ``envs``; ``on_path`` says where a command of that name is
    (``shutil.which``)."""
    aliases: list[AliasSpec] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for env in envs:
        if env.project is None:
            continue
        name = alias_name(env.name)
        if name is None:
            warnings.append(f"no alias for {env.path}: {env.name!r} cannot be an alias name")
            continue
        if not Path(env.project).is_dir():
            warnings.append(f"no alias {name}: its project {env.project} no longer exists")
            continue
        if name in builtins:
            warnings.append(f"no alias {name} (for {env.path}): it would shadow the shell's {name}")
            continue
        found = on_path(name)
        if found is not None:
            warnings.append(
                f"no alias {name} (for {env.path}): it would shadow the command {found}"
            )
            continue
        if name in seen:
            warnings.append(f"no alias for {env.path}: another env already has the alias {name}")
            continue
        seen.add(name)
        aliases.append(AliasSpec(name, env.project, env.path, env.location))
    return AliasPlan(aliases, warnings)
