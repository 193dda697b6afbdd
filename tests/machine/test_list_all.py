"""`vem list --all`: envs made by the real tools (poetry, pipenv, pdm, hatch, pipx, uv,
pyenv-virtualenv, tox, nox) in an isolated HOME are found, with the right tool; the
stores honour each tool's env vars and config files; hostile stores do no harm.

The tools are looked up on PATH (and beside the Python running the tests): a missing
one skips locally and fails under CI."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import VemRunner
from tests.helpers import skip_or_fail

#: pyenv as the machine has it, read before the tests isolate HOME
REAL_PYENV_ROOT = Path(os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv"))
BASE_PYTHON = os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def require_tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        skip_or_fail(f"{name} is not installed")
        raise AssertionError("unreachable")
    return found


def tool(*argv: str, cwd: Path, **extra: str) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **extra}
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, f"{argv} failed:\n{proc.stdout}\n{proc.stderr}"


def listed_all(vem: VemRunner) -> list[dict[str, object]]:
    result = vem("list", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    data: list[dict[str, object]] = json.loads(result.stdout)
    return data


def others(vem: VemRunner) -> dict[str, str]:
    """path -> tool of every env vem --all shows in another tool's store."""
    return {str(e["path"]): str(e["tool"]) for e in listed_all(vem) if e["location"] == "other"}


def one_env_under(root: Path) -> Path:
    found = [p.parent for p in root.rglob("pyvenv.cfg")]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def demo(project: Path) -> Path:
    """A project every tool accepts (no dependencies, hatch installs nothing)."""
    (project / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0"\nrequires-python = ">=3.8"\n\n'
        "[tool.hatch.envs.default]\nskip-install = true\n"
    )
    return project


def hello_wheel(dest: Path) -> Path:
    """A wheel with a console script (pipx and uv install only apps), made by hand."""
    dist = "hello_vem-0.1.dist-info"
    files = {
        "hello_vem.py": b"def main():\n    print('hi')\n",
        f"{dist}/METADATA": b"Metadata-Version: 2.1\nName: hello-vem\nVersion: 0.1\n",
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
        f"{dist}/entry_points.txt": b"[console_scripts]\nhello-vem = hello_vem:main\n",
    }

    def record(name: str, data: bytes) -> str:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        return f"{name},sha256={digest},{len(data)}"

    wheel = dest / "hello_vem-0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        lines = [record(n, d) for n, d in files.items()] + [f"{dist}/RECORD,,"]
        zf.writestr(f"{dist}/RECORD", "\n".join(lines) + "\n")
    return wheel


# -- the real tools, in their default stores ----------------------------------------


def test_poetry_env_found(vem: VemRunner, demo: Path, home: Path) -> None:
    tool(require_tool("poetry"), "env", "use", BASE_PYTHON, cwd=demo)
    env = one_env_under(home / ".cache" / "pypoetry" / "virtualenvs")
    assert others(vem) == {str(env): "poetry"}


def test_poetry_virtualenvs_path_from_its_config_file(
    vem: VemRunner, demo: Path, home: Path, tmp_path: Path
) -> None:
    store = tmp_path / "poetry envs"
    tool(require_tool("poetry"), "config", "virtualenvs.path", str(store), cwd=demo)
    assert "virtualenvs" in (home / ".config" / "pypoetry" / "config.toml").read_text()
    tool(require_tool("poetry"), "env", "use", BASE_PYTHON, cwd=demo)
    assert others(vem) == {str(one_env_under(store)): "poetry"}


def test_pipenv_env_found(vem: VemRunner, demo: Path, home: Path) -> None:
    tool(require_tool("pipenv"), "--python", BASE_PYTHON, cwd=demo, PIPENV_YES="1")
    env = one_env_under(home / ".local" / "share" / "virtualenvs")
    found = [e for e in listed_all(vem) if e["location"] == "other"]
    assert [(e["path"], e["tool"]) for e in found] == [(str(env), "pipenv")]
    assert found[0]["project"] == str(demo)  # pipenv writes .project too


