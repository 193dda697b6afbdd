"""Where things are inside an env, and reading its pyvenv.cfg: the few facts every
other module needs, with no imports of vem's own."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

#: Left in an env while vem builds it; its presence means "creation did not finish".
INCOMPLETE_MARKER = ".vem-incomplete"
#: virtualenvwrapper's file naming the project an env belongs to.
PROJECT_FILE = ".project"

_WINDOWS = sys.platform == "win32"


def bin_dir(env_path: Path) -> Path:
    """The directory holding the env's executables."""
    return env_path / ("Scripts" if _WINDOWS else "bin")


def env_python(env_path: Path) -> Path:
    return bin_dir(env_path) / ("python.exe" if _WINDOWS else "python")


def is_env(path: Path) -> bool:
    """A directory made by venv: it has a ``pyvenv.cfg`` file."""
    return (path / "pyvenv.cfg").is_file()


#: At most this much of a pyvenv.cfg is read (a real one is a few hundred bytes).
CFG_LIMIT = 64 * 1024
#: A ``.project`` longer than this is not a path vem wrote (or anyone would).
PROJECT_FILE_LIMIT = 4096


def read_head(path: Path, limit: int, *, follow: bool = False) -> bytes | None:
    """Up to ``limit + 1`` bytes from the start of ``path`` if it is a regular file
    (so a caller can tell a file longer than ``limit``); None for anything else.

    A FIFO, a device (``/dev/zero``) or a socket is never read, so nothing hangs or
    fills memory; unless ``follow``, a symlink is not followed either (an env may hold
    a symlink to a user's file: its content is nobody's business here).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
        if _WINDOWS and os.path.islink(path):  # pragma: no cover - no O_NOFOLLOW there
            return None
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def read_cfg(env_path: Path) -> dict[str, str]:
    """Parse pyvenv.cfg (``key = value`` lines); unreadable or missing gives {}."""
    data = read_head(env_path / "pyvenv.cfg", CFG_LIMIT, follow=True)
    if data is None:
        return {}
    text = data[:CFG_LIMIT].decode("utf-8", errors="replace")
    cfg: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            cfg[key.strip().lower()] = value.strip()
    return cfg


def cfg_version(cfg: dict[str, str]) -> str | None:
    """The Python version an env was made with: stdlib writes ``version``,
    virtualenv and uv ``version_info`` (``3.11.7.final.0``)."""
    raw = cfg.get("version") or cfg.get("version_info")
    if not raw:
        return None
    parts = raw.split(".")
    nums = [p for p in parts[:3] if p.isdigit()]
    return ".".join(nums) if nums else None


def cfg_prompt(cfg: dict[str, str]) -> str | None:
    """The prompt in pyvenv.cfg: stdlib venv writes it as a Python repr, uv bare."""
    raw = cfg.get("prompt")
    if not raw:
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        import ast  # no cost: Click has imported it already

        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return raw
        return value if isinstance(value, str) else raw
    return raw


def read_project_file(env_path: Path) -> Path | None:
    """The absolute project path in ``<env>/.project`` (bytes as the file system has
    them, as virtualenvwrapper writes it); None when it is missing, not a regular file
    (a symlink, a FIFO, a device), too long, or not one absolute path."""
    data = read_head(env_path / PROJECT_FILE, PROJECT_FILE_LIMIT)
    if data is None or len(data) > PROJECT_FILE_LIMIT:
        return None
    lines = data.strip().splitlines()
    if len(lines) != 1 or b"\0" in lines[0]:
        return None
    text = os.fsdecode(lines[0].strip())
    return Path(text) if os.path.isabs(text) else None


def base_interpreter(cfg: dict[str, str]) -> Path | None:
    """Where the env's base interpreter should be, from pyvenv.cfg alone."""
    if cfg.get("executable"):
        return Path(cfg["executable"])
    if cfg.get("base-executable"):
        return Path(cfg["base-executable"])
    home = cfg.get("home")
    if not home:
        return None
    if _WINDOWS:
        return Path(home) / "python.exe"
    version = cfg_version(cfg)
    if version:
        candidate = Path(home) / ("python" + ".".join(version.split(".")[:2]))
        if candidate.exists():
            return candidate
    return Path(home) / "python3"
