"""``vem recreate``: rebuild an env with what it holds, beside the old one, then swap.

1. Read what the env holds from its files (:mod:`vem.env.contents`; its python is never
   run) and choose the interpreter: ``-p``; else its base interpreter if that still runs
   the env's X.Y (a bounded, cached probe); else the newest of that X.Y found.
2. Plan where each distribution comes from; one that cannot be had stops everything
   before anything is touched (``--dry-run`` stops here, too).
3. Under the env's lock, build a new env at a hidden sibling ``.vem-recreate-<name>-*``
   (same directory, so same file system), marked incomplete: venv, pip, the
   distributions, ``.project`` and virtualenvwrapper's hooks.
4. Rewrite its scripts for the env's real path (:mod:`vem.make.relocate`) *before* the
   swap: pip writes shebangs for the path it installs into, and the new env must work
   the moment it is in place. Check that it holds every planned distribution.
5. Swap by an atomic exchange (:mod:`vem.fs.swap`), then delete the old env through the
   deletion gate. Until the exchange, the old env is untouched; a failure or interrupt
   deletes the half-built one; a hard kill leaves a hidden, marked leftover that the
   next recreate sweeps away.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vem.env.contents import INDEX, Distribution, Inventory, normalize, read_inventory
from vem.env.layout import PROJECT_FILE, bin_dir, env_python, is_env, read_cfg
from vem.env.model import Env
from vem.errors import EnvNotFound, Interrupted, Unsafe, VemError
from vem.make.replace import replace_env, sweep_leftovers
from vem.places.workspace import Workspace
from vem.python.discovery import Interpreter
from vem.result import Progress, Result, Step, no_progress

#: Per-env files that are not installed by anything, carried over to the new env:
#: ``.project`` and virtualenvwrapper's hooks.
CARRIED = (
    PROJECT_FILE,
    "bin/preactivate",
    "bin/postactivate",
    "bin/predeactivate",
    "bin/postdeactivate",
    "bin/get_env_details",
)
SEEDED = "seeded"


@dataclass(frozen=True)
class RecreatePlan:
    """What recreate will do: the env, the interpreter (and why that one), and where
    each distribution comes from. ``pip`` is the pip version the env gets (None: no pip)."""

    env: Env
    interpreter: Interpreter
    interpreter_reason: str
    distributions: tuple[Distribution, ...]
    pip: str | None
    system_site_packages: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def unavailable(self) -> list[Distribution]:
        return [d for d in self.distributions if d.problem is not None]


@dataclass(frozen=True)
class RecreateOptions:
    name: str | None = None
    python: str | None = None  # -p SPEC
    dry_run: bool = False
    output_fd: int | None = None  # where pip writes (None: captured, shown on failure)
    progress: Progress = no_progress
    #: told the plan before anything is touched (the CLI shows it)
    on_plan: Callable[[RecreatePlan], None] | None = None


@dataclass
class RecreateResult(Result):
    env: Env
    plan: RecreatePlan
    dry_run: bool = False
    done: list[str] = field(default_factory=list)


def recreate(ws: Workspace, options: RecreateOptions) -> RecreateResult:
    env = ws.find_env(options.name)
    _check_recreatable(env)
    if options.dry_run:
        plan = make_plan(ws, env, options.python)
        if options.on_plan is not None:
            options.on_plan(plan)
        _refuse_unavailable(plan)
        return RecreateResult(env=env, plan=plan, dry_run=True, warnings=list(plan.warnings))
    from vem.fs.locks import path_lock

    try:
        with path_lock(ws.dirs.lock_dir, env.path):
            warnings = sweep_leftovers(env.path, ws.guards)
            env = ws.find_env(options.name)  # as it is now that we hold the lock
            _check_recreatable(env)
            plan = make_plan(ws, env, options.python)
            if options.on_plan is not None:
                options.on_plan(plan)
            _refuse_unavailable(plan)
            warnings += _rebuild(ws, plan, options)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; {env.path} is as it was") from None
    new_env = _describe_again(ws, env)
    return RecreateResult(env=new_env, plan=plan, warnings=[*plan.warnings, *warnings])


# --- checks and the plan -------------------------------------------------------------


def _check_recreatable(env: Env) -> None:
    path = env.path
    if path.is_symlink():
        real = os.path.realpath(path)
        raise Unsafe(
            f"{path} is a symlink to {real}; vem recreates an env where it really is",
            hint=f"vem recreate {_quote(real)}",
        )
    if not is_env(path):
        raise EnvNotFound(f"{path} is not an environment (it has no pyvenv.cfg)")
    problem = env.health.first
    if problem is not None and problem.status == "incomplete":
        raise VemError(
            f"{path} is incomplete: {problem.message}; it holds nothing to recreate from",
            hint=f"{problem.fix} builds it again",
        )


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def make_plan(ws: Workspace, env: Env, spec: str | None) -> RecreatePlan:
    """Where everything comes from, read from the env's files (nothing of it is run)."""
    inv = read_inventory(env.path)
    interpreter, reason = choose_interpreter(ws, env.path, inv, spec)
    dists: list[Distribution] = []
    pip: str | None = None
    for dist in inv.distributions:
        if dist.key == "pip" and dist.source == INDEX:
            pip = dist.version
            seeded = _seeded_pip_version(ws, env.path, interpreter)
            if seeded == dist.version:
                dist = dist._replace(
                    source=SEEDED,
                    where=f"the pip wheel of Python {interpreter.version_str}",
                    requirement=(),
                )
        dists.append(dist)
    if inv.site_packages is None:
        warnings = (*inv.warnings, f"{env.path} has no site-packages directory; it holds nothing")
    else:
        warnings = inv.warnings
    return RecreatePlan(
        env, interpreter, reason, tuple(dists), pip, inv.system_site_packages, warnings
    )


