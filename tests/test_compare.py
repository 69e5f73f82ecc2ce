"""Comparing two scenarios (doanorg.whatif.compare): flips and their causes, units, changed figures.

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
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from doanorg import Facts, UnitRow, build_org
from doanorg.core.facts import RawValue
from doanorg.core.rules import plan_from_mapping
from doanorg.errors import ScenarioError
from doanorg.io import builtin_schema
from doanorg.whatif.compare import Change, Comparison, Flip, UnitChange, compare
from doanorg.whatif.scenario import (
    AddFact,
    AddTarget,
    AddUnit,
    ChangeTarget,
    DropTarget,
    MergeUnits,
    MoveUnit,
    RemoveUnit,
    Scenario,
    SetFact,
)

SCHEMA = builtin_schema("doan")

ORG = build_org([
    UnitRow("k", None, "khoi", "Đoàn Khối"),
    UnitRow("h1", "k", "doan_cap_huyen", "Huyện 1"),
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
    "metrics": {
        "projects": {"type": "count"},
        "funds": {"type": "amount"},
        "pledged": {"type": "flag"},
        "trained": {"type": "count"},
        "cadres": {"type": "count"},
    },
    "targets": [
        {"id": "3b", "each": ["doan_cap_huyen"], "metric": "projects", "at_least": 3},
        {"id": "3c", "each": ["doan_co_so"], "metric": "projects", "at_least": 1},
        {"id": "tong", "total": "projects", "at_least": 12},
        {"id": "cam_ket", "each": ["chi_doan"], "metric": "pledged", "equals": True},
        {"id": "12", "ratio": ["trained", "cadres"], "at_least": 1.0},
    ],
}, SCHEMA)

RECORDS: dict[str, dict[str, RawValue]] = {
    "h1": {"projects": 3, "funds": 1.5, "trained": 2, "cadres": 2},
    "cs1": {"projects": 2, "pledged": True, "trained": 1, "cadres": 2},
    "c1": {"pledged": True},
    "c2": {"pledged": False},
    "h2": {"projects": 1, "funds": 2},
    "cs2": {"projects": 0},
    "c3": {"pledged": True},
    "cs3": {"projects": 4, "trained": 1, "cadres": 1},
}


def _baseline() -> Scenario:
    return Scenario.baseline(ORG, Facts.from_records(RECORDS), PLAN, name="năm 2020")


def _more() -> Scenario:
    """h2 and cs2 certify more projects, c2 pledges, h1 raises more funds."""
    return _baseline().apply(
        SetFact("h2", "projects", 3), SetFact("cs2", "projects", 1),
        SetFact("c2", "pledged", True), SetFact("h1", "funds", 9), name="thêm")


def _flips(comparison: Comparison) -> list[tuple[str, str | None, str | None]]:
    return [(flip.target, flip.before, flip.after) for flip in comparison.flips]


# --- flips and their causes ---------------------------------------------------------------


def test_flips_with_the_facts_that_caused_them() -> None:
    comparison = compare(_baseline(), _more())
    assert [("3b", "not_met", "met"), ("3c", "not_met", "met"), ("tong", "not_met", "met"),
            ("cam_ket", "not_met", "met")] == _flips(comparison)
    causes = {flip.target: flip.causes for flip in comparison.flips}
    assert ("h2.projects: 1 → 3", "cs2.projects: 0 → 1") == causes["tong"]
    assert ("c2.pledged: false → true",) == causes["cam_ket"]


def test_a_flip_of_an_each_target_is_caused_by_the_units_it_selects() -> None:
    """3b selects the đoàn cấp huyện: cs2's projects (a đoàn cơ sở) did not flip it, and
    h2's did not flip 3c."""
    causes = {flip.target: flip.causes for flip in compare(_baseline(), _more()).flips}
    assert ("h2.projects: 1 → 3",) == causes["3b"]
    assert ("cs2.projects: 0 → 1",) == causes["3c"]


def test_causes_name_only_the_metrics_a_target_reads() -> None:
    causes = [cause for flip in compare(_baseline(), _more()).flips for cause in flip.causes]
    assert [] == [cause for cause in causes if "funds" in cause]


def test_an_added_amount_is_a_cause_as_the_value_it_changed() -> None:
    comparison = compare(_baseline(), _baseline().apply(AddFact("cs1", "trained", 1)))
    assert [Flip("12", "not_met", "met", ("cs1.trained: 1 → 2",))] == list(comparison.flips)


def test_a_changed_target_is_the_cause_of_its_own_flip_only() -> None:
    scenario = _baseline().apply(ChangeTarget("3b", {"at_least": 1}),
                                 SetFact("c2", "pledged", True))
    comparison = compare(_baseline(), scenario)
    assert [
        Flip("3b", "not_met", "met", ("change target 3b: at_least = 1",)),
        Flip("cam_ket", "not_met", "met", ("c2.pledged: false → true",)),
    ] == list(comparison.flips)


