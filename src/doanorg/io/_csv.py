"""Reading organisation and facts files (SPEC §1–2, §9), and writing CSV.

Both are UTF-8, with or without the byte-order mark Excel writes; the one
reader (:mod:`doanorg.io._table`, pyarrow's) gives every cell as text, and
the columns are checked here a whole column at a time. Line numbers in
messages are those a text editor shows: the header is line 1. Every problem
in a file is collected before one error is raised.

The checks take a :class:`~doanorg.io._table.Table` (:func:`read_org_table`,
:func:`read_facts_table`), wherever its cells came from: a CSV file, a sheet
of a workbook (:mod:`doanorg.io._xlsx`) or a data frame
(:mod:`doanorg.io._frames`) go through the very same checks. Header names may
be the English ones or their Vietnamese forms (:data:`VIETNAMESE_HEADERS`),
compared after NFC.

Every CSV file doanorg writes is written by :func:`write_csv`, which writes a
cell a spreadsheet would run as a formula as text
(:func:`doanorg.core._cells.csv_text`).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from doanorg.core._cells import csv_text, file_text
from doanorg.core._texts import (
    SPACE,
    ArrowTexts,
    CodedTexts,
    dictionary_codes,
    normalised_array,
    same_texts,
)
from doanorg.core.engine import undeclared_metrics
from doanorg.core.facts import Facts, FactTable, Given, Metric, RawValue
from doanorg.core.model import AttributeValue, Org, OrgColumns, build_org_columns, normalise
from doanorg.core.schema import Schema
from doanorg.errors import DoanorgError, FactsError, OrgError, Problem
from doanorg.io._table import Table, read_table

__all__ = ["FOR_PEOPLE", "ORG_COLUMNS", "VIETNAMESE_HEADERS", "english_header",
           "read_facts_csv", "read_facts_table", "read_org_csv", "read_org_table", "rewrite_csv",
           "write_csv", "write_facts_csv"]

ORG_COLUMNS = ("id", "parent", "kind", "name")

VIETNAMESE_HEADERS: Mapping[str, tuple[str, str]] = {
    "Mã đơn vị": ("id", "unit"),
    "Đơn vị cấp trên": ("parent", "parent"),
    "Loại": ("kind", "kind"),
    "Tên đơn vị": ("name", "name"),
    "Chỉ tiêu": ("metric", "metric"),
    "Giá trị": ("value", "value"),
    "Kỳ": ("period", "period"),
}
"""Each Vietnamese header name of SPEC §9 (NFC) and the English name it stands for in
an organisation file and in a facts file."""

FOR_PEOPLE = ("name", "kind")
"""Columns a facts file may carry for the person filling it in (the unit's name and
kind, as a template has them): never metrics, and never read."""


def english_header(table: Table, role: str, problems: list[Problem]) -> Table:
    """``table`` with each Vietnamese header name (:data:`VIETNAMESE_HEADERS`) put as its
    English one, for an organisation (``role`` ``"org"``) or a facts file (``"facts"``).

    A header naming one column both ways is a problem (the first is read).
    """
    which = 0 if role == "org" else 1
    header: list[str] = []
    columns: dict[str, pa.ChunkedArray] = {}
    for name in table.header:
        english = VIETNAMESE_HEADERS[name][which] if name in VIETNAMESE_HEADERS else name
        if english != name and english in table.header:
            problems.append(Problem(
                f"column {name!r} is the Vietnamese name of column {english!r}, which the "
                "header also has: keep one of them", file=table.file, line=table.header_line))
        header.append(english)
        if english not in columns:
            columns[english] = table.columns[name]
    return attrs.evolve(table, header=tuple(header), columns=columns)


def _normalised(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Each text trimmed and NFC, as ids, kinds and units are stored."""
    return normalised_array(column)


def _lines_where(table: Table, rows: npt.NDArray[np.bool_]) -> list[int]:
    return [int(line) for line in table.lines[rows]]


# --- organisations ------------------------------------------------------------------


def read_org_csv(path: str | Path, schema: Schema) -> Org:
    """Read and check an organisation CSV (SPEC §1). See :func:`doanorg.load_org`."""
    problems: list[Problem] = []
    table = read_table(path, OrgError, problems, key=("id", *_vietnamese("id")))
    return read_org_table(table, problems, schema)


def _vietnamese(english: str) -> tuple[str, ...]:
    """The Vietnamese header names of ``english``."""
    return tuple(name for name, names in VIETNAMESE_HEADERS.items() if english in names)


