"""Shell support: quoting, activation code, rc-file code, and the activate scripts
written into the envs vem makes.

Interface used by create (keep it stable): :func:`write_activate_scripts`.
"""

from __future__ import annotations

from pathlib import Path


def write_activate_scripts(env_path: Path, prompt: str) -> None:
    """Replace the stdlib activate scripts of ``env_path`` with vem's safe ones."""
    # Placeholder until the shell-integration issue lands: nothing replaced yet.
    return None
