"""The laws of the roll-up, as checks you can run on your own plan and data.

Each law is a function that takes a tree, facts and a plan (and, for some,
where and how to vary them), returns ``None`` when the law holds, and raises
:class:`LawViolation` when it does not: an :class:`AssertionError` whose
message names the law, the counterexample unit and the figures, so that it
reads well in a failing test. Run them on a year's real data, or drive them
with the strategies of :mod:`doanorg.testing.strategies` (which need Hypothesis;
this module does not).

Terms are those of :mod:`doanorg.core.engine`: a unit's *own value* of a metric
is what it reported itself (missing: 0, false, no category; a flag counts 1
when true); the *subtree* of S is S and all its descendants; a target
*reads* the metric it names (``each``, ``total``) or the two of a ``ratio``.
Sums are exact: a decimal is the number written (0.1 + 0.2 is 0.3).

The laws
--------
additivity (:func:`check_additivity`)
    For every unit u and every numeric metric m of the plan (count, amount,
    flag), the subtree total of m at u is u's own value of m plus the
    subtree totals of m at u's children, exactly.
ratio of sums (:func:`check_ratio_of_sums`)
    For every ratio target [p, q] and every unit S, with P and Q the sums of
    the own values of p and q over S's subtree: if Q = 0 the target is
    ``not_applicable`` with no observed value; otherwise its observed value
    is P / Q (never the mean of the units' own ratios), it is ``met``
    exactly when its condition holds for P / Q, and its ``stretch_met``
    tells whether the condition with ``stretch`` in place of ``at_least``
    holds for P / Q.
monotonicity (:func:`check_monotonicity`)
    Raising one unit's own value of a count or amount m by a positive amount
    changes, at any unit S, only targets that read m, and among those: a
    target that reads m upwards (an ``each`` or ``total`` on m, a ratio with
    m as numerator only) whose only condition is ``at_least`` stays ``met``
    if it was (and its ``stretch_met`` stays true), and one whose only
    condition is ``at_most`` stays ``not_met`` if it was; a ratio with m as
    denominator only does the opposite (``at_least``: ``not_met`` stays
    ``not_met``; ``at_most``: ``met`` stays ``met``); and an ``each``
    target's count of passing units does not fall (``at_least``) or rise
    (``at_most``).
locality (:func:`check_locality`)
    The report at a unit S depends only on the facts of S's subtree:
    replacing the facts of every unit outside it with other facts (other
    values, units that start or stop reporting) leaves the report at S
    unchanged. (``directly_under`` reads the kind of S's parent, which facts
    do not change.)
permutation (:func:`check_permutation`)
    Giving the tree's rows, and the facts' records, in any other order gives
    the same report at every unit, up to the order of its lists of failing
    units and of units that did not report (tree order follows the order in
    which children are given).
gap (:func:`check_gap`)
    For a unit S (default: the root), let G be the gap
    (:func:`doanorg.whatif.gap.find_gap`) of the plan at S, working on the
    mandatory targets (with ``include_aspirational``, on all). Assessed
    afresh with G's facts, the plan at S has exactly the targets G names
    unmeetable ``not_met`` among those worked on; every other one is met,
    not applicable or informational; and G is met exactly when it names
    none. Idempotence: when G is met, the gap of G's facts has no steps;
    when it is not (some targets contradict each other), the gap of G's
    facts is not met either.

:func:`check_all` runs every law with arguments it chooses itself (see
there). The pytest plugin :mod:`doanorg.testing.pytest_plugin` gives it to a test as
the ``doanorg_laws`` fixture.

Examples
--------
>>> from doanorg import Facts, UnitRow, build_org
>>> from doanorg.io import builtin_schema
>>> from doanorg.core.rules import plan_from_mapping
>>> schema = builtin_schema("doan")
>>> org = build_org([UnitRow("k", None, "khoi", "Đoàn Khối"),
...                  UnitRow("a", "k", "doan_co_so", "Đoàn cơ sở A"),
...                  UnitRow("b", "k", "doan_co_so", "Đoàn cơ sở B")], schema)
>>> plan = plan_from_mapping({
...     "id": "p",
...     "metrics": {"done": {"type": "count"}, "planned": {"type": "count"}},
...     "targets": [{"id": "1", "ratio": ["done", "planned"], "at_least": 0.5},
...                 {"id": "2", "each": ["doan_co_so"], "metric": "done", "at_least": 1}],
... }, schema)
>>> facts = Facts.from_records({"a": {"done": 1, "planned": 4}, "b": {"done": 3, "planned": 4}})
>>> check_all(org, facts, plan)  # every law holds: nothing to say
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from doanorg.core.engine import rollup
from doanorg.core.facts import Facts, MetricType, RawValue, coerce
from doanorg.core.model import Org, build_org
from doanorg.core.report import Report, TargetResult
from doanorg.core.rules import EachTarget, Plan, RatioTarget, Target
from doanorg.whatif.gap import find_gap
from doanorg.whatif.scenario import Scenario

__all__ = [
    "LAWS",
    "LawViolation",
    "check_additivity",
    "check_all",
    "check_gap",
    "check_locality",
    "check_monotonicity",
    "check_permutation",
    "check_ratio_of_sums",
]

LAWS = ("additivity", "ratio of sums", "monotonicity", "locality", "permutation", "gap")
"""The names of the laws, as :attr:`LawViolation.law` gives them."""


class LawViolation(AssertionError):
    """A law of the roll-up does not hold: which, where, and the figures that show it.

    Attributes
    ----------
    law : str
        One of :data:`LAWS`.
    unit : str or None
        The counterexample unit: where the law fails.
    target, metric : str or None
        The target, or the metric, the law fails for.
    figures : dict
        The numbers that show it, by name.

    Examples
    --------
    >>> error = LawViolation("additivity", "the total is not the own value plus the "
    ...                      "children's totals", unit="k", metric="done",
    ...                      figures={"own": 1, "children": {"a": 2}, "total": 4})
    >>> print(error)  # doctest: +NORMALIZE_WHITESPACE
    law of additivity broken at unit 'k', metric 'done': the total is not the own
    value plus the children's totals; figures: own=1, children={'a': 2}, total=4
    >>> isinstance(error, AssertionError), error.unit
    (True, 'k')
    """

    def __init__(self, law: str, detail: str, *, unit: str | None = None,
                 target: str | None = None, metric: str | None = None,
                 figures: Mapping[str, Any] | None = None) -> None:
        self.law = law
        self.detail = detail
        self.unit = unit
        self.target = target
        self.metric = metric
        self.figures: dict[str, Any] = dict(figures or {})
        where = "".join(
            f", {name} {value!r}" for name, value in (("target", target), ("metric", metric))
            if value is not None)
        shown = "; figures: " + ", ".join(
            f"{name}={_show(value)}" for name, value in self.figures.items()
        ) if self.figures else ""
        super().__init__(f"law of {law} broken at unit {unit!r}{where}: {detail}{shown}")


def _show(value: Any) -> str:
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{float(value):g} ({value})"
    return repr(value)


# --- reading the facts independently of the engine ---------------------------------------


def _own(plan: Plan, facts: Facts, metric: str, unit: str) -> Fraction:
    """``unit``'s own value of a numeric ``metric``, exactly, read from the facts."""
    value = coerce(plan.metrics[metric], facts.raw(unit, metric))
    if isinstance(value, bool):
        return Fraction(int(value))
    assert isinstance(value, int | float), value
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _numeric(plan: Plan) -> list[str]:
    return [metric.id for metric in plan.metrics.values() if metric.type.numeric]


