"""The roll-up (SPEC §4): exact reports on small hand-built trees, and the built-in example.

The small Khối used throughout, in tree order::

    k     khoi
      h1    doan_cap_huyen
        cs1   doan_co_so
          c1    chi_doan
          c2    chi_doan
        cbs1  chi_doan_co_so
      cs2   doan_co_so          (directly under the Khối)
        l1    lien_chi_doan
          c3    chi_doan
        c4    chi_doan
      cbs2  chi_doan_co_so      (directly under the Khối)
"""

from __future__ import annotations

import csv
import gc
import weakref
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import doanorg
from doanorg import (
    Assessment,
    Facts,
    FailingUnit,
    Org,
    Plan,
    TargetResult,
    UnitRow,
    UnknownUnit,
    assess,
    build_org,
    rollup,
)
from doanorg.core.facts import RawValue
from doanorg.core.report import Status
from doanorg.core.rules import plan_from_mapping
from doanorg.io import builtin_schema, example_file

SCHEMA = builtin_schema("doan")

ROWS = (
    UnitRow("k", None, "khoi", "Đoàn Khối"),
    UnitRow("h1", "k", "doan_cap_huyen", "Huyện 1"),
    UnitRow("cs1", "h1", "doan_co_so", "Cơ sở 1"),
    UnitRow("c1", "cs1", "chi_doan", "Chi đoàn 1"),
    UnitRow("c2", "cs1", "chi_doan", "Chi đoàn 2"),
    UnitRow("cbs1", "h1", "chi_doan_co_so", "Chi đoàn cơ sở 1"),
    UnitRow("cs2", "k", "doan_co_so", "Cơ sở 2"),
    UnitRow("l1", "cs2", "lien_chi_doan", "Liên chi 1"),
    UnitRow("c3", "l1", "chi_doan", "Chi đoàn 3"),
    UnitRow("c4", "cs2", "chi_doan", "Chi đoàn 4"),
    UnitRow("cbs2", "k", "chi_doan_co_so", "Chi đoàn cơ sở 2"),
)
ORDER = ("k", "h1", "cs1", "c1", "c2", "cbs1", "cs2", "l1", "c3", "c4", "cbs2")

METRICS: dict[str, Any] = {
    "n": {"type": "count"},
    "m": {"type": "count"},
    "a": {"type": "amount"},
    "f": {"type": "flag"},
    "r": {"type": "category", "values": ["xuat_sac", "tot", "kem"]},
}


@pytest.fixture(scope="module")
def org() -> Org:
    return build_org(ROWS, SCHEMA)


def _plan(*targets: Mapping[str, Any]) -> Plan:
    return plan_from_mapping({"id": "p", "metrics": METRICS, "targets": list(targets)}, SCHEMA)


def _facts(records: Mapping[str, Mapping[str, RawValue]]) -> Facts:
    return Facts.from_records(records)


def _result(
    org: Org,
    facts: Mapping[str, Mapping[str, RawValue]],
    target: Mapping[str, Any],
    at: str | None = None,
) -> TargetResult:
    return assess(org, _facts(facts), _plan({"id": "t", **target}), at=at).result("t")


def _each(
    *,
    selected: int,
    passing: int,
    required: float = 1.0,
    failing: tuple[FailingUnit, ...] = (),
    stretch_met: bool | None = None,
    aspirational: bool = False,
) -> TargetResult:
    status: Status = (
        "not_applicable"
        if selected == 0
        else "met"
        if Fraction(passing, selected) >= Fraction(str(required))
        else "not_met"
    )
    return TargetResult(
        id="t",
        type="each",
        aspirational=aspirational,
        status=status,
        observed=passing / selected if selected else None,
        required=required,
        stretch_met=stretch_met,
        selected=selected,
        passing=passing,
        failing=failing,
    )


# --- each ---------------------------------------------------------------------------------

CHAPTERS = {"c1": {"n": 1}, "c2": {"n": 3}, "c4": {"n": 5}}  # c3 reports nothing: 0


