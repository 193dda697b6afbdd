"""On a terminal: remove asks (default No); create shows its steps and still prints
only the path on stdout."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import VemRunner


def spawn(*args: str, cwd: Path, env: dict[str, str] | None = None) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "vem", *args],
        cwd=str(cwd),
        env=env or dict(os.environ),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 200),
    )


@pytest.mark.parametrize(("answer", "removed"), [("y", True), ("n", False), ("", False)])
def test_remove_asks_on_a_terminal(
    vem: VemRunner, project: Path, answer: str, removed: bool
) -> None:
    vem("create", "--no-pip")
    child = spawn("remove", cwd=project)
    child.expect(r"Remove myproj at .*\? \[y/N\]")
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == (0 if removed else 5)
    assert (project / ".venv").exists() is not removed


def test_remove_ctrl_d_at_the_question_keeps_the_env(vem: VemRunner, project: Path) -> None:
    vem("create", "--no-pip")
    child = spawn("remove", cwd=project)
    child.expect(r"\[y/N\]")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 5  # end of input is "no", as the default says
    assert "not removed" in (child.before or "")
    assert "Traceback" not in (child.before or "")
    assert (project / ".venv" / "pyvenv.cfg").exists()


def test_create_on_a_terminal(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    child = spawn("create", "--no-pip", cwd=project, env=env)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = child.before or ""
    # the step, shown by a spinner (Rich wraps and cuts it to the terminal's width)
    plain = re.sub(r"\s+", "", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown))
    assert "⠋creating" + str(project)[:60] in plain
    assert str(project / ".venv") in shown
    assert "Traceback" not in (child.before or "")
    assert (project / ".venv" / "pyvenv.cfg").exists()
