"""Renderers for ``nos search``: grep-style lines, counts, map lists and JSON Lines.

They write plain strings (ANSI colour codes only when asked), so search never imports rich: it is the
command people run in loops, and rich costs ~50 ms to import.
"""

from __future__ import annotations

from collections.abc import Iterable

from nos_cli.search.grep import Hit
from nos_cli.textsafe import json_dumps, shown

MAP_STYLE, SEP_STYLE, ID_STYLE, MATCH_STYLE, RESET = "\x1b[35m", "\x1b[36m", "\x1b[32m", "\x1b[1;31m", "\x1b[0m"
SEARCH_JSON_VERSION = 1


def line(hit: Hit, *, color: bool, with_map: bool = True) -> str:
    """``MAP:ID<TAB>TEXT`` (``ID<TAB>TEXT`` with --no-map); line breaks in a text become spaces so that one
    record stays one line. The key purpose has no id of its own and is shown as ``purpose``. Every piece from
    the map goes through shown(): an escape sequence in a map prints as ``\\x1b``, never reaches the terminal."""
    node_id = shown(hit.id or "purpose", keep="")
    map_id = shown(hit.map_id, keep="")
    text = hit.text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    if not color:
        head = f"{map_id}:{node_id}" if with_map else node_id
        return f"{head}\t{shown(text, keep='')}\n"
    head = f"{MAP_STYLE}{map_id}{RESET}{SEP_STYLE}:{RESET}" if with_map else ""
    ident = f"{MATCH_STYLE}{node_id}{RESET}" if hit.id_matched else f"{ID_STYLE}{node_id}{RESET}"
    return f"{head}{ident}\t{_highlight(text, hit.spans)}\n"


def _highlight(text: str, spans: Iterable[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        # each piece is shown() on its own, so the spans (offsets into the raw text) stay right
        out += [shown(text[at:start], keep=""), MATCH_STYLE, shown(text[start:end], keep=""), RESET]
        at = end
    out.append(shown(text[at:], keep=""))
    return "".join(out)


def json_match(hit: Hit) -> str:
    doc: dict[str, object] = {
        "type": "match", "map": hit.map_id, "id": hit.id or None, "kind": hit.kind, "text": hit.text,
        "offsets": [list(s) for s in hit.spans], "id_matched": hit.id_matched,
        "functions": list(hit.functions), "areas": list(hit.areas), "path": hit.path, "line": hit.line,
    }
    if hit.score is not None:
        doc["score"] = hit.score
    return json_dumps(doc) + "\n"


def json_summary(matches: int, maps: int, records: int, pattern: str) -> str:
    return json_dumps({"type": "summary", "format": "nos-search", "format_version": SEARCH_JSON_VERSION,
                       "pattern": pattern, "matches": matches, "maps_searched": maps,
                       "records_searched": records}) + "\n"