def _reads(target: Target) -> frozenset[str]:
    if isinstance(target, RatioTarget):
        return frozenset({target.numerator, target.denominator})
    return frozenset({target.metric})


def _unit(org: Org, unit: str) -> str:
    org.position(unit)  # UnknownUnit, naming it, if it is not in the tree
    return unit


# --- the laws --------------------------------------------------------------------------------


def check_additivity(org: Org, facts: Facts, plan: Plan) -> None:
    """Check that every subtree total is the own value plus the children's totals.

    For every unit u and every numeric metric m of ``plan``: the engine's
    subtree total of m at u equals u's own value of m, read from ``facts``,
    plus the engine's subtree totals of m at u's children, exactly.

    Raises
    ------
    LawViolation
        Naming the unit and metric, with the own value, the children's totals
        and the total.

    Examples
    --------
    >>> from doanorg import Facts, UnitRow, build_org
    >>> from doanorg.io import builtin_schema
    >>> from doanorg.core.rules import plan_from_mapping
    >>> schema = builtin_schema("doan")
    >>> org = build_org([UnitRow("k", None, "khoi", "Khối"),
    ...                  UnitRow("a", "k", "doan_co_so", "A")], schema)
    >>> plan = plan_from_mapping({"id": "p", "metrics": {"trees": {"type": "amount"}},
    ...     "targets": [{"id": "4", "total": "trees", "at_least": 1}]}, schema)
    >>> check_additivity(org, Facts.from_records({"k": {"trees": 0.1}, "a": {"trees": "0.2"}}),
    ...                  plan)
    """
    assessment = rollup(org, facts, plan)
    for metric in _numeric(plan):
        for unit in org:
            own = _own(plan, facts, metric, unit.id)
            children = {child.id: assessment.exact_total(metric, at=child.id)
                        for child in org.children(unit.id)}
            total = assessment.exact_total(metric, at=unit.id)
            if total != own + sum(children.values(), Fraction(0)):
                raise LawViolation(
                    "additivity", "the subtree total is not the own value plus the "
                    "children's subtree totals", unit=unit.id, metric=metric,
                    figures={"own": own, "children": children, "total": total})


