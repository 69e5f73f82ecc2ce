"""Metrics: what a plan counts, and how one reported value is read against one.

Metric types (SPEC §2):

``count``
    a non-negative integer, written in a file as digits alone (``26200``:
    :data:`COUNT_TEXT`);
``amount``
    a non-negative number, written as digits with an optional decimal point
    (``1234.5``: :data:`AMOUNT_TEXT`);
``flag``
    true or false, written ``true/false/1/0/yes/no/có/không`` in any case;
``category``
    one of the values the plan declares for the metric.

A *missing* value (no row, or an empty cell) means 0 for ``count`` and
``amount``, false for ``flag`` and "no category" for ``category``.
:func:`coerce` reads one value against its metric; the readers of whole
columns (:mod:`doanorg.core._columns`) give the same values and the same messages.

How numbers are written. A text (a cell of a file, a ``--set`` value) is read
as a count or an amount only when it is written plainly, as SPEC §2 allows,
around optional spaces: ASCII digits alone for a count, with one decimal
point for an amount. Anything else is refused, with a message that says how
to write it, and is never read as something else: ``26.200`` and ``1.000``
(Vietnamese thousands separators) are no count, ``3.0`` is no count either
(write 3); ``1.234,5`` and ``1,5`` (a decimal comma) are no amount; nor are a
sign (``+3``), an exponent (``1e3``), ``_`` between digits (``1_000``),
digits of other scripts (``٣``, ``３``), ``.5`` or ``3.``. A count may have
any number of digits (beyond 64 bits it is held as a Python integer); an
amount with a decimal point is refused when a float cannot hold it as written
(more than 15 significant digits may not fit). Python numbers are read by
their value: ``4`` and ``4.0`` are a count of 4.

Examples
--------
>>> coerce(Metric("youth_projects", MetricType.COUNT), "3")
3
>>> coerce(Metric("done", MetricType.FLAG), "Có")
True
"""

from __future__ import annotations

import enum
import functools
import math
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import attrs

__all__ = [
    "AMOUNT_TEXT",
    "COUNT_TEXT",
    "FLAG_FALSE",
    "FLAG_TRUE",
    "Metric",
    "MetricType",
    "RawValue",
    "Value",
    "coerce",
    "exact_decimal",
    "is_plan_number",
    "missing_value",
    "number_text",
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

COUNT_TEXT = r"[0-9]+"
"""How a count is written (SPEC §2), as a regular expression the whole text (trimmed)
must match: ASCII digits alone. :func:`coerce` and the readers of whole columns
(:mod:`doanorg.core._columns`) read counts by this one rule."""
AMOUNT_TEXT = r"[0-9]+(?:\.[0-9]+)?"
"""How an amount is written: ASCII digits with an optional decimal point (``1234.5``)."""


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
    >>> coerce(Metric("trees", MetricType.COUNT), "26.200")
    Traceback (most recent call last):
    ...
    ValueError: 'trees' is a count: '26.200' is not written as digits alone; Vietnamese \
thousands separators are not read (write 26200)
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
    number = _read_number(metric, raw) if isinstance(raw, str) else raw
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"{metric.id!r} is {kind}: {raw!r} is not a finite number")
    if number < 0:
        raise ValueError(f"{metric.id!r} is {kind}: {raw!r} is negative")
    if metric.type is MetricType.COUNT and isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"{metric.id!r} is a count: {raw!r} is not a whole number")
        number = int(number)
    return number


_WRITTEN = {MetricType.COUNT: re.compile(COUNT_TEXT), MetricType.AMOUNT: re.compile(AMOUNT_TEXT)}
_GROUPED = re.compile(r"[0-9]{1,3}(?:([., \u00a0\u202f])[0-9]{3})(?:\1[0-9]{3})*")
"""Digits in groups of three, as thousands are written: 26.200, 1,000, 1 000 000."""
_DECIMAL_COMMA = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})*,[0-9]+")
"""A number written the Vietnamese way: 1.234,5 and 1,5."""
_COMMA_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
"""A number written with commas between thousands: 1,234.5 and 1,234,567."""
_DIGITS_AND_MARKS = re.compile(r"[0-9][0-9., \u00a0\u202f]*")


