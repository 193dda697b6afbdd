"""Location strategies: where envs live.

A strategy turns (project root, name) into an env path and enumerates its envs;
it never creates or deletes. ``project`` and ``central`` are built in; more come
from the ``vem.places.locations`` entry-point group (built-ins win name clashes, and a
broken plugin is a warning, not a crash).

A plugin is a class (instantiated with no arguments) or an instance that
implements the :class:`Location` protocol; subclassing :class:`BaseLocation` needs
only ``path_for`` and ``enumerate``, and derives the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple, Protocol, runtime_checkable

from vem.env.layout import is_env, read_project_file
from vem.env.model import Env, read_env
from vem.errors import InvalidInput
from vem.places.record import KnownEnvs

ENTRY_POINT_GROUP = "vem.places.locations"
#: Names vem gives its own work dirs (trash set aside, builds): never envs to list.
VEM_OWN_PREFIX = ".vem-"


class LocationContext(NamedTuple):
    """What a strategy may know: the central home, vem's record of envs, the cwd."""

    central_home: Path
    known: KnownEnvs
    cwd: Path


@runtime_checkable
class Location(Protocol):
    name: str
    #: write ``<env>/.project`` when an env is made for a project here
    records_project: bool

    def path_for(self, ctx: LocationContext, project_root: Path, name: str | None) -> Path:
        """Where ``vem create [NAME]`` in ``project_root`` puts the env."""
        ...

    def enumerate(self, ctx: LocationContext) -> Iterable[Path]:
        """The env directories this strategy knows of (may include non-envs)."""
        ...

    def find_named(self, ctx: LocationContext, name: str) -> Path | None: ...

    def find_for_project(self, ctx: LocationContext, project_root: Path) -> Path | None: ...

    def owns(self, ctx: LocationContext, path: Path) -> bool: ...

    def describe(self, ctx: LocationContext, path: Path) -> Env: ...


class BaseLocation:
    """Defaults built from ``path_for`` and ``enumerate``."""

    name = "base"
    records_project = True

    def path_for(self, ctx: LocationContext, project_root: Path, name: str | None) -> Path:
        raise NotImplementedError

    def enumerate(self, ctx: LocationContext) -> Iterable[Path]:
        raise NotImplementedError

    def find_named(self, ctx: LocationContext, name: str) -> Path | None:
        for path in self.enumerate(ctx):
            if path.name == name and is_env(path):
                return path
        return None

    def find_for_project(self, ctx: LocationContext, project_root: Path) -> Path | None:
        path = self.path_for(ctx, project_root, None)
        return path if is_env(path) else None

    def owns(self, ctx: LocationContext, path: Path) -> bool:
        return any(_same(path, p) for p in self.enumerate(ctx))

    def describe(self, ctx: LocationContext, path: Path) -> Env:
        return read_env(path, name=path.name, location=self.name)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a == b


class ProjectLocation(BaseLocation):
    """``<project root>/.venv``, named after the project root."""

    name = "project"
    records_project = False

    def path_for(self, ctx: LocationContext, project_root: Path, name: str | None) -> Path:
        if name is not None:
            raise InvalidInput(
                "the project location holds one env per project, <project>/.venv: "
                "drop NAME, or use -l central for a named env"
            )
        return project_root / ".venv"

    def enumerate(self, ctx: LocationContext) -> Iterator[Path]:
        for entry in ctx.known.entries():
            if entry.location == self.name:
                yield entry.path

    def find_named(self, ctx: LocationContext, name: str) -> Path | None:
        """The one project env of that name that ``list`` shows (vem's record, plus the
        current project's); two or more is ambiguous (exit 2), never a silent pick."""
        from vem.places.project import find_project_root

        current = find_project_root(ctx.cwd) / ".venv"
        found: dict[str, Path] = {}
        for path in (current, *self.enumerate(ctx)):
            if path.parent.name == name and is_env(path):
                found.setdefault(os.path.realpath(path), path)
        if len(found) > 1:
            import shlex

            paths = sorted(found.values())
            listed = "\n  ".join(str(p) for p in paths)
            raise InvalidInput(
                f"{len(found)} project environments are named {name!r}:\n  {listed}",
                hint="name one by its path, e.g. vem path " + shlex.quote(str(paths[0])),
            )
        return next(iter(found.values()), None)

    def owns(self, ctx: LocationContext, path: Path) -> bool:
        return path.name == ".venv"

    def describe(self, ctx: LocationContext, path: Path) -> Env:
        return read_env(path, name=path.parent.name, location=self.name, project=path.parent)


