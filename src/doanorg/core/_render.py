"""Reports for people: plain text for a terminal and Markdown for documents.

Both show, for each target, its status, observed against required figures
and the plan's own Vietnamese words, then the units that fall short, a unit
that did not report at all marked so (:data:`NOT_REPORTED`) rather than with
the missing value it never gave. Long lists of failing units are cut after a
few lines; the JSON report (:meth:`doanorg.Report.to_dict`) always has them
all. The report's warnings (facts ignored) are listed at the end.

Part of the core: :mod:`doanorg.core.report` renders with it, so it imports no
module of doanorg but the table of words :mod:`doanorg.core._progress_words`, not
even the report's (which would import it back). What
it reads of a report is stated here instead, as the protocols
:class:`Report`, :class:`TargetResult` and :class:`FailingUnit`, which the
report's classes of those names meet. The words of each status (:data:`WORDS`),
the mark of a unit that did not report (:data:`NOT_REPORTED`), the way a
value is written (:func:`format_number`) and a figure beside its bounds
(below) serve the rendering of comparisons and gaps too
(:mod:`doanorg.whatif`).

A share, ratio or total shown beside the bounds it is judged against is
written by one function, :func:`figure`, so that the figures shown never
contradict the verdict: ``79999/100000 units (79.99%) … need 80% NOT MET``,
never ``(80%)``. :func:`bound` writes a bound (the plan's decimal, in full)
and :func:`observed_figure` a result's observed figure beside its bounds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from fractions import Fraction
from typing import Protocol

from doanorg.core._progress_words import WORDS as PROGRESS

__all__ = ["NOT_REPORTED", "WORDS", "bound", "figure", "format_number", "observed_exact",
           "observed_figure", "render_markdown", "render_text"]


class FailingUnit(Protocol):
    """What a rendering reads of a failing unit (:class:`doanorg.FailingUnit`)."""

    @property
    def unit(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> object: ...
    @property
    def shortfall(self) -> object: ...


class Pace(Protocol):
    """What a rendering reads of a target's pace (:class:`doanorg.core.pacing.Pace`)."""

    def describe(self) -> str: ...


class TargetResult(Protocol):
    """What a rendering reads of a target's result (:class:`doanorg.TargetResult`)."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def aspirational(self) -> bool: ...
    @property
    def observed(self) -> object: ...
    @property
    def required(self) -> object: ...
    @property
    def required_max(self) -> object: ...
    @property
    def exact_observed(self) -> Fraction | None: ...
    @property
    def stretch_met(self) -> bool | None: ...
    @property
    def selected(self) -> int | None: ...
    @property
    def passing(self) -> int | None: ...
    @property
    def failing(self) -> Sequence[FailingUnit]: ...
    @property
    def text(self) -> str | None: ...
    @property
    def condition(self) -> str: ...
    @property
    def allocated(self) -> bool: ...
    @property
    def pace(self) -> Pace | None: ...


class Report(Protocol):
    """What a rendering reads of a report (:class:`doanorg.Report`)."""

    @property
    def plan(self) -> str: ...
    @property
    def plan_title(self) -> str: ...
    @property
    def at(self) -> str: ...
    @property
    def at_name(self) -> str: ...
    @property
    def results(self) -> Sequence[TargetResult]: ...
    @property
    def not_reported(self) -> Sequence[str]: ...
    @property
    def compliant(self) -> bool: ...
    @property
    def summary(self) -> Mapping[str, int]: ...
    @property
    def warnings(self) -> Sequence[object]: ...
    @property
    def as_of_heading(self) -> str: ...

SHOWN_FAILING = {"text": 10, "md": 25}
MARKS = {"met": "✓", "not_met": "✗", "not_applicable": "–", "informational": "i"}
WORDS = {
    "met": "met",
    "not_met": "NOT MET",
    "not_applicable": "not applicable",
    "informational": "informational",
}


def format_number(value: object) -> str:
    """A figure as a person reads it: ``1,234``, ``0.75``, ``true``, ``—`` for none."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "—"}[value]
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


Exact = Fraction | int | float
SIGNIFICANT = 4
"""The significant digits a figure is shown with, unless more are needed; never fewer than
its whole digits (a total of 1,234,567.8 reads 1,234,568)."""
MAX_PLACES = 400
"""Decimal places beyond which :func:`figure` stops looking for a closer figure (more than
any bound written as a TOML float needs to be written in full)."""


def _exact(number: Exact) -> Fraction:
    """A number as the decimal it was written as (0.7 is 7/10), a fraction as itself."""
    if isinstance(number, Fraction):
        return number
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


def _sign(number: Fraction) -> int:
    return (number > 0) - (number < 0)


def _magnitude(number: Fraction) -> int:
    """``⌊log10 |number|⌋`` (0 for 0), exactly."""
    number = abs(number)
    if not number:
        return 0
    magnitude = len(str(number.numerator)) - len(str(number.denominator))
    return magnitude - 1 if number < Fraction(10) ** magnitude else magnitude


