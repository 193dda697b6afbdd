"""vem remove deletes envs and nothing else, whatever it is pointed at."""

from __future__ import annotations

import json
import os
import venv
from pathlib import Path

import pytest

from tests.conftest import VemRunner
from vem.deletion import TRASH_MARKER


def make_env(path: Path) -> Path:
    venv.EnvBuilder(symlinks=True, with_pip=False).create(path)
    return path


def test_remove_project_env_with_yes(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    result = vem("remove", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["removed"] is True
    assert not (project / ".venv").exists()
    assert (project / "pyproject.toml").exists()
    assert list(project.iterdir()) == [project / "pyproject.toml"]  # no trash left
    assert vem("path").exit_code == 3
    assert vem("list", "--json").stdout.strip() == "[]"


def test_without_tty_and_without_yes_it_refuses(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    result = vem("remove")
    assert result.exit_code == 5
    assert "--yes" in result.stderr
    assert (project / ".venv" / "pyvenv.cfg").exists()


def test_remove_named_central_env(vem: VemRunner, home: Path) -> None:
    vem("create", "tools", "--no-pip")
    assert vem("remove", "tools", "-y").exit_code == 0
    assert not (home / ".virtualenvs" / "tools").exists()
    assert (home / ".virtualenvs").is_dir()  # the central home itself stays


def test_missing_env_is_exit_3(vem: VemRunner, project: Path) -> None:
    result = vem("remove", "nope", "--yes")
    assert result.exit_code == 3
    assert "vem create" in result.stderr


@pytest.mark.parametrize(
    ("name", "code"),
    [("../x", 3), ("-x", 2), ("a b", 2), ("$(touch PWNED)", 2), ("`touch PWNED`", 2), ("", 2)],
)
def test_hostile_names(vem: VemRunner, project: Path, name: str, code: int) -> None:
    """A path-like NAME (it has a '/') that leads nowhere is 'not found'; anything else
    that is not a valid name is a usage error."""
    result = vem("remove", "--yes", "--", name)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "PWNED").exists()


def test_non_env_directory_is_exit_5_and_untouched(vem: VemRunner, isolated: Path) -> None:
    victim = isolated / "data"
    victim.mkdir()
    (victim / "thesis.tex").write_text("years of work")
    for target in (str(victim), "./data", "~", ".", "/", str(isolated)):
        result = vem("remove", "--yes", target)
        assert result.exit_code == 5, (target, result.stderr)
        assert (victim / "thesis.tex").read_text() == "years of work"


def test_symlink_to_env_is_unlinked_not_followed(vem: VemRunner, isolated: Path) -> None:
    real = make_env(isolated / "real env")
    (real / "precious").write_text("x")
    link = isolated / "link"
    link.symlink_to(real)
    assert vem("remove", "--yes", "./link").exit_code == 0
    assert not os.path.lexists(link)
    assert (real / "precious").exists()
    assert (real / "pyvenv.cfg").exists()


def test_symlink_in_central_home_is_unlinked(vem: VemRunner, home: Path, isolated: Path) -> None:
    real = make_env(isolated / "outside")
    central = home / ".virtualenvs"
    central.mkdir()
    (central / "linked").symlink_to(real)
    assert vem("remove", "linked", "--yes").exit_code == 0
    assert not os.path.lexists(central / "linked")
    assert (real / "pyvenv.cfg").exists()


def test_symlink_to_non_env_is_refused(vem: VemRunner, isolated: Path) -> None:
    target = isolated / "docs"
    target.mkdir()
    (isolated / "l").symlink_to(target)
    assert vem("remove", "--yes", "./l").exit_code == 5
    assert os.path.lexists(isolated / "l")


def test_env_that_is_also_a_project_root_is_refused(vem: VemRunner, isolated: Path) -> None:
    # `python -m venv .` inside a project: deleting "the env" would delete the project
    proj = make_env(isolated / "proj")
    (proj / "pyproject.toml").write_text("")
    (proj / "main.py").write_text("print(1)")
    result = vem("remove", "--yes", str(proj))
    assert result.exit_code == 5
    assert (proj / "main.py").exists()


def test_env_made_in_home_or_central_home_is_refused(
    vem: VemRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (home / "dotfile").write_text("x")
    assert vem("remove", "--yes", "~").exit_code == 5
    assert (home / "dotfile").exists()
    central = home / "envs"
    make_env(central)
    monkeypatch.setenv("WORKON_HOME", str(central))
    assert vem("remove", "--yes", str(central)).exit_code == 5
    assert (central / "pyvenv.cfg").exists()


def test_remove_by_relative_path(vem: VemRunner, isolated: Path) -> None:
    make_env(isolated / "e")
    assert vem("remove", "-y", "./e").exit_code == 0
    assert not (isolated / "e").exists()


def test_env_by_path_with_hostile_characters(vem: VemRunner, isolated: Path) -> None:
    path = make_env(isolated / "a 'b' \"c\" $(touch PWNED) `x` ; ! é")
    assert vem("remove", "-y", str(path)).exit_code == 0
    assert not path.exists()
    assert not list(isolated.rglob("PWNED"))


def test_read_only_files_in_an_env_are_removed(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    locked = project / ".venv" / "lib" / "ro"
    locked.mkdir()
    (locked / "data.txt").write_text("x")
    (locked / "data.txt").chmod(0o444)
    locked.chmod(0o555)
    assert vem("remove", "--yes").exit_code == 0
    assert not (project / ".venv").exists()


def test_an_interrupted_earlier_delete_is_finished(vem: VemRunner, project: Path) -> None:
    leftover = project / ".vem-trash-.venv-deadbeef"
    (leftover / "lib").mkdir(parents=True)
    (leftover / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (leftover / TRASH_MARKER).write_text("vem renamed this environment aside to delete it\n")
    unrelated = project / ".vem-trash-other-cafe"
    unrelated.mkdir()
    vem("create", "--no-pip")
    assert vem("remove", "--yes").exit_code == 0
    assert sorted(p.name for p in project.iterdir()) == [".vem-trash-other-cafe", "pyproject.toml"]
