"""What every shell has in common: the target of an activation, template rendering,
and the :class:`Shell` base class each shell module fills in."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar, NamedTuple

from vem.env.layout import bin_dir

#: Characters that are literal in every prompt language vem writes to (bash, zsh,
#: dash, tcsh): a prompt made only of these is put into PS1/prompt as it is.
_PLAIN_PROMPT = re.compile(r"[\w.+@:,=/ ~#-]*")

#: Subcommands the ``vem`` shell function handles itself; the rest pass through
#: (``remove`` too, which then deactivates an active env it removed).
FUNCTION_COMMANDS = ("activate", "deactivate", "workon")

_PLACEHOLDER = re.compile(r"@@(\w+)@@")
#: Words that mean themselves unquoted in sh, fish and csh.
_SAFE_WORD = re.compile(r"[A-Za-z0-9_./-]+")


def is_safe_word(text: str) -> bool:
    return _SAFE_WORD.fullmatch(text) is not None


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill ``@@KEY@@`` placeholders in one pass, so a value (a quoted path that
    happens to contain ``@@KEY@@``) is never substituted again."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def is_plain_prompt(prompt: str) -> bool:
    return _PLAIN_PROMPT.fullmatch(prompt) is not None


class Target(NamedTuple):
    """An env to activate: its path, bin dir and prompt (without parentheses)."""

    path: Path
    prompt: str

    @property
    def bin(self) -> Path:
        return bin_dir(self.path)


def printable(target: Target) -> Target:
    """``target`` with each control character of its prompt (read from a pyvenv.cfg or
    a folder name: anything) shown as ``?``: a newline would break csh's one-line code,
    an escape sequence the terminal."""
    prompt = "".join("?" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in target.prompt)
    return target._replace(prompt=prompt)


class HookFiles(NamedTuple):
    """The files the ``--auto`` hook reads (vem's record decides where they are)."""

    #: the project roots of trusted envs, one a line, after a generation line
    roots: Path
    #: the same roots as csh code (csh has no builtin that reads a file)
    roots_csh: Path
    #: tcsh's hook script (its code does not fit an alias)
    csh_hook: Path


class AliasSpec(NamedTuple):
    """One ``vem alias`` line: NAME goes to PROJECT and activates ENV."""

    name: str
    project: Path
    env: Path
    location: str


class Shell(ABC):
    """One shell's dialect. Subclasses set the class variables and the templates;
    everything that returns code returns a string and never prints."""

    #: the name used with ``--shell`` and ``shell-init``
    name: ClassVar[str]
    #: how a user runs ``vem activate``'s output in this shell
    eval_hint: ClassVar[str]
    #: the rc file the shell-init line goes in, and that line
    rc_file: ClassVar[str]
    rc_line: ClassVar[str]
    #: the file name of this shell's activate script inside an env, if it has one
    script_name: ClassVar[str | None] = None

    #: code templates (``@@KEY@@`` placeholders, see :meth:`values`)
    activate_template: ClassVar[str]
    init_template: ClassVar[str]
    auto_template: ClassVar[str]
    #: code that deactivates the active env, if one is active
    deactivate_code: ClassVar[str]
    #: ``str.format`` patterns for changing directory and (un)setting a variable
    cd_pattern: ClassVar[str]
    assign_pattern: ClassVar[str]
    unassign_pattern: ClassVar[str]

    @abstractmethod
    def quote(self, text: str) -> str:
        """``text`` as one literal word: nothing in it is expanded or executed."""

    def values(self, target: Target) -> dict[str, str]:
        """The quoted values the activation template refers to."""
        return {
            "ENV": self.quote(str(target.path)),
            "PROMPT": self.quote(target.prompt),
            "BIN": self.quote(str(target.bin)),
        }

    def activate(self, target: Target) -> str:
        """Code that deactivates any active env, then activates ``target``."""
        return render(self.activate_template, self.values(printable(target)))

    def deactivate(self) -> str:
        return self.deactivate_code

    def cd(self, directory: Path) -> str:
        return self.cd_pattern.format(self.quote(str(directory)))

    def assign(self, name: str, value: str) -> str:
        return self.assign_pattern.format(name=name, value=self.quote(value))

    def unassign(self, name: str) -> str:
        return self.unassign_pattern.format(name=name)

    def switch(
        self,
        *,
        target: Target | None = None,
        deactivate: bool = False,
        cd: Path | None = None,
        variables: Mapping[str, str | None] | None = None,
    ) -> str:
        """What ``vem activate`` prints: deactivate, activate ``target``, set (or, for
        None, remove) ``variables``, then cd, each only if asked for."""
        parts = [self.deactivate()] if deactivate else []
        if target is not None:
            parts.append(self.activate(target))
        for name, value in (variables or {}).items():
            parts.append(self.assign(name, value) if value is not None else self.unassign(name))
        if cd is not None:
            parts.append(self.cd(cd))
        return "".join(parts)

    def init_values(self, commands: Sequence[str]) -> dict[str, str]:
        """What the rc-file templates refer to: the shell's name and the subcommands
        (completion itself asks ``vem __complete``, see vem.cli.complete)."""
        return {
            "SHELL": self.name,
            "COMMANDS": self.word_list(commands),
        }

    def word_list(self, words: Sequence[str]) -> str:
        """A list of plain words (subcommand names) in the rc-file code."""
        return " ".join(words)

    def init(self, commands: Sequence[str], *, hook: HookFiles | None = None) -> str:
        """rc-file code: the ``vem`` function, completion, and with ``hook`` the
        ``--auto`` hook, which reads those files."""
        values = self.init_values(commands)
        code = render(self.init_template, values)
        if hook is None:
            return code
        return code + "\n" + render(self.auto_template, {**values, **self.auto_values(hook)})

    def auto_values(self, hook: HookFiles) -> dict[str, str]:
        """What the hook's template refers to: the roots file, quoted."""
        return {"ROOTS": self.quote(str(hook.roots))}

    def files(self, hook: HookFiles) -> dict[Path, str]:
        """Files the ``--auto`` rc code reads (tcsh's hook script), to write first."""
        return {}

    @abstractmethod
    def alias(self, spec: AliasSpec) -> str:
        """One line defining ``spec.name`` as: cd to the project, activate the env."""

    def script(self, target: Target) -> str:
        """The activate script written into an env (default: the activation code)."""
        header = (
            "# Written by vem: source this file to activate the env; `deactivate` undoes it.\n"
            "# It quotes every path itself: nothing in the env's path is ever executed.\n\n"
        )
        return header + self.activate(target)

    def alias_args(self, spec: AliasSpec) -> tuple[str, ...]:
        """How the alias names the env to ``vem activate``: by its path."""
        return (str(spec.env),)

    def activate_command(self, spec: AliasSpec, program: str = "command vem") -> str:
        """``vem activate --shell NAME ARGS...`` for an alias, its arguments quoted."""
        return " ".join(
            (program, "activate --shell", self.name, *map(self.quote, self.alias_args(spec)))
        )

    def words(self, items: Sequence[str]) -> str:
        """Several quoted words separated by spaces."""
        return " ".join(self.quote(item) for item in items)