def read_org_table(table: Table, problems: list[Problem], schema: Schema) -> Org:
    """Check the units of ``table`` (SPEC §1); ``problems`` holds those found so far.

    Raises :class:`~doanorg.OrgError` listing every problem, in the order of the rows.
    """
    table = english_header(table, "org", problems)
    missing = [column for column in ORG_COLUMNS if column not in table.header]
    if missing:
        problems.append(Problem(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(the header must have {','.join(ORG_COLUMNS)})", file=table.file,
            line=table.header_line))
        raise OrgError(problems)
    if not table.rows:
        problems.append(Problem("the file has a header but no units", file=table.file))
        raise OrgError(problems)
    ids, parents = _ids_and_parents(_normalised(table.columns["id"]),
                                    _normalised(table.columns["parent"]))
    columns = OrgColumns(
        ids, parents, _coded(_normalised(table.columns["kind"])),
        ArrowTexts(table.columns["name"]),
        {name: _attributes(column) for name, column in table.columns.items()
         if name not in ORG_COLUMNS},
        table.lines,
    )
    try:
        org = build_org_columns(columns, schema, source=table.file)
    except OrgError as error:
        problems.extend(error.problems)
    if problems:
        raise OrgError(sorted(problems, key=lambda problem: problem.line or 0))
    return org


def _ids_and_parents(ids: pa.ChunkedArray, parents: pa.ChunkedArray
                     ) -> tuple[CodedTexts, CodedTexts]:
    """The ids and the parents (both normalised) coded over one list of distinct values,
    in C: each parent is then found among the ids by its code.

    Both columns are dictionary-coded in one pass, the ids first, so the values are
    the distinct ids in order of first appearance, then the parents that are no id
    (the root's empty parent among them): where the ids are unique, id ``i`` has
    code ``i`` and a parent's code is its row.
    """
    values, codes = dictionary_codes(pa.chunked_array([*ids.chunks, *parents.chunks],
                                                      type=pa.string()))
    texts, count = ArrowTexts(values), len(ids)  # (no Python string is made for them)
    return (CodedTexts(codes[:count], texts, distinct=True, arrow=ids, normalised=True),
            CodedTexts(codes[count:], texts, distinct=True, normalised=True))


def _coded(column: pa.ChunkedArray) -> CodedTexts:
    """A column of few distinct texts (the kinds, normalised), coded in C."""
    dictionary, codes = dictionary_codes(column)
    return CodedTexts(codes, dictionary.to_pylist(), normalised=True)


