"""Interpreter discovery: spec parsing, search order, shims, the probe cache, and the real
Pythons on this machine (skipped when absent locally, failing in CI)."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest

from tests.helpers import failing_shim, fake_python, pyenv_python, require
from vem.errors import InvalidInput, VemError
from vem.python import discovery, probe
from vem.python.discovery import Interpreter, PythonSpec, find_interpreter, parse_spec

RUNNING = sys.version_info[:3]

# --- spec parsing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("3", (3,)),
        ("3.12", (3, 12)),
        ("3.12.1", (3, 12, 1)),
        ("python3.12", (3, 12)),
        ("python3", (3,)),
        ("py3.11", (3, 11)),
        ("cpython3.13", (3, 13)),
        ("PYTHON3.9", (3, 9)),
        (" 3.10 ", (3, 10)),
    ],
)
def test_version_specs(text: str, prefix: tuple[int, ...]) -> None:
    spec = parse_spec(text)
    assert spec.prefix == prefix
    assert spec.path is None and spec.specifier is None


@pytest.mark.parametrize(
    "text", [">=3.11", "<3.10", "~=3.11", "==3.12.*", ">=3.9,<3.12", "python>=3.11"]
)
def test_range_specs(text: str) -> None:
    spec = parse_spec(text)
    assert spec.specifier is not None and spec.prefix is None


@pytest.mark.parametrize("text", ["/usr/bin/python3", "./python", "~/bin/python", "bin/python"])
def test_path_specs(text: str) -> None:
    spec = parse_spec(text)
    assert spec.path is not None and spec.path.is_absolute()
    assert "~" not in str(spec.path)


@pytest.mark.parametrize("text", ["python", "py", "cpython"])
def test_any_python_specs(text: str) -> None:
    spec = parse_spec(text)
    assert spec.path is None and spec.prefix is None and spec.specifier is None


@pytest.mark.parametrize(
    "text", ["pythonx", "3.x", "3.12.1.4", ">=abc", "jython3", "3..12", "=<3", "latest"]
)
def test_invalid_specs_are_exit_2(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_spec(text)
    assert info.value.exit_code == 2


def test_invalid_spec_through_find_interpreter(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        find_interpreter("pythonx", cache_dir=tmp_path)


@pytest.mark.parametrize(
    ("text", "version", "ok"),
    [
        ("3.12", (3, 12, 1), True),
        ("3.12", (3, 1, 2), False),
        ("3.12.1", (3, 12, 10), False),
        ("3", (3, 8, 18), True),
        (">=3.11", (3, 11, 0), True),
        (">=3.11", (3, 10, 13), False),
        ("<3.10", (3, 9, 18), True),
        ("==3.12.*", (3, 12, 7), True),
        ("python", (2, 7, 18), True),
    ],
)
def test_matches(text: str, version: tuple[int, int, int], ok: bool) -> None:
    assert parse_spec(text).matches(version) is ok


def test_exe_names() -> None:
    assert PythonSpec("3.12", prefix=(3, 12)).exe_names() == ["python3.12"]
    assert PythonSpec("3.12", prefix=(3, 12)).fallback_names() == ["python3", "python"]
    assert PythonSpec("3", prefix=(3,)).exe_names() == ["python3", "python"]
    assert PythonSpec(">=3.11", specifier=">=3.11").wants_listing


def test_none_and_empty_mean_the_running_python(tmp_path: Path) -> None:
    for spec in (None, "", "python"):
        found = find_interpreter(spec, cache_dir=tmp_path)
        assert found.is_running
        assert found.version == RUNNING


def test_interpreter_keeps_its_two_argument_constructor() -> None:
    interp = Interpreter(Path(sys.executable), RUNNING)
    assert interp.version_str == ".".join(map(str, RUNNING))
    assert interp.implementation == "cpython"
    assert interp.is_running


# --- search order, shims, messages (hermetic: fake interpreters) -----------------------


def test_failing_shim_is_skipped_and_pyenv_is_searched(fake_world: Path, tmp_path: Path) -> None:
    failing_shim(fake_world / "pyenv" / "shims" / "python3.99")
    real = fake_python(
        fake_world / "pyenv" / "versions" / "3.99.1" / "bin" / "python3.99", "3.99.1"
    )
    found = find_interpreter("3.99", cache_dir=tmp_path)
    assert found.path == real
    assert found.version == (3, 99, 1)


def test_working_shim_resolves_to_the_real_executable(fake_world: Path, tmp_path: Path) -> None:
    target = fake_world / "real" / "python3.99"
    fake_python(fake_world / "pyenv" / "shims" / "python3.99", "3.99.2", executable=target)
    found = find_interpreter("3.99", cache_dir=tmp_path)
    assert found.path == target  # never the shim itself


def test_uv_pythons_are_searched(fake_world: Path, tmp_path: Path) -> None:
    exe = fake_world / "uv" / "cpython-3.98.4-linux-x86_64-gnu" / "bin" / "python3.98"
    fake_python(exe, "3.98.4")
    assert find_interpreter("3.98.4", cache_dir=tmp_path).path == exe


def test_pyenv_dirs_of_other_versions_are_not_run(fake_world: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    other = fake_world / "pyenv" / "versions" / "3.97.0" / "bin" / "python3.97"
    other.parent.mkdir(parents=True)
    other.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    other.chmod(0o755)
    fake_python(fake_world / "pyenv" / "versions" / "3.99.0" / "bin" / "python3.99", "3.99.0")
    find_interpreter("3.99", cache_dir=tmp_path)
    assert not marker.exists()


def test_range_picks_the_newest_pyenv_version(fake_world: Path, tmp_path: Path) -> None:
    for v in ("3.97.1", "3.99.3", "3.98.2"):
        fake_python(fake_world / "pyenv" / "versions" / v / "bin" / f"python{v[:4]}", v)
    found = find_interpreter(">=3.97", cache_dir=tmp_path)
    if found.is_running:  # pragma: no cover - a 3.97+ running Python
        return
    assert found.version == (3, 99, 3)


def test_not_found_lists_where_it_looked_and_what_it_found(
    fake_world: Path, tmp_path: Path
) -> None:
    failing_shim(fake_world / "pyenv" / "shims" / "python3.99")
    fake_python(fake_world / "pyenv" / "versions" / "3.98.0" / "bin" / "python3.98", "3.98.0")
    with pytest.raises(VemError) as info:
        find_interpreter("3.99", cache_dir=tmp_path)
    err = info.value
    assert err.exit_code == 1
    assert not isinstance(err, InvalidInput)
    assert "3.99" in err.message
    assert str(fake_world / "pyenv" / "versions") in err.message
    assert str(fake_world / "uv") in err.message
    assert "3.98.0" in err.message  # what it found
    assert "command not found" in err.message  # why the shim was skipped


def test_python2_has_a_clear_message(fake_world: Path, tmp_path: Path) -> None:
    fake_python(fake_world / "pyenv" / "versions" / "2.7.18" / "bin" / "python2.7", "2.7.18")
    with pytest.raises(VemError) as info:
        find_interpreter("2.7", cache_dir=tmp_path)
    assert "no venv" in info.value.message
    assert "2.7.18" in info.value.message


def test_explicit_path_to_python2(tmp_path: Path) -> None:
    exe = fake_python(tmp_path / "py2" / "python", "2.7.18")
    with pytest.raises(VemError, match="no venv"):
        find_interpreter(str(exe), cache_dir=tmp_path)


def test_explicit_path_missing_or_not_python(tmp_path: Path) -> None:
    with pytest.raises(VemError, match="does not exist"):
        find_interpreter(str(tmp_path / "nope"), cache_dir=tmp_path)
    not_python = failing_shim(tmp_path / "bin" / "python3")
    with pytest.raises(VemError, match="not a working Python") as info:
        find_interpreter(str(not_python), cache_dir=tmp_path)
    assert info.value.exit_code == 1


def test_explicit_path_is_kept_as_given(tmp_path: Path) -> None:
    link = tmp_path / "mypython"
    link.symlink_to(sys.executable)
    found = find_interpreter(str(link), cache_dir=tmp_path)
    assert found.path == link  # not resolved: venv records the path it is given
    assert found.version == RUNNING


def test_list_interpreters_sees_fakes_once(fake_world: Path, tmp_path: Path) -> None:
    exe = fake_python(fake_world / "pyenv" / "versions" / "3.99.0" / "bin" / "python3.99", "3.99.0")
    failing_shim(fake_world / "pyenv" / "shims" / "python3")
    found = discovery.list_interpreters(cache_dir=tmp_path)
    assert found[0].candidate.source == "running"
    by_path = {f.candidate.path: f for f in found}
    assert by_path[exe].result is not None and by_path[exe].result.has_venv
    shim = by_path[fake_world / "pyenv" / "shims" / "python3"]
    assert shim.result is None and "command not found" in shim.reason


# --- the probe cache ----------------------------------------------------------------


def test_probe_results_are_cached_by_path_mtime_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exe = tmp_path / "python3.99"
    exe.write_bytes(b"\x7fELF not really")  # not a script: cacheable
    exe.chmod(0o755)
    calls: list[Path] = []

    def fake_run(path: Path) -> tuple[probe.ProbeResult | None, str]:
        calls.append(path)
        return probe.ProbeResult((3, 99, 0), "cpython", str(path), None, None), ""

    monkeypatch.setattr(probe, "run_probe", fake_run)
    cache_dir = tmp_path / "cache"
    for _ in range(2):
        cache = probe.ProbeCache(cache_dir)
        result, _ = probe.probe_cached(exe, cache)
        cache.save()
        assert result is not None and result.version == (3, 99, 0)
    assert len(calls) == 1
    data = json.loads((cache_dir / probe.CACHE_FILE).read_text())
    assert str(exe.resolve()) in data["entries"]

    exe.write_bytes(b"\x7fELF rebuilt, longer now")  # reinstalled: new size and mtime
    cache = probe.ProbeCache(cache_dir)
    probe.probe_cached(exe, cache)
    assert len(calls) == 2


def test_scripts_are_never_cached(tmp_path: Path) -> None:
    exe = fake_python(tmp_path / "python3.99", "3.99.0")
    cache = probe.ProbeCache(tmp_path / "cache")
    result, _ = probe.probe_cached(exe, cache)
    cache.save()
    assert result is not None and result.script
    assert not (tmp_path / "cache" / probe.CACHE_FILE).exists()


def test_corrupt_cache_is_ignored_and_replaced(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / probe.CACHE_FILE).write_text("{not json")
    found = find_interpreter(sys.executable, cache_dir=cache_dir)
    assert found.version == RUNNING
    data = json.loads((cache_dir / probe.CACHE_FILE).read_text())
    assert data["format"] == probe.CACHE_FORMAT


def test_concurrent_cache_writers_leave_valid_json(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    result = probe.ProbeResult((3, 99, 0), "cpython", "/x", None, None)
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            for j in range(20):
                cache = probe.ProbeCache(cache_dir)
                cache.put(f"/python-{i}-{j}", [i, j], result)
                cache.save()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    data = json.loads((cache_dir / probe.CACHE_FILE).read_text())
    assert len(data["entries"]) >= 20
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(".interpreters-")]


# --- the real Pythons of this machine -------------------------------------------------


@pytest.mark.parametrize("xy", ["3.8", "3.9", "3.10", "3.12", "3.13"])
def test_real_pyenv_versions_despite_shims(
    xy: str, real_pyenv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = require(pyenv_python(xy), f"Python {xy} (pyenv)")
    monkeypatch.delenv("PYENV_VERSION", raising=False)
    found = find_interpreter(xy, cache_dir=tmp_path)
    assert found.version[:2] == tuple(int(p) for p in xy.split("."))
    assert "shims" not in found.path.parts
    assert found.path.resolve() == expected.resolve()
    again = find_interpreter(f"python{xy}", cache_dir=tmp_path)
    assert again == found


def test_real_exact_patch_version(real_pyenv: Path, tmp_path: Path) -> None:
    exe = require(pyenv_python("3.12"), "Python 3.12 (pyenv)")
    patch = exe.parent.parent.name  # e.g. 3.12.1
    found = find_interpreter(patch, cache_dir=tmp_path)
    assert found.version_str == patch


def test_real_debian_python(tmp_path: Path) -> None:
    exe = require(
        Path("/usr/bin/python3") if Path("/usr/bin/python3").exists() else None, "/usr/bin/python3"
    )
    found = find_interpreter(str(exe), cache_dir=tmp_path)
    assert found.path == exe
    assert found.version[0] == 3


def test_real_python27_is_refused(real_pyenv: Path, tmp_path: Path) -> None:
    exe = require(pyenv_python("2.7"), "Python 2.7 (pyenv)")
    with pytest.raises(VemError, match="no venv"):
        find_interpreter(str(exe), cache_dir=tmp_path)


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("3.12.1", (3, 12, 1)),
        ("3.13.0t", (3, 13, 0)),
        ("cpython-3.12.8-linux-x86_64-gnu", (3, 12, 8)),
        ("pypy-3.10.14-linux-x86_64-gnu", (3, 10, 14)),
        ("pypy3.10-7.3.12", None),  # PyPy's own version must not be taken for Python's
        ("3.14-dev", None),
        ("miniconda3-latest", None),
    ],
)
def test_version_hints_from_directory_names(name: str, hint: tuple[int, int, int] | None) -> None:
    assert discovery._dir_version(name) == hint


def test_explicit_path_to_an_installation_directory(tmp_path: Path) -> None:
    exe = fake_python(tmp_path / "py399" / "bin" / "python3", "3.99.0")
    assert find_interpreter(str(tmp_path / "py399"), cache_dir=tmp_path).path == exe
    assert find_interpreter(str(tmp_path / "py399" / "bin"), cache_dir=tmp_path).path == exe
    with pytest.raises(VemError, match="not a working Python"):
        find_interpreter(str(tmp_path), cache_dir=tmp_path)
