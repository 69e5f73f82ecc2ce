"""Law of monotonicity: doing more never turns a met minimum into a failure."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg import EachTarget, Metric, MetricType, RatioTarget, Target, rollup
from doanorg.testing.strategies import facts, metrics, orgs, plans, schemas

from ._support import with_records

_EXTRA = Metric("so_luong", MetricType.COUNT, "Số lượng")


def _minimum_only(target: Target, metric: str) -> bool:
    """Whether ``target`` is an at_least-only target that ``metric`` can only help."""
    condition = target.condition
    if condition.at_least is None or condition.at_most is not None:
        return False
    if isinstance(target, RatioTarget):
        return target.numerator == metric and target.denominator != metric
    return target.metric == metric


@given(st.data())
def test_raising_a_count_never_turns_a_met_minimum_into_not_met(data: st.DataObject) -> None:
    """Raising one unit's count of a metric m (by 1 to 5) never turns a met target with
    only an at_least condition that reads m (an each target on m, a total of m, a ratio
    with m as numerator only) into not_met, at any unit; its stretch_met stays true if it
    was; and targets that do not read m do not change at all."""
    schema = data.draw(schemas(), label="schema")
    declared = data.draw(metrics(), label="metrics")
    counts = [metric.id for metric in declared.values() if metric.type is MetricType.COUNT]
    if not counts:  # make sure there is a count to raise
        declared, counts = {**declared, _EXTRA.id: _EXTRA}, [_EXTRA.id]
    org = data.draw(orgs(schema, max_units=30), label="org")
    plan = data.draw(plans(schema, metrics=declared, min_targets=3, max_targets=10),
                     label="plan")
    before_facts = data.draw(facts(org, plan), label="facts")
    unit = data.draw(st.sampled_from([unit.id for unit in org]), label="unit")
    metric = data.draw(st.sampled_from(counts), label="metric")
    extra = data.draw(st.integers(1, 5), label="extra")

    before = rollup(org, before_facts, plan)
    raised = before.value(metric, unit)
    assert isinstance(raised, int)
    records = {name: dict(values) for name, values in before_facts.values.items()}
    records |= {name: {} for name in before_facts.reported if name not in records}
    records.setdefault(unit, {})[metric] = raised + extra
    after = rollup(org, with_records(before_facts, records), plan)

    for at in org:
        old, new = before.report(at.id), after.report(at.id)
        for target in plan.targets:
            was, now = old.result(target.id), new.result(target.id)
            reads = ({target.numerator, target.denominator} if isinstance(target, RatioTarget)
                     else {target.metric})
            if metric not in reads:
                assert now == was, (at.id, target.id)
            elif _minimum_only(target, metric):
                if was.status == "met":
                    assert now.status == "met", (at.id, target.id, was, now)
                if was.stretch_met:
                    assert now.stretch_met, (at.id, target.id, was, now)
                if isinstance(target, EachTarget) and was.passing is not None:
                    assert now.passing is not None and now.passing >= was.passing
