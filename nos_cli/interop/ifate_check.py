"""The IfATE JSON checked at the boundary: the file's syntax bounded before Python parses it, and each standard's
fields checked for the types the importer relies on, so a bad value is a one-line message naming it, never an
internal error or a string iterated letter by letter.

A problem in the file itself (not JSON, nested deeper than any standard, a number too long to read) stops the
import (exit 2, with line and column). A problem in one standard's fields skips that standard, named with the
JSON path of the bad value and the duty's ``dutyID`` where there is one; the others are still imported (exit 1,
as for any skipped map; docs/interop.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from nos_cli.errors import NosError

#: Standards nest five levels (array, standard, duties, duty, mapped ids); anything far deeper is hostile.
MAX_DEPTH = 32
#: Longer integers are refused before Python's own limit (4,300 digits) turns them into a ValueError.
MAX_DIGITS = 100
#: File names longer than this many bytes are refused by Linux, macOS and Windows file systems alike.
MAX_NAME_BYTES = 255

# Strings (skipped whole, so brackets inside them do not count), brackets, and numbers.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?[0-9][0-9.eE+-]*')

TEXT_FIELDS = ("referenceNumber", "title", "status", "version", "overviewOfRole", "approvedForDelivery",
               "standardPageUrl")
_SCALAR = (str, int, float)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")
_LONG_DIGITS = re.compile(rf"[0-9]{{{MAX_DIGITS + 1}}}")


def prescan(text: str, name: str) -> None:
    """Refuse, with line and column, nesting deeper than :data:`MAX_DEPTH` and integers longer than
    :data:`MAX_DIGITS` digits, before ``json.loads`` meets them (it would recurse, or raise without a place).
    Malformed text is left for the JSON parser to report."""
    if _plainly_safe(text):
        return
    _scan(text, name)


def _plainly_safe(text: str) -> bool:
    """A check in C-speed regular expressions that clears almost every real file: with strings taken out, no
    long digit run, and the brackets gone after MAX_DEPTH rounds of deleting empty pairs."""
    bare = _STRING.sub("", text)
    if _LONG_DIGITS.search(bare):
        return False
    brackets = _NOT_BRACKET.sub("", bare)
    for _ in range(MAX_DEPTH):
        brackets, n = _INNERMOST.subn("", brackets)
        if not brackets:
            return True
        if not n:
            return False  # unbalanced: the token scan decides, and the JSON parser reports what is wrong
    return not brackets


def _scan(text: str, name: str) -> None:
    """The token scan: one Python step per string, bracket and number, giving the place of a problem."""
    depth = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        first = tok[0]
        if first == '"':
            continue
        if first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise NosError(f"{name}:{_where(text, m.start())}: JSON nested deeper than {MAX_DEPTH} levels; "
                               "a standard needs about five")
        elif first in "]}":
            depth = max(depth - 1, 0)
        else:
            digits = len(tok.split(".")[0].split("e")[0].split("E")[0].lstrip("-"))
            if digits > MAX_DIGITS:
                raise NosError(f"{name}:{_where(text, m.start())}: a number of {digits:,} digits is too long "
                               "to read")


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def problems(std: dict[str, Any]) -> list[str]:
    """Every field of one standard whose type or value the importer cannot use, as ``path: what is wrong``."""
    return list(_problems(std))


def _problems(std: dict[str, Any]) -> Iterator[str]:
    for key in TEXT_FIELDS:
        yield from _scalar(std.get(key), key)
    level = std.get("level")
    if level is not None and not (_is_int(level) or (isinstance(level, str) and re.fullmatch(r"[0-9]{1,3}", level))):
        yield f"level is {_show(level)}: expected a whole number such as 3"
    core_opts = std.get("coreAndOptions")
    if core_opts is not None and not isinstance(core_opts, bool) and core_opts not in (0, 1):
        yield f"coreAndOptions is {_show(core_opts)}: expected true or false"
    from nos_cli.interop.ifate import KSB_LISTS

    for list_key, id_key, _kind, _prefix in KSB_LISTS:
        for where, item in _objects(std, list_key):
            if isinstance(item, str):
                yield f"{where} {item}"
                continue
            yield from _scalar(item.get(id_key), f"{where}.{id_key}")
            yield from _scalar(item.get("detail"), f"{where}.detail")
    for where, option in _objects(std, "options"):
        if isinstance(option, str):
            yield f"{where} {option}"
            continue
        yield from _scalar(option.get("optionId"), f"{where}.optionId")
        yield from _scalar(option.get("title"), f"{where}.title")
    for where, duty in _objects(std, "duties"):
        if isinstance(duty, str):
            yield f"{where} {duty}"
            continue
        duty_id = duty.get("dutyID")
        label = f"{where} (dutyID {duty_id})" if isinstance(duty_id, (str, int)) and _encodable(str(duty_id)) \
            else where
        yield from _scalar(duty_id, f"{where}.dutyID")
        yield from _scalar(duty.get("dutyDetail"), f"{label}: dutyDetail")
        core = duty.get("isThisACoreDuty")
        if core is not None and not _is_flag(core):
            yield f"{label}: isThisACoreDuty is {_show(core)}: expected 0, 1, true or false"
        for key in ("mappedKnowledge", "mappedSkills", "mappedBehaviour", "mappedOptions"):
            refs = duty.get(key)
            if refs is None:
                continue
            if not isinstance(refs, list):
                yield f"{label}: {key} is {_show(refs)}: expected a list of ids"
                continue
            for i, ref in enumerate(refs):
                yield from _scalar(ref, f"{label}: {key}[{i}]")
    from nos_cli.interop.ifate import map_id_of

    name = f"{map_id_of(std)}.yaml"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        yield (f"referenceNumber and version make a file name of {len(name.encode('utf-8')):,} bytes, over the "
               f"{MAX_NAME_BYTES}-byte limit of file systems")


def _objects(std: dict[str, Any], key: str) -> Iterator[tuple[str, Any]]:
    """The objects of a list field, each with its JSON path; a wrong type is yielded as (path, message)."""
    value = std.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        yield key, f"is {_show(value)}: expected a list"
        return
    for i, item in enumerate(value):
        if item is None:
            continue
        if not isinstance(item, dict):
            yield f"{key}[{i}]", f"is {_show(item)}: expected an object"
            continue
        yield f"{key}[{i}]", item


def _scalar(value: Any, where: str) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, _SCALAR):
        yield f"{where} is {_show(value)}: expected text"
    elif isinstance(value, str) and not _encodable(value):
        at = next(i for i, ch in enumerate(value) if 0xD800 <= ord(ch) <= 0xDFFF)
        yield (f"{where} holds an unpaired surrogate (\\u{ord(value[at]):04x}) at character {at + 1}: "
               "not a character UTF-8 can write")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_flag(value: Any) -> bool:
    return flag(value) is not None


def flag(value: Any) -> bool | None:
    """``isThisACoreDuty`` as a boolean: true/false, 0/1 or their strings; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("0", "1", "true", "false"):
        return value.strip().lower() in ("1", "true")
    return None


def _show(value: Any) -> str:
    """A wrong value, short, on one line, whatever it holds."""
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value) if isinstance(value, str) else str(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= 40 else text[:37] + "..."
