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
file, line, unit and metric. :meth:`Facts.with_value` edits facts without
copying them, on an :class:`Overlay`, the persistent mapping the engine's
what-if builds on too.

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
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs

from doanorg.errors import Problem

if TYPE_CHECKING:
    from doanorg._typed_facts import TypedFacts

__all__ = [
    "FLAG_FALSE",
    "FLAG_TRUE",
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

_K = TypeVar("_K")
_V = TypeVar("_V")
_T = TypeVar("_T")


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


FLAG_TRUE = ("true", "1", "yes", "có")
"""What a flag cell says for true, in lower case (SPEC §2); every reader uses these."""
FLAG_FALSE = ("false", "0", "no", "không")
"""What a flag cell says for false, in lower case."""


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
    if text in FLAG_TRUE:
        return True
    if text in FLAG_FALSE:
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

        The unit counts as reported. The new facts share everything with these, which
        stay as they were; the cost of an edit does not grow with the edits before it.
        """
        return attrs.evolve(self, values=_Edited.of(self.values).with_value(unit, metric, value),
                            reported=_Added.adding(self.reported, unit), typed=None)

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


_ABSENT: Any = object()
"""What no mapping holds: tells a key that is absent from one set to ``None``."""


class Overlay(Mapping[_K, _V]):
    """A persistent mapping: :meth:`updated` gives a new version with some entries set,
    leaves this one as it was, and shares with it the entries both hold.

    A version is a stack of dicts, oldest at the bottom; a lookup reads them from the top.
    A new top is merged into the dict below it while it is at least half as large, so each
    dict is less than half the one below: after ``n`` entries were set there are at most
    ``log2(n) + 1`` dicts, and no update copies the whole mapping (an entry is copied
    again only when its dict is merged). Keys iterate in the order they were first set.

    >>> first = Overlay[str, int]().updated({"a": 1})
    >>> second = first.updated({"b": 2}).updated({"a": 3})
    >>> dict(first), dict(second)
    ({'a': 1}, {'a': 3, 'b': 2})
    """

    __slots__ = ("_below", "_top")

    def __init__(self) -> None:
        self._top: dict[_K, _V] = {}
        self._below: Overlay[_K, _V] | None = None

    def updated(self, entries: Mapping[_K, _V]) -> Overlay[_K, _V]:
        """This mapping with ``entries`` set (this one is left as it was)."""
        if not entries:
            return self
        top, below = dict(entries), self if self._top else None
        while below is not None and 2 * len(top) >= len(below._top):
            top, below = {**below._top, **top}, below._below
        version: Overlay[_K, _V] = Overlay.__new__(Overlay)
        version._top, version._below = top, below
        return version

    @overload
    def get(self, key: _K, /) -> _V | None: ...
    @overload
    def get(self, key: _K, default: _V | _T, /) -> _V | _T: ...

    def get(self, key: _K, default: object = None, /) -> object:
        """The value of ``key``, from the newest dict that holds it; else ``default``."""
        layer: Overlay[_K, _V] | None = self
        while layer is not None:
            found = layer._top.get(key, _ABSENT)
            if found is not _ABSENT:
                return found
            layer = layer._below
        return default

    def __getitem__(self, key: _K) -> _V:
        found = self.get(key, _ABSENT)
        if found is _ABSENT:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[_K]:
        layers: list[dict[_K, _V]] = []
        layer: Overlay[_K, _V] | None = self
        while layer is not None:
            layers.append(layer._top)
            layer = layer._below
        seen: set[_K] = set()
        for top in reversed(layers):
            for key in top:
                if key not in seen:
                    seen.add(key)
                    yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Edited(Mapping[str, Mapping[str, RawValue]]):
    """A mapping of units to their values with some values set (``None``: removed): what
    :meth:`Facts.with_value` shares instead of copying every unit's values. The edits
    are kept by unit in an :class:`Overlay`, so an edit costs the same however many
    came before it."""

    def __init__(self, base: Mapping[str, Mapping[str, RawValue]],
                 edits: Overlay[str, Mapping[str, RawValue]] | None = None, added: int = 0
                 ) -> None:
        self.base = base
        self.edits: Overlay[str, Mapping[str, RawValue]] = (
            Overlay() if edits is None else edits)
        self.added = added
        """How many edited units are not in :attr:`base`."""

    @classmethod
    def of(cls, values: Mapping[str, Mapping[str, RawValue]]) -> _Edited:
        """``values`` as edited values (themselves if they already are)."""
        return values if isinstance(values, _Edited) else cls(values)

    def with_value(self, unit: str, metric: str, value: RawValue) -> _Edited:
        """These values with ``unit``'s ``metric`` set to ``value`` (``None``: removed)."""
        edited = {key: given for key, given in self.edits.get(unit, {}).items() if key != metric}
        edited[metric] = value
        added = self.added + (unit not in self)
        return _Edited(self.base, self.edits.updated({unit: edited}), added)

    def __getitem__(self, unit: str) -> Mapping[str, RawValue]:
        edited = self.edits.get(unit)
        if edited is None:
            return self.base[unit]
        own = {key: given for key, given in self.base.get(unit, {}).items()
               if key not in edited}
        own.update((key, given) for key, given in edited.items() if given is not None)
        return own

    def __contains__(self, unit: object) -> bool:
        return unit in self.base or unit in self.edits

    def __iter__(self) -> Iterator[str]:
        yield from self.base
        yield from (unit for unit in self.edits if unit not in self.base)

    def __len__(self) -> int:
        return len(self.base) + self.added


class _Added(AbstractSet[str]):
    """A set of units with more units: what :meth:`Facts.with_value` shares instead of
    copying the set of reported units."""

    def __init__(self, base: AbstractSet[str], added: Overlay[str, bool], count: int) -> None:
        self.base, self.added, self.count = base, added, count

    @classmethod
    def adding(cls, units: AbstractSet[str], unit: str) -> AbstractSet[str]:
        """``units`` with ``unit`` (themselves if ``unit`` is already one of them)."""
        if unit in units:
            return units
        if isinstance(units, _Added):
            return _Added(units.base, units.added.updated({unit: True}), units.count + 1)
        return _Added(units, Overlay[str, bool]().updated({unit: True}), 1)

    @classmethod
    def _from_iterable(cls, units: Iterable[str]) -> frozenset[str]:  # type: ignore[override]
        """What set operations (``|``, ``&``, ``-``) build: a plain frozenset."""
        return frozenset(units)

    def __contains__(self, unit: object) -> bool:
        return unit in self.base or unit in self.added

    def __iter__(self) -> Iterator[str]:
        yield from self.base
        yield from self.added

    def __len__(self) -> int:
        return len(self.base) + self.count

