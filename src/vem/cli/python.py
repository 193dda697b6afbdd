"""``vem python``: the interpreters vem can see, and which one ``-p SPEC`` picks."""

from __future__ import annotations

from typing import Any

import click

from vem.cli._app import App, json_option, pass_app


@click.group()
def python() -> None:
    """Show the Python interpreters vem can find (for `create -p SPEC`)."""


def _cache_dir(app: App) -> Any:
    return app.workspace().dirs.cache_dir


@python.command("list")
@json_option
@pass_app
def list_(app: App, as_json: bool) -> None:
    """List every interpreter vem can see, in search order (running them once; cached)."""
    from vem.discovery import list_interpreters

    found = list_interpreters(cache_dir=_cache_dir(app))
    rows = [_row(f) for f in found]
    if as_json:
        app.json(rows)
        return
    if not rows:
        app.info("no Python interpreters found")
        return
    table = [("VERSION", "SOURCE", "STATUS", "PATH")]
    table += [(r["version"] or "-", r["source"], r["status"], r["path"]) for r in rows]
    widths = [max(len(t[i]) for t in table) for i in range(3)]
    lines = ["  ".join([*(t[i].ljust(widths[i]) for i in range(3)), t[3]]) for t in table]
    app.result("\n".join(lines))
    for r in rows:
        if r["reason"]:
            app.detail(f"{r['path']}: {r['reason']}")


@python.command("find")
@click.argument("spec", required=False)
@json_option
@pass_app
def find(app: App, spec: str | None, as_json: bool) -> None:
    """Print the interpreter that `vem create -p SPEC` would use."""
    from vem.discovery import find_interpreter

    interp = find_interpreter(spec, cache_dir=_cache_dir(app))
    if as_json:
        app.json(
            {
                "path": str(interp.path),
                "version": interp.version_str,
                "implementation": interp.implementation,
            }
        )
    else:
        app.result(str(interp.path))


def _row(found: Any) -> dict[str, Any]:
    result = found.result
    if result is None:
        status = "skipped" if found.reason.startswith("skipped") else "not-runnable"
    else:
        status = "ok" if result.has_venv else "no-venv"
    return {
        "path": str(found.candidate.path),
        "source": found.candidate.source,
        "version": result.version_str if result is not None else None,
        "implementation": result.implementation if result is not None else None,
        "executable": str(result.executable_for(found.candidate.path)) if result else None,
        "status": status,
        "reason": found.reason or None,
    }
