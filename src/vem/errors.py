"""Errors that reach the user, each with the exit code of the CLI contract.

Core code raises these; only the CLI edge turns them into a message and an exit code.
"""

from __future__ import annotations


class VemError(Exception):
    """A failure the user should see as one message (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InvalidInput(VemError):
    """Usage error or invalid input: a bad name, key or value (exit 2)."""

    exit_code = 2


class EnvNotFound(VemError):
    """No environment where one was looked for (exit 3)."""

    exit_code = 3


class EnvExists(VemError):
    """The environment already exists (exit 4)."""

    exit_code = 4


class Unsafe(VemError):
    """Refused as unsafe: not an env, a protected directory, or needs --yes (exit 5)."""

    exit_code = 5


class Interrupted(VemError):
    """Interrupted by the user (exit 130); nothing half-made is left behind."""

    exit_code = 130
