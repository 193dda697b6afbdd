"""The core's entry object: settings, locations and vem's own files for one invocation,
and finding envs the way the contract says. Paths are passed in, never global."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vem.env.layout import INCOMPLETE_MARKER, is_env
from vem.env.model import Env, env_name, read_env
from vem.errors import EnvNotFound, VemError
from vem.names import is_path_like, validate_name
from vem.places.locations import Location, LocationContext, LocationRegistry
from vem.places.project import find_project_root
from vem.places.record import KnownEnvs
from vem.places.settings import Flags, Settings, UserConfig, Value

if TYPE_CHECKING:
    from vem.env.pointer import Pointer


class AppDirs(NamedTuple):
    """Where vem keeps its own files."""

    config_file: Path
    data_dir: Path
    cache_dir: Path

    @property
    def lock_dir(self) -> Path:
        return self.cache_dir / "locks"

    @classmethod
    def from_platform(cls) -> AppDirs:
        """platformdirs' user dirs for "vem". On Linux, in a plain environment, they are
        worked out here as platformdirs does: importing platformdirs costs ~8 ms, a tenth
        of `vem path`. tests/test_appdirs.py checks they agree."""
        if sys.platform.startswith("linux") and _plain_xdg_environment():
            return cls(
                config_file=_xdg("XDG_CONFIG_HOME", "~/.config") / "vem" / "config.toml",
                data_dir=_xdg("XDG_DATA_HOME", "~/.local/share") / "vem",
                cache_dir=_xdg("XDG_CACHE_HOME", "~/.cache") / "vem",
            )
        import platformdirs

        return cls(
            config_file=Path(platformdirs.user_config_dir("vem")) / "config.toml",
            data_dir=Path(platformdirs.user_data_dir("vem")),
            cache_dir=Path(platformdirs.user_cache_dir("vem")),
        )


_XDG_VARS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")


def _plain_xdg_environment() -> bool:
    """An absolute HOME and XDG variables that are absolute or unset/empty: where every
    platformdirs version agrees. Anything odder (a relative HOME, say) is left to it."""
    home = os.environ.get("HOME", "")
    return os.path.isabs(home) and all(
        os.path.isabs(os.environ.get(var) or "/") for var in _XDG_VARS
    )


def _xdg(var: str, default: str) -> Path:
    value = os.environ.get(var, "")
    return Path(value) if value else Path(os.path.expanduser(default))


def expand_path(text: str, cwd: Path) -> Path:
    """``~`` expanded and made absolute against ``cwd``; symlinks are kept."""
    path = Path(os.path.expanduser(text))
    return Path(os.path.normpath(cwd / path))


class Found(NamedTuple):
    """An env found for a command, and how: ``pointer`` is the ``.venv`` pointer file
    it was reached through (never trusted for --auto; remove and sync follow it only to
    an env that claims the project)."""

    env: Env
    pointer: Path | None = None


class Workspace:
    def __init__(
        self,
        *,
        cwd: Path,
        dirs: AppDirs,
        environ: Mapping[str, str],
        flags: Flags | None = None,
        project_dir: Path | None = None,
    ) -> None:
        self.cwd = cwd
        self.dirs = dirs
        self.environ = environ
        self.project_root = find_project_root(project_dir or cwd)
        self.config = UserConfig(dirs.config_file, dirs.lock_dir)
        self.settings = Settings(
            flags=flags or Flags(),
            environ=environ,
            config=self.config,
            project_root=self.project_root,
        )
        self.locations = LocationRegistry()
        self.known = KnownEnvs(dirs.data_dir, dirs.lock_dir)

    @cached_property
    def ctx(self) -> LocationContext:
        return LocationContext(self.settings.central_home(), self.known, self.cwd)

    @property
    def guards(self) -> list[Path]:
        """Paths no delete may remove or hold (the deletion gate adds ``/`` and $HOME):
        the central home, the project root and the current directory."""
        return [self.ctx.central_home, self.project_root, self.cwd]

    def drain_warnings(self) -> list[str]:
        """Warnings gathered while working (e.g. a plugin that failed to load)."""
        warnings = list(self.locations.warnings)
        self.locations.warnings.clear()
        return warnings

    def remember(self, env: Env) -> list[str]:
        """Add ``env`` to vem's record (list shows it; --auto trusts it). A failure to
        write the record is a warning, never a failure of the job that was done."""
        try:
            self.known.add(env.path, env.project, env.location)
        except (OSError, VemError) as exc:
            return [f"could not record {env.path} in {self.known.file}: {_reason(exc)}"]
        return []

    def forget(self, path: Path) -> list[str]:
        """Drop ``path`` from vem's record; a failure is a warning."""
        try:
            self.known.discard(path)
        except (OSError, VemError) as exc:
            return [f"could not update {self.known.file}: {_reason(exc)}"]
        return []

    def location_given(self) -> bool:
        return self.settings.get("location").source == "command line"

    def choose_location(self, name_given: bool) -> tuple[Location, Value]:
        """The contract's choice: a flag wins; a NAME without a flag means central."""
        chosen = self.settings.get("location")
        if name_given and chosen.source != "command line":
            chosen = Value("central", "NAME given")
        return self.locations.get(chosen.value), chosen

    def describe(self, path: Path) -> Env:
        """An env found by path: described by the strategy that owns it, if any."""
        for loc in self.locations.lazily():
            if loc.owns(self.ctx, path):
                return loc.describe(self.ctx, path)
        return read_env(path, name=env_name(path), location="path")

    def find_env(self, name: str | None) -> Env:
        """The env an optional NAME means (see :meth:`find`)."""
        return self.find(name).env

    def find(self, name: str | None) -> Found:
        """Resolve an optional NAME to an existing env, or raise EnvNotFound (exit 3)."""
        if name is not None and is_path_like(name):
            path = expand_path(name, self.cwd)
            if not is_env(path):
                raise EnvNotFound(f"{path} is not an environment (it has no pyvenv.cfg)")
            return Found(self.describe(path))
        if name is not None:
            return Found(self._find_named(validate_name(name)))
        first, _ = self.choose_location(name_given=False)
        pointer = self._pointer()
        if pointer is not None and pointer.target is not None:
            return Found(self.describe(pointer.target), pointer.file)
        for loc in itertools.chain([first], self.locations.others(first)):
            found = loc.find_for_project(self.ctx, self.project_root)
            if found is not None:
                return Found(loc.describe(self.ctx, found))
        if pointer is not None:  # a .venv file that leads nowhere: say why
            raise EnvNotFound(
                pointer.problem,
                hint=f"write the env's path, or a central env's name, into {pointer.file}",
            )
        active = self.active_env()
        if active is not None:
            return Found(active)
        raise EnvNotFound(
            f"no environment for the project at {self.project_root}", hint="vem create"
        )

    def _find_named(self, name: str) -> Env:
        """A named env of the chosen location (central unless -l says otherwise); with no
        -l, else the one project env of that name that `list` shows (two: exit 2)."""
        loc, _ = self.choose_location(name_given=True)
        if loc.name != "project":
            found = loc.find_named(self.ctx, name)
            if found is not None:
                return loc.describe(self.ctx, found)
            if self.location_given():
                raise EnvNotFound(
                    f"no environment named {name!r} in the {loc.name} location",
                    hint=f"vem create {name} -l {loc.name}",
                )
        project = self.locations.get("project")
        found = project.find_named(self.ctx, name)  # two of that name: exit 2
        if found is not None:
            return project.describe(self.ctx, found)
        if self.location_given():
            raise EnvNotFound(
                f"no project environment named {name!r}", hint="vem list -l project shows them"
            )
        raise EnvNotFound(f"no environment named {name!r}", hint=f"vem create {name}")

    def active_env(self) -> Env | None:
        """The env named by $VIRTUAL_ENV, if it is one."""
        active = self.environ.get("VIRTUAL_ENV")
        if not active or not os.path.isabs(active) or not is_env(Path(active)):
            return None
        return self.describe(Path(active))

    def _pointer(self) -> Pointer | None:
        """The project root's ``.venv`` file, read as a pointer (see vem.env.pointer)."""
        if not os.path.isfile(self.project_root / ".venv"):
            return None
        from vem.env.pointer import read_pointer

        home = Path(self.environ.get("HOME") or os.path.expanduser("~"))
        return read_pointer(self.project_root, central_home=self.ctx.central_home, home=home)

    def find_usable(self, name: str | None) -> Found:
        """Like :meth:`find`, for commands that use the env (path, run, activate): an
        env that is incomplete, broken or mismatched is not offered (exit 3)."""
        found = self.find(name)
        problem = found.env.health.first
        if problem is not None and not found.env.health.usable:
            raise EnvNotFound(
                f"the environment at {found.env.path} is {problem.status}: {problem.message}",
                hint=f"{problem.fix} fixes it",
            )
        return found

    def list_envs(self, location: str | None = None) -> list[Env]:
        """Every env vem can see (or those of one location), plus the current project's."""
        locs = [self.locations.get(location)] if location else self.locations.all()
        seen: set[str] = set()
        envs: list[Env] = []

        def add(env: Env) -> None:
            key = os.path.realpath(env.path)
            if key not in seen:
                seen.add(key)
                envs.append(env)

        found = [
            (loc, path)
            for loc in locs
            for path in loc.enumerate(self.ctx)
            if is_env(path) or (path / INCOMPLETE_MARKER).exists()
        ]
        # A symlink alias never hides the env it points to: real dirs are seen first.
        real_first = sorted(found, key=lambda item: item[1].is_symlink())
        chosen = set()
        for loc, path in real_first:
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                chosen.add((loc.name, path))
        for loc, path in found:
            if (loc.name, path) in chosen:
                envs.append(loc.describe(self.ctx, path))
        try:
            current = self.find_env(None)
        except EnvNotFound:
            current = None
        if current is not None and (location is None or current.location == location):
            add(current)
        return envs


def _reason(exc: Exception) -> str:
    if isinstance(exc, VemError):
        return exc.message
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
