"""``vem create``: plan where the env goes and what it is, build it, record it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vem.env.layout import is_env, read_cfg, read_project_file
from vem.env.model import Env
from vem.errors import InvalidInput
from vem.make.builder import CreateRequest, create_env, place_of
from vem.names import is_path_like, validate_name, validate_prompt
from vem.places.locations import Location
from vem.places.settings import Value
from vem.places.workspace import Workspace
from vem.result import Progress, Result, no_progress
from vem.text import is_utf8, printable_path, require_utf8


@dataclass(frozen=True)
class CreateOptions:
    name: str | None = None
    prompt: str | None = None
    system_site_packages: bool = False
    upgrade_pip: bool = False
    clear: bool = False
    exist_ok: bool = False
    requirements: Sequence[Path] = field(default_factory=tuple)
    #: --project was given (the project root is the Workspace's)
    project_given: bool = False
    #: where child processes (pip) write their output; None discards it
    output_fd: int | None = None


@dataclass
class CreateResult(Result):
    env: Env
    #: False when ``--exist-ok`` found a healthy env and kept it
    built: bool
    #: "pip 24.0 (hardlinked from vem's cache)", or None when no pip was seeded
    location: Value
    python_path: Path
    python_version: str
    python_source: str
    pip: str | None = None


@dataclass(frozen=True)
class CreatePlan:
    location: Location
    chosen: Value
    request: CreateRequest
    python_source: str
    notes: tuple[str, ...] = ()


def plan_create(ws: Workspace, options: CreateOptions) -> CreatePlan:
    """Where ``vem create [NAME]`` goes and what it makes, from the settings.

    The prompt defaults to NAME, else the project root's name (never a bare ``.venv``);
    ``.project`` is written for an env made for a project (no NAME, or ``--project``)
    in a location that records it.
    """
    from vem.python.discovery import find_interpreter

    name = options.name
    location_given = ws.settings.get("location").source == "command line"
    if name == ".venv":  # the `python -m venv .venv` habit: the project's env
        if location_given and ws.settings.text("location") != "project":
            raise InvalidInput("`.venv` is the project env; drop -l or use -l project")
        name = None
        loc, chosen = ws.locations.get("project"), Value("project", "NAME .venv")
    else:
        if name is not None and is_path_like(name):
            raise InvalidInput(
                f"vem create takes a NAME, not a path: {name!r}",
                hint="run `vem create` in the project (it makes <project>/.venv), "
                "or `vem create --project DIR`",
            )
        if name is not None:
            validate_name(name)
        loc, chosen = ws.choose_location(name_given=name is not None)
    home = Path.home()
    if (
        loc.name == "project"
        and not options.project_given
        and ws.project_root in (home, Path(ws.project_root.anchor))
    ):
        raise InvalidInput(
            f"{ws.project_root} is not a project: a project env there needs an explicit --project",
            hint=f"vem create --project {_q(ws.project_root)}, or a named env: vem create NAME",
        )
    for_project = loc.records_project and (name is None or options.project_given)
    path = loc.path_for(ws.ctx, ws.project_root, name)
    if not is_utf8(str(path)):  # venv writes the path into pyvenv.cfg, as UTF-8
        raise InvalidInput(
            f"{printable_path(path)} is not valid UTF-8: venv cannot make an env there",
            hint="a named env lives in the central home: vem create NAME",
        )
    notes: list[str] = []
    if for_project and name is None:
        path, note = _own_central_path(ws, path)
        if note:
            notes.append(note)
    python = ws.settings.get("python")
    spec = python.value
    source = python.source
    if options.clear and python.source != "command line" and is_env(path):
        kept = read_cfg(path).version
        if kept:  # --clear rebuilds with the env's own Python unless -p says otherwise
            spec, source = ".".join(kept.split(".")[:2]), f"the env's own Python ({kept})"
    interpreter = find_interpreter(spec, cache_dir=ws.dirs.cache_dir)
    prompt = (
        validate_prompt(require_utf8(options.prompt, "--prompt"))
        if options.prompt is not None
        else (name if name is not None else ws.project_root.name)
    )
    request = CreateRequest(
        path=path,
        interpreter=interpreter,
        prompt=prompt,
        project=ws.project_root if for_project else None,
        system_site_packages=options.system_site_packages,
        pip=ws.settings.flag("pip"),
        pip_link=ws.settings.flag("pip_link"),
        upgrade_pip=options.upgrade_pip,
        clear=options.clear,
        exist_ok=options.exist_ok,
        requirements=tuple(options.requirements),
        venv_file=for_project and loc.name == "central" and ws.settings.flag("venv_file"),
        installer=ws.settings.text("installer") or "pip",
        python_asked=python.source == "command line",
    )
    return CreatePlan(loc, chosen, request, source, tuple(notes))


def _own_central_path(ws: Workspace, path: Path) -> tuple[Path, str | None]:
    """A central env for a project is never another project's or a named env: when
    ``<central home>/<basename>`` is one of those, the project gets ``<basename>-<hash>``
    (a hash of the project's path, as pipenv and poetry do)."""
    if not os.path.lexists(path):
        return path, None
    owner = read_project_file(path) if is_env(path) else None
    if owner == ws.project_root:
        return path, None
    if not is_env(path) and not os.path.isdir(path):
        return path, None  # not a directory: create refuses it with a clear message
    digest = hashlib.sha256(os.fsencode(ws.project_root)).hexdigest()[:8]
    own = path.with_name(f"{path.name}-{digest}")
    whose = f"the project {owner}" if owner is not None else "a named env (no project)"
    if not is_env(path):
        whose = "a directory that is not an env"
    return own, f"{path} belongs to {whose}; this project's env is {own.name}"


def _q(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def create(ws: Workspace, options: CreateOptions, progress: Progress = no_progress) -> CreateResult:
    """Make the env (pip seeded unless the settings say no), record it, describe it."""
    plan = plan_create(ws, options)
    request = plan.request
    built = create_env(
        request,
        place_of(ws),
        output_fd=options.output_fd,
        progress=progress,
    )
    env = plan.location.describe(ws.ctx, request.path)
    warnings = list(plan.notes)
    pip = None
    if built is not None and built.pip is not None:
        how = "hardlinked from vem's cache" if built.pip.linked else "copied"
        pip = f"pip {built.pip.pip_version} ({how}, {built.pip.files} files)"
    if built is not None:
        # Only what vem built becomes trusted (for --auto); failing to record it never
        # turns a finished env into a failure.
        warnings += [f"{w}; the environment is complete" for w in ws.remember(env)]
    return CreateResult(
        env=env,
        built=built is not None,
        pip=pip,
        location=plan.chosen,
        python_path=request.interpreter.path,
        python_version=request.interpreter.version_str,
        python_source=plan.python_source,
        warnings=warnings + ws.drain_warnings(),
    )
