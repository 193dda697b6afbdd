"""Reading requirement files as pip does, the sync fingerprint, and --exact's needed set."""

from __future__ import annotations

from pathlib import Path

import pytest

from vem.errors import InvalidInput
from vem.make.install import Dist, marker_environment, needed
from vem.make.requirements import choose_files, fingerprint, logical_lines, read_all, required


def test_logical_lines_join_continuations_and_drop_comments() -> None:
    text = "# top\nalpha \\\n  >=1.0  # why\n\nbeta#not-a-comment\n  \n"
    assert list(logical_lines(text)) == ["alpha   >=1.0", "beta#not-a-comment"]


@pytest.mark.parametrize(
    "line",
    [
        "-r inc.txt",
        "-rinc.txt",
        "--requirement inc.txt",
        "--requirement=inc.txt",
        "-r 'inc.txt'",
        "-r ${SUBDIR}/../inc.txt",
    ],
)
def test_every_include_form_is_followed(
    tmp_path: Path, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "inc.txt").write_text("beta\n")
    (tmp_path / "top.txt").write_text(f"alpha\n{line}\n")
    read = read_all([tmp_path / "top.txt"], {"SUBDIR": "sub"})
    assert [f.path.name for f in read] == ["top.txt", "inc.txt"]


def test_includes_are_relative_to_the_including_file(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "top.txt").write_text("-r a/mid.txt\n")
    (tmp_path / "a" / "mid.txt").write_text("-c b/pins.txt\n")
    (tmp_path / "a" / "b" / "pins.txt").write_text("beta==1\n")
    read = read_all([tmp_path / "top.txt"], {})
    assert [(f.path.name, f.constraints) for f in read] == [
        ("top.txt", False),
        ("mid.txt", False),
        ("pins.txt", True),
    ]


def test_a_file_included_twice_is_read_once_and_a_cycle_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("-r common.txt\n-r y.txt\n")
    (tmp_path / "y.txt").write_text("-r common.txt\n")
    (tmp_path / "common.txt").write_text("beta\n")
    assert len(read_all([tmp_path / "x.txt"], {})) == 3
    (tmp_path / "common.txt").write_text("-r x.txt\n")
    with pytest.raises(InvalidInput, match="cycle"):
        read_all([tmp_path / "x.txt"], {})


def test_url_includes_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "top.txt").write_text("-r https://example.invalid/reqs.txt\n")
    assert len(read_all([tmp_path / "top.txt"], {})) == 1


def test_fingerprint_covers_contents_version_installer_and_exact(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("alpha\n")
    read = read_all([tmp_path / "r.txt"], {})
    base = fingerprint(read, python="3.11.7", installer="pip", exact=False)
    assert fingerprint(read, python="3.11.8", installer="pip", exact=False) != base
    assert fingerprint(read, python="3.11.7", installer="uv", exact=False) != base
    assert fingerprint(read, python="3.11.7", installer="pip", exact=True) != base
    # the same contents elsewhere (another CI runner's checkout) is the same fingerprint
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "r.txt").write_text("alpha\n")
    moved = read_all([tmp_path / "elsewhere" / "r.txt"], {})
    assert fingerprint(moved, python="3.11.7", installer="pip", exact=False) == base


def test_required_names_skip_options_constraints_and_hashes(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(
        "--index-url https://example.invalid/simple\n"
        "alpha[fast]>=1 ; python_version >= '3' --hash=sha256:00\n"
        "-e ./src/pkg\n"
        "./local-1.0-py3-none-any.whl\n"
        "gamma @ https://example.invalid/gamma.whl\n"
        "-c pins.txt\n"
    )
    (tmp_path / "pins.txt").write_text("delta==1\n")
    wanted = required(read_all([tmp_path / "r.txt"], {}), {})
    assert wanted.named == (
        "alpha[fast]>=1 ; python_version >= '3'",
        "gamma @ https://example.invalid/gamma.whl",
    )
    assert wanted.unnamed == ("./src/pkg", "./local-1.0-py3-none-any.whl")


def test_needed_follows_extras_and_markers() -> None:
    dists = [
        Dist("alpha", ("beta>=1", 'gamma[fast]; python_version >= "3.8"'), None),
        Dist("beta", (), None),
        Dist("gamma", ('delta; extra == "fast"', 'eta; extra == "slow"'), None),
        Dist("delta", ("alpha",), None),  # a cycle in the metadata is fine
        Dist("eta", (), None),
        Dist("old", (), None),
    ]
    assert needed(["Alpha"], dists, markers=marker_environment("3.11.7")) == {
        "alpha",
        "beta",
        "gamma",
        "delta",
    }
    old = marker_environment("3.7.1")
    assert needed(["alpha"], dists, markers=old) == {"alpha", "beta"}


def test_choose_files_order(tmp_path: Path) -> None:
    root = tmp_path
    (root / "requirements.txt").write_text("x\n")
    given = choose_files([Path("a.txt")], cwd=root / "sub", project_root=root, pyproject={})
    assert given.files == (root / "sub" / "a.txt",) and given.cwd == root / "sub"
    listed = choose_files([], cwd=root, project_root=root, pyproject={"requirements": ["r/b.txt"]})
    assert listed.files == (root / "r" / "b.txt",)
    default = choose_files([], cwd=root / "sub", project_root=root, pyproject={})
    assert default.files == (root / "requirements.txt",) and default.cwd == root
    (root / "requirements.txt").unlink()
    assert choose_files([], cwd=root, project_root=root, pyproject={}).files == ()
