"""Benchmark: a sweep of single-fact scenarios over a large organisation (docs/how-to/sweep.md).

Run from the repository root, with doanorg installed and the ``bench`` extra::

    python benchmarks/sweep.py                         # 10^5 units, 10,000 scenarios
    python benchmarks/sweep.py --units 10000 --scenarios 1000 --workers 0 2

It writes the benchmark's Khối-shaped organisation and facts (``bench.write_files``)
in a temporary folder, loads them, and times ``doanorg.sweep(baseline, scenarios,
executor)`` at the root, where each scenario sets one unit's ``youth_projects``
(units spread evenly through the tree), with no executor (``--workers 0``) and
with a ``ProcessPoolExecutor`` of each number of workers given. It prints the wall
time of each sweep, the time per scenario and the process's peak resident memory
after it (``ru_maxrss``, this process only; the workers' are their own). Loading
is not timed. Timings depend on the machine; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench

import doanorg
from doanorg.whatif.scenario import Scenario, SetFact


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench.write_files(args.units, Path(folder), shuffle=False)
        plan = doanorg.load_plan("doan-khoi-2020")
        org = doanorg.load_org(Path(folder) / "org.csv")
        facts = doanorg.load_facts(Path(folder) / "facts.csv", org=org, plan=plan)
    baseline = Scenario.baseline(org, facts, plan)
    baseline.report()
    step = max(1, len(org) // args.scenarios)
    units = [org.ids[(index * step) % len(org)] for index in range(args.scenarios)]
    scenarios = [SetFact(unit, "youth_projects", index % 7) for index, unit in enumerate(units)]
    print(f"{len(org):,} units, {len(scenarios):,} single-fact scenarios, at the root")
    for workers in args.workers:
        start = time.perf_counter()
        if workers == 0:
            found = doanorg.sweep(baseline, scenarios)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                found = doanorg.sweep(baseline, scenarios, pool)
        seconds = time.perf_counter() - start
        flips = sum(len(comparison.flips) for comparison in found)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
        where = "in this process" if workers == 0 else f"ProcessPoolExecutor({workers})"
        print(f"{where}: {seconds:.1f} s, {seconds / len(scenarios) * 1000:.2f} ms a "
              f"scenario, {flips:,} flips, peak {peak:,.0f} MB")
        del found
    return 0


if __name__ == "__main__":
    sys.exit(main())
