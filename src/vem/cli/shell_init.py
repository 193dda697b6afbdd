"""``vem shell-init SHELL [--auto]``: rc-file code for shell integration."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from vem.shells import Shell, Target, detect_shell, get_shell

EXTRA_COMMANDS = ("deactivate", "workon")


@click.command("shell-init")
@click.argument("shell_name", metavar="SHELL", required=False)
@click.option("--auto", is_flag=True, help="Also activate a known project's env on entering it.")
def shell_init(shell_name: str | None, auto: bool) -> None:
    """Print code for your shell's rc file. It defines a `vem` shell function so that
    `vem activate [NAME]`, `vem deactivate` and `vem workon NAME` act on the current
    shell; other subcommands run vem as usual. Tab completion is included.

    \b
    bash   ~/.bashrc                   eval "$(vem shell-init bash)"
    zsh    ~/.zshrc (after compinit)   eval "$(vem shell-init zsh)"
    sh     ~/.profile or $ENV          eval "$(vem shell-init sh)"
    fish   ~/.config/fish/config.fish  vem shell-init fish | source
    tcsh   ~/.tcshrc                   eval "`vem shell-init tcsh`"
    pwsh   $PROFILE                    vem shell-init powershell | Out-String | Invoke-Expression
    nu     vem shell-init nu | save -f ~/.cache/vem/init.nu, and in config.nu:
           source ~/.cache/vem/init.nu

    With --auto, entering a project whose env vem made (or was asked to activate)
    activates it, and leaving the project deactivates it. A .venv that vem does not
    know is never activated on its own.
    """
    from vem.cli import COMMANDS

    shell = get_shell(shell_name) if shell_name else detect_shell()
    commands = sorted({*COMMANDS, *EXTRA_COMMANDS})
    sys.stdout.write(shell.init(commands, auto=auto))


def _cwd() -> Path:
    """The directory as the shell names it ($PWD, symlinks kept) when that is right."""
    pwd = os.environ.get("PWD")
    if pwd and os.path.isabs(pwd):
        try:
            if os.path.samefile(pwd, "."):
                return Path(pwd)
        except OSError:
            pass
    return Path.cwd()


def auto_code(shell: Shell) -> str:
    """The ``--auto`` hook's code for the current directory (see vem.shells.auto)."""
    from vem.env import read_env
    from vem.known import KnownEnvs
    from vem.shells.auto import AUTO_ENV, decide
    from vem.workspace import AppDirs

    dirs = AppDirs.from_platform()
    known = KnownEnvs(dirs.data_dir, dirs.lock_dir)
    change = decide(
        known.entries(),
        _cwd(),
        active=os.environ.get("VIRTUAL_ENV"),
        auto_env=os.environ.get(AUTO_ENV),
    )
    target = None
    if change.activate is not None:
        found = change.activate
        name = found.path.parent.name if found.path.name == ".venv" else found.path.name
        env = read_env(found.path, name=name, location=found.location, project=found.project)
        target = Target(env.path, env.prompt)
    return shell.switch(target=target, deactivate=change.deactivate, variables=change.variables)
