"""Tab completion: the engine (`vem __complete`, driven by the Click definitions) and
the real bash, zsh and fish line editors in tmux: type `vem cr<TAB>`, read the line."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from tests.conftest import VemRunner
from tests.shell_helpers import Tmux, install_vem, require_shell, shell_environ
from vem.cli import COMMANDS, cli
from vem.cli.complete import complete, split_line


def values(args: list[str], incomplete: str) -> list[str]:
    return [value for value, _ in complete(args, incomplete)]


@pytest.fixture
def envs(vem: VemRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Central `tools` and `tidy`, and the project env of `webapp`."""
    for name in ("tools", "tidy"):
        assert vem("create", "--no-pip", name).exit_code == 0
    project = tmp_path / "webapp"
    project.mkdir()
    (project / "setup.py").write_text("")
    monkeypatch.chdir(project)
    assert vem("create", "--no-pip").exit_code == 0
    monkeypatch.chdir(tmp_path)


def test_subcommands_with_their_help() -> None:
    assert complete([], "cr") == [("create", COMMANDS["create"][1])]
    assert values([], "") == sorted(COMMANDS)
    assert values(["config"], "") == ["get", "list", "set", "unset"]


def test_every_option_of_every_command() -> None:
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        wanted = {
            opt
            for p in command.params
            if isinstance(p, click.Option) and not p.hidden
            for opt in (*p.opts, *p.secondary_opts)
            if opt.startswith("--")
        }
        assert wanted <= set(values([name], "--")), name


def test_a_new_command_is_covered_without_shell_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """What others add to COMMANDS (doctor, sync, ...) completes as it is defined."""
    monkeypatch.setitem(COMMANDS, "frob", ("tests.frob_command", "Frob an env."))
    module = type(sys)("tests.frob_command")

    @click.command()
    @click.argument("name", required=False)
    @click.option("-e", "--env", "env_name")
    @click.option("--to", "location")
    @click.option("--fast", is_flag=True, help="Go fast.")
    def frob(name: str | None, env_name: str | None, location: str | None, fast: bool) -> None:
        """Frob."""

    module.frob = frob  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests.frob_command", module)
    assert complete([], "fr") == [("frob", "Frob an env.")]
    assert ("--fast", "Go fast.") in complete(["frob"], "--f")
    assert values(["frob", "--to"], "") == ["project", "central"]


def test_env_names_as_list_shows_them(envs: None) -> None:
    assert values(["activate"], "t") == ["tidy", "tools"]
    assert values(["run", "-e"], "") == ["tidy", "tools", "webapp"]
    assert values(["info"], "web") == ["webapp"]
    assert dict(complete(["remove"], "to"))["tools"].startswith("central env")
    assert values(["create"], "") == []  # a new name: nothing to offer
    assert values(["run", "-e", "tools", "--"], "") == ["@file"]


def test_shells_locations_config_and_paths() -> None:
    assert "fish" in values(["activate", "--shell"], "")
    assert values(["shell-init"], "z") == ["zsh"]
    assert values(["create", "-l"], "") == ["project", "central"]
    assert values(["create"], "--location=c") == ["--location=central"]
    assert "central_home" in values(["config", "set"], "")
    assert values(["config", "set", "pip"], "") == ["true", "false"]
    assert values(["config", "set", "location"], "c") == ["central"]
    assert values(["create", "-r"], "") == ["@file"]
    assert values(["create", "--project"], "") == ["@dir"]


def test_the_hidden_command_and_tcsh_lines() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "vem", "__complete", "--", "create", "--pro"],
        capture_output=True,
        text=True,
    )
    assert proc.stdout.splitlines() == [
        "--project\tThe project directory (default: found from the current one).",
        "--prompt\tPrompt prefix (default: the project's or env's name).",
    ]
    assert split_line("vem create ") == ["create", ""]
    assert split_line("vem cr") == ["cr"]


# --- real line editors ------------------------------------------------------------

RC = {
    "bash": (["bash", "--norc", "--noprofile"], "PS1='$ '; eval \"$(vem shell-init bash)\""),
    "zsh": (
        ["zsh", "-f"],
        "PS1='$ '; autoload -Uz compinit; compinit -u; eval \"$(vem shell-init zsh)\"",
    ),
    "fish": (
        ["fish", "--no-config"],
        "function fish_prompt; echo -n '$ '; end; vem shell-init fish | source",
    ),
}


def wait_for(tmux: Tmux, text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = tmux.screen()
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared:\n{tmux.screen()}")


@pytest.fixture(params=list(RC))
def editor(request: pytest.FixtureRequest, tmp_path: Path, envs: None) -> Iterator[Tmux]:
    shell = str(request.param)
    require_shell(shell)
    bin_dir = tmp_path / "bin"
    install_vem(bin_dir)
    command, rc = RC[shell]
    tmux = Tmux(command, shell_environ(bin_dir), tmp_path)
    try:
        tmux.type(rc, "Enter")
        tmux.type("clear; echo READY", "Enter")
        wait_for(tmux, "READY\n")
        yield tmux
    finally:
        tmux.close()


@pytest.mark.shell
@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("vem cr", "vem create "),
        ("vem workon to", "vem workon tools "),
        ("vem run -e web", "vem run -e webapp "),
        ("vem create --loc", "vem create --location "),
        ("vem config set pip t", "vem config set pip true "),
    ],
)
def test_tab_completes_in_the_real_shell(editor: Tmux, typed: str, line: str) -> None:
    editor.type(typed, "Tab")
    screen = wait_for(editor, line.rstrip())
    last = [row for row in screen.splitlines() if row.startswith("$ ")][-1]
    assert last.rstrip() == "$ " + line.rstrip()
