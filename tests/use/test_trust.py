"""What the --auto hook trusts (issue 13: 6, 7, 9): an env vem built or that the user
activated, identified by the id in its .vem-id, never a path; and the roots file the
shells read, which only ever lists such envs' projects."""

from __future__ import annotations

import json
import os
import shutil
import venv
from pathlib import Path

import pytest

from tests.conftest import VemRunner
from vem.env.identity import ID_FILE, read_id
from vem.places.record import KnownEnv, is_trusted, trusted_roots


def data_dir() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "vem"


def records() -> list[dict[str, str]]:
    path = data_dir() / "envs.json"
    return json.loads(path.read_text())["envs"] if path.exists() else []


def roots() -> list[str]:
    return (data_dir() / "auto-roots").read_text().splitlines()[1:]


def hook(vem: VemRunner, monkeypatch: pytest.MonkeyPatch, where: Path) -> str:
    """What the hook's vem run prints in ``where`` (bash code)."""
    monkeypatch.chdir(where)
    monkeypatch.setenv("PWD", str(where))
    result = vem("activate", "--shell", "bash", "--auto-hook")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_create_gives_the_env_an_id_and_records_it(project: Path, vem: VemRunner) -> None:
    assert vem("create", "--no-pip").exit_code == 0
    env_id = read_id(project / ".venv")
    assert env_id is not None and len(env_id) == 32
    assert records() == [
        {
            "path": str(project / ".venv"),
            "project": str(project),
            "location": "project",
            "id": env_id,
        }
    ]
    assert roots() == [str(project)]


def test_a_replaced_env_is_not_trusted_and_its_record_is_pruned(
    project: Path, vem: VemRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert vem("create", "--no-pip").exit_code == 0
    assert "VIRTUAL_ENV=" in hook(vem, monkeypatch, project)
    shutil.rmtree(project)  # deleted by hand; a cloned repo lands at the same path
    project.mkdir()
    (project / ".git").mkdir()
    venv.create(project / ".venv", with_pip=False)
    (project / ".venv" / ID_FILE).write_text("0" * 32 + "\n")  # a guess: no match
    assert "VIRTUAL_ENV=" not in hook(vem, monkeypatch, project)
    assert records() == []
    assert roots() == []


def test_a_planted_project_file_does_not_widen_trust(
    project: Path, vem: VemRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A repo ships .venv/.project = "/": after one explicit activation there, the
    hook activates the env in the project only, never everywhere."""
    venv.create(project / ".venv", with_pip=False)
    (project / ".venv" / ".project").write_text("/\n")
    assert vem("activate", "--shell", "bash").exit_code == 0
    assert records()[0]["project"] == str(project)
    assert roots() == [str(project)]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert "VIRTUAL_ENV=" not in hook(vem, monkeypatch, elsewhere)
    assert "VIRTUAL_ENV=" in hook(vem, monkeypatch, project)


def test_exist_ok_on_an_env_vem_did_not_make_does_not_trust_it(
    project: Path, vem: VemRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv.create(project / ".venv", with_pip=False)
    assert vem("create", "--no-pip", "--exist-ok").exit_code == 0
    assert records() == []
    assert not (project / ".venv" / ID_FILE).exists()
    assert "VIRTUAL_ENV=" not in hook(vem, monkeypatch, project)


def test_one_record_per_env_reached_through_a_symlink(
    vem: VemRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = tmp_path / "real"
    (real / "proj").mkdir(parents=True)
    (real / "proj" / "setup.py").write_text("")
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.chdir(real / "proj")
    assert vem("create", "--no-pip").exit_code == 0
    assert vem("activate", "--shell", "bash", str(link / "proj" / ".venv")).exit_code == 0
    assert [r["path"] for r in records()] == [str(link / "proj" / ".venv")]
    assert sorted(roots()) == sorted([str(link / "proj"), str(real / "proj")])
    link.unlink()  # the path it was recorded by is gone: the record with it
    assert "VIRTUAL_ENV=" not in hook(vem, monkeypatch, real / "proj")
    assert records() == []


def test_the_roots_file_lists_only_trusted_projects(tmp_path: Path) -> None:
    made = tmp_path / "made"
    venv.create(made / ".venv", with_pip=False)
    (made / ".venv" / ID_FILE).write_text("a" * 32 + "\n")
    gone = KnownEnv(tmp_path / "gone" / ".venv", tmp_path / "gone", "project", "b" * 32)
    legacy = KnownEnv(made / ".venv", made, "project", None)  # recorded before ids
    trusted = KnownEnv(made / ".venv", Path("/"), "project", "a" * 32)
    assert [is_trusted(e) for e in (gone, legacy, trusted)] == [False, False, True]
    assert trusted_roots([gone, legacy, trusted]) == [str(made)]  # its folder, not "/"


def test_shell_init_writes_the_roots_file(vem: VemRunner) -> None:
    result = vem("shell-init", "bash", "--auto")
    assert result.exit_code == 0
    assert (data_dir() / "auto-roots").read_text().startswith("vem-auto-roots ")
    assert str(data_dir() / "auto-roots") in result.stdout
