"""nos import ifate, nos export and nos compare."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from nos_cli.interop.cells import FORMULA_START
from nos_cli.maps.catalog import bundled_dir
from tests.conftest import FIXTURES, run_cli

ONE = str(FIXTURES / "ifate" / "standard.json")
ALL = str(FIXTURES / "ifate" / "all-standards.json")


def _load(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_import_one_standard_exactly(tmp_path: Path) -> None:
    r = run_cli("import", "ifate", ONE, "--out-dir", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    m = _load(tmp_path / "st9001-v1-1.yaml")
    assert (m["id"], m["kind"], m["version"]) == ("st9001-v1-1", "apprenticeship-standard", "1.1")
    src = m["sources"][0]
    assert (src["reference"], src["version"], src["level"]) == ("ST9001", "1.1", 3)
    assert src["status"] == "Approved for delivery"
    assert src["address"].endswith("widget-technician-v1-1") and "Open Government Licence" in src["licence"]
    ksbs = {k["id"]: (k["kind"], k["text"], k["source_ref"]) for k in m["ksbs"]}
    assert ksbs == {
        "K1": ("knowledge", "Health & safety law for widgets", "k-guid-1"),
        "K2": ("knowledge", "How widgets are made", "k-guid-2"),
        "K3": ("knowledge", "Widget design principles", "k-guid-3"),
        "S1": ("skill", "Repair a widget safely", "s-guid-1"),
        "S2": ("skill", "Draw a widget to scale", "s-guid-2"),
        "B1": ("behaviour", "Takes responsibility for their own work", "b-guid-1"),
        "B2": ("behaviour", "Works well in a team", "b-guid-2"),
    }
    fns = {f["id"]: (a["id"], f["title"], f.get("core"), f["ksbs"]) for a in m["key_areas"] for f in a["functions"]}
    assert fns == {
        "D1": ("OPT2", "Design new widgets", False, ["K3", "S2"]),
        "D2": ("CORE", "Work safely with widgets", True, ["K1", "K2", "B1"]),
        "D3": ("OPT1", "Repair broken widgets", False, ["K2", "S1", "B1"]),
        "F-UNMAPPED": ("UNMAPPED", "KSBs not mapped to any duty", None, ["B2"]),
    }
    assert m["key_purpose"]["text"] == "Building and servicing widgets in the workplace."
    # the JSON's dutyID is kept, and every note names a duty by it, beside nos's code where it has one
    refs = {f["id"]: f.get("source_ref") for a in m["key_areas"] for f in a["functions"]}
    assert refs == {"D1": "d-3", "D2": "d-1", "D3": "d-2", "F-UNMAPPED": None}
    assert "  note: duty (dutyID d-x): placeholder text '.' skipped, no D code given\n" in r.stderr
    assert ("  note: duty D3 (dutyID d-2): mappedBehaviour names 'no-such-guid', which is not a KSB of the "
            "standard\n") in r.stderr
    assert run_cli("validate", "--strict", str(tmp_path)).exit_code == 0
    assert run_cli("show", "D3", "--map", str(tmp_path / "st9001-v1-1.yaml")).exit_code == 0


def test_import_all_standards_every_version(tmp_path: Path) -> None:
    r = run_cli("import", "ifate", ALL, "--out-dir", str(tmp_path))
    # the fixture's fourth element is {"not": "a standard"}: said, never dropped silently, and exit 1
    assert r.exit_code == 1, r.stderr
    assert "skipped element [3]: no referenceNumber (not a standard)\n" in r.stderr
    assert r.stderr.endswith("nos import: 3 written, 1 skipped\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["st0001-v1-0.yaml", "st9001-v1-1.yaml", "st9001-v1-2.yaml"]
    old = _load(tmp_path / "st0001-v1-0.yaml")
    assert [f["ksbs"] for a in old["key_areas"] for f in a["functions"]] == [["K1", "S1", "B1"]]
    assert "the standard maps no duties" in r.stderr
    assert run_cli("validate", "--strict", str(tmp_path)).exit_code == 0
    only = tmp_path / "only"
    only.mkdir()
    assert run_cli("import", "ifate", ALL, "--out-dir", str(only), "--standard", "st9001-v1-2").exit_code == 0
    assert [p.name for p in only.iterdir()] == ["st9001-v1-2.yaml"]


def test_existing_files_are_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "st9001-v1-1.yaml"
    target.write_text("mine\n", encoding="utf-8")
    r = run_cli("import", "ifate", ALL, "--out-dir", str(tmp_path))
    assert r.exit_code == 1
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert "skipped" in r.stderr and (tmp_path / "st9001-v1-2.yaml").exists()
    assert run_cli("import", "ifate", ONE, "--out-dir", str(tmp_path), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "referenceNumber": "ST1",\n  oops\n}', encoding="utf-8")
    r = run_cli("import", "ifate", str(bad), "--out-dir", str(tmp_path))
    assert r.exit_code == 2 and f"{bad}:3:3: not valid JSON" in r.stderr
    made = tmp_path / "new" / "deeper"
    r = run_cli("import", "ifate", ONE, "--out-dir", str(made))  # created like mkdir -p
    assert r.exit_code == 0 and f"nos: created {made}" in r.stderr and len(list(made.glob("*.yaml"))) == 1
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    r = run_cli("import", "ifate", ONE, "--out-dir", str(afile))
    assert r.exit_code == 2 and r.stderr == f"nos: {afile}: not a folder\n"


def test_case_export_one_item_per_node_one_association_per_edge_stable_ids() -> None:
    first = run_cli("export", "--format", "case").stdout
    assert first == run_cli("export", "--format", "case").stdout
    pkg = json.loads(first)
    items, assocs = pkg["CFItems"], pkg["CFAssociations"]
    assert len(items) == 3 + 11 + 27
    assert len({i["identifier"] for i in items}) == len(items)
    assert len(assocs) == 3 + 11 + 28
    kinds = {a["associationType"] for a in assocs}
    assert kinds == {"isChildOf", "isPartOf"}
    by_code = {i["humanCodingScheme"]: i for i in items}
    assert by_code["S9"]["fullStatement"] == "be vigilant in safeguarding learners and others in contact with them"
    assert by_code["S9"]["CFItemType"] == "Skill" and by_code["KA2"]["CFItemType"] == "Key Area"
    s9_links = [a for a in assocs if a["originNodeURI"]["identifier"] == by_code["S9"]["identifier"]]
    assert [(a["associationType"], a["destinationNodeURI"]["identifier"]) for a in s9_links] == [
        ("isPartOf", by_code["F9"]["identifier"])]
    assert pkg["CFDocument"]["lastChangeDateTime"] == "2024-02-15T00:00:00+00:00"


def test_csv_export_rows_and_safety(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("export", "--format", "csv").stdout)))
    assert len(rows) == 41
    f9 = next(r for r in rows if r["id"] == "F9")
    assert (f9["parent_path"], f9["ksbs"], f9["editorial"]) == ("KA2", "S9;K9;B2", "yes")
    assert next(r for r in rows if r["id"] == "B2")["functions"] == "F7;F9"
    src = (bundled_dir() / "nos-learning-development-2010.yaml").read_text(encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text(src.replace("Identify collective learning", "=cmd|' /C calc'!A0 Identify"), encoding="utf-8")
    for row in csv.reader(io.StringIO(run_cli("export", str(m), "--format", "csv").stdout)):
        assert not any(cell.startswith(FORMULA_START) for cell in row)


def test_graphml_and_json_exports(tmp_path: Path) -> None:
    out = tmp_path / "lm.graphml"
    assert run_cli("export", "--format", "graphml", "--output", str(out)).exit_code == 0
    root = ET.parse(out).getroot()
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert len(root.findall(f"{ns}graph/{ns}node")) == 42 and len(root.findall(f"{ns}graph/{ns}edge")) == 42
    assert json.loads(run_cli("export", "--format", "json").stdout) == json.loads(
        run_cli("map", "show", "--format", "json").stdout)


def _edited_copy(tmp_path: Path) -> Path:
    text = (bundled_dir() / "learning-mentor.yaml").read_text(encoding="utf-8")
    # 1. reword S9; 2. insert a knowledge statement after K2 and shift K3..K11 up by one;
    # 3. move F8 from KA3 to KA2; 4. remove S10 (and its link).
    text = text.replace("be vigilant in safeguarding learners and others in contact with them",
                        "be vigilant in safeguarding learners and everyone in contact with them")
    for n in range(11, 2, -1):
        text = text.replace(f"K{n},", f"K{n + 1},").replace(f"K{n}]", f"K{n + 1}]").replace(
            f"{{id: K{n}, kind", f"{{id: K{n + 1}, kind")
    text = text.replace('  - {id: K4, kind', '  - {id: K3, kind: knowledge, source: st0148, text: "the local '
                        'offer of support services for learners"}\n  - {id: K4, kind', 1)
    text = text.replace("ksbs: [S3, K4, B3]", "ksbs: [S3, K4, K3, B3]")
    f8 = ("      - id: F8\n        title: Support learners' action plans\n        editorial: true\n"
          "        rationale: Action plans are carried out with workplace and education-provider colleagues.\n"
          "        ksbs: [S8, K9]\n")
    assert f8 in text
    text = text.replace(f8, "")
    text = text.replace("  - id: KA3\n", f8.replace("      ", "      ", 1) + "  - id: KA3\n", 1)
    text = text.replace("ksbs: [S10, K11]", "ksbs: [K11]")
    text, removed = re.subn(r'  - \{id: S10, kind: skill, source: st0148, text: "maintain the currency of their '
                            r'vocational skills"[^}]*\}\n', "", text)
    assert removed == 1
    path = tmp_path / "lm-edited.yaml"
    path.write_text(text.replace("id: learning-mentor", "id: lm-edited"), encoding="utf-8")
    return path


def test_compare_reports_exactly_the_edits(tmp_path: Path) -> None:
    edited = _edited_copy(tmp_path)
    assert run_cli("validate", str(edited)).exit_code == 0
    r = run_cli("compare", "learning-mentor", str(edited), "--format", "json", "--exit-code")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    changes = {(c["category"], c["level"], (c["old"] or {}).get("id"), (c["new"] or {}).get("id"))
               for c in doc["changes"]}
    expected = {
        ("reworded", "KSB", "S9", "S9"),
        ("added", "KSB", None, "K3"),
        ("removed", "KSB", "S10", None),
        ("moved", "function", "F8", "F8"),
        *{("renumbered", "KSB", f"K{n}", f"K{n + 1}") for n in range(3, 12)},
    }
    assert changes == expected
    reworded = next(c for c in doc["changes"] if c["category"] == "reworded")
    assert reworded["detail"] == ("be vigilant in safeguarding learners and [-others-]{+everyone+} in contact "
                                  "with them")
    assert doc["summary"]["unchanged"] == {"key area": 3, "function": 10, "KSB": 16}


def test_compare_identical_maps_and_exit_code() -> None:
    r = run_cli("compare", "learning-mentor", "learning-mentor", "--exit-code")
    assert r.exit_code == 0 and "0 added, 0 removed, 0 reworded, 0 renumbered, 0 moved" in r.stdout
    md = run_cli("compare", "learning-mentor", "nos-learning-development-2010", "--format", "markdown")
    assert md.exit_code == 0 and "### Added" in md.stdout


def test_compare_pairs_by_guid_across_versions(tmp_path: Path) -> None:
    run_cli("import", "ifate", ALL, "--out-dir", str(tmp_path))
    doc = json.loads(run_cli("compare", str(tmp_path / "st9001-v1-1.yaml"), str(tmp_path / "st9001-v1-2.yaml"),
                             "--format", "json").stdout)
    changes = {(c["category"], (c["old"] or {}).get("id"), (c["new"] or {}).get("id")) for c in doc["changes"]
               if c["level"] == "KSB"}
    assert changes == {("added", None, "K1"), ("renumbered", "K1", "K2"), ("renumbered", "K2", "K3"),
                       ("renumbered", "K3", "K4"), ("reworded", "S2", "S2")}
    assert next(c for c in doc["changes"] if c["category"] == "reworded")["paired_by"] == "source_ref"