def test_a_change_of_the_tree_is_a_cause() -> None:
    scenario = _baseline().apply(RemoveUnit("h2"))
    comparison = compare(_baseline(), scenario)
    assert ("3b", "not_met", "met") in _flips(comparison)
    assert {("remove unit h2 and its subtree",)} == {
        flip.causes for flip in comparison.flips if flip.target in ("3b", "3c")}


def test_a_move_flips_the_targets_of_the_units_it_changes() -> None:
    base = _baseline().apply(SetFact("cs2", "projects", 2), name="gốc")
    scenario = base.apply(MoveUnit("cs3", "h2"), name="chuyển")
    comparison = compare(base, scenario, at="h2")
    assert [Flip("12", "not_applicable", "met", ("move unit cs3 under h2",))] == list(
        comparison.flips)
    assert (Change("tong", 3, 7, 4, 4 / 3), Change("12", None, 1.0, None, None)) == (
        comparison.changes)


def test_a_merge_is_a_cause() -> None:
    scenario = _baseline().apply(MergeUnits(("h1", "h2"), "h1"))
    comparison = compare(_baseline(), scenario)
    assert [Flip("3b", "not_met", "met", ("h1.projects: 3 → 4", "merge h1, h2 into h1"))] == [
        flip for flip in comparison.flips if flip.target == "3b"]


def test_facts_outside_the_assessed_subtree_flip_nothing() -> None:
    scenario = _baseline().apply(SetFact("h2", "projects", 3), SetFact("c3", "pledged", False))
    comparison = compare(_baseline(), scenario, at="h1")
    assert ([], (), ()) == (_flips(comparison), comparison.units, comparison.changes)


def test_at_a_unit_the_flips_are_those_of_its_subtree() -> None:
    comparison = compare(_baseline(), _more(), at="h2")
    assert [("3b", "not_met", "met"), ("3c", "not_met", "met")] == _flips(comparison)
    assert ("h2", "h2") == (comparison.base.at, comparison.scenario.at)


def test_compare_is_at_the_root_by_default() -> None:
    comparison = compare(_baseline(), _more())
    assert ("k", "k") == (comparison.base.at, comparison.scenario.at)
    assert (_baseline().report(), _more().report()) == (comparison.base, comparison.scenario)


def test_a_later_scenario_compared_with_an_earlier_one_names_the_causes() -> None:
    """Comparing backwards: the same facts caused the flips, read the other way."""
    comparison = compare(_more(), _baseline())
    assert [("3b", "met", "not_met"), ("3c", "met", "not_met"), ("tong", "met", "not_met"),
            ("cam_ket", "met", "not_met")] == _flips(comparison)
    causes = {flip.target: flip.causes for flip in comparison.flips}
    assert ("h2.projects: 3 → 1", "cs2.projects: 1 → 0") == causes["tong"]


def test_two_scenarios_of_one_baseline_name_the_causes_on_both_sides() -> None:
    """Two plans tried side by side (neither made from the other): what differs between
    them is the cause, whichever of the two made the change."""
    base = _baseline()
    first = base.apply(SetFact("h2", "projects", 3), SetFact("cs2", "projects", 1), name="một")
    second = base.apply(SetFact("h1", "projects", 0), name="hai")
    comparison = compare(first, second)
    assert [("3b", "met", "not_met"), ("3c", "met", "not_met"), ("tong", "met", "not_met")] == (
        _flips(comparison))
    causes = {flip.target: set(flip.causes) for flip in comparison.flips}
    assert {"h1.projects: 3 → 0", "h2.projects: 3 → 1"} == causes["3b"]
    assert {"cs2.projects: 1 → 0"} == causes["3c"]
    assert {"h1.projects: 3 → 0", "h2.projects: 3 → 1", "cs2.projects: 1 → 0"} == causes["tong"]


def test_every_flip_has_a_cause() -> None:
    base = _baseline()
    scenarios = [
        _more(),
        base.apply(AddUnit("cs4", "h2", "doan_co_so", "Cơ sở 4")),
        base.apply(ChangeTarget("tong", {"at_least": 5})),
        base.apply(SetFact("h1", "projects", 0), SetFact("c1", "pledged", False)),
    ]
    for first in [base, *scenarios]:
        for second in scenarios:
            for flip in compare(first, second).flips:
                assert flip.causes, (first.name, second.name, flip)


# --- targets added and dropped --------------------------------------------------------------


def test_a_dropped_target_flips_to_none_and_an_added_one_from_none() -> None:
    scenario = _baseline().apply(
        DropTarget("3b"), AddTarget({"id": "quy", "total": "funds", "at_least": 3}))
    comparison = compare(_baseline(), scenario)
    assert [
        Flip("3b", "not_met", None, ("drop target 3b",)),
        Flip("quy", None, "met", ("add target quy",)),
    ] == list(comparison.flips)
    assert () == comparison.changes


