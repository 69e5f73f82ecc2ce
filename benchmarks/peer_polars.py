"""The polars peer: the job of the SPEC §7 calls, written as a plain polars script.

    python benchmarks/peer_polars.py ORG.csv FACTS.csv [--out REPORT.json]

What a competent polars user would write to do what doanorg does for them,
without calling doanorg: read the organisation and a WIDE facts file with
polars, validate the tree (unique ids, every parent present, exactly one
root, every kind allowed under its parent's kind, no cycle) and the facts
(every unit in the tree, every column a metric of the plan, counts whole and
not negative, flags and categories among their values), then assess the
built-in plan ``doan-khoi-2020`` at the root: ``each`` targets (with
``share``, ``stretch`` and ``directly_under``), ``total`` and ``ratio``
targets on subtree totals, conditions ``at_least``/``at_most``/``equals``/
``not_equals``/``in``, every failing unit listed with its value and shortfall
in tree order, the units that did not report, and a dict shaped like SPEC §5.

The plan and the schema are read with tomllib from doanorg's package data,
found without importing doanorg: nothing else is taken from it. Units are
looked up by id once (a unit's parent, a fact row's unit) and known by their
row from then on. Subtree totals are summed the polars way: level by level
from the deepest, grouping each level by parent and joining the sums onto
the level above. Tree order (depth first, children in file order) comes
from the subtree sizes: a unit's position is its parent's, plus one, plus
the sizes of the siblings before it in the file.

It does not handle the ``period`` column or long-form facts. It prints the
same one-line digest as ``spec_calls.py``; ``--out`` also writes the whole
report as JSON (the benchmark compares it with ``doanorg check --format
json``, outside the timings). Bad input: one line per problem on stderr,
exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable
from fractions import Fraction
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import polars as pl
from _digest import digest

PLAN = "data/plans/doan-khoi-2020.toml"
SCHEMA = "data/schemas/doan.toml"
FLAGS = {"true": True, "1": True, "yes": True, "có": True,
         "false": False, "0": False, "no": False, "không": False}
BOUNDS = ("at_least", "at_most", "equals", "not_equals", "in")


class Invalid(Exception):
    """Bad input: every problem found."""


def package_toml(relative: str) -> dict[str, Any]:
    """A TOML file of doanorg's package data, found without importing doanorg (which
    ``importlib.resources.files("doanorg")`` would: the peer must not pay for it)."""
    spec = find_spec("doanorg")
    assert spec is not None and spec.submodule_search_locations
    with (Path(next(iter(spec.submodule_search_locations))) / relative).open("rb") as stream:
        return tomllib.load(stream)


def expand(names: list[str], groups: dict[str, list[str]]) -> list[str]:
    """Kinds, with each group replaced by its kinds."""
    return [kind for name in names for kind in groups.get(name, [name])]


def read_org(path: str, schema: dict[str, Any]) -> pl.DataFrame:
    """The tree, validated: its file columns, ``row`` (the row in the file, from 0),
    ``parent_row``, ``parent_kind`` and ``depth``."""
    org = pl.read_csv(path, infer_schema=False).with_row_index("row")
    missing = {"id", "parent", "kind", "name"} - set(org.columns)
    if missing:
        raise Invalid([f"{path}: missing columns {sorted(missing)}"])
    problems = []
    if org["id"].null_count() or org["id"].n_unique() != org.height:
        for unit in org.filter(pl.col("id").is_null() | pl.col("id").is_duplicated())[
                "id"].unique(maintain_order=True):
            problems.append(f"{path}: unit {unit!r}: id empty or not unique")
        raise Invalid(problems)  # the checks below look parents up by id
    # each unit's parent, looked up once by id; from here on units are known by row
    org = org.join(org.select(parent="id", parent_row="row", parent_kind="kind"), on="parent",
                   how="left", maintain_order="left")
    roots = org.filter(pl.col("parent").is_null())
    if roots.height != 1:
        problems.append(f"{path}: {roots.height} roots (units with no parent); one is needed")
    orphans = org.filter(pl.col("parent").is_not_null() & pl.col("parent_row").is_null())
    for unit, parent, row in orphans.select("id", "parent", "row").iter_rows():
        problems.append(f"{path}, line {row + 2}: unit {unit!r}: parent {parent!r} not found")

    groups = schema.get("groups", {})
    kinds = schema["kinds"]
    allowed = pl.DataFrame(
        [(kind, parent) for kind, spec in kinds.items()
         for parent in expand(spec["parents"], groups)],
        schema={"kind": pl.String, "parent_kind": pl.String}, orient="row")
    at_root = [kind for kind, spec in kinds.items() if not spec["parents"]]
    unknown = org.filter(~pl.col("kind").is_in(list(kinds)))
    wrong = org.filter(pl.col("parent_kind").is_not_null() & pl.col("kind").is_in(list(kinds))
                       ).join(allowed, on=["kind", "parent_kind"], how="anti")
    wrong_root = org.filter(pl.col("parent").is_null() & ~pl.col("kind").is_in(at_root))
    for unit, kind, row in unknown.select("id", "kind", "row").iter_rows():
        problems.append(f"{path}, line {row + 2}: unit {unit!r}: unknown kind {kind!r}")
    for unit, kind, parent_kind, row in wrong.select(
            "id", "kind", "parent_kind", "row").iter_rows():
        problems.append(f"{path}, line {row + 2}: unit {unit!r}: a {kind} may not stand "
                        f"under a {parent_kind}")
    for unit, kind, row in wrong_root.select("id", "kind", "row").iter_rows():
        problems.append(f"{path}, line {row + 2}: unit {unit!r}: a {kind} may not be the root")

    # depth by levels from the root; a unit never reached is on (or under) a cycle
    edges = org.select("row", "parent_row")
    levels, frontier, depth = [], roots.select("row"), 0
    while frontier.height:
        levels.append(frontier.with_columns(depth=pl.lit(depth, pl.Int32)))
        frontier = edges.join(frontier.select(parent_row="row"), on="parent_row",
                              how="semi").select("row")
        depth += 1
    reached = pl.concat(levels)
    if reached.height != org.height:
        cycle = org.join(reached, on="row", how="anti").sort("row")
        problems.append(f"{path}: units not reached from the root (a cycle, or a missing "
                        "parent, above them): "
                        f"{', '.join(cycle['id'].head(10))}")
    if problems:
        raise Invalid(problems)
    return org.join(reached, on="row", how="left", maintain_order="left")


def read_facts(path: str, metrics: dict[str, Any], org: pl.DataFrame) -> pl.DataFrame:
    """The wide facts, typed and validated, one row per unit that reported, with the
    unit's ``row`` in the organisation."""
    header = pl.read_csv(path, n_rows=0, infer_schema=False).columns
    if "metric" in header or "period" in header or "unit" not in header:
        raise Invalid([f"{path}: only wide facts without periods are read here"])
    problems = [f"{path}: column {column!r} is not a metric of the plan"
                for column in header if column != "unit" and column not in metrics]
    columns = [column for column in header if column in metrics]
    types = {"count": pl.Int64, "amount": pl.Float64, "flag": pl.String, "category": pl.String}
    try:
        facts = pl.read_csv(path, schema_overrides={"unit": pl.String} | {
            column: types[metrics[column]["type"]] for column in columns})
    except pl.exceptions.ComputeError as error:  # e.g. "26.200" in a count column
        raise Invalid([f"{path}: {str(error).splitlines()[0]}", *problems]) from None
    typed, bad = [], {}
    for column in columns:
        metric, value = metrics[column], pl.col(column)
        if metric["type"] in ("count", "amount"):
            bad[column] = value < 0
            typed.append(value)
        elif metric["type"] == "flag":
            flag = value.str.strip_chars().str.to_lowercase().replace_strict(
                FLAGS, default=None, return_dtype=pl.Boolean)
            typed.append(flag)
            bad[column] = value.is_not_null() & pl.col(f"{column} typed").is_null()
        else:
            bad[column] = value.is_not_null() & ~value.is_in(metric["values"])
            typed.append(value)
    facts = facts.with_row_index("line", offset=2).join(
        org.select(unit="id", row="row"), on="unit", how="left", maintain_order="left"
    ).with_columns(expression.alias(f"{name} typed") for name, expression in zip(
        columns, typed, strict=True))
    faults = facts.select(**{name: mask.any() for name, mask in bad.items()},
                          unknown=pl.col("row").is_null().any(),
                          twice=pl.col("unit").is_duplicated().any()).row(0, named=True)
    for column, found in faults.items():  # the rows at fault only when there are some
        if found and column in metrics:
            for unit, cell, line in facts.filter(bad[column]).select(
                    "unit", column, "line").iter_rows():
                problems.append(f"{path}, line {line}: unit {unit!r}: {column} = {cell!r} "
                                f"is not a {metrics[column]['type']}")
    if faults["twice"]:
        for unit, line in facts.filter(pl.col("unit").is_duplicated()).select(
                "unit", "line").iter_rows():
            problems.append(f"{path}, line {line}: unit {unit!r} reported twice")
    if faults["unknown"]:
        for unit, line in facts.filter(pl.col("row").is_null()).select(
                "unit", "line").iter_rows():
            problems.append(f"{path}, line {line}: unit {unit!r} is not in the organisation")
    if problems:
        raise Invalid(problems)
    return facts.select("row", *(pl.col(f"{name} typed").alias(name) for name in columns),
                        reported=pl.lit(True))


