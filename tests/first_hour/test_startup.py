"""What the hot commands import: `vem path` and `vem activate` run on every workon."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import run_vem_process


def imported_after(code: str, cwd: Path | None = None) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("heavy", ["rich", "venv", "subprocess", "importlib.metadata", "tomli_w"])
def test_import_cli_is_light(heavy: str) -> None:
    # What Click itself imports (subprocess, on 3.10) is not vem's to avoid.
    baseline = imported_after("import click")
    assert heavy in baseline or heavy not in imported_after("import vem.cli")


def test_vem_path_of_a_project_env_loads_no_plugins_rich_or_venv(project: Path) -> None:
    venv.EnvBuilder(with_pip=False, symlinks=True).create(project / ".venv")
    code = "from vem.cli import cli\ncli.main(['path'], standalone_mode=False)"
    mods = imported_after(code, cwd=project)
    assert "vem.places.workspace" in mods  # it did look the env up
    for heavy in ("rich", "venv", "importlib.metadata", "tomli_w"):
        assert heavy not in mods


def test_version_and_help(tmp_path: object) -> None:
    from vem import __version__

    out = subprocess.run([sys.executable, "-m", "vem", "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.strip() == f"vem {__version__}"
    helped = subprocess.run([sys.executable, "-m", "vem", "--help"], capture_output=True, text=True)
    for command in ("create", "list", "info", "path", "remove", "run", "config", "activate"):
        assert command in helped.stdout


def test_global_options_work_after_the_subcommand_too(project: Path) -> None:
    quiet = subprocess.run(
        [sys.executable, "-m", "vem", "create", "--no-pip", "-q"],
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert quiet.stdout.strip() == str(project / ".venv")
    verbose = subprocess.run(
        [sys.executable, "-m", "vem", "create", "--no-pip", "--exist-ok", "-v"],
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert "location=project (from default)" in verbose.stderr


def test_closed_pipe_is_not_a_traceback(home: Path) -> None:
    central = home / ".virtualenvs"
    for i in range(800):  # more than a pipe buffer holds
        env = central / f"env-with-a-long-name-{i:04d}"
        env.mkdir(parents=True)
        (env / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.2\n")
    proc = subprocess.run(
        f"'{sys.executable}' -m vem list | head -n 1", shell=True, capture_output=True, text=True
    )
    assert proc.stdout.startswith("NAME")
    assert "Traceback" not in proc.stderr


def test_vem_sync_of_an_unchanged_env_stays_light(project: Path) -> None:
    (project / "requirements.txt").write_text("-r more.txt\n")
    (project / "more.txt").write_text("# nothing yet\n")
    made = run_vem_process("sync", cwd=project)
    assert made.returncode == 0, made.stderr
    code = "from vem.cli import cli\nassert cli.main(['sync'], standalone_mode=False) is None"
    mods = imported_after(code, cwd=project)
    assert "vem.ops.sync" in mods and "hashlib" in mods  # it did compare fingerprints
    for heavy in (
        "rich",
        "venv",
        "importlib.metadata",
        "vem.make.builder",
        "vem.make.install",
        "vem.python.discovery",
    ):
        assert heavy not in mods
