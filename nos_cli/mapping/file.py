"""Curriculum mapping files: which KSBs of a map each item of a programme (module, session, duty) covers.

```yaml
nos_mapping: 1                 # optional format marker
map: learning-mentor           # the map's id (required)
map_version: "1.0.0"           # optional: the map file's version the mapping was made against
title: Level 3 Learning Mentor programme
items:
  - id: M1
    title: The mentoring role
    ksbs: [K1, S1, B1]
    fingerprints: {K1: 5d0c5e2b9f1a, S1: 0a9e7b2c4d11, B1: 8f3e...}   # written by `nos mapping review --accept`
```

A fingerprint is the first 12 hex digits of the SHA-256 of a KSB's text (white space folded) when a person
checked the link. When the standard's text changes, the fingerprint no longer matches and the link is
*suspect* until someone checks it again (the idea requirement tools such as doorstop use).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from nos_cli.maps.format import Field, ObjectSpec, schema_document
from nos_cli.maps.load import Document
from nos_cli.model import Level, Problem, YamlPath

FORMAT_KEY = "nos_mapping"
FORMAT_VERSION = 1
SCHEMA_ID = "https://nos-cli.invalid/schemas/mapping-1.schema.json"
ITEM_ID = r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"

OBJECTS: dict[str, ObjectSpec] = {
    "mapping": ObjectSpec("Which KSBs of a map each item of a programme covers.", {
        FORMAT_KEY: Field("int", "Format marker and version (optional); this is version 1."),
        "map": Field("str", "Id of the map the KSB ids belong to.", required=True),
        "map_version": Field("str", "The map file's version the mapping was made against."),
        "title": Field("str", "The programme's title.", required=True),
        "description": Field("str", "What the programme is."),
        "items": Field("[item]", "The programme's modules, sessions or duties.", required=True),
    }),
    "item": ObjectSpec("A module, session or duty and the KSBs it covers.", {
        "id": Field("str", "Id, unique in the file.", required=True, pattern=ITEM_ID),
        "title": Field("str", "The item's title.", required=True),
        "description": Field("str", "What the item covers."),
        "ksbs": Field("[str]", "Ids of the KSBs the item covers.", required=True),
        "fingerprints": Field("{str}", "KSB id to the fingerprint of its text when the link was last checked."),
    }),
}


def json_schema() -> dict[str, Any]:
    return schema_document(OBJECTS, "mapping", SCHEMA_ID, "nos curriculum mapping, format version 1",
                           {FORMAT_KEY: FORMAT_VERSION})


def fingerprint(text: str) -> str:
    """12 hex digits of SHA-256 of the text, NFC-normalised with white space folded, so re-wrapping a
    statement in YAML does not make its links suspect but any change of wording does."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:12]


def version_problems(doc: Document) -> list[Problem]:
    """A ``nos_mapping:`` of another format version: its contents are not ours to judge or to edit."""
    version = doc.data.get(FORMAT_KEY) if isinstance(doc.data, dict) else None
    if version is None or version == FORMAT_VERSION:
        return []
    return [doc.problem((FORMAT_KEY,), "format-version", Level.ERROR,
                        f"mapping format version {version!r} is not supported; this nos reads version "
                        f"{FORMAT_VERSION}")]


def is_mapping(data: Any) -> bool:
    return isinstance(data, dict) and (FORMAT_KEY in data or ("items" in data and "nos_map" not in data))


@dataclass(frozen=True)
class Link:
    item: str
    ksb: str
    fingerprint: str | None
    path: YamlPath  # where the KSB id is written in the file


@dataclass
class Item:
    id: str
    title: str
    ksbs: list[str]
    path: YamlPath
    fingerprints: dict[str, str] = field(default_factory=dict)


@dataclass
class Mapping:
    """A mapping file as data; built leniently (malformed entries are skipped: validation reports them)."""

    path: str
    map_id: str
    title: str
    items: list[Item]
    map_version: str | None = None

    def links(self) -> list[Link]:
        return [Link(it.id, k, it.fingerprints.get(k), (*it.path, "ksbs", i))
                for it in self.items for i, k in enumerate(it.ksbs)]


def read_mapping(doc: Document) -> Mapping:
    data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
    items = []
    for i, raw in enumerate(_list(data.get("items"))):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        ksbs = [k for k in _list(raw.get("ksbs")) if isinstance(k, str)]
        fps = raw.get("fingerprints")
        fps = fps if isinstance(fps, dict) else {}
        items.append(Item(raw["id"], str(raw.get("title") or ""), ksbs, ("items", i),
                          {str(k): str(v) for k, v in fps.items() if isinstance(v, str)}))
    version = data.get("map_version")
    return Mapping(doc.path, str(data.get("map") or ""), str(data.get("title") or ""), items,
                   version if isinstance(version, str) else None)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
