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
metric (:mod:`doanorg.core._columns`), and for each ``each`` target marks, for
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
with the unit's depth, not with the tree, nor with the edits made before);
the result is a new assessment that shares the roll-up's arrays with the old
one, which stays as it was. What the edits changed is kept on top of the
arrays: the own values and totals now, by position, in persistent mappings
(:class:`~doanorg.core._overlay.Overlay`) that each edit extends without copying.
Whether a unit fails a target, and whether it reported, follow from its own
value. The new assessment keeps every verdict of the old one, at any unit,
except those of the targets reading a total the edit moved, at the edited
unit and its ancestors: only those are computed again, when first read. A
total target's range is compared with the integer total at the column's
scale, exactly. Its facts are made only if read (a what-if needs none).

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

import math
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from typing import Any, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from doanorg.core._columns import (
    Array,
    Bounds,
    Column,
    build_column,
    equal_to_any,
    passes,
    shortfalls,
    unscaled,
)
from doanorg.core._overlay import Overlay
from doanorg.core._texts import texts_at, texts_taken
from doanorg.core.allocation import BOUNDS, Parts, allocate, quantum_of
from doanorg.core.facts import Facts, FactTable, Metric, RawValue, Value, coerce
from doanorg.core.model import Org
from doanorg.core.pacing import Pace, PacingHead, pace_of
from doanorg.core.report import FailingUnits, Report, Status, TargetResult, UnitStatus
from doanorg.core.rules import (
    Condition,
    EachTarget,
    Plan,
    RatioTarget,
    Target,
    TotalTarget,
    _did_you_mean,
    exact_decimal,
)
from doanorg.core.schema import Schema
from doanorg.core.scoring import Scores, Verdicts, scores_of
from doanorg.errors import FactsError, PlanError, Problem

__all__ = ["Assessment", "Selection", "assess", "rollup", "score", "undeclared_metrics"]

Number = int | float
Key = tuple[str, str]
"""A column of subtree totals: ("sum", metric), ("selected" | "passing" | "stretch", target)."""
Verdict = tuple[Status, bool | None, Number | None]
"""A target's status, stretch_met and observed figure at one unit."""

_REUSE_DEPTH = 16
"""The longest chain of assessments, each edited from the next, that an assessment keeps
verdicts through (:attr:`_Edits.base`): a longer one is cut, so that few are held on to."""


class _Judge(NamedTuple):
    """An ``each`` target, with the units it selects and its stretch condition."""

    target: EachTarget
    selected: npt.NDArray[np.bool_]
    stretched: Condition | None


@attrs.frozen
class _Judging:
    """What the targets read and how they judge it: worked out once per roll-up, and
    shared by the assessments edited from it."""

    readers: Mapping[Key, tuple[Target, ...]]
    """The targets whose verdict reads each column of totals."""
    judges: Mapping[str, tuple[_Judge, ...]]
    """For each metric, the ``each`` targets that judge units' own values of it."""
    stretched: Mapping[str, Condition]
    """Each target's condition raised to its stretch, if it has one."""
    bounds: Mapping[str, tuple[Bounds, Bounds | None]]
    """For each ``total`` target with a range, the range and its stretch at the scale
    of the metric's column: the subtree total, an integer, is compared with them."""

    @classmethod
    def of(cls, plan: Plan, columns: Mapping[str, Column],
           own: Mapping[Key, npt.NDArray[np.bool_]]) -> _Judging:
        readers: dict[Key, list[Target]] = {}
        judges: dict[str, list[_Judge]] = {}
        bounds: dict[str, tuple[Bounds, Bounds | None]] = {}
        stretched = {target.id: target.condition.raised_to(target.stretch)
                     for target in plan.targets if target.stretch is not None}
        for target in plan.targets:
            for key in _columns_read(target):
                readers.setdefault(key, []).append(target)
            if isinstance(target, EachTarget):
                judges.setdefault(target.metric, []).append(_Judge(
                    target, own[("selected", target.id)], stretched.get(target.id)))
            elif isinstance(target, TotalTarget):
                scale = columns[target.metric].scale
                within = Bounds.of(target.condition, scale)
                if within is not None:  # a range: a stretch only raises its lower bound
                    stretch = stretched.get(target.id)
                    bounds[target.id] = (within, None if stretch is None
                                         else Bounds.of(stretch, scale))
        return cls({key: tuple(found) for key, found in readers.items()},
                   {metric: tuple(found) for metric, found in judges.items()}, stretched, bounds)


def _columns_read(target: Target) -> tuple[Key, ...]:
    """The columns of totals a target's verdict reads."""
    if isinstance(target, EachTarget):
        marks = ("selected", "passing") + (("stretch",) if target.stretch is not None else ())
        return tuple((mark, target.id) for mark in marks)
    if isinstance(target, RatioTarget):
        return (("sum", target.numerator), ("sum", target.denominator))
    return (("sum", target.metric),)


@attrs.frozen(eq=False)
class _Rolled:
    """What :func:`rollup` works out from the facts, shared as it is by every assessment
    edited from it (see the attributes of the same names of :class:`Assessment`)."""

    columns: Mapping[str, Column]
    running: _RunningSums
    own_passing: Mapping[Key, npt.NDArray[np.bool_]]
    failing: Mapping[str, npt.NDArray[np.int64]]
    not_reported: npt.NDArray[np.int64]
    warnings: tuple[Problem, ...]
    judging: _Judging
    ignore_unknown_metrics: bool = False
    parts: Mapping[str, Parts] = attrs.field(factory=dict)
    """Each allocated target's parts at every unit (:mod:`doanorg.core.allocation`)."""


class _RunningSums:
    """Each column's running sums, made when first needed: the total of the column
    ``key`` over the subtree ``[s, e)`` is ``running[e] - running[s]``.

    The total over the whole tree is the column's sum, which needs no running sums:
    a report at the root alone never makes them. One running sum a column serves
    every other unit (see the module docstring).
    """

    __slots__ = ("_made", "_own", "count")

    def __init__(self, own: Mapping[Key, Array], count: int) -> None:
        self._own = own
        self._made: dict[Key, Array] = {}
        self.count = count

    def columns(self) -> Iterable[Key]:
        """The columns summed."""
        return self._own.keys()

    def whole(self, key: Key) -> int:
        """The column's total over the whole tree."""
        made = self._made.get(key)
        if made is not None:
            return int(made[-1])
        own = self._own[key]
        return int(np.count_nonzero(own)) if own.dtype == bool else int(own.sum())

    def of(self, key: Key) -> Array:
        """The column's running sums (one more entry than units; the first is 0)."""
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = running_sums(self._own[key])
        return made

    def total(self, key: Key, start: int, end: int) -> int:
        """The column's total over the positions ``[start, end)``."""
        if start == 0 and end == self.count:
            return self.whole(key)
        running = self.of(key)
        return int(running[end] - running[start])


