"""recreate and move timings (issue #9), each a ratio measured in the same run:

1. ``vem recreate`` of an env holding 20 local wheels (and pip) against what a user would
   do by hand: ``vem create`` + ``pip install`` of the same wheels into a fresh env
   (target: <= 1.2x). Both install offline from a local wheel folder
   (PIP_NO_INDEX / PIP_FIND_LINKS).
2. ``vem move`` of a pip-seeded env within one file system (project <-> central, in
   turn) against ``vem path`` (target: <= 2x).

Run by ``nox -s bench`` (benchmarks/run.py), or alone:
    python benchmarks/bench_recreate.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.pkgbuild

from run import isolated_env, run, vem_argv
from tests.pkgbuild import build_wheel, make_project

Check = tuple[str, float, float, str]  # label, value, target, unit
N_WHEELS = 20


def measure(root: Path, runs: int) -> list[Check]:
    env = isolated_env(root)
    vem = vem_argv()
    work = root / "work"
    work.mkdir(exist_ok=True)
    wheels = root / "wheels"
    names = [f"bench-pkg-{i:02d}" for i in range(N_WHEELS)]
    for name in names:
        build_wheel(make_project(root / "src" / name, name, "1.0"), wheels)
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheels))
    central = Path(env["WORKON_HOME"])

    def pip_install(target: Path) -> list[str]:
        return [str(target / "bin" / "python"), "-m", "pip", "install", "-q", *names]

    print("warming caches for recreate/move ...", file=sys.stderr)
    run([*vem, "-q", "create", "full"], env, work)
    run(pip_install(central / "full"), env, work)
    run([*vem, "-q", "create", "warm"], env, work)
    project = work / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    run([*vem, "-q", "create"], env, project)

    recreate: list[float] = []
    by_hand: list[float] = []
    moves: list[float] = []
    paths: list[float] = []
    for i in range(runs):
        print(f"recreate/move round {i + 1}/{runs} ...", file=sys.stderr)
        recreate.append(run([*vem, "-q", "recreate", "full"], env, work))
        fresh = central / f"fresh{i}"
        by_hand.append(
            run([*vem, "-q", "create", fresh.name], env, work) + run(pip_install(fresh), env, work)
        )
        for _ in range(3):  # fast commands: more runs
            to = "central" if len(moves) % 2 == 0 else "project"
            moves.append(run([*vem, "-q", "move", "--to", to], env, project))
            paths.append(run([*vem, "path", "warm"], env, work))

    med = {
        "recreate": statistics.median(recreate),
        "by_hand": statistics.median(by_hand),
        "move": statistics.median(moves),
        "path": statistics.median(paths),
    }
    print()
    rows = [
        (f"vem recreate ({N_WHEELS} wheels + pip)", recreate),
        (f"vem create + pip install ({N_WHEELS} wheels)", by_hand),
        ("vem move (pip-seeded env, same FS)", moves),
        ("vem path NAME", paths),
    ]
    width = max(len(label) for label, _ in rows)
    for label, times in rows:
        print(
            f"{label.ljust(width)}  {statistics.median(times):8.3f}s  "
            f"{min(times):8.3f}s  {max(times):8.3f}s"
        )
    return [
        ("vem recreate / create + pip install", med["recreate"] / med["by_hand"], 1.2, "x"),
        ("vem move / vem path", med["move"] / med["path"], 2.0, "x"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="vem-bench-recreate-"))
    try:
        checks = measure(root, args.runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print()
    for label, value, target, unit in checks:
        verdict = "PASS" if value <= target else "MISS"
        print(f"{verdict}  {label.ljust(42)} {value:8.3f}{unit}  (target <= {target}{unit})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
