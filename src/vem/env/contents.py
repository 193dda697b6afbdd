"""What an env holds, read from its files alone (its interpreter may be dead, and it is
never run): pyvenv.cfg, ``.project``, and every distribution in its site-packages with
where it came from (PEP 610 ``direct_url.json``).

Each distribution becomes the requirement that installs it again from the same place:
``name==version`` from the user's package index (pip's own settings apply), ``-e DIR``
for an editable install, ``name @ URL`` for a URL, local-file or VCS install (a VCS
install pinned to the commit it was built from, an archive to its recorded hash).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from vem.env.layout import read_cfg, read_project_file
from vem.result import JSON

#: Where a distribution comes from.
INDEX = "index"
EDITABLE = "editable"
FILE = "file"
DIRECTORY = "directory"
URL = "url"
VCS = "vcs"
UNKNOWN = "unknown"

_NORMALIZE_RE = re.compile(r"[-_.]+")
_MAX_METADATA = 1 << 20


def normalize(name: str) -> str:
    """A project name as PEP 503 compares them."""
    return _NORMALIZE_RE.sub("-", name).lower()


class Distribution(NamedTuple):
    """One installed distribution and how to get it again."""

    name: str
    version: str
    source: str  # INDEX, EDITABLE, FILE, DIRECTORY, URL, VCS or UNKNOWN
    where: str  # the index, a path or a URL, in words
    requirement: tuple[str, ...]  # pip install arguments that install it again
    problem: str | None = None  # why it cannot be had; None when it can

    @property
    def key(self) -> str:
        return normalize(self.name)

    def to_json(self) -> dict[str, JSON]:
        return {
            "name": self.name,
            "version": self.version,
            "source": self.source,
            "where": self.where,
            "requirement": list[JSON](self.requirement),
            "problem": self.problem,
        }


class Inventory(NamedTuple):
    """An env's settings and contents, as recreate needs them."""

    path: Path
    python: str | None  # X.Y.Z from pyvenv.cfg
    prompt: str | None
    system_site_packages: bool
    project: Path | None  # its .project file
    site_packages: Path | None
    distributions: tuple[Distribution, ...]
    warnings: tuple[str, ...] = ()

    @property
    def python_xy(self) -> tuple[int, int] | None:
        if not self.python:
            return None
        parts = self.python.split(".")
        if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
            return None
        return int(parts[0]), int(parts[1])

    def find(self, name: str) -> Distribution | None:
        key = normalize(name)
        return next((d for d in self.distributions if d.key == key), None)

    @property
    def unavailable(self) -> list[Distribution]:
        return [d for d in self.distributions if d.problem is not None]


def find_site_packages(env: Path, version: str | None) -> Path | None:
    """The env's own site-packages directory (``lib/pythonX.Y/site-packages``)."""
    if os.name == "nt":
        sp = env / "Lib" / "site-packages"
        return sp if sp.is_dir() else None
    if version:
        xy = ".".join(version.split(".")[:2])
        sp = env / "lib" / f"python{xy}" / "site-packages"
        if sp.is_dir():
            return sp
    found = sorted(p for p in (env / "lib").glob("*/site-packages") if p.is_dir())
    return found[0] if found else None


def read_inventory(env: Path) -> Inventory:
    """Everything recreate needs to know about the env at ``env``, from its files."""
    cfg = read_cfg(env)
    version = cfg.version
    sp = find_site_packages(env, version)
    warnings: list[str] = []
    dists: dict[str, Distribution] = {}
    if sp is not None:
        for dist in _read_distributions(sp, warnings):
            if dist.key in dists:
                warnings.append(
                    f"{dist.name} is installed twice ({dists[dist.key].version} and "
                    f"{dist.version}); keeping {dists[dist.key].version}"
                )
                continue
            dists[dist.key] = dist
    return Inventory(
        path=env,
        python=version,
        prompt=cfg.prompt,
        system_site_packages=cfg.system_site_packages,
        project=read_project_file(env),
        site_packages=sp,
        distributions=tuple(sorted(dists.values(), key=lambda d: d.key)),
        warnings=tuple(warnings),
    )


def _read_distributions(sp: Path, warnings: list[str]) -> list[Distribution]:
    found: list[Distribution] = []
    try:
        entries = sorted(os.scandir(sp), key=lambda e: e.name)
    except OSError as exc:
        warnings.append(f"cannot read {sp}: {exc.strerror or exc}")
        return found
    for entry in entries:
        path = Path(entry.path)
        if entry.name.endswith(".dist-info") and entry.is_dir(follow_symlinks=False):
            found.append(_dist_info(path))
        elif entry.name.endswith(".egg-info") and not entry.is_symlink():
            found.append(_egg_info(path))
        elif entry.name.endswith(".egg-link") and entry.is_file(follow_symlinks=False):
            dist = _egg_link(path)
            if dist is not None:
                found.append(dist)
    return found


def _headers(path: Path) -> dict[str, str]:
    """The ``Name`` and ``Version`` headers of a METADATA / PKG-INFO file."""
    headers: dict[str, str] = {}
    try:
        with open(path, "rb") as f:
            raw = f.read(_MAX_METADATA)
    except OSError:
        return headers
    for line in raw.decode("utf-8", errors="replace").splitlines():
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if sep and key in ("Name", "Version") and key not in headers:
            headers[key] = value.strip()
    return headers


def _name_version_from_dirname(path: Path) -> tuple[str, str]:
    stem = path.name.rsplit(".", 1)[0]
    name, _, version = stem.partition("-")
    return name, version.split("-")[0]


