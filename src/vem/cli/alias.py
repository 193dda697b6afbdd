"""``vem alias``: one alias per env that has a project."""

from __future__ import annotations

import shutil

import click

from vem.cli._app import App, pass_app
from vem.shells import detect_shell, get_shell


@click.command()
@click.option("--shell", "shell_name", metavar="SHELL", help="bash, zsh, sh, fish, tcsh, ...")
@pass_app
def alias(app: App, shell_name: str | None) -> None:
    """Print one alias per environment that has a project: the alias goes to the
    project and activates the env. Put it in your rc file, e.g.
    `vem alias >> ~/.bash_aliases`, or evaluate it at start-up. A name that is a shell
    builtin or a command on PATH gets no alias (a warning says so)."""
    from vem.shells.aliases import plan_aliases
    from vem.shells.builtins import BUILTINS

    shell = get_shell(shell_name) if shell_name else detect_shell()
    from vem.ops.list import list_envs

    listed = list_envs(app.workspace())
    app.finish(listed)
    envs = listed.envs
    plan = plan_aliases(envs, builtins=BUILTINS.get(shell.name, frozenset()), on_path=shutil.which)
    for warning in plan.warnings:
        app.warn(warning)
    for spec in plan.aliases:
        app.result(shell.alias(spec))
