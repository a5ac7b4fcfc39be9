"""Tables that fit the terminal, as kubectl and gh lay theirs out.

Id and number columns never wrap or break. When a table is wider than the terminal, the text column gives way
first (wrapped at words, then shortened to one line with "…"), then optional columns drop out in the order
their ``drop`` rank says. Off a terminal the console is unbounded (nos_cli/render/console.py), so nothing
wraps or is cut, whatever ``COLUMNS`` says: a pipe gets every cell whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table

GAP = 2  # the space between columns
WRAP_AT_LEAST = 24  # narrower than this, a wrapped text reads as a column of fragments: shorten it instead
SHORTEN_AT_LEAST = 20  # narrower than this, a shortened text says little: drop optional columns first


@dataclass(frozen=True)
class Column:
    header: str
    role: str = "id"  # "id" and "number" never wrap; "text" gives way first; optional columns have a drop rank
    drop: int = 0  # 0: always shown; otherwise columns drop out in rank order (1 first) when space runs out
    justify: str = "left"


class FittedTable:
    """A table laid out for the width of the console that prints it."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        self.columns = list(columns)
        self.rows = [list(r) for r in rows]

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield self.layout(options.max_width)

    def layout(self, width: int) -> Table:
        natural = [max([len(c.header), *(len(r[i]) for r in self.rows)]) for i, c in enumerate(self.columns)]
        shown = list(range(len(self.columns)))
        text_mode, per_text = "whole", 0
        for rank in [0, *sorted({c.drop for c in self.columns if c.drop})]:
            if rank:
                shown = [i for i in shown if self.columns[i].drop != rank]
            texts = [i for i in shown if self.columns[i].role == "text"]
            room = width - sum(natural[i] for i in shown if i not in texts) - GAP * (len(shown) - 1)
            per_text = room // max(len(texts), 1)
            if sum(natural[i] for i in texts) <= room:
                text_mode = "whole"
                break
            text_mode = "wrap" if per_text >= WRAP_AT_LEAST else "shorten"
            if per_text >= SHORTEN_AT_LEAST:
                break
        per_text = max(per_text, 1)
        table = Table(box=None, pad_edge=False, header_style="bold")
        for i in shown:
            c = self.columns[i]
            justify: Any = c.justify
            if c.role != "text" or text_mode == "whole":
                # an exact width, not a minimum: rich versions differ in how they share out spare room
                table.add_column(c.header, justify=justify, no_wrap=True, width=natural[i])
            elif text_mode == "wrap":
                table.add_column(c.header, justify=justify, overflow="fold", max_width=per_text)
            else:
                table.add_column(c.header, justify=justify, no_wrap=True, overflow="ellipsis", width=per_text)
        for r in self.rows:
            table.add_row(*(r[i] for i in shown))
        return table
