"""Planted files, unbounded input, hostile bytes and closed streams never make vem run
a repository's file, hang, blow up, paint the terminal or print a traceback (issue 13,
items 8, 10-13, 21)."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from tests.conftest import VemRunner, run_vem_process

VEM = [sys.executable, "-m", "vem"]


def vem_bytes(
    *args: bytes | str, cwd: Path | None = None, **kw: object
) -> subprocess.CompletedProcess[bytes]:
    argv = [os.fsencode(a) for a in (*VEM, *args)]
    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        **kw,  # type: ignore[call-overload]
    )


def no_traceback(err: str | bytes) -> bool:
    return b"Traceback" not in (err if isinstance(err, bytes) else err.encode())


def central_env(home: Path, name: str) -> Path:
    env = home / ".virtualenvs" / name
    venv.EnvBuilder(symlinks=True, with_pip=False).create(env)
    return env


# --- item 8: a project may name a version, never a file to run -----------------------


def test_pyproject_python_path_is_refused_and_never_run(vem: VemRunner, project: Path) -> None:
    tools = project / "tools"
    tools.mkdir()
    planted = tools / "python3"
    planted.write_text(f'#!/bin/sh\ntouch {project / "PWNED"}\nexec {sys.executable} "$@"\n')
    planted.chmod(0o755)
    (project / "pyproject.toml").write_text('[tool.vem]\npython = "tools/python3"\n')
    result = vem("create", "--no-pip")
    assert result.exit_code == 2, result.stderr
    assert "pyproject.toml" in result.stderr and "tools/python3" in result.stderr
    assert not (project / "PWNED").exists()
    assert not (project / ".venv").exists()
    # the user may still choose that file
    assert vem("create", "--no-pip", "-p", str(planted)).exit_code == 0
    assert (project / "PWNED").exists()


def test_pyproject_python_version_is_still_fine(vem: VemRunner, project: Path) -> None:
    v = sys.version_info
    (project / "pyproject.toml").write_text(f'[tool.vem]\npython = "{v.major}.{v.minor}"\n')
    assert vem("create", "--no-pip").exit_code == 0


# --- item 10: .project that is a FIFO or /dev/zero --------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_a_hostile_project_file_neither_hangs_nor_blows_up(home: Path, kind: str) -> None:
    env = central_env(home, "planted")
    project_file = env / ".project"
    if kind == "fifo":
        os.mkfifo(project_file)
    elif kind == "dev-zero":
        project_file.symlink_to("/dev/zero")
    else:
        with open(project_file, "wb") as f:
            f.truncate(4 << 30)  # 4 GB (sparse)
    for args in (["list"], ["info", "planted"], ["list", "--json"]):
        done = subprocess.run(
            [*VEM, *args],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
            preexec_fn=_limit_memory,
        )
        assert done.returncode == 0, done.stderr
        assert "planted" in done.stdout
        assert no_traceback(done.stderr)


def _limit_memory() -> None:
    """A child that would read without bound fails fast instead of eating the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


# --- item 11: a fake interpreter that floods its output ---------------------------------


