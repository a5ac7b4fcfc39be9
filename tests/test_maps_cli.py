"""nos map list, nos map show and nos show, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from nos_cli.maps.catalog import bundled_dir
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
    assert "did you mean learning-mentor:S9" in r.stderr  # every map was searched: suggestions name theirs


def test_map_list_lists_bundled_maps() -> None:
    doc = json.loads(run_cli("map", "list", "--format", "json").stdout)
    ids = {m["id"] for m in doc["maps"]}
    assert {"learning-mentor", "nos-learning-development-2010"} <= ids


def test_map_show_area_depth_and_no_ksbs() -> None:
    r = run_cli("map", "show", "--area", "KA2", "--no-ksbs")
    assert r.exit_code == 0
    assert "KA2  " in r.stdout and "KA1  " not in r.stdout
    assert "F9  Safeguard learners" in r.stdout and "S9  " not in r.stdout
    r = run_cli("map", "show", "--depth", "1")
    assert "KA3  " in r.stdout and "F1  " not in r.stdout


def test_map_show_unknown_area_exits_1() -> None:
    r = run_cli("map", "show", "--area", "KA9")
    assert r.exit_code == 1
    assert "KA1, KA2, KA3" in r.stderr


def test_map_show_yaml_round_trips_to_a_valid_map(tmp_path: Path) -> None:
    out = tmp_path / "copy.yaml"
    out.write_text(run_cli("map", "show", "--format", "yaml").stdout, encoding="utf-8")
    copy = json.loads(run_cli("map", "show", str(out), "--format", "json").stdout)
    orig = json.loads(run_cli("map", "show", "--format", "json").stdout)
    copy["map"]["title"] = orig["map"]["title"]
    assert copy == orig


def test_map_show_markdown_mermaid_dot() -> None:
    md = run_cli("map", "show", "--format", "markdown").stdout
    assert md.startswith("# Learning Mentor functional map\n")
    assert "- `S9` (skill) be vigilant in safeguarding learners and others in contact with them" in md
    assert "*(editorial)*" in md
    mm = run_cli("map", "show", "--format", "mermaid").stdout
    assert mm.startswith("flowchart LR\n") and mm.count("-.->") == 28  # 11 S-K pairs and 6 behaviour links
    dot = run_cli("map", "show", "--format", "dot").stdout
    assert dot.startswith('digraph "learning-mentor" {') and dot.rstrip().endswith("}")
    assert dot.count("[style=dashed]") == 28


def test_text_in_square_brackets_prints_literally(tmp_path: Path) -> None:
    src = (bundled_dir() / "learning-mentor.yaml").read_text(encoding="utf-8")
    path = tmp_path / "m.yaml"
    path.write_text(src.replace("id: learning-mentor", "id: brackets").replace(
        "be vigilant in safeguarding", "be [b]vigilant[/b] [/] in safeguarding"), encoding="utf-8")
    for args in (("map", "show", str(path)), ("show", "S9", "--map", str(path))):
        r = run_cli(*args, "--color", "always")
        assert r.exit_code == 0, r.stderr
        assert "be [b]vigilant[/b] [/] in safeguarding" in _strip_ansi(r.stdout)


def test_piped_output_has_no_colour_and_no_wrapping() -> None:
    r = run_cli("map", "show")
    assert "\x1b[" not in r.stdout
    assert any(len(line) > 120 for line in r.stdout.splitlines())


def test_colour_on_request_and_no_color_env() -> None:
    assert "\x1b[" in run_cli("map", "show", "--color", "always").stdout
    assert "\x1b[" not in run_cli("map", "show", env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in run_cli("map", "show", env={"NO_COLOR": "", "FORCE_COLOR": "1"}).stdout


def test_maps_dir_and_env_path_and_path_argument(tmp_path: Path) -> None:
    src = (bundled_dir() / "nos-learning-development-2010.yaml").read_text(encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(src.replace("id: nos-learning-development-2010", "id: mine"),
                                        encoding="utf-8")
    ids = lambda r: {m["id"] for m in json.loads(r.stdout)["maps"]}  # noqa: E731
    assert "mine" in ids(run_cli("map", "list", "--maps-dir", str(tmp_path), "--format", "json"))
    assert "mine" in ids(run_cli("map", "list", "--format", "json", env={"NOS_MAPS_PATH": str(tmp_path)}))
    assert "mine" not in ids(run_cli("map", "list", "--format", "json"))
    assert run_cli("map", "show", "mine", "--maps-dir", str(tmp_path)).exit_code == 0
    assert run_cli("map", "show", str(tmp_path / "mine.yaml")).exit_code == 0
    r = run_cli("show", "7", "--map", str(tmp_path / "mine.yaml"))
    assert "Facilitate individual learning and development" in r.stdout


def test_a_user_map_shadows_a_bundled_one_with_the_same_id(tmp_path: Path) -> None:
    src = (bundled_dir() / "learning-mentor.yaml").read_text(encoding="utf-8")
    (tmp_path / "lm.yaml").write_text(src.replace("title: Learning Mentor functional map", "title: My LM"),
                                      encoding="utf-8")
    r = run_cli("map", "show", "--maps-dir", str(tmp_path), "--depth", "1")
    assert r.stdout.startswith("My LM")


def test_bad_map_file_is_one_line_with_position_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("nos_map: 1\nid: x\nid: y\n", encoding="utf-8")
    r = run_cli("map", "show", str(bad))
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1
    assert f"{bad}:3:1: duplicate key 'id'" in r.stderr
    r = run_cli("map", "show", str(tmp_path / "missing.yaml"))
    assert r.exit_code == 2 and "no such file" in r.stderr
    r = run_cli("map", "list", "--maps-dir", str(tmp_path / "nope"))
    assert r.exit_code == 2 and "not a folder" in r.stderr


def test_structure_error_names_rule_and_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("nos_map: 1\nid: x\ntitle: X\nkind: functional-map\nsources: []\nkey_areas: []\nksbs: no\n",
                   encoding="utf-8")
    r = run_cli("map", "show", str(bad))
    assert r.exit_code == 2
    assert f"{bad}:7:7:" in r.stderr and "[type]" in r.stderr


def test_bad_option_value_exits_2() -> None:
    r = run_cli("map", "show", "--format", "pdf")
    assert r.exit_code == 2
    assert "'pdf' is not one of" in r.stderr


def test_show_function_and_area() -> None:
    doc = json.loads(run_cli("show", "F9", "--format", "json").stdout)["node"]
    assert doc["kind"] == "function" and doc["editorial"] is True
    assert [k["id"] for k in doc["ksbs"]] == ["S9", "K9", "B2"]
    assert doc["parent"]["id"] == "KA2"
    area = json.loads(run_cli("show", "KA1", "--format", "json").stdout)["node"]
    assert [c["id"] for c in area["contains"]] == ["F4", "F6", "F7", "F10"]


def test_show_ksb_json_lists_every_function_and_area() -> None:
    doc = json.loads(run_cli("show", "B2", "--format", "json").stdout)["node"]
    assert [f["id"] for f in doc["functions"]] == ["F7", "F9"]
    assert [a["id"] for a in doc["areas"]] == ["KA1", "KA2"]
    assert doc["location"].endswith("learning-mentor.yaml:" + doc["location"].split(":")[-2] + ":"
                                    + doc["location"].split(":")[-1])


def test_version_and_help() -> None:
    r = run_cli("--version")
    assert r.exit_code == 0 and r.stdout.startswith("nos ")
    assert "map" in run_cli("--help").stdout


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
