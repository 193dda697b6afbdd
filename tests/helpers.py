"""Helpers shared by several test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

REAL_PYENV_ROOT = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
IN_CI = bool(os.environ.get("CI"))


def skip_or_fail(message: str) -> None:
    """Skip the test here, but fail it when ``CI`` is set: in CI every prerequisite
    (a shell, a tool, a Python, root) is installed, so a missing one is a failure."""
    if IN_CI:
        pytest.fail(f"{message} (CI is set: this test must run)")
    pytest.skip(message)


def require(path: Path | None, what: str) -> Path:
    """The path, or skip (locally) / fail (in CI) when it is not installed."""
    if path is None or not path.exists():
        skip_or_fail(f"{what} is not installed here")
    assert path is not None
    return path


def pyenv_python(xy: str) -> Path | None:
    """pyenv's newest Python X.Y (by path: its shims fail unless PYENV_VERSION names
    them), found through $PYENV_ROOT as read before the tests moved HOME."""
    found = sorted(REAL_PYENV_ROOT.glob(f"versions/{xy}.*/bin/python{xy}"))
    return found[-1] if found else None


def fake_python(path: Path, version: str, *, executable: Path | None = None) -> Path:
    """A script that answers vem's probe like a Python of ``version`` would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "version": [int(p) for p in version.split(".")],
        "implementation": "cpython",
        "executable": str(executable or path),
        "stdlib": None,
        "wheel_dir": None,
    }
    path.write_text(f"#!/bin/sh\necho 'VEM-PROBE {json.dumps(data)}'\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def failing_shim(path: Path) -> Path:
    """A pyenv shim whose version is not selected."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho 'pyenv: {path.name}: command not found' >&2\nexit 127\n")
    path.chmod(0o755)
    return path


def build_wheel(dest: Path, entry_points: str, module_code: str = "") -> Path:
    """A minimal but complete wheel of ``vem-sibling 0.1`` (module ``vem_sibling``),
    written by hand: no build backend, no network."""
    from tests.wheels import make_wheel

    files = {
        "vem_sibling.py": module_code.encode(),
        "vem_sibling-0.1.dist-info/entry_points.txt": entry_points.encode(),
    }
    return make_wheel(dest, "vem-sibling", "0.1", files=files)
