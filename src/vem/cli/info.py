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
    from vem.ops.find import info as info_op
    from vem.settings import Flags

    result = info_op(app.workspace(Flags(location=location)), name)
    app.finish(result)
    if as_json:
        app.json(result.env.to_json())
    else:
        app.result(env_details(result.env))