def tree(org: pl.DataFrame, facts: pl.DataFrame, metrics: dict[str, Any]
         ) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Every unit in tree order (id, kind, parent_kind, reported and its own values;
    missing: 0, false, no category), and the root's subtree totals (``total_*``)."""
    numeric = [m for m, spec in metrics.items() if spec["type"] in ("count", "amount")]
    units = org.select("row", "parent_row", "depth", "id", "kind", "parent_kind").join(
        facts, on="row", how="left", maintain_order="left").with_columns(
        [pl.col(m).fill_null(0) for m in numeric]
        + [pl.col(m).fill_null(False) for m, spec in metrics.items() if spec["type"] == "flag"])
    keys = ["row", "parent_row"]
    columns = ["size", *(f"total_{m}" for m in numeric)]
    base = units.select(*keys, "depth", size=pl.lit(1, pl.Int64),
                        **{f"total_{m}": m for m in numeric})
    levels = {key[0]: level.drop("depth")
              for key, level in base.partition_by("depth", as_dict=True).items()}
    deepest = max(levels)
    for depth in range(deepest, 0, -1):  # each level's sums onto the level above
        below = levels[depth].group_by("parent_row").agg(pl.col(columns).sum())
        above = levels[depth - 1].join(below, left_on="row", right_on="parent_row",
                                       how="left", suffix="_below")
        levels[depth - 1] = above.select(
            *keys, *(pl.col(c) + pl.col(f"{c}_below").fill_null(0) for c in columns))
    # positions, top down: parent's + 1 + the sizes of the siblings before, in file order
    placed = levels[0].with_columns(pos=pl.lit(0, pl.Int64))
    positioned = [placed]
    for depth in range(1, deepest + 1):
        level = levels[depth].sort("row").with_columns(
            before=(pl.col("size").cum_sum() - pl.col("size")).over("parent_row"))
        placed = level.join(placed.select(parent_row="row", parent_pos="pos"),
                            on="parent_row").select(
            *levels[depth].columns, pos=pl.col("parent_pos") + 1 + pl.col("before"))
        positioned.append(placed)
    # the rows in tree order; ``units`` is in file order, so row r is at index r
    rows = pl.concat([level.select("row", "pos") for level in positioned]).sort("pos")["row"]
    in_order = units.drop("row", "parent_row", "depth").select(pl.all().gather(rows))
    return in_order, levels[0].row(0, named=True)


