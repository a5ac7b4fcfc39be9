"""nos matrix and nos mapping review: numbers exactly right, safe files, suspect links."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nos_cli.interop.cells import FORMULA_START, safe_cell
from nos_cli.maps.catalog import bundled_dir
from nos_cli.textsafe import shown
from tests.conftest import FIXTURES, ROOT, run_cli

HAND = str(FIXTURES / "matrix" / "hand-counted.yaml")
PROGRAMME = ROOT / "examples" / "learning-mentor-programme.yaml"


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    r = run_cli("matrix", *args, "--format", "json")
    assert r.exit_code in (0, 1), r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_hand_counted_coverage_is_exact() -> None:
    cov = _json("--against", HAND)["coverage"]
    assert (cov["covered"], cov["total"]) == (8, 27)
    assert cov["percent"] == 29.6
    assert {k: (v["covered"], v["total"]) for k, v in cov["by_kind"].items()} == {
        "knowledge": (3, 11), "skill": (3, 11), "behaviour": (2, 5)}
    assert {k: (v["covered"], v["total"]) for k, v in cov["by_area"].items()} == {
        "KA1": (1, 9), "KA2": (8, 9), "KA3": (0, 10)}
    assert len(cov["uncovered"]) == 19 and "B1" in cov["uncovered"] and "K1" not in cov["uncovered"]
    assert cov["covered_by"]["K9"] == ["C"]  # linked twice by C, counted once


def test_items_are_columns_and_cells_count_links() -> None:
    doc = _json("--against", HAND)
    assert [c["id"] for c in doc["cols"]] == ["A", "B", "C", "D"]
    assert [c["total"] for c in doc["cols"]] == [2, 3, 3, 0]
    rows = {r["id"]: r for r in doc["rows"]}
    assert rows["K9"]["cells"] == {"C": 1} and rows["B1"]["total"] == 0
    by_kind = {r["id"]: r["cells"] for r in _json("--against", HAND, "--rows", "kind")["rows"]}
    assert by_kind["knowledge"] == {"A": 1, "B": 1, "C": 1}


def test_map_matrix_counts_links_through_functions() -> None:
    doc = _json()
    assert [c["id"] for c in doc["cols"]] == ["KA1", "KA2", "KA3"]
    assert [c["total"] for c in doc["cols"]] == [9, 9, 10]
    rows = {r["id"]: r for r in doc["rows"]}
    assert rows["B2"]["cells"] == {"KA1": 1, "KA2": 1}
    assert [r["group"] for r in doc["rows"]][:12] == ["knowledge"] * 11 + ["skill"]
    fa = _json("--rows", "function", "--cols", "kind")
    assert {r["id"]: r["cells"] for r in fa["rows"]}["F7"] == {"knowledge": 1, "skill": 1, "behaviour": 1}
    assert doc["coverage"]["percent"] == 100.0


def test_several_mapping_files_prefix_their_items() -> None:
    doc = _json("--against", HAND, "--against", str(ROOT / "examples" / "learning-mentor-short-course.yaml"))
    assert [c["id"] for c in doc["cols"]][:5] == ["1:A", "1:B", "1:C", "1:D", "2:S-1"]


def test_fail_under() -> None:
    assert run_cli("matrix", "--against", HAND, "--fail-under", "30").exit_code == 1
    assert run_cli("matrix", "--against", HAND, "--fail-under", "29.6").exit_code == 0
    assert run_cli("matrix", "--against", str(PROGRAMME), "--fail-under", "100").exit_code == 0
    r = run_cli("matrix", "--against", HAND, "--fail-under", "50", "--format", "csv")
    assert r.exit_code == 1 and "under --fail-under 50%" in r.stderr


def test_csv_and_tsv_parse_and_hold_no_formula() -> None:
    for fmt, delim in (("csv", ","), ("tsv", "\t")):
        text = run_cli("matrix", "--against", HAND, "--format", fmt).stdout
        rows = list(csv.reader(io.StringIO(text), delimiter=delim))
        assert rows[0][:3] == ["group", "KSB", "text"] and rows[0][3:7] == ["A", "B", "C", "D"]
        assert len(rows) == 1 + 27 + 1
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_START), cell
    # The items' titles are in the JSON and legend, never as unescaped cells.
    text = run_cli("matrix", "--against", HAND, "--format", "csv", "--rows", "ksb").stdout
    assert "=HYPERLINK" not in [c for row in csv.reader(io.StringIO(text)) for c in row]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_safe_cell_never_starts_a_formula(value: str) -> None:
    cell = safe_cell(value)
    assert not cell.startswith(FORMULA_START)
    # line by line, the cell is the text with its control characters shown, each line at most quoted
    lines, want = re.split(r"\r\n|\r|\n", cell), re.split(r"\r\n|\r|\n", shown(value, keep="\t\r\n"))
    assert len(lines) == len(want)
    for got, line in zip(lines, want, strict=True):
        assert not got.startswith(FORMULA_START)
        assert got in (line, "'" + line)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    r = run_cli("matrix", "--against", HAND, "--format", "html", "--output", str(out))
    assert r.exit_code == 0  # no --fail-under: the coverage is reported, not judged
    page = out.read_text(encoding="utf-8")
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "http://" not in page.replace("http://evil.example", "")
    grid = _Collect()
    grid.feed(page[page.index('<table class="matrix'):])
    assert grid.tags.count("tr") == 1 + 3 + 27 + 1  # head, kind groups, KSB rows, totals
    assert "29.6%" in page


def test_output_file_is_replaced_atomically(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    out.write_text("old", encoding="utf-8")
    assert run_cli("matrix", "--format", "csv", "--output", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("group,KSB,text,KA1")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert run_cli("matrix", "--output", str(tmp_path / "no" / "dir.csv")).exit_code == 2


def test_table_is_readable_when_narrow() -> None:
    import io

    from rich.console import Console

    from nos_cli.coverage.matrix import against_matrix
    from nos_cli.mapping.review import load_mapping
    from nos_cli.maps.catalog import Catalog
    from nos_cli.render.matrix import as_table

    buf = io.StringIO()
    matrix = against_matrix(Catalog.from_options().get("learning-mentor"), [load_mapping(PROGRAMME)[1]])
    Console(file=buf, width=60, color_system=None).print(as_table(matrix))
    out = buf.getvalue()
    assert "columns 1-" in out  # split into slices rather than squeezed
    assert max(len(line.rstrip()) for line in out.splitlines() if not line.startswith("M")) <= 60


def test_markdown() -> None:
    md = run_cli("matrix", "--against", HAND, "--format", "markdown").stdout
    assert "| **B1** (gap) |" in md
    assert "\\|" in md  # the pipe in item B's title is escaped


def _edited_map(tmp_path: Path) -> Path:
    folder = tmp_path / "maps"
    folder.mkdir()
    text = (bundled_dir() / "learning-mentor.yaml").read_text(encoding="utf-8")
    text = text.replace("be vigilant in safeguarding learners and others in contact with them",
                        "be vigilant in safeguarding learners, staff and others in contact with them")
    (folder / "learning-mentor.yaml").write_text(text, encoding="utf-8")
    return folder


def test_an_edited_ksb_text_makes_its_links_suspect(tmp_path: Path) -> None:
    maps = _edited_map(tmp_path)
    r = run_cli("validate", "-f", "json", "--maps-dir", str(maps), str(PROGRAMME))
    assert r.exit_code == 1
    problems = json.loads(r.stdout)["files"][0]["problems"]
    suspect = [p for p in problems if p["rule"] == "mapping-suspect"]
    assert len(suspect) == 1
    line = PROGRAMME.read_text(encoding="utf-8").splitlines()[suspect[0]["line"] - 1]
    assert "[S9, K9, B2]" in line and line.index("S9") + 1 == suspect[0]["column"]
    assert run_cli("validate", "--strict", str(PROGRAMME)).exit_code == 0


def test_review_then_accept_keeps_comments(tmp_path: Path) -> None:
    maps = _edited_map(tmp_path)
    mapping = tmp_path / "programme.yaml"
    shutil.copy(PROGRAMME, mapping)
    before = mapping.read_text(encoding="utf-8")
    r = run_cli("mapping", "review", str(mapping), "--maps-dir", str(maps))
    assert r.exit_code == 1
    assert "M10 -> S9  now: be vigilant in safeguarding learners, staff" in r.stdout
    assert mapping.read_text(encoding="utf-8") == before  # review alone writes nothing
    r = run_cli("mapping", "review", str(mapping), "--maps-dir", str(maps), "--accept", "--only", "M10:S9")
    assert r.exit_code == 0, r.stdout
    after = mapping.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and "S9:" in changed[0][1]
    assert "# the standard requires Level 1 Safeguarding" in after
    assert run_cli("validate", "--strict", "--maps-dir", str(maps), str(mapping)).exit_code == 0


def test_accept_adds_fingerprints_to_a_hand_written_file(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("# mine\nmap: learning-mentor\ntitle: T\nitems:\n  - id: X  # first\n    title: x\n"
                       "    ksbs:\n      - S1\n      - K1\n\n  - {id: Y, title: y, ksbs: [B1]}\n", encoding="utf-8")
    assert run_cli("mapping", "review", str(mapping)).exit_code == 0  # unchecked is not suspect
    assert run_cli("mapping", "review", str(mapping), "--accept").exit_code == 0
    text = mapping.read_text(encoding="utf-8")
    assert text.startswith("# mine\n") and "- id: X  # first" in text
    assert '      - K1\n    fingerprints: {S1: "db8e40b9dd63", K1: "8dee5217e142"}\n' in text
    assert 'ksbs: [B1], fingerprints: {B1: "85f06495e229"}}' in text
    doc = json.loads(run_cli("mapping", "review", str(mapping), "--format", "json").stdout)
    assert {link["status"] for link in doc["links"]} == {"ok"}


def test_mapping_errors_name_line_and_column(tmp_path: Path) -> None:
    r = run_cli("validate", "-f", "concise", HAND)
    assert f"{HAND}:19:12: error [mapping-unknown-ksb] item D links 'K99'" in r.stdout
    assert f"{HAND}:16:24: error [mapping-duplicate] item C links K9 twice" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("map: nowhere\ntitle: T\nitems:\n  - {id: A, title: a, ksbs: [K1]}\n"
                   "  - {id: A, title: b, ksbs: []}\n", encoding="utf-8")
    out = run_cli("validate", "-f", "concise", str(bad)).stdout
    assert f"{bad}:1:6: error [mapping-unknown-map]" in out
    assert f"{bad}:5:10: error [mapping-duplicate] item id 'A' is already used at line 4" in out
    r = run_cli("mapping", "review", str(bad))
    assert r.exit_code == 2 and "no map with id 'nowhere'" in r.stderr


def test_mapping_schema_is_current() -> None:
    from nos_cli.mapping.file import json_schema
    from nos_cli.maps.format import json_schema_text

    shipped = ROOT / "nos_cli" / "schemas" / "mapping.schema.json"
    assert shipped.read_text(encoding="utf-8") == json_schema_text(json_schema())


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_html_opens_in_a_headless_browser(tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    run_cli("matrix", "--against", str(PROGRAMME), "--format", "html", "--output", str(page))
    r = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert '<table class="matrix' in r.stdout and ">M11<" in r.stdout and "100%" in r.stdout
