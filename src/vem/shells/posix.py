"""What bash, zsh and POSIX sh share: single-quote quoting, the activation code and
the ``vem`` function. Each shell module only says how to put the prompt into PS1,
how to hook directory changes, and how to complete."""

from __future__ import annotations

from collections.abc import Sequence

from vem.shells._base import AliasSpec, Shell, Target, is_plain_prompt, is_safe_word, render

# deactivate restores exactly what activation changed: a variable that was unset is
# unset again, one that was set gets its old bytes back. The _OLD_VIRTUAL_* names are
# the stdlib's and virtualenv's, so activating over one of their envs switches cleanly.
ACTIVATE = """\
deactivate () {
    if [ -n "${_OLD_VIRTUAL_PATH+x}" ]; then
        PATH="$_OLD_VIRTUAL_PATH"
        export PATH
        unset _OLD_VIRTUAL_PATH
    fi
    if [ -n "${_OLD_VIRTUAL_PYTHONHOME+x}" ]; then
        PYTHONHOME="$_OLD_VIRTUAL_PYTHONHOME"
        export PYTHONHOME
        unset _OLD_VIRTUAL_PYTHONHOME
    fi
    if [ -n "${_OLD_VIRTUAL_PS1+x}" ]; then
        PS1="$_OLD_VIRTUAL_PS1"
        unset _OLD_VIRTUAL_PS1
    fi
    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
    hash -r 2>/dev/null
    if [ "${1-}" != nondestructive ]; then
        unset -f deactivate
    fi
    return 0
}

deactivate nondestructive

VIRTUAL_ENV=@@ENV@@
VIRTUAL_ENV_PROMPT=@@PROMPT@@
export VIRTUAL_ENV VIRTUAL_ENV_PROMPT
_OLD_VIRTUAL_PATH="${PATH-}"
PATH=@@BIN@@"${PATH:+:$PATH}"
export PATH
if [ -n "${PYTHONHOME+x}" ]; then
    _OLD_VIRTUAL_PYTHONHOME="$PYTHONHOME"
    unset PYTHONHOME
fi
if [ -z "${VIRTUAL_ENV_DISABLE_PROMPT-}" ] && [ -n "${PS1+x}" ]; then
    _OLD_VIRTUAL_PS1="$PS1"
@@PS1@@
fi
hash -r 2>/dev/null
"""

# The function acting on the current shell. `command vem` is the real program.
# Inside a command substitution (`eval "$(vem activate)"`) or a pipe it prints the
# code, as the program does, instead of activating a subshell that then ends: its
# stdout is then not the shell's ($$ is the shell's pid in every subshell; /proc/self
# is the process running the function). Without /proc: when stdout is no terminal.
FUNCTION = """\
_vem_captured () {
    if [ -e "/proc/$$/fd/1" ]; then
        ! [ /proc/self/fd/1 -ef "/proc/$$/fd/1" ]
    else
        ! [ -t 1 ]
    fi
}
vem () {
    case "${1-}" in
        activate|deactivate|workon|remove) ;;
        *) command vem "$@"; return ;;
    esac
    case " $* " in
        *" -h "*|*" --help "*) command vem "$@"; return ;;
    esac
    local _vem_cmd _vem_code
    _vem_cmd=$1
    shift
    if [ "$_vem_cmd" != remove ] && _vem_captured; then
        case "$_vem_cmd" in
            activate) command vem activate --shell @@SHELL@@ "$@" ;;
            workon) command vem activate --shell @@SHELL@@ --cd "$@" ;;
            *) if @@HAS_DEACTIVATE@@; then echo deactivate; else
                   echo "vem: no environment is active" >&2; return 1; fi ;;
        esac
        return
    fi
    case "$_vem_cmd" in
        deactivate)
            if @@HAS_DEACTIVATE@@; then
                deactivate
            else
                echo "vem: no environment is active" >&2
                return 1
            fi ;;
        remove)
            _VEM_SHELL_FUNCTION=1 command vem remove "$@" || return
            # the active env is gone: leave it, as if `deactivate` had come first
            if [ -n "${VIRTUAL_ENV-}" ] && [ ! -e "$VIRTUAL_ENV/pyvenv.cfg" ] \\
                && @@HAS_DEACTIVATE@@; then
                deactivate
            fi ;;
        workon)
            if [ "$#" -eq 0 ]; then
                command vem list
                return
            fi
            _vem_code=$(command vem activate --shell @@SHELL@@ --cd "$@") || return
            eval "$_vem_code" ;;
        *)
            _vem_code=$(command vem activate --shell @@SHELL@@ "$@") || return
            eval "$_vem_code" ;;
    esac
}
"""

