"""Location plugins: a real distribution with a `vem.places.locations` entry point, installed
by pip into a venv that also sees vem, used end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.helpers import build_wheel

PLUGIN_CODE = '''
from pathlib import Path
from vem.places.locations import BaseLocation

class Sibling(BaseLocation):
    """Envs in <central home>/../sibling-envs/<name>."""
    records_project = True

    def _root(self, ctx):
        return ctx.central_home.parent / "sibling-envs"

    def path_for(self, ctx, project_root, name):
        return self._root(ctx) / (name or project_root.name)

    def enumerate(self, ctx):
        root = self._root(ctx)
        return sorted(root.iterdir()) if root.is_dir() else []

def broken():
    raise RuntimeError("this plugin is broken")
'''


def _plugin_wheel(dest: Path, entry_points: str) -> Path:
    return build_wheel(dest, entry_points, PLUGIN_CODE)


@pytest.fixture
def plugin_venv(tmp_path: Path) -> Path:
    """A venv with pip that sees the vem under test (through a .pth file)."""
    env = tmp_path / "plugin-venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env)
    site = next((env / "lib").glob("python*/site-packages"))
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    paths |= {p for p in sys.path if p.endswith("site-packages")}
    paths.add(str(Path(__file__).resolve().parents[1] / "src"))
    (site / "outer.pth").write_text("\n".join(sorted(paths)) + "\n")
    return env


def pip_install(env: Path, wheel: Path) -> None:
    subprocess.run(
        [
            str(env / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )


def vem_in(env: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(env / "bin" / "python"), "-m", "vem", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_plugin_location_end_to_end(plugin_venv: Path, tmp_path: Path, project: Path) -> None:
    eps = (
        "[vem.places.locations]\n"
        "sibling = vem_sibling:Sibling\n"
        "central = vem_sibling:Sibling\n"  # a clash: the built-in must win
        "broken = vem_sibling:broken\n"
    )
    pip_install(plugin_venv, _plugin_wheel(tmp_path, eps))
    home = Path(os.environ["HOME"])
    target = home / "sibling-envs" / "myproj"

    made = vem_in(plugin_venv, "create", "-l", "sibling", "--no-pip", "--json", cwd=project)
    assert made.returncode == 0, made.stderr
    data = json.loads(made.stdout)
    assert data["path"] == str(target)
    assert data["location"] == "sibling"
    assert (target / ".project").read_text().strip() == str(project)
    assert "Traceback" not in made.stderr

    listed = vem_in(plugin_venv, "list", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [(e["location"], e["path"]) for e in json.loads(listed.stdout)] == [
        ("sibling", str(target))
    ]
    # the broken plugin and the clash are warnings, not crashes
    assert "broken" in listed.stderr and "built-in" in listed.stderr

    # a central create still uses the built-in central location
    central = vem_in(plugin_venv, "create", "tools", "--no-pip", cwd=project)
    assert central.stdout.strip() == str(home / ".virtualenvs" / "tools")

    # found from the project with no NAME (after the built-ins), then removed
    assert vem_in(plugin_venv, "path", cwd=project).stdout.strip() == str(target)
    removed = vem_in(plugin_venv, "remove", "--yes", "-l", "sibling", "myproj", cwd=project)
    assert removed.returncode == 0, removed.stderr
    assert not target.exists()
    after = json.loads(vem_in(plugin_venv, "list", "--json", "-l", "sibling", cwd=tmp_path).stdout)
    assert after == []


def test_without_plugin_the_location_is_unknown(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "vem", "create", "-l", "sibling", "--no-pip"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "valid locations: project, central" in proc.stderr
