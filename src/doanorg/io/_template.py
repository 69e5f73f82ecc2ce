"""The fill-in workbook (SPEC §9): one row a unit of a subtree, one column a metric.

:func:`write_template` writes it with xlsxwriter (the ``excel`` extra), which
writes the three things a fill-in sheet needs: unlocked cells in a protected
sheet, data validation, and drop-down lists.

The first sheet, ``Số liệu``, is a wide-form facts file (SPEC §2): a header
``Mã đơn vị, Tên đơn vị, Loại`` and then each metric of the plan by its id, in
the plan's order; below it one row a unit of the subtree, in tree order. The
unit's id, name and kind are locked, for the person filling it in to find
their row (the name and kind are not read back: :data:`~doanorg.io._csv.FOR_PEOPLE`);
only the metric cells are unlocked, and each column is validated by its
metric's type: a whole number ≥ 0 (``count``), a number ≥ 0 (``amount``),
``Có``/``Không`` (``flag``), one of the category's values (``category``, as a
drop-down). Selecting a cell shows the metric's label and what it takes. The
sheet is protected without a password: it guides, it does not lock anyone
out. A second sheet, ``Hướng dẫn``, lists the metrics with their labels,
types and values.

Filled in, the workbook is a facts file: :func:`doanorg.load_facts` reads it,
and a row left empty is a unit that did not report. Every text is written as
a string cell; one a spreadsheet would run as a formula
(:func:`~doanorg.core._cells.formula_like`) gets Excel's quote prefix, so it
stays text (SPEC §9).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from doanorg.core._cells import formula_like
from doanorg.core.metrics import Metric, MetricType
from doanorg.core.model import Org
from doanorg.core.rules import Plan
from doanorg.errors import DoanorgError, Problem
from doanorg.io._xlsx import EXCEL_EXTRA

__all__ = [
    "FIGURES_SHEET",
    "FLAG_CHOICES",
    "GUIDE_SHEET",
    "TEMPLATE_HEADER",
    "write_template",
    "xlsxwriter_module",
]

FIGURES_SHEET = "Số liệu"
"""The name of the template's first sheet, the one that is filled in and read back."""
GUIDE_SHEET = "Hướng dẫn"
"""The name of the sheet that explains the metrics."""
_LISTS_SHEET = "Danh mục"
"""A hidden sheet holding the values of a category too long for an inline list."""
TEMPLATE_HEADER = ("Mã đơn vị", "Tên đơn vị", "Loại")
"""The first columns of the figures sheet: the unit's id, name and kind."""
FLAG_CHOICES = ("Có", "Không")
"""What a flag's drop-down offers (read back as true and false)."""
_INLINE_LIST = 255
"""The longest list of values Excel keeps in a validation itself."""
_TYPE_WORDS = {
    MetricType.COUNT: "số nguyên ≥ 0 (whole number ≥ 0)",
    MetricType.AMOUNT: "số ≥ 0 (number ≥ 0)",
    MetricType.FLAG: "Có / Không",
    MetricType.CATEGORY: "một trong các giá trị (one of the values)",
}


def xlsxwriter_module() -> Any:
    """The xlsxwriter module, or the error naming the extra that installs it."""
    try:
        import xlsxwriter
    except ImportError:
        raise DoanorgError([Problem(
            f"writing a workbook needs the excel extra: {EXCEL_EXTRA}")]) from None
    return xlsxwriter


