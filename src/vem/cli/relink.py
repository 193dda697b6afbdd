from __future__ import annotations

import click

from vem.cli._app import App, location_option, name_argument, pass_app


@click.command()
@name_argument
@location_option
@click.option(
    "--project", "project", metavar="DIR", help="The project the env belongs to now (.project)."
)
@pass_app
def relink(app: App, name: str | None, location: str | None, project: str | None) -> None:
    """Repair an env that was moved or renamed, or whose project was: its activate
    scripts, console-script shebangs, editable install and vem's record name where it
    is now. --project DIR also links a central env to the project at DIR."""
    from vem.ops.relink import RelinkOptions
    from vem.ops.relink import relink as run_relink
    from vem.places.settings import Flags

    result = run_relink(
        app.workspace(Flags(location=location)), RelinkOptions(name=name, project=project)
    )
    if result.old_path is not None:
        app.info(f"relinked {result.env.path} (was {result.old_path}): {len(result.changed)} files")
    elif result.changed:
        app.info(f"updated {', '.join(str(p) for p in result.changed)}")
    else:
        app.info(f"{result.env.path} already points at itself: nothing to relink")
    app.finish(result)
    app.result(str(result.env.path))
