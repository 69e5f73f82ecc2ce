"""Laws of locality: a unit's result depends on its subtree alone (and its parent's kind)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg import EachTarget, TotalTarget, assess, rollup
from doanorg.testing.strategies import Case, cases, facts, schemas

from ._support import close, restricted, with_records


@given(st.data())
def test_facts_outside_a_subtree_do_not_change_its_report(data: st.DataObject) -> None:
    """Assessing at a unit S reads nothing outside S's subtree: replacing the facts of
    every unit outside it with other facts (changed values, new rows, units that stop
    or start reporting) leaves report(at=S).to_dict() unchanged. (directly_under reads
    the kind of S's parent, which editing facts does not change.)"""
    case = data.draw(cases(schemas(), max_units=30), label="case")
    other = data.draw(facts(case.org, case.plan), label="other facts")
    unit = data.draw(st.sampled_from([unit.id for unit in case.org]), label="S")
    inside = {below.id for below in case.org.subtree(unit)}
    records = {name: values for name, values in case.facts.values.items() if name in inside}
    records |= {name: {} for name in case.facts.reported & inside if name not in records}
    records |= {name: values for name, values in other.values.items() if name not in inside}
    records |= {name: {} for name in other.reported - inside if name not in records}
    edited = with_records(case.facts, records)
    expected = assess(case.org, case.facts, case.plan, at=unit).to_dict()
    assert assess(case.org, edited, case.plan, at=unit).to_dict() == expected


@given(cases(schemas(), max_units=30, min_targets=3, max_targets=10))
def test_a_subtree_cut_out_as_its_own_tree_gives_the_same_results(case: Case) -> None:
    """For every unit S, the subtree of S taken out as a tree of its own (Org.rows() of
    the subtree, S made the root, build_org) and assessed at its root gives the same
    each and ratio results as the whole tree assessed at S, and the same not_reported.
    Excepted: each targets with directly_under (S's parent is gone, so S itself may no
    longer be selected) and the status of totals, which the new tree judges at its root;
    their observed sums are the same."""
    assessment = rollup(case.org, case.facts, case.plan)
    for unit in case.org:
        whole = assessment.report(unit.id)
        org, own_facts = restricted(case.org, case.facts, unit.id)
        alone = assess(org, own_facts, case.plan)
        assert alone.at == unit.id
        assert alone.not_reported == whole.not_reported
        for target in case.plan.targets:
            expected, actual = whole.result(target.id), alone.result(target.id)
            if isinstance(target, EachTarget) and target.directly_under is not None:
                continue
            if isinstance(target, TotalTarget):
                assert close(actual.observed, expected.observed), target.id
            else:
                assert close(actual.to_dict(), expected.to_dict()), target.id