def check_ratio_of_sums(org: Org, facts: Facts, plan: Plan) -> None:
    """Check that every ratio target, at every unit, is the ratio of two subtree sums.

    For a ratio target ``[p, q]`` at unit S, with P and Q the sums of the
    own values of p and q over S's subtree (read from ``facts``, summed
    here): Q = 0 gives ``not_applicable`` and no observed value; otherwise
    the observed value is P / Q, the status is ``met`` exactly when the
    condition holds for P / Q, and ``stretch_met`` likewise for the stretch.

    Raises
    ------
    LawViolation
        Naming the unit and target, with P, Q, the ratio, and what the report
        shows.

    Examples
    --------
    >>> from doanorg import Facts, UnitRow, build_org
    >>> from doanorg.io import builtin_schema
    >>> from doanorg.core.rules import plan_from_mapping
    >>> schema = builtin_schema("doan")
    >>> org = build_org([UnitRow("k", None, "khoi", "Khối"),
    ...                  UnitRow("a", "k", "doan_co_so", "A"),
    ...                  UnitRow("b", "k", "doan_co_so", "B")], schema)
    >>> plan = plan_from_mapping({
    ...     "id": "p", "metrics": {"done": {"type": "count"}, "planned": {"type": "count"}},
    ...     "targets": [{"id": "5b", "ratio": ["done", "planned"], "at_least": 0.5}]}, schema)
    >>> # 1/10 and 1/1: the mean of the units' ratios is 0.55, the ratio of sums 2/11
    >>> facts = Facts.from_records({"a": {"done": 1, "planned": 10}, "b": {"done": 1,
    ...                                                                   "planned": 1}})
    >>> check_ratio_of_sums(org, facts, plan)
    """
    ratios = [target for target in plan.targets if isinstance(target, RatioTarget)]
    if not ratios:
        return
    assessment = rollup(org, facts, plan)
    own = {metric: [_own(plan, facts, metric, unit.id) for unit in org]
           for metric in {m for target in ratios for m in _reads(target)}}
    for position, unit in enumerate(org):
        end = org.ends[position]
        report = assessment.report(unit.id)
        for target in ratios:
            top = sum(own[target.numerator][position:end], Fraction(0))
            bottom = sum(own[target.denominator][position:end], Fraction(0))
            result = report.result(target.id)
            figures: dict[str, Any] = {"numerator_sum": top, "denominator_sum": bottom,
                                       "observed": result.observed, "status": result.status}
            if bottom == 0:
                if (result.status, result.observed) != ("not_applicable", None):
                    raise LawViolation("ratio of sums", "the denominator sums to 0, so the "
                                       "target is not_applicable with no observed value",
                                       unit=unit.id, target=target.id, figures=figures)
                continue
            ratio = top / bottom
            figures["ratio"] = ratio
            if result.observed is None or not math.isclose(result.observed, ratio,
                                                           rel_tol=1e-9, abs_tol=1e-12):
                raise LawViolation("ratio of sums", "the observed value is not the ratio of "
                                   "the subtree sums", unit=unit.id, target=target.id,
                                   figures=figures)
            expected = "met" if target.condition.holds(ratio) else "not_met"
            if result.status != expected:
                raise LawViolation("ratio of sums", f"the ratio of the subtree sums is "
                                   f"{expected} ({target.condition.describe(percent=True)})",
                                   unit=unit.id, target=target.id, figures=figures)
            if target.stretch is not None:
                stretched = target.condition.raised_to(target.stretch).holds(ratio)
                if result.stretch_met != stretched:
                    raise LawViolation("ratio of sums", f"stretch_met should be {stretched} "
                                       f"for the stretch {target.stretch}", unit=unit.id,
                                       target=target.id,
                                       figures={**figures, "stretch_met": result.stretch_met})


