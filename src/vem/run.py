"""The environment a command sees when it runs "inside" an env."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from vem.env import bin_dir


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
