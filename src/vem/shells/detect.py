"""Which shell started vem: the nearest ancestor process that is a shell we know."""

from __future__ import annotations

import os


def detect() -> str | None:
    """The parent shell's name per shellingham; else the basename of $SHELL."""
    from vem.shells import lookup

    name: str | None
    try:
        import shellingham

        name = str(shellingham.detect_shell()[0])
    except Exception:  # ShellDetectionFailure, or an OS it does not support
        name = None
    if name is not None and lookup(name) is not None:
        return name
    fallback = os.environ.get("SHELL")
    if fallback and lookup(fallback) is not None:
        return fallback
    return name
