"""Renderers for ``nos map show``, ``nos map list`` and ``nos show``.

Every renderer takes the data and options and returns text (or a rich renderable for the terminal);
printing happens once, in the command.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from nos_cli.maps.catalog import bundled_dir
from nos_cli.maps.graph import ROOT, FunctionalMap
from nos_cli.maps.lookup import NodeView
from nos_cli.maps.serialize import MAP_JSON_VERSION, ksb_dict, map_dict
from nos_cli.model import AREA, BEHAVIOUR, ELEMENT, FUNCTION, KNOWLEDGE, KSB_KINDS, MAP, SKILL, Node
from nos_cli.render.node import STYLES, view_json, view_text


@dataclass(frozen=True)
class ShowOptions:
    """What ``nos map show`` was asked for."""

    area: str | None = None
    depth: int | None = None  # 1 = key areas, 2 = functions, 3 = elements and KSBs
    ksbs: bool = True


# --- the tree -----------------------------------------------------------------------------------------


def _label(node: Node) -> Text:
    text = Text()
    text.append(node.id, style=STYLES.get(node.kind, "") + (" bold" if node.is_ksb else ""))
    text.append("  ")
    text.append(node.text, style=STYLES.get(node.kind, "") if node.kind in KSB_KINDS else "")
    if node.editorial:
        text.append("  [editorial]", style="dim italic")
    return text


def tree(fmap: FunctionalMap, opts: ShowOptions) -> RenderableType:
    info = fmap.info
    head = Text(info.title, style="bold")
    head.append(f"  ({info.id}{', partial' if info.partial else ''})", style="dim")
    root = Tree(head, guide_style="dim")
    if fmap.root.text:
        purpose = Text(f"{fmap.level_name(MAP)}: ", style="bold")
        purpose.append(fmap.root.text, style="italic")
        root.add(purpose)
    for area in fmap.areas():
        if opts.area is not None and area.id != opts.area:
            continue
        _branch(root, fmap, area, 1, opts)
    return root


def _branch(parent: Tree, fmap: FunctionalMap, node: Node, depth: int, opts: ShowOptions) -> None:
    branch = parent.add(_label(node))
    if opts.depth is not None and depth >= opts.depth:
        return
    if node.kind == FUNCTION and node.rationale:
        branch.add(Text(f"why: {node.rationale}", style="dim italic"))
    for child in fmap.children(node.id):
        _branch(branch, fmap, child, depth + 1, opts)
    if opts.ksbs and node.kind == FUNCTION:
        for ksb in fmap.links(node.id):
            branch.add(_label(ksb))


# --- machine formats ----------------------------------------------------------------------------------


def as_json(fmap: FunctionalMap, opts: ShowOptions) -> str:
    doc = {"format": "nos-map", "format_version": MAP_JSON_VERSION,
           "map": map_dict(fmap, area=opts.area, ksbs=opts.ksbs, depth=opts.depth)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def as_yaml(fmap: FunctionalMap, opts: ShowOptions) -> str:
    import yaml

    from nos_cli.maps.format import FORMAT_KEY, FORMAT_VERSION

    data = {FORMAT_KEY: FORMAT_VERSION, **map_dict(fmap, area=opts.area, ksbs=opts.ksbs, depth=opts.depth)}
    out: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return out


def as_markdown(fmap: FunctionalMap, opts: ShowOptions) -> str:
    lines = [f"# {_md(fmap.title)}", ""]
    if fmap.info.partial:
        lines += ["> **Partial map**: it covers only part of its occupation or suite.", ""]
    if fmap.root.text:
        lines += [f"**{fmap.level_name(MAP)}:** {_md(fmap.root.text)}", ""]
    for area in fmap.areas():
        if opts.area is not None and area.id != opts.area:
            continue
        lines += [f"## {_md(area.id)} {_md(area.text)}{_ed(area)}", ""]
        if opts.depth == 1:
            continue
        for fn in fmap.children(area.id):
            lines.append(f"- **{_md(fn.id)}** {_md(fn.text)}{_ed(fn)}")
            if opts.depth is not None and opts.depth <= 2:
                continue
            for el in fmap.children(fn.id):
                lines.append(f"  - {_md(el.id)} {_md(el.text)}")
            if opts.ksbs:
                for k in fmap.links(fn.id):
                    lines.append(f"  - `{k.id}` ({k.kind}) {_md(k.text)}")
        lines.append("")
    sources = [s for s in fmap.info.sources if isinstance(s.get("title"), str)]
    if sources:
        lines += ["## Sources", ""]
        for s in sources:
            ref = f" ({s['reference']}{' v' + str(s['version']) if s.get('version') else ''})" \
                if s.get("reference") else ""
            where = f" <{s['address']}>" if s.get("address") else ""
            lines.append(f"- `{_md(str(s.get('id')))}`: {_md(str(s['title']))}{_md(ref)}{where}")
        lines += ["", "Text marked *(editorial)* is this project's wording or linking, not the standard's.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _ed(node: Node) -> str:
    return " *(editorial)*" if node.editorial else ""


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def as_mermaid(fmap: FunctionalMap, opts: ShowOptions) -> str:
    ids: dict[str, str] = {}

    def nid(node_id: str) -> str:
        return ids.setdefault(node_id, f"n{len(ids)}")

    def label(text: str) -> str:
        return '"' + text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;") + '"'

    lines = ["flowchart LR", f"  {nid(ROOT)}[{label(fmap.title)}]"]
    edges: list[str] = []
    for depth, node in _walk(fmap, opts):
        lines.append(f"  {nid(node.id)}[{label(node.id + ': ' + _short(node.text))}]")
        parent = fmap.parent(node.id)
        edges.append(f"  {nid(parent.id if parent else ROOT)} --> {nid(node.id)}")
        if opts.ksbs and node.kind == FUNCTION and (opts.depth is None or depth < opts.depth):
            for k in fmap.links(node.id):
                if k.id not in ids:
                    lines.append(f"  {nid(k.id)}([{label(k.id + ': ' + _short(k.text))}])")
                edges.append(f"  {nid(node.id)} -.-> {nid(k.id)}")
    return "\n".join(lines + edges) + "\n"


def as_dot(fmap: FunctionalMap, opts: ShowOptions) -> str:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    shapes = {AREA: "box", FUNCTION: "box", ELEMENT: "note"}
    root_key = ":map"  # no node id can start with ":", so the root never clashes with a node
    lines = [f"digraph {q(fmap.id)} {{", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];",
             f"  {q(root_key)} [label={q(fmap.title)}, shape=doubleoctagon];"]
    linked: set[str] = set()
    for depth, node in _walk(fmap, opts):
        lines.append(f"  {q(node.id)} [label={q(node.id + ': ' + _short(node.text))}, "
                     f"shape={shapes.get(node.kind, 'box')}];")
        parent = fmap.parent(node.id)
        lines.append(f"  {q(parent.id if parent else root_key)} -> {q(node.id)};")
        if opts.ksbs and node.kind == FUNCTION and (opts.depth is None or depth < opts.depth):
            for k in fmap.links(node.id):
                if k.id not in linked:
                    linked.add(k.id)
                    lines.append(f"  {q(k.id)} [label={q(k.id + ': ' + _short(k.text))}, shape=ellipse];")
                lines.append(f"  {q(node.id)} -> {q(k.id)} [style=dashed];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _walk(fmap: FunctionalMap, opts: ShowOptions) -> list[tuple[int, Node]]:
    out = []
    keep = True
    for depth, node in fmap.walk():
        if depth == 1:
            keep = opts.area is None or node.id == opts.area
        if keep and (opts.depth is None or depth <= opts.depth):
            out.append((depth, node))
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


Renderer = Callable[[FunctionalMap, ShowOptions], Any]
SHOW_FORMATS: dict[str, Renderer] = {
    "tree": tree,
    "json": as_json,
    "yaml": as_yaml,
    "markdown": as_markdown,
    "mermaid": as_mermaid,
    "dot": as_dot,
}


# --- nos map list -------------------------------------------------------------------------------------


def map_rows(maps: list[FunctionalMap]) -> list[dict[str, Any]]:
    rows = []
    for m in maps:
        c = m.counts()
        src = main_source(m)
        rows.append({
            "id": m.id, "title": m.title, "kind": m.info.kind,
            "reference": src.get("reference"), "version": src.get("version"),
            "partial": m.info.partial,
            "areas": c[AREA], "functions": c[FUNCTION], "knowledge": c[KNOWLEDGE], "skills": c[SKILL],
            "behaviours": c[BEHAVIOUR], "path": m.info.path,
            "bundled": Path(m.info.path).resolve().parent == bundled_dir().resolve(),
        })
    return rows


def main_source(fmap: FunctionalMap) -> dict[str, Any]:
    """The source most of the map's nodes quote (ST0148 for the Learning Mentor map, not the page that
    gives its three key areas); the first source when no node cites one."""
    cited: dict[str, int] = {}
    for n in fmap.nodes():
        if n.source:
            cited[n.source] = cited.get(n.source, 0) + 1
    sources = fmap.info.sources
    ranked = sorted(sources, key=lambda s: -cited.get(str(s.get("id")), 0))
    return ranked[0] if ranked else {}


def list_table(maps: list[FunctionalMap]) -> RenderableType:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for col, justify in (("id", "left"), ("title", "left"), ("ref", "left"), ("ver", "left"),
                         ("areas", "right"), ("fns", "right"), ("K", "right"), ("S", "right"),
                         ("B", "right"), ("from", "left")):
        table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for r in map_rows(maps):
        partial = r["partial"] and "partial" not in r["title"].lower()
        table.add_row(r["id"], r["title"] + (" (partial)" if partial else ""), r["reference"] or "-",
                      r["version"] or "-", *(str(r[k]) for k in ("areas", "functions", "knowledge",
                                                                  "skills", "behaviours")),
                      f"bundled: {Path(r['path']).name}" if r["bundled"] else r["path"])
    return table


def list_json(maps: list[FunctionalMap]) -> str:
    return json.dumps({"format": "nos-map-list", "format_version": 1, "maps": map_rows(maps)},
                      ensure_ascii=False, indent=2) + "\n"


def list_tsv(maps: list[FunctionalMap]) -> str:
    rows = map_rows(maps)
    cols = ["id", "title", "reference", "version", "areas", "functions", "knowledge", "skills", "behaviours",
            "path"]
    out = ["\t".join(cols)]
    for r in rows:
        out.append("\t".join(_cell(r[c]) for c in cols))
    return "\n".join(out) + "\n"


def _cell(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


LIST_FORMATS: dict[str, Callable[[list[FunctionalMap]], Any]] = {
    "table": list_table, "json": list_json, "tsv": list_tsv,
}


# --- nos show ID --------------------------------------------------------------------------------------


def node_facts(fmap: FunctionalMap, node: Node) -> dict[str, Any]:
    """Everything ``nos show`` says about one node, as data."""
    out: dict[str, Any] = {"map": fmap.id, **ksb_dict(node)} if node.is_ksb else \
        {"map": fmap.id, "id": node.id, "kind": node.kind, "text": node.text}
    if not node.is_ksb:
        if node.source:
            out["source"] = node.source
        if node.editorial:
            out["editorial"] = True
    if node.rationale:
        out["rationale"] = node.rationale
    if node.note:
        out["note"] = node.note
    src = next((s for s in fmap.info.sources if s.get("id") == node.source), None)
    if src:
        out["source_title"] = src.get("title")
        if src.get("reference"):
            out["source_reference"] = src.get("reference")
    if node.is_ksb:
        out["functions"] = [{"id": f.id, "title": f.text} for f in fmap.functions_for(node.id)]
        out["areas"] = [{"id": a.id, "title": a.text} for a in fmap.areas_for(node.id)]
    else:
        parent = fmap.parent(node.id)
        if parent is not None:
            out["parent"] = {"id": parent.id, "kind": parent.kind, "title": parent.text}
        area = fmap.area_of(node.id)
        if area is not None and area is not parent:
            out["area"] = {"id": area.id, "title": area.text}
        out["contains"] = [{"id": c.id, "kind": c.kind, "title": c.text} for c in fmap.children(node.id)]
        if node.kind == FUNCTION:
            out["ksbs"] = [{"id": k.id, "kind": k.kind, "text": k.text} for k in fmap.links(node.id)]
    out["location"] = f"{fmap.info.path}:{node.line}:{node.column}"
    return out


def show_text(fmap: FunctionalMap, node: Node) -> RenderableType:
    return view_text(NodeView(node_facts(fmap, node), fmap.info.levels, node.source_ref))


def show_json(fmap: FunctionalMap, node: Node) -> str:
    return view_json(NodeView(node_facts(fmap, node), fmap.info.levels, node.source_ref))


NODE_FORMATS: dict[str, Callable[[FunctionalMap, Node], Any]] = {"text": show_text, "json": show_json}

