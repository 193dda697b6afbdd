"""``vem python list|find``: the interpreters discovery sees, and what ``-p`` picks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from vem.places.workspace import Workspace
from vem.python.discovery import Found, Interpreter
from vem.result import JSON, Result


class InterpreterRow(NamedTuple):
    path: str
    source: str
    version: str | None
    implementation: str | None
    executable: str | None
    #: ok, no-venv (runs, but has no venv module), not-runnable, skipped
    status: str
    reason: str | None

    def to_json(self) -> dict[str, JSON]:
        return dict(self._asdict())


def _row(found: Found) -> InterpreterRow:
    result = found.result
    if result is None:
        status = "skipped" if found.reason.startswith("skipped") else "not-runnable"
    else:
        status = "ok" if result.has_venv else "no-venv"
    return InterpreterRow(
        path=str(found.candidate.path),
        source=found.candidate.source,
        version=result.version_str if result is not None else None,
        implementation=result.implementation if result is not None else None,
        executable=str(result.executable_for(found.candidate.path)) if result else None,
        status=status,
        reason=found.reason or None,
    )


@dataclass
class PythonListResult(Result):
    rows: list[InterpreterRow]


@dataclass
class PythonFindResult(Result):
    interpreter: Interpreter


def python_list(ws: Workspace) -> PythonListResult:
    from vem.python.discovery import list_interpreters

    found = list_interpreters(cache_dir=ws.dirs.cache_dir)
    return PythonListResult(rows=[_row(f) for f in found])


def python_find(ws: Workspace, spec: str | None) -> PythonFindResult:
    from vem.python.discovery import find_interpreter

    return PythonFindResult(interpreter=find_interpreter(spec, cache_dir=ws.dirs.cache_dir))
