"""nos writes indented JSON through its own walk (nos_cli.textsafe._indented): the same text json.dumps writes,
for any document of the types nos puts in one, and json.dumps's own for anything else."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nos_cli.textsafe import json_dumps

LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
DOCS = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=40)


def _plain(doc: Any) -> bool:
    if isinstance(doc, float):
        return math.isfinite(doc)
    if isinstance(doc, list):
        return all(_plain(v) for v in doc)
    if isinstance(doc, dict):
        return all(_plain(v) for v in doc.values())
    return True


@settings(max_examples=300, deadline=None)
@given(DOCS)
def test_indented_json_is_the_text_json_dumps_writes(doc: Any) -> None:
    expected = json.dumps(doc, ensure_ascii=False, indent=2)
    got = json_dumps(doc, indent=2)
    if expected.isascii() and "\x7f" not in expected:
        assert got == expected
    assert json.loads(got) == json.loads(expected) or not _plain(doc)


def test_values_json_dumps_spells_its_own_way_are_left_to_it() -> None:
    doc = {"a": [float("nan"), float("inf")], "b": {"c": 1}}
    assert json_dumps(doc, indent=2) == json.dumps(doc, ensure_ascii=False, indent=2)
    assert json_dumps({1: "x"}, indent=2) == '{\n  "1": "x"\n}'
