"""Scores for people: plain text for a terminal and Markdown for documents (SPEC §11).

Both open with a summary (units scored, how many in each grade, the cap), then
list the units whose computed grade differs from the grade they gave
themselves, then every scored unit in rank order with its score, grade, ranks
and the points each scored target gives. A score is written beside the
grades' thresholds by :func:`~doanorg.core._render.figure`, so that a score
just below a threshold never reads as the threshold.

Every word a person reads stands in :data:`WORDS`, one table, so that the
words can move into a language catalogue. What is read of the scores is stated
as the protocols :class:`Scores` and :class:`UnitScore`
(:class:`doanorg.core.scoring.Scores` meets them), as the scoring module
imports this one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol

from doanorg.core._render import figure, format_number

__all__ = ["WORDS", "render_scores_markdown", "render_scores_text"]

WORDS = {
    "title": "Scores",
    "at": "at",
    "scored": "scored units: {count}, out of {points} points",
    "ungraded": "no grade",
    "cap": "cap: at most {limit} {grade} ({share} of the scored units); "
           "{moved} moved to the next grade",
    "differences": "Self-grade differs ({count})",
    "no_differences": "Every self-grade matches the computed grade.",
    "units": "Units, in rank order",
    "rank": "rank",
    "group_rank": "in group",
    "group": "group",
    "unit": "unit",
    "name": "name",
    "score": "score",
    "grade": "grade",
    "self_grade": "self-grade",
    "capped": "capped",
    "yes": "yes",
    "none": "—",
    "warning": "warning",
}
"""Every word of the rendering, in one table (English for now)."""

_TEXT_TARGET_COLUMNS = 12
"""The most target columns a terminal table shows; more are in JSON and Markdown."""


class UnitScore(Protocol):
    """What a rendering reads of a unit's score (:class:`doanorg.core.scoring.UnitScore`)."""

    @property
    def unit(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def grade(self) -> str | None: ...
    @property
    def rank(self) -> int: ...
    @property
    def group(self) -> object: ...
    @property
    def group_rank(self) -> int | None: ...
    @property
    def points(self) -> Mapping[str, int | float]: ...
    @property
    def capped(self) -> bool: ...
    @property
    def self_grade(self) -> str | None: ...
    @property
    def differs(self) -> bool | None: ...
    @property
    def exact_score(self) -> Fraction: ...


class Scores(Protocol):
    """What a rendering reads of scores (:class:`doanorg.core.scoring.Scores`)."""

    @property
    def plan(self) -> str: ...
    @property
    def plan_title(self) -> str: ...
    @property
    def at(self) -> str: ...
    @property
    def at_name(self) -> str: ...
    @property
    def units(self) -> Sequence[UnitScore]: ...
    @property
    def targets(self) -> tuple[str, ...]: ...
    @property
    def grades(self) -> tuple[str, ...]: ...
    @property
    def thresholds(self) -> tuple[int | float, ...]: ...
    @property
    def total_points(self) -> int | float: ...
    @property
    def cap(self) -> Any: ...
    @property
    def cap_limit(self) -> int | None: ...
    @property
    def peer_groups(self) -> str | None: ...
    @property
    def self_grade(self) -> str | None: ...
    @property
    def summary(self) -> dict[str, int]: ...
    @property
    def differences(self) -> Sequence[UnitScore]: ...
    @property
    def warnings(self) -> Sequence[object]: ...


def _thresholds(scores: Scores) -> list[Fraction]:
    return [Fraction(str(value)) for value in scores.thresholds]


def _heading(scores: Scores) -> list[str]:
    where = f"{scores.at} ({scores.at_name})" if scores.at_name else scores.at
    lines = [f"{WORDS['title']}: {scores.plan} {WORDS['at']} {where}"]
    if scores.plan_title:
        lines.append(scores.plan_title)
    summary = scores.summary
    counts = [f"{grade} {summary[grade]:,}" for grade in scores.grades]
    if "ungraded" in summary:
        counts.append(f"{WORDS['ungraded']} {summary['ungraded']:,}")
    lines.append(WORDS["scored"].format(count=f"{summary['units']:,}",
                                        points=format_number(scores.total_points))
                 + " · " + " · ".join(counts))
    if scores.cap is not None:
        moved = sum(unit.capped for unit in scores.units)
        lines.append(WORDS["cap"].format(limit=f"{scores.cap_limit:,}", grade=scores.cap.grade,
                                         share=figure(Fraction(str(scores.cap.share)),
                                                      percent=True),
                                         moved=f"{moved:,}"))
    return lines


def _cells(scores: Scores, unit: UnitScore, targets: Sequence[str]) -> list[str]:
    none = WORDS["none"]
    cells = [str(unit.rank)]
    if scores.peer_groups is not None:
        cells += [none if unit.group is None else str(unit.group),
                  none if unit.group_rank is None else str(unit.group_rank)]
    cells += [unit.unit, figure(unit.exact_score, _thresholds(scores)),
              unit.grade or WORDS["ungraded"]]
    if scores.self_grade is not None:
        cells.append(unit.self_grade or none)
    cells.append(WORDS["yes"] if unit.capped else "")
    cells += [_points(unit.points[target]) for target in targets]
    return cells


def _points(value: int | float) -> str:
    return format_number(value) if isinstance(value, int) else f"{value:.2f}"


def _header(scores: Scores, targets: Sequence[str]) -> list[str]:
    header = [WORDS["rank"]]
    if scores.peer_groups is not None:
        header += [WORDS["group"], WORDS["group_rank"]]
    header += [WORDS["unit"], WORDS["score"], WORDS["grade"]]
    if scores.self_grade is not None:
        header.append(WORDS["self_grade"])
    return [*header, WORDS["capped"], *targets]


def _text_table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            .rstrip() for row in rows]


