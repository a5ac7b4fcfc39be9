"""Renderers for ``nos compare``: text, json, markdown (plain strings: the word diff is the content).

The text report reads as ``git diff --word-diff`` does: ``--- old``/``+++ new`` headers naming each map's id,
version and file, and changed words marked ``[-removed-]{+added+}``; with colour (a terminal, or --color
always) the marks give way to red and green, as ``git diff --word-diff=color``. Colour codes are plain ANSI
strings, so compare never imports rich."""

from __future__ import annotations

from typing import Any

from nos_cli.envelope import json_document
from nos_cli.render.markdown import md_escape
from nos_cli.textsafe import Shown, no_command, shown
from nos_cli.versions.compare import ADDED, CATEGORIES, KEPT, REMOVED, Change, Comparison

COMPARE_JSON_VERSION = 1
SIGN = {"added": "+", "removed": "-", "reworded": "~", "renumbered": "#", "moved": ">"}
# git's colours: red for what went, green for what came, bold headers; ESC[m resets, as git writes it.
RED, GREEN, BOLD, RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[m"
SIGN_COLOR = {"added": GREEN, "removed": RED}


def _label(c: Change) -> str:
    if c.old is not None and c.new is not None and c.old.id != c.new.id:
        return f"{c.old.id} -> {c.new.id}"
    node = c.new or c.old
    return node.id if node else "?"


def _summary(r: Comparison) -> str:
    counts = ", ".join(f"{len(r.of(cat))} {cat}" for cat in CATEGORIES)
    same = sum(r.unchanged.values())
    return f"{counts}; {same} unchanged"


def _side(fmap: Any) -> str:
    """A map as the header names it: id, version (when it has one) and file."""
    version = f" version {fmap.info.version}" if fmap.info.version else ""
    return f"{fmap.id}{version} ({fmap.info.path})"


def header(r: Comparison) -> list[str]:
    return [f"--- {_side(r.old)}", f"+++ {_side(r.new)}"]


def _words(c: Change, color: bool) -> str:
    """The reworded text, each piece shown() on its own so a map's text never writes an escape of its own."""
    if not color or not c.words:
        return shown(c.detail, keep="")
    style = {KEPT: "", REMOVED: RED, ADDED: GREEN}
    return "".join(shown(t, keep="") if k == KEPT else f"{style[k]}{shown(t, keep='')}{RESET}" for k, t in c.words)


def text(r: Comparison, *, color: bool = False) -> str:
    """The report: headers, a summary line, then each category's changes, one a line."""
    bold, reset = (BOLD, RESET) if color else ("", "")
    lines = [f"{bold}{shown(h, keep='')}{reset}" for h in header(r)] + [shown(_summary(r), keep="")]
    for cat in CATEGORIES:
        found = r.of(cat)
        if not found:
            continue
        lines += ["", f"{bold}{cat} ({len(found)}):{reset}"]
        for c in found:
            node = c.new or c.old
            if cat == "reworded":
                body = _words(c, color)
            else:
                body = shown(c.detail if cat == "moved" else (node.text if node else ""), keep="")
            how = f"  [{shown(c.how, keep='')}]" if c.how and c.how != "source_ref" and cat != "renumbered" else ""
            sign = f"{SIGN_COLOR[cat]}{SIGN[cat]}{RESET}" if color and cat in SIGN_COLOR else SIGN[cat]
            lines.append(f"  {sign} {c.level} {shown(_label(c), keep='')}: {body}{how}")
    # Every piece from a map was shown() above, so only nos's own colour codes remain; no line may act as a
    # CI workflow command.
    return Shown("\n".join(no_command(line) for line in lines) + "\n")


def _node(n: Any) -> dict[str, Any] | None:
    return None if n is None else {"id": n.id, "kind": n.kind, "text": n.text, "source_ref": n.source_ref}


def as_json(r: Comparison) -> str:
    doc = {"old": r.old.id, "new": r.new.id, "old_version": r.old.info.version, "new_version": r.new.info.version,
           "old_path": r.old.info.path, "new_path": r.new.info.path, "differ": r.differ,
           "summary": {**{cat: len(r.of(cat)) for cat in CATEGORIES}, "unchanged": r.unchanged},
           "changes": [{"category": c.category, "level": c.level, "old": _node(c.old), "new": _node(c.new),
                        "detail": c.detail, "paired_by": c.how or None} for c in r.changes]}
    return json_document("nos-compare", COMPARE_JSON_VERSION, doc)


def as_markdown(r: Comparison) -> str:

    lines = [f"## {md_escape(r.old.title)}: changes", "", f"- old: {md_escape(_side(r.old))}",
             f"- new: {md_escape(_side(r.new))}", "", _summary(r), ""]
    for cat in CATEGORIES:
        found = r.of(cat)
        if found:
            lines += [f"### {cat.capitalize()} ({len(found)})", "", "| level | id | change |", "| --- | --- | --- |"]
            for c in found:
                node = c.new or c.old
                body = c.detail if cat in ("reworded", "moved") else (node.text if node else "")
                lines.append(f"| {c.level} | `{md_escape(_label(c))}` | {md_escape(body)} |")
            lines.append("")
    return "\n".join(lines) + "\n"
