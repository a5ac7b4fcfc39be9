"""Safe YAML loading that keeps the file, line and column of every value.

Bytes in, a plain document out (dicts, lists, strings, numbers), with positions kept beside it. Every
failure comes back as a :class:`~nos_cli.model.Problem` value, never a traceback, so one bad file does not
stop a run over many. The hazards handled here are the ones measured in docs/conventions (CONVENTIONS.md):
duplicate keys, unsafe tags, anchors and aliases, deep nesting, values YAML cannot construct, encodings and
byte-order marks, empty files, several documents and huge files.

Only a safe loader is ever used (libyaml's ``CSafeLoader`` where present, else ``SafeLoader``); the node
tree is composed by it and converted here, so dates stay strings and YAML 1.1 booleans and numbers are
recorded with their raw text for the schema check to warn about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from nos_cli.errors import MapLoadError
from nos_cli.model import Level, Mark, Path, Problem

#: Files larger than this are refused unless the caller raises the cap (``--max-size``, NOS_MAX_FILE_SIZE).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Functional maps nest about eight levels; anything far deeper is hostile or a mistake.
DEFAULT_MAX_DEPTH = 64

# Rule ids of the problems found while loading (documented with the validation rules).
RULE_SYNTAX = "yaml-syntax"
RULE_DUPLICATE_KEY = "duplicate-key"
RULE_TAG = "unsafe-tag"
RULE_ANCHOR = "anchor"
RULE_DEPTH = "max-depth"
RULE_ENCODING = "encoding"
RULE_BOM = "byte-order-mark"
RULE_EMPTY = "empty-file"
RULE_DOCUMENTS = "multiple-documents"
RULE_SIZE = "file-size"
RULE_SCALAR = "bad-scalar"
RULE_KEY = "complex-key"

_CORE = "tag:yaml.org,2002:"
_SAFE_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


@dataclass(frozen=True)
class RawScalar:
    """A plain scalar that YAML resolved to something other than a string, as it was written."""

    raw: str
    tag: str  # the short tag: "bool", "int", "float", "null", "timestamp"


@dataclass
class Document:
    """A loaded YAML file: plain data, positions and the problems met while loading.

    ``data`` is ``None`` when nothing usable could be read; ``problems`` then says why.
    """

    path: str
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    # Positions are packed ``line << 32 | column`` (both 1-based) to keep large maps small in memory.
    _marks: dict[Path, int] = field(default_factory=dict, repr=False)
    _key_marks: dict[Path, int] = field(default_factory=dict, repr=False)
    scalars: dict[Path, RawScalar] = field(default_factory=dict, repr=False)
    #: Values replaced by None because loading refused them (an alias, a tag): already reported, so later
    #: checks skip them rather than report "expected a string, found null" on top.
    refused: set[Path] = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        """True when the data can be used: it parsed and no error-level load problem was found."""
        return self.data is not None and not any(p.level is Level.ERROR for p in self.problems)

    def mark(self, path: Path) -> Mark:
        """Where the value at ``path`` starts; the nearest known ancestor's place if it has none."""
        return _unpack(_nearest(self._marks, path))

    def key_mark(self, path: Path) -> Mark:
        """Where the key of the value at ``path`` is written; the value's place if it has no key."""
        packed = self._key_marks.get(path)
        return _unpack(packed) if packed is not None else self.mark(path)

    def problem(self, path: Path, rule: str, level: Level, message: str, *, at_key: bool = False) -> Problem:
        """A problem about the value (or with ``at_key``, the key) at ``path`` in this document."""
        m = self.key_mark(path) if at_key else self.mark(path)
        return Problem(self.path, m.line, m.column, rule, level, message)


def _pack(line0: int, col0: int) -> int:
    return (line0 + 1) << 32 | (col0 + 1)


def _unpack(packed: int) -> Mark:
    return Mark(packed >> 32, packed & 0xFFFFFFFF)


def _nearest(marks: dict[Path, int], path: Path) -> int:
    while path:
        if path in marks:
            return marks[path]
        path = path[:-1]
    return marks.get((), _pack(0, 0))


