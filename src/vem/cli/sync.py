from __future__ import annotations

from pathlib import Path

import click

from vem.cli._app import App, json_option, location_option, name_argument, pass_app


@click.command()
@name_argument
@click.option(
    "-r",
    "--requirement",
    "requirements",
    multiple=True,
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="A requirements file (repeatable; default: [tool.vem] requirements, "
    "else requirements.txt).",
)
@click.option("-p", "--python", "python", metavar="SPEC", help="The Python (default: the env's).")
@location_option
@click.option("--exact", is_flag=True, help="Also uninstall what the requirements do not need.")
@click.option("--installer", metavar="pip|uv", help="What installs (default: pip, or the setting).")
@json_option
@pass_app
def sync(
    app: App,
    name: str | None,
    requirements: tuple[Path, ...],
    python: str | None,
    location: str | None,
    exact: bool,
    installer: str | None,
    as_json: bool,
) -> None:
    """Make the env exist, be healthy and hold the requirements: created, rebuilt,
    updated or unchanged (then nothing runs).

    \b
    vem sync                      the project's env, from requirements.txt
    vem sync -r dev.txt --exact   exactly what dev.txt needs
    """
    import contextlib

    from vem.ops.sync import SyncOptions
    from vem.ops.sync import sync as run_sync
    from vem.places.settings import Flags
    from vem.result import Progress, Step

    ws = app.workspace(Flags(location=location, python=python, installer=installer))
    with contextlib.ExitStack() as stack:
        shown: list[Progress] = []

        def progress(step: Step) -> None:
            # The spinner (Rich) starts with the first step: an unchanged env has none.
            if not shown:
                from vem.cli.progress import sigterm_as_interrupt, steps

                shown.append(stack.enter_context(steps(app)))
                stack.enter_context(sigterm_as_interrupt())
            shown[0](step)

        result = run_sync(
            ws,
            SyncOptions(
                name=name,
                requirements=requirements,
                exact=exact,
                output_fd=app.subprocess_output(),
                progress=progress,
            ),
        )
    app.detail(f"requirements from {result.requirements.source}")
    app.detail(ws.settings.get("installer").describe("installer"))
    app.finish(result)
    if result.removed:
        app.info("uninstalled " + ", ".join(result.removed))
    files = ", ".join(str(f) for f in result.requirements.files) or "no requirement files"
    app.info(f"{result.action}: {result.env.path} ({files})")
    if as_json:
        app.json({**result.env.to_json(), "action": result.action})
    else:
        app.result(str(result.env.path))
