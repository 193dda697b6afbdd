"""`vem activate` and `vem shell-init` as commands: results, errors and exit codes,
the hint on a terminal, shell detection, what they import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pexpect
import pytest

from tests.conftest import VemRunner
from tests.shell_helpers import install_vem, report, require_shell, shell_environ


@pytest.fixture
def project_env(project: Path) -> Path:
    venv.EnvBuilder(with_pip=False, symlinks=True).create(project / ".venv")
    return project / ".venv"


def test_prints_code_and_remembers_the_project_env(project_env: Path, vem: VemRunner) -> None:
    result = vem("activate", "--shell", "bash")
    assert result.exit_code == 0
    assert f"VIRTUAL_ENV={project_env}" in result.stdout  # a plain path needs no quotes
    assert result.stderr == ""  # no hint when stdout is not a terminal
    data_dir = Path(os.environ["XDG_DATA_HOME"]) / "vem"
    known = json.loads((data_dir / "envs.json").read_text())["envs"]
    assert [(e["path"], e["location"]) for e in known] == [(str(project_env), "project")]


def test_remembers_a_virtualenvwrapper_env_with_a_project(
    project: Path, vem: VemRunner, home: Path
) -> None:
    """Made by someone else, activated by you: now trusted by --auto."""
    env = home / ".virtualenvs" / "legacy"
    venv.EnvBuilder(with_pip=False).create(env)
    (env / ".project").write_text(f"{project}\n")
    assert vem("activate", "--shell", "bash", "legacy").exit_code == 0
    data_dir = Path(os.environ["XDG_DATA_HOME"]) / "vem"
    known = json.loads((data_dir / "envs.json").read_text())["envs"]
    env_id = (env / ".vem-id").read_text().strip()  # trust is tied to this env, not its path
    assert len(env_id) == 32
    assert known == [
        {"path": str(env), "project": str(project), "location": "central", "id": env_id}
    ]


def test_workon_flag_adds_the_cd(project_env: Path, vem: VemRunner) -> None:
    assert vem("activate", "--shell", "fish", "--cd").stdout.endswith(f"cd {project_env.parent}\n")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["activate", "--shell", "bash"], 3, "vem create"),
        (["activate", "--shell", "bash", "nosuch"], 3, "vem create nosuch"),
        (["activate", "--shell", "cmd.exe"], 2, "unsupported shell"),
        (["activate", "--shell", "bash", "a", "b"], 2, "at most one NAME"),
        (["activate", "--shell", "bash", "--dispatch", "list"], 2, "csh"),
        (["shell-init", "cmd.exe"], 2, "unsupported shell"),
    ],
)
def test_errors(project: Path, vem: VemRunner, args: list[str], code: int, message: str) -> None:
    result = vem(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_undetectable_shell_asks_for_shell(
    project_env: Path, vem: VemRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shellingham

    def fail() -> tuple[str, str]:
        raise shellingham.ShellDetectionFailure()

    monkeypatch.setattr(shellingham, "detect_shell", fail)
    monkeypatch.setenv("SHELL", "/bin/zsh")
    assert "VIRTUAL_ENV=" in vem("activate").stdout  # $SHELL is the fallback
    monkeypatch.delenv("SHELL")
    result = vem("activate")
    assert result.exit_code == 2
    assert "--shell" in result.stderr


def test_tcsh_dispatch_passes_other_commands_through(vem: VemRunner) -> None:
    result = vem("activate", "--shell", "tcsh", "--dispatch", "--", "list", "--json", "it's")
    assert result.stdout == "\\vem list --json 'it'\\''s';\n"


@pytest.mark.shell
def test_hint_on_a_terminal(project_env: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    vem = install_vem(bin_dir)
    child = pexpect.spawn(
        str(vem),
        ["activate", "--shell", "bash"],
        env=shell_environ(bin_dir),
        cwd=str(project_env.parent),
        encoding="utf-8",
        timeout=30,
    )
    child.expect(pexpect.EOF)
    child.close()
    output = str(child.before).replace("\r", "")
    # the one-line hint instead of the code, and nothing recorded: nothing was activated
    assert "VIRTUAL_ENV=" not in output
    assert output.count("\n") == 1
    assert 'nothing was activated: run `eval "$(vem activate)"`' in output
    assert 'add `eval "$(vem shell-init bash)"` to ~/.bashrc' in output
    assert child.exitstatus == 1
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "vem" / "envs.json").exists()


@pytest.mark.shell
@pytest.mark.parametrize(
    ("shell", "argv", "script"),
    [
        ("bash", ["bash", "--norc", "-c"], 'eval "$(vem activate)"; echo "VE=$VIRTUAL_ENV"'),
        ("zsh", ["zsh", "-f", "-c"], 'eval "$(vem activate)"; echo "VE=$VIRTUAL_ENV"'),
        ("fish", ["fish", "--no-config", "-c"], "vem activate | source; echo VE=$VIRTUAL_ENV"),
        ("tcsh", ["tcsh", "-f", "-c"], 'eval "`vem activate`"; echo "VE=$VIRTUAL_ENV"'),
    ],
)
def test_shell_is_detected_from_the_parent(
    project_env: Path, tmp_path: Path, shell: str, argv: list[str], script: str
) -> None:
    require_shell(argv[0])
    bin_dir = tmp_path / "bin"
    install_vem(bin_dir)
    environ = shell_environ(bin_dir)
    environ.pop("SHELL", None)
    proc = subprocess.run(
        [*argv, script],
        env=environ,
        cwd=project_env.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert report(proc.stdout) == {"VE": str(project_env)}, proc.stderr


def test_activate_imports_nothing_heavy(project_env: Path) -> None:
    code = (
        "from vem.cli import cli\n"
        "cli.main(['activate', '--shell', 'bash'], standalone_mode=False)\n"
        "import sys\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project_env.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    mods = set(proc.stderr.split())
    assert "vem.shells.bash" in mods
    for heavy in ("rich", "venv", "importlib.metadata", "tomli_w"):
        assert heavy not in mods
