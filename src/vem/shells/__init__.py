"""Shell support: quoting, activation code, rc-file code, and the activate scripts
written into the envs vem makes. Nothing here prints: every function returns text.

Interface used by create (keep it stable): :func:`write_activate_scripts`.
"""

from __future__ import annotations

import os
from pathlib import Path

from vem.errors import InvalidInput
from vem.shells._base import AliasSpec, Shell, Target
from vem.shells.bash import Bash
from vem.shells.csh import Tcsh
from vem.shells.fish import Fish
from vem.shells.nushell import Nushell
from vem.shells.powershell import PowerShell
from vem.shells.sh import Sh
from vem.shells.zsh import Zsh

__all__ = [
    "SHELLS",
    "AliasSpec",
    "Shell",
    "Target",
    "detect_shell",
    "get_shell",
    "shell_names",
    "write_activate_scripts",
]

#: The registry: every shell by its name. Lookups also accept each shell's aliases.
SHELLS: dict[str, Shell] = {
    shell.name: shell for shell in (Bash(), Zsh(), Sh(), Fish(), Tcsh(), PowerShell(), Nushell())
}
_BY_ALIAS: dict[str, Shell] = {alias: shell for shell in SHELLS.values() for alias in shell.aliases}


def shell_names() -> list[str]:
    """Names ``--shell`` accepts: the shells' names, then their aliases."""
    return [*SHELLS, *_BY_ALIAS]


def lookup(name: str) -> Shell | None:
    """The shell called ``name`` (a name, an alias or a path to the program)."""
    key = os.path.basename(name).lower().removesuffix(".exe").lstrip("-")
    return SHELLS.get(key) or _BY_ALIAS.get(key)


def get_shell(name: str) -> Shell:
    shell = lookup(name)
    if shell is None:
        raise InvalidInput(f"unsupported shell {name!r}; supported: {', '.join(shell_names())}")
    return shell


def detect_shell() -> Shell:
    """The shell vem was started from: the parent process (via shellingham), else
    $SHELL. Raises InvalidInput when neither names a supported shell."""
    from vem.shells.detect import detect

    found = detect()
    if found is None:
        raise InvalidInput(
            "could not tell which shell this is",
            hint=f"pass --shell, one of: {', '.join(SHELLS)}",
        )
    return get_shell(found)


def write_activate_scripts(env_path: Path, prompt: str) -> None:
    """Replace the stdlib activate scripts of ``env_path`` with vem's safe ones."""
    from vem.shells.scripts import write_scripts

    write_scripts(Target(env_path, prompt))
