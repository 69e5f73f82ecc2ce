"""Laws of what-if and gap: the gap meets the plan with the least effort, and round-trips
through a facts file; whatif's flips are the differences of two independent assessments."""

from __future__ import annotations

import math
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Facts, Org, Plan, Report, assess, load_facts
from doanorg.core.facts import MetricType, RawValue
from doanorg.core.rules import plan_from_mapping
from doanorg.core.schema import Schema
from doanorg.io import save_facts
from doanorg.testing.strategies import Case, cases, facts, orgs, schemas
from doanorg.whatif.compare import compare
from doanorg.whatif.gap import find_gap
from doanorg.whatif.scenario import ChangeTarget, Edit, Scenario, SetFact

_UNITS, _TARGETS = 20, 6  # small trees and plans: the laws, not the sizes
_CASES = cases(schemas(), max_units=_UNITS, max_targets=_TARGETS)
_CASES_OF_A_PERIOD = cases(schemas(), period="2020", max_units=_UNITS, max_targets=_TARGETS)


def _worked(plan: Plan, include_aspirational: bool) -> list[str]:
    return [t.id for t in plan.targets if include_aspirational or not t.aspirational]


# --- (a) the gap makes the plan met, or names what cannot be -----------------------------


@given(_CASES, st.data())
def test_applying_the_gap_meets_every_worked_target_or_names_it(
    case: Case, data: st.DataObject
) -> None:
    """For any tree, plan and facts, at any unit, with or without the aspirational
    targets: in the gap's scenario every target worked on is met, not applicable or
    informational at that unit, except the targets the gap names as unmeetable, which are
    exactly the ones still not met; and the gap is met exactly when it names none."""
    at = data.draw(st.sampled_from([unit.id for unit in case.org]), label="at")
    aspirational = data.draw(st.booleans(), label="include_aspirational")
    gap = find_gap(Scenario.baseline(case.org, case.facts, case.plan), at=at,
                   include_aspirational=aspirational)
    report = gap.scenario.report(at)
    not_met = [target for target in _worked(case.plan, aspirational)
               if report.result(target).status == "not_met"]
    assert not_met == [item.target for item in gap.unmeetable]
    assert gap.met == (not not_met)
    assert all(item.reason for item in gap.unmeetable)


_KINDLIST = st.lists(st.integers(0, 11), min_size=1, max_size=3, unique=True)


@st.composite
def _agreeable_cases(draw: st.DrawFn) -> Case:
    """A tree and a plan whose targets never contradict each other: each at_least on
    counts and amounts (any share, with or without directly_under), each equals true on a
    flag and equals one value on a category, totals at_least (of a flag, at most as many
    as there are units), ratios at_least whose numerator is never a denominator; and
    facts for them."""
    schema: Schema = draw(schemas(), label="schema")
    org: Org = draw(orgs(schema, max_units=20), label="org")
    kinds = list(schema.kinds)
    pick = st.lists(st.sampled_from(kinds), min_size=1, max_size=3, unique=True)
    metrics = {"dem": {"type": "count"}, "mau": {"type": "count"}, "tien": {"type": "amount"},
               "co": {"type": "flag"},
               "loai": {"type": "category", "values": ["xuat_sac", "tot", "kem"]}}
    targets: list[dict[str, Any]] = []
    for number in range(draw(st.integers(1, 6))):
        shape = draw(st.sampled_from(["each", "flag", "category", "total", "ratio"]))
        target: dict[str, Any] = {"id": f"t{number}",
                                  "aspirational": draw(st.booleans())}
        if shape in ("each", "flag", "category"):
            target["each"] = draw(pick)
            if draw(st.booleans()):
                target["directly_under"] = draw(pick)
            if draw(st.booleans()):
                target["share"] = draw(st.integers(0, 100)) / 100
        if shape == "each":
            target["metric"] = draw(st.sampled_from(["dem", "mau", "tien"]))
            target["at_least"] = draw(st.integers(0, 5) | st.integers(0, 50).map(lambda n: n / 10))
        elif shape == "flag":
            target |= {"metric": "co", "equals": True}
        elif shape == "category":
            target |= {"metric": "loai", "equals": "xuat_sac"}
        elif shape == "total":
            target["total"] = draw(st.sampled_from(["dem", "mau", "tien", "co"]))
            target["at_least"] = draw(  # no more flags than units to set them on
                st.integers(0, len(org)) if target["total"] == "co"
                else st.integers(0, 60) | st.integers(0, 600).map(lambda n: n / 10))
        else:
            target["ratio"] = [draw(st.sampled_from(["dem", "tien"])), "mau"]
            target["at_least"] = draw(st.integers(0, 300)) / 100
        targets.append(target)
    plan = plan_from_mapping({"id": "hop-ly", "metrics": metrics, "targets": targets}, schema)
    return Case(org, plan, draw(facts(org, plan), label="facts"))


