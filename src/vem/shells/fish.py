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
    if not contains -- "$argv[1]" activate deactivate workon remove
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
        case remove
            set -lx _VEM_SHELL_FUNCTION 1
            command vem $argv; or return
            # the active env is gone: leave it, as if `deactivate` had come first
            if set -q VIRTUAL_ENV; and not test -e "$VIRTUAL_ENV/pyvenv.cfg"
                functions -q deactivate; and deactivate
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
"""

# Completion asks `vem __complete` (vem.cli.complete): `value<TAB>description` is
# fish's own format; `@file`/`@dir` mean: complete a path.
COMPLETION = """\
function __vem_complete
    set -l words (commandline -opc)[2..-1] (commandline -ct)
    for line in (command vem __complete -- $words 2>/dev/null)
        switch $line
            case @file
                __fish_complete_path (commandline -ct)
            case @dir
                __fish_complete_directories (commandline -ct)
            case '*'
                printf '%s\\n' $line
        end
    end
end
complete -c vem -e
complete -c vem -f -a '(__vem_complete)'
"""

# Runs when $PWD changes (never on a plain prompt). It decides from the roots file
# (see vem.places.record; read with builtins, again only when its first line changed)
# whether $PWD may be in a project vem trusts, and only then runs vem.
AUTO = """\
function _vem_auto_load
    read -lz content <@@ROOTS@@ 2>/dev/null; or return 1
    set -l lines (string split -- \\n $content)
    test "$lines[1]" = "$_vem_roots_gen"; and return 0
    test -n "$lines[1]"; or return 1
    set -g _vem_roots_gen $lines[1]
    set -g _vem_roots $lines[2..-1]
    set -e _VEM_AUTO_ROOT
end
function _vem_auto --on-variable PWD
    test "$PWD" = "$_VEM_AUTO_PWD"; and return
    set -g _VEM_AUTO_PWD $PWD
    if set -q VIRTUAL_ENV; and test "$VIRTUAL_ENV" != "$_VEM_AUTO_ENV"
        return
    end
    set -l hit
    if _vem_auto_load
        set -l dir $PWD
        while true
            if contains -- $dir $_vem_roots
                set hit $dir
                break
            end
            test "$dir" = /; and break
            set dir (string replace -r -- '/[^/]*$' '' $dir)
            test -n "$dir"; or set dir /
        end
        if test -z "$hit"
            if set -q _VEM_AUTO_ENV; and test "$VIRTUAL_ENV" = "$_VEM_AUTO_ENV"
                functions -q deactivate; and deactivate
            end
            set -e _VEM_AUTO_ENV
            set -e _VEM_AUTO_ROOT
            return
        end
        test "$hit" = "$_VEM_AUTO_ROOT"; and return
    end
    begin
        set -lx _VEM_AUTO_ENV "$_VEM_AUTO_ENV"
        command vem activate --shell fish --auto-hook 2>/dev/null
    end | source
    set -g _VEM_AUTO_ROOT $hit
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
    init_template = INIT + "\n" + COMPLETION
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