def test_each_at_least_lists_failing_units_in_tree_order(org: Org) -> None:
    result = _result(org, CHAPTERS, {"each": ["chi_doan"], "metric": "n", "at_least": 3})
    expected = _each(
        selected=4, passing=2, failing=(FailingUnit("c1", 1, 2), FailingUnit("c3", 0, 3))
    )
    assert expected == result
    assert [unit.name for unit in result.failing] == ["Chi đoàn 1", "Chi đoàn 3"]


def test_each_at_most_shortfall_is_how_much_less(org: Org) -> None:
    result = _result(org, CHAPTERS, {"each": ["chi_doan"], "metric": "n", "at_most": 2})
    expected = _each(
        selected=4, passing=2, failing=(FailingUnit("c2", 3, 1), FailingUnit("c4", 5, 3))
    )
    assert expected == result


def test_each_range(org: Org) -> None:
    """The range bounds each unit's value; required stays the share, with no upper end."""
    result = _result(
        org, CHAPTERS, {"each": ["chi_doan"], "metric": "n", "at_least": 2, "at_most": 4}
    )
    expected = _each(
        selected=4,
        passing=1,
        failing=(FailingUnit("c1", 1, 1), FailingUnit("c3", 0, 2), FailingUnit("c4", 5, 1)),
    )
    assert expected == result


def test_each_at_a_unit_looks_at_its_subtree_only(org: Org) -> None:
    result = _result(org, CHAPTERS, {"each": ["chi_doan"], "metric": "n", "at_least": 3}, at="cs2")
    assert _each(selected=2, passing=1, failing=(FailingUnit("c3", 0, 3),)) == result


@pytest.mark.parametrize(("share", "status"), [(0.5, "met"), (0.75, "not_met"), (0.0, "met")])
def test_each_share(org: Org, share: float, status: str) -> None:
    result = _result(
        org, CHAPTERS, {"each": ["chi_doan"], "metric": "n", "at_least": 3, "share": share}
    )
    assert (status, 0.5, share, 4, 2) == (
        result.status,
        result.observed,
        result.required,
        result.selected,
        result.passing,
    )
    assert [unit.unit for unit in result.failing] == ["c1", "c3"]


def test_each_with_a_group_and_kinds(org: Org) -> None:
    facts = {"cs1": {"n": 1}, "cbs2": {"n": 1}, "c4": {"n": 1}}
    result = _result(org, facts, {"each": ["co_so", "chi_doan"], "metric": "n", "at_least": 1})
    assert [u.unit for u in result.failing] == ["c1", "c2", "cbs1", "cs2", "c3"]
    assert (result.selected, result.passing) == (8, 3)


def test_directly_under_reads_the_parents_kind(org: Org) -> None:
    target = {"each": ["co_so"], "directly_under": ["khoi"], "metric": "n", "at_least": 1}
    result = _result(org, {"cs2": {"n": 1}}, target)
    # cs1 and cbs1 stand under h1, not under the Khối: not selected
    assert _each(selected=2, passing=1, failing=(FailingUnit("cbs2", 0, 1),)) == result


def test_directly_under_at_a_unit_whose_parent_is_outside_the_subtree(org: Org) -> None:
    target = {"each": ["co_so"], "directly_under": ["khoi"], "metric": "n", "at_least": 1}
    assert _each(selected=1, passing=1) == _result(org, {"cs2": {"n": 1}}, target, at="cs2")
    assert _each(selected=1, passing=0, failing=(FailingUnit("cbs2", 0, 1),)) == _result(
        org, {"cs2": {"n": 1}}, target, at="cbs2"
    )


def test_directly_under_selects_nothing_in_a_branch_below_the_level(org: Org) -> None:
    target = {"each": ["co_so"], "directly_under": ["khoi"], "metric": "n", "at_least": 1}
    assert _each(selected=0, passing=0) == _result(org, {}, target, at="h1")


