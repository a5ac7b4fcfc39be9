"""Write fingerprints (and ``map_version``) into a mapping file without losing anything a person wrote.

PyYAML drops comments when it re-dumps a file, so the file is not re-dumped: each new value is spliced into
the text at the position the YAML composer reports. A fingerprint that is already there has only its value
replaced (comments inside and around a block-style ``fingerprints:`` table stay where they are); a missing
one is added beside the others in the table's own style; a missing table is added after ``ksbs``. A byte
order mark and the file's line ending (LF or CRLF) are kept. The result is loaded again and must equal the
old data with only those values changed, or nothing is written.

All edits are collected first and the text is rebuilt once, so the cost is linear in the file (a 10,000-item
mapping takes well under a second).
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from typing import Any

from nos_cli.errors import NosError


@dataclass(frozen=True)
class Layout:
    """What the bytes of a file have that its text does not: a byte order mark, the line ending."""

    bom: bool
    newline: str


def decode(data: bytes) -> tuple[str, Layout]:
    bom = data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) if bom else 0:].decode("utf-8")
    first = text.find("\n")
    return text, Layout(bom, "\r\n" if first > 0 and text[first - 1] == "\r" else "\n")


def encode(text: str, layout: Layout) -> bytes:
    return (codecs.BOM_UTF8 if layout.bom else b"") + text.encode("utf-8")


def _quote(value: str) -> str:
    # Double-quoted (JSON is valid YAML here): a fingerprint of digits only would otherwise be read as a
    # number, a version such as 1.10 as a float.
    return json.dumps(value)


def _flow(fps: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {_quote(v)}" for k, v in fps.items()) + "}"


def set_fingerprints(text: str, updates: dict[str, dict[str, str]], *, map_version: str | None = None,
                     newline: str = "\n") -> str:
    """``updates`` maps an item id to the fingerprints to set (KSB id to fingerprint); the item's other
    fingerprints are left as they are. ``map_version`` replaces the value of an existing ``map_version``."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root: Any = yaml.compose(text, Loader=loader_cls)
    top = {k.value: (k, v) for k, v in root.value}
    edits: list[tuple[int, int, str]] = []
    if map_version is not None and "map_version" in top:
        node = top["map_version"][1]
        edits.append((node.start_mark.index, _end(text, node), _quote(map_version)))
    items = top.get("items", (None, None))[1]
    for item in items.value if items is not None else []:
        fields = {k.value: (k, v) for k, v in item.value}
        item_id = fields.get("id", (None, None))[1]
        if item_id is None or item_id.value not in updates:
            continue
        wanted = updates[item_id.value]
        if "fingerprints" in fields:
            edits.extend(_into_table(text, *fields["fingerprints"], wanted, newline))
        elif item.flow_style:
            edits.append(_after_last(text, item, f"fingerprints: {_flow(wanted)}"))
        else:
            key, value = fields.get("ksbs") or list(fields.values())[-1]
            at = _line_end(text, _end(text, value))
            edits.append((at, at, f"{newline}{' ' * key.start_mark.column}fingerprints: {_flow(wanted)}"))
    return _apply(text, edits)


def _into_table(text: str, key: Any, table: Any, wanted: dict[str, str], newline: str) -> list[tuple[int, int, str]]:
    if not hasattr(table, "flow_style") or not isinstance(table.value, list):  # `fingerprints:` with no table
        start, end = table.start_mark.index, _end(text, table)
        if start == end:
            colon = text.index(":", key.end_mark.index)
            return [(colon + 1, colon + 1, f" {_flow(wanted)}")]
        return [(start, end, _flow(wanted))]
    edits = []
    present = {k.value: v for k, v in table.value}
    for ksb, fp in wanted.items():
        if ksb in present:
            node = present[ksb]
            edits.append((node.start_mark.index, _end(text, node), _quote(fp)))
    missing = {k: v for k, v in wanted.items() if k not in present}
    if not missing:
        return edits
    if table.flow_style:
        edits.append(_after_last(text, table, ", ".join(f"{k}: {_quote(v)}" for k, v in missing.items())))
    else:
        indent = " " * table.value[0][0].start_mark.column
        at = _line_end(text, _end(text, table))
        edits.append((at, at, "".join(f"{newline}{indent}{k}: {_quote(v)}" for k, v in missing.items())))
    return edits


def _after_last(text: str, flow: Any, entries: str) -> tuple[int, int, str]:
    """Add entries to a flow mapping right after its last value (before any trailing comma or comment)."""
    if not flow.value:
        close = flow.end_mark.index - 1
        return (close, close, entries)
    at = _end(text, flow.value[-1][1])
    return (at, at, f", {entries}")


def _line_end(text: str, index: int) -> int:
    """Where the line holding ``index`` ends, before its CR LF or LF (after any comment on it)."""
    eol = text.find("\n", index)
    if eol < 0:
        return len(text)
    return eol - 1 if eol > 0 and text[eol - 1] == "\r" else eol


def _end(text: str, node: Any) -> int:
    """Where a node's own text ends. A block collection's end mark lies at the next token, past any blank
    lines and comments that follow it, so it is found from its last child instead."""
    while isinstance(node.value, list) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = int(node.end_mark.index)
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts = []
    pos = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        parts.append(text[pos:start])
        parts.append(new)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def verified(path: str, new: bytes, expected: Any) -> bytes:
    """``new`` when it loads to ``expected``; otherwise an error, and the file is left as it was."""
    from nos_cli.maps.catalog import max_bytes
    from nos_cli.maps.load import load_bytes

    check = load_bytes(new, path, max_bytes=max(max_bytes(), len(new)))
    if not check.ok or check.data != expected:
        raise NosError(f"{path}: could not update the fingerprints without changing anything else; "
                       "the file was left as it was")
    return new
