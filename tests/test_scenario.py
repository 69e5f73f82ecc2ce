"""What-if scenarios (doanorg.whatif.scenario): every edit, its errors, composition, TOML files.

The small Khối used throughout, in tree order::

    k       khoi
      h1      doan_cap_huyen
        cs1     doan_co_so
          c1      chi_doan
          c2      chi_doan
      h2      doan_cap_huyen
        cs2     doan_co_so
          c3      chi_doan
      cs3     doan_co_so          (directly under the Khối)

and a plan of five targets on four metrics (a count, an amount, a flag, a
category). A failed edit raises :class:`ScenarioError` and changes nothing:
the baseline's tree, facts and plan compare equal, and its report is the same,
before and after.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from doanorg import Facts, Org, Report, UnitRow, build_org, load_facts
from doanorg.core.facts import RawValue
from doanorg.core.rules import plan_from_mapping, target_to_mapping
from doanorg.errors import DoanorgError, ScenarioError
from doanorg.io import builtin_schema, load_scenario, read_edits, save_scenario
from doanorg.whatif.scenario import (
    AddFact,
    AddTarget,
    AddUnit,
    ChangeTarget,
    DropTarget,
    Edit,
    MergeUnits,
    MoveUnit,
    RemoveUnit,
    Scenario,
    SetFact,
    SplitUnit,
    edit_from_mapping,
    edit_to_mapping,
)

SCHEMA = builtin_schema("doan")

ORG = build_org([
    UnitRow("k", None, "khoi", "Đoàn Khối"),
    UnitRow("h1", "k", "doan_cap_huyen", "Huyện 1", {"members": 120}),
    UnitRow("cs1", "h1", "doan_co_so", "Cơ sở 1"),
    UnitRow("c1", "cs1", "chi_doan", "Chi đoàn 1"),
    UnitRow("c2", "cs1", "chi_doan", "Chi đoàn 2"),
    UnitRow("h2", "k", "doan_cap_huyen", "Huyện 2"),
    UnitRow("cs2", "h2", "doan_co_so", "Cơ sở 2"),
    UnitRow("c3", "cs2", "chi_doan", "Chi đoàn 3"),
    UnitRow("cs3", "k", "doan_co_so", "Cơ sở 3"),
], SCHEMA)

PLAN = plan_from_mapping({
    "id": "p",
    "title": "Kế hoạch thử",
    "metrics": {
        "projects": {"type": "count", "label": "Công trình thanh niên"},
        "funds": {"type": "amount"},
        "pledged": {"type": "flag"},
        "rating": {"type": "category", "values": ["xuat_sac", "tot", "hoan_thanh"]},
    },
    "targets": [
        {"id": "3b", "each": ["doan_cap_huyen"], "metric": "projects", "at_least": 3,
         "stretch": 4},
        {"id": "3c", "each": ["doan_co_so"], "metric": "projects", "at_least": 1},
        {"id": "tong", "total": "projects", "at_least": 12},
        {"id": "cam_ket", "each": ["chi_doan"], "metric": "pledged", "equals": True},
        {"id": "xep_loai", "each": ["co_so"], "metric": "rating", "equals": "xuat_sac",
         "share": 0.5, "aspirational": True},
    ],
}, SCHEMA)

RECORDS: dict[str, dict[str, RawValue]] = {
    "h1": {"projects": 3, "funds": 1.5, "rating": "tot"},
    "cs1": {"projects": 2, "funds": 0.25, "pledged": True, "rating": "xuat_sac"},
    "c1": {"pledged": True},
    "c2": {"pledged": False},
    "h2": {"projects": 1, "funds": 2},
    "cs2": {"projects": 0, "rating": "hoan_thanh"},
    "c3": {"pledged": True},
    "cs3": {"projects": 4, "pledged": False, "rating": "tot"},
}


def _baseline() -> Scenario:
    return Scenario.baseline(ORG, Facts.from_records(RECORDS), PLAN, name="năm 2020")


def _tree(org: Org) -> list[tuple[str, str | None, str, str]]:
    """The tree as (id, parent, kind, name) rows, in tree order."""
    return [(row.id, row.parent, row.kind, row.name) for row in org.rows()]


def _snapshot(scenario: Scenario) -> tuple[Any, ...]:
    """What must not change: the tree, the facts, the plan and the reports."""
    return (
        _tree(scenario.org), scenario.facts, scenario.plan,
        scenario.report(), scenario.report("h1"), scenario.report("cs3"),
    )


def _status(report: Report, target: str) -> str:
    return report.result(target).status


# --- the baseline -------------------------------------------------------------------------


def test_a_baseline_has_no_edits_and_is_its_own_root() -> None:
    base = _baseline()
    assert (base.name, base.edits, base.base, base.all_edits()) == ("năm 2020", (), None, ())
    assert base.root() is base
    assert (base.org, base.facts, base.plan) == (ORG, Facts.from_records(RECORDS), PLAN)


def test_a_baseline_reports_as_its_data() -> None:
    base = _baseline()
    statuses = {result.id: result.status for result in base.report().results}
    expected = {"3b": "not_met", "3c": "not_met", "tong": "not_met", "cam_ket": "not_met",
                "xep_loai": "not_met"}
    assert expected == statuses


# --- facts --------------------------------------------------------------------------------


def test_set_fact_sets_a_units_own_value() -> None:
    base = _baseline()
    scenario = base.apply(SetFact("h2", "projects", 3))
    assert 3 == scenario.assessment().value("projects", "h2")
    assert ("met", "not_met") == (_status(scenario.report(), "3b"), _status(base.report(), "3b"))
    assert 1 == base.assessment().value("projects", "h2")
    assert {"projects": 1, "funds": 2} == base.facts.values["h2"]


def test_set_fact_accepts_text_as_a_file_holds_it() -> None:
    scenario = _baseline().apply(SetFact("c2", "pledged", "Có"), SetFact("h2", "projects", " 3 "))
    assert (True, 3) == (scenario.assessment().value("pledged", "c2"),
                         scenario.assessment().value("projects", "h2"))


def test_set_fact_of_none_removes_the_value() -> None:
    scenario = _baseline().apply(SetFact("h1", "projects", None))
    assert {"funds": 1.5, "rating": "tot"} == scenario.facts.values["h1"]
    assert 0 == scenario.assessment().value("projects", "h1")
    assert "h1" in scenario.facts.reported


def test_set_fact_on_a_unit_that_did_not_report_makes_it_reported() -> None:
    base = _baseline()
    assert "k" in base.report().not_reported
    scenario = base.apply(SetFact("k", "projects", 1))
    assert ((), {"projects": 1}) == (scenario.report().not_reported, scenario.facts.values["k"])


def test_add_fact_adds_to_a_count_and_an_amount() -> None:
    scenario = _baseline().apply(AddFact("h2", "projects", 2), AddFact("h1", "funds", 0.25),
                                 AddFact("k", "projects", 1))
    values = scenario.assessment()
    assert (3, 1.75, 1) == (values.value("projects", "h2"), values.value("funds", "h1"),
                            values.value("projects", "k"))


def test_add_fact_may_take_away() -> None:
    scenario = _baseline().apply(AddFact("cs3", "projects", -4))
    assert 0 == scenario.assessment().value("projects", "cs3")


# --- units --------------------------------------------------------------------------------


def test_add_unit_under_a_parent() -> None:
    scenario = _baseline().apply(AddUnit("cs4", "h2", "doan_co_so", "Cơ sở 4", {"members": 40}))
    assert ("cs4", "h2", "doan_co_so", "Cơ sở 4") in _tree(scenario.org)
    assert {"members": 40} == scenario.org["cs4"].attributes
    assert ["cs4"] == [unit for unit in scenario.report().not_reported if unit == "cs4"]
    assert (4, 2) == (scenario.report().result("3c").selected,
                      scenario.report().result("3c").passing)


def test_remove_unit_removes_its_subtree_and_their_facts() -> None:
    scenario = _baseline().apply(RemoveUnit("h2"))
    assert ["k", "h1", "cs1", "c1", "c2", "cs3"] == [unit.id for unit in scenario.org]
    assert {"h1", "cs1", "c1", "c2", "cs3"} == set(scenario.facts.values)
    assert {"h1", "cs1", "c1", "c2", "cs3"} == set(scenario.facts.reported)
    assert 9 == scenario.assessment().total("projects")


def test_move_unit_moves_its_subtree() -> None:
    base = _baseline()
    scenario = base.apply(MoveUnit("cs3", "h2"))
    assert [("h2", "k"), ("cs2", "h2"), ("c3", "cs2"), ("cs3", "h2")] == [
        (row.id, row.parent) for row in scenario.org.rows()[5:]]
    assert (5, 1) == (scenario.assessment().total("projects", at="h2"),
                      base.assessment().total("projects", at="h2"))
    assert scenario.facts == base.facts


def test_merge_sums_counts_and_amounts_and_reparents_the_children() -> None:
    scenario = _baseline().apply(MergeUnits(("h1", "h2"), "h1", name="Huyện 1 và 2"))
    assert [
        ("k", None, "khoi", "Đoàn Khối"),
        ("h1", "k", "doan_cap_huyen", "Huyện 1 và 2"),
        ("cs1", "h1", "doan_co_so", "Cơ sở 1"),
        ("c1", "cs1", "chi_doan", "Chi đoàn 1"),
        ("c2", "cs1", "chi_doan", "Chi đoàn 2"),
        ("cs2", "h1", "doan_co_so", "Cơ sở 2"),
        ("c3", "cs2", "chi_doan", "Chi đoàn 3"),
        ("cs3", "k", "doan_co_so", "Cơ sở 3"),
    ] == _tree(scenario.org)
    assert {"projects": 4, "funds": 3.5, "rating": "tot"} == scenario.facts.values["h1"]
    assert "h2" not in scenario.facts.values and "h2" not in scenario.facts.reported
    assert 10 == scenario.assessment().total("projects")  # nothing lost, nothing added


def test_merge_keeps_a_flag_true_if_any_is_and_the_category_of_the_surviving_unit() -> None:
    scenario = _baseline().apply(MergeUnits(("cs3", "cs1"), "cs1"))
    assert {"projects": 6, "funds": 0.25, "pledged": True, "rating": "xuat_sac"} == (
        scenario.facts.values["cs1"])
    assert ["c1", "c2"] == [unit.id for unit in scenario.org.children("cs1")]


def test_merge_into_a_unit_without_a_category_takes_the_first_given() -> None:
    scenario = _baseline().apply(MergeUnits(("cs2", "cs3"), "cs3"))
    assert "tot" == scenario.assessment().value("rating", "cs3")
    scenario = _baseline().apply(SetFact("cs3", "rating", None),
                                 MergeUnits(("cs2", "cs3"), "cs3"))
    assert "hoan_thanh" == scenario.assessment().value("rating", "cs3")
    assert ["c3"] == [unit.id for unit in scenario.org.children("cs3")]


def test_split_moves_counts_and_children_to_a_new_sibling() -> None:
    scenario = _baseline().apply(SplitUnit(
        "cs1", "cs1b", "Cơ sở 1B", children=("c2",),
        facts={"projects": 1, "funds": 0.25, "pledged": True, "rating": "tot"}))
    assert [
        ("k", None, "khoi", "Đoàn Khối"),
        ("h1", "k", "doan_cap_huyen", "Huyện 1"),
        ("cs1", "h1", "doan_co_so", "Cơ sở 1"),
        ("c1", "cs1", "chi_doan", "Chi đoàn 1"),
        ("cs1b", "h1", "doan_co_so", "Cơ sở 1B"),
        ("c2", "cs1b", "chi_doan", "Chi đoàn 2"),
    ] == _tree(scenario.org)[:6]
    assert {"projects": 1, "funds": 0, "pledged": True, "rating": "xuat_sac"} == (
        scenario.facts.values["cs1"])
    assert {"projects": 1, "funds": 0.25, "pledged": True, "rating": "tot"} == (
        scenario.facts.values["cs1b"])
    assert 10 == scenario.assessment().total("projects")


def test_split_may_give_the_new_unit_another_kind() -> None:
    scenario = _baseline().apply(SplitUnit("cs3", "cbs", "Chi đoàn cơ sở", kind="chi_doan_co_so"))
    assert ("cbs", "k", "chi_doan_co_so", "Chi đoàn cơ sở") in _tree(scenario.org)
    assert {"projects": 4, "pledged": False, "rating": "tot"} == scenario.facts.values["cs3"]


# --- targets ------------------------------------------------------------------------------


def test_change_target_bounds() -> None:
    base = _baseline()
    relaxed = base.apply(ChangeTarget("3b", {"at_least": 1, "stretch": None}))
    assert ("met", "not_met") == (_status(relaxed.report(), "3b"), _status(base.report(), "3b"))
    assert {"id": "3b", "each": ["doan_cap_huyen"], "metric": "projects", "at_least": 1} == (
        target_to_mapping(relaxed.plan.target("3b")))
    ranged = base.apply(ChangeTarget("tong", {"at_least": 5, "at_most": 9}))
    result = ranged.report().result("tong")
    assert ("not_met", 10, 5, 9) == (result.status, result.observed, result.required,
                                     result.required_max)


def test_change_target_share_and_aspirational() -> None:
    scenario = _baseline().apply(ChangeTarget("xep_loai", {"share": 0.25, "aspirational": False}))
    target = target_to_mapping(scenario.plan.target("xep_loai"))
    assert (0.25, None) == (target["share"], target.get("aspirational"))
    result = scenario.report().result("xep_loai")
    assert ("met", False) == (result.status, result.aspirational)


def test_change_target_makes_a_target_aspirational() -> None:
    base = _baseline().apply(SetFact("c2", "pledged", True), SetFact("h2", "projects", 3),
                             SetFact("cs2", "projects", 1), ChangeTarget("tong", {"at_least": 20}))
    assert ["tong"] == [r.id for r in base.report().results if r.status == "not_met"
                        and not r.aspirational]
    assert (False, True) == (base.report().compliant,
                             base.change_target("tong", aspirational=True).report().compliant)


def test_change_target_stretch() -> None:
    base = _baseline()
    assert False is base.report("h1").result("3b").stretch_met
    scenario = base.apply(ChangeTarget("3b", {"stretch": 3}))
    assert True is scenario.report("h1").result("3b").stretch_met
    assert None is base.apply(ChangeTarget("3b", {"stretch": None})).report("h1").result(
        "3b").stretch_met


def test_change_target_condition_shortcut_spells_in_with_an_underscore() -> None:
    scenario = _baseline().change_target("xep_loai", equals=None, in_=["xuat_sac", "tot"])
    assert ("xuat_sac", "tot") == scenario.plan.target("xep_loai").condition.in_
    assert "met" == _status(scenario.report(), "xep_loai")


def test_change_target_text() -> None:
    scenario = _baseline().apply(ChangeTarget("3b", {"text": "mỗi huyện ít nhất 03"}))
    assert "mỗi huyện ít nhất 03" == scenario.plan.target("3b").text


def test_add_target() -> None:
    spec = {"id": "quy", "total": "funds", "at_least": 3.75, "text": "Kinh phí"}
    scenario = _baseline().apply(AddTarget(spec))
    assert ["3b", "3c", "tong", "cam_ket", "xep_loai", "quy"] == [
        target.id for target in scenario.plan.targets]
    assert ("met", 3.75) == (_status(scenario.report(), "quy"),
                             scenario.report().result("quy").observed)


def test_drop_target() -> None:
    scenario = _baseline().apply(DropTarget("3c"))
    assert ["3b", "tong", "cam_ket", "xep_loai"] == [t.id for t in scenario.plan.targets]
    with pytest.raises(KeyError):
        scenario.report().result("3c")


def test_the_plan_keeps_its_id_title_and_metrics() -> None:
    scenario = _baseline().apply(DropTarget("3c"), ChangeTarget("3b", {"at_least": 2}))
    assert (PLAN.id, PLAN.title, PLAN.metrics, PLAN.schema) == (
        scenario.plan.id, scenario.plan.title, scenario.plan.metrics, scenario.plan.schema)


# --- bad edits: ScenarioError, nothing changed ---------------------------------------------

BAD_EDITS: list[tuple[str, Edit, str]] = [
    ("unknown unit", SetFact("h9", "projects", 1), "unit 'h9' is not in the organisation"),
    ("unknown metric", SetFact("h1", "tres", 1), "metric 'tres' is not declared by the plan"),
    ("text for a count", SetFact("h1", "projects", "ba"), "'ba' is not a number"),
    ("fraction for a count", SetFact("h1", "projects", 2.5), "is not a whole number"),
    ("negative count", SetFact("h1", "projects", -1), "is negative"),
    ("bad flag", SetFact("c1", "pledged", "maybe"), "is a flag"),
    ("bad category", SetFact("cs1", "rating", "gioi"), "is not one of its values"),
    ("add to unknown unit", AddFact("h9", "projects", 1), "unit 'h9' is not in"),
    ("add to a category", AddFact("cs1", "rating", 1), "cannot add to 'rating'"),
    ("add to a flag", AddFact("c1", "pledged", 1), "cannot add to 'pledged'"),
    ("add below zero", AddFact("h2", "projects", -2), "is negative"),
    ("add an existing id", AddUnit("h1", "k", "doan_cap_huyen", "H"), "already in"),
    ("add under unknown parent", AddUnit("cs9", "h9", "doan_co_so", "C"), "unit 'h9' is not"),
    ("add breaking the schema", AddUnit("c9", "k", "chi_doan", "C"), "may not stand under"),
    ("add an unknown kind", AddUnit("x", "k", "ban", "X"), "unknown kind 'ban'"),
    ("remove the root", RemoveUnit("k"), "is the root; it cannot be removed"),
    ("remove unknown unit", RemoveUnit("h9"), "unit 'h9' is not in"),
    ("move into own subtree", MoveUnit("h1", "c1"),
     "a unit cannot move under itself or its own subtree ('c1' is in the subtree of 'h1')"),
    ("move under itself", MoveUnit("cs1", "cs1"),
     "moving 'cs1' under 'cs1': a unit cannot move under itself or its own subtree"),
    ("move the root", MoveUnit("k", "h1"), "cannot move under itself or its own subtree"),
    ("move breaking the schema", MoveUnit("c1", "k"), "a chi_doan may not stand under the khoi"),
    ("move breaking the schema below", MoveUnit("cs1", "cs3"), "may not stand under"),
    ("move unknown unit", MoveUnit("h9", "k"), "unit 'h9' is not in"),
    ("move under unknown unit", MoveUnit("h1", "h9"), "unit 'h9' is not in"),
    ("merge into an outsider", MergeUnits(("h1", "h2"), "cs3"), "must be one of the merged"),
    ("merge into a descendant", MergeUnits(("h1", "cs1"), "cs1"), "inside 'h1'"),
    ("merge breaking the schema", MergeUnits(("h1", "cs3"), "cs3"), "may not stand under"),
    ("merge unknown unit", MergeUnits(("h1", "h9"), "h1"), "unit 'h9' is not in"),
    ("split the root", SplitUnit("k", "k2", "K2"), "is the root; it cannot be split"),
    ("split onto an existing id", SplitUnit("h1", "h2", "H"), "unit 'h2' is already in"),
    ("split a child of another", SplitUnit("h1", "h3", "H3", children=("cs2",)),
     "'cs2' is not a child of 'h1'"),
    ("split more than there is", SplitUnit("h1", "h3", "H3", facts={"projects": 4}),
     "fewer than the 4 to move"),
    ("split an unknown metric", SplitUnit("h1", "h3", "H3", facts={"tres": 1}),
     "metric 'tres' is not declared"),
    ("split a bad value", SplitUnit("h1", "h3", "H3", facts={"rating": "gioi"}),
     "is not one of its values"),
    ("split to a kind the schema refuses", SplitUnit("h1", "h3", "H3", kind="chi_doan"),
     "may not stand under"),
    ("change unknown target", ChangeTarget("9z", {"at_least": 1}),
     "target '9z' is not in the plan"),
    ("change a bound to text", ChangeTarget("3b", {"at_least": "ba"}), "does not fit"),
    ("change a key that cannot change", ChangeTarget("3b", {"metric": "funds"}), "cannot change"),
    ("change share out of range", ChangeTarget("3b", {"share": 1.5}), "share must be a number"),
    ("change a bound above the stretch", ChangeTarget("3b", {"at_least": 5}),
     "stretch (4) is below at_least (5)"),
    ("change a flag target to a bound", ChangeTarget("cam_ket", {"at_least": 1}),
     "a target has one condition"),
    ("change aspirational to text", ChangeTarget("3b", {"aspirational": "yes"}),
     "aspirational must be true or false"),
    ("add a duplicate target", AddTarget({"id": "3b", "total": "funds", "at_least": 1}),
     "duplicate target id '3b'"),
    ("add a target on an unknown metric", AddTarget({"id": "x", "total": "tres", "at_least": 1}),
     "undeclared metric 'tres'"),
    ("add a target with a typo", AddTarget({"id": "x", "total": "funds", "at_lest": 1}),
     "unknown key 'at_lest'"),
    ("drop unknown target", DropTarget("9z"), "target '9z' is not in the plan"),
]


@pytest.mark.parametrize(("edit", "message"), [(edit, message) for _, edit, message in BAD_EDITS],
                         ids=[name for name, _, _ in BAD_EDITS])
def test_a_bad_edit_raises_and_changes_nothing(edit: Edit, message: str) -> None:
    base = _baseline()
    before = _snapshot(base)
    with pytest.raises(ScenarioError) as raised:
        base.apply(edit)
    assert message in str(raised.value)
    assert isinstance(raised.value, DoanorgError)
    assert before == _snapshot(base)
    assert (ORG.rows(), Facts.from_records(RECORDS), PLAN) == (
        base.org.rows(), base.facts, base.plan)


def test_a_bad_edit_after_good_ones_changes_nothing() -> None:
    base = _baseline()
    step = base.set_fact("h2", "projects", 3)
    before, step_before = _snapshot(base), _snapshot(step)
    with pytest.raises(ScenarioError):
        step.apply(SetFact("h1", "projects", 5), MoveUnit("h1", "c1"), name="x")
    assert (before, step_before) == (_snapshot(base), _snapshot(step))
    assert ("năm 2020", 1) == (step.name, len(step.all_edits()))


@pytest.mark.parametrize(("edit", "field", "value"), [
    (SetFact("h9", "projects", 1), "unit", "h9"),
    (SetFact("h1", "tres", 1), "metric", "tres"),
    (SetFact("h1", "projects", "ba"), "metric", "projects"),
    (ChangeTarget("9z", {"at_least": 1}), "target", "9z"),
    (DropTarget("9z"), "target", "9z"),
])
def test_a_bad_edits_problem_names_what_it_concerns(edit: Edit, field: str, value: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        _baseline().apply(edit)
    (problem,) = raised.value.problems
    assert value == getattr(problem, field)


def test_a_bad_edit_of_the_tree_names_the_edit() -> None:
    with pytest.raises(ScenarioError) as raised:
        _baseline().apply(MoveUnit("c1", "k"))
    assert ["moving 'c1' under 'k': unit 'c1': a chi_doan may not stand under the khoi 'k' "
            "(allowed under: doan_co_so, lien_chi_doan)"] == [
        str(problem) for problem in raised.value.problems]


# --- composition ---------------------------------------------------------------------------


def test_a_scenario_of_a_scenario_composes_its_edits() -> None:
    base = _baseline()
    first = base.apply(SetFact("h2", "projects", 3), name="h2 làm thêm")
    second = first.apply(ChangeTarget("3c", {"at_least": 0}), name="nới 3c")
    third = second.apply(MoveUnit("cs3", "h2"))
    assert (first.base, second.base, third.base) == (base, first, second)
    assert (base, base, base) == (first.root(), second.root(), third.root())
    assert (SetFact("h2", "projects", 3),) == first.edits
    assert (MoveUnit("cs3", "h2"),) == third.edits
    assert (SetFact("h2", "projects", 3), ChangeTarget("3c", {"at_least": 0}),
            MoveUnit("cs3", "h2")) == third.all_edits()
    assert ["set h2.projects = 3", "change target 3c: at_least = 0",
            "move unit cs3 under h2"] == [edit.describe() for edit in third.all_edits()]
    assert ("năm 2020", "h2 làm thêm", "nới 3c", "nới 3c") == (
        base.name, first.name, second.name, third.name)


def test_a_composed_scenario_is_the_same_as_all_its_edits_at_once() -> None:
    base = _baseline()
    stepwise = base.set_fact("h2", "projects", 3).add_fact("cs2", "projects", 1).move_unit(
        "cs3", "h2").change_target("tong", at_least=10)
    at_once = base.apply(*stepwise.all_edits())
    assert _snapshot(stepwise) == _snapshot(at_once)
    assert ("met", "met", "met") == tuple(
        _status(at_once.report(), target) for target in ("3b", "3c", "tong"))


def test_shortcuts_are_their_edits() -> None:
    base = _baseline()
    assert (SetFact("h1", "projects", 4),) == base.set_fact("h1", "projects", 4).edits
    assert (AddFact("h1", "funds", 0.5),) == base.add_fact("h1", "funds", 0.5).edits
    assert (MoveUnit("cs3", "h1"),) == base.move_unit("cs3", "h1").edits
    assert (ChangeTarget("3b", {"at_least": 2, "stretch": None}),) == base.change_target(
        "3b", at_least=2, stretch=None).edits


def test_the_baseline_is_never_modified() -> None:
    base = _baseline()
    before = _snapshot(base)
    records = {unit: dict(values) for unit, values in RECORDS.items()}
    scenario = base.apply(
        SetFact("h1", "projects", 0), AddFact("cs1", "funds", 2), AddUnit("cs4", "h2",
                                                                          "doan_co_so", "C4"),
        MergeUnits(("cs1", "cs3"), "cs1"), SplitUnit("cs2", "cs5", "C5", facts={"pledged": True}),
        MoveUnit("cs4", "h1"), RemoveUnit("c3"), ChangeTarget("3b", {"at_least": 1}),
        AddTarget({"id": "x", "total": "funds", "at_least": 1}), DropTarget("3c"))
    scenario.report()
    assert before == _snapshot(base)
    assert records == RECORDS
    assert _tree(ORG) == _tree(base.org)
    assert 0 == len(base.edits)


def test_two_scenarios_of_one_baseline_stand_side_by_side() -> None:
    base = _baseline()
    more = base.set_fact("h2", "projects", 3)
    relaxed = base.change_target("3b", at_least=1, stretch=None)
    assert ("met", "met", "not_met") == (_status(more.report(), "3b"),
                                        _status(relaxed.report(), "3b"),
                                        _status(base.report(), "3b"))
    assert 1 == relaxed.assessment().value("projects", "h2")
    assert 3 == more.plan.target("3b").condition.at_least


# --- scenario files --------------------------------------------------------------------------

ROUND_TRIPS: list[tuple[str, tuple[Edit, ...]]] = [
    ("set", (SetFact("h2", "projects", 3), SetFact("c2", "pledged", True),
             SetFact("cs2", "rating", "tot"), SetFact("h1", "funds", 0.75))),
    ("add", (AddFact("h2", "projects", 2), AddFact("h1", "funds", 0.25))),
    ("units", (AddUnit("cs4", "h2", "doan_co_so", "Cơ sở \"Mới\", số 4", {"members": 31}),
               RemoveUnit("c3"), MoveUnit("cs3", "h1"))),
    ("merge", (MergeUnits(("h1", "h2"), "h1", name="Huyện 1–2"),)),
    ("split", (SplitUnit("cs1", "cs1b", "Cơ sở 1B", children=("c2",),
                         facts={"projects": 1, "rating": "tot"}),
               SplitUnit("cs3", "cbs", "Chi đoàn cơ sở", kind="chi_doan_co_so"))),
    ("targets", (ChangeTarget("3b", {"at_least": 2, "stretch": 3}),
                 ChangeTarget("xep_loai", {"share": 0.75, "aspirational": False}),
                 AddTarget({"id": "quy", "total": "funds", "at_least": 3.5, "text": "Kinh phí"}),
                 DropTarget("3c"))),
    ("remove a value", (SetFact("h1", "projects", None),)),
    ("remove a stretch", (ChangeTarget("3b", {"stretch": None}),)),
]


@pytest.mark.parametrize("edits", [edits for _, edits in ROUND_TRIPS],
                         ids=[name for name, _ in ROUND_TRIPS])
def test_save_and_load_a_scenario(tmp_path: Path, edits: tuple[Edit, ...]) -> None:
    """A scenario saved to TOML and loaded onto its baseline is the same scenario."""
    base = _baseline()
    scenario = base.apply(*edits, name="thử")
    path = tmp_path / "scenario.toml"
    save_scenario(scenario, path)
    loaded = load_scenario(path, base)
    assert ("thử", base) == (loaded.name, loaded.root())
    assert _snapshot(scenario) == _snapshot(loaded)
    assert len(edits) == len(loaded.all_edits())


def test_save_writes_every_edit_from_the_baseline(tmp_path: Path) -> None:
    base = _baseline()
    scenario = base.set_fact("h2", "projects", 3).apply(DropTarget("3c"), name="hai bước")
    path = tmp_path / "s.toml"
    save_scenario(scenario, path)
    assert (
        'name = "hai bước"\n'
        "\n[[edits]]\ndo = \"set\"\nunit = \"h2\"\nmetric = \"projects\"\nvalue = 3\n"
        "\n[[edits]]\ndo = \"drop_target\"\ntarget = \"3c\"\n"
    ) == path.read_text(encoding="utf-8")
    assert ("hai bước", scenario.all_edits()) == read_edits(path)
    assert scenario.all_edits() == load_scenario(path, base).all_edits()


def test_a_scenario_file_written_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "hand.toml"
    path.write_text(
        'name = "h2 cố gắng"\n'
        "\n[[edits]]\ndo = \"add\"\nunit = \"h2\"\nmetric = \"projects\"\namount = 2\n"
        "\n[[edits]]\ndo = \"merge_units\"\nunits = [\"cs1\", \"cs3\"]\ninto = \"cs1\"\n"
        "\n[[edits]]\ndo = \"change_target\"\ntarget = \"3b\"\n"
        "changes = { at_least = 2, stretch = 3 }\n",
        encoding="utf-8")
    loaded = load_scenario(path, _baseline())
    assert (AddFact("h2", "projects", 2), MergeUnits(("cs1", "cs3"), "cs1"),
            ChangeTarget("3b", {"at_least": 2, "stretch": 3})) == loaded.all_edits()
    assert ("h2 cố gắng", 3, "met") == (loaded.name, loaded.assessment().value("projects", "h2"),
                                        _status(loaded.report(), "3b"))


def test_a_scenario_file_without_a_name_keeps_the_bases_name(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[edits]]\ndo = "drop_target"\ntarget = "3c"\n', encoding="utf-8")
    assert "năm 2020" == load_scenario(path, _baseline()).name


def _problems(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(ScenarioError) as raised:
        read_edits(path)
    return [(problem.line, problem.message) for problem in raised.value.problems]


def test_read_edits_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "thử"\n'                       # 1
        "colour = \"red\"\n"                   # 2
        "\n"                                   # 3
        "[[edits]]\n"                          # 4
        'do = "jump"\n'                        # 5
        "\n"                                   # 6
        "[[edits]]\n"                          # 7
        'do = "set"\n'                         # 8
        'unit = "h1"\n'                        # 9
        'metric = "projects"\n'                # 10
        "value = 1\n"                          # 11
        'note = "x"\n'                         # 12
        "\n"                                   # 13
        "[[edits]]\n"                          # 14
        'do = "move_unit"\n'                   # 15
        'unit = "h1"\n',                       # 16
        encoding="utf-8")
    problems = _problems(path)
    assert [2, 4, 7, 14] == [line for line, _ in problems]
    assert "unknown key 'colour'" in problems[0][1]
    assert "edit #1: do = 'jump' is not an edit" in problems[1][1]
    assert "edit #2: set: unknown key note (it takes unit, metric, value)" == problems[2][1]
    assert problems[3][1].startswith("edit #3: move_unit: ")
    assert "parent" in problems[3][1]


def test_read_edits_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = 3\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        read_edits(path)
    assert [f"{path} line 1: name must be text"] == [str(p) for p in raised.value.problems]


def test_read_edits_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "a"\n\n[[edits]\ndo = "set"\n', encoding="utf-8")
    assert [3] == [line for line, _ in _problems(path)]


def test_read_edits_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as raised:
        read_edits(tmp_path / "none.toml")
    assert "cannot read the file" in str(raised.value)


@pytest.mark.parametrize("text", [
    "edits = 3\n",
    "edits = [1, 2]\n",
    'edits = ["set"]\n',
], ids=["edits-not-a-list", "edits-of-numbers", "edits-of-text"])
def test_read_edits_refuses_edits_that_are_not_tables(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    lines = [line for line, _ in _problems(path)]  # one problem per edit that is not a table
    assert lines and {1} == set(lines)


@pytest.mark.parametrize("table", [
    'do = "add"\nunit = "h2"\nmetric = "projects"\namount = "hai"\n',
    'do = "set"\nunit = ["h2"]\nmetric = "projects"\nvalue = 1\n',
    'do = "change_target"\ntarget = "3b"\nchanges = 3\n',
    'do = "merge_units"\nunits = "h1"\ninto = "h1"\n',
    'do = "add_target"\nspec = "x"\n',
], ids=["amount-text", "unit-list", "changes-number", "units-text", "spec-text"])
def test_a_field_of_the_wrong_type_is_a_scenario_error_with_its_line(
    tmp_path: Path, table: str
) -> None:
    """A value of the wrong type in a scenario file is refused with the edit's line, when
    read or at the latest when applied: never a TypeError or an AttributeError."""
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n\n[[edits]]\n' + table, encoding="utf-8")
    base = _baseline()
    before = _snapshot(base)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, base)
    assert [3] == [problem.line for problem in raised.value.problems]
    assert before == _snapshot(base)


def test_load_scenario_names_the_edit_that_does_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        "[[edits]]\n"                                              # 1
        'do = "set"\nunit = "h2"\nmetric = "projects"\nvalue = 3\n'  # 2-5
        "\n"                                                       # 6
        "[[edits]]\n"                                              # 7
        'do = "move_unit"\nunit = "h1"\nparent = "c1"\n',          # 8-10
        encoding="utf-8")
    base = _baseline()
    before = _snapshot(base)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, base)
    (problem,) = raised.value.problems
    assert (str(path), "h1") == (problem.file, problem.unit)
    assert problem.message.startswith("edit #2 (move unit h1 under c1): moving 'h1' under 'c1'")
    assert before == _snapshot(base)


def test_load_scenario_gives_the_line_of_the_edit_that_does_not_fit(tmp_path: Path) -> None:
    """load_scenario's docstring: "the problem names the edit's line"."""
    path = tmp_path / "s.toml"
    path.write_text(
        "[[edits]]\n"                                              # 1
        'do = "set"\nunit = "h2"\nmetric = "projects"\nvalue = 3\n'  # 2-5
        "\n"                                                       # 6
        "[[edits]]\n"                                              # 7
        'do = "move_unit"\nunit = "h1"\nparent = "c1"\n',          # 8-10
        encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, _baseline())
    assert [7] == [problem.line for problem in raised.value.problems]


