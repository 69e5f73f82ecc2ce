"""The report as an Excel workbook (``--format xlsx``, SPEC §9), with the ``excel`` extra.

The workbook holds a summary sheet, then one sheet per target, in plan order,
then (when some unit did not report) a sheet of those units:

- the summary sheet: the plan, the unit assessed, the verdict, and a table of
  the targets: id, the plan's own words, status, observed and required figures
  (numbers, shown as percentages where they are shares or ratios), the
  condition and, for ``each`` targets, the units selected, passing and failing;
- a target's sheet: its words and figures, then its failing units in tree
  order, each with its id, name, value, shortfall and whether it reported.

Headings and status words are the catalogue's (:mod:`doanorg.core._catalogue`),
Vietnamese by default. Numbers are written as numbers (``write_number``), so
that the office can add them up; every text is written as text
(``write_string``), and one that a spreadsheet would run as a formula with
Excel's quote prefix besides, so that no cell runs as a formula, whatever a
unit's name begins with (SPEC §9). :class:`Sheet` and :func:`open_workbook`
serve the workbook of scores too (:mod:`doanorg.io._xlsx_scores`). The sheet is
written by xlsxwriter; a file is written to the path given (the command line
writes to a temporary file and renames it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from doanorg.core._catalogue import DEFAULT_LANG, Catalogue, catalogue
from doanorg.core._cells import formula_like
from doanorg.core._render import (
    as_of_text,
    condition_text,
    figures,
    pace_text,
    status_text,
    stretch_text,
    verdict,
)
from doanorg.core.report import Report, TargetResult
from doanorg.io._template import xlsxwriter_module

__all__ = ["EXCEL_ROWS", "Sheet", "open_workbook", "sheet_name", "write_report_xlsx"]

EXCEL_ROWS = 1_048_576
"""The rows of a worksheet: a target failed by more units lists the first ones and says
how many more the JSON report holds."""
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def sheet_name(target: str, taken: set[str]) -> str:
    """A sheet name for a target: its id without the characters Excel refuses, at most 31
    characters, unique regardless of case."""
    base = (_SHEET_NAME.sub("_", target).strip("'") or "_")[:31]
    name, number = base, 1
    while name.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


_STYLES: dict[str, dict[str, object]] = {
    "": {},
    "title": {"bold": True, "font_size": 13},
    "bold": {"bold": True},
    "head": {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
             "valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "good": {"font_color": "#1B7A3A", "bold": True},
    "bad": {"font_color": "#B3261E", "bold": True},
    "percent": {"num_format": "0.0%"},
    "number": {"num_format": "#,##0.##"},
}
"""The styles of doanorg's workbooks (reports and scores), by name."""


def open_workbook(path: Path | str) -> tuple[Any, dict[tuple[str, bool], Any]]:
    """A new workbook at ``path`` that writes no text as a formula or a link, with each of
    the styles of :data:`_STYLES` twice: as it is, and with Excel's quote prefix (for a
    text a spreadsheet would run as a formula). Needs the ``excel`` extra."""
    workbook = xlsxwriter_module().Workbook(str(path), {"constant_memory": True,
                                                  "strings_to_formulas": False,
                                                  "strings_to_urls": False})
    formats = {(name, quoted): workbook.add_format({**style, "quote_prefix": True}
                                                   if quoted else style)
               for name, style in _STYLES.items() for quoted in (False, True)}
    formats["", False] = None
    return workbook, formats


class Sheet:
    """One worksheet written row by row: numbers as numbers, texts as strings, a text a
    spreadsheet would run as a formula (:func:`~doanorg.core._cells.formula_like`) with
    the quote prefix besides, as the fill-in template writes it (SPEC §9)."""

    def __init__(self, worksheet: Any, formats: dict[tuple[str, bool], Any]) -> None:
        self.worksheet, self.formats, self.row = worksheet, formats, 0

    def cell(self, column: int, value: object, style: str | None = None) -> None:
        sheet = self.worksheet
        if value is None or value == "":
            return
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(self.row, column, value, self.formats[style or "", False])
        else:
            text = str(value)
            sheet.write_string(self.row, column, text,
                               self.formats[style or "", formula_like(text)])

    def line(self, *values: object, style: str | None = None,
             styles: tuple[str | None, ...] = ()) -> None:
        for column, value in enumerate(values):
            self.cell(column, value, styles[column] if column < len(styles) else style)
        self.row += 1


def _number_style(result: TargetResult) -> str:
    return "number" if result.type == "total" else "percent"


