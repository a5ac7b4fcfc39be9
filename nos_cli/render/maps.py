"""Renderers for ``nos map show``, ``nos map list`` and ``nos show``.

Every renderer takes the data and options and returns text (or a rich renderable for the terminal);
printing happens once, in the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from rich.tree import Tree

from nos_cli.envelope import json_document
from nos_cli.maps.catalog import bundled_dir
from nos_cli.maps.graph import ROOT, FunctionalMap
from nos_cli.maps.serialize import MAP_JSON_VERSION, ksb_dict, map_dict
from nos_cli.model import AREA, BEHAVIOUR, ELEMENT, FUNCTION, KNOWLEDGE, KSB_KINDS, PURPOSE, SKILL, Node
from nos_cli.render.markdown import md_escape
from nos_cli.render.node import ALIASES_LABEL, STYLES


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
        purpose = Text(f"{fmap.level_name(PURPOSE)}: ", style="bold")
        purpose.append(fmap.root.text, style="italic")
        root.add(purpose)
    for area in fmap.areas():
        if opts.area is not None and area.id != opts.area:
            continue
        _branch(root, fmap, area, 1, opts)
    return root


def _branch(parent: Tree, fmap: FunctionalMap, node: Node, depth: int, opts: ShowOptions) -> None:
    branch = parent.add(_label(node))
    _aliases(branch, node)
    if opts.depth is not None and depth >= opts.depth:
        return
    if node.kind == FUNCTION and node.rationale:
        branch.add(Text(f"why: {node.rationale}", style="dim italic"))
    for child in fmap.children(node.id):
        _branch(branch, fmap, child, depth + 1, opts)
    if opts.ksbs and node.kind == FUNCTION:
        for ksb in fmap.links(node.id):
            _aliases(branch.add(_label(ksb)), ksb)


def _aliases(branch: Tree, node: Node) -> None:
    if node.aliases:
        branch.add(Text(f"{ALIASES_LABEL}: {', '.join(node.aliases)}", style="dim italic"))


# --- machine formats ----------------------------------------------------------------------------------


def as_json(fmap: FunctionalMap, opts: ShowOptions | None = None) -> str:
    """nos's JSON document of a map (``nos map show -f json``, and ``nos export -f json`` with no options)."""
    opts = opts or ShowOptions()
    return json_document("nos-map", MAP_JSON_VERSION,
                         {"map": map_dict(fmap, area=opts.area, ksbs=opts.ksbs, depth=opts.depth)})


def as_yaml(fmap: FunctionalMap, opts: ShowOptions) -> str:
    import yaml

    from nos_cli.maps.format import FORMAT_KEY, FORMAT_VERSION

    data = {FORMAT_KEY: FORMAT_VERSION, **map_dict(fmap, area=opts.area, ksbs=opts.ksbs, depth=opts.depth)}
    out: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return out


