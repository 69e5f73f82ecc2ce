"""Property tests of a Union's own plan, and of a small tool built on doanorg.

This is the complete example of the how-to "Property-test your own quota
rules" (docs/how-to/property-test-your-rules.md). Copy it next to your own
tests and run it with pytest once doanorg is installed with its test extra:

    pip install "doanorg[test]"
    pytest test_my_rules.py

It needs nothing else: the ``doanorg_laws`` fixture comes with doanorg's
pytest plugin, which pytest loads by itself.
"""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from doanorg import Org, Report, assess
from doanorg.io import builtin_schema
from doanorg.core.rules import EachTarget, plan_from_mapping
from doanorg.testing.strategies import facts, facts_failing, facts_meeting, orgs, scenarios

if TYPE_CHECKING:
    from doanorg.testing.pytest_plugin import Laws  # the type of the doanorg_laws fixture

# --- the plan: a Đoàn Bộ's own targets for 2021 (usually a file: doanorg.load_plan) --------

PLAN_TOML = """
id = "doan-bo-2021"
title = "Chỉ tiêu công tác Đoàn năm 2021"

[metrics.volunteer_days]
type = "count"
label = "Ngày tình nguyện"

[metrics.blood_units]
type = "count"
label = "Đơn vị máu hiến"

[metrics.members_introduced]
type = "count"
label = "Đoàn viên ưu tú giới thiệu cho Đảng"

[metrics.members_admitted]
type = "count"
label = "Đoàn viên ưu tú được kết nạp Đảng"

[metrics.rating]
type = "category"
values = ["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]

[[targets]]
id = "1"
text = "90% đoàn cấp huyện và cơ sở đoàn tổ chức ít nhất 02 ngày tình nguyện"
each = ["doan_cap_huyen", "co_so"]
metric = "volunteer_days"
at_least = 2
share = 0.9

[[targets]]
id = "2"
text = "Hiến ít nhất 500 đơn vị máu"
total = "blood_units"
at_least = 500

[[targets]]
id = "3"
text = "Ít nhất 70% đoàn viên ưu tú được giới thiệu được kết nạp Đảng"
ratio = ["members_admitted", "members_introduced"]
at_least = 0.7

[[targets]]
id = "4"
text = "Không cơ sở đoàn nào xếp loại không hoàn thành nhiệm vụ"
each = ["co_so"]
metric = "rating"
not_equals = "khong_hoan_thanh"
"""

PLAN = plan_from_mapping(tomllib.loads(PLAN_TOML), builtin_schema("doan"))

# --- the tool under test: who the secretary should call ----------------------------------


def follow_up(report: Report) -> dict[str, list[str]]:
    """For each mandatory target not met at the assessed unit, the units to call: the
    failing units of an ``each`` target, else the assessed unit itself."""
    calls: dict[str, list[str]] = {}
    for result in report.results:
        if result.status == "not_met" and not result.aspirational:
            calls[result.id] = ([failing.unit for failing in result.failing]
                                or [report.at])
    return calls


# --- strategies: trees of the built-in schema with at least one unit below the root (so
# that target 1 selects a unit), and the targets a year of a tree can fail ---------------

TREES = orgs(min_units=2, max_units=30)


def targets_of(org: Org) -> st.SearchStrategy[str]:
    """The targets a year of ``org`` can fail: an each target needs a unit it selects
    (target 4 only selects cơ sở đoàn, which a small tree may not have)."""
    kinds = {unit.kind for unit in org}
    return st.sampled_from([
        target.id for target in PLAN.targets
        if not isinstance(target, EachTarget) or kinds & PLAN.schema.expand(target.each)])


@settings(max_examples=15)
@given(st.data())
def test_laws_of_the_roll_up_hold_for_my_plan(doanorg_laws: Laws,
                                              data: st.DataObject) -> None:
    """Every law of the roll-up holds for this plan, on any tree and any facts."""
    org = data.draw(TREES, label="org")
    doanorg_laws.check(org, data.draw(facts(org, PLAN), label="facts"), PLAN)


@settings(max_examples=20)
@given(st.data())
def test_a_target_that_is_met_needs_no_call(data: st.DataObject) -> None:
    """With facts for which a target is met, the tool never asks to follow it up."""
    org = data.draw(TREES, label="org")
    target = data.draw(targets_of(org), label="target")
    met = data.draw(facts_meeting(org, PLAN, target), label="facts")
    assert target not in follow_up(assess(org, met, PLAN))


@settings(max_examples=20)
@given(st.data())
def test_a_target_that_is_not_met_names_units_to_call(data: st.DataObject) -> None:
    """With facts for which a target is not met, the tool lists units to call for it,
    all of the tree, and for an each target exactly its failing units."""
    org = data.draw(TREES, label="org")
    target = data.draw(targets_of(org), label="target")
    failing = data.draw(facts_failing(org, PLAN, target), label="facts")
    report = assess(org, failing, PLAN)
    calls = follow_up(report)[target]
    assert calls and all(unit in org for unit in calls)
    if isinstance(PLAN.target(target), EachTarget):
        assert calls == [unit.unit for unit in report.result(target).failing]


@settings(max_examples=20)
@given(st.data())
def test_the_tool_follows_the_tree_through_any_what_if(data: st.DataObject) -> None:
    """After any what-if (facts set, units moved, targets changed), the units to call are
    units of the scenario's tree."""
    org = data.draw(TREES, label="org")
    scenario = data.draw(scenarios(org, data.draw(facts(org, PLAN)), PLAN), label="what-if")
    for units in follow_up(scenario.report()).values():
        assert set(units) <= {unit.id for unit in scenario.org}
