"""``nos export``: a map in the formats other tools read. One function per format, one registry."""

from __future__ import annotations

from collections.abc import Callable

from nos_cli.interop.case import as_case
from nos_cli.maps.graph import FunctionalMap, graphml
from nos_cli.maps.serialize import MAP_JSON_VERSION, map_dict
from nos_cli.render.cells import delimited
from nos_cli.textsafe import json_dumps

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


def as_json(fmap: FunctionalMap) -> str:
    """The same document as ``nos map show --format json``."""
    return json_dumps({"format": "nos-map", "format_version": MAP_JSON_VERSION, "map": map_dict(fmap)}, indent=2) + "\n"


FORMATS: dict[str, Callable[[FunctionalMap], str]] = {
    "case": as_case, "csv": as_csv, "graphml": graphml, "json": as_json,
}
