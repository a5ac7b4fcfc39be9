"""The map format: the structure check and the JSON Schema agree, and the shipped schema is current."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from nos_cli.maps.catalog import bundled_dir
from nos_cli.maps.format import check_structure, json_schema, json_schema_text
from nos_cli.maps.load import load_bytes, load_file

SHIPPED = Path(__file__).resolve().parent.parent / "nos_cli" / "schemas" / "functional-map.schema.json"

GOOD = b"""nos_map: 1
id: tiny
title: Tiny
kind: functional-map
sources: [{id: s, title: S}]
key_areas:
  - id: A
    title: Area
    editorial: true
    functions:
      - {id: F1, title: Do it, editorial: true, ksbs: [K1]}
ksbs:
  - {id: K1, kind: knowledge, text: how, source: s}
"""


def test_shipped_schema_is_generated_from_the_declarations() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == json_schema_text()


@pytest.mark.parametrize("path", sorted(bundled_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_maps_pass_both_checks(path: Path) -> None:
    doc = load_file(path)
    assert list(check_structure(doc)) == []
    jsonschema.validate(doc.data, json_schema())


BAD = [
    # (what, YAML, rule, line, column)
    ("missing id", GOOD.replace(b"id: tiny\n", b""), "required", 1, 1),
    ("unknown key with suggestion", GOOD.replace(b"title: Tiny", b"titel: Tiny"), "unknown-key", 3, 1),
    ("wrong kind", GOOD.replace(b"kind: functional-map", b"kind: recipe"), "schema", 4, 7),
    ("bad map id", GOOD.replace(b"id: tiny", b"id: Tiny Map"), "schema", 2, 5),
    ("future version", GOOD.replace(b"nos_map: 1", b"nos_map: 2"), "format-version", 1, 10),
    ("ksbs not a list", GOOD.replace(b"ksbs: [K1]", b"ksbs: K1"), "type", 11, 55),
    ("yes as text", GOOD.replace(b"text: how", b"text: yes"), "implicit-type", 13, 37),
    ("float version", GOOD.replace(b"title: Tiny", b"title: Tiny\nversion: 1.10"), "implicit-type", 4, 10),
    ("bad ksb kind", GOOD.replace(b"kind: knowledge", b"kind: knowlege"), "schema", 13, 20),
]


@pytest.mark.parametrize(("what", "data", "rule", "line", "column"), BAD, ids=[b[0] for b in BAD])
def test_structure_problems_point_at_the_place(what: str, data: bytes, rule: str, line: int, column: int) -> None:
    doc = load_bytes(data, "m.yaml")
    assert doc.ok, doc.problems
    found = [(p.rule, p.line, p.column) for p in check_structure(doc)]
    assert (rule, line, column) in found, found
    # The JSON Schema rejects the same files (editors and nos agree).
    if rule != "implicit-type":
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(doc.data, json_schema())


def test_did_you_mean_for_unknown_keys() -> None:
    doc = load_bytes(GOOD.replace(b"title: Tiny", b"titel: Tiny"), "m.yaml")
    messages = [p.message for p in check_structure(doc)]
    assert any("did you mean 'title'" in m for m in messages)


def test_implicit_type_message_says_how_to_quote() -> None:
    doc = load_bytes(GOOD.replace(b"text: how", b"text: no"), "m.yaml")
    (problem,) = [p for p in check_structure(doc) if p.rule == "implicit-type"]
    assert problem.message == "'no' was read as a boolean (False); quote it to keep it as text: \"no\""


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SHIPPED.read_text(encoding="utf-8")))
