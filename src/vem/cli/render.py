"""Text renderings of envs for humans (JSON is the env object itself)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import click

from vem.env import Env
from vem.health import STATUS_OK

_COLUMNS = ("NAME", "LOCATION", "PYTHON", "STATUS", "PROJECT", "PATH")


def _home_short(path: object) -> str:
    if path is None:
        return "-"
    text = str(path)
    home = os.path.expanduser("~")
    if text == home or text.startswith(home + os.sep):
        return "~" + text[len(home) :]
    return text


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    color: bool,
    alert: Callable[[Sequence[str]], int | None] = lambda _row: None,
) -> str:
    """Columns padded to their widest cell (the last one is not padded); the header in
    bold and, per row, the cell at index ``alert(row)`` in red, when colour is on."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str], header_line: bool = False) -> str:
        red = None if header_line else alert(cells)
        parts = []
        for i, cell in enumerate(cells):
            text = cell.ljust(widths[i]) if i < len(cells) - 1 else cell
            if color and header_line:
                text = click.style(text, bold=True)
            elif color and i == red:
                text = click.style(text, fg="red")
            parts.append(text)
        return "  ".join(parts)

    return "\n".join([line(header, header_line=True), *(line(r) for r in rows)])


def env_table(envs: Sequence[Env], *, color: bool, active: str | None = None) -> str:
    """One row an env; the active one (``$VIRTUAL_ENV``) is marked with ``*``."""
    rows = [
        (
            ("* " if str(e.path) == active else "") + e.name,
            e.location,
            e.python or "?",
            e.status,
            _home_short(e.project),
            _home_short(e.path),
        )
        for e in envs
    ]
    return table(_COLUMNS, rows, color=color, alert=lambda r: 3 if r[3] != STATUS_OK else None)


def env_details(env: Env) -> str:
    data = env.to_json()
    width = max(len(k) for k in data)
    return "\n".join(f"{k.ljust(width)}  {'-' if v is None else v}" for k, v in data.items())


def printable(text: str) -> str:
    """``text`` safe to show on a terminal: control characters (escape sequences from
    a hostile pyvenv.cfg prompt or path) are shown escaped, never sent raw."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
