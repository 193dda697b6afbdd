"""Building envs: stdlib venv in-process for the running Python, ``<python> -m venv``
for another; under a lock, with a marker that is removed only when all is done."""

from __future__ import annotations

import contextlib
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vem.deletion import delete_env
from vem.env.layout import INCOMPLETE_MARKER, PROJECT_FILE, PyvenvCfg, is_env, read_cfg
from vem.errors import EnvExists, Interrupted, InvalidInput, Unsafe, VemError
from vem.fs.locks import path_lock
from vem.python.discovery import Interpreter
from vem.result import Progress, Step, no_progress

if TYPE_CHECKING:
    from vem.make.seed import Seeded
    from vem.places.workspace import Workspace


@dataclass(frozen=True)
class CreateRequest:
    path: Path
    interpreter: Interpreter
    prompt: str
    project: Path | None = None  # written to <env>/.project when given
    system_site_packages: bool = False
    pip: bool = True
    pip_link: bool = True
    upgrade_pip: bool = False
    clear: bool = False
    exist_ok: bool = False
    requirements: Sequence[Path] = field(default_factory=tuple)
    venv_file: bool = False  # also write <project>/.venv naming the env (if none exists)
    installer: str = "pip"  # what installs the requirements (vem.make.install)
    exact: bool = False  # also uninstall what the requirements do not need
    install_cwd: Path | None = None  # where the installer runs (None: the current dir)
    python_asked: bool = False  # -p given: an existing env of another X.Y is not ok


class BuildPlace(NamedTuple):
    """Where a build takes its lock and its pip cache, and what it may never delete."""

    lock_dir: Path
    cache_dir: Path
    protected: Sequence[Path]


def place_of(ws: Workspace) -> BuildPlace:
    return BuildPlace(ws.dirs.lock_dir, ws.dirs.cache_dir, ws.guards)


def create_env(
    req: CreateRequest,
    place: BuildPlace,
    *,
    output_fd: int | None = None,
    progress: Progress = no_progress,
) -> Built | None:
    """Make the env; what was built, or None if ``exist_ok`` found a healthy one.

    ``output_fd`` receives the output of pip runs (None: discarded); ``progress`` is
    told each step as it starts (it may show a spinner; it must not print). On any failure
    or Ctrl-C, what was built is deleted, and a marker makes a leftover (after a
    hard kill) ``incomplete`` and rebuilt by the next create.
    """
    uses_pip = bool(req.requirements) and req.installer == "pip"
    if (uses_pip or req.upgrade_pip) and not req.pip:
        needs = "-r/--requirement" if req.requirements else "--upgrade-pip"
        raise InvalidInput(f"{needs} needs pip in the env; drop --no-pip")
    if req.requirements:
        from vem.make.install import get_installer

        get_installer(req.installer)  # uv missing: fail before building anything
    path = req.path
    lock_dir, cache_dir, protected = place
    try:
        with path_lock(lock_dir, path):
            if not _prepare_target(req, protected):
                if req.requirements:
                    _install(req, output_fd, force=False)
                return None
            try:
                built = _build(req, cache_dir, output_fd, progress)
            except BaseException:
                with contextlib.suppress(VemError, OSError):
                    delete_env(path, protected=protected, allow_incomplete=True)
                raise
            if req.venv_file and req.project is not None:
                from vem.env.pointer import write_pointer

                write_pointer(req.project, path)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; nothing was left at {path}") from None
    return built


def _prepare_target(req: CreateRequest, protected: Sequence[Path]) -> bool:
    """Make room for the env; False when an existing healthy env should be kept."""
    path = req.path
    if path.is_symlink():
        import shlex

        raise Unsafe(
            f"{path} is a symlink; vem will not build through it",
            hint=f"rm {shlex.quote(str(path))} removes the link (not what it points to)",
        )
    if not os.path.lexists(path):
        return True
    if not path.is_dir():
        raise Unsafe(f"{path} exists and is not a directory; nothing was changed")
    if (path / INCOMPLETE_MARKER).is_file():
        # A create that was killed hard: ours to clear (we hold the lock).
        delete_env(path, protected=protected, allow_incomplete=True)
        return True
    if is_env(path):
        if req.clear:
            delete_env(path, protected=protected)
            return True
        from vem.env.health import diagnose

        cfg = read_cfg(path)
        health = diagnose(path, cfg, name=path.name, location="", project=None)
        if req.exist_ok and health.first is None:
            check_as_asked(req, cfg)
            return False
        if req.exist_ok and health.first is not None:
            problem = health.first
            raise EnvExists(
                f"{path} exists but is {problem.status}: {problem.message}",
                hint=f"{problem.fix} fixes it",
            )
        raise EnvExists(
            f"environment {path} already exists",
            hint="--exist-ok keeps it, --clear rebuilds it",
        )
    if any(path.iterdir()):
        raise Unsafe(f"{path} exists and is not an environment; nothing was changed")
    from vem.fs.mounts import is_mount_point

    if not is_mount_point(str(path)):  # a volume mounted there (Docker) is built into
        path.rmdir()
    return True


