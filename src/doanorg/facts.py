"""Facts: what each unit reported of its OWN work, one value per metric.

A *fact* is one value of one metric for one unit in one period: the unit's
own contribution (what it did itself), never a subtree total. Totals are
the engine's job (:mod:`doanorg.engine`).

Metric types:

``count``
    a non-negative integer (``3``; ``3.0`` is read as 3, ``3.5`` is refused);
``amount``
    a non-negative finite number;
``flag``
    true or false, written ``true/false/1/0/yes/no/có/không`` in any case;
``category``
    one of the values the plan declares for the metric.

A *missing* value (no row, or an empty cell) means 0 for ``count`` and
``amount``, false for ``flag`` and "no category" for ``category``. A unit
with no row at all in the period is *not reported*, which the report keeps
apart from a unit that reported zeros.

:class:`Facts` keeps values as they were given (text from a file, or Python
values); :func:`coerce` reads one against its metric. Problems name the
file, line, unit and metric.

Examples
--------
>>> facts = Facts.from_records({"c1": {"youth_projects": "3", "rating": "tot"}, "c2": {}})
>>> facts.raw("c1", "youth_projects"), facts.raw("c2", "youth_projects")
('3', None)
>>> sorted(facts.reported)
['c1', 'c2']
>>> coerce(Metric("youth_projects", MetricType.COUNT), "3")
3
>>> coerce(Metric("done", MetricType.FLAG), "Có")
True
"""

from __future__ import annotations

import enum
import math
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

import attrs

from doanorg.errors import Problem

if TYPE_CHECKING:
    from doanorg._typed_facts import TypedFacts

__all__ = [
    "Facts",
    "Metric",
    "MetricType",
    "RawValue",
    "Value",
    "coerce",
    "missing_value",
]

RawValue = str | int | float | bool | None
"""A value as given: text from a file, or a Python value."""
Value = int | float | bool | str | None
"""A value read against its metric: int (count), int or float (amount), bool, str or None."""


class MetricType(enum.Enum):
    """The four kinds of metric a plan may declare."""

    COUNT = "count"
    AMOUNT = "amount"
    FLAG = "flag"
    CATEGORY = "category"

    @property
    def numeric(self) -> bool:
        """Whether values of this type can be summed (a flag sums as 0 or 1)."""
        return self is not MetricType.CATEGORY


@attrs.frozen
class Metric:
    """A metric a plan declares: its id, type, Vietnamese label and, for a category, values."""

    id: str
    type: MetricType
    label: str = ""
    values: tuple[str, ...] = ()


_TRUE = frozenset({"true", "1", "yes", "có"})
_FALSE = frozenset({"false", "0", "no", "không"})


def missing_value(metric: Metric) -> Value:
    """What a missing value means for ``metric``: 0, false or no category."""
    return {
        MetricType.COUNT: 0,
        MetricType.AMOUNT: 0,
        MetricType.FLAG: False,
        MetricType.CATEGORY: None,
    }[metric.type]


def coerce(metric: Metric, raw: RawValue) -> Value:
    """Read ``raw`` as a value of ``metric``.

    Empty text and ``None`` give :func:`missing_value`.

    Raises
    ------
    ValueError
        With a message that says why the value does not fit the metric.

    Examples
    --------
    >>> coerce(Metric("trees", MetricType.COUNT), " 26200 ")
    26200
    >>> coerce(Metric("trees", MetricType.COUNT), "2.5")
    Traceback (most recent call last):
    ...
    ValueError: 'trees' is a count: '2.5' is not a whole number
    """
    if isinstance(raw, str):
        raw = unicodedata.normalize("NFC", raw.strip())
        if raw == "":
            raw = None
    if raw is None:
        return missing_value(metric)
    match metric.type:
        case MetricType.COUNT | MetricType.AMOUNT:
            return _number(metric, raw)
        case MetricType.FLAG:
            return _flag(metric, raw)
        case MetricType.CATEGORY:
            if not isinstance(raw, str) or raw not in metric.values:
                raise ValueError(
                    f"{metric.id!r} is a category: {raw!r} is not one of its values "
                    f"({', '.join(metric.values)})"
                )
            return raw


def _number(metric: Metric, raw: str | int | float | bool) -> int | float:
    kind = "a count" if metric.type is MetricType.COUNT else "an amount"
    if isinstance(raw, bool):
        raise ValueError(f"{metric.id!r} is {kind}: {raw!r} is not a number")
    number: int | float
    if isinstance(raw, str):
        try:
            number = int(raw)
        except ValueError:
            try:
                number = float(raw)
            except ValueError:
                raise ValueError(f"{metric.id!r} is {kind}: {raw!r} is not a number") from None
    else:
        number = raw
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"{metric.id!r} is {kind}: {raw!r} is not a finite number")
    if number < 0:
        raise ValueError(f"{metric.id!r} is {kind}: {raw!r} is negative")
    if metric.type is MetricType.COUNT and isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"{metric.id!r} is a count: {raw!r} is not a whole number")
        number = int(number)
    return number


def _flag(metric: Metric, raw: str | int | float | bool) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).casefold() if not isinstance(raw, float) else repr(raw)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(
        f"{metric.id!r} is a flag: {raw!r} is not one of true/false/1/0/yes/no/có/không"
    )


