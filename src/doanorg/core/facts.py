"""Facts: what each unit reported of its OWN work, one value per metric.

A *fact* is one value of one metric for one unit in one period: the unit's
own contribution (what it did itself), never a subtree total. Totals are
the engine's job (:mod:`doanorg.core.engine`). Metric types and how one value is
read are in :mod:`doanorg.core.metrics`.

A *missing* value (no row, or an empty cell) means 0 for ``count`` and
``amount``, false for ``flag`` and "no category" for ``category``. A unit
with no row at all in the period is *not reported*, which the report keeps
apart from a unit that reported zeros.

One representation, columns. :class:`FactTable` holds the units that
reported (each once) and, for each metric, the cells given, as read: text
from a file in one pyarrow array a metric, or Python values. It reads a
metric's cells against the plan's :class:`~doanorg.core.metrics.Metric` a whole
column at a time, once: the typed column is kept for every later roll-up.
:class:`Facts` is the table seen as ``{unit: {metric: value}}``, with the
units that reported, the period and the lines values came from. Problems
name the file, line, unit and metric. :meth:`Facts.with_value` edits facts
without copying them.

Examples
--------
>>> facts = Facts.from_records({"c1": {"youth_projects": "3", "rating": "tot"}, "c2": {}})
>>> facts.raw("c1", "youth_projects"), facts.raw("c2", "youth_projects")
('3', None)
>>> sorted(facts.reported)
['c1', 'c2']
>>> metric = Metric("youth_projects", MetricType.COUNT)
>>> facts.columns().typed({"youth_projects": metric})["youth_projects"].column.data.tolist()
[3, 0]
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from doanorg.core._columns import Column, build_column, read_cells
from doanorg.core._overlay import Overlay
from doanorg.core._texts import SPACE, same_texts, whole
from doanorg.core.metrics import (
    FLAG_FALSE,
    FLAG_TRUE,
    Metric,
    MetricType,
    RawValue,
    Value,
    coerce,
    missing_value,
)
from doanorg.errors import FactsError, Problem

if TYPE_CHECKING:
    from doanorg.core.model import Org

__all__ = [
    "FLAG_FALSE",
    "FLAG_TRUE",
    "FactTable",
    "Facts",
    "Given",
    "Metric",
    "MetricType",
    "RawValue",
    "TypedColumn",
    "Value",
    "coerce",
    "missing_value",
]


@attrs.frozen(eq=False)
class Given:
    """One metric's cells, as given: cell ``i`` is the value of unit ``rows[i]`` of its
    table (``rows`` is ``None`` when cell ``i`` is unit ``i``'s), read from ``lines[i]``.

    An empty (or blank) cell gives no value. A unit may have several cells, as a
    long-form file repeats a row: they must then agree.
    """

    cells: pa.Array | Sequence[RawValue]
    rows: npt.NDArray[np.int64] | None = None
    lines: npt.NDArray[np.int64] | None = None

    def __len__(self) -> int:
        return len(self.cells)

    @functools.cached_property
    def cells_of(self) -> Mapping[int, list[int]]:
        """Each unit row's cells, in order (made when a value is first looked up by
        unit)."""
        rows = range(len(self.cells)) if self.rows is None else self.rows.tolist()
        cells: dict[int, list[int]] = {}
        for cell, row in enumerate(rows):
            cells.setdefault(row, []).append(cell)
        return cells

    def cell(self, row: int) -> RawValue:
        """The first cell of unit ``row`` that gives a value, as given; ``None`` if none."""
        for cell in self.cells_of.get(row, ()):
            raw = _as_given(self.cells, cell)
            if raw is not None and not (isinstance(raw, str) and not raw.strip(SPACE)):
                return raw
        return None


@attrs.frozen(eq=False)
class TypedColumn:
    """One metric's values, one per unit of a table: :attr:`column` encodes them as the
    engine does (:class:`~doanorg.core._columns.Column`); :attr:`present` says which units
    gave a value."""

    column: Column
    present: npt.NDArray[np.bool_]

    @property
    def metric(self) -> Metric:
        return self.column.metric


class FactTable:
    """Facts as columns: the units that reported, each once, and each metric's cells.

    ``units`` are the units in the order they first appear; ``unit_lines`` (if known)
    where each first appears; ``given`` each metric's :class:`Given` cells; ``edits``
    values set since (:meth:`with_value`); ``wide`` whether each metric's cells are a
    column of a wide file (its name on line 1). Cells are read against a metric by
    :meth:`typed`, once for each metric: the result is kept.
    """

    def __init__(self, units: Sequence[str], given: Mapping[str, Given], *,
                 unit_lines: npt.NDArray[np.int64] | None = None, source: str | None = None,
                 unit_array: pa.Array | None = None,
                 edits: Overlay[tuple[int, str], RawValue] | None = None,
                 base: FactTable | None = None, wide: bool = False) -> None:
        self.units = units
        self.given = given
        self.wide = wide
        self.unit_lines = unit_lines
        self.source = source
        self.unit_array = unit_array
        """The units as a pyarrow array, when read from a file (matched with the org's
        ids in C)."""
        self.edits: Overlay[tuple[int, str], RawValue] = edits if edits is not None \
            else Overlay()
        self.base = base
        """The table these are edits of (its typed columns are shared)."""
        self._typed: dict[Metric, tuple[TypedColumn, tuple[Problem, ...]]] = {}
        self._placed: tuple[object, npt.NDArray[np.int64]] | None = None

    @classmethod
    def of_values(cls, values: Mapping[str, Mapping[str, RawValue]],
                  reported: Iterable[str] = (),
                  lines: Mapping[tuple[str, str], int] | None = None,
                  source: str | None = None) -> FactTable:
        """The table of ``{unit: {metric: value}}`` (units in ``reported`` and not in
        ``values`` reported nothing)."""
        units = list(dict.fromkeys([*values, *reported]))
        cells: dict[str, tuple[list[RawValue], list[int], list[int]]] = {}
        for row, unit in enumerate(units):
            for metric, value in values.get(unit, {}).items():
                given = cells.setdefault(metric, ([], [], []))
                given[0].append(value)
                given[1].append(row)
                given[2].append(lines.get((unit, metric), 0) if lines else 0)
        unit_lines = None
        if lines:
            unit_lines = np.array([lines.get((unit, ""), 0) for unit in units], dtype=np.int64)
        return cls(units, {metric: Given(given[0], np.array(given[1], dtype=np.int64),
                                         np.array(given[2], dtype=np.int64) if lines else None)
                           for metric, given in cells.items()},
                   unit_lines=unit_lines, source=source)

    def __len__(self) -> int:
        return len(self.units)

    @functools.cached_property
    def index(self) -> Mapping[str, int]:
        """Each unit's row (made when a unit is first looked up by id)."""
        return dict(zip(self.units, range(len(self.units)), strict=True))

    def metrics(self) -> frozenset[str]:
        """Every metric some cell was given for."""
        return frozenset(self.given) | frozenset(metric for _, metric in self.edits)

    def unit_line(self, row: int) -> int | None:
        if self.unit_lines is None or row >= len(self.unit_lines):
            return None
        return int(self.unit_lines[row]) or None

    def line(self, unit: str, metric: str) -> int | None:
        """The line of ``unit``'s first cell of ``metric`` (of its first row for ``""``)."""
        row = self.index.get(unit)
        if row is None:
            return None
        given = self.given.get(metric)
        if given is None or given.lines is None or row not in given.cells_of:
            return self.unit_line(row)
        return int(given.lines[given.cells_of[row][0]]) or None

    def raw(self, unit: str, metric: str) -> RawValue:
        """The value ``unit`` gave for ``metric``, as given; ``None`` if it gave none."""
        row = self.index.get(unit)
        if row is None:
            return None
        edited = self.edits.get((row, metric), _UNSET)
        if edited is not _UNSET:
            return edited
        given = self.given.get(metric)
        return None if given is None else given.cell(row)

    def row(self, unit: str) -> dict[str, RawValue]:
        """Every value ``unit`` gave, as given, by metric."""
        found = {metric: self.raw(unit, metric) for metric in self.metrics()}
        return {metric: value for metric, value in found.items() if value is not None}

    # --- read against metrics ------------------------------------------------------

    def typed(self, metrics: Mapping[str, Metric]) -> dict[str, TypedColumn]:
        """Each metric of ``metrics`` read from its cells: one value a unit of the table
        (a metric with no cells has every value missing).

        Raises :class:`~doanorg.FactsError` listing every cell that does not fit its
        metric, and every metric given twice for a unit with different values.
        """
        self._read_many(metrics.values())
        read = {name: self._read(metric) for name, metric in metrics.items()}
        problems = [problem for _, found in read.values() for problem in found]
        if problems:
            raise FactsError(sorted(problems, key=_by_line))
        return {name: typed for name, (typed, _) in read.items()}

    def problems(self, metrics: Mapping[str, Metric]) -> list[Problem]:
        """What :meth:`typed` would raise, as a list."""
        self._read_many(metrics.values())
        return [problem for metric in metrics.values() for problem in self._read(metric)[1]]

    def _read_many(self, metrics: Iterable[Metric]) -> None:
        """Read the columns of ``metrics`` not yet read, several at once on as many
        threads as there are cores when there are many cells (the reading is done in C
        and numpy, which let threads run side by side)."""
        todo = [metric for metric in metrics if metric not in self._typed]
        workers = min(len(todo), os.cpu_count() or 1)
        if self.base is not None or workers < 2 or len(self.units) < _MANY_CELLS:
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for metric, found in zip(todo, pool.map(self._read_given, todo), strict=True):
                self._typed[metric] = found

    def _read(self, metric: Metric) -> tuple[TypedColumn, tuple[Problem, ...]]:
        found = self._typed.get(metric)
        if found is None:
            found = self._typed[metric] = self._edited(metric) if self.base is not None \
                else self._read_given(metric)
        return found

    def _read_given(self, metric: Metric) -> tuple[TypedColumn, tuple[Problem, ...]]:
        given = self.given.get(metric.id)
        empty = build_column(metric, len(self.units), ())
        if given is None:
            return TypedColumn(empty, np.zeros(len(self.units), dtype=bool)), ()
        read = read_cells(metric, given.cells)
        problems = [self._problem(given, cell, f"unit {{unit!r}}: {message}", metric.id)
                    for cell, message in read.problems]
        usable = read.present.copy()
        usable[[cell for cell, _ in read.problems]] = False
        if given.rows is None and len(given) == len(self.units):
            return TypedColumn(read.column, usable), tuple(problems)
        rows = np.arange(len(given)) if given.rows is None else given.rows
        cells = np.flatnonzero(usable)
        data = read.column.data
        problems += self._disagreements(given, metric, rows, cells, data)
        values = empty.data.astype(data.dtype)
        values[rows[cells]] = data[cells]
        present = np.zeros(len(self.units), dtype=bool)
        present[rows[cells]] = True
        return TypedColumn(attrs.evolve(read.column, data=values), present), tuple(problems)

    def _disagreements(self, given: Given, metric: Metric, rows: npt.NDArray[np.int64],
                       cells: npt.NDArray[np.int64], data: npt.NDArray[Any]) -> list[Problem]:
        """A unit's cells that give another value than its first one, each a problem."""
        order = cells[np.argsort(rows[cells], kind="stable")]
        again = np.flatnonzero(rows[order][1:] == rows[order][:-1]) + 1
        if not len(again):
            return []
        found = []
        first_of: dict[int, int] = {}
        for position in range(len(order)):
            first_of.setdefault(int(rows[order[position]]), int(order[position]))
        for position in again.tolist():
            cell = int(order[position])
            first = first_of[int(rows[cell])]
            if data[cell] != data[first]:
                text = _as_given(given.cells, cell)
                earlier = _as_given(given.cells, first)
                line = "" if given.lines is None else f" at line {int(given.lines[first])}"
                found.append(self._problem(
                    given, cell, f"unit {{unit!r}}: {metric.id} is given twice with different "
                    f"values ({earlier!r}{line}, {text!r} here)", metric.id))
        return found

    def _problem(self, given: Given, cell: int, message: str, metric: str) -> Problem:
        row = cell if given.rows is None else int(given.rows[cell])
        unit = self.units[row]
        line = self.unit_line(row) if given.lines is None else int(given.lines[cell]) or None
        # (not str.format: the message holds the cell's own text, braces and all)
        return Problem(message.replace("{unit!r}", repr(unit)), file=self.source, line=line,
                       unit=unit, metric=metric)

    def _edited(self, metric: Metric) -> tuple[TypedColumn, tuple[Problem, ...]]:
        """The base table's column with this table's edits of ``metric`` applied."""
        assert self.base is not None
        typed, problems = self.base._read(metric)
        edits = [(row, value) for (row, name), value in self.edits.items() if name == metric.id]
        count = len(self.units)
        if not edits and count == len(typed.present):
            return typed, problems
        data = build_column(metric, count, ()).data.astype(typed.column.data.dtype)
        data[: len(typed.present)] = typed.column.data
        present = np.zeros(count, dtype=bool)
        present[: len(typed.present)] = typed.present
        column = attrs.evolve(typed.column, data=data)
        found = list(problems)
        for row, raw in edits:
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                # (the missing value as a Python scalar: an array of Python integers
                # must not hold an int64, whose sums would overflow)
                column.data[row], present[row] = build_column(metric, 1, ()).data[0].item(), False
                continue
            try:
                value = coerce(metric, raw)
            except ValueError as error:
                found.append(Problem(f"unit {self.units[row]!r}: {error}", file=self.source,
                                     unit=self.units[row], metric=metric.id))
                continue
            if not column.holds(value):  # a finer scale, or beyond int64: all read again
                column = _widened(column, value)
            column.data[row], present[row] = column.encode(value), True
        return TypedColumn(column, present), tuple(found)

    def with_value(self, unit: str, metric: str, value: RawValue) -> FactTable:
        """This table with ``unit``'s ``metric`` set to ``value`` (``None``: no value);
        this one is left as it was, and its typed columns are shared."""
        row = self.index.get(unit)
        units = self.units
        if row is None:
            row, units = len(units), (*units, unit)
        base = self if self.base is None else self.base
        table = FactTable(units, self.given, unit_lines=self.unit_lines, source=self.source,
                          unit_array=None, edits=self.edits.updated({(row, metric): value}),
                          base=base, wide=self.wide)
        if units is self.units:
            table.__dict__["index"] = self.index
        return table

    # --- placed in an organisation -------------------------------------------------

    def positions_in(self, org: Org) -> npt.NDArray[np.int64]:
        """Each unit's position in ``org``, tree order (found once for each org).

        Raises :class:`~doanorg.FactsError` listing every unit not in ``org``.
        """
        positions = self._find_in(org)
        missing = np.flatnonzero(positions < 0)
        if len(missing):
            raise FactsError(self._unknown(missing.tolist()))
        return positions

    def found_in(self, org: Org, positions: npt.NDArray[np.int64]) -> None:
        """Record each unit's position in ``org`` (-1: not in it), found by the reader
        (so that it is not looked for again)."""
        if len(positions) != len(self.units):
            raise ValueError(f"{len(positions)} positions for {len(self.units)} units")
        self._placed = (org, positions)

    def unknown_units(self, org: Org) -> list[Problem]:
        """A problem for each unit not in ``org``."""
        return self._unknown(np.flatnonzero(self._find_in(org) < 0).tolist())

    def unknown_rows(self, known: Mapping[str, Any] | AbstractSet[str]) -> list[Problem]:
        """A problem for each unit not in ``known``."""
        return self._unknown([row for row, unit in enumerate(self.units) if unit not in known])

    def _unknown(self, rows: list[int]) -> list[Problem]:
        return [Problem(f"unit {self.units[row]!r} is not in the organisation",
                        file=self.source, line=self.unit_line(row), unit=self.units[row])
                for row in rows]

    def _find_in(self, org: Org) -> npt.NDArray[np.int64]:
        """Each unit's position in ``org`` (-1: not in it), found once for each org."""
        placed = self._placed
        if placed is not None and placed[0] is org:
            return placed[1]
        positions = self._search(org)
        self._placed = (org, positions)
        return positions

    def _search(self, org: Org) -> npt.NDArray[np.int64]:
        count = len(self.units)
        if self.base is not None:  # the base's units, then those the edits added
            known = self.base._find_in(org)
            positions = org.positions
            added = [positions.get(unit, -1) for unit in self.units[len(known):]]
            return np.concatenate([known, np.array(added, dtype=np.int64)])
        if self.unit_array is not None:
            ids = org.id_array
            if same_texts(self.unit_array, ids):  # listed as the organisation lists them
                return np.arange(count, dtype=np.int64)
            found = pc.index_in(self.unit_array, value_set=whole(ids))
            return np.asarray(found.fill_null(-1), dtype=np.int64)
        if self.units is org.id_texts:
            return np.arange(count, dtype=np.int64)
        positions = org.positions
        return np.fromiter((positions.get(unit, -1) for unit in self.units), dtype=np.int64,
                           count=count)