def test_a_flooding_fake_python_is_skipped_not_read_to_exhaustion(tmp_path: Path) -> None:
    fake_bin = tmp_path / "fake-bin"
    fake_bin.mkdir()
    fake = fake_bin / "python3.99"  # a version the running Python is not
    fake.write_text("#!/bin/sh\nexec yes\n")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:/usr/bin:/bin", "PYENV_ROOT": str(tmp_path / "none")}
    done = subprocess.run(
        [*VEM, "create", "-p", "3.99", "--no-pip", "flood"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env,
        preexec_fn=_limit_memory,
    )
    assert done.returncode == 1, done.stderr
    assert no_traceback(done.stderr) and "MemoryError" not in done.stderr
    assert str(fake) in done.stderr  # named among what was tried


# --- item 12: terminal escapes from planted data ----------------------------------------

ESC_NAME = "evil\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J"


def test_list_and_info_never_print_planted_control_characters(home: Path) -> None:
    env = central_env(home, ESC_NAME)
    cfg = env / "pyvenv.cfg"
    cfg.write_text(cfg.read_text() + "prompt = '\x1b]0;title\x07red'\n")
    (env / ".project").write_text("/tmp/a\x1b[31m\nfake row  central  3.99\n")
    central_env(home, "plain")
    listed = run_vem_process("list")
    assert listed.returncode == 0, listed.stderr
    for ch in ("\x1b", "\x07"):
        assert ch not in listed.stdout and ch not in listed.stderr
    assert len(listed.stdout.strip().splitlines()) == 3  # header + 2 envs: no split row
    assert "\\x1b" in listed.stdout  # shown, escaped
    info = run_vem_process("info", str(env))
    assert info.returncode == 0, info.stderr
    assert "\x1b" not in info.stdout and "\x07" not in info.stdout
    # JSON keeps the real strings
    data = json.loads(run_vem_process("list", "--json").stdout)
    assert ESC_NAME in [e["name"] for e in data]
    assert any(e["prompt"] == "\x1b]0;title\x07red" for e in data)


def test_errors_escape_planted_names(vem: VemRunner, isolated: Path) -> None:
    evil = isolated / "x\x1b]0;owned\x07"
    evil.mkdir()
    result = vem("remove", str(evil), "--yes")
    assert result.exit_code == 5
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


# --- item 13: no tracebacks -------------------------------------------------------------


def test_a_nul_central_home_in_config_is_a_clean_error(home: Path) -> None:
    config = home / ".config" / "vem" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('central_home = "\\u0000"\n')
    done = run_vem_process("list")
    assert done.returncode == 2, done.stderr
    assert no_traceback(done.stderr) and "central_home" in done.stderr


DEEP = "x = " + "[" * 50_000 + "]" * 50_000 + "\n"


@pytest.mark.parametrize("where", ["config", "pyproject"])
def test_deeply_nested_toml_is_a_clean_error(home: Path, project: Path, where: str) -> None:
    if where == "config":
        path = home / ".config" / "vem" / "config.toml"
        path.parent.mkdir(parents=True)
        path.write_text(DEEP)
    else:
        path = project / "pyproject.toml"
        path.write_text("[tool.vem]\n" + DEEP)
    done = run_vem_process("list", cwd=project)
    assert done.returncode == 1, done.stderr
    assert no_traceback(done.stderr) and str(path) in done.stderr


def test_deeply_nested_envs_json_is_survived(home: Path, project: Path) -> None:
    record = home / ".local" / "share" / "vem" / "envs.json"
    record.parent.mkdir(parents=True)
    record.write_text('{"envs": ' + "[" * 100_000 + "]" * 100_000 + "}")
    done = run_vem_process("list", cwd=project)
    assert done.returncode == 0, done.stderr
    assert no_traceback(done.stderr)
    assert run_vem_process("create", "--no-pip", cwd=project).returncode == 0


def test_non_utf8_bytes_in_config_set_and_prompt_are_exit_2(home: Path, isolated: Path) -> None:
    done = vem_bytes("config", "set", "python", b"3.1\xff")
    assert done.returncode == 2, done.stderr
    assert no_traceback(done.stderr)
    done = vem_bytes("create", "--no-pip", "--prompt", b"p\xff", "x")
    assert done.returncode == 2, done.stderr
    assert no_traceback(done.stderr)
    assert not (home / ".virtualenvs" / "x").exists()


def test_a_non_utf8_working_directory(home: Path, isolated: Path) -> None:
    cafe = os.path.join(os.fsencode(isolated), b"caf\xe9")
    os.mkdir(cafe)
    open(os.path.join(cafe, b"pyproject.toml"), "wb").close()
    here = Path(os.fsdecode(cafe))
    project_env = vem_bytes("create", "--no-pip", cwd=here)
    assert project_env.returncode == 2, project_env.stderr  # stdlib venv cannot write it
    assert no_traceback(project_env.stderr) and b"UTF-8" in project_env.stderr
    named = vem_bytes("create", "--no-pip", "named", "--project", ".", cwd=here)
    assert named.returncode == 0, named.stderr
    listed = vem_bytes("list", cwd=here)
    assert listed.returncode == 0 and no_traceback(listed.stderr)
    assert b"caf\\xe9" in listed.stdout
    info = vem_bytes("info", "named", "--json", cwd=here)
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["project"] == os.fsdecode(cafe)
    assert vem_bytes("path", "named", cwd=here).stdout.strip() == os.fsencode(
        home / ".virtualenvs" / "named"
    )


def _shell(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", script, "sh", *VEM, *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_closed_and_full_streams(home: Path) -> None:
    central = home / ".virtualenvs"
    assert run_vem_process("create", "--no-pip", "there").returncode == 0
    done = _shell('exec "$@" <&-', "remove", "there")
    assert done.returncode == 5 and no_traceback(done.stderr), done.stderr  # no terminal
    done = _shell('exec "$@" >&-', "activate", "there", "--shell", "bash")
    assert done.returncode == 0 and no_traceback(done.stderr), done.stderr
    for name, redirect in (("closed", "2>&-"), ("full", "2>/dev/full")):
        done = _shell(f'exec "$@" {redirect}', "create", "--no-pip", name)
        assert done.returncode == 0, (name, done.stdout)
        assert done.stdout.strip() == str(central / name)
        assert (central / name / "pyvenv.cfg").is_file()
    done = _shell('"$@" 2>&1 | head -1', "create", "--no-pip", "piped")
    assert (central / "piped" / "pyvenv.cfg").is_file()
    assert not (central / "piped" / ".vem-incomplete").exists()
    assert run_vem_process("path", "piped").returncode == 0


def test_ctrl_c_while_starting_is_exit_130_without_a_traceback(isolated: Path) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    outcomes = []
    for delay in (0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15):
        proc = subprocess.Popen(
            [*VEM, "list"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        outcomes.append((delay, proc.returncode, err))
    vem_src = str(Path(__import__("vem").__file__).parent)
    for delay, code, err in outcomes:
        # Python's own start-up (site, runpy: before vem's first line runs) is out of
        # vem's hands, and its tracebacks name no vem file. From vem's first line on,
        # no traceback.
        assert vem_src not in err, (delay, err)
        if "Traceback" in err or err.startswith("Could not import runpy module"):
            continue  # Python 3.13 says the latter when the signal lands in its start-up
        # 130; or killed by the signal before Python could handle it (the shell says 130);
        # or done before the signal came
        assert code in (0, 130, -signal.SIGINT), (delay, code, err)
    interrupted_in_vem = [d for d, code, err in outcomes if err == "vem: error: interrupted\n"]
    assert interrupted_in_vem, outcomes  # some signals did land while vem started


# --- item 21: list hides nothing ---------------------------------------------------------


def test_dot_named_envs_are_listed_but_vems_own_dirs_are_not(vem: VemRunner, home: Path) -> None:
    assert vem("create", ".hidden", "--no-pip").exit_code == 0
    (home / ".virtualenvs" / ".vem-trash-x-1234").mkdir()
    (home / ".virtualenvs" / ".vem-trash-x-1234" / "pyvenv.cfg").write_text("")
    names = [e["name"] for e in json.loads(vem("list", "--json").stdout)]
    assert names == [".hidden"]


def test_a_symlink_alias_never_hides_the_real_env(vem: VemRunner, home: Path) -> None:
    assert vem("create", "real", "--no-pip").exit_code == 0
    (home / ".virtualenvs" / "alias").symlink_to(home / ".virtualenvs" / "real")
    names = [e["name"] for e in json.loads(vem("list", "--json").stdout)]
    assert "real" in names
    mode = (home / ".virtualenvs" / "real").stat().st_mode
    assert stat.S_ISDIR(mode)
