"""What a NAME on the command line may be."""

from __future__ import annotations

import os
import re

from vem.errors import InvalidInput
from vem.text import has_control_chars

_NAME = re.compile(r"[A-Za-z0-9._-]+")


def validate_name(name: str) -> str:
    """An env name: one path component of ``[A-Za-z0-9._-]``, not ``.``/``..``,
    not starting with ``-``, not empty. Anything else raises InvalidInput (exit 2)."""
    if not name:
        raise InvalidInput("an environment name cannot be empty")
    if name in (".", "..") or name.startswith("-") or not _NAME.fullmatch(name):
        raise InvalidInput(
            f"invalid environment name {name!r}: use letters, digits, '.', '_' and '-' "
            "(not starting with '-', not '.' or '..')"
        )
    return name


def validate_prompt(prompt: str) -> str:
    """A ``--prompt``: printable text. A newline or an escape would break the activate
    scripts (csh) and the user's terminal (exit 2)."""
    if has_control_chars(prompt):
        raise InvalidInput(
            f"invalid prompt {prompt!r}: it holds control characters (a newline, tab or "
            "escape); use printable text"
        )
    return prompt


def is_path_like(name: str) -> bool:
    """A NAME that means a directory: has a separator, is ``.``/``..``, or starts with ``~``."""
    return (
        os.sep in name
        or (os.altsep is not None and os.altsep in name)
        or name in (".", "..")
        or name.startswith("~")
    )
