"""``nos rule``: one validation rule's documentation, as ``ruff rule`` prints one of ruff's."""

import sys
from typing import Annotated

import typer

from nos_cli.cli.options import check_format, format_option
from nos_cli.render.registry import RULE


def rule(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id, as nos validate prints it.")],
    fmt: Annotated[str, format_option(RULE)] = RULE.default,
) -> None:
    """Print a validation rule's documentation: what it finds, why, its level, and how to silence it.

    Exit 0, or 2 for a rule nos does not have. Every rule: nos validate --list-rules.

    Example: nos rule near-duplicate
    """
    check_format(fmt, RULE)
    from nos_cli.rules import REGISTRY

    found = REGISTRY.get(rule_id)
    if found is None:
        from nos_cli.suggest import did_you_mean

        raise typer.BadParameter(f"no rule {rule_id!r}{did_you_mean(rule_id, REGISTRY)}; see nos validate "
                                 "--list-rules", param_hint="RULE")
    sys.stdout.write(RULE.renderer(fmt)(found))


def register(app: typer.Typer) -> None:
    app.command("rule")(rule)
