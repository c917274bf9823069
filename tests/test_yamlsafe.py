"""Safe YAML loading: nothing builds objects, every refusal is located."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.errors import InputError
from simulator.format.yamlsafe import MAX_BYTES, load_yaml, read_text


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_yaml(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def test_plain_values_load_with_positions() -> None:
    """Mappings, lists and scalars load, and each path knows its line and column."""
    doc = load_yaml("a: 1\nb:\n  - x: yes\n    when: 2024-01-01\n", "s.yaml")
    assert doc.data == {"a": 1, "b": [{"x": True, "when": "2024-01-01"}]}
    assert doc.where(("b", 0, "x")) == (3, 5)
    assert doc.where(("b", 0, "missing")) == (3, 5)


def test_python_object_tags_are_refused() -> None:
    """A tag that would build a Python object is an error, not an object."""
    found = problems("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert found and found[0].startswith("s.yaml:1:4: tag")


def test_anchors_and_aliases_are_refused() -> None:
    """Anchors and aliases (billion-laughs material) are rejected with their positions."""
    found = problems("a: &x [1, 2]\nb: *x\n")
    assert found == [
        "s.yaml:1:4: anchors (&name) are not allowed (write the value out in full)",
        "s.yaml:2:4: aliases (*name) are not allowed (write the value out in full)",
    ]


def test_duplicate_keys_are_refused() -> None:
    """A key given twice is reported at its second occurrence."""
    assert problems("id: a\ntitle: t\nid: b\n") == [
        "s.yaml:3:1: duplicate key 'id' (each key may appear once in a mapping)"]


def test_deep_nesting_is_refused() -> None:
    """Absurd nesting is cut off with a message instead of a recursion error."""
    text = "a: " + "[" * 60 + "]" * 60 + "\n"
    assert any("nesting deeper" in p for p in problems(text))


def test_syntax_error_is_located() -> None:
    """A YAML syntax error names the line and column where parsing failed."""
    found = problems("a: [1, 2\nb: 3\n")
    assert found[0].startswith("s.yaml:") and "YAML syntax error" in found[0]


def test_empty_document() -> None:
    """An empty file says so instead of validating None."""
    assert problems("   \n# only a comment\n")[0].startswith("s.yaml:1:1: the file is empty")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a: 1\x00\n", "binary file"),
        (b"a: caf\xe9\n", "s.yaml:1:7: not valid UTF-8"),
        (b"x" * (MAX_BYTES + 1), "the limit is"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    """Binary, non-UTF-8 and oversized files get a located, readable error."""
    path = tmp_path / "s.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_text(path, "s.yaml")
    assert expected in str(info.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    """A missing path and a directory are both clear errors."""
    with pytest.raises(InputError, match="file not found"):
        read_text(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)
