"""Each status caused for real (a renamed project, a renamed central env, a deleted
project, a python3 symlink moved between two copied Pythons, a deleted copied Python),
found by `vem doctor`, and its fix, followed literally through the real CLI, making the
env ok. Then hostile input: planted files, FIFOs, escape sequences."""

from __future__ import annotations

import json
import os
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import VemRunner, run_vem_process
from tests.helpers import pyenv_python, require


def _link_tree(src: Path, dst: Path) -> None:
    """A copy of a pyenv Python made of hard links (a real copy across file systems),
    without what an interpreter does not need to run and build a venv."""
    skip = {"test", "idlelib", "tkinter", "turtledemo", "site-packages", "__pycache__"}

    def ignore(_d: str, names: list[str]) -> list[str]:
        return [n for n in names if n in skip or n.startswith("config-")]

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, ignore=ignore, copy_function=link, symlinks=True)


def _pyenv_python(version: str) -> Path:
    return require(pyenv_python(version), f"pyenv's Python {version}")


@pytest.fixture(scope="session")
def copied_pythons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of pyenv's 3.12 and 3.13 (bin/pythonX.Y, python3 -> it, the stdlib),
    shared by the session; tests that delete one make their own."""
    base = tmp_path_factory.mktemp("pythons")
    copies = {}
    for version in ("3.12", "3.13"):
        exe = _pyenv_python(version)
        prefix = exe.parent.parent
        dst = base / f"py{version}"
        (dst / "bin").mkdir(parents=True)
        os.link(exe, dst / "bin" / exe.name) if _same_fs(exe, base) else shutil.copy2(
            exe, dst / "bin" / exe.name
        )
        (dst / "bin" / "python3").symlink_to(exe.name)
        _link_tree(prefix / "lib" / f"python{version}", dst / "lib" / f"python{version}")
        (dst / "lib" / f"python{version}" / "site-packages").mkdir()
        copies[version] = dst
    return copies


def _same_fs(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def doctor_json(vem: VemRunner, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = vem("doctor", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


def follow(fix: str, cwd: Path | None = None) -> None:
    """Run a fix exactly as doctor printed it, through the real CLI."""
    words = shlex.split(fix)
    assert words[0] == "vem"
    proc = run_vem_process(*words[1:], cwd=cwd)
    assert proc.returncode == 0, proc.stderr


def only_problem(report: list[dict[str, object]]) -> dict[str, str]:
    assert len(report) == 1, report
    problems = report[0]["problems"]
    assert isinstance(problems, list) and len(problems) == 1, problems
    problem = problems[0]
    assert isinstance(problem, dict)
    return problem


def test_healthy_machine_says_so_in_one_line(vem: VemRunner, project: Path) -> None:
    assert vem("create", "--no-pip").exit_code == 0
    assert vem("create", "--no-pip", "tools").exit_code == 0
    result = vem("doctor")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == ["all 2 environments are healthy"]
    code, report = doctor_json(vem)
    assert code == 0
    assert sorted((str(e["name"]), e["status"], e["problems"]) for e in report) == [
        ("myproj", "ok", []),
        ("tools", "ok", []),
    ]


def test_renamed_project_is_moved_and_relink_fixes_it(vem: VemRunner, isolated: Path) -> None:
    old = isolated / "old name"
    old.mkdir()
    (old / "pyproject.toml").write_text("")
    assert run_vem_process("create", "--no-pip", cwd=old).returncode == 0
    new = isolated / "new $(touch PWNED) 'name'"
    old.rename(new)
    os.chdir(new)
    code, report = doctor_json(vem)
    assert code == 1
    problem = only_problem(report)
    assert problem["status"] == "moved"
    assert str(old / ".venv") in problem["message"]
    assert problem["fix"] == f"vem relink {shlex.quote(str(new / '.venv'))}"
    follow(problem["fix"], cwd=isolated)  # typed anywhere, not only in the project
    code, report = doctor_json(vem)
    assert (code, report[0]["status"]) == (0, "ok")
    assert not list(isolated.rglob("PWNED"))
    # the activate script now sets the new path (checked by a real shell elsewhere too)
    proc = run_vem_process("run", "--", "sh", "-c", 'printf %s "$VIRTUAL_ENV"', cwd=new)
    assert proc.stdout == str(new / ".venv")


def test_renamed_central_env_is_moved_until_relinked(vem: VemRunner, home: Path) -> None:
    assert vem("create", "--no-pip", "first").exit_code == 0
    central = home / ".virtualenvs"
    (central / "first").rename(central / "second")
    code, report = doctor_json(vem, "second")
    problem = only_problem(report)
    assert (code, problem["status"], problem["fix"]) == (1, "moved", "vem relink second")
    text = vem("doctor").stderr
    assert "second" in text and "moved" in text and "fix: vem relink second" in text
    follow(problem["fix"])
    code, report = doctor_json(vem, "second")
    assert (code, report[0]["status"], report[0]["path"]) == (0, "ok", str(central / "second"))


def test_deleted_project_orphans_its_central_env(vem: VemRunner, isolated: Path) -> None:
    proj = isolated / "gone"
    proj.mkdir()
    (proj / "setup.py").write_text("")
    assert run_vem_process("create", "--no-pip", "-l", "central", cwd=proj).returncode == 0
    shutil.rmtree(proj)
    code, report = doctor_json(vem)
    problem = only_problem(report)
    assert (code, report[0]["status"], problem["fix"]) == (1, "orphaned", "vem remove gone --yes")
    assert "relink gone --project" in problem["message"]
    follow(problem["fix"])
    assert doctor_json(vem) == (0, [])
    assert vem("doctor").stderr.strip() == "no environments to check: all is well"


def test_orphan_relinked_to_its_new_project(vem: VemRunner, isolated: Path, home: Path) -> None:
    proj = isolated / "proj"
    proj.mkdir()
    (proj / ".git").mkdir()
    assert run_vem_process("create", "--no-pip", "-l", "central", cwd=proj).returncode == 0
    proj.rename(isolated / "proj2")
    assert doctor_json(vem, "proj")[1][0]["status"] == "orphaned"
    result = vem("relink", "proj", "--project", str(isolated / "proj2"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{home / '.virtualenvs' / 'proj'}\n"
    assert (home / ".virtualenvs" / "proj" / ".project").read_text() == f"{isolated / 'proj2'}\n"
    assert doctor_json(vem, "proj")[0] == 0
    bad = vem("relink", "proj", "--project", str(isolated / "nowhere"))
    assert bad.exit_code == 2 and "not a directory" in bad.stderr


def _env_through_symlink(vem: VemRunner, pythons: dict[str, Path], root: Path) -> Path:
    """A central env built with the Python a `python3` symlink leads to (Homebrew's)."""
    (root / "bin").mkdir()
    (root / "bin" / "python3").symlink_to(pythons["3.12"] / "bin" / "python3")
    result = vem("create", "--no-pip", "-p", str(root / "bin" / "python3"), "brew")
    assert result.exit_code == 0, result.stderr
    return Path(result.stdout.strip())


def test_python3_symlink_moved_to_newer_python_is_mismatched(
    vem: VemRunner, tmp_path: Path, copied_pythons: dict[str, Path]
) -> None:
    env = _env_through_symlink(vem, copied_pythons, tmp_path)
    assert doctor_json(vem, "brew")[0] == 0
    link = tmp_path / "bin" / "python3"
    link.unlink()
    link.symlink_to(copied_pythons["3.13"] / "bin" / "python3")  # the upgrade
    code, report = doctor_json(vem, "brew")
    problem = only_problem(report)
    assert (code, problem["status"], problem["fix"]) == (1, "mismatched", "vem recreate brew")
    assert "3.12" in problem["message"] and "3.13" in problem["message"]
    # activate and run refuse it, naming the fix
    for args in (("activate", "--shell", "bash", "brew"), ("run", "-e", "brew", "--", "true")):
        result = vem(*args)
        assert result.exit_code == 3, args
        assert "mismatched" in result.stderr and "hint: vem recreate brew" in result.stderr
    assert env.is_dir()


def test_deleted_copied_python_is_broken(
    vem: VemRunner, tmp_path: Path, copied_pythons: dict[str, Path]
) -> None:
    own = tmp_path / "own"
    _link_tree(copied_pythons["3.12"], own)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python3").symlink_to(own / "bin" / "python3")
    assert vem("create", "--no-pip", "-p", str(tmp_path / "bin" / "python3"), "old").exit_code == 0
    shutil.rmtree(own)
    code, report = doctor_json(vem, "old")
    assert code == 1
    assert report[0]["status"] == "broken"
    assert report[0]["problems"][0]["fix"] == "vem recreate old"  # type: ignore[index]
    result = vem("run", "-e", "old", "--", "true")
    assert result.exit_code == 3 and "hint: vem recreate old" in result.stderr


def test_recreate_fix_makes_mismatched_env_ok(
    vem: VemRunner, tmp_path: Path, copied_pythons: dict[str, Path]
) -> None:
    _env_through_symlink(vem, copied_pythons, tmp_path)
    link = tmp_path / "bin" / "python3"
    link.unlink()
    link.symlink_to(copied_pythons["3.13"] / "bin" / "python3")
    problem = only_problem(doctor_json(vem, "brew")[1])
    follow(problem["fix"])
    assert doctor_json(vem, "brew")[0] == 0


# -- hostile input ----------------------------------------------------------------


def test_doctor_dotdot_and_non_env(vem: VemRunner, isolated: Path) -> None:
    for name in ("..", str(isolated)):
        result = vem("doctor", name)
        assert result.exit_code == 3
        assert "is not an environment" in result.stderr and "Traceback" not in result.stderr
    assert vem("doctor", "-x").exit_code == 2


def test_hostile_project_files_never_hang_or_leak(vem: VemRunner, home: Path) -> None:
    central = home / ".virtualenvs"
    for name in ("fifo", "huge", "garbage", "secret"):
        assert vem("create", "--no-pip", name).exit_code == 0
    os.mkfifo(central / "fifo" / ".project")  # reading it would block forever
    with open(central / "huge" / ".project", "wb") as f:
        f.truncate(50 * 1024 * 1024)
    (central / "garbage" / ".project").write_bytes(b"\xff\xfe\x00 not a path\n\x1b[2J")
    secret = home / "secret.txt"
    secret.write_text("/a-users-own-data\n")
    (central / "secret" / ".project").symlink_to(secret)  # never followed
    code, report = doctor_json(vem)
    assert code == 0
    assert {e["name"]: (e["status"], e["project"]) for e in report} == {
        n: ("ok", None) for n in ("fifo", "huge", "garbage", "secret")
    }
    assert secret.read_text() == "/a-users-own-data\n"


def test_escape_sequences_are_never_printed_raw(vem: VemRunner, home: Path) -> None:
    assert vem("create", "--no-pip", "evil").exit_code == 0
    cfg = home / ".virtualenvs" / "evil" / "pyvenv.cfg"
    text = cfg.read_text()
    cfg.write_text(
        text.replace("home = ", "home = /nowhere/\x1b]0;pwned\x07\x1b[2J").replace(
            "executable = ", "executable = /gone/\x1b[31m"
        )
        + "prompt = '\\x1b[2J'\n"
    )
    result = vem("doctor")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b" in result.stderr
    assert "fix: vem recreate evil" in result.stderr


def test_symlinked_env_and_symlinks_inside_are_not_followed(
    vem: VemRunner, home: Path, isolated: Path
) -> None:
    assert vem("create", "--no-pip", "real").exit_code == 0
    central = home / ".virtualenvs"
    env = central / "real"
    link = isolated / "link-to-env"
    link.symlink_to(env)
    assert doctor_json(vem, str(link))[0] == 0  # reached through a symlink: not moved
    user = isolated / "user-data"
    user.write_text(f"#!{env}/bin/python\nprecious\n")
    tool = env / "bin" / "tool"
    tool.write_text(f"#!{env}/bin/python\nprint('tool')\n")
    tool.chmod(0o755)
    (env / "bin" / "a-link").symlink_to(user)
    (env / "bin" / "activate.fish").unlink()
    (env / "bin" / "activate.fish").symlink_to(user)
    env.rename(central / "renamed")
    env = central / "renamed"
    tool = env / "bin" / "tool"
    assert doctor_json(vem, "renamed")[1][0]["status"] == "moved"
    (isolated / "link2").symlink_to(env)
    refused = vem("relink", str(isolated / "link2"))  # not written through a symlink
    assert refused.exit_code == 5 and "symlink" in refused.stderr
    result = vem("relink", "renamed")
    assert result.exit_code == 0, result.stderr
    assert user.read_text() == f"#!{central / 'real'}/bin/python\nprecious\n"
    assert (env / "bin" / "a-link").is_symlink()
    assert not (env / "bin" / "activate.fish").is_symlink()  # replaced, not written through
    assert tool.read_text() == f"#!{env}/bin/python\nprint('tool')\n"
    assert os.access(tool, os.X_OK)
    assert doctor_json(vem, "renamed")[0] == 0