def running_sums(own: Array) -> Array:
    """The running sums of a column of own values (or marks), starting at 0: the sum
    over positions ``[s, e)`` is ``running[e] - running[s]``. Marks (booleans) are
    counted in int32 where that cannot overflow, numbers keep their type.

    >>> running_sums(np.array([1, 2, 3])).tolist(), running_sums(np.array([True, False])).tolist()
    ([0, 1, 3, 6], [0, 1, 1])
    """
    if own.dtype == bool:
        dtype: Any = np.int32 if len(own) < 2**31 else np.int64
    else:
        dtype = own.dtype
    running = np.empty(len(own) + 1, dtype=dtype)
    running[0] = 0
    np.cumsum(own, dtype=dtype, out=running[1:])
    return running


class _Edits(NamedTuple):
    """The edits since :func:`rollup`, on top of its arrays; and what the last one may
    have changed, for the verdicts kept (:meth:`Assessment._compute_verdicts`).

    ``own`` and ``totals`` hold the values now (not differences), and versions share their
    entries. An edited unit counts as reported; whether it fails a target follows from its
    own value.
    """

    own: Overlay[tuple[str, int], int | bool] = Overlay()
    """Own values, encoded as in their column, by (metric, position)."""
    totals: Overlay[tuple[Key, int], int] = Overlay()
    """Subtree totals, by (column, position)."""
    base: Assessment | None = None
    """The assessment last edited: its verdicts are kept, but those of targets reading a
    ``moved`` column at an ``above`` position (``None`` once the chain of bases is long)."""
    moved: tuple[Key, ...] = ()
    """The columns of totals the last edit moved."""
    above: tuple[int, ...] = ()
    """The position of the unit last edited and those of its ancestors."""
    chain: int = 0
    """How many assessments the links to ``base`` go through."""


class _FactsToBe:
    """Facts made only when read: an edited assessment's are those it was edited from with
    one value set, and a what-if seldom reads them. Made once, for a whole chain of edits."""

    __slots__ = ("edit", "facts", "made")

    def __init__(self, facts: Facts | _FactsToBe, unit: str, metric: str,
                 value: RawValue) -> None:
        self.facts: Facts | _FactsToBe = facts
        """The facts edited (once :attr:`made`, the facts made)."""
        self.edit = (unit, metric, value)
        self.made = False

    def make(self) -> Facts:
        """The facts with the edit (and those of the facts edited) applied."""
        unmade: list[_FactsToBe] = []
        below: Facts | _FactsToBe = self
        while isinstance(below, _FactsToBe) and not below.made:
            unmade.append(below)
            below = below.facts
        facts = below.facts if isinstance(below, _FactsToBe) else below
        assert isinstance(facts, Facts)
        for step in reversed(unmade):
            facts = facts.with_value(*step.edit)
            step.facts, step.made = facts, True
        return facts


