"""Benchmark: every unit's verdict, for ``--format tree`` and the HTML report's tree.

Run from the repository root, with doanorg installed (``pip install '.[bench]'``)::

    python benchmarks/tree.py                        # 10^5 and 10^6 units
    python benchmarks/tree.py --sizes 100000 --repeat 5

For each size it writes the organisation and facts of ``benchmarks/bench.py``
(``write_files``: a Khối-shaped tree, a wide facts file with every metric of
the built-in plan ``doan-khoi-2020``, mostly passing), loads them once with the
plan, then times, in one process, on fresh facts each time so that no roll-up
is reused (loading is not timed):

- ``unit_statuses``: ``assess(...)`` at the root, then ``unit_statuses()``:
  the plan's verdict at every unit of the tree;
- ``tree``: ``assess(...)``, then ``to_tree()``: the whole ``--format tree`` text;
- ``html``: ``assess(...)``, then ``to_html()``: the whole ``--format html`` page;
- ``assess``: ``assess(...)`` alone, for reference.

Each is the median of ``--repeat`` runs. Timings depend on the machine and on what
else it is doing; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench


def measure(size: int, repeat: int) -> dict[str, float]:
    """The median seconds of each figure at ``size`` units."""
    import doanorg

    calls: dict[str, Callable[[Any], object]] = {
        "assess": lambda report: None,
        "unit_statuses": lambda report: report.unit_statuses(),
        "tree": lambda report: report.to_tree(),
        "html": lambda report: report.to_html(),
    }
    times: dict[str, list[float]] = {name: [] for name in calls}
    with tempfile.TemporaryDirectory() as folder:
        bench.write_files(size, Path(folder), shuffle=False)
        org = doanorg.load_org(Path(folder) / "org.csv")
        plan = doanorg.load_plan(bench.PLAN)
        for _ in range(repeat):
            for name, call in calls.items():
                facts = doanorg.load_facts(Path(folder) / "facts.csv", org=org, plan=plan)
                start = time.perf_counter()
                call(doanorg.assess(org, facts, plan))
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| units | assess (s) | unit_statuses (s) | tree (s) | html (s) |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        found = measure(size, args.repeat)
        print(f"| {size:,} | {found['assess']:.3f} | {found['unit_statuses']:.3f} | "
              f"{found['tree']:.3f} | {found['html']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