def _seeded_pip_version(ws: Workspace, path: Path, interpreter: Interpreter) -> str | None:
    """The version of the pip wheel that vem seeds for ``interpreter``."""
    import re

    from vem.make.seed import find_pip_wheel

    nowhere = path.parent / f".vem-no-such-env-{os.urandom(4).hex()}"  # no pyvenv.cfg to read
    try:
        wheel = find_pip_wheel(nowhere, interpreter, cache_dir=ws.dirs.cache_dir)
    except VemError:
        return None
    m = re.match(r"pip-([^-]+)-", wheel.name)
    return m.group(1) if m else None


def choose_interpreter(
    ws: Workspace, path: Path, inv: Inventory, spec: str | None
) -> tuple[Interpreter, str]:
    """``-p SPEC``; else the env's base interpreter if it still runs the env's X.Y; else
    the newest interpreter of that X.Y that discovery finds; else VemError (exit 1)."""
    from vem.python.discovery import find_interpreter, iter_found, parse_spec
    from vem.python.probe import ProbeCache, probe_cached

    if spec is not None and spec.strip():
        return find_interpreter(spec, cache_dir=ws.dirs.cache_dir), f"-p {spec}"
    xy = inv.python_xy
    if xy is None:
        raise VemError(
            f"{path}/pyvenv.cfg records no Python version, so vem cannot tell which to use",
            hint="pass one: vem recreate -p 3.12 (or a path to an interpreter)",
        )
    want = f"{xy[0]}.{xy[1]}"
    cache = ProbeCache(ws.dirs.cache_dir)
    try:
        base = read_cfg(path).base_interpreter
        why = "its base interpreter is gone"
        if base is not None and _may_run(base, _untrusted_places(path, inv)):
            result, _ = probe_cached(base, cache)
            if result is not None and result.version[:2] == xy and result.has_venv:
                found = Interpreter(
                    result.executable_for(base), result.version, result.implementation
                )
                return found, "its base interpreter"
            why = (
                f"its base interpreter {base} now runs Python {result.version_str}"
                if result is not None
                else f"its base interpreter {base} does not run"
            )
        parsed = parse_spec(want)
        best: Interpreter | None = None
        for found_one in iter_found(parsed, cache):
            res = found_one.result
            if res is None or not parsed.matches(res.version) or not res.has_venv:
                continue
            if best is None or res.version > best.version:
                best = Interpreter(
                    res.executable_for(found_one.candidate.path), res.version, res.implementation
                )
    finally:
        cache.save()
    if best is None:
        raise VemError(
            f"no Python {want} found to recreate {path} with ({why})",
            hint=f"install Python {want}, or choose another: vem recreate -p SPEC",
        )
    return best, f"the newest Python {want} found ({why})"


def _untrusted_places(path: Path, inv: Inventory) -> list[Path]:
    """The env and the project it belongs to: what a cloned repository controls."""
    places = [path]
    for project in (path.parent if path.name == ".venv" else None, inv.project):
        if project is not None and project not in (Path.home(), Path("/")):
            places.append(project)
    return places


def _may_run(base: Path, untrusted: Sequence[Path]) -> bool:
    """Whether the base interpreter that pyvenv.cfg names may be probed: an absolute path
    to an executable program (not a script: a planted ``#!`` file or a pyenv shim) that
    lies outside the env and the project (a cloned repository can plant both)."""
    from vem.python.probe import is_script

    if not base.is_absolute() or not base.is_file() or not os.access(base, os.X_OK):
        return False
    real = Path(os.path.realpath(base))
    for place in untrusted:
        if base.is_relative_to(place) or real.is_relative_to(os.path.realpath(place)):
            return False
    return not is_script(base)


