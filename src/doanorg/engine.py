"""The roll-up: a plan assessed at any unit, from one pass over the tree.

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

How. :func:`rollup` turns the facts into one typed array of own values per
metric (:mod:`doanorg._columns`), and for each ``each`` target marks, for
every unit at once, whether it is selected, passes, and passes at the
stretch level. These are the *columns*. Because a subtree is a contiguous
run in tree order, ONE pass of running sums down each column gives every
unit's subtree total at once: the total of unit ``s`` is the running sum at
``ends[s]`` less the running sum at ``s``; this equals the unit's own value
plus its children's totals, bottom-up. All targets are served by the same
pass, and no unit's subtree is ever walked. Assessing the plan at a unit
then reads one entry per column, plus the failing and not-reported units of
its subtree, found by binary search in arrays kept in tree order.

What-if. :meth:`Assessment.with_fact` changes one unit's own value and
updates only the totals of that unit and its ancestors (a cost that grows
with the unit's depth, not with the tree); the result is a new assessment
that shares the unchanged arrays with the old one, which stays as it was.

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
>>> assessment.with_fact("h01", "trees_planted", 30000).report().result("4").status
'met'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from doanorg._columns import Array, Column, build_column, passes
from doanorg.errors import FactsError, Problem
from doanorg.facts import Facts, RawValue, Value, coerce
from doanorg.model import Org, subtree_sums
from doanorg.report import FailingUnit, Report, Status, TargetResult
from doanorg.rules import EachTarget, Plan, RatioTarget, Target, TotalTarget, exact_decimal

__all__ = ["Assessment", "assess", "rollup"]

Number = int | float
Key = tuple[str, str]
"""A column of subtree totals: ("sum", metric), ("selected" | "passing" | "stretch", target)."""


@attrs.frozen
class _Change:
    """What :meth:`Assessment.with_fact` changed, on top of the shared arrays."""

    own: Mapping[tuple[str, int], int | bool] = attrs.field(factory=dict)
    totals: Mapping[tuple[Key, int], int] = attrs.field(factory=dict)
    failing: Mapping[str, frozenset[int]] = attrs.field(factory=dict)
    """Per target, the positions whose failing state is the opposite of the base's."""
    reported: frozenset[int] = frozenset()


