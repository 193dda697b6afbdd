"""``create --exist-ok`` on an existing healthy env: it is success only if the env is
what was asked. Another Python X.Y (with ``-p``) or ``--system-site-packages`` on an
env without it is exit 4 naming the difference and the command that rebuilds it."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from vem.errors import EnvExists
from vem.layout import cfg_version

if TYPE_CHECKING:
    from vem.create import CreateRequest


def check_as_asked(req: CreateRequest, cfg: dict[str, str]) -> None:
    """Raise EnvExists when the env at ``req.path`` (pyvenv.cfg ``cfg``) is not what
    ``req`` asks for."""
    have = cfg_version(cfg) or "unknown"
    want = req.interpreter.version
    xy = f"{want[0]}.{want[1]}"
    if req.python_asked and ".".join(have.split(".")[:2]) != xy:
        raise EnvExists(
            f"{req.path} exists with Python {have}, not the Python {xy} asked for "
            f"({req.interpreter.path} is {req.interpreter.version_str})",
            hint=_rebuild_hint(req, f"-p {xy}"),
        )
    has_system = cfg.get("include-system-site-packages", "false").lower() == "true"
    if req.system_site_packages and not has_system:
        raise EnvExists(
            f"{req.path} exists without access to the system site-packages, "
            "which --system-site-packages asks for",
            hint=_rebuild_hint(req, "--system-site-packages"),
        )


def _rebuild_hint(req: CreateRequest, flags: str) -> str:
    """Commands that, typed anywhere, rebuild this very env with ``flags``."""
    recreate = f"vem recreate {shlex.quote(str(req.path))} {flags} keeps its packages"
    clear = _create_clear(req)
    if clear is None:
        return recreate
    return f"{clear} --clear {flags} rebuilds it empty; {recreate}"


def _create_clear(req: CreateRequest) -> str | None:
    """The ``vem create`` words that reach ``req.path`` again, or None."""
    path = req.path
    if path.name == ".venv":
        return f"vem create -l project --project {shlex.quote(str(path.parent))}"
    if req.project is not None and path.name == req.project.name:
        return f"vem create -l central --project {shlex.quote(str(req.project))}"
    if req.project is None:
        return f"vem create {shlex.quote(path.name)} -l central"
    return None
