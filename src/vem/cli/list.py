from __future__ import annotations

import click

from vem.cli._app import App, json_option, location_option, pass_app
from vem.cli.render import env_table


@click.command("list")
@location_option
@json_option
@pass_app
def list(app: App, location: str | None, as_json: bool) -> None:
    """List every environment vem can see: central ones (also virtualenvwrapper's and
    pew's), project envs vem made or activated, and the current project's."""
    from vem.ops.find import list_envs

    result = list_envs(app.workspace(), location)
    app.finish(result)
    envs = result.envs
    if as_json:
        app.json([{**env.to_json(), "active": str(env.path) == result.active} for env in envs])
    elif envs:
        app.result(env_table(envs, color=app.out_color, active=result.active))
    else:
        app.info("no environments yet; make one with `vem create`")
