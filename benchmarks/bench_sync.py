"""`vem sync` timings (issue #11), offline: a local folder of 20 tiny wheels with
dependencies between them, found through the user's own index settings (PIP_NO_INDEX/
PIP_FIND_LINKS, UV_NO_INDEX/UV_FIND_LINKS), so the network is out of it.

- `vem sync` of an unchanged env against `vem path` (target <= 1.5x);
- `vem sync --installer uv` from nothing against `uv venv && uv pip install -r`
  (target <= 1.3x);
- `vem sync` (pip) from nothing against `vem create` then the env's `pip install -r`
  by hand (target <= 1.1x), and, for the record, against `python -m venv` + `pip install`.

Part of `nox -s bench` (benchmarks/run.py); alone: python benchmarks/bench_sync.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.wheels

from tests.wheels import make_wheel

WHEELS = 20
#: (label, median seconds) rows and (label, ratio, target) checks
Rows = list[tuple[str, float]]
Checks = list[tuple[str, float, float | None]]  # target None: reported only


def make_wheelhouse(dest: Path) -> list[str]:
    """20 wheels: four roots (w00, w05, w10, w15), each needing the next four; returns
    the requirement lines that pull in all 20."""
    dest.mkdir(parents=True, exist_ok=True)
    roots = []
    for i in range(WHEELS):
        requires = [f"w{j:02d}>=1" for j in range(i + 1, i + 5)] if i % 5 == 0 else []
        extra = {f"w{i:02d}_data/m{k}.py": f"X = {k}\n".encode() for k in range(10)}
        make_wheel(dest, f"w{i:02d}", requires=requires, files=extra)
        if i % 5 == 0:
            roots.append(f"w{i:02d}")
    return roots


def sync_benchmarks(
    root: Path,
    env: dict[str, str],
    vem: list[str],
    runs: int,
    timer: Callable[[list[str], dict[str, str], Path], float],
) -> tuple[Rows, Checks]:
    wheelhouse = root / "wheelhouse"
    lines = make_wheelhouse(wheelhouse)
    env = dict(
        env,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        UV_NO_INDEX="1",
        UV_FIND_LINKS=str(wheelhouse),
    )
    uv = shutil.which("uv", path=env.get("PATH"))
    py = sys.executable
    projects = root / "sync-projects"

    def project(kind: str, i: int) -> Path:
        d = projects / f"{kind}-{i}"
        d.mkdir(parents=True)
        (d / "pyproject.toml").write_text(f'[project]\nname = "{kind}{i}"\n')
        (d / "requirements.txt").write_text("\n".join(lines) + "\n")
        return d

    by_hand_pip = ".venv/bin/python -m pip install -q -r requirements.txt"
    cases: dict[str, tuple[str, Callable[[], list[str]]]] = {
        "sync_pip": ("vem sync (pip, from nothing)", lambda: [*vem, "-q", "sync"]),
        "create_pip": (
            "vem create + pip install -r",
            lambda: ["sh", "-c", f'"$0" -q create && {by_hand_pip}', *vem],
        ),
        "venv_pip": (
            "python -m venv + pip install -r",
            lambda: ["sh", "-c", f'"$0" -m venv .venv && {by_hand_pip}', py],
        ),
    }
    if uv:
        cases["sync_uv"] = (
            "vem sync --installer uv (from nothing)",
            lambda: [*vem, "-q", "sync", "--installer", "uv"],
        )
        cases["uv"] = (
            "uv venv && uv pip install -r",
            lambda: [
                "sh",
                "-c",
                '"$0" venv -q .venv && "$0" pip install -q -r requirements.txt',
                uv,
            ],
        )

    times: dict[str, list[float]] = {key: [] for key in cases}
    for key, (_, argv) in cases.items():  # warm-up: caches, and that each one works
        timer(argv(), env, project(key, -1))
    for i in range(runs):
        print(f"sync round {i + 1}/{runs} ...", file=sys.stderr)
        order = list(cases.items())  # every other round reversed: drift hits all alike
        for key, (_, argv) in order if i % 2 == 0 else reversed(order):
            times[key].append(timer(argv(), env, project(key, i)))

    # unchanged: one synced project, then sync and path again and again
    synced = project("unchanged", 0)
    timer([*vem, "-q", "sync"], env, synced)
    fast = {"sync_unchanged": [*vem, "sync"], "path": [*vem, "path"]}
    fast_times: dict[str, list[float]] = {key: [] for key in fast}
    for _ in range(runs * 3):
        for key, argv in fast.items():
            fast_times[key].append(timer(argv, env, synced))

    med = {k: statistics.median(v) for k, v in {**times, **fast_times}.items()}
    rows: Rows = [(label, med[key]) for key, (label, _) in cases.items()]
    rows += [("vem sync (unchanged)", med["sync_unchanged"]), ("vem path", med["path"])]
    checks: Checks = [
        ("vem sync unchanged / vem path", med["sync_unchanged"] / med["path"], 1.5),
        ("vem sync (pip) / vem create + pip install", med["sync_pip"] / med["create_pip"], 1.1),
    ]
    if uv:
        checks.append(
            ("vem sync --installer uv / uv venv + install", med["sync_uv"] / med["uv"], 1.3)
        )
    checks.append(
        ("vem sync (pip) / python -m venv + pip install", med["sync_pip"] / med["venv_pip"], None)
    )
    return rows, checks


def main() -> int:
    import argparse

    from run import isolated_env, run, vem_argv  # type: ignore[import-not-found]

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="vem-bench-sync-"))
    try:
        rows, checks = sync_benchmarks(root, isolated_env(root), vem_argv(), args.runs, run)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print_results(rows, checks)
    return 0


def print_results(rows: Rows, checks: Checks) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value:8.3f}s")
    for label, value, target in checks:
        if target is None:
            print(f"      {label.ljust(47)} {value:.3f}x  (reported, no target)")
            continue
        verdict = "PASS" if value <= target else "MISS"
        print(f"{verdict}  {label.ljust(47)} {value:.3f}x  (target <= {target}x)")


if __name__ == "__main__":
    sys.exit(main())
