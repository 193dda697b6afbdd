"""The shell integration's edges as commands (issue 8, issue 13.14): `workon` and
`deactivate` without the rc line, `remove` of the active env, `workon` into a project
that is gone, `vem alias` never shadowing, prompts with control characters."""

from __future__ import annotations

import venv
from pathlib import Path

import pytest

from tests.conftest import VemRunner
from tests.shell_helpers import install_vem, report, run_shell, shell_environ


@pytest.mark.parametrize("verb", ["workon", "deactivate"])
def test_shell_function_verbs_without_the_function_say_what_to_do(
    vem: VemRunner, verb: str
) -> None:
    result = vem(verb, "tools")
    assert result.exit_code == 2
    assert "No such command" not in result.stderr
    assert f"`vem {verb}` acts on your shell" in result.stderr
    assert "vem shell-init" in result.stderr
    assert result.stdout == ""


def test_help_mentions_workon_and_deactivate(vem: VemRunner) -> None:
    out = vem("--help").stdout
    assert "workon" in out and "deactivate" in out


def test_removing_the_active_env_without_the_function_warns(
    vem: VemRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert vem("create", "--no-pip", "doomed").exit_code == 0
    path = vem("path", "doomed").stdout.strip()
    monkeypatch.setenv("VIRTUAL_ENV", path)
    result = vem("remove", "doomed", "--yes")
    assert result.exit_code == 0
    assert "was the active env of this shell: run `deactivate`" in result.stderr
    monkeypatch.setenv("_VEM_SHELL_FUNCTION", "1")  # the function deactivates itself
    assert vem("create", "--no-pip", "doomed").exit_code == 0
    assert "warning" not in vem("remove", "doomed", "--yes").stderr


def test_workon_into_a_deleted_project_is_an_error(
    vem: VemRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "gone"
    project.mkdir()
    assert vem("create", "--no-pip", "--project", str(project), "orphan").exit_code == 0
    project.rmdir()
    result = vem("activate", "--shell", "bash", "--cd", "orphan")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no longer exists" in result.stderr
    assert "vem activate" in result.stderr  # the hint: activate without the cd
    assert vem("activate", "--shell", "bash", "orphan").exit_code == 0


# --- vem alias ----------------------------------------------------------------


def make_project(root: Path, name: str, vem: VemRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = root / name
    path.mkdir(parents=True)
    (path / "setup.py").write_text("")
    monkeypatch.chdir(path)
    assert vem("create", "--no-pip").exit_code == 0
    return path


def test_alias_never_shadows_builtins_or_commands_and_skips_gone_projects(
    vem: VemRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("cd", "test", "ls", "python3", "fine"):
        make_project(tmp_path, name, vem, monkeypatch)
    (tmp_path / "gone").mkdir()
    monkeypatch.chdir(tmp_path)
    assert vem("create", "--no-pip", "--project", str(tmp_path / "gone"), "gone").exit_code == 0
    (tmp_path / "gone").rmdir()
    result = vem("alias", "--shell", "bash")
    assert result.exit_code == 0
    assert [line.split("=")[0] for line in result.stdout.splitlines()] == ["alias fine"]
    for name in ("cd", "test"):
        assert f"no alias {name} (for " in result.stderr and "the shell's" in result.stderr
    assert "would shadow the command /" in result.stderr  # ls, python3 on PATH
    assert "no alias gone: its project" in result.stderr


@pytest.mark.shell
def test_alias_for_a_name_with_spaces_works(
    vem: VemRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project = make_project(tmp_path, "my  proj x", vem, monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = vem("alias", "--shell", "bash")
    assert result.stdout.startswith("alias my-proj-x=")
    bin_dir = tmp_path / "bin"
    install_vem(bin_dir)
    script = (
        f"shopt -s expand_aliases\n{result.stdout}\nmy-proj-x\n"
        'printf \'VE=%s\\nWD=%s\\n\' "$VIRTUAL_ENV" "$PWD"\n'
    )
    proc = run_shell("bash", script, cwd=tmp_path, env=shell_environ(bin_dir))
    assert report(proc.stdout) == {"VE": str(project / ".venv"), "WD": str(project)}


# --- prompts with control characters (issue 13.14) ----------------------------------


@pytest.mark.parametrize("prompt", ["a\nb", "x\x1b]0;pwned\x07", "tab\there", "del\x7f"])
def test_create_refuses_a_prompt_with_control_characters(
    project: Path, vem: VemRunner, prompt: str
) -> None:
    result = vem("create", "--no-pip", "--prompt", prompt)
    assert result.exit_code == 2
    assert "control characters" in result.stderr
    assert not (project / ".venv").exists()


DRIVERS = {
    "tcsh": 'eval "`vem activate --shell tcsh`"\nprintf \'VE=%s\\nP=%s\\n\' "$VIRTUAL_ENV" '
    '"$VIRTUAL_ENV_PROMPT"\nsource .venv/bin/activate.csh\nprintf \'S=%s\\n\' "$VIRTUAL_ENV"\n',
    "bash": 'eval "$(vem activate --shell bash)"\nprintf \'VE=%s\\nP=%s\\n\' "$VIRTUAL_ENV" '
    '"$VIRTUAL_ENV_PROMPT"\n. .venv/bin/activate\nprintf \'S=%s\\n\' "$VIRTUAL_ENV"\n',
}


@pytest.mark.shell
@pytest.mark.parametrize("shell", list(DRIVERS))
def test_a_planted_prompt_with_a_newline_is_shown_safely(
    shell: str, project: Path, tmp_path: Path
) -> None:
    """stdlib venv writes --prompt as a Python repr: a newline and an escape get
    through to pyvenv.cfg. vem's code and scripts still work, the prompt shows '?'."""
    venv.EnvBuilder(with_pip=False, prompt="a\nb'\x1b]0;x\x07").create(project / ".venv")
    from vem.env.layout import read_cfg
    from vem.shells import write_activate_scripts

    write_activate_scripts(project / ".venv", read_cfg(project / ".venv").prompt or "")
    bin_dir = tmp_path / "bin"
    install_vem(bin_dir)
    proc = run_shell(shell, DRIVERS[shell], cwd=project, env=shell_environ(bin_dir))
    values = report(proc.stdout)
    assert values == {"VE": str(project / ".venv"), "P": "a?b'?]0;x?", "S": str(project / ".venv")}
    assert "Unmatched" not in proc.stderr
