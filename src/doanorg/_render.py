"""Reports for people: plain text for a terminal and Markdown for documents.

Both show, for each target, its status, observed against required figures
and the plan's own Vietnamese words, then the units that fall short. Long
lists of failing units are cut after a few lines; the JSON report
(:meth:`doanorg.Report.to_dict`) always has them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from doanorg.report import FailingUnit, Report, TargetResult

__all__ = ["render_markdown", "render_text"]

SHOWN_FAILING = {"text": 10, "md": 25}
MARKS = {"met": "✓", "not_met": "✗", "not_applicable": "–", "informational": "i"}
WORDS = {
    "met": "met",
    "not_met": "NOT MET",
    "not_applicable": "not applicable",
    "informational": "informational",
}


def _number(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "—"}[value]
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _percent(value: object) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return _number(value)
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
    shown = _percent(result.observed) if result.type == "ratio" else _number(result.observed)
    if result.type == "ratio":
        return f"ratio {shown}; need {result.condition}"
    return f"total {shown}; need {result.condition}"


def _stretch(result: TargetResult) -> str:
    if result.stretch_met is None:
        return ""
    return "; stretch met" if result.stretch_met else "; stretch not met"


def _failing(unit: FailingUnit) -> str:
    short = "" if not unit.shortfall else f", short by {_number(unit.shortfall)}"
    name = f" {unit.name}" if unit.name else ""
    return f"{unit.unit}{name} (value {_number(unit.value)}{short})"


def _verdict(report: Report) -> str:
    summary = report.summary
    if report.compliant:
        return "COMPLIANT: every mandatory target is met or not applicable"
    return f"NOT COMPLIANT: {summary['required_not_met']} mandatory target(s) not met"


def render_text(report: Report) -> str:
    """The report as plain text for a terminal."""
    summary = report.summary
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
            lines += [f"        - {_failing(unit)}" for unit in shown_units]
            if len(result.failing) > len(shown_units):
                lines.append(f"        … {len(result.failing) - len(shown_units)} more "
                             "(--format json lists them all)")
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """The report as a Markdown document."""
    summary = report.summary
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
            lines.append(f"| `{unit.unit}` | {_cell(unit.name)} | {_number(unit.value)} | "
                         f"{_number(unit.shortfall)} |")
        if len(result.failing) > SHOWN_FAILING["md"]:
            lines.append(f"\n… and {len(result.failing) - SHOWN_FAILING['md']} more.")
    if report.warnings:
        lines += ["", "## Warnings", ""] + [f"- {warning}" for warning in report.warnings]
    return "\n".join(lines) + "\n"