def _raised(plan: Plan, facts: Facts, unit: str, metric: str, amount: int | float) -> Facts:
    """``facts`` with ``unit``'s own ``metric`` raised by ``amount``, as the decimal sum."""
    total = _own(plan, facts, metric, unit) + Fraction(repr(amount) if isinstance(
        amount, float) else amount)
    value: RawValue = total.numerator if total.denominator == 1 else float(total)
    return facts.with_value(unit, metric, value)


def _direction(target: Target, metric: str) -> int:
    """+1 if raising ``metric`` can only raise what ``target`` compares, -1 if it can only
    lower it, 0 if the target does not read it, or reads it both ways."""
    if isinstance(target, RatioTarget):
        if target.numerator == target.denominator:
            return 0
        return 1 if target.numerator == metric else -1 if target.denominator == metric else 0
    return 1 if target.metric == metric else 0


def check_monotonicity(org: Org, facts: Facts, plan: Plan, *, unit: str, metric: str,
                       amount: int | float = 1, at: Iterable[str] | None = None) -> None:
    """Check that doing more of ``metric`` at ``unit`` never undoes a minimum, at any unit.

    Raises ``unit``'s own value of ``metric`` (a count or an amount) by
    ``amount`` (> 0; a whole number for a count) and compares the report at
    every unit (or every unit of ``at``) before and after: targets that do
    not read ``metric`` are
    unchanged; an ``at_least``-only target that reads it upwards (``each``,
    ``total``, a ratio's numerator) stays ``met`` if it was, its
    ``stretch_met`` stays true, and an ``each`` target's passing units do not
    fall; an ``at_most``-only one stays ``not_met`` if it was and its passing
    units do not rise. A ratio that reads ``metric`` as its denominator only
    is held to the opposite.

    Raises
    ------
    LawViolation
        Naming the assessed unit and the target, with the results before and
        after.
    ValueError
        If ``metric`` is not a count or amount of the plan, or ``amount`` is not
        a positive number of its type.

    Examples
    --------
    >>> from doanorg import Facts, UnitRow, build_org
    >>> from doanorg.io import builtin_schema
    >>> from doanorg.core.rules import plan_from_mapping
    >>> schema = builtin_schema("doan")
    >>> org = build_org([UnitRow("k", None, "khoi", "Khối"),
    ...                  UnitRow("a", "k", "doan_co_so", "A")], schema)
    >>> plan = plan_from_mapping({"id": "p", "metrics": {"projects": {"type": "count"}},
    ...     "targets": [{"id": "3", "each": ["doan_co_so"], "metric": "projects",
    ...                  "at_least": 3}]}, schema)
    >>> check_monotonicity(org, Facts.from_records({"a": {"projects": 3}}), plan,
    ...                    unit="a", metric="projects", amount=2)
    """
    _unit(org, unit)
    declared = plan.metrics.get(metric)
    if declared is None or declared.type not in (MetricType.COUNT, MetricType.AMOUNT):
        raise ValueError(f"metric={metric!r} must be a count or an amount the plan declares "
                         f"(it has {', '.join(plan.metrics)})")
    whole = declared.type is not MetricType.COUNT or (
        isinstance(amount, int) or (isinstance(amount, float) and amount.is_integer()))
    if (isinstance(amount, bool) or not isinstance(amount, int | float)
            or not math.isfinite(amount) or amount <= 0 or not whole):
        raise ValueError(f"amount={amount!r} must be a positive number"
                         + (" (a whole number, for a count)" if
                            declared.type is MetricType.COUNT else ""))
    where = [unit.id for unit in org] if at is None else [_unit(org, one) for one in at]
    before = rollup(org, facts, plan)
    after = rollup(org, _raised(plan, facts, unit, metric, amount), plan)
    for assessed in where:
        old, new = before.report(assessed), after.report(assessed)
        for target in plan.targets:
            was, now = old.result(target.id), new.result(target.id)
            figures = {"raised": unit, "amount": amount, "before": was.to_dict(),
                       "after": now.to_dict()}
            direction = _direction(target, metric)
            if metric not in _reads(target):
                if was.to_dict() != now.to_dict():
                    raise LawViolation("monotonicity", f"raising {metric!r} changed a target "
                                       "that does not read it", unit=assessed, target=target.id,
                                       metric=metric, figures=figures)
                continue
            problem = _monotone(target, direction, was, now)
            if problem:
                raise LawViolation("monotonicity", f"raising {metric!r} at {unit!r} by "
                                   f"{amount} {problem}", unit=assessed, target=target.id,
                                   metric=metric, figures=figures)