def as_markdown(fmap: FunctionalMap, opts: ShowOptions) -> str:
    lines = [f"# {md_escape(fmap.title)}", ""]
    if fmap.info.partial:
        lines += ["> **Partial map**: it covers only part of its occupation or suite.", ""]
    if fmap.root.text:
        lines += [f"**{fmap.level_name(PURPOSE)}:** {md_escape(fmap.root.text)}", ""]
    for area in fmap.areas():
        if opts.area is not None and area.id != opts.area:
            continue
        lines += [f"## {md_escape(area.id)} {md_escape(area.text)}{_ed(area)}", *_md_aliases(area, "", True), ""]
        if opts.depth == 1:
            continue
        for fn in fmap.children(area.id):
            lines.append(f"- **{md_escape(fn.id)}** {md_escape(fn.text)}{_ed(fn)}")
            lines += _md_aliases(fn, "  ")
            if opts.depth is not None and opts.depth <= 2:
                continue
            for el in fmap.children(fn.id):
                lines.append(f"  - {md_escape(el.id)} {md_escape(el.text)}")
            if opts.ksbs:
                for k in fmap.links(fn.id):
                    lines.append(f"  - `{k.id}` ({k.kind}) {md_escape(k.text)}")
                    lines += _md_aliases(k, "    ")
        lines.append("")
    sources = [s for s in fmap.info.sources if isinstance(s.get("title"), str)]
    if sources:
        lines += ["## Sources", ""]
        for s in sources:
            ref = f" ({s['reference']}{' v' + str(s['version']) if s.get('version') else ''})" \
                if s.get("reference") else ""
            where = f" <{s['address']}>" if s.get("address") else ""
            lines.append(f"- `{md_escape(str(s.get('id')))}`: {md_escape(str(s['title']))}{md_escape(ref)}{where}")
        lines += ["", "Text marked *(editorial)* is this project's wording or linking, not the standard's.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _md_aliases(node: Node, indent: str, paragraph: bool = False) -> list[str]:
    if not node.aliases:
        return []
    terms = f"*{ALIASES_LABEL}:* {md_escape(', '.join(node.aliases))}"
    return ["", terms] if paragraph else [f"{indent}- {terms}"]


def _ed(node: Node) -> str:
    return " *(editorial)*" if node.editorial else ""




def _lines(text: str, width: int = 32) -> list[str]:
    """A label's lines: wrapped at spaces only, never cut; a word longer than a line keeps a line of its own."""
    import textwrap

    return textwrap.wrap(" ".join(text.split()), width, break_long_words=False, break_on_hyphens=False) or [""]


def as_mermaid(fmap: FunctionalMap, opts: ShowOptions) -> str:
    """A flowchart with one subgraph per key area holding its functions and the KSBs they link, so each
    area's links stay inside its box; labels wrapped with ``<br/>``, never cut; nodes coloured by kind."""
    from nos_cli.render.html_base import KIND_COLOURS

    ids: dict[str, str] = {}

    def nid(node_id: str) -> str:
        return ids.setdefault(node_id, f"n{len(ids)}")

    def esc(text: str) -> str:
        # mermaid's own entity codes (#60;, not &lt;): inside a quoted label `"` ends it, and with HTML labels
        # `<` would be read as markup; `#` first so the codes themselves survive
        return text.replace("#", "#35;").replace('"', "#34;").replace("<", "#60;").replace(">", "#62;")

    def label(text: str, width: int = 26) -> str:  # mermaid wraps again past ~200 px: stay under it
        return '"' + "<br/>".join(esc(line) for line in _lines(text, width)) + '"'

    lines = ["flowchart LR", f"  {nid(ROOT)}[{label(fmap.title)}]"]
    edges: list[str] = []
    kinds: dict[str, list[str]] = {}
    placed: set[str] = set()
    open_area = False
    for depth, node in _walk(fmap, opts):
        parent = fmap.parent(node.id)
        if node.kind == AREA:
            if open_area:
                lines.append("  end")
            # the box's own title is the short id: mermaid gives a subgraph title one line, and a longer one
            # runs over the nodes; the area's words go in a node inside the box
            lines.append(f"  subgraph {nid(node.id)}g[{label(fmap.level_name(AREA) + ' ' + node.id, 64)}]")
            lines.append("    direction LR")
            open_area = True
        shape = "(", ")"
        if node.kind != AREA:
            shape = "[", "]"
        lines.append(f"    {nid(node.id)}{shape[0]}{label(node.id + ': ' + node.text)}{shape[1]}")
        kinds.setdefault(node.kind, []).append(nid(node.id))
        edges.append(f"  {nid(parent.id if parent else ROOT)} --> {nid(node.id)}")
        if opts.ksbs and node.kind == FUNCTION and (opts.depth is None or depth < opts.depth):
            for k in fmap.links(node.id):
                if k.id not in placed:  # a KSB sits in the first key area that links it
                    placed.add(k.id)
                    lines.append(f"    {nid(k.id)}({label(k.id + ': ' + k.text)})")
                    kinds.setdefault(k.kind, []).append(nid(k.id))
                edges.append(f"  {nid(node.id)} -.-> {nid(k.id)}")
    if open_area:
        lines.append("  end")
    styles = [f"  classDef {kind} fill:{bg},color:{fg},stroke:{fg}" for kind, (bg, fg) in KIND_COLOURS.items()
              if kind in kinds]
    styles += [f"  class {','.join(members)} {kind}" for kind, members in kinds.items()]
    styles.append(f"  class {nid(ROOT)} map")
    styles.insert(0, f"  classDef map fill:{KIND_COLOURS[PURPOSE][0]},color:{KIND_COLOURS[PURPOSE][1]}")
    return "\n".join(lines + edges + styles) + "\n"


def as_dot(fmap: FunctionalMap, opts: ShowOptions) -> str:
    """Graphviz DOT: nodes filled by kind (with a legend), labels wrapped onto lines, never cut."""
    from nos_cli.render.html_base import KIND_COLOURS, KIND_WORD

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    def label(text: str) -> str:
        # each line quoted on its own, then joined with DOT's centred line break
        return '"' + "\\n".join(q(line)[1:-1] for line in _lines(text)) + '"'

    def style(kind: str) -> str:
        bg, fg = KIND_COLOURS[kind]
        return f'style="rounded,filled", fillcolor="{bg}", fontcolor="{fg}", color="{fg}"'

    shapes = {AREA: "box", FUNCTION: "box", ELEMENT: "note"}
    root_key = ":map"  # no node id can start with ":", so the root and the legend never clash with a node
    lines = [f"digraph {q(fmap.id)} {{", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=11];',
             f"  {q(root_key)} [label={label(fmap.title)}, shape=box, {style(PURPOSE)}];"]
    linked: set[str] = set()
    used = {PURPOSE}
    in_cluster = False
    for depth, node in _walk(fmap, opts):
        used.add(node.kind)
        if node.kind == AREA:
            # one box per key area around its functions and the KSBs they link first, so Graphviz keeps an
            # area's functions together instead of interleaving them with another area's
            if in_cluster:
                lines.append("  }")
            # the edge into the area is written outside its box: DOT puts every node an edge inside a
            # subgraph names into that subgraph, the map's root too
            lines.append(f"  {q(root_key)} -> {q(node.id)};")
            lines.append(f'  subgraph {q("cluster_" + node.id)} {{ label=""; style="rounded,dashed"; '
                         'color="#c9d0db";')
            in_cluster = True
        lines.append(f"  {q(node.id)} [label={label(node.id + ': ' + node.text)}, "
                     f"shape={shapes.get(node.kind, 'box')}, {style(node.kind)}];")
        parent = fmap.parent(node.id)
        if parent is not None:
            lines.append(f"  {q(parent.id)} -> {q(node.id)};")
        if opts.ksbs and node.kind == FUNCTION and (opts.depth is None or depth < opts.depth):
            for k in fmap.links(node.id):
                if k.id not in linked:
                    linked.add(k.id)
                    used.add(k.kind)
                    lines.append(f"  {q(k.id)} [label={label(k.id + ': ' + k.text)}, shape=box, {style(k.kind)}];")
                lines.append(f"  {q(node.id)} -> {q(k.id)} [style=dashed];")
    if in_cluster:
        lines.append("  }")
    legend = [kind for kind in (PURPOSE, AREA, FUNCTION, ELEMENT, *KSB_KINDS) if kind in used]
    lines.append('  subgraph "cluster_legend" {')
    lines.append('    label="Legend"; fontname="Helvetica"; style=dashed; color="#8a93a3";')
    for kind in legend:
        lines.append(f"    {q(':legend-' + kind)} [label={q(KIND_WORD[kind])}, shape=box, {style(kind)}];")
    for a, b in pairwise(legend):
        lines.append(f"    {q(':legend-' + a)} -> {q(':legend-' + b)} [style=invis];")
    lines.append("  }")
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