@attrs.frozen(eq=False)
class Assessment:
    """A plan rolled up over a whole tree: any unit's report is then a lookup.

    Build it with :func:`rollup`; :meth:`report` gives the report at a unit;
    :meth:`with_fact` gives the assessment with one fact changed.
    """

    org: Org
    _facts: Facts | _FactsToBe = attrs.field(alias="facts", repr=False)
    plan: Plan
    rolled: _Rolled = attrs.field(repr=False)
    edits: _Edits = attrs.field(factory=_Edits, repr=False)
    known: dict[int, dict[str, Verdict]] = attrs.field(factory=dict, repr=False)
    """Every target's verdict at the positions already assessed: a cache, never a result."""

    @property
    def facts(self) -> Facts:
        """The facts assessed (after :meth:`with_fact`, made when first read)."""
        facts = self._facts
        return facts if isinstance(facts, Facts) else facts.make()

    @property
    def columns(self) -> Mapping[str, Column]:
        """Each declared metric's own values, in tree order, as rolled up (before edits)."""
        return self.rolled.columns

    @property
    def totals(self) -> Mapping[Key, Array]:
        """Each column's subtree totals, in tree order, as rolled up (before edits): made
        from the running sums when asked for."""
        ends, running = self.org.end_array, self.rolled.running
        return {key: running.of(key)[ends] - running.of(key)[:-1] for key in running.columns()}

    @property
    def own_passing(self) -> Mapping[Key, npt.NDArray[np.bool_]]:
        """For each ``each`` target, which units are selected / pass / pass at stretch,
        as rolled up (before edits)."""
        return self.rolled.own_passing

    @property
    def failing(self) -> Mapping[str, npt.NDArray[np.int64]]:
        """For each ``each`` target, the positions of selected units that fail, sorted,
        as rolled up (before edits)."""
        return self.rolled.failing

    @property
    def not_reported(self) -> npt.NDArray[np.int64]:
        """The positions of the units that did not report, as rolled up (before edits)."""
        return self.rolled.not_reported

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems that do not stop the roll-up (facts of metrics the plan ignores)."""
        return self.rolled.warnings

    # --- reading ---------------------------------------------------------------

    def _total(self, key: Key, position: int) -> int:
        """The total of the column ``key`` at ``position``, edits included."""
        found = self.edits.totals.get((key, position))
        if found is None:
            return self.rolled.running.total(key, position, self.org.end_array.item(position))
        return found

    def _stored(self, metric: str, position: int) -> int | bool:
        """``metric``'s own value at ``position`` as its column stores it."""
        found = self.edits.own.get((metric, position))
        return self.rolled.columns[metric].data.item(position) if found is None else found

    def _own(self, metric: str, position: int) -> Value:
        """``metric``'s own value at ``position``, read against its type."""
        return self.rolled.columns[metric].decode(self._stored(metric, position))

    def _exact_total(self, metric: str, position: int) -> Fraction:
        """The subtree total of ``metric`` at ``position``, exactly."""
        return Fraction(self._total(("sum", metric), position), self.rolled.columns[metric].scale)

    def total(self, metric: str, *, at: str | None = None) -> Number:
        """The subtree total of a numeric metric at ``at`` (default: the root)."""
        total = self.exact_total(metric, at=at)
        return total.numerator if total.denominator == 1 else float(total)

    def exact_total(self, metric: str, *, at: str | None = None) -> Fraction:
        """The subtree total of a numeric metric at ``at``, exactly: 0.1 + 0.2 is 3/10."""
        return self._exact_total(metric, 0 if at is None else self.org.position(at))

    def value(self, metric: str, unit: str) -> Value:
        """``unit``'s own value of ``metric``, read against its type."""
        return self._own(metric, self.org.position(unit))

    def part(self, target: str, unit: str | None = None, *,
             bound: str = "at_least") -> Number:
        """``unit``'s part (default: the root's, the whole) of an allocated target's
        ``bound`` (``at_least``, or ``at_most`` or ``stretch`` where the target has
        them): what the unit is judged against (:mod:`doanorg.core.allocation`).

        Raises :class:`KeyError` for a target that is not allocated, or a bound it
        does not have; :class:`~doanorg.UnknownUnit` for a unit not in the tree.

        >>> from doanorg import Facts, load_org, load_plan
        >>> from doanorg.core.allocation import Allocation
        >>> from doanorg.io import example_file
        >>> import attrs
        >>> org = load_org(example_file("org.csv"))
        >>> plan = load_plan("doan-khoi-2020")
        >>> trees = attrs.evolve(plan.target("4"), allocate=Allocation(by="equal"))
        >>> plan = attrs.evolve(plan, targets=(trees,))
        >>> assessment = rollup(org, Facts.from_records({}), plan)
        >>> assessment.part("4"), assessment.part("4", "h01"), assessment.part("4", "cs01")
        (26200, 445, 444)
        """
        parts = self.rolled.parts[target]
        if bound not in parts.bounds:
            raise KeyError(bound)
        number = parts.number(bound, 0 if unit is None else self.org.position(unit))
        assert number is not None
        return number

    def _failing_within(self, target: EachTarget, start: int, end: int
                        ) -> npt.NDArray[np.int64]:
        """The sorted positions in ``[start, end)`` of the units failing ``target``."""
        positions = self.rolled.failing[target.id]
        low, high = np.searchsorted(positions, [start, end])
        if not any(metric == target.metric for metric, _ in self.edits.own):
            return positions[low:high]
        found = set(positions[low:high].tolist())
        selected = self.rolled.own_passing[("selected", target.id)]
        for metric, position in self.edits.own:
            if metric == target.metric and start <= position < end and selected[position]:
                passes = target.condition.holds(self._own(metric, position))
                (found.discard if passes else found.add)(position)
        return np.array(sorted(found), dtype=np.int64)

    def _failing_units(self, target: EachTarget, start: int, end: int) -> FailingUnits:
        """The units in ``[start, end)`` failing ``target``, in tree order, in bulk: their
        ids taken from the tree's compact column (a report may list hundreds of
        thousands, and a text report reads a few), values and shortfalls read many at
        once, their names only if asked for."""
        positions = self._failing_within(target, start, end)
        column = self.rolled.columns[target.metric]
        stored = column.data[positions]
        edited = {position: value for (metric, position), value in self.edits.own.items()
                  if metric == target.metric}
        if edited:
            stored = stored.copy()
            for index, position in enumerate(positions.tolist()):
                if position in edited:
                    stored[index] = edited[position]
        values = column.decode_all(stored)
        names = self.org.names
        return FailingUnits(texts_taken(self.org.id_texts, positions), values,
                            shortfalls(column, target.condition, stored, values),
                            lambda at: texts_at(names, positions[np.asarray(at, dtype=np.int64)]
                                                .tolist()))

    def _silent_within(self, start: int, end: int) -> list[int]:
        """The sorted positions in ``[start, end)`` of the units that are not reported."""
        low, high = np.searchsorted(self.rolled.not_reported, [start, end])
        edited = {position for _, position in self.edits.own}
        return [position for position in self.rolled.not_reported[low:high].tolist()
                if position not in edited]

    def report(self, at: str | None = None, *, as_of: date | None = None) -> Report:
        """The plan assessed at ``at`` (default: the root): SPEC §4–5; with ``as_of``
        (a date in the plan's period), each target's pace by then (SPEC §10).

        Raises :class:`~doanorg.PlanError` if ``as_of`` is given and the plan has no
        period, or the date is outside it.
        """
        position = 0 if at is None else self.org.position(at)
        names = self.org.names
        end = int(self.org.end_array[position])
        pacing = self._as_of(as_of)
        results = tuple(self._result(target, position, end, pacing)
                        for target in self.plan.targets)
        return Report(
            plan=self.plan.id,
            at=self.org.ids_at([position])[0],
            results=results,
            not_reported=tuple(self.org.ids_at(self._silent_within(position, end))),
            plan_title=self.plan.title,
            at_name=names[position],
            warnings=self.rolled.warnings,
            as_of=as_of,
            pacing=(None if pacing is None or self.plan.period is None
                    else PacingHead(pacing[0], self.plan.period, pacing[1])),
            unit_statuses=lambda: self._unit_statuses(position),
        )

    def unit_statuses(self, at: str | None = None) -> list[UnitStatus]:
        """Every unit of the subtree of ``at`` (default: the root) in tree order, with the
        plan's verdict at it (:class:`~doanorg.core.report.UnitStatus`), the verdicts
        :meth:`statuses` gives there: each target's read at every unit at once from the
        running sums (:meth:`verdicts_at`); no subtree is walked.

        >>> from doanorg import Facts, load_org, load_plan
        >>> from doanorg.io import example_file
        >>> org = load_org(example_file("org.csv"))
        >>> assessment = rollup(org, Facts.from_records({}), load_plan("doan-khoi-2020"))
        >>> first = assessment.unit_statuses("h01")[0]
        >>> first.unit, first.depth, first.compliant, first.reported
        ('h01', 0, False, False)
        """
        return self._unit_statuses(0 if at is None else self.org.position(at))

    def _unit_statuses(self, position: int) -> list[UnitStatus]:
        """:meth:`unit_statuses` at the unit at ``position``."""
        end = int(self.org.end_array[position])
        org, targets = self.org, self.plan.targets
        positions = np.arange(position, end, dtype=np.int64)
        failed = np.zeros((len(targets), end - position), dtype=bool)
        for row, target in enumerate(targets):
            verdicts = self.verdicts_at(target, positions)
            failed[row] = verdicts.judged & ~verdicts.met
        # the units that fail the same targets share one pair of tuples
        patterns, which = _patterns(failed)
        verdicts_of = []
        for pattern in patterns:
            bits = pattern.tolist()
            verdicts_of.append((
                tuple(target.id for target, bit in zip(targets, bits, strict=True)
                      if bit and not target.aspirational),
                tuple(target.id for target, bit in zip(targets, bits, strict=True)
                      if bit and target.aspirational)))
        reported = np.ones(end - position, dtype=bool)
        reported[np.array(self._silent_within(position, end), dtype=np.int64) - position] = False
        listed = positions.tolist()
        ids, names = org.ids_at(listed), texts_at(org.names, listed)
        kinds = [org.kind_names[code] for code in org.kind_codes[position:end].tolist()]
        return [UnitStatus(unit=unit, name=name, kind=kind, depth=depth, not_met=not_met,
                           aspirational_not_met=aspirational, reported=was_reported)
                for unit, name, kind, depth, (not_met, aspirational), was_reported
                in zip(ids, names, kinds, _depths(org.parent_array, position, end).tolist(),
                       [verdicts_of[index] for index in which.reshape(-1).tolist()],
                       reported.tolist(), strict=True)]

    def statuses(self, at: str | None = None) -> dict[str, Status]:
        """Each target's status at ``at``: the verdict of :meth:`report` without
        building its lists of units."""
        position = 0 if at is None else self.org.position(at)
        return {target: verdict[0] for target, verdict in self._verdicts(position).items()}

    def _verdicts(self, position: int) -> dict[str, Verdict]:
        """Every target's verdict at ``position``, by target id in plan order: computed
        once, then kept (never changed: assessments edited from this one share it)."""
        found = self.known.get(position)
        if found is None:
            found = self.known[position] = self._compute_verdicts(position)
        return found

    def _compute_verdicts(self, position: int) -> dict[str, Verdict]:
        """Every target's verdict at ``position``; after an edit, the base's verdicts
        with only those the edit may have changed computed again."""
        edits = self.edits
        if edits.base is None:
            return {target.id: self._compute_status(target, position)
                    for target in self.plan.targets}
        kept = edits.base._verdicts(position)
        if not edits.moved or position not in edits.above:
            return kept
        readers = self.rolled.judging.readers
        return kept | {target.id: self._compute_status(target, position)
                       for key in edits.moved for target in readers.get(key, ())}

    def _compute_status(self, target: Target, position: int) -> Verdict:
        condition = target.condition
        stretched = self.rolled.judging.stretched.get(target.id)
        if isinstance(target, EachTarget):
            selected = self._total(("selected", target.id), position)
            passing = self._total(("passing", target.id), position)
            if selected == 0:
                return "not_applicable", None, None
            share = exact_decimal(target.share)  # passing / selected >= share, in integers
            status: Status = ("met" if passing * share.denominator >= share.numerator * selected
                              else "not_met")
            stretch_met = None
            if stretched is not None:
                stretch = self._total(("stretch", target.id), position)
                stretch_met = stretch * share.denominator >= share.numerator * selected
            return status, stretch_met, passing / selected
        if isinstance(target, TotalTarget):
            total = self._total(("sum", target.metric), position)
            scale = self.rolled.columns[target.metric].scale
            observed: Number | None = unscaled(total, scale)
            parts = self.rolled.parts.get(target.id)
            if position != 0 and parts is not None:  # judged against the unit's part
                exact_total = Fraction(total, scale)
                low, high = parts.exact("at_least", position), parts.exact("at_most", position)
                raised = parts.exact("stretch", position)
                met = (low is None or exact_total >= low) and (high is None
                                                               or exact_total <= high)
                return ("met" if met else "not_met",
                        None if raised is None else exact_total >= raised, observed)
            if position != 0:  # totals are set for the plan's root
                return "informational", None, observed
            bounds = self.rolled.judging.bounds.get(target.id)
            if bounds is not None:  # a range: compared in integers, at the column's scale
                within, stretch_within = bounds
                return (("met" if within.hold(total) else "not_met"),
                        None if stretch_within is None else stretch_within.hold(total), observed)
            exact: Fraction | None = Fraction(total, scale)
        else:
            denominator = self._exact_total(target.denominator, position)
            exact = (self._exact_total(target.numerator, position) / denominator
                     if denominator else None)
            observed = _as_float(exact) if exact is not None else None
        if exact is None:
            return "not_applicable", None, None
        status = "met" if condition.holds(exact) else "not_met"
        stretch_met = None if stretched is None else stretched.holds(exact)
        return status, stretch_met, observed

    def totals_at(self, key: Key, positions: npt.NDArray[np.int64]) -> Array:
        """The subtree totals of the column ``key`` at many ``positions`` at once: one
        entry of the running sums at each end less one at each start, with the totals
        the edits moved put in their place."""
        running = self.rolled.running.of(key)
        totals = running[self.org.end_array[positions]] - running[positions]
        if not self.edits.totals:
            return totals
        moved = [(position, total) for (column, position), total in self.edits.totals.items()
                 if column == key]
        if not moved:
            return totals
        at = np.array([position for position, _ in moved], dtype=np.int64)
        try:
            now: Array = np.array([total for _, total in moved], dtype=np.int64)
            totals = totals.astype(np.int64)
        except OverflowError:  # beyond 64 bits: Python integers
            now = np.array([total for _, total in moved], dtype=object)
            totals = totals.astype(object)
        order = np.argsort(positions, kind="stable")
        found = np.minimum(np.searchsorted(positions, at, sorter=order), max(len(positions) - 1, 0))
        hit = (positions[order[found]] == at) if len(positions) else np.zeros(len(at), dtype=bool)
        totals[order[found[hit]]] = now[hit]
        return totals

    def verdicts_at(self, target: Target, positions: npt.NDArray[np.int64]) -> Verdicts:
        """Whether ``target`` is judged and met when the plan is assessed at each of
        ``positions``, all at once from the running sums (no subtree is walked), and, for
        those where it is not met below its lower bound, the observed figure over the
        required one, exactly, as a numerator and a denominator (what partial points are
        paid on; a denominator of 0 elsewhere). The same verdicts as :meth:`report` gives:
        integers compared in int64 where the products fit, else as Python integers."""
        condition = target.condition
        if isinstance(target, EachTarget):
            share = exact_decimal(target.share)
            factor = max(share.numerator, share.denominator)
            selected = _exact(self.totals_at(("selected", target.id), positions), factor)
            passing = _exact(self.totals_at(("passing", target.id), positions), factor)
            applicable = selected > 0
            scaled_passing = passing * share.denominator
            scaled_selected = selected * share.numerator
            passed = applicable & (scaled_passing >= scaled_selected)
            short = applicable & ~passed
            zero = np.zeros_like(scaled_passing)
            return Verdicts(passed, np.where(short, scaled_passing, zero),
                            np.where(short, scaled_selected, zero), applicable)
        low = None if not condition.at_least else exact_decimal(condition.at_least)
        if isinstance(target, TotalTarget) and target.id in self.rolled.parts:
            parts = self.rolled.parts[target.id]  # allocated: judged at every unit
            passed = np.array([self._compute_status(target, position)[0] == "met"
                               for position in positions.tolist()], dtype=bool)
            numerators = np.zeros(len(positions), dtype=object)
            denominators = numerators.copy()
            for index in np.flatnonzero(~passed).tolist():
                position = int(positions[index])
                bound = parts.exact("at_least", position)
                total = self._exact_total(target.metric, position)
                if bound and total < bound:
                    numerators[index] = total.numerator * bound.denominator
                    denominators[index] = total.denominator * bound.numerator
            return Verdicts(passed, numerators, denominators,
                            np.ones(len(positions), dtype=bool))
        if isinstance(target, TotalTarget):  # judged at the root only
            judged = positions == 0
            passed = np.zeros(len(positions), dtype=bool)
            numerators = np.zeros(len(positions), dtype=object)
            denominators = numerators.copy()
            at_root = np.flatnonzero(judged)
            if len(at_root):
                passed[at_root] = self._compute_status(target, 0)[0] == "met"
                total = self._exact_total(target.metric, 0)
                if low is not None and not passed[at_root[0]] and total < low:
                    numerators[at_root] = total.numerator * low.denominator
                    denominators[at_root] = total.denominator * low.numerator
            return Verdicts(passed, numerators, denominators, judged)
        high = None if condition.at_most is None else exact_decimal(condition.at_most)
        scale_n = self.rolled.columns[target.numerator].scale
        scale_d = self.rolled.columns[target.denominator].scale
        factor = max([1, *(part for bound in (low, high) if bound is not None
                           for part in (bound.numerator, bound.denominator))])
        numerators = _exact(self.totals_at(("sum", target.numerator), positions),
                            scale_d * factor) * scale_d
        denominators = _exact(self.totals_at(("sum", target.denominator), positions),
                              scale_n * factor) * scale_n
        if numerators.dtype != denominators.dtype:  # one beyond 64 bits: both exact
            numerators, denominators = numerators.astype(object), denominators.astype(object)
        applicable = denominators > 0
        if condition.at_least is not None or condition.at_most is not None:
            passed = applicable.copy()
            if low is not None:
                passed &= numerators * low.denominator >= low.numerator * denominators
            if high is not None:
                passed &= numerators * high.denominator <= high.numerator * denominators
        else:
            passed = np.array([bool(d) and condition.holds(Fraction(n, d)) for n, d in
                               zip(numerators.tolist(), denominators.tolist(), strict=True)],
                              dtype=bool)
        zero = np.zeros_like(numerators)
        if low is None:
            return Verdicts(passed, zero, zero.copy(), applicable)
        short = applicable & ~passed & (numerators * low.denominator
                                        < low.numerator * denominators)
        return Verdicts(passed, np.where(short, numerators * low.denominator, zero),
                        np.where(short, denominators * low.numerator, zero), applicable)

    def scores(self, at: str | None = None) -> Scores:
        """The plan's rubric applied to the scored units of the subtree of ``at``
        (default: the root), SPEC §11: from this one roll-up, every scored unit's
        verdicts read at once (:meth:`verdicts_at`). Raises :class:`~doanorg.PlanError`
        if the plan has no ``[scoring]`` table."""
        return scores_of(self, at)

    def _result(self, target: Target, position: int, end: int,
                as_of: tuple[date, Fraction] | None = None) -> TargetResult:
        condition = target.condition
        status, stretch_met, observed = self._verdicts(position)[target.id]
        parts = self.rolled.parts.get(target.id)
        if parts is not None and position != 0:  # judged against the unit's part
            condition = Condition(at_least=parts.number("at_least", position),
                                  at_most=parts.number("at_most", position))
        selected = passing = None
        failing: FailingUnits | tuple[()] = ()
        required: object = condition.required
        exact: Fraction | None = None  # what the verdict compared, for the figure shown
        if isinstance(target, EachTarget):
            required = target.share
            selected = self._total(("selected", target.id), position)
            passing = self._total(("passing", target.id), position)
            failing = self._failing_units(target, position, end)
            exact = Fraction(passing, selected) if selected else None
        elif observed is not None:
            exact = (self._exact_total(target.metric, position)
                     if isinstance(target, TotalTarget)
                     else self._exact_total(target.numerator, position)
                     / self._exact_total(target.denominator, position))
        pace = None if as_of is None else self._pace(target, position, status, condition,
                                                     exact, as_of)
        return TargetResult(
            id=target.id, type=target.type, aspirational=target.aspirational, status=status,
            observed=observed, required=required, allocated=parts is not None, pace=pace,
            # a range bounds the required figure of a total or a ratio; for an each
            # target the required figure is the share, and the range is per unit
            required_max=(condition.at_most if condition.is_range
                          and not isinstance(target, EachTarget) else None),
            stretch_met=stretch_met, selected=selected, passing=passing, failing=failing,
            text=target.text,
            condition=condition.describe(percent=isinstance(target, RatioTarget)),
            rule=condition,
            exact_observed=exact,
        )

    def _pace(self, target: Target, position: int, status: Status, condition: Condition,
              exact: Fraction | None, as_of: tuple[date, Fraction]) -> Pace | None:
        """The target's pace at ``position`` by the date of ``as_of`` (with the fraction
        of the period gone by days): SPEC §10; ``None`` where there is nothing to pace."""
        if exact is None or status in ("informational", "not_applicable"):
            return None
        day, elapsed = as_of
        if target.pace is not None:
            assert self.plan.period is not None  # a plan with pace has a period
            elapsed = self.plan.period.elapsed(day, target.pace)
        if isinstance(target, EachTarget):
            share = exact_decimal(target.share)
            return pace_of(exact, lower=share, upper=None, elapsed=elapsed, as_of=day,
                           kind="each")
        lower = condition.at_least if condition.at_least is not None else condition.equals
        if isinstance(lower, bool) or not isinstance(lower, int | float):
            lower = None
        upper = condition.at_most
        return pace_of(exact, lower=None if lower is None else exact_decimal(lower),
                       upper=None if upper is None else exact_decimal(upper),
                       elapsed=elapsed, as_of=day, kind=target.type,
                       meets=condition.holds)

    def _as_of(self, as_of: date | None) -> tuple[date, Fraction] | None:
        """``as_of`` with the fraction of the plan's period gone by then, checked."""
        if as_of is None:
            return None
        period = self.plan.period
        if period is None:
            raise PlanError([Problem(
                f"as of {as_of.isoformat()}: plan {self.plan.id!r} has no period to pace "
                "its targets by (add period = { start = 2020-01-01, end = 2020-12-31 })")])
        if as_of not in period:
            raise PlanError([Problem(
                f"as of {as_of.isoformat()}: the date is outside the period of plan "
                f"{self.plan.id!r} ({period})")])
        return as_of, period.elapsed(as_of)

    # --- what-if -----------------------------------------------------------------

    def _ancestors(self, position: int) -> list[int]:
        """``position`` and the positions above it, up to the root."""
        parents = self.org.parent_array
        found = []
        while position >= 0:
            found.append(position)
            position = parents.item(position)
        return found

    def with_fact(self, unit: str, metric: str, value: RawValue) -> Assessment:
        """This assessment with ``unit``'s own ``metric`` set to ``value``.

        Only the unit and its ancestors are updated; this assessment is left as
        it was. Raises :class:`~doanorg.FactsError` if the value does not fit
        the metric, :class:`~doanorg.UnknownUnit` if the unit is not in the tree.
        """
        position = self.org.position(unit)
        typed = self._coerce(unit, metric, value)
        column = self.rolled.columns[metric]
        scoring = self.plan.scoring
        if not column.holds(typed) or (scoring is not None and scoring.filled):
            # a finer scale, or a larger integer type; or grades computed from the facts
            # fill a metric, and any edit may change them: start again
            return rollup(self.org, self.facts.with_value(unit, metric, value), self.plan,
                          ignore_unknown_metrics=self.rolled.ignore_unknown_metrics)
        stored, new = self._stored(metric, position), column.encode(typed)
        moved = self._moved(metric, position, stored, new, typed)
        edits = self._edits_then((metric, position), new, moved, self._ancestors(position))
        return Assessment(self.org, _FactsToBe(self._facts, unit, metric, value), self.plan,
                          self.rolled, edits)

    def _coerce(self, unit: str, metric: str, value: RawValue) -> Value:
        """``value`` read against ``metric``; :class:`~doanorg.FactsError` if it does not fit."""
        try:
            return coerce(self.plan.metrics[metric], value)
        except (KeyError, ValueError) as error:
            message = (f"metric {metric!r} is not declared by the plan"
                       if isinstance(error, KeyError) else f"unit {unit!r}: {error}")
            raise FactsError([Problem(message, unit=unit, metric=metric)]) from None

    def _moved(self, metric: str, position: int, stored: int | bool, new: int | bool,
               after: Value) -> dict[Key, int]:
        """How setting the own ``metric`` at ``position`` from ``stored`` to ``new`` (as its
        column stores them; ``after`` is ``new`` read) moves the totals there, and so at
        the ancestors: the amounts that are not 0, by column (a mark moves by 1 or -1)."""
        column = self.rolled.columns[metric]
        moved = {("sum", metric): int(new) - int(stored)} if column.metric.type.numeric else {}
        judges = [judge for judge in self.rolled.judging.judges.get(metric, ())
                  if judge.selected.item(position)]
        before = column.decode(stored) if judges else None
        for target, _, stretched in judges:
            condition = target.condition
            moved[("passing", target.id)] = condition.holds(after) - condition.holds(before)
            if stretched is not None:
                moved[("stretch", target.id)] = stretched.holds(after) - stretched.holds(before)
        return {key: amount for key, amount in moved.items() if amount}

    def _edits_then(self, own: tuple[str, int], new: int | bool, moved: Mapping[Key, int],
                    above: list[int]) -> _Edits:
        """This assessment's edits and one more: the own value ``own`` (metric, position)
        stored as ``new``, which moves the totals at the positions ``above`` by ``moved``.
        Its base is this assessment, unless the chain of bases is long: it starts again."""
        totals = {(key, position): self._total(key, position) + amount
                  for key, amount in moved.items() for position in above}
        chain = self.edits.chain + 1 if self.edits.chain < _REUSE_DEPTH else 0
        return _Edits(self.edits.own.updated({own: new}), self.edits.totals.updated(totals),
                      self if chain else None, tuple(moved), tuple(above), chain)


