"""Reports for people: plain text for a terminal and Markdown for documents.

Both show, for each target, its status, observed against required figures
and the plan's own Vietnamese words, then the units that fall short, a unit
that did not report at all marked so (``not reported``) rather than with
the missing value it never gave. Long lists of failing units are cut after a
few lines; the JSON report (:meth:`doanorg.Report.to_dict`) always has them
all. The report's warnings (facts ignored) are listed at the end. Every line is
written by :func:`for_people`, which shows escaped whatever in a name or a text
would steer a terminal.

Part of the core: :mod:`doanorg.core.report` renders with it, so it imports no
module of doanorg but the text helpers of :mod:`doanorg.core._texts`, not even the
report's (which would import it back). What
it reads of a report is stated here instead, as the protocols
:class:`Report`, :class:`TargetResult` and :class:`FailingUnit`, which the
report's classes of those names meet. The way a value is written
(:func:`format_number`) and a figure beside its bounds (below) serve the
rendering of comparisons, gaps and scores too (:mod:`doanorg.whatif`,
:mod:`doanorg.core._render_scores`); the words are the catalogue's.

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
from datetime import date
from fractions import Fraction
from typing import Protocol

from doanorg.core._catalogue import DEFAULT_LANG, Catalogue, catalogue
from doanorg.core._texts import printable

__all__ = ["MARKS", "as_of_text", "bound", "condition_text", "figure", "figures",
           "for_people", "format_number", "observed_exact", "observed_figure", "pace_text",
           "render_markdown", "render_text", "required_text", "status_text", "stretch_text",
           "verdict"]


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


class Rule(Protocol):
    """What a rendering reads of a target's condition (:class:`doanorg.core.rules.Condition`)."""

    def describe(self, *, percent: bool = False, lang: str = "en") -> str: ...


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
    def rule(self) -> Rule | None: ...
    @property
    def allocated(self) -> bool: ...
    @property
    def pace(self) -> Pace | None: ...


class Pace(Protocol):
    """What a rendering reads of a target's pace (:class:`doanorg.core.pacing.Pace`)."""

    @property
    def as_of(self) -> date: ...
    @property
    def status(self) -> str: ...
    @property
    def projected_status(self) -> str: ...
    @property
    def exact_expected(self) -> Fraction: ...
    @property
    def exact_projected(self) -> Fraction: ...
    @property
    def percent(self) -> bool: ...


class PacingHead(Protocol):
    """What a rendering reads of the date a report is paced by
    (:class:`doanorg.core.pacing.PacingHead`)."""

    @property
    def as_of(self) -> date: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    @property
    def elapsed(self) -> Fraction: ...


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
    def pacing(self) -> PacingHead | None: ...

SHOWN_FAILING = {"text": 10, "md": 25}
MARKS = {"met": "✓", "not_met": "✗", "not_applicable": "–", "informational": "i"}


def format_number(value: object, *, lang: str = "en") -> str:
    """A figure as a person reads it: ``1,234``, ``0.75``, ``true``, ``—`` for none; in
    Vietnamese (``lang="vi"``) ``1.234``, ``0,75``, ``có``.

    >>> format_number(26200), format_number(26200, lang="vi"), format_number(True, lang="vi")
    ('26,200', '26.200', 'có')
    """
    words = catalogue(lang)
    if isinstance(value, bool) or value is None:
        return words[{True: "yes", False: "no", None: "none"}[value]]
    if isinstance(value, float):
        return words.number(f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}")
    if isinstance(value, int):
        return words.number(f"{value:,}")
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


def figure(value: Exact, references: Iterable[Exact] = (), *, percent: bool = False,
           lang: str = "en") -> str:
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
    >>> figure(Fraction(705, 1000), percent=True, lang="vi"), figure(26200, lang="vi")
    ('70,5%', '26.200')
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
    return catalogue(lang).number(_decimal_text(shown, places) + ("%" if percent else ""))


def bound(value: Exact, *, percent: bool = False, lang: str = "en") -> str:
    """A bound as the plan wrote it, in full: :func:`figure` of the bound beside itself."""
    return figure(value, (value,), percent=percent, lang=lang)


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


def observed_figure(result: TargetResult, beside: Iterable[Fraction] = (), *,
                    lang: str = "en") -> str:
    """A result's observed figure (a share or ratio in percent), shown by :func:`figure`
    beside the result's bounds and the figures ``beside`` it; ``—`` for none."""
    exact = observed_exact(result)
    if exact is None:
        return format_number(None, lang=lang)
    return figure(exact, [*_bounds(result), *beside], percent=result.type != "total",
                  lang=lang)


