"""Unit tests of the pieces recreate and move are built from: reading what an env holds
(vem.env.contents), rewriting scripts for a new path (vem.make.relocate), swapping
(vem.fs.swap)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vem.env.contents import DIRECTORY, EDITABLE, FILE, INDEX, UNKNOWN, URL, VCS, read_inventory
from vem.fs import swap
from vem.make import relocate


def _dist(sp: Path, name: str, version: str, direct: dict[str, object] | None = None) -> None:
    info = sp / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n")
    if direct is not None:
        (info / "direct_url.json").write_text(json.dumps(direct))


def test_inventory_reads_every_kind_of_install(tmp_path: Path) -> None:
    env = tmp_path / "env"
    sp = env / "lib" / "python3.11" / "site-packages"
    src = tmp_path / "src dir"
    src.mkdir()
    (src / "pyproject.toml").write_text("")
    wheel = tmp_path / "w-1.0-py3-none-any.whl"
    wheel.write_text("")
    (env).mkdir()
    (env / "pyvenv.cfg").write_text(
        "home = /x\ninclude-system-site-packages = true\nversion = 3.11.7\nprompt = 'p q'\n"
    )
    (env / ".project").write_text("/the/project\n")
    _dist(sp, "Plain_Name", "1.0")
    _dist(sp, "ed", "0.1", {"url": src.as_uri(), "dir_info": {"editable": True}})
    _dist(sp, "dirinst", "0.2", {"url": src.as_uri(), "dir_info": {}})
    _dist(sp, "w", "1.0", {"url": wheel.as_uri(), "archive_info": {"hashes": {"sha256": "ab"}}})
    _dist(sp, "gone", "1.0", {"url": "file:///no/such.whl", "archive_info": {}})
    _dist(sp, "remote", "2.0", {"url": "https://example.org/r-2.0.tar.gz", "archive_info": {}})
    _dist(
        sp,
        "v",
        "0.3",
        {
            "url": "https://example.org/v.git",
            "vcs_info": {"vcs": "git", "commit_id": "abc123"},
            "subdirectory": "sub",
        },
    )
    _dist(sp, "broken", "9", {"nourl": 1})
    (sp / "bad-1.0.dist-info").mkdir()
    inv = read_inventory(env)
    assert (inv.python, inv.prompt, inv.system_site_packages) == ("3.11.7", "p q", True)
    assert inv.project == Path("/the/project") and inv.python_xy == (3, 11)
    got = {d.name: (d.source, d.requirement, d.problem) for d in inv.distributions}
    assert got["Plain_Name"] == (INDEX, ("Plain_Name==1.0",), None)
    assert got["ed"] == (EDITABLE, ("-e", str(src)), None)
    assert got["dirinst"] == (DIRECTORY, (f"dirinst @ {src.as_uri()}",), None)
    assert got["w"] == (FILE, (f"w @ {wheel.as_uri()}#sha256=ab",), None)
    assert got["gone"][0] == FILE and "/no/such.whl is gone" in str(got["gone"][2])
    assert got["remote"] == (URL, ("remote @ https://example.org/r-2.0.tar.gz",), None)
    assert got["v"] == (
        VCS,
        ("v @ git+https://example.org/v.git@abc123#subdirectory=sub",),
        None,
    )
    assert got["broken"][0] == UNKNOWN and got["broken"][2]
    assert got["bad"][0] == UNKNOWN and "unreadable" in str(got["bad"][2])
    assert inv.find("plain-name") is not None


def test_inventory_of_a_missing_editable_source(tmp_path: Path) -> None:
    env = tmp_path / "env"
    env.mkdir()
    (env / "pyvenv.cfg").write_text("version = 3.12.1\n")
    sp = env / "lib" / "python3.12" / "site-packages"
    _dist(sp, "ed", "0.1", {"url": (tmp_path / "gone").as_uri(), "dir_info": {"editable": True}})
    (dist,) = read_inventory(env).distributions
    assert dist.source == EDITABLE and "is gone" in str(dist.problem)


def test_shebang() -> None:
    assert relocate.shebang(Path("/a/bin/python")) == "#!/a/bin/python\n"
    long = relocate.shebang(Path("/a b/bin/python3.12"))
    assert long.startswith("#!/bin/sh\n") and '"$(dirname -- "$0")/python3.12"' in long
    assert "/a b" not in long


PIP_TRAMPOLINE = "#!/bin/sh\n'''exec' \"{exe}\" \"$0\" \"$@\"\n' '''\n"


@pytest.mark.parametrize(
    "header",
    ["#!{exe}\n", "#!{exe} \n", PIP_TRAMPOLINE],
    ids=["shebang", "shebang-space", "pip-trampoline"],
)
def test_scripts_are_rewritten_for_the_new_path(tmp_path: Path, header: str) -> None:
    old = tmp_path / "old env"
    new = tmp_path / "new 'env' $(x)"
    env = old
    (env / "bin").mkdir(parents=True)
    body = "import sys\nprint('ran', sys.argv[1:])\n"
    script = env / "bin" / "tool"
    script.write_text(header.format(exe=f"{old}/bin/python") + body)
    script.chmod(0o755)
    other = env / "bin" / "other"
    other.write_text("#!/usr/bin/env python3\nprint(1)\n")
    (env / "bin" / "link").symlink_to(script)
    (env / "pyvenv.cfg").write_text(f"home = /x\ncommand = /x/python -m venv {old}\n")
    rewrites = relocate.plan(env, old=old, new=new, prompt="p")
    rels = sorted(r.rel for r in rewrites)
    assert "bin/tool" in rels and "pyvenv.cfg" in rels and "bin/activate" in rels
    assert "bin/other" not in rels and "bin/link" not in rels
    relocate.stage(env, rewrites)
    assert script.read_text().endswith(body) and f"{old}/bin/python" in script.read_text()
    relocate.commit(env, rewrites)
    assert not list((env / "bin").glob("*" + relocate.STAGE_SUFFIX))
    text = script.read_text()
    assert str(old) not in text and text.endswith(body)
    assert os.stat(script).st_mode & 0o777 == 0o755
    assert f"-m venv {new}" in (env / "pyvenv.cfg").read_text()
    assert os.readlink(env / "bin" / "link") == str(script)
    # the rewritten script really runs at the new path
    os.rename(old, new)
    (new / "bin" / "python").symlink_to(os.path.realpath(sys.executable))
    proc = subprocess.run([str(new / "bin" / "tool"), "x"], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (0, "ran ['x']\n"), proc.stderr


def test_discard_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "t").write_text(f"#!{tmp_path}/bin/python\n")
    rewrites = relocate.plan(tmp_path, old=tmp_path, new=tmp_path / "x", prompt="p")
    relocate.stage(tmp_path, rewrites)
    relocate.discard(tmp_path, rewrites)
    assert sorted(os.listdir(tmp_path / "bin")) == ["t"]


def test_exchange_and_rename_new(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "A").touch()
    (b / "B").touch()
    swap.exchange(a, b)
    assert os.listdir(a) == ["B"] and os.listdir(b) == ["A"]
    c = tmp_path / "c"
    c.mkdir()  # plain rename would replace an empty directory
    with pytest.raises(FileExistsError):
        swap.rename_new(a, c)
    swap.rename_new(a, tmp_path / "d")
    assert os.listdir(tmp_path / "d") == ["B"]


def test_restore_puts_an_env_set_aside_back(tmp_path: Path) -> None:
    place = tmp_path / "env"
    aside = swap.hidden_name(place, "aside")
    aside.mkdir()
    (aside / "pyvenv.cfg").touch()
    assert swap.siblings(place, "aside") == [aside]
    swap.restore(place)
    assert (place / "pyvenv.cfg").is_file() and not aside.exists()
