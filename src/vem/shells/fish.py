"""fish: single quotes where only ``\\`` and ``'`` are escaped; the prompt is a
function, wrapped while an env is active (as the stdlib's activate.fish does, with
the same names, so one deactivates the other)."""

from __future__ import annotations

from vem.shells._base import AliasSpec, Shell, is_safe_word

ACTIVATE = """\
function deactivate --description 'Leave the virtual environment'
    if set -q _OLD_VIRTUAL_PATH
        set -gx PATH $_OLD_VIRTUAL_PATH
        set -e _OLD_VIRTUAL_PATH
    end
    if set -q _OLD_VIRTUAL_PYTHONHOME
        set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    if set -q _OLD_FISH_PROMPT_OVERRIDE
        set -e _OLD_FISH_PROMPT_OVERRIDE
        functions -e fish_prompt
        if functions -q _old_fish_prompt
            functions -c _old_fish_prompt fish_prompt
            functions -e _old_fish_prompt
        end
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    if test "$argv[1]" != nondestructive
        functions -e deactivate
    end
end

deactivate nondestructive

set -gx VIRTUAL_ENV @@ENV@@
set -gx VIRTUAL_ENV_PROMPT @@PROMPT@@
set -g _OLD_VIRTUAL_PATH $PATH
set -gx PATH @@BIN@@ $PATH
if set -q PYTHONHOME
    set -g _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end
if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
    functions -q _old_fish_prompt; and functions -e _old_fish_prompt
    functions -q fish_prompt; and functions -c fish_prompt _old_fish_prompt
    function fish_prompt
        set -l old_status $status
        printf '(%s) ' "$VIRTUAL_ENV_PROMPT"
        if functions -q _old_fish_prompt
            echo "exit $old_status" | source
            _old_fish_prompt
        end
    end
    set -g _OLD_FISH_PROMPT_OVERRIDE "$VIRTUAL_ENV"
end
"""

INIT = """\
function vem --description 'vem: activate, deactivate and workon act on this shell'
    if not contains -- "$argv[1]" activate deactivate workon
        or contains -- --help $argv; or contains -- -h $argv
        command vem $argv
        return
    end
    switch $argv[1]
        case deactivate
            if functions -q deactivate
                deactivate
            else
                echo 'vem: no environment is active' >&2
                return 1
            end
        case workon
            if test (count $argv) -eq 1
                command vem list
                return
            end
            set -l code (command vem activate --shell fish --cd $argv[2..-1]); or return
            string join \\n -- $code | source
        case activate
            set -l code (command vem activate --shell fish $argv[2..-1]); or return
            string join \\n -- $code | source
    end
end

complete -c vem -f
complete -c vem -n __fish_use_subcommand -a '@@COMMANDS@@'
complete -c vem -n '__fish_seen_subcommand_from @@NAME_COMMANDS@@' \\
    -a '(command vem activate --complete-names 2>/dev/null)'
"""

# Runs when $PWD changes (never on a plain prompt); a directory inside the project
# whose env the hook activated is decided without starting vem.
AUTO = """\
function _vem_auto --on-variable PWD
    test "$PWD" = "$_VEM_AUTO_PWD"; and return
    set -g _VEM_AUTO_PWD $PWD
    if test -n "$_VEM_AUTO_ROOT"
        set -l root "$_VEM_AUTO_ROOT/"
        test (string sub -l (string length -- $root) -- "$PWD/") = $root; and return
    end
    env _VEM_AUTO_ENV="$_VEM_AUTO_ENV" vem activate --shell fish --auto-hook 2>/dev/null | source
    return 0
end
_vem_auto
"""


class Fish(Shell):
    name = "fish"
    eval_hint = "vem activate --shell fish | source"
    rc_file = "~/.config/fish/config.fish"
    rc_line = "vem shell-init fish | source"
    script_name = "activate.fish"
    activate_template = ACTIVATE
    init_template = INIT
    auto_template = AUTO
    deactivate_code = "functions -q deactivate; and deactivate\n"
    cd_pattern = "cd {}\n"
    assign_pattern = "set -g {name} {value}\n"
    unassign_pattern = "set -e {name}\n"

    def quote(self, text: str) -> str:
        if is_safe_word(text):
            return text
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def alias(self, spec: AliasSpec) -> str:
        project = self.quote(str(spec.project))
        return (
            f"function {spec.name}; cd {project}; and {self.activate_command(spec)} | source; end"
        )
