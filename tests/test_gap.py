"""The gap (doanorg.whatif.gap): the least extra effort that meets a plan, target shape by shape.

The small Khối used throughout, in tree order::

    k       khoi
      h1      doan_cap_huyen
        cs1     doan_co_so
          c1      chi_doan
          c2      chi_doan
      h2      doan_cap_huyen
        cs2     doan_co_so
          c3      chi_doan
      h3      doan_cap_huyen
      h4      doan_cap_huyen
      cs3     doan_co_so          (directly under the Khối)

Each test gives a plan of a few targets and the facts, and states the exact
steps the least effort takes, worked out by hand.
"""

from __future__ import annotations

from typing import Any

import pytest

from doanorg import Facts, UnitRow, UnknownUnit, assess, build_org, load_facts
from doanorg.core.facts import RawValue, Value
from doanorg.core.rules import Plan, plan_from_mapping
from doanorg.io import builtin_schema, example_file
from doanorg.whatif.gap import Gap, Step, Unmeetable, find_gap, nearest_passing
from doanorg.whatif.scenario import Scenario

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
    UnitRow("h3", "k", "doan_cap_huyen", "Huyện 3"),
    UnitRow("h4", "k", "doan_cap_huyen", "Huyện 4"),
    UnitRow("cs3", "k", "doan_co_so", "Cơ sở 3"),
], SCHEMA)

