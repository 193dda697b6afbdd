"""Shared by the recreate and move tests: local wheels, envs holding them, snapshots."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from tests.pkgbuild import build_wheel, make_project


class Packages(NamedTuple):
    wheels: Path  # --find-links folder: alpha 1.0 and 2.0, beta 1.0, gamma 1.0
    beta_wheel: Path  # installed from its file
    editable: Path  # a project installed with pip install -e
    repo: Path | None  # a git repository (None without git)


def build_packages(root: Path) -> Packages:
    wheels = root / "wheels"
    for name, version in (("alpha", "1.0"), ("alpha", "2.0"), ("gamma", "1.0")):
        src = make_project(
            root / "src" / f"{name}-{version}",
            name,
            version,
            scripts={f"{name}-hello": f"{name}:main"},
        )
        build_wheel(src, wheels)
    beta_wheel = build_wheel(make_project(root / "src" / "beta", "beta", "1.0"), root / "files")
    editable = make_project(
        root / "editable src", "edproj", "0.1", scripts={"ed-hello": "edproj:main"}
    )
    repo = None
    if _git_ok():
        repo = make_project(root / "repo", "vcsproj", "0.3")
        git = ["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t"]
        subprocess.run([*git[:3], "init", "-q"], check=True)
        subprocess.run([*git, "add", "."], check=True)
        subprocess.run([*git, "commit", "-qm", "v0.3"], check=True)
    return Packages(wheels, beta_wheel, editable, repo)


def _git_ok() -> bool:
    try:
        return subprocess.run(["git", "--version"], capture_output=True).returncode == 0
    except OSError:
        return False


def offline_environ(packages: Packages) -> dict[str, str]:
    """The test process's (isolated) environment plus pip's offline settings, the way a
    user configures their index: PIP_NO_INDEX and PIP_FIND_LINKS."""
    env = dict(os.environ)
    env.update(
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(packages.wheels),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def vem_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "vem", *args]


def run(
    argv: list[str], env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
    )


def pip_install(env_path: Path, environ: dict[str, str], *args: str) -> None:
    proc = run([str(env_path / "bin" / "python"), "-m", "pip", "install", "-q", *args], environ)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def populate(env_path: Path, packages: Packages, environ: dict[str, str]) -> None:
    """alpha pinned at 1.0 (2.0 is in the wheel folder too), beta from its file, edproj
    editable, vcsproj from git."""
    args = ["alpha==1.0", str(packages.beta_wheel), "-e", str(packages.editable)]
    if packages.repo is not None:
        args.append(f"git+file://{packages.repo}#egg=vcsproj")
    pip_install(env_path, environ, *args)


def check_works(env_path: Path, packages: Packages, environ: dict[str, str]) -> None:
    """What a user relies on: the console scripts run, imports work at the right
    versions, the editable install still imports from its source directory."""
    hello = run([str(env_path / "bin" / "alpha-hello")], environ)
    assert (hello.returncode, hello.stdout) == (0, "alpha 1.0\n"), hello.stderr
    ed = run([str(env_path / "bin" / "ed-hello")], environ)
    assert (ed.returncode, ed.stdout) == (0, "edproj 0.1\n"), ed.stderr
    code = (
        "import json, alpha, beta, edproj, importlib.metadata as m;"
        "print(json.dumps([alpha.VERSION, beta.VERSION, edproj.__file__, m.version('alpha')]))"
    )
    proc = run([str(env_path / "bin" / "python"), "-c", code], environ)
    assert proc.returncode == 0, proc.stderr
    alpha, beta, ed_file, alpha_dist = json.loads(proc.stdout)
    assert (alpha, beta, alpha_dist) == ("1.0", "1.0", "1.0")
    assert Path(ed_file) == packages.editable / "edproj" / "__init__.py"


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``root`` (symlinks not followed): kind, size, mtime, link target."""
    found: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            link = os.readlink(path) if os.path.islink(path) else None
            found[os.path.relpath(path, root)] = (st.st_mode, st.st_size, st.st_mtime_ns, link)
    return found


def leftovers(directory: Path) -> list[str]:
    return sorted(n for n in os.listdir(directory) if n.startswith(".vem-"))
