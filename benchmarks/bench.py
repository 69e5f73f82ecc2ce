"""Benchmark: what doanorg's users call, whole process, beside a polars peer and a floor.

Run from the repository root, with doanorg installed as the README says and
the ``bench`` extra (polars, the peer's tool; doanorg itself does not use it)::

    pip install '.[bench]'
    python benchmarks/bench.py                        # 10^4, 10^5 and 10^6 units
    python benchmarks/bench.py --sizes 10000 100000 --repeat 5 --json results.json
    python benchmarks/bench.py --shuffle              # org rows not in tree order
    python benchmarks/bench.py --sizes 1000000 --repeat 1 --reports 10   # a slow build

For each size it writes, in a temporary folder, a Khối-shaped organisation
(``make_tree``: 30 district-level unions, 20 đoàn cơ sở and 9 chi đoàn cơ sở
under the Khối, then grassroots unions with their liên chi đoàn and chapters
down to the size asked for; rows depth first, or shuffled with
``--shuffle`` so that children may come before their parents) and a WIDE
facts file with every metric of the built-in plan ``doan-khoi-2020``,
mostly passing, as a real year's figures are, with a share of failing units
and 0.5 % of units that did not report (no row); its rows follow the
organisation file's. Writing them is not timed.

Every figure but the in-process ones is a fresh process, timed from its
start to its exit (interpreter start and imports included), with its peak
resident memory from ``os.wait4`` (``ru_maxrss``). Nothing is subtracted.
(On Linux a child's ``ru_maxrss`` starts from its parent's high-water mark,
so the files are written, and large results compared, in helper processes,
and this one stays small; a figure that could be its mark is flagged
INVALID.) Each is run ``--repeat`` times (default 3), interleaved, and the
median is shown:

- ``spec``: ``benchmarks/spec_calls.py``, the SPEC §7 calls a user writes:
  ``load_org``, ``load_facts(..., org=org, period=None)`` (no plan at
  load), ``load_plan``, ``assess(...)`` at the root and ``.to_dict()`` with
  every failing unit listed, then the dict read (failing units counted);
- ``cli json``: ``doanorg check --org --facts --plan doan-khoi-2020 --format
  json`` with its output sent to a file (the installed console script);
- ``cli text``: the same with ``--format text``;
- ``peer``: ``benchmarks/peer_polars.py``, the same job as ``spec`` written
  as a plain polars script: both files read, the tree and facts validated,
  the plan assessed at the root with every failing unit listed, a dict shaped
  like SPEC §5;
- ``floor``: ``benchmarks/floor.py``, both files read with pyarrow's CSV
  reader and one numpy pass of subtree sums: the least work that reads the
  files and rolls up.

The in-process figures come from one more fresh process per repeat, which
loads the files once with the SPEC §7 calls and then times, in this order:

- ``load``: ``load_org`` + ``load_facts`` (no plan), for reference;
- ``root report``: the first ``assess(...).to_dict()`` at the root;
- ``second assess``: ``assess(...)`` again on the same inputs (shown against
  the first ``assess``);
- ``100 reports``: ``assess(..., at=u).to_dict()`` at 100 random units, all
  together (shown against the root report, whose one-off costs they do not
  pay again). ``--reports N`` takes the first N of the same units instead, for
  a build where 100 would take too long; the target is judged at 100 only;
- ``what-if``: ``with_fact(deepest unit, "youth_projects", v).statuses()`` on
  one ``rollup(...)`` (not timed), the median over ``v`` = 0 … 199.

In the same run, doanorg is checked against the peer: every target's status,
number of failing units, selected and passing units, observed figure and
stretch verdict, and the number of units not reported, must be the same in
``spec`` and ``peer``; the root totals of ``floor`` must be doanorg's; and
the JSON that ``cli json`` wrote must equal the whole report the peer makes
(``--out``, run once more outside the timings). A difference prints a
MISMATCH line and the run exits with status 1.

It prints the machine line, then a Markdown table per size: each figure's
time, peak memory (MB, and bytes per unit: peak bytes over units), its ratio
to the peer and to the floor, and beside it the targets of issue 10 with met
or NOT MET. At 10^6 units: ``spec`` ≤ 1.5 s and at least 1.5× faster than the
peer, ``cli json`` ≤ 3 s, ``cli text`` ≤ 2 s, each ≤ 1 KB (1024 B) per unit at
its peak, ``100 reports`` ≤ 2× the root report, ``what-if`` ≤ 20 µs. At 10^5
units the same, with every time ≤ 0.3 s in place of the seconds above and
no memory target. No target at other sizes. ``--json FILE`` writes the raw
results. Timings depend on the machine and on what else it is doing; nothing
here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

PLAN = "doan-khoi-2020"
HERE = Path(__file__).resolve().parent
KINDS_UNDER_KHOI = (["doan_cap_huyen"] * 30) + (["doan_co_so"] * 20) + (["chi_doan_co_so"] * 9)
WHOLE = ("spec", "cli json", "cli text", "peer", "floor")
"""The figures that are each a whole process."""

Row = tuple[str, str, str, str, int]


# --- the files --------------------------------------------------------------------


def make_tree(units: int, seed: int = 2020) -> list[Row]:
    """Rows (id, parent, kind, name, members) of a Khối-shaped tree of about ``units`` units,
    parents before children, depth-first as a person lists them."""
    rng = random.Random(seed)
    rows: list[Row] = [("k", "", "khoi", "Đoàn Khối", 0)]
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


def _depth_first(rows: list[Row]) -> list[Row]:
    """The rows in depth-first order, children in the order they were made."""
    children: dict[str, list[Row]] = {}
    for row in rows[1:]:
        children.setdefault(row[1], []).append(row)
    ordered, stack = [], [rows[0]]
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(reversed(children.get(row[0], [])))
    return ordered


def write_files(units: int, folder: Path, *, shuffle: bool) -> None:
    """``org.csv``, a wide ``facts.csv`` and ``units.json`` (the units the in-process
    figures use) for a tree of ``units`` units."""
    from doanorg import TotalTarget, load_plan

    plan = load_plan(PLAN)
    metrics = list(plan.metrics.values())
    rows = make_tree(units)
    depth = {"k": 0}
    for row in rows[1:]:  # depth first: parents come first
        depth[row[0]] = depth[row[1]] + 1
    deepest = max(depth.values())
    picker = random.Random(1)
    chosen = {
        "units": len(rows),
        "sample": picker.sample([row[0] for row in rows], min(100, len(rows))),
        "deepest": next(row[0] for row in reversed(rows) if depth[row[0]] == deepest),
        # the total targets and their metrics, whose root totals the floor adds up too
        "totals": {target.id: target.metric for target in plan.targets
                   if isinstance(target, TotalTarget)},
    }
    (folder / "units.json").write_text(json.dumps(chosen), encoding="utf-8")
    if shuffle:  # as an export may list them: children before parents too
        rows = rows[:]
        random.Random(11).shuffle(rows)
    with (folder / "org.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "parent", "kind", "name", "members"])
        writer.writerows(rows)
    rng = random.Random(7)
    with (folder / "facts.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["unit", *(m.id for m in metrics)])
        for row in rows:  # in the organisation file's order
            if row[1] and rng.random() < 0.005:
                continue  # did not report
            cells: list[str] = []
            for metric in metrics:  # mostly passing, as a real year's figures are
                if metric.type.value == "count":
                    cells.append(str(rng.choice((1, 2, 2, 3, 3, 3, 4, 0))))
                elif metric.type.value == "amount":
                    cells.append(f"{rng.random() * 10:.2f}")
                elif metric.type.value == "flag":
                    cells.append("có" if rng.random() < 0.98 else "không")
                else:  # the best rating mostly, the worst now and then
                    draw = rng.random()
                    cells.append(metric.values[0] if draw < 0.7 else metric.values[1]
                                 if draw < 0.97 else metric.values[-2] if draw < 0.99
                                 else metric.values[-1])
            writer.writerow([row[0], *cells])


# --- the in-process figures (run in a fresh process of their own) -----------------------


def session(folder: Path, reports: int) -> dict[str, Any]:
    """Load once with the SPEC §7 calls, then time the in-process figures."""
    import doanorg

    chosen = json.loads((folder / "units.json").read_text(encoding="utf-8"))
    clock = time.perf_counter
    start = clock()
    org = doanorg.load_org(folder / "org.csv")
    facts = doanorg.load_facts(folder / "facts.csv", org=org, period=None)
    plan = doanorg.load_plan(PLAN)
    loaded = clock()

    def failing(data: dict[str, Any]) -> int:
        return sum(len(target["failing"]) for target in data["targets"])

    report = doanorg.assess(org, facts, plan)
    assessed = clock()
    listed = failing(report.to_dict())
    reported = clock()
    again = doanorg.assess(org, facts, plan)
    second = clock()
    failing(again.to_dict())
    start_100 = clock()
    for unit in chosen["sample"][:reports]:
        failing(doanorg.assess(org, facts, plan, at=unit).to_dict())
    reports_100 = clock() - start_100

    assessment = doanorg.rollup(org, facts, plan)
    assessment.statuses()
    times = []
    for value in range(200):
        begin = clock()
        assessment.with_fact(chosen["deepest"], "youth_projects", value).statuses()
        times.append(clock() - begin)
    return {
        "load_s": loaded - start,
        "first_assess_s": assessed - loaded,
        "root_report_s": reported - loaded,
        "second_assess_s": second - reported,
        "reports_100_s": reports_100,
        "whatif_s": statistics.median(times),
        "failing_listed": listed,
    }


# --- comparing doanorg and the peer ---------------------------------------------------


def differences(left: Any, right: Any, where: str = "") -> list[str]:
    """Where two JSON values differ (numbers within 1e-9, a flag never equal to a number)."""
    if isinstance(left, dict) and isinstance(right, dict):
        found = [f"{where}: keys {sorted(set(left) ^ set(right))}"] if set(left) != set(
            right) else []
        for key in left.keys() & right.keys():
            found += differences(left[key], right[key], f"{where}.{key}")
        return found
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return [f"{where}: {len(left)} items against {len(right)}"]
        return [found for index, (a, b) in enumerate(zip(left, right, strict=True))
                for found in differences(a, b, f"{where}[{index}]")]
    numbers = (int, float)
    if (isinstance(left, numbers) and isinstance(right, numbers)
            and not isinstance(left, bool) and not isinstance(right, bool)):
        return [] if math.isclose(left, right, rel_tol=1e-9) else [f"{where}: {left} ≠ {right}"]
    if type(left) is not type(right) or left != right:
        return [f"{where}: {left!r} ≠ {right!r}"]
    return []


def compare_files(left: Path, right: Path) -> int:
    """Compare two JSON reports (in a process of its own: they may be large)."""
    found = differences(json.loads(left.read_text(encoding="utf-8")),
                        json.loads(right.read_text(encoding="utf-8")))
    for line in found[:20]:
        print(line)
    if len(found) > 20:
        print(f"... and {len(found) - 20} more")
    return 1 if found else 0


# --- running and measuring processes ------------------------------------------------------


def run(command: list[str], out: Path, *, ok: tuple[int, ...] = (0,)) -> dict[str, Any]:
    """Run ``command`` as a fresh process with its output sent to ``out``: wall seconds from
    start to exit and peak resident memory (KiB) from ``os.wait4``."""
    errors = out.with_suffix(".err")
    with out.open("wb") as stdout, errors.open("wb") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.exit(f"{' '.join(command[1:])} exited with {code}:\n"
                 f"{errors.read_text(encoding='utf-8', errors='replace')[-3000:]}")
    return {"seconds": seconds, "peak_kib": usage.ru_maxrss, "exit": code}


def last_line(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8").strip().splitlines()[-1])


def commands(folder: Path) -> dict[str, list[str]]:
    """The command line of each whole-process figure."""
    org, facts = str(folder / "org.csv"), str(folder / "facts.csv")
    cli = [str(Path(sys.executable).parent / "doanorg"), "check", "--org", org,
           "--facts", facts, "--plan", PLAN, "--format"]
    return {
        "spec": [sys.executable, str(HERE / "spec_calls.py"), org, facts],
        "cli json": [*cli, "json"],
        "cli text": [*cli, "text"],
        "peer": [sys.executable, str(HERE / "peer_polars.py"), org, facts],
        "floor": [sys.executable, str(HERE / "floor.py"), org, facts],
    }


def measure(size: int, repeat: int, *, shuffle: bool, reports: int) -> dict[str, Any]:
    """Every figure of one size, and the checks of doanorg against the peer and the floor."""
    with tempfile.TemporaryDirectory(prefix="doanorg-bench-") as name:
        folder = Path(name)
        run([sys.executable, __file__, "--write", str(folder), str(size),
             *(["--shuffle"] if shuffle else [])], folder / "write.out")
        units = json.loads((folder / "units.json").read_text(encoding="utf-8"))["units"]
        runs: dict[str, list[dict[str, Any]]] = {figure: [] for figure in WHOLE}
        sessions: list[dict[str, Any]] = []
        outputs: dict[str, list[Any]] = {"spec": [], "peer": [], "floor": []}
        for _ in range(repeat):  # interleaved, so that a slow moment of the machine is shared
            for figure, command in commands(folder).items():
                out = folder / f"{figure.replace(' ', '-')}.out"
                runs[figure].append(run(command, out, ok=(0, 1) if "cli" in figure else (0,)))
                if figure in outputs:
                    outputs[figure].append(last_line(out))
            run([sys.executable, __file__, "--session", str(folder), "--reports", str(reports)],
                folder / "session.out")
            sessions.append(last_line(folder / "session.out"))
        # the whole report, once more and outside the timings, against what the CLI wrote
        run([*commands(folder)["peer"], "--out", str(folder / "peer.json")],
            folder / "peer-full.out")
        compared = subprocess.run(
            [sys.executable, __file__, "--compare", str(folder / "cli-json.out"),
             str(folder / "peer.json")], capture_output=True, text=True, check=False)
        totals = json.loads((folder / "units.json").read_text(encoding="utf-8"))["totals"]
    whole = (compared.stdout.splitlines() or [compared.stderr.strip()]) if compared.returncode \
        else []
    problems = check(outputs, whole, totals)
    # on Linux a child's ru_maxrss starts at its parent's high-water mark (kept across
    # exec), so this process stays small; a figure at or below that mark would be ours
    driver = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems += [f"INVALID {figure}: its peak memory may be the benchmark's own"
                 f" ({driver:,} KiB)" for figure, done in runs.items()
                 if min(r["peak_kib"] for r in done) <= driver]
    figures: dict[str, dict[str, Any]] = {
        figure: {"seconds": statistics.median(r["seconds"] for r in done),
                 "peak_kib": statistics.median(r["peak_kib"] for r in done),
                 "runs": done}
        for figure, done in runs.items()}
    inside = {key: statistics.median(s[key] for s in sessions) for key in sessions[0]}
    return {"units": units, "shuffled": shuffle, "repeat": repeat, "reports": reports,
            "figures": figures, "benchmark_peak_kib": driver,
            "in_process": inside, "sessions": sessions, "problems": problems,
            "failing_listed": sum(t["failing"] for t in outputs["spec"][0]["targets"].values())}


def check(outputs: dict[str, list[Any]], whole: list[str], totals: dict[str, str]
          ) -> list[str]:
    """MISMATCH lines: doanorg against the peer, the floor, and itself from run to run."""
    found = []
    spec = outputs["spec"][0]
    for figure in ("spec", "peer", "floor"):
        if any(again != outputs[figure][0] for again in outputs[figure][1:]):
            found.append(f"MISMATCH {figure}: not the same result from run to run")
    peer = outputs["peer"][0]
    for target, ours in spec["targets"].items():
        theirs = peer["targets"].get(target)
        if theirs is None:
            found.append(f"MISMATCH target {target}: not in the peer's report")
            continue
        for line in differences(ours, theirs):
            found.append(f"MISMATCH target {target}{line} (doanorg ≠ peer)")
    for key in ("at", "compliant", "not_reported"):
        if spec[key] != peer[key]:
            found.append(f"MISMATCH {key}: doanorg {spec[key]!r}, peer {peer[key]!r}")
    floor = outputs["floor"][0]
    for target, ours in spec["targets"].items():  # the totals, as the floor adds them up
        metric = totals.get(target)
        if metric is not None and differences(ours["observed"], floor.get(metric)):
            found.append(f"MISMATCH target {target}: doanorg's total {ours['observed']}, "
                         f"the floor's {floor[metric]}")
    found += [f"MISMATCH whole report, cli json ≠ peer: {line}" for line in whole]
    return found


# --- the table ----------------------------------------------------------------------------


Check = tuple[str, Callable[[dict[str, Any]], bool]]


def targets(units: int) -> dict[str, list[Check]]:
    """Issue 10's targets for each figure, at 10^6 and 10^5 units (none at other sizes)."""
    if units not in (100_000, 1_000_000):
        return {}
    big = units == 1_000_000

    def seconds(limit: float) -> Check:
        return f"≤ {limit:g} s", lambda r: r["seconds"] <= limit

    memory: Check = ("≤ 1 KB/unit", lambda r: r["bytes_per_unit"] <= 1024)
    beats_peer: Check = ("≥ 1.5× faster than peer", lambda r: r["x_peer"] <= 1 / 1.5)
    whatif: Check = ("≤ 20 µs", lambda r: r["seconds"] <= 20e-6)
    hundred: Check = ("≤ 2× root report", lambda r: r["x_reference"] <= 2)
    return {
        "spec": [seconds(1.5 if big else 0.3), beats_peer, *([memory] if big else [])],
        "cli json": [seconds(3 if big else 0.3), *([memory] if big else [])],
        "cli text": [seconds(2 if big else 0.3), *([memory] if big else [])],
        "100 reports": [hundred, *([] if big else [seconds(0.3)])],
        "what-if": [whatif],
    }


