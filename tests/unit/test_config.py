"""vem config: the user config file, and where each setting comes from."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import VemRunner

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def config_file(home: Path) -> Path:
    return home / ".config" / "vem" / "config.toml"


def test_set_get_unset_round_trip(vem: VemRunner, home: Path) -> None:
    assert vem("config", "get", "location").stdout.strip() == "project"
    assert vem("config", "set", "location", "central").exit_code == 0
    assert vem("config", "set", "pip", "false").exit_code == 0
    assert vem("config", "set", "central_home", "~/my envs").exit_code == 0
    data = tomllib.loads(config_file(home).read_text())
    assert data == {"location": "central", "pip": False, "central_home": "~/my envs"}
    assert vem("config", "get", "pip").stdout.strip() == "false"
    listing = json.loads(vem("config", "list", "--json").stdout)
    assert listing["location"]["value"] == "central"
    assert "config.toml" in listing["location"]["source"]
    assert vem("config", "unset", "pip").exit_code == 0
    assert "pip" not in tomllib.loads(config_file(home).read_text())
    assert vem("config", "get", "pip").stdout.strip() == "true"


def test_config_moves_with_xdg_config_home(
    vem: VemRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    vem("config", "set", "python", "3.12")
    assert (tmp_path / "xdg" / "vem" / "config.toml").exists()


def test_central_home_setting_is_used_and_workon_home_wins(
    vem: VemRunner, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vem("config", "set", "central_home", "~/my envs")
    assert vem("create", "a", "--no-pip").stdout.strip() == str(home / "my envs" / "a")
    monkeypatch.setenv("WORKON_HOME", str(tmp_path / "wh"))
    assert vem("create", "b", "--no-pip").stdout.strip() == str(tmp_path / "wh" / "b")


def test_pip_setting_false_means_no_pip(vem: VemRunner, project: Path) -> None:
    vem("config", "set", "pip", "no")
    assert vem("create").exit_code == 0
    assert not list((project / ".venv").glob("lib/python*/site-packages/pip"))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("set", "colour", "red"), "location"),
        (("get", "nope"), "central_home"),
        (("unset", "nope"), "pip"),
        (("set", "location", "mars"), "central"),
        (("set", "pip", "maybe"), "true or false"),
        (("set", "python", ""), "non-empty"),
    ],
)
def test_unknown_key_or_bad_value_is_exit_2_naming_valid_ones(
    vem: VemRunner, home: Path, args: tuple[str, ...], needle: str
) -> None:
    result = vem("config", *args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert not config_file(home).exists()


def test_bad_value_in_file_or_env_is_exit_2(
    vem: VemRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file(home).parent.mkdir(parents=True)
    config_file(home).write_text("pip = 'sometimes'\n")
    result = vem("create", "x")
    assert result.exit_code == 2
    assert "pip" in result.stderr and str(config_file(home)) in result.stderr
    config_file(home).write_text("")
    monkeypatch.setenv("VEM_LOCATION", "mars")
    assert vem("create").exit_code == 2


def test_write_is_atomic_and_keeps_the_old_file_on_failure(
    vem: VemRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vem("config", "set", "location", "central")
    before = config_file(home).read_text()

    def boom(*a: object, **k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    result = vem("config", "set", "pip", "false")
    assert result.exit_code == 1
    assert "No space left" in result.stderr
    assert config_file(home).read_text() == before
    assert [p.name for p in config_file(home).parent.iterdir()] == ["config.toml"]


def test_unreadable_config_is_exit_1(vem: VemRunner, home: Path) -> None:
    if os.geteuid() == 0:
        config_file(home).parent.mkdir(parents=True)
        config_file(home).mkdir()  # root reads any file: a directory in its place instead
    else:
        config_file(home).parent.mkdir(parents=True)
        config_file(home).write_text("")
        config_file(home).chmod(0)
    result = vem("config", "list")
    assert result.exit_code == 1
    assert str(config_file(home)) in result.stderr


def test_relative_central_home_is_stored_absolute(
    vem: VemRunner, home: Path, isolated: Path
) -> None:
    assert vem("config", "set", "central_home", "envs").exit_code == 0
    assert tomllib.loads(config_file(home).read_text())["central_home"] == str(isolated / "envs")
    os.chdir(home)
    assert vem("create", "a", "--no-pip").stdout.strip() == str(isolated / "envs" / "a")
