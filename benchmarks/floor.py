"""The floor: the least work that reads both files and rolls the figures up the tree.

    python benchmarks/floor.py ORG.csv FACTS.csv

Reads the organisation (``id`` and ``parent`` only) and the facts (``unit``
and the count and amount columns of the built-in plan, whose TOML gives their
types) with pyarrow's CSV reader (a doanorg dependency), finds each unit's
parent and each fact row's unit by position (``pyarrow.compute.index_in``),
and makes ONE numpy pass of subtree sums over those columns: depth by
pointer jumping, then the levels from the deepest up, each added into its
parents with ``np.add.at``. Works in any row order. No check, no report:
nothing that does the whole job can do less. Prints the root's totals as one
line of JSON (the benchmark checks them against doanorg's).
"""

from __future__ import annotations

import json
import sys
import tomllib
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


def numeric_metrics() -> dict[str, pa.DataType]:
    """The built-in plan's count and amount metrics, from doanorg's package data (found
    without importing doanorg), with the type each column is read as."""
    spec = find_spec("doanorg")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    with (folder / "data/plans/doan-khoi-2020.toml").open("rb") as stream:
        metrics = tomllib.load(stream)["metrics"]
    types = {"count": pa.int64(), "amount": pa.float64()}
    return {name: types[metric["type"]] for name, metric in metrics.items()
            if metric["type"] in types}


def main() -> None:
    org_path, facts_path = sys.argv[1:3]
    text = pa.string()
    org = pacsv.read_csv(org_path, convert_options=pacsv.ConvertOptions(
        include_columns=["id", "parent"], column_types={"id": text, "parent": text}))
    numeric = numeric_metrics()
    facts = pacsv.read_csv(facts_path, convert_options=pacsv.ConvertOptions(
        include_columns=["unit", *numeric], column_types={"unit": text, **numeric}))
    ids = org["id"]
    parent = pc.index_in(org["parent"], value_set=ids).fill_null(-1).to_numpy()
    rows = pc.index_in(facts["unit"], value_set=ids).to_numpy()
    totals = {}  # each metric's own values, one array per metric, by the unit's row
    for name, kind in numeric.items():
        totals[name] = np.zeros(len(ids), dtype=kind.to_pandas_dtype())
        totals[name][rows] = facts[name].to_numpy()

    depth = np.zeros(len(ids), dtype=np.int64)
    above = parent.copy()
    while (reached := above >= 0).any():
        depth += reached
        above = np.where(reached, parent[above], -1)
    for level in range(int(depth.max()), 0, -1):  # the deepest level first, into its parents
        units = np.flatnonzero(depth == level)
        up = parent[units]
        for column in totals.values():
            np.add.at(column, up, column[units])
    root = int(np.flatnonzero(parent < 0)[0])
    print(json.dumps({name: column[root].item() for name, column in totals.items()}))


if __name__ == "__main__":
    main()