def test_directly_under_a_lien_chi_doan(org: Org) -> None:
    target = {
        "each": ["chi_doan"],
        "directly_under": ["lien_chi_doan"],
        "metric": "n",
        "at_least": 1,
    }
    assert _each(selected=1, passing=0, failing=(FailingUnit("c3", 0, 1),)) == _result(
        org, {}, target
    )


def test_not_applicable_when_nothing_is_selected(org: Org) -> None:
    result = _result(
        org,
        CHAPTERS,
        {"each": ["lien_chi_doan"], "metric": "n", "at_least": 1, "stretch": 2},
        at="h1",
    )
    expected = TargetResult(
        id="t",
        type="each",
        aspirational=False,
        status="not_applicable",
        observed=None,
        required=1.0,
        selected=0,
        passing=0,
    )
    assert expected == result


def test_each_flag_and_category(org: Org) -> None:
    facts = {
        "c1": {"f": "có", "r": "xuat_sac"},
        "c2": {"f": "không", "r": "kem"},
        "c3": {"f": "true", "r": "tot"},
        "c4": {"f": "0"},
    }
    flag = _result(org, facts, {"each": ["chi_doan"], "metric": "f", "equals": True})
    assert (
        _each(
            selected=4,
            passing=2,
            failing=(FailingUnit("c2", False, None), FailingUnit("c4", False, None)),
        )
        == flag
    )
    not_kem = _result(org, facts, {"each": ["chi_doan"], "metric": "r", "not_equals": "kem"})
    assert _each(selected=4, passing=3, failing=(FailingUnit("c2", "kem", None),)) == not_kem
    good = _result(org, facts, {"each": ["chi_doan"], "metric": "r", "in": ["xuat_sac", "tot"]})
    assert (
        _each(
            selected=4,
            passing=2,
            failing=(FailingUnit("c2", "kem", None), FailingUnit("c4", None, None)),
        )
        == good
    )


# --- stretch -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "status", "stretch_met"),
    [
        ({"cs1": {"n": 2}, "cs2": {"n": 3}}, "met", True),
        ({"cs1": {"n": 1}, "cs2": {"n": 3}}, "met", False),
        ({"cs1": {"n": 0}, "cs2": {"n": 3}}, "not_met", False),
    ],
)
def test_stretch_of_an_each_target(
    org: Org, facts: dict[str, dict[str, RawValue]], status: str, stretch_met: bool
) -> None:
    result = _result(
        org, facts, {"each": ["doan_co_so"], "metric": "n", "at_least": 1, "stretch": 2}
    )
    assert (status, stretch_met) == (result.status, result.stretch_met)


def test_stretch_met_is_null_without_stretch(org: Org) -> None:
    result = _result(org, CHAPTERS, {"each": ["chi_doan"], "metric": "n", "at_least": 0})
    assert (result.status, result.stretch_met) == ("met", None)


@pytest.mark.parametrize(
    ("total", "status", "stretch_met"),
    [(9, "met", False), (10, "met", True), (4, "not_met", False)],
)
def test_stretch_of_a_total(org: Org, total: int, status: str, stretch_met: bool) -> None:
    result = _result(org, {"c1": {"n": total}}, {"total": "n", "at_least": 5, "stretch": 10})
    assert (status, stretch_met) == (result.status, result.stretch_met)


def test_stretch_of_a_ratio(org: Org) -> None:
    result = _result(
        org, {"c1": {"n": 1, "m": 2}}, {"ratio": ["n", "m"], "at_least": 0.3, "stretch": 0.5}
    )
    assert (result.status, result.stretch_met, result.observed) == ("met", True, 0.5)


# --- totals ------------------------------------------------------------------------------

TREES = {"k": {"n": 5}, "h1": {"n": 10}, "c1": {"n": 1}, "cbs1": {"n": 4}, "c3": {"n": 100}}


@pytest.mark.parametrize(("bound", "status"), [(120, "met"), (121, "not_met")])
def test_total_at_the_root_is_judged(org: Org, bound: int, status: Status) -> None:
    result = _result(org, TREES, {"total": "n", "at_least": bound})
    expected = TargetResult(
        id="t", type="total", aspirational=False, status=status, observed=120, required=bound
    )
    assert expected == result