def _decimal_text(number: Fraction, places: int) -> str:
    """``number``, a multiple of ``10**-places``, as ``1,234.5`` (no trailing zeros)."""
    scaled = round(number * 10**places)
    whole, rest = divmod(abs(scaled), 10**places)
    decimals = f"{rest:0{places}d}".rstrip("0") if places else ""
    return ("-" if scaled < 0 else "") + f"{whole:,}" + (f".{decimals}" if decimals else "")


def figure(value: Exact, references: Iterable[Exact] = (), *, percent: bool = False) -> str:
    """A share, ratio or total as a person reads it beside the ``references`` (the bounds it
    is judged against) it is shown with: the one way such a figure is written.

    Four significant digits, or all the whole ones, rounded to the nearest; but where that
    would put the figure on the other side of a reference, or on one it is not, it is
    rounded toward the side it stands on, and given more digits while that is not enough.
    A figure equal to a reference is shown as that reference is (a bound beside itself:
    in full). So the figures shown compare as the exact ones do, and never contradict a
    verdict taken on them. Floats are read as the decimals they print as (0.7 is 7/10).

    >>> figure(Fraction(79999, 100000), [0.8], percent=True)
    '79.99%'
    >>> figure(Fraction(100001, 100000), [1], percent=True), figure(Fraction(2, 3), [0.5])
    ('100.1%', '0.6667')
    >>> figure(0.123456, [0.123456]), figure(1234567.8, [1234568])
    ('0.123456', '1,234,567')
    """
    scale = 100 if percent else 1
    exact = _exact(value) * scale
    marks = [_exact(reference) * scale for reference in references]
    sides = [_sign(exact - mark) for mark in marks]

    def keeps_sides(shown: Fraction) -> bool:
        return all(_sign(shown - mark) == side for mark, side in zip(marks, sides, strict=True))

    first = max(0, SIGNIFICANT - 1 - _magnitude(exact))
    for places in range(first, first + MAX_PLACES + 1):
        unit = Fraction(1, 10**places)
        shown = round(exact / unit) * unit
        crossed = next((mark for mark, side in zip(marks, sides, strict=True)
                        if _sign(shown - mark) != side and side), None)
        if crossed is not None:  # toward the side of the reference the figure stands on
            shown = (math.floor if exact < crossed else math.ceil)(exact / unit) * unit
        if keeps_sides(shown):
            break
    return _decimal_text(shown, places) + ("%" if percent else "")


def bound(value: Exact, *, percent: bool = False) -> str:
    """A bound as the plan wrote it, in full: :func:`figure` of the bound beside itself."""
    return figure(value, (value,), percent=percent)


def observed_exact(result: TargetResult) -> Fraction | None:
    """The observed figure exactly, as its verdict was taken: the engine's fraction, else
    (a report read back from JSON) ``passing/selected`` or the figure written."""
    if result.exact_observed is not None:
        return result.exact_observed
    if result.type == "each" and result.selected:
        return Fraction(result.passing or 0, result.selected)
    observed = result.observed
    if not isinstance(observed, int | float) or isinstance(observed, bool):
        return None
    return _exact(observed)


def _bounds(result: TargetResult) -> list[Exact]:
    """The numbers a result's observed figure is judged against: share, bounds, options."""
    given = result.required if isinstance(result.required, tuple) else (result.required,)
    return [value for value in (*given, result.required_max)
            if isinstance(value, int | float) and not isinstance(value, bool)]


def observed_figure(result: TargetResult, beside: Iterable[Fraction] = ()) -> str:
    """A result's observed figure (a share or ratio in percent), shown by :func:`figure`
    beside the result's bounds and the figures ``beside`` it; ``—`` for none."""
    exact = observed_exact(result)
    if exact is None:
        return format_number(None)
    return figure(exact, [*_bounds(result), *beside], percent=result.type != "total")


def figures(result: TargetResult) -> str:
    """Observed against required, in words: ``27/30 units (90%) pass; need 100%``."""
    if result.type == "each":
        if not result.selected:
            return "no unit selected"
        share = f"{result.passing}/{result.selected} units ({observed_figure(result)})"
        required = result.required
        need = (bound(required, percent=True) if isinstance(required, int | float)
                else format_number(required))
        return f"{share} meet {result.condition}; need {need}"
    if result.observed is None:
        return "denominator is 0"
    if result.type == "ratio":  # the condition reads in percent
        return f"ratio {observed_figure(result)}; need {result.condition}"
    return f"total {observed_figure(result)}; need {result.condition}"


def _marks(result: TargetResult) -> str:
    """`` (aspirational)``, `` (allocated)``: how a target is set, beside its status."""
    return ((" (aspirational)" if result.aspirational else "")
            + (f" ({PROGRESS['allocated']})" if result.allocated else ""))


def _stretch(result: TargetResult) -> str:
    if result.stretch_met is None:
        return ""
    return "; stretch met" if result.stretch_met else "; stretch not met"


NOT_REPORTED = "not reported"
"""How a unit with no fact row at all is marked where its value would be shown (in
parentheses): that value is the missing one (0, false, no category), which it never
gave (SPEC §2)."""


