"""tcsh and csh. Single quotes protect everything but ``!`` (history), which is
written ``\\!`` outside the quotes. ``eval "`vem activate`"`` joins the output's lines
into one, so every statement ends with ``;`` and none spans lines; conditionals are
``test ... &&`` chains, the one csh form that does not substitute variables of a
branch not taken."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vem.shells._base import AliasSpec, HookFiles, Shell, Target, is_safe_word, render

# Undo an activation (ours, the stdlib's or virtualenv's: the same variable names).
RESET = (
    'test $?_OLD_VIRTUAL_PATH != 0 && setenv PATH "$_OLD_VIRTUAL_PATH:q" '
    "&& unset _OLD_VIRTUAL_PATH; "
    'test $?_OLD_VIRTUAL_PYTHONHOME != 0 && setenv PYTHONHOME "$_OLD_VIRTUAL_PYTHONHOME:q" '
    "&& unset _OLD_VIRTUAL_PYTHONHOME; "
    'test $?_OLD_VIRTUAL_PROMPT != 0 && set prompt = "$_OLD_VIRTUAL_PROMPT:q" '
    "&& unset _OLD_VIRTUAL_PROMPT; "
    "unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT"
)

ACTIVATE = f"""\
{RESET};
alias deactivate '{RESET}; rehash; test "\\!:*" != nondestructive && unalias deactivate';
setenv VIRTUAL_ENV @@ENV@@;
setenv VIRTUAL_ENV_PROMPT @@PROMPT@@;
set _OLD_VIRTUAL_PATH = "$PATH:q";
setenv PATH @@BIN@@":$PATH:q";
test $?PYTHONHOME != 0 && set _OLD_VIRTUAL_PYTHONHOME = "$PYTHONHOME:q" && unsetenv PYTHONHOME;
set _vem_prefix = @@PREFIX@@;
test $?prompt != 0 && test $?VIRTUAL_ENV_DISABLE_PROMPT = 0 \
&& set _OLD_VIRTUAL_PROMPT = "$prompt:q" && set prompt = "$_vem_prefix:q$prompt:q";
unset _vem_prefix;
rehash;
"""

# csh has no functions: the alias asks vem (``--dispatch``) for the code to run,
# which for other subcommands is the real vem (``\\vem`` skips the alias). Inside
# backquotes (eval "`vem activate`") stdout is not a terminal: the code is printed.
INIT = (
    (
        "alias vem 'set _vem_tty = 0; if ( -t 1 ) set _vem_tty = 1; "
        'eval "`\\vem activate --shell tcsh --dispatch --tty=$_vem_tty -- \\!*:q`"\';\n'
    )
    + """\
complete vem 'p/*/`\\vem __complete --line "$COMMAND_LINE:q"`/';
"""
)

AUTO = """\
alias cwdcmd 'source @@HOOK@@';
source @@HOOK@@;
"""

# The hook, sourced after each cd (csh has no functions, and no builtin reads a file,
# so vem keeps the roots in a csh file too; it is read again only when its mtime,
# which vem makes grow on every write, changed). No `if (...) cmd` form runs an
# alias: an alias of several commands would run only its first conditionally.
HOOK = """\
# vem's --auto hook for tcsh, written by `vem shell-init tcsh --auto`.
set _vem_go = 0
if ( ! $?_vem_auto_pwd ) set _vem_auto_pwd = ""
if ( "$cwd" != "$_vem_auto_pwd" ) set _vem_go = 1
if ( $_vem_go ) then
    set _vem_auto_pwd = "$cwd"
    if ( $?VIRTUAL_ENV ) then
        if ( ! $?_VEM_AUTO_ENV ) then
            set _vem_go = 0
        else if ( "$VIRTUAL_ENV" != "$_VEM_AUTO_ENV" ) then
            set _vem_go = 0
        endif
    endif
endif
set _vem_ok = 0
set _vem_hit = ""
if ( $_vem_go ) then
    if ( -f @@ROOTS_CSH@@ ) then
        @ _vem_m = -M @@ROOTS_CSH@@
        if ( ! $?_vem_roots_m ) set _vem_roots_m = 0
        if ( $_vem_m != $_vem_roots_m ) then
            source @@ROOTS_CSH@@
            set _vem_roots_m = $_vem_m
            unsetenv _VEM_AUTO_ROOT
        endif
        if ( $?_vem_roots ) set _vem_ok = 1
    endif
