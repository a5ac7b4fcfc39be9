"""Read a role or job description into statements, each with the line it starts on.

Plain text and Markdown: list items (``-``, ``*``, ``+``, ``•``, ``·``, ``–``, ``1.``, ``1)``, ``(a)``, ``a)``),
their wrapped continuation lines joined; paragraphs split into sentences. Headings (``#``, underlined), and
lines that are only a label ("Key responsibilities:", "Main duties", "About us") are not statements. A YAML or
JSON list of statements (strings, or mappings with ``text``) is read as it is; on standard input, JSON is
recognised by its first character and anything else is read as text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nos_cli.errors import NosError

if TYPE_CHECKING:
    from nos_cli.maps.load import Document

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


#: Labels of the employment details a job description lists beside the duties ("Salary: ...", "Responsible to:
#: ..."): terms of the job, never duties, so never matched to a standard, whatever words follow them.
EMPLOYMENT_DETAILS = re.compile(
    r"^[*_]{0,2}(?:salary|pay|pay rates?|hourly pay rates?|grade|scale|hours|working hours|hours of work|location|"
    r"contract|contract type|contract of employment|responsible to|reports? to|reporting to|accountable to|"
    r"line manager|closing date|start date|interview date|interviews|job title|post title|post|department|"
    r"benefits|holidays?|annual leave|term|weeks|fte|ref|reference|job reference|dbs)[*_]{0,2}\s*:",
    re.IGNORECASE)


def employment_detail(text: str) -> bool:
    """Whether a statement is a term of the job (pay, hours, place, who it reports to), not a duty."""
    return EMPLOYMENT_DETAILS.match(text) is not None


@dataclass(frozen=True)
class Role:
    """A role description as read: its statements, and how it was read (what the report states)."""

    statements: list[Statement]
    path: str
    format: str  # text, yaml, json, docx or pdf
    encoding: str | None = None  # for text: the encoding assumed

    def info(self) -> dict[str, str]:
        out = {"path": self.path, "format": self.format}
        if self.encoding:
            out["encoding"] = self.encoding
        return out


def read_role(path: str, data: str | None = None) -> list[Statement]:
    """Statements from a file (``-`` is standard input). YAML and JSON lists are recognised by the file's
    ending; on standard input, JSON by its first character."""
    return load_role(path, data).statements


def load_role(path: str, data: str | None = None) -> Role:
    """A role description from a file (``-`` is standard input): text or Markdown in UTF-8, UTF-16 or, failing
    those, Windows-1252 / Latin-1 (the encoding assumed is kept); Word (.docx) and PDF through the ``docs``
    extra; a YAML or JSON list of statements."""
    from nos_cli.diff import documents

    encoding: str | None = None
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if data is None and suffix in (".docx", ".pdf"):
        file = Path(path)
        if not file.is_file():
            raise NosError(f"{path}: no such file")
        text = documents.docx_text(file) if suffix == ".docx" else documents.pdf_text(file)
        return Role(parse_text(text), path, suffix[1:])
    if suffix == ".doc":
        raise NosError(f"{path}: old Word (.doc) files cannot be read; save it as .docx or as text")
    if data is None:
        from nos_cli.files.read import read_limited

        # Bytes through the one reader (special files refused, standard input capped), decoded the same way
        # whether they came by path or on standard input.
        name, raw = read_limited(path, max_bytes=_max_bytes(), what="the role description")
        data, encoding = _decode(raw, name)
    if suffix in (".yaml", ".yml", ".json"):
        return Role(_from_list(path, data), path, suffix[1:].replace("yml", "yaml"), encoding)
    if path == "-" and data.lstrip()[:1] in ("[", "{"):
        # JSON on standard input. A "- item" list is read as text: Markdown bullets look like YAML, and
        # YAML would turn "- Salary: 25,000" into a mapping; as text, a list gives the same statements.
        try:
            return Role(_from_list(path, data), path, "json", encoding)
        except NosError:
            pass  # only looked like JSON: read it as text
    return Role(parse_text(data), path, "text", encoding)


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding assumed (nos_cli.diff.documents: UTF-8, UTF-16 with a mark, else Windows-1252 or
    Latin-1), refusing what is not text at all: every byte decodes as Latin-1, so an executable or UTF-16 with
    no mark would otherwise come out as garbage statements. A NUL character marks them."""
    from nos_cli.diff import documents

    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise NosError(f"{name}: the text is UTF-32; save it as UTF-8")
    text, encoding = documents.decode_text(raw, name)
    nul = text.find("\x00")
    if nul != -1:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise NosError(f"{name}:{line}:{column}: a NUL character: binary data, or UTF-16 text with no byte-order "
                       "mark (save it as UTF-8)")
    return text, encoding


def _max_bytes() -> int:
    from nos_cli.maps.catalog import max_bytes

    return max_bytes()


