"""Helpers for tests that run real shells: finding a shell (a missing one skips
locally and fails under CI), a `vem` program on PATH, envs in hostile directories."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.helpers import skip_or_fail
from vem.shells import write_activate_scripts

#: Directory names that break naive quoting: every one must activate correctly and
#: none may create PWNED.
HOSTILE_NAMES = [
    "plain",
    "with space",
    "single'quote",
    'double"quote',
    "dollar$HOME${HOME}",
    "back`id`tick",
    "semi;colon&amp|pipe",
    "bang!!history!$",
    "percent%d%~%%",
    "paren(s)<x>",
    "back\\slash^caret",
    "glob*?[a]{b,c}",
    "unicodé🚒",
    "x$(touch PWNED)y",
    "all 'a\"$`;&!%()é🚒$(touch PWNED)`touch PWNED`",
]

#: The program each shell name runs, and the flags that keep it from reading rc files.
SHELL_COMMANDS: dict[str, list[str]] = {
    "bash": ["bash", "--norc", "--noprofile"],
    "zsh": ["zsh", "-f"],
    "sh": ["dash"],
    "fish": ["fish", "--no-config"],
    "tcsh": ["tcsh", "-f"],
}


def require_shell(program: str) -> str:
    """The path of ``program``; skip the test if it is missing, or fail under CI."""
    found = shutil.which(program)
    if found is None:
        skip_or_fail(f"{program} is not installed")
    return found


def shell_argv(shell: str) -> list[str]:
    argv = list(SHELL_COMMANDS[shell])
    argv[0] = require_shell(argv[0])
    return argv


def install_vem(bin_dir: Path) -> Path:
    """A ``vem`` program in ``bin_dir`` running this checkout with this interpreter."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    program = bin_dir / "vem"
    program.write_text(f"#!{sys.executable}\nfrom vem.cli import main\nmain()\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return program


def make_env(project: Path, python: str = sys.executable, *, prompt: str | None = None) -> Path:
    """A project dir (with pyproject.toml) holding ``.venv``, made by stdlib venv
    without pip and given vem's activate scripts, as ``vem create`` does."""
    project.mkdir(parents=True, exist_ok=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    env = project / ".venv"
    subprocess.run([python, "-m", "venv", "--without-pip", str(env)], check=True)
    write_activate_scripts(env, prompt if prompt is not None else project.name)
    return env


def shell_environ(bin_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test's (isolated) environment with ``bin_dir`` first on PATH and no
    trace of an active env or of the user's shell settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "_OLD_VIRTUAL", "_VEM_", "PYTEST_", "PS1"))
        and k not in ("PYTHONHOME", "PROMPT_COMMAND", "ENV", "BASH_ENV", "fish_greeting")
    }
    env["PATH"] = os.pathsep.join([str(bin_dir), "/usr/local/bin", "/usr/bin", "/bin"])
    env["TERM"] = "dumb"
    env.update(extra or {})
    return env


def run_shell(
    shell: str,
    script: str,
    *,
    cwd: Path,
    env: Mapping[str, str],
    interactive: bool = False,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in the real shell, from a file (or, ``interactive``, fed on
    stdin to ``-i``, so the shell prints its prompts)."""
    argv = shell_argv(shell)
    if interactive:
        return subprocess.run(
            [*argv, "-i"],
            input=script,
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    path = cwd / f".test-script.{shell}"
    path.write_text(script, encoding="utf-8")
    try:
        return subprocess.run(
            [*argv, str(path)],
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    finally:
        path.unlink()


def report(output: str) -> dict[str, str]:
    """``KEY=value`` lines of a driver script's output."""
    values: dict[str, str] = {}
    for line in output.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.isupper():
            values[key] = value
    return values


def pwned(root: Path) -> list[Path]:
    return list(root.rglob("PWNED"))


class Tmux:
    """A program in a tmux pane: a real terminal, for line editors (completion) and
    for nushell, whose editor waits for the terminal to answer."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> None:
        self.base = [require_shell("tmux"), "-L", f"vem-test-{os.getpid()}-{id(self)}"]
        self.base += ["-f", "/dev/null"]
        exports = [f"{k}={v}" for k, v in env.items() if k.isidentifier()]
        command = shlex.join(["env", "-i", *exports, *argv])
        size = ["-x", "200", "-y", "30"]
        subprocess.run(
            [*self.base, "new-session", "-d", *size, "-s", "t", "-c", str(cwd), command],
            check=True,
        )

    def type(self, text: str, *keys: str) -> None:
        """Type ``text``, then press ``keys`` (tmux names: Enter, Tab)."""
        subprocess.run([*self.base, "send-keys", "-t", "t", "-l", text], check=True)
        if keys:
            subprocess.run([*self.base, "send-keys", "-t", "t", *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(
            [*self.base, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True
        ).stdout

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)
