"""Scores for people: plain text for a terminal, Markdown for documents and one
self-contained HTML page (SPEC §11).

Each opens with a summary (units scored, how many in each grade, the cap), then
lists the units whose computed grade differs from the grade they gave
themselves, then every scored unit in rank order with its score, grade, ranks
and the points each scored target gives. A score is written beside the
grades' thresholds by :func:`~doanorg.core._render.figure`, so that a score
just below a threshold never reads as the threshold.

Every word a person reads is a message of the catalogue
(:mod:`doanorg.core._catalogue`, keys ``score.*``), in the language asked for,
Vietnamese by default, and every number is written in that language's form
(``1.234``; ``92,5``). The HTML page is built as the report's page is
(:func:`~doanorg.core._html.page_head`), every text escaped. What is read of the
scores is stated as the protocols :class:`Scores` and :class:`UnitScore`
(:class:`doanorg.core.scoring.Scores` meets them), as the scoring module
imports this one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol

from doanorg.core._catalogue import DEFAULT_LANG, Catalogue, catalogue
from doanorg.core._html import escape, page_head
from doanorg.core._render import figure, format_number

__all__ = ["Scores", "UnitScore", "render_scores_html", "render_scores_markdown",
           "render_scores_text", "score_heading", "score_table"]

_TEXT_TARGET_COLUMNS = 12
"""The most target columns a terminal table shows; more are in JSON and Markdown."""


class UnitScore(Protocol):
    """What a rendering reads of a unit's score (:class:`doanorg.core.scoring.UnitScore`)."""

    @property
    def unit(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def score(self) -> int | float: ...
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


def score_heading(scores: Scores, lang: str = DEFAULT_LANG) -> list[str]:
    """The summary's lines, in ``lang``: what is scored where, the plan's title, the
    counts by grade and the cap."""
    words = catalogue(lang)
    where = f"{scores.at} ({scores.at_name})" if scores.at_name else scores.at
    lines = [words.say("score.heading", title=words["score.title"], plan=scores.plan,
                       where=where)]
    if scores.plan_title:
        lines.append(scores.plan_title)
    summary = scores.summary
    counts = [f"{grade} {format_number(summary[grade], lang=lang)}" for grade in scores.grades]
    if "ungraded" in summary:
        counts.append(f"{words['score.ungraded']} "
                      f"{format_number(summary['ungraded'], lang=lang)}")
    lines.append(words.say("score.scored", count=format_number(summary["units"], lang=lang),
                           points=format_number(scores.total_points, lang=lang))
                 + " · " + " · ".join(counts))
    if scores.cap is not None:
        moved = sum(unit.capped for unit in scores.units)
        lines.append(words.say("score.cap", limit=format_number(scores.cap_limit, lang=lang),
                               grade=scores.cap.grade,
                               share=figure(Fraction(str(scores.cap.share)), percent=True,
                                            lang=lang),
                               moved=format_number(moved, lang=lang)))
    return lines


def _cells(scores: Scores, unit: UnitScore, targets: Sequence[str],
           words: Catalogue) -> list[str]:
    lang, none = words.lang, words["none"]
    cells = [format_number(unit.rank, lang=lang)]
    if scores.peer_groups is not None:
        cells += [none if unit.group is None else format_number(unit.group, lang=lang),
                  none if unit.group_rank is None else format_number(unit.group_rank,
                                                                     lang=lang)]
    cells += [unit.unit, figure(unit.exact_score, _thresholds(scores), lang=lang),
              unit.grade or words["score.ungraded"]]
    if scores.self_grade is not None:
        cells.append(unit.self_grade or none)
    cells.append(words["score.capped_mark"] if unit.capped else "")
    cells += [_points(unit.points[target], words) for target in targets]
    return cells


def _points(value: int | float, words: Catalogue) -> str:
    return (format_number(value, lang=words.lang) if isinstance(value, int)
            else words.number(f"{value:,.2f}"))


def _header(scores: Scores, targets: Sequence[str], words: Catalogue) -> list[str]:
    return [words[f"score.{key}"] for key in _keys(scores)] + list(targets)


def _keys(scores: Scores) -> list[str]:
    """The columns before the targets', by their catalogue keys (``score.KEY``)."""
    keys = ["rank"]
    if scores.peer_groups is not None:
        keys += ["group", "group_rank"]
    keys += ["unit", "score", "grade"]
    if scores.self_grade is not None:
        keys.append("self_grade")
    return [*keys, "capped"]


_NUMBER_KEYS = frozenset({"rank", "group_rank", "score"})


def score_table(scores: Scores, lang: str = DEFAULT_LANG
                ) -> tuple[list[str], list[bool], list[list[object]]]:
    """The table of units, in rank order, for a workbook: its heads in ``lang``, which
    columns are numbers, and one row a unit with numbers as numbers (rank, group rank,
    score, each target's points), words in ``lang`` and ids as they are.

    >>> from doanorg.core.scoring import Scores, UnitScore
    >>> table = score_table(Scores(plan="p", at="k", targets=("t",), grades=("tot",),
    ...     thresholds=(50,), total_points=60, units=(UnitScore(unit="a", score=60,
    ...     grade="tot", rank=1, points={"t": 60}),)), "en")
    >>> table[0], table[2]
    (['rank', 'unit', 'score', 'grade', 'capped', 't'], [[1, 'a', 60, 'tot', '', 60]])
    """
    words = catalogue(lang)
    keys = _keys(scores)
    numbers = [key in _NUMBER_KEYS for key in keys] + [True] * len(scores.targets)
    rows: list[list[object]] = []
    for unit in scores.units:
        values: dict[str, object] = {
            "rank": unit.rank, "group": unit.group, "group_rank": unit.group_rank,
            "unit": unit.unit, "score": unit.score,
            "grade": unit.grade or words["score.ungraded"], "self_grade": unit.self_grade,
            "capped": words["score.capped_mark"] if unit.capped else ""}
        rows.append([values[key] for key in keys]
                    + [unit.points[target] for target in scores.targets])
    return _header(scores, scores.targets, words), numbers, rows


def _text_table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            .rstrip() for row in rows]


