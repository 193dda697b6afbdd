"""list, info, path: finding envs and telling the truth about them."""

from __future__ import annotations

import json
import os
import shutil
import venv
from pathlib import Path

import pytest

from tests.conftest import VemRunner


def test_nothing_found_is_exit_3_with_hint(vem: VemRunner, project: Path) -> None:
    for cmd in ("path", "info"):
        result = vem(cmd)
        assert result.exit_code == 3
        assert result.stdout == ""
        assert "vem create" in result.stderr
    assert vem("path", "ghost").exit_code == 3


def test_list_shows_central_project_and_foreign_envs(
    vem: VemRunner, project: Path, home: Path, isolated: Path
) -> None:
    vem("create", "--no-pip")
    vem("create", "tools", "--no-pip")
    # made by virtualenvwrapper (mkvirtualenv) with a .project file, not by vem
    wrapper = home / ".virtualenvs" / "legacy"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(wrapper)
    (wrapper / ".project").write_text(str(isolated / "legacy-proj"))
    (home / ".virtualenvs" / "not-an-env").mkdir()
    # a project env vem made elsewhere is remembered
    other = isolated / "other"
    other.mkdir()
    (other / ".git").mkdir()
    assert vem("create", "--no-pip", "--project", str(other)).exit_code == 0
    os.chdir(isolated)
    data = json.loads(vem("list", "--json").stdout)
    by_path = {d["path"]: d for d in data}
    assert set(by_path) == {
        str(project / ".venv"),
        str(home / ".virtualenvs" / "tools"),
        str(wrapper),
        str(other / ".venv"),
    }
    assert by_path[str(wrapper)]["project"] == str(isolated / "legacy-proj")
    assert by_path[str(wrapper)]["location"] == "central"
    assert by_path[str(other / ".venv")]["name"] == "other"
    table = vem("list")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["NAME", "LOCATION", "PYTHON", "STATUS", "PROJECT", "PATH"]
    assert len(lines) == 5
    assert any(line.split()[0] == "legacy" for line in lines)
    only_central = json.loads(vem("list", "-l", "central", "--json").stdout)
    assert {d["name"] for d in only_central} == {"tools", "legacy"}


def test_current_project_env_made_by_hand_is_listed(vem: VemRunner, project: Path) -> None:
    venv.EnvBuilder(with_pip=False, symlinks=True).create(project / ".venv")
    data = json.loads(vem("list", "--json").stdout)
    assert [d["path"] for d in data] == [str(project / ".venv")]
    assert data[0]["prompt"] == "myproj"  # never a bare ".venv"


def test_broken_env_is_reported_broken(vem: VemRunner, isolated: Path, home: Path) -> None:
    # an env whose base interpreter is gone (a removed pyenv version, say)
    fake_base = isolated / "fakepython" / "bin"
    fake_base.mkdir(parents=True)
    real_python = Path(os.path.realpath(shutil.which("python3") or "/usr/bin/python3"))
    shutil.copy2(real_python, fake_base / "python3")
    env = home / ".virtualenvs" / "orphan"
    env.mkdir(parents=True)
    (env / "bin").mkdir()
    (env / "bin" / "python").symlink_to(fake_base / "python3")
    (env / "pyvenv.cfg").write_text(f"home = {fake_base}\nversion = 3.11.7\n")
    assert json.loads(vem("info", "orphan", "--json").stdout)["status"] == "ok"
    shutil.rmtree(isolated / "fakepython")
    info = json.loads(vem("info", "orphan", "--json").stdout)
    assert info["status"] == "broken"
    assert info["python"] == "3.11.7"
    assert "broken" in vem("list").stdout


def test_env_object_reads_virtualenv_and_uv_cfg(vem: VemRunner, home: Path) -> None:
    env = home / ".virtualenvs" / "fromuv"
    (env / "bin").mkdir(parents=True)
    (env / "pyvenv.cfg").write_text(
        "home = /nonexistent/bin\nimplementation = CPython\nuv = 0.4\n"
        "version_info = 3.12.1.final.0\nprompt = uvprompt\n"
    )
    info = json.loads(vem("info", "fromuv", "--json").stdout)
    assert info["python"] == "3.12.1"
    assert info["prompt"] == "uvprompt"
    assert info["status"] == "broken"  # no bin/python: files missing, not an unfinished create


def test_info_and_path_by_name_and_by_path(vem: VemRunner, home: Path, isolated: Path) -> None:
    vem("create", "tools", "--no-pip")
    env = home / ".virtualenvs" / "tools"
    assert vem("path", "tools").stdout.strip() == str(env)
    assert vem("path", str(env)).stdout.strip() == str(env)
    assert vem("path", "~/.virtualenvs/tools").stdout.strip() == str(env)
    info = json.loads(vem("info", "~/.virtualenvs/tools", "--json").stdout)
    assert info["location"] == "central"
    assert info["name"] == "tools"
    text = vem("info", "tools").stdout
    assert "tools" in text and str(env) in text
    assert vem("path", str(isolated)).exit_code == 3  # a directory, but not an env


def test_incomplete_env_is_not_usable(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    (project / ".venv" / ".vem-incomplete").write_text("")
    assert json.loads(vem("info", "--json").stdout)["status"] == "incomplete"
    result = vem("path")
    assert result.exit_code == 3
    assert "vem create" in result.stderr
    # and the same create finishes the job without manual cleanup
    assert vem("create", "--no-pip").exit_code == 0
    assert json.loads(vem("info", "--json").stdout)["status"] == "ok"


@pytest.mark.parametrize("content", ["location = ", "[[[", "location = 'central'\nlocation = 'x'"])
def test_corrupt_config_is_exit_1_naming_the_file(vem: VemRunner, home: Path, content: str) -> None:
    cfg = home / ".config" / "vem" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(content)
    for args in (("list",), ("config", "list"), ("create", "x", "--no-pip")):
        result = vem(*args)
        assert result.exit_code == 1, args
        assert str(cfg) in result.stderr
        assert "Traceback" not in result.stderr
    assert cfg.read_text() == content


def test_corrupt_pyproject_is_exit_1_naming_it(vem: VemRunner, project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.vem\n")
    result = vem("create", "--no-pip")
    assert result.exit_code == 1
    assert "pyproject.toml" in result.stderr


def test_incomplete_env_is_not_activated(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    (project / ".venv" / ".vem-incomplete").write_text("")
    result = vem("activate", "--shell", "bash")
    assert result.exit_code == 3
    assert result.stdout == ""


@pytest.mark.parametrize(
    "prompt", ["plain", "it's", 'say "hi"', "back\\slash", "é 🚒 $(x) `y`", "'"]
)
def test_prompt_round_trips_through_pyvenv_cfg(vem: VemRunner, home: Path, prompt: str) -> None:
    # stdlib venv writes the prompt as a Python repr; vem reads it back exactly (a tab
    # or any control character is refused: tests/test_shell_cli.py)
    assert vem("create", "p", "--no-pip", "--prompt", prompt).exit_code == 0
    assert json.loads(vem("info", "p", "--json").stdout)["prompt"] == prompt
