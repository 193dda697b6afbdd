"""`vem shell-init` in interactive shells, driven through a pseudo-terminal (pexpect):
the `vem` function's activate/deactivate/workon act on the shell, other subcommands
pass through, and `--auto` activates only envs vem knows."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from tests.conftest import VemRunner
from tests.shell_helpers import install_vem, pwned, report, shell_argv, shell_environ

pytestmark = pytest.mark.shell

INIT = {
    "bash": 'eval "$(vem shell-init bash{auto})"',
    "zsh": 'eval "$(vem shell-init zsh{auto})"',
    "sh": 'eval "$(vem shell-init sh{auto})"',
    "fish": "vem shell-init fish{auto} | source",
    "tcsh": 'eval "`vem shell-init tcsh{auto}`"',
}
SET_PROMPT = {
    "bash": "PS1='vem-test> '",
    "zsh": "PS1='vem-test> '",
    "sh": "PS1='vem-test> '",
    "fish": "function fish_prompt; printf 'vem-test> '; end",
    "tcsh": "set prompt = 'vem-test> '",
}
#: prints VE=<$VIRTUAL_ENV or none> and WD=<$PWD>
SHOW = {
    "bash": 'printf \'VE=%s\\nWD=%s\\n\' "${VIRTUAL_ENV-none}" "$PWD"',
    "fish": "printf 'VE=%s\\nWD=%s\\n' (printenv VIRTUAL_ENV; or echo none) $PWD",
    "tcsh": 'printf \'VE=%s\\nWD=%s\\n\' "`printenv VIRTUAL_ENV || echo none`" "$cwd"',
}
SHOW["zsh"] = SHOW["sh"] = SHOW["bash"]
DONE = "printf '%s%s\\n' __DO NE__"  # the echo of the typed line does not match


class Session:
    """An interactive shell in a pty; ``run`` returns what a command printed."""

    def __init__(self, shell: str, env: dict[str, str], cwd: Path) -> None:
        argv = shell_argv(shell)
        if shell == "zsh":
            argv.append("+Z")  # no line editor: plain echo of the typed line
        self.shell = shell
        self.child = pexpect.spawn(
            argv[0],
            [*argv[1:], "-i"],
            env=env,
            cwd=str(cwd),
            encoding="utf-8",
            timeout=30,
            dimensions=(50, 400),
        )
        self.run(SET_PROMPT[shell])

    def run(self, command: str) -> str:
        self.child.sendline(f"{command}\n{DONE}")
        self.child.expect("__DONE__")
        return str(self.child.before)

    def state(self) -> dict[str, str]:
        return report(self.run(SHOW[self.shell]).replace("\r", ""))

    def prompt(self) -> str:
        """The prompt the shell prints now."""
        self.child.sendline("")
        self.child.expect(r"([^\r\n]*)vem-test> ")
        return str(self.child.match.group(1))

    def close(self) -> None:
        self.child.sendline("exit")
        self.child.close(force=True)


@pytest.fixture
def world(tmp_path: Path, vem: VemRunner, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Known projects A and B (B also has a central env `tools`), an unknown C with
    a .venv nobody told vem about, and a plain directory D."""
    paths = {
        "A": tmp_path / "proj A's $(touch PWNED)",
        "B": tmp_path / "proj-b",
        "C": tmp_path / "cloned",
        "D": tmp_path / "plain dir",
    }
    for path in paths.values():
        path.mkdir()
    (paths["A"] / "sub dir").mkdir()
    for key in ("A", "B"):
        (paths[key] / "pyproject.toml").write_text("[project]\nname = 'x'\n")
        monkeypatch.chdir(paths[key])
        assert vem("create", "--no-pip").exit_code == 0
    assert vem("create", "--no-pip", "--project", str(paths["B"]), "tools").exit_code == 0
    (paths["C"] / ".git").mkdir()
    import venv

    venv.create(paths["C"] / ".venv", with_pip=False)
    paths["tools"] = Path(vem("path", "tools").stdout.strip())
    return paths


