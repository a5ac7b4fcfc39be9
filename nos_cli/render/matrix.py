"""Renderers for ``nos matrix`` and ``nos mapping review``."""

from __future__ import annotations

import html
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nos_cli.coverage.matrix import Coverage, Matrix
from nos_cli.envelope import json_document
from nos_cli.interop.cells import delimited
from nos_cli.mapping.review import ReviewResult
from nos_cli.model import kind_name
from nos_cli.render.markdown import md_escape

MATRIX_JSON_VERSION = 1
AXIS_NAME = {"ksb": "KSB", "function": "function", "area": "key area", "kind": "kind", "item": "item"}


def _coverage_lines(cov: Coverage, *, against: bool) -> list[str]:
    by = "the items" if against else "the map's functions"
    lines = [f"Coverage by {by}: {cov.overall.covered}/{cov.overall.total} KSBs ({cov.overall.percent:g}%)"]
    kinds = ", ".join(f"{kind_name(k, plural=True)} {s.covered}/{s.total} ({s.percent:g}%)"
                      for k, s in cov.by_kind.items())
    if kinds:
        lines.append(f"  by kind: {kinds}")
    areas = ", ".join(f"{a} {s.covered}/{s.total} ({s.percent:g}%)" for a, s in cov.by_area.items())
    if areas:
        lines.append(f"  by key area: {areas}")
    lines.append(f"  gaps: {', '.join(cov.uncovered) if cov.uncovered else 'none'}")
    return lines


# --- terminal -----------------------------------------------------------------------------------------


