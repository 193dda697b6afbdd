"""Shell integration timings, in one run.

1. The per-``cd`` cost of the ``--auto`` hook among folders outside any project, in
   bash and zsh, next to the same ``cd`` with an empty prompt function (target:
   <= 0.5 ms). The hook reads the roots file with builtins and starts no process.
   Measured inside the shell with $EPOCHREALTIME, with 20 known projects recorded.
2. Entering a known project (the hook runs vem once) against ``vem activate`` alone,
   both timed inside bash (target: <= 1.2x).
3. The latency of ``vem activate`` against ``python -c 'import click'``.

Run:  python benchmarks/bench_shell.py [--cds 2000] [--runs 20]
Everything happens under a temporary HOME; the real user's files are not touched.
Unset PYTHONDONTWRITEBYTECODE first (this machine sets it), or every run compiles.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# N cds among 4 plain folders: with the hook (what bash runs before each prompt),
# then with an empty prompt function instead.
BASH_CD = r"""
eval "$(vem shell-init bash --auto)"
empty () { local status=$?; return "$status"; }
cd "$ELSEWHERE/0" && _vem_auto_prompt
start=$EPOCHREALTIME
for ((i = 0; i < N; i++)); do cd "$ELSEWHERE/$((i % 4))"; _vem_auto_prompt; done
hook=$(( ${EPOCHREALTIME/./} - ${start/./} ))
start=$EPOCHREALTIME
for ((i = 0; i < N; i++)); do cd "$ELSEWHERE/$((i % 4))"; empty; done
base=$(( ${EPOCHREALTIME/./} - ${start/./} ))
[ -z "${VIRTUAL_ENV-}" ] || { echo "activated outside a project" >&2; exit 1; }
echo "hook $hook"
echo "empty $base"
"""

# zsh runs the hook from chpwd: the same cds with the hook, then without it.
ZSH_CD = r"""
eval "$(vem shell-init zsh --auto)"
zmodload zsh/datetime
empty () { return 0 }
cd "$ELSEWHERE/0"
start=$EPOCHREALTIME
for ((i = 0; i < N; i++)); do cd "$ELSEWHERE/$((i % 4))"; empty; done
hook=$(( (EPOCHREALTIME - start) * 1000000 ))
add-zsh-hook -d chpwd _vem_auto
start=$EPOCHREALTIME
for ((i = 0; i < N; i++)); do cd "$ELSEWHERE/$((i % 4))"; empty; done
base=$(( (EPOCHREALTIME - start) * 1000000 ))
[ -z "${VIRTUAL_ENV-}" ] || { echo "activated outside a project" >&2; exit 1; }
echo "hook $hook"
echo "empty $base"
"""

# K times, alternating so that background load hits both alike: enter the project
# (the hook runs vem), leave it; and `vem activate` alone. Each time on a line.
BASH_ENTER = r"""
eval "$(vem shell-init bash --auto)"
cd "$ELSEWHERE/0" && _vem_auto_prompt
for ((i = 0; i < K; i++)); do
    start=$EPOCHREALTIME
    cd "$PROJECT" && _vem_auto_prompt
    end=$EPOCHREALTIME
    echo "enter $(( ${end/./} - ${start/./} ))"
    [ "$VIRTUAL_ENV" = "$PROJECT/.venv" ] || { echo "hook did not activate" >&2; exit 1; }
    start=$EPOCHREALTIME
    code=$(command vem activate --shell bash)
    end=$EPOCHREALTIME
    echo "alone $(( ${end/./} - ${start/./} ))"
    cd "$ELSEWHERE/0" && _vem_auto_prompt
    [ -z "${VIRTUAL_ENV-}" ] || { echo "hook did not deactivate" >&2; exit 1; }
