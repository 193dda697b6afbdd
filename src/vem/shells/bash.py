"""bash: PS1 refers to $VIRTUAL_ENV_PROMPT when the prompt has special characters
(bash expands ``$(...)`` in PS1), and the ``--auto`` hook runs from PROMPT_COMMAND."""

from __future__ import annotations

from vem.shells.posix import AUTO, FUNCTION, PosixShell

# Completion asks `vem __complete` (vem.cli.complete), which knows every command and
# option from their Click definitions; `@file`/`@dir` mean: complete a path.
COMPLETION = """\
_vem_complete () {
    local cur=${COMP_WORDS[COMP_CWORD]} line
    local -a items
    mapfile -t items < <(command vem __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    COMPREPLY=()
    for line in "${items[@]}"; do
        case $line in
            @file|@dir)
                compopt -o filenames 2>/dev/null
                local flag=-f
                [ "$line" = @dir ] && flag=-d
                mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen "$flag" -- "$cur") ;;
            *) COMPREPLY+=("${line%%$'\\t'*}") ;;
        esac
    done
}
complete -F _vem_complete vem
"""

# Our hook goes first in PROMPT_COMMAND (string or bash 5.1 array) and keeps $?
# for whatever runs after it; sourcing the rc file twice installs it once.
AUTO_HOOK = """\
_vem_auto_prompt () {
    local status=$?
    _vem_auto
    return "$status"
}
if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
    [[ " ${PROMPT_COMMAND[*]} " == *" _vem_auto_prompt "* ]] \\
        || PROMPT_COMMAND=(_vem_auto_prompt "${PROMPT_COMMAND[@]}")
else
    [[ ";${PROMPT_COMMAND-};" == *";_vem_auto_prompt;"* ]] \\
        || PROMPT_COMMAND="_vem_auto_prompt${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
"""


class Bash(PosixShell):
    name = "bash"
    rc_file = "~/.bashrc"
    rc_line = 'eval "$(vem shell-init bash)"'
    has_deactivate = "declare -F deactivate >/dev/null"
    init_template = FUNCTION + "\n" + COMPLETION
    auto_template = AUTO + "\n" + AUTO_HOOK

    def ps1_special(self, prompt: str) -> str:
        # With promptvars (the default) PS1 names the variable; without it only
        # backslash escapes are decoded, so backslashes are doubled.
        literal = self.quote("(" + prompt.replace("\\", "\\\\") + ") ")
        return (
            "    if shopt -q promptvars 2>/dev/null; then\n"
            f"    {super().ps1_special(prompt)}\n"
            "    else\n"
            f'        PS1={literal}"$PS1"\n'
            "    fi"
        )
