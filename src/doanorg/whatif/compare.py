"""Comparing two scenarios at one unit: what flips, why, and by how much.

A :class:`Comparison` holds the two reports and what differs between them:

- *flips*: targets whose status changed, each with its *causes*: the facts
  that changed for the metrics the target reads (``h14.youth_projects: 2 →
  3``) and the edits of units or of the target itself;
- *unit changes*: units that start or stop failing an ``each`` target, and
  failing units that leave the assessed subtree (moved out, merged away or
  removed: ``left``, never counted as fixed) or join it (moved in, added or
  split off: ``joined``);
- *changes*: targets whose observed value changed, with the absolute and
  relative change.

:meth:`Comparison.to_dict` is the object ``doanorg whatif --format json``
prints (SPEC §8): ``{"base": REPORT, "scenario": REPORT, "flipped": [...]}``,
each flip ``{"id", "from", "to", "causes"}``, plus ``"units"`` and
``"changed"``.

Examples
--------
>>> from doanorg import Facts, load_org, load_plan
>>> from doanorg.io import example_file
>>> from doanorg.whatif.scenario import Scenario
>>> base = Scenario.baseline(load_org(example_file("org.csv")),
...                          Facts.from_records({"h01": {"youth_projects": 2}}),
...                          load_plan("doan-khoi-2020"))
>>> other = base.set_fact("h01", "youth_projects", 3)
>>> comparison = compare(base, other, at="h01")
>>> [(flip.target, flip.before, flip.after) for flip in comparison.flips]
[('3b', 'not_met', 'met')]
>>> comparison.flips[0].causes
('h01.youth_projects: 2 → 3',)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Literal

import attrs

from doanorg.core._catalogue import DEFAULT_LANG, Catalogue, catalogue
from doanorg.core._render import for_people, observed_exact, observed_figure
from doanorg.core.report import Report, Status
from doanorg.core.rules import EachTarget, Plan, RatioTarget, Target
from doanorg.errors import Problem, ScenarioError
from doanorg.whatif.scenario import (
    AddFact,
    AddTarget,
    ChangeTarget,
    DropTarget,
    Edit,
    MergeUnits,
    Scenario,
    SetFact,
    SplitUnit,
)

__all__ = ["Change", "Comparison", "Flip", "UnitChange", "compare", "compare_reports"]

Number = int | float


@attrs.frozen
class Flip:
    """A target whose status differs; ``None`` where the target is absent from a plan."""

    target: str
    before: Status | None
    after: Status | None
    causes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.target, "from": self.before, "to": self.after,
                "causes": list(self.causes)}


@attrs.frozen
class UnitChange:
    """A unit that starts or stops failing an ``each`` target, or that leaves the assessed
    subtree while failing it (``left``) or joins the subtree failing it (``joined``)."""

    target: str
    unit: str
    change: Literal["starts_failing", "stops_failing", "left", "joined"]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.target, "unit": self.unit, "change": self.change}


@attrs.frozen
class Change:
    """A target whose observed value differs: absolute and relative change.

    ``relative`` is ``None`` when the base value is 0 or either is missing.
    """

    target: str
    before: Number | None
    after: Number | None
    absolute: Number | None
    relative: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.target, "from": self.before, "to": self.after,
                "absolute": self.absolute, "relative": self.relative}


@attrs.frozen
class Comparison:
    """Two reports of the same unit, and what differs between them."""

    base: Report
    scenario: Report
    flips: tuple[Flip, ...]
    units: tuple[UnitChange, ...]
    changes: tuple[Change, ...]
    base_name: str = "base"
    scenario_name: str = "scenario"

    def to_dict(self) -> dict[str, Any]:
        """SPEC §8's whatif object, with ``units`` and ``changed`` added."""
        return {
            "base": self.base.to_dict(),
            "scenario": self.scenario.to_dict(),
            "flipped": [flip.to_dict() for flip in self.flips],
            "units": [unit.to_dict() for unit in self.units],
            "changed": [change.to_dict() for change in self.changes],
        }

    def to_text(self, lang: str = DEFAULT_LANG) -> str:
        """The differences for a terminal, in ``lang`` (``vi``, the default, or ``en``)."""
        return _render_comparison(self, markdown=False, lang=lang)

    def to_markdown(self, lang: str = DEFAULT_LANG) -> str:
        """The differences as Markdown, in ``lang`` (``vi``, the default, or ``en``)."""
        return _render_comparison(self, markdown=True, lang=lang)


def _reads(target: Target) -> frozenset[str]:
    if isinstance(target, RatioTarget):
        return frozenset({target.numerator, target.denominator})
    return frozenset({target.metric})