def _refuse_unavailable(plan: RecreatePlan) -> None:
    missing = plan.unavailable
    if not missing:
        return
    lines = [f"  {d.name} {d.version}: {d.problem}" for d in missing]
    count = "1 distribution" if len(missing) == 1 else f"{len(missing)} distributions"
    raise VemError(
        f"cannot recreate {plan.env.path}: {count} cannot be had (nothing was changed):\n"
        + "\n".join(lines)
    )


# --- building beside, then swapping --------------------------------------------------


def install_args(plan: RecreatePlan) -> list[str]:
    """The requirement arguments that install every planned distribution."""
    args: list[str] = []
    for dist in plan.distributions:
        args += dist.requirement
    return args


def install(env: Path, args: Sequence[str], output_fd: int | None) -> None:
    """Install exactly ``args`` (requirements, ``-e DIR``) into ``env``, no dependencies:
    the env's whole set is listed. The one place recreate installs: pip today, with the
    user's own pip settings (``PIP_INDEX_URL``, ``PIP_FIND_LINKS``, pip.conf)."""
    from vem.python.proc import run_tool

    cmd = [str(env_python(env)), "-m", "pip", "install", "--no-deps"]
    run_tool(
        [*cmd, "--disable-pip-version-check", *args], "installing the distributions", output_fd
    )


def uninstall_pip(env: Path, output_fd: int | None) -> None:
    from vem.python.proc import run_tool

    cmd = [str(env_python(env)), "-m", "pip", "uninstall", "--yes", "--quiet", "pip"]
    run_tool(cmd, "removing the pip used to install", output_fd)


def _rebuild(ws: Workspace, plan: RecreatePlan, options: RecreateOptions) -> list[str]:
    from vem.make.builder import CreateRequest, place_of

    path = plan.env.path
    progress = options.progress
    args = install_args(plan)
    request = CreateRequest(
        path=path,
        interpreter=plan.interpreter,
        prompt=plan.env.prompt,
        system_site_packages=plan.system_site_packages,
        pip=plan.pip is not None or bool(args),
        pip_link=bool(ws.settings.get("pip_link").value),
    )

    def fill(new: Path) -> None:
        _carry_over(path, new)
        if args:
            progress(Step(f"installing requirements ({len(args)} arguments)", loud=True))
            install(new, args, options.output_fd)
        if plan.pip is None and request.pip:
            progress(Step("removing pip (the env had none)"))
            uninstall_pip(new, options.output_fd)
        _verify(new, plan)

    return replace_env(
        path,
        request,
        place_of(ws),
        output_fd=options.output_fd,
        progress=progress,
        fill=fill,
    )


def _carry_over(old: Path, new: Path) -> None:
    """Copy ``.project`` and virtualenvwrapper's hooks as they are (a symlink as a symlink)."""
    for rel in CARRIED:
        src, dst = old / rel, new / rel
        if not os.path.lexists(src) or not dst.parent.is_dir():
            continue
        if src.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                dst.unlink()
            os.symlink(os.readlink(src), dst)
        elif src.is_file():
            shutil.copy2(src, dst, follow_symlinks=False)


def _verify(new: Path, plan: RecreatePlan) -> None:
    """The new env holds every planned distribution at its version (editables editable)."""
    got = read_inventory(new)
    missing: list[str] = []
    for dist in plan.distributions:
        have = got.find(dist.name)
        if have is None or (dist.version and have.version != dist.version):
            found = f"found {have.version}" if have is not None else "not installed"
            missing.append(f"{dist.name} {dist.version} ({found})")
        elif (dist.source == "editable") != (have.source == "editable"):
            missing.append(f"{dist.name} {dist.version} (not installed as before)")
    extra = [d.name for d in got.distributions if plan.pip is None and normalize(d.name) == "pip"]
    if missing or extra:
        raise VemError(
            f"the new env for {plan.env.path} came out different, so it was not used: "
            + ", ".join(missing + [f"{name} (should not be there)" for name in extra])
        )
    if not bin_dir(new).is_dir():
        raise VemError(f"the new env for {plan.env.path} has no {bin_dir(new).name} directory")


def _describe_again(ws: Workspace, env: Env) -> Env:
    try:
        loc = ws.locations.get(env.location)
    except VemError:
        return ws.describe(env.path)
    return loc.describe(ws.ctx, env.path)
