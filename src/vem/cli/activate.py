"""``vem activate``: print code that activates an env in the calling shell.

Hidden options serve the shell integration (``vem shell-init``): ``--cd`` (workon),
``--auto-hook`` (the directory hook), ``--dispatch`` (csh's alias) and
``--complete-names`` (tab completion).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from vem.cli._app import App, location_option, pass_app
from vem.errors import InvalidInput, VemError
from vem.shells import Shell, Target, detect_shell, get_shell


@click.command()
@click.argument("args", nargs=-1, metavar="[NAME]")
@click.option("--shell", "shell_name", metavar="SHELL", help="bash, zsh, sh, fish, tcsh, ...")
@location_option
@click.option("--cd", "cd_project", is_flag=True, hidden=True)
@click.option("--auto-hook", is_flag=True, hidden=True)
@click.option("--dispatch", is_flag=True, hidden=True)
@click.option("--complete-names", is_flag=True, hidden=True)
@pass_app
def activate(
    app: App,
    args: tuple[str, ...],
    shell_name: str | None,
    location: str | None,
    cd_project: bool,
    auto_hook: bool,
    dispatch: bool,
    complete_names: bool,
) -> None:
    """Print shell code that activates an environment (the current project's by
    default) in the calling shell. SHELL is detected when not given.

    \b
    bash, zsh, sh:  eval "$(vem activate)"
    fish:           vem activate --shell fish | source
    tcsh:           eval "`vem activate --shell tcsh`"
    Or add `vem shell-init SHELL` to your rc file, then: vem activate [NAME]
    """
    if complete_names:
        app.result("\n".join(_names(app, location)))
        return
    shell = get_shell(shell_name) if shell_name else detect_shell()
    if auto_hook:
        sys.stdout.write(_auto_hook(shell))
        return
    if dispatch:
        sys.stdout.write(_dispatch(app, shell, args))
        return
    if len(args) > 1:
        raise InvalidInput(f"activate takes at most one NAME, got {len(args)}: {' '.join(args)}")
    sys.stdout.write(activation_code(app, shell, args[0] if args else None, location, cd_project))
    if sys.stdout.isatty():
        click.echo(
            f"# this is shell code: run `{shell.eval_hint}`, or add "
            f"`{shell.rc_line}` to {shell.rc_file} and run `vem activate`",
            err=True,
        )


def activation_code(
    app: App, shell: Shell, name: str | None, location: str | None, cd_project: bool
) -> str:
    ws = app.workspace(location=location)
    env = ws.find_usable_env(name)  # an unfinished env is not offered
    app.flush_warnings(ws)
    if env.status != "ok":
        app.warn(f"the environment at {env.path} is {env.status}")
    from vem.usage import mark_used, marks_usage

    if marks_usage(ws, env):  # never writes into an env that is not vem's
        mark_used(env.path)  # for `vem prune --unused-for`: one utime
    # a .venv pointer never makes an env trusted for --auto
    trusted = ws.reached_by_pointer is None
    if trusted and env.project is not None and env.location in ("project", "central"):
        # remembered: `vem list` shows project envs, and --auto trusts what you activated
        try:
            ws.known.add(env.path, env.project, env.location)
        except (OSError, VemError) as exc:
            app.warn(f"could not record {env.path}: {exc}")
    cd = env.project if cd_project and env.project is not None else None
    return shell.switch(target=Target(env.path, env.prompt), cd=cd)


def _auto_hook(shell: Shell) -> str:
    """Only vem's record of envs is read: the hook runs on every change of directory."""
    from vem.known import KnownEnvs
    from vem.shells.auto import hook_code
    from vem.workspace import AppDirs

    dirs = AppDirs.from_platform()
    return hook_code(shell, KnownEnvs(dirs.data_dir, dirs.lock_dir).entries(), os.environ)


def _dispatch(app: App, shell: Shell, args: tuple[str, ...]) -> str:
    """csh has no functions: its ``vem`` alias runs this, which returns code that
    acts on the shell for activate/deactivate/workon, else runs the real vem."""
    from vem.shells._base import FUNCTION_COMMANDS
    from vem.shells.csh import Tcsh

    if not isinstance(shell, Tcsh):
        raise InvalidInput("--dispatch is for csh/tcsh only")
    command, rest = (args[0], list(args[1:])) if args else ("", [])
    if command not in FUNCTION_COMMANDS or {"-h", "--help"} & set(rest):
        return shell.run(args)
    if command == "deactivate":
        if not os.environ.get("VIRTUAL_ENV"):
            raise VemError("no environment is active")
        return shell.deactivate()
    if command == "workon" and not rest:
        return shell.run(["list"])
    flags = ["--cd"] if command == "workon" else []
    ctx = activate.make_context("vem activate", [*flags, *rest], obj=app)
    name = ctx.params["args"][0] if ctx.params["args"] else None
    return activation_code(app, shell, name, ctx.params["location"], ctx.params["cd_project"])


def _names(app: App, location: str | None) -> list[str]:
    """Env names ``vem activate NAME`` accepts (central ones unless -l says otherwise)."""
    from vem.env import is_env
    from vem.names import validate_name

    ws = app.workspace(location=location)
    loc, _ = ws.choose_location(name_given=True)
    names = []
    for path in loc.enumerate(ws.ctx):
        name = path.parent.name if path.name == ".venv" else path.name
        try:
            validate_name(name)
        except InvalidInput:
            continue
        if is_env(Path(path)):
            names.append(name)
    return sorted(set(names))
