"""Renderers for ``nos diff``: text (rich), json (versioned), markdown."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nos_cli.diff.match import Match, readable
from nos_cli.diff.report import GAP_SHOWN, DiffReport
from nos_cli.diff.role import Statement
from nos_cli.model import Share, kind_name
from nos_cli.render.markdown import md_escape
from nos_cli.textsafe import json_dumps

DIFF_JSON_VERSION = 2  # 2: matcher, map_file, role, via; matches beyond --top no longer change coverage
KIND_STYLE = {"knowledge": "cyan", "skill": "green", "behaviour": "magenta", "function": "bold", "area": "bold blue"}


def _share(s: Share) -> str:
    return f"{s.covered}/{s.total} ({s.percent:g}%)"


def _summary(r: DiffReport) -> list[str]:
    return [f"Coverage: {_share(r.overall)} KSBs of {r.map_id} covered by {len(r.results)} statements; "
            f"{len(r.unmatched)} not in the standard",
            "  by kind: " + ", ".join(f"{kind_name(k, plural=True)} {_share(s)}" for k, s in r.by_kind.items()),
            "  by key area: " + _areas(r)]


def _areas(r: DiffReport) -> str:
    areas = list(r.by_area.items())
    shown = ", ".join(f"{a} {_share(s)}" for a, s in areas[:GAP_SHOWN])
    if len(areas) > GAP_SHOWN:  # a map of 800 key areas would make this one line of 20,000 characters
        shown += f", and {len(areas) - GAP_SHOWN} more (--format json lists them all)"
    return shown


def _header(r: DiffReport) -> str:
    return (f"{r.title} ({r.map_id}, {r.map_path}) against {len(r.results)} statements: {r.matcher} matcher, "
            f"threshold {r.threshold:g}, top {r.top} shown")


def _via(m: Match) -> str:
    return f" via alias (editorial) \"{m.via}\"" if m.via else ""


#: Over this many statements the text report is plain lines, not a rich table: a table costs about a
#: millisecond a row to measure and lay out, minutes for 200k statements; plain lines cost microseconds.
TABLE_ROWS = 2_000


def text(r: DiffReport) -> RenderableType | str:
    if len(r.results) > TABLE_ROWS:
        return plain_text(r)
    t = Table(box=None, header_style="bold", pad_edge=False, expand=False)
    t.add_column("line", justify="right", style="dim", no_wrap=True)
    t.add_column("statement", ratio=3)
    t.add_column("best matches", ratio=2)
    for res in r.results:
        if not res.matches:
            t.add_row(str(res.statement.line), Text(res.statement.text, style="yellow"),
                      Text("not in the standard", style="bold yellow"))
            continue
        cell = Text()
        for i, m in enumerate(res.matches[:r.top]):
            if i:
                cell.append("\n")
            cell.append(m.id, style=KIND_STYLE.get(m.kind, "") + " bold")
            cell.append(f" {m.score:.0f}", style="dim")
            if m.shared:
                cell.append(f"  ({', '.join(readable(m.shared[:4]))})", style="dim")
            if m.via:
                cell.append(_via(m), style="dim italic")
        t.add_row(str(res.statement.line), res.statement.text, cell)
    gap = Table(box=None, show_header=False, pad_edge=False)
    gap.add_column(style="bold red", no_wrap=True)
    gap.add_column()
    for ksb_id, kind, ksb_text in r.gap:
        gap.add_row(ksb_id, Text(ksb_text, style=KIND_STYLE.get(kind, "")))
    if r.gap_count > len(r.gap):
        gap.add_row("...", Text(f"and {r.gap_count - len(r.gap)} more (--format json lists them all)", style="dim"))
    parts: list[RenderableType] = [
        Text(_header(r), style="bold"),
        Text(""), t, Text("")]
    if r.gap_count:
        parts += [Text(f"Gap: {r.gap_count} KSBs no statement covers", style="bold red"), gap, Text("")]
    else:
        parts += [Text("Gap: none; every KSB is covered", style="bold green"), Text("")]
    if r.unmatched:
        parts.append(Text(f"Not in the standard: {len(r.unmatched)} statements (lines "
                          f"{', '.join(str(n) for n in _lines(r.unmatched))})", style="bold yellow"))
    parts.append(Text("\n".join(_summary(r))))
    return Group(*parts)


def _best(r: DiffReport, res: Any) -> str:
    return "; ".join(f"{m.id} {m.score:.0f}" + (f" ({', '.join(readable(m.shared[:4]))})" if m.shared else "")
                     + (_via(m) if m.via else "") for m in res.matches[:r.top]) or "not in the standard"


def plain_text(r: DiffReport) -> str:
    """The text report without colour or table layout, one statement a line: ``LINE  STATEMENT  ->  MATCHES``."""
    lines = [_header(r), ""]
    lines += [f"{res.statement.line}  {res.statement.text}  ->  {_best(r, res)}" for res in r.results]
    lines.append("")
    if r.gap_count:
        lines.append(f"Gap: {r.gap_count} KSBs no statement covers")
        lines += [f"{k}  {t}" for k, _kind, t in r.gap]
        if r.gap_count > len(r.gap):
            lines.append(f"...  and {r.gap_count - len(r.gap)} more (--format json lists them all)")
    else:
        lines.append("Gap: none; every KSB is covered")
    lines.append("")
    if r.unmatched:
        lines.append(f"Not in the standard: {len(r.unmatched)} statements (lines "
                     f"{', '.join(str(n) for n in _lines(r.unmatched))})")
    lines += _summary(r)
    return "\n".join(lines) + "\n"


def _lines(statements: list[Statement]) -> list[int]:
    """Each line once, however many of its sentences matched nothing."""
    return list(dict.fromkeys(s.line for s in statements))


def _by_line(statements: list[Statement]) -> dict[int, list[str]]:
    """The texts of the statements on each line, in one pass: a scan of every statement per line made 200k
    unmatched statements quadratic (over 400 s)."""
    out: dict[int, list[str]] = {}
    for s in statements:
        out.setdefault(s.line, []).append(s.text)
    return out


def _match(m: Match) -> dict[str, Any]:
    out = {"id": m.id, "kind": m.kind, "text": m.text, "score": m.score, "shared": readable(m.shared)}
    if m.via:
        out["via"] = {"alias": m.via, "editorial": True}
    return out


def as_dict(r: DiffReport) -> dict[str, Any]:
    def share(s: Share) -> dict[str, Any]:
        return {"covered": s.covered, "total": s.total, "percent": s.percent}

    return {
        "format": "nos-diff", "format_version": DIFF_JSON_VERSION, "map": r.map_id, "map_file": r.map_path,
        "matcher": r.matcher, "threshold": r.threshold, "top": r.top, "role": r.role,
        "statements": [{"line": res.statement.line, "text": res.statement.text, "matched": res.matched,
                        "matches": [_match(m) for m in res.matches[:r.top]]} for res in r.results],
        "ksbs": [{"id": k, "kind": kind, "covered_by": r.covered_by.get(k, [])} for k, kind in r.ksbs or ()],
        "uncovered": [k for k, _ in r.uncovered],
        "unmatched": [{"line": n, "text": " ".join(texts)} for n, texts in _by_line(r.unmatched).items()],
        "coverage": {**share(r.overall), "by_kind": {k: share(s) for k, s in r.by_kind.items()},
                     "by_area": {a: share(s) for a, s in r.by_area.items()}},
    }


def as_json(r: DiffReport) -> str:
    return json_dumps(as_dict(r), indent=2) + "\n"




def as_markdown(r: DiffReport) -> str:
    lines = [f"## {md_escape(r.title)} against the role", "", md_escape(_header(r)), "",
             *(line.replace("  by", "- by") for line in _summary(r)), "",
             "| line | statement | best matches |", "| ---: | --- | --- |"]
    for res in r.results:
        # a semantic match can share no word with its statement: then no empty "()"
        best = "<br>".join(f"`{m.id}` {m.score:.0f}" + (f" ({md_escape(', '.join(readable(m.shared[:4])))})"
                                                          if m.shared else "") + md_escape(_via(m))
                           for m in res.matches[:r.top])
        lines.append(f"| {res.statement.line} | {md_escape(res.statement.text)} | "
                     f"{best or '**not in the standard**'} |")
    lines += ["", f"### Gap: {r.gap_count} KSBs no statement covers", ""]
    lines += [f"- `{k}` ({kind}) {md_escape(t)}" for k, kind, t in r.gap] or ["- none"]
    if r.gap_count > len(r.gap):
        lines.append(f"- ... and {r.gap_count - len(r.gap)} more (`--format json` lists them all)")
    lines += ["", f"### Not in the standard: {len(r.unmatched)} statements", ""]
    by_line: dict[int, list[str]] = {}
    for s in r.unmatched:
        by_line.setdefault(s.line, []).append(s.text)
    lines += [f"- line {n}: {md_escape(' '.join(texts))}" for n, texts in by_line.items()] or ["- none"]
    return "\n".join(lines) + "\n"
