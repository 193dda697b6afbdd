"""``.venv`` pointer files: a ``.venv`` FILE (not a directory) in a project root that
names the project's env (PEP 832, and the older virtualfish ``vf connect`` / pipenv form).

Its first non-blank line is a path (it holds a ``/``; relative to the project root,
``~`` expanded) or a bare name (a central env of that name). A pointer that leads to
``/``, the home directory, the project itself or a folder holding it, a non-env, or
that is not text leads to no env, with a message saying why. A pointer never makes an
env trusted for ``--auto``, and ``remove`` follows it only to an env that lies inside
the project root or whose ``.project`` names it.

vem writes one (config ``venv_file``) for a central env made for a project, only where
no ``.venv`` exists, and removes it with the env only if it still holds that path.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from vem.env.layout import is_env, read_project_file
from vem.errors import InvalidInput, Unsafe

POINTER_FILE = ".venv"
#: More than this is not a pointer someone wrote.
MAX_BYTES = 4096


class Pointer(NamedTuple):
    file: Path
    #: the env it leads to, or None (then ``problem`` says why)
    target: Path | None
    problem: str = ""


def _first_line(file: Path) -> tuple[str | None, str]:
    """The first non-blank line, or None and why not."""
    try:
        with open(file, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    if len(data) > MAX_BYTES:
        return None, f"is larger than {MAX_BYTES} bytes, not a pointer to an environment"
    if b"\0" in data:
        return None, "holds binary data, not the path or name of an environment"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, "is not UTF-8 text, not the path or name of an environment"
    for line in text.splitlines():
        if line.strip():
            return line.strip(), ""
    return None, "is empty"


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def read_pointer(project_root: Path, *, central_home: Path, home: Path) -> Pointer | None:
    """The pointer in ``project_root``, or None when its ``.venv`` is not a file."""
    from vem.names import validate_name

    file = project_root / POINTER_FILE
    if not os.path.isfile(file):
        return None
    line, why = _first_line(file)
    if line is None:
        return Pointer(file, None, f"{file} {why}")
    if "/" in line or os.sep in line:
        target = Path(os.path.normpath(project_root / os.path.expanduser(line)))
    else:
        try:
            validate_name(line)
        except InvalidInput:
            return Pointer(file, None, f"{file} names {line!r}, which is not a valid env name")
        target = central_home / line
    real = _real(target)
    root_real = _real(project_root)
    if real == Path(real.anchor) or real == _real(home):
        return Pointer(file, None, f"{file} points to {target}, which is never an environment")
    if root_real.is_relative_to(real):
        return Pointer(
            file, None, f"{file} points to {target}, the project itself or a folder holding it"
        )
    if not is_env(target):
        return Pointer(
            file, None, f"{file} points to {target}, which is not an environment (no pyvenv.cfg)"
        )
    return Pointer(file, target)


def check_removable(env_path: Path, project_root: Path) -> None:
    """``remove`` without NAME follows a pointer only to an env inside the project root
    or whose ``.project`` names it; anything else is exit 5, nothing touched."""
    inside = _real(env_path).is_relative_to(_real(project_root))
    if inside or read_project_file(env_path) == project_root:
        return
    raise Unsafe(
        f"not removing {env_path}: {project_root / POINTER_FILE} points to it, but it lies "
        "outside the project and does not name the project as its own",
        hint=f"vem remove {env_path} removes it by path, if you mean it",
    )


def write_pointer(project_root: Path, env_path: Path) -> bool:
    """Write ``<project>/.venv`` holding the env's absolute path, only where no
    ``.venv`` exists (never replaced). True if it was written."""
    file = project_root / POINTER_FILE
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"{env_path}\n")
    return True


def remove_pointer(project_root: Path, env_path: Path) -> bool:
    """Delete ``<project>/.venv`` if it is a plain file that still holds ``env_path``."""
    file = project_root / POINTER_FILE
    try:
        if not stat.S_ISREG(os.lstat(file).st_mode):
            return False
    except OSError:
        return False
    line, _ = _first_line(file)
    if line != str(env_path):
        return False
    try:
        os.unlink(file)
    except OSError:
        return False
    return True
