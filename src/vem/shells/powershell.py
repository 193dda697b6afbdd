"""PowerShell (pwsh 7 and Windows PowerShell): single-quoted strings, in which a
quote is doubled. PowerShell also takes the typographic quotes U+2018..U+201B as
single quotes, so those are doubled too."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vem.shells._base import AliasSpec, Shell

#: the vem application, not the `vem` function shell-init defines
REAL_VEM = "& (Get-Command -Name vem -CommandType Application | Select-Object -First 1).Source"
_QUOTES = re.compile("(['\u2018\u2019\u201a\u201b])")

# The same names and provider calls as the stdlib's Activate.ps1 (so either one's
# deactivate undoes the other); every name is scope-qualified or looked up, because
# the `vem` function evaluates this inside its own scope.
ACTIVATE = """\
function global:deactivate ([switch] $NonDestructive) {
    if (Test-Path -Path variable:_OLD_VIRTUAL_PATH) {
        $env:PATH = $global:_OLD_VIRTUAL_PATH
        Remove-Variable -Name _OLD_VIRTUAL_PATH -Scope global
    }
    if (Test-Path -Path variable:_OLD_VIRTUAL_PYTHONHOME) {
        $env:PYTHONHOME = $global:_OLD_VIRTUAL_PYTHONHOME
        Remove-Variable -Name _OLD_VIRTUAL_PYTHONHOME -Scope global
    }
    if (Test-Path -Path function:_OLD_VIRTUAL_PROMPT) {
        Copy-Item -Path function:_OLD_VIRTUAL_PROMPT -Destination function:prompt
        Remove-Item -Path function:_OLD_VIRTUAL_PROMPT
    }
    Remove-Item -Path env:VIRTUAL_ENV, env:VIRTUAL_ENV_PROMPT -ErrorAction SilentlyContinue
    if (-not $NonDestructive) {
        Remove-Item -Path function:deactivate
    }
}

deactivate -NonDestructive

$env:VIRTUAL_ENV = @@ENV@@
$env:VIRTUAL_ENV_PROMPT = @@PROMPT@@
$global:_OLD_VIRTUAL_PATH = $env:PATH
$env:PATH = @@BIN@@ + [IO.Path]::PathSeparator + $env:PATH
if (Test-Path -Path env:PYTHONHOME) {
    $global:_OLD_VIRTUAL_PYTHONHOME = $env:PYTHONHOME
    Remove-Item -Path env:PYTHONHOME
}
if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {
    function global:_OLD_VIRTUAL_PROMPT { "" }
    Copy-Item -Path function:prompt -Destination function:_OLD_VIRTUAL_PROMPT
    function global:prompt {
        Write-Host -NoNewline "($env:VIRTUAL_ENV_PROMPT) "
        _OLD_VIRTUAL_PROMPT
    }
}
"""

INIT = """\
function global:vem {
    $real = (Get-Command -Name vem -CommandType Application | Select-Object -First 1).Source
    $cmd = if ($args.Count) { [string] $args[0] } else { '' }
    if ($cmd -notin 'activate', 'deactivate', 'workon', 'remove' -or
            $args -contains '--help' -or $args -contains '-h') {
        & $real @args
        return
    }
    $rest = @($args | Select-Object -Skip 1)
    if ($cmd -eq 'remove') {
        $env:_VEM_SHELL_FUNCTION = '1'
        try { & $real @args } finally { Remove-Item -Path env:_VEM_SHELL_FUNCTION }
        # the active env is gone: leave it, as if `deactivate` had come first
        if ($LASTEXITCODE -eq 0 -and $env:VIRTUAL_ENV -and
                -not (Test-Path -LiteralPath (Join-Path $env:VIRTUAL_ENV 'pyvenv.cfg')) -and
                (Test-Path function:deactivate)) { deactivate }
        return
    }
    if ($cmd -eq 'deactivate') {
        if (Test-Path function:deactivate) { deactivate } else {
            Write-Error 'vem: no environment is active'
        }
        return
    }
    if ($cmd -eq 'workon') {
        if (-not $rest.Count) { & $real list; return }
        $rest = @('--cd') + $rest
    }
    $code = & $real activate --shell powershell @rest
    if ($LASTEXITCODE -eq 0) { $code | Out-String | Invoke-Expression }
}