@attrs.frozen
class Facts:
    """The facts of one period: each unit's own values, as given.

    ``values[unit][metric]`` is the raw value; ``reported`` holds the units
    with at least one row in the period (even an empty one). ``lines`` maps
    ``(unit, metric)`` to the line that gave the value, and ``(unit, "")`` to
    the unit's first row, for messages.
    """

    values: Mapping[str, Mapping[str, RawValue]]
    reported: AbstractSet[str]
    period: str | None = None
    source: str | None = None
    lines: Mapping[tuple[str, str], int] = attrs.field(factory=dict, eq=False, repr=False)
    warnings: tuple[Problem, ...] = attrs.field(default=(), eq=False)
    typed: TypedFacts | None = attrs.field(default=None, eq=False, repr=False)
    """The same values as typed columns, when a loader read them with the plan's
    metrics (:mod:`doanorg._typed_facts`); the engine then uses them as they are."""

    @classmethod
    def from_records(
        cls, records: Mapping[str, Mapping[str, RawValue]], *, period: str | None = None
    ) -> Facts:
        """Facts from ``{unit: {metric: value}}``; every unit named counts as reported."""
        return cls(
            {unit: dict(values) for unit, values in records.items()},
            frozenset(records),
            period,
        )

    def with_value(self, unit: str, metric: str, value: RawValue) -> Facts:
        """These facts with ``unit``'s ``metric`` set to ``value`` (``None``: missing).

        The unit counts as reported. Nothing is copied: the new facts share
        everything with these, which stay as they were.
        """
        reported = self.reported if unit in self.reported else _Added(self.reported, unit)
        return attrs.evolve(self, values=_Layered(self.values, unit, metric, value),
                            reported=reported, typed=None)

    def raw(self, unit: str, metric: str) -> RawValue:
        """The value ``unit`` gave for ``metric``, as given; ``None`` if it gave none."""
        return self.values.get(unit, {}).get(metric)

    def metrics(self) -> frozenset[str]:
        """Every metric some unit gave a value for (for typed facts: every metric column)."""
        if self.typed is not None:
            return frozenset(self.typed.columns) | frozenset(self.typed.ignored)
        return frozenset(metric for values in self.values.values() for metric in values)

    def where(self, unit: str, metric: str) -> Problem:
        """An empty problem located at the row that gave ``unit``'s ``metric``."""
        return Problem(
            "", file=self.source, line=self.lines.get((unit, metric)), unit=unit, metric=metric
        )

    def problems(self, units: Iterable[str], metrics: Mapping[str, Metric]) -> list[Problem]:
        """Every value that names a unit not in ``units`` or does not fit its metric.

        Metrics not in ``metrics`` are skipped (the plan does not use them).
        """
        known = units if isinstance(units, Mapping | AbstractSet) else frozenset(units)
        found: list[Problem] = []
        if self.typed is not None and all(
            self.typed.covers(metric) for name, metric in metrics.items()
            if name in self.typed.columns
        ):  # values were read against these very metrics: only the units are left to check
            return [Problem(f"unit {unit!r} is not in the organisation", file=self.source,
                            line=self.lines.get((unit, "")), unit=unit)
                    for unit in self.typed.units if unit not in known]
        for unit, values in self.values.items():
            if unit not in known:
                found.append(
                    Problem(f"unit {unit!r} is not in the organisation",
                            file=self.source, line=self.lines.get((unit, "")), unit=unit)
                )
                continue
            for metric_id, raw in values.items():
                metric = metrics.get(metric_id)
                if metric is None:
                    continue
                try:
                    coerce(metric, raw)
                except ValueError as error:
                    found.append(
                        attrs.evolve(self.where(unit, metric_id),
                                     message=f"unit {unit!r}: {error}")
                    )
        return found


class _Layered(Mapping[str, Mapping[str, RawValue]]):
    """A mapping of units to their values with one value set (or removed, for
    ``None``): what :meth:`Facts.with_value` shares instead of copying every
    unit's values. Layers are flattened once they grow deep, so lookups stay quick."""

    MAX_DEPTH = 32
    depth: int

    def __init__(self, base: Mapping[str, Mapping[str, RawValue]], unit: str, metric: str,
                 value: RawValue) -> None:
        depth: int = base.depth + 1 if isinstance(base, _Layered) else 1
        if depth > self.MAX_DEPTH:
            base, depth = {name: dict(base[name]) for name in base}, 1
        self.base: Mapping[str, Mapping[str, RawValue]] = base
        self.unit, self.metric, self.value, self.depth = unit, metric, value, depth

    def __getitem__(self, unit: str) -> Mapping[str, RawValue]:
        if unit != self.unit:
            return self.base[unit]
        own = {key: given for key, given in self.base.get(unit, {}).items()
               if key != self.metric}
        if self.value is not None:
            own[self.metric] = self.value
        return own

    def __iter__(self) -> Iterator[str]:
        yield from self.base
        if self.unit not in self.base:
            yield self.unit

    def __len__(self) -> int:
        return len(self.base) + (self.unit not in self.base)


class _Added(AbstractSet[str]):
    """A set of units with one more unit: what :meth:`Facts.with_value` shares
    instead of copying the set of reported units."""

    def __init__(self, base: AbstractSet[str], unit: str) -> None:
        self.base, self.unit = base, unit

    @classmethod
    def _from_iterable(cls, units: Iterable[str]) -> frozenset[str]:  # type: ignore[override]
        """What set operations (``|``, ``&``, ``-``) build: a plain frozenset."""
        return frozenset(units)

    def __contains__(self, unit: object) -> bool:
        return unit == self.unit or unit in self.base

    def __iter__(self) -> Iterator[str]:
        yield from self.base
        yield self.unit

    def __len__(self) -> int:
        return len(self.base) + 1
