"""Text renderings of envs for humans (JSON is the env object itself)."""

from __future__ import annotations

import os
from collections.abc import Sequence

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


def env_table(envs: Sequence[Env], *, color: bool) -> str:
    rows = [
        (e.name, e.location, e.python or "?", e.status, _home_short(e.project), _home_short(e.path))
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
    return "\n".join(f"{k.ljust(width)}  {'-' if v is None else v}" for k, v in data.items())


def printable(text: str) -> str:
    """``text`` safe to show on a terminal: control characters (escape sequences from
    a hostile pyvenv.cfg prompt or path) are shown escaped, never sent raw."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
