"""``vem python``: the interpreters vem can see, and which one ``-p SPEC`` picks."""

from __future__ import annotations

import click

from vem.cli._app import App, json_option, pass_app


@click.group()
def python() -> None:
    """Show the Python interpreters vem can find (for create -p SPEC)."""


@python.command("list")
@json_option
@pass_app
def list_(app: App, as_json: bool) -> None:
    """List every interpreter vem can see, in search order.

    Each is run once to learn its version (cached); pyenv shims that fail show as
    not-runnable."""
    from vem.cli.render import table
    from vem.ops.python import python_list

    result = python_list(app.workspace())
    app.finish(result)
    if as_json:
        app.json([row.to_json() for row in result.rows])
        return
    if not result.rows:
        app.info("no Python interpreters found")
        return
    header = ("VERSION", "SOURCE", "STATUS", "PATH")
    cells = [(r.version or "-", r.source, r.status, r.path) for r in result.rows]
    app.result(table(header, cells, color=app.out_color))
    for r in result.rows:
        if r.reason:
            app.detail(f"{r.path}: {r.reason}")


@python.command("find")
@click.argument("spec", required=False)
@json_option
@pass_app
def find(app: App, spec: str | None, as_json: bool) -> None:
    """Print the interpreter that `vem create -p SPEC` would use."""
    from vem.ops.python import python_find

    result = python_find(app.workspace(), spec)
    app.finish(result)
    interp = result.interpreter
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