@attrs.frozen(eq=False)
class Assessment:
    """A plan rolled up over a whole tree: any unit's report is then a lookup.

    Build it with :func:`rollup`; :meth:`report` gives the report at a unit;
    :meth:`with_fact` gives the assessment with one fact changed.
    """

    org: Org
    facts: Facts
    plan: Plan
    columns: Mapping[str, Column] = attrs.field(repr=False)
    """Each declared metric's own values, in tree order."""
    totals: Mapping[Key, Array] = attrs.field(repr=False)
    """Each column's subtree totals, in tree order."""
    own_passing: Mapping[Key, npt.NDArray[np.bool_]] = attrs.field(repr=False)
    """For each ``each`` target, which units are selected / pass / pass at stretch."""
    failing: Mapping[str, npt.NDArray[np.int64]] = attrs.field(repr=False)
    """For each ``each`` target, the positions of selected units that fail, sorted."""
    not_reported: npt.NDArray[np.int64] = attrs.field(repr=False)
    warnings: tuple[Problem, ...] = ()
    change: _Change = attrs.field(factory=_Change, repr=False)
    known: dict[tuple[str, int], tuple[Status, bool | None, Number | None]] = attrs.field(
        factory=dict, repr=False)
    """Statuses already computed, by (target, position): a cache, never a result."""

    # --- reading ---------------------------------------------------------------

    def _total(self, key: Key, position: int) -> int:
        return int(self.totals[key][position]) + self.change.totals.get((key, position), 0)

    def _own(self, metric: str, position: int) -> Value:
        column = self.columns[metric]
        stored = self.change.own.get((metric, position))
        if stored is None:
            return column.value(position)
        return attrs.evolve(column, data=np.array([stored], dtype=column.data.dtype)).value(0)

    def total(self, metric: str, *, at: str | None = None) -> Number:
        """The subtree total of a numeric metric at ``at`` (default: the root)."""
        total = self.exact_total(metric, at=at)
        return total.numerator if total.denominator == 1 else float(total)

    def exact_total(self, metric: str, *, at: str | None = None) -> Fraction:
        """The subtree total of a numeric metric at ``at``, exactly: 0.1 + 0.2 is 3/10."""
        position = 0 if at is None else self.org.position(at)
        return Fraction(self._total(("sum", metric), position), self.columns[metric].scale)

    def value(self, metric: str, unit: str) -> Value:
        """``unit``'s own value of ``metric``, read against its type."""
        return self._own(metric, self.org.position(unit))

    def _within(self, positions: npt.NDArray[np.int64], flipped: frozenset[int],
                start: int, end: int) -> list[int]:
        """The sorted positions in ``[start, end)``, with ``flipped`` ones toggled."""
        low, high = np.searchsorted(positions, [start, end])
        found = set(positions[low:high].tolist())
        for position in flipped:
            if start <= position < end:
                found ^= {position}
        return sorted(found)

    def report(self, at: str | None = None) -> Report:
        """The plan assessed at ``at`` (default: the root): SPEC §4–5."""
        position = 0 if at is None else self.org.position(at)
        unit = self.org.units[position]
        end = int(self.org.end_array[position])
        results = tuple(self._result(target, position, end) for target in self.plan.targets)
        not_reported = self._within(self.not_reported, frozenset(), position, end)
        silent = [p for p in not_reported if p not in self.change.reported]
        return Report(
            plan=self.plan.id,
            at=unit.id,
            results=results,
            not_reported=tuple(self.org.units[p].id for p in silent),
            plan_title=self.plan.title,
            at_name=unit.name,
            warnings=self.warnings,
        )

    def statuses(self, at: str | None = None) -> dict[str, Status]:
        """Each target's status at ``at``: the verdict of :meth:`report` without
        building its lists of units."""
        position = 0 if at is None else self.org.position(at)
        return {target.id: self._status(target, position)[0] for target in self.plan.targets}

    def _status(self, target: Target, position: int) -> tuple[Status, bool | None,
                                                              Number | None]:
        """Status, stretch_met and observed of ``target`` at ``position`` (kept once
        computed: an edit keeps those it cannot have changed, see :meth:`with_fact`)."""
        key = (target.id, position)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._compute_status(target, position)
        return found

    def _compute_status(self, target: Target, position: int) -> tuple[Status, bool | None,
                                                                      Number | None]:
        condition = target.condition
        if isinstance(target, EachTarget):
            selected = self._total(("selected", target.id), position)
            passing = self._total(("passing", target.id), position)
            if selected == 0:
                return "not_applicable", None, None
            share = exact_decimal(target.share)  # passing / selected >= share, in integers
            status: Status = ("met" if passing * share.denominator >= share.numerator * selected
                              else "not_met")
            stretch_met = None
            if target.stretch is not None:
                stretch = self._total(("stretch", target.id), position)
                stretch_met = stretch * share.denominator >= share.numerator * selected
            return status, stretch_met, passing / selected
        unit = self.org.units[position].id
        if isinstance(target, TotalTarget):
            exact: Fraction | None = self.exact_total(target.metric, at=unit)
            observed: Number | None = self.total(target.metric, at=unit)
            if position != 0:  # totals are set for the plan's root
                return "informational", None, observed
        else:
            denominator = self.exact_total(target.denominator, at=unit)
            exact = (self.exact_total(target.numerator, at=unit) / denominator
                     if denominator else None)
            observed = float(exact) if exact is not None else None
        if exact is None:
            return "not_applicable", None, None
        status = "met" if condition.holds(exact) else "not_met"
        stretch_met = (None if target.stretch is None
                       else condition.raised_to(target.stretch).holds(exact))
        return status, stretch_met, observed

    def _result(self, target: Target, position: int, end: int) -> TargetResult:
        condition = target.condition
        status, stretch_met, observed = self._status(target, position)
        selected = passing = None
        failing: tuple[FailingUnit, ...] = ()
        required: object = condition.required
        if isinstance(target, EachTarget):
            required = target.share
            selected = self._total(("selected", target.id), position)
            passing = self._total(("passing", target.id), position)
            flipped = self.change.failing.get(target.id, frozenset())
            failing = tuple(
                FailingUnit(self.org.units[p].id, value := self._own(target.metric, p),
                            condition.shortfall(value), self.org.units[p].name)
                for p in self._within(self.failing[target.id], flipped, position, end)
            )
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

    # --- what-if -----------------------------------------------------------------

    def _ancestors(self, position: int) -> Iterator[int]:
        while position >= 0:
            yield position
            position = int(self.org.parent_array[position])

    def with_fact(self, unit: str, metric: str, value: RawValue) -> Assessment:
        """This assessment with ``unit``'s own ``metric`` set to ``value``.

        Only the unit and its ancestors are updated; this assessment is left as
        it was. Raises :class:`~doanorg.FactsError` if the value does not fit
        the metric, :class:`~doanorg.UnknownUnit` if the unit is not in the tree.
        """
        position = self.org.position(unit)
        try:
            metric_spec = self.plan.metrics[metric]
            typed = coerce(metric_spec, value)
        except (KeyError, ValueError) as error:
            message = (f"metric {metric!r} is not declared by the plan"
                       if isinstance(error, KeyError) else f"unit {unit!r}: {error}")
            raise FactsError([Problem(message, unit=unit, metric=metric)]) from None
        column = self.columns[metric]
        facts = self.facts.with_value(unit, metric, value)
        if not column.holds(typed):  # a finer scale, or a larger integer type: start again
            return rollup(self.org, facts, self.plan)
        old, new = column.encode(self._own(metric, position)), column.encode(typed)
        own = {**self.change.own, (metric, position): new}
        totals = dict(self.change.totals)
        failing = dict(self.change.failing)

        def shift(key: Key, amount: int) -> None:
            for ancestor in self._ancestors(position):
                totals[(key, ancestor)] = totals.get((key, ancestor), 0) + amount

        if metric_spec.type.numeric:
            shift(("sum", metric), int(new) - int(old))
        before = self._own(metric, position)
        for target in self.plan.targets:
            if not isinstance(target, EachTarget) or target.metric != metric:
                continue
            if not self.own_passing[("selected", target.id)][position]:
                continue
            was, now = target.condition.holds(before), target.condition.holds(typed)
            if was != now:
                shift(("passing", target.id), 1 if now else -1)
                failing[target.id] = failing.get(target.id, frozenset()) ^ {position}
            if target.stretch is not None:
                raised = target.condition.raised_to(target.stretch)
                was, now = raised.holds(before), raised.holds(typed)
                if was != now:
                    shift(("stretch", target.id), 1 if now else -1)
        change = _Change(own, totals, failing, self.change.reported | {position})
        # statuses stay valid except those of targets reading the metric, at the ancestors
        touched = {target.id for target in self.plan.targets if metric in _reads(target)}
        above = set(self._ancestors(position))
        known = {key: found for key, found in self.known.items()
                 if key[0] not in touched or key[1] not in above}
        return attrs.evolve(self, facts=facts, change=change, known=known)