def load_file(path: str | FsPath, *, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              max_depth: int = DEFAULT_MAX_DEPTH) -> Document:
    """Load a YAML file. A file that cannot be read at all raises :class:`MapLoadError` (exit 2);
    everything about its content comes back as problems in the document."""
    got = read_file(path, display=display, max_bytes=max_bytes)
    if isinstance(got, Document):
        return got
    return load_bytes(got, display if display is not None else str(path), max_bytes=max_bytes, max_depth=max_depth)


def read_file(path: str | FsPath, *, display: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | Document:
    """The bytes of a regular file, or a document holding only a ``file-size`` problem when it is over
    ``max_bytes`` (then nothing is read). A FIFO, device, socket, folder or missing file raises
    :class:`MapLoadError` (exit 2) without reading a byte of it."""
    from nos_cli.fileio import NotRegularFile, TooBig, read_regular
    from nos_cli.textsafe import shown

    name = display if display is not None else str(path)
    shown_name = shown(name, keep="")
    try:
        return read_regular(FsPath(path), max_bytes)
    except IsADirectoryError:
        raise MapLoadError(f"{shown_name}: is a directory, not a YAML file") from None
    except FileNotFoundError:
        raise MapLoadError(f"{shown_name}: no such file") from None
    except NotRegularFile as exc:
        raise MapLoadError(f"{shown_name}: is {exc}, not a regular file; nothing was read") from None
    except TooBig as exc:
        doc = Document(name)
        doc.problems.append(Problem(name, 1, 1, RULE_SIZE, Level.ERROR,
                                    f"file is {exc.size:,} bytes, over the {max_bytes:,}-byte limit "
                                    "(raise it with --max-size or NOS_MAX_FILE_SIZE)"))
        return doc
    except OSError as exc:
        raise MapLoadError(f"{shown_name}: cannot read: {shown(exc.strerror or exc)}") from None


def load_bytes(data: bytes, path: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
               max_depth: int = DEFAULT_MAX_DEPTH) -> Document:
    """Load YAML from bytes; never raises for anything in the bytes."""
    doc = Document(path)
    if len(data) > max_bytes:
        doc.problems.append(Problem(path, 1, 1, RULE_SIZE, Level.ERROR,
                                    f"input is {len(data):,} bytes, over the {max_bytes:,}-byte limit "
                                    "(raise it with --max-size or NOS_MAX_FILE_SIZE)"))
        return doc
    text = _decode(data, doc)
    if text is None:
        return doc
    if not text.strip():
        doc.problems.append(Problem(path, 1, 1, RULE_EMPTY, Level.ERROR, "file is empty: expected a map"))
        return doc
    anchors = _prescan(text, doc, max_depth)
    if anchors is None:  # too deep to compose safely
        return doc
    node = _compose(text, doc)
    if node is None:
        if not doc.problems:
            doc.problems.append(Problem(path, 1, 1, RULE_EMPTY, Level.ERROR,
                                        "file holds only comments or an empty document: expected a map"))
        return doc
    _Converter(doc, track_aliases=anchors).run(node)
    return doc


# --- bytes to text -------------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def _decode(data: bytes, doc: Document) -> str | None:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            if name == "UTF-8":
                doc.problems.append(Problem(doc.path, 1, 1, RULE_BOM, Level.WARNING,
                                            "file starts with a UTF-8 byte-order mark; save it as UTF-8 "
                                            "without one"))
            else:
                doc.problems.append(Problem(doc.path, 1, 1, RULE_ENCODING, Level.ERROR,
                                            f"file is {name}; map files must be UTF-8"))
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                _bad_bytes(doc, data, exc, name)
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _bad_bytes(doc, data, exc, "UTF-8")
        return None


def _bad_bytes(doc: Document, data: bytes, exc: UnicodeDecodeError, name: str) -> None:
    before = data[: exc.start]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    doc.problems.append(Problem(doc.path, line, col, RULE_ENCODING, Level.ERROR,
                                f"not valid {name}: byte 0x{data[exc.start]:02x} at offset {exc.start}"))


# --- cheap safety scan before composing -----------------------------------------------------------------

_FLOW = re.compile(r"[\[\]{}]")
# An anchor (&a) or alias (*a) token: after a space, a flow indicator or the start of a line.
_ANCHOR_HINT = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]", re.MULTILINE)


