"""What every operation returns: its own fields plus the warnings and hints for the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, TypeAlias

#: A JSON value, as the CLI prints it with ``--json``.
JSON: TypeAlias = "str | int | float | bool | list[JSON] | dict[str, JSON] | None"


class Outcome(Protocol):
    """What the CLI shows after any operation's result: its warnings and hints. Most
    results are :class:`Result` dataclasses; the few on the hot path of `vem path` and
    `vem activate` are NamedTuples with the same two fields."""

    @property
    def warnings(self) -> list[str]: ...

    @property
    def hints(self) -> list[str]: ...


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
