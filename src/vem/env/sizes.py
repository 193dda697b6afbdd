"""What envs cost on disk, hardlink-aware, in one pass and without following symlinks.

For each env: ``size`` is the bytes that removing it would free — a file counts only
when every one of its hardlinks lies inside the env (its ``st_nlink`` equals the links
seen inside) — and ``shared_size`` the bytes of its files that are hardlinked with files
outside it (vem's pip cache, uv's cache, other envs), each counted once. The total of
several envs counts every inode once.

Bytes are apparent sizes (``st_size``) of files and symlinks, as ``du -sb`` shows them
minus the directories themselves. A symlink is measured as a link, never followed, so a
symlink loop or a link to ``/`` costs nothing. A directory that cannot be read makes the
result partial (``unreadable`` names it), never an error. Envs are walked in threads:
``lstat`` releases the GIL.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

#: (st_dev, st_ino) -> [st_nlink, st_size, links seen inside the env]
_Links = dict[tuple[int, int], list[int]]


class EnvSize(NamedTuple):
    size: int
    shared_size: int
    #: directories (or files) that could not be read: the sizes are then partial
    unreadable: tuple[str, ...] = ()

    @property
    def partial(self) -> bool:
        return bool(self.unreadable)


class _Tally(NamedTuple):
    single: int  # bytes of files with one link
    links: _Links
    unreadable: list[str]


def _walk(root: Path) -> _Tally:
    single = 0
    links: _Links = {}
    unreadable: list[str] = []
    try:
        st = os.lstat(root)
    except OSError:
        return _Tally(0, links, [str(root)])
    if not stat.S_ISDIR(st.st_mode):  # a symlink to an env: removing it frees the link
        return _Tally(st.st_size, links, unreadable)
    stack = [str(root)]
    # the hot loop of `list --size`: names bound locally, the common case (one link) first
    pop, push, get = stack.pop, stack.append, links.get
    while stack:
        directory = pop()
        try:
            it = os.scandir(directory)
        except OSError:
            unreadable.append(directory)
            continue
        with it:
            for entry in it:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        push(entry.path)
                        continue
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    unreadable.append(entry.path)
                    continue
                if st.st_nlink == 1:
                    single += st.st_size
                else:
                    key = (st.st_dev, st.st_ino)
                    seen = get(key)
                    if seen is None:
                        links[key] = [st.st_nlink, st.st_size, 1]
                    else:
                        seen[2] += 1
    return _Tally(single, links, unreadable)


def _summarise(tally: _Tally) -> EnvSize:
    size, shared = tally.single, 0
    for nlink, nbytes, seen in tally.links.values():
        if seen >= nlink:
            size += nbytes
        else:
            shared += nbytes
    return EnvSize(size, shared, tuple(tally.unreadable))


class Measured(NamedTuple):
    sizes: list[EnvSize]
    #: bytes of all the envs together, every inode once
    total: int


def measure(paths: Sequence[Path], *, workers: int | None = None) -> Measured:
    """The size of each env in ``paths`` (in order) and their total."""
    if workers is None:
        # threads pay off where lstat waits on the disk; on a warm cache Python itself is
        # the cost, and on a small or busy machine threads only contend for the GIL
        workers = min(4, max(1, (os.cpu_count() or 1) // 2))
    if len(paths) <= 1 or workers <= 1:
        tallies = [_walk(p) for p in paths]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(workers, len(paths))) as pool:
            tallies = list(pool.map(_walk, paths))
    total = 0
    inodes: dict[tuple[int, int], int] = {}
    for tally in tallies:
        total += tally.single
        for key, (_nlink, nbytes, _seen) in tally.links.items():
            inodes[key] = nbytes
    total += sum(inodes.values())
    return Measured([_summarise(t) for t in tallies], total)


def partial_warning(path: Path, size: EnvSize) -> str:
    first = size.unreadable[0]
    more = f" and {len(size.unreadable) - 1} more" if len(size.unreadable) > 1 else ""
    return f"could not read {first}{more}: the size of {path} is partial"
