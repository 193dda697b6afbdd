"""tcsh and csh. Single quotes protect everything but ``!`` (history), which is
written ``\\!`` outside the quotes. ``eval "`vem activate`"`` joins the output's lines
into one, so every statement ends with ``;`` and none spans lines; conditionals are
``test ... &&`` chains, the one csh form that does not substitute variables of a
branch not taken."""

from __future__ import annotations

from collections.abc import Sequence

from vem.shells._base import NAME_COMMANDS, AliasSpec, Shell, Target, is_safe_word

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
# which for other subcommands is the real vem (``\\vem`` skips the alias).
INIT = """\
alias vem 'eval "`\\vem activate --shell tcsh --dispatch -- \\!*:q`"';
complete vem 'p/1/(@@COMMANDS@@)/' @@NAME_COMPLETIONS@@;
"""

AUTO = """\
alias cwdcmd 'eval "`\\vem activate --shell tcsh --auto-hook`"';
eval "`\\vem activate --shell tcsh --auto-hook`";
"""


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

    def init_values(self, commands: Sequence[str]) -> dict[str, str]:
        names = " ".join(f"'n/{cmd}/`\\vem activate --complete-names`/'" for cmd in NAME_COMMANDS)
        return {**super().init_values(commands), "NAME_COMPLETIONS": names}

    def alias_args(self, spec: AliasSpec) -> tuple[str, ...]:
        # A quoted path cannot sit inside "`...`" in csh (a '"' in it would end the
        # string); the alias cds first, so the project's env needs no argument, and
        # a central env's name is a plain word.
        return (spec.name,) if spec.location == "central" else ()

    def alias(self, spec: AliasSpec) -> str:
        args = self.activate_command(spec, program="\\vem")
        body = f'cd {self.quote(str(spec.project))} && eval "`{args}`"'
        return f"alias {spec.name} {self.quote(body)};"

    def run(self, argv: Sequence[str]) -> str:
        """Code that runs the real vem with ``argv`` (for ``--dispatch``)."""
        return f"\\vem {self.words(argv)};\n"
