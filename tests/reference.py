"""A plain, independent reading of SPEC §4–5, to check the engine against.

Written from SPEC.md alone, without the engine's code, and as plainly as
possible: for the assessed unit S, walk S's subtree recursively, read each
unit's own values, and judge each target as §4 says. Nothing is shared with
the engine but the input types (:class:`~doanorg.Org` rows, the raw values
in :class:`~doanorg.Facts`, the targets of :class:`~doanorg.Plan`).

Readings of the SPEC used here (where it leaves room):

- Numbers are exact. A value or a bound is the decimal that was written
  (a float ``0.7`` is 7/10, text ``"0.1"`` is 1/10), and sums, shares and
  ratios are compared as :class:`~fractions.Fraction` values. The report
  shows ``observed`` as a float.
- A flag sums as 1 when true and 0 when false.
- ``required`` is ``share`` for ``each``; for ``total`` and ``ratio`` it is
  the condition's reference value: ``at_least`` (or ``at_most`` alone), the
  value of ``equals`` or ``not_equals``, the list of ``in``.
  ``required_max`` is the upper bound of a range, where ``required`` is its
  lower bound: for ``total`` and ``ratio`` only, since an ``each`` target's
  ``required`` is a share, which a bound on units' values does not cap.
- ``stretch_met`` is null where no stretch is given and where the target is
  not judged (``not_applicable``, ``informational``).
- ``units`` is ``{"selected", "passing"}`` for ``each`` and null otherwise;
  ``failing`` is empty for ``total`` and ``ratio``.
- A total is judged only at the root of the tree: no plan allocates totals
  down the tree (§3 has no key for it).
- A failing unit's ``shortfall`` is given for ``at_least``/``at_most``
  conditions (numeric bounds) and null for the others.

>>> from doanorg import Facts, build_org, UnitRow
>>> from doanorg.io import builtin_schema
>>> from doanorg.core.rules import plan_from_mapping
>>> schema = builtin_schema("doan")
>>> org = build_org([UnitRow("k", None, "khoi", "Khối"),
...                  UnitRow("a", "k", "doan_co_so", "A"),
...                  UnitRow("b", "k", "doan_co_so", "B")], schema)
>>> plan = plan_from_mapping({"id": "p", "metrics": {"m": {"type": "amount"}},
...     "targets": [{"id": "t", "total": "m", "at_most": 0.3}]}, schema)
>>> report = reference_report(org, Facts.from_records({"a": {"m": "0.1"}, "b": {"m": 0.2}}),
...                           plan)
>>> report["targets"][0]["status"], report["not_reported"]
('met', ['k'])
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from doanorg import EachTarget, Facts, Org, Plan, RatioTarget, TotalTarget
from doanorg.core.facts import Metric, MetricType, RawValue

__all__ = ["exact", "reference_report", "shown"]

Own = Fraction | bool | str | None
"""A unit's own value as read here: an exact number, a flag, a category or none."""

_TRUE = {"true", "1", "yes", "có"}
_FALSE = {"false", "0", "no", "không"}


def exact(number: int | float | Fraction) -> Fraction:
    """A number as the decimal it was written as: ``exact(0.7) == Fraction(7, 10)``."""
    if isinstance(number, float):
        return Fraction(repr(number))
    return Fraction(number)


def shown(value: Own) -> int | float | bool | str | None:
    """An own value as a report shows it: a whole number as int, another as float."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


def read(metric: Metric, raw: RawValue) -> Own:
    """``raw`` read as a value of ``metric`` (SPEC §2), a missing value as §2 says."""
    if isinstance(raw, str):
        raw = unicodedata.normalize("NFC", raw).strip()
        if raw == "":
            raw = None
    if raw is None:
        return {MetricType.COUNT: Fraction(0), MetricType.AMOUNT: Fraction(0),
                MetricType.FLAG: False, MetricType.CATEGORY: None}[metric.type]
    if metric.type in (MetricType.COUNT, MetricType.AMOUNT):
        assert not isinstance(raw, bool), raw
        number = Fraction(raw) if isinstance(raw, str) else exact(raw)
        assert number >= 0, raw
        assert metric.type is MetricType.AMOUNT or number.denominator == 1, raw
        return number
    if metric.type is MetricType.FLAG:
        if isinstance(raw, bool):
            return raw
        text = str(raw).casefold()
        assert text in _TRUE | _FALSE, raw
        return text in _TRUE
    assert isinstance(raw, str) and raw in metric.values, raw
    return raw


def _number(value: Own) -> Fraction:
    """A numeric own value to sum: a flag is 1 or 0."""
    if isinstance(value, bool):
        return Fraction(int(value))
    assert isinstance(value, Fraction), value
    return value


def _same(value: Own | Fraction, reference: object) -> bool:
    if isinstance(reference, bool) or isinstance(value, bool):
        return isinstance(reference, bool) and isinstance(value, bool) and value == reference
    if isinstance(reference, int | float):
        return isinstance(value, Fraction) and value == exact(reference)
    return value == reference


def holds(target: EachTarget | TotalTarget | RatioTarget, value: Own | Fraction,
          *, at_least: int | float | None = None) -> bool:
    """Whether ``value`` meets the target's condition (``at_least`` replaced if given)."""
    condition = target.condition
    low = condition.at_least if at_least is None else at_least
    if low is not None or condition.at_most is not None:
        assert isinstance(value, Fraction), value
        return (low is None or value >= exact(low)) and (
            condition.at_most is None or value <= exact(condition.at_most))
    if condition.equals is not None:
        return _same(value, condition.equals)
    if condition.not_equals is not None:
        return not _same(value, condition.not_equals)
    assert condition.in_ is not None
    return any(_same(value, option) for option in condition.in_)