def write_template(org: Org, plan: Plan, path: str | Path, *, at: str | None = None) -> int:
    """Write the fill-in workbook for the subtree of ``at`` (default: the root) to
    ``path``; the number of unit rows written.

    Raises :class:`~doanorg.DoanorgError` when the ``excel`` extra is not installed,
    and :class:`~doanorg.UnknownUnit` when ``at`` is not in ``org``.
    """
    xlsxwriter = xlsxwriter_module()
    units = org.subtree(at if at is not None else org.root.id)
    metrics = list(plan.metrics.values())
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "strings_to_urls": False})
    try:
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                    "text_wrap": True, "valign": "top"})
        bold_text = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                         "text_wrap": True, "valign": "top",
                                         "quote_prefix": True})
        locked = workbook.add_format({"bg_color": "#F2F2F2"})
        locked_text = workbook.add_format({"bg_color": "#F2F2F2", "quote_prefix": True})
        unlocked = workbook.add_format({"locked": False, "border": 1, "border_color": "#BFBFBF"})
        texts = {False: locked, True: locked_text}
        headings = {False: bold, True: bold_text}

        sheet = workbook.add_worksheet(FIGURES_SHEET)
        header = [*TEMPLATE_HEADER, *(metric.id for metric in metrics)]
        for column, name in enumerate(header):
            sheet.write_string(0, column, name, headings[formula_like(name)])
        for row, unit in enumerate(units, start=1):
            for column, text in enumerate((unit.id, unit.name, unit.kind)):
                sheet.write_string(row, column, text, texts[formula_like(text)])
            for column in range(len(TEMPLATE_HEADER), len(header)):
                sheet.write_blank(row, column, None, unlocked)
        last = len(units)
        lists = _Lists(workbook, texts[False], texts[True])
        for offset, metric in enumerate(metrics):
            column = len(TEMPLATE_HEADER) + offset
            if last:
                sheet.data_validation(1, column, last, column, _validation(metric, lists))
            sheet.set_column(column, column, max(12, min(len(metric.id) + 2, 30)))
        sheet.set_column(0, 0, max(12, min(max(len(unit.id) for unit in units) + 2, 30)))
        sheet.set_column(1, 1, 45)
        sheet.set_column(2, 2, 16)
        sheet.freeze_panes(1, 1)
        sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True,
                           "format_columns": True, "format_rows": True})
        _guide(workbook, plan, metrics, org, units[0].id, headings, texts)
        lists.hide()
    finally:
        workbook.close()
    return len(units)


class _Lists:
    """The hidden sheet of category values too long for an inline list, made when the
    first one is written."""

    def __init__(self, workbook: Any, plain: Any, quoted: Any) -> None:
        self.workbook, self.formats = workbook, {False: plain, True: quoted}
        self.sheet: Any = None
        self.columns = 0

    def range_of(self, values: Sequence[str]) -> str:
        if self.sheet is None:
            self.sheet = self.workbook.add_worksheet(_LISTS_SHEET)
        column = self.columns
        self.columns += 1
        for row, value in enumerate(values):
            self.sheet.write_string(row, column, value, self.formats[formula_like(value)])
        letters = _column_letters(column)
        return f"='{_LISTS_SHEET}'!${letters}$1:${letters}${len(values)}"

    def hide(self) -> None:
        if self.sheet is not None:
            self.sheet.hide()


def _column_letters(column: int) -> str:
    """A column's letters as a spreadsheet names it (0 is ``A``, 26 ``AA``)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _validation(metric: Metric, lists: _Lists) -> dict[str, Any]:
    """The data validation of a metric's column."""
    words = _TYPE_WORDS[metric.type]
    common = {
        "input_title": metric.id[:32],
        "input_message": (f"{metric.label}\n{words}" if metric.label else words)[:255],
        "error_title": metric.id[:32],
        "error_message": f"{metric.id}: {words}"[:255],
        "ignore_blank": True,
    }
    if metric.type is MetricType.COUNT:
        return {"validate": "integer", "criteria": ">=", "value": 0, **common}
    if metric.type is MetricType.AMOUNT:
        return {"validate": "decimal", "criteria": ">=", "value": 0, **common}
    values = list(FLAG_CHOICES) if metric.type is MetricType.FLAG else list(metric.values)
    inline = ",".join(values)
    if len(inline) <= _INLINE_LIST and not any(
            "," in value or '"' in value for value in values):
        return {"validate": "list", "source": values, **common}
    return {"validate": "list", "source": lists.range_of(values), **common}


def _guide(workbook: Any, plan: Plan, metrics: list[Metric], org: Org, at: str,
           headings: dict[bool, Any], texts: dict[bool, Any]) -> None:
    """The sheet that explains the plan's metrics."""
    sheet = workbook.add_worksheet(GUIDE_SHEET)
    rows: list[tuple[str, ...]] = [
        ("Kế hoạch", plan.id, plan.title),
        ("Đơn vị", at, org[at].name),
        (),
        ("Chỉ tiêu", "Nội dung", "Kiểu", "Giá trị"),
    ]
    rows += [(metric.id, metric.label, _TYPE_WORDS[metric.type],
              ", ".join(FLAG_CHOICES if metric.type is MetricType.FLAG else metric.values))
             for metric in metrics]
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            style = headings if (row in (0, 1, 3) and column == 0) or row == 3 else texts
            sheet.write_string(row, column, text, style[formula_like(text)])
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 3, 30)
