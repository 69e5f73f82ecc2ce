"""Benchmark: doanorg on Khối-shaped trees of 10^4, 10^5 and 10^6 units.

Run from the repository root, with doanorg installed with its ``fast`` extra
(pyarrow's CSV reader; numpy and networkx, the two baselines' tools, are
doanorg's own dependencies)::

    pip install -e '.[fast]'
    python benchmarks/bench.py              # 10^4, 10^5, 10^6
    python benchmarks/bench.py --sizes 10000 100000

Without pyarrow the reference reader loads the files, about four times slower;
the table's first line says which reader ran.

For each size it writes an org CSV and a wide facts CSV with every metric of
the built-in 2020 plan into a temporary folder, then measures, in a fresh
process per size (so that peak memory belongs to that size alone, and the
files are loaded as a program that starts by loading them does):

- ``load``: :func:`doanorg.load_org` and :func:`doanorg.load_facts` from CSV,
  which parse AND validate (the tree, every value against its metric), each
  time in a fresh process (the median of three);
- ``of which checks``: the checks alone, on the tree and facts in memory
  (:func:`doanorg.build_org_columns` on :meth:`doanorg.Org.columns`, and
  :meth:`doanorg.Facts.problems`);
- ``assess root: verdicts``: the full plan rolled up over the whole tree and
  every target's status, observed and required figures taken at the root
  (:meth:`doanorg.Assessment.statuses`);
- ``full report``: the same, and the report object with every failing unit
  listed (its cost grows with the number of failing units, shown);
- ``assess 100 units``: reports at 100 random units of the same roll-up;
- ``what-if``: one fact of a deepest unit changed
  (:meth:`doanorg.Assessment.with_fact`) and every target's status
  re-assessed at the root (median of 200);
- ``peak memory per unit``: the process's peak resident memory, less what
  it held after imports (doanorg, numpy, pyarrow), over the number of units;

and, in the same process, two baselines computing every unit's subtree
totals of the same metrics: a plain numpy bottom-up sum (the floor: nothing
can do less work) and a pure-Python post-order over a networkx DiGraph (the
naive baseline). It prints a table with the ratios against both. Timings
are medians of repeated runs; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

KINDS_UNDER_KHOI = (["doan_cap_huyen"] * 30) + (["doan_co_so"] * 20) + (["chi_doan_co_so"] * 9)


def make_tree(units: int, seed: int = 2020) -> list[tuple[str, str, str, str, int]]:
    """Rows (id, parent, kind, name, members) of a Khối-shaped tree of about ``units`` units,
    parents before children, depth-first as a person lists them."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str, str, int]] = [("k", "", "khoi", "Đoàn Khối", 0)]
    chapters_per_cs = 12
    # grassroots unions needed so that chapters (+ their unions) reach the size

    def grassroots_union(parent: str, uid: str) -> None:
        # its own members: a real đoàn cơ sở has the Charter's 30 or more
        rows.append((uid, parent, "doan_co_so", f"Đoàn cơ sở {uid}", rng.randint(30, 400)))
        with_lcd = rng.random() < 0.3
        holder = uid
        for c in range(chapters_per_cs + rng.randint(-3, 3)):
            if with_lcd and c % 6 == 0:
                holder = f"{uid}-l{c // 6}"
                rows.append((holder, uid, "lien_chi_doan", f"Liên chi đoàn {holder}", 0))
            cid = f"{uid}-c{c}"
            rows.append((cid, holder, "chi_doan", f"Chi đoàn {cid}", rng.randint(5, 60)))

    for index, kind in enumerate(KINDS_UNDER_KHOI):
        uid = f"u{index}"
        if kind == "doan_cap_huyen":
            rows.append((uid, "k", kind, f"Đoàn Thanh niên {uid}", 0))
        elif kind == "doan_co_so":
            grassroots_union("k", uid)
        else:
            rows.append((uid, "k", kind, f"Chi đoàn cơ sở {uid}", rng.randint(5, 40)))
    # then grassroots unions under the district-level ones, in turn, up to the size;
    # rows are sorted back into depth-first order below
    g = 0
    while len(rows) < units:
        district = f"u{g % 30}"
        if g % 5 == 4:
            rows.append((f"{district}-s{g}", district, "chi_doan_co_so", f"Chi đoàn cơ sở {g}",
                         rng.randint(5, 40)))
        else:
            grassroots_union(district, f"{district}-g{g}")
        g += 1
    return _depth_first(rows[:units])


