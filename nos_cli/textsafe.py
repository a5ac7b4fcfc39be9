"""Text from files, file names and the environment is shown, never obeyed (see docs/security.md).

Maps, mapping files and role descriptions come from other people. A text holding ``ESC]0;`` retitles the
terminal, ``ESC[2J`` clears it, U+202E (right-to-left override) makes ``exe.txt`` read as ``txt.exe``, and a
line break in a file name forges a line of output (a ``::error`` workflow command in CI). :func:`shown` is the
one function every such text goes through before it reaches a terminal or a line-oriented format: each
control character (C0, DEL, C1), bidirectional control, line or paragraph separator, byte-order mark and lone
surrogate becomes a visible escape (``\\x1b``, ``\\u202e``; ``\\xff`` for a byte of a file name that is not
UTF-8). Tab is kept where the format allows it. :func:`document` does the same for a whole text output and
makes sure no line of it can act as a CI command (:func:`no_command`).

The machine formats keep the text exact instead: :func:`json_dumps` writes those characters as JSON ``\\u``
escapes (the same string for any JSON reader, never a raw escape byte on a terminal, always valid UTF-8) and
:func:`xml_text` replaces what XML 1.0 cannot hold.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from typing import Any

# Ranges that hold no character shown (for this Unicode version: tests/test_security.py checks it): printable
# ASCII, Latin-1 to Hebrew but the soft hyphen, most general punctuation (typographic quotes), and U+2070 to
# U+FEFE but the surrogates. Text in them costs one regex scan in C; only the rest reaches the callback.
SAFE_RANGES = r"\x20-\x7e\xa0-\xac\xae-\u05ff\u2010-\u2027\u2030-\u205f\u2070-\ud7ff\ue000-\ufefe"
# Unicode categories that are shown, never written raw: controls (C0, DEL, C1), format characters (bidi
# controls, zero-width characters, the byte-order mark, soft hyphen), lone surrogates (the undecodable bytes
# of a file name), and the line and paragraph separators (line breaks to some viewers).
_SHOWN_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape_char(ch: str) -> str:
    """The visible form of one character: ``\\n``, ``\\x1b``, ``\\u202e``; a surrogate-escaped byte as ``\\xff``."""
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape: the byte a file name really holds
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def is_unsafe(ch: str) -> bool:
    """True for a character :func:`shown` escapes (tab and line feed included)."""
    return not ch.isprintable() and unicodedata.category(ch) in _SHOWN_CATEGORIES


def shown(text: object, *, keep: str = "\t") -> str:
    """``text`` with every character that a terminal or a line-oriented reader would obey made visible.

    ``keep`` lists the characters left as they are: tab by default (columns of TSV and search output), ``""``
    for a file name, ``"\\t\\n"`` for a whole document whose lines nos wrote. Idempotent: what it returns
    holds no character it would change."""
    value = text if isinstance(text, str) else str(text)
    if value.isprintable():  # the common case, decided in C: no control, format or separator character
        return value
    return _candidates(keep).sub(lambda m: _show(m.group(), keep), value)


@functools.lru_cache(maxsize=16)
def _candidates(keep: str) -> re.Pattern[str]:
    # the kept characters are left out of the scan, so a document's own line breaks cost no callback; compiled
    # on first use, not at import: each pattern of these ranges takes about 3 ms to compile
    return re.compile(f"[^{SAFE_RANGES}" + "".join(f"\\x{ord(c):02x}" for c in keep if ord(c) < 0x100) + "]")


def _show(ch: str, keep: str) -> str:
    return escape_char(ch) if ch not in keep and is_unsafe(ch) else ch


# White space and colour codes (nos's own, with --color always or FORCE_COLOR) before a line's first text.
_LEAD = re.compile(r"(?:\s|\x1b\[[0-9;]*m)*")


#: Line starts that CI runners obey: GitHub Actions workflow commands (``::error ...``), their older form
#: (``##[error]``) and Azure Pipelines logging commands (``##vso[task.setvariable ...]``).
COMMAND_STARTS = ("::", "##[", "##vso[")


def no_command(line: str) -> str:
    """A line that cannot be read as a CI workflow command: runners obey any line of a step's output that
    starts with ``::`` or ``##[`` (after leading white space), so that first character is shown as an escape
    (``\\x3a:error``, ``\\x23#[error]``)."""
    start = _LEAD.match(line).end()  # type: ignore[union-attr]  # the pattern matches the empty string
    if not line.startswith(COMMAND_STARTS, start):
        return line
    return line[:start] + escape_char(line[start]) + line[start + 1:]


class Shown(str):
    """Text a renderer has already made safe for its own format (CSV, whose cells keep their line breaks
    quoted): :func:`document` passes it as it is."""


def document(text: str) -> str:
    """A whole text document that nos wrote with data inside (Markdown, Mermaid, TSV, a report): nos's own
    line breaks and tabs stay, every other control character is shown, and no line can act as a workflow
    command. Machine formats that escape for themselves (JSON from :func:`json_dumps`) pass unchanged, and
    so does :class:`Shown` text."""
    if isinstance(text, Shown):
        return text
    safe = shown(text, keep="\t\n")
    if "::" not in safe and "##" not in safe:
        return safe
    return "\n".join(no_command(line) for line in safe.split("\n"))


# --- machine formats ----------------------------------------------------------------------------------

def json_dumps(doc: Any, *, indent: int | None = None) -> str:
    """``json.dumps`` with non-ASCII text kept readable, but every character :func:`shown` would escape
    written as a ``\\uXXXX`` escape: a JSON reader gets the same string, a terminal never an escape byte (C1
    CSI U+009B starts one on some terminals), and lone surrogates cannot make the output invalid UTF-8."""
    import json

    text = None
    if indent is not None:
        with contextlib.suppress(_Unusual):
            text = _indented(doc, indent)
    if text is None:
        text = json.dumps(doc, ensure_ascii=False, indent=indent)
    if text.isascii() and "\x7f" not in text:  # json.dumps escaped every other ASCII control
        return text
    # the only raw control json.dumps writes is the line feed of indentation; inside strings it escaped them all
    # JSON's only raw control is the line feed of its indentation (json.dumps escapes every control inside a
    # string), so line feeds are left out of the scan: a callback for each cost 16 s on a 231 MB report.
    return _candidates("\n").sub(lambda m: _json_escape(m.group()) if is_unsafe(m.group()) else m.group(), text)


class _Unusual(Exception):
    """A value :func:`_indented` leaves to ``json.dumps`` (a non-finite float, a key that is not text, ...)."""


def _indented(doc: Any, indent: int) -> str:
    """``json.dumps(doc, ensure_ascii=False, indent=indent)``, the same text, made about four times faster:
    with ``indent`` the standard library encodes in Python through generators (16 s for the 231 MB report of
    200k statements); this walks the plain types nos writes and leaves each string to the C escaper. Anything
    else raises _Unusual, and json.dumps writes the whole document."""
    from json.encoder import encode_basestring as text  # the C function when _json is there

    def walk(value: Any, pad: str) -> str:
        # Each container is joined as soon as it is made: a list of every piece of a 231 MB document held
        # 30 million strings at once.
        kind = type(value)
        if kind is str:
            return text(value)
        if kind is dict:
            if not value:
                return "{}"
            inner = pad + " " * indent
            if not all(type(key) is str for key in value):
                raise _Unusual
            return ("{\n" + inner + (",\n" + inner).join(
                [text(k) + ": " + (text(v) if type(v) is str else walk(v, inner)) for k, v in value.items()])
                + "\n" + pad + "}")
        if kind is list or kind is tuple:
            if not value:
                return "[]"
            inner = pad + " " * indent
            return ("[\n" + inner + (",\n" + inner).join(
                [text(v) if type(v) is str else walk(v, inner) for v in value]) + "\n" + pad + "]")
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if kind is int:
            return int.__repr__(value)
        if kind is float and value - value == 0.0:  # not NaN or an infinity, which json.dumps spells its way
            return float.__repr__(value)
        raise _Unusual

    return walk(doc, "")


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # a character outside the BMP is a surrogate pair in JSON
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


# XML 1.0 allows tab, LF, CR and U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF; nothing else can be written,
# not even as a character reference.
_XML_NONCHAR = frozenset("\ufffe\uffff")


def xml_text(text: object) -> str:
    """Text fit for an XML 1.0 document (JUnit, GraphML): characters XML cannot hold, and those :func:`shown`
    escapes, become visible escapes; tab and line breaks stay."""
    value = text if isinstance(text, str) else str(text)
    if value.isprintable():
        return value
    return _candidates("").sub(lambda m: escape_char(m.group()) if m.group() in _XML_NONCHAR
                               else _show(m.group(), "\t\n\r"), value)