@pytest.mark.parametrize(("at", "observed"), [("h1", 15), ("cs2", 100), ("c2", 0)])
def test_total_below_the_root_is_informational(org: Org, at: str, observed: int) -> None:
    result = _result(org, TREES, {"total": "n", "at_least": 121}, at=at)
    expected = TargetResult(
        id="t",
        type="total",
        aspirational=False,
        status="informational",
        observed=observed,
        required=121,
    )
    assert expected == result


def test_total_range_has_required_max(org: Org) -> None:
    result = _result(org, TREES, {"total": "n", "at_least": 100, "at_most": 110})
    expected = TargetResult(
        id="t",
        type="total",
        aspirational=False,
        status="not_met",
        observed=120,
        required=100,
        required_max=110,
    )
    assert expected == result


def test_total_of_a_flag_counts_the_units_where_it_is_true(org: Org) -> None:
    result = _result(
        org,
        {"c1": {"f": "có"}, "c2": {"f": "không"}, "c3": {"f": "1"}},
        {"total": "f", "at_least": 2},
    )
    assert (result.status, result.observed) == ("met", 2)


def test_total_of_amounts(org: Org) -> None:
    result = _result(
        org, {"c1": {"a": "1.5"}, "c2": {"a": "2.25"}}, {"total": "a", "at_most": 3.75}
    )
    assert (result.status, result.observed) == ("met", 3.75)


def test_a_total_of_decimal_amounts_is_exact(org: Org) -> None:
    # 0.7 + 0.1 is 0.7999999999999999 in floats
    facts = {"k": {"a": "0.7"}, "c1": {"a": "0.1"}}
    result = _result(org, facts, {"total": "a", "at_least": 0.8})
    assert result.status == "met"
    result = _result(org, {"c1": {"a": "0.1"}, "c2": {"a": "0.2"}}, {"total": "a", "at_most": 0.3})
    assert result.status == "met"


# --- ratios -------------------------------------------------------------------------------


def test_ratio_is_a_ratio_of_sums_not_an_average_of_ratios(org: Org) -> None:
    facts = {"c1": {"n": 1, "m": 1}, "c2": {"n": 0, "m": 3}}
    result = _result(org, facts, {"ratio": ["n", "m"], "at_least": 0.5})
    expected = TargetResult(
        id="t", type="ratio", aspirational=False, status="not_met", observed=0.25, required=0.5
    )
    assert expected == result


@pytest.mark.parametrize(
    ("at", "status", "observed"),
    [("k", "met", 4 / 7), ("cs1", "not_met", 0.25), ("cs2", "met", 1.0), ("cbs2", None, None)],
)
def test_ratio_is_judged_at_any_unit(
    org: Org, at: str, status: Status | None, observed: float | None
) -> None:
    facts = {"c1": {"n": 1, "m": 1}, "c2": {"n": 0, "m": 3}, "c3": {"n": 3, "m": 3}}
    result = _result(org, facts, {"ratio": ["n", "m"], "at_least": 0.5}, at=at)
    assert (status or "not_applicable", observed) == (result.status, result.observed)


def test_ratio_with_a_zero_denominator_is_not_applicable(org: Org) -> None:
    result = _result(
        org,
        {"c1": {"n": 0}, "c4": {"n": 0, "m": 5}},
        {"ratio": ["n", "m"], "at_least": 0.5, "stretch": 0.9},
        at="cs1",
    )
    expected = TargetResult(
        id="t",
        type="ratio",
        aspirational=False,
        status="not_applicable",
        observed=None,
        required=0.5,
    )
    assert expected == result


def test_ratio_three_tenths_meets_point_three(org: Org) -> None:
    facts = {"c1": {"n": 1, "m": 4}, "c2": {"n": 2, "m": 6}}
    for bound in ("at_least", "at_most"):
        assert _result(org, facts, {"ratio": ["n", "m"], bound: 0.3}).status == "met"


