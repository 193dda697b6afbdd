"""vem run: the command runs inside the env, with its streams and exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.conftest import VemRunner, run_vem_process


def test_run_uses_the_env_and_passes_exit_code(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    env = dict(os.environ, PYTHONHOME=sys.base_prefix)  # vem itself must still start
    code = (
        "import os, sys; print(sys.prefix); print(os.environ['VIRTUAL_ENV']);"
        "print('PYTHONHOME' in os.environ); sys.stderr.write('to-stderr'); sys.exit(7)"
    )
    proc = run_vem_process("run", "--", "python", "-c", code, cwd=project, env=env)
    assert proc.returncode == 7, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines == [str(project / ".venv"), str(project / ".venv"), "False"]
    assert "to-stderr" in proc.stderr


def test_run_passes_stdin_and_options_after_dashes(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "vem",
            "run",
            "--",
            "python",
            "-c",
            "import sys; print(sys.stdin.read().upper(), sys.argv[1:])",
            "-e",
            "--x",
        ],
        input="hello",
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "HELLO ['-e', '--x']"


def test_run_named_env(vem: VemRunner, home: Path) -> None:
    vem("create", "tools", "--no-pip")
    proc = run_vem_process("run", "-e", "tools", "python", "-c", "import sys; print(sys.prefix)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(home / ".virtualenvs" / "tools")


def test_run_missing_command_and_missing_env(vem: VemRunner, project: Path) -> None:
    proc = run_vem_process("run", "--", "python", "-V", cwd=project)
    assert proc.returncode == 3
    vem("create", "--no-pip")
    proc = run_vem_process("run", "--", "no-such-command-xyz", cwd=project)
    assert proc.returncode == 1
    assert "no-such-command-xyz" in proc.stderr
    assert "Traceback" not in proc.stderr
