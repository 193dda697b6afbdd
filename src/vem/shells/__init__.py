"""Shell support: quoting, activation code, rc-file code, and the activate scripts
written into the envs vem makes. Nothing here prints: every function returns text.

Interface used by create (keep it stable): :func:`write_activate_scripts`.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from vem.errors import InvalidInput
from vem.shells._base import AliasSpec, Shell, Target

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

#: The registry: shell name -> (module, class). A shell's module is imported only
#: when that shell is used, so `vem activate` loads one of them.
SHELLS: dict[str, tuple[str, str]] = {
    "bash": ("vem.shells.bash", "Bash"),
    "zsh": ("vem.shells.zsh", "Zsh"),
    "sh": ("vem.shells.sh", "Sh"),
    "fish": ("vem.shells.fish", "Fish"),
    "tcsh": ("vem.shells.csh", "Tcsh"),
    "powershell": ("vem.shells.powershell", "PowerShell"),
    "nu": ("vem.shells.nushell", "Nushell"),
}
#: Other names for them (what shellingham reports, what users type).
ALIASES: dict[str, str] = {
    "dash": "sh",
    "ash": "sh",
    "posix": "sh",
    "csh": "tcsh",
    "pwsh": "powershell",
    "nushell": "nu",
}


def shell_names() -> list[str]:
    """Names ``--shell`` accepts: the shells' names, then their aliases."""
    return [*SHELLS, *ALIASES]


def lookup(name: str) -> Shell | None:
    """The shell called ``name`` (a name, an alias or a path to the program)."""
    key = os.path.basename(name).lower().removesuffix(".exe").lstrip("-")
    key = ALIASES.get(key, key)
    if key not in SHELLS:
        return None
    module, cls = SHELLS[key]
    shell = getattr(importlib.import_module(module), cls)()
    assert isinstance(shell, Shell)
    return shell


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