def _prescan(text: str, doc: Document, max_depth: int) -> bool | None:
    """Guard the composer, which recurses natively (libyaml segfaults near 30k levels).

    A cheap upper bound on nesting is taken from the text; only when it is over the limit, or the text
    may hold anchors, are the parser's events walked for exact depth and anchor positions. Returns
    whether anchors or aliases were found (the converter must then not expand them), or ``None`` when
    the document is too deep to compose.
    """
    deep = _depth_bound(text, max_depth) > max_depth
    hinted = _ANCHOR_HINT.search(text) is not None
    if not deep and not hinted:
        return False
    return _event_scan(text, doc, max_depth)


def _depth_bound(text: str, max_depth: int) -> int:
    # Block nesting grows with indentation or with compact "- - -" runs on a line; flow nesting with
    # unclosed brackets. Their sum bounds the real depth (brackets inside strings only raise the bound).
    if re.search(rf"^[ \t]{{{max_depth},}}", text, re.MULTILINE):
        return max_depth + 1
    if re.search(rf"(?:[-?:][ \t]+){{{max_depth // 2},}}", text):
        return max_depth + 1
    if text.count("[") + text.count("{") < max_depth // 2:
        return max_depth // 2
    flow = top = 0
    for m in _FLOW.finditer(text):
        flow = flow + 1 if m.group() in "[{" else max(flow - 1, 0)
        top = max(top, flow)
    return top + max_depth // 2


def _event_scan(text: str, doc: Document, max_depth: int) -> bool | None:
    import yaml

    before = len(doc.problems)
    try:
        return _scan_events(text, doc, max_depth)
    except yaml.MarkedYAMLError as exc:
        del doc.problems[before:]
        # libyaml may stop first at a nesting limit of its own (1,000 levels since PyYAML 6.0.4), scanning
        # ahead of the events. Everything before the place it stopped is scanned again, so our own limit is
        # still reported where the document crosses it, whatever the dependency's limit is.
        mark = exc.problem_mark
        if mark is not None and 0 < mark.index < len(text):
            try:
                return _scan_events(text[: mark.index], doc, max_depth)
            except yaml.YAMLError:
                return False  # the composer meets the first error and reports it with its position
        return False
    except yaml.YAMLError:
        return False