_IGNORE = "--ignore-unknown-metrics, or ignore_unknown_metrics=True"
"""How a user asks for facts of undeclared metrics to be ignored."""


def undeclared_metrics(table: FactTable, metrics: Mapping[str, Metric], *,
                       ignore: bool = False) -> list[Problem]:
    """A problem for each metric ``table`` gives values of and ``metrics`` does not
    declare (SPEC §2: a typo must never silently change a plan, here applied to facts).

    An error names the column of a wide file (line 1), or the rows of a long one (the
    first, and how many), and the closest declared metric. With ``ignore`` (the user
    asked for it), a warning a metric instead: its facts are left out. :func:`rollup`
    and :func:`doanorg.load_facts` check by this function.

    >>> from doanorg.core.facts import MetricType
    >>> table = FactTable.of_values({"c1": {"tree_planted": "3"}})
    >>> trees = Metric("trees_planted", MetricType.COUNT)
    >>> print(undeclared_metrics(table, {"trees_planted": trees})[0])
    metric 'tree_planted' is not declared by the plan (did you mean 'trees_planted'?): given \
for unit 'c1' (to ignore it: --ignore-unknown-metrics, or ignore_unknown_metrics=True)
    """
    found = []
    for name in sorted(table.metrics() - metrics.keys()):
        close = _did_you_mean(name, list(metrics))
        if ignore:
            found.append(Problem(f"facts for metric {name!r} are ignored: the plan does not "
                                 f"declare it{close}", file=table.source, metric=name))
            continue
        given = table.given.get(name)
        if table.wide or given is None or not len(given):
            found.append(Problem(f"column {name!r} is not a metric the plan declares{close} "
                                 f"(to ignore it: {_IGNORE})", file=table.source, line=1,
                                 metric=name))
            continue
        count = len(given)
        unit = table.units[0 if given.rows is None else int(given.rows[0])]
        line = None if given.lines is None else int(given.lines[0]) or None
        if line is not None:
            where = f": {count} rows, the first here" if count > 1 else ""
        else:
            where = (f": given for {count} units, the first {unit!r}" if count > 1
                     else f": given for unit {unit!r}")
        found.append(Problem(f"metric {name!r} is not declared by the plan{close}{where} "
                             f"(to ignore {'them' if count > 1 else 'it'}: {_IGNORE})",
                             file=table.source, line=line, unit=unit, metric=name))
    return found


