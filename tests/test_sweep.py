"""Sweeps: many scenarios compared with one baseline, equal to a plain loop, on any executor."""

from __future__ import annotations

import importlib.util
import pickle
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pytest

import doanorg
from doanorg import Facts, load_facts, load_org, load_plan
from doanorg.errors import ScenarioError
from doanorg.io import example_file
from doanorg.whatif.compare import Comparison, compare
from doanorg.whatif.scenario import (
    ChangeTarget,
    Edit,
    MoveUnit,
    RemoveUnit,
    Scenario,
    SetFact,
)
from doanorg.whatif.sweep import ScenarioSpec, sweep


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    org = load_org(example_file("org.csv"))
    plan = load_plan("doan-khoi-2020")
    return Scenario.baseline(org, load_facts(example_file("facts.csv"), org=org, plan=plan),
                             plan)


def _specs(baseline: Scenario) -> list[ScenarioSpec]:
    """Single facts, several edits, a target changed, a unit moved, a two-step scenario."""
    units = [unit.id for unit in baseline.org][1:40:3]
    specs: list[ScenarioSpec] = [SetFact(unit, "youth_projects", 3) for unit in units]
    specs += [(SetFact("h01", "trees_planted", 30000), SetFact("h02", "playgrounds", 2)),
              ChangeTarget("3b", {"at_least": 1}),
              [MoveUnit("h01-cs01", "h02")],
              baseline.set_fact("h01", "youth_projects", 9).apply(
                  SetFact("h03", "youth_projects", 0), name="two steps")]
    return specs


def _loop(baseline: Scenario, specs: list[ScenarioSpec], at: str | None = None
          ) -> list[Comparison]:
    made = []
    for spec in specs:
        if isinstance(spec, Scenario):
            made.append(compare(baseline, spec, at=at))
            continue
        edits: tuple[Edit, ...] = tuple(spec) if isinstance(spec, Sequence) else (spec,)
        name = "; ".join(edit.describe() for edit in edits)
        made.append(compare(baseline, baseline.apply(*edits, name=name), at=at))
    return made


def _same(found: list[Comparison], expected: list[Comparison]) -> None:
    assert found == expected
    # what people read is the same too: names of failing units, texts, figures
    assert [c.to_text() + c.scenario.to_text() for c in found] == [
        c.to_text() + c.scenario.to_text() for c in expected]
    assert [c.scenario_name for c in found] == [c.scenario_name for c in expected]


def test_a_sweep_equals_a_plain_loop(baseline: Scenario) -> None:
    specs = _specs(baseline)
    _same(doanorg.sweep(baseline, specs), _loop(baseline, specs))
    _same(sweep(baseline, specs, at="h01"), _loop(baseline, specs, at="h01"))
    assert sweep(baseline, []) == []


def test_a_sweep_on_a_process_pool_equals_a_plain_loop(baseline: Scenario) -> None:
    specs = _specs(baseline)
    expected = _loop(baseline, specs)
    with ProcessPoolExecutor(max_workers=2) as pool:
        _same(sweep(baseline, specs, pool), expected)
        _same(sweep(baseline, specs, pool, chunks=5), expected)  # a worker reads it once
        _same(sweep(baseline, specs[:1], pool, chunks=9), expected[:1])


def test_a_sweep_on_threads_equals_a_plain_loop(baseline: Scenario) -> None:
    specs = _specs(baseline)
    with ThreadPoolExecutor(max_workers=3) as pool:
        _same(sweep(baseline, specs, pool, at="h02"), _loop(baseline, specs, at="h02"))


def test_what_crosses_to_a_worker_pickles(baseline: Scenario) -> None:
    """A failing list's names read from the tree are kept when it is pickled."""
    report = baseline.report()
    again = pickle.loads(pickle.dumps(report))
    assert again == report and again.to_text() == report.to_text()


def test_a_scenario_not_made_from_the_baseline_is_refused(baseline: Scenario) -> None:
    other = Scenario.baseline(baseline.org, Facts.from_records({}), baseline.plan)
    with pytest.raises(ScenarioError, match=r"scenario #2 .* is not made from the baseline"):
        sweep(baseline, [SetFact("h01", "youth_projects", 1), other.set_fact(
            "h01", "youth_projects", 1)])


def test_a_bad_edit_raises_as_the_loop_would(baseline: Scenario) -> None:
    with pytest.raises(ScenarioError, match="is not in the organisation"):
        sweep(baseline, [SetFact("nowhere", "youth_projects", 1)])
    with pytest.raises(ScenarioError, match="'h01-cs01' is not in scenario"):
        sweep(baseline, [RemoveUnit("h01-cs01")], at="h01-cs01")


_DASK = importlib.util.find_spec("distributed") is not None


@pytest.mark.skipif(not _DASK, reason="dask[distributed] is not installed "
                    "(pip install -e '.[dask]' runs this test)")
def test_a_sweep_on_a_dask_cluster_equals_a_plain_loop(baseline: Scenario) -> None:
    from distributed import Client, LocalCluster

    specs = _specs(baseline)
    cluster_of: Any = LocalCluster  # distributed's constructors carry no annotations
    client_of: Any = Client
    with cluster_of(n_workers=2, threads_per_worker=1, processes=True,
                    dashboard_address=None) as cluster, client_of(cluster) as client:
        executor: Executor = client.get_executor()
        _same(sweep(baseline, specs, executor, chunks=2), _loop(baseline, specs))
