"""The ``vem`` command: a Click group whose subcommands are imported only when used,
so ``vem path`` and ``vem activate`` start fast."""

from __future__ import annotations

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

    def invoke(self, ctx: click.Context) -> Any:
        with handle_errors(ctx):
            return super().invoke(ctx)


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
    """
    ctx.obj = App(quiet=quiet, verbose=verbose, no_color=no_color)


def main() -> None:
    """The console script: Click without its standalone handling, so that Ctrl-C is
    exit 130 (not Click's "Aborted!" and 1) and a closed pipe is no traceback."""
    try:
        rv = cli.main(prog_name="vem", standalone_mode=False)
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
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
