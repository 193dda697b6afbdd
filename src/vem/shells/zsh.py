"""zsh: the prompt is escaped for the prompt options in force (``%`` always, and
``$``/backquote/backslash under PROMPT_SUBST, ``!`` under PROMPT_BANG); the
``--auto`` hook is a chpwd hook, so a prompt costs nothing."""

from __future__ import annotations

from vem.shells.posix import AUTO, FUNCTION, PosixShell, escape

# Completion asks `vem __complete` (vem.cli.complete) and shows its descriptions.
COMPLETION = """\
_vem () {
    local -a lines specs
    local line value
    lines=("${(@f)$(command vem __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    for line in $lines; do
        case $line in
            @file) _files; return ;;
            @dir) _files -/; return ;;
            '') ;;
            *)
                value=${line%%$'\\t'*}
                if [[ $line == *$'\\t'* ]]; then
                    specs+=("${value//:/\\\\:}:${line#*$'\\t'}")
                else
                    specs+=("${value//:/\\\\:}")
                fi ;;
        esac
    done
    (( $#specs )) && _describe -t values vem specs
}
if (( $+functions[compdef] )); then compdef _vem vem; fi
"""

AUTO_HOOK = """\
autoload -Uz add-zsh-hook
add-zsh-hook chpwd _vem_auto
_vem_auto
"""


def prompt_escape(prompt: str, *, subst: bool, bang: bool) -> str:
    text = prompt.replace("%", "%%")
    if subst:
        text = escape(text, "\\$`")
    if bang:
        text = text.replace("!", "!!")
    return f"({text}) "


class Zsh(PosixShell):
    name = "zsh"
    rc_file = "~/.zshrc"
    rc_line = 'eval "$(vem shell-init zsh)"'
    has_deactivate = "(( $+functions[deactivate] ))"
    init_template = FUNCTION + "\n" + COMPLETION
    auto_template = AUTO + "\n" + AUTO_HOOK

    def ps1_special(self, prompt: str) -> str:
        def assign(subst: bool, bang: bool) -> str:
            value = self.quote(prompt_escape(prompt, subst=subst, bang=bang))
            return f'PS1={value}"$PS1"'

        return (
            "    if [[ -o promptsubst ]]; then\n"
            f"        if [[ -o promptbang ]]; then {assign(True, True)}\n"
            f"        else {assign(True, False)}; fi\n"
            "    elif [[ -o promptbang ]]; then\n"
            f"        {assign(False, True)}\n"
            "    else\n"
            f"        {assign(False, False)}\n"
            "    fi"
        )
