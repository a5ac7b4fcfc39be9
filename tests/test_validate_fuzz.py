"""Whatever bytes or YAML-ish text nos validate is given: no traceback, exit 0, 1 or 2, every problem placed."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nos_cli.cli.app import app

FRAGMENTS = ["nos_map: 1\n", "id: x\n", "- ", ": ", "[", "]", "{", "}", "&a ", "*a ", "!!python/object ", "\t",
             "---\n", "...\n", "ksbs:\n", "  - {id: K1, kind: knowledge, text: t}\n", "key_areas:\n", "no", "1.10",
             "'", '"', "#", "\n", "  ", "\x00", "\ufeff", "é", "\u200b", "? ", "|\n", ">-\n", "0000-01-01", "9" * 50]


def _run(data: bytes) -> None:
    result = CliRunner().invoke(app, ["validate", "--format", "json", "-"], input=data, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stdout
    if result.exit_code in (0, 1):
        doc = json.loads(result.stdout)
        for f in doc["files"]:
            for p in f["problems"]:
                assert p["line"] >= 1 and p["column"] >= 1 and p["rule"] and p["message"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _run(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=40))
def test_random_yaml_like_text(parts: list[str]) -> None:
    _run("".join(parts).encode("utf-8", "surrogatepass"))


BASE = {
    "nos_map": 1, "id": "m", "title": "T", "kind": "functional-map",
    "sources": [{"id": "s", "title": "S"}],
    "key_purpose": {"text": "p", "source": "s"},
    "key_areas": [{"id": "A", "title": "a", "source": "s",
                   "functions": [{"id": "F", "title": "f", "editorial": True, "ksbs": ["K1"],
                                  "elements": [{"id": "E", "title": "e", "source": "s"}]}]}],
    "ksbs": [{"id": "K1", "kind": "knowledge", "text": "k", "source": "s"}],
}
ANY = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                   lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                   max_leaves=6)


def _paths(value: object, path: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    out = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_value_in_any_field_of_a_map(data: st.DataObject) -> None:
    import copy

    import yaml

    doc = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(doc)))
        target = doc
        for part in path[:-1]:
            target = target[part]  # type: ignore[index]
        target[path[-1]] = data.draw(ANY)  # type: ignore[index]
    _run(yaml.safe_dump(doc).encode("utf-8"))
