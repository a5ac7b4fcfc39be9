"""The functional-map format, version 1: its fields declared once, checked here, published as JSON Schema.

docs/format.md explains the format to people; this module is its single source of truth for tools: the
structure check below and the JSON Schema in ``nos_cli/schemas/functional-map.schema.json`` (generated from
these declarations, and a test keeps the shipped file equal to them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from nos_cli.maps.load import Document
from nos_cli.model import Level, Problem, YamlPath

FORMAT_KEY = "nos_map"
FORMAT_VERSION = 1
KSB_KINDS = ("knowledge", "skill", "behaviour")
KSB_PREFIX = {"knowledge": "K", "skill": "S", "behaviour": "B"}
MAP_KINDS = ("functional-map", "apprenticeship-standard", "nos-suite", "occupational-standard")
MAP_ID = r"^[a-z0-9][a-z0-9._-]*$"
NODE_ID = r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"

RULE_STRUCTURE = "schema"
RULE_TYPE = "type"
RULE_UNKNOWN_KEY = "unknown-key"
RULE_REQUIRED = "required"
RULE_VERSION = "format-version"
RULE_IMPLICIT = "implicit-type"


@dataclass(frozen=True)
class Field:
    """One key of an object: its type (``str``, ``int``, ``bool``, ``str|int``, ``[str]``, an object name or
    ``[object name]``), whether it must be present, and one line of documentation."""

    type: str
    doc: str
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ObjectSpec:
    doc: str
    fields: dict[str, Field] = field(default_factory=dict)


_PROVENANCE = {
    "source": Field("str", "Id of the entry in `sources` whose words this text is, word for word."),
    "editorial": Field("bool", "True when this node's wording or linking is the project's own, not the standard's."),
    "note": Field("str", "A remark about this node (editorial)."),
}

#: Alternative terms for a node (ESCO's "alternative labels"): the words a field uses for it. Always
#: editorial, whatever the node's own provenance: they are the map authors' words, never the standard's.
ALIASES = Field("[str]", "Other words the field uses for this node, e.g. 'role model' (editorial: never the "
                         "standard's text); nos diff matches them.")

OBJECTS: dict[str, ObjectSpec] = {
    "map": ObjectSpec("A functional map or standard: key purpose, key areas, functions and KSBs.", {
        FORMAT_KEY: Field("int", "Format marker and version; this is version 1.", required=True),
        "id": Field("str", "The map's id: lowercase letters, digits, '.', '_' and '-'.", required=True,
                    pattern=MAP_ID),
        "title": Field("str", "The map's title.", required=True),
        "kind": Field("str", "What the map is.", required=True, enum=MAP_KINDS),
        "version": Field("str", "The map file's own version (not the standard's: that is in `sources`)."),
        "description": Field("str", "What the map is and how it was made (editorial)."),
        "partial": Field("bool", "True when the map covers only part of its occupation or suite."),
        "levels": Field("levels", "What this suite calls each level (key area, key role, unit, ...)."),
        "sources": Field("[source]", "The texts this map's words come from.", required=True),
        "key_purpose": Field("key_purpose", "The occupation's key purpose."),
        "key_areas": Field("[key_area]", "The key areas, each broken into functions.", required=True),
        "ksbs": Field("[ksb]", "The knowledge, skills and behaviours the functions link to."),
        "notes": Field("[str]", "Remarks about the map as a whole (editorial)."),
    }),
    "levels": ObjectSpec("Display names for the levels of this map.", {
        "key_purpose": Field("str", "Name of the top level, e.g. 'Key purpose'."),
        "key_area": Field("str", "Name of the first level, e.g. 'Key area', 'Key role'."),
        "function": Field("str", "Name of the second level, e.g. 'Function', 'Unit', 'Standard'."),
        "element": Field("str", "Name of the parts of a function, e.g. 'Element'."),
    }),
    "source": ObjectSpec("A published text that some of the map's words are taken from.", {
        "id": Field("str", "Short id that nodes cite in their `source`.", required=True, pattern=NODE_ID),
        "title": Field("str", "The source's title.", required=True),
        "reference": Field("str", "Its reference, e.g. 'ST0148' or a NOS suite code."),
        "version": Field("str", "The source's version, e.g. '1.0'."),
        "level": Field("int", "The qualification or apprenticeship level, e.g. 3."),
        "status": Field("str", "Its status when taken, e.g. 'Approved for delivery', 'Retired'."),
        "publisher": Field("str", "Who published it."),
        "date": Field("str", "When it was published or last updated, as written by the publisher."),
        "address": Field("str", "Where it was published (URL)."),
        "licence": Field("str", "The licence it is published under."),
        "taken": Field("str", "What this map takes from it, and how (e.g. 'KSB texts, word for word')."),
    }),
    "key_purpose": ObjectSpec("The key purpose statement.", {
        "text": Field("str", "The statement.", required=True),
        **_PROVENANCE,
    }),
    "key_area": ObjectSpec("A key area (broad function) of the map.", {
        "id": Field("str", "Id, unique in the map.", required=True, pattern=NODE_ID),
        "title": Field("str", "The key area's title.", required=True),
        **_PROVENANCE,
        "aliases": ALIASES,
        "functions": Field("[function]", "The functions (units, standards) in this key area."),
    }),
    "function": ObjectSpec("A function (key role, unit, standard, duty) under a key area.", {
        "id": Field("str", "Id, unique in the map.", required=True, pattern=NODE_ID),
        "title": Field("str", "The function's title.", required=True),
        **_PROVENANCE,
        "aliases": ALIASES,
        "rationale": Field("str", "Why the function sits here and links what it links (editorial)."),
        "core": Field("bool", "For apprenticeship duties: true for a core duty, false for an option duty."),
        "ksbs": Field("[str]", "Ids of the KSBs this function needs."),
        "elements": Field("[element]", "The elements of a unit, in order."),
    }),
    "element": ObjectSpec("An element of a function (unit).", {
        "id": Field("str", "Id, unique in the map.", required=True, pattern=NODE_ID),
        "title": Field("str", "The element's title.", required=True),
        **_PROVENANCE,
    }),
    "ksb": ObjectSpec("A knowledge, skill or behaviour statement.", {
        "id": Field("str", "Its code, e.g. K1, S1, B1; unique in the map.", required=True, pattern=NODE_ID),
        "kind": Field("str", "knowledge, skill or behaviour.", required=True, enum=KSB_KINDS),
        "text": Field("str", "The statement, exactly as the source words it.", required=True),
        "source_ref": Field("str|int", "The statement's own number or id in the source (e.g. a GUID)."),
        **_PROVENANCE,
        "aliases": ALIASES,
    }),
}

_PYTYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "bool": (bool,), "str|int": (str, int)}


def check_structure(doc: Document) -> Iterator[Problem]:
    """Yield a problem for every place where the document is not a version-1 map."""
    data = doc.data
    if not isinstance(data, dict):
        yield doc.problem((), RULE_TYPE, Level.ERROR, f"a map file holds a mapping, not {_what(data)}")
        return
    version = data.get(FORMAT_KEY)
    if FORMAT_KEY in data and version != FORMAT_VERSION and not isinstance(version, bool):
        yield doc.problem((FORMAT_KEY,), RULE_VERSION, Level.ERROR,
                          f"format version {version!r} is not supported; this nos reads version {FORMAT_VERSION}")
        return
    yield from check_tree(doc, OBJECTS, "map")


def check_tree(doc: Document, objects: dict[str, ObjectSpec], root: str) -> Iterator[Problem]:
    """Check a document against a table of object declarations, from ``root`` down (maps and mapping files
    share this checker; each declares its own table)."""
    if not isinstance(doc.data, dict):  # a list or a scalar at the top: iterating it as keys would crash
        yield doc.problem((), RULE_TYPE, Level.ERROR,
                          f"expected keys and values at the top of the file, found {_what(doc.data)}")
        return
    yield from _check_object(_Checker(doc, objects), doc.data, (), root)


@dataclass(frozen=True)
class _Checker:
    doc: Document
    objects: dict[str, ObjectSpec]


def _check_object(ck: _Checker, value: dict[str, Any], path: YamlPath, name: str) -> Iterator[Problem]:
    doc = ck.doc
    spec = ck.objects[name]
    for key in value:
        if key not in spec.fields:
            yield doc.problem((*path, key), RULE_UNKNOWN_KEY, Level.ERROR,
                              f"unknown key {key!r} in {name}{_did_you_mean(key, spec.fields)}", at_key=True)
    for key, fld in spec.fields.items():
        if key not in value:
            if fld.required:
                yield doc.problem(path, RULE_REQUIRED, Level.ERROR, f"{name} has no {key!r}", at_key=bool(path))
            continue
        yield from _check_value(ck, value[key], (*path, key), fld)


def _check_value(ck: _Checker, value: Any, path: YamlPath, fld: Field) -> Iterator[Problem]:
    doc = ck.doc
    if path in doc.refused:
        return
    kind = fld.type
    if kind.startswith("["):
        if not isinstance(value, list):
            yield _type_problem(doc, path, value, "a list")
            return
        item = Field(kind[1:-1], fld.doc, pattern=fld.pattern, enum=fld.enum)
        for i, v in enumerate(value):
            yield from _check_value(ck, v, (*path, i), item)
        return
    if kind.startswith("{"):
        if not isinstance(value, dict):
            yield _type_problem(doc, path, value, "a mapping")
            return
        item = Field(kind[1:-1], fld.doc)
        for key, v in value.items():
            yield from _check_value(ck, v, (*path, key), item)
        return
    if kind in ck.objects:
        if isinstance(value, dict):
            yield from _check_object(ck, value, path, kind)
        else:
            yield _type_problem(doc, path, value, "a mapping")
        return
    expected = _PYTYPES[kind]
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        yield _type_problem(doc, path, value, _EXPECTED[kind])
        return
    if fld.pattern and isinstance(value, str) and not re.match(fld.pattern, value):
        yield doc.problem(path, RULE_STRUCTURE, Level.ERROR,
                          f"{value!r} is not a valid {path[-1] if isinstance(path[-1], str) else 'id'}: "
                          f"expected {_PATTERN_WORDS.get(fld.pattern, fld.pattern)}")
    if fld.enum and value not in fld.enum:
        yield doc.problem(path, RULE_STRUCTURE, Level.ERROR,
                          f"{value!r} is not one of {', '.join(fld.enum)}{_did_you_mean(str(value), fld.enum)}")


_EXPECTED = {"str": "a string", "int": "a whole number", "bool": "true or false",
             "str|int": "a string or a whole number"}
_PATTERN_WORDS = {
    MAP_ID: "lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
    NODE_ID: "letters, digits, '.', '_', '/' or '-', starting with a letter or digit",
}


def _type_problem(doc: Document, path: YamlPath, value: Any, expected: str) -> Problem:
    raw = doc.scalars.get(path)
    if raw is not None and expected.startswith("a string"):
        # YAML 1.1 turned what was meant as text into another type: say so, and how to keep the text.
        return doc.problem(path, RULE_IMPLICIT, Level.ERROR,
                           f"{raw.raw!r} was read as {_READ_AS.get(raw.tag, raw.tag)} ({value!r}); "
                           f"quote it to keep it as text: \"{raw.raw}\"")
    return doc.problem(path, RULE_TYPE, Level.ERROR, f"expected {expected}, found {_what(value)}")


_READ_AS = {"bool": "a boolean", "int": "a number", "float": "a number", "null": "null", "timestamp": "a date"}


def _what(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({value[:30]!r})"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _did_you_mean(word: str, choices: Any) -> str:
    from nos_cli.suggest import did_you_mean

    return did_you_mean(word, list(choices))


# --- JSON Schema --------------------------------------------------------------------------------------

SCHEMA_ID = "https://nos-cli.invalid/schemas/functional-map-1.schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the map format, for editors (yaml-language-server)."""
    return schema_document(OBJECTS, "map", SCHEMA_ID, "nos functional map, format version 1",
                           {FORMAT_KEY: FORMAT_VERSION})


