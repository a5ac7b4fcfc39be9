"""The web pages in a real browser: headless Chromium loads them, runs their script, prints them to PDF.

Chromium and poppler-utils (pdftotext) come from the Debian packages (.ci/run installs them where it can);
where they are missing these tests skip and say so. Each run uses its own throw-away profile and no network.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from nos_cli.maps.catalog import Catalog
from nos_cli.render.html_base import anchor
from tests.conftest import ROOT, run_cli
from tests.htmldom import El, parse, words

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
PROGRAMME = ROOT / "examples" / "learning-mentor-programme.yaml"
SHORT = ROOT / "examples" / "learning-mentor-short-course.yaml"

needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None,
                                     reason="pdftotext is not installed (apt-get install poppler-utils)")


def _chromium(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-extensions", f"--user-data-dir={profile}", *args],
                       capture_output=True, text=True, timeout=180)
    shutil.rmtree(profile, ignore_errors=True)
    return r.stdout


def _dom(tmp_path: Path, url: str) -> El:
    return parse(_chromium(tmp_path, "--dump-dom", url))


def _pdf(tmp_path: Path, page: Path, name: str) -> Path:
    out = tmp_path / name
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri())
    assert out.is_file() and out.stat().st_size > 1000
    return out


def _pdf_text(pdf: Path, page: int | None = None) -> str:
    assert PDFTOTEXT is not None
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run([PDFTOTEXT, *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pdf_pages(pdf: Path) -> int:
    return len(_pdf_text(pdf).split("\f")) - 1


def _words_outside_pages(pdf: Path) -> list[str]:
    """Words that pdftotext places outside their page's box: what a clipped or overflowing page prints."""
    assert PDFTOTEXT is not None
    html = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        w, h = float(page.group(1)), float(page.group(2))
        for m in re.finditer(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>',
                             page.group(3)):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            if x0 < 0 or y0 < 0 or x1 > w + 0.5 or y1 > h + 0.5:
                outside.append(m.group(5))
    return outside


def _flat(text: str) -> str:
    """Text with white space and hyphens taken out: a browser may break a line after a hyphen ("active-" then
    "listening") and pdftotext joins such a line back without it ("selfcontrol"), so comparing with either
    would fail on a page that is perfectly whole."""
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("-", "")


def _without_numbers(text: str) -> str:
    """The PDF's text without lines that hold only a number: a table's cells sit beside a wrapped text cell,
    and pdftotext reads them between its lines."""
    return "\n".join(line for line in text.splitlines() if not re.fullmatch(r"\s*\d*\s*", line))


def _map_page(tmp_path: Path) -> Path:
    page = tmp_path / "map.html"
    page.write_text(run_cli("map", "show", "--format", "html").stdout, encoding="utf-8")
    return page


# --- the map page ---------------------------------------------------------------------------------------


@needs_browser
def test_map_page_in_the_browser_has_every_node(tmp_path: Path) -> None:
    fmap = Catalog.from_options().get("learning-mentor")
    dom = _dom(tmp_path, _map_page(tmp_path).as_uri())
    ids = dom.by_id()
    for node in fmap.nodes():
        assert anchor(node.id) in ids and words(node.text) in words(ids[anchor(node.id)].text), node.id
    assert not dom.find_all(cls="out")  # nothing filtered before anyone types
    targets = [a.attrs["href"][1:] for a in dom.find_all("a") if a.attrs.get("href", "").startswith("#")]
    assert targets and all(t in ids for t in targets)


def _hits(dom: El, query: str) -> list[El]:
    wanted = query.lower().split()
    return [e for e in dom.iter() if "data-search" in e.attrs
            and all(w in e.attrs["data-search"].lower() for w in wanted)]


@needs_browser
@pytest.mark.parametrize("how", ["?q=", "#q="])
@pytest.mark.parametrize("query", ["assessment", "learners progress", "B2", "no such words at all"])
def test_search_box_filters_as_you_type(tmp_path: Path, how: str, query: str) -> None:
    """The page reads a query from ?q= or #q= into its search box, as typing would; then exactly the nodes
    that match, their ancestors and their descendants stay shown."""
    fmap = Catalog.from_options().get("learning-mentor")
    page = _map_page(tmp_path)
    dom = _dom(tmp_path, page.as_uri() + how + quote(query))
    box = next(e for e in dom.iter() if e.attrs.get("id") == "q")
    hits = {e.attrs["data-node"] for e in _hits(dom, query)}  # a KSB in the tree and in the list is one match
    count = words(dom.by_id()["count"].text)
    assert count == f"{len(hits)} match{'es' if len(hits) != 1 else ''}"
    assert box.tag == "input"
    ids = dom.by_id()

    def matches(node_id: str) -> bool:
        text = f"{node_id} {fmap.node(node_id).text}".lower()
        return all(w in text for w in query.lower().split())

    for k in fmap.ksbs():  # the KSB list: shown exactly when the KSB matches
        assert ("out" in ids[anchor(k.id)].classes) != matches(k.id), k.id
    for area in fmap.areas():
        for fn in fmap.functions(area.id):
            shown = matches(area.id) or matches(fn.id) or any(matches(k.id) for k in fmap.links(fn.id))
            assert ("out" in ids[anchor(fn.id)].classes) != shown, fn.id


