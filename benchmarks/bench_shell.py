"""Shell integration timings.

1. The per-prompt cost of the ``--auto`` hook in bash (target: <= 5 ms), measured
   inside bash with $EPOCHREALTIME over many prompts: in a project whose env the
   hook activated, in a subdirectory of it, and outside any project -- none of these
   starts a process. Also the cost of a ``cd`` that does (a new directory outside
   the project the hook knows).
2. The latency of ``vem activate`` (a project env, code for bash) against
   ``python -c 'import click'`` (target: <= 1.3x).

Run:  python benchmarks/bench_shell.py [--prompts 2000] [--runs 30]
Everything happens under a temporary HOME; the real user's files are not touched.
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

BASH_BENCH = r"""
eval "$(vem shell-init bash --auto)"
loop () {  # N prompts: what bash runs before each one
    local i start
    start=$EPOCHREALTIME
    for ((i = 0; i < N; i++)); do _vem_auto_prompt; done
    echo "$1 $(( (${EPOCHREALTIME/./} - ${start/./}) ))"
}
empty () { local status=$?; return "$status"; }
baseline () {
    local i start
    start=$EPOCHREALTIME
    for ((i = 0; i < N; i++)); do empty; done
    echo "baseline $(( (${EPOCHREALTIME/./} - ${start/./}) ))"
}
cd "$PROJECT" && _vem_auto_prompt
[ "$VIRTUAL_ENV" = "$PROJECT/.venv" ] || { echo "hook did not activate" >&2; exit 1; }
loop in-project
cd "$PROJECT/src" && _vem_auto_prompt && loop in-subdir
cd "$ELSEWHERE" && _vem_auto_prompt && loop outside
[ -z "${VIRTUAL_ENV-}" ] || { echo "hook did not deactivate" >&2; exit 1; }
baseline
for d in 1 2 3 4 5; do mkdir -p "$ELSEWHERE/$d"; done
start=$EPOCHREALTIME
for d in 1 2 3 4 5; do cd "$ELSEWHERE/$d" && _vem_auto_prompt; done
echo "cd-outside $(( (${EPOCHREALTIME/./} - ${start/./}) / 5 ))"
start=$EPOCHREALTIME
for d in 1 2 3 4 5; do
    cd "$PROJECT" && _vem_auto_prompt && cd "$ELSEWHERE" && _vem_auto_prompt
done
echo "cd-in-and-out $(( (${EPOCHREALTIME/./} - ${start/./}) / 10 ))"
"""


def setup(root: Path) -> dict[str, str]:
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
    project = root / "project"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    subprocess.run(
        [str(vem), "create", "--no-pip"], cwd=project, env=env, check=True, capture_output=True
    )
    (root / "elsewhere").mkdir()
    env.update(PROJECT=str(project), ELSEWHERE=str(root / "elsewhere"))
    return env


def bench_hook(env: dict[str, str], prompts: int) -> dict[str, float]:
    bash = shutil.which("bash")
    assert bash, "bash is needed"
    proc = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", BASH_BENCH],
        env={**env, "N": str(prompts)},
        capture_output=True,
        text=True,
        check=True,
    )
    micros = {k: int(v) for k, v in (line.split() for line in proc.stdout.splitlines())}
    per_prompt = {k: v / prompts / 1000 for k, v in micros.items() if not k.startswith("cd-")}
    per_prompt.update({k: v / 1000 for k, v in micros.items() if k.startswith("cd-")})
    return per_prompt


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prompts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vem-bench-") as tmp:
        env = setup(Path(tmp))
        hook = bench_hook(env, args.prompts)
        vem = str(Path(tmp) / "bin" / "vem")
        project = env["PROJECT"]
        times = medians_ms(
            {
                "activate": ([vem, "activate", "--shell", "bash"], project),
                "click": ([sys.executable, "-c", "import click"], tmp),
                "path": ([vem, "path"], project),
            },
            env,
            args.runs,
        )
    activate, click, path = times["activate"], times["click"], times["path"]
    print(f"--auto hook in bash, per prompt (mean of {args.prompts}), no directory change:")
    for key in ("in-project", "in-subdir", "outside", "baseline"):
        print(f"  {key:<14} {hook[key]:.4f} ms")
    cost = max(hook[k] for k in ("in-project", "in-subdir", "outside")) - hook["baseline"]
    print(f"  hook cost      {cost:.4f} ms  (target <= 5 ms: {'ok' if cost <= 5 else 'MISSED'})")
    print("--auto hook in bash, per directory change (starts vem):")
    print(f"  cd outside any project        {hook['cd-outside']:.1f} ms")
    print(f"  cd into/out of the project    {hook['cd-in-and-out']:.1f} ms")
    print(f"vem activate (median of {args.runs}): {activate:.1f} ms")
    print(f"python -c 'import click':       {click:.1f} ms")
    print(f"(vem path, for comparison:      {path:.1f} ms)")
    ratio = activate / click
    print(f"ratio {ratio:.2f}x (target <= 1.3x: {'ok' if ratio <= 1.3 else 'MISSED'})")


if __name__ == "__main__":
    main()
