"""The roll-up: a plan assessed at any unit, from ONE bottom-up pass over the tree.

Terms:

*own value*
    what a unit reported of its own work for a metric (SPEC §2); a missing
    value is 0, false or no category.
*subtree*
    a unit and all its descendants. In tree order (depth-first, children in
    input order; see :class:`~doanorg.Org`) the subtree of the unit at
    position ``s`` is the run of positions ``[s, ends[s])``.
*subtree total*
    the sum of a numeric metric's own values over a subtree (a flag counts
    1 when true). The subtree total of a unit is its own value plus its
    children's subtree totals.
*compliance*
    a subtree is compliant when no target that is not aspirational is
    ``not_met`` when the plan is assessed at its top unit (SPEC §4).

How: :func:`rollup` reads every unit's own values once, and for each
``each`` target marks whether the unit is selected, passes, and passes at
the stretch level. These are the *columns* of one table with a row per
unit. Then ONE pass over the units from the last in tree order to the
first (children always come after their parent, so every child is done
before its parent) adds each unit's row into its parent's. After it, row
``s`` holds the subtree totals of unit ``s`` for every metric and every
target together. Assessing the plan at any unit reads one row, plus the
failing and not-reported units of its subtree, found by bisecting lists
kept in tree order. No unit's subtree is ever walked.

The result at a unit depends only on its subtree, except that
``directly_under`` reads the parent's kind of each selected unit (so of the
assessed unit itself, whose parent is outside).

Examples
--------
>>> from doanorg import Facts, load_org, load_plan
>>> from doanorg.io import example_file
>>> org = load_org(example_file("org.csv"))
>>> plan = load_plan("doan-khoi-2020")
>>> facts = Facts.from_records({"h01": {"trees_planted": 120}, "khoi": {"trees_planted": 5}})
>>> assessment = rollup(org, facts, plan)
>>> assessment.total("trees_planted", at="khoi"), assessment.total("trees_planted", at="h01")
(125, 120)
>>> assessment.report(at="h01").result("4").status
'informational'
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from fractions import Fraction

import attrs

from doanorg.errors import FactsError, Problem
from doanorg.facts import Facts, MetricType, Value, coerce, missing_value
from doanorg.model import Org
from doanorg.report import FailingUnit, Report, Status, TargetResult
from doanorg.rules import Condition, EachTarget, Plan, RatioTarget, Target, TotalTarget

__all__ = ["Assessment", "assess", "rollup"]

Number = int | float


@attrs.frozen
class _EachColumns:
    """Where an ``each`` target's counts sit in the table, and its failing units."""

    selected: int
    passing: int
    stretch_passing: int | None
    failing: tuple[int, ...]
    """Positions of the selected units that fail, in tree order."""