def _from_list(path: str, data: str) -> list[Statement]:
    from nos_cli.errors import raise_first_error
    from nos_cli.maps.load import load_bytes

    name = "<stdin>" if path == "-" else path
    doc = load_bytes(data.encode("utf-8"), name)
    raise_first_error(doc.problems)
    items = doc.data.get("statements") if isinstance(doc.data, dict) else doc.data
    base = ("statements",) if isinstance(doc.data, dict) else ()
    if not isinstance(items, list):
        m = doc.mark(base)
        raise NosError(f"{name}:{m.line}:{m.column}: expected a list of statements (or a mapping with "
                       "'statements')")
    out = []
    for i, item in enumerate(items):
        where: tuple[str | int, ...] = (*base, i)
        if isinstance(item, dict) and "text" not in item:  # "- Hours: 37 a week" in YAML is a mapping
            item = ", ".join(f"{k}: {_raw(doc, (*where, k), v)}" for k, v in item.items())
        elif isinstance(item, dict):
            where, item = (*where, "text"), item["text"]
        if isinstance(item, (list, dict)):
            m = doc.mark(where)
            found = "a list" if isinstance(item, list) else "a mapping"
            raise NosError(f"{name}:{m.line}:{m.column}: statement {i + 1}: expected text, found {found}")
        text = _raw(doc, where, item)
        if text.strip():
            out.append(Statement(" ".join(text.split()), doc.mark((*base, i)).line))
    return out


def _raw(doc: Document, where: tuple[str | int, ...], value: object) -> str:
    """A statement's words as written: YAML reads "yes" as true and "1.10" as 1.1; the text is what counts."""
    raw = doc.scalars.get(where)
    if raw is not None:
        return raw.raw
    return "" if value is None else str(value)


def parse_text(text: str) -> list[Statement]:
    lines = text.splitlines()
    out: list[Statement] = []
    current: list[str] = []
    start = 0
    is_item = False
    width = _wrap_width(lines)

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
        if _is_title(line.strip()) or (n < last and _is_label(line.strip(), nxt)):
            flush()  # a title or a label introduces something: never a duty, never glued to the next line
            continue
        if current and (is_item or _FIELD.match(line.strip()) or not _continues(current[-1], line.strip(), width)):
            flush()  # "Salary: ..." on its own line, or a line that starts a new statement
        if not current:
            start, is_item = n, False
        current.append(line.strip())
        if _FIELD.match(line.strip()):
            flush()
    flush()
    return out


#: Words a wrapped line can end on in the middle of a sentence.
_OPEN_ENDS = frozenset("""a an and as at by for from in into of on or the their to with within via whose who which
that including such its our your his her e.g. i.e. etc""".split())
#: Labels that head a section of a job description even when they are not followed by a blank line.
_LABELS = re.compile(r"^(?:main |overall |key |job |core )?(?:purpose|duties|responsibilities|tasks|role|"
                     r"accountabilities|summary|overview)(?: of (?:the )?(?:job|post|role|position))?"
                     r"(?: and (?:responsibilities|duties|accountabilities))?:?$", re.IGNORECASE)


def _wrap_width(lines: list[str]) -> int:
    """The width a text was hard-wrapped at (0 when it was not): most of its long lines end near one column. A
    list of one duty a line has lines of every length, so it is never taken for wrapped prose."""
    lengths = sorted(len(raw.rstrip()) for raw in lines if len(raw.strip()) >= 40)
    if len(lengths) < 3:
        return 0
    top = lengths[int(len(lengths) * 0.9) - 1] if len(lengths) >= 10 else lengths[-1]
    near = sum(1 for n in lengths if n >= 0.85 * top)
    return top if top <= 110 and near >= max(2, 0.6 * len(lengths)) else 0


def _continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` carries on the sentence of ``previous`` (wrapped text), rather than starting a new
    statement: one duty a line, as most job descriptions and Word exports are written, stays one statement."""
    end = previous.rstrip()
    if not end or end[-1] in ".!?;:":
        return False
    last_word = end.split()[-1].lower()
    if end[-1] in ",-/&(" or last_word in _OPEN_ENDS:
        return True
    # Hard-wrapped prose: this line starts in lower case and its first word would not have fitted on the
    # previous line, which is why the writer's editor broke it there.
    first = line.split()[0] if line.split() else ""
    return bool(width) and line[:1].islower() and len(end) + 1 + len(first) > 0.9 * width


def _is_title(line: str) -> bool:
    """An all-capitals title ("JOB DESCRIPTION", "LEARNING MENTOR - GRADE 4") or a section label such as "Main
    purpose of the job": never a duty, wherever it stands."""
    plain = _clean(line).strip("*_ ")
    letters = [c for c in plain if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters) and not _FIELD.match(line) and plain[-1:] != ".":
        return len(plain.split()) <= 12
    return bool(_LABELS.match(plain))


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
    if not following.strip() or _BULLET.match(following) is not None:
        return True
    # "About Us", "Person Specification": a short title-case line before text. "Chain of escalation" is a duty.
    return len(words) <= 3 and all(w[:1].isupper() for w in words if len(w) > 3)


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
            # offsets is sorted: a binary search keeps a paragraph of n lines n log n, not n squared
            line = start + bisect_right(offsets, max(found, 0)) - 1
            out.append(Statement(part, line))
    return out
