"""Laws of allocation (SPEC §10): parts sum to the whole at every unit, a unit's part never
falls when its weight grows, and allocating then assessing at a unit is assessing its
subtree with its part as the bound."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Org, UnitRow, assess, build_org, load_schema, rollup
from doanorg.core.allocation import EQUAL, MEMBERS, Allocation, allocate
from doanorg.core.rules import plan_from_mapping
from doanorg.testing.strategies import facts, orgs

from ._support import restricted

DOAN = load_schema("doan")
TREES = orgs(DOAN, max_units=40)
WEIGHED = TREES.filter(lambda org: MEMBERS in org.attribute_columns)
"""Trees where some unit has ``members`` (without, allocating by it is an error)."""


@st.composite
def allocations(draw: st.DrawFn, org: Org, whole: int) -> Allocation:
    """``by`` members or equal, or ``shares`` for some of the root's children (all of
    them summing to ``whole`` when every child is named)."""
    children = [unit.id for unit in org.children(org.root.id)]
    kinds = ["members"] if MEMBERS in org.attribute_columns else []  # else an error
    kind = draw(st.sampled_from([*kinds, "equal", *(["shares"] if children else [])]))
    if kind != "shares":
        return Allocation(by=MEMBERS if kind == "members" else EQUAL)
    named = draw(st.lists(st.sampled_from(children), min_size=1, unique=True))
    if len(named) == len(children):  # every child named: the shares sum to the whole
        cuts = sorted(draw(st.lists(st.integers(0, whole), min_size=len(named) - 1,
                                    max_size=len(named) - 1)))
        amounts = [high - low for low, high in zip([0, *cuts], [*cuts, whole], strict=True)]
    else:
        amounts = []
        left = whole
        for _ in named:
            amounts.append(draw(st.integers(0, left)))
            left -= amounts[-1]
    return Allocation(shares=tuple(zip(named, amounts, strict=True)))


def _children_sums(org: Org, parts: Any) -> dict[int, int]:
    sums: dict[int, int] = {}
    for position, parent in enumerate(org.parent_array.tolist()):
        if parent >= 0:
            sums[parent] = sums.get(parent, 0) + int(parts[position])
    return sums


@given(st.data())
def test_parts_sum_to_the_whole_at_every_unit(data: st.DataObject) -> None:
    """At every unit that has children, the children's parts sum exactly to the unit's
    part; the root's part is the whole; no part is below 0; and for a count, every part is
    a whole number within 1 of the unit's exact quota."""
    org = data.draw(TREES, label="org")
    whole = data.draw(st.integers(0, 10**7), label="whole")
    allocation = data.draw(allocations(org, whole), label="allocation")
    parts = allocate(org, allocation, {"at_least": whole}, Fraction(1)).bounds["at_least"]
    assert parts[0] == whole
    assert all(part >= 0 for part in parts)
    sums = _children_sums(org, parts)
    assert all(sums[unit] == parts[unit] for unit in sums)
    quotas = _reference_quotas(org, allocation, whole)
    assert all(abs(Fraction(int(part)) - quota) < 1 for part, quota in zip(parts, quotas,
                                                                           strict=True))


def _reference_quotas(org: Org, allocation: Allocation, whole: int) -> list[Fraction]:
    """Each unit's exact quota, worked out one unit at a time from its parent's, with the
    subtree weights summed by a walk of each subtree: the slow, plain reading of the
    rule (shares name the first level; the rest by members, or equal)."""
    by = allocation.by if allocation.shares is None else (
        MEMBERS if MEMBERS in org.attribute_columns else EQUAL)

    def weight(unit: str) -> Fraction:
        if by == EQUAL:
            return Fraction(1)
        return sum((Fraction(below.attributes.get(by, 0)) for below in org.subtree(unit)),
                   Fraction(0))

    quotas = {org.root.id: Fraction(whole)}
    for unit in org.units:
        children = org.children(unit.id)
        if not children:
            continue
        weights = {child.id: weight(child.id) for child in children}
        if by == EQUAL or not sum(weights.values()):
            weights = {child: Fraction(1) for child in weights}
        fixed: dict[str, Fraction] = {}
        if allocation.shares is not None and unit.id == org.root.id:
            shares = dict(allocation.shares)
            fixed = {child: Fraction(shares[child]) for child in weights if child in shares}
            weights = {child: weight for child, weight in weights.items() if child not in fixed}
            if weights and not sum(weights.values()):
                weights = {child: Fraction(1) for child in weights}
        left = quotas[unit.id] - sum(fixed.values(), Fraction(0))
        total = sum(weights.values(), Fraction(0))
        for child in children:
            quotas[child.id] = fixed[child.id] if child.id in fixed else (
                left * weights[child.id] / total)
    return [quotas[unit.id] for unit in org.units]


