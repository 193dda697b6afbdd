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
    from vem.ops.inventory import Listed, add_sizes
    from vem.sizes import human_size

    ws = app.workspace(location=location)
    env = ws.find_env(name)
    app.flush_warnings(ws)
    item = Listed(env)
    warnings: list[str] = []
    add_sizes([item], warnings)
    for warning in warnings:
        app.warn(warning)
    if as_json:
        app.json(item.to_json())
    else:
        assert item.size is not None
        size, shared = item.size.size, item.size.shared_size
        app.result(env_details(env, {"size": human_size(size), "shared_size": human_size(shared)}))
