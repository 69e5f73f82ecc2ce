"""Sweeps: many what-if scenarios of one baseline, compared with it, on any executor.

:func:`sweep` takes a baseline and many scenarios of it, assesses each at one
unit and returns their :class:`~doanorg.whatif.compare.Comparison` values in
the order given: the same values as the plain loop ::

    [compare(baseline, scenario, at=at) for scenario in scenarios]

A scenario is given as a :class:`~doanorg.whatif.scenario.Scenario` made
from the baseline (by :meth:`~doanorg.whatif.scenario.Scenario.apply`, in
any number of steps), as one edit, or as a sequence of edits; an edit or a
sequence of them stands for ``baseline.apply(*edits, name=...)``, named after
its edits (``"set h01.youth_projects = 3"``; several are joined by ``"; "``).

``executor`` is any :class:`concurrent.futures.Executor`: a
:class:`~concurrent.futures.ProcessPoolExecutor`, or a cluster's executor
(Dask's ``Client.get_executor()``, Ray's executor interface). The scenarios
are cut into ``chunks`` runs in order (default: the executor's number of
workers where it says, else the machine's cores), one task a run. What
crosses to a worker is the baseline, pickled once in this process and sent
as bytes with each task (a worker reads it once and keeps it for the tasks
after), and each scenario's edits, never the scenario objects; what comes
back is the scenario's side of each comparison, with every target's result
that equals the baseline's left out and put back from the baseline's report,
made once here. Without an executor the scenarios are assessed one after
another in this process, each an incremental what-if of the baseline's
roll-up where its edits are facts (:meth:`~doanorg.core.engine.Assessment.with_fact`).

Examples
--------
>>> from doanorg import Facts, load_org, load_plan
>>> from doanorg.io import example_file
>>> from doanorg.whatif.scenario import Scenario, SetFact
>>> base = Scenario.baseline(load_org(example_file("org.csv")),
...                          Facts.from_records({"h01": {"youth_projects": 2}}),
...                          load_plan("doan-khoi-2020"))
>>> found = sweep(base, [SetFact("h01", "youth_projects", n) for n in (1, 3, 4)], at="h01")
>>> [[(flip.target, flip.after) for flip in comparison.flips] for comparison in found]
[[], [('3b', 'met')], [('3b', 'met')]]
>>> found[1].scenario_name
'set h01.youth_projects = 3'
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor

import attrs

from doanorg.core.report import Report, TargetResult
from doanorg.errors import Problem, ScenarioError
from doanorg.whatif.compare import Comparison, compare_reports
from doanorg.whatif.scenario import Edit, Scenario, State

__all__ = ["ScenarioSpec", "sweep"]

ScenarioSpec = Scenario | Edit | Sequence[Edit]
"""A scenario of a sweep: a :class:`Scenario` made from the baseline, one edit, or edits."""

_Job = tuple[str, tuple[Edit, ...]]
"""A scenario as it crosses to a worker: its name and its edits from the baseline."""
_Side = tuple[Report, tuple[TargetResult | str, ...], Comparison]
"""A comparison as it comes back: the scenario's report without its results, its results
(a target's id where its result is the baseline's), and the comparison without reports."""


def sweep(baseline: Scenario, scenarios: Iterable[ScenarioSpec],
          executor: Executor | None = None, *, at: str | None = None,
          chunks: int | None = None) -> list[Comparison]:
    """Compare each of ``scenarios`` with ``baseline`` at ``at`` (default: the root), in
    order, on ``executor`` (default: here, one after another).

    Returns the same comparisons as ``[compare(baseline, s, at=at) for s in scenarios]``.

    Raises
    ------
    ScenarioError
        If a scenario is not made from ``baseline``, an edit does not fit it, or ``at``
        is not a unit of the baseline and of a scenario; the first such problem.
    """
    jobs = [_job(baseline, index, scenario) for index, scenario in enumerate(scenarios)]
    at = at if at is not None else baseline.org.root.id
    if at not in baseline.org:
        raise ScenarioError([Problem(f"unit {at!r} is not in scenario {baseline.name!r}",
                                     unit=at)])
    base_report = baseline.report(at)
    if executor is None or not jobs:
        sides = _sides(baseline, base_report, at, jobs)
    else:
        payload = pickle.dumps((baseline.state, baseline.name), protocol=pickle.HIGHEST_PROTOCOL)
        token = hashlib.blake2b(payload, digest_size=16).hexdigest()
        count = max(1, min(len(jobs), chunks or _workers(executor)))
        size = -(-len(jobs) // count)
        futures = [executor.submit(_run_chunk, payload, token, at, jobs[start:start + size])
                   for start in range(0, len(jobs), size)]
        sides = [side for future in futures for side in future.result()]
    return [_whole(base_report, side) for side in sides]


def _job(baseline: Scenario, index: int, scenario: ScenarioSpec) -> _Job:
    """A scenario as its name and its edits from ``baseline``."""
    if isinstance(scenario, Scenario):
        steps: list[tuple[Edit, ...]] = []
        step: Scenario | None = scenario
        while step is not None and step is not baseline:
            steps.append(step.edits)
            step = step.base
        if step is None:
            raise ScenarioError([Problem(
                f"sweep: scenario #{index + 1} ({scenario.name!r}) is not made from the "
                f"baseline {baseline.name!r}")])
        return scenario.name, tuple(edit for edits in reversed(steps) for edit in edits)
    edits = (scenario,) if not isinstance(scenario, Sequence) else tuple(scenario)
    return "; ".join(edit.describe() for edit in edits), edits


def _workers(executor: Executor) -> int:
    """How many workers ``executor`` has, where it says (the standard executors do)."""
    workers = getattr(executor, "_max_workers", None)
    return workers if isinstance(workers, int) and workers > 0 else os.cpu_count() or 1


def _sides(baseline: Scenario, base_report: Report, at: str, jobs: Sequence[_Job]
           ) -> list[_Side]:
    """Each job's scenario compared with the baseline at ``at``, its reports left out."""
    found = []
    base = {result.id: result for result in base_report.results}
    for name, edits in jobs:
        scenario = baseline.apply(*edits, name=name)
        if at not in scenario.org:
            raise ScenarioError([Problem(f"unit {at!r} is not in scenario {name!r}", unit=at)])
        report = scenario.report(at)
        comparison = compare_reports(baseline, scenario, base_report, report)
        same_tree = scenario.org is baseline.org  # failing units' names are the same
        results = tuple(result.id if same_tree and _same(result, base.get(result.id))
                        else result for result in report.results)
        found.append((attrs.evolve(report, results=()), results,
                      attrs.evolve(comparison, base=_EMPTY, scenario=_EMPTY)))
    return found


