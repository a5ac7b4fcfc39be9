"""The one shape of every JSON document nos writes: ``{"format": NAME, "format_version": N, ...}``.

Scripts check ``format`` and ``format_version`` before they read the rest (docs/cli.md); writing the envelope
in one place keeps every document alike: UTF-8 text (``\\u`` escapes only for the control and bidi characters
that must never reach a terminal raw, see docs/security.md), keys in the order given, and a final newline.
"""

from __future__ import annotations

from typing import Any

from nos_cli.textsafe import json_dumps


def json_document(name: str, version: int, body: dict[str, Any], *, indent: int | None = 2) -> str:
    """A versioned JSON document: the envelope's two keys, then ``body``'s."""
    # json_dumps: control and bidi characters as \\u escapes, so no document can put a raw escape on a terminal
    return json_dumps({"format": name, "format_version": version, **body}, indent=indent) + "\n"