def condition_of(target: dict[str, Any]) -> dict[str, Any]:
    return {key: target[key] for key in BOUNDS if key in target}


def passes(value: pl.Expr, condition: dict[str, Any]) -> pl.Expr:
    """Whether a unit's own value meets the condition (no category: null)."""
    result = pl.lit(True)
    if "at_least" in condition:
        result &= value >= condition["at_least"]
    if "at_most" in condition:
        result &= value <= condition["at_most"]
    if "equals" in condition:
        result &= (value == condition["equals"]).fill_null(False)
    if "not_equals" in condition:
        result &= (value != condition["not_equals"]).fill_null(True)
    if "in" in condition:
        result &= value.is_in(condition["in"]).fill_null(False)
    return result


def holds(value: Fraction, condition: dict[str, Any]) -> bool:
    """Whether a total or ratio meets the condition, exactly (0.15 is 15/100)."""
    def exact(bound: Any) -> Fraction:
        return Fraction(str(bound))

    checks: dict[str, Callable[[Any], bool]] = {
        "at_least": lambda bound: value >= exact(bound),
        "at_most": lambda bound: value <= exact(bound),
        "equals": lambda bound: value == exact(bound),
        "not_equals": lambda bound: value != exact(bound),
        "in": lambda options: any(value == exact(option) for option in options),
    }
    return all(check(condition[key]) for key, check in checks.items() if key in condition)


def required_of(condition: dict[str, Any]) -> Any:
    for key in BOUNDS:
        if key in condition:
            return condition[key]
    return None


