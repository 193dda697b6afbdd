"""Seeding pip into a new env.

Interface used by create (keep it stable): :func:`seed_pip`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from vem.discovery import Interpreter
from vem.env import env_python
from vem.errors import VemError


def seed_pip(env_path: Path, interpreter: Interpreter, *, cache_dir: Path, link: bool = True) -> None:
    """Make pip importable and runnable in the env at ``env_path``.

    Raises VemError when pip cannot be provided.
    """
    proc = subprocess.run(
        [str(env_python(env_path)), "-Im", "ensurepip", "--upgrade", "--default-pip"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        raise VemError(f"installing pip into {env_path} failed: {proc.stderr.strip()[-500:]}")