Register-ArgumentCompleter -Native -CommandName vem -ScriptBlock {
    param($word, $ast, $cursor)
    $real = (Get-Command -Name vem -CommandType Application | Select-Object -First 1).Source
    $words = @($ast.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
    if ($word) { $words = @($words | Select-Object -SkipLast 1) }
    foreach ($line in @(& $real __complete -- @words "$word" 2>$null)) {
        if ($line -like '@*') { continue }
        $value, $help = $line -split "`t", 2
        if (-not $help) { $help = $value }
        [Management.Automation.CompletionResult]::new($value, $value, 'ParameterValue', $help)
    }
}
"""

# pwsh 7 runs LocationChangedAction after every change of directory, never on a
# plain prompt. The roots file (vem.places.record) is read with .NET, again only when its
# first line changed; vem runs only for a directory in a listed project root.
AUTO = """\
function global:_vem_auto {
    if ($PWD.Path -eq $global:_VEM_AUTO_PWD) { return }
    $global:_VEM_AUTO_PWD = $PWD.Path
    if ($env:VIRTUAL_ENV -and $env:VIRTUAL_ENV -cne $env:_VEM_AUTO_ENV) { return }
    $file = @@ROOTS@@
    $hit = ''
    $lines = @()
    if ([IO.File]::Exists($file)) { $lines = @([IO.File]::ReadAllLines($file)) }
    if ($lines.Count) {
        if ($lines[0] -cne $global:_VEM_ROOTS_GEN) {
            $global:_VEM_ROOTS_GEN = $lines[0]
            $global:_VEM_ROOTS = @($lines | Select-Object -Skip 1)
            $global:_VEM_AUTO_ROOT = ''
        }
        $dir = $PWD.ProviderPath
        while ($dir) {
            if ($global:_VEM_ROOTS -ccontains $dir) { $hit = $dir; break }
            $dir = Split-Path -Parent $dir
        }
        if (-not $hit) {
            if ($env:_VEM_AUTO_ENV -and $env:VIRTUAL_ENV -ceq $env:_VEM_AUTO_ENV -and
                    (Test-Path function:deactivate)) { deactivate }
            Remove-Item -Path env:_VEM_AUTO_ENV, env:_VEM_AUTO_ROOT -ErrorAction SilentlyContinue
            $global:_VEM_AUTO_ROOT = ''
            return
        }
        if ($hit -ceq $global:_VEM_AUTO_ROOT) { return }
    }
    $real = (Get-Command -Name vem -CommandType Application | Select-Object -First 1).Source
    $code = & $real activate --shell powershell --auto-hook 2>$null
    if ($LASTEXITCODE -eq 0 -and $code) { $code | Out-String | Invoke-Expression }
    $global:_VEM_AUTO_ROOT = $hit
}
$ExecutionContext.InvokeCommand.LocationChangedAction = { _vem_auto }
_vem_auto
"""


class PowerShell(Shell):
    name = "powershell"
    eval_hint = "vem activate --shell powershell | Out-String | Invoke-Expression"
    rc_file = "$PROFILE"
    rc_line = "vem shell-init powershell | Out-String | Invoke-Expression"
    script_name = "Activate.ps1"
    activate_template = ACTIVATE
    init_template = INIT
    auto_template = AUTO
    deactivate_code = "if (Test-Path function:deactivate) { deactivate }\n"
    cd_pattern = "Set-Location -LiteralPath {}\n"
    assign_pattern = "$env:{name} = {value}\n"
    unassign_pattern = "Remove-Item -Path env:{name} -ErrorAction SilentlyContinue\n"

    def quote(self, text: str) -> str:
        return "'" + _QUOTES.sub(r"\1\1", text) + "'"

    def word_list(self, words: Sequence[str]) -> str:
        return ", ".join(map(self.quote, words))

    def alias(self, spec: AliasSpec) -> str:
        project = self.quote(str(spec.project))
        return (
            f"function global:{spec.name} {{ Set-Location -LiteralPath {project}; "
            f"{self.activate_command(spec, program=REAL_VEM)} | Out-String | Invoke-Expression }}"
        )
