"""Sessions: tests (every Python 3.10-3.13 found), lint, typecheck, docs, bench.

pyenv's `python3.12`-style shims fail here unless PYENV_VERSION names them, so the
interpreters are located by path under $PYENV_ROOT/versions first, then on PATH.
"""

from __future__ import annotations

import glob
import os
import shutil

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.reuse_existing_virtualenvs = False

VERSIONS = ["3.10", "3.11", "3.12", "3.13"]
PYENV_ROOT = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))


def _interpreter(version: str) -> str:
    found = sorted(glob.glob(f"{PYENV_ROOT}/versions/{version}.*/bin/python{version}"))
    if found:
        return found[-1]
    return shutil.which(f"python{version}") or f"python{version}"


PYTHONS = {v: _interpreter(v) for v in VERSIONS}


@nox.session
@nox.parametrize("python", list(PYTHONS.values()), ids=list(PYTHONS))
def tests(session: nox.Session) -> None:
    """The test suite (real venv, pip and shells), on each Python."""
    session.install(".[test]")
    session.run("python", "-m", "pytest", "-n", "2", *session.posargs)


@nox.session(python=PYTHONS["3.11"])
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "benchmarks", "noxfile.py")


@nox.session(python=PYTHONS["3.11"])
def typecheck(session: nox.Session) -> None:
    session.install("mypy", ".")
    session.run("mypy")


@nox.session(python=PYTHONS["3.11"])
def docs(session: nox.Session) -> None:
    session.install("mkdocs")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site")


@nox.session(python=PYTHONS["3.11"])
def bench(session: nox.Session) -> None:
    """Speed against stdlib venv, virtualenv and uv, measured in the same run."""
    session.install(".", "virtualenv", "uv")
    session.run("python", "benchmarks/run.py", *session.posargs)
    session.run("python", "benchmarks/bench_machine.py")
