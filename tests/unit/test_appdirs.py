"""vem finds its config, data and cache dirs without importing platformdirs on Linux;
they must be exactly platformdirs' (the contract names platformdirs.user_config_dir)."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from vem.places.workspace import AppDirs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux fast path")

XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")


@pytest.mark.parametrize("xdg", ["absolute", "unset", "empty", "relative"])
@pytest.mark.parametrize("home", ["absolute", "relative"])
def test_same_dirs_as_platformdirs(
    xdg: str, home: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "h") if home == "absolute" else "rel/home")
    for var in XDG:
        if xdg == "unset":
            monkeypatch.delenv(var, raising=False)
        else:
            value = {"absolute": str(tmp_path / var), "empty": "", "relative": "rel/x"}[xdg]
            monkeypatch.setenv(var, value)
    dirs = AppDirs.from_platform()
    assert dirs.config_file == Path(platformdirs.user_config_dir("vem")) / "config.toml"
    assert dirs.data_dir == Path(platformdirs.user_data_dir("vem"))
    assert dirs.cache_dir == Path(platformdirs.user_cache_dir("vem"))
