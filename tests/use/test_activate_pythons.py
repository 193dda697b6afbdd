"""The activate scripts in envs vem makes are vem's, for every Python it builds with:
the stdlib scripts of the pyenv Pythons 3.8-3.13.0 run `$(...)` found in the env's
path (CVE-2024-9287); sourcing vem's must not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REAL_PYENV_ROOT, require
from tests.shell_helpers import install_vem, pwned, report, run_shell, shell_environ

pytestmark = pytest.mark.shell

#: $PYENV_ROOT (else ~/.pyenv), read before the isolation fixture moves HOME
PYENV_VERSIONS = REAL_PYENV_ROOT / "versions"
VERSIONS = ["3.8.18", "3.9.18", "3.10.13", "3.12.1", "3.13.0"]
EVIL = "x$(touch PWNED)y"

SOURCE = {
    "bash": '. "$E/bin/activate"',
    "zsh": '. "$E/bin/activate"',
    "sh": '. "$E/bin/activate"',
    "fish": 'source "$E/bin/activate.fish"',
    "tcsh": 'source "$E/bin/activate.csh"',
}
CHECK = {
    "fish": "printf 'PREFIX=%s\\n' (python -c 'import sys; print(sys.prefix)'); deactivate\n",
    "tcsh": "printf 'PREFIX=%s\\n' \"`python -c 'import sys; print(sys.prefix)'`\"\ndeactivate\n",
}
POSIX_CHECK = "printf 'PREFIX=%s\\n' \"$(python -c 'import sys; print(sys.prefix)')\"\ndeactivate\n"


def interpreter(version: str) -> Path:
    python = require(PYENV_VERSIONS / version / "bin" / "python3", f"pyenv Python {version}")
    return python


@pytest.mark.parametrize("version", VERSIONS)
def test_sourcing_activate_runs_nothing_from_the_path(version: str, tmp_path: Path) -> None:
    python = interpreter(version)
    bin_dir = tmp_path / "bin"
    install_vem(bin_dir)
    project = tmp_path / EVIL
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    environ = shell_environ(bin_dir)
    made = subprocess.run(
        [sys.executable, "-m", "vem", "create", "--no-pip", "-p", str(python)],
        cwd=project,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    env = project / ".venv"
    for name in ("activate", "activate.fish", "activate.csh", "Activate.ps1"):
        assert "Written by vem" in (env / "bin" / name).read_text(encoding="utf-8"), name

    for shell, source in SOURCE.items():
        script = f'cd "$E"\n{source}\n{CHECK.get(shell, POSIX_CHECK)}'
        proc = run_shell(shell, script, cwd=project, env={**environ, "E": str(env)})
        assert report(proc.stdout).get("PREFIX") == str(env), (shell, proc.stdout, proc.stderr)
    assert pwned(tmp_path) == []


def test_the_stdlib_script_would_have_run_it(tmp_path: Path) -> None:
    """The hazard is real here: the same directory with a stdlib activate does run
    ``touch PWNED`` (so the test above can fail)."""
    python = interpreter("3.12.1")
    env = tmp_path / EVIL / ".venv"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(env)], check=True)
    environ = {**shell_environ(tmp_path), "E": str(env)}
    run_shell("bash", '. "$E/bin/activate"\n', cwd=tmp_path, env=environ)
    assert pwned(tmp_path) != []