def _dist_info(path: Path) -> Distribution:
    headers = _headers(path / "METADATA")
    dir_name, dir_version = _name_version_from_dirname(path)
    name = headers.get("Name") or dir_name
    version = headers.get("Version") or dir_version
    if not headers.get("Name") or not headers.get("Version"):
        return Distribution(
            name,
            version,
            UNKNOWN,
            str(path),
            (),
            f"its metadata ({path / 'METADATA'}) is unreadable",
        )
    direct = _direct_url(path / "direct_url.json")
    if direct is None:
        return Distribution(name, version, INDEX, "the package index", (f"{name}=={version}",))
    if isinstance(direct, str):
        return Distribution(name, version, UNKNOWN, str(path), (), direct)
    return _from_direct_url(name, version, direct)


def _direct_url(path: Path) -> dict[str, object] | str | None:
    """The parsed direct_url.json; None when there is none; a problem (str) when damaged."""
    try:
        with open(path, "rb") as f:
            raw = f.read(_MAX_METADATA)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"its {path} cannot be read: {exc.strerror or exc}"
    try:
        data = json.loads(raw)
    except ValueError:
        return f"its {path} is not valid JSON"
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        return f"its {path} names no URL"
    return data


def file_url_path(url: str) -> Path | None:
    """The local path of a ``file:`` URL (None for any other URL)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    from urllib.request import url2pathname

    return Path(url2pathname(parts.path))


def _fragment(items: list[str]) -> str:
    return ("#" + "&".join(items)) if items else ""


def _from_direct_url(name: str, version: str, data: dict[str, object]) -> Distribution:
    url = str(data["url"])
    subdirectory = data.get("subdirectory")
    subdir = [f"subdirectory={subdirectory}"] if isinstance(subdirectory, str) else []
    local = file_url_path(url)
    dir_info = data.get("dir_info")
    vcs_info = data.get("vcs_info")
    archive_info = data.get("archive_info")
    if isinstance(dir_info, dict):
        if local is None:
            return Distribution(
                name, version, UNKNOWN, url, (), f"a directory at a non-file URL {url}"
            )
        source_dir = local / subdirectory if isinstance(subdirectory, str) else local
        problem = _dir_problem(source_dir)
        if dir_info.get("editable"):
            return Distribution(
                name, version, EDITABLE, str(source_dir), ("-e", str(source_dir)), problem
            )
        return Distribution(
            name,
            version,
            DIRECTORY,
            str(source_dir),
            (f"{name} @ {url}{_fragment(subdir)}",),
            problem,
        )
    if isinstance(vcs_info, dict):
        vcs = str(vcs_info.get("vcs", "git"))
        commit = vcs_info.get("commit_id")
        pinned = f"{vcs}+{url}" + (f"@{commit}" if isinstance(commit, str) and commit else "")
        problem = None
        if local is not None and not local.exists():
            problem = f"its repository {local} is gone"
        if urlsplit(url).netloc:
            vcs_req = f"{name} @ {pinned}{_fragment(subdir)}"
        else:  # git+file:///repo: older pips reject it in a PEP 508 reference
            vcs_req = f"{pinned}{_fragment([f'egg={name}', *subdir])}"
        return Distribution(name, version, VCS, pinned, (vcs_req,), problem)
    hashes: list[str] = []
    if isinstance(archive_info, dict):
        all_hashes = archive_info.get("hashes")
        if isinstance(all_hashes, dict) and all_hashes:
            algo = "sha256" if "sha256" in all_hashes else sorted(all_hashes)[0]
            hashes.append(f"{algo}={all_hashes[algo]}")
        elif isinstance(archive_info.get("hash"), str):
            hashes.append(str(archive_info["hash"]))
    requirement = (f"{name} @ {url}{_fragment(hashes + subdir)}",)
    if local is not None:
        problem = None if local.is_file() else f"its file {local} is gone"
        return Distribution(name, version, FILE, str(local), requirement, problem)
    return Distribution(name, version, URL, url, requirement)


def _dir_problem(path: Path) -> str | None:
    if not path.is_dir():
        return f"its source directory {path} is gone"
    if not any((path / f).is_file() for f in ("pyproject.toml", "setup.py", "setup.cfg")):
        return f"its source directory {path} holds no pyproject.toml or setup.py"
    return None


def _egg_info(path: Path) -> Distribution:
    """A distribution installed the pre-wheel way (``setup.py install``)."""
    headers = _headers(path / "PKG-INFO" if path.is_dir() else path)
    dir_name, dir_version = _name_version_from_dirname(path)
    name = headers.get("Name") or dir_name
    version = headers.get("Version") or dir_version
    if not version:
        return Distribution(name, version, UNKNOWN, str(path), (), "it records no version")
    return Distribution(name, version, INDEX, "the package index", (f"{name}=={version}",))


def _egg_link(path: Path) -> Distribution | None:
    """A legacy editable install (``setup.py develop``): the file names its source."""
    try:
        first = path.read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    source = Path(first)
    name = path.name[: -len(".egg-link")]
    version = ""
    for info in sorted(source.glob("*.egg-info")) if source.is_dir() else []:
        headers = _headers(info / "PKG-INFO")
        if normalize(headers.get("Name", "")) == normalize(name):
            name, version = headers["Name"], headers.get("Version", "")
    return Distribution(
        name, version, EDITABLE, str(source), ("-e", str(source)), _dir_problem(source)
    )
