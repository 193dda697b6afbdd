"""``vem run``: the environment a command runs in, and the program to run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vem.env.layout import bin_dir
from vem.env.model import Env
from vem.errors import VemError
from vem.places.workspace import Workspace
from vem.result import Result

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
    found = ws.find_usable(name)
    env = found.env
    from vem.env.usage import mark_used, marks_usage

    if marks_usage(env, via_pointer=found.pointer is not None):  # only vem's own envs
        mark_used(env.path)  # for `vem prune --unused-for`
    environ = activated_environ(env.path, env.prompt, ws.environ)
    program_path = shutil.which(command[0], path=environ["PATH"])
    if program_path is None:
        raise VemError(f"command not found: {command[0]}")
    program = Path(program_path)
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


def activated_environ(env_path: Path, prompt: str, environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with the env active: VIRTUAL_ENV set, its bin dir first on PATH,
    PYTHONHOME unset (as the activate scripts do)."""
    result = dict(environ)
    result.pop("PYTHONHOME", None)
    old_virtual_env = environ.get("VIRTUAL_ENV")
    parts = [p for p in environ.get("PATH", "").split(os.pathsep) if p]
    if old_virtual_env:  # switching envs: drop the other env's bin dir
        parts = [p for p in parts if p != str(bin_dir(Path(old_virtual_env)))]
    result["PATH"] = os.pathsep.join([str(bin_dir(env_path)), *parts])
    result["VIRTUAL_ENV"] = str(env_path)
    result["VIRTUAL_ENV_PROMPT"] = prompt
    return result
