"""Benchmark: scoring every đoàn cơ sở against one assessment, in one process.

Run from the repository root, with doanorg installed (``pip install '.[bench]'``)::

    python benchmarks/score.py                    # 10^5 units
    python benchmarks/score.py --sizes 10000 100000 --repeat 5

For each size it writes the organisation and facts of ``benchmarks/bench.py``
(``write_files``: a Khối-shaped tree, a wide facts file with every metric of
the built-in plan ``doan-khoi-2020``, mostly passing), with a ``cum`` column
for the rubric's peer groups, loads them once, then
times, on fresh facts each time so that no roll-up is reused:

- ``assess``: ``doanorg.assess(org, facts, plan)`` at the root (the roll-up and
  one report);
- ``score``: ``doanorg.score(org, facts, plan)``: the same roll-up, then every
  đoàn cơ sở scored by the plan's rubric (its verdicts at every scored unit,
  grades, the cap, ranks, group ranks and self-grades), every unit's score made.

The ratio ``score / assess`` is the figure of issue 13 ("about as long as one
assessment"). Each is the median of ``--repeat`` runs. Timings depend on the
machine; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench


def with_clusters(path: Path) -> None:
    """Add the built-in rubric's peer groups to the organisation file: a ``cum`` column,
    one of five clusters for each đoàn cơ sở, in turn (not timed)."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[0].append("cum")
    grassroots = 0
    for row in rows[1:]:
        if row[2] == "doan_co_so":
            grassroots += 1
        row.append(f"cum-{grassroots % 5 + 1}" if row[2] == "doan_co_so" else "")
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)


def measure(size: int, repeat: int) -> dict[str, float]:
    """The median seconds of ``assess`` and ``score`` at ``size`` units."""
    import doanorg

    with tempfile.TemporaryDirectory() as folder:
        bench.write_files(size, Path(folder), shuffle=False)
        with_clusters(Path(folder) / "org.csv")
        org = doanorg.load_org(Path(folder) / "org.csv")
        plan = doanorg.load_plan(bench.PLAN)
        times: dict[str, list[float]] = {"assess": [], "score": []}
        for _ in range(repeat):
            for name, call in (("assess", doanorg.assess), ("score", doanorg.score)):
                facts = doanorg.load_facts(Path(folder) / "facts.csv", org=org, plan=plan)
                start = time.perf_counter()
                call(org, facts, plan)
                times[name].append(time.perf_counter() - start)
        scored = len(doanorg.score(org, facts, plan).units)
    result = {name: statistics.median(values) for name, values in times.items()}
    result["scored"] = scored
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| units | đoàn cơ sở scored | assess (s) | score (s) | score / assess |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        found = measure(size, args.repeat)
        print(f"| {size:,} | {int(found['scored']):,} | {found['assess']:.3f} | "
              f"{found['score']:.3f} | {found['score'] / found['assess']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