def _value(value: object, words: Catalogue) -> object:
    """A failing unit's value for a cell: a number as itself, a flag as its word."""
    if isinstance(value, bool):
        return words["yes" if value else "no"]
    return value


def _summary(sheet: Sheet, report: Report, words: Catalogue) -> None:
    lang = words.lang
    at = f"{report.at} — {report.at_name}" if report.at_name else report.at
    sheet.line(report.plan_title or report.plan, style="title")
    sheet.line(words["plan"], report.plan, styles=("bold",))
    sheet.line(words["assessed_at"], at, styles=("bold",))
    sheet.line(verdict(report, lang), style="good" if report.compliant else "bad")
    if report.pacing is not None:
        sheet.line(as_of_text(report.pacing, lang), styles=("bold",))
    for key in ("targets", "met", "not_met", "not_applicable", "informational"):
        head = words["count_targets"] if key == "targets" else words.status(key)
        sheet.line(head, report.summary[key], styles=("bold",))
    if report.not_reported:
        sheet.line(words.say("not_reported_list", count=len(report.not_reported)),
                   styles=("bold",))
    sheet.row += 1
    keys = ("target", "text", "type", "aspirational", "status", "observed", "required",
            "required_max", "condition", "selected", "passing", "failing", "stretch_met")
    sheet.line(*(words[f"head.{key}"] for key in keys), style="head")
    for result in report.results:
        style = _number_style(result)
        stretch = None if result.stretch_met is None else words[
            "yes" if result.stretch_met else "no"]
        required = result.required if isinstance(result.required, int | float) else (
            condition_text(result, lang))
        sheet.line(result.id, result.text or "", words[f"type.{result.type}"],
                   words["yes" if result.aspirational else "no"],
                   words.status(result.status), result.observed, required,
                   result.required_max, condition_text(result, lang), result.selected,
                   result.passing, len(result.failing) if result.type == "each" else None,
                   stretch,
                   styles=(None, "wrap", None, None,
                           "good" if result.status == "met" else
                           "bad" if result.status == "not_met" else None,
                           "percent" if result.type == "each" else style,
                           "percent" if result.type == "each" else style, style))


def _target_sheet(sheet: Sheet, report: Report, result: TargetResult,
                  words: Catalogue) -> None:
    lang = words.lang
    sheet.line(f"{words['head.target']} {result.id}", style="title")
    if result.text:
        sheet.line(result.text, style="wrap")
    sheet.line(words["head.status"], status_text(result, lang), styles=("bold",))
    sheet.line(words["head.figures"], figures(result, lang) + stretch_text(result, lang),
               styles=("bold",))
    if result.pace is not None:
        sheet.line(words["head.pace"], pace_text(result.pace, lang), styles=("bold",))
    sheet.row += 1
    sheet.line(*(words[f"head.{key}"] for key in ("unit", "name", "value", "shortfall",
                                                     "reported")), style="head")
    silent = frozenset(report.not_reported)
    room = EXCEL_ROWS - sheet.row - 1
    shown = result.failing[:room] if len(result.failing) > room else result.failing
    for unit in shown:
        reported = unit.unit not in silent
        sheet.line(unit.unit, unit.name, _value(unit.value, words) if reported else None,
                   unit.shortfall, words["yes" if reported else "no"])
    if len(result.failing) > len(shown):
        sheet.line(words.say("more_failing", count=len(result.failing) - len(shown)))


def write_report_xlsx(report: Report, path: Path | str, lang: str = DEFAULT_LANG) -> None:
    """Write ``report`` as an Excel workbook at ``path``, its words in ``lang``.

    Needs the ``excel`` extra (xlsxwriter); without it, a :class:`~doanorg.DoanorgError`
    says what to install.
    """
    words = catalogue(lang)
    workbook, formats = open_workbook(path)
    taken: set[str] = set()
    summary = workbook.add_worksheet(sheet_name(words["sheet.summary"], taken))
    summary.set_column(0, 0, 18)
    summary.set_column(1, 1, 60)
    summary.set_column(2, 12, 14)
    _summary(Sheet(summary, formats), report, words)
    for result in report.results:
        worksheet = workbook.add_worksheet(sheet_name(result.id, taken))
        worksheet.set_column(0, 0, 18)
        worksheet.set_column(1, 1, 40)
        worksheet.set_column(2, 4, 12)
        _target_sheet(Sheet(worksheet, formats), report, result, words)
    if report.not_reported:
        worksheet = workbook.add_worksheet(sheet_name(words["sheet.not_reported"], taken))
        sheet = Sheet(worksheet, formats)
        sheet.line(words["head.unit"], style="head")
        for unit in report.not_reported:
            sheet.line(unit)
    workbook.close()