done
"""


def setup(root: Path, projects: int) -> dict[str, str]:
    home = root / "home"
    bin_dir = root / "bin"
    for d in (home, bin_dir):
        d.mkdir()
    vem = bin_dir / "vem"  # what pip/pipx install: a script running vem.cli:main
    vem.write_text(f"#!{sys.executable}\nfrom vem.cli import main\nmain()\n")
    vem.chmod(0o755)
    env = {
        "HOME": str(home),
        "PATH": os.pathsep.join([str(bin_dir), "/usr/local/bin", "/usr/bin", "/bin"]),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "TERM": "dumb",
    }
    for i in range(projects):  # known projects, so the roots file is not trivial
        project = root / "work" / f"project-{i:02d}"
        (project / "src").mkdir(parents=True)
        (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
        subprocess.run(
            [str(vem), "create", "--no-pip"], cwd=project, env=env, check=True, capture_output=True
        )
    elsewhere = root / "elsewhere"
    for i in range(4):
        (elsewhere / str(i)).mkdir(parents=True)
    env.update(PROJECT=str(root / "work" / "project-00"), ELSEWHERE=str(elsewhere))
    return env


def run_shell(argv: list[str], script: str, env: dict[str, str]) -> dict[str, list[int]]:
    """The ``name micros`` lines a script prints, by name."""
    proc = subprocess.run([*argv, "-c", script], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed:\n{proc.stderr}")
    found: dict[str, list[int]] = {}
    for line in proc.stdout.splitlines():
        name, value = line.split()
        found.setdefault(name, []).append(int(float(value)))
    return found


def medians_ms(
    commands: dict[str, tuple[list[str], str]], env: dict[str, str], runs: int
) -> dict[str, float]:
    """Median wall time of each command (argv, cwd), run round-robin so that
    background load hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, cwd) in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True)
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cds", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--projects", type=int, default=20)
    args = parser.parse_args()
    bash, zsh = shutil.which("bash"), shutil.which("zsh")
    assert bash, "bash is needed"
    with tempfile.TemporaryDirectory(prefix="vem-bench-") as tmp:
        env = setup(Path(tmp), args.projects)
        cd_env = {**env, "N": str(args.cds)}
        per_cd = {"bash": run_shell([bash, "--norc", "--noprofile"], BASH_CD, cd_env)}
        if zsh:
            per_cd["zsh"] = run_shell([zsh, "-f"], ZSH_CD, cd_env)
        enter = run_shell([bash, "--norc", "--noprofile"], BASH_ENTER, {**env, "K": str(args.runs)})
        vem = str(Path(tmp) / "bin" / "vem")
        times = medians_ms(
            {
                "activate": ([vem, "activate", "--shell", "bash"], env["PROJECT"]),
                "click": ([sys.executable, "-c", "import click"], tmp),
            },
            env,
            args.runs,
        )
    print(
        f"--auto hook, per cd among folders outside projects ({args.cds} cds, "
        f"{args.projects} known projects):"
    )
    for shell, micros in per_cd.items():
        hook = micros["hook"][0] / args.cds / 1000
        empty = micros["empty"][0] / args.cds / 1000
        cost = hook - empty
        print(
            f"  {shell:<5} hook {hook:.4f} ms  empty prompt {empty:.4f} ms  "
            f"cost {cost:.4f} ms  (target <= 0.5 ms: {verdict(cost <= 0.5)})"
        )
    entering = statistics.median(enter["enter"]) / 1000
    alone = statistics.median(enter["alone"]) / 1000
    ratio = entering / alone
    print(
        f"entering a known project (median of {args.runs}): {entering:.1f} ms; "
        f"vem activate alone {alone:.1f} ms; ratio {ratio:.2f}x "
        f"(target <= 1.2x: {verdict(ratio <= 1.2)})"
    )
    print(
        f"vem activate (median of {args.runs}): {times['activate']:.1f} ms; "
        f"python -c 'import click': {times['click']:.1f} ms; "
        f"ratio {times['activate'] / times['click']:.2f}x"
    )


if __name__ == "__main__":
    main()
