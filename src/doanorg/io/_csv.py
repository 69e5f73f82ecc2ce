"""Reading organisation and facts CSV files (SPEC §1–2).

Both are UTF-8, with or without the byte-order mark Excel writes. Line
numbers in messages are those a text editor shows: the header is line 1.
Every problem in a file is collected before one error is raised.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import repeat
from pathlib import Path

import attrs
import numpy as np

from doanorg._typed_facts import (
    RowLines,
    TypedColumn,
    TypedFacts,
    TypedView,
    typed_column,
    typed_column_of_values,
)
from doanorg.errors import DoanorgError, FactsError, OrgError, Problem
from doanorg.facts import Facts, Metric, RawValue, Value, coerce
from doanorg.io import _arrow
from doanorg.model import AttributeValue, Org, OrgColumns, build_org_columns, normalise
from doanorg.schema import Schema

__all__ = ["read_facts_csv", "read_org_csv", "write_facts_csv"]

ORG_COLUMNS = ("id", "parent", "kind", "name")


@attrs.frozen
class _Table:
    """A CSV file's header (trimmed, NFC) and its non-blank rows with their lines."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def _read_table(path: str | Path, error: type[DoanorgError], problems: list[Problem]) -> _Table:
    shown = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise error([Problem(f"cannot read the file: {exc.strerror or exc}", file=shown)]) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise error([Problem("the file is not UTF-8 text", file=shown, line=line)]) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    rows: list[tuple[int, tuple[str, ...]]] = []
    header: tuple[str, ...] | None = None
    try:
        start = 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = tuple(normalise(cell) for cell in record)
            else:
                rows.append((line, tuple(record)))
    except csv.Error as exc:
        problems.append(Problem(f"not valid CSV: {exc}", file=shown, line=reader.line_num))
    if header is None:
        raise error([Problem("the file is empty: it needs a header row", file=shown)])
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(Problem(f"column {column!r} appears twice in the header",
                                    file=shown, line=1))
        seen.add(column)
    key = next((header.index(c) for c in ("id", "unit") if c in header), None)
    for line, cells in rows:
        if len(cells) > len(header):
            unit = normalise(cells[key]) if key is not None and key < len(cells) else None
            named = f"unit {unit!r}: " if unit else ""
            problems.append(Problem(
                f"{named}the row has {len(cells)} cells but the header has {len(header)} "
                "columns", file=shown, line=line, unit=unit or None))
    return _Table(shown, header, tuple(rows))


def _cells(table: _Table) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row as {column: cell}, short rows padded with empty cells."""
    for line, record in table.rows:
        yield line, {
            column: record[index] if index < len(record) else ""
            for index, column in enumerate(table.header)
        }


def _attribute(text: str) -> AttributeValue:
    """A number where the cell parses as a finite number, else the text (NFC)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return normalise(text)
    return number if math.isfinite(number) else normalise(text)


