"""Ctrl-C, hard kills and concurrent creates never leave a usable-looking half env."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_vem_process


@pytest.fixture
def hanging_index() -> Iterator[tuple[str, threading.Event]]:
    """A package index on loopback that accepts connections and never answers:
    pip hangs in it, which gives a reliable moment to interrupt a create."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    connected = threading.Event()
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)
            connected.set()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/simple", connected
    stop.set()
    thread.join(5)
    for conn in held:
        conn.close()
    server.close()


def start_create_stuck_in_pip(project: Path, index: str) -> subprocess.Popen[str]:
    req = project / "requirements.txt"
    req.write_text(f"--index-url {index}\nsome-package\n")
    return subprocess.Popen(
        [sys.executable, "-m", "vem", "create", "-r", str(req)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, like a job in a terminal
    )


def interrupt_create(
    project: Path, hanging_index: tuple[str, threading.Event], sig: int, *, group: bool
) -> tuple[subprocess.Popen[str], str, str]:
    """Start a create, wait until pip is stuck in the index, send ``sig`` (to the whole
    process group, as a terminal's Ctrl-C does, or to vem alone), and wait for the end."""
    index, connected = hanging_index
    proc = start_create_stuck_in_pip(project, index)
    try:
        assert connected.wait(120), "pip never reached the index"
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
    return proc, out, err


@pytest.mark.slow
def test_ctrl_c_mid_create_leaves_nothing_and_rerun_works(
    project: Path, hanging_index: tuple[str, threading.Event]
) -> None:
    proc, out, err = interrupt_create(project, hanging_index, signal.SIGINT, group=True)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert out == ""
    assert not (project / ".venv").exists()
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml", "requirements.txt"]
    again = run_vem_process("create", "--no-pip", cwd=project)
    assert again.returncode == 0, again.stderr


@pytest.mark.slow
def test_hard_kill_mid_create_is_incomplete_then_rebuilt(
    project: Path, hanging_index: tuple[str, threading.Event]
) -> None:
    interrupt_create(project, hanging_index, signal.SIGKILL, group=True)
    listed = json.loads(run_vem_process("list", "--json", cwd=project).stdout)
    assert [e["status"] for e in listed] == ["incomplete"]
    for cmd in (["path"], ["run", "--", "python", "-V"]):
        result = run_vem_process(*cmd, cwd=project)
        assert result.returncode == 3, result.stderr
    again = run_vem_process("create", "--no-pip", cwd=project)
    assert again.returncode == 0, again.stderr
    info = json.loads(run_vem_process("info", "--json", cwd=project).stdout)
    assert info["status"] == "ok"


def test_concurrent_creates_of_one_env_all_succeed(project: Path) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "vem", "create", "--exist-ok", "--no-pip", "--json"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(p.wait(120), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, err
        assert json.loads(out)["status"] == "ok"
    assert sum("already exists" in err for _, _, err in results) == 3
    info = json.loads(run_vem_process("info", "--json", cwd=project).stdout)
    assert info["status"] == "ok"


def test_concurrent_creates_in_many_projects_are_all_remembered(isolated: Path) -> None:
    projects = []
    for i in range(5):
        p = isolated / f"p{i}"
        p.mkdir()
        (p / "setup.cfg").write_text("")
        projects.append(p)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "vem", "create", "--no-pip"],
            cwd=p,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in projects
    ]
    for p in procs:
        assert p.wait(120) == 0, p.communicate()[1]
    listed = json.loads(run_vem_process("list", "--json", cwd=isolated).stdout)
    assert sorted(e["path"] for e in listed) == sorted(str(p / ".venv") for p in projects)


@pytest.mark.slow
def test_sigterm_mid_create_cleans_up_like_ctrl_c(
    project: Path, hanging_index: tuple[str, threading.Event]
) -> None:
    # SIGTERM to vem alone, as a CI runner cancelling a job does
    proc, _, err = interrupt_create(project, hanging_index, signal.SIGTERM, group=False)
    assert proc.returncode == 130, err
    assert not (project / ".venv").exists()
