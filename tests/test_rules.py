"""Each map rule on its own, on inline YAML, as yamllint tests its rules: ``check(src, rule, problems)`` runs
one rule over a small map and compares the (line, column) of every problem it reports.

The fixture files (tests/fixtures/validate) test the whole of ``nos validate``; these pin each rule's own
reasoning: what it reports, where, and what it lets pass."""

from __future__ import annotations

import textwrap

import pytest

from nos_cli.maps.load import load_bytes
from nos_cli.rules import REGISTRY
from nos_cli.rules.base import MapContext

HEAD = """\
nos_map: 1
id: t
title: Test map
kind: functional-map
sources:
  - {id: src, title: A standard}
"""


def check(body: str, rule_id: str, *problems: tuple[int, int]) -> None:
    """Run one rule on HEAD + ``body`` (dedented) and compare the positions it reports (lines count HEAD's
    six lines: the body starts on line 7)."""
    doc = load_bytes((HEAD + textwrap.dedent(body)).encode(), "t.yaml")
    assert doc.data is not None, doc.problems
    rule = REGISTRY[rule_id]
    assert rule.check is not None
    found = sorted((p.line, p.column) for p in rule.check(MapContext(doc)))
    assert found == sorted(problems), [str(p) for p in rule.check(MapContext(doc))]


TREE = """\
key_areas:
  - id: A1
    title: Support learners
    source: src
    functions:
      - {id: F1, title: Advise learners, editorial: true, ksbs: [K1, S1]}
"""


def test_id_unique() -> None:
    check(TREE + """\
ksbs:
  - {id: K1, kind: knowledge, source: src, text: how learners learn}
  - {id: S1, kind: skill, source: src, text: advise learners}
  - {id: K1, kind: knowledge, source: src, text: a second K1}
""", "id-unique", (16, 10))
    check(TREE + "ksbs:\n  - {id: F1, kind: knowledge, source: src, text: t}\n  - {id: S1, kind: skill, source: src, "
          "text: s}\n", "id-unique", (14, 10))


def test_ksb_prefix() -> None:
    check(TREE + """\
ksbs:
  - {id: K1, kind: knowledge, source: src, text: how learners learn}
  - {id: S1, kind: behaviour, source: src, text: be kind}
""", "ksb-prefix", (15, 10))


def test_unknown_ksb_and_its_suggestion() -> None:
    body = TREE.replace("[K1, S1]", "[K1, S2, A1]") + """\
ksbs:
  - {id: K1, kind: knowledge, source: src, text: how learners learn}
  - {id: S1, kind: skill, source: src, text: advise learners}
"""
    check(body, "unknown-ksb", (12, 70), (12, 74))
    doc = load_bytes((HEAD + body).encode(), "t.yaml")
    messages = [p.message for p in REGISTRY["unknown-ksb"].check(MapContext(doc))]  # type: ignore[misc]
    assert "(did you mean 'S1'?)" in messages[0]
    assert "not a KSB" in messages[1]


def test_orphan_ksb() -> None:
    check(TREE + """\
ksbs:
  - {id: K1, kind: knowledge, source: src, text: how learners learn}
  - {id: S1, kind: skill, source: src, text: advise learners}
  - {id: B1, kind: behaviour, source: src, text: be kind}
""", "orphan-ksb", (16, 10))


def test_duplicate_link() -> None:
    check(TREE.replace("[K1, S1]", "[K1, S1, K1]") + """\
ksbs:
  - {id: K1, kind: knowledge, source: src, text: how learners learn}
  - {id: S1, kind: skill, source: src, text: advise learners}
""", "duplicate-link", (12, 74))


def test_unknown_source() -> None:
    check(TREE + """\
ksbs:
  - {id: K1, kind: knowledge, source: elsewhere, text: how learners learn}
  - {id: S1, kind: skill, source: src, text: advise learners}
""", "unknown-source", (14, 39))


@pytest.mark.parametrize(("text", "rule_id", "column"), [
    ('" leading space"', "whitespace", 50),
    ('"doubled  space"', "whitespace", 50),
    ('"caf&eacute;"', "html-entity", 50),
    ('"a <b>bold</b> claim"', "html-entity", 50),
    ('""', "empty-text", 50),
    ('"bell\\a"', "control-character", 50),
])
def test_text_rules(text: str, rule_id: str, column: int) -> None:
    body = TREE + f"ksbs:\n  - {{id: K1, kind: knowledge, source: src, text: {text}}}\n" \
        "  - {id: S1, kind: skill, source: src, text: advise learners}\n"
    check(body, rule_id, (14, column))