def assess(units: pl.DataFrame, root: dict[str, Any], plan: dict[str, Any],
           groups: dict[str, list[str]]) -> dict[str, Any]:
    """The plan at the root (``root``: its subtree totals), as SPEC §5's dict."""
    metrics = plan["metrics"]
    entries: list[dict[str, Any]] = []
    for target in plan["targets"]:
        condition = condition_of(target)
        stretched = ({**condition, "at_least": target["stretch"]} if "stretch" in target
                     else None)
        entry: dict[str, Any] = {"id": target["id"], "aspirational":
                                 target.get("aspirational", False)}
        if "each" in target:
            selected = pl.col("kind").is_in(expand(target["each"], groups))
            if "directly_under" in target:
                selected &= pl.col("parent_kind").is_in(
                    expand(target["directly_under"], groups)).fill_null(False)
            value = pl.col(target["metric"])
            counts = units.select(
                selected=selected.sum(), passing=(selected & passes(value, condition)).sum(),
                stretch=(selected & passes(value, stretched)).sum() if stretched else pl.lit(0),
            ).row(0)
            chosen, passing, at_stretch = counts
            share = Fraction(str(target.get("share", 1.0)))
            status = ("not_applicable" if chosen == 0 else
                      "met" if passing >= share * chosen else "not_met")
            if metrics[target["metric"]]["type"] in ("count", "amount") and (
                    "at_least" in condition or "at_most" in condition):
                shortfall = pl.lit(0)
                if "at_most" in condition:
                    shortfall = pl.when(value > condition["at_most"]).then(
                        value - condition["at_most"]).otherwise(shortfall)
                if "at_least" in condition:
                    shortfall = pl.when(value < condition["at_least"]).then(
                        condition["at_least"] - value).otherwise(shortfall)
            else:
                shortfall = pl.lit(None)
            entry |= {
                "type": "each", "status": status,
                "observed": passing / chosen if chosen else None,
                "required": target.get("share", 1.0),
                "stretch_met": (None if stretched is None or chosen == 0
                                else at_stretch >= share * chosen),
                "units": {"selected": chosen, "passing": passing},
                "failing": units.select(
                    unit="id", value=value, shortfall=shortfall,
                    fails=selected & ~passes(value, condition),
                ).filter("fails").drop("fails").to_dicts(),
            }
        else:
            if "total" in target:
                kind, total = "total", root[f"total_{target['total']}"]
                exact: Fraction | None = Fraction(total)
                observed: Any = total
            else:
                kind = "ratio"
                numerator, denominator = (root[f"total_{m}"] for m in target["ratio"])
                exact = Fraction(numerator, denominator) if denominator else None
                observed = numerator / denominator if denominator else None
            entry |= {
                "type": kind,
                "status": ("not_applicable" if exact is None else
                           "met" if holds(exact, condition) else "not_met"),
                "observed": observed, "required": required_of(condition)}
            if "at_least" in condition and "at_most" in condition:
                entry["required_max"] = condition["at_most"]
            entry |= {"stretch_met": None if stretched is None or exact is None
                      else holds(exact, stretched), "units": None, "failing": []}
        entries.append({key: entry[key] for key in (
            "id", "type", "aspirational", "status", "observed", "required", "required_max",
            "stretch_met", "units", "failing") if key in entry})
    statuses = [entry["status"] for entry in entries]
    required_not_met = sum(entry["status"] == "not_met" and not entry["aspirational"]
                           for entry in entries)
    return {
        "plan": plan["id"], "at": units["id"][0], "compliant": required_not_met == 0,
        "summary": {"targets": len(entries), "met": statuses.count("met"),
                    "not_met": statuses.count("not_met"),
                    "not_applicable": statuses.count("not_applicable"),
                    "informational": statuses.count("informational"),
                    "required_not_met": required_not_met},
        "not_reported": units.filter(pl.col("reported").is_null())["id"].to_list(),
        "targets": entries,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("org")
    parser.add_argument("facts")
    parser.add_argument("--out", help="also write the whole report as JSON")
    args = parser.parse_args()
    plan, schema = package_toml(PLAN), package_toml(SCHEMA)
    try:
        org = read_org(args.org, schema)
        facts = read_facts(args.facts, plan["metrics"], org)
    except Invalid as invalid:
        print("\n".join(invalid.args[0]), file=sys.stderr)
        return 2
    units, root = tree(org, facts, plan["metrics"])
    report = assess(units, root, plan, schema.get("groups", {}))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as stream:
            json.dump(report, stream, ensure_ascii=False)
    print(json.dumps(digest(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