def test_ratio_of_decimal_amounts_is_exact(org: Org) -> None:
    facts: dict[str, dict[str, RawValue]] = {"c1": {"a": "0.1", "m": 1}, "c2": {"a": "0.2"}}
    assert _result(org, facts, {"ratio": ["a", "m"], "at_most": 0.3}).status == "met"


def test_ratio_range(org: Org) -> None:
    result = _result(
        org, {"c1": {"n": 3, "m": 4}}, {"ratio": ["n", "m"], "at_least": 0.5, "at_most": 0.7}
    )
    expected = TargetResult(
        id="t",
        type="ratio",
        aspirational=False,
        status="not_met",
        observed=0.75,
        required=0.5,
        required_max=0.7,
    )
    assert expected == result


# --- the whole report -------------------------------------------------------------------------


def _mixed_plan() -> Plan:
    return _plan(
        {"id": "each", "each": ["chi_doan"], "metric": "n", "at_least": 3},
        {"id": "dream", "aspirational": True, "each": ["chi_doan"], "metric": "n", "at_least": 100},
        {"id": "none", "each": ["lien_chi_doan"], "metric": "n", "at_least": 1},
        {"id": "sum", "total": "n", "at_least": 5},
        {"id": "ratio", "ratio": ["n", "m"], "at_least": 0.5},
    )


def test_aspirational_targets_never_make_a_subtree_non_compliant(org: Org) -> None:
    report = assess(
        org, _facts({"c1": {"n": 3}, "c2": {"n": 3}, "cs1": {"m": 1}}), _mixed_plan(), at="cs1"
    )
    assert [result.status for result in report.results] == [
        "met",
        "not_met",
        "not_applicable",
        "informational",
        "met",
    ]
    assert True is report.compliant
    assert report.summary == {
        "targets": 5,
        "met": 2,
        "not_met": 1,
        "not_applicable": 1,
        "informational": 1,
        "required_not_met": 0,
    }


def test_a_mandatory_target_not_met_makes_it_non_compliant(org: Org) -> None:
    report = assess(org, _facts({"c1": {"n": 3}, "c2": {"n": 3}}), _mixed_plan())
    # at the root, l1 is selected by "none" and reports nothing
    assert [result.status for result in report.results] == [
        "not_met",
        "not_met",
        "not_met",
        "met",
        "not_applicable",
    ]
    assert False is report.compliant
    assert report.summary == {
        "targets": 5,
        "met": 1,
        "not_met": 3,
        "not_applicable": 1,
        "informational": 0,
        "required_not_met": 2,
    }


def test_report_header_and_not_reported_in_tree_order(org: Org) -> None:
    facts = _facts({"cbs2": {}, "c2": {"n": 0}, "k": {"n": 1}, "cs2": {"m": 0}, "c1": {}})
    report = assess(org, facts, _mixed_plan())
    assert (report.plan, report.at, report.at_name) == ("p", "k", "Đoàn Khối")
    assert report.not_reported == ("h1", "cs1", "cbs1", "l1", "c3", "c4")
    assert assess(org, facts, _mixed_plan(), at="cs2").not_reported == ("l1", "c3", "c4")
    assert assess(org, facts, _mixed_plan(), at="c1").not_reported == ()


def test_targets_appear_in_plan_order(org: Org) -> None:
    report = assess(org, _facts({}), _mixed_plan())
    assert [result.id for result in report.results] == ["each", "dream", "none", "sum", "ratio"]


def test_assess_at_a_unit_not_in_the_tree(org: Org) -> None:
    with pytest.raises(UnknownUnit) as caught:
        assess(org, _facts({}), _mixed_plan(), at="x42")
    assert [problem.unit for problem in caught.value.problems] == ["x42"]


def test_report_texts_come_from_the_plan(org: Org) -> None:
    plan = _plan(
        {
            "id": "t",
            "text": "mỗi chi đoàn có ít nhất 03",
            "each": ["chi_doan"],
            "metric": "n",
            "at_least": 3,
        }
    )
    result = assess(org, _facts({}), plan).result("t")
    assert (result.text, result.condition) == ("mỗi chi đoàn có ít nhất 03", "≥ 3")