def reference_report(org: Org, facts: Facts, plan: Plan, at: str | None = None) -> dict[str, Any]:
    """The report of ``plan`` assessed at ``at`` (default: the root), as SPEC §5's object."""
    rows = org.rows()
    kind = {row.id: row.kind for row in rows}
    parent = {row.id: row.parent for row in rows}
    children: dict[str, list[str]] = {row.id: [] for row in rows}
    for row in rows:
        if row.parent is not None:
            children[row.parent].append(row.id)
    root = next(row.id for row in rows if row.parent is None)
    top = root if at is None else at

    def walk(unit: str) -> list[str]:
        return [unit, *(below for child in children[unit] for below in walk(child))]

    subtree = walk(top)

    def own(unit: str, metric_id: str) -> Own:
        return read(plan.metrics[metric_id], facts.values.get(unit, {}).get(metric_id))

    def expand(names: Sequence[str]) -> set[str]:
        kinds: set[str] = set()
        for name in names:
            kinds |= set(plan.schema.groups[name]) if name in plan.schema.groups else {name}
        return kinds

    def total(metric_id: str) -> Fraction:
        return sum((_number(own(unit, metric_id)) for unit in subtree), Fraction(0))

    results = []
    for target in plan.targets:
        condition = target.condition
        entry: dict[str, Any] = {"id": target.id, "type": target.type,
                                 "aspirational": target.aspirational}
        stretch_met: bool | None = None
        if isinstance(target, EachTarget):
            kinds = expand(target.each)
            under = expand(target.directly_under) if target.directly_under is not None else None
            selected = [
                unit for unit in subtree
                if kind[unit] in kinds
                and (under is None or (parent[unit] is not None
                                       and kind[parent[unit] or ""] in under))
            ]
            passing = [unit for unit in selected if holds(target, own(unit, target.metric))]
            failing = []
            for unit in selected:
                if unit in passing:
                    continue
                given = own(unit, target.metric)
                shortfall: Fraction | None = None
                if condition.at_least is not None and _number(given) < exact(condition.at_least):
                    shortfall = exact(condition.at_least) - _number(given)
                elif condition.at_most is not None and _number(given) > exact(condition.at_most):
                    shortfall = _number(given) - exact(condition.at_most)
                failing.append({"unit": unit, "value": shown(given),
                                "shortfall": None if shortfall is None else shown(shortfall)})
            if not selected:
                status, observed = "not_applicable", None
            else:
                share = Fraction(len(passing), len(selected))
                observed = float(share)
                status = "met" if share >= exact(target.share) else "not_met"
                if target.stretch is not None:
                    stretching = [unit for unit in selected
                                  if holds(target, own(unit, target.metric),
                                           at_least=target.stretch)]
                    stretch_met = Fraction(len(stretching), len(selected)) >= exact(target.share)
            entry |= {"status": status, "observed": observed, "required": target.share,
                      "stretch_met": stretch_met,
                      "units": {"selected": len(selected), "passing": len(passing)},
                      "failing": failing}
        else:
            value: Fraction | None
            if isinstance(target, TotalTarget):
                value = total(target.metric)
                judged = top == root
            else:
                denominator = total(target.denominator)
                value = total(target.numerator) / denominator if denominator else None
                judged = True
            if value is None:
                status = "not_applicable"
            elif not judged:
                status = "informational"
            else:
                status = "met" if holds(target, value) else "not_met"
                if target.stretch is not None:
                    stretch_met = holds(target, value, at_least=target.stretch)
            required: Any
            if condition.at_least is not None:
                required = condition.at_least
            elif condition.at_most is not None:
                required = condition.at_most
            elif condition.equals is not None:
                required = condition.equals
            elif condition.not_equals is not None:
                required = condition.not_equals
            else:
                assert condition.in_ is not None
                required = list(condition.in_)
            entry |= {"status": status, "observed": None if value is None else float(value),
                      "required": required}
            if condition.at_least is not None and condition.at_most is not None:
                entry["required_max"] = condition.at_most
            entry |= {"stretch_met": stretch_met, "units": None, "failing": []}
        results.append(entry)

    statuses = ("met", "not_met", "not_applicable", "informational")
    summary = {"targets": len(results)}
    for status in statuses:
        summary[status] = sum(result["status"] == status for result in results)
    summary["required_not_met"] = sum(
        result["status"] == "not_met" and not result["aspirational"] for result in results)
    return {
        "plan": plan.id,
        "at": top,
        "compliant": summary["required_not_met"] == 0,
        "summary": summary,
        "not_reported": [unit for unit in subtree if unit not in facts.reported],
        "targets": results,
    }