def _reads(target: Target) -> tuple[str, ...]:
    """The metrics a target reads."""
    if isinstance(target, RatioTarget):
        return (target.numerator, target.denominator)
    return (target.metric,)


def _typed_columns(org: Org, facts: Facts, plan: Plan) -> dict[str, Column]:
    """Each declared metric's own values as a column (facts already checked)."""
    positions = org.positions
    typed = facts.typed
    if typed is not None and all(typed.covers(metric) for name, metric in plan.metrics.items()
                                 if name in typed.columns):
        rows = typed.positions_in(org)
        if rows is None:
            rows = np.fromiter((positions[unit] for unit in typed.units), dtype=np.int64,
                               count=len(typed.units))
        columns = {}
        for name, metric in plan.metrics.items():
            column = build_column(metric, len(org), ())
            if name in typed.columns:
                read = typed.columns[name]
                data = column.data.astype(read.column.data.dtype)
                data[rows[read.present]] = read.column.data[read.present]
                column = attrs.evolve(read.column, data=data)
            columns[name] = column
        return columns
    given: dict[str, list[tuple[int, Value]]] = {metric: [] for metric in plan.metrics}
    for unit, values in facts.values.items():
        position = positions[unit]
        for metric_id, raw in values.items():
            if metric_id in given:
                given[metric_id].append((position, coerce(plan.metrics[metric_id], raw)))
    return {metric_id: build_column(metric, len(org), given[metric_id])
            for metric_id, metric in plan.metrics.items()}


