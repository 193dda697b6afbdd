"""Seeding pip from the target Python's bundled wheel through vem's cache, with real envs.

pip is run with the index disabled: nothing here needs the network.
"""

from __future__ import annotations

import base64
import csv
import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REAL_PYENV_ROOT, pyenv_python, require
from tests.seed_helpers import REPO_SRC, entry_for, interpreter_at, make_env, run
from vem.errors import VemError
from vem.make import pipcache, seed
from vem.python.discovery import Interpreter, current


def sp_of(env: Path, interp: Interpreter) -> Path:
    return seed.site_packages(env, interp)


@pytest.fixture
def running() -> Interpreter:
    return current()


def record_rows(sp: Path, dist_info: str) -> list[list[str]]:
    with open(sp / dist_info / "RECORD", newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def check_record(env: Path, sp: Path, dist_info: str) -> None:
    """RECORD names exactly pip's files and scripts, with right hashes and sizes."""
    rows = record_rows(sp, dist_info)
    listed = {os.path.normpath(sp / r[0]) for r in rows}
    on_disk = {
        os.path.normpath(os.path.join(d, f))
        for top in ("pip", dist_info)
        for d, _, files in os.walk(sp / top)
        for f in files
    }
    on_disk |= {str(p) for p in (env / "bin").glob("pip*")}
    assert listed == on_disk
    for path, digest, size in rows:
        if not digest:
            assert path.endswith((".pyc", "/RECORD"))
            continue
        data = (sp / path).read_bytes()
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        assert digest == "sha256=" + expected.decode()
        assert int(size) == len(data)


# --- behaviour in an env -------------------------------------------------------------


def test_seeded_pip_behaves_like_stdlib(
    tmp_path: Path, running: Interpreter, pip_cache: Path
) -> None:
    env = make_env(running, tmp_path / "env")
    done = seed.seed_pip(env, running, cache_dir=pip_cache)
    sp = sp_of(env, running)
    dist_info = f"pip-{done.pip_version}.dist-info"
    xy = f"{running.version[0]}.{running.version[1]}"
    assert sorted(p.name for p in (env / "bin").glob("pip*")) == sorted(
        ["pip", f"pip{running.version[0]}", f"pip{xy}"]
    )
    assert (env / "bin" / "pip").read_text().startswith(f"#!{env / 'bin' / 'python'}\n")

    out = run(env / "bin" / "pip", "--version").stdout
    assert f"pip {done.pip_version} from {sp / 'pip'}" in out
    assert run(env / "bin" / "python", "-m", "pip", "--version").stdout == out
    listed = json.loads(run(env / "bin" / f"pip{xy}", "list", "--format=json").stdout)
    assert {"name": "pip", "version": done.pip_version} in listed

    assert (sp / dist_info / "INSTALLER").read_text() == "pip\n"
    assert (sp / dist_info / "REQUESTED").exists()
    check_record(env, sp, dist_info)

    run(env / "bin" / "pip", "uninstall", "-y", "pip")
    assert sorted(os.listdir(sp)) == []
    assert not list((env / "bin").glob("pip*"))
    # The cache is intact: the next env still gets a whole pip.
    env2 = make_env(running, tmp_path / "env2")
    seed.seed_pip(env2, running, cache_dir=pip_cache)
    run(env2 / "bin" / "pip", "--version")


def test_hardlinks_share_the_cache_and_are_read_only(
    tmp_path: Path, running: Interpreter, pip_cache: Path
) -> None:
    env = make_env(running, tmp_path / "env")
    done = seed.seed_pip(env, running, cache_dir=pip_cache)
    assert done.linked
    entry = pipcache.get_entry(pip_cache, done.wheel, running)
    mine = sp_of(env, running) / "pip" / "__init__.py"
    cached = entry.site_packages / "pip" / "__init__.py"
    assert os.path.samefile(mine, cached)
    if os.name != "nt":
        assert not mine.stat().st_mode & 0o222


def test_copies_do_not_change_the_cache(
    tmp_path: Path, running: Interpreter, pip_cache: Path
) -> None:
    env = make_env(running, tmp_path / "env")
    done = seed.seed_pip(env, running, cache_dir=pip_cache, link=False)
    assert not done.linked
    entry = pipcache.get_entry(pip_cache, done.wheel, running)
    mine = sp_of(env, running) / "pip" / "__init__.py"
    cached = entry.site_packages / "pip" / "__init__.py"
    assert not os.path.samefile(mine, cached)
    before = cached.read_bytes()
    mine.write_text(mine.read_text() + "\nEDITED_IN_ONE_ENV = True\n")
    assert cached.read_bytes() == before
    entry.verify()  # still whole
    out = run(env / "bin" / "python", "-c", "import pip; print(pip.EDITED_IN_ONE_ENV)").stdout
    assert out.strip() == "True"


def test_falls_back_to_copies_when_hardlinks_fail(
    tmp_path: Path, running: Interpreter, pip_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    env = make_env(running, tmp_path / "env")
    seed.seed_pip(env, running, cache_dir=pip_cache)  # make sure the entry exists
    env2 = make_env(running, tmp_path / "env2")
    monkeypatch.setattr(seed.os, "link", no_link)
    done = seed.seed_pip(env2, running, cache_dir=pip_cache)
    assert not done.linked
    run(env2 / "bin" / "pip", "--version")


def test_env_path_with_spaces_and_quotes(
    tmp_path: Path, running: Interpreter, pip_cache: Path
) -> None:
    env = make_env(running, tmp_path / "a dir with 'quotes' and $(spaces)" / ("x" * 120))
    seed.seed_pip(env, running, cache_dir=pip_cache)
    assert (env / "bin" / "pip").read_text().startswith("#!/bin/sh\n")
    assert str(env) in run(env / "bin" / "pip", "--version").stdout


# --- the cache: concurrency, damage, crashes -----------------------------------------


_SEED_SCRIPT = """
import sys
from pathlib import Path
from vem.python.discovery import current
from vem.make.seed import seed_pip
seed_pip(Path(sys.argv[1]), current(), cache_dir=Path(sys.argv[2]))
"""


def test_concurrent_seeds_share_one_entry(tmp_path: Path, running: Interpreter) -> None:
    cache = tmp_path / "cache"
    envs = [make_env(running, tmp_path / f"env{i}") for i in range(2)]
    env_vars = {**os.environ, "PYTHONPATH": str(REPO_SRC)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SEED_SCRIPT, str(e), str(cache)],
            env=env_vars,
            stderr=subprocess.PIPE,
            text=True,
        )
        for e in envs
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    entries = os.listdir(cache / "pip")
    assert len([e for e in entries if e.startswith("pip-") and not e.endswith(".lock")]) == 1
    assert not [e for e in entries if e.startswith((".tmp-", ".trash-"))]
    for e in envs:
        run(e / "bin" / "pip", "--version")


@pytest.fixture
def private_cache(tmp_path: Path, running: Interpreter, pip_cache: Path) -> Path:
    """A cache of this test's own holding a copy of the shared entry (saves a fill)."""
    env = make_env(running, tmp_path / "env-for-cache")
    seed.seed_pip(env, running, cache_dir=pip_cache)
    entry = entry_for(pip_cache, env, running)
    cache = tmp_path / "cache"
    shutil.copytree(entry.root, cache / "pip" / entry.root.name, copy_function=shutil.copy2)
    shutil.rmtree(env)
    return cache


@pytest.mark.parametrize("damage", ["missing-file", "changed-file", "bad-manifest"])
def test_damaged_entry_is_rebuilt(
    tmp_path: Path, running: Interpreter, private_cache: Path, damage: str
) -> None:
    cache = private_cache
    env = make_env(running, tmp_path / "env")
    seed.seed_pip(env, running, cache_dir=cache)
    entry = entry_for(cache, env, running)
    entry.verify()  # the copy is a valid entry
    target = entry.site_packages / "pip" / "_internal" / "__init__.py"
    if damage == "missing-file":
        target.unlink()
    elif damage == "changed-file":
        target.chmod(0o644)
        with open(target, "a") as f:
            f.write("# edited\n")
    else:
        (entry.root / pipcache.MANIFEST).write_text("{truncated")

    env2 = make_env(running, tmp_path / "env2")
    seed.seed_pip(env2, running, cache_dir=cache)
    run(env2 / "bin" / "pip", "--version")
    rebuilt = entry_for(cache, env, running)
    rebuilt.verify()
    assert (
        b"# edited"
        not in (rebuilt.site_packages / "pip" / "_internal" / "__init__.py").read_bytes()
    )
    check_record(env2, sp_of(env2, running), rebuilt.dist_info)


def test_crash_while_filling_leaves_nothing_half_made(
    tmp_path: Path, running: Interpreter, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    env = make_env(running, tmp_path / "env")

    def crash(package: Path, interpreter: Interpreter) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(pipcache, "_compile", crash)
        with pytest.raises(KeyboardInterrupt):
            seed.seed_pip(env, running, cache_dir=cache)
    assert [e for e in os.listdir(cache / "pip") if not e.endswith(".lock")] == []
    # A leftover from a hard crash (kill -9) is swept by the next build.
    stale = cache / "pip" / ".tmp-pip-0-cpython3.0-0-deadbeef"
    (stale / "site-packages").mkdir(parents=True)
    os.utime(stale, (0, 0))
    seed.seed_pip(env, running, cache_dir=cache)
    assert not stale.exists()
    run(env / "bin" / "pip", "--version")


# --- finding the wheel -------------------------------------------------------------


def _fake_stdlib(root: Path, xy: str, wheels: list[str], pip_version: str | None) -> Path:
    stdlib = root / "lib" / f"python{xy}"
    bundled = stdlib / "ensurepip" / "_bundled"
    bundled.mkdir(parents=True)
    (stdlib / "os.py").write_text("")
    init = f'_PIP_VERSION = "{pip_version}"\n' if pip_version else ""
    (stdlib / "ensurepip" / "__init__.py").write_text(init)
    for w in wheels:
        (bundled / w).write_bytes(b"")
    (root / "bin").mkdir()
    return stdlib


def test_wheel_preference_follows_ensurepip(tmp_path: Path) -> None:
    wheels = ["pip-22.0.4-py3-none-any.whl", "pip-23.0.1-py3-none-any.whl"]
    _fake_stdlib(tmp_path / "a", "3.99", wheels, "22.0.4")
    _fake_stdlib(tmp_path / "b", "3.99", wheels, None)
    for name, expected in (("a", "pip-22.0.4"), ("b", "pip-23.0.1")):
        interp = Interpreter(tmp_path / name / "bin" / "python3.99", (3, 99, 0))
        env = tmp_path / f"env-{name}"
        env.mkdir()
        (env / "pyvenv.cfg").write_text(f"home = {tmp_path / name / 'bin'}\n")
        wheel = seed.find_pip_wheel(env, interp, cache_dir=tmp_path / "cache")
        assert wheel.name.startswith(expected)


def test_distribution_wheel_dir_is_used(tmp_path: Path) -> None:
    prefix = tmp_path / "usr"
    stdlib = _fake_stdlib(prefix, "3.99", [], None)
    (stdlib / "ensurepip" / "_bundled").rmdir()
    share = prefix / "share" / "python-wheels"
    share.mkdir(parents=True)
    (share / "pip-23.0.1-py3-none-any.whl").write_bytes(b"")
    (share / "setuptools-66.1.1-py3-none-any.whl").write_bytes(b"")
    interp = Interpreter(prefix / "bin" / "python3", (3, 99, 0))
    env = tmp_path / "env"
    env.mkdir()
    (env / "pyvenv.cfg").write_text(f"home = {prefix / 'bin'}\n")
    assert seed.find_pip_wheel(env, interp, cache_dir=tmp_path / "c") == share / (
        "pip-23.0.1-py3-none-any.whl"
    )


def test_no_wheel_is_a_clear_error(tmp_path: Path) -> None:
    prefix = tmp_path / "py"
    _fake_stdlib(prefix, "3.99", [], None)
    exe = prefix / "bin" / "python3.99"
    data = {"version": [3, 99, 0], "implementation": "cpython", "executable": str(exe)}
    exe.write_text(f"#!/bin/sh\necho 'VEM-PROBE {json.dumps(data)}'\n")
    exe.chmod(0o755)
    env = tmp_path / "env"
    env.mkdir()
    (env / "pyvenv.cfg").write_text(f"home = {prefix / 'bin'}\n")
    with pytest.raises(VemError) as info:
        seed.seed_pip(env, Interpreter(exe, (3, 99, 0)), cache_dir=tmp_path / "c")
    assert info.value.exit_code == 1
    assert "no pip wheel" in info.value.message
    assert "ensurepip" in info.value.message
    assert info.value.hint and "--no-pip" in info.value.hint


def test_upgrade_pip_command() -> None:
    cmd = seed.upgrade_pip_command(Path("/envs/x"))
    assert cmd[0] == str(Path("/envs/x/bin/python")) or cmd[0].endswith("python.exe")
    assert cmd[1:5] == ["-m", "pip", "install", "--upgrade"]
    assert cmd[-1] == "pip"


# --- the real Pythons of this machine ----------------------------------------------


@pytest.mark.parametrize("which", ["3.8", "3.9", "3.12", "3.13", "debian"])
def test_real_pythons(which: str, tmp_path: Path, pip_cache: Path) -> None:
    if which == "debian":
        exe = require(
            Path("/usr/bin/python3") if Path("/usr/share/python-wheels").is_dir() else None,
            "Debian's /usr/bin/python3 with /usr/share/python-wheels",
        )
    else:
        exe = require(pyenv_python(which), f"Python {which} (pyenv)")
    interp = interpreter_at(exe)
    env = make_env(interp, tmp_path / "env")
    done = seed.seed_pip(env, interp, cache_dir=pip_cache)
    xy = f"{interp.version[0]}.{interp.version[1]}"
    out = run(env / "bin" / "pip", "--version").stdout
    assert f"from {sp_of(env, interp) / 'pip'} (python {xy})" in out
    assert done.pip_version in out
    check_record(env, sp_of(env, interp), f"pip-{done.pip_version}.dist-info")


def test_pip_install_over_a_linked_pip_spares_the_cache(
    tmp_path: Path, running: Interpreter, pip_cache: Path
) -> None:
    """`pip install -U pip` (here from a local wheel: no network) replaces the linked
    pip like any other; the cache keeps the old files whole."""
    env = make_env(running, tmp_path / "env")
    done = seed.seed_pip(env, running, cache_dir=pip_cache)
    mine = seed._version_key(done.pip_version)
    others = {
        w.name: w
        for w in REAL_PYENV_ROOT.glob("versions/3.*/lib/python3*/ensurepip/_bundled/pip-*.whl")
        if seed._version_key(w.name.split("-")[1]) != mine and "py3" in w.name
    }
    # Prefer a newer pip (an upgrade); else an older one (still a replacement).
    ranked = sorted(others.values(), key=lambda w: seed._version_key(w.name.split("-")[1]))
    newer = [w for w in ranked if seed._version_key(w.name.split("-")[1]) > mine]
    wheel = require((newer[0] if newer else ranked[-1]) if ranked else None, "another pip wheel")
    entry = pipcache.get_entry(pip_cache, done.wheel, running)
    run(env / "bin" / "pip", "install", "-U", "--find-links", wheel.parent, wheel)
    sp = seed.site_packages(env, running)
    new_version = wheel.name.split("-")[1]
    assert (sp / f"pip-{new_version}.dist-info").is_dir()
    assert not (sp / f"pip-{done.pip_version}.dist-info").exists()
    if newer:
        assert f"pip {new_version} " in run(env / "bin" / "pip", "--version").stdout
    entry.verify()  # the old pip's files are still whole in the cache


def test_importing_seed_and_discovery_stays_light() -> None:
    """The heavy helpers are imported only when a cache entry is built or a range parsed."""
    code = (
        "import sys, vem.make.seed, vem.python.discovery, vem.cli.python; "
        "print(sorted(m for m in ('installer', 'packaging', 'filelock', 'vem.python.probe') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("entry_points", "expected"),
    [
        ("[console_scripts]\npip = pip._internal.cli.main:main\n", "pip._internal.cli.main:main"),
        ("[console_scripts]\npip = pip._internal:main\npip3 = x:y\n", "pip._internal:main"),
        ("", pipcache.DEFAULT_ENTRY_POINT),
    ],
)
def test_console_entry_point_comes_from_the_wheel(
    tmp_path: Path, entry_points: str, expected: str
) -> None:
    """pip before 19.3 (Python 3.6's bundled 18.1) has its main in pip._internal."""
    path = tmp_path / "entry_points.txt"
    path.write_text(entry_points)
    assert pipcache._console_entry_point(path) == expected
    module, _, func = expected.partition(":")
    body = seed.script_body(expected)
    assert f"from {module} import {func}\n" in body
    assert f"sys.exit({func}())" in body
    compile(body, "pip", "exec")


def test_unwritable_cache_still_seeds_pip(tmp_path: Path, running: Interpreter) -> None:
    not_a_dir = tmp_path / "cache"
    not_a_dir.write_text("a file where vem's cache should be")
    env = make_env(running, tmp_path / "env")
    done = seed.seed_pip(env, running, cache_dir=not_a_dir)
    assert not done.linked
    assert not (env / ".vem-pip-build").exists()
    sp = sp_of(env, running)
    run(env / "bin" / "pip", "--version")
    check_record(env, sp, f"pip-{done.pip_version}.dist-info")
