"""vem's benchmark: medians of fresh runs and the ratios of issue #4, measured together.

    nox -s bench            # or: python benchmarks/run.py [--runs 5] [--envs 1000]

Runs every command as a subprocess with isolated HOME/XDG dirs, interleaving the tools
round by round so that load from elsewhere hits them alike. Caches are warmed first
(vem's pip cache, virtualenv's app-data, uv's cache), as a user's would be. virtualenv
and uv are compared when installed. Not part of CI's pass/fail: it prints PASS/MISS.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Command = Callable[[int], list[str]]  # run number → argv (fresh target per run)
FAST = {"import_click", "vem_path", "vem_activate"}
FAST_FACTOR = 3


@dataclass
class Bench:
    key: str
    label: str
    argv: Command
    times: list[float]


def vem_argv() -> list[str]:
    """The installed console script next to this Python, else ``python -m vem``
    (never a pyenv shim, whose own startup would be measured)."""
    bindir = Path(sys.executable).parent
    for name in ("vem", "vem.exe"):
        if (bindir / name).is_file():
            return [str(bindir / name)]
    return [sys.executable, "-m", "vem"]


def isolated_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEM_", "VIRTUAL_ENV"))}
    home = root / "home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        WORKON_HOME=str(root / "central"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(root / "virtualenv-app-data"),
        UV_CACHE_DIR=str(root / "uv-cache"),
        NO_COLOR="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    env.pop("PYTHONHOME", None)
    # A real install has byte-code (pip compiles at install time); an editable one gets it
    # on the warm-up runs only if writing it is allowed.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()[-600:]
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{err}")
    return elapsed


def make_fake_envs(central: Path, count: int) -> None:
    """``count`` envs as venv leaves them, minus site-packages: pyvenv.cfg and a
    bin/python symlink to this interpreter (valid for `vem list`, cheap to make)."""
    real = Path(os.path.realpath(sys.executable))
    version = ".".join(map(str, sys.version_info[:3]))
    cfg = (
        f"home = {real.parent}\ninclude-system-site-packages = false\n"
        f"version = {version}\nexecutable = {real}\n"
    )
    for i in range(count):
        env = central / f"env{i:04d}"
        (env / "bin").mkdir(parents=True)
        (env / "pyvenv.cfg").write_text(f"{cfg}prompt = 'env{i:04d}'\n")
        (env / "bin" / "python").symlink_to(real)
        # what doctor and list read to tell a moved env (vem's own script is ~1.5 KB)
        (env / "bin" / "activate").write_text(
            f"# activate\nVIRTUAL_ENV={env}\nexport VIRTUAL_ENV\n"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per command (default 5)")
    parser.add_argument("--envs", type=int, default=1000, help="envs for `vem list` (1000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    root = Path(tempfile.mkdtemp(prefix="vem-bench-"))
    try:
        return bench(root, args.runs, args.envs)
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


def bench(root: Path, runs: int, n_envs: int) -> int:
    env = isolated_env(root)
    work = root / "work"
    work.mkdir()
    targets = root / "targets"
    targets.mkdir()
    py = sys.executable
    vem = vem_argv()

    def target(tool: str) -> Command:
        return lambda i: [str(targets / f"{tool}-{i}")]

    benches: list[Bench] = [
        Bench(
            "venv",
            "python -m venv (with pip)",
            lambda i: [py, "-m", "venv", *target("venv")(i)],
            [],
        ),
        Bench(
            "venv_nopip",
            "python -m venv --without-pip",
            lambda i: [py, "-m", "venv", "--without-pip", *target("venvnp")(i)],
            [],
        ),
    ]
    has_virtualenv = importlib.util.find_spec("virtualenv") is not None
    if has_virtualenv:
        benches.append(
            Bench(
                "virtualenv", "virtualenv", lambda i: [py, "-m", "virtualenv", *target("ve")(i)], []
            )
        )
    uv = shutil.which("uv")
    if uv:
        benches.append(
            Bench(
                "uv_seed",
                "uv venv --seed",
                lambda i: [uv, "venv", "-q", "--seed", *target("uvs")(i)],
                [],
            )
        )
        benches.append(Bench("uv", "uv venv", lambda i: [uv, "venv", "-q", *target("uv")(i)], []))
    benches += [
        Bench("vem", "vem create (with pip)", lambda i: [*vem, "-q", "create", f"pip{i}"], []),
        Bench(
            "vem_nopip",
            "vem create --no-pip",
            lambda i: [*vem, "-q", "create", "--no-pip", f"np{i}"],
            [],
        ),
        Bench("import_click", "python -c 'import click'", lambda i: [py, "-c", "import click"], []),
        Bench("vem_path", "vem path NAME", lambda i: [*vem, "path", "warm"], []),
        Bench(
            "vem_activate",
            "vem activate NAME",
            lambda i: [*vem, "activate", "--shell", "bash", "warm"],
            [],
        ),
    ]

    # Warm every cache a user's machine would have warm (and check the commands work).
    print(f"warming caches in {root} ...", file=sys.stderr)
    run([*vem, "-q", "create", "warm"], env, work)
    optional = {
        "virtualenv": [py, "-m", "virtualenv", str(targets / "ve-warm")]
        if has_virtualenv
        else None,
        "uv_seed": [uv, "venv", "-q", "--seed", str(targets / "uvs-warm")] if uv else None,
    }
    for key, argv in optional.items():
        if argv is None:
            continue
        try:
            run(argv, env, work)
        except SystemExit as exc:  # e.g. uv cannot fetch pip without the network
            print(f"note: {key} left out: {exc}", file=sys.stderr)
            benches[:] = [b for b in benches if b.key != key]

    for b in benches:
        if b.key in FAST:
            run(b.argv(-1), env, work)

    # Fast commands are noisier: they get FAST_FACTOR times the runs (still medians).
    for i in range(runs * FAST_FACTOR):
        print(f"round {i + 1}/{runs * FAST_FACTOR} ...", file=sys.stderr)
        for b in benches:
            if i < runs or b.key in FAST:
                b.times.append(run(b.argv(i), env, work))

    # `vem list --json` over many envs, in a central home of their own.
    list_env = dict(env, WORKON_HOME=str(root / "many"))
    make_fake_envs(root / "many", n_envs)
    out = subprocess.run(
        [*vem, "list", "--json"], env=list_env, cwd=work, capture_output=True, text=True, check=True
    ).stdout
    listed = out.count('"path"')
    list_bench = Bench(
        "vem_list", f"vem list --json ({n_envs} envs)", lambda i: [*vem, "list", "--json"], []
    )
    for i in range(-1, runs * FAST_FACTOR):
        elapsed = run(list_bench.argv(i), list_env, work)
        if i >= 0:  # -1: warm-up
            list_bench.times.append(elapsed)
    benches.append(list_bench)
    doctor_bench = Bench(
        "vem_doctor", f"vem doctor --json ({n_envs} envs)", lambda i: [*vem, "doctor", "--json"], []
    )
    for i in range(-1, runs * FAST_FACTOR):
        elapsed = run(doctor_bench.argv(i), list_env, work)
        if i >= 0:
            doctor_bench.times.append(elapsed)
    benches.append(doctor_bench)

    from bench_sync import print_results, sync_benchmarks

    sync_rows, sync_checks = sync_benchmarks(root, env, vem, runs, run)

    med = {b.key: statistics.median(b.times) for b in benches}
    print(
        f"\nvem benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"median of {runs} runs ({runs * FAST_FACTOR} for path/activate/import/list/doctor), "
        "fresh target each run\n"
    )
    width = max(len(b.label) for b in benches)
    print(f"{'command'.ljust(width)}  {'median':>9}  {'min':>9}  {'max':>9}")
    for b in benches:
        low, high = min(b.times), max(b.times)
        print(f"{b.label.ljust(width)}  {med[b.key]:8.3f}s  {low:8.3f}s  {high:8.3f}s")

    checks: list[tuple[str, float, float, str]] = []  # label, value, target, unit

    def ratio(label: str, a: str, b: str, target_value: float) -> None:
        if a in med and b in med:
            checks.append((label, med[a] / med[b], target_value, "x"))

    ratio("vem create / python -m venv", "vem", "venv", 0.05)
    ratio("vem create / virtualenv", "vem", "virtualenv", 0.5)
    ratio("vem create / uv venv --seed", "vem", "uv_seed", 1.0)
    ratio("vem create --no-pip / venv --without-pip", "vem_nopip", "venv_nopip", 2.5)
    ratio("vem path / import click", "vem_path", "import_click", 1.3)
    ratio("vem activate / import click", "vem_activate", "import_click", 1.3)
    checks.append((f"vem list --json, {n_envs} envs", med["vem_list"], 0.5, "s"))
    checks.append((f"vem doctor --json, {n_envs} envs", med["vem_doctor"], 1.0, "s"))
    ratio("vem doctor / vem list --json", "vem_doctor", "vem_list", 1.5)
    from bench_recreate import measure as measure_recreate_move

    checks += measure_recreate_move(root / "recreate-move", runs)

    print("\nvem sync, offline from a folder of 20 wheels (issue #11):")
    print_results(sync_rows, sync_checks)
    misses = sum(1 for _, value, target in sync_checks if target is not None and value > target)
    targets = sum(1 for *_, target in sync_checks if target is not None)
    print()
    for label, value, target_value, unit in checks:
        ok = value <= target_value
        misses += not ok
        shown = f"{value:.3f}{unit}"
        verdict = "PASS" if ok else "MISS"
        print(f"{verdict}  {label.ljust(42)} {shown:>9}  (target <= {target_value}{unit})")
    if listed < n_envs:
        print(f"WARNING: vem list reported {listed} envs, expected at least {n_envs}")
    if not has_virtualenv:
        print("note: virtualenv not installed: not compared")
    if not uv:
        print("note: uv not installed: not compared")
    total = len(checks) + targets
    print(f"\n{total - misses}/{total} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
