"""What follows every deletion of an env: vem's record forgets it, and the ``.venv``
pointer vem wrote for it (config ``venv_file``) goes, if it still names this env."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vem.pointer import remove_pointer

if TYPE_CHECKING:
    from vem.env import Env
    from vem.workspace import Workspace


def forget_deleted(ws: Workspace, env: Env) -> None:
    ws.known.discard(env.path)
    if env.project is not None:
        remove_pointer(env.project, env.path)
