"""What an env's own files say about it, read without running anything: which Python
X.Y its interpreter now leads to, and which directory its scripts were made for.

Both are found by reading names and the first bytes of small regular files; a symlink
inside the env is only ever resolved (to learn where ``bin/python`` leads), never read.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import NamedTuple

from vem.env.layout import bin_dir, is_env, read_cfg
from vem.fs.reads import read_head
from vem.text import xy

#: ``python3.12``, ``python3.13t``, ``python3.12.exe``: a name that carries X.Y.
# Patterns as strings: ``re`` compiles (and caches) each on its first use, so `vem
# path` pays only for those its env's diagnosis needs (measured: ~0.4 ms at import).
_VERSIONED_NAME = r"python(\d+\.\d+)t?(?:\.exe)?"
_STDLIB_DIR = r"python(\d+\.\d+)t?"
_LIBPYTHON = r"libpython(\d+\.\d+)t?\.(?:so|dylib|a)(?:\.[\d.]+)?"
_SCRIPT_PYTHON = r"python(?:\d+(?:\.\d+)?t?)?"
_VIRTUAL_ENV_LINE = r"(?m)^[ \t]*(?:export[ \t]+)?VIRTUAL_ENV=(.*)$"

#: How much of bin/activate is read (vem's is ~1.5 KB, the stdlib's ~2-3 KB).
ACTIVATE_LIMIT = 256 * 1024
#: How much of a script is read to find its shebang (pip's long form is 3 lines).
SHEBANG_LIMIT = 4096
#: At most this many files of bin/ are looked at for a shebang when there is no
#: activate script to read (the first one naming an env's python decides).
SCRIPT_SCAN_LIMIT = 64
#: The longest ``#!`` line Linux runs (distlib's limit too); longer needs /bin/sh.
MAX_SHEBANG = 127
_SH_FORM = b"#!/bin/sh\n'''exec' "


def interpreter_xy(python: Path) -> str | None:
    """The ``X.Y`` of the Python that ``python`` (an env's ``bin/python``) leads to,
    from names alone; None when it cannot be told.

    The symlink chain is resolved (``os.path.realpath``: no file is opened), then, first
    that answers:

    1. the resolved file's name (``python3.12``): what Homebrew, pyenv, Debian, uv and
       python.org installs all end in;
    2. the prefix's pyvenv.cfg ``version`` when the base is itself a venv;
    3. the one ``lib/pythonX.Y/os.py`` beside it (the landmark the interpreter itself
       looks for to find its standard library);
    4. the one ``lib/libpythonX.Y.*`` beside it.

    A prefix holding two or more of 3 or 4 (``/usr`` with several Pythons) is not
    guessed at: None, and the env is not called mismatched on a guess.
    """
    leaf = _leaf(os.fspath(python))
    named = re.fullmatch(_VERSIONED_NAME, os.path.basename(leaf)) if leaf else None
    if named:
        return named.group(1)
    real = Path(os.path.realpath(python))
    named = re.fullmatch(_VERSIONED_NAME, real.name)
    if named:
        return named.group(1)
    prefix = real.parent.parent
    if real.parent.name == "bin" and is_env(prefix):
        made = xy(read_cfg(prefix).version)
        if made is not None:
            return made
    try:
        names = os.listdir(prefix / "lib")
    except OSError:
        return None
    stdlibs = {
        m.group(1)
        for n in names
        if (m := re.fullmatch(_STDLIB_DIR, n)) and (prefix / "lib" / n / "os.py").is_file()
    }
    if len(stdlibs) == 1:
        return stdlibs.pop()
    if stdlibs:
        return None
    libs = {m.group(1) for n in names if (m := re.fullmatch(_LIBPYTHON, n))}
    return libs.pop() if len(libs) == 1 else None


def _leaf(path: str) -> str | None:
    """The file at the end of ``path``'s symlink chain, found by reading the links
    only (``os.path.realpath`` stats every directory on the way: ten times slower
    over 1,000 envs). ``..`` is left for the kernel to resolve, so a symlinked
    directory on the way is still followed correctly; None after 40 links."""
    for _ in range(40):
        try:
            target = os.readlink(path)
        except OSError:
            return path  # not a link (or gone): the end of the chain
        path = os.path.join(os.path.dirname(path), target)
    return None


class Shebang(NamedTuple):
    """The interpreter a script names, and how many bytes its header takes."""

    interpreter: str
    rest: str  # what follows the interpreter on the ``#!`` / exec line
    header_len: int


def parse_shebang(head: bytes) -> Shebang | None:
    """The interpreter of a script: ``#!/path/python [args]``, or pip's (distlib's)
    form for paths with spaces or longer than a ``#!`` line allows::

        #!/bin/sh
        '''exec' "/path with space/bin/python" "$0" "$@"
        ' '''
    """
    if head.startswith(_SH_FORM):
        lines = head.split(b"\n", 3)
        if len(lines) < 4 or lines[2] != b"' '''":
            return None
        exec_line = os.fsdecode(lines[1].removeprefix(b"'''exec' "))
        try:
            words = shlex.split(exec_line)
        except ValueError:
            return None
        if len(words) < 3 or words[-2:] != ["$0", "$@"]:
            return None
        header_len = sum(len(line) + 1 for line in lines[:3])
        return Shebang(words[0], " ".join(words[1:-2]), header_len)
    if not head.startswith(b"#!"):
        return None
    line, newline, _ = head.partition(b"\n")
    if not newline:
        return None
    text = os.fsdecode(line[2:]).strip()
    interpreter, _, rest = text.partition(" ")
    if not interpreter:
        return None
    return Shebang(interpreter, rest.strip(), len(line) + 1)


def build_shebang(interpreter: str, rest: str = "") -> bytes:
    """A script header that runs ``interpreter`` (with ``rest``) for any path: a
    plain ``#!`` line when the kernel can take it, else pip's ``/bin/sh`` form with the
    path quoted so that nothing in it (``$``, backticks, quotes) is expanded."""
    post = f" {rest}" if rest else ""
    simple = f"#!{interpreter}{post}\n"
    if " " not in interpreter and len(os.fsencode(simple)) <= MAX_SHEBANG:
        return os.fsencode(simple)
    quoted = "'" + interpreter.replace("'", "'\\''") + "'"
    if "'''" in quoted:  # would end the Python string the header hides in
        escaped = "".join("\\" + c if c in '$`"\\' else c for c in interpreter)
        quoted = f'"{escaped}"'
    return os.fsencode(f"#!/bin/sh\n'''exec' {quoted}{post} \"$0\" \"$@\"\n' '''\n")


def script_env(interpreter: str) -> Path | None:
    """The env directory a script's interpreter lies in (``<env>/bin/python3``)."""
    path = Path(interpreter)
    if not path.is_absolute() or path.parent.name != bin_dir(Path("x")).name:
        return None
    if not re.fullmatch(_SCRIPT_PYTHON, path.name.removesuffix(".exe")):
        return None
    return path.parent.parent


def activate_env(env_path: Path) -> Path | None:
    """The ``VIRTUAL_ENV`` that the env's ``bin/activate`` sets, when it is one
    absolute path written out (vem's, the stdlib's, virtualenv's and uv's scripts;
    not a relocatable one that computes it)."""
    data = read_head(bin_dir(env_path) / "activate", ACTIVATE_LIMIT)
    if data is None:
        return None
    text = data[:ACTIVATE_LIMIT].decode("utf-8", errors="surrogateescape")
    for match in re.finditer(_VIRTUAL_ENV_LINE, text):
        value = _shell_word(match.group(1).strip())
        if value is not None and os.path.isabs(value):
            return Path(value)
    return None


_PLAIN_WORD = r"[A-Za-z0-9_./@%+,:=~-]+"


def _shell_word(text: str) -> str | None:
    """``text`` as the one word sh would read it as, or None (several words, or
    something computed: ``$(...)``). The usual forms are read without shlex."""
    if re.fullmatch(_PLAIN_WORD, text):
        return text
    if len(text) >= 2 and text[0] == text[-1] == "'" and "'" not in text[1:-1]:
        return text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == '"' and not set(text[1:-1]) & set('"$`\\'):
        return text[1:-1]
    try:
        words = shlex.split(text)
    except ValueError:
        return None
    return words[0] if len(words) == 1 else None


def scripts_env(env_path: Path) -> Path | None:
    """The env that the first console script in ``bin/`` naming an env's python was
    made for (a script naming a system Python, ``/usr/bin/python3``, is not one)."""
    try:
        with os.scandir(bin_dir(env_path)) as it:
            entries = sorted((e for e in it if e.is_file(follow_symlinks=False)), key=_by_name)
    except OSError:
        return None
    for entry in entries[:SCRIPT_SCAN_LIMIT]:
        head = read_head(Path(entry.path), SHEBANG_LIMIT)
        shebang = parse_shebang(head) if head else None
        where = script_env(shebang.interpreter) if shebang else None
        if where is None:
            continue
        if same_place(where, env_path) or not os.path.lexists(where) or is_env(where):
            return where
    return None


def _by_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def made_for(env_path: Path) -> Path | None:
    """The directory the env's scripts were made for: what ``bin/activate`` sets, else
    what its console scripts run; None when nothing in it names a place."""
    return activate_env(env_path) or scripts_env(env_path)


def same_place(a: Path, b: Path) -> bool:
    """The same directory, also when reached through a symlink."""
    if os.path.normpath(a) == os.path.normpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False
