"""Safe YAML loading that keeps the file, line and column of every value.

Bytes in, a plain document out (dicts, lists, strings, numbers), with positions kept beside it. Every
failure comes back as a :class:`~nos_cli.model.Problem` value, never a traceback, so one bad file does not
stop a run over many. The hazards handled here are the ones measured in docs/conventions (CONVENTIONS.md):
duplicate keys, unsafe tags, anchors and aliases, deep nesting, values YAML cannot construct, encodings and
byte-order marks, empty files, several documents and huge files.

Only a safe parser is ever used (libyaml's where present, else PyYAML's own), and only for its events: the
document is built from them here with an explicit stack, so no depth of nesting recurses (nesting over the
limit is refused where it starts), aliases are never expanded, unsafe tags never constructed, dates stay
strings, and YAML 1.1 booleans and numbers are recorded with their raw text for the schema check to warn about.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from nos_cli.errors import MapLoadError
from nos_cli.model import Level, Mark, Problem, YamlPath

if TYPE_CHECKING:
    from nos_cli.files.read import Input

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
    _marks: dict[YamlPath, int] = field(default_factory=dict, repr=False)
    _key_marks: dict[YamlPath, int] = field(default_factory=dict, repr=False)
    scalars: dict[YamlPath, RawScalar] = field(default_factory=dict, repr=False)
    #: Values replaced by None because loading refused them (an alias, a tag): already reported, so later
    #: checks skip them rather than report "expected a string, found null" on top.
    refused: set[YamlPath] = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        """True when the data can be used: it parsed and no error-level load problem was found."""
        return self.data is not None and not any(p.level is Level.ERROR for p in self.problems)

    def mark(self, path: YamlPath) -> Mark:
        """Where the value at ``path`` starts; the nearest known ancestor's place if it has none."""
        return _unpack(_nearest(self._marks, path))

    def key_mark(self, path: YamlPath) -> Mark:
        """Where the key of the value at ``path`` is written; the value's place if it has no key."""
        packed = self._key_marks.get(path)
        return _unpack(packed) if packed is not None else self.mark(path)

    def problem(self, path: YamlPath, rule: str, level: Level, message: str, *, at_key: bool = False) -> Problem:
        """A problem about the value (or with ``at_key``, the key) at ``path`` in this document."""
        m = self.key_mark(path) if at_key else self.mark(path)
        return Problem(self.path, m.line, m.column, rule, level, message)


def _pack(line0: int, col0: int) -> int:
    return (line0 + 1) << 32 | (col0 + 1)


def _unpack(packed: int) -> Mark:
    return Mark(packed >> 32, packed & 0xFFFFFFFF)


def _nearest(marks: dict[YamlPath, int], path: YamlPath) -> int:
    while path:
        if path in marks:
            return marks[path]
        path = path[:-1]
    return marks.get((), _pack(0, 0))


def load_file(path: str | FsPath, *, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              max_depth: int = DEFAULT_MAX_DEPTH) -> Document:
    """Load a YAML file (``-`` is standard input, named ``<stdin>``). A file that cannot be read at all (missing,
    a folder, a FIFO or device, unreadable) raises :class:`MapLoadError` (exit 2); everything about its content,
    its size included, comes back as problems in the document."""
    return load_input(read_map_input(path, max_bytes=max_bytes, display=display), max_bytes=max_bytes,
                      max_depth=max_depth)


def read_map_input(path: str | FsPath, *, max_bytes: int, display: str | None = None) -> Input:
    """A file's (or standard input's) bytes, capped; a file that cannot be read raises :class:`MapLoadError`."""
    from nos_cli.errors import NosError
    from nos_cli.files.read import read_input

    try:
        return read_input(path, max_bytes=max_bytes, display=display)
    except NosError as exc:
        raise MapLoadError(exc.message) from None


def load_input(got: Input, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH) -> Document:
    """Load what :func:`read_map_input` read; input over the size limit is a ``file-size`` problem."""
    if got.over:
        doc = Document(got.name)
        size = f"{got.size:,} bytes" if got.size is not None else f"more than {max_bytes:,} bytes"
        doc.problems.append(Problem(got.name, 1, 1, RULE_SIZE, Level.ERROR,
                                    f"file is {size}, over the {max_bytes:,}-byte limit "
                                    "(raise it with --max-size or NOS_MAX_FILE_SIZE)"))
        return doc
    return load_bytes(got.data, got.name, max_bytes=max_bytes, max_depth=max_depth)


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
    _build(text, doc, max_depth)
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


# --- building the document from the parser's events ------------------------------------------------------
#
# libyaml's composer recurses natively (it segfaulted near 30k levels before PyYAML 6.0.4) and PyYAML resolves
# every scalar's type in Python, so composing nodes and converting them cost 8 s of a 10 s load of a 100k-KSB
# map. The document is built here from the parser's events instead, with an explicit stack: no recursion at any
# depth, nesting checked as it is met, aliases never expanded, and only plain scalars that may be something
# other than a string are resolved.


