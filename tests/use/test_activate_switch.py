"""Switching between envs, prompt options and foreign activate scripts, in the real
shells: PATH never grows, deactivate restores the state from before the first
activation, VIRTUAL_ENV_DISABLE_PROMPT and zsh/bash prompt options are honoured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.shell_helpers import install_vem, make_env, pwned, report, run_shell, shell_environ

pytestmark = pytest.mark.shell

NAME_A = "a 'b\" $(touch PWNED) `touch PWNED` ;&!%é🚒"
NAME_B = "b\\%^!x"

POSIX = """\
set -u
PS1='orig> '
before=$PATH
{activate_a}
{activate_b}
printf 'VE=%s\\nFIRST=%s\\n' "$VIRTUAL_ENV" "${{PATH%%:*}}"
case ":$PATH:" in *":$A/bin:"*) printf 'A_ON_PATH=yes\\n' ;; esac
deactivate
[ "$PATH" = "$before" ] && printf 'PATH_RESTORED=yes\\n'
[ "$PS1" = 'orig> ' ] && printf 'PS1_RESTORED=yes\\n'
"""
FISH = """\
function fish_prompt; printf 'orig> '; end
set before "$PATH"
{activate_a}
{activate_b}
printf 'VE=%s\\nFIRST=%s\\n' "$VIRTUAL_ENV" $PATH[1]
contains -- "$A/bin" $PATH; and printf 'A_ON_PATH=yes\\n'
deactivate
test "$PATH" = "$before"; and printf 'PATH_RESTORED=yes\\n'
test (fish_prompt | string collect) = 'orig> '; and printf 'PS1_RESTORED=yes\\n'
"""
TCSH = """\
set prompt = 'orig> '
set before = "$PATH"
{activate_a}
{activate_b}
printf 'VE=%s\\nFIRST=%s\\n' "$VIRTUAL_ENV" "$path[1]"
printf '%s\\n' "$PATH" | tr : '\\n' | grep -Fqx -- "$A/bin" && printf 'A_ON_PATH=yes\\n'
deactivate
test "$PATH" = "$before" && printf 'PATH_RESTORED=yes\\n'
test "$prompt" = 'orig> ' && printf 'PS1_RESTORED=yes\\n'
"""

#: shell -> driver, activate-by-vem (env in $E), activate-by-script (env in $E)
CASES = {
    "bash": (POSIX, 'eval "$(vem activate --shell bash "$E")"', '. "$E/bin/activate"'),
    "zsh": (POSIX, 'eval "$(vem activate --shell zsh "$E")"', '. "$E/bin/activate"'),
    "sh": (POSIX, 'eval "$(vem activate --shell sh "$E")"', '. "$E/bin/activate"'),
    "fish": (FISH, 'vem activate --shell fish "$E" | source', 'source "$E/bin/activate.fish"'),
    # csh runs history substitution on the text inside "`...`", so a path with `!`
    # cannot be an argument there: cd to the project and let vem find its env
    "tcsh": (
        TCSH,
        'cd "$E:h" && eval "`vem activate --shell tcsh`"',
        'source "$E/bin/activate.csh"',
    ),
}


@pytest.fixture(scope="module")
def envs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("switch")
    bin_dir = root / "bin"
    install_vem(bin_dir)
    return make_env(root / NAME_A), make_env(root / NAME_B), bin_dir


def switched_to(env: Path) -> dict[str, str]:
    """The report after A then ``env``: ``env`` active and first, A gone from PATH,
    and after deactivate PATH and prompt as before A."""
    return {
        "VE": str(env),
        "FIRST": str(env / "bin"),
        "PATH_RESTORED": "yes",
        "PS1_RESTORED": "yes",
    }


def activation(shell: str, how: str, var: str) -> str:
    _, by_vem, by_script = CASES[shell]
    line = by_vem if how == "vem" else by_script
    if shell == "tcsh":
        return line.replace("$E", f"${var}")
    return line.replace('"$E', f'"${var}')


@pytest.mark.parametrize("how", ["vem", "script"])
@pytest.mark.parametrize("shell", list(CASES))
def test_switching_does_not_grow_path(shell: str, how: str, envs: tuple[Path, Path, Path]) -> None:
    a, b, bin_dir = envs
    script = CASES[shell][0].format(
        activate_a=activation(shell, how, "A"), activate_b=activation(shell, how, "B")
    )
    environ = shell_environ(bin_dir, {"A": str(a), "B": str(b)})
    proc = run_shell(shell, script, cwd=a.parent.parent, env=environ)
    assert report(proc.stdout) == switched_to(b), proc.stderr
    assert pwned(a.parent.parent) == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "sh"])
def test_disable_prompt(shell: str, envs: tuple[Path, Path, Path]) -> None:
    a, _, bin_dir = envs
    script = (
        "PS1='orig> '\nVIRTUAL_ENV_DISABLE_PROMPT=1\n"
        f'eval "$(vem activate --shell {shell} "$A")"\n'
        'printf \'PS1=%s\\nVEP=%s\\n\' "$PS1" "$VIRTUAL_ENV_PROMPT"\n'
    )
    proc = run_shell(shell, script, cwd=a.parent, env=shell_environ(bin_dir, {"A": str(a)}))
    assert report(proc.stdout) == {"PS1": "orig> ", "VEP": NAME_A}, proc.stderr


@pytest.mark.parametrize(
    ("options", "shows"),
    [("", "print -rP"), ("setopt promptsubst", "print -rP"), ("setopt promptbang", "print -rP")],
)
def test_zsh_prompt_options(options: str, shows: str, envs: tuple[Path, Path, Path]) -> None:
    """The prefix is shown as the name, whatever the prompt options (with
    PROMPT_SUBST a `$(...)` in PS1 would run each time the prompt is drawn)."""
    a, b, bin_dir = envs
    for env, name in ((a, NAME_A), (b, NAME_B)):
        script = (
            f"{options}\nPS1='orig> '\n. \"$E/bin/activate\"\n"
            f'printf \'P=%s\\n\' "$({shows} -- "$PS1")"\n'
        )
        environ = shell_environ(bin_dir, {"E": str(env)})
        proc = run_shell("zsh", script, cwd=env.parent, env=environ)
        assert report(proc.stdout) == {"P": f"({name}) orig> "}, proc.stderr
    assert pwned(a.parent.parent) == []


def test_bash_without_promptvars(envs: tuple[Path, Path, Path]) -> None:
    a, b, bin_dir = envs
    for env, name in ((a, NAME_A), (b, NAME_B)):
        script = (
            "shopt -u promptvars\nPS1='orig> '\n. \"$E/bin/activate\"\n"
            "printf 'P=%s\\n' \"${PS1@P}\"\n"
        )
        environ = shell_environ(bin_dir, {"E": str(env)})
        proc = run_shell("bash", script, cwd=env.parent, env=environ)
        assert report(proc.stdout) == {"P": f"({name}) orig> "}, proc.stderr


@pytest.mark.parametrize("shell", ["bash", "fish"])
def test_activating_over_a_stdlib_env(
    shell: str, tmp_path: Path, envs: tuple[Path, Path, Path]
) -> None:
    """vem's deactivate also undoes a stdlib activate script it replaced."""
    a, _, bin_dir = envs
    stdlib_env = tmp_path / "stdlib-env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(stdlib_env)], check=True)
    source = {"bash": '. "$S/bin/activate"', "fish": 'source "$S/bin/activate.fish"'}[shell]
    driver = POSIX if shell == "bash" else FISH
    script = driver.format(activate_a=source, activate_b=activation(shell, "vem", "A"))
    script = script.replace('"$A/bin"', '"$S/bin"').replace(":$A/bin:", ":$S/bin:")
    environ = shell_environ(bin_dir, {"A": str(a), "S": str(stdlib_env)})
    proc = run_shell(shell, script, cwd=tmp_path, env=environ)
    assert report(proc.stdout) == switched_to(a), proc.stderr
