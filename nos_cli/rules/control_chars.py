"""Texts hold no control characters (written as escapes such as ``"\\x07"`` or ``"\\u200b"`` in quoted YAML,
or pasted in): they are invisible, break terminals and exact matching. Zero-width and other invisible
format characters are reported too. Line breaks inside a text are allowed."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule
from nos_cli.rules.text import label, texts

_ALLOWED = {"\n"}


def check(ctx: MapContext) -> Iterator[Problem]:
    for node, key, value in texts(ctx):
        if value.isprintable():
            continue  # str.isprintable() is False for every Cc and Cf character: most texts stop here, in C
        for i, ch in enumerate(value):
            if ch not in _ALLOWED and unicodedata.category(ch) in ("Cc", "Cf"):
                yield ctx.problem((*node.path, key), RULE,
                                  f"{label(node, key)} holds the invisible character U+{ord(ch):04X} "
                                  f"({unicodedata.name(ch, 'control')}) at character {i + 1}")
                break


RULE = rule("control-character", Level.ERROR, "an invisible control or format character in a text", __doc__,
            check)
