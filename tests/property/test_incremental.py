"""Laws of the what-if: an assessment edited fact by fact equals a fresh one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg import rollup
from doanorg.facts import Metric, MetricType, RawValue
from doanorg.scenario import Scenario, SetFact
from doanorg.strategies import Case, cases, schemas


def _values(metric: Metric) -> st.SearchStrategy[RawValue]:
    match metric.type:
        case MetricType.COUNT:
            return st.none() | st.integers(0, 12)
        case MetricType.AMOUNT:
            return st.none() | st.integers(0, 1200).map(lambda cents: cents / 100)
        case MetricType.FLAG:
            return st.none() | st.booleans()
        case MetricType.CATEGORY:
            return st.none() | st.sampled_from(metric.values)


@st.composite
def _edits(draw: st.DrawFn, case: Case) -> list[SetFact]:
    units = [unit.id for unit in case.org]
    metrics = list(case.plan.metrics.values())
    edits = []
    for _ in range(draw(st.integers(1, 8))):
        metric = draw(st.sampled_from(metrics))
        edits.append(SetFact(draw(st.sampled_from(units)), metric.id, draw(_values(metric))))
    return edits


@given(st.data())
def test_edits_applied_one_by_one_equal_a_fresh_assessment(data: st.DataObject) -> None:
    """For a random sequence of fact edits, Assessment.with_fact applied edit by edit
    (updating only the edited units and their ancestors) gives, at every unit, the same
    report as rolling the edited facts up from scratch."""
    case = data.draw(cases(schemas(), max_units=30), label="case")
    edits = data.draw(_edits(case), label="edits")
    incremental = rollup(case.org, case.facts, case.plan)
    facts = case.facts
    for edit in edits:
        incremental = incremental.with_fact(edit.unit, edit.metric, edit.value)
        facts = facts.with_value(edit.unit, edit.metric, edit.value)
    fresh = rollup(case.org, facts, case.plan)
    for unit in case.org:
        assert incremental.report(unit.id).to_dict() == fresh.report(unit.id).to_dict()
        assert incremental.statuses(unit.id) == fresh.statuses(unit.id)


@given(st.data())
def test_a_scenario_of_fact_edits_equals_a_fresh_assessment(data: st.DataObject) -> None:
    """A scenario whose base was assessed updates its assessment incrementally; the
    result equals assessing the scenario's facts afresh, and the base is unchanged."""
    case = data.draw(cases(schemas(), max_units=30), label="case")
    edits = data.draw(_edits(case), label="edits")
    base = Scenario.baseline(case.org, case.facts, case.plan)
    before = base.report().to_dict()
    scenario = base.apply(*edits)
    fresh = rollup(scenario.org, scenario.facts, scenario.plan)
    for unit in case.org:
        assert scenario.report(unit.id).to_dict() == fresh.report(unit.id).to_dict()
    assert base.report().to_dict() == before
