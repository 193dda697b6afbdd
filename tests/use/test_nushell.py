"""nushell for real (`nu`, from `npm install -g nushell`): `vem activate` through the
function of `vem shell-init nu`, `vem deactivate`, the env's bin/activate.nu and the
--auto hook, with the same hostile paths as the other shells."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import VemRunner
from tests.shell_helpers import (
    HOSTILE_NAMES,
    Tmux,
    install_vem,
    make_env,
    pwned,
    report,
    require_shell,
    shell_environ,
)

pytestmark = pytest.mark.shell


def raw(text: str) -> str:
    """A nushell raw string literal (test-side quoting, independent of vem's)."""
    assert "'#" not in text
    return f"r#'{text}'#"


DRIVER = """\
source {init}
cd {project}
let before = $env.PATH
vem activate
print $"VE=($env.VIRTUAL_ENV)"
print $"P=($env.VIRTUAL_ENV_PROMPT)"
print $"PY=(which python | get 0.path)"
print $"FIRST=($env.PATH | first)"
print $"PROMPT=(do $env.PROMPT_COMMAND)"
vem deactivate
print $"RESTORED=($env.PATH == $before)"
print $"AFTER=('VIRTUAL_ENV' in $env)"
overlay use {script}
print $"S=($env.VIRTUAL_ENV)"
print $"SFIRST=($env.PATH | first)"
deactivate
print $"SAFTER=('VIRTUAL_ENV' in $env) ($env.PATH == $before)"
"""


@pytest.fixture(scope="module")
def nu() -> str:
    return require_shell("nu")


@pytest.fixture(scope="module")
def hostile_envs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile-nu")
    return {name: make_env(root / f"{i}" / name) for i, name in enumerate(HOSTILE_NAMES)}


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_activate_deactivate_and_activate_nu(
    nu: str, name: str, hostile_envs: dict[str, Path], tmp_path: Path
) -> None:
    env = hostile_envs[name]
    bin_dir = tmp_path / "bin"
    install_vem(bin_dir)
    environ = shell_environ(bin_dir)
    init = tmp_path / "init.nu"
    code = subprocess.run(
        [str(bin_dir / "vem"), "shell-init", "nu"], env=environ, capture_output=True, text=True
    )
    init.write_text(code.stdout)
    script = tmp_path / "driver.nu"
    script.write_text(
        DRIVER.format(
            init=raw(str(init)),
            project=raw(str(env.parent)),
            script=raw(str(env / "bin" / "activate.nu")),
        )
    )
    proc = subprocess.run(
        [nu, "--no-config-file", str(script)],
        env=environ,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    values = report(proc.stdout)
    assert values == {
        "VE": str(env),
        "P": name,
        "PY": str(env / "bin" / "python"),
        "FIRST": str(env / "bin"),
        "PROMPT": f"({name}) ",
        "RESTORED": "true",
        "AFTER": "false",
        "S": str(env),
        "SFIRST": str(env / "bin"),
        "SAFTER": "false true",
    }, proc.stderr
    assert pwned(env.parent.parent) == []


class NuSession:
    """An interactive nu in tmux (its line editor needs a real terminal)."""

    def __init__(self, env: dict[str, str], cwd: Path, init: Path, out: Path) -> None:
        self.out = out
        argv = ["nu", "--no-config-file", "-e", f"source {raw(str(init))}"]
        self.tmux = Tmux(argv, env, cwd)
        self.state()  # waits until nu is ready

    def send(self, line: str) -> None:
        self.tmux.type(line, "Enter")

    def state(self) -> str:
        """$env.VIRTUAL_ENV or none, written by nu to a file once all typed lines ran."""
        self.out.unlink(missing_ok=True)
        self.send(f"$env.VIRTUAL_ENV? | default none | save -f {raw(str(self.out))}")
        deadline = time.monotonic() + 30
        while not self.out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.1)
        return self.out.read_text()

    def close(self) -> None:
        self.tmux.close()


@pytest.fixture
def nu_session(
    nu: str, tmp_path: Path, vem: VemRunner, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[NuSession, Path, Path]]:
    """An interactive nu with `vem shell-init nu --auto`, a spy `vem` first on PATH
    logging each run, and a known project (hostile name)."""
    project = tmp_path / "proj 'q\" $(touch PWNED)"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    monkeypatch.chdir(project)
    assert vem("create", "--no-pip").exit_code == 0
    bin_dir = tmp_path / "bin"
    real = install_vem(bin_dir)
    spy_dir = tmp_path / "spy"
    spy_dir.mkdir()
    log = tmp_path / "runs.log"
    (spy_dir / "vem").write_text(f"#!/bin/sh\necho \"$*\" >> '{log}'\nexec '{real}' \"$@\"\n")
    (spy_dir / "vem").chmod(0o755)
    environ = shell_environ(spy_dir, {"PATH": f"{spy_dir}:{bin_dir}:/usr/local/bin:/usr/bin:/bin"})
    init = tmp_path / "init.nu"
    init.write_text(
        subprocess.run(
            [str(real), "shell-init", "nu", "--auto"], env=environ, capture_output=True, text=True
        ).stdout
    )
    session = NuSession(environ, tmp_path, init, tmp_path / "state.txt")
    try:
        yield session, project, log
    finally:
        session.close()


def test_auto_hook_in_real_nu_runs_vem_only_for_known_projects(
    nu_session: tuple[NuSession, Path, Path], tmp_path: Path
) -> None:
    session, project, log = nu_session
    plain = [tmp_path / f"plain {i} $(x)" for i in range(3)]
    for d in plain:
        d.mkdir()
    log.unlink(missing_ok=True)
    for d in [*plain, Path("/"), tmp_path]:
        session.send(f"cd {raw(str(d))}")
    assert session.state() == "none"
    assert not log.exists()  # no vem run for a cd outside known projects
    session.send(f"cd {raw(str(project))}")
    assert session.state() == str(project / ".venv")
    assert log.read_text().splitlines() == ["activate --shell nu --auto-hook"]
    session.send(f"cd {raw(str(plain[0]))}")
    assert session.state() == "none"
    assert len(log.read_text().splitlines()) == 1
    assert pwned(tmp_path) == []
