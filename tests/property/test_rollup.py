"""Laws of the roll-up: subtree totals add up, ratios are ratios of sums, one pass serves all."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given

from doanorg import RatioTarget, assess, rollup
from doanorg.core.facts import MetricType, Value
from doanorg.testing.strategies import Case, cases, schemas


def _number(value: Value) -> int | float:
    """A numeric metric's own value as it sums: a flag is 1 or 0."""
    assert isinstance(value, int | float), value
    return int(value) if isinstance(value, bool) else value


@given(cases(schemas()))
def test_a_subtree_total_is_its_own_value_plus_its_childrens_totals(case: Case) -> None:
    """For every unit u and every numeric metric m: total(m, at=u) == own value of u
    + the sum of total(m, at=c) over u's children c. Exact for counts and flags (a
    flag counts 1 when true), up to float rounding for amounts."""
    assessment = rollup(case.org, case.facts, case.plan)
    for metric in case.plan.metrics.values():
        if not metric.type.numeric:
            continue
        for unit in case.org:
            expected = _number(assessment.value(metric.id, unit.id)) + sum(
                assessment.total(metric.id, at=child.id) for child in case.org.children(unit.id))
            actual = assessment.total(metric.id, at=unit.id)
            if metric.type is MetricType.AMOUNT:
                assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
            else:
                assert actual == expected
                assert isinstance(actual, int)


@given(cases(schemas(), min_targets=3, max_targets=10))
def test_a_ratio_is_the_ratio_of_subtree_sums(case: Case) -> None:
    """For a ratio target at any unit S: observed == (sum of the numerator's own values
    over S's subtree) / (sum of the denominator's), never the mean of per-unit ratios;
    a zero denominator is not_applicable with no observed value."""
    assessment = rollup(case.org, case.facts, case.plan)
    for unit in case.org:
        report = assessment.report(unit.id)
        subtree = case.org.subtree(unit.id)
        for target in case.plan.targets:
            if not isinstance(target, RatioTarget):
                continue
            numerator = sum(Fraction(_number(assessment.value(target.numerator, below.id)))
                            for below in subtree)
            denominator = sum(Fraction(_number(assessment.value(target.denominator, below.id)))
                              for below in subtree)
            result = report.result(target.id)
            if denominator == 0:
                assert (result.status, result.observed) == ("not_applicable", None)
            else:
                assert result.observed is not None
                assert math.isclose(result.observed, numerator / denominator, rel_tol=1e-9)


@given(cases(schemas()))
def test_one_rollup_gives_what_assess_gives_at_every_unit(case: Case) -> None:
    """rollup(org, facts, plan).report(u) == assess(org, facts, plan, at=u) for every
    unit u, and report() with no unit is the report at the root."""
    assessment = rollup(case.org, case.facts, case.plan)
    assert assessment.report().to_dict() == assess(case.org, case.facts, case.plan).to_dict()
    assert assessment.report().at == case.org.root.id
    for unit in case.org:
        expected = assess(case.org, case.facts, case.plan, at=unit.id).to_dict()
        assert assessment.report(unit.id).to_dict() == expected
