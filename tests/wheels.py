"""Tiny real wheels written by hand (no build backend, no network), with dependencies
between them, for tests and benchmarks that install with real pip and uv offline."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Sequence
from pathlib import Path


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def make_wheel(
    dest: Path,
    name: str,
    version: str = "1.0",
    *,
    requires: Sequence[str] = (),
    extras: Sequence[str] = (),
    files: dict[str, bytes] | None = None,
) -> Path:
    """``<name>-<version>-py3-none-any.whl`` in ``dest``: a module ``<name>`` holding
    ``VERSION``, with these Requires-Dist lines and Provides-Extra names."""
    module = name.replace("-", "_")
    dist = f"{module}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    meta += "".join(f"Provides-Extra: {e}\n" for e in extras)
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    content = {
        f"{module}.py": f"VERSION = {version!r}\n".encode(),
        **(files or {}),
        f"{dist}/METADATA": meta.encode(),
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: vem-tests\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = [record_line(n, d) for n, d in content.items()] + [f"{dist}/RECORD,,"]
    wheel = dest / f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for n, d in content.items():
            zf.writestr(n, d)
        zf.writestr(f"{dist}/RECORD", "\n".join(record) + "\n")
    return wheel