def _attributes(column: pa.Array) -> list[AttributeValue | None] | npt.NDArray[np.int64]:
    """An attribute column: whole numbers in C, else a number where a cell reads as one
    and its text where not; ``None`` where the cell is empty."""
    try:
        return np.asarray(column.cast(pa.int64()), dtype=np.int64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return [_attribute(cell) if cell.strip() else None for cell in column.to_pylist()]


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


# --- facts --------------------------------------------------------------------------


def read_facts_csv(
    path: str | Path,
    *,
    org: Org | None = None,
    period: str | None = None,
    metrics: Mapping[str, Metric] | None = None,
    ignore_unknown_metrics: bool = False,
) -> Facts:
    """Read and check a facts CSV, long or wide (SPEC §2). See :func:`doanorg.load_facts`."""
    problems: list[Problem] = []
    table = read_table(path, FactsError, problems, key=("unit", *_vietnamese("unit")))
    return read_facts_table(table, problems, org=org, period=period, metrics=metrics,
                            ignore_unknown_metrics=ignore_unknown_metrics)


def read_facts_table(
    table: Table,
    problems: list[Problem],
    *,
    org: Org | None = None,
    period: str | None = None,
    metrics: Mapping[str, Metric] | None = None,
    ignore_unknown_metrics: bool = False,
    empty_rows_unreported: bool = False,
) -> Facts:
    """Check the facts of ``table`` (SPEC §2); ``problems`` holds those found so far.

    With ``empty_rows_unreported`` (a workbook: a template lists every unit in
    advance), a wide-form row that gives no figure is a unit that did not report,
    not one that reported nothing.

    Raises :class:`~doanorg.FactsError` listing every problem, in the order of the rows.
    """
    table = english_header(table, "facts", problems)
    file = table.file
    if empty_rows_unreported and "metric" not in table.header:
        table = _without_empty_rows(table)

    def problem(message: str, line: int | None = None, unit: str | None = None,
                metric: str | None = None) -> None:
        problems.append(Problem(message, file=file, line=line, unit=unit, metric=metric))

    if "unit" not in table.header:
        problem("missing column unit (long form: unit,metric,value[,period]; "
                "wide form: unit,METRIC,...[,period])", table.header_line)
        raise FactsError(problems)
    long_form = "metric" in table.header
    if long_form and "value" not in table.header:
        problem("a long-form file (it has a metric column) needs a value column",
                table.header_line)
        raise FactsError(problems)
    warnings = tuple(
        Problem(f"column {column!r} is ignored in a long-form file", file=file,
                line=table.header_line)
        for column in table.header if long_form and column not in (
            "unit", "metric", "value", "period", *FOR_PEOPLE))
    chosen, rows = _choose_period(table, period, problems)
    every_row = bool(rows.all())
    units = _normalised(table.columns["unit"])
    if not every_row:
        units = units.filter(pa.array(rows))
    lines = table.lines[rows]
    blank = np.asarray(pc.equal(units, ""), dtype=bool)
    for line in lines[blank].tolist():
        problem("empty unit", int(line))
    if blank.any():
        rows[np.flatnonzero(rows)[blank]] = False
        units, lines = units.filter(pa.array(~blank)), lines[~blank]
    placed = None
    if org is not None and (same_texts(units, org.id_array)  # listed as the org lists them
                            or (placed := _placed_once(units, org)) is not None):
        distinct, codes = units, np.arange(len(units), dtype=np.int64)
    else:
        distinct, codes = dictionary_codes(units)
    # codes are given in order of first appearance: a unit first appears where the
    # largest code so far grows
    first = np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)
    one_each = len(distinct) == len(codes)  # (then row i is unit i)
    keep = None if rows.all() else pa.array(rows)

    def cells(name: str) -> pa.ChunkedArray:
        return table.columns[name] if keep is None else table.columns[name].filter(keep)

    given: dict[str, Given] = {}
    if long_form:
        metric_of = _normalised(cells("metric"))
        values = cells("value")
        empty = np.asarray(pc.equal(metric_of, ""), dtype=bool)
        for row in np.flatnonzero(empty).tolist():
            unit = units[row].as_py()
            problem(f"unit {unit!r}: empty metric", int(lines[row]), unit)
        named, metric_codes = dictionary_codes(metric_of)
        for code, name in enumerate(named.to_pylist()):
            if not name:
                continue
            mask = metric_codes == code
            given[name] = Given(values.filter(pa.array(mask)), codes[mask], lines[mask])
    else:
        for name in table.header:
            if name not in ("unit", "period", *FOR_PEOPLE) and name not in given:
                given[name] = Given(cells(name), None if one_each else codes,
                                    None if one_each else lines)
    facts_table = FactTable(
        org.id_texts if org is not None and _same(distinct, org) else ArrowTexts(distinct),
        given, unit_lines=lines[first], source=file, unit_array=distinct, wide=not long_form)
    if org is not None:
        if placed is not None:
            facts_table.found_in(org, placed)
        problems.extend(facts_table.unknown_units(org))
    if metrics is not None:
        problems.extend(facts_table.problems(metrics))
        if not ignore_unknown_metrics:  # (if ignored, the roll-up warns of them)
            problems.extend(undeclared_metrics(facts_table, metrics))
    if problems:
        raise FactsError(sorted(problems, key=lambda found: found.line or 0))
    return Facts.of_table(facts_table, period=chosen, warnings=warnings, metrics=metrics,
                          ignore_unknown_metrics=ignore_unknown_metrics)


def _without_empty_rows(table: Table) -> Table:
    """``table`` without the rows whose every figure (each cell but the unit's, its name
    and kind, and the period) is blank."""
    figures = [column for name, column in table.columns.items()
               if name not in ("unit", "period", *FOR_PEOPLE)]
    if not table.rows:
        return table
    given = np.zeros(table.rows, dtype=bool)
    for column in figures:
        given |= ~np.asarray(pc.equal(pc.utf8_trim(column, SPACE), ""), dtype=bool)
    if given.all():
        return table
    keep = pa.array(given)
    return attrs.evolve(table, columns={name: column.filter(keep)
                                        for name, column in table.columns.items()},
                        lines=table.lines[given])


def _placed_once(units: pa.ChunkedArray, org: Org) -> npt.NDArray[np.int64] | None:
    """Each row's unit's position in ``org`` (-1: not in it), when no unit has two rows
    (``None`` when one has): the org's ids and the units coded in one pass, the ids
    first, so that, the ids being unique, a unit's code is its position when it is one."""
    ids = org.id_array
    count = len(ids)
    values, codes = dictionary_codes(pa.chunked_array(
        [ids, *units.chunks] if isinstance(ids, pa.Array) else [*ids.chunks, *units.chunks],
        type=pa.string()))
    ours = codes[count:]
    if len(ours) and np.bincount(ours, minlength=len(values)).max() > 1:
        return None
    return np.where(ours < count, ours, -1)