def test_pdm_env_found_in_its_configured_location(
    vem: VemRunner, demo: Path, home: Path, tmp_path: Path
) -> None:
    pdm = require_tool("pdm")
    tool(pdm, "venv", "create", BASE_PYTHON, cwd=demo, PDM_VENV_IN_PROJECT="false")
    default = one_env_under(home / ".local" / "share" / "pdm" / "venvs")
    store = tmp_path / "pdm-venvs"
    tool(pdm, "config", "venv.location", str(store), cwd=demo)
    tool(pdm, "venv", "create", "--name", "second", BASE_PYTHON, cwd=demo, PDM_VENV_IN_PROJECT="0")
    # the configured location is where pdm looks now, so it is where vem looks
    assert others(vem) == {str(one_env_under(store)): "pdm"}
    assert default.is_dir()


def test_hatch_env_found(vem: VemRunner, demo: Path, home: Path) -> None:
    tool(require_tool("hatch"), "env", "create", cwd=demo)
    env = one_env_under(home / ".local" / "share" / "hatch" / "env" / "virtual")
    assert others(vem) == {str(env): "hatch"}


def test_hatch_data_dir_from_its_env_var(vem: VemRunner, demo: Path, tmp_path: Path) -> None:
    data = tmp_path / "hatch-data"
    tool(require_tool("hatch"), "env", "create", cwd=demo, HATCH_DATA_DIR=str(data))
    os.environ["HATCH_DATA_DIR"] = str(data)
    try:
        assert others(vem) == {str(one_env_under(data / "env" / "virtual")): "hatch"}
    finally:
        del os.environ["HATCH_DATA_DIR"]


def test_pipx_and_uv_tool_envs_found(vem: VemRunner, home: Path, tmp_path: Path) -> None:
    wheel = hello_wheel(tmp_path)
    tool(
        require_tool("pipx"),
        "install",
        "--python",
        BASE_PYTHON,
        "--pip-args=--no-index",
        str(wheel),
        cwd=tmp_path,
    )
    tool(
        require_tool("uv"),
        "tool",
        "install",
        "--offline",
        "--python",
        BASE_PYTHON,
        str(wheel),
        cwd=tmp_path,
        UV_CACHE_DIR=str(tmp_path / "uv-cache"),
        UV_TOOL_BIN_DIR=str(tmp_path / "uv-bin"),
    )
    share = home / ".local" / "share"
    assert others(vem) == {
        str(share / "pipx" / "venvs" / "hello-vem"): "pipx",
        str(share / "uv" / "tools" / "hello-vem"): "uv",
    }