def _scan_events(text: str, doc: Document, max_depth: int) -> bool | None:
    """Walk the parser's events: None when nesting passes ``max_depth``, else whether anchors were found.
    Parser errors propagate to the caller."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    anchors = False
    event: Any
    m: Any
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > max_depth:
                m = event.start_mark
                doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_DEPTH, Level.ERROR,
                                            f"nesting is deeper than {max_depth} levels"))
                return None
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.AliasEvent):
            anchors = True
            m = event.start_mark
            doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_ANCHOR, Level.ERROR,
                                        f"alias *{event.anchor}: maps do not use anchors or aliases; "
                                        "write the value out"))
        elif getattr(event, "anchor", None):
            anchors = True
            m = event.start_mark
            doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_ANCHOR, Level.ERROR,
                                        f"anchor &{event.anchor}: maps do not use anchors or aliases"))
    return anchors


# --- composing and converting ---------------------------------------------------------------------------


def _compose(text: str, doc: Document) -> Any:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    try:
        if not loader.check_node():
            return None
        node = loader.get_node()
        if loader.check_node():
            m = loader.peek_event().start_mark
            doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_DOCUMENTS, Level.ERROR,
                                        "a second YAML document: a map file holds exactly one"))
        return node
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_syntax_problem(doc.path, text, exc))
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses; it gives an offset, not a line
        line, col = _line_col(text, exc.position)
        doc.problems.append(Problem(doc.path, line, col, RULE_SYNTAX, Level.ERROR,
                                    f"character U+{exc.character:04X} is not allowed in YAML ({exc.reason})"))
        return None
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(doc.path, 1, 1, RULE_SYNTAX, Level.ERROR, _one_line(str(exc))))
        return None
    except RecursionError:
        doc.problems.append(Problem(doc.path, 1, 1, RULE_DEPTH, Level.ERROR, "nesting is too deep to read"))
        return None
    finally:
        loader.dispose()


def _syntax_problem(path: str, text: str, exc: Any) -> Problem:
    mark: Any = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    what = " ".join(s for s in (exc.context, exc.problem) if s) or "cannot parse"
    if exc.context_mark is not None and exc.problem_mark is not None and exc.context:
        what = f"{exc.problem} ({exc.context} at line {exc.context_mark.line + 1})"
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        what = f"a tab character: YAML indentation must use spaces ({what})"
    return Problem(path, line, col, RULE_SYNTAX, Level.ERROR, _one_line(what))


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _clip(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def _why(exc: Exception, value: str) -> str:
    if "digits" in str(exc):
        return f"a number of {len(value):,} digits is too large"
    return _one_line(str(exc))[:100]


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Converter:
    """Turns a composed node tree into plain data, recording positions and load problems."""

    def __init__(self, doc: Document, *, track_aliases: bool) -> None:
        import yaml

        self.doc = doc
        self.yaml = yaml
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] | None = set() if track_aliases else None

    def run(self, node: Any) -> None:
        self.doc.data = self.convert(node, ())

    def convert(self, node: Any, path: Path) -> Any:
        doc = self.doc
        start = node.start_mark
        doc._marks[path] = _pack(start.line, start.column)
        if self.seen is not None:
            if id(node) in self.seen:
                doc.refused.add(path)
                return None  # an alias: reported by the event scan, never expanded
            self.seen.add(id(node))
        tag = node.tag
        yaml = self.yaml
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if tag not in _SAFE_TAGS:
            self.bad_tag(node, path)
            doc.refused.add(path)
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.mapping(node, path)

    def mapping(self, node: Any, path: Path) -> dict[str, Any]:
        doc = self.doc
        out: dict[str, Any] = {}
        first_seen: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, self.yaml.ScalarNode):
                m = key_node.start_mark
                doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_KEY, Level.ERROR,
                                            "a key must be a plain name, not a list or mapping"))
                continue
            key = key_node.value
            if key_node.tag not in _SAFE_TAGS:
                self.bad_tag(key_node, path)
            if key in first_seen:
                first = first_seen[key].start_mark
                m = key_node.start_mark
                doc.problems.append(Problem(
                    doc.path, m.line + 1, m.column + 1, RULE_DUPLICATE_KEY, Level.ERROR,
                    f"duplicate key {key!r}: first at line {first.line + 1} column {first.column + 1}; "
                    "YAML would keep only this one"))
                continue  # keep the first: the reader sees what they wrote first
            first_seen[key] = key_node
            child = (*path, key)
            doc._key_marks[child] = _pack(key_node.start_mark.line, key_node.start_mark.column)
            out[key] = self.convert(value_node, child)
        return out

    def scalar(self, node: Any, path: Path) -> Any:
        tag: str = node.tag
        value: str = node.value
        if tag == _CORE + "str":
            return value
        if tag not in _SAFE_TAGS:
            self.bad_tag(node, path)
            return value
        short = tag[len(_CORE):]
        if short == "timestamp":  # dates stay strings: a map never means a datetime
            self.doc.scalars[path] = RawScalar(value, short)
            return value
        try:
            if short == "null":
                result: Any = None
            elif short == "bool":
                result = self.constructor.construct_yaml_bool(node)
            elif short == "int":
                result = self.constructor.construct_yaml_int(node)
            else:
                result = self.constructor.construct_yaml_float(node)
        except (ValueError, OverflowError) as exc:
            m = node.start_mark
            self.doc.problems.append(Problem(self.doc.path, m.line + 1, m.column + 1, RULE_SCALAR, Level.ERROR,
                                             f"cannot read {_clip(value)!r} as {short}: {_why(exc, value)}"))
            self.doc.refused.add(path)
            return value
        # Plain (style None from the pure loader, "" from libyaml): the type came from YAML's implicit rules,
        # not from the writer, so the schema check may warn that a string was meant.
        if not node.style:
            self.doc.scalars[path] = RawScalar(value, short)
        return result

    def bad_tag(self, node: Any, path: Path) -> None:
        m = node.start_mark
        self.doc.problems.append(Problem(self.doc.path, m.line + 1, m.column + 1, RULE_TAG, Level.ERROR,
                                         f"tag {node.tag} is not allowed: maps hold plain strings, numbers, "
                                         "lists and mappings"))
