"""`vem alias`: one alias per env with a project, quoted so that a project under a
hostile directory works when the alias runs in the real shell."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import VemRunner
from tests.shell_helpers import install_vem, pwned, report, run_shell, shell_environ

#: the alias defined from `vem alias` output, run, then VE/WD reported
DRIVERS = {
    "bash": 'shopt -s expand_aliases\neval "$(vem alias --shell bash)"\n{run}\n'
    'printf \'VE=%s\\nWD=%s\\n\' "$VIRTUAL_ENV" "$PWD"\n',
    "zsh": 'eval "$(vem alias --shell zsh)"\n{run}\n'
    'printf \'VE=%s\\nWD=%s\\n\' "$VIRTUAL_ENV" "$PWD"\n',
    "sh": 'eval "$(vem alias --shell sh)"\n{run}\n'
    'printf \'VE=%s\\nWD=%s\\n\' "$VIRTUAL_ENV" "$PWD"\n',
    "fish": "vem alias --shell fish | source\n{run}\n"
    'printf \'VE=%s\\nWD=%s\\n\' "$VIRTUAL_ENV" "$PWD"\n',
    "tcsh": 'eval "`vem alias --shell tcsh`"\n{run}\n'
    'printf \'VE=%s\\nWD=%s\\n\' "$VIRTUAL_ENV" "$cwd"\n',
}


@pytest.fixture
def projects(tmp_path: Path, vem: VemRunner, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """``webapp`` (a project env) and ``tools`` (a central env for ``cli``), both
    under a directory whose name would run code if it were not quoted."""
    parent = tmp_path / 'it\'s "$(touch PWNED)" `touch PWNED` ;& !x %y é🚒'
    paths = {"webapp": parent / "webapp", "cli": parent / "cli"}
    for path in paths.values():
        path.mkdir(parents=True)
        (path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    monkeypatch.chdir(paths["webapp"])
    assert vem("create", "--no-pip").exit_code == 0
    assert vem("create", "--no-pip", "--project", str(paths["cli"]), "tools").exit_code == 0
    monkeypatch.chdir(tmp_path)
    return paths


def test_one_line_per_env_with_a_project(projects: dict[str, Path], vem: VemRunner) -> None:
    assert vem("create", "--no-pip", "lonely").exit_code == 0  # no project: no alias
    result = vem("alias", "--shell", "bash")
    names = sorted(line.split("=", 1)[0] for line in result.stdout.splitlines())
    assert names == ["alias tools", "alias webapp"]


@pytest.mark.shell
@pytest.mark.parametrize("shell", list(DRIVERS))
def test_alias_goes_to_the_project_and_activates(
    shell: str, projects: dict[str, Path], tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    install_vem(bin_dir)
    environ = shell_environ(bin_dir)
    for alias, project, env in [
        ("webapp", projects["webapp"], projects["webapp"] / ".venv"),
        ("tools", projects["cli"], Path(environ["HOME"]) / ".virtualenvs" / "tools"),
    ]:
        proc = run_shell(shell, DRIVERS[shell].format(run=alias), cwd=tmp_path, env=environ)
        values = report(proc.stdout)
        assert values == {"VE": str(env), "WD": str(project)}, proc.stderr
    assert pwned(tmp_path) == []


def test_envs_whose_name_cannot_be_an_alias_are_skipped(
    tmp_path: Path, vem: VemRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "bad name$(x)"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    monkeypatch.chdir(project)
    assert vem("create", "--no-pip").exit_code == 0
    result = vem("alias", "--shell", "bash")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "cannot be an alias name" in result.stderr
