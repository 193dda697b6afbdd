"""``vem alias``: one alias per env that has a project."""

from __future__ import annotations

import click

from vem.cli._app import App, pass_app
from vem.errors import InvalidInput
from vem.names import validate_name
from vem.shells import AliasSpec, detect_shell, get_shell


@click.command()
@click.option("--shell", "shell_name", metavar="SHELL", help="bash, zsh, sh, fish, tcsh, ...")
@pass_app
def alias(app: App, shell_name: str | None) -> None:
    """Print one alias per environment that has a project: the alias goes to the
    project and activates the env. Put it in your rc file, e.g.
    `vem alias >> ~/.bash_aliases`, or evaluate it at start-up."""
    shell = get_shell(shell_name) if shell_name else detect_shell()
    from vem.ops.find import list_envs

    listed = list_envs(app.workspace())
    app.finish(listed)
    envs = listed.envs
    seen: set[str] = set()
    for env in envs:
        if env.project is None:
            continue
        try:
            validate_name(env.name)
        except InvalidInput:
            app.warn(f"no alias for {env.path}: {env.name!r} cannot be an alias name")
            continue
        if env.name in seen:
            app.warn(f"no alias for {env.path}: another env already has the alias {env.name}")
            continue
        seen.add(env.name)
        app.result(shell.alias(AliasSpec(env.name, env.project, env.path, env.location)))
