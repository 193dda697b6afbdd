"""Quoting and code generation, per shell: round trips through the real shells that
run here, and reference decoders for PowerShell and nushell (which cannot)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.shell_helpers import HOSTILE_NAMES, run_shell, shell_environ
from vem.errors import InvalidInput
from vem.places.auto import decide, project_env
from vem.places.record import KnownEnv, hook_files
from vem.shells import SHELLS, AliasSpec, Target, get_shell, lookup
from vem.shells._base import render
from vem.shells.csh import prompt_escape as csh_prompt
from vem.shells.zsh import prompt_escape as zsh_prompt

WORDS = [*HOSTILE_NAMES, "", "-n", "tab\there", "~root", "=ls", "*", "a\\", "'", "''", "@@ENV@@"]
PS_QUOTES = "'\u2018\u2019\u201a\u201b"


@pytest.mark.shell
@pytest.mark.parametrize("shell", ["bash", "zsh", "sh", "fish", "tcsh"])
def test_quote_round_trips_through_the_real_shell(shell: str, tmp_path: Path) -> None:
    quote = get_shell(shell).quote
    script = "".join(f"printf '%s\\n' {quote(word)}\n" for word in WORDS)
    proc = run_shell(shell, script, cwd=tmp_path, env=shell_environ(tmp_path))
    assert proc.stdout.split("\n")[:-1] == WORDS, proc.stderr
    assert list(tmp_path.rglob("PWNED")) == []


def decode_powershell(text: str) -> str:
    """A single-quoted PowerShell string: any of the five quote characters is
    written twice inside it."""
    assert text[0] in PS_QUOTES and text[-1] in PS_QUOTES
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        if body[i] in PS_QUOTES:
            assert i + 1 < len(body) and body[i + 1] in PS_QUOTES, f"lone quote in {text!r}"
            i += 1
        out.append(body[i])
        i += 1
    return "".join(out)


def decode_nushell(text: str) -> str:
    """A double-quoted nushell string (no interpolation: that needs ``$"``)."""
    assert text[0] == text[-1] == '"'
    escapes = {"\\": "\\", '"': '"', "t": "\t", "r": "\r", "n": "\n"}
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        assert char != '"', f"unescaped quote in {text!r}"
        if char == "\\":
            nxt = body[i + 1]
            if nxt == "u":
                end = body.index("}", i)
                out.append(chr(int(body[i + 3 : end], 16)))
                i = end + 1
                continue
            out.append(escapes[nxt])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


@pytest.mark.parametrize("word", [*WORDS, "smart ‘quotes’ ‚and‛ '", "ctrl\x01\x7f"])
def test_powershell_quote(word: str) -> None:
    quoted = get_shell("powershell").quote(word)
    assert decode_powershell(quoted) == word


@pytest.mark.parametrize("word", [*WORDS, "ctrl\x01\x7f", 'q"q\\"'])
def test_nushell_quote(word: str) -> None:
    quoted = get_shell("nu").quote(word)
    assert decode_nushell(quoted) == word
    assert not quoted.startswith("$")


def test_nushell_output_is_a_record() -> None:
    target = Target(Path('/p/it\'s "x"/.venv'), 'it\'s "x"')
    change = json.loads(get_shell("nu").switch(target=target, variables={"A": "1", "B": None}))
    assert change == {
        "activate": {"env": str(target.path), "prompt": target.prompt, "bin": str(target.bin)},
        "set": {"A": "1"},
        "unset": ["B"],
    }


def test_render_is_one_pass() -> None:
    assert render("@@A@@ @@B@@", {"A": "@@B@@", "B": "b"}) == "@@B@@ b"


@pytest.mark.parametrize("shell", list(SHELLS))
def test_generated_code_has_no_placeholders_left(shell: str) -> None:
    s = get_shell(shell)
    target = Target(Path("/p/x y/.venv"), "x %$`!")
    code = [
        s.switch(target=target, deactivate=True, cd=Path("/p"), variables={"X": "y", "Z": None}),
        s.init(["activate", "list"], hook=hook_files(Path("/d/it's $(x)"))),
        s.alias(AliasSpec("proj", Path("/p"), target.path, "project")),
        *s.files(hook_files(Path("/d/it's $(x)"))).values(),
    ]
    for text in code:
        assert "@@" not in text, text


def test_powershell_code_quotes_paths() -> None:
    s = get_shell("powershell")
    target = Target(Path("/p/it's $(x)/.venv"), "it's")
    code = s.activate(target)
    assert "$env:VIRTUAL_ENV = '/p/it''s $(x)/.venv'" in code
    assert "$env:VIRTUAL_ENV_PROMPT = 'it''s'" in code
    alias = s.alias(AliasSpec("proj", Path("/p/a'b"), target.path, "project"))
    assert "Set-Location -LiteralPath '/p/a''b'" in alias


def test_prompt_escapes() -> None:
    assert zsh_prompt("a%b$c`d\\e!f", subst=False, bang=False) == "(a%%b$c`d\\e!f) "
    assert zsh_prompt("a%b$c`d\\e!f", subst=True, bang=True) == "(a%%b\\$c\\`d\\\\e!!f) "
    assert csh_prompt("a%b!c^d\\e") == "(a%%b\\!c\\^d\\\\e) "


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dash", "sh"),
        ("/bin/zsh", "zsh"),
        ("-bash", "bash"),
        ("pwsh.exe", "powershell"),
        ("csh", "tcsh"),
        ("nushell", "nu"),
        ("FISH", "fish"),
    ],
)
def test_shell_lookup(name: str, expected: str) -> None:
    found = lookup(name)
    assert found is not None and found.name == expected


