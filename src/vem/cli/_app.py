"""What every command shares: the App object (passed with ``pass_obj``), output to
the right stream, and turning vem's errors into one message and a contract exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vem.errors import Interrupted, InvalidInput, VemError
from vem.text import is_utf8

if TYPE_CHECKING:
    from vem.places.settings import Flags
    from vem.places.workspace import Workspace
    from vem.result import JSON, Outcome


def report(error: VemError, *, color: bool) -> click.exceptions.Exit:
    """Print ``error`` (and its hint) on stderr; return the Exit carrying its code.

    Click's own Exit is used (not ClickException, whose exit code is per class), so
    standalone Click, ``main()`` and CliRunner all see the contract's code."""
    prefix = click.style("vem: error:", fg="red", bold=True) if color else "vem: error:"
    _echo_err(f"{prefix} {_printable(error.message)}", color=color)
    if error.hint:
        _echo_err(f"hint: {_printable(error.hint)}", color=color)
    return click.exceptions.Exit(error.exit_code)


def _printable(text: str) -> str:
    from vem.cli.render import printable

    return printable(text, keep_newlines=True)


def _echo_err(text: str, *, color: bool | None = None) -> None:
    """A line for humans on stderr. A closed, full or gone stream (``2>&-``,
    ``2>/dev/full``, ``2>&1 | head -1``) never stops the work it reports on."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(text, err=True, color=color)


@contextlib.contextmanager
def handle_errors(ctx: click.Context) -> Iterator[None]:
    def app() -> App:  # looked up when an error happens: the group sets it after we start
        return ctx.obj if isinstance(ctx.obj, App) else App()

    try:
        yield
    except VemError as exc:
        raise report(exc, color=app().err_color) from None
    except (KeyboardInterrupt, click.Abort):
        raise report(Interrupted("interrupted"), color=app().err_color) from None
    except UnicodeError as exc:  # text vem cannot write: bytes that were not UTF-8
        if app().verbose:
            raise
        error = InvalidInput(f"text that is not valid UTF-8: {exc}")
        raise report(error, color=app().err_color) from None
    except OSError as exc:
        if app().verbose:
            raise
        where = f": {exc.filename}" if exc.filename else ""
        raise report(VemError(f"{exc.strerror or exc}{where}"), color=app().err_color) from None


class App:
    """Per-invocation state for the CLI; builds the core Workspace on demand."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False, no_color: bool = False):
        self.quiet = quiet
        self.verbose = verbose
        self.no_color = no_color or "NO_COLOR" in os.environ

    @property
    def err_color(self) -> bool:
        return not self.no_color and sys.stderr.isatty()

    @property
    def out_color(self) -> bool:
        return not self.no_color and sys.stdout.isatty()

    def workspace(self, flags: Flags | None = None, *, project: Path | None = None) -> Workspace:
        """The core's view of this invocation; ``flags`` are settings given as options."""
        from vem.places.workspace import AppDirs, Workspace

        return Workspace(
            cwd=Path.cwd(),
            dirs=AppDirs.from_platform(),
            environ=os.environ,
            flags=flags,
            project_dir=project.absolute() if project is not None else None,
        )

    # -- output ---------------------------------------------------------------
    def result(self, text: str) -> None:
        """The command's result, on stdout: a path as the file system spells it, also
        one that is not UTF-8 (``caf\\xe9``)."""
        click.echo(text if is_utf8(text) else os.fsencode(text))

    def json(self, data: JSON) -> None:
        import json

        text = json.dumps(data, indent=2, ensure_ascii=False)
        click.echo(text if is_utf8(text) else json.dumps(data, indent=2))

    def info(self, text: str) -> None:
        """Progress and notes for humans, on stderr; silenced by -q."""
        if not self.quiet:
            _echo_err(_printable(text))

    def warn(self, text: str) -> None:
        prefix = click.style("warning:", fg="yellow") if self.err_color else "warning:"
        _echo_err(f"{prefix} {_printable(text)}", color=self.err_color)

    def subprocess_output(self) -> int | None:
        """Where child processes (pip) may write: stderr's descriptor, or None (discard)
        under -q or when stderr is not a real file."""
        if self.quiet:
            return None
        try:
            return sys.stderr.fileno()
        except (OSError, ValueError):
            return None

    def detail(self, text: str) -> None:
        """Only with -v."""
        if self.verbose:
            _echo_err(_printable(text))

    def finish(self, result: Outcome) -> None:
        """What every command shows after its result: the operation's warnings and
        hints, on stderr (hints are silenced by -q, warnings are not)."""
        for warning in result.warnings:
            self.warn(warning)
        for hint in result.hints:
            self.info(f"hint: {hint}")


pass_app = click.pass_obj


def _set_on_app(attr: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        app = ctx.find_object(App)
        if value and app is not None:
            setattr(app, attr, True)

    return callback


_GLOBAL_FLAGS = (
    (("-q", "--quiet"), "quiet"),
    (("-v", "--verbose"), "verbose"),
    (("--no-color",), "no_color"),
)


def _global_params() -> list[click.Parameter]:
    return [
        click.Option(
            list(opts),
            is_flag=True,
            expose_value=False,
            hidden=True,
            callback=_set_on_app(attr),
            is_eager=True,
        )
        for opts, attr in _GLOBAL_FLAGS
    ]


def add_global_options(command: click.Command) -> None:
    """Let -q/-v/--no-color follow any subcommand too (``vem create -q``), as users
    type them; options a command already defines are left alone."""
    taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
    for param in _global_params():
        if not taken.intersection(param.opts):
            command.params.append(param)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_global_options(sub)


location_option = click.option(
    "-l", "--location", metavar="LOC", default=None, help="project, central, or a plugin's."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
name_argument = click.argument("name", required=False)