METRICS = {
    "projects": {"type": "count"},
    "funds": {"type": "amount"},
    "pledged": {"type": "flag"},
    "rating": {"type": "category", "values": ["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]},
    "trained": {"type": "count"},
    "cadres": {"type": "count"},
}

Records = dict[str, dict[str, RawValue]]
Steps = list[tuple[str, str, Value, Value, int | float, tuple[str, ...]]]


def _plan(*targets: dict[str, Any]) -> Plan:
    return plan_from_mapping({"id": "p", "metrics": METRICS, "targets": list(targets)}, SCHEMA)


def _base(plan: Plan, records: Records) -> Scenario:
    return Scenario.baseline(ORG, Facts.from_records(records), plan, name="2020")


def _gap(targets: list[dict[str, Any]], records: Records, **options: Any) -> Gap:
    return find_gap(_base(_plan(*targets), records), **options)


def _steps(gap: Gap) -> Steps:
    return [(s.unit, s.metric, s.before, s.after, s.effort, s.targets) for s in gap.steps]


def _met_at(gap: Gap) -> bool:
    """Whether every target the gap worked on is met at its unit, in its scenario."""
    report = gap.scenario.report(gap.at)
    return all(result.status != "not_met" for result in report.results
               if gap.include_aspirational or not result.aspirational)


PROJECTS_3 = {"id": "3b", "each": ["doan_cap_huyen"], "metric": "projects", "at_least": 3}


# --- each: per-unit quotas ------------------------------------------------------------------------


def test_each_failing_unit_gets_its_deficit() -> None:
    gap = _gap([PROJECTS_3], {"h1": {"projects": 1}, "h2": {"projects": 3},
                              "h3": {"projects": 5}, "cs1": {"projects": 9}})
    assert [
        ("h1", "projects", 1, 3, 2, ("3b",)),
        ("h4", "projects", 0, 3, 3, ("3b",)),
    ] == _steps(gap)
    assert ({"projects": 5}, True, ()) == (gap.effort(), gap.met, gap.unmeetable)
    assert _met_at(gap)


def test_a_fractional_quota_of_a_count_is_the_next_whole_number() -> None:
    gap = _gap([{**PROJECTS_3, "at_least": 2.5}], {"h1": {"projects": 2}, "h2": {"projects": 3},
                                                   "h3": {"projects": 3}, "h4": {"projects": 4}})
    assert [("h1", "projects", 2, 3, 1, ("3b",))] == _steps(gap)


def test_an_amount_quota_is_met_exactly() -> None:
    gap = _gap([{"id": "q", "each": ["doan_co_so"], "metric": "funds", "at_least": 1.25}],
               {"cs1": {"funds": 0.5}, "cs2": {"funds": 1.25}, "cs3": {"funds": 2}})
    assert [("cs1", "funds", 0.5, 1.25, 0.75, ("q",))] == _steps(gap)


def test_two_quotas_on_one_unit_take_the_higher() -> None:
    gap = _gap([PROJECTS_3, {"id": "x", "each": ["doan_cap_huyen"], "directly_under": ["khoi"],
                             "metric": "projects", "at_least": 4}],
               {"h1": {"projects": 4}, "h2": {"projects": 4}, "h3": {"projects": 4},
                "h4": {"projects": 1}})
    assert [("h4", "projects", 1, 4, 3, ("3b", "x"))] == _steps(gap)
    assert {"projects": 3} == gap.effort()


def test_an_upper_bound_exceeded_is_brought_down_by_the_excess() -> None:
    gap = _gap([{"id": "m", "each": ["doan_cap_huyen"], "metric": "projects", "at_most": 2}],
               {"h1": {"projects": 4}, "h2": {"projects": 2}, "h3": {"projects": 3}})
    assert [
        ("h1", "projects", 4, 2, 2, ("m",)),
        ("h3", "projects", 3, 2, 1, ("m",)),
    ] == _steps(gap)


def test_a_range_moves_each_unit_to_its_nearer_end() -> None:
    gap = _gap([{"id": "r", "each": ["doan_cap_huyen"], "metric": "projects", "at_least": 2,
                 "at_most": 3}],
               {"h1": {"projects": 0}, "h2": {"projects": 5}, "h3": {"projects": 2},
                "h4": {"projects": 3}})
    assert [("h1", "projects", 0, 2, 2, ("r",)), ("h2", "projects", 5, 3, 2, ("r",))] == (
        _steps(gap))


# --- each with share < 1 --------------------------------------------------------------------------


def test_a_share_changes_the_fewest_units_those_closest_to_passing() -> None:
    share = {**PROJECTS_3, "share": 0.5}
    gap = _gap([share], {"h1": {"projects": 0}, "h2": {"projects": 2}, "h3": {"projects": 1},
                         "h4": {"projects": 2}})
    assert [("h2", "projects", 2, 3, 1, ("3b",)), ("h4", "projects", 2, 3, 1, ("3b",))] == (
        _steps(gap))
    gap = _gap([share], {"h1": {"projects": 0}, "h2": {"projects": 1}, "h3": {"projects": 2},
                         "h4": {"projects": 0}})
    assert [("h2", "projects", 1, 3, 2, ("3b",)), ("h3", "projects", 2, 3, 1, ("3b",))] == (
        _steps(gap))


def test_a_share_counts_the_units_already_passing() -> None:
    gap = _gap([{**PROJECTS_3, "share": 0.75}],
               {"h1": {"projects": 3}, "h2": {"projects": 7}, "h3": {"projects": 1}})
    assert [("h3", "projects", 1, 3, 2, ("3b",))] == _steps(gap)


def test_a_share_needs_the_next_whole_number_of_units() -> None:
    """share 0.6 of 4 units is 2.4: three units must pass."""
    gap = _gap([{**PROJECTS_3, "share": 0.6}], {"h1": {"projects": 3}})
    assert [("h2", "projects", 0, 3, 3, ("3b",)), ("h3", "projects", 0, 3, 3, ("3b",))] == (
        _steps(gap))


def test_a_category_share() -> None:
    gap = _gap([{"id": "11a", "each": ["doan_co_so", "chi_doan"], "metric": "rating",
                 "equals": "xuat_sac", "share": 0.5}],
               {"cs1": {"rating": "xuat_sac"}, "c1": {"rating": "tot"}, "c2": {"rating": "tot"},
                "cs2": {"rating": "hoan_thanh"}, "c3": {"rating": "xuat_sac"}})
    assert [("c1", "rating", "tot", "xuat_sac", 1, ("11a",))] == _steps(gap)


# --- each on flags and categories -----------------------------------------------------------------


def test_flags_and_categories() -> None:
    gap = _gap([
        {"id": "2b", "each": ["chi_doan"], "metric": "pledged", "equals": True},
        {"id": "11b", "each": ["co_so"], "metric": "rating", "not_equals": "khong_hoan_thanh"},
        {"id": "11x", "each": ["doan_cap_huyen"], "metric": "rating", "in": ["xuat_sac", "tot"]},
    ], {"c1": {"pledged": True}, "c2": {"pledged": "không"},
        "cs1": {"rating": "khong_hoan_thanh"}, "cs2": {"rating": "hoan_thanh"},
        "h1": {"rating": "hoan_thanh"}, "h2": {"rating": "xuat_sac"}, "h3": {"rating": "tot"},
        "h4": {"rating": "khong_hoan_thanh"}, "cs3": {"rating": "tot"}})
    assert [
        ("h1", "rating", "hoan_thanh", "tot", 1, ("11x",)),
        ("cs1", "rating", "khong_hoan_thanh", "hoan_thanh", 1, ("11b",)),
        ("c2", "pledged", False, True, 1, ("2b",)),
        ("c3", "pledged", False, True, 1, ("2b",)),
        ("h4", "rating", "khong_hoan_thanh", "tot", 1, ("11x",)),
    ] == _steps(gap)
    assert {"rating": 3, "pledged": 2} == gap.effort()


@pytest.mark.parametrize(("condition", "value", "expected"), [
    ({"at_least": 3}, 1, 3),
    ({"at_least": 2.5}, 1, 3),
    ({"at_most": 2}, 5, 2),
    ({"equals": 2}, 0, 2),
    ({"equals": 2.5}, 0, None),
    ({"at_least": 2.2, "at_most": 2.8}, 0, None),
    ({"in": [1, 4]}, 3, 4),
    ({"in": [1, 5]}, 3, 5),
    ({"not_equals": 3}, 3, 4),
    ({"at_least": 3}, 4, 4),
])
def test_nearest_passing_count(condition: dict[str, Any], value: int, expected: int | None) -> None:
    target = {"id": "t", "each": ["khoi"], "metric": "projects", **condition}
    plan = _plan(target)
    assert expected == nearest_passing(plan.metrics["projects"], plan.targets[0].condition, value)


# --- totals ---------------------------------------------------------------------------------------


def test_a_total_gets_only_what_remains_after_the_per_unit_deficits() -> None:
    gap = _gap([PROJECTS_3, {"id": "4", "total": "projects", "at_least": 20}],
               {"h1": {"projects": 1}, "h2": {"projects": 3}, "h3": {"projects": 5},
                "cs1": {"projects": 4}})
    assert [
        ("k", "projects", 0, 2, 2, ("4",)),
        ("h1", "projects", 1, 3, 2, ("3b",)),
        ("h4", "projects", 0, 3, 3, ("3b",)),
    ] == _steps(gap)
    assert {"projects": 7} == gap.effort()  # 13 observed + 5 of quotas + 2 = 20


def test_a_total_met_by_the_per_unit_deficits_needs_nothing_more() -> None:
    gap = _gap([PROJECTS_3, {"id": "4", "total": "projects", "at_least": 12}],
               {"h1": {"projects": 3}, "h2": {"projects": 3}, "h3": {"projects": 3}})
    assert [("h4", "projects", 0, 3, 3, ("3b",))] == _steps(gap)


def test_a_total_of_an_amount() -> None:
    gap = _gap([{"id": "q", "total": "funds", "at_least": 10.5},
                {"id": "e", "each": ["doan_cap_huyen"], "metric": "funds", "at_least": 1.25}],
               {"h1": {"funds": 0.5}, "cs1": {"funds": 2}})
    assert [
        ("k", "funds", 0, 3.5, 3.5, ("q",)),
        ("h1", "funds", 0.5, 1.25, 0.75, ("e",)),
        ("h2", "funds", 0, 1.25, 1.25, ("e",)),
        ("h3", "funds", 0, 1.25, 1.25, ("e",)),
        ("h4", "funds", 0, 1.25, 1.25, ("e",)),
    ] == _steps(gap)
    assert {"funds": 8.0} == gap.effort()


def test_a_total_of_amounts_is_worked_on_exactly_not_in_binary() -> None:
    """0.87 + 0.02 is 0.89 exactly: 0.11 more makes 1 (in binary floating point, 1 - 0.89
    is a hair under 0.11, which once read back left the total just short of 1)."""
    gap = _gap([{"id": "q", "total": "funds", "at_least": 1}],
               {"h1": {"funds": 0.87}, "h2": {"funds": 0.02}})
    assert ([("k", "funds", 0, 0.11, 0.11, ("q",))], True) == (_steps(gap), gap.met)
    assert _met_at(gap)


def test_a_ratio_of_amounts_is_worked_on_exactly() -> None:
    """Funds per cadre of at least 0.3: 0.87 over 3 cadres is short by 0.03 exactly."""
    gap = _gap([{"id": "r", "ratio": ["funds", "cadres"], "at_least": 0.3}],
               {"h1": {"funds": 0.85, "cadres": 2}, "h2": {"funds": 0.02, "cadres": 1}})
    assert (True, 0.9) == (gap.met, gap.scenario.assessment().total("funds"))
    assert _met_at(gap)


def test_a_total_of_a_flag_sets_the_fewest_flags_in_tree_order() -> None:
    gap = _gap([{"id": "f", "total": "pledged", "at_least": 3}], {"h1": {"pledged": True}})
    assert [
        ("k", "pledged", False, True, 1, ("f",)),
        ("cs1", "pledged", False, True, 1, ("f",)),
    ] == _steps(gap)


def test_a_total_above_its_upper_bound_is_brought_down_above_the_quotas() -> None:
    """10 projects, at most 5 in all, each đoàn cấp huyện at least 1: h4 needs 1 (11),
    so 6 come off, taken where most is above the quota (h1 has 3 to spare, cs1 3)."""
    gap = _gap([{"id": "m", "total": "projects", "at_most": 5},
                {"id": "e", "each": ["doan_cap_huyen"], "metric": "projects", "at_least": 1}],
               {"h1": {"projects": 4}, "h2": {"projects": 2}, "h3": {"projects": 1},
                "cs1": {"projects": 3}})
    assert [
        ("h1", "projects", 4, 1, 3, ("m",)),
        ("cs1", "projects", 3, 0, 3, ("m",)),
        ("h4", "projects", 0, 1, 1, ("e",)),
    ] == _steps(gap)
    assert 5 == gap.scenario.assessment().total("projects")


def test_two_totals_of_one_metric_need_only_the_higher() -> None:
    gap = _gap([{"id": "a", "total": "projects", "at_least": 4},
                {"id": "b", "total": "projects", "at_least": 3}], {"h1": {"projects": 1}})
    assert {"projects": 3} == gap.effort()
    assert 4 == gap.scenario.assessment().total("projects")


def test_a_total_and_a_ratio_on_one_numerator_share_the_effort() -> None:
    """At least 3 trained in all, and at least half the 4 cadres trained: 3 in all is
    enough for both (3/4 ≥ 1/2)."""
    gap = _gap([{"id": "t", "total": "trained", "at_least": 3},
                {"id": "r", "ratio": ["trained", "cadres"], "at_least": 0.5}],
               {"h1": {"cadres": 4}})
    assert {"trained": 3} == gap.effort()


# --- ratios ---------------------------------------------------------------------------------------


def test_a_ratio_gets_the_extra_numerator_at_the_current_denominator() -> None:
    """4 trained of 10 cadres, 80% wanted: 4 more, first where a unit's own trained are
    fewer than its own cadres, most room first (cs1 3, cs3 2, c1 1)."""
    gap = _gap([{"id": "12", "ratio": ["trained", "cadres"], "at_least": 0.8}],
               {"h1": {"trained": 1, "cadres": 1}, "cs1": {"trained": 0, "cadres": 3},
                "c1": {"trained": 1, "cadres": 2}, "cs3": {"trained": 2, "cadres": 4}})
    assert [
        ("cs1", "trained", 0, 3, 3, ("12",)),
        ("cs3", "trained", 2, 3, 1, ("12",)),
    ] == _steps(gap)
    assert 10 == gap.scenario.assessment().total("cadres")


def test_a_ratio_beyond_the_room_of_the_units_puts_the_rest_at_the_assessed_unit() -> None:
    gap = _gap([{"id": "r", "ratio": ["trained", "cadres"], "at_least": 1.5}],
               {"h1": {"trained": 1, "cadres": 2}, "h2": {"trained": 2, "cadres": 2}})
    assert [("k", "trained", 0, 2, 2, ("r",)), ("h1", "trained", 1, 2, 1, ("r",))] == (
        _steps(gap))


def test_a_ratio_above_its_upper_bound_loses_the_excess() -> None:
    gap = _gap([{"id": "r", "ratio": ["trained", "cadres"], "at_most": 0.5}],
               {"h1": {"trained": 3, "cadres": 4}})
    assert [("h1", "trained", 3, 2, 1, ("r",))] == _steps(gap)


def test_a_ratio_over_nothing_needs_nothing() -> None:
    gap = _gap([{"id": "r", "ratio": ["trained", "cadres"], "at_least": 0.5}],
               {"h1": {"trained": 3}})
    assert ([], True) == (_steps(gap), gap.met)


# --- aspirational targets -------------------------------------------------------------------------


def test_aspirational_targets_are_left_out_unless_asked_for() -> None:
    targets = [PROJECTS_3, {"id": "5a", "total": "funds", "at_least": 2, "aspirational": True}]
    records: Records = {"h1": {"projects": 3}, "h2": {"projects": 3}, "h3": {"projects": 3}}
    gap = _gap(targets, records)
    assert ([("h4", "projects", 0, 3, 3, ("3b",))], False) == (_steps(gap),
                                                              gap.include_aspirational)
    assert "not_met" == gap.scenario.report().result("5a").status
    gap = _gap(targets, records, include_aspirational=True)
    assert [("k", "funds", 0, 2, 2, ("5a",)), ("h4", "projects", 0, 3, 3, ("3b",))] == (
        _steps(gap))
    assert (True, True) == (gap.include_aspirational, _met_at(gap))


# --- targets no effort can meet -------------------------------------------------------------------


def test_contradicting_quotas_are_named_with_the_reason() -> None:
    gap = _gap([PROJECTS_3, {"id": "hi", "each": ["doan_cap_huyen"], "metric": "projects",
                             "at_most": 2}], {})
    assert False is gap.met
    (item,) = gap.unmeetable  # one of the two is met, the other cannot be
    assert item.target in ("3b", "hi")
    other = "3b" if item.target == "hi" else "hi"
    assert other in item.reason and "projects" in item.reason


def test_a_total_cap_below_what_the_quotas_need_is_named() -> None:
    gap = _gap([PROJECTS_3, {"id": "cap", "total": "projects", "at_most": 10}], {})
    assert [Unmeetable("cap", "meeting it breaks, or is undone by, target(s) 3b, which read "
                       "the same metric(s) (projects)")] == list(gap.unmeetable)
    assert "met" == gap.scenario.report().result("3b").status


def test_a_value_no_count_can_take_is_named() -> None:
    gap = _gap([{"id": "e", "each": ["doan_cap_huyen"], "metric": "projects", "equals": 2.5}], {})
    assert ([], [Unmeetable("e", "no value of projects meets = 2.5 (unit h1)")]) == (
        _steps(gap), list(gap.unmeetable))


def test_an_unmeetable_target_costs_no_effort() -> None:
    """A ratio of a metric to itself is always 1: no effort raises it to 2, so none is
    spent (the gap lists only effort that helps)."""
    gap = _gap([{"id": "r", "ratio": ["projects", "projects"], "at_least": 2}],
               {"h1": {"projects": 3}})
    assert ["r"] == [item.target for item in gap.unmeetable]
    assert ([], {}) == (_steps(gap), gap.effort())


# --- at a unit below the root ---------------------------------------------------------------------


def test_at_a_unit_totals_are_informational_and_only_its_subtree_changes() -> None:
    gap = _gap([{"id": "3c", "each": ["doan_co_so"], "metric": "projects", "at_least": 2},
                {"id": "4", "total": "projects", "at_least": 50}],
               {"cs1": {"projects": 1}, "cs2": {"projects": 0}}, at="h1")
    assert [("cs1", "projects", 1, 2, 1, ("3c",))] == _steps(gap)
    assert ("h1", True) == (gap.at, gap.met)
    assert "informational" == gap.scenario.report("h1").result("4").status
    assert "not_met" == gap.scenario.report().result("3c").status


def test_at_a_unit_a_ratio_is_judged_on_its_subtree() -> None:
    gap = _gap([{"id": "12", "ratio": ["trained", "cadres"], "at_least": 1}],
               {"cs1": {"cadres": 2}, "c1": {"cadres": 1}, "cs3": {"cadres": 5}}, at="cs1")
    assert [("cs1", "trained", 0, 2, 2, ("12",)), ("c1", "trained", 0, 1, 1, ("12",))] == (
        _steps(gap))


def test_a_gap_at_an_unknown_unit() -> None:
    with pytest.raises(UnknownUnit):
        _gap([PROJECTS_3], {}, at="h9")


# --- the gap as a scenario ------------------------------------------------------------------------


def test_the_gap_is_a_scenario_of_its_base() -> None:
    base = _base(_plan(PROJECTS_3), {"h1": {"projects": 1}})
    before = (base.facts, base.report())
    gap = find_gap(base)
    assert (base, base, "2020 + gap") == (gap.base, gap.scenario.root(), gap.scenario.name)
    assert before == (base.facts, base.report())
    assert [("h1", 3), ("h2", 3), ("h3", 3), ("h4", 3)] == [
        (unit, gap.scenario.assessment().value("projects", unit)) for unit in ("h1", "h2", "h3",
                                                                               "h4")]


def test_nothing_to_do() -> None:
    gap = _gap([PROJECTS_3], {unit: {"projects": 3} for unit in ("h1", "h2", "h3", "h4")})
    assert ((), {}, True) == (gap.steps, gap.effort(), gap.met)
    assert "Nothing to do: the plan is already met." in gap.to_text("en")


def test_steps_of() -> None:
    gap = _gap([PROJECTS_3], {"h1": {"projects": 1}})
    assert Step("h1", "projects", 1, 3, 2, ("3b",)) == gap.steps_of("h1", "projects")
    assert "Huyện 1" == gap.steps_of("h1", "projects").name
    with pytest.raises(KeyError):
        gap.steps_of("h1", "funds")


# --- outputs --------------------------------------------------------------------------------------


def _small() -> Gap:
    return _gap([PROJECTS_3, {"id": "4", "total": "projects", "at_least": 20},
                 {"id": "2b", "each": ["chi_doan"], "metric": "pledged", "equals": True}],
                {"h1": {"projects": 1}, "h2": {"projects": 3}, "h3": {"projects": 5},
                 "h4": {"projects": 3}, "cs1": {"projects": 4}, "c1": {"pledged": True},
                 "c2": {"pledged": True}})


def test_to_dict() -> None:
    assert {
        "plan": "p",
        "at": "k",
        "met": True,
        "include_aspirational": False,
        "effort": {"projects": 4, "pledged": 1},
        "units": [
            {"unit": "k", "name": "Đoàn Khối", "steps": [
                {"metric": "projects", "from": 0, "to": 2, "effort": 2, "targets": ["4"]}]},
            {"unit": "h1", "name": "Huyện 1", "steps": [
                {"metric": "projects", "from": 1, "to": 3, "effort": 2, "targets": ["3b"]}]},
            {"unit": "c3", "name": "Chi đoàn 3", "steps": [
                {"metric": "pledged", "from": False, "to": True, "effort": 1,
                 "targets": ["2b"]}]},
        ],
        "unmeetable": [],
    } == _small().to_dict()


def test_to_dict_names_the_unmeetable() -> None:
    data = _gap([PROJECTS_3, {"id": "cap", "total": "projects", "at_most": 10}], {}).to_dict()
    assert (False, [{"id": "cap", "reason": "meeting it breaks, or is undone by, target(s) 3b, "
                     "which read the same metric(s) (projects)"}]) == (data["met"],
                                                                       data["unmeetable"])


def test_to_text() -> None:
    """k and c3 have no fact row: their headings say so."""
    assert (
        "Least extra effort to meet every mandatory target of p at k\n"
        "\n"
        "k Đoàn Khối (not reported)\n"
        "  - projects: 0 → 2 (+2) for 4\n"
        "h1 Huyện 1\n"
        "  - projects: 1 → 3 (+2) for 3b\n"
        "c3 Chi đoàn 3 (not reported)\n"
        "  - pledged: false → true for 2b\n"
        "\n"
        "Effort in all: projects 4, pledged 1\n"
    ) == _small().to_text("en")


def test_to_markdown() -> None:
    text = _small().to_markdown("en")
    assert text.startswith("# Least extra effort to meet every mandatory target of p at k\n")
    assert "## h1 Huyện 1\n- projects: 1 → 3 (+2) for 3b\n" in text
    assert "## c3 Chi đoàn 3 (not reported)\n- pledged: false → true for 2b\n" in text
    assert text.endswith("Effort in all: projects 4, pledged 1\n")


def test_text_names_what_no_effort_can_meet() -> None:
    text = _gap([PROJECTS_3, {"id": "cap", "total": "projects", "at_most": 10}],
                {}).to_text("en")
    assert text.endswith("No effort can meet:\n- cap: meeting it breaks, or is undone by, "
                         "target(s) 3b, which read the same metric(s) (projects)\n")


# --- the built-in example -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Scenario:
    from doanorg import load_org, load_plan

    org = load_org(example_file("org.csv"))
    plan = load_plan("doan-khoi-2020")
    return Scenario.baseline(org, load_facts(example_file("facts.csv"), org=org, plan=plan), plan)


def test_the_example_gap_then_assess_is_compliant(example: Scenario) -> None:
    gap = find_gap(example)
    assert (False, True) == (example.report().compliant, gap.met)
    report = assess(gap.scenario.org, gap.scenario.facts, gap.scenario.plan)
    assert report.compliant
    assert {"ho_chi_minh_pledges": 4, "youth_projects": 4, "thematic_meetings": 4,
            "regular_meetings": 7, "key_cadres_trained": 9} == gap.effort()


def test_the_example_gap_at_a_doan_cap_huyen(example: Scenario) -> None:
    gap = find_gap(example, at="h27")
    assert [
        ("h27", "youth_projects", 1, 3, 2, ("3b",)),
        ("h27-cs02-c03", "key_cadres_trained", 0, 1, 1, ("12",)),
    ] == _steps(gap)
    assert assess(gap.scenario.org, gap.scenario.facts, gap.scenario.plan, at="h27").compliant


def test_the_example_gap_with_the_aspirational_targets(example: Scenario) -> None:
    gap = find_gap(example, include_aspirational=True)
    report = gap.scenario.report()
    assert ([], True) == ([r.id for r in report.results if r.status == "not_met"], gap.met)
    assert 63 == gap.effort()["research_projects"]  # 5a: 437 of 500
