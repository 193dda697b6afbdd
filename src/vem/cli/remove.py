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
    from vem.fsutil import path_lock
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
        if sys.stdin is None or not sys.stdin.isatty():
            raise Unsafe(f"not removing {env.path} without --yes (no terminal to ask on)")
        if not click.confirm(f"Remove {env.name} at {env.path}?", default=False, err=True):
            raise Unsafe("not removed", hint="vem remove --yes skips the question")
    with path_lock(ws.dirs.lock_dir, env.path):  # never while a create builds it
        delete_env(env.path, protected=protected)
    from vem.known import RecordNotWritten

    try:
        ws.known.discard(env.path)
    except RecordNotWritten as exc:  # the env is gone: that is no failure
        app.warn(f"{exc.message}; the environment was removed")
    app.flush_warnings(ws)
    if as_json:
        app.json({**env.to_json(), "removed": True})
    else:
        app.info(f"removed {env.path}")
