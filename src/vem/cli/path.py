from __future__ import annotations

import click

from vem.cli._app import App, location_option, name_argument, pass_app


@click.command()
@name_argument
@location_option
@pass_app
def path(app: App, name: str | None, location: str | None) -> None:
    """Print the absolute path of an environment (the current project's by default)."""
    from vem.ops.info import path as path_op
    from vem.places.settings import Flags

    result = path_op(app.workspace(Flags(location=location)), name)
    app.finish(result)
    app.result(str(result.env.path))
