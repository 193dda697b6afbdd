"""The activate scripts vem writes into an env, replacing the stdlib's (which, on
the Pythons here, execute ``$(...)`` found in the env's path: CVE-2024-9287).

``bin/activate`` is sourced by bash, zsh and sh alike, so it is the POSIX activation
with each shell's way of setting the prompt, chosen when it runs."""

from __future__ import annotations

from vem.shells._base import Shell, Target
from vem.shells.bash import Bash
from vem.shells.csh import Tcsh
from vem.shells.fish import Fish
from vem.shells.nushell import Nushell
from vem.shells.posix import PosixShell
from vem.shells.powershell import PowerShell
from vem.shells.sh import Sh
from vem.shells.zsh import Zsh


class SourcedPosix(PosixShell):
    """``bin/activate``: for whichever POSIX shell sources it."""

    name = "sh"
    rc_file = rc_line = ""
    auto_template = ""

    def ps1_code(self, prompt: str) -> str:
        def indent(code: str) -> str:
            return "\n".join("    " + line for line in code.splitlines())

        return (
            '    if [ -n "${ZSH_VERSION-}" ]; then\n'
            f"{indent(Zsh().ps1_code(prompt))}\n"
            '    elif [ -n "${BASH_VERSION-}" ]; then\n'
            f"{indent(Bash().ps1_code(prompt))}\n"
            "    else\n"
            f"{indent(Sh().ps1_code(prompt))}\n"
            "    fi"
        )


SCRIPTS: tuple[Shell, ...] = (SourcedPosix(), Fish(), Tcsh(), PowerShell(), Nushell())


def write_scripts(target: Target) -> None:
    for shell in SCRIPTS:
        assert shell.script_name is not None
        # The env is still marked incomplete while this runs: no need for atomic writes.
        (target.bin / shell.script_name).write_text(shell.script(target), encoding="utf-8")