def _monotone(target: Target, direction: int, was: TargetResult, now: TargetResult) -> str:
    """What breaks monotonicity between two results of ``target``, or ''."""
    condition = target.condition
    low_only = condition.at_least is not None and condition.at_most is None
    high_only = condition.at_most is not None and condition.at_least is None
    if direction == 0 or not (low_only or high_only):
        return ""
    # raising what the target compares: at_least can only be helped, at_most hurt
    helped = low_only == (direction > 0)
    if helped:
        if was.status == "met" and now.status != "met":
            return f"turned a met {condition.describe()} into {now.status}"
        if was.stretch_met and not now.stretch_met:
            return "turned its stretch_met from true to false"
        if isinstance(target, EachTarget) and (now.passing or 0) < (was.passing or 0):
            return f"lowered the passing units from {was.passing} to {now.passing}"
    else:
        if was.status == "not_met" and now.status != "not_met":
            return f"turned a not_met {condition.describe()} into {now.status}"
        if isinstance(target, EachTarget) and (now.passing or 0) > (was.passing or 0):
            return f"raised the passing units from {was.passing} to {now.passing}"
    return ""


def _records(facts: Facts, units: Iterable[str]) -> dict[str, dict[str, RawValue]]:
    """The records of ``units`` that reported in ``facts`` (an empty one for a unit that
    reported no value)."""
    return {unit: dict(facts.values.get(unit, {})) for unit in units
            if unit in facts.reported or unit in facts.values}


