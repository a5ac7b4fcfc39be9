"""Output formats are declared once: the CLI's --format choices and help come from the registries, and every
entry names a renderer that exists. A new format is one function and one registry entry."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
import typer
import typer.main

from nos_cli.cli.app import app
from nos_cli.render.registry import ALL, Formats
from tests.conftest import run_cli

#: The command each registry serves, as typed on the command line.
COMMANDS = {"map show": ("map", "show"), "map list": ("map", "list"), "show": ("show",), "validate": ("validate",),
            "rule": ("rule",), "matrix": ("matrix",), "mapping review": ("mapping", "review"), "diff": ("diff",),
            "export": ("export",), "compare": ("compare",)}


def _command(words: tuple[str, ...]) -> Any:
    cmd: Any = typer.main.get_command(app)
    ctx = typer.Context(cmd)
    for word in words:
        found = cmd.get_command(ctx, word)
        assert found is not None, words
        cmd = found
    return cmd


@pytest.mark.parametrize("formats", ALL, ids=[f.command for f in ALL])
def test_every_entry_names_a_renderer(formats: Formats) -> None:
    for name in formats:
        renderer = formats.renderer(name)
        assert callable(renderer), (formats.command, name)
        assert inspect.signature(renderer).parameters, (formats.command, name)


@pytest.mark.parametrize("formats", ALL, ids=[f.command for f in ALL])
def test_format_option_is_the_registry(formats: Formats) -> None:
    option = next(p for p in _command(COMMANDS[formats.command]).params if p.name == "fmt")
    listed = re.findall(r"(?:^|; )([a-z-]+):", option.help or "")
    assert [n for n in listed if n != "auto"] == list(formats)
    if formats.command != "validate":
        assert option.default == formats.default


def test_an_unknown_format_lists_the_registry() -> None:
    r = run_cli("matrix", "--format", "nope")
    assert r.exit_code == 2
    assert "'nope' is not one of table, csv, tsv, markdown, json, html" in r.stderr


def test_every_registry_serves_a_command() -> None:
    assert {f.command for f in ALL} == set(COMMANDS)
