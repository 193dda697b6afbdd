from __future__ import annotations

from pathlib import Path

import click

from vem.cli._app import App, json_option, location_option, pass_app


@click.command()
@click.argument("name", required=False)
@location_option
@click.option(
    "-p", "--python", "python", metavar="SPEC", help="3.12, 3.12.1, python3.12, >=3.11 or a path."
)
@click.option(
    "--prompt", metavar="TEXT", help="Prompt prefix (default: the project's or env's name)."
)
@click.option(
    "--system-site-packages", is_flag=True, help="Give the env access to the base site-packages."
)
@click.option(
    "--pip/--no-pip", "pip", default=None, help="Seed pip (default: yes, or the `pip` setting)."
)
@click.option("--upgrade-pip", is_flag=True, help="Then upgrade pip from the package index.")
@click.option(
    "--pip-copies",
    "pip_copies",
    is_flag=True,
    default=None,
    help="Copy pip into the env instead of hardlinking it from the cache.",
)
@click.option("--clear", is_flag=True, help="Rebuild an existing env (only ever deletes an env).")
@click.option("--exist-ok", is_flag=True, help="Succeed if a healthy env already exists.")
@click.option(
    "-r",
    "--requirement",
    "requirements",
    multiple=True,
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="pip install -r FILE (repeatable).",
)
@click.option(
    "--project",
    "project",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The project directory (default: found from the current one).",
)
@json_option
@pass_app
def create(
    app: App,
    name: str | None,
    location: str | None,
    python: str | None,
    prompt: str | None,
    system_site_packages: bool,
    pip: bool | None,
    upgrade_pip: bool,
    pip_copies: bool | None,
    clear: bool,
    exist_ok: bool,
    requirements: tuple[Path, ...],
    project: Path | None,
    as_json: bool,
) -> None:
    """Create an environment: <project>/.venv, or a named central env.

    \b
    vem create                 .venv in the current project
    vem create tools           ~/.virtualenvs/tools (or $WORKON_HOME/tools)
    vem create -l central      ~/.virtualenvs/<project name>, linked to the project
    """
    from vem.cli.progress import sigterm_as_interrupt, steps
    from vem.ops.create import CreateOptions
    from vem.ops.create import create as create_op
    from vem.places.settings import Flags

    if clear and exist_ok:
        raise click.UsageError("--clear and --exist-ok exclude each other")
    ws = app.workspace(
        Flags(
            location=location,
            python=python,
            pip=pip,
            pip_link=False if pip_copies else None,
        ),
        project=project,
    )
    options = CreateOptions(
        name=name,
        prompt=prompt,
        system_site_packages=system_site_packages,
        upgrade_pip=upgrade_pip,
        clear=clear,
        exist_ok=exist_ok,
        requirements=requirements,
        project_given=project is not None,
        output_fd=app.subprocess_output(),
    )
    with steps(app) as progress, sigterm_as_interrupt():
        result = create_op(ws, options, progress)
    app.detail(result.location.describe("location"))
    app.detail(f"python={result.python_path} {result.python_version} (from {result.python_source})")
    if result.pip is not None:
        app.detail(result.pip)
    if not result.built:
        app.info(f"{result.env.path} already exists and is healthy")
    app.finish(result)
    if as_json:
        app.json(result.env.to_json())
    else:
        app.result(str(result.env.path))