def _same(units: pa.Array, org: Org) -> bool:
    """Whether ``units`` are the organisation's ids, in its order."""
    return same_texts(units, org.id_array)


def _choose_period(table: Table, period: str | None, problems: list[Problem]
                   ) -> tuple[str | None, npt.NDArray[np.bool_]]:
    """The period to read, the one asked for or the file's only one (SPEC §2), and
    which rows are of that period.

    Several periods and none asked for is an error that stops the reading:
    rows of different periods would only add noise.
    """

    def problem(message: str, line: int | None = None) -> None:
        problems.append(Problem(message, file=table.file, line=line))

    every = np.ones(table.rows, dtype=bool)
    if "period" not in table.header:
        if period is not None:
            problem(f"period {period!r} was asked for, but the file has no period column",
                    table.header_line)
        return None, every
    values = _normalised(table.columns["period"])
    empty = np.asarray(pc.equal(values, ""), dtype=bool)
    for line in table.lines[empty].tolist():
        problem("empty period", int(line))
    periods = [value for value in pc.unique(values).to_pylist() if value]
    if period is not None:
        period = normalise(period)
        if period not in periods:
            problem(f"period {period!r} is not in the file "
                    f"(it has {', '.join(map(repr, periods)) or 'no rows'})")
        return period, np.asarray(pc.equal(values, period), dtype=bool)
    if len(periods) > 1:
        problem(f"the file holds several periods ({', '.join(map(repr, periods))}); "
                "choose one (--period, or period=)")
        raise FactsError(problems)
    chosen = periods[0] if periods else None
    return chosen, (np.asarray(pc.equal(values, chosen), dtype=bool) if chosen is not None
                    else ~empty)


# --- writing ------------------------------------------------------------------------


def _cell(value: RawValue) -> str:
    """A value as a cell holds it: numbers as they are read back (1e-05 as 0.00001), a
    text a spreadsheet would run as a formula with an apostrophe before it."""
    text = file_text(value)
    if text is None:
        return ""
    return text if isinstance(value, int | float) else csv_text(text)


def write_csv(stream: TextIO, rows: Iterable[Sequence[RawValue]]) -> int:
    """Write ``rows`` (the header first) to ``stream`` as CSV, each cell as
    :func:`_cell` writes it; the number of rows written.

    Every CSV file doanorg writes goes through here: no text in it runs as a
    formula, and doanorg's reader reads back the texts written.

    >>> import io
    >>> out = io.StringIO()
    >>> write_csv(out, [["id", "name"], ["c1", "=HYPERLINK(1)"], ["c2", 3]])
    3
    >>> print(out.getvalue(), end="")
    id,name
    c1,'=HYPERLINK(1)
    c2,3
    """
    writer = csv.writer(stream, lineterminator="\n")
    # a carriage return is no special character to a writer whose lines end in LF, and
    # a reader would end the line there: a row holding one is written all quoted
    quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
    count = 0
    for row in rows:
        cells = [_cell(value) for value in row]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
        count += 1
    return count


def rewrite_csv(source: str | Path, stream: TextIO) -> int:
    """Read the CSV file ``source`` with doanorg's reader and write its header and rows
    to ``stream`` with :func:`write_csv` (as ``demo --export`` writes the example's
    files); the number of rows written below the header."""
    table = read_table(source, DoanorgError, [])
    columns = [table.columns[name].to_pylist() for name in table.header]
    return write_csv(stream, [table.header, *zip(*columns, strict=True)]) - 1


def write_facts_csv(facts: Facts, path: str | Path, *, org: Org | None = None,
                    metrics: Sequence[str] = ()) -> int:
    """Write ``facts`` in long form (``unit,metric,value`` and ``period`` if it has one);
    the number of rows written below the header.

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

    def rows() -> Iterable[Sequence[RawValue]]:
        yield header
        for unit in units:
            given = facts.values.get(unit, {})
            if not given and metrics:
                yield [unit, metrics[0], None, *period]
            for metric in sorted(given, key=lambda m: (order.get(m, len(order)), m)):
                yield [unit, metric, given[metric], *period]

    with Path(path).open("w", encoding="utf-8", newline="") as stream:
        return write_csv(stream, rows()) - 1