def render_scores_text(scores: Scores) -> str:
    """The scores for a terminal (``doanorg score``)."""
    lines = _heading(scores)
    shown = scores.targets[:_TEXT_TARGET_COLUMNS]
    header = _header(scores, shown)
    if scores.self_grade is not None:
        lines.append("")
        differing = scores.differences
        if differing:
            lines.append(WORDS["differences"].format(count=f"{len(differing):,}") + ":")
            lines += _text_table([header] + [_cells(scores, unit, shown) for unit in differing])
        else:
            lines.append(WORDS["no_differences"])
    lines += ["", WORDS["units"] + ":"]
    if scores.units:
        lines += _text_table([header] + [_cells(scores, unit, shown) for unit in scores.units])
    lines += [f"{WORDS['warning']}: {warning}" for warning in scores.warnings]
    return "\n".join(lines) + "\n"


def _markdown_table(rows: list[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    return (["| " + " | ".join(map(cell, rows[0])) + " |",
             "|" + "---|" * len(rows[0])]
            + ["| " + " | ".join(map(cell, row)) + " |" for row in rows[1:]])


def render_scores_markdown(scores: Scores) -> str:
    """The scores as a Markdown document."""
    heading = _heading(scores)
    lines = [f"# {heading[0]}", "", *heading[1:]]
    header = _header(scores, scores.targets)
    if scores.self_grade is not None:
        differing = scores.differences
        lines.append("")
        if differing:
            lines += [f"## {WORDS['differences'].format(count=f'{len(differing):,}')}", ""]
            lines += _markdown_table([header] + [_cells(scores, unit, scores.targets)
                                                 for unit in differing])
        else:
            lines.append(WORDS["no_differences"])
    lines += ["", f"## {WORDS['units']}", ""]
    lines += _markdown_table([header] + [_cells(scores, unit, scores.targets)
                                         for unit in scores.units])
    if scores.warnings:
        lines += [""] + [f"- {WORDS['warning']}: {warning}" for warning in scores.warnings]
    return "\n".join(lines) + "\n"
