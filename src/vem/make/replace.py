"""Replace, never destroy first: build a new env beside an existing one (a hidden
sibling on the same file system), and only when it is complete swap it into place and
delete the old one. recreate and sync's rebuild use it; an interrupt or failure at any
moment leaves the old env in place and working.

The caller holds the env's lock (vem.fs.locks.path_lock) around both functions.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from vem.env.layout import INCOMPLETE_MARKER, is_env
from vem.errors import VemError
from vem.make.builder import BuildPlace, CreateRequest, create_env
from vem.result import Progress, Step

#: The purpose in the hidden sibling's name (``.vem-recreate-<name>-<random>``).
PURPOSE = "recreate"


def sweep_leftovers(path: Path, protected: Sequence[Path]) -> list[str]:
    """Remove what earlier builds beside this env left behind when killed (the caller
    holds its lock, so none of them is running); warnings for what was left alone."""
    from vem.deletion import delete_env, finish_deletes
    from vem.fs.swap import PREFIX, restore, siblings

    restore(path)
    warnings: list[str] = []
    try:  # old envs being deleted after a swap when the kill came
        finish_deletes(path.parent, f"{PREFIX}{PURPOSE}-{path.name}-")
    except VemError as exc:
        warnings.append(exc.message)
    for leftover in siblings(path, PURPOSE):
        try:
            if is_env(leftover) or (leftover / INCOMPLETE_MARKER).is_file():
                delete_env(leftover, protected=protected, allow_incomplete=True)
            elif leftover.is_dir() and not leftover.is_symlink() and not any(leftover.iterdir()):
                leftover.rmdir()
            else:
                warnings.append(f"left {leftover} alone: it is not an environment")
        except (VemError, OSError) as exc:
            warnings.append(f"could not remove the leftover {leftover}: {exc}")
    return warnings


def replace_env(
    path: Path,
    request: CreateRequest,
    place: BuildPlace,
    *,
    output_fd: int | None,
    progress: Progress,
    fill: Callable[[Path], None] = lambda _new: None,
) -> list[str]:
    """Build ``request`` (its ``path`` is replaced by a hidden sibling of ``path``),
    then ``fill(new)`` (install, carry files over, verify: raise to give up), rewrite
    the new env's scripts for ``path``, swap it in atomically and delete the old env.
    Until the swap nothing at ``path`` changes; returns warnings."""
    from vem.deletion import delete_env
    from vem.fs.swap import exchange, hidden_name, signals_held
    from vem.make import relocate

    new = hidden_name(path, PURPOSE)
    protected = place.protected
    swapped = False
    try:
        create_env(
            dataclasses.replace(request, path=new, clear=False, exist_ok=False),
            place,
            output_fd=output_fd,
            progress=progress,
        )
        (new / INCOMPLETE_MARKER).write_text("vem is building this environment\n")
        fill(new)
        rewrites = relocate.plan(new, old=new, new=path, prompt=request.prompt)
        relocate.stage(new, rewrites)
        relocate.commit(new, rewrites)
        os.unlink(new / INCOMPLETE_MARKER)
        progress(Step(f"swapping the new env into {path}"))
        with signals_held():
            exchange(path, new)
            swapped = True
    except BaseException:
        if not swapped and os.path.lexists(new):
            with contextlib.suppress(VemError, OSError):
                delete_env(new, protected=protected, allow_incomplete=True)
        raise
    # ``new`` now holds the old env: delete it, finishing even if Ctrl-C comes meanwhile.
    progress(Step("deleting the old env"))
    warnings: list[str] = []
    with signals_held(swallow=True) as held:
        try:
            delete_env(new, protected=protected)
        except VemError as exc:
            warnings.append(f"the new env is in place, but the old one was not deleted: {exc}")
    if held.arrived:
        warnings.append("interrupted too late to stop: the env was already replaced")
    return warnings
