"""Cells a spreadsheet would run as a formula, and how doanorg writes them as text.

A spreadsheet opening a CSV file, or a cell typed into a sheet, reads a text
that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a
carriage return before one) as a formula: a unit named
``=HYPERLINK("http://…","Bấm vào đây")`` would become a link, and worse
formulas reach other files. SPEC §9: every cell doanorg writes to CSV or xlsx
that begins with one of those characters and is not a number is written as
text. :func:`formula_like` is that rule, the one every writer asks.

How a cell is kept text:

- In xlsx, a formula-like text is written as a string cell with Excel's
  *quote prefix* style (what Excel itself does when one types ``'=x``): the
  cell holds the text as it is, shown and read back unchanged.
- In CSV, which has no styles, the text is written with one apostrophe
  before it (:func:`csv_text`): ``=HYPERLINK(...)`` is written
  ``'=HYPERLINK(...)``, which every spreadsheet shows as text. doanorg's CSV
  reader takes the apostrophe off again (:func:`read_csv_text`,
  :func:`read_csv_texts`), so that a file doanorg wrote reads back to the
  very texts it was written from. So that this holds for every text, one
  that already begins with an apostrophe followed by such a character or by
  another apostrophe is written with one apostrophe more; any other text
  beginning with an apostrophe (``'tis``) is written and read as it is.

Examples
--------
>>> formula_like("=HYPERLINK(1)"), formula_like("-3"), formula_like("-x"), formula_like("Chi đoàn")
(True, False, True, False)
>>> csv_text("=1+1"), read_csv_text(csv_text("=1+1"))
("'=1+1", '=1+1')
>>> csv_text("'=1"), read_csv_text("''=1")
("''=1", "'=1")
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from doanorg.core.metrics import number_text

__all__ = ["FORMULA_STARTS", "csv_text", "file_text", "formula_like", "read_csv_text",
           "read_csv_texts"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (SPEC §9)."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
"""A number as a spreadsheet reads one: ``-3``, ``+2.5``, ``-1e3``."""
_QUOTED = "'"
_CSV_PROTECTED = re.compile(r"'[=+\-@\t\r']")
"""A CSV cell whose first apostrophe doanorg's writer put there (:func:`csv_text`)."""


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula: it begins with one of
    :data:`FORMULA_STARTS` and is not a number.

    >>> [formula_like(t) for t in ("@x", "+84 912", "+84", "\\t=1", "", "1-2")]
    [True, True, False, True, False, False]
    """
    return text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None


def csv_text(text: str) -> str:
    """``text`` as doanorg writes it in a CSV cell: with an apostrophe before it when
    it is :func:`formula_like` (or when the reader would otherwise take an apostrophe
    of its own off); :func:`read_csv_text` gives ``text`` back.

    >>> csv_text("@sum"), csv_text("-5"), csv_text("'tis"), csv_text("''")
    ("'@sum", '-5', "'tis", "'''")
    """
    if formula_like(text) or _CSV_PROTECTED.match(text):
        return _QUOTED + text
    return text


def read_csv_text(cell: str) -> str:
    """The text a CSV cell written by :func:`csv_text` holds: its first apostrophe taken
    off where the writer put one (an apostrophe followed by a formula's first character
    or by another apostrophe); any other cell as it is.

    >>> read_csv_text("'=x"), read_csv_text("'tis"), read_csv_text("'")
    ('=x', "'tis", "'")
    """
    return cell[1:] if _CSV_PROTECTED.match(cell) else cell


def read_csv_texts(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`read_csv_text` of every cell of a column of texts, in C (the very same
    column when no cell begins with an apostrophe, as is usual).

    >>> read_csv_texts(pa.array(["'=x", "a", "'b"])).to_pylist()
    ['=x', 'a', "'b"]
    """
    if len(column) == 0 or not pc.any(pc.starts_with(column, _QUOTED)).as_py():
        return column
    protected = pc.match_substring_regex(column, r"^'[=+\-@\t\r']")
    return pc.if_else(protected, pc.utf8_slice_codeunits(column, 1), column)


def file_text(value: object) -> str | None:
    """A value as a file holds it: numbers as doanorg reads them back (``1e-05`` as
    ``0.00001``), true/false as ``true``/``false``, a text as it is; ``None`` stays
    ``None`` (no value).

    >>> file_text(3), file_text(1e-05), file_text(True), file_text("tot"), file_text(None)
    ('3', '0.00001', 'true', 'tot', None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)
