from __future__ import annotations

import os
import shutil
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
    from vem.run import activated_environ

    ws = app.workspace(location=location)
    env = ws.find_usable_env(name)
    app.flush_warnings(ws)
    from vem.usage import mark_used, marks_usage

    if marks_usage(ws, env):  # never writes into an env that is not vem's
        mark_used(env.path)  # for `vem prune --unused-for`
    environ = activated_environ(env.path, env.prompt, os.environ)
    program = shutil.which(command[0], path=environ["PATH"])
    if program is None:
        raise VemError(f"command not found: {command[0]}")
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        try:
            os.execve(program, list(command), environ)
        except OSError as exc:
            raise VemError(f"cannot run {command[0]}: {exc.strerror}") from None
    proc = subprocess.run([program, *command[1:]], env=environ)
    sys.exit(proc.returncode)
