"""Plan lint (SPEC §10): each kind of problem, named targets, the command and its exits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import doanorg
from doanorg import Org, Plan, UnitRow, build_org, lint, load_plan
from doanorg.core.lint import KINDS
from doanorg.core.rules import EachTarget, plan_from_mapping
from doanorg.io import builtin_schema, example_file
from test_cli import Capture, _run

DOAN = builtin_schema("doan")
METRICS = {"trees": {"type": "count"}, "funds": {"type": "amount"}, "ok": {"type": "flag"},
           "rating": {"type": "category", "values": ["tot", "kha", "yeu"]}}


def _plan(*targets: dict[str, Any]) -> Plan:
    return plan_from_mapping({"id": "p", "metrics": METRICS, "targets": list(targets)}, DOAN,
                             allow_low_stretch=True)


def _org(chapters: int = 3) -> Org:
    """A Khối, one đoàn cơ sở under it, ``chapters`` chi đoàn under that."""
    rows = [UnitRow("k", None, "khoi", "Khối"), UnitRow("cs", "k", "doan_co_so", "Cơ sở")]
    rows += [UnitRow(f"c{n}", "cs", "chi_doan", f"Chi đoàn {n}") for n in range(chapters)]
    return build_org(rows, DOAN)


def _found(plan: Plan, org: Org | None = None) -> list[tuple[str, tuple[str, ...]]]:
    return [(problem.kind, problem.targets) for problem in lint(plan, org).problems]


def test_the_builtin_plan_lints_clean_with_and_without_the_example() -> None:
    plan = load_plan("doan-khoi-2020")
    assert _found(plan) == []
    assert _found(plan, doanorg.load_org(example_file("org.csv"))) == []


def test_floors_above_a_total_at_most() -> None:
    """3 chapters × at least 4 = 12 > at most 10; at most 12 is fine."""
    floors = {"id": "e", "each": ["chi_doan"], "metric": "trees", "at_least": 4}
    assert _found(_plan(floors, {"id": "t", "total": "trees", "at_most": 10}), _org()) == [
        ("floors_above_total", ("e", "t"))]
    assert _found(_plan(floors, {"id": "t", "total": "trees", "at_most": 12}), _org()) == []


def test_floors_take_each_units_highest_floor_and_share() -> None:
    """A unit two targets select counts its highest floor once; with share 0.5 of 3 units,
    2 must pass."""
    def plan(at_most: float) -> Plan:
        return _plan({"id": "a", "each": ["chi_doan"], "metric": "trees", "at_least": 4},
                     {"id": "b", "each": ["chi_doan", "doan_co_so"], "metric": "trees",
                      "at_least": 1},
                     {"id": "t", "total": "trees", "at_most": at_most})

    assert _found(plan(12.5), _org()) == [("floors_above_total", ("a", "b", "t"))]  # 3×4 + 1
    assert _found(plan(13), _org()) == []
    half = _plan({"id": "a", "each": ["chi_doan"], "metric": "trees", "at_least": 4,
                  "share": 0.5}, {"id": "t", "total": "trees", "at_most": 7})
    assert _found(half, _org()) == [("floors_above_total", ("a", "t"))]
    assert _found(_plan(*half.to_mapping()["targets"][:1],
                        {"id": "t", "total": "trees", "at_most": 8}), _org()) == []


def test_floors_of_counts_are_whole_and_of_flags_one() -> None:
    """A count at least 1.5 is at least 2; a flag that must be true counts 1."""
    count = _plan({"id": "e", "each": ["chi_doan"], "metric": "trees", "at_least": 1.5},
                  {"id": "t", "total": "trees", "at_most": 5})
    assert _found(count, _org()) == [("floors_above_total", ("e", "t"))]
    flag = _plan({"id": "e", "each": ["chi_doan"], "metric": "ok", "equals": True},
                 {"id": "t", "total": "ok", "at_most": 2})
    assert _found(flag, _org()) == [("floors_above_total", ("e", "t"))]


def test_a_total_out_of_reach_of_every_units_ceiling() -> None:
    """5 units, each at most 2: a total of 11 is out of reach, 10 is not; a unit without
    a ceiling leaves any total in reach."""
    every = ["khoi", "doan_co_so", "chi_doan"]
    cap = {"id": "c", "each": every, "metric": "trees", "at_most": 2}
    assert _found(_plan(cap, {"id": "t", "total": "trees", "at_least": 11}), _org()) == [
        ("total_out_of_reach", ("c", "t"))]
    assert _found(_plan(cap, {"id": "t", "total": "trees", "at_least": 10}), _org()) == []
    part = {"id": "c", "each": ["chi_doan"], "metric": "trees", "at_most": 0}
    assert _found(_plan(part, {"id": "t", "total": "trees", "at_least": 1}), _org()) == []


def test_a_flag_total_above_the_number_of_units() -> None:
    plan = _plan({"id": "t", "total": "ok", "at_least": 6})
    assert _found(plan, _org()) == [("total_out_of_reach", ("t",))]
    assert _found(plan) == []  # without the organisation, units are not counted
    assert not lint(plan).org_checked


def test_never_directly_under() -> None:
    plan = _plan({"id": "a", "each": ["chi_doan", "co_so"], "directly_under": ["khoi"],
                  "metric": "trees", "at_least": 1},
                 {"id": "b", "each": ["khoi"], "directly_under": ["co_so"], "metric": "ok",
                  "equals": True},
                 {"id": "c", "each": ["co_so"], "directly_under": ["khoi"], "metric": "ok",
                  "equals": True})
    found = lint(plan).problems
    assert [(p.kind, p.targets) for p in found] == [("never_directly_under", ("a",)),
                                                   ("never_directly_under", ("b",))]
    assert "chi_doan never stands directly under khoi" in found[0].message
    assert "co_so" not in found[0].message.split("(")[0]
    assert "only at the root" in found[1].message


def test_conditions_that_mean_the_same_are_the_same_rule() -> None:
    plan = _plan({"id": "a", "each": ["chi_doan"], "metric": "ok", "equals": True},
                 {"id": "b", "each": ["chi_doan"], "metric": "ok", "not_equals": False},
                 {"id": "c", "each": ["chi_doan"], "metric": "rating", "in": ["tot", "kha"]},
                 {"id": "d", "each": ["chi_doan"], "metric": "rating", "in": ["kha", "tot"]},
                 {"id": "e", "total": "trees", "equals": 5},
                 {"id": "f", "total": "trees", "at_least": 5, "at_most": 5})
    assert _found(plan) == [("same_rule", ("a", "b")), ("same_rule", ("c", "d")),
                            ("same_rule", ("e", "f"))]


def test_a_ratio_of_a_metric_to_itself() -> None:
    plan = _plan({"id": "r", "ratio": ["trees", "trees"], "at_least": 0.5},
                 {"id": "s", "ratio": ["trees", "funds"], "at_least": 0.5})
    assert _found(plan) == [("ratio_of_itself", ("r",))]


def test_the_same_rule_whatever_the_ids_texts_and_group_names() -> None:
    plan = _plan({"id": "a", "each": ["co_so"], "metric": "trees", "at_least": 1, "text": "x"},
                 {"id": "b", "each": ["chi_doan_co_so", "doan_co_so"], "metric": "trees",
                  "at_least": 1.0, "aspirational": True},
                 {"id": "c", "each": ["co_so"], "metric": "trees", "at_least": 2},
                 {"id": "d", "total": "trees", "at_least": 5},
                 {"id": "e", "total": "trees", "at_least": 5, "stretch": 6})
    assert _found(plan) == [("same_rule", ("a", "b")), ("same_rule", ("d", "e")),
                            ("weaker_aspiration", ("b", "c"))]


@pytest.mark.parametrize(("mandatory", "aspirational", "weaker"), [
    ({"total": "trees", "at_least": 100}, {"total": "trees", "at_least": 50}, True),
    ({"total": "trees", "at_least": 100}, {"total": "trees", "at_least": 150}, False),
    ({"total": "trees", "at_least": 100, "at_most": 150}, {"total": "trees", "at_least": 90},
     True),
    ({"total": "trees", "at_least": 100}, {"total": "trees", "at_most": 500}, False),
    ({"total": "trees", "at_most": 10}, {"total": "trees", "at_most": 20}, True),
    ({"total": "trees", "at_least": 100}, {"total": "funds", "at_least": 50}, False),
    ({"each": ["chi_doan"], "metric": "trees", "at_least": 3},
     {"each": ["chi_doan"], "metric": "trees", "at_least": 2, "share": 0.8}, True),
    ({"each": ["chi_doan"], "metric": "trees", "at_least": 3, "share": 0.5},
     {"each": ["chi_doan"], "metric": "trees", "at_least": 2, "share": 0.8}, False),
    ({"each": ["chi_doan"], "metric": "trees", "at_least": 3},
     {"each": ["lien_chi_doan"], "metric": "trees", "at_least": 2}, False),
    ({"each": ["chi_doan"], "metric": "rating", "equals": "tot"},
     {"each": ["chi_doan"], "metric": "rating", "not_equals": "yeu"}, True),
    ({"each": ["chi_doan"], "metric": "rating", "not_equals": "yeu"},
     {"each": ["chi_doan"], "metric": "rating", "equals": "tot"}, False),
    ({"each": ["chi_doan"], "metric": "ok", "equals": True},
     {"each": ["chi_doan"], "metric": "ok", "not_equals": False}, False),  # the same rule
    ({"total": "trees", "equals": 5}, {"total": "trees", "at_least": 5, "at_most": 5}, False),
    ({"ratio": ["trees", "funds"], "at_least": 0.7},
     {"ratio": ["trees", "funds"], "at_least": 0.5}, True),
    ({"ratio": ["trees", "funds"], "at_least": 0.7},
     {"ratio": ["funds", "trees"], "at_least": 0.5}, False),
])
def test_an_aspiration_weaker_than_a_mandatory_target(
        mandatory: dict[str, Any], aspirational: dict[str, Any], weaker: bool) -> None:
    plan = _plan({"id": "m", **mandatory}, {"id": "a", "aspirational": True, **aspirational})
    expected = [("weaker_aspiration", ("a", "m"))] if weaker else []
    assert [found for found in _found(plan) if found[0] == "weaker_aspiration"] == expected


def test_a_stretch_not_above_at_least() -> None:
    plan = _plan({"id": "a", "total": "trees", "at_least": 5, "stretch": 5},
                 {"id": "b", "total": "funds", "at_least": 5, "stretch": 4},
                 {"id": "c", "total": "ok", "at_least": 5, "stretch": 6})
    assert _found(plan) == [("stretch_not_above", ("a",)), ("stretch_not_above", ("b",))]
    built = EachTarget(id="x", condition=plan.targets[0].condition, stretch=2, each=("khoi",),
                       metric="trees")
    changed = Plan("q", plan.metrics, (built,), plan.schema)
    assert _found(changed) == [("stretch_not_above", ("x",))]


def test_problems_come_kind_by_kind_in_the_spec_order() -> None:
    plan = _plan({"id": "s", "total": "trees", "at_least": 5, "stretch": 5},
                 {"id": "r", "ratio": ["funds", "funds"], "at_least": 1},
                 {"id": "t", "total": "ok", "at_least": 99})
    kinds = [kind for kind, _ in _found(plan, _org())]
    assert kinds == sorted(kinds, key=KINDS.index)
    assert kinds == ["total_out_of_reach", "ratio_of_itself", "stretch_not_above"]


# --- the command line ----------------------------------------------------------------------




BAD = """\
id = "bad"
[metrics.trees]
type = "count"