def _depth_first(rows: list[tuple[str, str, str, str, int]]
                 ) -> list[tuple[str, str, str, str, int]]:
    """The rows in depth-first order, children in the order they were made."""
    children: dict[str, list[tuple[str, str, str, str, int]]] = {}
    for row in rows[1:]:
        children.setdefault(row[1], []).append(row)
    ordered, stack = [], [rows[0]]
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(reversed(children.get(row[0], [])))
    return ordered


def write_files(units: int, folder: Path) -> tuple[Path, Path]:
    """The org and facts CSVs of a tree of about ``units`` units."""
    from doanorg import load_plan

    plan = load_plan("doan-khoi-2020")
    rows = make_tree(units)
    kept = {row[0] for row in rows}
    rng = random.Random(7)
    org_path, facts_path = folder / "org.csv", folder / "facts.csv"
    with org_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "parent", "kind", "name", "members"])
        writer.writerows(row for row in rows if not row[1] or row[1] in kept)
    metrics = list(plan.metrics.values())
    with facts_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["unit", *(m.id for m in metrics)])
        for row in rows:
            cells: list[str] = []
            for metric in metrics:  # mostly passing, as a real year's figures are
                if metric.type.value == "count":
                    cells.append(str(rng.choice((1, 2, 2, 3, 3, 3, 4, 0))))
                elif metric.type.value == "amount":
                    cells.append(f"{rng.random() * 10:.2f}")
                elif metric.type.value == "flag":
                    cells.append("có" if rng.random() < 0.98 else "không")
                else:
                    cells.append(metric.values[0] if rng.random() < 0.7 else metric.values[1])
            writer.writerow([row[0], *cells])
    return org_path, facts_path


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def numpy_floor(parents: Any, values: Any) -> Any:
    """Every unit's subtree totals of every metric: plain numpy, one level at a time."""
    import numpy as np

    n = len(parents)
    depth = np.zeros(n, dtype=np.int64)
    for i in range(1, n):  # parents come before children
        depth[i] = depth[parents[i]] + 1
    totals = values.copy()
    order = np.argsort(depth, kind="stable")
    levels = np.split(order, np.cumsum(np.bincount(depth))[:-1])
    for level in reversed(levels[1:]):
        np.add.at(totals, parents[level], totals[level])
    return totals


def networkx_baseline(graph: Any, metrics: list[str]) -> dict[str, dict[str, float]]:
    """Every unit's subtree totals of every metric: a post-order walk in pure Python."""
    import networkx as nx

    totals: dict[str, dict[str, float]] = {}
    for node in nx.dfs_postorder_nodes(graph, "k"):
        own = graph.nodes[node]
        row = {metric: own.get(metric, 0) for metric in metrics}
        for child in graph.successors(node):
            for metric in metrics:
                row[metric] += totals[child][metric]
        totals[node] = row
    return totals


def reader() -> str:
    """Which CSV reader doanorg uses here."""
    try:
        import pyarrow
    except ImportError:
        return "reference (pyarrow not installed)"
    return f"pyarrow {pyarrow.__version__}"


def load(folder: Path) -> tuple[Any, Any, Any, float, float]:
    """The plan, and the org and facts in ``folder`` with the seconds each took to load."""
    import doanorg

    plan = doanorg.load_plan("doan-khoi-2020")
    start = time.perf_counter()
    org = doanorg.load_org(folder / "org.csv")
    org_time = time.perf_counter() - start
    start = time.perf_counter()
    facts = doanorg.load_facts(folder / "facts.csv", org=org, plan=plan)
    return plan, org, facts, org_time, time.perf_counter() - start


