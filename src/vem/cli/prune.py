from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from vem.cli._app import App, json_option, pass_app

if TYPE_CHECKING:
    from vem.ops.prune import Pruned


@click.command()
@click.option("--orphaned", is_flag=True, help="Central envs whose project is gone.")
@click.option("--broken", is_flag=True, help="Envs whose interpreter is gone.")
@click.option("--incomplete", is_flag=True, help="Envs whose creation did not finish.")
@click.option(
    "--unused-for",
    "unused_for",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Envs not activated, run or changed by vem for DAYS days.",
)
@click.option("--dry-run", is_flag=True, help="Only show what would be removed.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
@pass_app
def prune(
    app: App,
    orphaned: bool,
    broken: bool,
    incomplete: bool,
    unused_for: int | None,
    dry_run: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """Remove the envs `vem list` shows that match any criterion given (none given:
    orphaned, broken and incomplete). Each goes by `vem remove`'s safety rules; other
    tools' envs (`vem list --all`) are never touched.

    \b
    vem prune --dry-run               what would go
    vem prune --unused-for 90 --yes   envs vem has not used for 90 days
    """
    from vem.errors import Unsafe, VemError
    from vem.ops.prune import PruneOptions
    from vem.ops.prune import prune as prune_envs

    def confirm(envs: Sequence[Pruned], total: int) -> bool:
        app.info(_listing(envs, total, "will be removed"))
        return click.confirm(f"Remove {_count(envs)}?", default=False, err=True)

    ws = app.workspace()
    options = PruneOptions(
        orphaned=orphaned,
        broken=broken,
        incomplete=incomplete,
        unused_for=unused_for,
        dry_run=dry_run,
        yes=yes,
        confirm=confirm if sys.stdin.isatty() else None,
    )
    result = prune_envs(ws, options)
    app.finish(result)
    if as_json:
        app.json([item.to_json() for item in result.envs])
    elif dry_run and result.envs:
        # stdout holds only removed paths (the contract), and a dry run removes none:
        # what it would remove is the listing on stderr
        app.info(_listing(result.envs, result.total, "would be removed (dry run)"))
    for item in result.envs:
        if item.removed:
            if not as_json:
                app.result(str(item.env.path))
            app.info(f"removed {item.env.path} ({', '.join(item.reasons)})")
        elif item.kept_because is not None:
            app.warn(f"kept {item.env.path}: {item.kept_because}")
    if not result.envs:
        app.info("nothing to prune")
    if result.refused:
        raise Unsafe(f"{_count(result.refused)} refused and kept")
    if result.failed:
        raise VemError(f"{_count(result.failed)} could not be removed")


def _count(envs: Sequence[Pruned]) -> str:
    return f"{len(envs)} environment{'s' if len(envs) != 1 else ''}"


def _listing(envs: Sequence[Pruned], total: int, what: str) -> str:
    from vem.cli.render import human_size

    rows = [
        (human_size(p.size.size) if p.size else "?", str(p.env.path), ", ".join(p.reasons))
        for p in envs
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{_count(envs)} {what}:"]
    lines += [f"  {size.rjust(width)}  {path}  ({why})" for size, path, why in rows]
    lines.append(f"  total: {human_size(total)} (every file counted once)")
    return "\n".join(lines)
