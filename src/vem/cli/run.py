from __future__ import annotations

import os
import subprocess
import sys

import click

from vem.cli._app import App, location_option, pass_app


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option(
    "-e", "--env", "name", metavar="NAME", help="The env (default: the current project's)."
)
@location_option
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@pass_app
def run(app: App, name: str | None, location: str | None, command: tuple[str, ...]) -> None:
    """Run COMMAND with the env active; its exit code is vem's.

    \b
    vem run -- pytest -q
    vem run -e tools -- black .
    """
    from vem.errors import VemError
    from vem.ops.run import run_environment
    from vem.places.settings import Flags

    result = run_environment(app.workspace(Flags(location=location)), name, command)
    app.finish(result)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        try:
            os.execve(result.program, result.argv, result.environ)
        except OSError as exc:
            raise VemError(f"cannot run {command[0]}: {exc.strerror}") from None
    proc = subprocess.run([str(result.program), *result.argv[1:]], env=result.environ)
    sys.exit(proc.returncode)