endif
if ( $_vem_ok ) then
    set _vem_dir = "$cwd"
    while ( 1 )
        foreach _vem_r ( $_vem_roots:q )
            if ( "$_vem_r" == "$_vem_dir" ) set _vem_hit = "$_vem_r"
        end
        if ( "$_vem_hit" != "" ) break
        if ( "$_vem_dir" == "/" ) break
        set _vem_dir = "$_vem_dir:h"
        if ( "$_vem_dir" == "" ) set _vem_dir = /
    end
    if ( "$_vem_hit" == "" ) then
        if ( $?_VEM_AUTO_ENV ) then
            if ( $?VIRTUAL_ENV ) then
                if ( "$VIRTUAL_ENV" == "$_VEM_AUTO_ENV" ) then
                    deactivate
                endif
            endif
            unsetenv _VEM_AUTO_ENV
        endif
        unsetenv _VEM_AUTO_ROOT
        set _vem_go = 0
    else if ( $?_VEM_AUTO_ROOT ) then
        if ( "$_vem_hit" == "$_VEM_AUTO_ROOT" ) set _vem_go = 0
    endif
endif
if ( $_vem_go ) then
    eval "`\\vem activate --shell tcsh --auto-hook`"
    setenv _VEM_AUTO_ROOT "$_vem_hit"
endif
unset _vem_go _vem_ok _vem_hit _vem_m
if ( $?_vem_dir ) unset _vem_dir
if ( $?_vem_r ) unset _vem_r
"""


def roots_code(roots: Sequence[str]) -> str:
    """tcsh's copy of the roots file: one ``set`` of a list of quoted words."""
    words = " ".join(Tcsh().quote(root) for root in roots)
    return f"set _vem_roots = ( {words} )\n"


def prompt_escape(prompt: str) -> str:
    """``(prompt) `` for tcsh's prompt language: ``%``, ``!``, ``^`` and ``\\`` are its
    specials."""
    text = prompt.replace("%", "%%")
    text = "".join("\\" + c if c in "\\^!" else c for c in text)
    return f"({text}) "


class Tcsh(Shell):
    name = "tcsh"
    eval_hint = 'eval "`vem activate --shell tcsh`"'
    rc_file = "~/.tcshrc"
    rc_line = 'eval "`vem shell-init tcsh`"'
    script_name = "activate.csh"
    activate_template = ACTIVATE
    init_template = INIT
    auto_template = AUTO
    deactivate_code = "test $?_OLD_VIRTUAL_PATH != 0 && deactivate;\n"
    cd_pattern = "cd {};\n"
    assign_pattern = "setenv {name} {value};\n"
    unassign_pattern = "unsetenv {name};\n"

    def quote(self, text: str) -> str:
        if is_safe_word(text):
            return text
        return "'" + text.replace("'", "'\\''").replace("!", "'\\!'") + "'"

    def values(self, target: Target) -> dict[str, str]:
        return {**super().values(target), "PREFIX": self.quote(prompt_escape(target.prompt))}

    def auto_values(self, hook: HookFiles) -> dict[str, str]:
        return {
            **super().auto_values(hook),
            "HOOK": self.quote(str(hook.csh_hook)),
            "ROOTS_CSH": self.quote(str(hook.roots_csh)),
        }

    def files(self, hook: HookFiles) -> dict[Path, str]:
        return {hook.csh_hook: render(HOOK, self.auto_values(hook))}

    def alias_args(self, spec: AliasSpec) -> tuple[str, ...]:
        # A quoted path cannot sit inside "`...`" in csh (a '"' in it would end the
        # string); the alias cds first, so the project's env needs no argument, and
        # a central env's name is a plain word.
        return (spec.env.name,) if spec.location == "central" else ()

    def alias(self, spec: AliasSpec) -> str:
        args = self.activate_command(spec, program="\\vem")
        body = f'cd {self.quote(str(spec.project))} && eval "`{args}`"'
        return f"alias {spec.name} {self.quote(body)};"

    def run(self, argv: Sequence[str]) -> str:
        """Code that runs the real vem with ``argv`` (for ``--dispatch``)."""
        return f"\\vem {self.words(argv)};\n"

    def remove(self, argv: Sequence[str]) -> str:
        """``vem remove ARGS``, then leave the active env if it was the one removed."""
        return (
            f"env _VEM_SHELL_FUNCTION=1 vem remove {self.words(argv)} && "
            'test $?VIRTUAL_ENV != 0 && test ! -e "$VIRTUAL_ENV/pyvenv.cfg" && deactivate;\n'
        )