def test_pyenv_virtualenv_env_found(
    vem: VemRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyenv = REAL_PYENV_ROOT / "bin" / "pyenv"
    plugin = REAL_PYENV_ROOT / "plugins" / "pyenv-virtualenv"
    if not (pyenv.is_file() and plugin.is_dir()):
        skip_or_fail("pyenv and pyenv-virtualenv are not installed")
    # a PYENV_ROOT of its own: a "version" that is a plain venv, and the real plugins
    root = tmp_path / "pyenv root"
    venv.EnvBuilder(symlinks=True).create(root / "versions" / "3.99.0")
    (root / "plugins").symlink_to(REAL_PYENV_ROOT / "plugins")
    monkeypatch.setenv("PYENV_ROOT", str(root))
    tool(str(pyenv), "virtualenv", "--without-pip", "3.99.0", "tools", cwd=tmp_path)
    env = root / "versions" / "3.99.0" / "envs" / "tools"
    assert (env / "pyvenv.cfg").is_file()
    # the version itself is a venv here, but not an env of pyenv-virtualenv's store
    assert others(vem) == {str(env): "pyenv-virtualenv"}


def test_tox_and_nox_envs_of_the_current_project(vem: VemRunner, project: Path) -> None:
    (project / "tox.ini").write_text(
        "[tox]\nenv_list = demo\n[testenv:demo]\nskip_install = true\ncommands = python -c pass\n"
    )
    (project / "noxfile.py").write_text(
        'import nox\n\n@nox.session(venv_backend="venv")\ndef demo(session):\n    pass\n'
    )
    tool(require_tool("tox"), "-e", "demo", cwd=project)
    tool(require_tool("nox"), "-s", "demo", cwd=project)
    assert others(vem) == {
        str(project / ".tox" / "demo"): "tox",
        str(project / ".nox" / "demo"): "nox",
    }


# -- stores from env vars and config files (no tool needed) ------------------------------


def make_env(path: Path) -> Path:
    venv.EnvBuilder(symlinks=True).create(path)
    return path


def test_stores_follow_env_vars(
    vem: VemRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {}
    for var, tool_name, rel in (
        ("POETRY_VIRTUALENVS_PATH", "poetry", "p/x-py3.11"),
        ("WORKON_HOME", "pipenv", "pe/x-abc"),
        ("PIPX_HOME", "pipx", "px/venvs/black"),
        ("UV_TOOL_DIR", "uv", "uvt/ruff"),
    ):
        env = make_env(tmp_path / rel)
        root = tmp_path / rel.split("/")[0]
        monkeypatch.setenv(var, str(root))
        if tool_name != "pipenv":  # WORKON_HOME is vem's central home too: central wins
            expected[str(env)] = tool_name
    assert others(vem) == expected
    central = [e for e in listed_all(vem) if e["location"] == "central"]
    assert [e["path"] for e in central] == [str(tmp_path / "pe" / "x-abc")]
    assert central[0]["tool"] is None


def test_poetry_cache_dir_and_pdm_hatch_config_files(
    vem: VemRunner, home: Path, tmp_path: Path
) -> None:
    config = home / ".config"
    (config / "pypoetry").mkdir(parents=True)
    (config / "pypoetry" / "config.toml").write_text(f'cache-dir = "{tmp_path / "pc"}"\n')
    (config / "pdm").mkdir()
    (config / "pdm" / "config.toml").write_text(f'[venv]\nlocation = "{tmp_path / "pd"}"\n')
    (config / "hatch").mkdir()
    (config / "hatch" / "config.toml").write_text(f'[dirs.env]\nvirtual = "{tmp_path / "hv"}"\n')
    poetry = make_env(tmp_path / "pc" / "virtualenvs" / "demo-AbCd-py3.11")
    pdm = make_env(tmp_path / "pd" / "demo-XyZ-3.11")
    hatch = make_env(tmp_path / "hv" / "demo" / "AbCd" / "test")
    make_env(tmp_path / "hv" / "demo" / "flat")  # not at hatch's depth: not hatch's
    assert others(vem) == {str(poetry): "poetry", str(pdm): "pdm", str(hatch): "hatch"}


def test_corrupt_tool_config_is_a_warning(vem: VemRunner, home: Path) -> None:
    (home / ".config" / "pdm").mkdir(parents=True)
    (home / ".config" / "pdm" / "config.toml").write_bytes(b"[venv\n\xff")
    env = make_env(home / ".local" / "share" / "pdm" / "venvs" / "x-1-3.11")
    result = vem("list", "--all", "--json")
    assert result.exit_code == 0
    assert "pdm's config" in result.stderr and "not valid TOML" in result.stderr
    assert {e["path"] for e in json.loads(result.stdout)} == {str(env)}


# -- hostile stores -------------------------------------------------------------------------


def test_store_that_is_a_symlink_to_root_is_not_searched(
    vem: VemRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "uv-tools").symlink_to("/")
    monkeypatch.setenv("UV_TOOL_DIR", str(tmp_path / "uv-tools"))
    (tmp_path / "hatch-data" / "env").mkdir(parents=True)
    (tmp_path / "hatch-data" / "env" / "virtual").symlink_to("/")
    monkeypatch.setenv("HATCH_DATA_DIR", str(tmp_path / "hatch-data"))
    result = vem("list", "--all", "--size", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert "uv's store" in result.stderr and "hatch's store" in result.stderr


def test_foreign_env_with_symlink_loop_is_listed_and_sized(
    vem: VemRunner, home: Path, tmp_path: Path
) -> None:
    env = make_env(home / ".local" / "share" / "pipx" / "venvs" / "loopy")
    (env / "loop").symlink_to(env / "loop")
    (env / "up").symlink_to(env)
    (env / "root").symlink_to("/")
    result = vem("list", "--all", "--size", "--json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["tool"] == "pipx" and entry["location"] == "other"
    assert 0 < int(entry["size"]) < 10_000_000  # the links, not what they lead to


def test_list_all_never_changes_foreign_envs(vem: VemRunner, home: Path) -> None:
    env = make_env(home / ".local" / "share" / "pipx" / "venvs" / "black")
    (env / "bin" / "python").unlink()  # broken: still not vem's to prune
    before = sorted((str(p), p.lstat().st_mtime_ns) for p in env.rglob("*"))
    assert vem("list", "--all", "--size").exit_code == 0
    assert vem("prune", "--yes").exit_code == 0
    assert sorted((str(p), p.lstat().st_mtime_ns) for p in env.rglob("*")) == before
