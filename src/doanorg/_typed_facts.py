"""Facts read straight into typed columns: the quick way for large wide files.

A wide facts file read with its plan's metrics (:func:`doanorg.load_facts`
with ``plan=``) is turned into one typed array per metric, a whole column
at a time, instead of one Python value per cell: :class:`TypedFacts`. The
engine then takes those arrays as they are. :class:`TypedView` presents
them as the usual ``{unit: {metric: value}}`` mapping of
:attr:`doanorg.Facts.values`, values already read against their metric.

:func:`typed_column` accepts only what it can read with certainty
(``3``, ``0.25``, ``có``, a declared category); anything else sends the
column back to :func:`~doanorg.facts.coerce`, value by value, so that both
ways give the same values and the same messages.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from doanorg._columns import INT64_LIMIT, Column, build_column
from doanorg.facts import FLAG_FALSE, FLAG_TRUE, Metric, MetricType, RawValue, Value

__all__ = ["RowLines", "TypedColumn", "TypedFacts", "TypedView", "typed_column",
           "typed_column_of_values"]



@attrs.frozen(eq=False)
class TypedColumn:
    """One metric's values, one per row: :attr:`column` encodes them as the engine
    does; :attr:`present` says which rows gave a value (an empty cell gives none)."""

    column: Column
    present: npt.NDArray[np.bool_]

    @property
    def metric(self) -> Metric:
        return self.column.metric


@attrs.frozen(eq=False)
class TypedFacts:
    """The rows of a wide facts file (one per unit) as typed columns."""

    units: tuple[str, ...]
    columns: Mapping[str, TypedColumn]
    lines: npt.NDArray[np.int64]
    ignored: tuple[str, ...] = ()
    """Columns of the file that are not metrics of the plan."""
    placed: tuple[object, npt.NDArray[np.int64]] | None = None
    """``(org, positions)``: each row's position in the org it was checked against."""

    def positions_in(self, org: Any) -> npt.NDArray[np.int64] | None:
        """Each row's unit position in ``org``, if the rows were placed in that very org."""
        if self.placed is not None and self.placed[0] is org:
            return self.placed[1]
        return None

    @functools.cached_property
    def index(self) -> Mapping[str, int]:
        """Each unit's row (made when first asked for: a large file's engine never asks)."""
        return dict(zip(self.units, range(len(self.units)), strict=True))

    @property
    def reported(self) -> AbstractSet[str]:
        """The units with a row: every unit of the file."""
        return _ReportedUnits(self)

    def covers(self, metric: Metric) -> bool:
        """Whether the column of ``metric`` was typed as the plan now declares it."""
        typed = self.columns.get(metric.id)
        return typed is not None and typed.metric == metric

    def row(self, unit: str) -> dict[str, RawValue]:
        """The values ``unit``'s row gave, read against their metrics."""
        row = self.index[unit]
        return {name: typed.column.value(row) for name, typed in self.columns.items()
                if typed.present[row]}


_T = TypeVar("_T")


class _ReportedUnits(AbstractSet[str]):
    """The units of :class:`TypedFacts` as a set, looked up in its index."""

    def __init__(self, typed: TypedFacts) -> None:
        self.typed = typed

    @classmethod
    def _from_iterable(cls, units: Iterable[_T]) -> frozenset[_T]:
        """What ``|``, ``&`` and ``-`` give: a plain frozenset."""
        return frozenset(units)

    def __contains__(self, unit: object) -> bool:
        return unit in self.typed.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.typed.units)

    def __len__(self) -> int:
        return len(self.typed.units)


class TypedView(Mapping[str, Mapping[str, RawValue]]):
    """:class:`TypedFacts` as ``{unit: {metric: value}}``, each unit's dict made on demand."""

    def __init__(self, typed: TypedFacts) -> None:
        self.typed = typed

    def __getitem__(self, unit: str) -> Mapping[str, RawValue]:
        return self.typed.row(unit)

    def __iter__(self) -> Iterator[str]:
        return iter(self.typed.units)

    def __len__(self) -> int:
        return len(self.typed.units)

    def __contains__(self, unit: object) -> bool:
        return unit in self.typed.index


