"""Text renderings of envs for humans (JSON is the env object itself)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import click

from vem.env import Env
from vem.health import STATUS_OK

_COLUMNS = ("NAME", "LOCATION", "PYTHON", "STATUS", "PROJECT", "PATH")

#: Invisible characters that reorder text (the "Trojan Source" bidi controls).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` made safe for a terminal: control characters (ESC, OSC sequences, a
    newline that would split a table row, bidi overrides) are shown escaped, and bytes
    that were not UTF-8 as ``\\xNN``. Every human output goes through this; JSON keeps
    the real strings."""
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or 0x7F <= code < 0xA0 or ch in _BIDI or 0xD800 <= code < 0xE000:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _home_short(path: object) -> str:
    if path is None:
        return "-"
    text = str(path)
    home = os.path.expanduser("~")
    if text == home or text.startswith(home + os.sep):
        return "~" + text[len(home) :]
    return text


def env_table(envs: Sequence[Env], *, color: bool) -> str:
    rows = [
        tuple(
            printable(cell)
            for cell in (
                e.name,
                e.location,
                e.python or "?",
                e.status,
                _home_short(e.project),
                _home_short(e.path),
            )
        )
        for e in envs
    ]
    widths = [max(len(r[i]) for r in [_COLUMNS, *rows]) for i in range(len(_COLUMNS))]

    def line(cells: Sequence[str], status_ok: bool = True, header: bool = False) -> str:
        parts = []
        for i, cell in enumerate(cells):
            text = cell.ljust(widths[i]) if i < len(cells) - 1 else cell
            if color and header:
                text = click.style(text, bold=True)
            elif color and i == 3 and not status_ok:
                text = click.style(text, fg="red")
            parts.append(text)
        return "  ".join(parts)

    lines = [line(_COLUMNS, header=True)]
    lines += [line(r, status_ok=r[3] == STATUS_OK) for r in rows]
    return "\n".join(lines)


def env_details(env: Env) -> str:
    data = env.to_json()
    width = max(len(k) for k in data)
    return "\n".join(
        f"{k.ljust(width)}  {'-' if v is None else printable(str(v))}" for k, v in data.items()
    )
