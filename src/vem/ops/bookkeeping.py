"""What follows every deletion of an env: vem's record forgets it, and the ``.venv``
pointer vem wrote for it (config ``venv_file``) goes, if it still names this env."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vem.env.pointer import remove_pointer

if TYPE_CHECKING:
    from vem.env.model import Env
    from vem.places.workspace import Workspace


def forget_deleted(ws: Workspace, env: Env) -> list[str]:
    """Warnings for what could not be cleaned up; the deletion itself stands."""
    warnings = ws.forget(env.path)
    if env.project is not None:
        try:
            remove_pointer(env.project, env.path)
        except OSError as exc:
            warnings.append(f"could not remove {env.project / '.venv'}: {exc.strerror}")
    return warnings
