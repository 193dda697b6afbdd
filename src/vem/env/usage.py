"""When vem last used an env: the mtime of a marker file inside it, touched when vem
activates or runs it (one ``utime``, on the fast path of ``vem activate``), plus the
times its own files show (made, packages installed). ``prune --unused-for`` reads it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vem.env.model import Env

#: Touched inside an env each time vem activates or runs it.
USED_MARKER = ".vem-used"


def marks_usage(env: Env, *, via_pointer: bool) -> bool:
    """Whether vem records use of ``env``: its own envs (central, project, a plugin's),
    but not one found by path, in another tool's store, or a project env reached through
    a ``.venv`` pointer (central envs are vem's also then)."""
    if env.location in ("path", "other"):
        return False
    return not via_pointer or env.location == "central"


def mark_used(env_path: Path) -> None:
    """Record that the env was used now; an env vem cannot write to is left alone."""
    marker = os.path.join(env_path, USED_MARKER)
    try:
        # never through a planted symlink: that would touch a file outside the env
        os.utime(marker, follow_symlinks=os.utime not in os.supports_follow_symlinks)
    except FileNotFoundError:
        with contextlib.suppress(OSError):
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o644))
    except OSError:
        pass


def last_used(env_path: Path, python_version: str | None) -> float | None:
    """The newest of: vem's marker, pyvenv.cfg (made), the env dir, its bin dir and
    site-packages (something installed). None when none of them can be read."""
    candidates = [
        os.path.join(env_path, USED_MARKER),
        os.path.join(env_path, "pyvenv.cfg"),
        str(env_path),
        os.path.join(env_path, "bin"),
    ]
    if python_version:
        xy = ".".join(python_version.split(".")[:2])
        candidates.append(os.path.join(env_path, "lib", f"python{xy}", "site-packages"))
    newest: float | None = None
    for path in candidates:
        try:
            mtime = os.lstat(path).st_mtime
        except OSError:
            continue
        newest = mtime if newest is None else max(newest, mtime)
    return newest