def schema_document(objects: dict[str, ObjectSpec], root_name: str, schema_id: str, title: str,
                    consts: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema from a table of object declarations; ``consts`` pins format-marker fields."""
    defs = {name: _object_schema(spec, objects) for name, spec in objects.items() if name != root_name}
    root = _object_schema(objects[root_name], objects)
    for key, value in consts.items():
        root["properties"][key] = {"const": value, "description": objects[root_name].fields[key].doc}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **root,
        "$defs": defs,
    }


def json_schema_text(schema: dict[str, Any] | None = None) -> str:
    """A JSON Schema as the text of its shipped file (stable: a test compares the two)."""
    import json

    return json.dumps(schema if schema is not None else json_schema(), indent=2, ensure_ascii=False) + "\n"


def _object_schema(spec: ObjectSpec, objects: dict[str, ObjectSpec]) -> dict[str, Any]:
    props = {key: _field_schema(fld, objects) for key, fld in spec.fields.items()}
    out: dict[str, Any] = {"type": "object", "description": spec.doc, "properties": props,
                           "additionalProperties": False}
    required = [k for k, f in spec.fields.items() if f.required]
    if required:
        out["required"] = required
    return out


def _field_schema(fld: Field, objects: dict[str, ObjectSpec]) -> dict[str, Any]:
    out = _type_schema(fld.type, fld, objects)
    out["description"] = fld.doc
    return out


def _type_schema(kind: str, fld: Field, objects: dict[str, ObjectSpec]) -> dict[str, Any]:
    if kind.startswith("["):
        return {"type": "array", "items": _type_schema(kind[1:-1], fld, objects)}
    if kind.startswith("{"):  # a mapping from names to values of one type, e.g. {str}
        return {"type": "object", "additionalProperties": _type_schema(kind[1:-1], fld, objects)}
    if kind in objects:
        return {"$ref": f"#/$defs/{kind}"}
    out: dict[str, Any] = {"type": {"str": "string", "int": "integer", "bool": "boolean",
                                    "str|int": ["string", "integer"]}[kind]}
    if fld.pattern:
        out["pattern"] = fld.pattern
    if fld.enum:
        out["enum"] = list(fld.enum)
    return out
