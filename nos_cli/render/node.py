"""``nos show``: one node, as text or JSON, from a :class:`~nos_cli.maps.lookup.NodeView`.

Without networkx and, when the text goes to a pipe or a file, without rich: the plain form is what rich prints
off a terminal (a test holds them equal), and a warm ``nos show`` should cost what a warm search costs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nos_cli.envelope import json_document
from nos_cli.maps.lookup import NodeView
from nos_cli.model import AREA, BEHAVIOUR, ELEMENT, FUNCTION, KNOWLEDGE, KSB_KINDS, PURPOSE, SKILL, kind_name

if TYPE_CHECKING:
    from rich.console import RenderableType

STYLES = {
    PURPOSE: "bold",
    AREA: "bold blue",
    FUNCTION: "bold",
    ELEMENT: "",
    KNOWLEDGE: "cyan",
    SKILL: "green",
    BEHAVIOUR: "magenta",
}
#: Aliases are always the map authors' words: every output says so where it shows them.
ALIASES_LABEL = "aliases (editorial)"


def view_text(view: NodeView) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    facts = view.facts
    kind, is_ksb = facts["kind"], facts["kind"] in KSB_KINDS
    parts: list[RenderableType] = []
    head = Text()
    head.append(facts["id"], style=STYLES.get(kind, "") + " bold")
    head.append(f"  {view.level_name(kind) if not is_ksb else kind_name(kind)}", style="dim")
    head.append(f"  in {facts['map']}", style="dim")
    parts.append(head)
    parts.append(Text(facts["text"], style=STYLES.get(kind, "") if is_ksb else ""))
    prov = Text(style="dim")
    if facts.get("source"):
        prov.append(f"source: {facts.get('source_title', facts['source'])}")
        if facts.get("source_reference"):
            prov.append(f" ({facts['source_reference']})")
        if view.source_ref:
            prov.append(f", numbered {view.source_ref} there")
    elif facts.get("editorial"):
        prov.append("editorial: the project's wording, not the standard's")
    if prov.plain:
        parts.append(prov)
    if facts.get("rationale"):
        parts.append(Text(f"why: {facts['rationale']}", style="italic"))
    if facts.get("note"):
        parts.append(Text(f"note: {facts['note']}", style="italic"))
    if facts.get("aliases"):
        parts.append(Text(f"{ALIASES_LABEL}: {', '.join(facts['aliases']['terms'])}", style="italic"))
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    if is_ksb:
        _rows(table, view.level_name(FUNCTION).lower() + "s", facts["functions"], "title")
        _rows(table, view.level_name(AREA).lower() + "s", facts["areas"], "title")
    else:
        for key in ("parent", "area"):
            if key in facts:
                _rows(table, view.level_name(AREA if key == "area" else facts[key]["kind"]).lower(),
                      [facts[key]], "title")
        _rows(table, "contains", facts["contains"], "title")
        if "ksbs" in facts:
            _rows(table, "ksbs", facts["ksbs"], "text")
    parts.append(Text(""))
    parts.append(table)
    return Group(*parts)


def _rows(table: Any, label: str, items: list[dict[str, Any]], key: str) -> None:
    from rich.text import Text

    if not items:
        table.add_row(label, Text("none", style="dim"))
        return
    for i, item in enumerate(items):
        line = Text(item["id"], style="bold")
        line.append("  " + str(item[key]))
        table.add_row(label if i == 0 else "", line)


def view_plain(view: NodeView) -> str | None:
    """The text form as rich prints it off a terminal without colour; None when only rich can say how it
    looks (a text with control characters, a level name whose width is not its length)."""
    facts = view.facts
    kind, is_ksb = facts["kind"], facts["kind"] in KSB_KINDS
    lines = [f"{facts['id']}  {view.level_name(kind) if not is_ksb else kind_name(kind)}  in {facts['map']}",
             facts["text"]]
    prov = ""
    if facts.get("source"):
        prov = f"source: {facts.get('source_title', facts['source'])}"
        if facts.get("source_reference"):
            prov += f" ({facts['source_reference']})"
        if view.source_ref:
            prov += f", numbered {view.source_ref} there"
    elif facts.get("editorial"):
        prov = "editorial: the project's wording, not the standard's"
    if prov:
        lines.append(prov)
    if facts.get("rationale"):
        lines.append(f"why: {facts['rationale']}")
    if facts.get("note"):
        lines.append(f"note: {facts['note']}")
    if facts.get("aliases"):
        lines.append(f"{ALIASES_LABEL}: {', '.join(facts['aliases']['terms'])}")
    rows: list[tuple[str, str]] = []

    def add(label: str, items: list[dict[str, Any]], key: str) -> None:
        if not items:
            rows.append((label, "none"))
        for i, item in enumerate(items):
            rows.append((label if i == 0 else "", f"{item['id']}  {item[key]}"))

    if is_ksb:
        add(view.level_name(FUNCTION).lower() + "s", facts["functions"], "title")
        add(view.level_name(AREA).lower() + "s", facts["areas"], "title")
    else:
        for key in ("parent", "area"):
            if key in facts:
                add(view.level_name(AREA if key == "area" else facts[key]["kind"]).lower(), [facts[key]], "title")
        add("contains", facts["contains"], "title")
        if "ksbs" in facts:
            add("ksbs", facts["ksbs"], "text")
    if not all(line.isprintable() for line in [*lines, *(v for _, v in rows)]) or \
            not all(label.isascii() and label.isprintable() for label, _ in rows):
        return None
    width = max(len(label) for label, _ in rows)
    lines.append("")
    lines += [f"{label.ljust(width)}  {value}".rstrip() for label, value in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def view_json(view: NodeView) -> str:
    return json_document("nos-node", 1, {"node": view.facts})


def views_text(views: list[NodeView]) -> RenderableType:
    """Several nodes one after another, a blank line between them (one node prints as ``view_text``)."""
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = []
    for i, view in enumerate(views):
        if i:
            parts.append(Text(""))
        parts.append(view_text(view))
    return Group(*parts)


def views_plain(views: list[NodeView]) -> str | None:
    """``views_text`` off a terminal without colour, or None when one of the nodes needs rich."""
    plains = [view_plain(v) for v in views]
    return None if any(p is None for p in plains) else "\n".join(p for p in plains if p is not None)


def views_json(views: list[NodeView]) -> str:
    """One node: the ``nos-node`` document (``node``); several: one ``nos-nodes`` document (``nodes``, a list in
    the order asked), so ``xargs nos show -f json`` still prints one document a JSON reader can take whole."""
    if len(views) == 1:
        return view_json(views[0])
    return json_document("nos-nodes", 1, {"nodes": [v.facts for v in views]})
