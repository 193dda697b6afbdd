"""vem create with pip, end to end as a user runs it: pip works, -r installs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_vem_process
from tests.helpers import REAL_PYENV_ROOT, build_wheel, pyenv_python, require


def env_pip(env: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(env / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_create_seeds_a_working_pip(project: Path) -> None:
    made = run_vem_process("create", cwd=project)
    assert made.returncode == 0, made.stderr
    env = project / ".venv"
    version = subprocess.run(
        [str(env / "bin" / "pip"), "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0
    assert str(env) in version.stdout  # the env's own pip, not the base one
    listed = run_vem_process(
        "run", "--", "python", "-m", "pip", "list", "--format=json", cwd=project
    )
    assert "pip" in {p["name"] for p in json.loads(listed.stdout)}


def test_requirements_are_installed_offline(project: Path, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_wheel(wheels, "")
    (project / "requirements.txt").write_text(
        f"--no-index\n--find-links {wheels}\nvem-sibling==0.1\n"
    )
    made = run_vem_process("create", "-r", "requirements.txt", cwd=project)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == str(project / ".venv")  # pip's chatter went to stderr
    shown = env_pip(project / ".venv", "show", "vem-sibling")
    assert shown.returncode == 0 and "Version: 0.1" in shown.stdout


def test_failed_requirement_is_exit_1_and_leaves_nothing(project: Path) -> None:
    (project / "requirements.txt").write_text("--no-index\nno-such-package-xyz\n")
    made = run_vem_process("create", "-r", "requirements.txt", cwd=project)
    assert made.returncode == 1
    assert "requirements" in made.stderr
    assert not (project / ".venv").exists()
    assert run_vem_process("create", "--no-pip", cwd=project).returncode == 0


def test_create_with_another_python_and_pip(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `-p 3.12` as typed on this machine, where the python3.12 shim on PATH fails
    monkeypatch.setenv("PYENV_ROOT", str(REAL_PYENV_ROOT))
    require(pyenv_python("3.12"), "pyenv's Python 3.12")
    made = run_vem_process("create", "-p", "3.12", "--json", cwd=project)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["python"].startswith("3.12.")
    version = env_pip(project / ".venv", "--version")
    assert "(python 3.12)" in version.stdout