def test_the_default_unit_is_the_root(org: Org) -> None:
    facts = _facts(CHAPTERS)
    assert assess(org, facts, _mixed_plan(), at="k") == assess(org, facts, _mixed_plan())


def test_a_report_at_a_unit_ignores_units_outside_its_subtree(org: Org) -> None:
    inside = {"c1": {"n": 3, "m": 4}, "c2": {"n": 1}}
    outside = {"c3": {"n": 50, "m": 1}, "k": {"n": 7}, "cbs2": {"m": 9}}
    alone = assess(org, _facts(inside), _mixed_plan(), at="cs1")
    with_others = assess(org, _facts({**inside, **outside}), _mixed_plan(), at="cs1")
    assert alone == with_others


def test_rollup_totals_and_values(org: Org) -> None:
    assessment = rollup(org, _facts(TREES), _mixed_plan())
    assert [assessment.total("n", at=unit) for unit in ("k", "h1", "cs1", "cs2", "c2")] == [
        120,
        15,
        1,
        100,
        0,
    ]
    assert assessment.total("n") == 120
    assert (assessment.value("n", "c3"), assessment.value("n", "l1")) == (100, 0)
    assert assess(org, _facts(TREES), _mixed_plan(), at="h1") == assessment.report("h1")


def test_the_same_tree_from_csv_files(tmp_path: Path, org: Org) -> None:
    org_path = tmp_path / "org.csv"
    org_path.write_text(
        "id,parent,kind,name\n"
        + "".join(f"{row.id},{row.parent or ''},{row.kind},{row.name}\n" for row in ROWS),
        encoding="utf-8",
    )
    facts_path = tmp_path / "facts.csv"
    facts_path.write_text("unit,n,m\nc1,1,1\nc2,3,3\nc4,5,0\n", encoding="utf-8")
    plan = _mixed_plan()
    loaded = doanorg.load_org(org_path)
    facts = doanorg.load_facts(facts_path, org=loaded, plan=plan)
    from_files = assess(loaded, facts, plan)
    in_python = assess(
        org, _facts({"c1": {"n": 1, "m": 1}, "c2": {"n": 3, "m": 3}, "c4": {"n": 5, "m": 0}}), plan
    )
    assert in_python == from_files
    assert [FailingUnit("c1", 1, 2), FailingUnit("c3", 0, 3)] == list(
        from_files.result("each").failing
    )


# --- the built-in example, against a direct computation from its CSV files ----------------------

GROUPS = {"co_so": {"doan_co_so", "chi_doan_co_so"}}
TRUE = {"true", "1", "yes", "có"}


