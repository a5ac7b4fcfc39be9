"""Renderers for ``nos matrix`` and ``nos mapping review``."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nos_cli.coverage.matrix import Coverage, Matrix
from nos_cli.envelope import json_document
from nos_cli.interop.cells import delimited
from nos_cli.mapping.review import ReviewResult
from nos_cli.model import kind_name
from nos_cli.render.html_base import esc, page
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


def _per_file_lines(m: Matrix) -> list[str]:
    """Each mapping file's own coverage, when there are several (the combined one can hide a file's gaps)."""
    return [f"  {n}: {title}: {c.overall.covered}/{c.overall.total} KSBs ({c.overall.percent:g}%), "
            f"gaps: {', '.join(c.uncovered) if c.uncovered else 'none'}" for n, (title, c) in enumerate(m.per_file, 1)]


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
    if m.map_file:
        from nos_cli.maps.catalog import shown_path

        head.append(f"\nmap file: {shown_path(m.map_file)}")
    per_file = ["Coverage by each file:", *_per_file_lines(m)] if m.per_file else []
    cov = Text("\n".join([*_coverage_lines(m.coverage, against=bool(m.against)), *per_file]))
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
             *([f"Map file: `{md_escape(_shown(m.map_file))}`", ""] if m.map_file else []),
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
    if m.per_file:
        lines += ["", "Coverage by each file:", "", *(md_escape(line.replace("  ", "- ", 1))
                                                      for line in _per_file_lines(m))]
    return "\n".join(lines) + "\n"


def as_json(m: Matrix) -> str:
    cov = m.coverage

    def share(s: Any) -> dict[str, Any]:
        return {"covered": s.covered, "total": s.total, "percent": s.percent}

    doc: dict[str, Any] = {
        "map": m.map_id, "title": m.title, "rows_axis": m.row_axis, "cols_axis": m.col_axis,
        "against": m.against, **({"map_file": _shown(m.map_file)} if m.map_file else {}),
        "cols": [{"id": c.id, "label": c.label, "total": m.col_total(c.id)} for c in m.cols],
        "rows": [{"id": r.id, "label": r.label, "group": r.group, "total": m.row_total(r.id),
                  "cells": {c.id: m.value(r.id, c.id) for c in m.cols if m.value(r.id, c.id)}} for r in m.rows],
        "coverage": {**share(cov.overall), "by_kind": {k: share(s) for k, s in cov.by_kind.items()},
                     "by_area": {a: share(s) for a, s in cov.by_area.items()}, "uncovered": cov.uncovered,
                     "covered_by": cov.covered_by},
        "per_file": [{"title": title, **share(c.overall), "uncovered": c.uncovered} for title, c in m.per_file],
    }
    return json_document("nos-matrix", MATRIX_JSON_VERSION, doc)


_CSS = """
main{max-width:none}
.wrap{overflow:auto;max-height:calc(100vh - 2rem);border:1px solid #d8dde6;max-width:100%;width:fit-content}
table.matrix{border-collapse:separate;border-spacing:0}
.matrix th,.matrix td{padding:.25rem .45rem;border-bottom:1px solid #eef1f5;text-align:center;vertical-align:top}
.matrix thead{position:sticky;top:0;z-index:2}
.matrix thead th{background:#f3f5f9;border-bottom:2px solid #cfd6e0;vertical-align:bottom;white-space:nowrap}
.matrix thead th.file{border-bottom:1px solid #cfd6e0;text-align:center;font-weight:600}
.matrix thead th.file span{display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;margin:auto}
@media (max-width:900px){.matrix td.text{min-width:10rem}}
.matrix.many thead th.col span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block}
.matrix th.row{position:sticky;left:0;background:#fff;text-align:left;z-index:1;white-space:nowrap}
.matrix thead th.row{z-index:3;background:#f3f5f9}
.matrix td.text{text-align:left;min-width:14rem;max-width:34rem;color:#333;white-space:normal}
.matrix tr.group th{background:#e8edf5;text-align:left;font-weight:600;position:static}
.matrix tr.gap{font-weight:400}
.matrix tr.gap th.row,.matrix tr.gap td.total,.matrix tr.gap td.text{background:#fdeef0;color:#a4001d}
.matrix tr.gap th.row,.matrix tr.gap td.total{font-weight:700}
.matrix .flag{font-size:.75rem;font-weight:700;margin-left:.3rem;border:1px solid #a4001d;border-radius:.3rem;
 padding:0 .25rem;color:#a4001d}
.matrix td.cell{min-width:2rem;font-variant-numeric:tabular-nums}
.matrix tfoot td,.matrix tfoot th{font-weight:600;background:#f3f5f9}
dl.legend{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:.2rem 1.5rem;margin:1rem 0}
dl.legend div{break-inside:avoid;page-break-inside:avoid;display:flex;gap:.5rem}
dl.legend dt{font-weight:700;min-width:3.5rem}dl.legend dd{margin:0}
table.cov{border-collapse:collapse;margin:.5rem 0 1rem}
table.cov th,table.cov td{padding:.3rem .6rem;border-bottom:1px solid #e3e7ee;text-align:left;vertical-align:top}
table.cov th[scope=col]{background:#f3f5f9}
.bar{display:inline-block;width:8rem;height:.7rem;background:#f3c5cc;vertical-align:middle;margin-right:.4rem;
 border:1px solid #8a93a3}
.bar span{display:block;height:100%;background:#2e7d32}
@media print{
 @page{size:A4 landscape;margin:10mm}
 .wrap{overflow:visible;max-height:none;border:0}
 .matrix thead{position:static;display:table-header-group}
 .matrix th.row{position:static}
 .matrix th,.matrix td{padding:.12rem .3rem}
 .matrix td.text{min-width:10rem;max-width:none}
 .matrix tr{break-inside:avoid}
 .matrix tfoot{display:table-row-group}
 table.cov,dl.legend{break-inside:auto}
}
"""

#: Cell shades from light to dark by count (1..4 quarters of the peak), each with a text colour that passes
#: WCAG AA on it; the number is always written in the cell, so shade is never the only signal.
HEAT: tuple[tuple[str, str], ...] = (("#d7eed9", "#14401c"), ("#a5d6a7", "#0f3315"), ("#2e7d32", "#ffffff"),
                                     ("#1b5e20", "#ffffff"))


def _heat(value: int, peak: int) -> tuple[str, str]:
    return HEAT[min(len(HEAT) - 1, max(0, -(-len(HEAT) * value // max(peak, 1)) - 1))]


def _cov_rows(m: Matrix) -> list[tuple[str, Coverage]]:
    if m.per_file:
        return [*m.per_file, ("combined", m.coverage)]
    return [(m.against[0] if m.against else "the map's functions", m.coverage)]


def _cov_table(m: Matrix) -> str:
    head = ('<table class="cov"><caption class="muted">Coverage: the share of KSBs that '
            f'{"some item" if m.against else "some function"} links</caption><thead><tr>'
            '<th scope="col">by</th><th scope="col">KSBs covered</th><th scope="col">by kind</th>'
            '<th scope="col">by key area</th><th scope="col">gaps</th></tr></thead><tbody>')
    rows = []
    for n, (title, cov) in enumerate(_cov_rows(m), 1):
        if m.per_file and n <= len(m.per_file):
            title = f"{n}: {title}"
        o = cov.overall
        kinds = ", ".join(f"{kind_name(k, plural=True)} {s.covered}/{s.total}" for k, s in cov.by_kind.items())
        areas = ", ".join(f"{esc(a)} {s.covered}/{s.total}" for a, s in cov.by_area.items())
        gaps = (f'<span class="gap">gaps: {esc(", ".join(cov.uncovered))}</span>' if cov.uncovered else "none")
        rows.append(f'<tr><th scope="row">{esc(title)}</th><td><span class="bar" aria-hidden="true"><span '
                    f'style="width:{o.percent:.0f}%"></span></span><strong>{o.percent:g}%</strong> '
                    f"({o.covered}/{o.total})</td><td>{kinds}</td><td>{areas}</td><td>{gaps}</td></tr>")
    return head + "".join(rows) + "</tbody></table>"


def as_html(m: Matrix, *, nav: str = "", intro: str = "") -> str:
    """One self-contained page (inline CSS, no scripts, nothing fetched): the matrix as a heat map that prints
    whole, with each mapping file's coverage and the combined one."""
    several = bool(m.per_file)
    many = len(m.cols) > 10
    groups: list[tuple[str, int]] = []
    if several:
        for c in m.cols:
            n = int(c.id.split(":", 1)[0])
            if groups and groups[-1][0] == m.against[n - 1]:
                groups[-1] = (groups[-1][0], groups[-1][1] + 1)
            else:
                groups.append((m.against[n - 1], 1))
    span_rows = ' rowspan="2"' if several else ""
    top = ""
    if several:
        top = (f'<tr><th class="row" scope="col"{span_rows}>{esc(AXIS_NAME[m.row_axis])}</th>'
               f'<th scope="col"{span_rows}>text</th>'
               # a file's title spans its columns and is cut (whole in its tooltip and in the coverage table)
               # only when those columns are too narrow for it
               + "".join(f'<th class="file" scope="colgroup" colspan="{n}" title="{esc(t)}"><span '
                         f'style="max-width:{max(n * 2.4, 4):g}rem">{i}: {esc(t)}</span></th>'
                         for i, (t, n) in enumerate(groups, 1))
               + f'<th scope="col"{span_rows}>total</th></tr>')
    cols = "".join(f'<th class="col" scope="col" title="{esc(c.label)}"><span>{esc(c.id)}</span></th>'
                   for c in m.cols)
    if several:
        header = top + f"<tr>{cols}</tr>"
    else:
        header = (f'<tr><th class="row" scope="col">{esc(AXIS_NAME[m.row_axis])}</th><th scope="col">text</th>'
                  f'{cols}<th scope="col">total</th></tr>')
    body: list[str] = []
    group = None
    span = len(m.cols) + 3
    for r in m.rows:
        if r.group is not None and r.group != group:
            group = r.group
            label = esc(kind_name(group, plural=True, title=True))
            body.append(f'<tr class="group"><th colspan="{span}" scope="rowgroup">{label}</th></tr>')
        total = m.row_total(r.id)
        cells = []
        for c in m.cols:
            v = m.value(r.id, c.id)
            if v:
                bg, fg = _heat(v, m.peak)
                cells.append(f'<td class="cell" style="background:{bg};color:{fg}" '
                             f'title="{esc(r.id)} × {esc(c.id)}: {v}">{v}</td>')
            else:
                cells.append('<td class="cell"></td>')
        flag = '<span class="flag">gap</span>' if not total else ""
        body.append(f'<tr class="{"gap" if not total else ""}"><th class="row" scope="row">{esc(r.id)}{flag}</th>'
                    f'<td class="text">{esc(r.label)}</td>{"".join(cells)}<td class="total">{total}</td></tr>')
    foot = "".join(f"<td>{m.col_total(c.id)}</td>" for c in m.cols)
    legend = "".join(f"<div><dt>{esc(c.id)}</dt><dd>{esc(c.label)}</dd></div>" for c in m.cols)
    title = f"{m.title}: {AXIS_NAME[m.row_axis]}s against {AXIS_NAME[m.col_axis]}s"
    against = f" of {'; '.join(m.against)}" if m.against else ""
    if m.map_file:
        against += f" (map file: {_shown(m.map_file)})"
    html_body = f"""<h1>{esc(title)}</h1>
<p class="muted">{esc(m.map_id)}{esc(against)}. A cell gives the number of links; darker cells have more.
Rows marked <span class="gap">gap</span> have none.</p>{intro}
{_cov_table(m)}
<div class="wrap" tabindex="0" role="region" aria-label="Matrix (scrolls)">
<table class="matrix{" many" if many else ""}">
<thead>{header}</thead>
<tbody>
{chr(10).join(body)}
</tbody>
<tfoot><tr><th class="row" scope="row">total</th><td></td>{foot}<td></td></tr></tfoot>
</table></div>
<h2>Columns</h2>
<dl class="legend">{legend}</dl>
"""
    return page(title, html_body, css=_CSS, nav=nav)


# --- nos mapping review -------------------------------------------------------------------------------


def _shown(path: str) -> str:
    from nos_cli.maps.catalog import shown_path

    return shown_path(path)


def review_text(r: ReviewResult) -> str:
    from nos_cli.maps.catalog import shown_path

    lines = [f"{r.path}: {len(r.states)} links to {r.map_id} (map file: {shown_path(r.map_file)})"]
    for status, what in (("suspect", "suspect: the KSB's text changed since the link was checked"),
                         ("unchecked", "never checked (no fingerprint)"), ("unknown", "not a KSB of the map")):
        found = r.of(status)
        if found:
            lines.append(f"{len(found)} {what}:")
            for s in found:
                lines.append(f"  {s.item} -> {s.ksb}" + (f"  now: {s.text}" if s.text and status == "suspect" else ""))
    if r.written:
        lines.append(f"accepted {len(r.accepted)} link{'s' * (len(r.accepted) != 1)}: "
                     + ", ".join(f"{i}:{k}" for i, k in r.accepted)
                     + (f"; map_version set to {r.map_version}" if r.map_version else "") + f"; {r.path} updated")
    if not any(r.of(s) for s in ("suspect", "unchecked", "unknown")):
        lines.append("every link is checked and current")
    return "\n".join(lines) + "\n"


def review_json(r: ReviewResult) -> str:
    done = set(r.accepted)
    doc = {"path": r.path, "map": r.map_id, "map_file": _shown(r.map_file),
           "written": r.written, "accepted": [f"{i}:{k}" for i, k in r.accepted], "map_version_set": r.map_version,
           "links": [{"item": s.item, "ksb": s.ksb, "status": "ok" if (s.item, s.ksb) in done else s.status,
                      "recorded": s.recorded, "current": s.current} for s in r.states]}
    return json_document("nos-mapping-review", 1, doc)

