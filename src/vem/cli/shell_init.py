"""``vem shell-init SHELL [--auto]``: rc-file code for shell integration."""

from __future__ import annotations

import sys

import click

from vem.cli._app import App, pass_app
from vem.shells import Shell, detect_shell, get_shell
from vem.shells._base import HookFiles


@click.command("shell-init")
@click.argument("shell_name", metavar="SHELL", required=False)
@click.option("--auto", is_flag=True, help="Also activate a known project's env on entering it.")
@pass_app
def shell_init(app: App, shell_name: str | None, auto: bool) -> None:
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
    hook = _prepare_auto(app, shell) if auto else None
    sys.stdout.write(shell.init(sorted(COMMANDS), hook=hook))


def _prepare_auto(app: App, shell: Shell) -> HookFiles:
    """Write what the hook reads (the roots file, the shell's own files)."""
    from vem.ops.activate import prepare_auto

    result = prepare_auto(app.workspace(), shell)
    app.finish(result)
    return result.hook