@given(_agreeable_cases(), st.data())
def test_a_plan_without_contradictions_is_always_met_by_its_gap(
    case: Case, data: st.DataObject
) -> None:
    """When no two targets contradict each other, the gap names nothing unmeetable, and
    its scenario is compliant at the assessed unit (every worked target met, not
    applicable or informational)."""
    at = data.draw(st.sampled_from([unit.id for unit in case.org]), label="at")
    aspirational = data.draw(st.booleans(), label="include_aspirational")
    gap = find_gap(Scenario.baseline(case.org, case.facts, case.plan), at=at,
                   include_aspirational=aspirational)
    report = gap.scenario.report(at)
    assert ((), True) == (gap.unmeetable, gap.met)
    assert [] == [target for target in _worked(case.plan, aspirational)
                  if report.result(target).status == "not_met"]


# --- (b) no smaller effort -------------------------------------------------------------------


@st.composite
def _quota_cases(draw: st.DrawFn) -> tuple[Case, list[dict[str, Any]]]:
    """A tree and a plan of per-unit quotas (each at_least, share 1) and at most one
    total at_least per metric, on one or two count metrics that each and total targets
    may share; with the plan's targets as mappings."""
    schema: Schema = draw(schemas(), label="schema")
    org: Org = draw(orgs(schema, max_units=25), label="org")
    kinds = list(schema.kinds)
    metrics = [f"m{index}" for index in range(draw(st.integers(1, 2)))]
    targets: list[dict[str, Any]] = []
    for number in range(draw(st.integers(1, 5))):
        metric = draw(st.sampled_from(metrics))
        if draw(st.booleans()):
            target: dict[str, Any] = {
                "id": f"e{number}", "metric": metric,
                "each": draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3,
                                      unique=True)),
                "at_least": draw(st.integers(0, 6) | st.integers(0, 60).map(lambda n: n / 10)),
            }
            if draw(st.booleans()):
                target["directly_under"] = draw(st.lists(st.sampled_from(kinds), min_size=1,
                                                         max_size=2, unique=True))
        elif not any(other.get("total") == metric for other in targets):
            target = {"id": f"t{number}", "total": metric, "at_least": draw(
                st.integers(0, 120) | st.integers(0, 1200).map(lambda n: n / 10))}
        else:
            continue
        targets.append(target)
    plan = plan_from_mapping({"id": "dinh-muc", "metrics": {m: {"type": "count"}
                                                            for m in metrics},
                              "targets": targets}, schema)
    return Case(org, plan, draw(facts(org, plan), label="facts")), targets


