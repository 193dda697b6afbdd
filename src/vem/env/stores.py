"""Other tools' env stores, found the way each tool finds them. Read-only.

Each tool's default store comes from its own config file, environment variables and
XDG dirs, as the tool itself computes it (checked against the tools' sources):

- poetry: ``POETRY_VIRTUALENVS_PATH``, else ``virtualenvs.path`` in
  ``$POETRY_CONFIG_DIR|<user config>/pypoetry/config.toml``, else
  ``{cache-dir}/virtualenvs`` where cache-dir is ``POETRY_CACHE_DIR``, the config's
  ``cache-dir`` or ``<user cache>/pypoetry``;
- pipenv: ``WORKON_HOME``, else ``$XDG_DATA_HOME/virtualenvs`` (``~/.local/share``);
- pdm: ``venv.location`` in ``$PDM_CONFIG_FILE|<user config>/pdm/config.toml``, else
  ``<user data>/pdm/venvs``;
- hatch: ``dirs.env.virtual`` (absolute) in ``$HATCH_CONFIG|<user config>/hatch/
  config.toml``, else ``<data>/env/virtual`` where data is ``HATCH_DATA_DIR``, the
  config's ``dirs.data`` or ``<user data>/hatch``; envs sit at
  ``<project>/<id>/<env>`` below it;
- pipx: ``$PIPX_HOME/venvs``, else ``<user data>/pipx/venvs`` and the old
  ``~/.local/pipx/venvs``;
- uv: ``UV_TOOL_DIR``, else ``$XDG_DATA_HOME/uv/tools``;
- pyenv-virtualenv: ``$PYENV_ROOT/versions/*/envs/*`` (``~/.pyenv`` when unset);
- tox, nox: ``<project>/.tox/*`` and ``<project>/.nox/*`` of the projects vem knows.

Nothing here writes, and nothing runs a tool: a store is a directory and a pattern.
Symlinks inside a store are never followed; a store that resolves to ``/``, the home
directory or one of its ancestors is skipped with a warning.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from vem.env.layout import is_env

TOOLS = ("poetry", "pipenv", "pdm", "hatch", "pipx", "uv", "pyenv-virtualenv", "tox", "nox")

#: A pattern level: ``None`` matches any directory, a string only that name.
Level = str | None


class Store(NamedTuple):
    """A directory of one tool's envs; they sit ``levels`` below ``root``."""

    tool: str
    root: Path
    levels: tuple[Level, ...] = (None,)


class ForeignEnv(NamedTuple):
    tool: str
    path: Path
    name: str


class Dirs(NamedTuple):
    """The user's base dirs as platformdirs gives them (XDG on Linux)."""

    home: Path
    config: Path
    data: Path
    cache: Path

    @classmethod
    def of(cls, environ: Mapping[str, str]) -> Dirs:
        home = Path(environ.get("HOME") or os.path.expanduser("~"))
        if sys.platform.startswith("linux"):
            return cls(
                home,
                _env_dir(environ, "XDG_CONFIG_HOME", home / ".config"),
                _env_dir(environ, "XDG_DATA_HOME", home / ".local" / "share"),
                _env_dir(environ, "XDG_CACHE_HOME", home / ".cache"),
            )
        import platformdirs  # pragma: no cover - not Linux

        return cls(
            home,
            Path(platformdirs.user_config_dir()),
            Path(platformdirs.user_data_dir()),
            Path(platformdirs.user_cache_dir()),
        )


def _env_dir(environ: Mapping[str, str], var: str, default: Path) -> Path:
    value = environ.get(var, "").strip()
    return Path(os.path.expanduser(value)) if value else default


def _env_path(environ: Mapping[str, str], var: str) -> Path | None:
    value = environ.get(var, "").strip()
    return Path(os.path.expanduser(os.path.expandvars(value))) if value else None


