"""``vem activate``: print code that activates an env in the calling shell.

Hidden options serve the shell integration (``vem shell-init``): ``--cd`` (workon),
``--auto-hook`` (the directory hook), ``--dispatch`` and ``--tty`` (csh's alias).
"""

from __future__ import annotations

import os
import sys

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
@click.option("--tty", type=click.IntRange(0, 1), default=1, hidden=True)
@pass_app
def activate(
    app: App,
    args: tuple[str, ...],
    shell_name: str | None,
    location: str | None,
    cd_project: bool,
    auto_hook: bool,
    dispatch: bool,
    tty: int,
) -> None:
    """Print shell code that activates an environment (the current project's by
    default) in the calling shell. SHELL is detected when not given.

    \b
    bash, zsh, sh:  eval "$(vem activate)"
    fish:           vem activate --shell fish | source
    tcsh:           eval "`vem activate --shell tcsh`"
    Or add `vem shell-init SHELL` to your rc file, then: vem activate [NAME]
    """
    shell = get_shell(shell_name) if shell_name else detect_shell()
    if auto_hook:
        sys.stdout.write(_auto_hook(shell))
        return
    if dispatch:
        sys.stdout.write(_dispatch(app, shell, args, captured=not tty))
        return
    if len(args) > 1:
        raise InvalidInput(f"activate takes at most one NAME, got {len(args)}: {' '.join(args)}")
    on_terminal = sys.stdout.isatty()
    code = activation_code(
        app, shell, args[0] if args else None, location, cd_project, record=not on_terminal
    )
    if on_terminal:
        # 40 lines of code on a terminal help nobody: say how to use them instead
        raise VemError(
            f"`vem activate` prints shell code to evaluate, so nothing was activated: "
            f"run `{shell.eval_hint}`, or add `{shell.rc_line}` to {shell.rc_file}"
        )
    sys.stdout.write(code)


def activation_code(
    app: App,
    shell: Shell,
    name: str | None,
    location: str | None,
    cd_project: bool,
    *,
    record: bool = True,
) -> str:
    from vem.ops.activate import activate_target
    from vem.places.settings import Flags

    result = activate_target(
        app.workspace(Flags(location=location)), name, cd_project=cd_project, record=record
    )
    app.finish(result)
    return shell.switch(target=Target(result.env.path, result.env.prompt), cd=result.cd)


def _auto_hook(shell: Shell) -> str:
    """Only vem's record of envs is read: the hook runs on entering a directory the
    roots file lists."""
    from vem.ops.activate import auto_hook

    return auto_hook(shell, os.environ)


def _dispatch(app: App, shell: Shell, args: tuple[str, ...], *, captured: bool) -> str:
    """csh has no functions: its ``vem`` alias runs this, which returns code that
    acts on the shell for activate/deactivate/workon, else runs the real vem.
    ``captured``: inside backquotes, where the code is printed instead."""
    from vem.shells._base import FUNCTION_COMMANDS
    from vem.shells.csh import Tcsh

    if not isinstance(shell, Tcsh):
        raise InvalidInput("--dispatch is for csh/tcsh only")
    command, rest = (args[0], list(args[1:])) if args else ("", [])
    if {"-h", "--help"} & set(rest):
        return shell.run(args)
    if command == "remove":
        return shell.remove(rest)
    if command not in FUNCTION_COMMANDS:
        return shell.run(args)
    if command == "deactivate":
        if not os.environ.get("VIRTUAL_ENV"):
            raise VemError("no environment is active")
        return "echo deactivate;\n" if captured else shell.deactivate()
    if command == "workon" and not rest:
        return shell.run(["list"])
    flags = ["--cd"] if command == "workon" else []
    if captured:
        return shell.run(["activate", "--shell", shell.name, *flags, *rest])
    ctx = activate.make_context("vem activate", [*flags, *rest], obj=app)
    name = ctx.params["args"][0] if ctx.params["args"] else None
    return activation_code(app, shell, name, ctx.params["location"], ctx.params["cd_project"])
