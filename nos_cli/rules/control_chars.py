"""Texts hold no control characters (written as escapes such as ``"\\x07"`` or ``"\\u200b"`` in quoted YAML,
or pasted in): they are invisible, break terminals and exact matching, and an escape sequence or a
right-to-left override in a text is how a hostile file tries to rewrite what a reader sees. Every string of a
map or mapping file is checked: titles, the key purpose, KSB texts, rationales, notes, sources, descriptions,
aliases and ids. Zero-width and other invisible format characters, bidirectional controls, the byte-order mark
and line or paragraph separators are reported too, with the character's place in the text. Line breaks
inside a text are allowed."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from nos_cli.maps.load import Document
from nos_cli.model import Level, Problem, YamlPath
from nos_cli.rules.base import Context, MapContext, rule
from nos_cli.rules.text import label, texts

_ALLOWED = {"\n"}
# Cc (C0, DEL, C1) and Cf (format: zero-width, bidi controls, BOM); Zl and Zp are U+2028 and U+2029.
_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")


def check(ctx: Context) -> Iterator[Problem]:
    """Maps and mapping files alike; in a map, a node's texts are named as the node ("KSB S9's text")."""
    names = {(*node.path, key): label(node, key) for node, key, _ in texts(ctx)} if isinstance(ctx, MapContext) \
        else None
    yield from check_document(ctx.doc, names)


def check_document(doc: Document, names: dict[YamlPath, str] | None = None) -> Iterator[Problem]:
    """A problem for the first invisible character of every string in the document (map or mapping)."""
    for path, value in _strings(doc.data, ()):
        if value.isprintable():
            continue  # str.isprintable() is False for every Cc, Cf, Zl and Zp character: most texts stop here
        for i, ch in enumerate(value):
            if ch not in _ALLOWED and unicodedata.category(ch) in _CATEGORIES:
                what = (names or {}).get(path) or _where(path)
                yield doc.problem(path, RULE.id, RULE.level,
                                  f"{what} holds the invisible character U+{ord(ch):04X} "
                                  f"({unicodedata.name(ch, 'control')}) at character {i + 1}")
                break


def _strings(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _where(path: YamlPath) -> str:
    """"the title", "sources[0].title": where a string is, for strings that are not a node's own words."""
    if len(path) == 1:
        return f"the {path[0]}"
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


RULE = rule("control-character", Level.ERROR, "an invisible control, format or bidi character in a text",
            __doc__, check, target="any")
