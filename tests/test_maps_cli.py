"""nos map list, nos map show and nos show, as a user runs them."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_map_show_tree_has_three_areas_and_all_27_ksbs() -> None:
    r = run_cli("map", "show")
    assert r.exit_code == 0
    for area in ("KA1", "KA2", "KA3"):
        assert f"{area}  " in r.stdout
    for prefix, n in (("K", 11), ("S", 11), ("B", 5)):
        for i in range(1, n + 1):
            assert f"{prefix}{i}  " in r.stdout
    assert "S9  be vigilant in safeguarding learners and others in contact with them" in r.stdout


def test_map_show_json_counts() -> None:
    doc = json.loads(run_cli("map", "show", "--format", "json").stdout)
    assert doc["format"] == "nos-map" and doc["format_version"] == 1
    m = doc["map"]
    assert len(m["ksbs"]) == 27
    assert len(m["key_areas"]) == 3
    assert sum(len(a["functions"]) for a in m["key_areas"]) >= 11


def test_show_s9_names_function_and_area() -> None:
    r = run_cli("show", "S9")
    assert r.exit_code == 0
    assert "be vigilant in safeguarding learners and others in contact with them" in r.stdout
    assert "F9" in r.stdout and "KA2" in r.stdout


def test_show_unknown_id_exits_1_with_suggestions() -> None:
    r = run_cli("show", "S99")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "did you mean S9" in r.stderr


def test_map_list_lists_bundled_maps() -> None:
    doc = json.loads(run_cli("map", "list", "--format", "json").stdout)
    ids = {m["id"] for m in doc["maps"]}
    assert {"learning-mentor", "nos-learning-development-2010"} <= ids
