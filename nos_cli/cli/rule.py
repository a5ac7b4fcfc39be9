"""``nos rule``: one validation rule's documentation, as ``ruff rule`` prints one of ruff's."""

import sys
from typing import Annotated

import typer

from nos_cli.cli.options import check_choice


def rule(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id, as nos validate prints it.")],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")] = "text",
) -> None:
    """Print a validation rule's documentation: what it finds, why, its level, and how to silence it.

    Exit 0, or 2 for a rule nos does not have. Every rule: nos validate --list-rules.

    Example: nos rule near-duplicate
    """
    check_choice(fmt, ("text", "json"), "--format")
    from nos_cli.rules import REGISTRY

    found = REGISTRY.get(rule_id)
    if found is None:
        from difflib import get_close_matches

        close = get_close_matches(rule_id, list(REGISTRY), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise typer.BadParameter(f"no rule {rule_id!r}{hint}; see nos validate --list-rules", param_hint="RULE")
    from nos_cli.render.validate import rule_json, rule_text

    sys.stdout.write((rule_json if fmt == "json" else rule_text)(found))


def register(app: typer.Typer) -> None:
    app.command("rule")(rule)
