"""Markdown escaping, one way for every Markdown nos writes (map show, matrix, diff, compare, the step summary).

A standard's text goes into table cells and list items: line breaks would end the cell or item, ``|`` would
split a cell, and the other special characters would turn into formatting, links, HTML or headings.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(text: str) -> str:
    """Text as one line of literal Markdown: white space runs become one space, special characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))