def condition_text(result: TargetResult, lang: str = "en") -> str:
    """A result's condition in words (``≥ 26.200`` in Vietnamese), from its rule when the
    engine gave it one, else the words it was made with."""
    if result.rule is None:
        return result.condition
    return result.rule.describe(percent=result.type == "ratio", lang=lang)


def required_text(result: TargetResult, lang: str = "en") -> str:
    """What a result requires, in short: the share for ``each`` (``100%``), else its
    condition (``≥ 26.200``)."""
    required = result.required
    if result.type == "each":
        return (bound(required, percent=True, lang=lang) if isinstance(required, int | float)
                else format_number(required, lang=lang))
    return condition_text(result, lang)


def figures(result: TargetResult, lang: str = "en") -> str:
    """Observed against required, in words: ``27/30 units (90%) meet ≥ 3; need 100%``."""
    words = catalogue(lang)
    condition = condition_text(result, lang)
    if result.type == "each":
        if not result.selected:
            return words["no_unit_selected"]
        return words.say("each_figures", passing=result.passing, selected=result.selected,
                         share=observed_figure(result, lang=lang), condition=condition,
                         need=required_text(result, lang))
    if result.observed is None:
        return words["denominator_zero"]
    # a ratio's condition reads in percent
    return words.say(f"{result.type}_figures", observed=observed_figure(result, lang=lang),
                     condition=condition)


def stretch_text(result: TargetResult, lang: str = "en") -> str:
    """``; stretch met`` or ``; stretch not met`` (``""`` without a stretch level)."""
    if result.stretch_met is None:
        return ""
    return catalogue(lang)["stretch_met" if result.stretch_met else "stretch_not_met"]


def _failing(unit: FailingUnit, silent: AbstractSet[str], words: Catalogue) -> str:
    short = ("" if not unit.shortfall
             else words.say("short_by", shortfall=format_number(unit.shortfall,
                                                                lang=words.lang)))
    name = f" {unit.name}" if unit.name else ""
    value = (words["not_reported"] if unit.unit in silent
             else words.say("value_is", value=format_number(unit.value, lang=words.lang)))
    return f"{unit.unit}{name} ({value}{short})"


def _warnings(report: Report, words: Catalogue, *, markdown: bool) -> list[str]:
    """The report's warnings (facts for a metric the plan does not declare, ignored),
    to list at its end."""
    if not report.warnings:
        return []
    heading = words.say("warnings", count=len(report.warnings))
    if markdown:
        return ["", f"## {heading}", "", *(f"- {line}" for line in report.warnings)]
    return ["", f"{heading}:", *(f"  - {line}" for line in report.warnings)]


def verdict(report: Report, lang: str = DEFAULT_LANG) -> str:
    """Whether the report's subtree is compliant, in a line."""
    words = catalogue(lang)
    if report.compliant:
        return words["verdict_compliant"]
    return words.say("verdict_not_compliant", count=report.summary["required_not_met"])


def status_text(result: TargetResult, lang: str = DEFAULT_LANG) -> str:
    """A result's status word, with ``(aspirational)`` for an aspirational target."""
    words = catalogue(lang)
    aspirational = f" ({words['aspirational']})" if result.aspirational else ""
    allocated = f" ({words['allocated']})" if result.allocated else ""
    return words.status(result.status) + aspirational + allocated


def pace_text(pace: Pace, lang: str = DEFAULT_LANG) -> str:
    """A target's pace in words: ``pace: expected 13,028 by 2020-06-30 · AT RISK ·
    projected 23,066 (NOT MET)``."""
    words = catalogue(lang)
    return words.say(
        "pace_line", as_of=pace.as_of.isoformat(),
        expected=figure(pace.exact_expected, percent=pace.percent, lang=lang),
        status=words[f"pace.{pace.status}"],
        projected=figure(pace.exact_projected, percent=pace.percent, lang=lang),
        projected_status=words.status(pace.projected_status))


def as_of_text(pacing: PacingHead, lang: str = DEFAULT_LANG) -> str:
    """The line a paced report opens with: the date and how much of the period is gone
    by it (by days; a target's own monthly ``pace`` may differ)."""
    return catalogue(lang).say("as_of", as_of=pacing.as_of.isoformat(),
                               elapsed=figure(pacing.elapsed, percent=True, lang=lang),
                               start=pacing.start.isoformat(), end=pacing.end.isoformat())