_UNSET: Any = object()
_MANY_CELLS = 50_000
"""The units from which the columns are read on several threads."""


def _by_line(problem: Problem) -> int:
    return problem.line or 0


def _as_given(cells: pa.Array | Sequence[RawValue], cell: int) -> RawValue:
    value = cells[cell]
    return value.as_py() if isinstance(value, pa.Scalar) else value


def _widened(column: Column, value: Value) -> Column:
    """``column`` made anew so that it also holds ``value`` (a finer scale, or Python
    integers): each stored value read back and stored again."""
    values = column.decode_all(column.data)
    probe = build_column(column.metric, len(values) + 1,
                         [*enumerate(values), (len(values), value)])
    return attrs.evolve(probe, data=probe.data[: len(values)].copy())


class _Values(Mapping[str, Mapping[str, RawValue]]):
    """A :class:`FactTable` as ``{unit: {metric: value}}``: each unit's values, as given
    (or read against the metrics the table was read with), made when asked for."""

    def __init__(self, table: FactTable, metrics: Mapping[str, Metric] | None = None) -> None:
        self.table = table
        self.metrics = metrics or {}

    def __getitem__(self, unit: str) -> Mapping[str, RawValue]:
        if unit not in self.table.index:
            raise KeyError(unit)
        row = self.table.index[unit]
        values = self.table.row(unit)
        for name, metric in self.metrics.items():
            if name in values:
                typed = self.table.typed({name: metric})[name]
                values[name] = typed.column.value(row) if typed.present[row] else None
        return {name: value for name, value in values.items() if value is not None}

    def __iter__(self) -> Iterator[str]:
        return iter(self.table.units)

    def __len__(self) -> int:
        return len(self.table.units)

    def __contains__(self, unit: object) -> bool:
        return unit in self.table.index


