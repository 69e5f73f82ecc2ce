"""Metrics: what a plan counts, and how one reported value is read against one.

Metric types (SPEC §2):

``count``
    a non-negative integer (``3``; ``3.0`` is read as 3, ``3.5`` is refused);
``amount``
    a non-negative finite number;
``flag``
    true or false, written ``true/false/1/0/yes/no/có/không`` in any case;
``category``
    one of the values the plan declares for the metric.

A *missing* value (no row, or an empty cell) means 0 for ``count`` and
``amount``, false for ``flag`` and "no category" for ``category``.
:func:`coerce` reads one value against its metric; the readers of whole
columns (:mod:`doanorg.core._columns`) give the same values and the same messages.

Examples
--------
>>> coerce(Metric("youth_projects", MetricType.COUNT), "3")
3
>>> coerce(Metric("done", MetricType.FLAG), "Có")
True
"""

from __future__ import annotations

import enum
import math
import unicodedata

import attrs

__all__ = [
    "FLAG_FALSE",
    "FLAG_TRUE",
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