class _Frame:
    """One open mapping or sequence: the container being filled, its path, and for a mapping the key that
    waits for its value."""

    __slots__ = ("container", "first_seen", "key", "path", "skip_value")

    def __init__(self, container: Any, path: YamlPath) -> None:
        self.container = container
        self.path = path
        self.first_seen: dict[str, Any] = {}
        self.key: str | None = None  # a mapping's key read, its value not yet
        self.skip_value = False  # the next value belongs to a refused key: read and dropped


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


def _build(text: str, doc: Document, max_depth: int) -> None:
    import yaml

    try:
        _read_events(text, doc, max_depth)
    except _TooDeep as deep:
        _too_deep(doc, deep.mark, max_depth)
    except yaml.MarkedYAMLError as exc:
        doc.data = None
        # libyaml may stop first at a nesting limit of its own (1,000 levels since PyYAML 6.0.4), scanning
        # ahead of the events. Everything before the place it stopped is read again for depth alone, so the
        # limit nos documents is reported where the document crosses it, whatever the dependency's limit is.
        mark = exc.problem_mark
        deeper = _first_too_deep(text[: mark.index], max_depth) if mark is not None and mark.index > 0 else None
        if deeper is not None:
            _too_deep(doc, deeper, max_depth)
        else:
            doc.problems.append(_syntax_problem(doc.path, text, exc))
    except yaml.reader.ReaderError as exc:  # a character YAML refuses; it gives an offset, not a line
        doc.data = None
        line, col = _line_col(text, exc.position)
        doc.problems.append(Problem(doc.path, line, col, RULE_SYNTAX, Level.ERROR,
                                    f"character U+{exc.character:04X} is not allowed in YAML ({exc.reason})"))
    except yaml.YAMLError as exc:
        doc.data = None
        doc.problems.append(Problem(doc.path, 1, 1, RULE_SYNTAX, Level.ERROR, _one_line(str(exc))))


def _too_deep(doc: Document, mark: Any, max_depth: int) -> None:
    doc.data = None
    doc.problems.append(Problem(doc.path, mark.line + 1, mark.column + 1, RULE_DEPTH, Level.ERROR,
                                f"nesting is deeper than {max_depth} levels"))


def _first_too_deep(text: str, max_depth: int) -> Any:
    """The mark of the first collection deeper than ``max_depth`` in ``text``, read for depth only."""
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_loader_class()):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    return event.start_mark
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _loader_class() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_events(text: str, doc: Document, max_depth: int) -> None:
    import yaml
    from yaml.resolver import Resolver

    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    collection_end, document_start = yaml.CollectionEndEvent, yaml.DocumentStartEvent
    resolvers: dict[Any, list[tuple[str, Any]]] = Resolver.yaml_implicit_resolvers
    marks = doc._marks
    stack: list[_Frame] = []
    skipping = 0  # depth inside a refused collection (bad tag, complex key, duplicate key)
    documents = 0
    root: Any = None

    def place(value: Any, event: Any, *, refused: bool = False) -> None:
        """Put a value read at ``event`` where it belongs: the root, a sequence item or a key's value."""
        nonlocal root
        path = _value_path(stack)
        if not stack:
            root = value
        elif isinstance(stack[-1].container, list):
            stack[-1].container.append(value)
        else:
            frame = stack[-1]
            frame.container[frame.key] = value
            frame.key = None
        m = event.start_mark
        marks[path] = _pack(m.line, m.column)
        if refused:
            doc.refused.add(path)

    def expecting_key() -> bool:
        return bool(stack) and isinstance(stack[-1].container, dict) and stack[-1].key is None \
            and not stack[-1].skip_value

    events: Iterator[Any] = yaml.parse(text, Loader=_loader_class())
    event: Any
    for event in events:
        cls = event.__class__
        if skipping:
            if cls is mapping_start or cls is sequence_start:
                skipping += 1
                if len(stack) + skipping > max_depth:
                    raise _TooDeep(event.start_mark)
            elif isinstance(event, collection_end):
                skipping -= 1
            continue
        if cls is scalar_event:
            if event.anchor:
                _anchor_problem(doc, event)
            if expecting_key():
                _key(doc, stack[-1], event)
                continue
            if stack and isinstance(stack[-1].container, dict) and stack[-1].skip_value:
                stack[-1].skip_value = False
                continue
            place(_scalar(doc, event, resolvers, stack), event)
        elif cls is mapping_start or cls is sequence_start:
            if len(stack) + 1 > max_depth:
                raise _TooDeep(event.start_mark)
            if event.anchor:
                _anchor_problem(doc, event)
            if expecting_key():
                m = event.start_mark
                doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_KEY, Level.ERROR,
                                            "a key must be a plain name, not a list or mapping"))
                stack[-1].skip_value = True
                skipping = 1
                continue
            if stack and isinstance(stack[-1].container, dict) and stack[-1].skip_value:
                stack[-1].skip_value = False
                skipping = 1
                continue
            tag = event.tag
            if tag is not None and tag != "!" and tag not in _SAFE_TAGS:
                _bad_tag(doc, event)
                place(None, event, refused=True)  # reported; its content is read and dropped
                skipping = 1
                continue
            container: Any = {} if cls is mapping_start else []
            path = _value_path(stack)
            place(container, event)
            stack.append(_Frame(container, path))
        elif isinstance(event, collection_end):
            stack.pop()
        elif cls is alias_event:
            m = event.start_mark
            doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_ANCHOR, Level.ERROR,
                                        f"alias *{event.anchor}: maps do not use anchors or aliases; "
                                        "write the value out"))
            if expecting_key():
                stack[-1].skip_value = True  # an alias as a key: reported; its value is dropped
                continue
            if stack and isinstance(stack[-1].container, dict) and stack[-1].skip_value:
                stack[-1].skip_value = False
                continue
            place(None, event, refused=True)  # never expanded
        elif cls is document_start:
            documents += 1
            if documents > 1:
                # Reported where the second document's content starts, as the composer reported it.
                m = next(events).start_mark
                doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_DOCUMENTS, Level.ERROR,
                                            "a second YAML document: a map file holds exactly one"))
                break
    doc.data = root
    if documents == 0:
        doc.problems.append(Problem(doc.path, 1, 1, RULE_EMPTY, Level.ERROR,
                                    "file holds only comments or an empty document: expected a map"))


