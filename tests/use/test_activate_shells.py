"""Activation in the real shells, in the style of virtualenv's activation tests: for
each shell and each hostile directory name, activate (by evaluating `vem activate`
and by sourcing the env's own script), check VIRTUAL_ENV, `python`, sys.prefix and
the prompt as the shell displays it, deactivate and check that PATH, the prompt
and PYTHONHOME come back byte for byte -- and that nothing in the name was run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.shell_helpers import (
    HOSTILE_NAMES,
    install_vem,
    make_env,
    pwned,
    report,
    run_shell,
    shell_environ,
)

pytestmark = pytest.mark.shell

POSIX_DRIVER = """\
PS1='orig> '
PYTHONHOME=$VEM_TEST_PYTHONHOME
export PYTHONHOME
before_path=$PATH
cd "$VEM_TEST_PROJECT" || exit 9
{activate}
printf 'VIRTUAL_ENV=%s\\n' "${{VIRTUAL_ENV-<unset>}}"
printf 'VIRTUAL_ENV_PROMPT=%s\\n' "${{VIRTUAL_ENV_PROMPT-<unset>}}"
printf 'PYTHON=%s\\n' "$(command -v python)"
printf 'PREFIX=%s\\n' "$(python -c 'import sys; print(sys.prefix)')"
printf 'PYTHONHOME=%s\\n' "${{PYTHONHOME-<unset>}}"
printf 'PATH_FIRST=%s\\n' "${{PATH%%:*}}"
{show_prompt}
deactivate
[ "$PATH" = "$before_path" ] && printf 'PATH_RESTORED=yes\\n'
[ "$PS1" = 'orig> ' ] && printf 'PS1_RESTORED=yes\\n'
printf 'PYTHONHOME_AFTER=%s\\n' "${{PYTHONHOME-<unset>}}"
printf 'VIRTUAL_ENV_AFTER=%s\\n' "${{VIRTUAL_ENV-<unset>}}"
{activate}
"""

FISH_DRIVER = """\
function fish_prompt; printf 'orig> '; end
set -gx PYTHONHOME $VEM_TEST_PYTHONHOME
set before_path "$PATH"
cd "$VEM_TEST_PROJECT"; or exit 9
{activate}
printf 'VIRTUAL_ENV=%s\\n' "$VIRTUAL_ENV"
printf 'VIRTUAL_ENV_PROMPT=%s\\n' "$VIRTUAL_ENV_PROMPT"
printf 'PYTHON=%s\\n' (command -v python)
printf 'PREFIX=%s\\n' (python -c 'import sys; print(sys.prefix)')
if set -q PYTHONHOME; printf 'PYTHONHOME=%s\\n' "$PYTHONHOME"
else; printf 'PYTHONHOME=<unset>\\n'; end
printf 'PATH_FIRST=%s\\n' $PATH[1]
printf 'PROMPT=%s\\n' (fish_prompt | string collect)
deactivate
test "$PATH" = "$before_path"; and printf 'PATH_RESTORED=yes\\n'
test (fish_prompt | string collect) = 'orig> '; and printf 'PS1_RESTORED=yes\\n'
if set -q PYTHONHOME; printf 'PYTHONHOME_AFTER=%s\\n' "$PYTHONHOME"
else; printf 'PYTHONHOME_AFTER=<unset>\\n'; end
if set -q VIRTUAL_ENV; printf 'VIRTUAL_ENV_AFTER=%s\\n' "$VIRTUAL_ENV"
else; printf 'VIRTUAL_ENV_AFTER=<unset>\\n'; end
"""

TCSH_DRIVER = """\
echo ''
set prompt = 'orig> '
setenv PYTHONHOME "$VEM_TEST_PYTHONHOME"
set before_path = "$PATH"
cd "$VEM_TEST_PROJECT"
{activate}
printf 'VIRTUAL_ENV=%s\\n' "$VIRTUAL_ENV"
printf 'VIRTUAL_ENV_PROMPT=%s\\n' "$VIRTUAL_ENV_PROMPT"
printf 'PYTHON=%s\\n' "`which python`"
printf 'PREFIX=%s\\n' "`python -c 'import sys; print(sys.prefix)'`"
if ($?PYTHONHOME) then
    printf 'PYTHONHOME=%s\\n' "$PYTHONHOME"
else
    printf 'PYTHONHOME=<unset>\\n'
endif
printf 'PATH_FIRST=%s\\n' "$path[1]"
deactivate
test "$PATH" = "$before_path" && printf 'PATH_RESTORED=yes\\n'
test "$prompt" = 'orig> ' && printf 'PS1_RESTORED=yes\\n'
if ($?PYTHONHOME) then
    printf 'PYTHONHOME_AFTER=%s\\n' "$PYTHONHOME"
