"""Rules for text: text that came from the file system or the command line (where bytes
that are not UTF-8 arrive as lone surrogates, ``caf\\udce9``), control characters, and
the X.Y of a version."""

from __future__ import annotations

from vem.errors import InvalidInput


def is_utf8(text: str) -> bool:
    """False for text holding bytes that were not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def require_utf8(text: str, what: str) -> str:
    """``text``, or exit 2 when it holds bytes that are not UTF-8."""
    if not is_utf8(text):
        raise InvalidInput(f"{what} {printable_path(text)} is not valid UTF-8 text")
    return text


def printable_path(text: object) -> str:
    """``text`` with each byte that was not UTF-8 shown as ``\\xNN``."""
    raw = str(text).encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


def is_control(ch: str) -> bool:
    """A C0/C1 control character or DEL (a newline, an escape...): the one rule."""
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0


def has_control_chars(text: str) -> bool:
    """Holds a control character (see :func:`is_control`)."""
    return any(is_control(c) for c in text)


def xy(version: str | tuple[int, ...] | None) -> str | None:
    """``"3.12"`` from ``"3.12.1"``, ``"3.12"`` or ``(3, 12, 1)``; None when the text
    does not start with two numbers."""
    if version is None:
        return None
    parts = [str(p) for p in version] if isinstance(version, tuple) else version.split(".")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    return f"{parts[0]}.{parts[1]}"
