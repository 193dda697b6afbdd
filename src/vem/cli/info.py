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
    """Show one environment in detail (the current project's by default), with what
    it costs on disk: size (freed by removing it) and shared_size (hardlinked)."""
    from vem.cli.render import human_size
    from vem.ops.info import info as info_op
    from vem.places.settings import Flags

    result = info_op(app.workspace(Flags(location=location)), name)
    app.finish(result)
    size = result.size
    if as_json:
        app.json({**result.env.to_json(), "size": size.size, "shared_size": size.shared_size})
    else:
        extra = {"size": human_size(size.size), "shared_size": human_size(size.shared_size)}
        app.result(env_details(result.env, extra))
