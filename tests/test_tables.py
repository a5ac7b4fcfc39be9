"""Tables that fit: at 60, 80, 120 and 200 columns no id or number is wrapped or broken, no line is wider than
the terminal, and off a terminal nothing wraps or is cut whatever COLUMNS says."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from nos_cli.coverage.matrix import against_matrix
from nos_cli.mapping.review import load_mapping
from nos_cli.maps.catalog import Catalog
from nos_cli.render.maps import list_table
from nos_cli.render.matrix import as_table
from tests.conftest import ROOT, run_cli

WIDTHS = (60, 80, 120, 200)
EXAMPLES = ROOT / "examples"


def _render(renderable: object, width: int) -> list[str]:
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, force_terminal=False, markup=False,
            highlight=False).print(renderable)
    return buf.getvalue().splitlines()


@pytest.mark.parametrize("width", WIDTHS)
def test_map_list_fits_and_keeps_ids_whole(width: int) -> None:
    maps = Catalog.from_options().all()
    lines = _render(list_table(maps), width)
    assert all(len(line.rstrip()) <= width for line in lines)
    firsts = [line.split()[0] for line in lines[1:] if line and not line[0].isspace()]
    assert sorted(firsts) == sorted(m.id for m in maps)  # every id whole, on its own row's first line
    if width >= 80:
        counts = {line.split()[0]: re.findall(r"(?<!\S)\d+(?!\S)", line) for line in lines[1:] if line[:1].strip()}
        assert counts["learning-mentor"][-5:] == ["3", "11", "11", "11", "5"]


def test_map_list_drops_optional_columns_before_it_cuts_ids() -> None:
    header = {w: _render(list_table(Catalog.from_options().all()), w)[0].split() for w in WIDTHS}
    assert header[200][-1] == "from" and "from" not in header[120]
    assert "K" in header[80] and "K" not in header[60]
    assert header[60] == ["id", "title"]


@pytest.mark.parametrize("width", WIDTHS)
def test_matrix_against_fits(width: int) -> None:
    fmap = Catalog.from_options().get("learning-mentor")
    mappings = [load_mapping(EXAMPLES / n)[1] for n in ("learning-mentor-programme.yaml",
                                                         "learning-mentor-short-course.yaml")]
    lines = _render(as_table(against_matrix(fmap, mappings)), width)
    assert all(len(line.rstrip()) <= width for line in lines), max(lines, key=len)
    ids = {line.split()[0] for line in lines if line[:1].strip()}
    assert {"K1", "S9", "B5"} <= ids
    assert len(lines) < 150  # at 60 columns: two slices, not four


def test_off_a_terminal_columns_does_not_wrap() -> None:
    r = run_cli("map", "list", env={"COLUMNS": "40"})
    assert r.exit_code == 0
    assert any("bundled: ldss-learning-mentor-mentoring.yaml" in line for line in r.stdout.splitlines())
    assert any(re.match(r"nos-learning-development-2010 +National Occupational Standards for Learning and "
                        r"Development \(2010\)", line) for line in r.stdout.splitlines())
