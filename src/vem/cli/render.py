"""Text renderings of envs for humans (JSON is the env object itself)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import click

from vem.env import Env
from vem.health import STATUS_OK
from vem.sizes import EnvSize

_COLUMNS = ("NAME", "LOCATION", "PYTHON", "STATUS", "PROJECT", "PATH")


def _home_short(path: object) -> str:
    if path is None:
        return "-"
    text = str(path)
    home = os.path.expanduser("~")
    if text == home or text.startswith(home + os.sep):
        return "~" + text[len(home) :]
    return text


def env_table(
    envs: Sequence[Env],
    *,
    color: bool,
    tools: Sequence[str | None] | None = None,
    sizes: Sequence[EnvSize | None] | None = None,
    total: int | None = None,
) -> str:
    """The table of ``list``; with ``tools`` (``--all``) another tool's env shows its
    tool as its location; with ``sizes`` (``--size``) SIZE and SHARED columns and a
    total line."""
    from vem.sizes import human_size

    columns = list(_COLUMNS)
    rows = []
    for i, e in enumerate(envs):
        tool = tools[i] if tools is not None else None
        row = [
            e.name,
            f"{e.location} ({tool})" if tool else e.location,
            e.python or "?",
            e.status,
            _home_short(e.project),
        ]
        if sizes is not None:
            size = sizes[i]
            row += [human_size(size.size), human_size(size.shared_size)] if size else ["?", "?"]
        rows.append([*row, _home_short(e.path)])
    if sizes is not None:
        columns[5:5] = ["SIZE", "SHARED"]
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
    right = {5, 6} if sizes is not None else set()

    def line(cells: Sequence[str], status_ok: bool = True, header: bool = False) -> str:
        parts = []
        for i, cell in enumerate(cells):
            if i in right:
                text = cell.rjust(widths[i])
            else:
                text = cell.ljust(widths[i]) if i < len(cells) - 1 else cell
            if color and header:
                text = click.style(text, bold=True)
            elif color and i == 3 and not status_ok:
                text = click.style(text, fg="red")
            parts.append(text)
        return "  ".join(parts)

    lines = [line(columns, header=True)]
    lines += [line(r, status_ok=r[3] == STATUS_OK) for r in rows]
    if total is not None:
        n = len(envs)
        lines.append(
            f"total: {human_size(total)} in {n} environment{'s' if n != 1 else ''} "
            "(every file counted once)"
        )
    return "\n".join(lines)


def env_details(env: Env, extra: dict[str, object] | None = None) -> str:
    data = {**env.to_json(), **(extra or {})}
    width = max(len(k) for k in data)
    return "\n".join(f"{k.ljust(width)}  {'-' if v is None else v}" for k, v in data.items())
