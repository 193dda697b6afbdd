from __future__ import annotations

import click

from vem.cli._app import App, json_option, pass_app


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@click.group()
def config() -> None:
    """Read and write the user config (a TOML file in the user config dir)."""


@config.command("list")
@json_option
@pass_app
def list_(app: App, as_json: bool) -> None:
    """Every key with its effective value and where it came from."""
    from vem.settings import KEYS

    ws = app.workspace()
    values = {key: ws.settings.get(key) for key in KEYS}
    if as_json:
        app.json({k: {"value": v.value, "source": v.source} for k, v in values.items()})
        return
    app.info(f"# config file: {ws.config.path}")
    from vem.cli.render import printable

    for key, value in values.items():
        app.result(printable(f"{key} = {_show(value.value)}  # {value.source}"))


@config.command()
@click.argument("key")
@pass_app
def get(app: App, key: str) -> None:
    """Print KEY's effective value."""
    ws = app.workspace()
    value = ws.settings.get(key)
    app.detail(value.describe(key))
    app.result(_show(value.value))


@config.command("set")
@click.argument("key")
@click.argument("value")
@pass_app
def set_(app: App, key: str, value: str) -> None:
    """Set KEY to VALUE in the user config."""
    ws = app.workspace()
    if key == "location":
        ws.locations.get(value)  # unknown location: exit 2 naming the valid ones
    stored = ws.config.set(key, value)
    app.flush_warnings(ws)
    app.info(f"{key} = {_show(stored)} (in {ws.config.path})")


@config.command()
@click.argument("key")
@pass_app
def unset(app: App, key: str) -> None:
    """Remove KEY from the user config."""
    ws = app.workspace()
    if ws.config.unset(key):
        app.info(f"{key} unset (in {ws.config.path})")
    else:
        app.info(f"{key} was not set in {ws.config.path}")
