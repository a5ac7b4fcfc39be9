"""Aliases: declared in the map format, marked editorial in every output, checked by nos validate."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nos_cli.maps.catalog import bundled_dir
from nos_cli.maps.format import OBJECTS, json_schema
from tests.conftest import FIXTURES, run_cli


def test_aliases_are_declared_once_for_areas_functions_and_ksbs() -> None:
    for name in ("key_area", "function", "ksb"):
        assert OBJECTS[name].fields["aliases"].type == "[str]"
        assert "editorial" in OBJECTS[name].fields["aliases"].doc
        assert json_schema()["$defs"][name]["properties"]["aliases"]["items"] == {"type": "string"}
    assert "aliases" not in OBJECTS["element"].fields


def test_tree_and_markdown_mark_aliases_editorial() -> None:
    tree = run_cli("map", "show", "learning-mentor", "--color", "never").stdout
    assert "aliases (editorial): SMART targets" in tree
    md = run_cli("map", "show", "learning-mentor", "--format", "markdown").stdout
    assert "*aliases (editorial):* SMART targets" in md


def test_json_and_yaml_keep_the_file_shape() -> None:
    doc = json.loads(run_cli("map", "show", "learning-mentor", "--format", "json").stdout)
    s8 = next(k for k in doc["map"]["ksbs"] if k["id"] == "S8")
    assert "SMART targets" in s8["aliases"] and s8["source"] == "st0148"
    yml = run_cli("map", "show", "learning-mentor", "--format", "yaml").stdout
    assert "SMART targets" in yml


def test_show_node_marks_aliases_editorial() -> None:
    doc = json.loads(run_cli("show", "S8", "--format", "json").stdout)
    assert doc["node"]["aliases"]["editorial"] is True and "SMART targets" in doc["node"]["aliases"]["terms"]
    assert "aliases (editorial): " in run_cli("show", "S8", "--color", "never").stdout


def test_shared_alias_is_allowed_only_between_nodes_one_function_links() -> None:
    r = run_cli("validate", "--format", "json", str(FIXTURES / "validate" / "bad" / "alias-shared.yaml"))
    found = [(p["rule"], p["line"]) for f in json.loads(r.stdout)["files"] for p in f["problems"]]
    assert found == [("alias-shared", 23)]  # S2's "gdpr"; S1 shares "GDPR" with K1, its twin through F1


def test_the_bundled_maps_aliases_pass_every_rule() -> None:
    r = run_cli("validate", "--strict", str(bundled_dir() / "learning-mentor.yaml"))
    assert r.exit_code == 0, r.stdout


_MAP = """nos_map: 1
id: fixture
title: Fixture map
kind: functional-map
sources: [{{id: src, title: A standard}}]
key_areas:
  - id: A1
    title: Support learners
    source: src
    functions:
      - {{id: F1, title: Advise, editorial: true, ksbs: [S1]}}
      - {{id: F2, title: Record, editorial: true, ksbs: [S2]}}
ksbs:
  - {{id: S1, kind: skill, source: src, text: "advise learners", aliases: {first}}}
  - {{id: S2, kind: skill, source: src, text: "keep records", aliases: {second}}}
"""

_ALIAS = st.text(alphabet=st.sampled_from("ab -A"), max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ALIAS, max_size=4), st.lists(_ALIAS, max_size=4))
def test_alias_rules_fire_exactly_when_they_should(tmp_path: Path, first: list[str], second: list[str]) -> None:
    from nos_cli.rules.aliases import fold

    f = tmp_path / "map.yaml"
    f.write_text(_MAP.format(first=json.dumps(first), second=json.dumps(second)), encoding="utf-8")
    r = run_cli("validate", "--format", "json", str(f))
    assert r.exit_code in (0, 1), r.stderr
    rules = [p["rule"] for file in json.loads(r.stdout)["files"] for p in file["problems"]]
    blank = sum(1 for a in first + second if not a.strip()) + (first == []) + (second == [])
    assert rules.count("alias-empty") == blank
    own = {"S1": fold("advise learners"), "S2": fold("keep records")}

    def repeats(values: list[str], text: str) -> int:
        folded = [fold(a) for a in values if fold(a)]
        return len(folded) - len(set(folded)) + sum(1 for a in set(folded) if a == text)

    assert rules.count("alias-duplicate") == repeats(first, own["S1"]) + repeats(second, own["S2"])
    shared = {fold(a) for a in first if fold(a)} & {fold(a) for a in second if fold(a)}
    assert rules.count("alias-shared") == sum(1 for a in second if fold(a) in shared)
