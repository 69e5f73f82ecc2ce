"""Reading a sheet of an Excel workbook (``.xlsx``) into a table of text cells.

The ``excel`` extra (``pip install 'doanorg[excel]'``) brings the reader,
python-calamine: Rust's calamine, which reads a sheet several times faster
than openpyxl (a 20,000-row sheet in a tenth of a second here) and is kept up
with every Excel release by an active project. Without the extra, reading a
workbook raises the loader's error naming the command that installs it.

The first sheet is read (SPEC §9), from its cell A1: its first row that
holds more than blank cells is the header, and each row below it one row of
the table, numbered as the spreadsheet numbers it (for messages); rows of
blank cells are skipped. Every cell becomes the text a CSV file would hold:
a number as :func:`~doanorg.core.metrics.number_text` writes it (a whole
number without ``.0``), true/false as ``true``/``false``, a date as
``2020-01-31``, a text as it is. The table then goes through the very same
checks as a CSV file's (:mod:`doanorg.io._csv`), and each problem names the
file, the sheet and the row (:func:`~doanorg.io._table.in_rows`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doanorg.core._texts import SPACE
from doanorg.core.metrics import number_text
from doanorg.core.model import normalise
from doanorg.errors import DoanorgError, Problem
from doanorg.io._table import Table, check_header, number_texts

__all__ = ["EXCEL_EXTRA", "WORKBOOK_SUFFIXES", "is_workbook", "read_sheet"]

EXCEL_EXTRA = "pip install 'doanorg[excel]'"
"""The command that installs what reading and writing workbooks needs."""
WORKBOOK_SUFFIXES = (".xlsx",)
"""The file names read as workbooks (compared in lower case)."""


def is_workbook(path: str | Path) -> bool:
    """Whether ``path`` names a workbook (by its suffix)."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def read_sheet(path: str | Path, error: type[DoanorgError], problems: list[Problem],
               key: tuple[str, ...] = ()) -> tuple[Table, str]:
    """The first sheet of the workbook at ``path`` as a table, and the sheet's name.

    Lines of the table are the sheet's row numbers. Problems that leave the rows
    readable (a row wider than the header, a column named twice) are added to
    ``problems``; the others raise ``error`` at once. ``key`` names the columns that
    name a row's unit, for messages.
    """
    shown = str(path)
    try:
        import python_calamine
    except ImportError:
        raise error([Problem(f"reading a workbook needs the excel extra: {EXCEL_EXTRA}",
                             file=shown)]) from None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise error([Problem("the workbook has no sheet", file=shown)])
        sheet = workbook.get_sheet_by_index(0)
        rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
    except OSError as exc:
        raise error([Problem(f"cannot read the file: {exc.strerror or exc}",
                             file=shown)]) from None
    except python_calamine.CalamineError as exc:
        raise error([Problem(f"not a workbook doanorg can read: {exc}", file=shown)]) from None
    name = str(names[0])
    start = next((index for index, row in enumerate(rows)
                  if any(_text(cell).strip() for cell in row)), None)
    if start is None:
        raise error([Problem(f"sheet {name!r} is empty: it needs a header row", file=shown)])
    cells = [_text(cell) for cell in rows[start]]
    width = max(index + 1 for index, cell in enumerate(cells) if cell.strip())
    header = tuple(normalise(cell) for cell in cells[:width])
    header_line = start + 1
    check_header(header, shown, problems, header_line)
    body = rows[start + 1:]
    span = max(width, max(map(len, body), default=0))
    if any(len(row) != span for row in body):  # (a sheet is read as a rectangle, as a rule)
        body = [[*row, *[""] * (span - len(row))] for row in body]
    texts = [_texts(column) for column in zip(*body, strict=True)] if body else []
    texts += [pa.array([""] * len(body), pa.string())] * (width - len(texts))
    filled = [~np.asarray(pc.equal(pc.utf8_trim(column, SPACE), ""), dtype=bool)
              for column in texts]
    kept = np.logical_or.reduce(filled) if filled else np.zeros(0, dtype=bool)
    numbers = np.flatnonzero(kept).astype(np.int64) + start + 2
    at = {column: index for index, column in reversed(list(enumerate(header)))}
    key_index = next((at[column] for column in key if column in at), None)
    if span > width:  # cells to the right of the header
        beyond = np.logical_or.reduce(filled[width:]) & kept
        for row in np.flatnonzero(beyond).tolist():
            wide = max(index + 1 for index in range(span) if filled[index][row])
            unit = normalise(texts[key_index][row].as_py()) if key_index is not None else ""
            named = f"unit {unit!r}: " if unit else ""
            problems.append(Problem(
                f"{named}the row has cells in {wide} columns but the header has {width}",
                file=shown, line=start + 2 + row, unit=unit or None))
    mask = pa.array(kept)
    columns = {column: pa.chunked_array([texts[index].filter(mask)], pa.string())
               for column, index in at.items()}
    return Table(shown, header, columns, numbers, header_line), name


def _texts(cells: Sequence[Any]) -> pa.Array:
    """A column of cells as texts (:func:`_text`), the usual columns at C speed: all
    texts, or numbers with empty cells."""
    kinds = set(map(type, cells))
    if kinds <= {str}:
        return pa.array(cells, pa.string())
    if kinds <= {float, str} and all(cell == "" for cell in cells if type(cell) is str):
        return number_texts(np.array([cell if type(cell) is float else np.nan
                                      for cell in cells], dtype=np.float64))
    return pa.array(list(map(_text, cells)), pa.string())


def _text(cell: Any) -> str:
    """A cell as the text a CSV file would hold (see the module's docstring)."""
    if type(cell) is str:
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return number_text(cell)
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, dt.datetime):
        return (cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat())
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return "" if cell is None else str(cell)