def rows_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The table's rows: each figure with its ratios."""
    units, figures, inside = result["units"], result["figures"], result["in_process"]
    peer, floor = figures["peer"]["seconds"], figures["floor"]["seconds"]
    rows = []
    for figure in WHOLE:
        found = figures[figure]
        rows.append({"figure": figure, "seconds": found["seconds"],
                     "peak_mb": found["peak_kib"] * 1024 / 1e6,
                     "bytes_per_unit": found["peak_kib"] * 1024 / units,
                     "x_peer": found["seconds"] / peer, "x_floor": found["seconds"] / floor})
    for figure, key, reference, against in (
            ("load", "load_s", None, ""),
            ("root report", "root_report_s", None, ""),
            ("second assess", "second_assess_s", "first_assess_s", "first assess"),
            (f"{result['reports']} reports", "reports_100_s", "root_report_s", "root report"),
            ("what-if", "whatif_s", None, "")):
        rows.append({"figure": figure, "seconds": inside[key], "in_process": True,
                     "x_reference": inside[key] / inside[reference] if reference else None,
                     "against": against})
    return rows


def shown(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


def table(result: dict[str, Any]) -> str:
    goals = targets(result["units"])
    order = "shuffled" if result["shuffled"] else "in tree order"
    lines = [f"{result['units']:,} units (org rows {order}; median of {result['repeat']}; "
             f"{result['failing_listed']:,} failing units listed)", "",
             "| figure | time | peak MB | B/unit | × peer | × floor | × in-process ref | "
             "target (issue 10) |", "|---|---|---|---|---|---|---|---|"]
    for row in rows_of(result):
        inside = row.get("in_process", False)
        figure = f"in-process: {row['figure']}" if inside else row["figure"]
        verdicts = [f"{text}: {'met' if holds(row) else 'NOT MET'}"
                    for text, holds in goals.get(row["figure"], [])]
        cells = [figure, shown(row["seconds"]),
                 "—" if inside else f"{row['peak_mb']:,.0f}",
                 "—" if inside else f"{row['bytes_per_unit']:,.0f}",
                 "—" if inside else f"{row['x_peer']:.2f}",
                 "—" if inside else f"{row['x_floor']:.1f}",
                 f"{row['x_reference']:.2f}× {row['against']}" if row.get("x_reference")
                 else "—",
                 "; ".join(verdicts) or "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """The machine and the versions the figures belong to."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), cpu)

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; "
            + ", ".join(f"{name} {version(name)}"
                        for name in ("doanorg", "numpy", "pyarrow", "polars")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the median)")
    parser.add_argument("--shuffle", action="store_true",
                        help="write the org rows out of tree order")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the raw results")
    parser.add_argument("--reports", type=int, default=100, choices=range(1, 101),
                        metavar="N", help="reports at N random units (1-100; the target "
                        "is judged at 100 only)")
    parser.add_argument("--write", nargs=2, metavar=("FOLDER", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--session", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--compare", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:  # the helpers, each run in a process of its own
        write_files(int(args.write[1]), Path(args.write[0]), shuffle=args.shuffle)
        return 0
    if args.session:
        print(json.dumps(session(args.session, args.reports)))
        return 0
    if args.compare:
        return compare_files(*args.compare)

    print(machine())
    results, failed = [], False
    for size in args.sizes:
        result = measure(size, args.repeat, shuffle=args.shuffle, reports=args.reports)
        results.append(result)
        print()
        print(table(result))
        for line in result["problems"]:
            print(line)
        failed = failed or bool(result["problems"])
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=1),
                             encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
