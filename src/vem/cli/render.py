"""Text renderings of envs for humans (JSON is the env object itself)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import click

from vem.env.health import STATUS_OK
from vem.env.model import Env

if TYPE_CHECKING:
    from vem.env.sizes import EnvSize

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


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    color: bool,
    alert: Callable[[Sequence[str]], int | None] = lambda _row: None,
    right: frozenset[int] = frozenset(),
) -> str:
    """Columns padded to their widest cell (the last one is not padded; those in
    ``right`` are right-aligned); the header in bold and, per row, the cell at index
    ``alert(row)`` in red, when colour is on."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str], header_line: bool = False) -> str:
        red = None if header_line else alert(cells)
        parts = []
        for i, cell in enumerate(cells):
            if i in right:
                text = cell.rjust(widths[i])
            else:
                text = cell.ljust(widths[i]) if i < len(cells) - 1 else cell
            if color and header_line:
                text = click.style(text, bold=True)
            elif color and i == red:
                text = click.style(text, fg="red")
            parts.append(text)
        return "  ".join(parts)

    return "\n".join([line(header, header_line=True), *(line(r) for r in rows)])


def env_table(
    envs: Sequence[Env],
    *,
    color: bool,
    tools: Sequence[str | None] | None = None,
    sizes: Sequence[EnvSize | None] | None = None,
    total: int | None = None,
    active: str | None = None,
) -> str:
    """The table of ``list``; the active env (``$VIRTUAL_ENV``) is marked ``*``; with
    ``tools`` (``--all``) another tool's env shows its tool as its location; with
    ``sizes`` (``--size``) SIZE and SHARED columns and a total line."""
    columns = list(_COLUMNS)
    rows = []
    for i, e in enumerate(envs):
        tool = tools[i] if tools is not None else None
        row = [
            ("* " if str(e.path) == active else "") + e.name,
            f"{e.location} ({tool})" if tool else e.location,
            e.python or "?",
            e.status,
            _home_short(e.project),
        ]
        if sizes is not None:
            size = sizes[i]
            row += [human_size(size.size), human_size(size.shared_size)] if size else ["?", "?"]
        rows.append([printable(cell) for cell in [*row, _home_short(e.path)]])
    if sizes is not None:
        columns[5:5] = ["SIZE", "SHARED"]
    text = table(
        columns,
        rows,
        color=color,
        alert=lambda r: 3 if r[3] != STATUS_OK else None,
        right=frozenset({5, 6}) if sizes is not None else frozenset(),
    )
    if total is not None:
        n = len(envs)
        text += (
            f"\ntotal: {human_size(total)} in {n} environment{'s' if n != 1 else ''} "
            "(every file counted once)"
        )
    return text


def env_details(env: Env, extra: Mapping[str, object] | None = None) -> str:
    data = {**env.to_json(), **(extra or {})}
    width = max(len(k) for k in data)
    return "\n".join(
        f"{k.ljust(width)}  {'-' if v is None else printable(str(v))}" for k, v in data.items()
    )


def human_size(nbytes: int) -> str:
    """Binary units, as ``du -h``: ``512 B``, ``1.5 KiB``, ``12.3 MiB``, ``2.0 GiB``."""
    value = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{nbytes} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover
