"""``vem move``: put an env in another location (project, central, a plugin's) for the same
project, or under the same NAME; its packages are moved, never reinstalled.

Within one file system the env is renamed. Its scripts (console-script shebangs, vem's
activate scripts, ``.project``) are rewritten for the new path first, as hidden files
beside the old ones; then the rename, the renames that put them in place and vem's
record happen together with Ctrl-C and SIGTERM held back, so an interrupt leaves the
env either where it was, untouched, or moved and complete. A journal file inside the
env (``.vem-moving``, naming the target) lets the next ``move`` finish or undo that
step after a hard kill.

Across file systems the env is copied (symlinks as symlinks, never followed) to a hidden
sibling of the target marked incomplete, fixed there, renamed into place, and only
then is the old env deleted through the deletion gate. A copy that was put in place but
whose original was not yet deleted carries ``.vem-moved-from``; the next ``move`` of the
original deletes that copy and starts again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from vem.env.layout import INCOMPLETE_MARKER, PROJECT_FILE, is_env, read_project_file
from vem.env.model import Env
from vem.errors import EnvExists, EnvNotFound, Interrupted, InvalidInput, Unsafe, VemError
from vem.make import relocate
from vem.places.locations import Location
from vem.places.workspace import Workspace
from vem.result import Progress, Result, Step, no_progress

JOURNAL = ".vem-moving"
MOVED_FROM = ".vem-moved-from"


@dataclass(frozen=True)
class MoveOptions:
    to: str  # a location's name
    name: str | None = None
    progress: Progress = no_progress


@dataclass
class MoveResult(Result):
    env: Env  # where it is now
    old_path: Path
    moved: bool = True  # False: it already was there
    copied: bool = False  # across file systems


def move(ws: Workspace, options: MoveOptions) -> MoveResult:
    loc = ws.locations.get(options.to)
    env = ws.find_env(options.name)
    src = env.path
    _check_movable(env)
    project = env.project
    if project is None and env.location == "project":
        project = src.parent
    dst = src if env.location == loc.name else _target(ws, loc, env, project)
    warnings: list[str] = []
    try:
        with _locks(ws.dirs.lock_dir, src, dst):
            _finish_interrupted(src, options.progress)
            if _same(src, dst):
                _drop_stale_marker(src)
                return MoveResult(env=env, old_path=src, moved=False)
            warnings += _clear_leftovers(ws, src, dst)
            if os.path.lexists(dst):
                raise EnvExists(f"{dst} is taken; nothing was changed")
            from vem.fs.swap import same_file_system

            dst.parent.mkdir(parents=True, exist_ok=True)
            copied = not same_file_system(src.parent, dst.parent)
            if copied:
                warnings += _move_by_copy(ws, env, dst, loc, project, options.progress)
            else:
                warnings += _move_by_rename(ws, env, dst, loc, project, options.progress)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; the env is still at {src}") from None
    if ws.environ.get("VIRTUAL_ENV") == str(src):
        warnings.append(f"this shell still has the env active at its old path {src}")
    new_env = loc.describe(ws.ctx, dst)
    return MoveResult(env=new_env, old_path=src, copied=copied, warnings=warnings)


@contextlib.contextmanager
def _locks(lock_dir: Path, a: Path, b: Path) -> Iterator[None]:
    """The locks of both paths, always taken in the same order (no deadlock)."""
    from vem.fs.locks import path_lock

    with contextlib.ExitStack() as stack:
        for path in sorted({str(a), str(b)}):
            stack.enter_context(path_lock(lock_dir, Path(path)))
        yield


def _same(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_movable(env: Env) -> None:
    path = env.path
    if path.is_symlink():
        raise Unsafe(
            f"{path} is a symlink to {os.path.realpath(path)}; vem moves an env, not a link to one"
        )
    if not is_env(path):
        raise EnvNotFound(f"{path} is not an environment (it has no pyvenv.cfg)")
    if (path / INCOMPLETE_MARKER).exists():
        problem = env.health.first
        fix = f"{problem.fix} builds it again" if problem is not None else None
        raise VemError(f"{path} is incomplete: its creation did not finish", hint=fix)


def _target(ws: Workspace, loc: Location, env: Env, project: Path | None) -> Path:
    """Where the env goes: for its project, else under its name."""
    if project is not None:
        if not loc.records_project and not project.is_dir():
            raise VemError(f"its project {project} is gone, so it has no project env to be")
        return loc.path_for(ws.ctx, project, None)
    try:
        return loc.path_for(ws.ctx, ws.project_root, env.name)
    except InvalidInput:
        raise InvalidInput(
            f"{env.name} belongs to no project, so it cannot be a {loc.name} env"
        ) from None


# --- recovery ------------------------------------------------------------------------


def _staged_files(env: Path) -> list[Path]:
    found: list[Path] = []
    for d in (env, env / "bin", env / "Scripts"):
        with contextlib.suppress(OSError):
            found += sorted(d.glob("*" + relocate.STAGE_SUFFIX))
    return found


def _finish_interrupted(path: Path, progress: Progress) -> None:
    """A rename move killed hard between its renames: finish it if the env got to its
    target (its journal names where it is), else undo the preparation."""
    journal = path / JOURNAL
    if not journal.is_file():
        return
    target = _read_line(journal)
    staged = _staged_files(path)
    if target == str(path):
        progress(Step(f"finishing an interrupted move to {path}"))
        for tmp in staged:
            os.replace(tmp, tmp.with_name(tmp.name[: -len(relocate.STAGE_SUFFIX)]))
    else:
        for tmp in staged:
            tmp.unlink(missing_ok=True)
    journal.unlink(missing_ok=True)


def _read_line(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _drop_stale_marker(path: Path) -> None:
    """The copy-move to ``path`` is done once its original is gone."""
    origin = _read_line(path / MOVED_FROM)
    if origin is not None and not is_env(Path(origin)):
        (path / MOVED_FROM).unlink(missing_ok=True)


def _clear_leftovers(ws: Workspace, src: Path, dst: Path) -> list[str]:
    """Delete what a killed copy-move of ``src`` left: hidden copies beside ``dst``, and
    a copy at ``dst`` itself whose original (``src``) was never deleted."""
    from vem.deletion import delete_env
    from vem.fs.swap import siblings

    warnings: list[str] = []
    leftovers = siblings(dst, "move")
    marker = dst / MOVED_FROM
    origin = _read_line(marker) if not dst.is_symlink() and marker.is_file() else None
    if origin == str(src):
        leftovers.append(dst)
    for leftover in leftovers:
        try:
            delete_env(leftover, protected=ws.guards, allow_incomplete=True)
        except (VemError, OSError) as exc:
            warnings.append(f"could not remove the leftover {leftover}: {exc}")
    return warnings


# --- moving --------------------------------------------------------------------------


def _project_rewrite(env_now: Path, loc: Location, project: Path | None) -> list[relocate.Rewrite]:
    """``.project`` as the target location wants it (written where it records projects)."""
    if not loc.records_project or project is None:
        return []
    if read_project_file(env_now) == project and not (env_now / PROJECT_FILE).is_symlink():
        return []
    return [relocate.Rewrite(PROJECT_FILE, f"{project}\n".encode(), 0o644)]


def _drop_project_file(env_now: Path, loc: Location) -> None:
    """A location that does not record projects (``project``) has no ``.project``."""
    if not loc.records_project:
        with contextlib.suppress(FileNotFoundError):
            (env_now / PROJECT_FILE).unlink()


def _record(ws: Workspace, src: Path, dst: Path, project: Path | None, loc: Location) -> None:
    ws.known.discard(src)
    ws.known.add(dst, project, loc.name)


def _move_by_rename(
    ws: Workspace,
    env: Env,
    dst: Path,
    loc: Location,
    project: Path | None,
    progress: Progress,
) -> list[str]:
    from vem.fs.atomic import atomic_write_text
    from vem.fs.swap import rename_new, signals_held

    src = env.path
    progress(Step(f"moving {src} to {dst}"))
    rewrites = _project_rewrite(src, loc, project)  # first: it finds the env
    rewrites += relocate.plan(src, old=src, new=dst, prompt=env.prompt)
    relocate.stage(src, rewrites)
    renamed = False
    try:
        atomic_write_text(src / JOURNAL, f"{dst}\n")
        with signals_held(swallow=True) as held:
            try:
                rename_new(src, dst)
            except FileExistsError:
                raise EnvExists(f"{dst} is taken; nothing was changed") from None
            renamed = True
            relocate.commit(dst, rewrites)
            _drop_project_file(dst, loc)
            (dst / JOURNAL).unlink()
            _record(ws, src, dst, project, loc)
    except BaseException:
        if renamed:  # an I/O error after the rename: put it back as it was
            _put_back(dst, src, env.prompt, rewrites)
        relocate.discard(src, rewrites)
        with contextlib.suppress(OSError):
            (src / JOURNAL).unlink()
        raise
    return ["interrupted too late to stop: the env was already moved"] if held.arrived else []


def _put_back(dst: Path, src: Path, prompt: str, rewrites: Sequence[relocate.Rewrite]) -> None:
    with contextlib.suppress(OSError):
        relocate.discard(dst, rewrites)
        os.rename(dst, src)
        relocate.relocate(src, old=dst, prompt=prompt)


def _move_by_copy(
    ws: Workspace,
    env: Env,
    dst: Path,
    loc: Location,
    project: Path | None,
    progress: Progress,
) -> list[str]:
    from vem.deletion import delete_env
    from vem.fs.swap import hidden_name, rename_new, signals_held

    src = env.path
    tmp = hidden_name(dst, "move")
    progress(Step(f"copying {src} to {dst} (another file system)"))
    placed = False
    try:
        tmp.mkdir()
        (tmp / INCOMPLETE_MARKER).write_text("vem is moving an environment here\n")
        shutil.copytree(src, tmp, symlinks=True, dirs_exist_ok=True)
        rewrites = relocate.plan(tmp, old=src, new=dst, prompt=env.prompt)
        rewrites += _project_rewrite(tmp, loc, project)
        relocate.stage(tmp, rewrites)
        relocate.commit(tmp, rewrites)
        _drop_project_file(tmp, loc)
        (tmp / JOURNAL).unlink(missing_ok=True)
        (tmp / MOVED_FROM).write_text(f"{src}\n", encoding="utf-8")
        os.unlink(tmp / INCOMPLETE_MARKER)
        with signals_held():
            try:
                rename_new(tmp, dst)
            except FileExistsError:
                raise EnvExists(f"{dst} is taken; nothing was changed") from None
            placed = True
    except BaseException:
        if not placed and os.path.lexists(tmp):
            with contextlib.suppress(VemError, OSError):
                delete_env(tmp, protected=ws.guards, allow_incomplete=True)
        raise
    progress(Step(f"deleting {src}"))
    warnings: list[str] = []
    with signals_held(swallow=True) as held:
        _record(ws, src, dst, project, loc)
        try:
            delete_env(src, protected=ws.guards)
            (dst / MOVED_FROM).unlink()
        except (VemError, OSError) as exc:
            warnings.append(f"the env is at {dst}, but its old copy was not deleted: {exc}")
    if held.arrived:
        warnings.append("interrupted too late to stop: the env was already moved")
    return warnings
