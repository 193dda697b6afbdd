"""nushell cannot evaluate text, so ``vem activate --shell nu`` prints a record
(nuon) of what to change and the ``vem`` command from ``shell-init nu`` applies it:
``load-env``, PATH as a list, the prompt wrapped once at start-up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from vem.shells._base import AliasSpec, Shell, Target, printable, render

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\r": "\\r", "\n": "\\n"}

INIT = """\
def --env _vem_deactivate [] {
    if '_OLD_VIRTUAL_PATH' in $env {
        $env.PATH = $env._OLD_VIRTUAL_PATH
        hide-env _OLD_VIRTUAL_PATH
    }
    if '_OLD_VIRTUAL_PYTHONHOME' in $env {
        $env.PYTHONHOME = $env._OLD_VIRTUAL_PYTHONHOME
        hide-env _OLD_VIRTUAL_PYTHONHOME
    }
    if 'VIRTUAL_ENV' in $env { hide-env VIRTUAL_ENV }
    if 'VIRTUAL_ENV_PROMPT' in $env { hide-env VIRTUAL_ENV_PROMPT }
}

def --env _vem_apply [change: record] {
    if ($change.deactivate? | default false) { _vem_deactivate }
    let target = ($change.activate? | default null)
    if $target != null {
        _vem_deactivate
        $env._OLD_VIRTUAL_PATH = $env.PATH
        $env.PATH = ($env.PATH | split row (char esep) | prepend $target.bin)
        if 'PYTHONHOME' in $env {
            $env._OLD_VIRTUAL_PYTHONHOME = $env.PYTHONHOME
            hide-env PYTHONHOME
        }
        load-env {VIRTUAL_ENV: $target.env, VIRTUAL_ENV_PROMPT: $target.prompt}
    }
    load-env ($change.set? | default {})
    let unset = ($change.unset? | default [])
    if '_VEM_AUTO_ENV' in $unset { hide-env -i _VEM_AUTO_ENV }
    if '_VEM_AUTO_ROOT' in $unset { hide-env -i _VEM_AUTO_ROOT }
    if ($change.cd? | default null) != null { cd $change.cd }
}

def --env --wrapped vem [...args: string@_vem_complete] {
    let cmd = ($args.0? | default '')
    if ($cmd not-in [activate deactivate workon remove]) or ('--help' in $args) or ('-h' in $args) {
        ^vem ...$args
        return
    }
    if $cmd == 'deactivate' {
        if 'VIRTUAL_ENV' not-in $env { error make {msg: 'vem: no environment is active'} }
        _vem_deactivate
        return
    }
    if $cmd == 'remove' {
        with-env {_VEM_SHELL_FUNCTION: '1'} { ^vem ...$args }
        # the active env is gone: leave it, as if `deactivate` had come first
        if ('VIRTUAL_ENV' in $env) and not ($env.VIRTUAL_ENV | path join pyvenv.cfg | path exists) {
            _vem_deactivate
        }
        return
    }
    let rest = ($args | skip 1)
    if $cmd == 'workon' and ($rest | is-empty) { ^vem list; return }
    let flags = if $cmd == 'workon' { ['--cd'] } else { [] }
    _vem_apply (^vem activate --shell nu ...$flags ...$rest | from nuon)
}

def _vem_complete [context: string] {
    let words = ($context | split row ' ' | skip 1)
    let found = (^vem __complete -- ...$words | lines)
    $found | where {|line| not ($line starts-with '@') } | each {|line|
        let parts = ($line | split row (char tab))
        {value: $parts.0, description: ($parts.1? | default '')}
    }
}

