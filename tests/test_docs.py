"""Every command has help text with an example and a section in the README (sqlite-utils' test_docs idea)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from nos_cli.cli.app import app
from tests.conftest import ROOT

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if hasattr(cmd, "commands"):
            out += _commands(cmd, path + " ")
        else:
            out.append((path, cmd))
    return out


COMMANDS = _commands(typer.main.get_command(app))


def test_there_are_commands() -> None:
    assert {"map list", "map show", "show"} <= {name for name, _ in COMMANDS}


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_with_an_example(name: str, cmd: Any) -> None:
    assert cmd.help and "Example: nos " in cmd.help, f"nos {name} needs a docstring ending with an example"


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_command_is_in_the_readme_tour(name: str) -> None:
    assert f"### `nos {name}" in README, f"README.md has no section for nos {name}"


def test_validate_rule_table_is_current() -> None:
    from nos_cli.render.validate import rules_markdown

    page = (Path(__file__).resolve().parent.parent / "docs" / "validate.md").read_text(encoding="utf-8")
    begin = page.index("-->\n", page.index("<!-- rules:begin")) + 4
    assert page[begin:page.index("<!-- rules:end")] == rules_markdown()


def test_architecture_names_every_module() -> None:
    """docs/architecture.md names every module of the package (in a table row, as a path or a rule's name)."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path in sorted((ROOT / "nos_cli").rglob("*.py")):
        rel = path.relative_to(ROOT / "nos_cli")
        package = rel.parts[0] if len(rel.parts) > 1 else ""
        names = {f"nos_cli/{rel.as_posix()}", f"{rel.as_posix()}", f"`{path.name}`", f"`{path.stem}`"}
        if path.name == "__init__.py":
            names = {f"nos_cli/{package}/", f"`nos_cli/{package}/`", f"{package}/__init__.py", "nos_cli/__init__.py"}
            if not package:
                names = {"nos_cli/__init__.py"}
        if not any(n in page for n in names):
            missing.append(rel.as_posix())
    assert not missing, f"docs/architecture.md does not name: {', '.join(missing)}"