def check_locality(org: Org, facts: Facts, plan: Plan, *, at: str,
                   other_facts: Facts) -> None:
    """Check that the report at ``at`` reads nothing outside ``at``'s subtree.

    Keeps the facts of ``at``'s subtree from ``facts`` and takes those of
    every other unit from ``other_facts`` (which units reported, too), and
    compares the report at ``at`` with the one ``facts`` gives.

    Raises
    ------
    LawViolation
        Naming ``at`` and the first target whose result differs (none if the
        list of units that did not report differs), with both results.

    Examples
    --------
    >>> from doanorg import Facts, UnitRow, build_org
    >>> from doanorg.io import builtin_schema
    >>> from doanorg.core.rules import plan_from_mapping
    >>> schema = builtin_schema("doan")
    >>> org = build_org([UnitRow("k", None, "khoi", "Khối"),
    ...                  UnitRow("a", "k", "doan_co_so", "A"),
    ...                  UnitRow("b", "k", "doan_co_so", "B")], schema)
    >>> plan = plan_from_mapping({"id": "p", "metrics": {"projects": {"type": "count"}},
    ...     "targets": [{"id": "3", "each": ["doan_co_so"], "metric": "projects",
    ...                  "at_least": 3}]}, schema)
    >>> check_locality(org, Facts.from_records({"a": {"projects": 3}}), plan, at="a",
    ...                other_facts=Facts.from_records({"b": {"projects": 9}}))
    """
    _unit(org, at)
    inside = {unit.id for unit in org.subtree(at)}
    outside = [unit for unit in (*other_facts.values, *other_facts.reported)
               if unit not in inside]
    mixed = Facts.from_records(_records(facts, inside) | _records(other_facts, outside),
                               period=facts.period, ignore_unknown_metrics=(
                                   facts.ignore_unknown_metrics
                                   or other_facts.ignore_unknown_metrics))
    expected = rollup(org, facts, plan).report(at)
    actual = rollup(org, mixed, plan).report(at)
    for want, got in zip(expected.results, actual.results, strict=True):
        if want.to_dict() != got.to_dict():
            raise LawViolation("locality", "other facts outside the subtree changed its "
                               "result", unit=at, target=want.id,
                               figures={"before": want.to_dict(), "after": got.to_dict()})
    if expected.to_dict() != actual.to_dict():
        raise LawViolation("locality", "other facts outside the subtree changed its report",
                           unit=at, figures={"before": expected.to_dict(),
                                             "after": actual.to_dict()})


def _unordered(report: Report) -> dict[str, Any]:
    """A report as a dict, with its lists of units sorted."""
    data = report.to_dict()
    data["not_reported"] = sorted(data["not_reported"])
    for entry in data["targets"]:
        entry["failing"] = sorted(entry["failing"], key=lambda failing: failing["unit"])
    return data


