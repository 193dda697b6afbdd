"""Shared fixtures: every test runs with its own HOME, XDG dirs and working directory,
so nothing touches the real user's envs or config."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from tests.helpers import IN_CI as IN_CI  # re-exported: tests import it from here
from tests.helpers import REAL_PYENV_ROOT

if TYPE_CHECKING:
    from tests.recreate_helpers import Packages
from vem.cli import cli


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    work = tmp_path / "work"
    for d in (home, work):
        d.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    for var in ("WORKON_HOME", "VIRTUAL_ENV", "PYTHONHOME", "VIRTUAL_ENV_PROMPT"):
        monkeypatch.delenv(var, raising=False)
    for var in list(os.environ):
        if var.startswith("VEM_"):
            monkeypatch.delenv(var)
    monkeypatch.chdir(work)
    yield work


@pytest.fixture
def home(isolated: Path) -> Path:
    return Path(os.environ["HOME"])


@pytest.fixture
def project(isolated: Path) -> Path:
    """A project directory (has pyproject.toml), the current directory."""
    proj = isolated / "myproj"
    proj.mkdir()
    (proj / "pyproject.toml").write_text('[project]\nname = "myproj"\n')
    os.chdir(proj)
    return proj


VemRunner = Callable[..., Result]


@pytest.fixture
def vem() -> VemRunner:
    """Run vem in-process (CliRunner: stdin is not a terminal), stdout and stderr apart."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


def run_vem_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run vem as a user does, in a subprocess of the interpreter running the tests."""
    return subprocess.run(
        [sys.executable, "-m", "vem", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def real_pyenv(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PYENV_ROOT", str(REAL_PYENV_ROOT))
    return REAL_PYENV_ROOT


@pytest.fixture
def fake_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH with only a failing shim dir; a fake pyenv root and uv dir."""
    root = tmp_path / "world"
    shims = root / "pyenv" / "shims"
    shims.mkdir(parents=True)
    (root / "pyenv" / "versions").mkdir()
    (root / "uv").mkdir()
    monkeypatch.setenv("PATH", str(shims))
    monkeypatch.setenv("PYENV_ROOT", str(root / "pyenv"))
    monkeypatch.setenv("UV_PYTHON_INSTALL_DIR", str(root / "uv"))
    return root


@pytest.fixture(scope="session")
def pip_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache per test worker: filling it is the slow part, done once."""
    return tmp_path_factory.mktemp("vem-cache")


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    """Local wheels and projects for recreate and move (built once per worker)."""
    from tests.recreate_helpers import build_packages

    return build_packages(tmp_path_factory.mktemp("packages"))


@pytest.fixture
def environ(packages: Packages, isolated: Path) -> dict[str, str]:
    """The environment of a vem run that installs offline from ``packages``."""
    from tests.recreate_helpers import offline_environ

    return offline_environ(packages)
