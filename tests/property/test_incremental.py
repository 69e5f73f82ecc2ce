"""Laws of the what-if: an assessment edited fact by fact equals a fresh one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Assessment, rollup
from doanorg.core.facts import Facts, Metric, MetricType, RawValue
from doanorg.testing.strategies import Case, cases, schemas
from doanorg.whatif.scenario import Scenario, SetFact


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


def _more_values(metric: Metric) -> st.SearchStrategy[RawValue]:
    """Values of ``metric`` that also make a column start again: an amount with more
    decimals than the column holds, a count too large for the column's integers."""
    match metric.type:
        case MetricType.COUNT:
            return _values(metric) | st.sampled_from([10**17, 2**61])
        case MetricType.AMOUNT:
            return _values(metric) | st.integers(0, 30_000).map(lambda mills: mills / 1000)
        case MetricType.FLAG:
            return _values(metric) | st.sampled_from(["có", "không", "1", "0"])
        case MetricType.CATEGORY:
            return _values(metric)


def _same(assessment: Assessment, facts: Facts, units: list[str]) -> None:
    """``assessment`` gives at ``units`` what a fresh roll-up of ``facts`` gives."""
    fresh = rollup(assessment.org, facts, assessment.plan)
    for unit in units:
        assert assessment.statuses(unit) == fresh.statuses(unit)
        assert assessment.report(unit).to_dict() == fresh.report(unit).to_dict()


@given(st.data())
def test_long_chains_read_along_the_way_and_branches_equal_fresh_assessments(
    data: st.DataObject
) -> None:
    """Along a chain of up to 40 edits (longer than the chain of assessments whose verdicts
    an edit keeps), with flags, categories, removals, amounts of a finer scale and counts
    too large for int64 sums, and verdicts read at some steps: every step, and a branch
    edited from any step, assesses as a fresh roll-up of its facts does; the facts an
    edited assessment gives are the edited facts; the assessment edited stays as it was."""
    case = data.draw(cases(schemas(), max_units=20), label="case")
    units = [unit.id for unit in case.org]
    metrics = list(case.plan.metrics.values())

    def edit() -> tuple[str, str, RawValue]:
        metric = data.draw(st.sampled_from(metrics))
        return data.draw(st.sampled_from(units)), metric.id, data.draw(_more_values(metric))

    first = rollup(case.org, case.facts, case.plan)
    before = first.report().to_dict()
    assessment, facts = first, case.facts
    for _ in range(data.draw(st.integers(1, 40), label="edits")):
        unit, metric, value = edit()
        assessment = assessment.with_fact(unit, metric, value)
        facts = facts.with_value(unit, metric, value)
        if data.draw(st.booleans(), label="read now"):
            _same(assessment, facts, [units[0], unit])
        if data.draw(st.integers(0, 4), label="branch") == 0:
            other, metric, value = edit()
            branch = assessment.with_fact(other, metric, value)
            _same(branch, facts.with_value(other, metric, value), [units[0], other])
    assert assessment.facts == facts
    _same(assessment, facts, units)
    assert first.report().to_dict() == before
