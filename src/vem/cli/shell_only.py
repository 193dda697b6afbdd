"""``vem workon`` and ``vem deactivate`` without the shell function: they act on the
calling shell, which only the function from ``vem shell-init`` can do. The program
says so (exit 2), instead of Click's "No such command"."""

from __future__ import annotations

import click

from vem.errors import InvalidInput


def _needs_the_function(verb: str) -> InvalidInput:
    from vem.shells import detect_shell

    try:
        shell = detect_shell()
        where = f"add `{shell.rc_line}` to {shell.rc_file}"
    except InvalidInput:
        where = 'add `eval "$(vem shell-init bash)"` (or your shell\'s line) to your rc file'
    return InvalidInput(
        f"`vem {verb}` acts on your shell, so it needs the vem shell function",
        hint=f"{where}, then open a new shell (see `vem shell-init --help`)",
    )


_SETTINGS = {"ignore_unknown_options": True, "allow_extra_args": True}


@click.command(context_settings=_SETTINGS)
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="NAME")
def workon(args: tuple[str, ...]) -> None:
    """Activate an env and cd to its project (needs the function from `vem shell-init`)."""
    raise _needs_the_function("workon")


@click.command(context_settings=_SETTINGS)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def deactivate(args: tuple[str, ...]) -> None:
    """Leave the active env (needs the function from `vem shell-init`)."""
    raise _needs_the_function("deactivate")
