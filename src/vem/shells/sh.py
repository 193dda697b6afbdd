"""POSIX sh (dash, ash): no completion; ``--auto`` wraps ``cd``, as sh has no
prompt hook."""

from __future__ import annotations

from vem.shells.posix import AUTO, FUNCTION, PosixShell

AUTO_HOOK = """\
cd () {
    command cd "$@" || return
    _vem_auto
}
_vem_auto
"""


class Sh(PosixShell):
    name = "sh"
    rc_file = "~/.profile (or the file $ENV names)"
    rc_line = 'eval "$(vem shell-init sh)"'
    init_template = FUNCTION
    auto_template = AUTO + "\n" + AUTO_HOOK
