"""The bundled maps are correct to the letter of their sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nos_cli.maps.catalog import Catalog, bundled_dir
from nos_cli.maps.load import load_file
from tests.conftest import SOURCES

# Which file in ../shared/sources/ each source id of the bundled maps quotes.
SOURCE_FILES = {
    "standards-site": "learning-mentors-standards-site.txt",
    "st0148": "st0148-learning-mentor-standard.txt",
    "lluk-2010": "nos-learning-development-2010.md",
    "cwdc-match": "ldss-learning-mentor-mentoring-units.md",
}
MAP_FILES = sorted(bundled_dir().glob("*.yaml"))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _texts(data: dict) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    """(node id, source id, text) for every sourced text in a map document."""
    out = []
    kp = data.get("key_purpose")
    if kp and kp.get("source"):
        out.append(("key purpose", kp["source"], kp["text"]))
    for area in data.get("key_areas", []):
        nodes = [area, *area.get("functions", [])]
        nodes += [e for f in area.get("functions", []) for e in f.get("elements", [])]
        out += [(n["id"], n["source"], n["title"]) for n in nodes if n.get("source")]
    out += [(k["id"], k["source"], k["text"]) for k in data.get("ksbs", []) if k.get("source")]
    return out


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not beside the checkout")
@pytest.mark.parametrize("path", MAP_FILES, ids=lambda p: p.stem)
def test_every_sourced_text_is_word_for_word_in_its_source(path: Path) -> None:
    doc = load_file(path)
    assert doc.ok, doc.problems
    texts = _texts(doc.data)
    assert texts
    for node_id, source, text in texts:
        original = _flat((SOURCES / SOURCE_FILES[source]).read_text(encoding="utf-8"))
        assert _flat(text) in original, f"{path.name}: {node_id} is not word for word in {SOURCE_FILES[source]}"


def test_every_text_node_says_whose_words_it_is() -> None:
    for path in MAP_FILES:
        data = load_file(path).data
        nodes = [n for a in data["key_areas"] for n in [a, *a.get("functions", [])]]
        nodes += data.get("ksbs", [])
        for n in nodes:
            assert bool(n.get("source")) != bool(n.get("editorial")), f"{path.name}: {n['id']}"


def test_learning_mentor_map_has_all_27_ksbs_in_order_and_every_one_linked() -> None:
    m = Catalog.from_options().get("learning-mentor")
    ids = [k.id for k in m.ksbs()]
    assert ids == [f"K{i}" for i in range(1, 12)] + [f"S{i}" for i in range(1, 12)] + [f"B{i}" for i in range(1, 6)]
    assert m.orphans() == []
    assert [a.id for a in m.areas()] == ["KA1", "KA2", "KA3"]
    assert len(m.functions()) == 11
    # Each function pairs Sn with Kn, as the standard sets them side by side.
    for f in m.functions():
        n = f.id[1:]
        linked = {k.id for k in m.links(f.id)}
        assert {f"S{n}", f"K{n}"} <= linked
        assert f.editorial and f.rationale
    assert m.node("S9").text == "be vigilant in safeguarding learners and others in contact with them"


def test_behaviours_keep_the_standards_numbering() -> None:
    m = Catalog.from_options().get("learning-mentor")
    assert [(b.id, b.source_ref) for b in m.ksbs("behaviour")] == [(f"B{i}", str(i)) for i in range(1, 6)]


def test_nos_suite_map_has_no_ksbs_and_13_standards() -> None:
    m = Catalog.from_options().get("nos-learning-development-2010")
    assert m.ksbs() == []
    assert [a.id for a in m.areas()] == ["A", "B", "C", "D"]
    assert [f.id for f in m.functions()] == [str(i) for i in range(1, 14)]
    assert m.level_name("function") == "Standard"


def test_ldss_map_is_marked_partial_with_elements() -> None:
    m = Catalog.from_options().get("ldss-learning-mentor-mentoring")
    assert m.info.partial
    assert [f.id for f in m.functions()] == ["GCU1", "311", "323", "GCU3", "316", "314"]
    assert [e.id for e in m.children("311")] == ["311.1", "311.2", "311.3", "311.4"]
    assert m.children("314") == []


def test_every_map_file_names_its_schema_for_editors() -> None:
    for path in MAP_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert re.match(r"# yaml-language-server: \$schema=\S+functional-map\.schema\.json$", first)
