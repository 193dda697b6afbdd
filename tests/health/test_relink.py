"""`vem relink` on envs holding real pip-made console scripts and a real editable
install (`pip install -e .`, offline through a tiny in-tree build backend), moved
with their project into a hostile path; and the shebang rules as unit tests."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import VemRunner, run_vem_process
from vem.env.traces import build_shebang, interpreter_xy, parse_shebang

BACKEND = """
import base64, hashlib, os, zipfile

NAME, VERSION = "hello_proj", "0.1"
DIST = f"{NAME}-{VERSION}.dist-info"


def _line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src")
    files = {
        f"_{NAME}.pth": (src + "\\n").encode(),
        f"{DIST}/METADATA": f"Metadata-Version: 2.1\\nName: {NAME}\\n"
        f"Version: {VERSION}\\n".encode(),
        f"{DIST}/WHEEL": b"Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\n"
        b"Tag: py3-none-any\\n",
        f"{DIST}/entry_points.txt": b"[console_scripts]\\nhello = hello_mod:main\\n",
    }
    wheel = f"{NAME}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        record = [_line(n, d) for n, d in files.items()] + [f"{DIST}/RECORD,,"]
        zf.writestr(f"{DIST}/RECORD", "\\n".join(record) + "\\n")
    return wheel
"""


def make_project(root: Path) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
    )
    (root / "backend.py").write_text(BACKEND)
    (root / "src").mkdir()
    (root / "src" / "hello_mod.py").write_text(
        "import sys\ndef main():\n    print('hello from', __file__, sys.prefix)\n"
    )
    return root


def test_project_moved_with_console_scripts_and_editable(isolated: Path, vem: VemRunner) -> None:
    old = make_project(isolated / "proj")
    assert run_vem_process("create", cwd=old).returncode == 0
    pip = subprocess.run(
        [
            str(old / ".venv" / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--disable-pip-version-check",
            "-e",
            ".",
        ],
        cwd=old,
        capture_output=True,
        text=True,
    )
    assert pip.returncode == 0, pip.stderr
    new = isolated / "moved here $(touch PWNED) `touch PWNED` 'q' ; !x"
    old.rename(new)
    env = new / ".venv"
    # before: the scripts point at the old env, which is gone
    assert (env / "bin" / "hello").read_text().startswith(f"#!{old}/.venv/bin/python")
    os.chdir(new)
    report = json.loads(vem("doctor", "--json").stdout)
    assert report[0]["status"] == "moved"
    result = vem("relink")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{env}\n"
    hello = subprocess.run([str(env / "bin" / "hello")], capture_output=True, text=True)
    assert hello.returncode == 0, hello.stderr
    assert hello.stdout.strip() == f"hello from {new / 'src' / 'hello_mod.py'} {env}"
    pip_version = subprocess.run([str(env / "bin" / "pip"), "--version"], capture_output=True)
    assert pip_version.returncode == 0
    site = next((env / "lib").glob("python*/site-packages"))
    direct = json.loads(
        next(site.glob("hello_proj-*.dist-info")).joinpath("direct_url.json").read_text()
    )
    assert direct["url"] == new.as_uri() and direct["dir_info"] == {"editable": True}
    assert (site / "_hello_proj.pth").read_text() == f"{new / 'src'}\n"
    assert not list(isolated.rglob("PWNED"))
    assert json.loads(vem("doctor", "--json").stdout)[0]["status"] == "ok"
    # vem's record follows it: `list` shows it from anywhere, the old path is gone
    os.chdir(isolated)
    listed = [e["path"] for e in json.loads(vem("list", "--json").stdout)]
    assert listed == [str(env)]


def test_relink_of_a_healthy_env_changes_nothing(vem: VemRunner, home: Path) -> None:
    assert vem("create", "--no-pip", "fine").exit_code == 0
    activate = home / ".virtualenvs" / "fine" / "bin" / "activate"
    before = activate.stat().st_mtime_ns
    result = vem("relink", "fine")
    assert result.exit_code == 0 and "nothing to relink" in result.stderr
    assert activate.stat().st_mtime_ns == before
    assert vem("relink", "nope").exit_code == 3
    assert vem("relink", "..").exit_code == 3


def test_shebang_forms_round_trip() -> None:
    for interpreter in (
        "/e/bin/python",
        "/a b/bin/python3",
        "/q'u$(x)`y`/bin/python",
        "/" + "l" * 130 + "/bin/python",
    ):
        header = build_shebang(interpreter, "-E")
        parsed = parse_shebang(header + b"import sys\n")
        assert parsed is not None
        assert (parsed.interpreter, parsed.rest, parsed.header_len) == (
            interpreter,
            "-E",
            len(header),
        )
    assert build_shebang("/e/bin/python") == b"#!/e/bin/python\n"
    assert parse_shebang(b"no shebang\n") is None
    # the sh form runs the interpreter with nothing in its path expanded
    assert b"'/q '\\''u$(x)`y`/bin/python'" in build_shebang("/q 'u$(x)`y`/bin/python")


def test_interpreter_version_from_names(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    (prefix / "bin").mkdir(parents=True)
    exe = prefix / "bin" / "python3"
    exe.write_text("")
    assert interpreter_xy(exe) is None  # nothing says which
    (prefix / "lib" / "python3.13").mkdir(parents=True)
    (prefix / "lib" / "python3.13" / "os.py").write_text("")
    assert interpreter_xy(exe) == "3.13"
    (prefix / "lib" / "python3.12").mkdir()
    (prefix / "lib" / "python3.12" / "os.py").write_text("")
    assert interpreter_xy(exe) is None  # two stdlibs: no guess
    named = prefix / "bin" / "python3.11"
    named.write_text("")
    link = tmp_path / "python"
    link.symlink_to(named)
    assert interpreter_xy(link) == "3.11"
