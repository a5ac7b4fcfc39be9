"""Hypothesis fuzzing of every reader through the commands that use it: maps (map show, show, matrix), mappings
(matrix --against, mapping review), role text, YAML and JSON (diff), IfATE JSON (import ifate). Whatever the
input: never an internal error or a traceback, only the documented exit codes, a refusal is one line on stderr,
and no file the user gave is changed. (nos validate has its own fuzzing in test_validate_fuzz.py.)
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nos_cli.cli.app import app
from tests.test_reliability import BASE_MAP, BASE_MAPPING, STANDARD

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANY = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=6),
                   lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                   max_leaves=8)
FRAGMENTS = ["- ", ": ", "[", "]", "{", "}", '"', "'", "#", "\n", "  ", "\t", "\x00", "\ufeff", "\ud800", "é",
             "text: ", "statements:\n", "1.10", "yes", "&a ", "*a ", "!!binary ", "9" * 30, "\r\n", "•", "1) "]
TEXTISH = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=10), max_size=30).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))
BYTES = st.binary(max_size=300) | TEXTISH


def _run(args: list[str], data: bytes | None = None, ok: tuple[int, ...] = (0, 1, 2)) -> Any:
    r = CliRunner().invoke(app, args, input=data, catch_exceptions=True)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in ok, (r.exit_code, r.stderr)
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    if r.exit_code == 2:
        assert r.stderr.startswith("nos: ") and r.stderr.count("\n") == 1, r.stderr
    return r


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _mutate(base: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    doc = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        target: Any = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = data.draw(ANY)
    return doc


def _in_folder(files: dict[str, bytes], check: Callable[[Path], None]) -> None:
    """Write the files to a fresh folder, run the check, and assert none of them was changed."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, content in files.items():
            (folder / name).write_bytes(content)
        check(folder)
        for name, content in files.items():
            assert (folder / name).read_bytes() == content, f"{name} was changed"


def _dump(doc: Any) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True).encode("utf-8", "surrogatepass")


@FUZZ
@given(st.data())
def test_maps_any_value_in_any_field(data: st.DataObject) -> None:
    content = _dump(_mutate(BASE_MAP, data))

    def check(folder: Path) -> None:
        path = str(folder / "typed.yaml")
        _run(["map", "show", path], ok=(0, 2))
        _run(["show", "K1", "--map", path], ok=(0, 1, 2))
        _run(["matrix", path], ok=(0, 2))

    _in_folder({"typed.yaml": content}, check)


@FUZZ
@given(BYTES)
def test_maps_any_bytes(content: bytes) -> None:
    _run(["map", "show", "-"], content, ok=(0, 2))
    _in_folder({"m.yaml": content}, lambda folder: _run(["search", "x", "--no-cache", "--map",
                                                         str(folder / "m.yaml")]))


@FUZZ
@given(st.data())
def test_mappings_any_value_in_any_field(data: st.DataObject) -> None:
    mapping = _dump(_mutate(BASE_MAPPING, data))

    def check(folder: Path) -> None:
        maps = ["--maps-dir", str(folder)]
        _run(["matrix", "typed", "--against", str(folder / "p.yaml"), *maps], ok=(0, 2))
        _run(["mapping", "review", str(folder / "p.yaml"), *maps], ok=(0, 1, 2))

    _in_folder({"typed.yaml": _dump(BASE_MAP), "p.yaml": mapping}, check)


@FUZZ
@given(BYTES)
def test_mappings_any_bytes(content: bytes) -> None:
    def check(folder: Path) -> None:
        maps = ["--maps-dir", str(folder)]
        _run(["matrix", "typed", "--against", str(folder / "p.yaml"), *maps], ok=(0, 2))
        _run(["mapping", "review", str(folder / "p.yaml"), *maps], ok=(0, 1, 2))

    _in_folder({"typed.yaml": _dump(BASE_MAP), "p.yaml": content}, check)


@FUZZ
@given(BYTES)
def test_role_any_bytes_on_stdin_and_as_text_yaml_json(content: bytes) -> None:
    _run(["diff", "-", "--format", "json"], content, ok=(0, 2))

    def check(folder: Path) -> None:
        for name in ("role.md", "role.yaml", "role.json"):
            _run(["diff", str(folder / name), "--format", "json"], ok=(0, 2))

    _in_folder({"role.md": content, "role.yaml": content, "role.json": content}, check)


@FUZZ
@given(st.lists(ANY, max_size=5) | st.dictionaries(st.text(max_size=6), ANY, max_size=4))
def test_role_lists_of_any_values(value: Any) -> None:
    text = json.dumps(value).encode()
    _in_folder({"role.json": text, "role.yaml": _dump(value)}, lambda folder: [
        _run(["diff", str(folder / name), "--format", "json"], ok=(0, 2)) for name in ("role.json", "role.yaml")])


@FUZZ
@given(st.data())
def test_ifate_any_value_in_any_field(data: st.DataObject) -> None:
    text = json.dumps(_mutate(STANDARD, data), allow_nan=True).encode("utf-8", "surrogatepass")

    def check(folder: Path) -> None:
        out = folder / "out"
        out.mkdir()
        _run(["import", "ifate", str(folder / "in.json"), "--out-dir", str(out)])

    _in_folder({"in.json": text}, check)


@FUZZ
@given(BYTES)
def test_ifate_any_bytes(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _run(["import", "ifate", "-", "--out-dir", tmp], content)
