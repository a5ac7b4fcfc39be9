"""Text from files, file names and the environment is shown, never obeyed (see docs/security.md).

Maps, mapping files and role descriptions come from other people. A text holding ``ESC]0;`` retitles the
terminal, ``ESC[2J`` clears it, U+202E (right-to-left override) makes ``exe.txt`` read as ``txt.exe``, and a
line break in a file name forges a line of output (a ``::error`` workflow command in CI). :func:`shown` is the
one function every such text goes through before it reaches a terminal or a line-oriented format: each
control character (C0, DEL, C1), bidirectional control, line or paragraph separator, byte-order mark and lone
surrogate becomes a visible escape (``\\x1b``, ``\\u202e``; ``\\xff`` for a byte of a file name that is not
UTF-8). Tab is kept where the format allows it.

The machine formats keep the text exact instead: :func:`json_dumps` writes those characters as JSON ``\\u``
escapes (the same string for any JSON reader, never a raw escape byte on a terminal, always valid UTF-8) and
:func:`xml_text` replaces what XML 1.0 cannot hold.
"""

from __future__ import annotations

import re
from typing import Any

#: Bidirectional formatting characters: embeddings and overrides, isolates, the marks (LRM, RLM, ALM).
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_CLASS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0, DEL and C1 controls; bidi controls; line and paragraph separators (line breaks to some viewers); the
# byte-order mark (zero-width no-break space); lone surrogates (undecodable bytes of a file name).
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_CLASS}\u2028\u2029\ufeff\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape_char(ch: str) -> str:
    """The visible form of one character: ``\\n``, ``\\x1b``, ``\\u202e``; a surrogate-escaped byte as ``\\xff``."""
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape: the byte a file name really holds
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def is_unsafe(ch: str) -> bool:
    """True for a character :func:`shown` escapes (tab and line feed included)."""
    return _UNSAFE.fullmatch(ch) is not None


def shown(text: object, *, keep: str = "\t") -> str:
    """``text`` with every character that a terminal or a line-oriented reader would obey made visible.

    ``keep`` lists the characters left as they are: tab by default (columns of TSV and search output), ``""``
    for a file name, ``"\\t\\n"`` for a whole document whose lines nos wrote. Idempotent: what it returns
    holds no character it would change."""
    value = text if isinstance(text, str) else str(text)
    if value.isprintable():  # the common case, decided in C: no control, format or separator character
        return value
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else escape_char(m.group()), value)


def no_command(line: str) -> str:
    """A line that cannot be read as a GitHub Actions workflow command: the runner obeys any line of a step's
    output that starts with ``::`` (after leading white space), so that first colon is shown as ``\\x3a``."""
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return line
    return line[: len(line) - len(stripped)] + "\\x3a" + stripped[1:]


def document(text: str) -> str:
    """A whole text document that nos wrote with data inside (Markdown, Mermaid, TSV, a report): nos's own
    line breaks and tabs stay, every other control character is shown, and no line can act as a workflow
    command. Machine formats that escape for themselves (JSON from :func:`json_dumps`) pass unchanged."""
    safe = shown(text, keep="\t\n")
    if "::" not in safe:
        return safe
    return "\n".join(no_command(line) for line in safe.split("\n"))


# --- machine formats ----------------------------------------------------------------------------------

# json.dumps(ensure_ascii=False) escapes only U+0000-U+001F; these would still reach a terminal raw (C1 CSI
# U+009B starts an escape sequence on some terminals) or make the output invalid UTF-8 (lone surrogates).
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI_CLASS}\u2028\u2029\ufeff\ud800-\udfff]")


def json_dumps(doc: Any, *, indent: int | None = None) -> str:
    """``json.dumps`` with non-ASCII text kept readable, but every character :func:`shown` would escape
    written as a ``\\uXXXX`` escape: a JSON reader gets the same string, a terminal never an escape byte."""
    import json

    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# XML 1.0 allows tab, LF, CR and U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF; nothing else can be written,
# not even as a character reference. Bidi controls are allowed but shown, as everywhere.
_XML_BAD = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CLASS}\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def xml_text(text: object) -> str:
    """Text fit for an XML 1.0 document (JUnit, GraphML): characters XML cannot hold, and the controls
    :func:`shown` escapes, become visible escapes; tab and line breaks stay."""
    value = text if isinstance(text, str) else str(text)
    if value.isprintable():
        return value
    return _XML_BAD.sub(lambda m: escape_char(m.group()), value)