class _Lines(Mapping[tuple[str, str], int]):
    """The line of ``(unit, metric)`` in a table's file (``(unit, "")``: its first row)."""

    def __init__(self, table: FactTable) -> None:
        self.table = table

    def __getitem__(self, key: tuple[str, str]) -> int:
        line = self.table.line(*key)
        if line is None:
            raise KeyError(key)
        return line

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((unit, "") for unit in self.table.units)

    def __len__(self) -> int:
        return len(self.table.units)


class _Reported(AbstractSet[str]):
    """The units of a :class:`FactTable`, as a set looked up in its index."""

    def __init__(self, table: FactTable) -> None:
        self.table = table

    @classmethod
    def _from_iterable(cls, units: Iterable[str]) -> frozenset[str]:  # type: ignore[override]
        """What ``|``, ``&`` and ``-`` give: a plain frozenset."""
        return frozenset(units)

    def __contains__(self, unit: object) -> bool:
        return unit in self.table.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.table.units)

    def __len__(self) -> int:
        return len(self.table.units)


@attrs.frozen
class Facts:
    """The facts of one period: each unit's own values.

    ``values[unit][metric]`` is the value as given (read against its metric when the
    facts were loaded with the plan); ``reported`` holds the units with at least one
    row in the period (even an empty one). ``lines`` maps ``(unit, metric)`` to the
    line that gave the value, and ``(unit, "")`` to the unit's first row, for messages.
    :meth:`columns` gives the same facts as the engine reads them, a column a metric.
    """

    values: Mapping[str, Mapping[str, RawValue]]
    reported: AbstractSet[str]
    period: str | None = None
    source: str | None = None
    lines: Mapping[tuple[str, str], int] = attrs.field(factory=dict, eq=False, repr=False)
    warnings: tuple[Problem, ...] = attrs.field(default=(), eq=False)
    table: FactTable | None = attrs.field(default=None, eq=False, repr=False)
    """The facts as columns, when read from a file or edited from such facts; else made
    from :attr:`values` when first needed (:meth:`columns`)."""
    ignore_unknown_metrics: bool = attrs.field(default=False, eq=False, repr=False)
    """Whether the user asked to ignore facts of metrics the plan does not declare (one
    warning a metric), rather than have them refused (SPEC §2): every roll-up of these
    facts, and of the facts edited from them, does as asked."""
    assessments: dict[Any, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)
    """The roll-ups of these facts already made, for organisations and plans: a cache
    (:func:`doanorg.assess` assesses the same inputs again at no cost)."""

    @classmethod
    def of_table(cls, table: FactTable, *, period: str | None = None,
                 warnings: tuple[Problem, ...] = (),
                 metrics: Mapping[str, Metric] | None = None,
                 ignore_unknown_metrics: bool = False) -> Facts:
        """The facts of ``table``; with ``metrics``, values are shown as read against
        them."""
        return cls(_Values(table, metrics), _Reported(table), period, table.source,
                   _Lines(table), warnings, table, ignore_unknown_metrics)

    @classmethod
    def from_records(
        cls, records: Mapping[str, Mapping[str, RawValue]], *, period: str | None = None,
        ignore_unknown_metrics: bool = False,
    ) -> Facts:
        """Facts from ``{unit: {metric: value}}``; every unit named counts as reported.
        With ``ignore_unknown_metrics``, values of metrics a plan does not declare are
        ignored when the facts are assessed (one warning a metric), not refused."""
        return cls(
            {unit: dict(values) for unit, values in records.items()},
            frozenset(records),
            period,
            ignore_unknown_metrics=ignore_unknown_metrics,
        )

    def columns(self) -> FactTable:
        """These facts as a :class:`FactTable` (made from :attr:`values` the first time,
        for facts given as mappings)."""
        if self.table is None:
            table = FactTable.of_values(self.values, self.reported, self.lines, self.source)
            object.__setattr__(self, "table", table)
            return table
        return self.table

    def with_value(self, unit: str, metric: str, value: RawValue) -> Facts:
        """These facts with ``unit``'s ``metric`` set to ``value`` (``None``: missing).

        The unit counts as reported. The new facts share everything with these, which
        stay as they were; the cost of an edit does not grow with the edits before it.
        """
        table = self.columns().with_value(unit, metric, value)
        read_with = self.values.metrics if isinstance(self.values, _Values) else None
        return attrs.evolve(self, values=_Values(table, read_with), reported=_Reported(table),
                            lines=_Lines(table), table=table)

    def raw(self, unit: str, metric: str) -> RawValue:
        """The value ``unit`` gave for ``metric``, as given; ``None`` if it gave none."""
        return self.values.get(unit, {}).get(metric)

    def metrics(self) -> frozenset[str]:
        """Every metric some unit gave a value for (for a file: every metric column)."""
        return self.columns().metrics()

    def where(self, unit: str, metric: str) -> Problem:
        """An empty problem located at the row that gave ``unit``'s ``metric``."""
        return Problem(
            "", file=self.source, line=self.lines.get((unit, metric)), unit=unit, metric=metric
        )

    def problems(self, units: Iterable[str], metrics: Mapping[str, Metric]) -> list[Problem]:
        """Every value that names a unit not in ``units`` or does not fit its metric,
        in the order of the file. Metrics not in ``metrics`` are skipped."""
        table = self.columns()
        known = units if isinstance(units, Mapping | AbstractSet) else frozenset(units)
        unknown = table.unknown_rows(known)
        return sorted([*unknown, *table.problems(metrics)], key=_by_line)