class _Example:
    """The example Khối read with the csv module alone: parents, kinds, own values."""

    def __init__(self) -> None:
        with example_file("org.csv").open(encoding="utf-8-sig", newline="") as file:
            rows = list(csv.DictReader(file))
        self.kind = {row["id"]: row["kind"] for row in rows}
        self.parent = {row["id"]: row["parent"] or None for row in rows}
        self.children: dict[str, list[str]] = {row["id"]: [] for row in rows}
        for row in rows:
            if row["parent"]:
                self.children[row["parent"]].append(row["id"])
        self.root = next(row["id"] for row in rows if not row["parent"])
        self.values: dict[str, dict[str, str]] = {}
        with example_file("facts.csv").open(encoding="utf-8-sig", newline="") as file:
            for row in csv.DictReader(file):
                unit = row["unit"].strip()
                own = self.values.setdefault(unit, {})
                if "metric" in row:
                    if row["value"].strip():
                        own[row["metric"].strip()] = row["value"].strip()
                else:
                    own.update(
                        {
                            metric: text.strip()
                            for metric, text in row.items()
                            if metric not in ("unit", "period") and text and text.strip()
                        }
                    )

    def subtree(self, unit: str) -> list[str]:
        order, stack = [], [unit]
        while stack:
            current = stack.pop()
            order.append(current)
            stack.extend(reversed(self.children[current]))
        return order

    def value(self, unit: str, metric: str, kind: str) -> Any:
        text = self.values.get(unit, {}).get(metric, "")
        if kind == "flag":
            return text.casefold() in TRUE
        if kind == "category":
            return text or None
        if not text:
            return 0
        try:
            return int(text)
        except ValueError:
            return Fraction(text)  # exact, as the decimal was written

    def sum(self, units: list[str], metric: str, plan: Plan) -> Fraction:
        """The exact sum of a numeric metric over ``units`` (a true flag counts 1)."""
        kind = plan.metrics[metric].type.value
        return Fraction(sum(self.value(u, metric, kind) for u in units))

    def expected(self, plan: Plan, at: str) -> dict[str, Any]:
        """What the report at ``at`` must say, target by target, computed directly."""
        units = self.subtree(at)
        expected: dict[str, Any] = {"not_reported": [u for u in units if u not in self.values]}
        for target in plan.targets:
            condition = target.condition
            if isinstance(target, doanorg.EachTarget):
                kinds = set().union(*(GROUPS.get(name, {name}) for name in target.each))
                under = (
                    None
                    if target.directly_under is None
                    else set().union(*(GROUPS.get(n, {n}) for n in target.directly_under))
                )
                metric_type = plan.metrics[target.metric].type.value
                selected = [
                    u
                    for u in units
                    if self.kind[u] in kinds
                    and (
                        under is None
                        or (self.parent[u] is not None and self.kind[self.parent[u]] in under)
                    )
                ]
                failing = [
                    u
                    for u in selected
                    if not _holds(condition, self.value(u, target.metric, metric_type))
                ]
                passing = len(selected) - len(failing)
                status = (
                    "not_applicable"
                    if not selected
                    else "met"
                    if Fraction(passing, len(selected)) >= Fraction(str(target.share))
                    else "not_met"
                )
                expected[target.id] = (status, len(selected), passing, failing)
            elif isinstance(target, doanorg.TotalTarget):
                total = self.sum(units, target.metric, plan)
                status = (
                    "informational"
                    if at != self.root
                    else "met"
                    if _holds(condition, total)
                    else "not_met"
                )
                expected[target.id] = (status, total)
            else:
                numerator = self.sum(units, target.numerator, plan)
                denominator = self.sum(units, target.denominator, plan)
                if not denominator:
                    expected[target.id] = ("not_applicable", None)
                else:
                    ratio = numerator / denominator
                    expected[target.id] = ("met" if _holds(condition, ratio) else "not_met", ratio)
        return expected


def _holds(condition: doanorg.Condition, value: Any) -> bool:
    def exact(bound: Any) -> Any:
        return Fraction(str(bound)) if isinstance(bound, float) else bound

    if condition.at_least is not None or condition.at_most is not None:
        return (condition.at_least is None or value >= exact(condition.at_least)) and (
            condition.at_most is None or value <= exact(condition.at_most)
        )
    if condition.equals is not None:
        return bool(value == condition.equals)
    if condition.not_equals is not None:
        return bool(value != condition.not_equals)
    assert condition.in_ is not None
    return value in condition.in_


@pytest.fixture(scope="module")
def example() -> _Example:
    return _Example()


def _example_units(example: _Example) -> list[str]:
    """The root, a doan_cap_huyen, a doan_co_so directly under the root, and a chapter."""
    root = example.root
    under_root = example.children[root]
    return [
        root,
        next(u for u in under_root if example.kind[u] == "doan_cap_huyen"),
        next(u for u in under_root if example.kind[u] == "doan_co_so"),
        next(u for u in example.kind if example.kind[u] == "chi_doan"),
    ]


@pytest.fixture(scope="module")
def example_assessment(example_org: Org, example_facts: Facts, plan: Plan) -> Assessment:
    return rollup(example_org, example_facts, plan)


