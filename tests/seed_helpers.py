"""Helpers for the pip-seeding tests (test_seed, test_faults)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from vem.make import pipcache, seed
from vem.python.discovery import Interpreter

REPO_SRC = Path(__file__).resolve().parent.parent / "src"
PIP_ENV = {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


def interpreter_at(path: Path) -> Interpreter:
    out = subprocess.run(
        [str(path), "-c", "import sys; print(*sys.version_info[:3])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return Interpreter(path, (int(out[0]), int(out[1]), int(out[2])))


def make_env(interp: Interpreter, dest: Path) -> Path:
    subprocess.run(
        [str(interp.path), "-m", "venv", "--without-pip", str(dest)],
        check=True,
        capture_output=True,
    )
    return dest


def run(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **PIP_ENV}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        env=env,
        check=check,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def entry_for(cache: Path, env: Path, running: Interpreter) -> pipcache.Entry:
    wheel = seed.find_pip_wheel(env, running, cache_dir=cache)
    return pipcache.read_entry(pipcache.entry_dir(cache, wheel, running))
