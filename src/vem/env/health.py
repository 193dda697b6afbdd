"""An env's health, diagnosed from its files alone (never by running an interpreter).

A diagnosis is a tuple of problems, most serious first; each says what is wrong, why
it matters, and the one command line that fixes it. The contract's ``status`` is the
first problem's (``ok`` when there is none). Order of precedence, as the contract
says: broken, incomplete, mismatched, moved, orphaned.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import NamedTuple

from vem.env.layout import INCOMPLETE_MARKER, PyvenvCfg, env_python
from vem.env.traces import interpreter_xy, made_for, same_place
from vem.text import xy

STATUS_OK = "ok"
STATUS_BROKEN = "broken"
STATUS_INCOMPLETE = "incomplete"
STATUS_MISMATCHED = "mismatched"
STATUS_MOVED = "moved"
STATUS_ORPHANED = "orphaned"

#: Precedence when several apply: the first of these is the env's status.
PRECEDENCE = (
    STATUS_BROKEN,
    STATUS_INCOMPLETE,
    STATUS_MISMATCHED,
    STATUS_MOVED,
    STATUS_ORPHANED,
)
#: Statuses whose env must not be used (activate, run, path refuse them).
UNUSABLE = frozenset({STATUS_BROKEN, STATUS_INCOMPLETE, STATUS_MISMATCHED})


class Problem(NamedTuple):
    """One thing wrong with an env: the contract's ``{status, message, fix}``."""

    status: str
    message: str
    fix: str

    def to_json(self) -> dict[str, str]:
        return {"status": self.status, "message": self.message, "fix": self.fix}


class Health(NamedTuple):
    problems: tuple[Problem, ...] = ()

    @property
    def status(self) -> str:
        return self.problems[0].status if self.problems else STATUS_OK

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def usable(self) -> bool:
        return self.status not in UNUSABLE

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    @classmethod
    def of(cls, problems: list[Problem]) -> Health:
        order = {status: i for i, status in enumerate(PRECEDENCE)}
        return cls(tuple(sorted(problems, key=lambda p: order.get(p.status, len(order)))))


HEALTHY = Health()


def env_ref(path: Path, *, name: str, location: str) -> str:
    """How a fix command names the env so that, typed anywhere, it reaches this env:
    a central env by its NAME (when NAME is one vem accepts), any other by its
    absolute path (shell-quoted)."""
    from vem.errors import InvalidInput
    from vem.names import validate_name

    if location == "central":
        try:
            return shlex.quote(validate_name(name))
        except InvalidInput:
            pass  # a directory made by hand, say `-x`: by path, never as an option
    return shlex.quote(str(path))


def command(*words: str) -> str:
    """A command line from words already quoted where needed."""
    return " ".join(w for w in words if w)


def diagnose(
    path: Path,
    cfg: PyvenvCfg,
    *,
    name: str,
    location: str,
    project: Path | None,
) -> Health:
    """Every problem of the env at ``path`` found by reading and stat-ing its files.

    ``cfg`` is its pyvenv.cfg (no keys when missing or unreadable).
    """
    base = cfg.base_interpreter
    ref = env_ref(path, name=name, location=location)
    problems: list[Problem] = []
    if (path / INCOMPLETE_MARKER).exists():
        # vem was building it and stopped (killed): the next create finishes the job.
        problems.append(
            Problem(
                STATUS_INCOMPLETE,
                "its creation did not finish (vem was stopped while building it)",
                _create_again(path, ref, location, project),
            )
        )
        return Health.of(problems)
    python = env_python(path)
    if not cfg.found:
        problems.append(
            Problem(
                STATUS_BROKEN,
                "its pyvenv.cfg is missing or unreadable, so no Python can use it",
                command("vem recreate", ref),
            )
        )
    elif not os.path.lexists(python):
        problems.append(
            Problem(
                STATUS_BROKEN,
                f"its interpreter {python} is missing",
                command("vem recreate", ref),
            )
        )
    elif not python.exists():
        problems.append(
            Problem(
                STATUS_BROKEN,
                f"its interpreter {python} leads to {os.path.realpath(python)}, which is gone",
                command("vem recreate", ref),
            )
        )
    elif base is not None and not _is_executable_file(base):
        problems.append(
            Problem(
                STATUS_BROKEN,
                f"its base interpreter {base} is gone or not an executable file",
                command("vem recreate", ref),
            )
        )
    else:
        problems += _mismatched(python, cfg, ref)
    problems += _moved(path, ref)
    problems += _orphaned(location, project, ref)
    return Health.of(problems)


def _mismatched(python: Path, cfg: PyvenvCfg, ref: str) -> list[Problem]:
    """The env's python now leads to another X.Y than pyvenv.cfg's ``version``."""
    made = xy(cfg.version)
    now = interpreter_xy(python)
    if made is None or now is None or made == now:
        return []
    return [
        Problem(
            STATUS_MISMATCHED,
            f"it was made for Python {made}, but its interpreter {python} now leads to "
            f"Python {now} ({os.path.realpath(python)}), which does not see the env's "
            "packages (a python3 symlink moved by an upgrade?)",
            command("vem recreate", ref),
        )
    ]


def _moved(path: Path, ref: str) -> list[Problem]:
    """The env's scripts were made for another directory (it was moved or renamed)."""
    old = made_for(path)
    if old is None or same_place(old, path):
        return []
    return [
        Problem(
            STATUS_MOVED,
            f"it was made at {old} and has moved here: its activate script and console "
            "scripts still point there, so they fail or run another env's python",
            command("vem relink", ref),
        )
    ]


def _orphaned(location: str, project: Path | None, ref: str) -> list[Problem]:
    """A central env whose ``.project`` names a directory that is gone."""
    if location != "central" or project is None or os.path.isdir(project):
        return []
    return [
        Problem(
            STATUS_ORPHANED,
            f"its project {project} no longer exists; if the project moved, "
            f"`vem relink {ref} --project NEW_DIR` links the env to it instead",
            command("vem remove", ref, "--yes"),
        )
    ]


def _create_again(path: Path, ref: str, location: str, project: Path | None) -> str:
    """The command that clears an unfinished build of this env and builds it again."""
    at = ("--project", shlex.quote(str(project))) if project is not None else ()
    if location == "central":
        return command("vem create", ref, *at)
    if location == "project":
        return command("vem create -l project --project", shlex.quote(str(path.parent)))
    return command("vem remove", ref, "--yes")


def _is_executable_file(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)