class CentralLocation(BaseLocation):
    """``<central home>/<name>``: virtualenvwrapper's layout, with ``.project`` files."""

    name = "central"
    records_project = True

    def path_for(self, ctx: LocationContext, project_root: Path, name: str | None) -> Path:
        return ctx.central_home / (name if name is not None else project_root.name)

    def enumerate(self, ctx: LocationContext) -> Iterator[Path]:
        try:
            with os.scandir(ctx.central_home) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            # every env, also one named with a dot; only vem's own work dirs are hidden
            if not entry.name.startswith(VEM_OWN_PREFIX) and entry.is_dir():
                yield Path(entry.path)

    def find_named(self, ctx: LocationContext, name: str) -> Path | None:
        path = ctx.central_home / name
        return path if is_env(path) else None

    def find_for_project(self, ctx: LocationContext, project_root: Path) -> Path | None:
        # The env named after the project first (cheap), then any whose .project says so.
        by_name = ctx.central_home / project_root.name
        for path in (by_name, *self.enumerate(ctx)):
            if read_project_file(path) == project_root and is_env(path):
                return path
        return None

    def owns(self, ctx: LocationContext, path: Path) -> bool:
        return _same(path.parent, ctx.central_home)


BUILTINS: tuple[type[BaseLocation], ...] = (ProjectLocation, CentralLocation)


class LocationRegistry:
    """Built-in strategies, plus plugins loaded only when something needs them."""

    def __init__(self) -> None:
        self._builtins: dict[str, Location] = {cls.name: cls() for cls in BUILTINS}
        self._plugins: dict[str, Location] | None = None
        self.warnings: list[str] = []

    def _load_plugins(self) -> dict[str, Location]:
        if self._plugins is not None:
            return self._plugins
        from importlib.metadata import entry_points

        plugins: dict[str, Location] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name in self._builtins:
                self.warnings.append(
                    f"location plugin {ep.name!r} ({ep.value}) ignored: "
                    "a built-in location has that name"
                )
                continue
            try:
                obj = ep.load()
                strategy = obj() if isinstance(obj, type) else obj
            except Exception as exc:  # a plugin's bug must not break every command
                self.warnings.append(f"location plugin {ep.name!r} failed to load: {exc!r}")
                continue
            if not isinstance(strategy, Location):
                self.warnings.append(
                    f"location plugin {ep.name!r} ignored: it does not implement the "
                    "location interface (path_for, enumerate, ...)"
                )
                continue
            strategy.name = ep.name
            plugins[ep.name] = strategy
        self._plugins = plugins
        return plugins

    def names(self) -> list[str]:
        return [*self._builtins, *self._load_plugins()]

    def get(self, name: str) -> Location:
        if name in self._builtins:
            return self._builtins[name]
        plugins = self._load_plugins()
        if name in plugins:
            return plugins[name]
        raise InvalidInput(f"unknown location {name!r}; valid locations: {', '.join(self.names())}")

    def all(self) -> list[Location]:
        return [*self._builtins.values(), *self._load_plugins().values()]

    def lazily(self) -> Iterator[Location]:
        """Every strategy, built-ins first; plugins are loaded only if iteration gets there."""
        yield from self._builtins.values()
        yield from self._load_plugins().values()

    def others(self, first: Location) -> Iterator[Location]:
        """Every strategy but ``first``, lazily."""
        return (loc for loc in self.lazily() if loc is not first)