def rollup(org: Org, facts: Facts, plan: Plan) -> Assessment:
    """Roll ``plan`` up over the whole of ``org`` in one pass.

    Raises
    ------
    FactsError
        If a fact names a unit not in ``org`` or does not fit its metric's
        type; every such problem is listed.
    """
    typed = facts.typed
    placed = typed.positions_in(org) if typed is not None else None
    checked = placed is not None and typed is not None and all(
        typed.covers(metric) for name, metric in plan.metrics.items() if name in typed.columns)
    if not checked:  # else: read against these metrics and placed in this org when loaded
        problems = facts.problems(org.positions, plan.metrics)
        if problems:
            raise FactsError(problems)
    warnings = tuple(
        Problem(f"facts for metric {metric!r} are ignored: the plan does not declare it",
                file=facts.source, metric=metric)
        for metric in sorted(facts.metrics() - set(plan.metrics))
    )
    columns = _typed_columns(org, facts, plan)
    totals: dict[Key, Array] = {}
    for name, column in columns.items():  # one running sum per column: contiguous, quick
        if column.metric.type.numeric:
            totals[("sum", name)] = subtree_sums(column.summable(), org.end_array)

    kind_codes = org.kind_codes
    codes = {kind: code for code, kind in enumerate(org.kind_names)}
    parent_codes = np.where(org.parent_array >= 0, kind_codes[org.parent_array], -1)

    def of_kinds(names: frozenset[str], of: Array) -> npt.NDArray[np.bool_]:
        return np.isin(of, [codes[name] for name in names if name in codes])

    own: dict[Key, npt.NDArray[np.bool_]] = {}
    failing: dict[str, npt.NDArray[np.int64]] = {}
    for target in plan.targets:
        if not isinstance(target, EachTarget):
            continue
        selected = of_kinds(plan.schema.expand(target.each), kind_codes)
        if target.directly_under is not None:
            selected &= of_kinds(plan.schema.expand(target.directly_under), parent_codes)
        column = columns[target.metric]
        passing = selected & passes(column, target.condition)
        own[("selected", target.id)] = selected
        own[("passing", target.id)] = passing
        if target.stretch is not None:
            own[("stretch", target.id)] = selected & passes(
                column, target.condition.raised_to(target.stretch))
        failing[target.id] = np.flatnonzero(selected & ~passing)
    for key, marks in own.items():
        totals[key] = subtree_sums(marks, org.end_array)

    reported = np.zeros(len(org), dtype=bool)
    if placed is not None:
        reported[placed] = True
    else:
        reported[[org.positions[unit] for unit in facts.reported if unit in org.positions]] = True
    return Assessment(org, facts, plan, columns, totals, own, failing,
                      np.flatnonzero(~reported), warnings)


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