def render_text(report: Report, lang: str = DEFAULT_LANG) -> str:
    """The report as plain text for a terminal, in ``lang`` (``vi`` or ``en``)."""
    words = catalogue(lang)
    silent = frozenset(report.not_reported)
    at = f"{report.at} — {report.at_name}" if report.at_name else report.at
    lines = [
        f"{words['plan']} {report.plan}" + (f": {report.plan_title}" if report.plan_title
                                            else ""),
        f"{words['assessed_at']} {at}",
        verdict(report, lang),
        words.say("summary_line", **report.summary),
    ]
    if report.pacing is not None:
        lines.append(as_of_text(report.pacing, lang))
    if report.not_reported:
        shown = report.not_reported[: SHOWN_FAILING["text"]]
        more = len(report.not_reported) - len(shown)
        lines.append(words.say("not_reported_list", count=len(report.not_reported)) + ": "
                     + ", ".join(shown) + (", " + words.say("more", count=more) if more else ""))
    for result in report.results:
        lines += [
            "",
            f"[{MARKS[result.status]}] {result.id:<4} {status_text(result, lang)} — "
            f"{figures(result, lang)}{stretch_text(result, lang)}",
        ]
        if result.pace is not None:
            lines.append(f"      {pace_text(result.pace, lang)}")
        if result.text:
            lines.append(f"      {result.text}")
        shown_units = result.failing[: SHOWN_FAILING["text"]]
        if shown_units:
            lines.append("      " + words.say("falling_short", count=len(result.failing)))
            lines += [f"        - {_failing(unit, silent, words)}" for unit in shown_units]
            if len(result.failing) > len(shown_units):
                lines.append("        " + words.say(
                    "more_failing", count=len(result.failing) - len(shown_units)))
    lines += _warnings(report, words, markdown=False)
    return for_people(lines)


def for_people(lines: Iterable[str]) -> str:
    r"""Lines of a report for people, each ended: every character in them that would steer
    a terminal (ANSI escapes, BEL, CR, a line break inside a name, bidi controls), from
    whatever name or text of the files it comes, written as its escape
    (:func:`~doanorg.core._texts.printable`), so that a name can neither move the cursor
    nor forge a line.

    >>> for_people(["Chi đoàn \x1b[2J", "x\ny"])
    'Chi đoàn \\u001b[2J\nx\\ny\n'
    """
    return "".join(printable(line) + "\n" for line in lines)


def _cell(text: str) -> str:
    """A text in a Markdown table's cell: a ``|`` would end the cell, a line break the row."""
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, lang: str = DEFAULT_LANG) -> str:
    """The report as a Markdown document, in ``lang`` (``vi`` or ``en``)."""
    words = catalogue(lang)
    silent = frozenset(report.not_reported)
    lines = [
        f"# {report.plan_title or report.plan}",
        "",
        f"- {words['plan']}: `{report.plan}`",
        f"- {words['assessed_at']}: `{report.at}`"
        + (f" ({report.at_name})" if report.at_name else ""),
        f"- **{verdict(report, lang)}**",
        "- " + words.say("summary_md", **report.summary),
    ]
    if report.pacing is not None:
        lines.append(f"- {as_of_text(report.pacing, lang)}")
    if report.not_reported:
        lines.append("- " + words.say("not_reported_list", count=len(report.not_reported))
                     + ": " + ", ".join(f"`{unit}`" for unit in report.not_reported))
    paced = report.pacing is not None  # a column of each target's pace
    keys = ("target", "status", "figures", *(("pace",) if paced else ()), "text")
    heads = [words[f"head.{key}"] for key in keys]
    lines += [
        "",
        "| | " + " | ".join(heads) + " |",
        "|" + "---|" * (len(heads) + 1),
    ]
    for result in report.results:
        pace = "" if not paced else " " + _cell(
            words["none"] if result.pace is None else pace_text(result.pace, lang)) + " |"
        lines.append(
            f"| {MARKS[result.status]} | {_cell(result.id)} | {status_text(result, lang)} | "
            f"{_cell(figures(result, lang) + stretch_text(result, lang))} |{pace} "
            f"{_cell(result.text or '')} |"
        )
    heads = [words[f"head.{key}"] for key in ("unit", "name", "value", "shortfall")]
    for result in report.results:
        if not result.failing:
            continue
        lines += [
            "",
            "## " + words.say("failing_heading", target=result.id, count=len(result.failing)),
            "",
            "| " + " | ".join(heads) + " |",
            "|---|---|---|---|",
        ]
        for unit in result.failing[: SHOWN_FAILING["md"]]:
            value = (f"({words['not_reported']})" if unit.unit in silent
                     else format_number(unit.value, lang=lang))
            lines.append(f"| `{_cell(unit.unit)}` | {_cell(unit.name)} | {value} | "
                         f"{format_number(unit.shortfall, lang=lang)} |")
        if len(result.failing) > SHOWN_FAILING["md"]:
            lines += ["", words.say("more_md", count=len(result.failing) - SHOWN_FAILING["md"])]
    lines += _warnings(report, words, markdown=True)
    return for_people(lines)
