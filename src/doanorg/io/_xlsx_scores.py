"""Scores as an Excel workbook (``doanorg score --format xlsx``, SPEC §11), with the
``excel`` extra.

One sheet, ``Điểm`` (``Scores`` in English): the plan, the unit assessed, the
summary (units scored, how many in each grade, the cap), then a table of the
scored units in rank order: rank (and peer group and rank in it), unit, name,
score, grade (and self-grade), whether the cap moved it, and the points of each
scored target. When the rubric names a self-grade metric and some unit's
self-grade differs, a second sheet lists those units the same way.

It is written as the report's workbook is (:mod:`doanorg.io._xlsx_report`):
ranks, scores and points as numbers; every text as text, one that a
spreadsheet would run as a formula (a unit named ``=HYPERLINK(...)``) with
Excel's quote prefix, so that it stays text; headings and words from the
catalogue (:mod:`doanorg.core._catalogue`), Vietnamese by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from doanorg.core._catalogue import DEFAULT_LANG, catalogue
from doanorg.core._render_scores import UnitScore, score_heading, score_table
from doanorg.core.scoring import Scores
from doanorg.io._xlsx_report import EXCEL_ROWS, Sheet, open_workbook, sheet_name

__all__ = ["write_scores_xlsx"]


def _table(sheet: Sheet, scores: Scores, units: Sequence[UnitScore], lang: str) -> None:
    """The heads, then one row a unit of ``units`` (with its name after its id)."""
    heads, numbers, rows = score_table(scores, lang)
    named = heads.index(catalogue(lang)["score.unit"]) + 1
    heads.insert(named, catalogue(lang)["score.name"])
    sheet.line(*heads, style="head")
    by_unit = {unit.unit: unit for unit in units}
    room = EXCEL_ROWS - sheet.row
    for row, unit in zip(rows, scores.units, strict=True):
        if unit.unit not in by_unit or room <= 0:
            continue
        cells = [*row[:named], unit.name, *row[named:]]
        sheet.line(*cells, styles=tuple("number" if number else None for number in (
            *numbers[:named], False, *numbers[named:])))
        room -= 1


def write_scores_xlsx(scores: Scores, path: Path | str, lang: str = DEFAULT_LANG) -> None:
    """Write ``scores`` as an Excel workbook at ``path``, its words in ``lang``.

    Needs the ``excel`` extra (xlsxwriter); without it, a :class:`~doanorg.DoanorgError`
    says what to install.
    """
    words = catalogue(lang)
    workbook, formats = open_workbook(path)
    try:
        taken: set[str] = set()
        worksheet = workbook.add_worksheet(sheet_name(words["score.sheet"], taken))
        worksheet.set_column(0, 0, 10)
        worksheet.set_column(1, 1, 18)
        worksheet.set_column(2, 2, 40)
        sheet = Sheet(worksheet, formats)
        heading = score_heading(scores, lang)
        sheet.line(heading[0], style="title")
        for line in heading[1:]:
            sheet.line(line)
        sheet.row += 1
        _table(sheet, scores, scores.units, lang)
        if scores.differences:
            worksheet = workbook.add_worksheet(
                sheet_name(words["score.sheet_differences"], taken))
            worksheet.set_column(1, 2, 24)
            differing = Sheet(worksheet, formats)
            _table(differing, scores, scores.differences, lang)
    finally:
        workbook.close()
