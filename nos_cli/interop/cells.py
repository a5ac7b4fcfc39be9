"""Spreadsheet-safe cells and rows, shared by every CSV and TSV writer (no rich here)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from nos_cli.textsafe import COMMAND_STARTS, Shown, shown

#: OWASP's list for CSV injection: a cell starting with one of these may be run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet starts a new line of a cell at CR, LF or CRLF; each line is checked on its own, because
# "Keep records\r=cmd|' /C calc'!A0" begins a formula wherever the cell's line break is read as a row break.
_LINE = re.compile(r"\r\n|\r|\n")


def safe_cell(value: object) -> str:
    """A spreadsheet-safe cell: control characters other than tab and line breaks shown (``\\x1b``), and
    every line of the cell that a spreadsheet would run as a formula (or a CI log read as a ``::`` or ``##[``
    workflow command) given a leading quote. Line breaks stay; :func:`delimited` quotes the cells that hold them."""
    text = shown("" if value is None else value, keep="\t\r\n")
    parts = _LINE.split(text)
    if len(parts) == 1:
        return _neutral(text)
    breaks = _LINE.findall(text)
    out = [_neutral(parts[0])]
    for brk, part in zip(breaks, parts[1:], strict=True):
        out += [brk, _neutral(part)]
    cell = "".join(out)
    return "'" + cell if cell.startswith(FORMULA_START) else cell  # "\r=..." read unquoted by a lax reader


def _neutral(line: str) -> str:
    return "'" + line if line.startswith(FORMULA_START) or line.lstrip().startswith(COMMAND_STARTS) else line


def delimited(rows: Iterable[Sequence[object]], delimiter: str = ",") -> Shown:
    """Rows as CSV (or TSV) text, every cell through :func:`safe_cell`. A cell holding the delimiter, a
    quote, CR or LF is quoted (Python's csv module leaves a lone CR unquoted when lines end in LF, and a
    spreadsheet then starts a new row there)."""
    out = []
    for row in rows:
        cells = []
        for value in row:
            cell = safe_cell(value)
            if delimiter in cell or '"' in cell or "\r" in cell or "\n" in cell:
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        if cells == [""]:
            cells = ['""']  # a row of one empty cell is not an empty line (as Python's csv writes it)
        out.append(delimiter.join(cells) + "\n")
    return Shown("".join(out))