def test_the_example_against_a_direct_computation(
    example: _Example, example_assessment: Assessment, plan: Plan
) -> None:
    assessment = example_assessment
    for at in _example_units(example):
        report = assessment.report(at)
        expected = example.expected(plan, at)
        assert (at, expected["not_reported"]) == (at, list(report.not_reported))
        for result in report.results:
            if result.type == "each":
                status, selected, passing, failing = expected[result.id]
                assert (at, result.id, status, selected, passing, failing) == (
                    at,
                    result.id,
                    result.status,
                    result.selected,
                    result.passing,
                    [unit.unit for unit in result.failing],
                )
                observed = passing / selected if selected else None
            else:
                status, exact = expected[result.id]
                assert (at, result.id, status) == (at, result.id, result.status)
                observed = (
                    None
                    if exact is None
                    else (int(exact) if result.type == "total" else float(exact))
                )
            assert (at, result.id, observed) == (at, result.id, result.observed)


def test_the_example_is_not_compliant_at_its_root(
    example_assessment: Assessment, plan: Plan
) -> None:
    report = example_assessment.report()
    assert (report.compliant, report.at) == (False, "khoi")
    assert len(plan.targets) == report.summary["targets"]
    assert report.summary["required_not_met"] > 0


def test_the_example_totals_at_every_unit_under_the_root(
    example: _Example, example_assessment: Assessment, plan: Plan
) -> None:
    """Each unit directly under the root: its subtree totals, summed from the CSV file."""
    assessment = example_assessment
    metrics = sorted(plan.used_metrics() - {"rating"})
    units = [example.root, *example.children[example.root]]
    expected = {
        (unit, metric): example.sum(example.subtree(unit), metric, plan)
        for unit in units
        for metric in metrics
    }
    assert expected == {
        (unit, metric): assessment.total(metric, at=unit) for unit in units for metric in metrics
    }


# --- what-if -------------------------------------------------------------------------


def test_a_what_if_reads_the_edited_facts_and_leaves_the_assessment_as_it_was(
    example_assessment: Assessment
) -> None:
    """An edited assessment's facts are the edited facts; the one edited is unchanged."""
    before = example_assessment.report().to_dict()
    unit = example_assessment.org.units[-1].id
    edited = example_assessment.with_fact(unit, "youth_projects", 99)
    assert edited.facts == example_assessment.facts.with_value(unit, "youth_projects", 99)
    assert edited.value("youth_projects", unit) == 99
    assert edited.report().to_dict() == rollup(edited.org, edited.facts, edited.plan
                                               ).report().to_dict()
    assert example_assessment.report().to_dict() == before


def test_a_fact_removed_from_a_column_of_python_integers_keeps_its_totals_exact(
    org: Org
) -> None:
    """Counts too large for int64 sums are held as Python integers; removing a unit's
    value there must leave them so (a stray int64 0 made later sums overflow)."""
    big = 2**61
    plan = _plan({"id": "t", "total": "n", "at_least": 0})
    facts = _facts({unit: {"n": big} for unit in ORDER})
    edited = rollup(org, facts, plan).with_fact("c1", "n", None).with_fact("c2", "n", big)
    fresh = rollup(org, edited.facts, plan)
    assert 10 * big == edited.total("n") == fresh.total("n")
    assert edited.report().to_dict() == fresh.report().to_dict()


def test_a_long_chain_of_what_ifs_lets_the_first_ones_go(
    example_assessment: Assessment
) -> None:
    """Each edit keeps the verdicts of the assessment it edits, but a chain of 40 edits
    does not hold on to the assessments at its start."""
    unit = example_assessment.org.units[-1].id
    assessment = example_assessment.with_fact(unit, "youth_projects", 0)
    first = weakref.ref(assessment)
    for value in range(1, 40):
        assessment = assessment.with_fact(unit, "youth_projects", value)
        assessment.statuses()
    gc.collect()
    assert first() is None
    assert assessment.total("youth_projects", at=unit) == 39
