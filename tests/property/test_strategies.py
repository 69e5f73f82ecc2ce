"""The strategies themselves: what they promise about the values they give, and their checks."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample

import doanorg
from doanorg import EachTarget, Org, Plan, RatioTarget, TotalTarget, rollup
from doanorg.core.rules import plan_from_mapping
from doanorg.io import builtin_schema
from doanorg.testing import strategies as ds
from doanorg.testing.strategies import Case

_ID = re.compile(r"[0-9a-z]{1,3}(-[0-9]+)?")
_SEARCH = settings(phases=[Phase.generate], max_examples=1_000, database=None)
"""For find(): look for an example, do not shrink it (only its existence matters)."""


def test_importing_doanorg_does_not_import_hypothesis() -> None:
    """hypothesis is a test extra: ``import doanorg`` must work without it."""
    code = "import sys, doanorg; sys.exit('hypothesis' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_all_names_every_public_strategy() -> None:
    """__all__ lists every public name the module defines, and only names it has."""
    public = {
        name for name, value in vars(ds).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == ds.__name__
    }
    assert public <= set(ds.__all__)
    assert all(hasattr(ds, name) for name in ds.__all__)
    assert sorted(ds.__all__) == ds.__all__


@given(st.data())
def test_trees_keep_to_their_bounds(data: st.DataObject) -> None:
    """orgs() gives a valid tree of the schema within its bounds: size, depth, breadth;
    a root of a root kind; unique short ASCII ids; names in NFC; members, where given,
    a positive whole number."""
    schema = data.draw(ds.schemas(), label="schema")
    max_units = data.draw(st.integers(1, 60), label="max_units")
    max_depth = data.draw(st.integers(0, 6), label="max_depth")
    max_children = data.draw(st.integers(0, 8), label="max_children")
    org: Org = data.draw(ds.orgs(schema, max_units=max_units, max_depth=max_depth,
                                 max_children=max_children), label="org")
    assert 1 <= len(org) <= max_units
    assert not schema.kinds[org.root.kind].parents
    assert len({unit.id for unit in org}) == len(org)
    for unit in org:
        assert _ID.fullmatch(unit.id), unit.id
        assert org.depth(unit.id) <= max_depth
        assert len(org.children(unit.id)) <= max_children
        members = unit.attributes.get("members")
        assert members is None or (isinstance(members, int) and members > 0)
    assert doanorg.build_org(org.rows(), schema).rows() == org.rows()


@given(ds.orgs(min_units=12, max_units=20, max_depth=3, max_children=4))
def test_trees_hold_at_least_min_units(org: Org) -> None:
    """With min_units, a tree has at least that many units, still within its bounds."""
    assert 12 <= len(org) <= 20
    assert all(org.depth(unit.id) <= 3 and len(org.children(unit.id)) <= 4 for unit in org)


@given(ds.cases(ds.schemas(), report_rate=0.5))
def test_facts_fit_their_tree_and_plan(case: Case) -> None:
    """facts() names only units of the tree, and every value of a declared metric fits
    it (rollup accepts them); units that did not report have no values."""
    assert case.facts.reported <= {unit.id for unit in case.org}
    assert set(case.facts.values) <= case.facts.reported
    rollup(case.org, case.facts, case.plan)


@given(st.data())
def test_report_rate_zero_and_one(data: st.DataObject) -> None:
    """report_rate=0: no unit reports; report_rate=1: every unit does."""
    case = data.draw(ds.cases(max_units=20), label="case")
    nobody = data.draw(ds.facts(case.org, case.plan, report_rate=0), label="nobody")
    everybody = data.draw(ds.facts(case.org, case.plan, report_rate=1), label="everybody")
    assert nobody.reported == frozenset()
    assert everybody.reported == {unit.id for unit in case.org}


def _condition(target: Any) -> str:
    condition = target.condition
    if condition.is_range:
        return "range"
    return next(key for key in ("at_least", "at_most", "equals", "not_equals", "in_")
                if getattr(condition, key) is not None)


def _shape(plan: Plan, target: Any) -> tuple[str, ...]:
    if isinstance(target, EachTarget):
        return ("each", plan.metrics[target.metric].type.value,
                "directly_under" if target.directly_under is not None else "",
                "share" if target.share < 1 else "")
    return (target.type,)


_SHAPES = {
    *(("each", kind, under, share)
      for kind in ("count", "amount", "flag", "category")
      for under in ("directly_under", "") for share in ("share", "")),
    ("total",), ("ratio",),
}
_CONDITIONS = {
    *((metric, condition) for metric in ("count", "amount", "total", "ratio")
      for condition in ("at_least", "at_most", "range", "equals", "not_equals", "in_")),
    *((metric, condition) for metric in ("flag", "category")
      for condition in ("equals", "not_equals", "in_")),
    *((metric, condition, "stretch") for metric in ("count", "amount", "total", "ratio")
      for condition in ("at_least", "range")),
    ("aspirational",), ("text",),
}


def _seen(plan: Plan) -> set[tuple[str, ...]]:
    """The shapes and conditions (with what they read) of a plan's targets."""
    seen: set[tuple[str, ...]] = set()
    for target in plan.targets:
        seen.add(_shape(plan, target))
        what = (plan.metrics[target.metric].type.value if isinstance(target, EachTarget)
                else "total" if isinstance(target, TotalTarget) else "ratio")
        seen.add((what, _condition(target)))
        if target.stretch is not None:
            seen.add((what, _condition(target), "stretch"))
        if target.aspirational:
            seen.add(("aspirational",))
        if target.text:
            seen.add(("text",))
    return seen