class RowLines(Mapping[tuple[str, str], int]):
    """The line of ``(unit, metric)``: in a wide file, the line of the unit's row."""

    def __init__(self, typed: TypedFacts) -> None:
        self.typed = typed

    def __getitem__(self, key: tuple[str, str]) -> int:
        return int(self.typed.lines[self.typed.index[key[0]]])

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((unit, "") for unit in self.typed.units)

    def __len__(self) -> int:
        return len(self.typed.units)


def typed_column_of_values(metric: Metric, values: Sequence[Value]) -> TypedColumn:
    """A column from values already read against ``metric``; ``None`` is no value."""
    present = np.array([value is not None for value in values], dtype=bool)
    given = [(row, value) for row, value in enumerate(values) if value is not None]
    return TypedColumn(build_column(metric, len(values), given), present)


def typed_column(metric: Metric, cells: Sequence[str]) -> TypedColumn | None:
    """A column read from text cells a whole column at a time; ``None`` where some
    value is not plainly valid (read those value by value, for the messages)."""
    text = np.char.strip(np.asarray(cells, dtype=np.str_))
    present = text != ""
    given = text[present]
    rows = len(cells)
    data: npt.NDArray[Any]
    try:
        match metric.type:
            case MetricType.COUNT:
                numbers = given.astype(np.int64)
                if (numbers < 0).any() or (numbers.size and
                                            numbers.max() >= INT64_LIMIT // max(rows, 1)):
                    return None
                data = np.zeros(rows, dtype=np.int64)
                data[present] = numbers
                return TypedColumn(Column(metric, data), present)
            case MetricType.AMOUNT:
                return _amounts(metric, given, present)
            case MetricType.FLAG:
                lowered = np.char.lower(given)
                true, false = np.isin(lowered, FLAG_TRUE), np.isin(lowered, FLAG_FALSE)
                if not (true | false).all():
                    return None
                data = np.zeros(rows, dtype=bool)
                data[present] = true
                return TypedColumn(Column(metric, data), present)
            case MetricType.CATEGORY:
                declared = np.asarray(metric.values, dtype=np.str_)
                order = np.argsort(declared)
                found = np.searchsorted(declared[order], given)
                found = np.minimum(found, len(declared) - 1)
                codes = order[found]
                if not (declared[codes] == given).all():
                    return None
                data = np.full(rows, -1, dtype=np.int16)
                data[present] = codes
                return TypedColumn(Column(metric, data), present)
    except ValueError:  # a cell that numpy does not read as a number
        return None


def _amounts(metric: Metric, given: npt.NDArray[np.str_],
             present: npt.NDArray[np.bool_]) -> TypedColumn | None:
    """Amounts as exact integers at the scale of the most decimals written."""
    if given.size == 0:
        return TypedColumn(Column(metric, np.zeros(len(present), dtype=np.int64)), present)
    if (np.char.find(given, "e") >= 0).any() or (np.char.find(given, "E") >= 0).any():
        return None
    numbers = given.astype(np.float64)
    if not np.isfinite(numbers).all() or (numbers < 0).any():
        return None
    dot = np.char.find(given, ".")
    places = int(np.where(dot >= 0, np.char.str_len(given) - dot - 1, 0).max())
    scale = 10**places
    scaled = numbers * scale
    if scaled.max() >= min(2**51, INT64_LIMIT // max(len(present), 1)):
        return None  # beyond exact float arithmetic: read value by value
    data = np.zeros(len(present), dtype=np.int64)
    data[present] = np.rint(scaled).astype(np.int64)
    return TypedColumn(Column(metric, data, scale), present)