# --- edits as tables ---------------------------------------------------------------------------


@pytest.mark.parametrize("edit", [edit for _, edits in ROUND_TRIPS[:6] for edit in edits])
def test_an_edit_survives_its_table(edit: Edit) -> None:
    assert edit == edit_from_mapping(edit_to_mapping(edit))


def test_edit_to_mapping_leaves_out_defaults() -> None:
    assert {"do": "split_unit", "unit": "cs3", "new_id": "x", "name": "X"} == edit_to_mapping(
        SplitUnit("cs3", "x", "X"))
    assert {"do": "merge_units", "units": ["h1", "h2"], "into": "h1"} == edit_to_mapping(
        MergeUnits(("h1", "h2"), "h1"))


@pytest.mark.parametrize(("entry", "message"), [
    ({"do": "fly"}, "do = 'fly' is not an edit"),
    ({"unit": "h1"}, "do = None is not an edit"),
    ({"do": "remove_unit", "unit": "h1", "why": "x"}, "remove_unit: unknown key why"),
    ({"do": "drop_target"}, "drop_target: "),
])
def test_edit_from_mapping_says_what_is_wrong(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        edit_from_mapping(entry)


# --- facts read from a file -------------------------------------------------------------------


def _cell(value: RawValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _read_from_a_file(tmp_path: Path) -> Scenario:
    """The baseline, with its facts written to a wide CSV file and read back with the plan."""
    path = tmp_path / "facts.csv"
    metrics = list(PLAN.metrics)
    lines = [",".join(["unit", *metrics])] + [
        ",".join([unit, *(_cell(values.get(metric)) for metric in metrics)])
        for unit, values in RECORDS.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Scenario.baseline(ORG, load_facts(path, org=ORG, plan=PLAN), PLAN, name="năm 2020")


@pytest.mark.parametrize("edits", [
    *(edits for _, edits in ROUND_TRIPS),
    (RemoveUnit("h2"),),
    (MergeUnits(("h1", "h2"), "h1"),),
], ids=[*(name for name, _ in ROUND_TRIPS), "remove", "merge-only"])
def test_edits_of_facts_read_from_a_file(tmp_path: Path, edits: tuple[Edit, ...]) -> None:
    """An edit gives the same scenario whether the facts were read from a file or given
    as records: the same reports at the root and at every unit left."""
    from_file = _read_from_a_file(tmp_path)
    assert _baseline().report() == from_file.report()
    expected, actual = _baseline().apply(*edits), from_file.apply(*edits)
    assert _tree(expected.org) == _tree(actual.org)
    assert [expected.report(unit.id) for unit in expected.org] == [
        actual.report(unit.id) for unit in actual.org]
