"""Renderers for ``nos search``: grep-style lines, counts, map lists and JSON Lines.

They write plain strings (ANSI colour codes only when asked), so search never imports rich: it is the
command people run in loops, and rich costs ~50 ms to import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nos_cli.search.grep import Hit
from nos_cli.textsafe import json_dumps, shown

MAP_STYLE, SEP_STYLE, ID_STYLE, MATCH_STYLE, RESET = "\x1b[35m", "\x1b[36m", "\x1b[32m", "\x1b[1;31m", "\x1b[0m"
SEARCH_JSON_VERSION = 2  # 2: ripgrep's message shapes


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


def only_matching(hit: Hit, *, color: bool, with_map: bool = True) -> str:
    """-o: one ``MAP:ID<TAB>MATCH`` line for each matched part (of the text, or of the id when only the id
    matched), as ``grep -o`` prints one line a match."""
    node_id = shown(hit.id or "purpose", keep="")
    head = f"{shown(hit.map_id, keep='')}:{node_id}" if with_map else node_id
    if color:
        head = (f"{MAP_STYLE}{shown(hit.map_id, keep='')}{RESET}{SEP_STYLE}:{RESET}" if with_map else "") + \
            f"{ID_STYLE}{node_id}{RESET}"
    source, spans = (hit.id, hit.id_spans) if hit.id_matched else (hit.text, hit.spans)
    out = []
    for start, end in spans:
        part = shown(_one_line(source[start:end]), keep="")
        out.append(f"{head}\t{MATCH_STYLE}{part}{RESET}\n" if color else f"{head}\t{part}\n")
    return "".join(out)


def _one_line(text: str) -> str:
    # one code point for one, so that offsets into the text are offsets into the line
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


# ``--json``: ripgrep's JSON Lines messages (https://docs.rs/grep-printer/latest/grep_printer/struct.JSON.html),
# so that a script written for ``rg --json`` reads nos's: ``begin`` and ``end`` around each map with a match,
# one ``match`` a record, one ``summary``. A record's text is the "line"; nos's own fields sit beside rg's.


def json_begin(path: str) -> str:
    return json_dumps({"type": "begin", "data": {"path": {"text": path}}}) + "\n"


def json_match(hit: Hit) -> str:
    text = hit.text  # exactly as the map has it (JSON escapes line breaks), so nothing the author wrote is lost
    # offsets index lines.text, as a script for rg expects; a match in the id only (id_matched) has none there
    submatches = [{"match": {"text": text[a:b]}, "start": _byte(text, a), "end": _byte(text, b)}
                  for a, b in hit.spans]
    data: dict[str, object] = {
        "path": {"text": hit.path}, "lines": {"text": text + "\n"}, "line_number": hit.line,
        "submatches": submatches,
        "map": hit.map_id, "id": hit.id or None, "kind": hit.kind, "area": hit.areas[0] if hit.areas else None,
        "areas": list(hit.areas), "functions": list(hit.functions), "id_matched": hit.id_matched,
    }
    if hit.score is not None:
        data["score"] = hit.score
    return json_dumps({"type": "match", "data": data}) + "\n"


def _byte(text: str, at: int) -> int:
    """rg's offsets count bytes of the UTF-8 line."""
    return len(text[:at].encode("utf-8", "surrogatepass"))


@dataclass
class Stats:
    """rg's ``stats`` object, for one map (``end``) or the whole run (``summary``)."""

    searches: int = 0
    searches_with_match: int = 0
    matched_lines: int = 0
    matches: int = 0
    elapsed: float = 0.0

    def doc(self) -> dict[str, object]:
        return {"elapsed": _elapsed(self.elapsed), "searches": self.searches,
                "searches_with_match": self.searches_with_match, "bytes_searched": 0, "bytes_printed": 0,
                "matched_lines": self.matched_lines, "matches": self.matches}


def _elapsed(seconds: float) -> dict[str, object]:
    whole = int(seconds)
    return {"secs": whole, "nanos": int((seconds - whole) * 1e9), "human": f"{seconds:.6f}s"}


def json_end(path: str, stats: Stats) -> str:
    return json_dumps({"type": "end", "data": {"path": {"text": path}, "binary_offset": None,
                                               "stats": stats.doc()}}) + "\n"


def json_summary(stats: Stats, *, records: int, patterns: tuple[str, ...]) -> str:
    return json_dumps({"type": "summary", "data": {
        "elapsed_total": _elapsed(stats.elapsed), "stats": stats.doc(),
        "format": "nos-search", "format_version": SEARCH_JSON_VERSION, "patterns": list(patterns),
        "records_searched": records}}) + "\n"