def _read_toml(path: Path, tool: str, warnings: list[str]) -> dict[str, Any]:
    """A tool's config file; missing is {}; unreadable or corrupt is {} and a warning."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        warnings.append(f"cannot read {tool}'s config {path}: {exc.strerror}; using its defaults")
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        parsed: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        warnings.append(f"{tool}'s config {path} is not valid TOML ({exc}); using its defaults")
        return {}
    return parsed


def _get(data: Mapping[str, Any], *keys: str) -> str | None:
    """A string at ``data[k1][k2]...`` (dotted TOML keys parse to the same tables)."""
    value: Any = data
    for key in keys:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, str) and value.strip() else None


def _expand(text: str) -> Path:
    return Path(os.path.expanduser(os.path.expandvars(text.strip())))


def poetry_stores(environ: Mapping[str, str], dirs: Dirs, warnings: list[str]) -> list[Store]:
    config_dir = _env_path(environ, "POETRY_CONFIG_DIR") or dirs.config / "pypoetry"
    cfg = _read_toml(config_dir / "config.toml", "poetry", warnings)
    cache_dir = str(
        _env_path(environ, "POETRY_CACHE_DIR") or _get(cfg, "cache-dir") or dirs.cache / "pypoetry"
    )
    raw = (
        environ.get("POETRY_VIRTUALENVS_PATH", "").strip()
        or _get(cfg, "virtualenvs", "path")
        or os.path.join("{cache-dir}", "virtualenvs")
    )
    return [Store("poetry", _expand(raw.replace("{cache-dir}", cache_dir)))]


def pipenv_stores(environ: Mapping[str, str], dirs: Dirs, warnings: list[str]) -> list[Store]:
    root = _env_path(environ, "WORKON_HOME") or dirs.data / "virtualenvs"
    return [Store("pipenv", root)]


def pdm_stores(environ: Mapping[str, str], dirs: Dirs, warnings: list[str]) -> list[Store]:
    config = _env_path(environ, "PDM_CONFIG_FILE") or dirs.config / "pdm" / "config.toml"
    cfg = _read_toml(config, "pdm", warnings)
    location = _get(cfg, "venv", "location")
    return [Store("pdm", _expand(location) if location else dirs.data / "pdm" / "venvs")]


def hatch_stores(environ: Mapping[str, str], dirs: Dirs, warnings: list[str]) -> list[Store]:
    config = _env_path(environ, "HATCH_CONFIG") or dirs.config / "hatch" / "config.toml"
    cfg = _read_toml(config, "hatch", warnings)
    data_raw = _get(cfg, "dirs", "data")
    data = (
        _env_path(environ, "HATCH_DATA_DIR")
        or (_expand(data_raw) if data_raw else None)
        or dirs.data / "hatch"
    )
    virtual_raw = _get(cfg, "dirs", "env", "virtual")
    virtual = _expand(virtual_raw) if virtual_raw else None
    if virtual is None or not virtual.is_absolute():  # relative: inside each project
        virtual = data / "env" / "virtual"
    if virtual == dirs.home / ".virtualenvs":  # hatch's flat layout there
        return [Store("hatch", virtual)]
    return [Store("hatch", virtual, (None, None, None))]


def pipx_stores(environ: Mapping[str, str], dirs: Dirs, warnings: list[str]) -> list[Store]:
    home = _env_path(environ, "PIPX_HOME")
    if home is not None:
        return [Store("pipx", home / "venvs")]
    return [
        Store("pipx", dirs.data / "pipx" / "venvs"),
        Store("pipx", dirs.home / ".local" / "pipx" / "venvs"),
    ]


def uv_stores(environ: Mapping[str, str], dirs: Dirs, warnings: list[str]) -> list[Store]:
    return [Store("uv", _env_path(environ, "UV_TOOL_DIR") or dirs.data / "uv" / "tools")]


def pyenv_stores(environ: Mapping[str, str], dirs: Dirs, warnings: list[str]) -> list[Store]:
    root = _env_path(environ, "PYENV_ROOT") or dirs.home / ".pyenv"
    return [Store("pyenv-virtualenv", root / "versions", (None, "envs", None))]


FINDERS = (
    poetry_stores,
    pipenv_stores,
    pdm_stores,
    hatch_stores,
    pipx_stores,
    uv_stores,
    pyenv_stores,
)


def stores(
    environ: Mapping[str, str], projects: Iterable[Path], warnings: list[str]
) -> list[Store]:
    """Every store of every tool, for this user and these project roots."""
    dirs = Dirs.of(environ)
    found: list[Store] = []
    for finder in FINDERS:
        found += finder(environ, dirs, warnings)
    for project in sorted(set(projects)):
        found.append(Store("tox", project / ".tox"))
        found.append(Store("nox", project / ".nox"))
    return found


def _is_unsafe_root(real: Path, home: Path) -> bool:
    """``/``, the home directory or one of its ancestors: no tool's store is that."""
    try:
        home_real = Path(os.path.realpath(home))
    except OSError:
        home_real = home
    return real == Path(real.anchor) or home_real.is_relative_to(real)


def _children(directory: str, name: Level) -> Iterator[str]:
    """Subdirectories (never through a symlink) of ``directory``, sorted by name."""
    if name is not None:
        candidate = os.path.join(directory, name)
        if os.path.isdir(candidate) and not os.path.islink(candidate):
            yield candidate
        return
    try:
        with os.scandir(directory) as it:
            entries = sorted(
                (e for e in it if not e.name.startswith(".") and _is_real_dir(e)),
                key=lambda e: e.name,
            )
    except OSError:
        return
    for entry in entries:
        yield entry.path


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def envs_in(store: Store, warnings: list[str], home: Path) -> Iterator[ForeignEnv]:
    """The envs (directories with pyvenv.cfg) of one store."""
    if not os.path.isdir(store.root):
        return
    real = Path(os.path.realpath(store.root))
    if _is_unsafe_root(real, home):
        warnings.append(
            f"{store.tool}'s store {store.root} leads to {real}; not searched for environments"
        )
        return
    level: list[str] = [str(real)]
    for name in store.levels:
        level = [child for d in level for child in _children(d, name)]
    for path in level:
        env = Path(path)
        if is_env(env):
            # the path as the user would see it: under the store's own (unresolved) root
            shown = store.root / env.relative_to(real)
            yield ForeignEnv(store.tool, shown, env.name)


def foreign_envs(
    environ: Mapping[str, str],
    projects: Iterable[Path],
    warnings: list[str],
    *,
    skip: Iterable[Path] = (),
) -> list[ForeignEnv]:
    """Every env in other tools' stores, once each (by real path); ``skip``: real
    paths already listed (vem's own envs), which keep their own location."""
    seen = {os.path.realpath(p) for p in skip}
    home = Dirs.of(environ).home
    found: list[ForeignEnv] = []
    for store in stores(environ, projects, warnings):
        for env in envs_in(store, warnings, home):
            key = os.path.realpath(env.path)
            if key not in seen:
                seen.add(key)
                found.append(env)
    return found


def store_roots(environ: Mapping[str, str], projects: Iterable[Path]) -> list[Path]:
    """The real paths of every store (for refusing to prune what is another tool's)."""
    roots = []
    for store in stores(environ, projects, []):
        if os.path.isdir(store.root):
            roots.append(Path(os.path.realpath(store.root)))
    return roots
