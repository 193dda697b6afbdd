"""Every shell class is complete: each method of the Shell interface works on each."""

from __future__ import annotations

from pathlib import Path

import pytest

from vem.places.record import hook_files
from vem.shells import SHELLS, AliasSpec, Target, get_shell

HOSTILE = Path("/tmp/it's a $(dir) `x`; !y")
TARGET = Target(HOSTILE / ".venv", "my prompt")


@pytest.mark.parametrize("name", sorted(SHELLS))
def test_every_method_returns_code(name: str, tmp_path: Path) -> None:
    shell = get_shell(name)
    quoted = shell.quote(str(HOSTILE))
    assert quoted and quoted != str(HOSTILE)  # the hostile path needs quoting everywhere
    pieces = {
        "activate": shell.activate(TARGET),
        "deactivate": shell.deactivate(),
        "cd": shell.cd(HOSTILE),
        "assign": shell.assign("VEM_X", "it's $(x)"),
        "unassign": shell.unassign("VEM_X"),
        "switch": shell.switch(target=TARGET, deactivate=True, cd=HOSTILE),
        "init": shell.init(["create", "list"]),
        "init --auto": shell.init(["create", "list"], hook=hook_files(tmp_path)),
        "alias": shell.alias(AliasSpec("proj", HOSTILE, TARGET.path, "project")),
        "script": shell.script(TARGET),
    }
    for what, code in pieces.items():
        assert isinstance(code, str) and code.strip(), (name, what)
    assert quoted in pieces["cd"]
    assert quoted in pieces["switch"]
    assert shell.quote(str(TARGET.path)) in pieces["activate"]
    assert "VEM_X" in pieces["assign"] and "VEM_X" in pieces["unassign"]
    assert shell.rc_line and shell.rc_file and shell.eval_hint
