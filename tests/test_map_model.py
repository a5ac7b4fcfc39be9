"""The model a map is read into (nos_cli/maps/build.py, graph.py), as the commands that use it show it.

The map is one networkx DiGraph, and every path must tell the same story: GraphML and CASE (which walk the
graph), CSV, ``map show`` and ``compare`` (which use FunctionalMap's queries). ``lenient.yaml`` is a map the
rules reject in every way the builder must survive: a repeated key area (its functions go with it), a repeated
function, an element and a KSB sharing an id (the KSB stands), a repeated KSB, a KSB linked twice, links to a
function, a key area and an unknown id, an orphan KSB.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import FIXTURES, run_cli

LENIENT = FIXTURES / "model" / "lenient.yaml"
NS = "{http://graphml.graphdrawing.org/xmlns}"

# What survives of lenient.yaml, worked out by hand from the file: the first of each id, links to KSBs only.
NODES = [":map", "K1", "K2", "S1", "B1", "B2", "KA1", "F1", "E1", "F2", "KA2", "F3"]  # KSBs first, then the tree
CONTAINS = [(":map", "KA1"), (":map", "KA2"), ("KA1", "F1"), ("KA1", "F2"), ("F1", "E1"), ("KA2", "F3")]
REQUIRES = [("F1", "K1"), ("F1", "S1"), ("F1", "K2"), ("F2", "S1"), ("F3", "B1"), ("F3", "K1")]


def _graphml(path: Path = LENIENT) -> tuple[list[str], list[tuple[str, str, str]]]:
    r = run_cli("export", str(path), "--format", "graphml")
    assert r.exit_code == 0, r.stderr
    graph = ET.fromstring(r.stdout.encode("utf-8")).find(f"{NS}graph")
    assert graph is not None
    rel = next(k.get("id") for k in ET.fromstring(r.stdout.encode("utf-8")).findall(f"{NS}key")
               if k.get("attr.name") == "rel")
    edges = [(e.get("source", ""), e.get("target", ""),
              next(d.text or "" for d in e.findall(f"{NS}data") if d.get("key") == rel))
             for e in graph.findall(f"{NS}edge")]
    return [n.get("id", "") for n in graph.findall(f"{NS}node")], edges


def test_graphml_keeps_the_first_of_each_id_and_only_links_to_ksbs() -> None:
    nodes, edges = _graphml()
    assert nodes == NODES
    # each node's edges together, in the order of the nodes; a node's children before the KSBs it links
    order = {n: i for i, n in enumerate(NODES)}
    expected = sorted([(a, b, "contains") for a, b in CONTAINS] + [(a, b, "requires") for a, b in REQUIRES],
                      key=lambda e: order[e[0]])
    assert edges == expected


def test_the_queries_agree_with_the_graph() -> None:
    """CSV and map show read the map through its queries (children, links, ancestors, functions_for)."""
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run_cli("export", str(LENIENT), "-f", "csv").stdout))}
    assert sorted(rows) == sorted(NODES[1:])
    for fn in ("F1", "F2", "F3"):
        assert rows[fn]["ksbs"].split(";") == [b for a, b in REQUIRES if a == fn]
    for ksb in ("K1", "K2", "S1", "B1", "B2"):
        assert rows[ksb]["functions"] == ";".join(a for a, b in REQUIRES if b == ksb)
    assert rows["E1"]["parent_path"] == "KA1/F1" and rows["F3"]["parent_path"] == "KA2"
    doc = json.loads(run_cli("map", "show", str(LENIENT), "-f", "json").stdout)["map"]
    tree = [(":map", a["id"]) for a in doc["key_areas"]]
    tree += [(a["id"], f["id"]) for a in doc["key_areas"] for f in a["functions"]]
    tree += [(f["id"], e["id"]) for a in doc["key_areas"] for f in a["functions"] for e in f.get("elements", [])]
    assert sorted(tree) == sorted(CONTAINS)
    assert [(f["id"], k) for a in doc["key_areas"] for f in a["functions"] for k in f["ksbs"]] == REQUIRES
    assert [k["id"] for k in doc["ksbs"]] == NODES[1:6]


def test_case_has_one_association_per_edge_of_the_graph() -> None:
    pkg = json.loads(run_cli("export", str(LENIENT), "-f", "case").stdout)
    code = {i["identifier"]: i["humanCodingScheme"] for i in pkg["CFItems"]}
    code[pkg["CFDocument"]["identifier"]] = ":map"
    got = [(code[a["destinationNodeURI"]["identifier"]], code[a["originNodeURI"]["identifier"]],
            a["associationType"]) for a in pkg["CFAssociations"]]
    assert sorted(got) == sorted([(a, b, "isChildOf") for a, b in CONTAINS] + [(a, b, "isPartOf") for a, b in
                                                                                REQUIRES])


def test_compare_sees_the_same_model(tmp_path: Path) -> None:
    same = run_cli("compare", str(LENIENT), str(LENIENT), "-f", "json", "--exit-code")
    assert same.exit_code == 0
    assert json.loads(same.stdout)["summary"]["unchanged"] == {"key area": 2, "function": 3, "KSB": 5}
    # F2 moves to KA2 and F3 links S1 instead of K1: one function and two KSBs move, nothing else changes
    text = LENIENT.read_text(encoding="utf-8")
    f2 = "      - id: F2\n        title: Function two\n        source: s\n        ksbs: [S1]\n"
    assert f2 in text
    text = text.replace(f2, "").replace("      - {id: F3, title: Function three, source: s, ksbs: [B1, K1]}",
                                        "      - {id: F3, title: Function three, source: s, ksbs: [B1, S1]}\n" + f2)
    moved = tmp_path / "moved.yaml"
    moved.write_text(text, encoding="utf-8")
    assert _graphml(moved)[0] == [n for n in NODES if n != "F2"] + ["F2"]  # now after F3, under KA2
    doc = json.loads(run_cli("compare", str(LENIENT), str(moved), "-f", "json").stdout)
    assert {(c["category"], c["level"], c["old"]["id"], c["detail"]) for c in doc["changes"]} == {
        ("moved", "function", "F2", "from key area KA1 to KA2"),
        ("moved", "KSB", "K1", "linked by F1, F3 before, F1 now"),
        ("moved", "KSB", "S1", "linked by F1, F2 before, F1, F2, F3 now"),
    }
