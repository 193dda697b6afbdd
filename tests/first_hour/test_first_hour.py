"""What a new user hit in the first hour, through the real CLI."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import VemRunner, run_vem_process
from tests.helpers import pyenv_python, require


def central(home: Path) -> Path:
    return home / ".virtualenvs"


def test_a_project_named_like_a_named_env_gets_its_own_env(
    vem: VemRunner, home: Path, isolated: Path
) -> None:
    assert vem("create", "tools", "--no-pip").exit_code == 0
    (central(home) / "tools" / "mine").write_text("the named env's file")
    proj = isolated / "tools"
    proj.mkdir()
    (proj / "setup.py").write_text("")
    os.chdir(proj)
    result = vem("create", "-l", "central", "--no-pip")
    assert result.exit_code == 0, result.stderr
    digest = hashlib.sha256(os.fsencode(proj)).hexdigest()[:8]
    own = central(home) / f"tools-{digest}"
    assert result.stdout.strip() == str(own)
    assert f"this project's env is tools-{digest}" in result.stderr
    assert (own / ".project").read_text().strip() == str(proj)
    assert vem("path", "-l", "central").stdout.strip() == str(own)
    # --clear of the project's env never touches the named env
    assert vem("create", "-l", "central", "--no-pip", "--clear").exit_code == 0
    assert (central(home) / "tools" / "mine").read_text() == "the named env's file"
    assert not (central(home) / "tools" / ".project").exists()


def test_another_projects_central_env_is_never_adopted(
    vem: VemRunner, home: Path, isolated: Path
) -> None:
    one, two = isolated / "one" / "app", isolated / "two" / "app"
    for proj in (one, two):
        proj.mkdir(parents=True)
        (proj / ".git").mkdir()
    os.chdir(one)
    assert vem("create", "-l", "central", "--no-pip").exit_code == 0
    os.chdir(two)
    result = vem("create", "-l", "central", "--no-pip", "--exist-ok")
    assert result.exit_code == 0
    assert result.stdout.strip() != str(central(home) / "app")
    assert (central(home) / "app" / ".project").read_text().strip() == str(one)
    assert vem("path", "-l", "central").stdout.strip() == result.stdout.strip()


def test_a_stray_home_venv_does_not_capture_folders_below_home(vem: VemRunner, home: Path) -> None:
    import venv

    venv.EnvBuilder(with_pip=False, symlinks=True).create(home / ".venv")
    loose = home / "code" / "scratch"
    loose.mkdir(parents=True)
    os.chdir(loose)
    result = vem("run", "--", "python", "-c", "pass")
    assert result.exit_code == 3
    assert f"no environment for the project at {loose}" in result.stderr
    made = vem("create", "--no-pip")
    assert made.exit_code == 0
    assert made.stdout.strip() == str(loose / ".venv")


@pytest.mark.parametrize("where", ["home", "root"])
def test_a_project_env_in_home_or_root_needs_explicit_project(
    vem: VemRunner, home: Path, where: str
) -> None:
    target = home if where == "home" else Path("/")
    before = os.path.lexists(target / ".venv")
    os.chdir(target)
    result = vem("create", "--no-pip")
    assert result.exit_code == 2
    assert "needs an explicit --project" in result.stderr
    assert os.path.lexists(target / ".venv") == before  # nothing made, nothing touched


def test_create_dot_venv_is_the_project_env_and_a_path_is_refused(
    vem: VemRunner, project: Path, home: Path
) -> None:
    result = vem("create", ".venv", "--no-pip")
    assert result.exit_code == 0
    assert result.stdout.strip() == str(project / ".venv")
    assert not (central(home) / ".venv").exists()
    assert "(myproj)" not in (project / ".venv" / "pyvenv.cfg").read_text()
    assert "prompt = 'myproj'" in (project / ".venv" / "pyvenv.cfg").read_text()
    refused = vem("create", "./env", "--no-pip")
    assert refused.exit_code == 2
    assert "takes a NAME, not a path" in refused.stderr
    assert not (project / "env").exists()


def test_project_envs_are_usable_by_the_name_list_shows(vem: VemRunner, isolated: Path) -> None:
    made = {}
    for parent in ("one", "two"):
        proj = isolated / parent / "app"
        proj.mkdir(parents=True)
        (proj / "pyproject.toml").write_text("")
        made[parent] = proj / ".venv"
        assert vem("create", "--no-pip", "--project", str(proj)).exit_code == 0
    solo = isolated / "solo"
    solo.mkdir()
    (solo / "setup.py").write_text("")
    assert vem("create", "--no-pip", "--project", str(solo)).exit_code == 0
    os.chdir(isolated)
    assert vem("path", "solo").stdout.strip() == str(solo / ".venv")
    for cmd in (("path", "app"), ("path", "-l", "project", "app"), ("info", "app")):
        ambiguous = vem(*cmd)
        assert ambiguous.exit_code == 2, cmd
        assert str(made["one"]) in ambiguous.stderr and str(made["two"]) in ambiguous.stderr
    ran = run_vem_process("run", "-e", "solo", "--", "python", "-c", "pass", cwd=isolated)
    assert ran.returncode == 0, ran.stderr


def test_clear_keeps_the_envs_own_python(vem: VemRunner, project: Path, home: Path) -> None:
    py312 = require(pyenv_python("3.12"), "pyenv's Python 3.12")
    assert vem("create", "tools", "--no-pip", "-p", str(py312)).exit_code == 0
    result = vem("create", "tools", "--no-pip", "--clear", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["python"].startswith("3.12.")


def test_config_set_python_is_validated_when_set(vem: VemRunner, isolated: Path) -> None:
    bad = vem("config", "set", "python", "nonsense")
    assert bad.exit_code == 2
    assert "invalid Python spec 'nonsense'" in bad.stderr
    assert vem("config", "get", "python").stdout == "\n"
    listed = vem("config", "list").stdout
    assert "python = (not set)  # default" in listed.splitlines()
    maybe = vem("config", "set", "pip", "maybe")
    assert maybe.exit_code == 2
    assert "invalid value 'maybe' for pip in vem config set: expected true or false" in (
        maybe.stderr
    )


def test_verbose_says_where_the_location_came_from(vem: VemRunner, project: Path) -> None:
    result = vem("create", "tools", "--no-pip", "-v")
    assert "location=central (from NAME given)" in result.stderr


def test_usage_errors_are_one_line_with_a_hint(project: Path) -> None:
    result = run_vem_process("crate", cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "vem: error: no such command 'crate'; did you mean 'create'? (vem --help lists them)",
        "hint: vem --help",
    ]
    workon = run_vem_process("workon", "x", cwd=project)
    assert workon.returncode == 2
    assert "vem shell-init" in workon.stderr


def test_no_pip_env_running_pip_warns(vem: VemRunner, project: Path) -> None:
    assert vem("create", "--no-pip").exit_code == 0
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = run_vem_process("run", "--", "pip", "--version", cwd=project, env=env)
    assert result.returncode == 0
    assert "has no pip of its own" in result.stderr


def test_no_color_before_the_subcommand_is_honoured_on_errors(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "vem", "--no-color", "path", "nosuchenv"],
        cwd=str(project),
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    assert "vem: error:" in (child.before or "")
    assert "\x1b[" not in (child.before or "")
