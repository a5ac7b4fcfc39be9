"""Renderers for ``nos compare``: text, json, markdown (plain strings: the word diff is the content)."""

from __future__ import annotations

from typing import Any

from nos_cli.envelope import json_document
from nos_cli.render.markdown import md_escape
from nos_cli.versions.compare import CATEGORIES, Change, Comparison

COMPARE_JSON_VERSION = 1
SIGN = {"added": "+", "removed": "-", "reworded": "~", "renumbered": "#", "moved": ">"}


def _label(c: Change) -> str:
    if c.old is not None and c.new is not None and c.old.id != c.new.id:
        return f"{c.old.id} -> {c.new.id}"
    node = c.new or c.old
    return node.id if node else "?"


def _summary(r: Comparison) -> str:
    counts = ", ".join(f"{len(r.of(cat))} {cat}" for cat in CATEGORIES)
    same = sum(r.unchanged.values())
    return f"{r.old.id} -> {r.new.id}: {counts}; {same} unchanged"


def text(r: Comparison) -> str:
    lines = [_summary(r)]
    for cat in CATEGORIES:
        found = r.of(cat)
        if not found:
            continue
        lines += ["", f"{cat} ({len(found)}):"]
        for c in found:
            node = c.new or c.old
            body = c.detail if cat in ("reworded", "moved") else (node.text if node else "")
            how = f"  [{c.how}]" if c.how and c.how != "source_ref" and cat != "renumbered" else ""
            lines.append(f"  {SIGN[cat]} {c.level} {_label(c)}: {body}{how}")
    return "\n".join(lines) + "\n"


def _node(n: Any) -> dict[str, Any] | None:
    return None if n is None else {"id": n.id, "kind": n.kind, "text": n.text, "source_ref": n.source_ref}


def as_json(r: Comparison) -> str:
    doc = {"old": r.old.id, "new": r.new.id,
           "old_path": r.old.info.path, "new_path": r.new.info.path, "differ": r.differ,
           "summary": {**{cat: len(r.of(cat)) for cat in CATEGORIES}, "unchanged": r.unchanged},
           "changes": [{"category": c.category, "level": c.level, "old": _node(c.old), "new": _node(c.new),
                        "detail": c.detail, "paired_by": c.how or None} for c in r.changes]}
    return json_document("nos-compare", COMPARE_JSON_VERSION, doc)


def as_markdown(r: Comparison) -> str:

    lines = [f"## {md_escape(r.old.title)}: changes", "", _summary(r), ""]
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