def _key(doc: Document, frame: _Frame, event: Any) -> None:
    """A mapping key: a plain name, reported when it repeats one (the first is kept)."""
    key: str = event.value
    m = event.start_mark
    tag = event.tag
    if tag is not None and tag != "!" and tag not in _SAFE_TAGS:
        _bad_tag(doc, event)
    first = frame.first_seen.get(key)
    if first is not None:
        doc.problems.append(Problem(
            doc.path, m.line + 1, m.column + 1, RULE_DUPLICATE_KEY, Level.ERROR,
            f"duplicate key {key!r}: first at line {first.line + 1} column {first.column + 1}; "
            "YAML would keep only this one"))
        frame.skip_value = True  # keep the first: the reader sees what they wrote first
        return
    frame.first_seen[key] = m
    frame.key = key
    child: YamlPath = (*frame.path, key)
    doc._key_marks[child] = _pack(m.line, m.column)


def _scalar(doc: Document, event: Any, resolvers: dict[Any, list[tuple[str, Any]]], stack: list[_Frame]) -> Any:
    value: str = event.value
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0]:
            return value  # quoted, or the non-specific "!": a string
        tag = _STR
        for candidate, regexp in resolvers.get(value[0] if value else "", ()):
            if regexp.match(value):
                tag = candidate
                break
        if tag == _STR:
            return value
        plain = True
    else:
        plain = False
    if tag == _STR:
        return value
    if tag not in _SAFE_TAGS:
        _bad_tag(doc, event)
        return value
    path = _value_path(stack)
    short = tag[len(_CORE):]
    if short == "timestamp":  # dates stay strings: a map never means a datetime
        doc.scalars[path] = RawScalar(value, short)
        return value
    import yaml

    constructor = _constructor()
    node = yaml.ScalarNode(tag, value)
    try:
        if short == "null":
            result: Any = None
        elif short == "bool":
            result = constructor.construct_yaml_bool(node)
        elif short == "int":
            result = constructor.construct_yaml_int(node)
        else:
            result = constructor.construct_yaml_float(node)
    except (ValueError, OverflowError) as exc:
        m = event.start_mark
        doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_SCALAR, Level.ERROR,
                                    f"cannot read {_clip(value)!r} as {short}: {_why(exc, value)}"))
        doc.refused.add(path)
        return value
    # Plain: the type came from YAML's implicit rules, not from the writer, so the schema check may warn that
    # a string was meant.
    if plain:
        doc.scalars[path] = RawScalar(value, short)
    return result


def _value_path(stack: list[_Frame]) -> YamlPath:
    """The path the next value will take (called before it is placed)."""
    if not stack:
        return ()
    frame = stack[-1]
    if isinstance(frame.container, list):
        return (*frame.path, len(frame.container))
    return (*frame.path, frame.key) if frame.key is not None else frame.path


_STR = _CORE + "str"
_CONSTRUCTOR: list[Any] = []


def _constructor() -> Any:
    if not _CONSTRUCTOR:
        import yaml

        _CONSTRUCTOR.append(yaml.constructor.SafeConstructor())
    return _CONSTRUCTOR[0]


def _anchor_problem(doc: Document, event: Any) -> None:
    m = event.start_mark
    doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_ANCHOR, Level.ERROR,
                                f"anchor &{event.anchor}: maps do not use anchors or aliases"))


def _bad_tag(doc: Document, event: Any) -> None:
    m = event.start_mark
    doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, RULE_TAG, Level.ERROR,
                                f"tag {event.tag} is not allowed: maps hold plain strings, numbers, "
                                "lists and mappings"))


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