def _failing(unit: FailingUnit, silent: AbstractSet[str]) -> str:
    short = "" if not unit.shortfall else f", short by {format_number(unit.shortfall)}"
    name = f" {unit.name}" if unit.name else ""
    value = NOT_REPORTED if unit.unit in silent else f"value {format_number(unit.value)}"
    return f"{unit.unit}{name} ({value}{short})"


def _warnings(report: Report, *, markdown: bool) -> list[str]:
    """The report's warnings (facts for a metric the plan does not declare, ignored),
    to list at its end."""
    if not report.warnings:
        return []
    count = len(report.warnings)
    if markdown:
        return ["", f"## Warnings ({count})", "", *(f"- {line}" for line in report.warnings)]
    return ["", f"Warnings ({count}):", *(f"  - {line}" for line in report.warnings)]


def _verdict(report: Report) -> str:
    summary = report.summary
    if report.compliant:
        return "COMPLIANT: every mandatory target is met or not applicable"
    return f"NOT COMPLIANT: {summary['required_not_met']} mandatory target(s) not met"


def render_text(report: Report) -> str:
    """The report as plain text for a terminal."""
    summary = report.summary
    silent = frozenset(report.not_reported)
    at = f"{report.at} — {report.at_name}" if report.at_name else report.at
    lines = [
        f"Plan {report.plan}" + (f": {report.plan_title}" if report.plan_title else ""),
        f"Assessed at {at}",
        _verdict(report),
        "Targets: {targets} · met {met} · not met {not_met} · not applicable "
        "{not_applicable} · informational {informational}".format(**summary),
    ]
    if report.as_of_heading:
        lines.append(report.as_of_heading)
    if report.not_reported:
        shown = report.not_reported[: SHOWN_FAILING["text"]]
        more = len(report.not_reported) - len(shown)
        lines.append(f"Not reported ({len(report.not_reported)}): " + ", ".join(shown)
                     + (f", … {more} more" if more else ""))
    for result in report.results:
        lines += [
            "",
            f"[{MARKS[result.status]}] {result.id:<4} {WORDS[result.status]}{_marks(result)} — "
            f"{figures(result)}{_stretch(result)}",
        ]
        if result.pace is not None:
            lines.append(f"      {result.pace.describe()}")
        if result.text:
            lines.append(f"      {result.text}")
        shown_units = result.failing[: SHOWN_FAILING["text"]]
        if shown_units:
            lines.append(f"      falling short ({len(result.failing)}):")
            lines += [f"        - {_failing(unit, silent)}" for unit in shown_units]
            if len(result.failing) > len(shown_units):
                lines.append(f"        … {len(result.failing) - len(shown_units)} more "
                             "(--format json lists them all)")
    lines += _warnings(report, markdown=False)
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """The report as a Markdown document."""
    summary = report.summary
    silent = frozenset(report.not_reported)
    lines = [
        f"# {report.plan_title or report.plan}",
        "",
        f"- Plan: `{report.plan}`",
        f"- Assessed at: `{report.at}`" + (f" ({report.at_name})" if report.at_name else ""),
        f"- **{_verdict(report)}**",
        "- Targets: {targets}; met {met}; not met {not_met}; not applicable {not_applicable}; "
        "informational {informational}".format(**summary),
    ]
    if report.as_of_heading:
        lines.append(f"- {report.as_of_heading}")
    if report.not_reported:
        lines.append(f"- Not reported ({len(report.not_reported)}): "
                     + ", ".join(f"`{unit}`" for unit in report.not_reported))
    paced = bool(report.as_of_heading)
    pace_head = f" {PROGRESS['pace'].capitalize()} |" if paced else ""
    lines += [
        "",
        f"| | Target | Status | Figures |{pace_head} Chỉ tiêu |",
        "|---|---|---|---|" + ("---|" if paced else "") + "---|",
    ]
    for result in report.results:
        status = WORDS[result.status] + _marks(result)
        pace = "" if not paced else " " + _cell(
            PROGRESS["no_pace"] if result.pace is None else result.pace.describe()) + " |"
        lines.append(
            f"| {MARKS[result.status]} | {result.id} | {status} | "
            f"{_cell(figures(result) + _stretch(result))} |{pace} {_cell(result.text or '')} |"
        )
    for result in report.results:
        if not result.failing:
            continue
        lines += [
            "",
            f"## {result.id}: units falling short ({len(result.failing)})",
            "",
            "| Unit | Name | Value | Shortfall |",
            "|---|---|---|---|",
        ]
        for unit in result.failing[: SHOWN_FAILING["md"]]:
            value = f"({NOT_REPORTED})" if unit.unit in silent else format_number(unit.value)
            lines.append(f"| `{unit.unit}` | {_cell(unit.name)} | {value} | "
                         f"{format_number(unit.shortfall)} |")
        if len(result.failing) > SHOWN_FAILING["md"]:
            lines.append(f"\n… and {len(result.failing) - SHOWN_FAILING['md']} more.")
    lines += _warnings(report, markdown=True)
    return "\n".join(lines) + "\n"
