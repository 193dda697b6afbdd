from __future__ import annotations

import click

from vem.cli._app import App, location_option, name_argument, pass_app


@click.command()
@name_argument
@location_option
@pass_app
def path(app: App, name: str | None, location: str | None) -> None:
    """Print the absolute path of an environment (the current project's by default)."""
    ws = app.workspace(location=location)
    env = ws.find_usable_env(name)
    app.flush_warnings(ws)
    app.result(str(env.path))
