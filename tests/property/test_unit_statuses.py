"""Laws of the tree of verdicts: every unit's row is the plan assessed at that unit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Assessment, rollup
from doanorg.core.facts import MetricType
from doanorg.testing.strategies import cases, schemas


def _rows_are_statuses(assessment: Assessment, at: str) -> None:
    rows = assessment.unit_statuses(at)
    org = assessment.org
    start = org.position(at)
    assert [row.unit for row in rows] == [unit.id for unit in org.subtree(at)]
    silent = set(assessment.report(at).not_reported)
    for row in rows:
        statuses = assessment.statuses(row.unit)
        failed = [target.id for target in assessment.plan.targets
                  if statuses[target.id] == "not_met"]
        mandatory = {target.id for target in assessment.plan.targets if not target.aspirational}
        assert row.not_met == tuple(target for target in failed if target in mandatory)
        assert row.aspirational_not_met == tuple(target for target in failed
                                                 if target not in mandatory)
        assert row.compliant == (not row.not_met)
        assert row.reported == (row.unit not in silent)
        assert row.depth == org.depth(row.unit) - org.depth(org.ids[start])
        assert (row.name, row.kind) == (org[row.unit].name, org[row.unit].kind)


@given(st.data())
def test_unit_statuses_equal_statuses_at_each_unit(data: st.DataObject) -> None:
    """On a random tree, facts and plan, unit_statuses(at) lists the subtree of ``at`` in
    tree order, and each unit's row is statuses(at=unit): its mandatory and aspirational
    targets not met, in plan order, whether it reported, its depth below ``at``."""
    case = data.draw(cases(schemas(), max_units=30), label="case")
    assessment = rollup(case.org, case.facts, case.plan)
    at = data.draw(st.sampled_from([unit.id for unit in case.org]), label="at")
    _rows_are_statuses(assessment, case.org.root.id)
    _rows_are_statuses(assessment, at)


@given(st.data())
def test_unit_statuses_after_edits_equal_statuses(data: st.DataObject) -> None:
    """After random fact edits (with_fact), unit_statuses still equals statuses(at=unit)
    at every unit: the totals the edits moved are read with the rest."""
    case = data.draw(cases(schemas(), max_units=30), label="case")
    assessment = rollup(case.org, case.facts, case.plan)
    units = [unit.id for unit in case.org]
    metrics = [metric for metric in case.plan.metrics.values()
               if metric.type is MetricType.COUNT]
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        if not metrics:
            break
        metric = data.draw(st.sampled_from(metrics), label="metric")
        value = data.draw(st.integers(0, 12), label="value")
        assessment = assessment.with_fact(data.draw(st.sampled_from(units), label="unit"),
                                          metric.id, value)
    _rows_are_statuses(assessment, case.org.root.id)
