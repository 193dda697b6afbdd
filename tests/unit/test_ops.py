"""The operations layer: each verb returns a typed result (no printing), and the
deletion gate is the same for every caller."""

from __future__ import annotations

import os
import venv
from pathlib import Path

import pytest

from vem.env.health import STATUS_BROKEN, STATUS_INCOMPLETE
from vem.errors import EnvExists, EnvNotFound, InvalidInput, Unsafe
from vem.ops.activate import activate_target
from vem.ops.config import config_get, config_set
from vem.ops.create import CreateOptions, create, plan_create
from vem.ops.info import info, path
from vem.ops.list import list_envs
from vem.ops.remove import RemoveOptions, remove
from vem.ops.run import run_environment
from vem.places.settings import Flags
from vem.places.workspace import AppDirs, Workspace
from vem.result import Step


def workspace(flags: Flags | None = None, project: Path | None = None) -> Workspace:
    return Workspace(
        cwd=Path.cwd(),
        dirs=AppDirs.from_platform(),
        environ=dict(os.environ),
        flags=flags,
        project_dir=project,
    )


NO_PIP = Flags(pip=False)


def test_create_returns_the_env_and_what_was_done(project: Path) -> None:
    steps: list[Step] = []
    result = create(workspace(NO_PIP), CreateOptions(), steps.append)
    assert result.built is True
    assert result.env.path == project / ".venv"
    assert result.env.location == "project"
    assert result.env.status == "ok"
    assert result.env.prompt == "myproj"
    assert result.location.value == "project"
    assert result.warnings == []
    assert steps[0].text.startswith(f"creating {project / '.venv'} with Python ")
    again = create(workspace(NO_PIP), CreateOptions(exist_ok=True))
    assert again.built is False
    with pytest.raises(EnvExists):
        create(workspace(NO_PIP), CreateOptions())


def test_create_records_the_env_and_remove_forgets_it(project: Path) -> None:
    create(workspace(NO_PIP), CreateOptions())
    ws = workspace()
    assert [e.path for e in ws.known.entries()] == [project / ".venv"]
    result = remove(ws, RemoveOptions(yes=True))
    assert result.removed and result.env.path == project / ".venv"
    assert not (project / ".venv").exists()
    assert workspace().known.entries() == []


def test_remove_without_yes_and_without_a_terminal_refuses(project: Path) -> None:
    create(workspace(NO_PIP), CreateOptions())
    with pytest.raises(Unsafe, match="without --yes"):
        remove(workspace(), RemoveOptions())
    asked: list[str] = []

    def decline(question: str) -> bool:
        asked.append(question)
        return False

    with pytest.raises(Unsafe, match="you declined"):
        remove(workspace(), RemoveOptions(confirm=decline))
    assert asked == [f"Remove myproj at {project / '.venv'}?"]
    assert (project / ".venv" / "pyvenv.cfg").is_file()


def test_info_path_and_list_results(project: Path) -> None:
    create(workspace(NO_PIP), CreateOptions())
    assert info(workspace(), None).env.path == project / ".venv"
    assert path(workspace(), "myproj").env.path == project / ".venv"
    listed = list_envs(workspace())
    assert [e.path for e in listed.envs] == [project / ".venv"]
    assert listed.active is None


def test_an_unfinished_env_is_described_but_not_used(project: Path) -> None:
    create(workspace(NO_PIP), CreateOptions())
    (project / ".venv" / ".vem-incomplete").write_text("")
    assert info(workspace(), None).env.status == STATUS_INCOMPLETE
    for use in (
        lambda: path(workspace(), None),
        lambda: activate_target(workspace(), None),
        lambda: run_environment(workspace(), None, ["python"]),
    ):
        with pytest.raises(EnvNotFound, match="is incomplete"):
            use()


def test_a_missing_interpreter_is_broken_and_refused(project: Path) -> None:
    create(workspace(NO_PIP), CreateOptions())
    (project / ".venv" / "bin" / "python").unlink()
    env = info(workspace(), None).env
    assert env.status == STATUS_BROKEN
    assert env.health.first is not None
    assert env.health.first.fix == f"vem recreate {project / '.venv'}"
    with pytest.raises(EnvNotFound) as caught:
        run_environment(workspace(), None, ["python"])
    assert caught.value.hint == f"vem recreate {project / '.venv'} fixes it"


def test_config_set_validates_as_its_user_would(isolated: Path) -> None:
    with pytest.raises(InvalidInput, match="invalid Python spec 'nonsense'"):
        config_set(workspace(), "python", "nonsense")
    with pytest.raises(InvalidInput, match="unknown location 'moon'"):
        config_set(workspace(), "location", "moon")
    result = config_set(workspace(), "python", "3.11")
    assert result.changed and result.values["python"].value == "3.11"
    got = config_get(workspace(), "python").values["python"]
    assert got.value == "3.11"
    assert got.source.startswith("config file ")


def test_the_active_env_is_the_fallback_and_is_marked(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loose = isolated / "loose env"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(loose)
    monkeypatch.setenv("VIRTUAL_ENV", str(loose))
    nowhere = isolated / "nowhere"
    nowhere.mkdir()
    os.chdir(nowhere)
    assert path(workspace(), None).env.path == loose
    listed = list_envs(workspace())
    assert listed.active == str(loose)
    assert [e.path for e in listed.envs] == [loose]


def test_plan_create_names_a_project_after_itself_not_a_bare_venv(project: Path) -> None:
    plan = plan_create(workspace(NO_PIP), CreateOptions(name=".venv"))
    assert plan.request.path == project / ".venv"
    assert plan.request.prompt == "myproj"
    assert plan.location.name == "project"


@pytest.mark.parametrize("verb", ["remove", "create --clear"])
def test_the_gate_refuses_the_current_directory_for_every_verb(
    cwd_inside_env: Path, verb: str
) -> None:
    """create --clear refuses the current directory exactly as remove does."""
    env = cwd_inside_env
    ws = workspace(NO_PIP)
    with pytest.raises(Unsafe, match="it is or holds"):
        if verb == "remove":
            remove(ws, RemoveOptions(name="tools", yes=True))
        else:
            create(ws, CreateOptions(name="tools", clear=True))
    assert (env / "pyvenv.cfg").is_file()
    assert (env / "bin" / "python").exists()


@pytest.fixture
def cwd_inside_env(isolated: Path, home: Path) -> Path:
    """A central env `tools`, with the current directory inside it."""
    create(workspace(NO_PIP), CreateOptions(name="tools"))
    env = home / ".virtualenvs" / "tools"
    os.chdir(env / "bin")
    return env
