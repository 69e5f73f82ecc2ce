"""Targets handed down the tree (SPEC §10 ``allocate``): parts, the plan keys, the report,
the gap and the command line."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from doanorg import (
    Facts,
    Org,
    PlanError,
    Report,
    UnitRow,
    build_org,
    load_facts,
    load_plan,
    load_schema,
    rollup,
)
from doanorg.cli import main
from doanorg.core.allocation import Allocation, allocate, apportion, quantum_of
from doanorg.core.metrics import MetricType
from doanorg.core.rules import Plan, plan_from_mapping
from doanorg.io import example_file
from doanorg.whatif.gap import find_gap
from doanorg.whatif.scenario import Scenario

DOAN = load_schema("doan")


def _org(*rows: tuple[str, str, str, int | None]) -> Org:
    return build_org([UnitRow(unit, parent, kind, unit.upper(),
                              {} if members is None else {"members": members})
                      for unit, parent, kind, members in rows], DOAN)


# k has two district unions: h1 (60 members in two chapters' đoàn cơ sở) and h2 (40)
ORG = _org(("k", "", "khoi", None),
           ("h1", "k", "doan_cap_huyen", None),
           ("h1-cs", "h1", "doan_co_so", None),
           ("h1-c1", "h1-cs", "chi_doan", 35),
           ("h1-c2", "h1-cs", "chi_doan", 25),
           ("h2", "k", "doan_cap_huyen", None),
           ("h2-cdcs", "h2", "chi_doan_co_so", 40))


def _plan(**target: Any) -> Plan:
    entry = {"id": "4", "total": "trees", "at_least": 1000, **target}
    return plan_from_mapping({"id": "p", "metrics": {"trees": {"type": "count"},
                                                     "money": {"type": "amount"}},
                              "targets": [entry]}, DOAN)


def _parts(plan: Plan, org: Org = ORG, bound: str = "at_least") -> dict[str, Any]:
    assessment = rollup(org, Facts.from_records({}), plan)
    return {unit.id: assessment.part("4", unit.id, bound=bound) for unit in org.units}


# --- parts -------------------------------------------------------------------------------


def test_apportion_is_the_largest_remainder_with_ties_in_order() -> None:
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(100, [1, 2, 3]) == [17, 33, 50]
    assert apportion(3, [0, 0]) == [2, 1]
    assert apportion(0, [5]) == [0]


def test_by_members_sums_the_attribute_over_each_subtree() -> None:
    assert _parts(_plan(allocate={"by": "members"})) == {
        "k": 1000, "h1": 600, "h1-cs": 600, "h1-c1": 350, "h1-c2": 250,
        "h2": 400, "h2-cdcs": 400}


def test_equal_gives_each_child_the_same_and_the_remainder_in_tree_order() -> None:
    parts = _parts(_plan(at_least=1001, allocate={"by": "equal"}))
    assert parts == {"k": 1001, "h1": 501, "h1-cs": 501, "h1-c1": 251, "h1-c2": 250,
                     "h2": 500, "h2-cdcs": 500}


def test_children_that_all_weigh_nothing_share_equally() -> None:
    org = _org(("k", "", "khoi", None), ("a", "k", "doan_co_so", 0),
               ("b", "k", "doan_co_so", None), ("c", "k", "chi_doan_co_so", 0))
    assert _parts(_plan(at_least=10, allocate={"by": "members"}), org) == {
        "k": 10, "a": 4, "b": 3, "c": 3}


def test_a_unit_keeps_no_part_for_itself() -> None:
    """The children's parts sum to the unit's whole part, its own members
    notwithstanding: its own work is on top of theirs."""
    org = _org(("k", "", "khoi", 500), ("a", "k", "doan_co_so", 30),
               ("b", "k", "doan_co_so", 10))
    assert _parts(_plan(at_least=100, allocate={"by": "members"}), org) == {
        "k": 100, "a": 75, "b": 25}


def test_shares_fix_the_first_level_and_members_the_rest() -> None:
    parts = _parts(_plan(allocate={"shares": {"h1": 300}}))
    assert parts["h1"] == 300 and parts["h2"] == 700
    assert (parts["h1-c1"], parts["h1-c2"]) == (175, 125)
    parts = _parts(_plan(allocate={"shares": {"h1": 999, "h2": 1}}))
    assert (parts["h1"], parts["h2"], parts["h2-cdcs"]) == (999, 1, 1)


def test_a_count_hands_down_whole_numbers_from_the_bound_rounded_toward_it() -> None:
    parts = _parts(_plan(at_least=2.5, at_most=7.5, allocate={"by": "equal"}))
    assert parts["k"] == 3
    assert _parts(_plan(at_least=2.5, at_most=7.5, allocate={"by": "equal"}),
                  bound="at_most")["k"] == 7


def test_an_amount_is_handed_down_in_hundredths() -> None:
    plan = plan_from_mapping({"id": "p", "metrics": {"money": {"type": "amount"}},
                              "targets": [{"id": "4", "total": "money", "at_least": 100,
                                           "allocate": {"by": "equal"}}]}, DOAN)
    parts = _parts(plan, _org(("k", "", "khoi", None), ("a", "k", "doan_co_so", None),
                              ("b", "k", "doan_co_so", None), ("c", "k", "doan_co_so", None)))
    assert parts == {"k": 100, "a": 33.34, "b": 33.33, "c": 33.33}
    assert quantum_of(MetricType.AMOUNT, [0.125]) == Fraction(1, 1000)


def test_decimal_weights_are_read_exactly() -> None:
    org = build_org([UnitRow("k", "", "khoi", "K"),
                     UnitRow("a", "k", "doan_co_so", "A", {"budget": 0.1}),
                     UnitRow("b", "k", "doan_co_so", "B", {"budget": 0.2})], DOAN)
    parts = allocate(org, Allocation(by="budget"), {"at_least": 3}, Fraction(1))
    assert [parts.number("at_least", position) for position in range(3)] == [3, 1, 2]


def test_part_of_a_target_that_is_not_allocated_is_a_key_error() -> None:
    assessment = rollup(ORG, Facts.from_records({}), _plan())
    with pytest.raises(KeyError):
        assessment.part("4", "h1")
    allocated = rollup(ORG, Facts.from_records({}), _plan(allocate={"by": "equal"}))
    with pytest.raises(KeyError):
        allocated.part("4", "h1", bound="at_most")
    assert allocated.part("4") == 1000


# --- problems -----------------------------------------------------------------------------


@pytest.mark.parametrize(("target", "message"), [
    ({"allocate": {"by": "members"}, "total": None, "each": ["co_so"], "metric": "trees",
      "at_least": 1}, "for total targets only"),
    ({"allocate": {"by": "members"}, "at_least": None, "at_most": 10},
     "hands down at_least"),
    ({"allocate": "members"}, "allocate is a table"),
    ({"allocate": {"by": "members", "shares": {"h1": 1}}}, "allocate is a table"),
    ({"allocate": {"shares": {"h1": -1}}}, "0 or more"),
    ({"allocate": {"shares": {"h1": 800, "h2": 300}}}, "above at_least (1000)"),
    ({"allocate": {"weight": "members"}}, "allocate is a table"),
])
def test_a_bad_allocate_is_a_plan_error(target: dict[str, Any], message: str) -> None:
    entry = {"id": "4", "total": "trees", "at_least": 1000, **target}
    entry = {key: value for key, value in entry.items() if value is not None}
    with pytest.raises(PlanError) as error:
        plan_from_mapping({"id": "p", "metrics": {"trees": {"type": "count"}},
                           "targets": [entry]}, DOAN)
    assert message in str(error.value)
    assert error.value.problems[0].target == "4"


def test_allocating_by_an_attribute_no_unit_has_is_an_error() -> None:
    with pytest.raises(PlanError, match="no unit has the attribute 'member'"):
        rollup(ORG, Facts.from_records({}), _plan(allocate={"by": "member"}))


def test_weights_that_are_not_numbers_or_below_zero_are_all_reported() -> None:
    org = build_org([UnitRow("k", "", "khoi", "K"),
                     UnitRow("a", "k", "doan_co_so", "A", {"members": "many"}),
                     UnitRow("b", "k", "doan_co_so", "B", {"members": -3})], DOAN)
    with pytest.raises(PlanError) as error:
        rollup(org, Facts.from_records({}), _plan(allocate={"by": "members"}))
    assert [problem.unit for problem in error.value.problems] == ["a", "b"]


def test_shares_must_name_children_of_the_root_and_sum_when_they_name_all() -> None:
    with pytest.raises(PlanError) as error:
        rollup(ORG, Facts.from_records({}),
               _plan(allocate={"shares": {"h1-cs": 10, "x": 5, "h1": 1}}))
    assert [problem.unit for problem in error.value.problems] == ["h1-cs", "x"]
    assert "not a child of the root" in str(error.value)
    with pytest.raises(PlanError, match="sum to 900, not the bound 1000"):
        rollup(ORG, Facts.from_records({}), _plan(allocate={"shares": {"h1": 600,
                                                                       "h2": 300}}))


# --- judged against the part ----------------------------------------------------------------


def test_below_the_root_an_allocated_total_is_judged_against_the_part() -> None:
    plan = _plan(allocate={"by": "members"}, stretch=2000)
    facts = Facts.from_records({"h1-c1": {"trees": 400}, "h1-c2": {"trees": 200},
                                "h2-cdcs": {"trees": 399}})
    assessment = rollup(ORG, facts, plan)
    h1, h2, c2 = (assessment.report(unit).result("4") for unit in ("h1", "h2", "h1-c2"))
    assert (h1.status, h1.required, h1.observed, h1.stretch_met) == ("met", 600, 600, False)
    assert (h2.status, h2.required) == ("not_met", 400)
    assert (c2.status, c2.required, c2.condition) == ("not_met", 250, "≥ 250")
    root = assessment.report().result("4")
    assert (root.status, root.required) == ("not_met", 1000)  # 999 trees in all
    entry = root.to_dict()
    assert entry["allocated"] is True and list(entry)[:7] == [
        "id", "type", "aspirational", "status", "observed", "required", "allocated"]
    assert Report.from_dict(assessment.report("h2").to_dict()) == assessment.report("h2")
    assert "allocated" not in rollup(ORG, facts, _plan()).report().result("4").to_dict()


def test_a_range_is_handed_down_both_ways() -> None:
    plan = _plan(at_least=100, at_most=150, allocate={"by": "equal"})
    facts = Facts.from_records({"h1": {"trees": 76}, "h2": {"trees": 49}})
    assessment = rollup(ORG, facts, plan)
    h1, h2 = assessment.report("h1").result("4"), assessment.report("h2").result("4")
    assert (h1.status, h1.required, h1.required_max) == ("not_met", 50, 75)
    assert (h2.status, h2.required, h2.required_max) == ("not_met", 50, 75)
    assert assessment.with_fact("h1", "trees", 75).report("h1").result("4").status == "met"


def test_the_text_and_markdown_mark_an_allocated_target() -> None:
    report = rollup(ORG, Facts.from_records({}), _plan(allocate={"by": "members"})).report("h2")
    assert "[✗] 4    NOT MET (allocated) — total 0; need ≥ 400" in report.to_text("en")
    assert "| ✗ | 4 | NOT MET (allocated) | total 0; need ≥ 400 |" in report.to_markdown("en")
    assert "[✗] 4    KHÔNG ĐẠT (được giao) — tổng số 0; cần ≥ 400" in report.to_text("vi")


def test_a_changed_plan_keeps_its_allocation() -> None:
    plan = _plan(allocate={"shares": {"h1": 300}})
    assert plan_from_mapping(plan.to_mapping(), DOAN) == plan
    base = Scenario.baseline(ORG, Facts.from_records({}), plan)
    raised = base.change_target("4", at_least=2000)
    assert raised.assessment().part("4", "h2") == 1700
    equal = base.change_target("4", allocate={"by": "equal"})
    assert equal.assessment().part("4", "h2") == 500


# --- the gap ----------------------------------------------------------------------------------


def test_the_gap_brings_every_unit_of_the_subtree_to_its_part() -> None:
    """The least effort is what each unit lacks once the units below it reach their parts:
    h1-c1 lacks 50 and h2-cdcs 400; h1-c2's surplus of 50 does not make up h1-c1's lack
    (h1-c1 is judged against its own part), and once every chapter reaches its part the
    units above reach theirs."""
    plan = _plan(allocate={"by": "members"})
    facts = Facts.from_records({"h1-c1": {"trees": 300}, "h1-c2": {"trees": 300}})
    gap = find_gap(Scenario.baseline(ORG, facts, plan))
    assert [(step.unit, step.before, step.after) for step in gap.steps] == [
        ("h1-c1", 0 + 300, 350), ("h2-cdcs", 0, 400)]
    assert gap.met and gap.effort() == {"trees": 450}
    made = gap.scenario.assessment()
    assert all(made.total("trees", at=unit.id) >= made.part("4", unit.id)
               for unit in ORG.units)
    at_h2 = find_gap(Scenario.baseline(ORG, facts, plan), at="h2")
    assert [(step.unit, step.after) for step in at_h2.steps] == [("h2-cdcs", 400)]


def test_the_gap_of_the_example_at_a_district_union(example_org: Org) -> None:
    plan = load_plan("doan-khoi-2020")
    mapping = plan.to_mapping()
    mapping["targets"] = [dict(entry, allocate={"by": "members"}) if entry["id"] == "4"
                          else entry for entry in mapping["targets"]]
    allocated = plan_from_mapping(mapping, plan.schema)
    facts = load_facts(example_file("facts.csv"), org=example_org, plan=allocated)
    gap = find_gap(Scenario.baseline(example_org, facts, allocated), at="h01")
    made = gap.scenario.assessment()
    below = [unit.id for unit in example_org.subtree("h01")]
    assert all(made.total("trees_planted", at=unit) >= made.part("4", unit) for unit in below)
    steps = [step for step in gap.steps if step.metric == "trees_planted"]
    expected = _least_effort(gap.base.assessment(), below)
    assert {step.unit: step.effort for step in steps} == expected


def _least_effort(assessment: Any, units: list[str]) -> dict[str, int]:
    """What each unit must add, worked out from the leaves up one unit at a time."""
    org = assessment.org
    reached: dict[str, int] = {}
    effort: dict[str, int] = {}
    for unit in reversed(units):
        total = assessment.value("trees_planted", unit) + sum(
            reached[child.id] for child in org.children(unit))
        part = assessment.part("4", unit)
        if total < part:
            effort[unit] = part - total
        reached[unit] = max(total, part)
    return effort


# --- the command line -----------------------------------------------------------------------

PLAN = """\
id = "p"

