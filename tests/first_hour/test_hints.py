"""Every hint vem prints, followed literally, does what it says."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from tests.conftest import VemRunner


def hint_of(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("hint: ")]
    assert len(lines) == 1, stderr
    return lines[0].removeprefix("hint: ")


def follow(vem: VemRunner, command: str) -> str:
    """Run a hinted `vem ...` command line exactly as a user would type it."""
    words = shlex.split(command)
    assert words[0] == "vem", command
    result = vem(*words[1:])
    assert result.exit_code == 0, (command, result.stderr)
    return result.stdout


def test_nothing_found_hint_creates_the_env(vem: VemRunner, project: Path) -> None:
    hint = hint_of(vem("path").stderr)
    assert hint == "vem create"
    follow(vem, hint + " --no-pip")
    assert vem("path").stdout.strip() == str(project / ".venv")


def test_unknown_name_hint_creates_that_env(vem: VemRunner, project: Path, home: Path) -> None:
    hint = hint_of(vem("path", "tools").stderr)
    assert hint == "vem create tools"
    follow(vem, hint + " --no-pip")
    assert vem("path", "tools").stdout.strip() == str(home / ".virtualenvs" / "tools")


def test_remove_without_yes_hint_removes_it(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    hint = hint_of(vem("remove").stderr)
    assert hint == "vem remove --yes"
    follow(vem, hint)
    assert not (project / ".venv").exists()


def test_incomplete_env_hint_rebuilds_it_even_under_a_central_default(
    vem: VemRunner, project: Path
) -> None:
    vem("create", "--no-pip")
    (project / ".venv" / ".vem-incomplete").write_text("")
    assert vem("config", "set", "location", "central").exit_code == 0
    os.chdir(project.parent)
    result = vem("path", str(project / ".venv"))
    assert result.exit_code == 3
    hint = hint_of(result.stderr).removesuffix(" fixes it")
    follow(vem, hint + " --no-pip")
    assert vem("path", str(project / ".venv")).exit_code == 0


def test_ambiguous_name_hint_names_one_env(vem: VemRunner, isolated: Path) -> None:
    for parent in ("one", "two"):
        proj = isolated / parent / "app"
        proj.mkdir(parents=True)
        (proj / ".git").mkdir()
        vem("create", "--no-pip", "--project", str(proj))
    result = vem("path", "app")
    assert result.exit_code == 2
    hint = hint_of(result.stderr).removeprefix("name one by its path, e.g. ")
    assert follow(vem, hint).strip() == str(isolated / "one" / "app" / ".venv")


def test_home_project_hint_creates_there(vem: VemRunner, home: Path) -> None:
    os.chdir(home)
    hint = hint_of(vem("create", "--no-pip").stderr)
    command = hint.split(", or ")[0]
    assert command == f"vem create --project {shlex.quote(str(home))}"
    follow(vem, command + " --no-pip")
    assert (home / ".venv" / "pyvenv.cfg").is_file()


def test_workon_into_a_deleted_project_hint_activates_without_cd(
    vem: VemRunner, isolated: Path
) -> None:
    proj = isolated / "gone"
    proj.mkdir()
    (proj / ".git").mkdir()
    vem("create", "-l", "central", "--no-pip", "--project", str(proj))
    for child in proj.iterdir():
        child.rmdir()
    proj.rmdir()
    result = vem("activate", "--shell", "bash", "--cd", "gone")
    assert result.exit_code == 1
    assert "no longer exists" in result.stderr
    hint = hint_of(result.stderr).removesuffix(" activates the env without changing directory")
    code = follow(vem, hint.replace("vem activate", "vem activate --shell bash", 1))
    assert "VIRTUAL_ENV=" in code and "cd " not in code
