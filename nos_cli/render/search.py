"""Renderers for ``nos search``: grep-style lines, counts, map lists and JSON Lines.

They write plain strings (ANSI colour codes only when asked), so search never imports rich: it is the
command people run in loops, and rich costs ~50 ms to import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from nos_cli.search.grep import Hit

MAP_STYLE, SEP_STYLE, ID_STYLE, MATCH_STYLE, RESET = "\x1b[35m", "\x1b[36m", "\x1b[32m", "\x1b[1;31m", "\x1b[0m"
SEARCH_JSON_VERSION = 1


def line(hit: Hit, *, color: bool, with_map: bool = True) -> str:
    """``MAP:ID<TAB>TEXT`` (``ID<TAB>TEXT`` with --no-map); line breaks in a text become spaces so that one
    record stays one line. The key purpose has no id of its own and is shown as ``purpose``."""
    node_id = hit.id or "purpose"
    text = hit.text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    if not color:
        head = f"{hit.map_id}:{node_id}" if with_map else node_id
        return f"{head}\t{text}\n"
    head = f"{MAP_STYLE}{hit.map_id}{RESET}{SEP_STYLE}:{RESET}" if with_map else ""
    ident = f"{MATCH_STYLE}{node_id}{RESET}" if hit.id_matched else f"{ID_STYLE}{node_id}{RESET}"
    return f"{head}{ident}\t{_highlight(text, hit.spans)}\n"


def _highlight(text: str, spans: Iterable[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        out += [text[at:start], MATCH_STYLE, text[start:end], RESET]
        at = end
    out.append(text[at:])
    return "".join(out)


def json_match(hit: Hit) -> str:
    doc: dict[str, object] = {
        "type": "match", "map": hit.map_id, "id": hit.id or None, "kind": hit.kind, "text": hit.text,
        "offsets": [list(s) for s in hit.spans], "id_matched": hit.id_matched,
        "functions": list(hit.functions), "areas": list(hit.areas), "path": hit.path, "line": hit.line,
    }
    if hit.score is not None:
        doc["score"] = hit.score
    return json.dumps(doc, ensure_ascii=False) + "\n"


def json_summary(matches: int, maps: int, records: int, pattern: str) -> str:
    return json.dumps({"type": "summary", "format": "nos-search", "format_version": SEARCH_JSON_VERSION,
                       "pattern": pattern, "matches": matches, "maps_searched": maps,
                       "records_searched": records}, ensure_ascii=False) + "\n"
