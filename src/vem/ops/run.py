"""``vem run``: the environment a command runs in, and the program to run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vem.env import Env, bin_dir
from vem.errors import VemError
from vem.ops.result import Result
from vem.run import activated_environ
from vem.workspace import Workspace

_PIP_NAMES = ("pip", "pip3")


@dataclass
class RunResult(Result):
    env: Env
    program: Path
    argv: list[str]
    environ: dict[str, str]


def run_environment(ws: Workspace, name: str | None, command: Sequence[str]) -> RunResult:
    """What `vem run` executes: CMD found on the env's PATH, with the env active. An
    env that is incomplete, broken or mismatched is refused (exit 3, with the fix)."""
    env = ws.find_usable_env(name)
    from vem.usage import mark_used, marks_usage

    if marks_usage(ws, env):  # never writes into an env that is not vem's
        mark_used(env.path)  # for `vem prune --unused-for`
    environ = activated_environ(env.path, env.prompt, ws.environ)
    found = shutil.which(command[0], path=environ["PATH"])
    if found is None:
        raise VemError(f"command not found: {command[0]}")
    program = Path(found)
    warnings = ws.drain_warnings()
    base = os.path.basename(command[0])
    own_bin = bin_dir(env.path)
    if (base in _PIP_NAMES or base.startswith("pip3.")) and program.parent != own_bin:
        warnings.append(
            f"{env.path} has no pip of its own: {program} is from outside the env, and "
            "what it installs does not go into the env"
        )
    return RunResult(
        env=env, program=program, argv=list(command), environ=environ, warnings=warnings
    )