def _least_effort(case: Case, targets: list[dict[str, Any]], at: str) -> dict[str, int]:
    """Worked out here, independently: per metric, the sum of every unit's deficit (its
    highest quota, rounded up to a whole count, minus its own value), plus what the total
    still lacks after those deficits (at the root only: below it totals are not judged)."""
    org = case.org
    inside = [unit.id for unit in org.subtree(at)]
    own = {(unit, metric): int(Fraction(str(case.facts.raw(unit, metric) or 0).strip() or 0))
           for unit in inside for metric in case.plan.metrics}
    effort: dict[str, int] = {}
    for metric in case.plan.metrics:
        deficits = 0
        for unit in inside:
            parent = org.parent(unit)
            quota = max((math.ceil(Fraction(str(t["at_least"]))) for t in targets
                         if t.get("metric") == metric and org[unit].kind in t["each"]
                         and ("directly_under" not in t or (
                             parent is not None and parent.kind in t["directly_under"]))),
                        default=0)
            deficits += max(0, quota - own[(unit, metric)])
        rest = 0
        if at == org.root.id:
            bound = max((math.ceil(Fraction(str(t["at_least"]))) for t in targets
                         if t.get("total") == metric), default=0)
            rest = max(0, bound - sum(own[(unit, metric)] for unit in inside) - deficits)
        if deficits + rest:
            effort[metric] = deficits + rest
    return effort


@given(_quota_cases(), st.data())
def test_the_gap_of_quotas_and_totals_is_the_least_effort(
    drawn: tuple[Case, list[dict[str, Any]]], data: st.DataObject
) -> None:
    """For per-unit quotas (each at_least, share 1) and totals (at_least), on distinct or
    shared count metrics: the gap's effort per metric is exactly the sum of the per-unit
    deficits plus what the total still lacks after them, which no smaller effort can
    give (every deficit must be made up, and the total must be reached), and it meets
    the plan."""
    case, targets = drawn
    at = data.draw(st.sampled_from([unit.id for unit in case.org]), label="at")
    gap = find_gap(Scenario.baseline(case.org, case.facts, case.plan), at=at)
    assert _least_effort(case, targets, at) == gap.effort()
    assert gap.met and gap.scenario.report(at).compliant


# --- (c) --apply round trip ----------------------------------------------------------------


@given(_CASES | _CASES_OF_A_PERIOD, st.data())
def test_the_gaps_facts_survive_a_facts_file(case: Case, data: st.DataObject) -> None:
    """What gap --apply writes is what the gap's scenario holds: save_facts of its
    facts, load_facts back, assess → the same report as the gap's scenario gives."""
    at = data.draw(st.sampled_from([unit.id for unit in case.org]), label="at")
    gap = find_gap(Scenario.baseline(case.org, case.facts, case.plan), at=at,
                   include_aspirational=data.draw(st.booleans(), label="include_aspirational"))
    scenario = gap.scenario
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "out.csv"
        save_facts(scenario.facts, path, org=scenario.org, plan=scenario.plan)
        loaded = load_facts(path, org=scenario.org, plan=scenario.plan,
                            ignore_unknown_metrics=scenario.facts.ignore_unknown_metrics)
    assert scenario.report(at) == assess(scenario.org, loaded, scenario.plan, at=at)
    assert scenario.report() == assess(scenario.org, loaded, scenario.plan)


# --- (d) whatif flips ------------------------------------------------------------------------


def _values(metric_type: MetricType, categories: tuple[str, ...]) -> st.SearchStrategy[RawValue]:
    if metric_type is MetricType.COUNT:
        return st.integers(0, 12)
    if metric_type is MetricType.AMOUNT:
        return st.integers(0, 3000).map(lambda cents: cents / 100)
    if metric_type is MetricType.FLAG:
        return st.booleans()
    return st.sampled_from((*categories, None))


