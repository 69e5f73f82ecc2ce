"""Errors and warnings: every problem doanorg reports names what is wrong and where.

A *problem* is one thing wrong with one input: the file, the line, the unit,
the metric or target it concerns, and a sentence saying what is wrong. A
loader collects every problem it finds before it raises, so that a person
fixes a file in one pass; the error it raises carries them all in
:attr:`DoanorgError.problems`, and its message lists them one per line.

Warnings (a chapter with fewer members than the Charter asks, facts for a
metric the plan does not declare) are the same :class:`Problem` values, kept
on the object they concern (``Org.warnings``, ``Facts.warnings``,
``Report.warnings``) rather than raised.

Examples
--------
>>> problem = Problem("unit 'X42' is not in the organisation",
...                   file="facts.csv", line=14, unit="X42")
>>> str(problem)
"facts.csv line 14: unit 'X42' is not in the organisation"
>>> error = FactsError([problem])
>>> isinstance(error, DoanorgError), error.problems[0].line
(True, 14)
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "DoanorgError",
    "FactsError",
    "OrgError",
    "PlanError",
    "Problem",
    "ScenarioError",
    "SchemaError",
    "UnknownUnit",
]


@attrs.frozen
class Problem:
    """One thing wrong (or worth a warning) in one input, and where it is.

    ``str(problem)`` reads ``FILE line N: MESSAGE``, with the parts that are
    known; the message itself names the unit, metric or target it concerns. In a
    workbook, ``sheet`` names the sheet and ``row`` the row as the spreadsheet numbers
    it (``FILE sheet 'S' row N: MESSAGE``); in a data frame, ``row`` is the row's
    position, counted from 0 as ``iloc`` counts (``frame row N: MESSAGE``).

    >>> str(Problem("empty unit", file="facts.xlsx", sheet="Số liệu", row=7))
    "facts.xlsx sheet 'Số liệu' row 7: empty unit"
    """

    message: str
    file: str | None = None
    line: int | None = None
    unit: str | None = None
    metric: str | None = None
    target: str | None = None
    sheet: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = " ".join(
            part
            for part in (self.file or "",
                         f"sheet {self.sheet!r}" if self.sheet is not None else "",
                         f"line {self.line}" if self.line is not None else "",
                         f"row {self.row}" if self.row is not None else "")
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class DoanorgError(Exception):
    """The root of every error doanorg raises on bad input.

    ``problems`` holds every :class:`Problem` found; ``str(error)`` lists
    them one per line.
    """

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class SchemaError(DoanorgError, ValueError):
    """A schema file (kinds, allowed parents, groups) is not valid."""


class OrgError(DoanorgError, ValueError):
    """An organisation tree is not valid: its file, or the tree it describes."""


class FactsError(DoanorgError, ValueError):
    """Facts are not valid: their file, or values that do not fit the plan."""


class PlanError(DoanorgError, ValueError):
    """A plan (metrics and targets) is not valid."""


class ScenarioError(DoanorgError, ValueError):
    """An edit of a what-if scenario does not fit its organisation, facts or plan."""


class UnknownUnit(DoanorgError, LookupError):
    """A unit id that is not in the organisation was asked for."""
