"""Write fingerprints into a mapping file without losing anything a person wrote.

PyYAML drops comments and reorders nothing only by accident when it re-dumps a file, so the file is not
re-dumped: the new ``fingerprints`` values are spliced into the text at the positions the YAML composer
reports, comments, order, quoting and layout untouched. The result is loaded again and must equal the old data
with only the fingerprints changed before it replaces the file (a temporary file in the same folder, then a
rename, so an interruption leaves the old file whole).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nos_cli.errors import NosError


def _flow(fps: dict[str, str]) -> str:
    # Quoted: a fingerprint of digits only would otherwise be read as a number.
    return "{" + ", ".join(f'{k}: "{v}"' for k, v in fps.items()) + "}"


def set_fingerprints(text: str, updates: dict[str, dict[str, str]]) -> str:
    """``updates`` maps an item id to the fingerprints it should have (the whole table for that item)."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root: Any = yaml.compose(text, Loader=loader_cls)
    items = next((v for k, v in root.value if k.value == "items"), None)
    edits: list[tuple[int, int, str]] = []
    for item in items.value if items is not None else []:
        fields = {k.value: (k, v) for k, v in item.value}
        item_id = fields.get("id", (None, None))[1]
        if item_id is None or item_id.value not in updates:
            continue
        new = _flow(updates[item_id.value])
        if "fingerprints" in fields:
            value = fields["fingerprints"][1]
            edits.append((value.start_mark.index, _end(text, value), new))
        elif item.flow_style:
            close = text.rindex("}", item.start_mark.index, item.end_mark.index)
            edits.append((close, close, f", fingerprints: {new}"))
        else:
            anchor_key, anchor_value = fields.get("ksbs") or list(fields.values())[-1]
            eol = text.find("\n", _end(text, anchor_value) - 1)
            eol = len(text) if eol < 0 else eol
            indent = " " * anchor_key.start_mark.column
            edits.append((eol, eol, f"\n{indent}fingerprints: {new}"))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _end(text: str, node: Any) -> int:
    """Where a node's text really ends: a block collection's end mark can lie past trailing blank lines."""
    end = int(node.end_mark.index)
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def write_safely(path: Path, old_text: str, new_text: str, expected: Any) -> None:
    """Replace ``path`` with ``new_text`` only if it still holds ``old_text`` and the new text loads to
    ``expected``; a temporary file and a rename make the change all or nothing."""
    from nos_cli.maps.load import load_bytes

    check = load_bytes(new_text.encode("utf-8"), str(path))
    if not check.ok or check.data != expected:
        raise NosError(f"{path}: could not update the fingerprints without changing anything else; "
                       "the file was left as it was")
    if path.read_text(encoding="utf-8-sig") != old_text:
        raise NosError(f"{path}: the file changed while nos was working on it; it was left as it is")
    from nos_cli.fileio import write_atomic

    write_atomic(path, new_text)
