"""Facts whose verdict on one target is chosen in advance, and random what-if scenarios.

Private: :mod:`doanorg.testing.strategies` makes its
:func:`~doanorg.testing.strategies.facts_meeting` and
:func:`~doanorg.testing.strategies.facts_failing` with
:func:`facts_with_verdict`, re-exports :func:`scenarios`, and documents them.
This module does not import it: the strategy that draws the facts to start
from is an argument.

*By construction.* :func:`facts_with_verdict` draws facts with the strategy it
is given (:func:`doanorg.testing.strategies.facts`), then rewrites only the
own values the target reads, so that the verdict is the one asked for. Nothing is filtered
and nothing is assumed: every draw gives a usable example. Whether the verdict
can be reached at all depends only on the tree, the plan, the target and the
unit it is assessed at, all known when the strategy is made, so an impossible
request raises :class:`~hypothesis.errors.InvalidArgument` at once.

How each shape is forced (S is the assessed unit):

``each``
    the units S's subtree selects are listed; ``k``, the least number of
    passing units the share asks for, is ``ceil(share * selected)``. To meet
    the target, failing units (from a drawn place in the list, going round)
    get a passing own value until ``k`` pass; to fail it, passing units get a
    failing value until ``k - 1`` pass.
``total``
    a subtree sum ``W`` that meets (or breaks) the condition is drawn, and the
    own values are moved to sum to ``W``: the difference is added to one
    unit, or taken off units in turn; a flag total sets or clears flags.
``ratio``
    a denominator sum ``D > 0`` is drawn from the sums for which a numerator
    sum exists, then a numerator sum ``N`` with ``N / D`` meeting (or breaking)
    the condition; both sums are set as a total's is.

Numbers are exact (:class:`~fractions.Fraction`); an amount is written as the
float whose shortest text is that decimal, as a facts file would hold it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from doanorg.core.facts import Facts, Metric, MetricType, RawValue, Value, coerce
from doanorg.core.model import Org
from doanorg.core.rules import Condition, EachTarget, Plan, RatioTarget, Target, TotalTarget
from doanorg.core.rules import exact_decimal as _exact
from doanorg.whatif.scenario import (
    AddFact,
    ChangeTarget,
    Edit,
    MoveUnit,
    Scenario,
    SetFact,
    State,
)

__all__ = ["facts_with_verdict", "scenarios"]

Records = dict[str, dict[str, RawValue]]


# --- sets of numbers ------------------------------------------------------------------------


@attrs.frozen
class _Space:
    """Where a number may lie: whole numbers or decimals, at least 0 (above 0 when
    ``positive``), at most ``cap`` (a sum of flags cannot pass the number of units)."""

    integral: bool
    cap: int | None = None
    positive: bool = False

    def holds(self, number: Fraction) -> bool:
        return ((number > 0) if self.positive else (number >= 0)) and (
            not self.integral or number.denominator == 1) and (
            self.cap is None or number <= self.cap)


@attrs.frozen
class _Interval:
    """The numbers from ``low`` to ``high`` (``None``: no end), each end open or closed."""

    low: Fraction
    high: Fraction | None = None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, number: Fraction) -> bool:
        above = number > self.low if self.low_open else number >= self.low
        if self.high is None:
            return above
        return above and (number < self.high if self.high_open else number <= self.high)

    def scaled(self, factor: Fraction) -> _Interval:
        return attrs.evolve(self, low=self.low * factor,
                            high=None if self.high is None else self.high * factor)

    def strategy(self, space: _Space) -> SearchStrategy[Fraction] | None:
        low, low_open = (self.low, self.low_open) if self.low >= 0 else (Fraction(0), False)
        if space.positive and low == 0:
            low_open = True
        if space.integral:
            first = math.floor(low) + 1 if low_open else math.ceil(low)
            if self.high is None:
                last = space.cap if space.cap is not None else first + 40
            else:
                last = math.ceil(self.high) - 1 if self.high_open else math.floor(self.high)
                if space.cap is not None:
                    last = min(last, space.cap)
            if first > last:
                return None
            return st.integers(first, last).map(Fraction)
        start = 1 if low_open else 0
        if self.high is None:
            return st.integers(start, 4000).map(lambda k: low + Fraction(k, 100))
        high = self.high
        if low > high or (low == high and (low_open or self.high_open)):
            return None
        if low == high:
            return st.just(low)
        return st.integers(start, 99 if self.high_open else 100).map(
            lambda k: low + (high - low) * Fraction(k, 100))

    def anchors(self, space: _Space) -> Iterable[Fraction]:
        """A few members to fall back on, plain ones first (whole numbers, the bounds)."""
        low = max(self.low, Fraction(0))
        yield from (Fraction(math.floor(low)), Fraction(math.ceil(low)),
                    Fraction(math.floor(low) + 1), low)
        if self.high is not None:
            yield from (self.high, Fraction(math.floor(self.high)), (low + self.high) / 2)
        elif space.cap is not None:
            yield Fraction(space.cap)


@attrs.frozen
class _Points:
    """A finite set of numbers (``equals``, ``in``)."""

    points: frozenset[Fraction]

    def __contains__(self, number: Fraction) -> bool:
        return number in self.points

    def scaled(self, factor: Fraction) -> _Points:
        return _Points(frozenset(point * factor for point in self.points))

    def strategy(self, space: _Space) -> SearchStrategy[Fraction] | None:
        members = sorted(point for point in self.points if space.holds(point))
        return st.sampled_from(members) if members else None

    def anchors(self, space: _Space) -> Iterable[Fraction]:
        return sorted(self.points)


@attrs.frozen
class _AllBut:
    """Every number but a finite set (``not_equals``; a failed ``equals`` or ``in``)."""

    points: frozenset[Fraction]

    def __contains__(self, number: Fraction) -> bool:
        return number not in self.points

    def scaled(self, factor: Fraction) -> _AllBut:
        return _AllBut(frozenset(point * factor for point in self.points))

    def _members(self, space: _Space) -> list[Fraction]:
        top = space.cap if space.cap is not None else int(max(self.points, default=0)) + 41
        return [Fraction(n) for n in range(0, top + 1)
                if Fraction(n) not in self.points and space.holds(Fraction(n))]

    def strategy(self, space: _Space) -> SearchStrategy[Fraction] | None:
        members = self._members(space)
        return st.sampled_from(members) if members else None

    def anchors(self, space: _Space) -> Iterable[Fraction]:
        return self._members(space)[:1]


_Part = _Interval | _Points | _AllBut


@attrs.frozen
class _Numbers:
    """A union of parts: the numbers that meet, or that break, a condition."""

    parts: tuple[_Part, ...]

    def __contains__(self, number: Fraction) -> bool:
        return any(number in part for part in self.parts)

    def scaled(self, factor: Fraction) -> _Numbers:
        return _Numbers(tuple(part.scaled(factor) for part in self.parts))

    def strategy(self, space: _Space) -> SearchStrategy[Fraction] | None:
        """Members in ``space`` that an own value or a sum can be written as exactly
        (an amount as a float's shortest text); ``None`` if there is none."""
        drawn = [found for part in self.parts if (found := part.strategy(space)) is not None]
        anchor = next((number for part in self.parts for number in part.anchors(space)
                       if number in self and space.holds(number) and _writable(number)), None)
        if not drawn or anchor is None:
            return None
        chosen = anchor

        def written(number: Fraction) -> Fraction:
            # a decimal with more digits than a float keeps falls back on a plain member
            return number if _writable(number) else chosen

        return st.one_of(drawn).map(written)


def _writable(number: Fraction) -> bool:
    """Whether ``number`` is written exactly: whole, or a float whose text is it."""
    return number.denominator == 1 or _exact(float(number)) == number


def _written(number: Fraction) -> int | float:
    """``number`` as a fact's value: an int when whole, else the float of that decimal."""
    return number.numerator if number.denominator == 1 else float(number)


def _numbers(condition: Condition, met: bool) -> _Numbers:
    """The numbers (a share's observed ratio, a sum or an own value) that meet the
    condition when ``met``, or that break it."""
    def exact(values: Iterable[object]) -> frozenset[Fraction]:
        return frozenset(_exact(value) for value in values
                         if isinstance(value, int | float) and not isinstance(value, bool))

    low, high = condition.at_least, condition.at_most
    if low is not None or high is not None:
        lowest = _exact(low) if low is not None else Fraction(0)
        highest = _exact(high) if high is not None else None
        if met:
            return _Numbers((_Interval(lowest, highest),))
        parts: list[_Part] = []
        if low is not None:
            parts.append(_Interval(Fraction(0), lowest, high_open=True))
        if highest is not None:
            parts.append(_Interval(highest, low_open=True))
        return _Numbers(tuple(parts))
    if condition.equals is not None:
        points = exact([condition.equals])
        return _Numbers((_Points(points) if met else _AllBut(points),))
    if condition.not_equals is not None:
        points = exact([condition.not_equals])
        return _Numbers((_AllBut(points) if met else _Points(points),))
    points = exact(condition.in_ or ())
    return _Numbers((_Points(points) if met else _AllBut(points),))


def _space(metric: Metric, units: int, *, positive: bool = False) -> _Space:
    """Where a subtree sum of ``metric`` over ``units`` units may lie."""
    if metric.type is MetricType.FLAG:
        return _Space(True, units, positive)
    return _Space(metric.type is MetricType.COUNT, None, positive)


def _sum_value(metric: Metric, raw: RawValue) -> Fraction:
    value = coerce(metric, raw)
    if isinstance(value, bool):
        return Fraction(int(value))
    assert isinstance(value, int | float)
    return _exact(value)


def _set_sum(records: Records, units: Sequence[str], metric: Metric, wanted: Fraction,
             start: int) -> None:
    """Rewrite the own values of ``metric`` over ``units`` so that they sum to ``wanted``:
    add the difference to one unit, or take it off units in turn from ``start``."""
    order = [*units[start:], *units[:start]]
    own = {unit: _sum_value(metric, records.get(unit, {}).get(metric.id)) for unit in order}
    difference = wanted - sum(own.values(), Fraction(0))
    changed: dict[str, Fraction] = {}
    if metric.type is MetricType.FLAG:
        turn = Fraction(1) if difference > 0 else Fraction(0)
        for unit in order:
            if difference == 0:
                break
            if own[unit] != turn:
                changed[unit] = turn
                difference += -1 if turn else 1
    elif difference >= 0:
        changed[order[0]] = own[order[0]] + difference
    else:
        for unit in order:
            if difference == 0:
                break
            taken = min(own[unit], -difference)
            if taken:
                changed[unit] = own[unit] - taken
                difference += taken
    if not all(_writable(value) for value in changed.values()):
        # a sum of decimals with more digits than a float keeps: all on one unit
        changed = {unit: Fraction(0) for unit in order} | {order[0]: wanted}
    for unit, value in changed.items():
        records.setdefault(unit, {})[metric.id] = (
            bool(value) if metric.type is MetricType.FLAG else _written(value))


# --- forcing a verdict -------------------------------------------------------------------


Repair = Callable[[st.DrawFn, Records], None]


def _each_values(metric: Metric, condition: Condition, met: bool
                 ) -> SearchStrategy[RawValue] | None:
    """Own values of ``metric`` that meet (or break) ``condition``; ``None`` if none does."""
    if metric.type is MetricType.FLAG or metric.type is MetricType.CATEGORY:
        options: list[Value] = ([False, True] if metric.type is MetricType.FLAG
                                else [None, *metric.values])
        chosen = [option for option in options if condition.holds(option) == met]
        return st.sampled_from(chosen) if chosen else None
    numbers = _numbers(condition, met).strategy(_Space(metric.type is MetricType.COUNT))
    return None if numbers is None else numbers.map(_written)


def _passes(metric: Metric, condition: Condition, raw: RawValue) -> bool:
    value = coerce(metric, raw)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return condition.holds(_exact(value))
    return condition.holds(value)


def _selected(org: Org, plan: Plan, target: EachTarget, at: str) -> list[str]:
    """The units of ``at``'s subtree that ``target`` selects, in tree order."""
    kinds = plan.schema.expand(target.each)
    under = (None if target.directly_under is None
             else plan.schema.expand(target.directly_under))
    chosen = []
    for unit in org.subtree(at):
        parent = org.parent(unit.id)
        if unit.kind in kinds and (under is None or (parent is not None
                                                     and parent.kind in under)):
            chosen.append(unit.id)
    return chosen


def _each_repair(org: Org, plan: Plan, target: EachTarget, at: str, met: bool,
                 refuse: Callable[[str], InvalidArgument]) -> Repair:
    selected = _selected(org, plan, target, at)
    if not selected:
        kinds = ", ".join(target.each)
        under = (f" directly under {', '.join(target.directly_under)}"
                 if target.directly_under is not None else "")
        raise refuse(f"it selects no unit of the subtree of {at!r} (kinds {kinds}{under}), "
                     "so it is not_applicable there: draw a tree that has such units, or "
                     "assess at a unit above them")
    metric = plan.metrics[target.metric]
    needed = math.ceil(_exact(target.share) * len(selected))
    if met and needed == 0:
        return lambda draw, records: None  # a share of 0 is met by any facts
    if not met and needed == 0:
        raise refuse(f"its share is {target.share}, which any facts meet: give it a share "
                     "above 0")
    values = _each_values(metric, target.condition, met)
    if values is None:
        verb = "meets" if met else "breaks"
        raise refuse(f"no value of the {metric.type.value} {metric.id!r} {verb} "
                     f"{target.condition.describe()}: choose another target, or loosen "
                     "its condition")
    condition = target.condition

    def repair(draw: st.DrawFn, records: Records) -> None:
        passing = [_passes(metric, condition, records.get(unit, {}).get(metric.id))
                   for unit in selected]
        # to meet: turn failing units into passing ones until `needed` pass;
        # to fail: turn passing units into failing ones until `needed - 1` pass
        to_turn = (needed - sum(passing)) if met else (sum(passing) - needed + 1)
        if to_turn <= 0:
            return
        candidates = [unit for unit, passes in zip(selected, passing, strict=True)
                      if passes != met]
        start = draw(st.integers(0, len(candidates) - 1))
        for unit in [*candidates[start:], *candidates[:start]][:to_turn]:
            records.setdefault(unit, {})[metric.id] = draw(values)

    return repair


def _total_repair(org: Org, plan: Plan, target: TotalTarget, at: str, met: bool,
                  refuse: Callable[[str], InvalidArgument]) -> Repair:
    if at != org.root.id:
        raise refuse(f"it is a total, judged at the plan's root only: at {at!r} it is "
                     f"informational. Pass at=None (the root, {org.root.id!r})")
    metric = plan.metrics[target.metric]
    units = [unit.id for unit in org]
    sums = _numbers(target.condition, met).strategy(_space(metric, len(units)))
    if sums is None:
        verb = "meets" if met else "breaks"
        raise refuse(f"no sum of the {metric.type.value} {metric.id!r} over "
                     f"{len(units)} units {verb} {target.condition.describe()}: choose "
                     "another target, or loosen its condition")

    def repair(draw: st.DrawFn, records: Records) -> None:
        start = draw(st.integers(0, len(units) - 1))
        _set_sum(records, units, metric, draw(sums), start)

    return repair


def _denominators(condition: Condition, space: _Space) -> list[Fraction]:
    """Denominator sums to try: 1 to 40, and small multiples of the denominators of the
    condition's numbers (a ratio of exactly 0.15 needs a denominator of 20)."""
    numbers = [value for value in (condition.at_least, condition.at_most, condition.equals,
                                   condition.not_equals, *(condition.in_ or ()))
               if isinstance(value, int | float) and not isinstance(value, bool)]
    found = {Fraction(n) for n in range(1, 41)}
    found |= {Fraction(_exact(value).denominator * k) for value in numbers for k in (1, 2, 3)}
    return sorted(n for n in found if space.holds(n))


def _ratio_repair(org: Org, plan: Plan, target: RatioTarget, at: str, met: bool,
                  refuse: Callable[[str], InvalidArgument]) -> Repair:
    units = [unit.id for unit in org.subtree(at)]
    numerator = plan.metrics[target.numerator]
    denominator = plan.metrics[target.denominator]
    over = _space(denominator, len(units), positive=True)
    verb = "meets" if met else "breaks"
    if numerator.id == denominator.id:
        if target.condition.holds(Fraction(1)) != met:
            raise refuse(f"it divides {numerator.id!r} by itself, a ratio of 1, which never "
                         f"{verb} {target.condition.describe()}")
        sums = st.sampled_from(_denominators(Condition(), over))

        def same(draw: st.DrawFn, records: Records) -> None:
            start = draw(st.integers(0, len(units) - 1))
            _set_sum(records, units, numerator, draw(sums), start)

        return same
    wanted = _numbers(target.condition, met)
    top = _space(numerator, len(units))
    pairs = [(bottom, found) for bottom in _denominators(target.condition, over)
             if (found := wanted.scaled(bottom).strategy(top)) is not None]
    if not pairs:
        raise refuse(f"no ratio of the sums of {numerator.id!r} and {denominator.id!r} over "
                     f"the {len(units)} units of the subtree of {at!r} {verb} "
                     f"{target.condition.describe(percent=True)}: choose another target, or "
                     "loosen its condition")

    def repair(draw: st.DrawFn, records: Records) -> None:
        bottom, tops = pairs[draw(st.integers(0, len(pairs) - 1))]
        start = draw(st.integers(0, len(units) - 1))
        _set_sum(records, units, denominator, bottom, start)
        _set_sum(records, units, numerator, draw(tops), start)

    return repair


def _resolve(org: object, plan: object, target: object, at: object
             ) -> tuple[Org, Plan, Target, str]:
    if not isinstance(org, Org):
        raise InvalidArgument(f"org={org!r} must be a doanorg.Org, such as one drawn from "
                              "doanorg.testing.strategies.orgs()")
    if not isinstance(plan, Plan):
        raise InvalidArgument(f"plan={plan!r} must be a doanorg.Plan, such as one drawn from "
                              "doanorg.testing.strategies.plans()")
    ids = [candidate.id for candidate in plan.targets]
    if isinstance(target, str):
        if target not in ids:
            raise InvalidArgument(f"target={target!r} is not a target of the plan "
                                  f"{plan.id!r}: pass one of {', '.join(ids)}")
        chosen = plan.target(target)
    elif isinstance(target, EachTarget | TotalTarget | RatioTarget):
        if target not in plan.targets:
            raise InvalidArgument(f"target {target.id!r} is not one of the plan "
                                  f"{plan.id!r}'s targets: pass a target of plan.targets, "
                                  "or its id")
        chosen = target
    else:
        raise InvalidArgument(f"target={target!r} must be a target of the plan "
                              f"(an item of plan.targets) or its id, one of {', '.join(ids)}")
    if at is None:
        return org, plan, chosen, org.root.id
    if not isinstance(at, str) or at not in org:
        raise InvalidArgument(f"at={at!r} is not a unit of the tree: pass a unit id, such as "
                              f"{org.root.id!r}, or None for the root")
    return org, plan, chosen, at


def facts_with_verdict(
    draw_facts: Callable[[Org, Plan], SearchStrategy[Facts]],
    org: object,
    plan: object,
    target: object,
    at: object,
    *,
    met: bool,
) -> SearchStrategy[Facts]:
    """Facts drawn by ``draw_facts(org, plan)``, then rewritten so that ``target`` is
    met (``met``) or not met at ``at``: what :func:`doanorg.testing.strategies.facts_meeting`
    and :func:`~doanorg.testing.strategies.facts_failing` return, with
    :func:`~doanorg.testing.strategies.facts` as ``draw_facts``.

    The arguments are checked, and an impossible verdict refused, before
    ``draw_facts`` is called.
    """
    org, plan, chosen, where = _resolve(org, plan, target, at)
    wanted = "met" if met else "not_met"

    def refuse(why: str) -> InvalidArgument:
        return InvalidArgument(f"no facts make target {chosen.id!r} {wanted} at {where!r}: "
                               f"{why}")

    repair: Repair
    if isinstance(chosen, EachTarget):
        repair = _each_repair(org, plan, chosen, where, met, refuse)
    elif isinstance(chosen, TotalTarget):
        repair = _total_repair(org, plan, chosen, where, met, refuse)
    else:
        repair = _ratio_repair(org, plan, chosen, where, met, refuse)
    return _repaired(draw_facts(org, plan), repair)


@st.composite
def _repaired(draw: st.DrawFn, base: SearchStrategy[Facts], repair: Repair) -> Facts:
    drawn = draw(base)
    records: Records = {unit: dict(drawn.values.get(unit, {})) for unit in drawn.reported}
    repair(draw, records)
    return Facts.from_records(records, period=drawn.period,
                              ignore_unknown_metrics=drawn.ignore_unknown_metrics)


# --- scenarios -----------------------------------------------------------------------------


_COUNTS = st.integers(0, 12)
_AMOUNTS = st.integers(0, 3000).map(lambda cents: _written(Fraction(cents, 100)))
_MORE_COUNT = st.integers(1, 5)
_MORE_AMOUNT = st.integers(1, 500).map(lambda cents: _written(Fraction(cents, 100)))
_EDITS = st.sampled_from(("set", "add", "move", "change"))


def _new_values(metric: Metric) -> SearchStrategy[RawValue]:
    if metric.type is MetricType.COUNT:
        values: SearchStrategy[RawValue] = _COUNTS
    elif metric.type is MetricType.AMOUNT:
        values = _AMOUNTS
    elif metric.type is MetricType.FLAG:
        values = st.booleans()
    else:
        values = st.sampled_from(metric.values)
    return values | st.none()


def _moves(org: Org, unit: str) -> list[str]:
    """The units ``unit`` may move under: of an allowed kind, outside its subtree, not its
    parent."""
    allowed = org.schema.kinds[org[unit].kind].parents
    position = org.position(unit)
    end = org.ends[position]
    parent = org.parent(unit)
    return [other.id for index, other in enumerate(org.units)
            if other.kind in allowed and not position <= index < end
            and (parent is None or other.id != parent.id)]


def _bound(draw: st.DrawFn, target: Target) -> int | float:
    """A new bound for ``target``: a share-like decimal for a ratio, a count otherwise."""
    if isinstance(target, RatioTarget):
        return _written(Fraction(draw(st.integers(0, 200)), 100))
    return draw(st.integers(0, 300 if isinstance(target, TotalTarget) else 12))


def _target_change(draw: st.DrawFn, target: Target) -> dict[str, Any]:
    condition = target.condition
    options = ["aspirational"]
    if isinstance(target, EachTarget):
        options.append("share")
    if condition.at_least is not None or condition.at_most is not None:
        options.append("bound")
    chosen = draw(st.sampled_from(options))
    if chosen == "aspirational":
        return {"aspirational": not target.aspirational}
    if chosen == "share":
        return {"share": _written(Fraction(draw(st.integers(0, 100)), 100))}
    bound = _bound(draw, target)
    if condition.at_least is not None:
        if condition.at_most is not None and bound > condition.at_most:
            bound = condition.at_most
        return {"at_least": bound, "stretch": None}
    return {"at_most": bound}


@st.composite
def _edit(draw: st.DrawFn, state: State) -> Edit:
    kind = draw(_EDITS)
    units = [unit.id for unit in state.org]
    summed = [metric for metric in state.plan.metrics.values()
              if metric.type in (MetricType.COUNT, MetricType.AMOUNT)]
    if kind == "move" and len(units) > 1:
        unit = draw(st.sampled_from(units[1:]))
        parents = _moves(state.org, unit)
        if parents:
            return MoveUnit(unit, draw(st.sampled_from(parents)))
    if kind == "change":
        target = draw(st.sampled_from(state.plan.targets))
        return ChangeTarget(target.id, _target_change(draw, target))
    unit = draw(st.sampled_from(units))
    if kind == "add" and summed:
        metric = draw(st.sampled_from(summed))
        more = _MORE_COUNT if metric.type is MetricType.COUNT else _MORE_AMOUNT
        return AddFact(unit, metric.id, draw(more))
    metric = draw(st.sampled_from(list(state.plan.metrics.values())))
    return SetFact(unit, metric.id, draw(_new_values(metric)))


@st.composite
def _scenarios(draw: st.DrawFn, org: Org, facts: Facts, plan: Plan, min_edits: int,
               max_edits: int) -> Scenario:
    state = State(org, facts, plan)
    edits: list[Edit] = []
    for _ in range(draw(st.integers(min_edits, max_edits))):
        edit = draw(_edit(state))
        state = edit.apply(state)
        edits.append(edit)
    return Scenario.baseline(org, facts, plan).apply(*edits, name=f"{len(edits)} edits")


def scenarios(
    org: Org, facts: Facts, plan: Plan, *, min_edits: int = 0, max_edits: int = 5
) -> SearchStrategy[Scenario]:
    """What-if :class:`~doanorg.whatif.scenario.Scenario` values made from
    ``(org, facts, plan)``.

    Each scenario applies from ``min_edits`` to ``max_edits`` edits to the
    baseline, every one valid where it is applied:
    :class:`~doanorg.whatif.scenario.SetFact` (a value of the metric's type,
    or none), :class:`~doanorg.whatif.scenario.AddFact` (to a count or an
    amount), :class:`~doanorg.whatif.scenario.MoveUnit` (under a unit of a
    kind the schema allows, outside its own subtree) and
    :class:`~doanorg.whatif.scenario.ChangeTarget` (aspirational, share, or a
    bound kept within the other). ``scenario.base`` is the baseline;
    ``scenario.edits`` are the edits. Scenarios shrink toward fewer edits.
    """
    if not isinstance(org, Org):
        raise InvalidArgument(f"org={org!r} must be a doanorg.Org, such as one drawn from "
                              "orgs()")
    if not isinstance(facts, Facts):
        raise InvalidArgument(f"facts={facts!r} must be a doanorg.Facts, such as one drawn "
                              "from facts(org, plan)")
    if not isinstance(plan, Plan):
        raise InvalidArgument(f"plan={plan!r} must be a doanorg.Plan, such as one drawn from "
                              "plans()")
    for name, value in (("min_edits", min_edits), ("max_edits", max_edits)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidArgument(f"{name}={value!r} must be a whole number, 0 or more, "
                                  f"such as {name}=3")
    if min_edits > max_edits:
        raise InvalidArgument(f"min_edits={min_edits} is above max_edits={max_edits}: raise "
                              "max_edits or lower min_edits")
    return _scenarios(org, facts, plan, min_edits, max_edits)