def render_scores_text(scores: Scores, lang: str = DEFAULT_LANG) -> str:
    """The scores for a terminal (``doanorg score``), in ``lang``."""
    words = catalogue(lang)
    lines = score_heading(scores, words.lang)
    shown = scores.targets[:_TEXT_TARGET_COLUMNS]
    header = _header(scores, shown, words)
    if scores.self_grade is not None:
        lines.append("")
        differing = scores.differences
        if differing:
            lines.append(words.say("score.differences",
                                   count=format_number(len(differing), lang=lang)) + ":")
            lines += _text_table([header] + [_cells(scores, unit, shown, words)
                                             for unit in differing])
        else:
            lines.append(words["score.no_differences"])
    lines += ["", words["score.units"] + ":"]
    if scores.units:
        lines += _text_table([header] + [_cells(scores, unit, shown, words)
                                         for unit in scores.units])
    lines += [f"{words['score.warning']}: {warning}" for warning in scores.warnings]
    return "\n".join(lines) + "\n"


def _markdown_table(rows: list[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    return (["| " + " | ".join(map(cell, rows[0])) + " |",
             "|" + "---|" * len(rows[0])]
            + ["| " + " | ".join(map(cell, row)) + " |" for row in rows[1:]])


def render_scores_markdown(scores: Scores, lang: str = DEFAULT_LANG) -> str:
    """The scores as a Markdown document, in ``lang``."""
    words = catalogue(lang)
    heading = score_heading(scores, words.lang)
    lines = [f"# {heading[0]}", "", *heading[1:]]
    header = _header(scores, scores.targets, words)
    if scores.self_grade is not None:
        differing = scores.differences
        lines.append("")
        if differing:
            count = format_number(len(differing), lang=lang)
            lines += [f"## {words.say('score.differences', count=count)}", ""]
            lines += _markdown_table([header] + [_cells(scores, unit, scores.targets, words)
                                                 for unit in differing])
        else:
            lines.append(words["score.no_differences"])
    lines += ["", f"## {words['score.units']}", ""]
    lines += _markdown_table([header] + [_cells(scores, unit, scores.targets, words)
                                         for unit in scores.units])
    if scores.warnings:
        lines += [""] + [f"- {words['score.warning']}: {warning}"
                         for warning in scores.warnings]
    return "\n".join(lines) + "\n"


def _html_table(scores: Scores, units: Sequence[UnitScore], words: Catalogue) -> list[str]:
    header = _header(scores, scores.targets, words)
    numbers = [key in _NUMBER_KEYS for key in _keys(scores)] + [True] * len(scores.targets)
    out = ["<table><thead><tr>" + "".join(f"<th>{escape(head)}</th>" for head in header)
           + "</tr></thead><tbody>"]
    for unit in units:
        cells = _cells(scores, unit, scores.targets, words)
        out.append(f'<tr data-unit="{escape(unit.unit)}">' + "".join(
            f'<td class="number">{escape(cell)}</td>' if number else f"<td>{escape(cell)}</td>"
            for cell, number in zip(cells, numbers, strict=True)) + "</tr>")
    out.append("</tbody></table>")
    return out


def render_scores_html(scores: Scores, lang: str = DEFAULT_LANG) -> str:
    """The scores as one self-contained HTML page (``--format html``), in ``lang``:
    the summary, the units whose self-grade differs, then every unit in rank order.
    Every text is escaped; the page loads nothing."""
    words = catalogue(lang)
    heading = score_heading(scores, words.lang)
    out = page_head(f"{heading[0]}", lang)
    out += [f"<h1>{escape(heading[0])}</h1>", '<section id="summary">',
            *(f"<p>{escape(line)}</p>" for line in heading[1:])]
    if scores.warnings:
        out.append("<ul>" + "".join(f"<li>{escape(words['score.warning'])}: "
                                    f"{escape(warning)}</li>" for warning in scores.warnings)
                   + "</ul>")
    out.append("</section>")
    if scores.self_grade is not None:
        differing = scores.differences
        out.append('<section id="differences">')
        if differing:
            count = format_number(len(differing), lang=lang)
            out += [f"<h2>{escape(words.say('score.differences', count=count))}</h2>",
                    *_html_table(scores, differing, words)]
        else:
            out.append(f"<p>{escape(words['score.no_differences'])}</p>")
        out.append("</section>")
    out += [f'<section id="units"><h2>{escape(words["score.units"])}</h2>',
            *_html_table(scores, scores.units, words), "</section>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
