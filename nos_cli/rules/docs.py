"""Where a rule's documentation is: its section of docs/validate.md, and the page's published address.

nos has no public home yet, so the address is ``DOCS_URL`` below, on the ``.invalid`` domain the project's
JSON Schema ids use too: set it here (one place) when the repository is published; SARIF viewers then link
each rule to its section (the section anchors are the rule ids, kept in step by tests/test_docs.py).
"""

from __future__ import annotations

DOCS_URL = "https://nos-cli.invalid/docs/validate.md"


def rule_url(rule_id: str) -> str:
    """The address of a rule's section: the page's URL and the rule id as the anchor."""
    return f"{DOCS_URL}#{rule_id}"