def test_a_dropped_target_in_json() -> None:
    comparison = compare(_baseline(), _baseline().apply(DropTarget("3b")))
    assert [{"id": "3b", "from": "not_met", "to": None, "causes": ["drop target 3b"]}] == (
        comparison.to_dict()["flipped"])


# --- units that start or stop failing -------------------------------------------------------


def test_units_that_stop_failing() -> None:
    comparison = compare(_baseline(), _more())
    assert (
        UnitChange("3b", "h2", "stops_failing"),
        UnitChange("3c", "cs2", "stops_failing"),
        UnitChange("cam_ket", "c2", "stops_failing"),
    ) == comparison.units


def test_units_that_start_failing_without_a_flip() -> None:
    scenario = _baseline().apply(SetFact("h1", "projects", 2), SetFact("c1", "pledged", False))
    comparison = compare(_baseline(), scenario)
    assert [] == [flip for flip in comparison.flips if flip.target in ("3b", "cam_ket")]
    assert (
        UnitChange("3b", "h1", "starts_failing"),
        UnitChange("cam_ket", "c1", "starts_failing"),
    ) == comparison.units


def test_units_that_swap_places() -> None:
    scenario = _baseline().apply(SetFact("h2", "projects", 3), SetFact("h1", "projects", 0))
    assert (
        UnitChange("3b", "h2", "stops_failing"),
        UnitChange("3b", "h1", "starts_failing"),
    ) == compare(_baseline(), scenario).units


def test_a_failing_unit_moved_out_leaves_and_one_moved_in_joins() -> None:
    """cs2 fails 3c; moved from h2 to h1 it leaves h2's subtree and joins h1's, and is
    not fixed in either; at the root, where it stays, nothing changes for it."""
    moved = _baseline().apply(MoveUnit("cs2", "h1"))
    assert (UnitChange("3c", "cs2", "left"),) == compare(_baseline(), moved, at="h2").units
    assert (UnitChange("3c", "cs2", "joined"),) == compare(_baseline(), moved, at="h1").units
    assert () == compare(_baseline(), moved).units
    assert (UnitChange("3c", "cs2", "left"),) == compare(moved, _baseline(), at="h1").units


@pytest.mark.parametrize(("edit", "unit", "target"), [
    (RemoveUnit("c2"), "c2", "cam_ket"),
    (RemoveUnit("h2"), "h2", "3b"),
    (MergeUnits(("cs2", "cs3"), "cs3"), "cs2", "3c"),
], ids=["removed", "removed with its subtree", "merged away"])
def test_a_failing_unit_that_goes_leaves(edit: Any, unit: str, target: str) -> None:
    """A failing unit removed or merged away is reported as leaving, never as fixed."""
    units = compare(_baseline(), _baseline().apply(edit)).units
    assert UnitChange(target, unit, "left") in units
    assert [] == [change for change in units if change.change == "stops_failing"]


def test_a_failing_unit_added_joins() -> None:
    scenario = _baseline().apply(AddUnit("c9", "cs1", "chi_doan", "Chi đoàn 9"))
    assert (UnitChange("cam_ket", "c9", "joined"),) == compare(_baseline(), scenario).units


def test_leaving_and_joining_in_text_and_json() -> None:
    moved = _baseline().apply(MoveUnit("cs2", "h1"), SetFact("h2", "projects", 3))
    out = compare(_baseline(), moved, at="h2")
    assert out.to_text("en").endswith("Units:\n  h2 stops failing 3b\n"
                                  "  cs2 leaves the subtree; it failed 3c\n")
    assert "- cs2 joins the subtree, failing 3c\n" in compare(
        _baseline(), moved, at="h1").to_markdown("en")
    assert [{"id": "3b", "unit": "h2", "change": "stops_failing"},
            {"id": "3c", "unit": "cs2", "change": "left"}] == out.to_dict()["units"]


# --- changed figures ------------------------------------------------------------------------


def test_changed_observed_values_with_absolute_and_relative_change() -> None:
    changes = {change.target: change for change in compare(_baseline(), _more()).changes}
    assert ["3b", "3c", "tong", "cam_ket"] == list(changes)
    assert Change("3b", 0.5, 1.0, 0.5, 1.0) == changes["3b"]
    assert Change("tong", 10, 13, 3, 0.3) == changes["tong"]
    third = changes["3c"]
    assert (2 / 3, 1.0) == (third.before, third.after)
    assert third.absolute == pytest.approx(1 / 3)
    assert third.relative == pytest.approx(0.5)


