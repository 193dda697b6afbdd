from __future__ import annotations

import sys

import click

from vem.cli._app import App, json_option, location_option, name_argument, pass_app


@click.command()
@name_argument
@location_option
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@pass_app
def remove(app: App, name: str | None, location: str | None, yes: bool, as_json: bool) -> None:
    """Delete an environment (the current project's by default).

    Only a directory with pyvenv.cfg is ever deleted; a symlink is unlinked.
    """
    from vem.ops.remove import RemoveOptions
    from vem.ops.remove import remove as remove_op
    from vem.places.settings import Flags

    def confirm(question: str) -> bool:
        """Ask on stderr (stdout is for results); end of input is the default, no."""
        click.echo(f"{question} [y/N] ", err=True, nl=False)
        answer = sys.stdin.readline()
        if not answer:
            click.echo("", err=True)
        return answer.strip().lower() in ("y", "yes")

    ws = app.workspace(Flags(location=location))
    interactive = sys.stdin is not None and sys.stdin.isatty()
    result = remove_op(
        ws, RemoveOptions(name=name, yes=yes, confirm=confirm if interactive else None)
    )
    app.finish(result)
    if as_json:
        app.json({**result.env.to_json(), "removed": result.removed})
    else:
        app.info(f"removed {result.env.path}")
