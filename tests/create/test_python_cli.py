"""`vem python list` and `vem python find` through the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import VemRunner
from tests.helpers import failing_shim, fake_python


def test_list_json_starts_with_the_running_python(vem: VemRunner, fake_world: Path) -> None:
    exe = fake_python(fake_world / "pyenv" / "versions" / "3.99.0" / "bin" / "python3.99", "3.99.0")
    failing_shim(fake_world / "pyenv" / "shims" / "python3")
    result = vem("python", "list", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["source"] == "running"
    assert rows[0]["status"] == "ok"
    assert Path(rows[0]["path"]).samefile(sys.executable)
    by_path = {r["path"]: r for r in rows}
    assert by_path[str(exe)]["version"] == "3.99.0"
    assert by_path[str(exe)]["source"] == "pyenv"
    shim = by_path[str(fake_world / "pyenv" / "shims" / "python3")]
    assert shim["status"] == "not-runnable"
    assert "command not found" in shim["reason"]


def test_list_table_goes_to_stdout(vem: VemRunner, fake_world: Path) -> None:
    fake_python(fake_world / "pyenv" / "versions" / "2.7.18" / "bin" / "python2.7", "2.7.18")
    result = vem("python", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["VERSION", "SOURCE", "STATUS", "PATH"]
    assert any("2.7.18" in line and "no-venv" in line for line in lines)


def test_find(vem: VemRunner, fake_world: Path) -> None:
    exe = fake_python(fake_world / "pyenv" / "versions" / "3.99.1" / "bin" / "python3.99", "3.99.1")
    result = vem("python", "find", "3.99")
    assert result.exit_code == 0
    assert result.stdout.strip() == str(exe)
    data = json.loads(vem("python", "find", "3.99", "--json").stdout)
    assert data == {"path": str(exe), "version": "3.99.1", "implementation": "cpython"}


@pytest.mark.parametrize(("spec", "code"), [("3.98", 1), ("pythonx", 2)])
def test_find_errors(vem: VemRunner, fake_world: Path, spec: str, code: int) -> None:
    result = vem("python", "find", spec)
    assert result.exit_code == code
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_list_shows_failing_versioned_shims_as_not_runnable(
    vem: VemRunner, fake_world: Path
) -> None:
    shim = failing_shim(fake_world / "pyenv" / "shims" / "python3.12")
    rows = json.loads(vem("python", "list", "--json").stdout)
    by_path = {r["path"]: r for r in rows}
    assert by_path[str(shim)]["status"] == "not-runnable"


def test_find_a_range_picks_the_newest_not_the_running_python(
    vem: VemRunner, fake_world: Path
) -> None:
    """The running Python satisfies '>=3.0' but a newer one is installed."""
    exe = fake_python(fake_world / "pyenv" / "versions" / "3.99.1" / "bin" / "python3.99", "3.99.1")
    result = vem("python", "find", ">=3.0")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(exe)
    running = vem("python", "find", f"{sys.version_info[0]}.{sys.version_info[1]}")
    assert Path(running.stdout.strip()).samefile(sys.executable)