def as_html(fmap: FunctionalMap, opts: ShowOptions) -> str:
    from nos_cli.render.html_map import map_html

    return map_html(fmap, opts.area, depth=opts.depth, ksbs=opts.ksbs)


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
    """The maps as a table that fits the terminal: the title wraps first, then where each map was loaded from,
    its version, reference and counts drop out."""
    from nos_cli.render.fit import Column, FittedTable

    columns = [Column("id"), Column("title", "text"), Column("ref", drop=3), Column("ver", drop=2),
               Column("areas", "number", drop=5, justify="right"), Column("fns", "number", drop=5, justify="right"),
               *(Column(k, "number", drop=4, justify="right") for k in ("K", "S", "B")), Column("from", drop=1)]
    rows = []
    for r in map_rows(maps):
        partial = r["partial"] and "partial" not in r["title"].lower()
        rows.append([r["id"], r["title"] + (" (partial)" if partial else ""), r["reference"] or "-",
                     r["version"] or "-", *(str(r[k]) for k in ("areas", "functions", "knowledge", "skills",
                                                               "behaviours")),
                     f"bundled: {Path(r['path']).name}" if r["bundled"] else r["path"]])
    return FittedTable(columns, rows)


def list_json(maps: list[FunctionalMap]) -> str:
    return json_document("nos-map-list", 1, {"maps": map_rows(maps)})


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
    if node.aliases:
        out["aliases"] = {"editorial": True, "terms": list(node.aliases)}
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
