"""Web pages without a browser: `nos map show --format html`, `nos site`, the matrix page, DOT and Mermaid.

Pages are parsed into a small DOM (tests/htmldom.py) and checked for what a reader would get: every node, the
links between KSBs and functions, relative links that resolve, hostile map text kept as text. The browser
itself is driven in tests/test_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nos_cli.maps.catalog import Catalog
from nos_cli.maps.graph import FunctionalMap
from nos_cli.render import html_base
from nos_cli.render.html_base import anchor
from nos_cli.render.html_map import SCRIPT as MAP_SCRIPT
from nos_cli.render.matrix import HEAT
from tests.conftest import FIXTURES, ROOT, run_cli
from tests.htmldom import El, parse, words

HOSTILE = FIXTURES / "html" / "hostile.yaml"
HOSTILE_MAPPING = FIXTURES / "html" / "mapping.yaml"
PROGRAMME = ROOT / "examples" / "learning-mentor-programme.yaml"
SHORT = ROOT / "examples" / "learning-mentor-short-course.yaml"


def _map(ref: str) -> FunctionalMap:
    return Catalog.from_options([ref] if ref.endswith(".yaml") else []).get(ref)


def _show_html(*args: str) -> tuple[str, El]:
    r = run_cli("map", "show", *args, "--format", "html")
    assert r.exit_code == 0, r.stderr
    return r.stdout, parse(r.stdout)


# --- nos map show --format html -------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["learning-mentor", "ldss-learning-mentor-mentoring", "nos-learning-development-2010"])
def test_map_page_has_every_node_with_its_text(ref: str) -> None:
    fmap = _map(ref)
    _, dom = _show_html(ref)
    ids = dom.by_id()
    for node in fmap.nodes():
        el = ids.get(anchor(node.id))
        assert el is not None, f"{node.id} has no element on the page"
        assert words(node.text) in words(el.text)
    assert len(dom.find_all("details", "area")) == len(fmap.areas())
    assert len(dom.find_all("details", "function")) == len(fmap.functions())
    assert len(dom.find_all("article", "ksb-entry")) == len(fmap.ksbs())
    assert words(fmap.root.text) in words(dom.text)
    assert dom.find_all("title")[0].text == fmap.title


def test_each_ksb_links_the_functions_and_areas_that_link_it() -> None:
    fmap = _map("learning-mentor")
    _, dom = _show_html()
    ids = dom.by_id()
    for k in fmap.ksbs():
        hrefs = {a.attrs["href"] for a in ids[anchor(k.id)].find_all("a")}
        want = {f"#{anchor(n.id)}" for n in [*fmap.functions_for(k.id), *fmap.areas_for(k.id)]}
        assert hrefs == want, k.id
    # and each function's KSB list points at the KSB entries
    for fn in fmap.functions():
        listed = [a.attrs["href"] for li in ids[anchor(fn.id)].find_all("li", "ksb") for a in li.find_all("a")]
        assert listed == [f"#{anchor(k.id)}" for k in fmap.links(fn.id)]


@pytest.mark.parametrize("args", [(), ("--depth", "1"), ("--depth", "2"), ("--no-ksbs",), ("--area", "KA3")])
def test_every_fragment_link_on_a_map_page_has_its_target(args: tuple[str, ...]) -> None:
    _, dom = _show_html(*args)
    ids = dom.by_id()
    targets = [a.attrs["href"][1:] for a in dom.find_all("a") if a.attrs.get("href", "").startswith("#")]
    assert targets and all(t in ids for t in targets)


def test_depth_and_no_ksbs_leave_levels_out() -> None:
    fmap = _map("learning-mentor")
    _, dom = _show_html("--depth", "1")
    assert len(dom.find_all("details", "area")) == 3 and not dom.find_all("details", "function")
    _, dom = _show_html("--depth", "2")
    assert len(dom.find_all("details", "function")) == 11 and not dom.find_all("li", "ksb")
    assert not dom.find_all("article", "ksb-entry")
    _, dom = _show_html("--no-ksbs")
    assert len(dom.find_all("details", "function")) == 11
    assert not dom.find_all("li", "ksb") and not dom.find_all("article", "ksb-entry")
    assert not {anchor(k.id) for k in fmap.ksbs()} & set(dom.by_id())


def test_editorial_text_is_marked() -> None:
    fmap = _map("learning-mentor")
    _, dom = _show_html()
    ids = dom.by_id()
    for node in fmap.nodes():
        marked = bool(ids[anchor(node.id)].find_all("span", "editorial"))
        nested = node.kind in ("area", "function")  # their boxes hold their children's marks too
        assert marked == node.editorial or (nested and marked), node.id


def test_area_option_keeps_one_key_area() -> None:
    _, dom = _show_html("--area", "KA2")
    assert [d.attrs["id"] for d in dom.find_all("details", "area")] == [anchor("KA2")]


def test_page_is_self_contained() -> None:
    page, dom = _show_html()
    scripts = dom.find_all("script")
    assert [s.text for s in scripts] == [MAP_SCRIPT]
    assert not [e for e in dom.iter() if e.attrs.get("src") or e.tag in ("link", "img", "iframe")]
    csp = [m.attrs["content"] for m in dom.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]
    assert "@media print" in page and "break-before:page" in page


def test_hostile_map_text_stays_text() -> None:
    fmap = _map(str(HOSTILE))
    _page, dom = _show_html(str(HOSTILE))
    assert [s.text for s in dom.find_all("script")] == [MAP_SCRIPT]
    assert not dom.find_all("img") and not dom.find_all("b") and not dom.find_all("style")[1:]
    assert not [k for e in dom.iter() for k in e.attrs if k.startswith("on")]
    hrefs = [a.attrs["href"] for a in dom.find_all("a")]
    assert "https://example.org/standard" in hrefs
    assert not [h for h in hrefs if not (h.startswith(("#", "https://")))]
    for node in fmap.nodes():
        assert words(node.text) in words(dom.by_id()[anchor(node.id)].text)
    assert dom.find_all("title")[0].text == fmap.title
    assert "javascript:alert('address')" not in hrefs


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_anchors_are_unique_and_safe(a: str, b: str) -> None:
    assert re.fullmatch(r"n-[A-Za-z0-9_-]+", anchor(a))
    assert (anchor(a) == anchor(b)) == (a == b)


def _luminance(colour: str) -> float:
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(("name", "pair"), [*((f"kind {k}", (fg, bg)) for k, (bg, fg) in
                                              html_base.KIND_COLOURS.items()),
                                            *html_base.TEXT_PAIRS.items(),
                                            *((f"heat {n}", (fg, bg)) for n, (bg, fg) in enumerate(HEAT, 1))])
def test_colours_pass_wcag_aa(name: str, pair: tuple[str, str]) -> None:
    assert _contrast(*pair) >= 4.5, name


# --- the diagram ---------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=40, max_value=700))
def test_diagram_wrap_never_loses_text(text: str, width: int) -> None:
    from nos_cli.render.svg_map import wrap

    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == "".join(text.split())


def test_diagram_is_inline_svg_with_every_function_and_ksb() -> None:
    fmap = _map("learning-mentor")
    _, dom = _show_html()
    svg = dom.find_all("svg")
    assert len(svg) == 1 and svg[0].attrs["role"] == "img" and int(svg[0].attrs["width"]) <= 760
    shown = {t.text for t in svg[0].find_all("text")} | {t.text for t in svg[0].find_all("tspan")}
    assert {k.id for k in fmap.ksbs()} <= {s.strip() for s in shown}
    links = {a.attrs["href"] for a in svg[0].find_all("a")}
    assert {f"#{anchor(n.id)}" for n in [*fmap.areas(), *fmap.functions(), *fmap.ksbs()]} <= links


# --- DOT and Mermaid ------------------------------------------------------------------------------------


def _dot_labels(dot: str) -> dict[str, str]:
    out = {}
    for m in re.finditer(r'^\s*"([^"]+)" \[label="((?:[^"\\]|\\.)*)"', dot, re.M):
        out[m.group(1)] = m.group(2).replace("\\n", " ").replace('\\"', '"')
    return out


def test_dot_labels_are_whole_and_wrapped_and_coloured_by_kind() -> None:
    fmap = _map("learning-mentor")
    dot = run_cli("map", "show", "--format", "dot").stdout
    labels = _dot_labels(dot)
    for n in fmap.nodes():
        assert labels[n.id] == f"{n.id}: {words(n.text)}"
    assert "…" not in dot
    assert max(len(line) for lab in re.findall(r'label="((?:[^"\\]|\\.)*)"', dot) for line in lab.split("\\n")) <= 40
    for kind, (bg, _) in html_base.KIND_COLOURS.items():
        if kind != "element":
            assert f'fillcolor="{bg}"' in dot
    assert 'subgraph "cluster_legend"' in dot and sum(1 for k in labels if k.startswith(":legend-")) == 6
    assert dot.count('subgraph "cluster_KA') == 3
    assert dot.count("[style=dashed]") == 28


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_dot_renders_with_graphviz() -> None:
    dot = run_cli("map", "show", "--format", "dot").stdout
    r = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.count('class="node"') == 1 + 3 + 11 + 27 + 6, r.stderr


def test_mermaid_keeps_each_key_area_together() -> None:
    fmap = _map("learning-mentor")
    mm = run_cli("map", "show", "--format", "mermaid").stdout
    assert "…" not in mm
    blocks = re.findall(r"^  subgraph n\d+g\[\"Key area (.*?)\"\]\n(.*?)^  end$", mm, re.M | re.S)
    assert [area for area, _ in blocks] == [a.id for a in fmap.areas()]
    declared: dict[str, str] = {}  # node's id -> the key area whose box holds it
    text_of: dict[str, str] = {}
    for area, body in blocks:
        for m in re.finditer(r"^    n\d+[\[(]\"(.*?)\"[\])]$", body, re.M):
            text = re.sub(r"#(\d+);", lambda e: chr(int(e.group(1))), m.group(1).replace("<br/>", " "))
            node_id = text.split(":")[0]
            declared[node_id], text_of[node_id] = area, text
    for area in fmap.areas():
        for fn in fmap.functions(area.id):
            assert declared[fn.id] == area.id
    for n in fmap.nodes():  # labels whole: wrapped with <br/>, never cut
        assert text_of[n.id] == f"{n.id}: {words(n.text)}"
    for k in fmap.ksbs():  # each KSB sits with the first key area that links it
        assert declared[k.id] == fmap.areas_for(k.id)[0].id
    assert mm.count("-.->") == 28
    assert "classDef knowledge" in mm and "classDef skill" in mm and "classDef behaviour" in mm


def test_mermaid_labels_of_a_hostile_map_decode_to_its_text() -> None:
    fmap = _map(str(HOSTILE))
    mm = run_cli("map", "show", str(HOSTILE), "--format", "mermaid").stdout
    labels = re.findall(r'^    n\d+[\[(]"(.*)"[\])]$', mm, re.M)
    assert len(labels) == len(fmap.nodes())
    decoded = set()
    for label in labels:
        raw = label.replace("<br/>", " ")
        assert '"' not in raw and "<" not in raw and ">" not in raw
        decoded.add(re.sub(r"#(\d+);", lambda e: chr(int(e.group(1))), raw))
    assert decoded == {f"{n.id}: {words(n.text)}" for n in fmap.nodes()}


# --- the matrix page ------------------------------------------------------------------------------------


def test_matrix_page_gives_each_files_coverage_and_says_gap(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    r = run_cli("matrix", "--against", str(PROGRAMME), "--against", str(SHORT), "--format", "html", "-o", str(out))
    assert r.exit_code == 0
    dom = parse(out.read_text(encoding="utf-8"))
    cov = dom.find_all("table", "cov")[0]
    rows = [words(tr.text) for tr in cov.find_all("tbody")[0].find_all("tr")]
    assert len(rows) == 3 and rows[0].startswith("1: Level 3 Learning Mentor") and "100%" in rows[0]
    assert rows[1].startswith("2: Introduction to learning mentoring") and "37%" in rows[1]
    assert rows[2].startswith("combined") and "100%" in rows[2]
    grid = dom.find_all("table", "matrix")[0]
    assert "many" in grid.classes  # 14 columns: headers are rotated
    files = [words(th.text) for th in grid.find_all("th", "file")]
    assert files == ["1: Level 3 Learning Mentor apprenticeship - example provider programme",
                     "2: Introduction to learning mentoring - three-session short course"]
    assert all(e.tag == "div" and [c.tag for c in e.children if isinstance(c, El)] == ["dt", "dd"]
               for e in dom.find_all("dl", "legend")[0].children if isinstance(e, El))


def test_matrix_gap_rows_say_gap(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    run_cli("matrix", "--against", str(SHORT), "--format", "html", "-o", str(out))
    dom = parse(out.read_text(encoding="utf-8"))
    gaps = list(dom.find_all("tr", "gap"))
    assert len(gaps) == 17
    assert all(tr.find_all("span", "flag")[0].text == "gap" for tr in gaps)


def test_matrix_json_and_text_give_each_files_coverage() -> None:
    args = ("matrix", "--against", str(PROGRAMME), "--against", str(SHORT))
    doc = json.loads(run_cli(*args, "--format", "json").stdout)
    assert [(f["covered"], f["total"], f["percent"]) for f in doc["per_file"]] == [(27, 27, 100.0), (10, 27, 37.0)]
    assert "2: Introduction to learning mentoring - three-session short course: 10/27 KSBs (37%)" in \
        run_cli(*args, env={"COLUMNS": "200"}).stdout


# --- nos site -------------------------------------------------------------------------------------------


def _site(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "site"
    r = run_cli("site", "--against", str(PROGRAMME), "--against", str(SHORT), "--out-dir", str(out), *extra)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith(f"nos: wrote 9 files to {out}")
    return out


def _check_links(folder: Path) -> int:
    """Every href and src on every page: relative, and pointing at a file (and anchor) that exists."""
    checked = 0
    doms = {p: parse(p.read_text(encoding="utf-8")) for p in folder.rglob("*.html")}
    for page, dom in doms.items():
        for e in dom.iter():
            for attr in ("href", "src", "action"):
                if attr not in e.attrs:
                    continue
                url = urlsplit(e.attrs[attr])
                if url.scheme in ("http", "https"):
                    assert e.tag == "a" and e.parent is not None, e.attrs  # a map's source, for people to follow
                    continue
                assert not url.scheme and not url.netloc and not url.path.startswith("/"), (page, e.attrs)
                target = (page.parent / unquote(url.path)).resolve() if url.path else page
                assert target.is_file(), (page, e.attrs[attr])
                assert folder.resolve() in target.parents
                if url.fragment:
                    assert url.fragment in doms[target].by_id(), (page, e.attrs[attr])
                checked += 1
    return checked


def test_site_pages_and_links(tmp_path: Path) -> None:
    out = _site(tmp_path)
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == ["coverage/learning-mentor-programme.html", "coverage/learning-mentor-short-course.html",
                     "index.html", "maps/ldss-learning-mentor-mentoring.html", "maps/learning-mentor.html",
                     "maps/nos-learning-development-2010.html", "search-index.js", "search-index.json",
                     "search.html"]
    assert _check_links(out) > 100
    index = parse((out / "index.html").read_text(encoding="utf-8"))
    assert "37%" in words(index.text) and "17 gaps" in words(index.text)
    assert "learning-mentor-short-course.yaml" in index.text
    for f in out.rglob("*"):  # a published site must not give away where it was built
        assert f.is_dir() or str(ROOT) not in f.read_text(encoding="utf-8"), f


def test_site_search_index_points_at_every_node(tmp_path: Path) -> None:
    out = _site(tmp_path)
    doc = json.loads((out / "search-index.json").read_text(encoding="utf-8"))
    assert doc["format"] == "nos-site-search" and doc["format_version"] == 1
    js = (out / "search-index.js").read_text(encoding="utf-8")
    assert json.loads(js.removeprefix("window.NOS_SEARCH=").rstrip().removesuffix(";")) == doc
    expected = {(m.id, n.id) for m in Catalog.from_options().all() for n in m.nodes()}
    assert {(n["map"], n["id"]) for n in doc["nodes"]} == expected
    for n in doc["nodes"]:
        path, frag = n["href"].split("#")
        assert frag in parse((out / path).read_text(encoding="utf-8")).by_id()


def test_site_needs_force_for_a_folder_that_has_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    mine = out / "notes.txt"
    mine.write_text("mine", encoding="utf-8")
    r = run_cli("site", "--out-dir", str(out))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "--force" in r.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (out / "index.html").write_text("old", encoding="utf-8")
    r = run_cli("site", "--out-dir", str(out), "--force")
    assert r.exit_code == 0
    assert mine.read_text(encoding="utf-8") == "mine"
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(out.rglob(".*"))  # no temporary files left behind


def test_site_into_an_empty_folder_needs_no_force(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    assert run_cli("site", "learning-mentor", "--out-dir", str(tmp_path / "site")).exit_code == 0
    assert (tmp_path / "site" / "maps" / "learning-mentor.html").is_file()
    assert not (tmp_path / "site" / "maps" / "nos-learning-development-2010.html").exists()


def test_site_adds_the_map_of_each_mapping_file(tmp_path: Path) -> None:
    out = tmp_path / "site"
    r = run_cli("site", "nos-learning-development-2010", "--against", str(SHORT), "--out-dir", str(out))
    assert r.exit_code == 0
    assert sorted(p.name for p in (out / "maps").iterdir()) == ["learning-mentor.html",
                                                                "nos-learning-development-2010.html"]
    page = parse((out / "maps" / "learning-mentor.html").read_text(encoding="utf-8"))
    assert "../coverage/learning-mentor-short-course.html" in {a.attrs.get("href") for a in page.find_all("a")}
    assert _check_links(out) > 50


@pytest.mark.parametrize(("content", "expect"), [
    ("map: learning-mentor\ntitle: [unclosed\n", r"broken\.yaml:\d+:\d+: "),
    ("map: no-such-map\ntitle: T\nitems: []\n", r"no map with id 'no-such-map'"),
])
def test_site_with_a_bad_mapping_file_exits_2(tmp_path: Path, content: str, expect: str) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(content, encoding="utf-8")
    r = run_cli("site", "--against", str(bad), "--out-dir", str(tmp_path / "site"))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and re.search(expect, r.stderr), r.stderr
    assert not (tmp_path / "site").exists()


def test_site_out_dir_that_is_a_file_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    r = run_cli("site", "--out-dir", str(f))
    assert r.exit_code == 2 and "not a folder" in r.stderr and f.read_text(encoding="utf-8") == "x"


def test_site_of_a_hostile_map_and_mapping(tmp_path: Path) -> None:
    out = tmp_path / "site"
    r = run_cli("site", str(HOSTILE), "--map", str(HOSTILE), "--against", str(HOSTILE_MAPPING), "--out-dir", str(out))
    assert r.exit_code == 0, r.stderr
    assert _check_links(out) > 10
    for page in out.rglob("*.html"):
        dom = parse(page.read_text(encoding="utf-8"))
        assert not dom.find_all("img") and not dom.find_all("b")
        assert not [k for e in dom.iter() for k in e.attrs if k.startswith("on")]
        inline = [s for s in dom.find_all("script") if not s.attrs.get("src")]
        assert all("alert" not in s.text for s in inline)
    assert "<script" not in (out / "search-index.js").read_text(encoding="utf-8")


# --- any text at all ------------------------------------------------------------------------------------

# Printable text of any script, with the characters HTML and SVG care about made likely.
_TEXT = st.text(st.one_of(st.sampled_from("<>&\"'/=;`!-[]{}#%\\ "),
                          st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))), min_size=1, max_size=60) \
    .filter(lambda t: t.strip() != "")


@settings(max_examples=60, deadline=None)
@given(title=_TEXT, area=_TEXT, function=_TEXT, ksb=_TEXT)
def test_any_map_text_reaches_the_page_as_text(title: str, area: str, function: str, ksb: str) -> None:
    from nos_cli.maps.build import build
    from nos_cli.maps.load import load_bytes
    from nos_cli.render.html_map import map_html

    doc = {"nos_map": 1, "id": "t", "title": title, "kind": "functional-map", "sources": [{"id": "s", "title": "S"}],
           "key_areas": [{"id": "A1", "title": area, "source": "s",
                          "functions": [{"id": "F1", "title": function, "source": "s", "ksbs": ["K1"]}]}],
           "ksbs": [{"id": "K1", "kind": "knowledge", "source": "s", "text": ksb}]}
    loaded = load_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8"), "t.yaml")
    assert not loaded.problems
    fmap = build(loaded)
    dom = parse(map_html(fmap))
    ids = dom.by_id()
    assert words(dom.find_all("title")[0].text) == words(fmap.title)
    for node_id in ("A1", "F1", "K1"):
        assert words(fmap.node(node_id).text) in words(ids[anchor(node_id)].text)
    assert [s.text for s in dom.find_all("script")] == [MAP_SCRIPT]
    assert len(dom.find_all("style")) == 1
    assert not [k for e in dom.iter() for k in e.attrs if k.startswith("on")]
