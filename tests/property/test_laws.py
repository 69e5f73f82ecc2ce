"""The laws of doanorg.testing.laws: they hold on random data, and they catch a broken engine."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from doanorg import Facts, Org, RatioTarget, UnitRow, UnknownUnit, build_org
from doanorg.core.engine import Assessment
from doanorg.core.facts import MetricType
from doanorg.core.rules import Plan, Target, plan_from_mapping
from doanorg.io import builtin_schema
from doanorg.testing import laws
from doanorg.testing.laws import LawViolation
from doanorg.testing.strategies import Case, cases, facts, orgs, schemas

_CASES = cases(schemas(), max_units=15, max_targets=4)


def _unit(data: st.DataObject, org: Org, label: str = "unit") -> str:
    return data.draw(st.sampled_from([unit.id for unit in org]), label=label)


@given(_CASES)
def test_additivity_holds(case: Case) -> None:
    """check_additivity: every subtree total is the own value plus the children's."""
    laws.check_additivity(case.org, case.facts, case.plan)


@given(_CASES)
def test_the_ratio_of_sums_holds(case: Case) -> None:
    """check_ratio_of_sums: every ratio, at every unit, is the ratio of subtree sums."""
    laws.check_ratio_of_sums(case.org, case.facts, case.plan)


@given(_CASES, st.data())
def test_monotonicity_holds(case: Case, data: st.DataObject) -> None:
    """check_monotonicity: raising a count or an amount at any unit, by any positive
    amount, never undoes a met minimum (nor meets a broken maximum) anywhere."""
    summed = [metric for metric in case.plan.metrics.values()
              if metric.type in (MetricType.COUNT, MetricType.AMOUNT)]
    if not summed:
        return
    metric = data.draw(st.sampled_from(summed), label="metric")
    amount: int | float = data.draw(
        st.integers(1, 5) if metric.type is MetricType.COUNT
        else st.integers(1, 500).map(lambda cents: cents / 100), label="amount")
    laws.check_monotonicity(case.org, case.facts, case.plan, unit=_unit(data, case.org),
                            metric=metric.id, amount=amount)


@given(_CASES, st.data())
def test_locality_holds(case: Case, data: st.DataObject) -> None:
    """check_locality: at any unit, other facts outside its subtree change nothing."""
    other = data.draw(facts(case.org, case.plan), label="other_facts")
    laws.check_locality(case.org, case.facts, case.plan, at=_unit(data, case.org, "at"),
                        other_facts=other)


@given(_CASES, st.data())
def test_permutation_holds(case: Case, data: st.DataObject) -> None:
    """check_permutation: the rows in any order give the same reports."""
    order = data.draw(st.permutations([unit.id for unit in case.org]), label="order")
    laws.check_permutation(case.org, case.facts, case.plan, order=order)


@given(cases(schemas(), max_units=10, max_targets=4), st.data())
def test_the_gap_law_holds(case: Case, data: st.DataObject) -> None:
    """check_gap: at any unit, with or without the aspirational targets, the gap's facts
    leave not_met exactly what it names unmeetable, and a second gap adds nothing."""
    laws.check_gap(case.org, case.facts, case.plan, at=_unit(data, case.org, "at"),
                   include_aspirational=data.draw(st.booleans(), label="aspirational"))


@settings(max_examples=20)
@given(cases(schemas(), max_units=12, max_targets=4))
def test_check_all_holds(case: Case) -> None:
    """check_all: every law at once, with the arguments it chooses."""
    laws.check_all(case.org, case.facts, case.plan)


# --- a broken engine is caught, and shrinks to a minimal counterexample -------------------


def _exact(value: int | float) -> Fraction:
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(int(value))


def _mean_of_ratios(original: Callable[..., Any]) -> Callable[..., Any]:
    """Assessment._compute_status with a classic mistake: a ratio target's observed value is
    the mean of the units' own ratios (over units with a denominator), not the ratio of
    the subtree sums. (On one unit the two agree.)"""
    def status(self: Assessment, target: Target, position: int) -> Any:
        if not isinstance(target, RatioTarget):
            return original(self, target, position)
        ratios = []
        for unit in self.org.units[position:self.org.ends[position]]:
            top, bottom = (self.value(metric, unit.id)
                           for metric in (target.numerator, target.denominator))
            assert isinstance(top, int | float) and isinstance(bottom, int | float)
            if bottom:
                ratios.append(_exact(top) / _exact(bottom))
        if not ratios:
            return "not_applicable", None, None
        mean = sum(ratios, Fraction(0)) / len(ratios)
        stretched = (None if target.stretch is None
                     else target.condition.raised_to(target.stretch).holds(mean))
        return ("met" if target.condition.holds(mean) else "not_met"), stretched, float(mean)

    return status


_SCHEMA = builtin_schema("doan")


def _plan_of(target: dict[str, Any]) -> Plan:
    return plan_from_mapping({"id": "p", "metrics": {"done": {"type": "count"},
                                                     "planned": {"type": "count"}},
                              "targets": [target]}, _SCHEMA)


@st.composite
def _small_cases(draw: st.DrawFn, plan: Plan) -> Case:
    """Trees of up to 8 units of the doan schema, with facts for ``plan``: a search small
    enough to shrink in a few seconds."""
    org = draw(orgs(max_units=8))
    return Case(org, plan, draw(facts(org, plan)))


def _violation(check: Callable[[Org, Facts, Plan], None], case: Case) -> LawViolation | None:
    try:
        check(case.org, case.facts, case.plan)
    except LawViolation as error:
        return error
    return None


_SHRINK = settings(database=None, max_examples=1_000, derandomize=True)