let _vem_old_prompt = $env.PROMPT_COMMAND?
$env.PROMPT_COMMAND = {||
    let old = if ($_vem_old_prompt | describe) =~ '^closure' { do $_vem_old_prompt } else {
        $_vem_old_prompt | default ''
    }
    if ('VIRTUAL_ENV_PROMPT' in $env) and ($env.VIRTUAL_ENV_DISABLE_PROMPT? | is-empty) {
        $"\\(($env.VIRTUAL_ENV_PROMPT)\\) ($old)"
    } else { $old }
}
"""

# The --auto hook, run on each change of $env.PWD. It decides from the roots file
# (see vem.places.record), read with nu's own `open`, again only when its first line changed,
# whether the directory may be in a project vem trusts; only then does it run vem.
AUTO = """\
def --env _vem_auto [] {
    if $env.PWD == ($env._VEM_AUTO_PWD? | default '') { return }
    $env._VEM_AUTO_PWD = $env.PWD
    let auto_env = ($env._VEM_AUTO_ENV? | default '')
    if ('VIRTUAL_ENV' in $env) and ($env.VIRTUAL_ENV != $auto_env) { return }
    let file = @@ROOTS@@
    let lines = if ($file | path exists) { open --raw $file | lines } else { [] }
    mut hit = ''
    if ($lines | is-not-empty) {
        if ($lines | first) != ($env._VEM_ROOTS_GEN? | default '') {
            $env._VEM_ROOTS_GEN = ($lines | first)
            $env._VEM_ROOTS = ($lines | skip 1)
            hide-env -i _VEM_AUTO_ROOT
        }
        mut dir = $env.PWD
        loop {
            if $dir in $env._VEM_ROOTS { $hit = $dir; break }
            let parent = ($dir | path dirname)
            if $parent == $dir { break }
            $dir = $parent
        }
        if $hit == '' {
            if ($auto_env != '') and (($env.VIRTUAL_ENV? | default '') == $auto_env) {
                _vem_deactivate
            }
            hide-env -i _VEM_AUTO_ENV
            hide-env -i _VEM_AUTO_ROOT
            return
        }
        if $hit == ($env._VEM_AUTO_ROOT? | default '') { return }
    }
    _vem_apply (^vem activate --shell nu --auto-hook | from nuon)
    $env._VEM_AUTO_ROOT = $hit
}
let _vem_pwd_hooks = ($env.config.hooks?.env_change?.PWD? | default [])
$env.config = ($env.config | upsert hooks.env_change.PWD (
    $_vem_pwd_hooks | append {|before, after| _vem_auto }
))
"""


# The env's bin/activate.nu, for `overlay use`: hiding the overlay (`deactivate`)
# restores every variable the activation changed.
SCRIPT = """\
# Written by vem: `overlay use @@SCRIPT@@` activates this env; `deactivate` undoes it.
# It quotes every path itself: nothing in the env's path is ever executed.
export-env {
    let path_name = if 'Path' in $env { 'Path' } else { 'PATH' }
    let old_path = ($env | get $path_name)
    let old_path = if ($old_path | describe) == 'string' {
        $old_path | split row (char esep)
    } else { $old_path }
    load-env {
        $path_name: ($old_path | prepend @@BIN@@)
        VIRTUAL_ENV: @@ENV@@
        VIRTUAL_ENV_PROMPT: @@PROMPT@@
    }
    hide-env -i PYTHONHOME
    if ($env.VIRTUAL_ENV_DISABLE_PROMPT? | is-empty) {
        let old_prompt = $env.PROMPT_COMMAND?
        $env.PROMPT_COMMAND = {||
            let old = if ($old_prompt | describe) =~ '^closure' { do $old_prompt } else {
                $old_prompt | default ''
            }
            $"\\(($env.VIRTUAL_ENV_PROMPT)\\) ($old)"
        }
    }
}
export alias deactivate = overlay hide activate
"""


def quote(text: str) -> str:
    """A double-quoted nushell string: no interpolation (that is ``$"..."``); only
    backslash escapes, used here for ``\\``, ``"`` and control characters."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def record(items: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{quote(k)}: {v}" for k, v in items.items()) + "}"


class Nushell(Shell):
    name = "nu"
    script_name = "activate.nu"
    eval_hint = "vem activate  (after `vem shell-init nu`, see `vem shell-init --help`)"
    rc_file = "$nu.config-path"
    rc_line = "source ~/.cache/vem/init.nu  # vem shell-init nu | save -f ~/.cache/vem/init.nu"
    init_template = INIT
    auto_template = AUTO

    def quote(self, text: str) -> str:
        return quote(text)

    def switch(
        self,
        *,
        target: Target | None = None,
        deactivate: bool = False,
        cd: Path | None = None,
        variables: Mapping[str, str | None] | None = None,
    ) -> str:
        change: dict[str, str] = {}
        if deactivate:
            change["deactivate"] = "true"
        if target is not None:
            values = self.values(printable(target))
            change["activate"] = record({k.lower(): v for k, v in values.items()})
        variables = variables or {}
        values = {k: quote(v) for k, v in variables.items() if v is not None}
        if values:
            change["set"] = record(values)
        unset = [quote(k) for k, v in variables.items() if v is None]
        if unset:
            change["unset"] = "[" + ", ".join(unset) + "]"
        if cd is not None:
            change["cd"] = quote(str(cd))
        return record(change) + "\n"

    # nushell code cannot change the caller's environment: every change is a record
    # that the `vem` command (or `_vem_apply`) applies; each piece is one such record.
    def activate(self, target: Target) -> str:
        return self.switch(target=target)

    def deactivate(self) -> str:
        return self.switch(deactivate=True)

    def cd(self, directory: Path) -> str:
        return self.switch(cd=directory)

    def assign(self, name: str, value: str) -> str:
        return self.switch(variables={name: value})

    def unassign(self, name: str) -> str:
        return self.switch(variables={name: None})

    def script(self, target: Target) -> str:
        values = self.values(printable(target))
        values["SCRIPT"] = str(target.bin / "activate.nu").replace("\n", " ")
        return render(SCRIPT, values)

    def word_list(self, words: Sequence[str]) -> str:
        return ", ".join(map(self.quote, words))

    def alias(self, spec: AliasSpec) -> str:
        project = self.quote(str(spec.project))
        args = self.activate_command(spec, program="^vem")
        return f"def --env {spec.name} [] {{ cd {project}; _vem_apply ({args} | from nuon) }}"