@pytest.fixture
def session_env(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "vem-bin"
    install_vem(bin_dir)
    return shell_environ(bin_dir)


@pytest.fixture(params=list(INIT))
def shell(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def session(shell: str, session_env: dict[str, str], world: dict[str, Path]) -> Iterator[Session]:
    s = Session(shell, session_env, world["D"])
    yield s
    s.close()


def test_function_activates_deactivates_and_works_on(
    shell: str, session: Session, world: dict[str, Path]
) -> None:
    session.run(INIT[shell].format(auto=""))
    session.run(f"cd {quote_for(shell, world['A'])}")
    session.run("vem activate")
    assert session.state()["VE"] == str(world["A"] / ".venv")
    assert session.prompt() == f"({world['A'].name}) "

    session.run("vem activate tools")  # switching: then deactivate restores PATH
    assert session.state()["VE"] == str(world["tools"])
    session.run("vem deactivate")
    assert session.state()["VE"] == "none"
    assert session.prompt() == ""
    assert "no environment is active" in session.run("vem deactivate")

    session.run("vem workon tools")
    assert session.state() == {"VE": str(world["tools"]), "WD": str(world["B"])}
    assert "tools" in session.run("vem list")  # passes through to the program
    assert "not found" not in session.run("vem path tools").lower()
    assert pwned(world["A"].parent) == []


def test_auto_activates_known_projects_only(
    shell: str, session: Session, world: dict[str, Path]
) -> None:
    session.run(INIT[shell].format(auto=" --auto"))

    def cd(path: Path) -> str:
        session.run(f"cd {quote_for(shell, path)}")
        return session.state()["VE"]

    assert cd(world["A"]) == str(world["A"] / ".venv")
    assert session.prompt() == f"({world['A'].name}) "
    assert cd(world["A"] / "sub dir") == str(world["A"] / ".venv")
    assert cd(world["B"]) == str(world["B"] / ".venv")  # switches between projects
    assert cd(world["C"]) == "none"  # an unknown .venv is never activated
    assert cd(world["A"]) == str(world["A"] / ".venv")
    assert cd(world["D"]) == "none"  # leaving deactivates
    assert session.prompt() == ""

    session.run("vem activate tools")  # the user's choice is left alone
    assert cd(world["A"]) == str(world["tools"])
    assert pwned(world["A"].parent) == []


def quote_for(shell: str, path: Path) -> str:
    """Quote a test path for typing it (independent of vem's own quoting)."""
    text = str(path)
    if shell == "fish":
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if shell == "tcsh":
        assert "!" not in text
    return "'" + text.replace("'", "'\\''") + "'"


def run_c(
    shell: str, script: str, *, env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """``shell -c script``: the rc code as a shell evaluates it, output captured."""
    return subprocess.run(
        [*shell_argv(shell), "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def test_bash_completion(session_env: dict[str, str], world: dict[str, Path]) -> None:
    """Completion of subcommands and env names, through the completion function."""
    script = (
        'eval "$(vem shell-init bash)"\n'
        'COMP_WORDS=(vem wo); COMP_CWORD=1; _vem_complete; echo "SUB=${COMPREPLY[*]}"\n'
        'COMP_WORDS=(vem workon to); COMP_CWORD=2; _vem_complete; echo "ENV=${COMPREPLY[*]}"\n'
    )
    proc = run_c("bash", script, env=session_env, cwd=world["D"])
    values = report(proc.stdout)
    assert values == {"SUB": "workon", "ENV": "tools"}


def test_fish_completion(session_env: dict[str, str], world: dict[str, Path]) -> None:
    script = 'vem shell-init fish | source; complete -C "vem wo"; complete -C "vem workon t"'
    proc = run_c("fish", script, env=session_env, cwd=world["D"])
    lines = [line.split("\t") for line in proc.stdout.splitlines()]
    assert [line[0] for line in lines] == ["workon", "tools"], proc.stderr
    assert all(len(line) == 2 and line[1] for line in lines)  # with descriptions


def test_shell_init_is_clean_without_a_terminal(session_env: dict[str, str]) -> None:
    """The rc code evaluates silently in every shell (no errors on stderr)."""
    for name, init in INIT.items():
        for auto in ("", " --auto"):
            proc = run_c(
                name, init.format(auto=auto), env=session_env, cwd=Path(os.environ["HOME"])
            )
            assert (proc.returncode, proc.stderr) == (0, ""), (name, auto)


@pytest.mark.shell
@pytest.mark.parametrize("shell", list(INIT))
def test_help_passes_through_the_function(shell: str, session_env: dict[str, str]) -> None:
    """`vem activate --help` prints help; it is not evaluated as shell code."""
    script = f"{INIT[shell].format(auto='')}\nvem activate --help"
    proc = run_c(shell, script, env=session_env, cwd=Path(os.environ["HOME"]))
    assert "Usage: vem activate" in proc.stdout
    assert proc.stderr == ""


def test_bash_hook_is_installed_once_and_keeps_the_status(session_env: dict[str, str]) -> None:
    script = (
        "PROMPT_COMMAND='echo theirs'\n"
        'eval "$(vem shell-init bash --auto)"\neval "$(vem shell-init bash --auto)"\n'
        "printf 'PC=%s\\n' \"$PROMPT_COMMAND\"\n"
        "false; _vem_auto_prompt; printf 'STATUS=%s\\n' \"$?\"\n"
    )
    proc = run_c("bash", script, env=session_env, cwd=Path(os.environ["HOME"]))
    assert report(proc.stdout) == {"PC": "_vem_auto_prompt;echo theirs", "STATUS": "1"}
