"""Text that came from the file system or the command line, where bytes that are not
UTF-8 arrive as lone surrogates (``caf\\udce9``): telling them and showing them."""

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
