"""Read a role or job description into statements, each with the line it starts on.

Plain text and Markdown: list items (``-``, ``*``, ``+``, ``•``, ``·``, ``–``, ``1.``, ``1)``, ``(a)``, ``a)``),
their wrapped continuation lines joined; paragraphs split into sentences. Headings (``#``, underlined), and
lines that are only a label ("Key responsibilities:", "Main duties", "About us") are not statements. A YAML or
JSON list of statements (strings, or mappings with ``text``) is read as it is; on standard input, JSON is
recognised by its first character and anything else is read as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nos_cli.errors import NosError

_BULLET = re.compile(r"^\s*(?:[-*+•·–—▪◦●]|\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\([ivx]{1,4}\))\s+(?P<text>.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_UNDERLINE = re.compile(r"^\s*(?:=+|-+)\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9£$])")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_LABEL_WORDS = 6
_FIELD = re.compile(r"^[*_]{0,2}[A-Z][\w /&'-]{0,30}:[*_]{0,2}\s+\S")


@dataclass(frozen=True)
class Statement:
    text: str
    line: int


def read_role(path: str, data: str | None = None) -> list[Statement]:
    """Statements from a file (``-`` is standard input). YAML and JSON lists are recognised by the file's
    ending; on standard input, JSON by its first character."""
    if data is None:
        if path == "-":
            import sys

            data = sys.stdin.read()
        else:
            from nos_cli.fileio import read_text_file
            from nos_cli.maps.catalog import max_bytes

            data = read_text_file(path, max_bytes())  # regular files only: a FIFO must not hang nos diff
    if path.endswith((".yaml", ".yml", ".json")):
        return _from_list(path, data)
    if path == "-" and data.lstrip()[:1] in ("[", "{"):
        # JSON on standard input. A "- item" list is read as text: Markdown bullets look like YAML, and
        # YAML would turn "- Salary: 25,000" into a mapping; as text, a list gives the same statements.
        try:
            return _from_list(path, data)
        except NosError:
            pass  # only looked like JSON: read it as text
    return parse_text(data)


def _from_list(path: str, data: str) -> list[Statement]:
    from nos_cli.errors import raise_first_error
    from nos_cli.maps.load import load_bytes

    name = "<stdin>" if path == "-" else path
    doc = load_bytes(data.encode("utf-8"), name)
    raise_first_error(doc.problems)
    items = doc.data.get("statements") if isinstance(doc.data, dict) else doc.data
    if not isinstance(items, list):
        raise NosError(f"{name}: expected a list of statements (or a mapping with 'statements')")
    base = ("statements",) if isinstance(doc.data, dict) else ()
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and "text" not in item:  # "- Hours: 37 a week" in YAML is a mapping
            item = ", ".join(f"{k}: {v}" for k, v in item.items())
        text = item.get("text") if isinstance(item, dict) else item
        if isinstance(text, (str, int, float)) and str(text).strip():
            out.append(Statement(" ".join(str(text).split()), doc.mark((*base, i)).line))
    return out


def parse_text(text: str) -> list[Statement]:
    lines = text.splitlines()
    out: list[Statement] = []
    current: list[str] = []
    start = 0
    is_item = False

    def flush() -> None:
        nonlocal current
        if current:
            joined = _clean(" ".join(current))
            if is_item:
                if joined:
                    out.append(Statement(joined, start))
            else:
                out.extend(_sentences(joined, start, current))
        current = []

    last = max((n for n, raw in enumerate(lines, 1) if raw.strip()), default=0)
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip()
        nxt = lines[n] if n < len(lines) else ""
        if not line.strip():
            flush()
            continue
        if _HEADING.match(line) or _UNDERLINE.match(line) or (_UNDERLINE.match(nxt) and nxt.strip()):
            flush()
            continue
        bullet = _BULLET.match(line)
        if bullet:
            flush()
            body = bullet.group("text").strip()
            if body and not _clean(body).endswith(":"):  # a list item is a statement unless it introduces a list
                current, start, is_item = [body], n, True
            continue
        if current and is_item and raw[:1].isspace():
            current.append(line.strip())  # a wrapped list item
            continue
        if n < last and _is_label(line.strip(), nxt):  # a label introduces something: never the last line
            flush()
            continue
        if current and (is_item or _FIELD.match(line.strip())):
            flush()  # "Salary: ..." and "Hours: ..." on their own lines are separate statements
        if not current:
            start, is_item = n, False
        current.append(line.strip())
        if _FIELD.match(line.strip()):
            flush()
    flush()
    return out


def _is_label(line: str, following: str) -> bool:
    """A heading in all but name: "Key responsibilities:", "Main duties", "About us", "PERSON SPECIFICATION"."""
    plain = _clean(line)
    if plain.endswith(":") and len(plain.split()) <= _LABEL_WORDS:
        return True
    if _FIELD.match(line):
        return False  # "Contract: Permanent, full time" says something
    words = plain.split()
    if not words or len(words) > _LABEL_WORDS or plain[-1:] in ".!?;,":
        return False
    if plain.isupper() and len(plain) > 3:
        return True
    # A short line with no sentence punctuation, followed by a list, a blank line or the end: a heading.
    return not following.strip() or _BULLET.match(following) is not None or len(words) <= 3


def _clean(text: str) -> str:
    return " ".join(_EMPHASIS.sub("", text).split())


def _sentences(text: str, start: int, raw_lines: list[str]) -> list[Statement]:
    """Split a paragraph into sentences, each with the line it starts on."""
    out = []
    offsets = []  # where each source line starts in the joined text
    pos = 0
    for raw in raw_lines:
        offsets.append(pos)
        pos += len(_clean(raw)) + 1
    at = 0
    for part in _SENTENCE_END.split(text):
        part = part.strip()
        if part:
            found = text.find(part, at)
            at = found + len(part)
            line = start + max(i for i, o in enumerate(offsets) if o <= max(found, 0))
            out.append(Statement(part, line))
    return out
