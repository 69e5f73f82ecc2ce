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
    from doanorg.whatif.compare import Comparison
    from doanorg.whatif.gap import Gap

__all__ = ["render_comparison", "render_gap", "render_markdown", "render_text"]

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
        return f"ratio {shown}; need {result.condition}"  # the condition reads in percent
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
    return "\n".join(lines) + "\n"


def render_comparison(comparison: Comparison, *, markdown: bool) -> str:
    """What differs between two scenarios' reports, as text or Markdown."""
    base, other = comparison.base, comparison.scenario
    bullet = "- " if markdown else "  "
    title = (f"{comparison.base_name} → {comparison.scenario_name} at {base.at}"
             + (f" — {base.at_name}" if base.at_name else ""))
    lines = [f"# {title}" if markdown else title, ""]
    verdict = {True: "compliant", False: "NOT compliant"}
    lines.append(f"{'**' if markdown else ''}{verdict[base.compliant]} → "
                 f"{verdict[other.compliant]}{'**' if markdown else ''}")
    lines += ["", "## Flipped targets" if markdown else "Flipped targets:"]
    if not comparison.flips:
        lines.append(f"{bullet}none")
    for flip in comparison.flips:
        before = WORDS.get(flip.before or "", "absent")
        after = WORDS.get(flip.after or "", "absent")
        lines.append(f"{bullet}{flip.target}: {before} → {after}")
        lines += [f"    {'- ' if markdown else ''}because {cause}" for cause in flip.causes]
    if comparison.changes:
        lines += ["", "## Changed figures" if markdown else "Changed figures:"]
        for change in comparison.changes:
            relative = "" if change.relative is None else f" ({change.relative:+.1%})"
            lines.append(f"{bullet}{change.target}: {_number(change.before)} → "
                         f"{_number(change.after)}{relative}")
    if comparison.units:
        lines += ["", "## Units" if markdown else "Units:"]
        for unit in comparison.units:
            verb = "stops failing" if unit.change == "stops_failing" else "starts failing"
            lines.append(f"{bullet}{unit.unit} {verb} {unit.target}")
    return "\n".join(lines) + "\n"


def render_gap(gap: Gap, *, markdown: bool) -> str:
    """The gap's to-do list, unit by unit, as text or Markdown."""
    scope = "every target" if gap.include_aspirational else "every mandatory target"
    title = f"Least extra effort to meet {scope} of {gap.base.plan.id} at {gap.at}"
    lines = [f"# {title}" if markdown else title, ""]
    if not gap.steps and gap.met:
        lines.append("Nothing to do: the plan is already met.")
    by_unit: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for step in gap.steps:
        names[step.unit] = step.name
        change = (f"{_number(step.before)} → {_number(step.after)}"
                  + (f" (+{_number(step.effort)})" if isinstance(step.after, int | float)
                     and not isinstance(step.after, bool) and step.after > step.before  # type: ignore[operator]
                     else ""))
        by_unit.setdefault(step.unit, []).append(
            f"{step.metric}: {change} for {', '.join(step.targets) or 'the plan'}")
    for unit, todo in by_unit.items():
        heading = f"{unit} {names[unit]}".strip()
        lines.append(f"## {heading}" if markdown else heading)
        lines += [f"- {item}" if markdown else f"  - {item}" for item in todo]
        if markdown:
            lines.append("")
    if gap.steps:
        effort = ", ".join(f"{metric} {_number(total)}" for metric, total in gap.effort().items())
        lines += ["", f"Effort in all: {effort}"]
    if gap.unmeetable:
        lines += ["", "## No effort can meet" if markdown else "No effort can meet:"]
        lines += [f"- {item.target}: {item.reason}" for item in gap.unmeetable]
    return "\n".join(lines) + "\n"