def _read_number(metric: Metric, text: str) -> int | float:
    """A count or an amount written as ``text`` (trimmed, NFC), read exactly or refused."""
    kind = "a count" if metric.type is MetricType.COUNT else "an amount"
    if not _WRITTEN[metric.type].fullmatch(text):
        raise ValueError(_refusal(metric, text))
    shown = text if len(text) <= 30 else text[:27] + "..."
    if "." not in text:
        try:
            return int(text)
        except ValueError:  # more digits than Python reads as an int
            raise ValueError(f"{metric.id!r} is {kind}: {shown!r} has too many digits to be "
                             f"read (at most {sys.get_int_max_str_digits()})") from None
    number = float(text)
    if not math.isfinite(number) or Fraction(text) != Fraction(repr(number)):
        raise ValueError(f"{metric.id!r} is {kind}: {shown!r} has too many digits to be read "
                         "exactly (write at most 15 significant digits)")
    return number


def _refusal(metric: Metric, text: str) -> str:
    """Why ``text`` is no count or amount, and how to write what it seems to mean."""
    count = metric.type is MetricType.COUNT
    head = f"{metric.id!r} is {'a count' if count else 'an amount'}: {text!r}"
    written = "digits alone" if count else "digits with an optional decimal point"
    grouped = _GROUPED.fullmatch(text)
    if grouped and (count or grouped[1] != ","):
        whose = "Vietnamese thousands separators" if grouped[1] == "." else \
            "thousands separators"
        return (f"{head} is not written as {written}; {whose} are not read "
                f"(write {re.sub('[^0-9]', '', text)})")
    if "," in text and not count:
        plain = ""
        if _DECIMAL_COMMA.fullmatch(text) and not grouped:
            plain = text.replace(".", "").replace(",", ".")
        elif _COMMA_GROUPED.fullmatch(text) and not grouped:
            plain = text.replace(",", "")
        return (f"{head} has a comma: an amount is written with a decimal point and no "
                f"thousands separator ({'write ' + plain if plain else 'such as 1234.5'})")
    try:
        number = Decimal(text)  # (reads what Python reads: +3, 1_000, 1e3, .5, ٣)
    except InvalidOperation:  # (digits with points, commas or spaces: not as it is written)
        return f"{head} is not written as {written}" if _DIGITS_AND_MARKS.fullmatch(text) \
            else f"{head} is not a number"
    if not number.is_finite():
        return f"{head} is not a finite number"
    if number < 0:
        return f"{head} is negative"
    if count and number != number.to_integral_value():
        return f"{head} is not a whole number"
    if abs(number.adjusted()) > 30:
        return f"{head} is not written as {written}"
    plain = format((number.to_integral_value() if count else number).copy_abs(), "f")
    return f"{head} is not written as {written} (write {plain})"


def number_text(number: int | float) -> str:
    """A count or an amount written as a file holds it (:data:`AMOUNT_TEXT`), exactly as
    :func:`coerce` reads it back: ``1e-05`` is written ``0.00001``.

    >>> number_text(3), number_text(0.25), number_text(1e-05), number_text(1e16)
    ('3', '0.25', '0.00001', '10000000000000000')
    """
    if isinstance(number, float):
        return format(Decimal(repr(number)), "f").removesuffix(".0")
    return str(number)


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


@functools.lru_cache(maxsize=4096)
def exact_decimal(number: int | float) -> Fraction:
    """A number as the decimal it was written as: 0.7 is exactly 7/10, not the
    nearest binary fraction (kept once read).

    >>> exact_decimal(0.7), exact_decimal(3)
    (Fraction(7, 10), Fraction(3, 1))
    """
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


def is_plan_number(value: object) -> bool:
    """Whether a plan's value is a number: an int or a finite float (``inf`` and ``nan``
    are none, as no fact and no sum can be compared with them exactly).

    >>> is_plan_number(3), is_plan_number(0.5), is_plan_number(True), is_plan_number(math.inf)
    (True, True, False, False)
    """
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and math.isfinite(value))
