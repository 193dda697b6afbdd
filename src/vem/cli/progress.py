"""Showing a long command's steps: a spinner on a terminal, plain lines otherwise."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

from vem.cli._app import App
from vem.result import Progress, Step


@contextlib.contextmanager
def steps(app: App) -> Iterator[Progress]:
    """Yield a ``progress(step)`` callback. On a colour terminal (stderr) a Rich spinner
    shows the current step; elsewhere each step is one line on stderr (silenced by -q)."""
    if not app.err_color or app.quiet:
        yield lambda step: app.info(step.text)
        return
    from rich.console import Console

    status = Console(stderr=True).status("")
    status.start()
    running = True

    def progress(step: Step) -> None:
        nonlocal running
        if running and step.loud:
            status.stop()  # a child process (pip) writes to the terminal from here on
            running = False
        if running:
            from rich.markup import escape

            from vem.cli.render import printable

            status.update(escape(printable(step.text)))
        else:
            app.info(step.text)

    try:
        yield progress
    finally:
        if running:
            status.stop()


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (a cancelled CI job, ``kill``) like Ctrl-C, so the same cleanup
    runs and nothing half-made is left behind."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