def _fact_units(edits: Iterable[Edit]) -> list[str]:
    """Units whose own facts an edit may have changed, in the order first touched."""
    units: dict[str, None] = {}
    for edit in edits:
        if isinstance(edit, SetFact | AddFact):
            units[edit.unit] = None
        elif isinstance(edit, MergeUnits):
            units[edit.into] = None
        elif isinstance(edit, SplitUnit):
            units.update({edit.unit: None, edit.new_id: None})
    return list(units)


def _edits_between(base: Scenario, other: Scenario) -> tuple[Edit, ...]:
    """The edits on either side since the scenarios' last common ancestor (all of
    both sides' if they share none): each side's edits can explain a difference."""
    ancestry: list[Scenario] = []
    scenario: Scenario | None = base
    while scenario is not None:
        ancestry.append(scenario)
        scenario = scenario.base
    depth = {id(scenario): index for index, scenario in enumerate(ancestry)}
    other_side: list[Scenario] = []
    scenario = other
    while scenario is not None and id(scenario) not in depth:
        other_side.append(scenario)
        scenario = scenario.base
    base_side = ancestry[: depth[id(scenario)]] if scenario is not None else ancestry
    return tuple(edit for side in (reversed(base_side), reversed(other_side))
                 for step in side for edit in step.edits)


def _selects(scenario: Scenario, target: str, unit: str) -> bool:
    """Whether ``target`` reads ``unit``'s own value in ``scenario``: an each target
    only the units it selects; a total or a ratio every unit of the subtree."""
    try:
        chosen = scenario.plan.target(target)
    except KeyError:
        return False
    if not isinstance(chosen, EachTarget):
        return True
    if unit not in scenario.org:
        return False
    marks = scenario.assessment().own_passing[("selected", target)]
    return bool(marks[scenario.org.position(unit)])


def _causes(target: str, plans: tuple[Plan, Plan], base: Scenario, other: Scenario,
            at: str, edits: tuple[Edit, ...]) -> tuple[str, ...]:
    reads: frozenset[str] = frozenset()
    for plan in plans:
        try:
            reads |= _reads(plan.target(target))
        except KeyError:
            continue
    causes: list[str] = []
    inside = [{unit.id for unit in scenario.org.subtree(at)} for scenario in (base, other)]
    for unit in _fact_units(edits):
        if not any(unit in units for units in inside):
            continue
        if not (_selects(base, target, unit) or _selects(other, target, unit)):
            continue
        for metric in sorted(reads):
            before = _own(base, unit, metric)
            after = _own(other, unit, metric)
            if before != after:
                causes.append(f"{unit}.{metric}: {_show(before)} → {_show(after)}")
    for edit in edits:
        if isinstance(edit, SetFact | AddFact):
            continue  # shown above as the values they changed
        if isinstance(edit, ChangeTarget | DropTarget):
            touches = edit.target == target
        elif isinstance(edit, AddTarget):
            touches = edit.spec.get("id") == target
        else:
            touches = True  # a change of the tree can change any target's figures
        if touches:
            causes.append(edit.describe())
    return tuple(causes)


def _own(scenario: Scenario, unit: str, metric: str) -> object:
    if unit not in scenario.org or metric not in scenario.plan.metrics:
        return None
    return scenario.assessment().value(metric, unit)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _within(scenario: Scenario, at: str, unit: str) -> bool:
    """Whether ``unit`` is in the subtree of ``at`` in ``scenario`` (a run of tree order)."""
    org = scenario.org
    if unit not in org:
        return False
    start = org.position(at)
    return start <= org.position(unit) < org.end_array.item(start)


def compare(base: Scenario, other: Scenario, *, at: str | None = None,
            as_of: date | None = None) -> Comparison:
    """Compare ``other`` with ``base``, both assessed at ``at`` (default: the root).

    Raises
    ------
    ScenarioError
        If ``at`` is not a unit of both scenarios.
    """
    at = at if at is not None else base.org.root.id
    for scenario in (base, other):
        if at not in scenario.org:
            raise ScenarioError([Problem(
                f"unit {at!r} is not in scenario {scenario.name!r}", unit=at)])
    return compare_reports(base, other, base.report(at, as_of=as_of),
                           other.report(at, as_of=as_of))


