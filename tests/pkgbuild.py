"""Tiny real projects and wheels for install tests, built offline.

Each project carries its own PEP 517 build backend (``backend-path = ["."]``, no build
requirements), so pip builds, installs and installs editable (PEP 660) with
``--no-index`` and nothing downloaded. Wheels are real: METADATA, WHEEL, RECORD and
``entry_points.txt`` for console scripts.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import textwrap
import zipfile
from pathlib import Path

BACKEND = '''\
"""In-tree build backend for a test project (see tests/pkgbuild.py)."""
import base64, hashlib, json, os, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "project.json")) as f:
    P = json.load(f)


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _wheel(directory, editable):
    dist = f"{P['name'].replace('-', '_')}-{P['version']}"
    files = {}
    if editable:
        files[f"__editable__.{dist}.pth"] = (HERE + "\\n").encode()
    else:
        pkg = os.path.join(HERE, P["module"])
        for name in sorted(os.listdir(pkg)):
            if name.endswith(".py"):
                with open(os.path.join(pkg, name), "rb") as f:
                    files[f"{P['module']}/{name}"] = f.read()
    info = f"{dist}.dist-info"
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\\nName: {P['name']}\\nVersion: {P['version']}\\n\\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\\nGenerator: vem-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    )
    if P["scripts"]:
        lines = "".join(f"{k} = {v}\\n" for k, v in P["scripts"].items())
        files[f"{info}/entry_points.txt"] = ("[console_scripts]\\n" + lines).encode()
    record = [_record_line(n, d) for n, d in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\\n".join(record) + "\\n").encode()
    name = f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, name), "w") as zf:
        for n, d in files.items():
            zf.writestr(n, d)
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, True)
'''


def make_project(
    root: Path, name: str, version: str, *, scripts: dict[str, str] | None = None
) -> Path:
    """A project directory ``root`` for distribution ``name`` (module ``name`` with
    ``VERSION`` and a ``main()`` that prints ``<name> <version>``)."""
    module = name.replace("-", "_")
    (root / module).mkdir(parents=True)
    (root / module / "__init__.py").write_text(
        textwrap.dedent(
            f"""\
            VERSION = {version!r}


            def main():
                print({name!r}, VERSION)
            """
        )
    )
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [build-system]
            requires = []
            build-backend = "vem_test_backend"
            backend-path = ["."]

            [project]
            name = "{name}"
            version = "{version}"
            """
        )
    )
    (root / "vem_test_backend.py").write_text(BACKEND)
    project = {"name": name, "version": version, "module": module, "scripts": scripts or {}}
    (root / "project.json").write_text(json.dumps(project))
    return root


def build_wheel(project: Path, out: Path) -> Path:
    """Build ``project``'s wheel into ``out`` with its own backend, in this process."""
    spec = importlib.util.spec_from_file_location(
        f"vem_test_backend_{hashlib.sha1(str(project).encode()).hexdigest()}",
        project / "vem_test_backend.py",
    )
    assert spec is not None and spec.loader is not None
    backend = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(backend)
    out.mkdir(parents=True, exist_ok=True)
    return out / str(backend.build_wheel(str(out)))


def wheel_files(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def record_hash(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