@pytest.mark.parametrize("text", ["how learners learn", "a statement, with punctuation; and quotes ’"])
def test_clean_text_passes_every_text_rule(text: str) -> None:
    body = TREE + f'ksbs:\n  - {{id: K1, kind: knowledge, source: src, text: "{text}"}}\n' \
        "  - {id: S1, kind: skill, source: src, text: advise learners}\n"
    for rule_id in ("whitespace", "html-entity", "empty-text", "control-character"):
        check(body, rule_id)


def test_near_duplicate() -> None:
    check(TREE + """\
ksbs:
  - {id: K1, kind: knowledge, source: src, text: "how learners learn best"}
  - {id: S1, kind: skill, source: src, text: "How learners learn best."}
""", "near-duplicate", (15, 46))


def test_empty_key_area_and_function() -> None:
    check("""\
key_areas:
  - id: A1
    title: Support learners
    source: src
    functions:
      - {id: F1, title: Advise learners, editorial: true, ksbs: []}
  - {id: A2, title: Nothing here, source: src}
ksbs:
  - {id: K1, kind: knowledge, source: src, text: how learners learn}
""", "empty", (12, 14), (13, 10))


def test_provenance() -> None:
    check(TREE.replace(", editorial: true", "") + """\
ksbs:
  - {id: K1, kind: knowledge, source: src, text: how learners learn}
  - {id: S1, kind: skill, source: src, text: advise learners}
""", "provenance", (12, 25))


# --- mapping rules: the same, on a MappingContext with the bundled Learning Mentor map -----------------------

MAPPING_HEAD = """\
nos_mapping: 1
map: learning-mentor
title: A programme
items:
"""


def check_mapping(body: str, rule_id: str, *problems: tuple[int, int], known: bool = True) -> None:
    """Run one mapping rule on MAPPING_HEAD + ``body`` (dedented: items start on line 5, column 1) against the
    bundled map (or, with ``known=False``, against no map at all)."""
    from nos_cli.maps.catalog import Catalog
    from nos_cli.rules.base import MappingContext

    doc = load_bytes((MAPPING_HEAD + textwrap.dedent(body)).encode(), "m.yaml")
    assert doc.data is not None, doc.problems
    fmap = Catalog.from_options().get("learning-mentor") if known else None
    rule = REGISTRY[rule_id]
    assert rule.check is not None and rule.target == "mapping"
    ctx = MappingContext(doc, lambda _id: fmap)
    found = sorted((p.line, p.column) for p in rule.check(ctx))
    assert found == sorted(problems), [str(p) for p in rule.check(ctx)]


def test_mapping_duplicate() -> None:
    check_mapping("""\
  - {id: M1, title: One, ksbs: [K1, S1, K1]}
  - {id: M1, title: Again, ksbs: [K2]}
""", "mapping-duplicate", (5, 39), (6, 8))


def test_mapping_unknown_ksb_and_unknown_map() -> None:
    body = "  - {id: M1, title: One, ksbs: [K1, S99]}\n"
    check_mapping(body, "mapping-unknown-ksb", (5, 35))
    check_mapping(body, "mapping-unknown-map", known=True)
    check_mapping(body, "mapping-unknown-map", (2, 6), known=False)
    check_mapping(body, "mapping-unknown-ksb", known=False)  # no map: no link is judged


def test_mapping_stray_fingerprint_and_unchecked() -> None:
    body = """\
  - id: M1
    title: One
    ksbs: [K1]
    fingerprints: {K2: abc}
"""
    check_mapping(body, "mapping-stray-fingerprint", (8, 18))
    check_mapping(body, "mapping-unchecked", (7, 10))
    check_mapping(body, "mapping-suspect")


def test_mapping_suspect() -> None:
    check_mapping("  - {id: M1, title: One, ksbs: [K1], fingerprints: {K1: '0000000000000000'}}\n",
                  "mapping-suspect", (5, 31))
