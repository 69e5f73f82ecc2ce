"""doanorg's Hypothesis plugin: st.from_type for its value types, through the entry point."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanorg import (
    Assessment,
    Condition,
    EachTarget,
    Facts,
    Metric,
    Org,
    Plan,
    RatioTarget,
    Report,
    Schema,
    TargetResult,
    TotalTarget,
    Unit,
    UnitRow,
    build_org,
)
from doanorg.core.rules import plan_from_mapping
from doanorg.testing._hypothesis_plugin import _hypothesis_setup_hook
from doanorg.whatif.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
HOOK = "doanorg.testing._hypothesis_plugin:_hypothesis_setup_hook"


@pytest.fixture(scope="module", autouse=True)
def _registered() -> None:
    """What Hypothesis does on import once doanorg is installed: run the hook."""
    _hypothesis_setup_hook()


_TYPES: list[type[Any]] = [Schema, Org, Unit, UnitRow, Metric, Plan, Condition, EachTarget,
                           TotalTarget, RatioTarget, Facts, Assessment, Report,
                           TargetResult, Scenario]


@pytest.mark.parametrize("kind", _TYPES, ids=lambda kind: kind.__name__)
@settings(max_examples=10)
@given(data=st.data())
def test_from_type_draws_a_valid_value_of_each_type(kind: type[Any],
                                                    data: st.DataObject) -> None:
    """st.from_type(T) draws a T for every public value type, and a valid one: a tree
    rebuilds from its rows, a plan from its mapping, a report from its dict."""
    value = data.draw(st.from_type(kind))
    assert isinstance(value, kind)
    if isinstance(value, Org):
        assert build_org(value.rows(), value.schema).rows() == value.rows()
    elif isinstance(value, Plan):
        assert plan_from_mapping(value.to_mapping(), value.schema) == value
    elif isinstance(value, Report):
        assert Report.from_dict(value.to_dict()) == value
    elif isinstance(value, EachTarget | TotalTarget | RatioTarget):
        assert isinstance(value.condition, Condition)
    elif isinstance(value, Scenario):
        assert value.report().plan == value.plan.id


def _totals(org: Org, plan: Plan) -> tuple[int, int]:
    return len(org), len(plan.targets)


@settings(max_examples=10)
@given(st.builds(_totals))
def test_builds_infers_doanorgs_types(drawn: tuple[int, int]) -> None:
    """st.builds() fills a function's Org and Plan arguments from their annotations."""
    units, targets = drawn
    assert units >= 1 and targets >= 1


def _declared(group: str) -> dict[str, str]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        entry_points: dict[str, dict[str, str]] = tomllib.load(file)["project"].get(
            "entry-points", {})
    return entry_points.get(group, {})


def test_pyproject_declares_the_hypothesis_entry_point() -> None:
    """pyproject.toml registers the hook with Hypothesis, and the name resolves to it."""
    assert list(_declared("hypothesis").values()) == [HOOK]
    module, _, name = HOOK.partition(":")
    assert getattr(__import__(module, fromlist=[name]), name) is _hypothesis_setup_hook


def test_the_hook_imports_no_strategy_until_one_is_asked_for() -> None:
    """Running the hook registers the types without importing doanorg.testing.strategies (which
    is made only when a test first asks for a type)."""
    code = ("import sys\n"
            "from doanorg.testing._hypothesis_plugin import _hypothesis_setup_hook\n"
            "_hypothesis_setup_hook()\n"
            "sys.exit('doanorg.testing.strategies' in sys.modules)\n")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_an_installed_doanorg_registers_its_types_when_hypothesis_is_imported(
    tmp_path: Path
) -> None:
    """Installed with its entry point, doanorg's types work with st.from_type in a fresh
    interpreter that never calls the hook itself, as a user's test would."""
    installed = [entry.value for entry in importlib.metadata.entry_points(group="hypothesis")]
    if HOOK not in installed:
        pytest.skip("this doanorg is installed without its hypothesis entry point; "
                    "reinstall it (pip install -e .) to run this test")
    code = ("from hypothesis import Phase, find, settings, strategies as st\n"
            "from doanorg import Org, Plan\n"
            "once = settings(database=None, phases=[Phase.generate])\n"
            "org = find(st.from_type(Org), lambda org: len(org) >= 3, settings=once)\n"
            "plan = find(st.from_type(Plan), lambda plan: len(plan.targets) >= 2,\n"
            "            settings=once)\n"
            "print(len(org) >= 3, len(plan.targets) >= 2)\n")
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                          text=True, cwd=tmp_path)
    assert (done.returncode, done.stdout.split()) == (0, ["True", "True"]), done.stderr
