from __future__ import annotations

import click

from vem.cli._app import App, json_option, location_option, pass_app
from vem.cli.render import env_table


@click.command("list")
@location_option
@click.option("--all", "all_", is_flag=True, help="Also other tools' envs (poetry, pipx, ...).")
@click.option("--size", is_flag=True, help="Add what each env costs on disk, and a total.")
@json_option
@pass_app
def list(app: App, location: str | None, all_: bool, size: bool, as_json: bool) -> None:
    """List every environment vem can see: central ones (also virtualenvwrapper's and
    pew's), project envs vem made or activated, and the current project's.

    --all adds the envs of poetry, pipenv, pdm, hatch, pipx, uv, pyenv-virtualenv, tox
    and nox in their default stores (vem never changes them, except `vem remove PATH`).
    """
    from vem.ops.list import InventoryOptions, inventory

    result = inventory(app.workspace(), InventoryOptions(location=location, all=all_, size=size))
    app.finish(result)
    if as_json:
        app.json([item.to_json() for item in result.envs])
    elif result.envs:
        app.result(
            env_table(
                [item.env for item in result.envs],
                color=app.out_color,
                tools=[item.tool for item in result.envs] if all_ else None,
                sizes=[item.size for item in result.envs] if size else None,
                total=result.total,
                active=next((str(i.env.path) for i in result.envs if i.active), None),
            )
        )
    else:
        app.info("no environments yet; make one with `vem create`")
