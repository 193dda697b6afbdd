"""Settings, each resolved together with where it came from.

Order, first that applies: command-line flag > environment variable >
``[tool.vem]`` in the project's pyproject.toml > user config file > default.
The user config is TOML in platformdirs' user config dir; vem writes it atomically
and never rewrites a user's pyproject.toml.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from vem.errors import InvalidInput, VemError
from vem.text import is_utf8

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("true or false")


def _parse_str(value: object) -> str:
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if "\0" in text or not is_utf8(text):
            raise ValueError("text without NUL bytes, in UTF-8")
        return text
    raise ValueError("a non-empty string")


def _parse_choice(*choices: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        if isinstance(value, str) and value.strip() in choices:
            return value.strip()
        raise ValueError("one of " + ", ".join(choices))

    return parse


def _parse_dir(value: object) -> str:
    """A directory: kept as written when absolute or ``~``-relative, else made absolute
    (so ``vem config set central_home envs`` does not depend on where vem runs later)."""
    text = _parse_str(value)
    if text.startswith("~") or os.path.isabs(text):
        return text
    return os.path.abspath(text)


def _version_only(value: str, where: str) -> None:
    """A project may ask for a Python version (``3.12``, ``python3.12``), never for a
    path: that would run a file the repository ships. Paths come only from the user."""
    if "/" in value or "\\" in value or value.startswith((".", "~")):
        raise InvalidInput(
            f"{where}: python = {value!r} is a path; a project's pyproject.toml may name a "
            "version (such as 3.12), never a file to run",
            hint="give a path with -p/--python, VEM_PYTHON or `vem config set python`",
        )


class Key(NamedTuple):
    """One setting: its environment variable, whether pyproject may set it, its parser."""

    name: str
    envvar: str
    parse: Callable[[object], Any]
    default: Any
    in_pyproject: bool
    #: one line, shown by completion (zsh, fish) next to the key
    help: str = ""


class Flags(NamedTuple):
    """Settings given as command-line options (None: not given). Typed, so that a
    misspelled flag is a type error, not a silently ignored keyword."""

    location: str | None = None
    python: str | None = None
    pip: bool | None = None
    pip_link: bool | None = None
    installer: str | None = None

    def given(self) -> dict[str, object]:
        return {k: v for k, v in self._asdict().items() if v is not None}


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key("location", "VEM_LOCATION", _parse_str, "project", True, "where envs go"),
        Key(
            "central_home",
            "WORKON_HOME",
            _parse_dir,
            "~/.virtualenvs",
            False,
            "central envs folder",
        ),
        Key("python", "VEM_PYTHON", _parse_str, None, True, "Python for new envs"),
        Key("pip", "VEM_PIP", _parse_bool, True, True, "seed pip into new envs"),
        Key("pip_link", "VEM_PIP_LINK", _parse_bool, True, False, "hardlink pip from the cache"),
        Key("venv_file", "VEM_VENV_FILE", _parse_bool, False, False, "write .venv pointer files"),
        Key(
            "installer",
            "VEM_INSTALLER",
            _parse_choice("pip", "uv"),
            "pip",
            True,
            "pip (the env's own) or uv",
        ),
    )
}


class Value(NamedTuple):
    value: Any
    source: str

    def describe(self, key: str) -> str:
        return f"{key}={self.value} (from {self.source})"


def valid_keys_text() -> str:
    return ", ".join(KEYS)


def key_spec(key: str) -> Key:
    try:
        return KEYS[key]
    except KeyError:
        raise InvalidInput(f"unknown config key {key!r}; valid keys: {valid_keys_text()}") from None


def parse_value(key: str, raw: object, where: str) -> Any:
    spec = key_spec(key)
    try:
        return spec.parse(raw)
    except ValueError as exc:
        raise InvalidInput(f"invalid value {raw!r} for {key} in {where}: expected {exc}") from None


def read_toml(path: Path, what: str, *, only_if: bytes = b"") -> dict[str, Any]:
    """A TOML file as a dict; missing gives {}; unreadable or corrupt is exit 1.

    With ``only_if``, a file not containing those bytes is not parsed (gives {}): a
    project's pyproject.toml matters to vem only if it mentions vem.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise VemError(f"cannot read {what} {path}: it is a directory") from None
    except OSError as exc:
        raise VemError(f"cannot read {what} {path}: {exc.strerror}") from None
    if only_if not in data:
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        parsed: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
        return parsed
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise VemError(f"{what} {path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise VemError(f"{what} {path} is not valid TOML: it nests too deeply") from None


class UserConfig:
    """The user config file: read lazily, written atomically with tomli-w."""

    def __init__(self, path: Path, lock_dir: Path | None = None) -> None:
        self.path = path
        self._lock_dir = lock_dir or path.parent
        self._data: dict[str, Any] | None = None

    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = read_toml(self.path, "config file")
        return self._data

    def set(self, key: str, raw: str) -> Any:
        value = parse_value(key, raw, "vem config set")
        with self._locked():
            self._write({**self.data(), key: value})
        return value

    def unset(self, key: str) -> bool:
        key_spec(key)
        with self._locked():
            data = dict(self.data())
            if key not in data:
                return False
            del data[key]
            self._write(data)
        return True

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Read-modify-write under a lock, reading the file afresh: concurrent
        ``config set`` runs of different keys all keep theirs."""
        from vem.fs.locks import path_lock

        try:
            with path_lock(self._lock_dir, self.path):
                self._data = None
                yield
        except OSError as exc:
            raise VemError(f"cannot write config file {self.path}: {exc.strerror}") from None

    def _write(self, data: dict[str, Any]) -> None:
        import tomli_w

        from vem.fs.atomic import atomic_write_text

        # A symlinked config (dotfiles) is written through: the link stays a link.
        target = Path(os.path.realpath(self.path))
        try:
            atomic_write_text(target, tomli_w.dumps(data))
        except OSError as exc:
            raise VemError(f"cannot write config file {self.path}: {exc.strerror}") from None
        except RecursionError:
            raise VemError(f"cannot write config file {self.path}: nested too deeply") from None
        self._data = data


class Settings:
    """Resolves each key once, remembering its source."""

    def __init__(
        self,
        *,
        flags: Flags,
        environ: Mapping[str, str],
        config: UserConfig,
        project_root: Path,
    ) -> None:
        self._flags = flags.given()
        self._environ = environ
        self.config = config
        self.project_root = project_root
        self._pyproject: dict[str, Any] | None = None
        self._cache: dict[str, Value] = {}

    def pyproject(self) -> dict[str, Any]:
        if self._pyproject is None:
            path = self.project_root / "pyproject.toml"
            data = read_toml(path, "project file", only_if=b"vem") if path.is_file() else {}
            tool = data.get("tool", {})
            section = tool.get("vem", {}) if isinstance(tool, dict) else {}
            self._pyproject = section if isinstance(section, dict) else {}
        return self._pyproject

    def get(self, key: str) -> Value:
        if key not in self._cache:
            self._cache[key] = self._resolve(key)
        return self._cache[key]

    def _resolve(self, key: str) -> Value:
        spec = key_spec(key)
        if key in self._flags:
            return Value(parse_value(key, self._flags[key], "the command line"), "command line")
        raw_env = self._environ.get(spec.envvar)
        if raw_env:
            return Value(parse_value(key, raw_env, spec.envvar), spec.envvar)
        if spec.in_pyproject and key in self.pyproject():
            where = f"{self.project_root / 'pyproject.toml'} [tool.vem]"
            value = parse_value(key, self.pyproject()[key], where)
            if key == "python":
                _version_only(value, where)
            return Value(value, where)
        data = self.config.data()
        if key in data:
            where = f"config file {self.config.path}"
            return Value(parse_value(key, data[key], where), where)
        return Value(spec.default, "default")

    def text(self, key: str) -> str | None:
        """A string-valued setting (location, python, installer), typed."""
        value = self.get(key).value
        return None if value is None else str(value)

    def flag(self, key: str) -> bool:
        """A boolean setting (pip, pip_link, venv_file), typed."""
        return bool(self.get(key).value)

    def central_home(self) -> Path:
        value = self.get("central_home").value
        return Path(os.path.expanduser(str(value))).absolute()
