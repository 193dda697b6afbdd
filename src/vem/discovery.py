"""Turning ``-p SPEC`` into a verified interpreter.

Interface used by the rest of vem (keep it stable): :class:`Interpreter` and
:func:`find_interpreter`. The internals (search order, caching) may change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from vem.errors import InvalidInput, VemError

_PROBE = "import sys; print('.'.join(map(str, sys.version_info[:3])))"


@dataclass(frozen=True)
class Interpreter:
    """A Python interpreter that was run and answered with its version."""

    path: Path  # absolute, as found (not resolved: symlinks matter to venv)
    version: tuple[int, int, int]

    @property
    def version_str(self) -> str:
        return ".".join(map(str, self.version))

    @property
    def is_running(self) -> bool:
        """True when this is the interpreter vem itself runs on."""
        try:
            return os.path.samefile(self.path, sys.executable)
        except OSError:
            return False


def current() -> Interpreter:
    v = sys.version_info
    return Interpreter(Path(sys.executable), (v.major, v.minor, v.micro))


def probe(path: Path) -> Interpreter | None:
    """Run ``path`` and ask its version; None if it does not run as a Python."""
    try:
        out = subprocess.run(
            [str(path), "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=20,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    parts = out.stdout.strip().split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return Interpreter(path, (int(parts[0]), int(parts[1]), int(parts[2])))


def _parse_version(spec: str) -> tuple[int, ...] | None:
    text = spec[len("python") :] if spec.startswith("python") else spec
    parts = text.split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def find_interpreter(spec: str | None) -> Interpreter:
    """``None`` → the running Python; a path; or a version like ``3.12``, ``python3.12``."""
    if spec is None or spec == "":
        return current()
    if os.sep in spec or (os.altsep and os.altsep in spec) or spec.startswith("~"):
        path = Path(spec).expanduser().absolute()
        found = probe(path)
        if found is None:
            raise VemError(f"{spec} is not a working Python interpreter")
        return found
    wanted = _parse_version(spec)
    if wanted is None:
        raise InvalidInput(f"invalid Python spec {spec!r}: use 3.12, 3.12.1, python3.12 or a path")
    if current().version[: len(wanted)] == wanted:
        return current()
    names = [f"python{'.'.join(map(str, wanted[:2]))}", "python3"] if len(wanted) > 1 else ["python3"]
    for name in names:
        exe = shutil.which(name)
        if exe:
            found = probe(Path(exe))
            if found and found.version[: len(wanted)] == wanted:
                return found
    raise VemError(f"no Python {spec} found")
