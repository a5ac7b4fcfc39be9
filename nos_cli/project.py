"""Project settings: the ``[tool.nos]`` table of a ``pyproject.toml``, or the top level of a ``nos.toml``.

Found the way ruff finds its configuration: walking up from the file being checked (or the current folder)
to the first folder holding a ``nos.toml``, or a ``pyproject.toml`` with a ``[tool.nos]`` table. A
``pyproject.toml`` without that table is passed over. Paths in the settings are relative to the settings file.

```toml
[tool.nos]
maps-dirs = ["maps"]          # where this repository's maps are: mappings resolve their map: id here first
paths = ["maps", "mappings"]  # what `nos validate` checks when given no path
disable = ["near-duplicate"]  # rules turned off (as --disable)
enable = []                   # when not empty: only these rules run
strict = true                 # warnings fail too (as --strict)
```

Every failure is a one-line :class:`NosError` (exit 2) naming the settings file, and its line where it can.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nos_cli.errors import NosError

SETTINGS_FILE = "nos.toml"
PYPROJECT = "pyproject.toml"
KEYS = ("maps-dirs", "paths", "disable", "enable", "strict")


@dataclass(frozen=True)
class Settings:
    """The settings that apply to one folder; ``source`` is None when no settings file was found."""

    source: Path | None = None
    maps_dirs: tuple[Path, ...] = ()
    paths: tuple[Path, ...] = ()
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] | None = None
    strict: bool | None = None

    def rule_off(self, rule_id: str) -> bool:
        """True when these settings turn the rule off."""
        return rule_id in self.disable or (self.enable is not None and rule_id not in self.enable)


NO_SETTINGS = Settings()


def settings_for(path: str | Path) -> Settings:
    """The settings nearest a file or folder (walking up its folders), or :data:`NO_SETTINGS`."""
    start = Path(path).absolute()
    folder = start if start.is_dir() else start.parent
    return _settings_in(folder)


def _settings_in(folder: Path) -> Settings:
    # Walked afresh each time (two stat calls a folder); only parsing is cached, keyed by the file's state,
    # so a settings file written or edited during a long process is never read stale.
    while True:
        own = _read_folder(folder)
        if own is not None:
            return own
        if folder.parent == folder:
            return NO_SETTINGS
        folder = folder.parent


def _read_folder(folder: Path) -> Settings | None:
    for name in (SETTINGS_FILE, PYPROJECT):
        candidate = folder / name
        try:
            st = candidate.stat()
        except OSError:
            continue
        found = _parsed(candidate, st.st_mtime_ns, st.st_size)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=64)
def _parsed(path: Path, mtime_ns: int, size: int) -> Settings | None:
    text, document = _load(path)
    if path.name == SETTINGS_FILE:
        return _parse(path, text, document, "")
    table = document.get("tool", {})
    if isinstance(table, dict) and isinstance(table.get("nos"), dict):
        return _parse(path, text, table["nos"], "[tool.nos] ")
    return None  # a pyproject.toml without [tool.nos] is passed over, as ruff passes one without [tool.ruff]


def _load(path: Path) -> tuple[str, dict[str, Any]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport (a dependency there only)
        import tomli as tomllib
    from nos_cli.files.read import decode_text, read_limited

    # Through the one reader: a settings file that is a FIFO or a device is refused, not waited on.
    name, data = read_limited(path, max_bytes=16 * 1024 * 1024, what="the settings file")
    text = decode_text(data, name)
    try:
        table: dict[str, Any] = tomllib.loads(text)
        return text, table
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        place = f"{where.group(1)}:{where.group(2)}:" if where else ""
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise NosError(f"{path}:{place} invalid TOML: {reason}") from None


def _parse(path: Path, text: str, table: dict[str, Any], prefix: str) -> Settings:
    from nos_cli.rules import REGISTRY

    def fail(key: str, message: str) -> NosError:
        return NosError(f"{path}:{_line_of(text, key, bool(prefix))}: {prefix}{message}")

    for key in table:
        if key not in KEYS:
            raise fail(key, f"unknown setting {key!r} (known: {', '.join(KEYS)})")
    base = path.parent

    def strings(key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, f"{key} must be a list of strings")
        return list(value)

    def rules(key: str) -> frozenset[str]:
        ids = strings(key)
        unknown = [r for r in ids if r not in REGISTRY]
        if unknown:
            raise fail(key, f"{key}: no rule {', '.join(map(repr, unknown))}; see nos validate --list-rules")
        return frozenset(ids)

    def folders(key: str) -> tuple[Path, ...]:
        out = tuple(base / p for p in strings(key))
        for p in out:
            if not p.exists():
                raise fail(key, f"{key}: {p} does not exist")
        return out

    strict = table.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise fail("strict", "strict must be true or false")
    maps_dirs = folders("maps-dirs")
    for p in maps_dirs:
        if not p.is_dir():
            raise fail("maps-dirs", f"maps-dirs: {p} is not a folder")
    enable = rules("enable") if "enable" in table else None
    return Settings(path, maps_dirs, folders("paths"), rules("disable"), enable or None, strict)


def _line_of(text: str, key: str, in_table: bool) -> str:
    """The line a key is set on, as ``N:1`` (tomllib keeps no positions; the key's first setting is found,
    after the ``[tool.nos]`` header when the settings are that table of a pyproject.toml)."""
    header = re.search(r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*nos[ \t]*\]", text, re.M) if in_table else None
    start = header.end() if header else 0
    match = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.M).search(text, start)
    return f"{text.count(chr(10), 0, match.start()) + 1}:1" if match else "1:1"
