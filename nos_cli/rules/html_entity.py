"""Texts are plain text, not HTML: ``&nbsp;``, ``&amp;``, ``&#8217;`` and tags like ``<p>`` are what text
copied from a web page or the IfATE JSON carries. Write the character itself (``&``, ``’``, a space)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nos_cli.model import Level, Problem
from nos_cli.rules.base import MapContext, rule
from nos_cli.rules.text import label, texts

_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});|</?[A-Za-z][A-Za-z0-9]*\s*/?>")


def check(ctx: MapContext) -> Iterator[Problem]:
    for node, key, value in texts(ctx):
        if "&" not in value and "<" not in value:
            continue  # most texts: no regex at all
        m = _ENTITY.search(value)
        if m:
            yield ctx.problem((*node.path, key), RULE,
                              f"{label(node, key)} holds HTML {m.group()!r} at character {m.start() + 1}; "
                              "write the plain character")


RULE = rule("html-entity", Level.WARNING, "an HTML entity or tag in a text", __doc__, check)
