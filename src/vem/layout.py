"""Where things are inside an env, and reading its pyvenv.cfg: the few facts every
other module needs, with no imports of vem's own."""

from __future__ import annotations

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


#: pyvenv.cfg is a few lines; .project holds one path.
CFG_LIMIT = 64 * 1024
PROJECT_LIMIT = 16 * 1024


def read_small_file(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None for anything else
    (missing, unreadable, too big, or a FIFO or device, which is never opened in a way
    that could block)."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        data = os.read(fd, limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= limit else None


def read_cfg(env_path: Path) -> dict[str, str]:
    """Parse pyvenv.cfg (``key = value`` lines); unreadable or missing gives {}."""
    data = read_small_file(env_path / "pyvenv.cfg", CFG_LIMIT)
    if data is None:
        return {}
    text = data.decode("utf-8", errors="replace")
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
        inner = raw[1:-1]
        if "\\" not in inner and raw[0] not in inner:
            return inner  # the usual repr: nothing escaped (and no `ast` import)
        import ast

        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return raw
        return value if isinstance(value, str) else raw
    return raw


def read_project_file(env_path: Path) -> Path | None:
    """The project path in ``<env>/.project`` (bytes as the file system has them, as
    virtualenvwrapper writes it); None if missing, not a small regular file, or empty."""
    import os

    data = read_small_file(env_path / PROJECT_FILE, PROJECT_LIMIT)
    if data is None:
        return None
    line = data.strip()
    return Path(os.fsdecode(line)) if line and b"\0" not in line else None


def base_interpreter(env_path: Path, cfg: dict[str, str]) -> Path | None:
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
