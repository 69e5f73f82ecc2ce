"""The year in progress (sơ kết): how far a target should be by a date, and where it heads.

Terms (SPEC §10):

*period*
    the plan's ``period = {start = ..., end = ...}``: the days its targets
    are set for, both ends included.
*elapsed fraction*
    how much of the period has passed by the end of the day ``as_of``: by
    days (``as_of`` 2020-06-30 in 2020 is 182/366); with the target's
    ``pace`` (one cumulative fraction per month of the period, the last 1),
    that month's fraction, reached linearly over its days from the month
    before's.
*expected*
    the target's bound times the elapsed fraction: the lower bound
    (``at_least``, or ``equals``), else the upper (``at_most``). For an
    ``each`` target, the bound is its ``share`` of units passing.
*status*
    ``on_track`` when the observed figure is at least the expected one (for
    an upper bound alone: at most), else ``at_risk``.
*projected*
    where the figure heads by the end of the period: a total's observed ÷
    the elapsed fraction; a share of units the same, at most 100%; a ratio
    keeps its observed value. ``projected_status`` is whether the projected
    figure meets the target.

A target with no bound to pace (``not_equals``, ``in``), with nothing
observed (no unit selected, a ratio over 0) or only shown (a total below the
root that is not allocated) has no pace (``null`` in the JSON).

A month of a period that starts on day *d* runs from day *d* of one month to
the day before day *d* of the next (to the month's end where it has no day
*d*), the last month up to the period's end.

Examples
--------
>>> from datetime import date
>>> year = Period(date(2020, 1, 1), date(2020, 12, 31))
>>> year.elapsed(date(2020, 6, 30))
Fraction(91, 183)
>>> year.elapsed(date(2020, 6, 30), (0.1,) * 5 + (0.5,) + (1.0,) * 6)
Fraction(1, 2)
>>> pace = pace_of(Fraction(12000), lower=Fraction(26200), upper=None,
...                elapsed=Fraction(1, 2), as_of=date(2020, 6, 30), kind="total")
>>> pace.to_dict()
{'as_of': '2020-06-30', 'expected': 13100, 'status': 'at_risk', 'projected': 24000, \
'projected_status': 'not_met'}
>>> from doanorg.core._render import pace_text
>>> pace_text(pace, "en")
'pace: expected 13,100 by 2020-06-30 · AT RISK · projected 24,000 (NOT MET)'
>>> pace_text(pace, "vi")
'tiến độ: cần 13.100 đến 2020-06-30 · CHẬM TIẾN ĐỘ · dự kiến 24.000 (KHÔNG ĐẠT)'
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any, Literal

import attrs

from doanorg.core.metrics import exact_decimal

__all__ = ["Pace", "PaceStatus", "PacingHead", "Period", "pace_from_raw", "pace_of",
           "period_from_raw"]

Number = int | float
PaceStatus = Literal["on_track", "at_risk"]


def _add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` months on, to the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@attrs.frozen
class Period:
    """The days a plan's targets are set for, ``start`` to ``end``, both included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1

    def months(self) -> list[tuple[date, date]]:
        """The period's months as (first day, day after the last), in order.

        >>> len(Period(date(2020, 1, 1), date(2020, 12, 31)).months())
        12
        >>> Period(date(2020, 1, 31), date(2020, 4, 15)).months()[1]
        (datetime.date(2020, 2, 29), datetime.date(2020, 3, 31))
        """
        found: list[tuple[date, date]] = []
        after_end = date.fromordinal(self.end.toordinal() + 1)
        count = 0
        while True:
            first = _add_months(self.start, count)
            if first >= after_end:
                return found
            following = min(_add_months(self.start, count + 1), after_end)
            found.append((first, following))
            count += 1

    def elapsed(self, as_of: date, pace: Sequence[Number] | None = None) -> Fraction:
        """The fraction of the period passed by the end of ``as_of`` (inside the
        period): by days, or by the cumulative monthly ``pace``, linear within a month."""
        if pace is None:
            return Fraction((as_of - self.start).days + 1, self.days)
        before = Fraction(0)
        for (first, following), reached in zip(self.months(), pace, strict=True):
            cumulative = exact_decimal(reached)
            if as_of < following:
                days = (following - first).days
                return before + (cumulative - before) * Fraction((as_of - first).days + 1,
                                                                  days)
            before = cumulative
        return before

    def to_mapping(self) -> dict[str, date]:
        """``{"start": ..., "end": ...}`` as a plan file holds it."""
        return {"start": self.start, "end": self.end}

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def _number(exact: Fraction) -> Number:
    """A figure for the JSON: a whole number as such, else a float."""
    return exact.numerator if exact.denominator == 1 else float(exact)


