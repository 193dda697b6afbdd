"""What every operation returns: its own fields plus the warnings and hints for the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple, TypeAlias

#: A JSON value, as the CLI prints it with ``--json``.
JSON: TypeAlias = "str | int | float | bool | list[JSON] | dict[str, JSON] | None"


@dataclass
class Result:
    """Base of every operation's result. ``warnings`` are shown on stderr (also with
    ``--json``); ``hints`` are suggestions, each a true statement or a command that,
    followed literally, does what it says."""

    warnings: list[str] = field(default_factory=list, kw_only=True)
    hints: list[str] = field(default_factory=list, kw_only=True)


class Step(NamedTuple):
    """A progress event from a long operation: ``text`` is shown as the current step;
    ``loud`` says a child process (pip) writes to the terminal itself from here on."""

    text: str
    loud: bool = False


#: How an operation reports its steps as they start (the CLI may show a spinner).
Progress = Callable[[Step], None]


def no_progress(_step: Step) -> None:
    """A Progress that shows nothing."""
