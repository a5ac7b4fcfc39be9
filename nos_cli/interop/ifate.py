"""Import apprenticeship standards from the IfATE (Skills England) JSON into map files.

The shape is described in ../shared/sources/ifate-standards-json.md. Mind its spellings: ``dutyID``,
``mappedBehaviour`` (singular), ``mappedSkills`` (plural). KSB codes K1, S1, B1 are derived from each list's
order, as the government's own importer does; the source GUIDs are kept in ``source_ref`` so a later version
can be matched by identity even when its codes shift.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nos_cli.errors import NosError
from nos_cli.interop.ifate_check import flag

SOURCE_ID = "ifate"
LICENCE = "Open Government Licence v3.0 (Crown copyright)"
PUBLISHER = "Institute for Apprenticeships and Technical Education"
KSB_LISTS = (("knowledges", "knowledgeId", "knowledge", "K"), ("skills", "skillId", "skill", "S"),
             ("behaviours", "behaviourId", "behaviour", "B"))
MAPPED = (("mappedKnowledge", "knowledge"), ("mappedSkills", "skill"), ("mappedBehaviour", "behaviour"))
_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


def clean(text: Any) -> str:
    """Plain text from the JSON's HTML-flavoured strings: entities decoded, ``&nbsp;`` and tags become
    spaces, control and zero-width characters removed, white space folded."""
    if text is None:
        return ""
    out = html.unescape(str(text))
    out = _TAG.sub(" ", out).replace("\xa0", " ")
    out = _CONTROL.sub(" ", out)
    return " ".join(out.split())


@dataclass
class Imported:
    """One standard version turned into a map: its file name, YAML text and what was noticed on the way."""

    map_id: str
    filename: str
    text: str
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)


def read_json(path: str) -> Any:
    """The JSON of a file or standard input, size-capped, with its nesting and numbers bounded before parsing."""
    from nos_cli.files.read import decode_text, read_limited
    from nos_cli.interop.ifate_check import prescan
    from nos_cli.maps.catalog import max_bytes

    name, data = read_limited(path, max_bytes=max_bytes(), what="the JSON")
    raw = decode_text(data, name)
    prescan(raw, name)
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NosError(f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # the prescan bounds these; kept so no input can crash the import
        raise NosError(f"{name}: cannot read the JSON: {exc}") from None


def standards(data: Any) -> list[dict[str, Any]]:
    """One standard object, or the all-standards array (every standard, every version)."""
    items = data if isinstance(data, list) else [data]
    found = [s for s in items if isinstance(s, dict) and s.get("referenceNumber")]
    if not found:
        raise NosError("no standard found: expected an object with referenceNumber, or an array of them")
    return found


def _label(std: dict[str, Any]) -> str:
    ref, version = std.get("referenceNumber"), std.get("version")
    text = " v".join(clean(v) for v in (ref, version) if isinstance(v, (str, int, float)) and not isinstance(v, bool))
    return f"standard {text.encode('utf-8', 'backslashreplace').decode('utf-8')[:60] or '?'}"


def map_id_of(std: dict[str, Any]) -> str:
    ref = clean(std.get("referenceNumber")).lower()
    version = clean(std.get("version"))
    slug = re.sub(r"[^a-z0-9]+", "-", f"{ref}-v{version}".lower() if version else ref).strip("-")
    return slug or "standard"


class BadStandard(NosError):
    """A standard whose fields the importer cannot use; the import skips it and goes on with the others."""


def convert(std: dict[str, Any]) -> Imported:
    """A standard as a map file; :class:`BadStandard` names the first field of a wrong type or value."""
    from nos_cli.interop.ifate_check import problems

    found = problems(std)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise BadStandard(f"{_label(std)}: {found[0]}{more}")
    notes: list[str] = []
    map_id = map_id_of(std)
    ref = clean(std.get("referenceNumber"))
    title = clean(std.get("title")) or ref
    ksbs: list[dict[str, Any]] = []
    code_of: dict[str, str] = {}
    for list_key, id_key, kind, prefix in KSB_LISTS:
        n = 0
        for item in std.get(list_key) or []:
            text = clean(item.get("detail")) if isinstance(item, dict) else ""
            if not text:
                notes.append(f"{list_key}: an entry with no text was skipped")
                continue
            n += 1
            code = f"{prefix}{n}"
            guid = clean(item.get(id_key)) if isinstance(item, dict) else ""
            if guid:
                code_of[guid] = code
            code_of.setdefault(code, code)  # some older records map by code rather than GUID
            ksbs.append({"id": code, "kind": kind, "text": text, "source_ref": guid or None})
    areas = _areas(std, code_of, notes)
    linked = {k for area in areas for fn in area["functions"] for k in fn["ksbs"]}
    orphans = [k["id"] for k in ksbs if k["id"] not in linked]
    if orphans and ksbs:
        why = "the standard maps no duties" if not any(a["functions"] for a in areas) else "no duty maps them"
        notes.append(f"{len(orphans)} KSBs linked by an editorial function because {why}: {', '.join(orphans)}")
        areas = [a for a in areas if a["functions"]]
        areas.append({"id": "UNMAPPED", "title": "KSBs the standard does not map to a duty", "editorial": True,
                      "functions": [{"id": "F-UNMAPPED", "title": "KSBs not mapped to any duty", "editorial": True,
                                     "ksbs": orphans}]})
    areas = [a for a in areas if a["functions"]]
    doc = _document(std, map_id, title, areas, ksbs)
    counts = {"knowledge": sum(k["kind"] == "knowledge" for k in ksbs),
              "skill": sum(k["kind"] == "skill" for k in ksbs),
              "behaviour": sum(k["kind"] == "behaviour" for k in ksbs),
              "duties": sum(1 for a in areas for f in a["functions"] if f["id"] != "F-UNMAPPED")}
    return Imported(map_id, f"{map_id}.yaml", dump_yaml(doc), counts, notes)


def _areas(std: dict[str, Any], code_of: dict[str, str], notes: list[str]) -> list[dict[str, Any]]:
    options = [o for o in std.get("options") or [] if isinstance(o, dict) and clean(o.get("title"))]
    with_options = bool(std.get("coreAndOptions")) and bool(options)
    core: dict[str, Any] = {"id": "CORE", "title": "Core duties" if with_options else "Duties", "editorial": True,
                            "functions": []}
    option_areas: dict[str, dict[str, Any]] = {}
    for i, o in enumerate(options if with_options else [], 1):
        option_areas[clean(o.get("optionId"))] = {"id": f"OPT{i}", "title": clean(o.get("title")),
                                                  "source": SOURCE_ID, "functions": []}
    n = 0
    for duty in std.get("duties") or []:
        if not isinstance(duty, dict):
            continue
        text = clean(duty.get("dutyDetail"))
        if not text or text in (".", "-", "n/a", "N/A"):
            notes.append(f"duty {clean(duty.get('dutyID')) or '?'}: placeholder text {text!r} skipped")
            continue
        n += 1
        links: list[str] = []
        for key, _kind in MAPPED:
            for ref in duty.get(key) or []:
                code = code_of.get(clean(ref))
                if code is None:
                    notes.append(f"duty D{n}: {key} names {clean(ref)!r}, which is not a KSB of the standard")
                elif code not in links:
                    links.append(code)
        fn: dict[str, Any] = {"id": f"D{n}", "title": text, "source": SOURCE_ID}
        is_core = flag(duty.get("isThisACoreDuty"))
        if is_core is not None:
            fn["core"] = is_core
        fn["ksbs"] = links
        mapped_options = [clean(o) for o in duty.get("mappedOptions") or [] if clean(o) in option_areas]
        if with_options and fn.get("core") is False and mapped_options:
            target = option_areas[mapped_options[0]]
            if len(mapped_options) > 1:
                others = ", ".join(option_areas[o]["id"] for o in mapped_options[1:])
                fn["note"] = f"Also a duty of option(s) {others}."
            target["functions"].append(fn)
        else:
            core["functions"].append(fn)
    if not n:
        notes.append("the standard has no duties")
    return [core, *option_areas.values()]


def _document(std: dict[str, Any], map_id: str, title: str, areas: list[dict[str, Any]],
              ksbs: list[dict[str, Any]]) -> dict[str, Any]:
    source: dict[str, Any] = {"id": SOURCE_ID, "title": title, "publisher": PUBLISHER}
    for key, value in (("reference", clean(std.get("referenceNumber"))), ("version", clean(std.get("version"))),
                       ("status", clean(std.get("status"))), ("date", clean(std.get("approvedForDelivery"))),
                       ("address", clean(std.get("standardPageUrl")))):
        if value:
            source[key] = value
    level = std.get("level")
    if (isinstance(level, int) and not isinstance(level, bool)) or str(level).isdigit():
        source["level"] = int(str(level))
    source["licence"] = LICENCE
    source["taken"] = ("KSB and duty texts word for word from the IfATE apprenticeship-standards JSON (HTML "
                       "entities decoded); codes K1, S1, B1 derived from list order, GUIDs kept in source_ref.")
    doc: dict[str, Any] = {"nos_map": 1, "id": map_id, "title": title, "kind": "apprenticeship-standard"}
    if clean(std.get("version")):
        doc["version"] = clean(std.get("version"))
    doc["description"] = (f"Imported by nos from the IfATE JSON of {clean(std.get('referenceNumber'))}"
                          f"{' v' + clean(std.get('version')) if clean(std.get('version')) else ''}. Duties are "
                          "the functions; key areas group core and option duties (editorial).")
    doc["levels"] = {"key_area": "Duty group", "function": "Duty"}
    doc["sources"] = [source]
    overview = clean(std.get("overviewOfRole"))
    if overview:
        doc["key_purpose"] = {"text": overview, "source": SOURCE_ID}
    doc["key_areas"] = areas
    doc["ksbs"] = [{k: v for k, v in (("id", x["id"]), ("kind", x["kind"]), ("source", SOURCE_ID),
                                      ("source_ref", x["source_ref"]), ("text", x["text"])) if v is not None}
                   for x in ksbs]
    return doc


# --- a small, deterministic YAML writer ---------------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # JSON strings are YAML double-quoted strings: every text is quoted, so nothing is read as another type.
    return json.dumps(str(value), ensure_ascii=False)


def dump_yaml(doc: dict[str, Any]) -> str:
    """YAML in a stable key order, every string quoted, short id lists in flow style."""
    lines = ["# yaml-language-server: $schema=https://nos-cli.invalid/schemas/functional-map-1.schema.json",
             "# Written by nos import ifate: edit the source data and import again rather than editing by hand."]
    _emit(doc, 0, lines)
    return "\n".join(lines) + "\n"


def _emit(mapping: dict[str, Any], indent: int, lines: list[str], first: str | None = None) -> None:
    """A block mapping at ``indent``; ``first`` replaces the first line's indent (``"  - "`` in a list)."""
    for i, (key, value) in enumerate(mapping.items()):
        lead = first if (i == 0 and first is not None) else " " * indent
        if isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            _emit(value, indent + 2, lines)
        elif isinstance(value, list) and value and (key != "ksbs" or any(isinstance(x, dict) for x in value)):
            lines.append(f"{lead}{key}:")
            for item in value:
                dash = " " * (indent + 2) + "- "
                if isinstance(item, dict):
                    _emit(item, indent + 4, lines, first=dash)
                else:
                    lines.append(dash + _scalar(item))
        elif isinstance(value, list):  # short lists of ids read best in flow style
            lines.append(f"{lead}{key}: [{', '.join(_scalar(x) for x in value)}]")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")


def select(stds: Iterable[dict[str, Any]], wanted: list[str]) -> list[dict[str, Any]]:
    if not wanted:
        return list(stds)
    keys = {w.lower() for w in wanted}
    return [s for s in stds if clean(s.get("referenceNumber")).lower() in keys or map_id_of(s) in keys]