@attrs.frozen(kw_only=True)
class Pace:
    """One target's pace at a date: SPEC §10's ``pace`` object."""

    as_of: date
    expected: Number
    status: PaceStatus
    projected: Number
    projected_status: Literal["met", "not_met"]
    exact_expected: Fraction = attrs.field(eq=False, repr=False)
    """``expected`` exactly, for the figure people read (as written, once read back)."""
    exact_projected: Fraction = attrs.field(eq=False, repr=False)
    percent: bool = attrs.field(default=False, eq=False, repr=False)
    """Whether the figures are shares or ratios (shown in percent)."""

    @exact_expected.default
    def _expected(self) -> Fraction:
        return exact_decimal(self.expected)

    @exact_projected.default
    def _projected(self) -> Fraction:
        return exact_decimal(self.projected)

    def to_dict(self) -> dict[str, Any]:
        """``{"as_of", "expected", "status", "projected", "projected_status"}``."""
        return {"as_of": self.as_of.isoformat(), "expected": self.expected,
                "status": self.status, "projected": self.projected,
                "projected_status": self.projected_status}

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any], *, percent: bool = False) -> Pace:
        """Read back what :meth:`to_dict` wrote (``percent``: a share's or a ratio's)."""
        return cls(as_of=date.fromisoformat(entry["as_of"]), expected=entry["expected"],
                   status=entry["status"], projected=entry["projected"],
                   projected_status=entry["projected_status"], percent=percent)


def pace_of(observed: Fraction, *, lower: Fraction | None, upper: Fraction | None,
            elapsed: Fraction, as_of: date, kind: Literal["each", "total", "ratio"],
            meets: Callable[[Fraction], bool] | None = None) -> Pace | None:
    """The pace of a figure ``observed`` by ``as_of``, ``elapsed`` of the period gone,
    for a target with the bounds ``lower``/``upper`` (``None`` where it has none).
    ``meets`` judges the projected figure (by default: within the bounds)."""
    bound = lower if lower is not None else upper
    if bound is None or elapsed <= 0:
        return None
    expected = bound * elapsed
    on_track = observed >= expected if lower is not None else observed <= expected
    if kind == "ratio":
        projected = observed
    else:
        projected = observed / elapsed
        if kind == "each":
            projected = min(projected, Fraction(1))
    if meets is None:
        def meets(value: Fraction) -> bool:
            return (lower is None or value >= lower) and (upper is None or value <= upper)
    shown = _number if kind == "total" else float  # shares and ratios: as observed is
    return Pace(as_of=as_of, expected=shown(expected),
                status="on_track" if on_track else "at_risk",
                projected=shown(projected),
                projected_status="met" if meets(projected) else "not_met",
                exact_expected=expected, exact_projected=projected, percent=kind != "total")


@attrs.frozen
class PacingHead:
    """What a report paced by a date says of it: the date, the plan's period and the
    fraction of it gone by then (by days)."""

    as_of: date
    period: Period
    elapsed: Fraction

    @property
    def start(self) -> date:
        """The period's first day."""
        return self.period.start

    @property
    def end(self) -> date:
        """The period's last day."""
        return self.period.end


def period_from_raw(raw: Any, problem: Callable[[str], None]) -> Period | None:
    """The plan's ``period`` table checked: two dates, ``start`` not after ``end``
    (each problem reported through ``problem``)."""
    if not isinstance(raw, Mapping) or set(raw) != {"start", "end"}:
        problem("period is a table of two dates: period = { start = 2020-01-01, "
                "end = 2020-12-31 }")
        return None
    start, end = raw["start"], raw["end"]
    # a TOML date is a date; a date-time (which is a date too in Python) is not one
    if not all(isinstance(day, date) and type(day) is date for day in (start, end)):
        problem(f"period: start and end are dates written as 2020-01-01 "
                f"(got {start!r}, {end!r})")
        return None
    if start > end:
        problem(f"period: start ({start}) is after end ({end})")
        return None
    return Period(start, end)


def pace_from_raw(raw: Any, period: Period | None, problem: Callable[[str], None]
                  ) -> tuple[Number, ...] | None:
    """A target's ``pace`` checked against the plan's period: one cumulative fraction
    per month of the period, above 0, never falling, the last 1."""
    if period is None:
        problem("pace needs the plan's period (period = { start = ..., end = ... })")
        return None
    months = len(period.months())
    if (not isinstance(raw, list) or not raw
            or not all(isinstance(value, int | float) and not isinstance(value, bool)
                       for value in raw)):
        problem(f"pace is a list of {months} numbers, one cumulative fraction a month")
        return None
    if len(raw) != months:
        problem(f"pace has {len(raw)} fractions, but the period {period} has {months} "
                "months: one a month")
        return None
    values = [exact_decimal(value) for value in raw if value == value]  # NaN is no fraction
    if len(values) != len(raw) or not all(0 < value <= 1 for value in values):
        problem("pace: every fraction is above 0 and at most 1 (a projection divides by it)")
        return None
    if any(later < earlier for earlier, later in itertools.pairwise(values)):
        problem("pace: the fractions are cumulative, so none is below the one before")
        return None
    if values[-1] != 1:
        problem(f"pace: the last month's fraction is 1 (the whole target), not {raw[-1]}")
        return None
    return tuple(raw)
