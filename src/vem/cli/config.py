from __future__ import annotations

import click

from vem.cli._app import App, json_option, pass_app


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "(not set)" if value is None else str(value)


@click.group()
def config() -> None:
    """Read and write the user config (a TOML file in the user config dir)."""


@config.command("list")
@json_option
@pass_app
def list_(app: App, as_json: bool) -> None:
    """Every key with its effective value and where it came from."""
    from vem.ops.config import config_list

    result = config_list(app.workspace())
    app.finish(result)
    if as_json:
        app.json({k: {"value": v.value, "source": v.source} for k, v in result.values.items()})
        return
    app.info(f"# config file: {result.file}")
    from vem.cli.render import printable

    for key, value in result.values.items():
        app.result(printable(f"{key} = {_show(value.value)}  # {value.source}"))


@config.command()
@click.argument("key")
@pass_app
def get(app: App, key: str) -> None:
    """Print KEY's effective value (nothing when it is not set)."""
    from vem.ops.config import config_get

    result = config_get(app.workspace(), key)
    app.finish(result)
    value = result.values[key]
    app.detail(value.describe(key))
    app.result(_show(value.value) if value.value is not None else "")


@config.command("set")
@click.argument("key")
@click.argument("value")
@pass_app
def set_(app: App, key: str, value: str) -> None:
    """Set KEY to VALUE in the user config."""
    from vem.ops.config import config_set

    result = config_set(app.workspace(), key, value)
    app.finish(result)
    app.info(f"{key} = {_show(result.values[key].value)} (in {result.file})")


@config.command()
@click.argument("key")
@pass_app
def unset(app: App, key: str) -> None:
    """Remove KEY from the user config."""
    from vem.ops.config import config_unset

    result = config_unset(app.workspace(), key)
    app.finish(result)
    if result.changed:
        app.info(f"{key} unset (in {result.file})")
    else:
        app.info(f"{key} was not set in {result.file}")
