"""`.venv` pointer files: read (a path or a bare name), refused when hostile, never
trusted for --auto, followed by `remove` only to an env that claims the project; and
written/removed with central project envs when `venv_file` is on."""

from __future__ import annotations

import json
import os
import venv
from pathlib import Path

import pytest

from tests.conftest import VemRunner


def make_env(path: Path) -> Path:
    venv.EnvBuilder(symlinks=True).create(path)
    return path


@pytest.mark.parametrize("form", ["absolute", "relative", "name"])
def test_pointer_leads_to_the_env(vem: VemRunner, project: Path, home: Path, form: str) -> None:
    env = make_env(home / ".virtualenvs" / "elsewhere")
    text = {
        "absolute": f"\n  {env}  \nignored\n",
        "relative": os.path.relpath(env, project) + "\n",
        "name": "elsewhere\n",
    }[form]
    (project / ".venv").write_text(text)
    result = vem("path")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(env)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\xff\xfe junk \x89PNG", "binary data"),
        (b"/\n", "never an environment"),
        (b"HOME\n", "never an environment"),
        (b"./not-an-env\n", "not an environment"),
        (b"./loop\n", "not an environment"),
        (b"../myproj\n", "the project itself"),
        (b"../x;rm -rf ~\n", "not an environment"),
        (b"-rf\n", "not a valid env name"),
        (b"\n\n", "is empty"),
    ],
)
def test_hostile_pointer_leads_to_no_env(
    vem: VemRunner, project: Path, home: Path, content: bytes, message: str
) -> None:
    (project / "not-an-env").mkdir()
    (project / "loop").symlink_to(project / "loop")
    (project / ".venv").write_bytes(content.replace(b"HOME", str(home).encode()))
    for command in (["path"], ["info"], ["activate", "--shell", "bash"]):
        result = vem(*command)
        assert result.exit_code == 3, (command, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    assert vem("list").exit_code == 0
    assert (project / ".venv").read_bytes() == content.replace(b"HOME", str(home).encode())


def test_pointer_never_makes_an_env_trusted_for_auto(
    vem: VemRunner, project: Path, tmp_path: Path, home: Path
) -> None:
    elsewhere = tmp_path / "other" / ".venv"
    make_env(elsewhere)
    (project / ".venv").write_text(f"{elsewhere}\n")
    assert vem("activate", "--shell", "bash").exit_code == 0
    record = home / ".local" / "share" / "vem" / "envs.json"
    assert not record.exists() or str(elsewhere) not in record.read_text()
    assert not (elsewhere / ".vem-used").exists()  # nor written into: it is not vem's


def test_remove_through_pointer_to_a_foreign_env_is_refused(
    vem: VemRunner, project: Path, tmp_path: Path
) -> None:
    env = make_env(tmp_path / "someone-elses-env")
    (project / ".venv").write_text(f"{env}\n")
    result = vem("remove", "--yes")
    assert result.exit_code == 5
    assert "outside the project" in result.stderr
    assert (env / "pyvenv.cfg").is_file() and (project / ".venv").is_file()


def test_remove_through_pointer_to_an_env_that_names_the_project(
    vem: VemRunner, project: Path, home: Path
) -> None:
    env = make_env(home / ".virtualenvs" / "mine")
    (env / ".project").write_text(f"{project}\n")
    (project / ".venv").write_text("mine\n")
    result = vem("remove", "--yes")
    assert result.exit_code == 0, result.stderr
    assert not env.exists()
    assert (project / ".venv").read_text() == "mine\n"  # not the path vem would write


def test_venv_file_written_and_removed_with_the_env(
    vem: VemRunner, project: Path, home: Path
) -> None:
    assert vem("config", "set", "venv_file", "true").exit_code == 0
    made = vem("create", "-l", "central", "--no-pip", "--json")
    assert made.exit_code == 0, made.stderr
    env = Path(json.loads(made.stdout)["path"])
    assert (project / ".venv").read_text() == f"{env}\n"
    assert (env / ".project").read_text().strip() == str(project)
    assert vem("path").stdout.strip() == str(env)
    assert vem("remove", "--yes").exit_code == 0
    assert not env.exists() and not (project / ".venv").exists()


def test_venv_file_never_replaces_or_removes_a_users_file(
    vem: VemRunner, project: Path, home: Path
) -> None:
    assert vem("config", "set", "venv_file", "true").exit_code == 0
    (project / ".venv").write_text("mine-by-hand\n")
    made = vem("create", "-l", "central", "--no-pip")
    assert made.exit_code == 0, made.stderr
    assert (project / ".venv").read_text() == "mine-by-hand\n"
    env = Path(made.stdout.strip())
    assert vem("remove", "--yes", str(env)).exit_code == 0
    assert (project / ".venv").read_text() == "mine-by-hand\n"


def test_venv_file_off_by_default_and_named_envs_never_get_one(
    vem: VemRunner, project: Path
) -> None:
    assert vem("create", "-l", "central", "--no-pip").exit_code == 0
    assert not (project / ".venv").exists()
    assert vem("config", "set", "venv_file", "true").exit_code == 0
    assert vem("create", "tools", "--no-pip").exit_code == 0
    assert not (project / ".venv").exists()


def test_pruned_env_takes_its_venv_file_along(vem: VemRunner, project: Path) -> None:
    assert vem("config", "set", "venv_file", "true").exit_code == 0
    env = Path(vem("create", "-l", "central", "--no-pip").stdout.strip())
    (env / "bin" / "python").unlink()
    assert vem("prune", "--yes").stdout.split() == [str(env)]
    assert not (project / ".venv").exists()