@attrs.frozen(eq=False)
class Assessment:
    """A plan rolled up over a whole tree: any unit's report is then a lookup.

    Build it with :func:`rollup`; :meth:`report` gives the report at a unit.
    """

    org: Org
    facts: Facts
    plan: Plan
    own: dict[str, list[Value]] = attrs.field(repr=False)
    """Each declared metric's own value per unit, in tree order."""
    table: list[list[int]] = attrs.field(repr=False)
    """Per unit (tree order), the subtree totals of every column (amounts scaled)."""
    metric_columns: dict[str, int] = attrs.field(repr=False)
    """Where each numeric metric's subtree totals sit in the table."""
    scales: dict[str, int] = attrs.field(repr=False)
    """Amounts are summed exactly as integers: the decimals written, times a power of 10."""
    each_columns: dict[str, _EachColumns] = attrs.field(repr=False)
    not_reported: tuple[int, ...] = attrs.field(repr=False)
    warnings: tuple[Problem, ...] = ()

    def total(self, metric: str, *, at: str | None = None) -> Number:
        """The subtree total of a numeric metric at ``at`` (default: the root)."""
        total = self.exact_total(metric, at=at)
        return total.numerator if total.denominator == 1 else float(total)

    def exact_total(self, metric: str, *, at: str | None = None) -> Fraction:
        """The subtree total of a numeric metric at ``at``, exactly: 0.1 + 0.2 is 3/10."""
        position = 0 if at is None else self.org.position(at)
        return Fraction(self.table[position][self.metric_columns[metric]], self.scales[metric])

    def value(self, metric: str, unit: str) -> Value:
        """``unit``'s own value of ``metric``, read against its type."""
        return self.own[metric][self.org.position(unit)]

    def report(self, at: str | None = None) -> Report:
        """The plan assessed at ``at`` (default: the root): SPEC §4–5."""
        position = 0 if at is None else self.org.position(at)
        unit = self.org.units[position]
        end = self.org.ends[position]
        results = tuple(self._result(target, position, end) for target in self.plan.targets)
        missing = _within(self.not_reported, position, end)
        return Report(
            plan=self.plan.id,
            at=unit.id,
            results=results,
            not_reported=tuple(self.org.units[p].id for p in missing),
            plan_title=self.plan.title,
            at_name=unit.name,
            warnings=self.warnings,
        )

    def _result(self, target: Target, position: int, end: int) -> TargetResult:
        row = self.table[position]
        condition = target.condition
        status: Status
        stretch_met: bool | None = None
        selected = passing = None
        failing: tuple[FailingUnit, ...] = ()
        observed: Number | None
        if isinstance(target, EachTarget):
            columns = self.each_columns[target.id]
            selected, passing = int(row[columns.selected]), int(row[columns.passing])
            share = Condition(at_least=target.share)
            required: object = target.share
            observed = passing / selected if selected else None
            if selected == 0:
                status = "not_applicable"
            else:
                status = "met" if share.holds(Fraction(passing, selected)) else "not_met"
                if columns.stretch_passing is not None:
                    stretch = int(row[columns.stretch_passing])
                    stretch_met = share.holds(Fraction(stretch, selected))
            values = self.own[target.metric]
            failing = tuple(
                FailingUnit(self.org.units[p].id, values[p], condition.shortfall(values[p]),
                            self.org.units[p].name)
                for p in _within(columns.failing, position, end)
            )
        else:
            required = condition.required
            exact: Fraction | None
            if isinstance(target, TotalTarget):
                exact = self.exact_total(target.metric, at=self.org.units[position].id)
                observed = self.total(target.metric, at=self.org.units[position].id)
                judged = position == 0  # totals are set for the plan's root
            else:
                unit = self.org.units[position].id
                numerator = self.exact_total(target.numerator, at=unit)
                denominator = self.exact_total(target.denominator, at=unit)
                exact = numerator / denominator if denominator else None
                observed = float(exact) if exact is not None else None
                judged = True
            if exact is None:
                status = "not_applicable"
            elif not judged:
                status = "informational"
            else:
                status = "met" if condition.holds(exact) else "not_met"
                if target.stretch is not None:
                    stretch_met = condition.raised_to(target.stretch).holds(exact)
        return TargetResult(
            id=target.id, type=target.type, aspirational=target.aspirational, status=status,
            observed=observed, required=required,
            # a range bounds the required figure of a total or a ratio; for an each
            # target the required figure is the share, and the range is per unit
            required_max=(condition.at_most if condition.is_range
                          and not isinstance(target, EachTarget) else None),
            stretch_met=stretch_met, selected=selected, passing=passing, failing=failing,
            text=target.text,
            condition=condition.describe(percent=isinstance(target, RatioTarget)),
        )


def _within(positions: Sequence[int], start: int, end: int) -> Sequence[int]:
    """The positions in ``[start, end)`` of a sorted sequence (a subtree's share of it)."""
    return positions[bisect_left(positions, start) : bisect_left(positions, end)]


