"""Typed own-value columns: one numpy array per metric, and conditions over them.

The engine's raw material. A :class:`Column` holds every unit's own value of
one metric, in tree order, in a form that sums and compares exactly:

- ``count``: int64;
- ``amount``: int64 holding the value times ``scale``, a power of 10 large
  enough for every decimal written (0.25 with scale 100 is 25), so that sums
  are exact; where that would overflow, Python integers (dtype object);
- ``flag``: bool;
- ``category``: int16 code into the metric's values, -1 for no category.

:func:`passes` evaluates a :class:`~doanorg.Condition` over a whole column at
once, exactly: a bound is turned into the integer threshold it means for
the column (``at_least = 2.5`` on a count means ``>= 3``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from doanorg.core._texts import SPACE, dictionary_codes
from doanorg.core.metrics import (
    AMOUNT_TEXT,
    COUNT_TEXT,
    Metric,
    MetricType,
    RawValue,
    Value,
    coerce,
)
from doanorg.core.rules import Condition
from doanorg.core.rules import exact_decimal as exact

__all__ = ["Bounds", "CellsRead", "Column", "build_column", "passes", "read_cells", "shortfalls",
           "unscaled"]

Array = npt.NDArray[Any]
INT64_LIMIT = 2**62  # head-room so that a sum of a column cannot overflow


def _decimals(value: float) -> int:
    """How many decimals the shortest text of ``value`` has: 0.25 → 2, 1e-07 → 7."""
    mantissa, _, exponent = repr(value).partition("e")
    places = len(mantissa.partition(".")[2].rstrip("0"))
    return max(0, places - int(exponent or 0))


def unscaled(scaled: int, scale: int) -> int | float:
    """``scaled / scale`` as a number: an int when it is whole, else the nearest float
    (which is what ``float(Fraction(scaled, scale))`` gives).

    >>> unscaled(200, 100), unscaled(25, 100)
    (2, 0.25)
    """
    whole, rest = divmod(scaled, scale)
    return whole if rest == 0 else scaled / scale


@attrs.frozen(eq=False)
class Column:
    """Every unit's own value of one metric, in tree order (see the module docstring)."""

    metric: Metric
    data: Array
    scale: int = 1

    def value(self, position: int) -> Value:
        """The own value at ``position`` as a Python value (as :func:`~doanorg.core.facts.coerce`
        reads it)."""
        return self.decode(self.data[position])

    def decode(self, raw: Any) -> Value:
        """A value as stored in :attr:`data` (see :meth:`encode`) as a Python value."""
        return self.decode_all((raw,))[0]

    def decode_all(self, raws: Sequence[Any] | Array) -> list[Value]:
        """:meth:`decode` of each of ``raws`` (values as stored in :attr:`data`, or an
        array of them), many at once: Python values, whatever the array held.

        >>> column = Column(Metric("n", MetricType.COUNT),
        ...                 np.array([np.int64(0), 2**70], dtype=object))
        >>> [type(value).__name__ for value in column.decode_all(column.data)]
        ['int', 'int']
        """
        listed = raws.tolist() if isinstance(raws, np.ndarray) else list(raws)
        match self.metric.type:
            case MetricType.COUNT:  # (an object column may hold numpy integers too)
                return listed if isinstance(raws, np.ndarray) and raws.dtype.kind != "O" \
                    else [int(raw) for raw in listed]
            case MetricType.AMOUNT:
                scale = self.scale
                return [unscaled(int(raw), scale) for raw in listed]
            case MetricType.FLAG:
                return [bool(raw) for raw in listed]
            case MetricType.CATEGORY:  # (-1: none)
                lookup = np.array([*self.metric.values, None], dtype=object)
                return list(lookup[np.maximum(np.asarray(listed, dtype=np.int64), -1)].tolist())

    def encode(self, value: Value) -> int | bool:
        """A Python value of the metric as it is stored in :attr:`data`."""
        match self.metric.type:
            case MetricType.CATEGORY:
                return -1 if value is None else self.metric.values.index(str(value))
            case MetricType.FLAG:
                return bool(value)
            case _:
                return int(self._scaled(value))

    def holds(self, value: Value) -> bool:
        """Whether :meth:`encode` stores ``value`` exactly, with room to sum it: an amount
        with more decimals than the column's scale, or too large, does not fit."""
        if self.metric.type not in (MetricType.COUNT, MetricType.AMOUNT):
            return True
        scaled = self._scaled(value)
        return scaled.denominator == 1 and (
            self.data.dtype.kind == "O" or scaled < INT64_LIMIT // max(len(self.data), 1))

    def _scaled(self, value: Value) -> int | Fraction:
        """A count or an amount times :attr:`scale`, exactly (an int for a whole number)."""
        if isinstance(value, int):
            return value * self.scale
        assert isinstance(value, float)
        return exact(value) * self.scale

    def summable(self) -> Array:
        """The column as integers to add up (a flag counts 0 or 1)."""
        if self.metric.type is MetricType.FLAG:
            return self.data.astype(np.int64)
        return self.data


def build_column(metric: Metric, count: int, given: Iterable[tuple[int, Value]]) -> Column:
    """A column of ``count`` units: missing values, then each ``(position, value)`` given.

    Values must already fit the metric (:func:`~doanorg.core.facts.coerce`).
    """
    pairs = list(given)
    positions = np.fromiter((p for p, _ in pairs), dtype=np.int64, count=len(pairs))
    values = [v for _, v in pairs]
    match metric.type:
        case MetricType.CATEGORY:
            codes = {name: code for code, name in enumerate(metric.values)}
            data = np.full(count, -1, dtype=np.int16)
            data[positions] = [codes[v] if isinstance(v, str) else -1 for v in values]
            return Column(metric, data)
        case MetricType.FLAG:
            data = np.zeros(count, dtype=bool)
            data[positions] = [bool(v) for v in values]
            return Column(metric, data)
    numbers = [v for v in values if isinstance(v, int | float)]
    assert len(numbers) == len(values), "a count or amount holds numbers only"
    places = max((_decimals(v) for v in numbers if isinstance(v, float)), default=0)
    scale = 10**places  # 1 for counts, which are whole numbers
    scaled = [int(exact(v) * scale) if isinstance(v, float) else v * scale for v in numbers]
    # every subtree sum must fit in int64; else exact Python integers, more slowly
    fits = not scaled or max(scaled) < INT64_LIMIT // max(count, 1)
    data = np.zeros(count, dtype=np.int64 if fits else object)
    data[positions] = scaled
    return Column(metric, data, scale)


@attrs.frozen
class Bounds:
    """A range (``at_least`` and/or ``at_most``) on numbers as the same range on the
    numbers times a ``scale``, which are whole: compared as integers, exactly
    (``at_least = 2.5`` is ``>= 3`` at scale 1, ``>= 25`` at scale 10)."""

    low: int | None
    high: int | None

    @classmethod
    def of(cls, condition: Condition, scale: int) -> Bounds | None:
        """The bounds of ``condition`` at ``scale``; ``None`` if it is not a range."""
        if condition.at_least is None and condition.at_most is None:
            return None
        return cls(
            None if condition.at_least is None else math.ceil(exact(condition.at_least) * scale),
            None if condition.at_most is None else math.floor(exact(condition.at_most) * scale))

    def hold(self, scaled: int) -> bool:
        """Whether a number, times the scale, is within the bounds."""
        return ((self.low is None or scaled >= self.low)
                and (self.high is None or scaled <= self.high))


def passes(column: Column, condition: Condition) -> npt.NDArray[np.bool_]:
    """Whether each unit's own value meets ``condition``, exactly, for the whole column."""
    data = column.data
    metric = column.metric
    if metric.type in (MetricType.COUNT, MetricType.AMOUNT):
        scale = column.scale
        bounds = Bounds.of(condition, scale)
        if bounds is not None:
            result = np.ones(len(data), dtype=bool)
            if bounds.low is not None:
                result &= data >= bounds.low
            if bounds.high is not None:
                result &= data <= bounds.high
            return result

        def encoded(option: object) -> int | None:
            if not isinstance(option, int | float) or isinstance(option, bool):
                return None
            scaled = exact(option) * scale
            return int(scaled) if scaled.denominator == 1 else None

        options = [encoded(condition.equals)] if condition.equals is not None else (
            [encoded(condition.not_equals)] if condition.not_equals is not None
            else [encoded(option) for option in condition.in_ or ()])
        found = equal_to_any(data, [option for option in options if option is not None])
        return ~found if condition.not_equals is not None else found
    if metric.type is MetricType.FLAG:
        codes: list[int | bool] = [option for option in _options(condition)
                                   if isinstance(option, bool)]
    else:
        codes = [metric.values.index(option) for option in _options(condition)
                 if isinstance(option, str) and option in metric.values]
    found = equal_to_any(data, codes)
    return ~found if condition.not_equals is not None else found


def equal_to_any(data: Array, options: Sequence[int | bool]) -> npt.NDArray[np.bool_]:
    """Whether each entry of ``data`` equals one of ``options``: compared with each option
    as a Python number when they are few, so that a column of small codes is not widened
    to int64 first (as :func:`numpy.isin` does, a copy of the column an option).

    >>> equal_to_any(np.array([0, 2, -1, 1], dtype=np.int16), [1, 2]).tolist()
    [False, True, False, True]
    """
    if len(options) > _FEW_OPTIONS:
        return np.isin(data, options)
    found = np.zeros(len(data), dtype=bool)
    for option in dict.fromkeys(options):
        found |= data == option
    return found


_FEW_OPTIONS = 8


def _options(condition: Condition) -> list[object]:
    if condition.equals is not None:
        return [condition.equals]
    if condition.not_equals is not None:
        return [condition.not_equals]
    return list(condition.in_ or ())


def shortfalls(column: Column, condition: Condition, stored: Array,
               values: Sequence[Value]) -> list[int | float | None]:
    """:meth:`~doanorg.Condition.shortfall` of each of ``values`` (``stored`` as
    :attr:`Column.data` holds them): a whole column at once for counts and whole bounds,
    the usual case; value by value otherwise."""
    bounds = (condition.at_least, condition.at_most)
    if not column.metric.type.numeric or bounds == (None, None) or \
            column.metric.type is MetricType.FLAG:  # no numeric bound: no shortfall
        return [None] * len(values)
    whole = all(bound is None or (type(bound) is int and abs(bound) < INT64_LIMIT)
                for bound in bounds)
    if column.metric.type is not MetricType.COUNT or stored.dtype.kind != "i" or not whole:
        return list(map(condition.shortfall, values))
    low, high = bounds
    if low is None and high is None:
        return [None] * len(values)
    short = np.zeros(len(stored), dtype=np.int64)
    if high is not None:
        short = np.where(stored > high, stored - high, short)
    if low is not None:  # (checked first by Condition.shortfall)
        short = np.where(stored < low, low - stored, short)
    return list(short.tolist())


@attrs.frozen(eq=False)
class CellsRead:
    """One metric's cells read against it: :attr:`column` holds one value a cell
    (missing where a cell gives none), :attr:`present` says which cells gave a value,
    :attr:`problems` lists ``(cell, message)`` for each cell that does not fit."""

    column: Column
    present: npt.NDArray[np.bool_]
    problems: tuple[tuple[int, str], ...] = ()


_PLAIN = {MetricType.COUNT: f"^{COUNT_TEXT}$", MetricType.AMOUNT: f"^{AMOUNT_TEXT}$"}
"""The texts :func:`~doanorg.core.metrics.coerce` reads as a count or an amount (with no
space around them), as pyarrow's regular expressions."""


def read_cells(metric: Metric, cells: pa.Array | Sequence[RawValue]) -> CellsRead:
    """Read ``cells`` (text from a file, or Python values) against ``metric``, giving the
    values and messages of :func:`~doanorg.core.metrics.coerce`, cell by cell.

    Text is read a whole column at a time: each distinct text once (a column of a
    million cells holds a few distinct counts, flags or categories), plainly written
    numbers in C, any other text by :func:`~doanorg.core.metrics.coerce`.

    >>> read = read_cells(Metric("n", MetricType.COUNT), pa.array(["3", "", "x", " 7 "]))
    >>> read.column.data.tolist(), read.present.tolist(), read.problems
    ([3, 0, 0, 7], [True, False, True, True], ((2, "'n' is a count: 'x' is not a number"),))
    """
    if not isinstance(cells, pa.Array | pa.ChunkedArray):
        return _read_values(metric, list(cells))
    if metric.type is MetricType.COUNT:
        quick = _plain_counts(metric, cells)
        if quick is not None:
            return quick
    texts, indices = dictionary_codes(cells)
    read = _read_texts(metric, texts, len(cells))
    data = read.column.data[indices]
    present = read.present[indices]
    problems: tuple[tuple[int, str], ...] = ()
    if read.problems:
        message_of = dict(read.problems)
        bad = np.flatnonzero(np.isin(indices, list(message_of)))
        problems = tuple((cell, message_of[code]) for cell, code in
                         zip(bad.tolist(), indices[bad].tolist(), strict=True))
    return CellsRead(attrs.evolve(read.column, data=data), present, problems)


def _plain_counts(metric: Metric, cells: pa.Array | pa.ChunkedArray) -> CellsRead | None:
    """Counts when every cell is written as digits alone and none is too large to sum;
    else ``None``, and the cells are read text by text.

    "Digits alone" is :data:`~doanorg.core.metrics.COUNT_TEXT`, tested here by pyarrow's
    ``ascii_is_decimal`` (six times quicker than the regular expression; a test checks
    that both say the same). The cast alone would not do: it also takes ``-0`` and
    ``0x10``."""
    if not pc.all(pc.ascii_is_decimal(cells)).as_py():
        return None
    try:
        numbers = pc.cast(cells, pa.int64())
    except pa.ArrowInvalid:  # beyond int64
        return None
    data = np.asarray(numbers.to_numpy() if isinstance(numbers, pa.ChunkedArray) else numbers,
                      dtype=np.int64)
    if data.size and data.max() >= INT64_LIMIT // len(data):
        return None
    return CellsRead(Column(metric, data), np.ones(len(data), dtype=bool))


def _read_values(metric: Metric, values: list[RawValue]) -> CellsRead:
    """Python values read one by one."""
    read: list[tuple[int, Value]] = []
    problems = []
    present = np.zeros(len(values), dtype=bool)
    for cell, raw in enumerate(values):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        present[cell] = True
        try:
            read.append((cell, coerce(metric, raw)))
        except ValueError as error:
            problems.append((cell, str(error)))
    return CellsRead(build_column(metric, len(values), read), present, tuple(problems))


def _read_texts(metric: Metric, texts: pa.Array, count: int) -> CellsRead:
    """Distinct texts read against ``metric``: plainly written numbers at once, the rest
    one by one. ``count`` is the number of cells they stand for (sums must fit)."""
    if metric.type in (MetricType.COUNT, MetricType.AMOUNT):
        blank = np.asarray(pc.equal(pc.utf8_trim(texts, SPACE), ""), dtype=bool)
        plain = np.asarray(pc.match_substring_regex(texts, _PLAIN[metric.type]),
                           dtype=bool) & ~blank
        if (plain | blank).all():  # blank texts give no value
            quick = _plain_numbers(metric, texts.filter(pa.array(plain)), count)
            if quick is not None:
                data = np.zeros(len(texts), dtype=quick.column.data.dtype)
                data[plain] = quick.column.data
                return CellsRead(attrs.evolve(quick.column, data=data), plain)
        elif metric.type is MetricType.COUNT and plain.sum() > 64:
            # many distinct counts, some not plain: the plain ones in C, the rest by coerce
            quick = _plain_numbers(metric, texts.filter(pa.array(plain)), count)
            if quick is not None:
                values: list[RawValue] = texts.to_pylist()
                for index, value in zip(np.flatnonzero(plain).tolist(),
                                        quick.column.data.tolist(), strict=True):
                    values[index] = value
                return _read_values(metric, values)
    return _read_values(metric, texts.to_pylist())


def _plain_numbers(metric: Metric, texts: pa.Array, count: int) -> CellsRead | None:
    """Texts that are all plainly written non-negative numbers (``3``, ``0.25``), read
    in C: counts as they are, amounts as whole numbers at the scale of the most
    decimals written. ``None`` when a sum might not fit in 64 bits, or an amount has
    more than 15 digits (which a float, as coerce reads it, might not hold)."""
    limit = INT64_LIMIT // max(count, 1)
    present = np.ones(len(texts), dtype=bool)
    if not len(texts):
        return CellsRead(Column(metric, np.zeros(0, dtype=np.int64)), present)
    if metric.type is MetricType.COUNT:
        if pc.max(pc.utf8_length(texts)).as_py() > 18:
            return None
        data = np.asarray(pc.cast(texts, pa.int64()), dtype=np.int64)
        if data.size and data.max() >= limit:
            return None
        return CellsRead(Column(metric, data), present)
    dot = np.asarray(pc.find_substring(texts, "."), dtype=np.int64)
    decimals = np.where(dot >= 0, np.asarray(pc.utf8_length(texts), dtype=np.int64) - dot - 1, 0)
    places = int(decimals.max()) if decimals.size else 0
    digits_text = pc.replace_substring(texts, ".", "")
    # more than 15 significant digits: beyond what a float (coerce's reading) holds
    significant = pc.utf8_length(pc.utf8_ltrim(digits_text, "0"))
    if places > 15 or pc.max(significant).as_py() > 15:
        return None
    digits = np.asarray(pc.cast(digits_text, pa.int64()), dtype=np.int64)
    shift = places - decimals
    if digits.size and (digits * 10.0**shift).max() >= min(limit, 2**62):
        return None
    data = digits * 10**shift  # each value times 10**places, exactly
    return CellsRead(Column(metric, data.astype(np.int64), 10**places), present)
