"""The loader turns every YAML hazard into a problem with a position, never a traceback."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from nos_cli.maps.load import load_bytes

CASES = [
    # (name, bytes, rule, line, column)
    ("duplicate key", b"a: 1\nb: 2\na: 3\n", "duplicate-key", 3, 1),
    ("unsafe tag", b"a: !!python/object/apply:os.system [ls]\n", "unsafe-tag", 1, 4),
    ("custom tag", b"a: !secret x\n", "unsafe-tag", 1, 4),
    ("anchor", b"a: &x 1\nb: *x\n", "anchor", 1, 4),
    ("billion laughs", b'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: [*b,*b]\n', "anchor", 1, 4),
    ("deep flow nesting", b"[" * 30000 + b"]" * 30000, "max-depth", 1, 65),
    # Closing brackets inside a quoted string must not hide the depth (988 levels was a RecursionError).
    ("quoted closers", b"[" * 988 + b'"' + b"]" * 988 + b'"' + b"]" * 988, "max-depth", 1, 65),
    ("quoted closers past libyaml's limit", b"[" * 30000 + b'"' + b"]" * 30000 + b'"', "max-depth", 1, 65),
    ("flow nesting under libyaml's limit", b"[" * 400 + b"]" * 400, "max-depth", 1, 65),
    ("deep block nesting", b"".join(b"  " * i + b"a:\n" for i in range(2000)), "max-depth", 65, 129),
    ("compact sequences", b"- " * 5000 + b"x\n", "max-depth", 1, 129),
    ("huge int", b"n: " + b"9" * 5000 + b"\n", "bad-scalar", 1, 4),
    ("invalid utf-8", b"a: caf\xe9\n", "encoding", 1, 7),
    ("utf-16", "a: b\n".encode("utf-16"), "encoding", 1, 1),
    ("bom", b"\xef\xbb\xbfa: b\n", "byte-order-mark", 1, 1),
    ("tab indent", b"a:\n\tb: c\n", "yaml-syntax", 2, 1),
    ("empty", b"", "empty-file", 1, 1),
    ("only comments", b"# nothing\n", "empty-file", 1, 1),
    ("two documents", b"a: 1\n---\nb: 2\n", "multiple-documents", 3, 1),
    ("unclosed flow", b"a: [1, 2\nb: 3\n", "yaml-syntax", 2, 2),
    ("control character", b"a: \x07b\n", "yaml-syntax", 1, 4),
    ("complex key", b"? [a, b]\n: c\n", "complex-key", 1, 3),
]


@pytest.mark.parametrize(("name", "data", "rule", "line", "column"), CASES, ids=[c[0] for c in CASES])
def test_hazard_is_a_positioned_problem(name: str, data: bytes, rule: str, line: int, column: int) -> None:
    doc = load_bytes(data, "f.yaml")
    found = [(p.rule, p.line, p.column) for p in doc.problems]
    assert (rule, line, column) in found, found
    assert all(p.path == "f.yaml" for p in doc.problems)


def test_duplicate_key_names_both_places_and_keeps_the_first() -> None:
    doc = load_bytes(b"a: 1\nb: 2\na: 3\n", "f.yaml")
    assert doc.data == {"a": 1, "b": 2}
    assert "first at line 1 column 1" in doc.problems[0].message


def test_aliases_are_never_expanded() -> None:
    rows = [b"%s: &%s [%s]\n" % (bytes([98 + i]), bytes([98 + i]), b",".join([b"*" + bytes([97 + i])] * 9))
            for i in range(8)]
    bomb = b'a: &a ["lol","lol","lol"]\n' + b"".join(rows)
    doc = load_bytes(bomb, "bomb.yaml")
    assert not doc.ok
    assert doc.data["i"] == [None] * 9


def test_dates_stay_strings_and_implicit_types_are_recorded() -> None:
    doc = load_bytes(b"d: 2024-02-15\nv: 1.10\nk: no\nid: 010\nq: 'no'\n", "f.yaml")
    assert doc.data == {"d": "2024-02-15", "v": 1.1, "k": False, "id": 8, "q": "no"}
    assert {p[0]: s.raw for p, s in doc.scalars.items()} == {"d": "2024-02-15", "v": "1.10", "k": "no", "id": "010"}


def test_positions_of_values_and_keys() -> None:
    doc = load_bytes(b"top:\n  items:\n    - id: K1\n      text: hello\n", "f.yaml")
    assert (doc.mark(("top", "items", 0, "text")).line, doc.mark(("top", "items", 0, "text")).column) == (4, 13)
    assert doc.key_mark(("top", "items", 0, "text")).column == 7
    # A path with no value of its own falls back to the nearest ancestor.
    assert doc.mark(("top", "items", 0, "missing")).line == 3


def test_size_cap() -> None:
    doc = load_bytes(b"a: 1\n" * 100, "big.yaml", max_bytes=100)
    assert [p.rule for p in doc.problems] == ["file-size"]
    assert doc.data is None


_SCALARS = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none(),
                     st.floats(allow_nan=False, allow_infinity=False))
_DATA = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(min_size=1, max_size=8), inner, max_size=4), max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(_DATA, st.sampled_from([None, False, True]))
def test_reads_what_yaml_reads(value: object, flow: bool | None) -> None:
    """Differential: any document PyYAML's own safe loader reads, the event builder reads the same way."""
    text = yaml.safe_dump({"v": value}, default_flow_style=flow, allow_unicode=True)
    doc = load_bytes(text.encode("utf-8"), "f.yaml")
    expected = yaml.safe_load(text)
    if any(p.rule == "max-depth" for p in doc.problems):
        return
    assert not [p for p in doc.problems if p.level.value == "error"], doc.problems
    assert doc.data == expected