else
    printf 'PYTHONHOME_AFTER=<unset>\\n'
endif
if ($?VIRTUAL_ENV) then
    printf 'VIRTUAL_ENV_AFTER=%s\\n' "$VIRTUAL_ENV"
else
    printf 'VIRTUAL_ENV_AFTER=<unset>\\n'
endif
{activate}
"""

#: shell -> (driver, how `vem activate` is run, how the env's script is sourced,
#: how the prompt is shown; None: read the last prompt the interactive shell printed)
DRIVERS: dict[str, tuple[str, str, str, str | None]] = {
    "bash": (
        POSIX_DRIVER,
        'eval "$(vem activate --shell bash)"',
        '. "$VEM_TEST_ENV/bin/activate"',
        "printf 'PROMPT=%s\\n' \"${PS1@P}\"",
    ),
    "zsh": (
        POSIX_DRIVER,
        'eval "$(vem activate --shell zsh)"',
        '. "$VEM_TEST_ENV/bin/activate"',
        'printf \'PROMPT=%s\\n\' "$(print -rP -- "$PS1")"',
    ),
    "sh": (
        POSIX_DRIVER,
        'eval "$(vem activate --shell sh)"',
        '. "$VEM_TEST_ENV/bin/activate"',
        None,
    ),
    "fish": (
        FISH_DRIVER,
        "vem activate --shell fish | source",
        'source "$VEM_TEST_ENV/bin/activate.fish"',
        "",
    ),
    "tcsh": (
        TCSH_DRIVER,
        'eval "`vem activate --shell tcsh`"',
        'source "$VEM_TEST_ENV/bin/activate.csh"',
        None,
    ),
}


@pytest.fixture(scope="module")
def hostile_envs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> env, each in a project directory of that name."""
    root = tmp_path_factory.mktemp("hostile")
    return {name: make_env(root / f"{i}" / name) for i, name in enumerate(HOSTILE_NAMES)}


@pytest.fixture(scope="module")
def vem_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bin_dir = tmp_path_factory.mktemp("vem-bin")
    install_vem(bin_dir)
    return bin_dir


def run_driver(
    shell: str, activate_line: str, env_path: Path, vem_bin: Path
) -> tuple[dict[str, str], str]:
    """Run the shell's driver; its KEY=value report and the displayed prompt."""
    driver, _, _, show_prompt = DRIVERS[shell]
    script = driver.format(activate=activate_line, show_prompt=show_prompt or "")
    environ = shell_environ(
        vem_bin,
        {
            "VEM_TEST_ENV": str(env_path),
            "VEM_TEST_PROJECT": str(env_path.parent),
            # set, to see it unset and restored; a value under which Python still runs
            "VEM_TEST_PYTHONHOME": sys.base_prefix,
        },
    )
    interactive = show_prompt is None
    cwd = env_path.parent.parent
    proc = run_shell(shell, script, cwd=cwd, env=environ, interactive=interactive)
    values = report(proc.stdout)
    assert values.get("VIRTUAL_ENV", "<unset>") != "<unset>", (
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    if interactive:  # the prompt printed when the script ran out, activated again
        printed = (proc.stderr if shell == "sh" else proc.stdout).rstrip("\n")
        prompt = printed.removesuffix("exit").rstrip("\n")
    else:
        prompt = values.get("PROMPT", "")
    return values, prompt


@pytest.mark.parametrize("how", ["vem-activate", "source-script"])
@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
@pytest.mark.parametrize("shell", list(DRIVERS))
def test_activate_and_deactivate(
    shell: str, name: str, how: str, hostile_envs: dict[str, Path], vem_bin: Path
) -> None:
    env_path = hostile_envs[name]
    _, by_vem, by_script, _ = DRIVERS[shell]
    values, prompt = run_driver(
        shell, by_vem if how == "vem-activate" else by_script, env_path, vem_bin
    )

    assert values["VIRTUAL_ENV"] == str(env_path)
    assert values["VIRTUAL_ENV_PROMPT"] == name
    assert values["PYTHON"] == str(env_path / "bin" / "python")
    assert values["PREFIX"] == str(env_path)
    assert values["PYTHONHOME"] == "<unset>"
    assert values["PATH_FIRST"] == str(env_path / "bin")
    assert prompt.endswith(f"({name}) orig> "), prompt
    assert values.get("PATH_RESTORED") == "yes"
    assert values.get("PS1_RESTORED") == "yes"
    assert values["PYTHONHOME_AFTER"] == sys.base_prefix
    assert values["VIRTUAL_ENV_AFTER"] == "<unset>"
    assert pwned(env_path.parent.parent) == []
