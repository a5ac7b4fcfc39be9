"""``nos export``: a map as CSV for spreadsheets (the other export formats: nos_cli/render/registry.py EXPORT)."""

from __future__ import annotations

from nos_cli.interop.cells import delimited
from nos_cli.maps.graph import FunctionalMap

CSV_COLUMNS = ("map", "kind", "id", "text", "parent_path", "source", "editorial", "ksbs", "functions")


def as_csv(fmap: FunctionalMap) -> str:
    """One row per node: its kind, id and text, the path of ids above it, its provenance, and its links (a
    function's KSBs, a KSB's functions). Cells are neutralised against spreadsheet formula injection."""
    rows: list[tuple[str, ...]] = [CSV_COLUMNS]
    for node in fmap.in_order():
        path = "/".join(a.id for a in reversed(fmap.ancestors(node.id)))
        ksbs = ";".join(k.id for k in fmap.links(node.id)) if node.kind == "function" else ""
        functions = ";".join(f.id for f in fmap.functions_for(node.id)) if node.is_ksb else ""
        row = (fmap.id, node.kind, node.id, node.text, path, node.source or "", "yes" if node.editorial else "",
               ksbs, functions)
        rows.append(row)
    return delimited(rows)
