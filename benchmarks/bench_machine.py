"""Every env on the machine (issue 10), measured in one run:

- `vem list --size` over 200 pip-seeded envs, as a ratio to `du -s` of the same folders;
- `vem list --all` with 1,000 envs spread over the other tools' stores;
- `vem prune --dry-run` over 1,000 envs.

    python benchmarks/bench_machine.py [--runs 5] [--seeded 200] [--envs 1000]

Not part of CI's pass/fail: it prints PASS/MISS against the issue's targets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import isolated_env, make_fake_envs, run, vem_argv


def spread_fake_envs(root: Path, count: int) -> dict[str, str]:
    """``count`` envs over the stores of poetry, pipenv, pdm, hatch, pipx, uv and
    pyenv-virtualenv (as the tools lay them out); the env vars that point at them."""
    stores = {
        "poetry": root / "poetry",
        "pipenv": root / "home" / ".local" / "share" / "virtualenvs",  # its default
        "pdm": root / "pdm",
        "hatch": root / "hatch" / "env" / "virtual",
        "pipx": root / "pipx" / "venvs",
        "uv": root / "uv-tools",
        "pyenv": root / "pyenv" / "versions",
    }
    per = count // len(stores)
    for tool, store in stores.items():
        tmp = root / "tmp" / tool
        make_fake_envs(tmp, per)
        for i, env in enumerate(sorted(tmp.iterdir())):
            if tool == "hatch":
                target = store / f"proj{i}" / "AbCd1234" / "default"
            elif tool == "pyenv":
                target = store / "3.11.7" / "envs" / env.name
            else:
                target = store / env.name
            target.parent.mkdir(parents=True, exist_ok=True)
            env.rename(target)
    (root / "pdm-config.toml").write_text(f'[venv]\nlocation = "{stores["pdm"]}"\n')
    return {
        "POETRY_VIRTUALENVS_PATH": str(stores["poetry"]),
        "PDM_CONFIG_FILE": str(root / "pdm-config.toml"),
        "HATCH_DATA_DIR": str(root / "hatch"),
        "PIPX_HOME": str(root / "pipx"),
        "UV_TOOL_DIR": str(stores["uv"]),
        "PYENV_ROOT": str(root / "pyenv"),
    }


def median_of(argv: list[str], env: dict[str, str], cwd: Path, runs: int) -> float:
    run(argv, env, cwd)  # warm-up (and a check that it works)
    return statistics.median(run(argv, env, cwd) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seeded", type=int, default=200, help="pip-seeded envs (200)")
    parser.add_argument("--envs", type=int, default=1000, help="envs for --all / prune (1000)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="vem-bench-machine-"))
    try:
        return bench(root, args.runs, args.seeded, args.envs)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def bench(root: Path, runs: int, seeded: int, n_envs: int) -> int:
    vem = vem_argv()
    work = root / "work"
    work.mkdir()
    checks: list[tuple[str, float, float, str]] = []

    # 1. list --size over pip-seeded envs vs du -s of the same folders
    env = isolated_env(root / "seeded")
    print(f"creating {seeded} pip-seeded envs ...", file=sys.stderr)
    for i in range(seeded):
        run([*vem, "-q", "create", f"s{i:03d}"], env, work)
    folders = sorted(str(p) for p in (root / "seeded" / "central").iterdir())
    t_vem = median_of([*vem, "list", "--size", "--json"], env, work, runs)
    t_du = median_of(["du", "-s", *folders], env, work, runs)
    print(f"vem list --size ({seeded} envs): {t_vem:.3f}s; du -s: {t_du:.3f}s")
    checks.append((f"vem list --size / du -s, {seeded} envs", t_vem / t_du, 2.5, "x"))

    # 2. list --all with envs spread over the other tools' stores
    spread = root / "spread"
    extra = spread_fake_envs(spread, n_envs)
    env_all = {**isolated_env(spread), **extra, "WORKON_HOME": str(spread / "central")}
    t_all = median_of([*vem, "list", "--all", "--json"], env_all, work, runs)
    print(f"vem list --all ({n_envs} envs in 7 stores): {t_all:.3f}s")
    checks.append((f"vem list --all, {n_envs} envs", t_all, 0.5, "s"))

    # 3. prune --dry-run over many envs (a tenth of them broken)
    many = root / "many"
    make_fake_envs(many / "central", n_envs)
    for env_dir in sorted((many / "central").iterdir())[::10]:
        (env_dir / "bin" / "python").unlink()
    env_prune = {**isolated_env(many), "WORKON_HOME": str(many / "central")}
    t_prune = median_of([*vem, "prune", "--dry-run", "--json"], env_prune, work, runs)
    print(f"vem prune --dry-run ({n_envs} envs): {t_prune:.3f}s")
    checks.append((f"vem prune --dry-run, {n_envs} envs", t_prune, 1.0, "s"))

    print()
    for label, value, target, unit in checks:
        verdict = "PASS" if value <= target else "MISS"
        print(f"{verdict}  {label.ljust(42)} {value:8.3f}{unit}  (target <= {target}{unit})")
    print(f"(Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