class Built(NamedTuple):
    """What a build did: pip as seeded (None: no pip)."""

    pip: Seeded | None


def _build(req: CreateRequest, cache_dir: Path, output_fd: int | None, progress: Progress) -> Built:
    path = req.path
    progress(Step(f"creating {path} with Python {req.interpreter.version_str}"))
    from vem.fs.mounts import is_mount_point

    path.mkdir(parents=True, exist_ok=path.is_dir() and is_mount_point(str(path)))
    (path / INCOMPLETE_MARKER).write_text("vem is creating this environment\n")
    if req.interpreter.is_running:
        _venv_in_process(req)
    else:
        _venv_subprocess(req)
    if req.project is not None:
        (path / PROJECT_FILE).write_bytes(os.fsencode(req.project) + b"\n")

    from vem.shells import write_activate_scripts

    write_activate_scripts(path, req.prompt)
    seeded = None
    if req.pip:
        from vem.make.seed import seed_pip

        progress(Step("seeding pip"))
        seeded = seed_pip(path, req.interpreter, cache_dir=cache_dir, link=req.pip_link)
        if req.upgrade_pip:
            from vem.make.seed import upgrade_pip

            progress(Step("upgrading pip from the package index"))
            upgrade_pip(path)
    if req.requirements:
        progress(Step("installing requirements", loud=output_fd is not None))
        _install(req, output_fd, force=True)
    os.unlink(path / INCOMPLETE_MARKER)
    return Built(seeded)


def _install(req: CreateRequest, output_fd: int | None, *, force: bool) -> None:
    """The requirements, as ``vem sync`` installs them (and records them, so a sync of
    the same files afterwards has nothing to do)."""
    from vem.make.install import apply_requirements
    from vem.make.requirements import RequirementFiles

    cwd = req.install_cwd or Path.cwd()
    files = tuple(Path(os.path.normpath(cwd / f)) for f in req.requirements)
    apply_requirements(
        req.path,
        RequirementFiles(files, "command line", cwd),
        installer=req.installer,
        exact=req.exact,
        output_fd=output_fd,
        force=force,
    )


def _venv_in_process(req: CreateRequest) -> None:
    import venv

    class Builder(venv.EnvBuilder):
        def setup_scripts(self, context: object) -> None:
            pass  # vem writes its own, safe activate scripts

    Builder(
        symlinks=os.name != "nt",
        with_pip=False,
        prompt=req.prompt,
        system_site_packages=req.system_site_packages,
    ).create(str(req.path))


def _venv_subprocess(req: CreateRequest) -> None:
    args = [str(req.interpreter.path), "-m", "venv", "--without-pip", "--prompt", req.prompt]
    if req.system_site_packages:
        args.append("--system-site-packages")
    from vem.python.proc import run_tool

    run_tool([*args, str(req.path)], f"creating the env with {req.interpreter.path}", None)


# --- create --exist-ok: the existing env must be what was asked --------------------


def check_as_asked(req: CreateRequest, cfg: PyvenvCfg) -> None:
    """Raise EnvExists when the env at ``req.path`` (pyvenv.cfg ``cfg``) is not what
    ``req`` asks for."""
    have = cfg.version or "unknown"
    want = req.interpreter.version
    xy = f"{want[0]}.{want[1]}"
    if req.python_asked and ".".join(have.split(".")[:2]) != xy:
        raise EnvExists(
            f"{req.path} exists with Python {have}, not the Python {xy} asked for "
            f"({req.interpreter.path} is {req.interpreter.version_str})",
            hint=_rebuild_hint(req, f"-p {xy}"),
        )
    if req.system_site_packages and not cfg.system_site_packages:
        raise EnvExists(
            f"{req.path} exists without access to the system site-packages, "
            "which --system-site-packages asks for",
            hint=_rebuild_hint(req, "--system-site-packages"),
        )


def _rebuild_hint(req: CreateRequest, flags: str) -> str:
    """Commands that, typed anywhere, rebuild this very env with ``flags``."""
    recreate = f"vem recreate {shlex.quote(str(req.path))} {flags} keeps its packages"
    clear = _create_clear(req)
    if clear is None:
        return recreate
    return f"{clear} --clear {flags} rebuilds it empty; {recreate}"


def _create_clear(req: CreateRequest) -> str | None:
    """The ``vem create`` words that reach ``req.path`` again, or None."""
    path = req.path
    if path.name == ".venv":
        return f"vem create -l project --project {shlex.quote(str(path.parent))}"
    if req.project is not None and path.name == req.project.name:
        return f"vem create -l central --project {shlex.quote(str(req.project))}"
    if req.project is None:
        return f"vem create {shlex.quote(path.name)} -l central"
    return None
