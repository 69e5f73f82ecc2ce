"""What the property tests share: comparing reports, writing CSV files, editing facts."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from doanorg import Facts, Org, Plan, UnitRow, build_org
from doanorg.core.facts import RawValue

__all__ = [
    "cell",
    "close",
    "facts_rows",
    "restricted",
    "with_records",
    "write_csv",
]


def close(first: Any, second: Any) -> bool:
    """Whether two JSON-like values are equal, floats up to rounding (math.isclose)."""
    if isinstance(first, bool) or isinstance(second, bool):
        return first is second
    if isinstance(first, int | float) and isinstance(second, int | float):
        return math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(first, Mapping) and isinstance(second, Mapping):
        return first.keys() == second.keys() and all(
            close(first[key], second[key]) for key in first)
    if isinstance(first, list | tuple) and isinstance(second, list | tuple):
        return len(first) == len(second) and all(
            close(one, other) for one, other in zip(first, second, strict=True))
    return bool(first == second)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """Write a UTF-8 CSV file (as the csv module quotes it) and return its path."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def cell(value: RawValue) -> str:
    """A fact's value as a CSV cell holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def facts_rows(every: Sequence[Facts], plan: Plan, *, wide: bool
               ) -> tuple[list[str], list[list[str]]]:
    """The facts of one or more periods as the header and rows of one facts CSV.

    Wide form: one row per unit that reported, a column per metric. Long form: a row
    per value, and a row with an empty value for a unit that reported nothing. A
    ``period`` column holds each Facts' period when any has one.
    """
    periods = any(facts.period is not None for facts in every)
    tail = ["period"] if periods else []
    rows: list[list[str]] = []
    if wide:
        metrics = sorted({*plan.metrics, *(m for facts in every for m in facts.metrics())})
        for facts in every:
            extra = [facts.period or ""] if periods else []
            rows.extend([unit, *(cell(facts.raw(unit, metric)) for metric in metrics), *extra]
                        for unit in sorted(facts.reported))
        return ["unit", *metrics, *tail], rows
    anything = next(iter(plan.metrics))
    for facts in every:
        extra = [facts.period or ""] if periods else []
        for unit in sorted(facts.reported):
            values = facts.values.get(unit, {})
            if not values:
                rows.append([unit, anything, "", *extra])
            rows.extend([unit, metric, cell(value), *extra] for metric, value in values.items())
    return ["unit", "metric", "value", *tail], rows


def with_records(facts: Facts, records: Mapping[str, Mapping[str, RawValue]]) -> Facts:
    """Facts holding ``records`` (every unit named reports), in ``facts``'s period, and
    ignoring unknown metrics if ``facts`` do."""
    return Facts.from_records(records, period=facts.period,
                              ignore_unknown_metrics=facts.ignore_unknown_metrics)


def restricted(org: Org, facts: Facts, unit: str) -> tuple[Org, Facts]:
    """The subtree of ``unit`` as its own tree (``unit`` its root), and its facts."""
    inside = {below.id for below in org.subtree(unit)}
    rows = [row if row.id != unit else UnitRow(row.id, None, row.kind, row.name, row.attributes)
            for row in org.rows() if row.id in inside]
    records = {name: values for name, values in facts.values.items() if name in inside}
    records |= {name: {} for name in facts.reported & inside if name not in records}
    return build_org(rows, org.schema), with_records(facts, records)
