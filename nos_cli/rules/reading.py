"""The rules that reading a file finds (nos_cli.maps.load: YAML hazards) and the structure check of the map format
(nos_cli.maps.format). Their problems are found where the file is read, so these rules have no check of their
own; they are declared here, as every other rule is declared in its module, so that every rule that can fire is
listed, documented and can be disabled or suppressed."""

from __future__ import annotations

from nos_cli.maps import format as schema
from nos_cli.maps import load as loader
from nos_cli.model import Level
from nos_cli.rules.base import Rule, rule

E, W = Level.ERROR, Level.WARNING

RULES: tuple[Rule, ...] = (
    rule(loader.RULE_SYNTAX, E, "the file is not valid YAML",
         "The YAML does not parse: an unclosed bracket or quote, bad indentation, a tab used for indentation, "
         "a character YAML does not allow. The position is where the parser gave up.", target="any"),
    rule(loader.RULE_DUPLICATE_KEY, E, "a key appears twice in one mapping",
         "YAML keeps only the last of two equal keys, silently. nos reports the second with the place of the "
         "first, and keeps the first.", target="any"),
    rule(loader.RULE_TAG, E, "a YAML tag such as !!python/object is used",
         "Tags can make unsafe loaders run code; maps hold only plain strings, numbers, lists and mappings. nos "
         "only ever uses a safe loader, and refuses any tag.", target="any"),
    rule(loader.RULE_ANCHOR, E, "a YAML anchor (&a) or alias (*a) is used",
         "Aliases let a 400-byte file expand to gigabytes (the 'billion laughs'). Maps never need them: write "
         "the value out. Aliases are never expanded.", target="any"),
    rule(loader.RULE_DEPTH, E, "the document nests deeper than 64 levels",
         "Maps nest about eight levels; very deep nesting is hostile or a mistake and can crash YAML parsers, "
         "so it is refused before parsing.", target="any"),
    rule(loader.RULE_ENCODING, E, "the file is not UTF-8",
         "Map files are UTF-8. Invalid bytes are reported at their line and column; UTF-16 and UTF-32 files are "
         "reported and read.", target="any"),
    rule(loader.RULE_BOM, W, "the file starts with a UTF-8 byte-order mark",
         "A byte-order mark is invisible in editors and trips other tools; save the file as UTF-8 without one.",
         target="any"),
    rule(loader.RULE_EMPTY, E, "the file is empty or holds only comments", "A map file must hold a map.",
         target="any"),
    rule(loader.RULE_DOCUMENTS, E, "the file holds more than one YAML document",
         "A map file holds exactly one document; a second one (after ---) would be ignored by most tools.",
         target="any"),
    rule(loader.RULE_SIZE, E, "the file is larger than the size limit",
         "Files over 64 MiB are refused unless the limit is raised with --max-size or NOS_MAX_FILE_SIZE.",
         target="any"),
    rule(loader.RULE_SCALAR, E, "a value YAML cannot construct",
         "A date such as 0000-01-01 or month 13, or a number too large to read.", target="any"),
    rule(loader.RULE_KEY, E, "a key is a list or mapping", "Keys are plain names.", target="any"),
    rule(schema.RULE_STRUCTURE, E, "a value does not have the form the format requires",
         "An id with spaces, a map kind or KSB kind that is not one of the allowed values."),
    rule(schema.RULE_TYPE, E, "a value has the wrong type", "A list where a string was expected, and so on."),
    rule(schema.RULE_UNKNOWN_KEY, E, "a key the format does not know",
         "Usually a typo; the message suggests the nearest known key."),
    rule(schema.RULE_REQUIRED, E, "a required key is missing",
         "Maps need nos_map, id, title, kind, sources and key_areas; nodes need id and title or text."),
    rule(schema.RULE_VERSION, E, "a format version this nos does not read", "This nos reads nos_map: 1."),
    rule(schema.RULE_IMPLICIT, E, "YAML 1.1 turned text into a boolean, number or null",
         "Unquoted yes, no, on, off become booleans, 1.10 becomes 1.1, 010 becomes 8. Quote the value to keep "
         "it as text."),
)
