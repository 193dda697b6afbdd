"""Where things are inside an env, and its pyvenv.cfg read once into a typed value:
the few facts every other module needs. Nothing here runs the env."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from vem.fs.reads import read_head
from vem.text import xy

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


def site_packages(env_path: Path, version: str | None = None) -> list[Path]:
    """The env's own site-packages directories (not the base Python's), the one of
    ``version``'s X.Y first: ``lib/pythonX.Y/site-packages`` (``Lib/site-packages`` on
    Windows). Only real directories reached without a symlink count (``lib64`` is
    venv's link to ``lib``), so nothing read or written through one leaves the env."""
    if _WINDOWS:
        candidates = [env_path / "Lib" / "site-packages"]
    else:
        lib = env_path / "lib"
        if lib.is_symlink():
            return []
        try:
            with os.scandir(lib) as it:
                names = sorted(e.name for e in it if e.is_dir(follow_symlinks=False))
        except OSError:
            return []
        want = f"python{xy(version)}" if version else None
        names.sort(key=lambda n: n != want)
        candidates = [lib / n / "site-packages" for n in names if n.startswith(("python", "pypy"))]
    return [p for p in candidates if p.is_dir() and not p.is_symlink()]


#: At most this much of a pyvenv.cfg is read (a real one is a few hundred bytes).
CFG_LIMIT = 64 * 1024
#: A ``.project`` longer than this is not a path vem wrote (or anyone would).
PROJECT_FILE_LIMIT = 4096


class PyvenvCfg(NamedTuple):
    """An env's pyvenv.cfg, parsed once: the keys vem uses, typed, and all of them."""

    keys: dict[str, str]

    @property
    def found(self) -> bool:
        """There was a readable pyvenv.cfg with at least one key."""
        return bool(self.keys)

    @property
    def version(self) -> str | None:
        """The Python version the env was made with (X.Y.Z): stdlib writes ``version``,
        virtualenv and uv ``version_info`` (``3.11.7.final.0``)."""
        raw = self.keys.get("version") or self.keys.get("version_info")
        if not raw:
            return None
        nums = [p for p in raw.split(".")[:3] if p.isdigit()]
        return ".".join(nums) if nums else None

    @property
    def home(self) -> str | None:
        return self.keys.get("home") or None

    @property
    def system_site_packages(self) -> bool:
        return self.keys.get("include-system-site-packages", "").lower() == "true"

    @property
    def prompt(self) -> str | None:
        """The prompt: stdlib venv writes it as a Python repr, uv bare."""
        raw = self.keys.get("prompt")
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

    @property
    def base_interpreter(self) -> Path | None:
        """Where the env's base interpreter should be, from pyvenv.cfg alone."""
        for key in ("executable", "base-executable"):
            if self.keys.get(key):
                return Path(self.keys[key])
        home = self.home
        if not home:
            return None
        if _WINDOWS:
            return Path(home) / "python.exe"
        if self.version:
            candidate = Path(home) / f"python{xy(self.version)}"
            if candidate.exists():
                return candidate
        return Path(home) / "python3"


def read_cfg(env_path: Path) -> PyvenvCfg:
    """Parse pyvenv.cfg (``key = value`` lines); unreadable or missing gives no keys."""
    data = read_head(env_path / "pyvenv.cfg", CFG_LIMIT, follow=True)
    keys: dict[str, str] = {}
    if data is not None:
        for line in data[:CFG_LIMIT].decode("utf-8", errors="replace").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                keys[key.strip().lower()] = value.strip()
    return PyvenvCfg(keys)


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
