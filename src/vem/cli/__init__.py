"""The ``vem`` command: a Click group whose subcommands are imported only when used,
so ``vem path`` and ``vem activate`` start fast."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from typing import Any

import click

from vem import __version__
from vem.cli._app import App, add_global_options, handle_errors

COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module, short help) -- the help is here so `vem --help` imports nothing
    "create": ("vem.cli.create", "Create an environment."),
    "list": ("vem.cli.list", "List every environment vem can see."),
    "info": ("vem.cli.info", "Show one environment in detail."),
    "path": ("vem.cli.path", "Print an environment's path."),
    "remove": ("vem.cli.remove", "Delete an environment (only ever an env)."),
    "run": ("vem.cli.run", "Run a command inside an environment."),
    "sync": ("vem.cli.sync", "Make an env hold its requirements (CI's one line)."),
    "config": ("vem.cli.config", "Read and write the user config."),
    "activate": ("vem.cli.activate", "Print shell code that activates an environment."),
    "shell-init": ("vem.cli.shell_init", "Print rc-file code for shell integration."),
    "alias": ("vem.cli.alias", "Print one shell alias per project environment."),
    "python": ("vem.cli.python", "Show the Python interpreters vem can find."),
    "doctor": ("vem.cli.doctor", "Find what is wrong with environments, and the fix."),
    "relink": ("vem.cli.relink", "Repair an environment that was moved or renamed."),
    "prune": ("vem.cli.prune", "Remove orphaned, broken, incomplete or unused envs."),
    "recreate": ("vem.cli.recreate", "Rebuild an environment with what it holds."),
    "move": ("vem.cli.move", "Move an environment to another location."),
    # these two are the shell function's (vem shell-init); the program explains that
    "workon": ("vem.cli.shell_only", "Activate an env and cd to its project (shell function)."),
    "deactivate": ("vem.cli.shell_only", "Leave the active env (shell function)."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[cmd_name][0])
        command = getattr(module, cmd_name.replace("-", "_"))
        assert isinstance(command, click.Command)
        add_global_options(command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            raise click.UsageError(_unknown_command(name), ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        with handle_errors(ctx):
            return super().invoke(ctx)


def _unknown_command(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(COMMANDS), n=1)
    suggestion = f"; did you mean {close[0]!r}?" if close else ""
    return f"no such command {name!r}{suggestion} (vem --help lists them)"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # click.version_option would import locale (and metadata) on every start
    if value:
        click.echo(f"vem {__version__}")
        ctx.exit(0)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say more (sources of settings, details).")
@click.option("--no-color", is_flag=True, envvar="VEM_NO_COLOR", help="Never use colour.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool, no_color: bool) -> None:
    """vem: a safe, fast virtual environment manager for every shell.

    \b
    In a project:  vem create · eval "$(vem activate)" · vem run -- pytest
    Named envs:    vem create tools · vem list · vem remove tools --yes
    Shell:         eval "$(vem shell-init bash)" in ~/.bashrc adds
                   vem activate [NAME] · vem deactivate · vem workon NAME
    """
    ctx.obj = App(quiet=quiet, verbose=verbose, no_color=no_color)


def main() -> None:
    """The console script: Click without its standalone handling, so that Ctrl-C is
    exit 130 (not Click's "Aborted!" and 1) and a closed pipe is no traceback."""
    if sys.argv[1:2] == ["__complete"]:  # tab completion, for the shells' rc code
        from vem.cli.complete import run

        sys.exit(run(sys.argv[2:]))
    try:
        import _signal  # type: ignore[import-not-found]  # `signal` costs ~0.5 ms (enum)

        _signal.signal(_signal.SIGINT, _signal.default_int_handler)  # see vem/__init__.py
        _standard_streams()
        rv = cli.main(prog_name="vem", standalone_mode=False)
    except click.UsageError as exc:
        _usage_error(exc)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.Abort):
        click.echo("vem: error: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # `vem list | head -1`: the reader left; say nothing more on stdout.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    _flush_or_silence()
    sys.exit(rv if isinstance(rv, int) else 0)


def _usage_error(exc: click.UsageError) -> None:
    """One `vem: error:` line and a hint naming the help to read (exit 2), as every
    other error of vem; not Click's three-line usage block."""
    command = exc.ctx.command_path if exc.ctx is not None else "vem"
    color = "NO_COLOR" not in os.environ and sys.stderr.isatty() and "--no-color" not in sys.argv
    prefix = click.style("vem: error:", fg="red", bold=True) if color else "vem: error:"
    click.echo(f"{prefix} {exc.format_message()}", err=True, color=color)
    click.echo(f"hint: {command} --help", err=True)
    sys.exit(exc.exit_code)


def _standard_streams() -> None:
    """Give a closed stdin, stdout or stderr (``<&-``, ``>&-``, ``2>&-``) /dev/null, so
    vem runs as usual and no file it opens later takes the number 0, 1 or 2 (where
    pip, or a later print, would write into it)."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if getattr(sys, name) is None:
            # lives as long as the process, as sys.stdout does
            stream = open(fd, mode, encoding="utf-8", closefd=False)  # noqa: SIM115
            setattr(sys, name, stream)


def _flush_or_silence() -> None:
    """Flush the output now: a stream that is full or gone (``>/dev/full``) must not
    turn a finished job into Python's exit code 120 at shutdown."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stream.fileno())


if __name__ == "__main__":  # pragma: no cover
    main()
