"""Running a helper program (pip, uv, venv, compileall): the one way vem does it."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from vem.errors import VemError


def run_tool(
    args: Sequence[str],
    what: str,
    output_fd: int | None = None,
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
    check: bool = True,
) -> int:
    """Run ``args`` with no stdin: its output (stdout and stderr) to ``output_fd``, or
    captured when that is None, so that a failure shows its last lines. With ``check``
    a non-zero exit is VemError (exit 1) naming ``what``; the exit code is returned."""
    capture = output_fd is None
    try:
        proc = subprocess.run(
            list(args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture else output_fd,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            cwd=cwd,
            timeout=timeout,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise VemError(f"{what} failed: {exc}") from None
    if check and proc.returncode != 0:
        tail = (proc.stdout or "").strip().splitlines()[-5:] if capture else []
        detail = (":\n" + "\n".join(tail)) if tail else f" (exit code {proc.returncode})"
        raise VemError(f"{what} failed{detail}")
    return proc.returncode