def check_permutation(org: Org, facts: Facts, plan: Plan, *, order: Sequence[str]) -> None:
    """Check that the order of the input rows changes nothing but the order of lists.

    Rebuilds the tree from its rows given in ``order`` (a permutation of its
    unit ids) and the facts with their records in that order, and compares
    the report at every unit, its lists of failing and not-reported units
    taken in any order.

    Raises
    ------
    LawViolation
        Naming the unit and the first target whose result differs.
    ValueError
        If ``order`` is not a permutation of the tree's unit ids.

    Examples
    --------
    >>> from doanorg import Facts, UnitRow, build_org
    >>> from doanorg.io import builtin_schema
    >>> from doanorg.core.rules import plan_from_mapping
    >>> schema = builtin_schema("doan")
    >>> org = build_org([UnitRow("k", None, "khoi", "Khối"),
    ...                  UnitRow("a", "k", "doan_co_so", "A"),
    ...                  UnitRow("b", "k", "doan_co_so", "B")], schema)
    >>> plan = plan_from_mapping({"id": "p", "metrics": {"projects": {"type": "count"}},
    ...     "targets": [{"id": "3", "each": ["doan_co_so"], "metric": "projects",
    ...                  "at_least": 3}]}, schema)
    >>> check_permutation(org, Facts.from_records({"a": {"projects": 1}}), plan,
    ...                   order=["b", "a", "k"])
    """
    ids = [unit.id for unit in org]
    if isinstance(order, str) or sorted(order) != sorted(ids):
        raise ValueError(f"order must list every unit id of the tree once, in any order "
                         f"(such as {list(reversed(ids))!r}); got {order!r}")
    rows = {row.id: row for row in org.rows()}
    shuffled = build_org([rows[unit] for unit in order], org.schema, source=org.source)
    rank = {unit: index for index, unit in enumerate(order)}
    named = sorted({*facts.values, *facts.reported}, key=lambda unit: rank.get(unit, len(rank)))
    records = {unit: dict(facts.values.get(unit, {})) for unit in named}
    moved = Facts(records, frozenset(facts.reported), facts.period,
                  ignore_unknown_metrics=facts.ignore_unknown_metrics)
    before, after = rollup(org, facts, plan), rollup(shuffled, moved, plan)
    for unit in ids:
        want, got = _unordered(before.report(unit)), _unordered(after.report(unit))
        if want == got:
            continue
        for one, other in zip(want["targets"], got["targets"], strict=True):
            if one != other:
                raise LawViolation("permutation", "the rows in another order changed its "
                                   "result", unit=unit, target=one["id"],
                                   figures={"order": list(order), "before": one,
                                            "after": other})
        raise LawViolation("permutation", "the rows in another order changed its report",
                           unit=unit, figures={"order": list(order), "before": want,
                                               "after": got})


def check_gap(org: Org, facts: Facts, plan: Plan, *, at: str | None = None,
              include_aspirational: bool = False) -> None:
    """Check that the gap at ``at`` does what it says, and that a second gap adds nothing.

    With G the gap of the plan at ``at`` (default: the root), working on the
    mandatory targets (all, with ``include_aspirational``): assessing the
    plan afresh with G's facts gives ``not_met`` for exactly the targets G
    names unmeetable, among those worked on; G is met exactly when it names
    none; and applying the gap twice is applying it once (idempotence): when
    G is met the gap of G's facts has no steps, and when it is not, the gap
    of G's facts is not met either.

    Raises
    ------
    LawViolation
        Naming ``at`` and the target, with its status after the gap and what
        the gap said of it (or the second gap's steps).

    Examples
    --------
    >>> from doanorg import Facts, UnitRow, build_org
    >>> from doanorg.io import builtin_schema
    >>> from doanorg.core.rules import plan_from_mapping
    >>> schema = builtin_schema("doan")
    >>> org = build_org([UnitRow("k", None, "khoi", "Khối"),
    ...                  UnitRow("a", "k", "doan_co_so", "A")], schema)
    >>> plan = plan_from_mapping({"id": "p", "metrics": {"projects": {"type": "count"}},
    ...     "targets": [{"id": "3", "each": ["doan_co_so"], "metric": "projects",
    ...                  "at_least": 3},
    ...                 {"id": "4", "total": "projects", "at_least": 10}]}, schema)
    >>> check_gap(org, Facts.from_records({"a": {"projects": 1}}), plan)
    """
    where = _unit(org, at) if at is not None else org.root.id
    worked = [target.id for target in plan.targets
              if include_aspirational or not target.aspirational]
    gap = find_gap(Scenario.baseline(org, facts, plan), at=where,
                   include_aspirational=include_aspirational)
    named = [item.target for item in gap.unmeetable]
    applied = rollup(org, gap.scenario.facts, plan).report(where)
    for target in worked:
        status = applied.result(target).status
        if (status == "not_met") != (target in named):
            said = "names it unmeetable" if target in named else "says it meets it"
            raise LawViolation("gap", f"the gap {said}, but with its facts the target is "
                               f"{status}", unit=where, target=target,
                               figures={"status": status, "unmeetable": named,
                                        "steps": len(gap.steps), "effort": gap.effort()})
    if gap.met != (not named):
        raise LawViolation("gap", "the gap is met exactly when it names nothing unmeetable",
                           unit=where, figures={"met": gap.met, "unmeetable": named})
    again = find_gap(Scenario.baseline(org, gap.scenario.facts, plan), at=where,
                     include_aspirational=include_aspirational)
    if gap.met and again.steps:
        first = again.steps[0]
        raise LawViolation(
            "gap", "applying the gap twice is not applying it once: the gap of the gap's "
            f"facts adds effort ({first.unit}.{first.metric}: {first.before!r} → "
            f"{first.after!r})", unit=first.unit, metric=first.metric,
            figures={"at": where, "second_effort": again.effort()})
    if not gap.met and again.met:
        raise LawViolation(
            "gap", "the gap names targets no effort can meet, yet the gap of its facts meets "
            "them all", unit=where, target=named[0],
            figures={"unmeetable": named, "second_effort": again.effort()})