# The --auto hook, run after each change of directory. It decides from the roots
# file (vem.places.record: a first line that changes on every write, then one trusted
# project root a line), read with builtins only and only when that first line
# changed, whether $PWD may be in a project vem trusts; only then does it run vem,
# which checks its record again. Leaving the project deactivates the env the hook
# activated without running vem; an env the user activated is left alone.
AUTO = """\
_vem_auto_load () {
    local _vem_gen _vem_line _vem_roots='
'
    {
        IFS= read -r _vem_gen || return 1
        [ "$_vem_gen" = "${_VEM_ROOTS_GEN-}" ] && return 0
        while IFS= read -r _vem_line; do
            _vem_roots=$_vem_roots$_vem_line'
'
        done
        _VEM_ROOTS=$_vem_roots
        _VEM_ROOTS_GEN=$_vem_gen
        _VEM_AUTO_ROOT=
    } 2>/dev/null <@@ROOTS@@
}
_vem_auto () {
    [ "$PWD" = "${_VEM_AUTO_PWD-}" ] && return 0
    _VEM_AUTO_PWD=$PWD
    if [ -n "${VIRTUAL_ENV-}" ] && [ "$VIRTUAL_ENV" != "${_VEM_AUTO_ENV-}" ]; then
        return 0
    fi
    local _vem_dir="$PWD" _vem_hit='' _vem_code
    if _vem_auto_load; then
        while :; do
            case $_VEM_ROOTS in *'
'"$_vem_dir"'
'*) _vem_hit=$_vem_dir; break ;; esac
            case $_vem_dir in /|'') break ;; esac
            _vem_dir=${_vem_dir%/*}
            [ -n "$_vem_dir" ] || _vem_dir=/
        done
        if [ -z "$_vem_hit" ]; then
            if [ -n "${_VEM_AUTO_ENV-}" ] && [ "${VIRTUAL_ENV-}" = "$_VEM_AUTO_ENV" ] \\
                && @@HAS_DEACTIVATE@@; then
                deactivate
            fi
            unset _VEM_AUTO_ENV _VEM_AUTO_ROOT
            return 0
        fi
        [ "$_vem_hit" = "${_VEM_AUTO_ROOT-}" ] && return 0
    fi
    _vem_code=$(_VEM_AUTO_ENV="${_VEM_AUTO_ENV-}" \\
        command vem activate --shell @@SHELL@@ --auto-hook 2>/dev/null) || return 0
    eval "$_vem_code"
    _VEM_AUTO_ROOT=$_vem_hit
}
"""


def escape(text: str, chars: str) -> str:
    """Backslash-escape each of ``chars`` in ``text``."""
    return "".join("\\" + c if c in chars else c for c in text)


class PosixShell(Shell):
    """bash, zsh and sh: everything but the prompt, the hook and completion."""

    eval_hint = 'eval "$(vem activate)"'
    script_name = "activate"
    activate_template = ACTIVATE
    deactivate_code = "if @@HAS_DEACTIVATE@@; then deactivate; fi\n"
    cd_pattern = "cd -- {}\n"
    assign_pattern = "{name}={value}\n"
    unassign_pattern = "unset {name}\n"
    #: a test that is true when a ``deactivate`` function is defined
    #: (a function: pyenv-virtualenv puts a `deactivate` program on PATH)
    has_deactivate = "case $(type deactivate 2>/dev/null) in *function*) true ;; *) false ;; esac"

    def quote(self, text: str) -> str:
        if is_safe_word(text):
            return text
        return "'" + text.replace("'", "'\\''") + "'"

    def values(self, target: Target) -> dict[str, str]:
        return {**super().values(target), "PS1": self.ps1_code(target.prompt)}

    def ps1_code(self, prompt: str) -> str:
        """Lines (indented four spaces) that put ``(prompt) `` in front of PS1."""
        if is_plain_prompt(prompt):
            return f'    PS1={self.quote(f"({prompt}) ")}"$PS1"'
        return self.ps1_special(prompt)

    def ps1_special(self, prompt: str) -> str:
        """For a prompt with characters the shell's prompt language would expand:
        PS1 refers to the variable, whose value is never expanded again."""
        return "    PS1='(${VIRTUAL_ENV_PROMPT}) '\"$PS1\""

    def deactivate(self) -> str:
        return render(self.deactivate_code, {"HAS_DEACTIVATE": self.has_deactivate})

    def init_values(self, commands: Sequence[str]) -> dict[str, str]:
        return {
            **super().init_values(commands),
            "HAS_DEACTIVATE": self.has_deactivate,
        }

    def alias(self, spec: AliasSpec) -> str:
        body = f'cd -- {self.quote(str(spec.project))} && eval "$({self.activate_command(spec)})"'
        return f"alias {spec.name}={self.quote(body)}"