def test_unknown_shell_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as err:
        get_shell("cmd.exe")
    assert err.value.exit_code == 2


# --- the --auto decision ----------------------------------------------------------

A = KnownEnv(Path("/w/a/.venv"), Path("/w/a"), "project")
A_CENTRAL = KnownEnv(Path("/h/.virtualenvs/a"), Path("/w/a"), "central")
INNER = KnownEnv(Path("/w/a/inner/.venv"), Path("/w/a/inner"), "project")
B = KnownEnv(Path("/w/b/.venv"), Path("/w/b"), "project")
NO_PROJECT = KnownEnv(Path("/h/.virtualenvs/tools"), None, "central")
ENTRIES = [A_CENTRAL, A, INNER, B, NO_PROJECT]


def always(entry: KnownEnv) -> bool:
    return True


def test_project_env_prefers_innermost_project_then_its_own_venv() -> None:
    assert project_env(ENTRIES, Path("/w/a/src"), always) == A
    assert project_env(ENTRIES, Path("/w/a/inner/x"), always) == INNER
    assert project_env(ENTRIES, Path("/w/ab"), always) is None  # not a prefix match
    assert project_env(ENTRIES, Path("/w/a"), lambda e: e.path != A.path) == A_CENTRAL


def test_decide() -> None:
    def run(cwd: str, active: str | None = None, auto: str | None = None) -> tuple[object, ...]:
        c = decide(ENTRIES, Path(cwd), active=active, auto_env=auto, trusted=always)
        return (c.activate, c.deactivate, c.auto_env, c.auto_root)

    a, b = str(A.path), str(B.path)
    assert run("/w/a/sub") == (A, False, a, "/w/a")  # entering
    assert run("/w/a/sub", a, a) == (None, False, a, "/w/a")  # staying
    assert run("/w/b", a, a) == (B, False, b, "/w/b")  # switching
    assert run("/w/c", a, a) == (None, True, None, None)  # leaving
    assert run("/w/b", "/manual", None) == (None, False, None, None)  # the user's env
    assert run("/w/c", "/manual", a) == (None, False, None, None)
    assert run("/w/c", None, a) == (None, False, None, None)  # deactivated by hand
