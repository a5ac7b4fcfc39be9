"""Export a map as a 1EdTech CASE 1.0 package (CFDocument, CFItems, CFAssociations).

- The map is the CFDocument; every key area, function, element and KSB is one CFItem, with its text as
  ``fullStatement``, its id as ``humanCodingScheme`` and its level as ``CFItemType``.
- Containment (map > key area > function > element) is ``isChildOf`` (origin: the child).
- A function's link to a KSB is ``isPartOf`` with the KSB as origin and the function as destination: the
  KSB is part of what the function needs. (``isChildOf`` would put a KSB under several parents and break the
  tree viewers draw; ``isRelatedTo`` would lose the direction.) One association per edge of the map's graph.
- Identifiers are UUIDv5 from a fixed namespace and the map and node ids, so every export of the same map
  has the same identifiers; ``lastChangeDateTime`` comes from the map's source date, not the clock.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from nos_cli.maps.graph import CONTAINS, ROOT, FunctionalMap
from nos_cli.model import AREA, ELEMENT, FUNCTION
from nos_cli.textsafe import json_dumps

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://nos-cli.invalid/case")
ITEM_TYPE = {AREA: "Key Area", FUNCTION: "Function", ELEMENT: "Element", "knowledge": "Knowledge",
             "skill": "Skill", "behaviour": "Behaviour"}
EPOCH = "2000-01-01T00:00:00+00:00"


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _uri(identifier: str) -> str:
    return f"urn:uuid:{identifier}"


def _changed(fmap: FunctionalMap) -> str:
    """A stable timestamp: the first source date nos can read (dd/mm/yyyy or yyyy-mm-dd), else a fixed one."""
    for src in fmap.info.sources:
        date = str(src.get("date", ""))
        m = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", date) or None
        if m:
            return f"{m.group(3)}-{m.group(2)}-{m.group(1)}T00:00:00+00:00"
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)
        if m:
            return f"{date}T00:00:00+00:00"
    return EPOCH


def case_package(fmap: FunctionalMap) -> dict[str, Any]:
    changed = _changed(fmap)
    doc_id = _id(fmap.id)
    doc_ref = {"title": fmap.title, "identifier": doc_id, "uri": _uri(doc_id)}
    src = next(iter(fmap.info.sources), {})
    document: dict[str, Any] = {
        "identifier": doc_id, "uri": _uri(doc_id), "creator": str(src.get("publisher") or "nos"),
        "title": fmap.title, "lastChangeDateTime": changed, "language": "en",
        "version": fmap.info.version or "", "description": fmap.root.text or (fmap.info.description or ""),
        "subject": [fmap.info.kind], "CFPackageURI": {**doc_ref, "uri": _uri(doc_id) + "#package"},
    }
    if src.get("address"):
        document["officialSourceURL"] = src["address"]
    if src.get("licence"):
        document["notes"] = f"Licence of the source: {src['licence']}"
    refs: dict[str, dict[str, str]] = {ROOT: doc_ref}
    items = []
    for node in fmap.in_order():
        ident = _id(fmap.id, node.id)
        refs[node.id] = {"title": node.text[:120], "identifier": ident, "uri": _uri(ident)}
        item: dict[str, Any] = {
            "identifier": ident, "uri": _uri(ident), "fullStatement": node.text, "humanCodingScheme": node.id,
            "CFItemType": ITEM_TYPE[node.kind], "CFDocumentURI": doc_ref, "lastChangeDateTime": changed,
            "language": "en",
        }
        if node.editorial:
            item["notes"] = "Editorial: this wording or linking is the map's own, not the standard's."
        items.append(item)
    associations = []
    seq: dict[str, int] = {}
    for a, b, data in fmap.graph.edges(data=True):
        if data["rel"] == CONTAINS:
            kind, origin, dest = "isChildOf", b, a
        else:
            kind, origin, dest = "isPartOf", b, a
        seq[dest] = seq.get(dest, 0) + 1
        ident = _id(fmap.id, origin, kind, dest or ":map")
        associations.append({
            "identifier": ident, "uri": _uri(ident), "associationType": kind, "sequenceNumber": seq[dest],
            "originNodeURI": refs[origin], "destinationNodeURI": refs[dest], "CFDocumentURI": doc_ref,
            "lastChangeDateTime": changed,
        })
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


def as_case(fmap: FunctionalMap) -> str:
    return json_dumps(case_package(fmap), indent=2) + "\n"