# --- nos site -------------------------------------------------------------------------------------------


def _site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    assert run_cli("site", "--against", str(PROGRAMME), "--against", str(SHORT), "--out-dir", str(out)).exit_code == 0
    return out


def _resolve_all(folder: Path, page: Path, dom: El) -> int:
    n = 0
    for a in dom.find_all("a"):
        url = urlsplit(a.attrs.get("href", ""))
        if url.scheme in ("http", "https") or not a.attrs.get("href"):
            continue
        target = page if not url.path else (page.parent / unquote(url.path)).resolve()
        assert target.is_file() and folder.resolve() in target.parents, a.attrs["href"]
        if url.fragment:
            assert url.fragment in parse(target.read_text(encoding="utf-8")).by_id(), a.attrs["href"]
        n += 1
    return n


@needs_browser
def test_site_search_finds_across_maps_and_its_links_resolve(tmp_path: Path) -> None:
    out = _site(tmp_path)
    index = json.loads((out / "search-index.json").read_text(encoding="utf-8"))
    for query in ("learners", "assess", "K7"):
        dom = _dom(tmp_path, (out / "search.html").as_uri() + "?q=" + quote(query))
        want = [n for n in index["nodes"] if query.lower() in f"{n['id']} {n['text']}".lower()]
        results = dom.by_id()["results"].find_all("li")
        assert len(results) == len(want) > 0, query
        assert {r.find_all("a")[0].attrs["href"] for r in results} == {n["href"] for n in want}
        assert _resolve_all(out, out / "search.html", dom) >= len(want)
    maps = {n["map"] for n in index["nodes"] if "learn" in n["text"].lower()}
    assert len(maps) >= 2  # one query reaches more than one map


@needs_browser
def test_site_pages_in_the_browser_have_links_that_resolve(tmp_path: Path) -> None:
    out = _site(tmp_path)
    total = 0
    for page in sorted(out.rglob("*.html")):
        dom = _dom(tmp_path, page.as_uri())
        assert dom.find_all("h1"), page
        total += _resolve_all(out, page, dom)
    assert total > 150  # the map pages alone link every KSB to its functions and areas


# --- printing -------------------------------------------------------------------------------------------


@needs_browser
@needs_pdftotext
def test_map_prints_every_ksb_on_unclipped_pages_one_key_area_a_page(tmp_path: Path) -> None:
    fmap = Catalog.from_options().get("learning-mentor")
    pdf = _pdf(tmp_path, _map_page(tmp_path), "map.pdf")
    text = _flat(_pdf_text(pdf))
    for k in fmap.ksbs():
        assert _flat(k.text) in text, k.id
    for fn in fmap.functions():
        assert _flat(fn.text) in text, fn.id
    assert _words_outside_pages(pdf) == []
    first_lines = [words(_pdf_text(pdf, n)).split(" ", 1)[0] for n in range(1, _pdf_pages(pdf) + 1)]
    for area in fmap.areas()[1:]:  # every key area after the first starts a page
        assert area.id in first_lines, (area.id, first_lines)


@needs_browser
@needs_pdftotext
def test_folded_map_prints_unfolded(tmp_path: Path) -> None:
    page = _map_page(tmp_path)
    folded = tmp_path / "folded.html"
    folded.write_text(page.read_text(encoding="utf-8").replace(" open>", ">"), encoding="utf-8")
    text = _flat(_pdf_text(_pdf(tmp_path, folded, "folded.pdf")))
    for k in Catalog.from_options().get("learning-mentor").ksbs():
        assert text.count(_flat(k.text)) >= 2, k.id  # in the tree under its functions and in the KSB list


@needs_browser
@needs_pdftotext
def test_matrix_prints_whole(tmp_path: Path) -> None:
    page = tmp_path / "matrix.html"
    r = run_cli("matrix", "--against", str(PROGRAMME), "--against", str(SHORT), "--format", "html", "-o", str(page))
    assert r.exit_code == 0
    pdf = _pdf(tmp_path, page, "matrix.pdf")
    text = _flat(_without_numbers(_pdf_text(pdf)))
    fmap = Catalog.from_options().get("learning-mentor")
    for k in fmap.ksbs():
        assert _flat(k.text) in text, k.id
    for col in ("1:M1", "1:M11", "2:S-1", "2:S-3"):
        assert _flat(col) in text
    assert "37%" in text and "combined" in text
    assert _words_outside_pages(pdf) == []


@needs_browser
@needs_pdftotext
def test_site_pages_print_unclipped(tmp_path: Path) -> None:
    out = _site(tmp_path)
    for page in (out / "index.html", out / "coverage" / "learning-mentor-short-course.html",
                 out / "maps" / "ldss-learning-mentor-mentoring.html"):
        pdf = _pdf(tmp_path, page, page.stem + ".pdf")
        assert _words_outside_pages(pdf) == [], page
        assert words(_pdf_text(pdf))
