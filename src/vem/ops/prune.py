"""``vem prune``: remove the envs ``list`` shows that match any given criterion
(none given: orphaned, broken and incomplete), with ``remove``'s safety rules.

Statuses come from vem.env.health (the file system alone); ``--unused-for`` from
vem.env.usage. Every deletion goes through vem.deletion.delete_env with the workspace's
guards, under the env's lock: an env another vem is creating is skipped, and each env
is diagnosed again under the lock before it goes. An env the rules refuse is reported
and kept (the CLI then exits 5). Envs in other tools' stores are never pruned.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vem.env.health import STATUS_BROKEN, STATUS_INCOMPLETE, STATUS_ORPHANED
from vem.env.sizes import EnvSize
from vem.result import JSON, Result

if TYPE_CHECKING:
    from vem.env.model import Env
    from vem.places.workspace import Workspace

DAY = 86400.0


@dataclass
class Pruned:
    """One env that matched: why, what it costs, and what became of it."""

    env: Env
    reasons: list[str]
    size: EnvSize | None = None
    removed: bool = False
    #: why it was kept although it matched (the safety rules refused it, another vem
    #: was working on it, or it no longer matched when its turn came)
    kept_because: str | None = None
    refused: bool = False
    failed: bool = False

    def to_json(self) -> dict[str, JSON]:
        data: dict[str, JSON] = dict(self.env.to_json())
        data["removed"] = self.removed
        data["reasons"] = list(self.reasons)
        if self.size is not None:
            data["size"] = self.size.size
            data["shared_size"] = self.size.shared_size
        if self.kept_because is not None:
            data["kept_because"] = self.kept_because
        return data


#: Asked once, with the envs about to go and their total bytes; False keeps them all.
Confirm = Callable[[Sequence[Pruned], int], bool]


@dataclass(frozen=True)
class PruneOptions:
    orphaned: bool = False
    broken: bool = False
    incomplete: bool = False
    unused_for: int | None = None
    dry_run: bool = False
    yes: bool = False
    #: how to ask (a terminal); None and no ``yes``: refused unless ``dry_run``
    confirm: Confirm | None = None
    #: the time "now" for ``unused_for`` (tests); None: the clock
    now: float | None = None


@dataclass
class PruneResult(Result):
    envs: list[Pruned] = field(default_factory=list)
    #: bytes of the matching envs together, every inode once
    total: int = 0
    dry_run: bool = False

    @property
    def refused(self) -> list[Pruned]:
        return [p for p in self.envs if p.refused]

    @property
    def failed(self) -> list[Pruned]:
        return [p for p in self.envs if p.failed]


def _statuses(options: PruneOptions) -> set[str]:
    chosen = {
        status
        for status, on in (
            (STATUS_ORPHANED, options.orphaned),
            (STATUS_BROKEN, options.broken),
            (STATUS_INCOMPLETE, options.incomplete),
        )
        if on
    }
    if not chosen and options.unused_for is None:
        return {STATUS_ORPHANED, STATUS_BROKEN, STATUS_INCOMPLETE}
    return chosen


def _reasons(env: Env, statuses: set[str], options: PruneOptions, now: float) -> list[str]:
    reasons = [p.status for p in env.health.problems if p.status in statuses]
    reasons = sorted(set(reasons), key=reasons.index)
    if options.unused_for is not None:
        from vem.env.usage import last_used

        used = last_used(env.path, env.python)
        if used is not None and now - used >= options.unused_for * DAY:
            reasons.append(f"unused for {int((now - used) // DAY)} days")
    return reasons


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    real = Path(os.path.realpath(path))
    return any(real.is_relative_to(root) for root in roots)


def prune(ws: Workspace, options: PruneOptions) -> PruneResult:
    import time

    from vem.env.sizes import measure
    from vem.env.stores import store_roots
    from vem.errors import Unsafe

    now = time.time() if options.now is None else options.now
    statuses = _statuses(options)
    result = PruneResult(dry_run=options.dry_run)
    envs = ws.list_envs()
    projects = [e.project for e in envs if e.project is not None] + [ws.project_root]
    central = Path(os.path.realpath(ws.ctx.central_home))
    # another tool's store (pipenv's is WORKON_HOME, i.e. vem's central home: not that)
    foreign = [root for root in store_roots(ws.environ, projects) if root != central]
    for env in envs:
        if foreign and _inside(env.path, foreign):
            continue
        reasons = _reasons(env, statuses, options, now)
        if reasons:
            result.envs.append(Pruned(env, reasons))
    if not result.envs:
        return result
    measured = measure([p.env.path for p in result.envs])
    for item, size in zip(result.envs, measured.sizes, strict=True):
        item.size = size
    result.total = measured.total
    if options.dry_run:
        return result
    if not options.yes:
        n = len(result.envs)
        if options.confirm is None:
            raise Unsafe(
                f"not removing {n} environment{'s' if n != 1 else ''} without --yes "
                "(no terminal to ask on)",
                hint="--dry-run lists them, --yes removes them",
            )
        if not options.confirm(result.envs, result.total):
            raise Unsafe("nothing was removed")
    for item in result.envs:
        _remove_one(ws, item, statuses, options, now)
    return result


def _remove_one(
    ws: Workspace, item: Pruned, statuses: set[str], options: PruneOptions, now: float
) -> None:
    """Delete one env under its lock (the one ``create`` holds), if it still matches."""
    from vem.errors import VemError
    from vem.fs.locks import path_lock

    path = item.env.path
    done = False
    try:
        with path_lock(ws.dirs.lock_dir, path, timeout=0):
            done = True
            _delete_locked(ws, item, statuses, options, now)
    except VemError as exc:
        if done:  # pragma: no cover - _delete_locked reports its own errors
            raise
        item.kept_because = f"another vem process is working on it ({exc.message})"
        item.refused = True


def _delete_locked(
    ws: Workspace, item: Pruned, statuses: set[str], options: PruneOptions, now: float
) -> None:
    from vem.deletion import delete_env
    from vem.env.layout import INCOMPLETE_MARKER
    from vem.errors import Unsafe, VemError
    from vem.ops.bookkeeping import forget_deleted

    path = item.env.path
    if not os.path.lexists(path):
        item.kept_because = "it is gone already"
        return
    fresh = ws.describe(path)
    if not _reasons(fresh, statuses, options, now):
        item.kept_because = f"it is {fresh.status} now"
        return
    incomplete = not path.is_symlink() and (path / INCOMPLETE_MARKER).is_file()
    try:
        delete_env(path, protected=ws.guards, allow_incomplete=incomplete)
    except Unsafe as exc:
        item.kept_because = exc.message
        item.refused = True
        return
    except VemError as exc:
        item.kept_because = exc.message
        item.failed = True
        return
    item.removed = True
    forget_deleted(ws, item.env)
