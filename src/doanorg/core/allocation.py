"""Targets handed down the tree (giao chỉ tiêu): each unit's part of a total.

A ``total`` target's bound is set for the plan's root. With ``allocate``
(SPEC §10) it is handed down: at every level, the children of a unit share
that unit's part in proportion to a *weight*, and the parts of the children
always sum exactly to the part of their parent.

*weight*
    ``by = "members"`` (or any numeric unit attribute): the attribute summed
    over the child's subtree (a unit without it counts 0);
    ``by = "equal"``: 1 for every child. Where every child of a unit weighs
    0, they share equally.
*shares*
    ``shares = {h01 = 1200, h02 = 800}`` fixes the parts of the root's
    children it names; the children it does not name share the rest, and
    every level below follows ``members`` when the units carry that
    attribute, else ``equal``.
*quantum*
    the step parts are counted in: 1 for a count (or a flag: a count of
    units), a hundredth for an amount (finer if the plan's bound is written
    finer). The root's whole is the bound in quanta, rounded toward the
    bound's side (``at_least = 2.5`` on a count hands down 3).
*part*
    what a unit is given: its *quota* (its exact proportional share of the
    whole, the root's quota times each level's weight ÷ the sum of its
    siblings' weights) rounded to quanta by the largest remainder: each
    child first takes its quota rounded down, and the quanta left over of
    its parent's part go one each to the children with the largest
    remainders (ties: tree order). The remainders are those of the exact
    quotas, not of quotas of the parent's rounded part, so that a part
    never falls when its unit's weight grows and the others' stay (a
    rounded parent part would let it: the "Alabama paradox").

How. The quotas are exact fractions held as (numerator, denominator) arrays
of Python integers, worked out level by level (a level is every unit at one
depth, whose siblings stand together in tree order), so that each level is
a few array operations over all its units at once: one pass down the tree,
never a walk of any unit's subtree. :func:`doanorg.rollup` allocates every
allocated target once; :meth:`doanorg.Assessment.part` reads a unit's part.

Examples
--------
>>> apportion(10, [1, 1, 2])
[3, 2, 5]
>>> apportion(7, [0, 0, 0])          # every weight 0: equal, ties in order
[3, 2, 2]
>>> from doanorg import UnitRow, build_org, load_schema
>>> org = build_org([UnitRow("k", "", "khoi", "Khối"),
...                  UnitRow("a", "k", "doan_co_so", "A", {"members": 60}),
...                  UnitRow("b", "k", "doan_co_so", "B", {"members": 40})],
...                 load_schema("doan"))
>>> parts = allocate(org, Allocation(by="members"), {"at_least": 101}, Fraction(1))
>>> [parts.number("at_least", position) for position in range(3)]
[101, 61, 40]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from doanorg.core.metrics import MetricType, exact_decimal, is_plan_number
from doanorg.core.model import Org
from doanorg.errors import PlanError, Problem

__all__ = ["BOUNDS", "EQUAL", "MEMBERS", "Allocation", "Parts", "allocate", "allocation_from_raw",
           "apportion", "quantum_of"]

Number = int | float
Objects = npt.NDArray[np.object_]
"""An array of Python integers (exact, of any size)."""

EQUAL = "equal"
"""``by = "equal"``: every child weighs 1."""
MEMBERS = "members"
"""The attribute ``shares`` falls back on below the first level, when units carry it."""
BOUNDS = ("at_least", "at_most", "stretch")
"""The bounds of a total target that are handed down, where the target has them."""


@attrs.frozen
class Allocation:
    """How a total target's bounds are handed down: ``by`` a weight, or ``shares``
    fixing the parts of the root's children (ids and amounts, in the plan's order)."""

    by: str = MEMBERS
    shares: tuple[tuple[str, Number], ...] | None = None

    def to_mapping(self) -> dict[str, Any]:
        """The ``allocate`` table as a plan file writes it.

        >>> Allocation(shares=(("h01", 1200),)).to_mapping()
        {'shares': {'h01': 1200}}
        """
        if self.shares is not None:
            return {"shares": dict(self.shares)}
        return {"by": self.by}


def quantum_of(metric_type: MetricType, bounds: Sequence[Number]) -> Fraction:
    """The step a target's parts are counted in: 1 for a count or a flag, a hundredth
    for an amount, or the finest decimal place a bound is written with.

    >>> quantum_of(MetricType.COUNT, [26200]), quantum_of(MetricType.AMOUNT, [1.5, 0.125])
    (Fraction(1, 1), Fraction(1, 1000))
    """
    if metric_type is not MetricType.AMOUNT:
        return Fraction(1)
    quantum = Fraction(1, 100)
    for bound in bounds:
        exact = exact_decimal(bound)
        while (exact / quantum).denominator != 1:
            quantum /= 10
    return quantum


@attrs.frozen(eq=False)
class Parts:
    """One target's parts at every unit, in tree order, in quanta (Python integers):
    ``bounds["at_least"][position]`` is the part of the lower bound at that position."""

    quantum: Fraction
    bounds: Mapping[str, Objects]

    def exact(self, bound: str, position: int) -> Fraction | None:
        """The part of ``bound`` at ``position``, exactly (``None`` if not handed down)."""
        parts = self.bounds.get(bound)
        return None if parts is None else parts[position] * self.quantum

    def number(self, bound: str, position: int) -> Number | None:
        """The part of ``bound`` at ``position`` as a report shows it: a whole number for
        a count, a decimal for an amount."""
        exact = self.exact(bound, position)
        if exact is None:
            return None
        return exact.numerator if exact.denominator == 1 else float(exact)


def apportion(whole: int, weights: Sequence[int]) -> list[int]:
    """``whole`` split into whole numbers in proportion to ``weights`` by the largest
    remainder (ties: in order), summing exactly to ``whole``; equally where every
    weight is 0. One level of :func:`allocate`.

    >>> apportion(5, [1, 1]), apportion(0, [3, 4]), apportion(4, [1, 0, 3])
    ([3, 2], [0, 0], [1, 0, 3])
    """
    count = len(weights)
    total = sum(weights)
    numerators = np.array([whole * (weight if total else 1) for weight in weights],
                          dtype=object)
    denominators = np.full(count, total if total else count, dtype=object)
    parts = _round(numerators, denominators, np.array([whole], dtype=object),
                   np.zeros(count, dtype=np.int64), np.array([0]))
    return [int(part) for part in parts]


def _round(numerators: Objects, denominators: Objects, wholes: Objects,
           groups: npt.NDArray[np.int64], starts: npt.NDArray[np.int64]) -> Objects:
    """The quotas ``numerators / denominators`` rounded by the largest remainder within
    each group (siblings, standing together: ``groups`` numbers each quota's group,
    ``starts`` where each group starts) so that each group sums to its ``wholes`` entry.
    The quotas of one group share their denominator, so their remainders compare as
    integers; ties keep the given order."""
    floors = numerators // denominators
    remainders = numerators - floors * denominators
    left = wholes - np.add.reduceat(floors, starts)  # quanta left over, each group
    try:  # sorted as machine integers where they fit (quick), else as Python's (exact)
        keys: npt.NDArray[Any] = remainders.astype(np.int64)
    except OverflowError:
        keys = remainders
    by_remainder = np.argsort(-keys, kind="stable")
    ranked = by_remainder[np.argsort(groups[by_remainder], kind="stable")]
    rank = np.empty(len(ranked), dtype=np.int64)
    rank[ranked] = np.arange(len(ranked)) - starts[groups[ranked]]
    extra = rank < left[groups].astype(np.int64)
    result: Objects = floors + extra.astype(np.int64).astype(object)
    return result


def _levels(parents: npt.NDArray[np.int64]) -> list[npt.NDArray[np.int64]]:
    """The positions at each depth, in tree order: the root, its children, and so on."""
    count = len(parents)
    depth = np.zeros(count, dtype=np.int64)
    levels = [np.array([0], dtype=np.int64)]
    placed = np.zeros(count, dtype=bool)
    placed[0] = True
    while True:
        below = np.flatnonzero(~placed & (parents >= 0) & placed[np.maximum(parents, 0)]
                               & (depth[np.maximum(parents, 0)] == len(levels) - 1))
        if not len(below):
            return levels
        depth[below] = len(levels)
        placed[below] = True
        levels.append(below)


def _weights(org: Org, by: str, target: str) -> tuple[Objects, list[Problem]]:
    """Each unit's own weight as an exact integer (an attribute's decimals scaled to
    whole numbers alike), and the problems of the attribute."""
    count = len(org)
    if by == EQUAL:
        return np.zeros(count, dtype=object), []
    column = org.attribute_columns.get(by)
    if column is None:
        known = ", ".join(sorted(org.attribute_columns)) or "none"
        return np.zeros(count, dtype=object), [Problem(
            f"target {target!r}: allocate by {by!r}, but no unit has the attribute {by!r} "
            f"(the organisation's attributes: {known})", target=target)]
    if isinstance(column, np.ndarray):
        return column.astype(object), [_negative(org, by, target, int(position),
                                                 column[position])
                                       for position in np.flatnonzero(column < 0).tolist()]
    kinds = set(map(type, column))
    if kinds <= {int, type(None)}:  # whole numbers, as member counts are: no fractions
        whole = np.array([0 if value is None else value for value in column], dtype=object)
        below = np.flatnonzero(whole < 0)
        return whole, [_negative(org, by, target, int(position), whole[position])
                       for position in below.tolist()]
    problems = []
    exact: list[Fraction] = []
    for position, value in enumerate(column):
        if value is None:
            exact.append(Fraction(0))
        elif isinstance(value, bool) or not isinstance(value, int | float) or (
                isinstance(value, float) and not math.isfinite(value)):
            unit = org.ids[position]
            problems.append(Problem(f"target {target!r}: allocate by {by!r}: unit {unit!r} "
                                    f"has {by} = {value!r}, not a number", target=target,
                                    unit=unit))
            exact.append(Fraction(0))
        elif value < 0:
            problems.append(_negative(org, by, target, position, value))
            exact.append(Fraction(0))
        else:
            exact.append(exact_decimal(value))
    scale = math.lcm(*(number.denominator for number in exact)) if exact else 1
    return np.array([int(number * scale) for number in exact], dtype=object), problems


def _negative(org: Org, by: str, target: str, position: int, value: object) -> Problem:
    unit = org.ids[position]
    return Problem(f"target {target!r}: allocate by {by!r}: unit {unit!r} has {by} = "
                   f"{value}, below 0 (a weight is 0 or more)", target=target, unit=unit)


def _shares(org: Org, allocation: Allocation, at_least: Fraction, weights: Objects,
            children: npt.NDArray[np.int64], target: str
            ) -> tuple[dict[int, Fraction], list[Problem]]:
    """The fraction of the whole each child of the root takes under ``shares``: a named
    child its share ÷ ``at_least``, the others the rest by weight (equally if they all
    weigh 0)."""
    assert allocation.shares is not None
    position_of = {org.ids[child]: int(child) for child in children.tolist()}
    problems = []
    named: dict[int, Fraction] = {}
    for unit, share in allocation.shares:
        if unit not in position_of:
            where = ("is not in the organisation" if unit not in org
                     else f"is not a child of the root {org.ids[0]!r}")
            problems.append(Problem(f"target {target!r}: allocate shares: unit {unit!r} "
                                    f"{where}; shares are for the root's children "
                                    f"({', '.join(position_of)})", target=target, unit=unit))
            continue
        named[position_of[unit]] = exact_decimal(share)
    given = sum(named.values(), Fraction(0))
    rest = [int(child) for child in children.tolist() if int(child) not in named]
    if not at_least:  # nothing to hand down: every part is 0, whatever the fractions
        named = {child: Fraction(0) if rest else Fraction(1) for child in named}
        at_least = Fraction(len(named)) if not rest else Fraction(1)
    fractions = {child: share / at_least for child, share in named.items()}
    left = 1 - sum(fractions.values(), Fraction(0))
    if not rest:
        if left and not problems:
            problems.append(Problem(
                f"target {target!r}: allocate shares name every child of the root and sum "
                f"to {_show(given)}, not the bound {_show(at_least)}: the parts must sum "
                "exactly to it", target=target))
        return fractions, problems
    total = sum((weights[child] for child in rest), 0)
    for child in rest:
        fractions[child] = left * (Fraction(weights[child], total) if total
                                   else Fraction(1, len(rest)))
    return fractions, problems


def _show(number: Fraction) -> str:
    return str(number.numerator) if number.denominator == 1 else str(float(number))


def allocate(org: Org, allocation: Allocation, bounds: Mapping[str, Number],
             quantum: Fraction, *, target: str = "") -> Parts:
    """The parts of each of ``bounds`` (``at_least``, and ``at_most`` and ``stretch``
    where given) at every unit of ``org``, handed down by ``allocation``.

    Raises
    ------
    PlanError
        If the weight attribute is missing, not a number or below 0 somewhere, or a
        share names a unit that is not a child of the root, or the shares name every
        child and do not sum to the bound; every problem is listed.
    """
    count = len(org)
    parents = org.parent_array
    by = allocation.by
    if allocation.shares is not None:
        by = MEMBERS if MEMBERS in org.attribute_columns else EQUAL
    own, problems = _weights(org, by, target)
    running = np.zeros(count + 1, dtype=object)
    running[1:] = np.cumsum(own) if count else own
    subtree = running[org.end_array] - running[:-1]
    below = subtree - own  # the sum of each unit's children's weights
    children = np.bincount(parents[1:], minlength=count) if count > 1 \
        else np.zeros(count, dtype=np.int64)

    # each unit's share of its parent's quota, as numerator / denominator: the same
    # denominator for all the children of one unit
    share_numerators = np.ones(count, dtype=object)
    share_denominators = np.ones(count, dtype=object)
    levels = _levels(parents)
    for level in levels[1:]:
        above = parents[level]
        equal = (below[above] == 0) if by != EQUAL else np.ones(len(level), dtype=bool)
        share_numerators[level] = np.where(equal, 1, subtree[level])
        share_denominators[level] = np.where(equal, children[above], below[above])
    at_least = bounds.get("at_least")
    if allocation.shares is not None and len(levels) > 1 and at_least is not None:
        first = levels[1]
        fractions, found = _shares(org, allocation, exact_decimal(at_least), subtree, first, target)
        problems += found
        common = math.lcm(*(fraction.denominator for fraction in fractions.values())) \
            if fractions else 1
        for child, fraction in fractions.items():
            share_numerators[child] = int(fraction * common)
            share_denominators[child] = common
    if problems:
        raise PlanError(problems)

    parts: dict[str, Objects] = {}
    for bound, value in bounds.items():
        exact = exact_decimal(value) / quantum
        whole = math.ceil(exact) if bound != "at_most" else math.floor(exact)
        numerators = np.empty(count, dtype=object)
        denominators = np.empty(count, dtype=object)
        rounded = np.empty(count, dtype=object)
        numerators[0], denominators[0], rounded[0] = whole, 1, whole
        for level in levels[1:]:
            above = parents[level]
            numerators[level] = numerators[above] * share_numerators[level]
            denominators[level] = denominators[above] * share_denominators[level]
            starts = np.flatnonzero(np.r_[True, above[1:] != above[:-1]])
            groups = np.cumsum(np.r_[False, above[1:] != above[:-1]]).astype(np.int64)
            rounded[level] = _round(numerators[level], denominators[level],
                                    rounded[above[starts]], groups, starts)
        parts[bound] = rounded
    return Parts(quantum, parts)


def allocation_from_raw(raw: Any, *, shape: str, at_least: object,
                        problem: Callable[[str], None]) -> Allocation | None:
    """A target's ``allocate`` table checked (each problem reported through ``problem``):
    ``{by = "members"}`` (a unit attribute, or ``"equal"``) or ``{shares = {UNIT =
    AMOUNT, ...}}``, on a total target with ``at_least``."""
    usage = ('allocate is a table: allocate = { by = "members" } (or another unit '
             'attribute, or "equal"), or allocate = { shares = { h01 = 1200, ... } }')
    if shape != "total":
        problem("allocate hands down a total, so it is for total targets only")
        return None
    if not isinstance(raw, Mapping) or len(raw) != 1 or next(iter(raw)) not in ("by",
                                                                                "shares"):
        problem(usage)
        return None
    if not is_plan_number(at_least):
        problem("allocate hands down at_least, which this target does not have")
        return None
    assert isinstance(at_least, int | float)
    if "by" in raw:
        by = raw["by"]
        if not isinstance(by, str) or not by.strip():
            problem(usage)
            return None
        return Allocation(by=by.strip())
    shares = raw["shares"]
    if not isinstance(shares, Mapping) or not shares:
        problem(usage)
        return None
    wrong = [unit for unit, share in shares.items() if not is_plan_number(share) or share < 0]
    if wrong:
        problem(f"allocate shares: each share is a number, 0 or more (not those of "
                f"{', '.join(map(repr, wrong))})")
        return None
    given = sum((exact_decimal(share) for share in shares.values()), Fraction(0))
    if given > exact_decimal(at_least):
        problem(f"allocate shares sum to {_show(given)}, above at_least ({at_least}): "
                "the parts must sum exactly to it")
        return None
    return Allocation(shares=tuple(shares.items()))


