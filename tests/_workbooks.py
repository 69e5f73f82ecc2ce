"""What the workbook tests share: a sheet written from rows, a template filled in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter

__all__ = ["fill", "write_sheet"]


def write_sheet(path: Path, rows: Sequence[Any], *, sheet: str = "Sheet1",
                start_row: int = 0) -> Path:
    """A workbook whose first sheet holds ``rows`` (from row ``start_row``, counted from
    0), each cell as its Python type (``None``: no cell); a second sheet that must not be
    read."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "strings_to_numbers": False})
    first = workbook.add_worksheet(sheet)
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for number, row in enumerate(rows, start=start_row):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                first.write_string(number, column, value)
            elif isinstance(value, dt.date):
                first.write_datetime(number, column, value, day)
            else:
                first.write(number, column, value)
    workbook.add_worksheet("other").write_string(0, 0, "not read")
    workbook.close()
    return path


def fill(template: Path, values: Mapping[str, Mapping[str, Any]], out: Path) -> Path:
    """``template`` filled in as a person would, with openpyxl: each unit's row gets
    ``values[unit][metric]`` in its metric's column; the rest is left as it is."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        given = values.get(str(row[0].value), {})
        for cell, name in zip(row, header, strict=True):
            if name in given and given[name] is not None:
                cell.value = given[name]
    workbook.save(out)
    return out
