"""vem create, as a user types it: where envs go, what they hold, and what is refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import VemRunner


def test_create_in_project_makes_dot_venv_named_after_project(
    vem: VemRunner, project: Path
) -> None:
    sub = project / "src" / "pkg"
    sub.mkdir(parents=True)
    os.chdir(sub)
    result = vem("create", "--no-pip")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(project / ".venv")
    cfg = (project / ".venv" / "pyvenv.cfg").read_text()
    assert "prompt = 'myproj'" in cfg
    assert (project / ".venv" / "bin" / "python").exists()
    assert not (project / ".venv" / ".vem-incomplete").exists()
    info = json.loads(vem("info", "--json").stdout)
    assert info["name"] == "myproj"
    assert info["location"] == "project"
    assert info["status"] == "ok"
    assert info["prompt"] == "myproj"
    assert info["project"] == str(project)


def test_create_json_is_the_env_object(vem: VemRunner, project: Path) -> None:
    result = vem("create", "--no-pip", "--json")
    data = json.loads(result.stdout)
    assert set(data) >= {"name", "path", "location", "python", "project", "status", "prompt"}
    assert data["path"] == str(project / ".venv")
    assert data["python"].count(".") == 2


def test_named_env_is_central(vem: VemRunner, home: Path, project: Path) -> None:
    result = vem("create", "tools", "--no-pip")
    assert result.exit_code == 0, result.stderr
    env = home / ".virtualenvs" / "tools"
    assert result.stdout.strip() == str(env)
    assert "prompt = 'tools'" in (env / "pyvenv.cfg").read_text()
    assert not (env / ".project").exists()  # a named env is not tied to the project
    assert not (project / ".venv").exists()


def test_workon_home_moves_central_home(
    vem: VemRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workon = tmp_path / "workon home"
    monkeypatch.setenv("WORKON_HOME", str(workon))
    assert vem("create", "tools", "--no-pip").stdout.strip() == str(workon / "tools")
    assert vem("path", "tools").stdout.strip() == str(workon / "tools")


@pytest.mark.parametrize("how", ["flag", "envvar", "pyproject", "config"])
def test_central_for_project_records_dot_project(
    vem: VemRunner, project: Path, home: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    args = ["create", "--no-pip"]
    if how == "flag":
        args += ["-l", "central"]
    elif how == "envvar":
        monkeypatch.setenv("VEM_LOCATION", "central")
    elif how == "pyproject":
        (project / "pyproject.toml").write_text('[tool.vem]\nlocation = "central"\n')
    else:
        assert vem("config", "set", "location", "central").exit_code == 0
    result = vem(*args)
    assert result.exit_code == 0, result.stderr
    env = home / ".virtualenvs" / "myproj"
    assert result.stdout.strip() == str(env)
    assert (env / ".project").read_text().strip() == str(project)
    # found again from the project, whatever location is chosen now
    monkeypatch.delenv("VEM_LOCATION", raising=False)
    assert vem("path", "-l", "project").stdout.strip() == str(env)
    assert json.loads(vem("info", "--json").stdout)["project"] == str(project)


def test_flag_beats_envvar_beats_pyproject_beats_config(
    vem: VemRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vem("config", "set", "location", "central")
    (project / "pyproject.toml").write_text('[tool.vem]\nlocation = "project"\n')
    assert vem("-v", "create", "--no-pip").stdout.strip() == str(project / ".venv")
    monkeypatch.setenv("VEM_LOCATION", "central")
    out = vem("-v", "create", "--no-pip", "--json")
    assert json.loads(out.stdout)["location"] == "central"
    assert "VEM_LOCATION" in out.stderr  # -v says where the choice came from
    out = vem("create", "--no-pip", "-l", "project", "--exist-ok")
    assert out.exit_code == 0
    assert out.stdout.strip() == str(project / ".venv")


def test_existing_env_is_exit_4_and_exist_ok_is_0(vem: VemRunner, project: Path) -> None:
    assert vem("create", "--no-pip").exit_code == 0
    marker = project / ".venv" / "keep-me"
    marker.write_text("x")
    again = vem("create", "--no-pip")
    assert again.exit_code == 4
    assert "already exists" in again.stderr
    ok = vem("create", "--no-pip", "--exist-ok")
    assert ok.exit_code == 0
    assert ok.stdout.strip() == str(project / ".venv")
    assert marker.exists()  # --exist-ok kept the env as it was


def test_clear_rebuilds_an_env(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    (project / ".venv" / "lib" / "junk").write_text("x")
    result = vem("create", "--no-pip", "--clear")
    assert result.exit_code == 0, result.stderr
    assert not (project / ".venv" / "lib" / "junk").exists()
    assert (project / ".venv" / "pyvenv.cfg").exists()


def test_clear_never_deletes_a_directory_that_is_not_an_env(vem: VemRunner, project: Path) -> None:
    precious = project / ".venv"
    precious.mkdir()
    (precious / "notes.txt").write_text("my work")
    for extra in ([], ["--clear"], ["--exist-ok"]):
        result = vem("create", "--no-pip", *extra)
        assert result.exit_code == 5, (extra, result.stderr)
        assert "not an environment" in result.stderr
        assert (precious / "notes.txt").read_text() == "my work"


def test_target_that_is_a_file_is_refused(vem: VemRunner, project: Path) -> None:
    (project / ".venv").write_text("a file")
    result = vem("create", "--no-pip", "--clear")
    assert result.exit_code == 5
    assert (project / ".venv").read_text() == "a file"


def test_symlinked_target_is_not_built_through(
    vem: VemRunner, project: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".venv").symlink_to(elsewhere)
    result = vem("create", "--no-pip", "--clear")
    assert result.exit_code == 5
    assert list(elsewhere.iterdir()) == []
    assert (project / ".venv").is_symlink()


def test_empty_existing_directory_is_used(vem: VemRunner, project: Path) -> None:
    (project / ".venv").mkdir()
    assert vem("create", "--no-pip").exit_code == 0
    assert (project / ".venv" / "pyvenv.cfg").exists()


@pytest.mark.parametrize("name", ["../x", "a/b", "''", "x$(touch PWNED)", "a;b", "é", ".", ".."])
def test_hostile_names_are_exit_2_and_create_nothing(
    vem: VemRunner, home: Path, project: Path, name: str
) -> None:
    before = sorted(p.name for p in project.parent.iterdir())
    result = vem("create", "--no-pip", "--", name)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") <= 2
    assert not (home / ".virtualenvs").exists()
    assert sorted(p.name for p in project.parent.iterdir()) == before
    assert not (project / "PWNED").exists()


def test_empty_and_dash_names(vem: VemRunner) -> None:
    assert vem("create", "--no-pip", "--", "").exit_code == 2
    assert vem("create", "--no-pip", "--", "-x").exit_code == 2
    assert vem("create", "--no-pip", "-x").exit_code == 2  # an unknown option, for Click


def test_project_location_with_a_name_is_a_usage_error(vem: VemRunner, project: Path) -> None:
    result = vem("create", "-l", "project", "foo", "--no-pip")
    assert result.exit_code == 2
    assert not (project / ".venv").exists()


def test_unknown_location_names_the_valid_ones(vem: VemRunner, project: Path) -> None:
    result = vem("create", "-l", "nowhere", "--no-pip")
    assert result.exit_code == 2
    assert "project" in result.stderr and "central" in result.stderr


def test_project_option(vem: VemRunner, isolated: Path, home: Path) -> None:
    other = isolated / "other proj"
    other.mkdir()
    (other / "setup.py").write_text("")
    result = vem("create", "--no-pip", "--project", str(other))
    assert result.stdout.strip() == str(other / ".venv")
    central = vem("create", "envname", "--no-pip", "--project", str(other))
    env = home / ".virtualenvs" / "envname"
    assert central.stdout.strip() == str(env)
    assert (env / ".project").read_text().strip() == str(other)


def test_custom_prompt_and_system_site_packages(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip", "--prompt", "my prompt $(x)", "--system-site-packages")
    cfg = (project / ".venv" / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = true" in cfg
    assert json.loads(vem("info", "--json").stdout)["prompt"] == "my prompt $(x)"


def test_paths_with_hostile_characters(vem: VemRunner, isolated: Path) -> None:
    weird = isolated / "sp ace 'q' \"d\" $(touch PWNED) `bt` ; ! é 🚒"
    weird.mkdir()
    (weird / "pyproject.toml").write_text("")
    os.chdir(weird)
    result = vem("create", "--no-pip")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(weird / ".venv")
    assert json.loads(vem("info", "--json").stdout)["status"] == "ok"
    assert not list(isolated.rglob("PWNED"))


def test_interpreter_spec_that_does_not_exist_is_exit_1(vem: VemRunner, project: Path) -> None:
    result = vem("create", "--no-pip", "-p", str(project / "no-such-python"))
    assert result.exit_code == 1
    assert not (project / ".venv").exists()


def test_bad_interpreter_spec_is_exit_2(vem: VemRunner, project: Path) -> None:
    result = vem("create", "--no-pip", "-p", "three.twelve")
    assert result.exit_code == 2


@pytest.mark.parametrize("flag", [("-p", ""), ("-l", ""), ("-l", "  ")])
def test_empty_option_values_are_exit_2(
    vem: VemRunner, project: Path, flag: tuple[str, str]
) -> None:
    result = vem("create", "--no-pip", *flag)
    assert result.exit_code == 2
    assert "non-empty" in result.stderr
    assert not (project / ".venv").exists()


@pytest.mark.parametrize("extra", [["-r", "requirements.txt"], ["--upgrade-pip"]])
def test_pip_steps_without_pip_are_exit_2(vem: VemRunner, project: Path, extra: list[str]) -> None:
    (project / "requirements.txt").write_text("")
    result = vem("create", "--no-pip", *extra)
    assert result.exit_code == 2
    assert "--no-pip" in result.stderr
    assert not (project / ".venv").exists()
