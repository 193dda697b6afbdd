from __future__ import annotations

import click

from vem.cli._app import App, json_option, name_argument, pass_app


@click.command()
@name_argument
@click.option(
    "--to", "to", metavar="LOC", required=True, help="project, central, or a plugin's location."
)
@json_option
@pass_app
def move(app: App, name: str | None, to: str, as_json: bool) -> None:
    """Move an environment to another location (the current project's by default).

    Its packages move with it (never reinstalled); scripts, .project and vem's
    record follow. Prints the new path.
    """
    from vem.cli.progress import sigterm_as_interrupt, steps
    from vem.ops.move import MoveOptions
    from vem.ops.move import move as run_move

    ws = app.workspace()
    with steps(app) as progress, sigterm_as_interrupt():
        result = run_move(ws, MoveOptions(to=to, name=name, progress=progress))
    app.finish(result)
    if not result.moved:
        app.info(f"{result.env.path} already is a {result.env.location} env")
    if as_json:
        app.json(result.env.to_json())
    else:
        app.result(str(result.env.path))
