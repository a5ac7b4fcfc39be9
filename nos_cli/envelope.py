"""The one shape of every JSON document nos writes: ``{"format": NAME, "format_version": N, ...}``.

Scripts check ``format`` and ``format_version`` before they read the rest (docs/cli.md); writing the envelope
in one place keeps every document alike: UTF-8 text (not ``\\u`` escapes), keys in the order given, and a final
newline.
"""

from __future__ import annotations

import json
from typing import Any


def json_document(name: str, version: int, body: dict[str, Any], *, indent: int | None = 2) -> str:
    """A versioned JSON document: the envelope's two keys, then ``body``'s."""
    return json.dumps({"format": name, "format_version": version, **body}, ensure_ascii=False,
                      indent=indent) + "\n"
