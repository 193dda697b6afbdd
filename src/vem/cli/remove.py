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
    from vem.deletion import check_deletable, delete_env
    from vem.env import is_env
    from vem.errors import Unsafe
    from vem.names import is_path_like
    from vem.workspace import expand_path

    ws = app.workspace(location=location)
    if name is not None and is_path_like(name):
        target = expand_path(name, ws.cwd)
        if target.exists() and not is_env(target):
            raise Unsafe(f"{target} is not an environment (no pyvenv.cfg); nothing was deleted")
    env = ws.find_env(name)
    protected = ws.guards
    check_deletable(env.path, protected=protected)
    if not yes:
        if not sys.stdin.isatty():
            raise Unsafe(f"not removing {env.path} without --yes (no terminal to ask on)")
        if not click.confirm(f"Remove {env.name} at {env.path}?", default=False, err=True):
            raise Unsafe("not removed", hint="vem remove --yes skips the question")
    delete_env(env.path, protected=protected)
    ws.known.discard(env.path)
    app.flush_warnings(ws)
    from vem.cli.shell_only import warn_if_active

    warn_if_active(app, env.path)
    if as_json:
        app.json({**env.to_json(), "removed": True})
    else:
        app.info(f"removed {env.path}")