def test_a_relative_change_from_zero_is_none() -> None:
    comparison = compare(_baseline(), _more(), at="h2")
    assert Change("3b", 0.0, 1.0, 1.0, None) == comparison.changes[0]


def test_a_figure_from_none_has_no_absolute_change() -> None:
    base = _baseline().apply(SetFact("cs2", "projects", 2), name="gốc")
    scenario = base.apply(SetFact("cs2", "cadres", 2), SetFact("cs2", "trained", 1))
    comparison = compare(base, scenario, at="cs2")
    assert (Change("12", None, 0.5, None, None),) == comparison.changes
    assert [("12", "not_applicable", "not_met")] == _flips(comparison)


def test_nothing_differs_between_a_scenario_and_itself() -> None:
    scenario = _more()
    comparison = compare(scenario, scenario)
    assert ((), (), ()) == (comparison.flips, comparison.units, comparison.changes)


# --- errors -----------------------------------------------------------------------------------


def test_compare_at_a_unit_missing_from_one_scenario() -> None:
    scenario = _baseline().apply(RemoveUnit("h2"), name="bỏ h2")
    with pytest.raises(ScenarioError, match="unit 'h2' is not in scenario 'bỏ h2'"):
        compare(_baseline(), scenario, at="h2")
    with pytest.raises(ScenarioError, match="unit 'h9' is not in scenario 'năm 2020'"):
        compare(_baseline(), scenario, at="h9")


# --- outputs ------------------------------------------------------------------------------------


def test_to_dict_shape() -> None:
    comparison = compare(_baseline(), _more())
    data = comparison.to_dict()
    assert ["base", "scenario", "flipped", "units", "changed"] == list(data)
    assert (_baseline().report().to_dict(), _more().report().to_dict()) == (
        data["base"], data["scenario"])
    assert {"id": "cam_ket", "from": "not_met", "to": "met",
            "causes": ["c2.pledged: false → true"]} == data["flipped"][3]
    assert [["id", "from", "to", "causes"]] == list({
        json.dumps(list(flip)): list(flip) for flip in data["flipped"]}.values())
    assert {"id": "3b", "unit": "h2", "change": "stops_failing"} == data["units"][0]
    assert {"id": "tong", "from": 10, "to": 13, "absolute": 3, "relative": 0.3} == (
        data["changed"][2])
    assert data == json.loads(json.dumps(data))


def _cadres() -> tuple[Scenario, Scenario]:
    base = _baseline()
    return base, base.apply(AddFact("cs1", "trained", 1), SetFact("h1", "projects", 2),
                            name="bồi dưỡng")


def test_to_text() -> None:
    base, scenario = _cadres()
    expected = (
        "năm 2020 → bồi dưỡng at h1 — Huyện 1\n"
        "\n"
        "NOT compliant → NOT compliant\n"
        "\n"
        "Flipped targets:\n"
        "  3b: met → NOT MET\n"
        "    because h1.projects: 3 → 2\n"
        "  12: NOT MET → met\n"
        "    because cs1.trained: 1 → 2\n"
        "\n"
        "Changed figures:\n"
        "  3b: 100% → 0% (-100.0%)\n"
        "  tong: 5 → 4 (-20.0%)\n"
        "  12: 75% → 100% (+33.3%)\n"
        "\n"
        "Units:\n"
        "  h1 starts failing 3b\n"
    )
    assert expected == compare(base, scenario, at="h1").to_text("en")


def test_to_markdown() -> None:
    base, scenario = _cadres()
    expected = (
        "# năm 2020 → bồi dưỡng at h1 — Huyện 1\n"
        "\n"
        "**NOT compliant → NOT compliant**\n"
        "\n"
        "## Flipped targets\n"
        "- 3b: met → NOT MET\n"
        "    - because h1.projects: 3 → 2\n"
        "- 12: NOT MET → met\n"
        "    - because cs1.trained: 1 → 2\n"
        "\n"
        "## Changed figures\n"
        "- 3b: 100% → 0% (-100.0%)\n"
        "- tong: 5 → 4 (-20.0%)\n"
        "- 12: 75% → 100% (+33.3%)\n"
        "\n"
        "## Units\n"
        "- h1 starts failing 3b\n"
    )
    assert expected == compare(base, scenario, at="h1").to_markdown("en")


@pytest.mark.parametrize("render", ["to_text", "to_markdown"])
def test_text_and_markdown_say_when_nothing_flips(render: str) -> None:
    comparison = compare(_baseline(), _baseline().apply(SetFact("h1", "funds", 3)))
    output: Any = getattr(comparison, render)("en")
    assert "none" in output.splitlines()[5]
    assert "because" not in output


def test_names_of_the_two_scenarios() -> None:
    comparison = compare(_baseline(), _more())
    assert ("năm 2020", "thêm") == (comparison.base_name, comparison.scenario_name)
