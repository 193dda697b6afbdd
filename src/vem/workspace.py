"""The core's entry object: settings, locations and vem's own files for one invocation,
and finding envs the way the contract says. Paths are passed in, never global."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from vem.env import INCOMPLETE_MARKER, Env, is_env, read_env
from vem.errors import EnvNotFound
from vem.known import KnownEnvs
from vem.locations import Location, LocationContext, LocationRegistry
from vem.names import is_path_like, validate_name
from vem.project import find_project_root
from vem.settings import Settings, UserConfig, Value


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


class Workspace:
    def __init__(
        self,
        *,
        cwd: Path,
        dirs: AppDirs,
        environ: Mapping[str, str],
        flags: Mapping[str, Any] | None = None,
        project_dir: Path | None = None,
    ) -> None:
        self.cwd = cwd
        self.dirs = dirs
        self.environ = environ
        self.project_root = find_project_root(project_dir or cwd)
        self.config = UserConfig(dirs.config_file, dirs.lock_dir)
        self.settings = Settings(
            flags=flags or {}, environ=environ, config=self.config, project_root=self.project_root
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

    def choose_location(self, name_given: bool) -> tuple[Location, Value]:
        """The contract's choice: a flag wins; a NAME without a flag means central."""
        chosen = self.settings.get("location")
        if name_given and chosen.source != "command line":
            chosen = Value("central", "a NAME was given")
        return self.locations.get(chosen.value), chosen

    def describe(self, path: Path) -> Env:
        """An env found by path: described by the strategy that owns it, if any."""
        for loc in self.locations.lazily():
            if loc.owns(self.ctx, path):
                return loc.describe(self.ctx, path)
        name = path.parent.name if path.name == ".venv" else path.name
        return read_env(path, name=name, location="path")

    def find_env(self, name: str | None) -> Env:
        """Resolve an optional NAME to an existing env, or raise EnvNotFound (exit 3)."""
        if name is not None and is_path_like(name):
            path = expand_path(name, self.cwd)
            if not is_env(path):
                raise EnvNotFound(f"{path} is not an environment (it has no pyvenv.cfg)")
            return self.describe(path)
        if name is not None:
            validate_name(name)
            loc, chosen = self.choose_location(name_given=True)
            found = loc.find_named(self.ctx, name)
            if found is None and chosen.source != "command line" and loc.name != "project":
                # the contract: else the one project env `list` shows with that name
                project = self.locations.get("project")
                found = project.find_named(self.ctx, name)
                loc = project if found is not None else loc
            if found is None:
                raise EnvNotFound(
                    f"no environment named {name!r} in the {loc.name} location",
                    hint=f"vem create {name}",
                )
            return loc.describe(self.ctx, found)
        first, _ = self.choose_location(name_given=False)
        for loc in itertools.chain([first], self.locations.others(first)):
            found = loc.find_for_project(self.ctx, self.project_root)
            if found is not None:
                return loc.describe(self.ctx, found)
        raise EnvNotFound(
            f"no environment for the project at {self.project_root}", hint="vem create"
        )

    def find_usable_env(self, name: str | None) -> Env:
        """Like :meth:`find_env`, for commands that use the env (path, run, activate):
        an env whose creation did not finish is not offered (exit 3)."""
        env = self.find_env(name)
        problem = env.health.first
        if problem is not None and not env.health.usable:
            raise EnvNotFound(
                f"the environment at {env.path} is {problem.status}: {problem.message}",
                hint=f"{problem.fix} fixes it",
            )
        return env

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