def _covers(strategy: Any, wanted: set[Any], seen: Callable[[Any], set[Any]]) -> set[Any]:
    """What of ``wanted`` no value of ``strategy`` showed in a search of 1,000 values."""
    found: set[Any] = set()

    def enough(value: Any) -> bool:
        found.update(seen(value))
        return wanted <= found

    with contextlib.suppress(NoSuchExample):
        find(strategy, enough, settings=_SEARCH)
    return wanted - found


def test_plans_take_every_shape_and_condition() -> None:
    """plans() can give every rule shape (each on every metric type, with and without
    directly_under and a share below 1; total; ratio) and every condition that fits
    what it reads (counts and amounts in each targets, sums in totals, ratios; flags
    and categories), with a stretch on an at_least or a range, aspirational targets
    and texts."""
    assert _covers(ds.plans(), _SHAPES | _CONDITIONS, _seen) == set()


def test_facts_take_every_form() -> None:
    """facts() gives values as Python values and as text (padded, "có"), missing values
    (None, empty text), units that did not report, and metrics the plan does not
    declare."""
    plan = plan_from_mapping({
        "id": "p",
        "metrics": {"n": {"type": "count"}, "x": {"type": "amount"}, "f": {"type": "flag"},
                    "c": {"type": "category", "values": ["tot", "kha"]}},
        "targets": [{"id": "1", "total": "n", "at_least": 1}],
    }, builtin_schema("doan"))
    org = doanorg.build_org([doanorg.UnitRow(f"u{n}", None if n == 0 else "u0",
                                             "khoi" if n == 0 else "doan_cap_huyen", "Đơn vị")
                             for n in range(6)], builtin_schema("doan"))

    def forms(facts: doanorg.Facts) -> set[str]:
        found = set()
        for record in facts.values.values():
            for metric, value in record.items():
                if metric not in plan.metrics:
                    found.add("undeclared")
                elif value is None:
                    found.add("none")
                elif isinstance(value, str):
                    found.add("text" if value.strip() else "empty")
                    found |= {"padded"} if value != value.strip() and value.strip() else set()
                    found |= {"có"} if value.casefold() == "có" else set()
                else:
                    found.add(type(value).__name__)
        return found | ({"silent"} if len(facts.reported) < len(org) else set())

    wanted = {"undeclared", "none", "text", "empty", "padded", "có", "int", "float", "bool",
              "silent"}
    assert _covers(ds.facts(org, plan), wanted, forms) == set()


@pytest.mark.parametrize(
    "make",
    [
        lambda: ds.orgs(min_units=0),
        lambda: ds.orgs(min_units=5, max_units=2),
        lambda: ds.orgs("doan"),  # type: ignore[arg-type]
        lambda: ds.orgs(max_depth=0, min_units=2),
        lambda: ds.orgs(max_children=-1),
        lambda: ds.orgs(max_units=True),
        lambda: ds.schemas(max_kinds=13),
        lambda: ds.schemas(min_kinds=3, max_kinds=2),
        lambda: ds.metrics(types=["count"]),  # type: ignore[list-item]
        lambda: ds.metrics(min_size=0),
        lambda: ds.plans(metrics={}),
        lambda: ds.plans(min_targets=0),
        lambda: ds.plan_mappings(schema=builtin_schema("doan"), max_targets=0),
        lambda: ds.cases(ds.schemas(), min_units=2),
        lambda: ds.cases(report_rate=1.5),
        lambda: ds.cases(period=""),
    ],
)
def test_bad_arguments_are_refused_when_the_strategy_is_made(make: Callable[[], Any]) -> None:
    """Every argument is checked when the strategy is made, with InvalidArgument."""
    with pytest.raises(InvalidArgument):
        make()


def test_facts_checks_its_arguments() -> None:
    """facts() refuses what is not an Org or a Plan, and a report_rate outside 0..1."""
    org = doanorg.build_org([doanorg.UnitRow("k", None, "khoi", "Khối")], builtin_schema("doan"))
    plan = doanorg.load_plan("doan-khoi-2020")
    with pytest.raises(InvalidArgument, match="report_rate"):
        ds.facts(org, plan, report_rate=-0.1)
    with pytest.raises(InvalidArgument, match="org="):
        ds.facts(plan, plan)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="plan="):
        ds.facts(org, org)  # type: ignore[arg-type]


def test_builtin_plans_metrics_can_be_reused() -> None:
    """plans(metrics=...) takes the metrics of an existing plan."""
    metrics = doanorg.load_plan("doan-khoi-2020").metrics
    plan = find(ds.plans(metrics=metrics),
                lambda plan: isinstance(plan.targets[0], RatioTarget), settings=_SEARCH)
    assert plan.metrics == metrics