@st.composite
def _edits(draw: st.DrawFn, case: Case) -> list[Edit]:
    """One to three edits: own values set (any unit, any metric, a value of its type, or
    none), and lower bounds changed (the stretch dropped, kept under any upper bound)."""
    units = [unit.id for unit in case.org]
    bounded = [t for t in case.plan.targets if t.condition.at_least is not None]
    edits: list[Edit] = []
    for _ in range(draw(st.integers(1, 3))):
        if bounded and draw(st.integers(0, 3)) == 0:
            target = draw(st.sampled_from(bounded))
            value: int | float = draw(st.integers(0, 8) | st.integers(0, 300).map(
                lambda n: n / 100))
            if target.condition.at_most is not None:
                value = min(value, target.condition.at_most)
            edits.append(ChangeTarget(target.id, {"at_least": value, "stretch": None}))
        else:
            metric = draw(st.sampled_from(list(case.plan.metrics.values())))
            edits.append(SetFact(draw(st.sampled_from(units)), metric.id,
                                 draw(_values(metric.type, metric.values))))
    return edits


def _by_hand(case: Case, edits: list[Edit]) -> tuple[Facts, Plan]:
    """The facts and plan the edits make, made here from plain records and mappings."""
    records: dict[str, dict[str, RawValue]] = {
        unit: dict(values) for unit, values in case.facts.values.items()}
    reported = set(case.facts.reported)
    mapping = case.plan.to_mapping()
    for edit in edits:
        if isinstance(edit, SetFact):
            own = records.setdefault(edit.unit, {})
            if edit.value is None:
                own.pop(edit.metric, None)
            else:
                own[edit.metric] = edit.value
            reported.add(edit.unit)
        else:
            assert isinstance(edit, ChangeTarget)
            (entry,) = [t for t in mapping["targets"] if t["id"] == edit.target]
            entry["at_least"] = edit.changes["at_least"]
            entry.pop("stretch", None)
    facts_ = Facts(records, frozenset(reported), case.facts.period,
                   ignore_unknown_metrics=case.facts.ignore_unknown_metrics)
    return facts_, plan_from_mapping(mapping, case.plan.schema)


def _status_differences(before: Report, after: Report) -> list[tuple[str, str, str]]:
    statuses = {result.id: result.status for result in before.results}
    return [(result.id, statuses[result.id], result.status) for result in after.results
            if statuses[result.id] != result.status]


@given(_CASES, st.data())
def test_whatif_flips_are_the_differences_of_two_assessments(
    case: Case, data: st.DataObject
) -> None:
    """For random edits of facts and bounds, the flips compare() finds at any unit are
    exactly the targets whose status differs between assess() on the baseline and
    assess() on facts and a plan edited by hand, in plan order; each flip names a cause."""
    at = data.draw(st.sampled_from([unit.id for unit in case.org]), label="at")
    edits = data.draw(_edits(case), label="edits")
    base = Scenario.baseline(case.org, case.facts, case.plan)
    scenario = base.apply(*edits, name="thử")
    facts_, plan = _by_hand(case, edits)
    expected = _status_differences(assess(case.org, case.facts, case.plan, at=at),
                                   assess(case.org, facts_, plan, at=at))
    comparison = compare(base, scenario, at=at)
    assert expected == [(flip.target, flip.before, flip.after) for flip in comparison.flips]
    assert all(flip.causes for flip in comparison.flips)


@given(_CASES, st.data())
def test_flips_between_two_scenarios_of_one_baseline(case: Case, data: st.DataObject) -> None:
    """Two scenarios tried side by side (neither made from the other): the flips from
    the first to the second are the status differences of the two assessments."""
    at = data.draw(st.sampled_from([unit.id for unit in case.org]), label="at")
    first_edits = data.draw(_edits(case), label="first")
    second_edits = data.draw(_edits(case), label="second")
    base = Scenario.baseline(case.org, case.facts, case.plan)
    reports = []
    for edits in (first_edits, second_edits):
        facts_, plan = _by_hand(case, edits)
        reports.append(assess(case.org, facts_, plan, at=at))
    comparison = compare(base.apply(*first_edits), base.apply(*second_edits), at=at)
    assert _status_differences(*reports) == [
        (flip.target, flip.before, flip.after) for flip in comparison.flips]
