from __future__ import annotations

import pytest

from vem.errors import InvalidInput
from vem.names import is_path_like, validate_name


@pytest.mark.parametrize("name", ["tools", "my-env", "a.b_c", "X1", "3.12"])
def test_valid_names(name: str) -> None:
    assert validate_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        ".",
        "..",
        "-x",
        "--clear",
        "../x",
        "a/b",
        "a b",
        "x$(touch P)",
        "é",
        "a;b",
        "`x`",
        "a\nb",
    ],
)
def test_invalid_names_are_exit_2(name: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_name(name)
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("./env", True),
        ("/abs", True),
        ("~/x", True),
        ("~", True),
        (".", True),
        ("..", True),
        ("tools", False),
        (".venv", False),
    ],
)
def test_path_like(name: str, expected: bool) -> None:
    assert is_path_like(name) is expected
