"""``vem __complete -- WORD... INCOMPLETE``: tab completion for every shell, driven by
the Click definitions of the commands, so a new command or option completes without
a change to any shell's code.

It prints one candidate a line, ``value<TAB>description``; ``@file`` / ``@dir`` ask
the shell to complete a path instead. What completes:

- subcommands (and a group's subcommands), with their short help;
- options of the command being typed (``-x`` / ``--long``), with their help;
- option and argument values: Click ``Choice`` values; ``Path`` parameters as files
  or directories; booleans; and, by what the parameter is (its option names, its
  name or metavar), env names for ``-e/--env`` and every NAME of an existing env (as
  ``vem list`` shows them), shells for ``--shell`` / SHELL, locations for
  ``-l/--location`` / ``--to``, config keys and their values.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import click

#: Commands whose NAME is a new env, not an existing one.
NEW_NAME_COMMANDS = frozenset({"create"})
FILE = "@file"
DIR = "@dir"

Item = tuple[str, str]


def run(argv: Sequence[str]) -> int:
    """The hidden command: ``argv`` is ``["--", word, ..., incomplete]``, or
    ``["--line", LINE]`` (tcsh: the command line so far; values only, no paths)."""
    line_mode = argv[:1] == ["--line"]
    if line_mode:
        words = split_line(argv[1] if len(argv) > 1 else "")
    else:
        words = list(argv[1:] if argv[:1] == ["--"] else argv) or [""]
    try:
        items = complete(words[:-1], words[-1])
    except Exception:  # completion must never print a traceback into a command line
        return 1
    if line_mode:
        lines = [_clean(value) for value, _ in items if value not in (FILE, DIR)]
    else:
        lines = [_clean(value) + (f"\t{_clean(text)}" if text else "") for value, text in items]
    try:
        sys.stdout.write("".join(line + "\n" for line in lines))
        sys.stdout.flush()
    except BrokenPipeError:
        return 1
    return 0


def split_line(line: str) -> list[str]:
    """The words after the program in ``line``, the last one being completed."""
    import shlex

    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    if not line or line[-1].isspace():
        words.append("")
    return words[1:] or [""]


def _clean(text: str) -> str:
    return "".join(" " if ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)


def complete(args: Sequence[str], incomplete: str) -> list[Item]:
    """Candidates for ``incomplete`` after the words ``args`` (the words after vem)."""
    from vem.cli import cli

    command: click.Command = cli
    path: list[str] = []
    positional: list[str] = []
    pending: click.Option | None = None
    only_args = False
    for word in args:
        if pending is not None:
            pending = None
        elif not only_args and word == "--":
            only_args = True
        elif not only_args and word.startswith("-") and len(word) > 1:
            option = _option(command, word.split("=", 1)[0])
            if option is not None and _takes_value(option) and "=" not in word:
                pending = option
        elif isinstance(command, click.Group):
            sub = command.get_command(click.Context(command), word)
            if sub is None:
                return []
            command, positional, only_args = sub, [], False
            path.append(word)
        else:
            positional.append(word)
            if not command.allow_interspersed_args:
                only_args = True
    if pending is not None:
        return _matching(_values(pending, path, positional, incomplete), incomplete)
    if not only_args and incomplete.startswith("-"):
        name, eq, value = incomplete.partition("=")
        option = _option(command, name) if eq else None
        if option is not None and _takes_value(option):
            values = _matching(_values(option, path, positional, value), value)
            return [(f"{name}={v}", h) for v, h in values]
        return _matching(_options(command), incomplete)
    if isinstance(command, click.Group):
        return _matching(_subcommands(command, top=not path), incomplete)
    argument = _argument(command, len(positional))
    if argument is None:
        return []
    return _matching(_values(argument, path, positional, incomplete), incomplete)


def _matching(items: list[Item], incomplete: str) -> list[Item]:
    if items and items[0][0] in (FILE, DIR):
        return items[:1]
    return [item for item in items if item[0].startswith(incomplete)]


def _option(command: click.Command, name: str) -> click.Option | None:
    for param in command.params:
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _takes_value(option: click.Option) -> bool:
    return not option.is_flag and not option.count


def _options(command: click.Command) -> list[Item]:
    items: list[Item] = []
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            for opt in (*param.opts, *param.secondary_opts):
                items.append((opt, _first_line(param.help or "")))
    items.append(("--help", "Show the help and exit."))
    return sorted(set(items), key=lambda item: (not item[0].startswith("--"), item[0]))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _subcommands(group: click.Group, *, top: bool) -> list[Item]:
    if top:  # the help is in the table: nothing imported
        from vem.cli import COMMANDS

        return [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)]
    ctx = click.Context(group)
    items = []
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            items.append((name, sub.get_short_help_str(limit=60)))
    return items


def _argument(command: click.Command, index: int) -> click.Argument | None:
    """The argument a positional word at ``index`` fills (``nargs=-1`` takes the rest)."""
    seen = 0
    for param in command.params:
        if not isinstance(param, click.Argument):
            continue
        if param.nargs < 0:
            return param
        if index < seen + param.nargs:
            return param
        seen += param.nargs
    return None


def _values(
    param: click.Parameter, path: Sequence[str], positional: Sequence[str], incomplete: str
) -> list[Item]:
    """What ``param`` of the command at ``path`` takes."""
    kind = _kind(param, path)
    if kind is not None:
        return KINDS[kind](path, positional)
    ptype = param.type
    if isinstance(ptype, click.Choice):
        return [(str(choice), "") for choice in ptype.choices]
    if isinstance(ptype, click.Path):
        return [(DIR if not ptype.file_okay else FILE, "")]
    if isinstance(ptype, click.types.BoolParamType):
        return [("true", ""), ("false", "")]
    if ptype is click.UNPROCESSED:
        return [(FILE, "")]
    return []


def _kind(param: click.Parameter, path: Sequence[str]) -> str | None:
    """What a parameter is, from its option names, name and metavar."""
    opts = set(getattr(param, "opts", ()))
    name = param.name or ""
    metavar = (param.metavar or "").upper()
    if opts & {"--shell"} or (isinstance(param, click.Argument) and "SHELL" in metavar):
        return "shell"
    if opts & {"-l", "--location", "--to"}:
        return "location"
    if opts & {"-e", "--env"}:
        return "env"
    if list(path[:1]) == ["config"] and name in ("key", "value"):
        return f"config-{name}"
    if isinstance(param, click.Argument) and (name == "name" or "NAME" in metavar):
        return None if path and path[0] in NEW_NAME_COMMANDS else "env"
    return None


def _env_names(path: Sequence[str], positional: Sequence[str]) -> list[Item]:
    """The names `vem list` shows that a NAME finds (central and project envs)."""
    from vem.cli._app import App
    from vem.errors import VemError
    from vem.names import validate_name

    ws = App().workspace()
    items: dict[str, str] = {}
    for env in ws.list_envs():
        try:
            validate_name(env.name)
        except VemError:
            continue
        where = f" for {env.project}" if env.project is not None else ""
        items.setdefault(env.name, f"{env.location} env{where}")
    return sorted(items.items())


def _shells(path: Sequence[str], positional: Sequence[str]) -> list[Item]:
    from vem.shells import SHELLS

    return [(name, "") for name in SHELLS]


def _locations(path: Sequence[str], positional: Sequence[str]) -> list[Item]:
    from vem.places.locations import LocationRegistry

    registry = LocationRegistry()
    return [(name, "") for name in registry.names()]


def _config_keys(path: Sequence[str], positional: Sequence[str]) -> list[Item]:
    from vem.places.settings import KEYS

    return [(key, spec.help) for key, spec in KEYS.items()]


def _config_values(path: Sequence[str], positional: Sequence[str]) -> list[Item]:
    from vem.places.settings import KEYS

    key = positional[0] if positional else ""
    spec = KEYS.get(key)
    if spec is None:
        return []
    if key == "location":
        return _locations(path, positional)
    if isinstance(spec.default, bool):
        return [("true", ""), ("false", "")]
    if key == "installer":
        return [("pip", ""), ("uv", "")]
    return []


KINDS: dict[str, Callable[[Sequence[str], Sequence[str]], list[Item]]] = {
    "env": _env_names,
    "shell": _shells,
    "location": _locations,
    "config-key": _config_keys,
    "config-value": _config_values,
}
