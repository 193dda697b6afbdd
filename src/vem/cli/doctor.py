from __future__ import annotations

import click

from vem.cli._app import App, json_option, location_option, name_argument, pass_app
from vem.cli.render import printable


@click.command()
@name_argument
@location_option
@json_option
@pass_app
@click.pass_context
def doctor(
    ctx: click.Context, app: App, name: str | None, location: str | None, as_json: bool
) -> None:
    """Check every environment `list` shows (or one): what is wrong, why, and the one
    command that fixes it. Exit 1 when any has a problem. Never runs an env's python."""
    from vem.ops.doctor import DoctorOptions
    from vem.ops.doctor import doctor as run_doctor
    from vem.places.settings import Flags

    result = run_doctor(app.workspace(Flags(location=location)), DoctorOptions(name=name))
    app.finish(result)
    if as_json:
        app.json(result.to_json())
    else:
        for env in result.sick:
            click.echo(
                f"{printable(env.name)} ({printable(str(env.path))}): {env.status}", err=True
            )
            for problem in env.health.problems:
                click.echo(f"  {problem.status}: {printable(problem.message)}", err=True)
                click.echo(f"    fix: {printable(problem.fix)}", err=True)
        checked = len(result.envs)
        if result.sick:
            click.echo(f"{len(result.sick)} of {checked} environments need fixing", err=True)
        elif checked:
            app.info(
                f"all {checked} environments are healthy"
                if checked > 1
                else "the environment is healthy"
            )
        else:
            app.info("no environments to check: all is well")
    if result.sick:
        ctx.exit(1)