def compare_reports(base: Scenario, other: Scenario, before: Report, after: Report
                    ) -> Comparison:
    """:func:`compare`, given the two scenarios' reports at one unit (both made at
    ``before.at``): a sweep makes the base's report once for all its scenarios."""
    at = before.at
    edits = _edits_between(base, other)
    plans = (base.plan, other.plan)
    old = {result.id: result for result in before.results}
    new = {result.id: result for result in after.results}
    order = [*old, *(target for target in new if target not in old)]

    flips, units, changes = [], [], []
    for target in order:
        first, second = old.get(target), new.get(target)
        status_before = first.status if first else None
        status_after = second.status if second else None
        if status_before != status_after:
            flips.append(Flip(target, status_before, status_after,
                              _causes(target, plans, base, other, at, edits)))
        if first is None or second is None:
            continue
        failing_before, failing_after = list(first.failing.units), list(second.failing.units)
        still_failing, was_failing = set(failing_after), set(failing_before)
        # a unit no longer failing at ``at`` may have gone from the subtree, not been fixed
        units += [UnitChange(target, unit, "stops_failing" if _within(other, at, unit)
                             else "left")
                  for unit in failing_before if unit not in still_failing]
        units += [UnitChange(target, unit, "starts_failing" if _within(base, at, unit)
                             else "joined")
                  for unit in failing_after if unit not in was_failing]
        if first.observed != second.observed:
            absolute = (second.observed - first.observed
                        if first.observed is not None and second.observed is not None else None)
            relative = (absolute / first.observed
                        if absolute is not None and first.observed else None)
            changes.append(Change(target, first.observed, second.observed, absolute, relative))
    return Comparison(before, after, tuple(flips), tuple(units), tuple(changes),
                      base.name, other.name)


# --- for people ---------------------------------------------------------------------------


def _figures(base: Report, other: Report, target: str, lang: str) -> str:
    """A target's observed figure before → after, each beside its own bounds and the other
    figure, so that neither contradicts a verdict nor reads the same as the other."""
    first, second = base.result(target), other.result(target)
    exact = [observed_exact(first), observed_exact(second)]
    return (f"{observed_figure(first, [exact[1]] if exact[1] is not None else [], lang=lang)}"
            " → "
            f"{observed_figure(second, [exact[0]] if exact[0] is not None else [], lang=lang)}")


def _render_comparison(comparison: Comparison, *, markdown: bool, lang: str) -> str:
    """What differs between two scenarios' reports, as text or Markdown, in ``lang``. The
    causes are written as :meth:`Comparison.to_dict` holds them."""
    words = catalogue(lang)
    base, other = comparison.base, comparison.scenario
    bullet = "- " if markdown else "  "
    title = (words.say("whatif.title", base=comparison.base_name,
                       scenario=comparison.scenario_name, at=base.at)
             + (f" — {base.at_name}" if base.at_name else ""))
    lines = [f"# {title}" if markdown else title, ""]
    verdict = {True: words["whatif.compliant"], False: words["whatif.not_compliant"]}
    lines.append(f"{'**' if markdown else ''}{verdict[base.compliant]} → "
                 f"{verdict[other.compliant]}{'**' if markdown else ''}")

    def heading(key: str) -> str:
        return f"## {words[key]}" if markdown else f"{words[key]}:"

    def status(value: Status | None) -> str:
        return words["whatif.absent"] if value is None else words.status(value)

    lines += ["", heading("whatif.flipped")]
    if not comparison.flips:
        lines.append(f"{bullet}{words['whatif.nothing']}")
    for flip in comparison.flips:
        lines.append(f"{bullet}{flip.target}: {status(flip.before)} → {status(flip.after)}")
        lines += [f"    {'- ' if markdown else ''}{words.say('whatif.because', cause=cause)}"
                  for cause in flip.causes]
    if comparison.changes:
        lines += ["", heading("whatif.changed")]
        for change in comparison.changes:
            relative = ("" if change.relative is None
                        else f" ({words.number(f'{change.relative:+.1%}')})")
            lines.append(f"{bullet}{change.target}: "
                         f"{_figures(base, other, change.target, lang)}{relative}")
    if comparison.units:
        lines += ["", heading("whatif.units")]
        silent = _silent(comparison, words)
        for unit in comparison.units:
            lines.append(bullet + words.say(f"whatif.{unit.change}", unit=unit.unit,
                                            target=unit.target) + silent(unit.unit))
    return for_people(lines)


def _silent(comparison: Comparison, words: Catalogue) -> Callable[[str], str]:
    """The mark of a unit that did not report, on either side or both (`` (not reported
    in baseline)``; ``""`` for a unit that reported on both)."""
    sides = [(name, frozenset(report.not_reported)) for name, report in (
        (comparison.base_name, comparison.base), (comparison.scenario_name, comparison.scenario))]

    def mark(unit: str) -> str:
        where = [name for name, units in sides if unit in units]
        if not where:
            return ""
        return (f" ({words['not_reported']})" if len(where) == 2
                else f" ({words.say('whatif.not_reported_in', side=where[0])})")

    return mark