def attribute_column(cells: Sequence[str]) -> list[AttributeValue | None]:
    """An attribute's cells read: a number where a cell parses as one, else its text;
    ``None`` where the cell is empty."""
    return [_attribute(cell) if cell.strip() else None for cell in cells]


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """While a file is read: Python's cycle collector paused (reading makes millions
    of objects and no cycle, and the collector would walk them all again and again,
    a third of the time of a million-unit file), left as it was found afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_reading()
def read_org_csv(path: str | Path, schema: Schema) -> Org:
    """Read and check an organisation CSV (SPEC §1). See :func:`doanorg.load_org`."""
    problems: list[Problem] = []
    columns = _arrow.org_columns(path) if _arrow.available() else None
    if columns is None:
        columns = _org_columns(_read_table(path, OrgError, problems), problems)
    try:
        org = build_org_columns(columns, schema, source=str(path))
    except OrgError as error:
        problems.extend(error.problems)
    if problems:
        raise OrgError(sorted(problems, key=lambda p: p.line or 0))
    return org


def _org_columns(table: _Table, problems: list[Problem]) -> OrgColumns:
    """The units of an organisation file, as columns (the reference reading)."""
    missing = [column for column in ORG_COLUMNS if column not in table.header]
    if missing:
        problems.append(Problem(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(the header must have {','.join(ORG_COLUMNS)})", file=table.file, line=1))
        raise OrgError(problems)
    if not table.rows:
        problems.append(Problem("the file has a header but no units", file=table.file))
        raise OrgError(problems)
    width = len(table.header)
    records = [record if len(record) >= width else (*record, *([""] * (width - len(record))))
               for _, record in table.rows]

    def column(index: int) -> list[str]:
        return [record[index] for record in records]

    at = {name: table.header.index(name) for name in ORG_COLUMNS}
    return OrgColumns(
        column(at["id"]), column(at["parent"]), column(at["kind"]), column(at["name"]),
        {name: attribute_column(column(index)) for index, name in enumerate(table.header)
         if name not in ORG_COLUMNS},
        [line for line, _ in table.rows],
    )


@_reading()
def read_facts_csv(
    path: str | Path,
    *,
    org: Org | None = None,
    period: str | None = None,
    metrics: Mapping[str, Metric] | None = None,
) -> Facts:
    """Read and check a facts CSV, long or wide (SPEC §2). See :func:`doanorg.load_facts`."""
    problems: list[Problem] = []
    if metrics and _arrow.available():
        quick = _arrow.wide_facts(path, metrics, period, org.ids if org is not None else ())
        if quick is not None:
            return _typed_facts(*quick, str(path), org, problems)
    table = _read_table(path, FactsError, problems)
    file = table.file

    def problem(message: str, line: int | None = None, unit: str | None = None,
                metric: str | None = None) -> None:
        problems.append(Problem(message, file=file, line=line, unit=unit, metric=metric))

    if "unit" not in table.header:
        problem("missing column unit (long form: unit,metric,value[,period]; "
                "wide form: unit,METRIC,...[,period])", 1)
        raise FactsError(problems)
    long_form = "metric" in table.header
    if long_form and "value" not in table.header:
        problem("a long-form file (it has a metric column) needs a value column", 1)
        raise FactsError(problems)
    warnings = []
    if long_form:
        for column in table.header:
            if column not in ("unit", "metric", "value", "period"):
                warnings.append(Problem(f"column {column!r} is ignored in a long-form file",
                                        file=file, line=1))
    chosen = _choose_period(problems, table, period, problem)
    if not long_form and metrics and not problems:
        typed = _typed_wide(table, chosen, metrics, problem)
        if typed is not None:
            return _typed_facts(typed, chosen, file, org, problems)

    values: dict[str, dict[str, RawValue]] = {}
    lines: dict[tuple[str, str], int] = {}
    reported: set[str] = set()
    for line, cells in _cells(table):
        if chosen is not None and normalise(cells.get("period", "")) != chosen:
            continue
        unit = normalise(cells["unit"])
        if not unit:
            problem("empty unit", line)
            continue
        reported.add(unit)
        lines.setdefault((unit, ""), line)
        if long_form:
            metric = normalise(cells["metric"])
            if not metric:
                problem(f"unit {unit!r}: empty metric", line, unit)
                continue
            given = [(metric, cells["value"])]
        else:
            given = [(column, text) for column, text in cells.items()
                     if column not in ("unit", "period") and text.strip()]
        for metric, text in given:
            known = values.setdefault(unit, {})
            if metric in known:
                if not _same(known[metric], text, metrics.get(metric) if metrics else None):
                    problem(f"unit {unit!r}: {metric} is given twice with different values "
                            f"({known[metric]!r} at line {lines[(unit, metric)]}, {text!r} here)",
                            line, unit, metric)
                continue
            lines[(unit, metric)] = line
            if not text.strip():
                continue  # an empty value is a missing one; the unit still reported
            known[metric] = _read(metrics.get(metric) if metrics else None, text)

    facts = Facts(values, frozenset(reported), chosen, file, lines, tuple(warnings))
    if org is not None or metrics is not None:
        units = org.positions if org is not None else values
        problems.extend(facts.problems(units, metrics or {}))
    if problems:
        raise FactsError(sorted(problems, key=lambda p: p.line or 0))
    return facts


def _typed_facts(typed: TypedFacts, chosen: str | None, file: str, org: Org | None,
                 problems: list[Problem]) -> Facts:
    """Facts of a wide file read into typed columns; placed in ``org`` once here, for
    every roll-up of these facts, after checking that ``org`` has every unit."""
    facts = Facts(TypedView(typed), typed.reported, chosen, file, RowLines(typed), (),
                  typed=typed)
    placed = None
    if org is not None and typed.units == org.ids:  # listed as the org lists its units
        placed = np.arange(len(org), dtype=np.int64)
    elif org is not None:
        count = len(typed.units)
        placed = np.fromiter(map(org.positions.get, typed.units, repeat(-1, count)),
                             dtype=np.int64, count=count)
        if (placed < 0).any():
            problems.extend(facts.problems(org.positions, {}))
    if problems:
        raise FactsError(sorted(problems, key=lambda p: p.line or 0))
    if org is not None and placed is not None:
        facts = attrs.evolve(facts, typed=attrs.evolve(typed, placed=(org, placed)))
    return facts


def _choose_period(
    problems: list[Problem],
    table: _Table,
    period: str | None,
    problem: Callable[..., None],
) -> str | None:
    """The period to read: the one asked for, or the file's only one (SPEC §2).

    Several periods and none asked for is an error that stops the reading:
    rows of different periods would only add noise.
    """
    if "period" not in table.header:
        if period is not None:
            problem(f"period {period!r} was asked for, but the file has no period column", 1)
        return None
    periods: dict[str, int] = {}
    index = table.header.index("period")
    for line, record in table.rows:
        value = normalise(record[index]) if index < len(record) else ""
        if not value:
            problem("empty period", line)
        else:
            periods.setdefault(value, line)
    if period is not None:
        period = normalise(period)
        if period not in periods:
            problem(f"period {period!r} is not in the file "
                    f"(it has {', '.join(map(repr, periods)) or 'no rows'})")
        return period
    if len(periods) > 1:
        problem(f"the file holds several periods ({', '.join(map(repr, periods))}); "
                "choose one (--period, or period=)")
        raise FactsError(problems)
    return next(iter(periods), None)


def _read(metric: Metric | None, text: str) -> RawValue:
    """A cell as its metric reads it, when the plan declares the metric; else the text
    (a value that does not fit is kept as text: the check reports it)."""
    if metric is None:
        return text
    try:
        return coerce(metric, text)
    except ValueError:
        return text


def _same(first: RawValue, second: str, metric: Metric | None) -> bool:
    """Whether two cells give the same value: as the metric reads them, else as text."""
    if metric is not None:
        try:
            return coerce(metric, first) == coerce(metric, second)
        except ValueError:
            pass
    return normalise(str(first)) == normalise(second)


def _cell(value: RawValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return "" if value is None else str(value)


def write_facts_csv(facts: Facts, path: str | Path, *, org: Org | None = None,
                    metrics: Sequence[str] = ()) -> None:
    """Write ``facts`` in long form (``unit,metric,value`` and ``period`` if it has one).

    Units in ``org``'s tree order if given, else as ``facts`` holds them.
    ``metrics`` orders the rows of each unit (the plan's order); other metrics
    follow. A unit that reported but gave no value gets one row with the first
    of ``metrics`` and an empty value (a missing value), so it stays reported.
    """
    order = {metric: index for index, metric in enumerate(metrics)}
    header = ["unit", "metric", "value"] + (["period"] if facts.period is not None else [])
    period = [facts.period] if facts.period is not None else []
    named = facts.reported | set(facts.values)
    units = ([unit.id for unit in org if unit.id in named] if org is not None
             else list(facts.values) + sorted(facts.reported - set(facts.values)))
    with Path(path).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        for unit in units:
            given = facts.values.get(unit, {})
            if not given and metrics:
                writer.writerow([unit, metrics[0], "", *period])
            for metric in sorted(given, key=lambda m: (order.get(m, len(order)), m)):
                writer.writerow([unit, metric, _cell(given[metric]), *period])


def _typed_wide(
    table: _Table, chosen: str | None, metrics: Mapping[str, Metric],
    problem: Callable[..., None],
) -> TypedFacts | None:
    """A wide file read straight into typed columns, a whole column at a time.

    ``None`` when a unit has several rows in the period (the general reading
    then checks that they agree). A column with a value the quick reading is
    not sure of is read value by value, as :func:`~doanorg.facts.coerce` does.
    """
    header = table.header
    unit_index = header.index("unit")
    period_index = header.index("period") if "period" in header else None
    rows = [(line, cells) for line, cells in table.rows
            if chosen is None or period_index is None
            or (normalise(cells[period_index]) if period_index < len(cells) else "") == chosen]
    units = [normalise(cells[unit_index]) if unit_index < len(cells) else ""
             for _, cells in rows]
    if len(set(units)) != len(units):
        return None
    for (line, _), unit in zip(rows, units, strict=True):
        if not unit:
            problem("empty unit", line)
    columns: dict[str, TypedColumn] = {}
    for index, name in enumerate(header):
        if name not in metrics:
            continue
        cells = [record[index] if index < len(record) else "" for _, record in rows]
        column = typed_column(metrics[name], cells)
        if column is None:  # some value needs a closer look, or a message
            given: list[Value] = []
            for (line, _), unit, cell in zip(rows, units, cells, strict=True):
                try:
                    given.append(coerce(metrics[name], cell) if cell.strip() else None)
                except ValueError as error:
                    problem(f"unit {unit!r}: {error}", line, unit, name)
                    given.append(None)
            column = typed_column_of_values(metrics[name], given)
        columns[name] = column
    lines = np.fromiter((line for line, _ in rows), dtype=np.int64, count=len(rows))
    ignored = tuple(name for name in header if name not in metrics and name not in
                    ("unit", "period"))
    return TypedFacts(tuple(units), columns, lines, ignored)
