"""Reports for people: plain text for a terminal and Markdown for documents.

Both show, for each target, its status, observed against required figures
and the plan's own Vietnamese words, then the units that fall short, a unit
that did not report at all marked so (:data:`NOT_REPORTED`) rather than with
the missing value it never gave. Long lists of failing units are cut after a
few lines; the JSON report (:meth:`doanorg.Report.to_dict`) always has them
all. The report's warnings (facts ignored) are listed at the end.

Part of the core: :mod:`doanorg.core.report` renders with it, so it imports no
module of doanorg, not even the report's (which would import it back). What
it reads of a report is stated here instead, as the protocols
:class:`Report`, :class:`TargetResult` and :class:`FailingUnit`, which the
report's classes of those names meet. The words of each status (:data:`WORDS`),
the mark of a unit that did not report (:data:`NOT_REPORTED`) and the way a
figure is written (:func:`format_number`) serve the rendering of comparisons
and gaps too (:mod:`doanorg.whatif`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Protocol

__all__ = ["NOT_REPORTED", "WORDS", "format_number", "render_markdown", "render_text"]


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


def _percent(value: object) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return format_number(value)
    return f"{value * 100:.4g}%"


def figures(result: TargetResult) -> str:
    """Observed against required, in words: ``27/30 units (90%) pass; need 100%``."""
    if result.type == "each":
        if not result.selected:
            return "no unit selected"
        share = f"{result.passing}/{result.selected} units ({_percent(result.observed)})"
        return f"{share} meet {result.condition}; need {_percent(result.required)}"
    if result.observed is None:
        return "denominator is 0"
    shown = _percent(result.observed) if result.type == "ratio" else format_number(result.observed)
    if result.type == "ratio":
        return f"ratio {shown}; need {result.condition}"  # the condition reads in percent
    return f"total {shown}; need {result.condition}"


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
    if report.not_reported:
        shown = report.not_reported[: SHOWN_FAILING["text"]]
        more = len(report.not_reported) - len(shown)
        lines.append(f"Not reported ({len(report.not_reported)}): " + ", ".join(shown)
                     + (f", … {more} more" if more else ""))
    for result in report.results:
        aspirational = " (aspirational)" if result.aspirational else ""
        lines += [
            "",
            f"[{MARKS[result.status]}] {result.id:<4} {WORDS[result.status]}{aspirational} — "
            f"{figures(result)}{_stretch(result)}",
        ]
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
    if report.not_reported:
        lines.append(f"- Not reported ({len(report.not_reported)}): "
                     + ", ".join(f"`{unit}`" for unit in report.not_reported))
    lines += [
        "",
        "| | Target | Status | Figures | Chỉ tiêu |",
        "|---|---|---|---|---|",
    ]
    for result in report.results:
        status = WORDS[result.status] + (" (aspirational)" if result.aspirational else "")
        lines.append(
            f"| {MARKS[result.status]} | {result.id} | {status} | "
            f"{_cell(figures(result) + _stretch(result))} | {_cell(result.text or '')} |"
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