@given(st.data())
def test_parts_are_the_largest_remainders_of_the_exact_quotas(data: st.DataObject) -> None:
    """Each unit's part is its exact quota rounded down, plus 1 for the children of a unit
    with the largest remainders (ties: tree order) until the children's parts sum to
    their parent's: checked against the quotas worked out one unit at a time."""
    org = data.draw(TREES, label="org")
    whole = data.draw(st.integers(0, 10**6), label="whole")
    allocation = data.draw(allocations(org, whole), label="allocation")
    parts = allocate(org, allocation, {"at_least": whole}, Fraction(1)).bounds["at_least"]
    quotas = _reference_quotas(org, allocation, whole)
    for unit in org.units:
        position = org.position(unit.id)
        children = [org.position(child.id) for child in org.children(unit.id)]
        if not children:
            continue
        floors = {child: math.floor(quotas[child]) for child in children}
        left = int(parts[position]) - sum(floors.values())
        ranked = sorted(children, key=lambda child: (-(quotas[child] - floors[child]), child))
        expected = {child: floors[child] + (child in ranked[:left]) for child in children}
        assert {child: int(parts[child]) for child in children} == expected


def _with_members(org: Org, unit: str, more: int) -> Org:
    rows = []
    for row in org.rows():
        if row.id == unit:
            members = row.attributes.get("members", 0)
            assert isinstance(members, int)
            row = UnitRow(row.id, row.parent, row.kind, row.name,
                          {**row.attributes, "members": members + more})
        rows.append(row)
    return build_org(rows, org.schema)


@given(st.data())
def test_a_part_never_falls_when_its_units_weight_grows(data: st.DataObject) -> None:
    """Raising one unit's own ``members`` (the others' stay) never lowers its part, nor the
    part of any unit above it (whose subtree weighs more too), for each bound handed
    down, with ``by = "members"`` or ``shares``."""
    org = data.draw(WEIGHED, label="org")
    whole = data.draw(st.integers(0, 10**6), label="whole")
    allocation = data.draw(allocations(org, whole).filter(lambda a: a.by != EQUAL),
                           label="allocation")
    unit = data.draw(st.sampled_from([unit.id for unit in org.units]), label="unit")
    more = data.draw(st.integers(1, 10**4), label="more members")
    grown = _with_members(org, unit, more)
    bounds = {"at_least": whole, "at_most": whole + data.draw(st.integers(0, 999))}
    before = allocate(org, allocation, bounds, Fraction(1))
    after = allocate(grown, allocation, bounds, Fraction(1))
    chain = [unit]
    while (parent := org.parent(chain[-1])) is not None:
        chain.append(parent.id)
    for bound in bounds:
        for above in chain:
            now, then = (after.exact(bound, grown.position(above)),
                         before.exact(bound, org.position(above)))
            assert now is not None and then is not None
            assert now >= then, (bound, above)


@given(st.data())
def test_allocated_then_assessed_at_a_unit_is_its_subtree_with_its_part(
        data: st.DataObject) -> None:
    """For every unit S, an allocated total assessed at S has the status, observed sum and
    required figure of S's subtree cut out as a tree of its own, assessed at its root
    with S's part as the bound (and the part of at_most as its upper bound)."""
    org = data.draw(TREES, label="org")
    low = data.draw(st.integers(0, 500), label="at_least")
    high = data.draw(st.one_of(st.none(), st.integers(low, 800)), label="at_most")
    by = data.draw(st.sampled_from([MEMBERS, EQUAL] if MEMBERS in org.attribute_columns
                                   else [EQUAL]), label="by")
    target: dict[str, Any] = {"id": "t", "total": "trees", "at_least": low,
                              "allocate": {"by": by}}
    if high is not None:
        target["at_most"] = high
    mapping = {"id": "p", "metrics": {"trees": {"type": "count"}}, "targets": [target]}
    plan = plan_from_mapping(mapping, DOAN)
    given_facts = data.draw(facts(org, plan), label="facts")
    assessment = rollup(org, given_facts, plan)
    for unit in org.units:
        result = assessment.report(unit.id).result("t")
        own_bounds = {"at_least": assessment.part("t", unit.id)}
        if high is not None:
            own_bounds["at_most"] = assessment.part("t", unit.id, bound="at_most")
        alone = plan_from_mapping({**mapping, "targets": [
            {"id": "t", "total": "trees", **own_bounds}]}, DOAN)
        own_org, own_facts = restricted(org, given_facts, unit.id)
        expected = assess(own_org, own_facts, alone).result("t")
        assert result.allocated
        assert (result.status, result.observed, result.required, result.required_max) == (
            expected.status, expected.observed, expected.required, expected.required_max)