def rollup(org: Org, facts: Facts, plan: Plan) -> Assessment:
    """Roll ``plan`` up over the whole of ``org`` in one bottom-up pass.

    Raises
    ------
    FactsError
        If a fact names a unit not in ``org`` or does not fit its metric's
        type; every such problem is listed.
    """
    problems = facts.problems(org.positions, plan.metrics)
    if problems:
        raise FactsError(problems)
    warnings = tuple(
        Problem(f"facts for metric {metric!r} are ignored: the plan does not declare it",
                file=facts.source, metric=metric)
        for metric in sorted(facts.metrics() - set(plan.metrics))
    )
    count = len(org.units)
    own: dict[str, list[Value]] = {}
    for metric in plan.metrics.values():
        own_values = [missing_value(metric)] * count
        for unit, values in facts.values.items():
            if metric.id in values:
                own_values[org.positions[unit]] = coerce(metric, values[metric.id])
        own[metric.id] = own_values

    columns: list[list[int]] = []
    metric_columns: dict[str, int] = {}
    scales: dict[str, int] = {}
    for metric in plan.metrics.values():
        if metric.type is not MetricType.CATEGORY:
            metric_columns[metric.id] = len(columns)
            scales[metric.id], scaled = _scaled(own[metric.id])
            columns.append(scaled)
    each_columns: dict[str, _EachColumns] = {}
    for target in plan.targets:
        if isinstance(target, EachTarget):
            each_columns[target.id] = _mark(org, plan, target, own[target.metric], columns)

    # one row per unit; then ONE pass, children before parents, adds each row into its parent's
    table = [list(own_row) for own_row in zip(*columns, strict=True)] or [[] for _ in org.units]
    parents = org.parents
    for position in range(count - 1, 0, -1):
        parent_row = table[parents[position]]
        for column, amount in enumerate(table[position]):
            parent_row[column] += amount

    reported = facts.reported
    not_reported = tuple(p for p, unit in enumerate(org.units) if unit.id not in reported)
    return Assessment(org, facts, plan, own, table, metric_columns, scales, each_columns,
                      not_reported, warnings)


def _decimals(value: float) -> int:
    """How many decimals the shortest text of ``value`` has: 0.25 → 2, 1e-07 → 7."""
    mantissa, _, exponent = repr(value).partition("e")
    places = len(mantissa.partition(".")[2].rstrip("0"))
    return max(0, places - int(exponent or 0))


def _scaled(values: Sequence[Value]) -> tuple[int, list[int]]:
    """A numeric metric's values as integers to sum exactly, and the scale they share.

    A flag counts 0 or 1 and a count is itself (scale 1); amounts are taken
    as the decimals they are written with (0.1 is 1/10, not the nearest
    binary fraction), all multiplied by the same power of 10.
    """
    places = max((_decimals(v) for v in values if isinstance(v, float)), default=0)
    scale = 10**places
    numbers = [v for v in values if isinstance(v, int | float)]
    assert len(numbers) == len(values), "a numeric metric holds numbers only"
    if scale == 1:
        return 1, [int(v) for v in numbers]
    return scale, [int(Fraction(repr(v)) * scale) if isinstance(v, float) else v * scale
                   for v in numbers]


def _mark(
    org: Org, plan: Plan, target: EachTarget, values: list[Value], columns: list[list[int]]
) -> _EachColumns:
    """Add an ``each`` target's own columns: selected, passing, passing at stretch."""
    schema = plan.schema
    kinds = schema.expand(target.each)
    under = schema.expand(target.directly_under) if target.directly_under is not None else None
    condition = target.condition
    raised = condition.raised_to(target.stretch) if target.stretch is not None else None
    units, parents = org.units, org.parents
    selected = [
        unit.kind in kinds
        and (under is None or (parents[p] >= 0 and units[parents[p]].kind in under))
        for p, unit in enumerate(units)
    ]
    passing = [chosen and condition.holds(values[p]) for p, chosen in enumerate(selected)]
    first = len(columns)
    columns.append([int(chosen) for chosen in selected])
    columns.append([int(passed) for passed in passing])
    if raised is not None:
        columns.append([int(chosen and raised.holds(values[p]))
                        for p, chosen in enumerate(selected)])
    failing = tuple(p for p, chosen in enumerate(selected) if chosen and not passing[p])
    return _EachColumns(first, first + 1, first + 2 if raised is not None else None, failing)


def assess(org: Org, facts: Facts, plan: Plan, *, at: str | None = None) -> Report:
    """Assess ``plan`` at unit ``at`` (default: the root) of ``org`` with ``facts``.

    The report looks at ``at`` and all its descendants (SPEC §4). To assess
    many units of one tree, call :func:`rollup` once and then
    :meth:`Assessment.report` for each.

    Examples
    --------
    >>> from doanorg import load_facts, load_org, load_plan
    >>> from doanorg.io import example_file
    >>> org = load_org(example_file("org.csv"))
    >>> plan = load_plan("doan-khoi-2020")
    >>> facts = load_facts(example_file("facts.csv"), org=org, plan=plan)
    >>> report = assess(org, facts, plan, at="khoi")
    >>> report.plan, report.at, len(report.results)
    ('doan-khoi-2020', 'khoi', 24)
    """
    return rollup(org, facts, plan).report(at)
