"""``vem sync``: afterwards the env exists, is healthy and holds the requirement files.

Actions: ``created`` (no env), ``rebuilt`` (broken, mismatched, incomplete, or another
Python X.Y asked with ``-p``), ``updated`` (the files, their includes, the Python
version, the installer or ``--exact`` changed since the last successful sync) and
``unchanged``. The unchanged case reads files only: no lock, no installer, no
interpreter, and light imports, since it runs on every CI job and every ``cd && go``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vem.env.model import Env
from vem.errors import EnvNotFound
from vem.make.requirements import RequirementFiles, choose_files, current_fingerprint, read_stamp
from vem.names import is_path_like
from vem.result import Progress, Result, Step, no_progress

if TYPE_CHECKING:
    from vem.make.builder import CreateRequest
    from vem.places.workspace import Workspace
    from vem.python.discovery import Interpreter

CREATED = "created"
REBUILT = "rebuilt"
UPDATED = "updated"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class SyncOptions:
    """What ``vem sync`` was asked. The location (``-l``), Python (``-p``) and installer
    (``--installer``) are settings of the Workspace."""

    name: str | None = None
    requirements: tuple[Path, ...] = ()
    exact: bool = False
    output_fd: int | None = None  # where installer output goes (None: captured)
    progress: Progress = no_progress


@dataclass
class SyncResult(Result):
    env: Env
    action: str
    requirements: RequirementFiles
    removed: list[str] = field(default_factory=list)


def sync(ws: Workspace, options: SyncOptions) -> SyncResult:
    files = choose_files(
        options.requirements,
        cwd=ws.cwd,
        project_root=ws.project_root,
        pyproject=ws.settings.pyproject(),
    )
    installer = str(ws.settings.get("installer").value)
    python = ws.settings.get("python")
    asked = str(python.value) if python.source == "command line" and python.value else None
    env = _find(ws, options.name)
    if env is not None and _in_sync(ws, env, files, installer, options.exact, asked):
        return SyncResult(env=env, action=UNCHANGED, requirements=files)

    from vem.fs.locks import path_lock
    from vem.make.requirements import read_all

    read_all(files.files, ws.environ)  # a missing or cyclic file: exit 2, nothing touched
    target = env.path if env is not None else _planned_path(ws, options.name)
    # Syncs of one env queue here; each decides again once it holds the lock.
    with path_lock(ws.dirs.lock_dir, target / ".vem-sync.lock"):
        env = _find(ws, options.name)
        if env is not None and _in_sync(ws, env, files, installer, options.exact, asked):
            return SyncResult(env=env, action=UNCHANGED, requirements=files)
        if files.files or options.exact:
            from vem.make.install import get_installer

            get_installer(installer, ws.environ)  # uv missing: fail before changing anything
        return _sync_locked(ws, options, env, files, installer, asked)


def _find(ws: Workspace, name: str | None) -> Env | None:
    try:
        return ws.find_env(name)
    except EnvNotFound:
        if name is not None and is_path_like(name):
            raise
        return None


def _in_sync(
    ws: Workspace,
    env: Env,
    files: RequirementFiles,
    installer: str,
    exact: bool,
    asked: str | None,
) -> bool:
    """Healthy, of the asked Python, and stamped with these files' fingerprint."""
    if not env.health.usable or (asked is not None and _other_python(ws, env, asked)):
        return False
    value, _ = current_fingerprint(
        env.path, files, installer=installer, exact=exact, environ=ws.environ
    )
    return read_stamp(env.path) == value


def _other_python(ws: Workspace, env: Env, asked: str) -> bool:
    """Whether ``-p`` asks for another Python X.Y than the env's; a version spec is
    compared with pyvenv.cfg's version without running anything."""
    from vem.python.discovery import find_interpreter, parse_spec

    have = _version_tuple(env.python)
    if have is None:
        return True
    spec = parse_spec(asked)
    if spec.path is not None:
        got = find_interpreter(asked, cache_dir=ws.dirs.cache_dir).version
        return got[:2] != have[:2]
    if spec.prefix is not None:
        return spec.prefix[:2] != have[: len(spec.prefix[:2])]
    return not spec.matches(have)


def _version_tuple(text: str | None) -> tuple[int, int, int] | None:
    parts = (text or "").split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts[:3]):
        return None
    nums = [int(p) for p in parts[:3]] + [0]
    return nums[0], nums[1], nums[2]


def _planned_path(ws: Workspace, name: str | None) -> Path:
    from vem.names import validate_name

    if name is not None:
        validate_name(name)
    loc, _ = ws.choose_location(name_given=name is not None)
    return loc.path_for(ws.ctx, ws.project_root, name)


