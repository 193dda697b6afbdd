from __future__ import annotations

import click

from vem.cli._app import App, json_option, location_option, name_argument, pass_app
from vem.cli.render import env_details


@click.command()
@name_argument
@location_option
@json_option
@pass_app
def info(app: App, name: str | None, location: str | None, as_json: bool) -> None:
    """Show one environment in detail (the current project's by default)."""
    ws = app.workspace(location=location)
    env = ws.find_env(name)
    app.flush_warnings(ws)
    if as_json:
        app.json(env.to_json())
    else:
        app.result(env_details(env))