[metrics.trees]
type = "count"

[[targets]]
id = "4"
total = "trees"
at_least = 1000
allocate = { by = "members" }
"""
ORG_CSV = "".join(f"{unit},{parent},{kind},{unit.upper()},{'' if m is None else m}\n"
                  for unit, parent, kind, m in (
                      ("k", "", "khoi", None), ("h1", "k", "doan_cap_huyen", None),
                      ("h1-cs", "h1", "doan_co_so", None), ("h1-c1", "h1-cs", "chi_doan", 35),
                      ("h1-c2", "h1-cs", "chi_doan", 25), ("h2", "k", "doan_cap_huyen", None),
                      ("h2-cdcs", "h2", "chi_doan_co_so", 40)))


def _files(tmp_path: Path, plan: str = PLAN) -> list[str]:
    (tmp_path / "org.csv").write_text("id,parent,kind,name,members\n" + ORG_CSV, "utf-8")
    (tmp_path / "facts.csv").write_text("unit,trees\nh1-c1,300\nh1-c2,300\n", "utf-8")
    (tmp_path / "plan.toml").write_text(plan, "utf-8")
    return ["--org", str(tmp_path / "org.csv"), "--facts", str(tmp_path / "facts.csv"),
            "--plan", str(tmp_path / "plan.toml")]


def test_check_judges_a_unit_against_its_part(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    files = _files(tmp_path)
    assert main(["check", *files, "--at", "h1", "--format", "json"]) == 0
    entry = json.loads(capsys.readouterr().out)["targets"][0]
    assert (entry["status"], entry["required"], entry["allocated"]) == ("met", 600, True)
    assert main(["check", *files, "--at", "h1-c1", "--lang", "en"]) == 1
    assert "NOT MET (allocated) — total 300; need ≥ 350" in capsys.readouterr().out


def test_gap_apply_then_check_meets_every_part(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    files = _files(tmp_path)
    out = tmp_path / "out.csv"
    assert main(["gap", *files, "--apply", str(out)]) == 0
    assert "h2-cdcs" in capsys.readouterr().out
    made = [*files[:2], "--facts", str(out), *files[4:]]
    for unit in ("k", "h1", "h1-c1", "h1-c2", "h2", "h2-cdcs"):
        assert main(["check", *made, "--at", unit]) == 0, unit
    capsys.readouterr()


def test_a_bad_allocation_exits_2_with_a_line_per_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _files(tmp_path, PLAN.replace('by = "members"', 'shares = { h9 = 1, h1-cs = 2 }'))
    assert main(["check", *files]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert len(err.splitlines()) == 2
    assert all("allocate shares" in line for line in err.splitlines())


def test_the_tree_of_units_judges_each_unit_against_its_part() -> None:
    """``--format tree`` (every unit's verdict read at once) agrees with the report at each
    unit: an allocated total is not met exactly where the unit is below its part."""
    plan = _plan(allocate={"by": "members"})
    facts = Facts.from_records({"h1-c1": {"trees": 300}, "h1-c2": {"trees": 300}})
    assessment = rollup(ORG, facts, plan)
    tree = {status.unit: status.not_met for status in assessment.unit_statuses()}
    assert tree == {unit.id: tuple(result.id for result in assessment.report(unit.id).results
                                   if result.status == "not_met")
                    for unit in ORG.units}
    assert tree["h1-c1"] == ("4",) and tree["h1-c2"] == () and tree["h2"] == ("4",)