def test_a_mean_of_ratios_is_caught_and_shrinks_to_two_units(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ratios computed as the mean of the units' own ratios, check_ratio_of_sums
    raises a LawViolation that names the law, a unit of the tree and a ratio target; and
    Hypothesis shrinks the failing case to the smallest one that shows the mistake: two
    units (on one unit the mean is its own ratio), and a message naming the unit where
    the figures differ."""
    monkeypatch.setattr(Assessment, "_compute_status",
                        _mean_of_ratios(Assessment._compute_status))
    plan = _plan_of({"id": "5b", "ratio": ["done", "planned"], "at_least": 0.5})
    case = find(_small_cases(plan),
                lambda case: _violation(laws.check_ratio_of_sums, case) is not None,
                settings=_SHRINK)
    error = _violation(laws.check_ratio_of_sums, case)
    assert error is not None
    assert (error.law, len(case.org)) == ("ratio of sums", 2)
    assert (error.unit, error.target) == (case.org.root.id, "5b")
    assert f"law of ratio of sums broken at unit {error.unit!r}" in str(error)
    assert {"numerator_sum", "denominator_sum", "observed"} <= error.figures.keys()


def test_a_total_that_leaves_out_a_units_own_value_is_caught_on_two_units(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a subtree total that, at a unit with children, adds up the children's totals
    and forgets the unit's own value, check_additivity fails; the failing case shrinks
    to two units, a root with an own value and one child, and the message names the
    root, the metric and the figures."""
    original = Assessment.exact_total

    def children_only(self: Assessment, metric: str, *, at: str | None = None) -> Fraction:
        unit = at if at is not None else self.org.root.id
        children = self.org.children(unit)
        if not children:
            return original(self, metric, at=unit)
        return sum((original(self, metric, at=child.id) for child in children), Fraction(0))

    monkeypatch.setattr(Assessment, "exact_total", children_only)
    plan = _plan_of({"id": "4", "total": "done", "at_least": 10})
    case = find(_small_cases(plan),
                lambda case: _violation(laws.check_additivity, case) is not None,
                settings=_SHRINK)
    error = _violation(laws.check_additivity, case)
    assert error is not None
    assert (error.law, len(case.org), error.unit) == ("additivity", 2, case.org.root.id)
    assert error.figures["own"] != 0
    assert f"unit {case.org.root.id!r}, metric {error.metric!r}" in str(error)


# --- examples ----------------------------------------------------------------------------


def _small() -> tuple[Org, Plan]:
    org = build_org([UnitRow("k", None, "khoi", "Khối"),
                     UnitRow("a", "k", "doan_co_so", "A"),
                     UnitRow("b", "k", "doan_co_so", "B")], _SCHEMA)
    plan = plan_from_mapping({
        "id": "p", "metrics": {"n": {"type": "count"}, "x": {"type": "amount"},
                               "r": {"type": "category", "values": ["tot"]}},
        "targets": [{"id": "t", "each": ["doan_co_so"], "metric": "n", "at_least": 1}]},
        _SCHEMA)
    return org, plan


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda org, plan: laws.check_monotonicity(org, Facts.from_records({}), plan,
                                                   unit="a", metric="r"),
         ValueError, "count or an amount"),
        (lambda org, plan: laws.check_monotonicity(org, Facts.from_records({}), plan,
                                                   unit="a", metric="n", amount=0),
         ValueError, "positive"),
        (lambda org, plan: laws.check_monotonicity(org, Facts.from_records({}), plan,
                                                   unit="a", metric="n", amount=1.5),
         ValueError, "whole number"),
        (lambda org, plan: laws.check_monotonicity(org, Facts.from_records({}), plan,
                                                   unit="zz", metric="n"),
         UnknownUnit, "zz"),
        (lambda org, plan: laws.check_permutation(org, Facts.from_records({}), plan,
                                                  order=["k", "a"]),
         ValueError, "every unit id"),
        (lambda org, plan: laws.check_locality(org, Facts.from_records({}), plan, at="zz",
                                               other_facts=Facts.from_records({})),
         UnknownUnit, "zz"),
        (lambda org, plan: laws.check_gap(org, Facts.from_records({}), plan, at="zz"),
         UnknownUnit, "zz"),
    ],
)
def test_bad_arguments_say_what_is_wrong(
    call: Callable[[Org, Plan], None], error: type[Exception], match: str
) -> None:
    """A law's own arguments are checked, with an error that is not a LawViolation."""
    org, plan = _small()
    with pytest.raises(error, match=match):
        call(org, plan)


def test_a_violation_carries_its_figures() -> None:
    """LawViolation is an AssertionError with the law, unit, target, metric and figures,
    and a message that names them."""
    error = LawViolation("locality", "it changed", unit="a", target="t",
                         figures={"before": 1, "ratio": Fraction(1, 3)})
    assert isinstance(error, AssertionError)
    assert (error.law, error.unit, error.target, error.metric) == ("locality", "a", "t", None)
    assert str(error) == ("law of locality broken at unit 'a', target 't': it changed; "
                          "figures: before=1, ratio=0.333333 (1/3)")


def test_each_law_has_a_name_and_a_check() -> None:
    """LAWS names the six laws; __all__ lists every check, sorted."""
    assert laws.LAWS == ("additivity", "ratio of sums", "monotonicity", "locality",
                         "permutation", "gap")
    checks = {name for name in vars(laws) if name.startswith("check_")}
    assert checks == {"check_additivity", "check_ratio_of_sums", "check_monotonicity",
                      "check_locality", "check_permutation", "check_gap", "check_all"}
    assert checks <= set(laws.__all__)
    assert sorted(laws.__all__) == laws.__all__


def test_importing_the_laws_does_not_import_hypothesis() -> None:
    """doanorg.testing.laws runs on a year's data without the test extra."""
    code = "import sys, doanorg.testing.laws; sys.exit('hypothesis' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