def table(m: Matrix, width: int) -> RenderableType:
    """A rich table per slice of columns that fits ``width``; headers are the columns' ids, with a legend."""
    label_width = max((len(r.id) for r in m.rows), default=4) + 2
    # The KSB's text is the column that gives way: under 100 columns the item columns need the room more
    # (the legend and nos show ID give the texts); off a terminal (unbounded) every text is in the file formats.
    text_width = 0 if width > 10_000 or width < 100 else min(40, width // 4)
    cell_width = max(max((len(c.id) for c in m.cols), default=1), len(str(m.peak)), 1) + 2
    # Each column is its content plus one space either side; the last slice also holds "total".
    room = max(width - (label_width + 2) - (text_width + 2 if text_width else 0) - len("total") - 2, cell_width)
    per_slice = max(1, room // cell_width)
    parts: list[RenderableType] = []
    slices = [m.cols[i:i + per_slice] for i in range(0, len(m.cols), per_slice)] or [[]]
    for n, cols in enumerate(slices):
        last = n == len(slices) - 1
        t = Table(box=None, header_style="bold", pad_edge=False, show_footer=True)
        t.add_column(AXIS_NAME[m.row_axis], footer="total", style="bold", no_wrap=True)
        if text_width:
            t.add_column("", max_width=text_width, no_wrap=True, overflow="ellipsis", style="dim")
        for c in cols:
            t.add_column(c.id, justify="center", footer=str(m.col_total(c.id)), no_wrap=True)
        if last:
            t.add_column("total", justify="right", no_wrap=True)
        group = None
        for r in m.rows:
            if r.group != group and r.group is not None:
                group = r.group
                heading = Text(kind_name(group, plural=True, title=True), style="bold underline")
                t.add_row(heading, *([""] * (len(cols) + bool(text_width) + last)))
            total = m.row_total(r.id)
            cells = [_mark(m.value(r.id, c.id)) for c in cols]
            row: list[Any] = [Text(r.id, style="bold red" if not total else "bold")]
            if text_width:
                row.append(r.label)
            row += cells
            if last:
                row.append(Text(str(total), style="bold red") if not total else str(total))
            t.add_row(*row)
        if len(slices) > 1:
            parts.append(Text(f"columns {n * per_slice + 1}-{n * per_slice + len(cols)} of {len(m.cols)}",
                              style="dim"))
        parts.append(t)
        parts.append(Text(""))
    legend = Table(box=None, show_header=False, pad_edge=False)
    legend.add_column(style="bold", no_wrap=True)
    legend.add_column()
    for c in m.cols:
        legend.add_row(c.id, c.label)
    head = Text(f"{m.title} ({m.map_id}): {AXIS_NAME[m.row_axis]}s against {AXIS_NAME[m.col_axis]}s", style="bold")
    if m.against:
        head.append(f" of {'; '.join(m.against)}", style="bold")
    cov = Text("\n".join(_coverage_lines(m.coverage, against=bool(m.against))))
    if m.coverage.uncovered:
        cov.highlight_regex(r"gaps: .*", "bold red")
    return Group(head, Text(""), *parts, legend, Text(""), cov)


def _mark(value: int) -> Text:
    if not value:
        return Text("·", style="dim")
    return Text("●" if value == 1 else str(value), style="green")


# --- files --------------------------------------------------------------------------------------------


def _grid(m: Matrix) -> list[list[str]]:
    header = ["group", AXIS_NAME[m.row_axis], "text", *(c.id for c in m.cols), "total"]
    rows = [header]
    for r in m.rows:
        rows.append([r.group or "", r.id, r.label, *(str(m.value(r.id, c.id)) for c in m.cols),
                     str(m.row_total(r.id))])
    rows.append(["", "total", "", *(str(m.col_total(c.id)) for c in m.cols), ""])
    return rows


def _delimited(m: Matrix, delimiter: str) -> str:
    return delimited(([" ".join(v.split()) for v in row] if delimiter == "\t" else row for row in _grid(m)),
                     delimiter)


class _FittedTable:
    """The matrix table, laid out for the width of whatever console prints it (a terminal's, or 120 columns
    in a file)."""

    def __init__(self, m: Matrix) -> None:
        self.m = m

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield table(self.m, options.max_width)


def as_table(m: Matrix) -> RenderableType:
    return _FittedTable(m)


def as_csv(m: Matrix) -> str:
    return _delimited(m, ",")


def as_tsv(m: Matrix) -> str:
    return _delimited(m, "\t")




def as_markdown(m: Matrix) -> str:
    cols = [f"`{md_escape(c.id)}`" for c in m.cols]
    lines = [f"## {md_escape(m.title)}: {AXIS_NAME[m.row_axis]}s against {AXIS_NAME[m.col_axis]}s", "",
             "| " + " | ".join([AXIS_NAME[m.row_axis], "text", *cols, "total"]) + " |",
             "|" + " --- |" * (len(cols) + 3)]
    for r in m.rows:
        total = m.row_total(r.id)
        cells = [("✓" if m.value(r.id, c.id) == 1 else str(m.value(r.id, c.id))) if m.value(r.id, c.id) else ""
                 for c in m.cols]
        rid = f"**{md_escape(r.id)}**" if total else f"**{md_escape(r.id)}** (gap)"
        lines.append("| " + " | ".join([rid, md_escape(r.label), *cells, str(total)]) + " |")
    lines.append("| " + " | ".join(["total", "", *(str(m.col_total(c.id)) for c in m.cols), ""]) + " |")
    lines += ["", *(f"- `{md_escape(c.id)}`: {md_escape(c.label)}" for c in m.cols), "",
              *(line.replace("  ", "- ", 1) if line.startswith("  ") else line
                for line in _coverage_lines(m.coverage, against=bool(m.against)))]
    return "\n".join(lines) + "\n"


def as_json(m: Matrix) -> str:
    cov = m.coverage

    def share(s: Any) -> dict[str, Any]:
        return {"covered": s.covered, "total": s.total, "percent": s.percent}

    doc = {
        "map": m.map_id, "title": m.title, "rows_axis": m.row_axis, "cols_axis": m.col_axis,
        "against": m.against,
        "cols": [{"id": c.id, "label": c.label, "total": m.col_total(c.id)} for c in m.cols],
        "rows": [{"id": r.id, "label": r.label, "group": r.group, "total": m.row_total(r.id),
                  "cells": {c.id: m.value(r.id, c.id) for c in m.cols if m.value(r.id, c.id)}} for r in m.rows],
        "coverage": {**share(cov.overall), "by_kind": {k: share(s) for k, s in cov.by_kind.items()},
                     "by_area": {a: share(s) for a, s in cov.by_area.items()}, "uncovered": cov.uncovered,
                     "covered_by": cov.covered_by},
    }
    return json_document("nos-matrix", MATRIX_JSON_VERSION, doc)


_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1d2430}
h1{font-size:1.3rem;margin:0 0 .2rem}p.sub{margin:0 0 1rem;color:#555}
.wrap{overflow:auto;max-height:80vh;border:1px solid #d8dde6}
table{border-collapse:separate;border-spacing:0}
th,td{padding:.25rem .45rem;border-bottom:1px solid #eef1f5;text-align:center;white-space:nowrap}
thead th{position:sticky;top:0;background:#f6f8fb;z-index:2;border-bottom:2px solid #cfd6e0}
th.row{position:sticky;left:0;background:#fff;text-align:left;z-index:1}
td.text{text-align:left;max-width:28rem;overflow:hidden;text-overflow:ellipsis;color:#444}
tr.group th{background:#eef2f8;text-align:left;font-weight:600}
tr.gap th.row,tr.gap td.total{color:#b00020}
td.cell{min-width:2rem;font-variant-numeric:tabular-nums}
tfoot td,tfoot th{font-weight:600;background:#f6f8fb}
.legend{margin-top:1rem;columns:2}.legend dt{font-weight:600}.legend dd{margin:0 0 .3rem 0}
.cov{margin-top:1rem}.cov .bar{display:inline-block;height:.7rem;background:#2e7d32;vertical-align:middle}
.cov .rest{display:inline-block;height:.7rem;background:#f0c2c8;vertical-align:middle}
"""


def as_html(m: Matrix) -> str:
    """One self-contained page (inline CSS, no scripts, nothing fetched): a heat map of the matrix."""
    e = html.escape
    peak = m.peak or 1
    head = "".join(f'<th title="{e(c.label)}">{e(c.id)}</th>' for c in m.cols)
    body: list[str] = []
    group = None
    span = len(m.cols) + 3
    for r in m.rows:
        if r.group is not None and r.group != group:
            group = r.group
            label = e(kind_name(group, plural=True, title=True))
            body.append(f'<tr class="group"><th colspan="{span}">{label}</th></tr>')
        total = m.row_total(r.id)
        cells = []
        for c in m.cols:
            v = m.value(r.id, c.id)
            shade = f' style="background:rgba(46,125,50,{0.18 + 0.82 * v / peak:.2f});color:#fff"' if v else ""
            cells.append(f'<td class="cell"{shade} title="{e(r.id)} × {e(c.id)}: {v}">{v or ""}</td>')
        body.append(f'<tr class="{"gap" if not total else ""}"><th class="row" title="{e(r.label)}">{e(r.id)}</th>'
                    f'<td class="text">{e(r.label)}</td>{"".join(cells)}<td class="total">{total}</td></tr>')
    foot = "".join(f"<td>{m.col_total(c.id)}</td>" for c in m.cols)
    cov = m.coverage
    pct = cov.overall.percent
    legend = "".join(f"<dt>{e(c.id)}</dt><dd>{e(c.label)}</dd>" for c in m.cols)
    summary = "".join(f"<li>{e(line.strip())}</li>" for line in _coverage_lines(cov, against=bool(m.against)))
    title = f"{m.title}: {AXIS_NAME[m.row_axis]}s against {AXIS_NAME[m.col_axis]}s"
    against = f" of {'; '.join(m.against)}" if m.against else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{e(title)}</h1>
<p class="sub">{e(m.map_id)}{e(against)}. Darker cells have more links; rows in red are gaps.</p>
<div class="wrap"><table>
<thead><tr><th class="row">{e(AXIS_NAME[m.row_axis])}</th><th>text</th>{head}<th>total</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
<tfoot><tr><th class="row">total</th><td></td>{foot}<td></td></tr></tfoot>
</table></div>
<div class="cov"><span class="bar" style="width:{pct * 3:.0f}px"></span><span class="rest"
 style="width:{(100 - pct) * 3:.0f}px"></span> <strong>{pct:g}%</strong><ul>{summary}</ul></div>
<dl class="legend">{legend}</dl>
</body></html>
"""


# --- nos mapping review -------------------------------------------------------------------------------


def review_text(r: ReviewResult) -> str:
    lines = [f"{r.path}: {len(r.states)} links to {r.map_id}"]
    for status, what in (("suspect", "suspect: the KSB's text changed since the link was checked"),
                         ("unchecked", "never checked (no fingerprint)"), ("unknown", "not a KSB of the map")):
        found = r.of(status)
        if found:
            lines.append(f"{len(found)} {what}:")
            for s in found:
                lines.append(f"  {s.item} -> {s.ksb}" + (f"  now: {s.text}" if s.text and status == "suspect" else ""))
    if r.written:
        lines.append(f"accepted {len(r.accepted)} link{'s' * (len(r.accepted) != 1)}: "
                     + ", ".join(f"{i}:{k}" for i, k in r.accepted) + f"; {r.path} updated")
    if not any(r.of(s) for s in ("suspect", "unchecked", "unknown")):
        lines.append("every link is checked and current")
    return "\n".join(lines) + "\n"


def review_json(r: ReviewResult) -> str:
    done = set(r.accepted)
    doc = {"path": r.path, "map": r.map_id,
           "written": r.written, "accepted": [f"{i}:{k}" for i, k in r.accepted],
           "links": [{"item": s.item, "ksb": s.ksb, "status": "ok" if (s.item, s.ksb) in done else s.status,
                      "recorded": s.recorded, "current": s.current} for s in r.states]}
    return json_document("nos-mapping-review", 1, doc)

