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


# --- the --auto hook starts no process outside known projects (issue 12) --------


@pytest.fixture
def spy(tmp_path: Path, session_env: dict[str, str]) -> tuple[dict[str, str], Path]:
    """A `vem` first on PATH that logs each run, then runs the real one."""
    log = tmp_path / "vem-runs.log"
    spy_dir = tmp_path / "spy-bin"
    spy_dir.mkdir()
    real = Path(session_env["PATH"].split(os.pathsep)[0]) / "vem"
    program = spy_dir / "vem"
    program.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nexec '{real}' \"$@\"\n")
    program.chmod(0o755)
    env = {**session_env, "PATH": f"{spy_dir}{os.pathsep}{session_env['PATH']}"}
    return env, log


def runs(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_auto_starts_no_process_outside_known_projects(
    shell: str, spy: tuple[dict[str, str], Path], world: dict[str, Path], tmp_path: Path
) -> None:
    env, log = spy
    plain = [tmp_path / "plain dir" / f"d{i} $(x)" for i in range(3)]
    for d in plain:
        d.mkdir()
    s = Session(shell, env, world["D"])
    try:
        s.run(INIT[shell].format(auto=" --auto"))
        log.unlink(missing_ok=True)
        for d in [*plain, world["C"], Path("/"), tmp_path, *plain]:  # C: an unknown .venv
            s.run(f"cd {quote_for(shell, d)}")
        assert s.state()["VE"] == "none"
        assert runs(log) == []  # a cd around the file system runs no vem

        s.run(f"cd {quote_for(shell, world['A'] / 'sub dir')}")
        assert s.state()["VE"] == str(world["A"] / ".venv")
        assert runs(log) == ["activate --shell " + SHELL_NAME[shell] + " --auto-hook"]
        s.run(f"cd {quote_for(shell, world['A'])}")  # inside the project: no run
        s.run(f"cd {quote_for(shell, plain[0])}")  # leaving: deactivated without vem
        assert s.state()["VE"] == "none"
        assert len(runs(log)) == 1
    finally:
        s.close()
    assert pwned(tmp_path) == []


SHELL_NAME = {"bash": "bash", "zsh": "zsh", "sh": "sh", "fish": "fish", "tcsh": "tcsh"}


def test_auto_never_activates_an_env_that_replaced_the_one_vem_made(
    shell: str, session: Session, world: dict[str, Path]
) -> None:
    """The folder vem's env was in is deleted by hand and a cloned repo with its own
    .venv lands at the same path: the roots file still lists it, vem does not trust it."""
    import shutil
    import venv

    shutil.rmtree(world["A"])
    world["A"].mkdir()
    (world["A"] / ".git").mkdir()
    venv.create(world["A"] / ".venv", with_pip=False)
    data = Path(os.environ["XDG_DATA_HOME"]) / "vem"
    assert str(world["A"]) in (data / "auto-roots").read_text().splitlines()  # stale
    session.run(INIT[shell].format(auto=" --auto"))
    session.run(f"cd {quote_for(shell, world['A'])}")
    assert session.state()["VE"] == "none"
    assert str(world["A"]) not in (data / "auto-roots").read_text().splitlines()  # pruned
    session.run(f"cd {quote_for(shell, world['B'])}")
    assert session.state()["VE"] == str(world["B"] / ".venv")
    assert pwned(world["A"].parent) == []


# --- the vem function inside $(...), remove, workon (issue 8) --------------------

#: `eval` of the function's output in a command substitution, per shell
EVAL = {
    "bash": 'eval "$(vem activate {arg})"',
    "zsh": 'eval "$(vem activate {arg})"',
    "sh": 'eval "$(vem activate {arg})"',
    "tcsh": 'eval "`vem activate {arg}`"',
}


@pytest.mark.parametrize(
    ("shell", "form"),
    [
        *((shell, "eval") for shell in EVAL),
        *((shell, "function") for shell in ("bash", "zsh", "sh")),
    ],
)
def test_eval_of_the_function_activates(
    shell: str, form: str, session_env: dict[str, str], world: dict[str, Path]
) -> None:
    """Once the rc line is in, `eval "$(vem activate)"` (the README's form) and the
    function alone both activate, also in a script whose output is not a terminal."""
    arg = quote_for(shell, world["tools"])
    line = EVAL[shell].format(arg=arg) if form == "eval" else f"vem activate {arg}"
    script = f"{INIT[shell].format(auto='')}\n{line}\n{SHOW[shell]}\n"
    proc = run_c(shell, script, env=session_env, cwd=world["D"])
    assert report(proc.stdout).get("VE") == str(world["tools"]), proc.stderr


def test_eval_of_the_function_activates_on_a_terminal(
    shell: str, session: Session, world: dict[str, Path]
) -> None:
    if shell == "fish":  # fish has no subshells: `vem activate | source` just works
        session.run(INIT[shell].format(auto=""))
        session.run(f"vem activate {quote_for(shell, world['tools'])} | source")
    else:
        session.run(INIT[shell].format(auto=""))
        session.run(EVAL[shell].format(arg=quote_for(shell, world["tools"])))
    assert session.state()["VE"] == str(world["tools"])
    session.run("deactivate")
    assert session.state()["VE"] == "none"


def test_removing_the_active_env_through_the_function_deactivates(
    shell: str, session: Session, world: dict[str, Path]
) -> None:
    session.run(INIT[shell].format(auto=""))
    session.run("vem activate tools")
    assert session.state()["VE"] == str(world["tools"])
    output = session.run("vem remove tools --yes")
    assert "warning" not in output  # the function deactivates: nothing to warn about
    assert session.state()["VE"] == "none"
    assert session.prompt() == ""
    assert not world["tools"].exists()
    assert "no environment is active" in session.run("vem deactivate")


def test_workon_into_a_project_that_is_gone_does_nothing(
    shell: str, session: Session, world: dict[str, Path]
) -> None:
    import shutil

    shutil.rmtree(world["B"])
    session.run(INIT[shell].format(auto=""))
    output = session.run("vem workon tools")
    assert "no longer exists" in output
    assert session.state() == {"VE": "none", "WD": str(world["D"])}