def _sync_locked(
    ws: Workspace,
    options: SyncOptions,
    env: Env | None,
    files: RequirementFiles,
    installer: str,
    asked: str | None,
) -> SyncResult:
    import dataclasses

    from vem.env.layout import INCOMPLETE_MARKER, is_env
    from vem.fs.locks import path_lock
    from vem.make.builder import create_env, place_of
    from vem.make.install import apply_requirements
    from vem.ops.create import CreateOptions, plan_create

    progress = options.progress
    if env is None:
        planned = plan_create(ws, CreateOptions(name=options.name, requirements=files.files))
        request = dataclasses.replace(planned.request, exact=options.exact, install_cwd=files.cwd)
        action = REBUILT if (request.path / INCOMPLETE_MARKER).exists() else CREATED
        request = _with_pip(request, ws, files, installer)
    elif not env.health.usable or (asked is not None and _other_python(ws, env, asked)):
        action = REBUILT
        request = _rebuild_request(ws, env, asked, files, installer, options.exact)
    else:
        action = None
    warnings: list[str] = []
    if action is not None and env is not None and is_env(env.path) and not env.path.is_symlink():
        # Replace, never destroy first: a failed install leaves the old env as it was.
        from vem.make.replace import replace_env, sweep_leftovers

        with path_lock(ws.dirs.lock_dir, env.path):
            warnings += sweep_leftovers(env.path, ws.guards)
            warnings += replace_env(
                env.path,
                dataclasses.replace(request, clear=False),
                place_of(ws),
                output_fd=options.output_fd,
                progress=progress,
            )
        path = env.path
    elif action is not None:
        create_env(
            request,
            place_of(ws),
            output_fd=options.output_fd,
            progress=progress,
        )
        path = request.path
    else:
        assert env is not None
        path = env.path
    with path_lock(ws.dirs.lock_dir, path):
        if action is None:
            progress(Step("installing requirements", loud=options.output_fd is not None))
        applied = apply_requirements(
            path,
            files,
            installer=installer,
            exact=options.exact,
            environ=ws.environ,
            output_fd=options.output_fd,
        )
    new = ws.describe(path)
    if action is not None:
        ws.known.add(path, new.project, new.location)
    result = SyncResult(
        env=new,
        action=action or (UPDATED if applied.changed else UNCHANGED),
        requirements=files,
        removed=list(applied.removed),
    )
    result.warnings.extend([*warnings, *applied.warnings, *ws.drain_warnings()])
    return result


def _with_pip(
    req: CreateRequest, ws: Workspace, files: RequirementFiles, installer: str
) -> CreateRequest:
    """pip is seeded as the ``pip`` setting says, and always when pip must install."""
    import dataclasses

    pip = bool(ws.settings.get("pip").value) or (installer == "pip" and bool(files.files))
    return dataclasses.replace(req, pip=pip)


def _rebuild_request(
    ws: Workspace,
    env: Env,
    asked: str | None,
    files: RequirementFiles,
    installer: str,
    exact: bool,
) -> CreateRequest:
    """The env built again where it is, with its prompt, ``.project`` and
    system-site-packages setting, and its own Python X.Y unless ``-p`` says otherwise."""
    from vem.env.layout import read_cfg, read_project_file
    from vem.make.builder import CreateRequest

    cfg = read_cfg(env.path)
    req = CreateRequest(
        path=env.path,
        interpreter=_rebuild_interpreter(ws, env, asked),
        prompt=env.prompt,
        project=read_project_file(env.path),
        system_site_packages=cfg.system_site_packages,
        pip_link=bool(ws.settings.get("pip_link").value),
        clear=True,
        requirements=files.files,
        installer=installer,
        exact=exact,
        install_cwd=files.cwd,
    )
    return _with_pip(req, ws, files, installer)


def _rebuild_interpreter(ws: Workspace, env: Env, asked: str | None) -> Interpreter:
    """``-p``; else the env's base interpreter if it still runs the env's X.Y (never one
    the env or its project could have planted); else the newest of that X.Y discovery
    finds; else exit 1 saying so. The same choice as ``vem recreate``."""
    from vem.env.contents import read_inventory
    from vem.ops.recreate import choose_interpreter
    from vem.python.discovery import find_interpreter

    if asked is None and _version_tuple(env.python) is None:
        return find_interpreter(ws.settings.get("python").value, cache_dir=ws.dirs.cache_dir)
    interpreter, _why = choose_interpreter(ws, env.path, read_inventory(env.path), asked)
    return interpreter