[[targets]]
id = "e"
each = ["chi_doan"]
metric = "trees"
at_least = 4
stretch = 3

[[targets]]
id = "t"
total = "trees"
at_most = 10

[[targets]]
id = "r"
ratio = ["trees", "trees"]
at_least = 1
"""
ORG = "id,parent,kind,name\nk,,khoi,Khối\ncs,k,doan_co_so,Cơ sở\n" + "".join(
    f"c{n},cs,chi_doan,Chi đoàn {n}\n" for n in range(3))


def test_plan_lint_exits_0_on_the_builtin_plan(capsys: Capture) -> None:
    status, out, err = _run(capsys, "plan", "lint", "--lang", "en", "doan-khoi-2020", "--org",
                            str(example_file("org.csv")))
    assert (status, out, err) == (0, "plan 'doan-khoi-2020': no problems found\n", "")


def test_plan_lint_prints_one_line_per_problem_and_exits_1(tmp_path: Path,
                                                         capsys: Capture) -> None:
    (tmp_path / "bad.toml").write_text(BAD, encoding="utf-8")
    (tmp_path / "org.csv").write_text(ORG, encoding="utf-8")
    status, out, err = _run(capsys, "plan", "lint", "--lang", "en", str(tmp_path / "bad.toml"),
                            "--org", str(tmp_path / "org.csv"))
    assert (status, err) == (1, "")
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "floors_above_total", "ratio_of_itself", "stretch_not_above"]
    assert "'e'" in out.splitlines()[0] and "'t'" in out.splitlines()[0]
    status, out, err = _run(capsys, "plan", "lint", "--lang", "en",
                            str(tmp_path / "bad.toml"), "--format",
                            "json")
    assert status == 1
    assert json.loads(out) == {"problems": [
        {"kind": "ratio_of_itself", "targets": ["r"],
         "message": "target 'r': a ratio of trees to itself is 1 whatever the facts"},
        {"kind": "stretch_not_above", "targets": ["e"],
         "message": "target 'e': stretch (3) is not above at_least (4)"}]}
    status, out, _ = _run(capsys, "plan", "lint", "--lang", "en",
                          str(tmp_path / "bad.toml"), "--format", "md")
    assert status == 1 and out.startswith("# Lint of plan bad\n")


@pytest.mark.parametrize("argv", [
    ("plan", "lint", "missing.toml"),
    ("plan", "lint", "doan-khoi-2020", "--org", "missing.csv"),
    ("plan",),
    ("plan", "lint"),
])
def test_plan_lint_exits_2_on_a_bad_file_or_usage(argv: tuple[str, ...],
                                                  capsys: Capture) -> None:
    status, out, err = _run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err and "Traceback" not in err


def test_plan_lint_lists_every_problem_of_a_plan_that_does_not_load(
        tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "typo.toml").write_text(BAD.replace("at_most", "at_mots").replace(
        'type = "count"', 'type = "cout"'), encoding="utf-8")
    status, out, err = _run(capsys, "plan", "lint", "--lang", "en", str(tmp_path / "typo.toml"))
    assert (status, out) == (2, "")
    assert len(err.splitlines()) >= 2 and "line" in err
