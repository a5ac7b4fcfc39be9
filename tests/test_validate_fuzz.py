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