_EMPTY = Report(plan="", at="", results=(), not_reported=())
"""What stands for a comparison's reports on the way back (both are put back here)."""


def _same(result: TargetResult, base: TargetResult | None) -> bool:
    """Whether ``result`` is the baseline's, down to what it shows people."""
    return base is not None and result == base and (result.text, result.condition,
                                                    result.exact_observed) == (
        base.text, base.condition, base.exact_observed)


def _whole(base_report: Report, side: _Side) -> Comparison:
    """A comparison from what came back: the baseline's results put back."""
    report, results, comparison = side
    base = {result.id: result for result in base_report.results}
    scenario = attrs.evolve(report, results=tuple(
        base[result] if isinstance(result, str) else result for result in results))
    return attrs.evolve(comparison, base=base_report, scenario=scenario)


_KEPT: dict[str, Scenario] = {}
"""The baselines a worker has read, by the digest of their bytes (the last few)."""


def _run_chunk(payload: bytes, token: str, at: str, jobs: Sequence[_Job]) -> list[_Side]:
    """A worker's task: a run of scenarios of the baseline in ``payload``."""
    baseline = _KEPT.get(token)
    if baseline is None:
        state, name = pickle.loads(payload)
        assert isinstance(state, State)
        baseline = Scenario(state, name)
        while len(_KEPT) >= 2:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[token] = baseline
    return _sides(baseline, baseline.report(at), at, jobs)