def _exact(totals: Array, factor: int) -> npt.NDArray[Any]:
    """Totals as integers that products of them and numbers up to ``factor`` never
    overflow: int64 where every product stays below 2**62 (a sum of two of them fits),
    else Python integers (an array of objects).

    >>> _exact(np.array([3, 4]), 10).dtype, _exact(np.array([2**40]), 2**30).dtype
    (dtype('int64'), dtype('O'))
    """
    if totals.dtype == object:
        return totals
    if not len(totals):
        return totals.astype(np.int64)
    largest = max(abs(int(totals.max())), abs(int(totals.min())))
    if largest * max(abs(factor), 1) < 2**62:
        return totals.astype(np.int64, copy=False)
    return totals.astype(object)


def _patterns(marks: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """The distinct columns of ``marks`` (a row a target, a column a unit), and for each
    column the index of its pattern: found by sorting one integer a column where the
    targets are at most 63, else by sorting the columns themselves.

    >>> found, which = _patterns(np.array([[True, False, True], [False, False, False]]))
    >>> found.tolist(), which.tolist()
    ([[False, False], [True, False]], [1, 0, 1])
    """
    rows, count = marks.shape
    if rows <= 63:
        codes = np.zeros(count, dtype=np.int64)
        for row in range(rows):
            codes |= marks[row].astype(np.int64) << row
        distinct, which = np.unique(codes, return_inverse=True)
        found = ((distinct[:, None] >> np.arange(rows, dtype=np.int64)) & 1).astype(bool)
        return found, which.reshape(-1)
    found, which = np.unique(marks.T, axis=0, return_inverse=True)
    return found, which.reshape(-1)


def _depths(parents: npt.NDArray[np.int64], start: int, end: int) -> npt.NDArray[np.int64]:
    """How many units of the subtree ``[start, end)`` stand above each of its units: one
    vectorised step a level, each unit's ancestor moved up one at a time.

    >>> parents = np.array([-1, 0, 1, 0])
    >>> _depths(parents, 0, 4).tolist(), _depths(parents, 1, 3).tolist()
    ([0, 1, 2, 1], [0, 1])
    """
    depths = np.zeros(end - start, dtype=np.int64)
    above = parents[start:end].copy()
    climbing = np.flatnonzero(above >= start)
    while len(climbing):
        depths[climbing] += 1
        above[climbing] = parents[above[climbing]]
        climbing = climbing[above[climbing] >= start]
    return depths


def _as_float(ratio: Fraction) -> float:
    """A ratio as the float a report shows: infinity for one beyond the floats (the
    verdict is taken on the exact ratio)."""
    try:
        return float(ratio)
    except OverflowError:
        return math.inf


def _own_columns(org: Org, facts: Facts, plan: Plan, ignore_unknown_metrics: bool
                 ) -> tuple[dict[str, Column], npt.NDArray[np.bool_]]:
    """Each declared metric's own values as a column in tree order, and which units
    reported. The facts' columns are read against the plan's metrics once (and kept
    with the facts); here they are only placed in the tree.

    Raises :class:`~doanorg.FactsError` listing every unit not in ``org``, every
    value that does not fit its metric and, unless they are to be ignored, the facts
    of every metric the plan does not declare.
    """
    table = facts.columns()
    problems = table.unknown_units(org) + table.problems(plan.metrics)
    if not ignore_unknown_metrics:
        problems += undeclared_metrics(table, plan.metrics)
    if problems:
        raise FactsError(sorted(problems, key=lambda problem: problem.line or 0))
    typed = table.typed(plan.metrics)
    rows = table.positions_in(org)
    in_order = len(rows) == len(org) and bool((rows == np.arange(len(org))).all())
    columns = {}
    for name, metric in plan.metrics.items():
        read = typed[name].column
        if not in_order:  # a row per unit of the facts: placed at their positions
            data = build_column(metric, len(org), ()).data.astype(read.data.dtype, copy=False)
            data[rows] = read.data
            read = attrs.evolve(read, data=data)
        columns[name] = read
    reported = np.zeros(len(org), dtype=bool)
    reported[rows] = True
    return columns, reported


def rollup(org: Org, facts: Facts, plan: Plan, *,
           ignore_unknown_metrics: bool = False) -> Assessment:
    """Roll ``plan`` up over the whole of ``org`` in one pass.

    Facts of a metric the plan does not declare are an error, unless
    ``ignore_unknown_metrics`` (or the facts were loaded so:
    :attr:`Facts.ignore_unknown_metrics`): then they are left out, with one warning a
    metric in :attr:`Assessment.warnings` and every report's warnings.

    The roll-up is kept with ``facts``: rolling the same facts up again over the same
    organisation and plan (the same objects) gives the same assessment at no cost.

    Raises
    ------
    FactsError
        If a fact names a unit not in ``org``, does not fit its metric's type, or
        (unless ignored) is of a metric the plan does not declare; every such problem
        is listed.
    """
    ignore = ignore_unknown_metrics or facts.ignore_unknown_metrics
    key = (id(org), id(plan), ignore)
    made = facts.assessments.get(key)
    if made is not None and made[0] is org and made[1] is plan:
        return made[2]  # type: ignore[no-any-return]
    assessment = _rollup(org, facts, plan, ignore)
    if len(facts.assessments) >= _KEPT_ROLLUPS:
        facts.assessments.pop(next(iter(facts.assessments)))
    facts.assessments[key] = (org, plan, assessment)
    return assessment


_KEPT_ROLLUPS = 4
"""How many roll-ups of one set of facts are kept (for as many organisations or plans)."""


@attrs.frozen
class Selection:
    """Which units an ``each`` target selects, for every unit of a tree at once: each
    unit's kind and its parent's kind, as codes, worked out once for all targets.

    >>> from doanorg import load_org, load_plan
    >>> from doanorg.io import example_file
    >>> org, plan = load_org(example_file("org.csv")), load_plan("doan-khoi-2020")
    >>> int(Selection.of(org).selects(plan.schema, plan.target("3b")).sum())  # doan_cap_huyen
    30
    """

    codes: Mapping[str, int]
    kinds: npt.NDArray[np.int16]
    parents: npt.NDArray[np.int16]
    """The kind code of each unit's parent; -1 for the root."""
    _made: dict[tuple[frozenset[str], frozenset[str] | None], npt.NDArray[np.bool_]] = \
        attrs.field(factory=dict, init=False, repr=False)
    """The selections made so far: targets of the same kinds share one (read-only)."""

    @classmethod
    def of(cls, org: Org) -> Selection:
        kinds = org.kind_codes
        return cls({kind: code for code, kind in enumerate(org.kind_names)}, kinds,
                   np.where(org.parent_array >= 0, kinds[org.parent_array], -1))

    def _of_kinds(self, names: frozenset[str], of: Array) -> npt.NDArray[np.bool_]:
        return equal_to_any(of, [self.codes[name] for name in names if name in self.codes])

    def selects(self, schema: Schema, target: EachTarget) -> npt.NDArray[np.bool_]:
        """For each unit in tree order, whether ``target`` selects it: its kind listed in
        ``each`` and, with ``directly_under``, its parent's kind listed there (read-only)."""
        each = schema.expand(target.each)
        under = None if target.directly_under is None else schema.expand(target.directly_under)
        selected = self._made.get((each, under))
        if selected is None:
            selected = self._of_kinds(each, self.kinds)
            if under is not None:
                selected &= self._of_kinds(under, self.parents)
            selected.setflags(write=False)
            self._made[each, under] = selected
        return selected


def _rollup(org: Org, facts: Facts, plan: Plan, ignore_unknown_metrics: bool) -> Assessment:
    columns, reported = _own_columns(org, facts, plan, ignore_unknown_metrics)
    warnings = tuple(undeclared_metrics(facts.columns(), plan.metrics, ignore=True)
                     if ignore_unknown_metrics else ())
    assessment = _assemble(org, facts, plan, columns, reported, warnings, ignore_unknown_metrics)
    if plan.scoring is None or not plan.scoring.filled:
        return assessment
    # Metrics filled from the scoring: the grades come from this roll-up (no target that
    # scores reads a filled metric: the plan's checks see to it), then the plan is
    # rolled up again on columns that hold them.
    graded = assessment.scores()
    positions = np.array([org.position(unit.unit) for unit in graded.units], dtype=np.int64)
    filled = dict(columns)
    for name in plan.scoring.filled:
        column = columns[name]
        data = column.data.copy()
        given = int(np.count_nonzero(data[positions] >= 0))
        data[positions] = [column.encode(unit.grade) for unit in graded.units]
        filled[name] = attrs.evolve(column, data=data)
        if given:
            warnings += (Problem(
                f"facts of metric {name!r} for {given:,} scored "
                f"unit{'s' if given > 1 else ''} are replaced by the computed grades "
                "(from_scoring = true)", file=facts.columns().source, metric=name),)
    return _assemble(org, facts, plan, filled, reported, warnings + graded.warnings,
                     ignore_unknown_metrics)


def _assemble(org: Org, facts: Facts, plan: Plan, columns: dict[str, Column],
              reported: npt.NDArray[np.bool_], warnings: tuple[Problem, ...],
              ignore_unknown_metrics: bool) -> Assessment:
    """The assessment of ``plan`` on the own values ``columns``: every target's marks,
    and one running sum a column, made when first read."""
    summed: dict[Key, Array] = {("sum", name): column.summable()
                                for name, column in columns.items() if column.metric.type.numeric}

    selection = Selection.of(org)
    own: dict[Key, npt.NDArray[np.bool_]] = {}
    failing: dict[str, npt.NDArray[np.int64]] = {}
    for target in plan.targets:
        if not isinstance(target, EachTarget):
            continue
        selected = selection.selects(plan.schema, target)
        column = columns[target.metric]
        passing = selected & passes(column, target.condition)
        own[("selected", target.id)] = selected
        own[("passing", target.id)] = passing
        if target.stretch is not None:
            own[("stretch", target.id)] = selected & passes(
                column, target.condition.raised_to(target.stretch))
        failing[target.id] = np.flatnonzero(selected & ~passing)
    summed.update(own)

    return Assessment(org, facts, plan, _Rolled(columns, _RunningSums(summed, len(org)), own,
                                                failing,
                                                np.flatnonzero(~reported), warnings,
                                                _Judging.of(plan, columns, own),
                                                ignore_unknown_metrics, _parts(org, plan)))


def _parts(org: Org, plan: Plan) -> dict[str, Parts]:
    """Every allocated target's parts at every unit, each worked out once.

    Raises :class:`~doanorg.PlanError` listing every problem of every allocation (a
    weight missing or not a number, a share for a unit that is not a child of the root).
    """
    found: dict[str, Parts] = {}
    problems: list[Problem] = []
    for target in plan.targets:
        if not isinstance(target, TotalTarget) or target.allocate is None:
            continue
        condition = target.condition
        bounds = {bound: value for bound, value in zip(
            BOUNDS, (condition.at_least, condition.at_most, target.stretch), strict=True)
            if value is not None}
        quantum = quantum_of(plan.metrics[target.metric].type, list(bounds.values()))
        try:
            found[target.id] = allocate(org, target.allocate, bounds, quantum, target=target.id)
        except PlanError as error:
            problems += error.problems
    if problems:
        raise PlanError(problems)
    return found


def assess(org: Org, facts: Facts, plan: Plan, *, at: str | None = None,
           ignore_unknown_metrics: bool = False, as_of: date | None = None) -> Report:
    """Assess ``plan`` at unit ``at`` (default: the root) of ``org`` with ``facts``.

    The report looks at ``at`` and all its descendants (SPEC §4). To assess
    many units of one tree, call :func:`rollup` once and then
    :meth:`Assessment.report` for each. ``ignore_unknown_metrics`` is as for
    :func:`rollup`. ``as_of`` adds each target's pace by that date (SPEC §10;
    :meth:`Assessment.report`).

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
    return rollup(org, facts, plan, ignore_unknown_metrics=ignore_unknown_metrics).report(
        at, as_of=as_of)


def score(org: Org, facts: Facts, plan: Plan, at: str | None = None, *,
          ignore_unknown_metrics: bool = False) -> Scores:
    """Score and grade the scored units of the subtree of ``at`` (default: the root) by
    the plan's rubric (SPEC §11), from one roll-up: :meth:`Assessment.scores`.

    Examples
    --------
    >>> from doanorg import load_facts, load_org, load_plan
    >>> from doanorg.io import example_file
    >>> org = load_org(example_file("org.csv"))
    >>> plan = load_plan("doan-khoi-2020")
    >>> facts = load_facts(example_file("facts.csv"), org=org, plan=plan)
    >>> scores = score(org, facts, plan)
    >>> first = scores.units[0]
    >>> first.rank, first.grade
    (1, 'xuat_sac')
    """
    return rollup(org, facts, plan, ignore_unknown_metrics=ignore_unknown_metrics).scores(at)
