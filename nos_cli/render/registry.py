"""Every command's output formats, declared once: the CLI builds its ``--format`` choices and help from these
registries, and calls the renderer an entry names.

An entry names its renderer as ``"module:function"`` and the module is imported only when that format is
chosen, so ``nos --help`` and a command's start-up do not pay for rich or the renderers' own imports (see
docs/performance.md). Adding a format is one function in a renderer module and one entry here;
tests/test_registry.py holds every entry to a callable and every command's help to its registry.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Format:
    """One output format: the renderer that makes it and how ``--help`` describes it."""

    target: str  # "package.module:function"
    summary: str

    def load(self) -> Callable[..., Any]:
        module, _, name = self.target.partition(":")
        found: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return found


class Formats(Mapping[str, Format]):
    """The formats of one command, in the order ``--help`` lists them; the first is the default."""

    def __init__(self, command: str, entries: dict[str, Format]) -> None:
        self.command = command
        self._entries = entries

    def __getitem__(self, name: str) -> Format:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def default(self) -> str:
        return next(iter(self._entries))

    def help(self) -> str:
        """The ``--format`` help text: every name with its summary."""
        return "; ".join(f"{name}: {f.summary}" for name, f in self._entries.items()) + "."

    def renderer(self, name: str) -> Callable[..., Any]:
        return self._entries[name].load()


def _formats(command: str, module: str, **entries: tuple[str, str]) -> Formats:
    """A registry whose renderers live in ``module`` unless an entry names ``other.module:function``:
    ``name=(function, summary)``."""
    return Formats(command, {name: Format(fn if ":" in fn else f"{module}:{fn}", summary)
                             for name, (fn, summary) in entries.items()})


MAP_SHOW = _formats(
    "map show", "nos_cli.render.maps",
    tree=("tree", "a tree on the terminal"),
    json=("as_json", "nos's versioned JSON document"),
    yaml=("as_yaml", "the map file's own shape"),
    markdown=("as_markdown", "headings and lists to paste into documents"),
    mermaid=("as_mermaid", "a Mermaid flowchart"),
    dot=("as_dot", "Graphviz DOT (nos map show -f dot | dot -Tsvg)"),
    html=("as_html", "one self-contained web page to browse, search and print"),
)
MAP_LIST = _formats(
    "map list", "nos_cli.render.maps",
    table=("list_table", "a table on the terminal"),
    json=("list_json", "a JSON document"),
    tsv=("list_tsv", "tab-separated values with a header line"),
)
NODE = _formats(
    "show", "nos_cli.render.node",
    text=("views_text", "each node in full on the terminal, one after another"),
    json=("views_json", "a JSON document (several nodes: one document with a list)"),
)
VALIDATE = _formats(
    "validate", "nos_cli.render.validate",
    text=("text", "path:line:col: level [rule] message, with the source line"),
    concise=("concise", "one line a problem"),
    github=("github", "GitHub Actions workflow annotations"),
    json=("as_json", "a versioned JSON document"),
    sarif=("sarif", "SARIF 2.1.0 for code-scanning tools"),
    junit=("junit", "JUnit XML for CI test reports"),
)
RULE = _formats(
    "rule", "nos_cli.render.validate",
    text=("rule_text", "the rule's documentation and how to silence it"),
    json=("rule_json", "a JSON document"),
)
MATRIX = _formats(
    "matrix", "nos_cli.render.matrix",
    table=("as_table", "a table on the terminal, in column slices that fit"),
    csv=("as_csv", "comma-separated values, safe for spreadsheets"),
    tsv=("as_tsv", "tab-separated values"),
    markdown=("as_markdown", "a Markdown table"),
    json=("as_json", "a versioned JSON document"),
    html=("as_html", "a self-contained HTML heat map that prints whole"),
)
REVIEW = _formats(
    "mapping review", "nos_cli.render.matrix",
    text=("review_text", "the suspect, unchecked and unknown links"),
    json=("review_json", "a JSON document"),
)
DIFF = _formats(
    "diff", "nos_cli.render.diff",
    text=("text", "the report on the terminal"),
    json=("as_json", "a versioned JSON document"),
    markdown=("as_markdown", "a Markdown report"),
)
EXPORT = _formats(
    "export", "nos_cli.interop.export",
    json=("nos_cli.render.maps:as_json", "nos's JSON document, as nos map show --format json"),
    case=("nos_cli.interop.case:as_case", "1EdTech CASE 1.0 JSON for competency-framework servers"),
    csv=("as_csv", "one row per node, safe for spreadsheets"),
    graphml=("nos_cli.maps.graph:graphml", "GraphML for Gephi and yEd"),
)
COMPARE = _formats(
    "compare", "nos_cli.render.compare",
    text=("text", "a word diff on the terminal"),
    json=("as_json", "a versioned JSON document"),
    markdown=("as_markdown", "a Markdown report"),
)

#: Every registry, for the tests that hold the CLI to them.
ALL: tuple[Formats, ...] = (MAP_SHOW, MAP_LIST, NODE, VALIDATE, RULE, MATRIX, REVIEW, DIFF, EXPORT, COMPARE)
