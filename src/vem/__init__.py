"""vem: a safe, fast virtual environment manager for every shell."""

__version__ = "0.1.0"


def _quiet_interrupts_while_starting() -> None:
    """Ctrl-C while vem is still importing (the first ~80 ms) exits 130 with one line,
    not a traceback: nothing has been done yet. ``vem.cli.main`` puts Python's own
    handler back (KeyboardInterrupt) once it can clean up. Only for the program
    (``vem`` or ``python -m vem``), never when vem is imported as a library."""
    import os
    import sys

    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 != "-m" and os.path.basename(argv0) != "vem":
        return
    # the C module: `signal` itself would first import enum (~1 ms of Python code
    # that a Ctrl-C could interrupt)
    import _signal  # type: ignore[import-not-found]

    def handler(_signum: int, _frame: object) -> None:
        try:
            os.write(2, b"vem: error: interrupted\n")
        finally:
            os._exit(130)

    _signal.signal(_signal.SIGINT, handler)


_quiet_interrupts_while_starting()