def _path(org: Org, unit: str) -> list[str]:
    """``unit`` and the units above it, up to the root."""
    path = [unit]
    while (parent := org.parent(path[-1])) is not None:
        path.append(parent.id)
    return path


def check_all(org: Org, facts: Facts, plan: Plan) -> None:
    """Check every law on ``org``, ``facts`` and ``plan``, with arguments chosen here.

    Runs :func:`check_additivity` and :func:`check_ratio_of_sums`;
    :func:`check_monotonicity` raising by 1 (a count) or 0.5 (an amount),
    for each count or amount some target reads, the root's own value and
    that of the last unit in tree order (a leaf), compared at the units
    whose subtree holds the raised unit (elsewhere nothing may change, which
    locality checks); :func:`check_locality` at
    each child of the root, with no facts outside it; :func:`check_permutation`
    with the rows in reverse order; :func:`check_gap` at the root, on the
    mandatory targets and on all. Stops at the first law that fails. It
    assesses the plan at every unit a few times over: about half a minute on
    the built-in example's 4,721 units, well under a second on a drawn tree.

    Raises
    ------
    LawViolation
        From the first law that does not hold.

    Examples
    --------
    The built-in 2020 plan on a small Khối:

    >>> from doanorg import Facts, UnitRow, build_org, load_plan
    >>> plan = load_plan("doan-khoi-2020")
    >>> org = build_org([UnitRow("khoi", None, "khoi", "Đoàn Khối"),
    ...                  UnitRow("h1", "khoi", "doan_cap_huyen", "Đoàn Bộ Y tế"),
    ...                  UnitRow("cs", "h1", "doan_co_so", "Đoàn cơ sở Bệnh viện Bạch Mai"),
    ...                  UnitRow("cd", "cs", "chi_doan", "Chi đoàn Khoa Nhi")], plan.schema)
    >>> facts = Facts.from_records({"h1": {"youth_projects": 2}, "cd": {"trees_planted": 40}})
    >>> check_all(org, facts, plan)
    """
    check_additivity(org, facts, plan)
    check_ratio_of_sums(org, facts, plan)
    read = {metric for target in plan.targets for metric in _reads(target)}
    for metric in plan.metrics.values():
        if metric.id not in read or metric.type not in (MetricType.COUNT, MetricType.AMOUNT):
            continue
        amount = 1 if metric.type is MetricType.COUNT else 0.5
        for unit in dict.fromkeys((org.root.id, org.units[-1].id)):
            check_monotonicity(org, facts, plan, unit=unit, metric=metric.id, amount=amount,
                               at=_path(org, unit))
    nothing = Facts.from_records({}, period=facts.period)
    for child in org.children(org.root.id):
        check_locality(org, facts, plan, at=child.id, other_facts=nothing)
    check_permutation(org, facts, plan, order=[unit.id for unit in reversed(org.units)])
    check_gap(org, facts, plan)
    check_gap(org, facts, plan, include_aspirational=True)