def measure(folder: Path) -> dict[str, Any]:
    """The files in ``folder``, in this process: every figure of the table."""
    import numpy as np

    import doanorg

    reader()  # the libraries are loaded before the baseline of memory is taken
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    plan, org, facts, org_time, facts_time = load(folder)
    # the checks alone, on the tree and facts in memory: what loading does besides parsing
    # (the index of ids, which loading does not make, is made first, outside the timing)
    columns = org.columns()
    assert org.positions
    start = time.perf_counter()
    doanorg.build_org_columns(columns, org.schema)
    assert not facts.problems(org.positions, plan.metrics)
    checks = time.perf_counter() - start
    del columns
    n = len(org)
    repeat = 5 if n <= 100_000 else 3
    verdict = median_time(lambda: doanorg.rollup(org, facts, plan).statuses(), repeat)
    assess_root = median_time(lambda: doanorg.rollup(org, facts, plan).report(), repeat)
    assessment = doanorg.rollup(org, facts, plan)
    failing = sum(len(result.failing) for result in assessment.report().results)
    rng = random.Random(1)
    sample = [org.units[rng.randrange(n)].id for _ in range(100)]
    assess_100 = median_time(lambda: [assessment.report(at) for at in sample], repeat)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    leaf = org.units[-1].id
    whatif_times = []
    for value in range(200):
        start = time.perf_counter()
        assessment.with_fact(leaf, "youth_projects", value % 7).statuses()
        whatif_times.append(time.perf_counter() - start)
    whatif = statistics.median(whatif_times)

    numeric = [m.id for m in plan.metrics.values() if m.type.numeric]
    parents = np.array(org.parents, dtype=np.int64)
    values = np.zeros((n, len(numeric)), dtype=np.float64)
    for column, metric in enumerate(numeric):
        values[:, column] = assessment.columns[metric].summable()
    floor = median_time(lambda: numpy_floor(parents, values), repeat)

    graph = org.to_networkx()
    for column, metric in enumerate(numeric):
        for unit, value in zip(org.units, values[:, column], strict=True):
            graph.nodes[unit.id][metric] = value
    naive = median_time(lambda: networkx_baseline(graph, numeric), 1 if n > 100_000 else 3)
    return {
        "units": n,
        "load_org_s": org_time,
        "load_facts_s": facts_time,
        "checks_s": checks,
        "verdict_root_s": verdict,
        "assess_root_s": assess_root,
        "failing_listed": failing,
        "assess_100_units_s": assess_100,
        "whatif_s": whatif,
        "bytes_per_unit": (rss_peak - rss_start) * 1024 / n,
        "numpy_floor_s": floor,
        "networkx_s": naive,
    }


def table(results: list[dict[str, Any]]) -> str:
    header = ("| units | load org + facts (s) | of which checks (s) | assess root: verdicts (s) | "
              "× numpy floor | networkx ÷ doanorg | full report (s) [failing units listed] | "
              "100 units (s) | what-if (µs) | peak B/unit |")
    lines = [header, "|" + "---|" * 10]
    for r in results:
        lines.append(
            f"| {r['units']:,} | {r['load_org_s'] + r['load_facts_s']:.2f} "
            f"({r['load_org_s']:.2f} + {r['load_facts_s']:.2f}) | {r['checks_s']:.2f} | "
            f"{r['verdict_root_s']:.3f} | "
            f"{r['verdict_root_s'] / r['numpy_floor_s']:.1f} | "
            f"{r['networkx_s'] / r['verdict_root_s']:.0f} | "
            f"{r['assess_root_s']:.3f} [{r['failing_listed']:,}] | "
            f"{r['assess_100_units_s']:.4f} | "
            f"{r['whatif_s'] * 1e6:,.0f} | {r['bytes_per_unit']:,.0f} |"
        )
    return "\n".join(lines)


def machine() -> str:
    """The machine and the versions the figures belong to."""
    import platform

    import numpy

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"numpy {numpy.__version__}, CSV reader: {reader()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one or args.load:
        print(json.dumps(measure(args.one) if args.one else load(args.load)[3:]))
        return
    results = []
    for size in args.sizes:  # files written here, measured in fresh processes

        def run(*command: str) -> Any:
            done = subprocess.run([sys.executable, __file__, *command],
                                  check=True, capture_output=True, text=True)
            return json.loads(done.stdout.strip().splitlines()[-1])

        with tempfile.TemporaryDirectory() as folder:
            write_files(size, Path(folder))
            result = run("--one", folder)
            # loading, as a program starting does, twice more: the median of three
            loads = [(result["load_org_s"], result["load_facts_s"]),
                     *(tuple(run("--load", folder)) for _ in range(2))]
        org_time, facts_time = sorted(loads, key=sum)[1]
        results.append({**result, "load_org_s": org_time, "load_facts_s": facts_time})
        print(f"measured {results[-1]['units']:,} units", file=sys.stderr)
    print(machine())
    print(table(results))


if __name__ == "__main__":
    main()
