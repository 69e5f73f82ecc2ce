"""Plans: metrics and quota rules ("chỉ tiêu"), and the checks a plan must pass.

A *target* has one of three shapes:

``each`` (:class:`EachTarget`)
    every selected unit (its kind listed in ``each``, and, with
    ``directly_under``, its parent's kind listed there) must meet the
    condition with its own value, or at least ``share`` of them must;
``total`` (:class:`TotalTarget`)
    the sum of a metric over the subtree must meet the condition;
``ratio`` (:class:`RatioTarget`)
    the subtree sum of one metric divided by the subtree sum of another
    must meet the condition.

A :class:`Condition` is ``at_least``, ``at_most`` (both together: a
range), ``equals``, ``not_equals`` or ``in``. ``stretch`` is a second,
higher ``at_least`` reported separately; ``aspirational`` ("phấn đấu")
targets are reported but never make a subtree non-compliant.

:func:`plan_from_mapping` checks a plan as a TOML file states it and
collects every problem; unknown keys are errors, so a typo never silently
changes a plan. This module reads no file.

Examples
--------
>>> condition = Condition(at_least=3)
>>> condition.holds(2), condition.holds(3), condition.shortfall(1)
(False, True, 2)
>>> from fractions import Fraction
>>> Condition(at_least=0.7).holds(Fraction(7, 10))   # exact: 7/10 meets 70%
True
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal

import attrs

from doanorg.core._catalogue import catalogue
from doanorg.core._render import bound as _bound_text
from doanorg.core.allocation import Allocation, allocation_from_raw
from doanorg.core.metrics import Metric, MetricType, Value, exact_decimal
from doanorg.core.metrics import is_plan_number as _is_number
from doanorg.core.pacing import Period, pace_from_raw, period_from_raw
from doanorg.core.rubric import METRIC_KEYS as _SCORED_METRIC_KEYS
from doanorg.core.rubric import TARGET_KEYS as _SCORED_TARGET_KEYS
from doanorg.core.rubric import Reach, Scoring, TargetEntry, scoring_from_mapping
from doanorg.core.schema import Schema
from doanorg.errors import PlanError, Problem

__all__ = [
    "Condition",
    "EachTarget",
    "Plan",
    "RatioTarget",
    "Target",
    "TargetBase",
    "TotalTarget",
    "exact_decimal",
    "plan_from_mapping",
    "target_to_mapping",
]

Number = int | float
Scalar = int | float | bool | str


@attrs.frozen
class Condition:
    """What a value must satisfy: a lower and/or upper bound, or (not) equal, or in a list."""

    at_least: Number | None = None
    at_most: Number | None = None
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: tuple[Scalar, ...] | None = None

    def holds(self, value: Value | Fraction) -> bool:
        """Whether ``value`` meets the condition. A :class:`~fractions.Fraction` compares
        exactly against the bounds as written (shares and ratios)."""
        if isinstance(value, Fraction):
            return self._holds_exact(value)
        if self.at_least is not None or self.at_most is not None:
            if not isinstance(value, int | float):
                return False
            return (self.at_least is None or value >= self.at_least) and (
                self.at_most is None or value <= self.at_most
            )
        if self.equals is not None:
            return _same(value, self.equals)
        if self.not_equals is not None:
            return not _same(value, self.not_equals)
        assert self.in_ is not None
        return any(_same(value, option) for option in self.in_)

    def _holds_exact(self, value: Fraction) -> bool:
        def exact(bound: Scalar) -> Fraction | None:
            return exact_decimal(bound) if isinstance(bound, int | float) else None

        if self.at_least is not None or self.at_most is not None:
            return (self.at_least is None or value >= exact_decimal(self.at_least)) and (
                self.at_most is None or value <= exact_decimal(self.at_most)
            )
        if self.equals is not None:
            return value == exact(self.equals)
        if self.not_equals is not None:
            return value != exact(self.not_equals)
        assert self.in_ is not None
        return any(value == exact(option) for option in self.in_)

    def shortfall(self, value: Value) -> Number | None:
        """How much more (below ``at_least``) or less (above ``at_most``) makes ``value``
        pass; ``None`` where the condition has no numeric bound, 0 where it passes."""
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None
        if self.at_least is not None and value < self.at_least:
            return _difference(self.at_least, value)
        if self.at_most is not None and value > self.at_most:
            return _difference(value, self.at_most)
        if self.at_least is None and self.at_most is None:
            return None
        return 0

    def raised_to(self, stretch: Number) -> Condition:
        """The same condition with ``stretch`` in place of ``at_least``."""
        return attrs.evolve(self, at_least=stretch)

    @property
    def required(self) -> Scalar | tuple[Scalar, ...] | None:
        """The reference value a report shows as ``required``: the lower bound (or the
        upper one alone), the value of (not) equals, or the list of ``in``."""
        for bound in (self.at_least, self.at_most, self.equals, self.not_equals):
            if bound is not None:
                return bound
        return self.in_

    @property
    def is_range(self) -> bool:
        """Whether both ``at_least`` and ``at_most`` are given."""
        return self.at_least is not None and self.at_most is not None

    def describe(self, *, percent: bool = False, lang: str = "en") -> str:
        """The condition in words: ``≥ 3``, ``1,000–1,500``, ``= xuat_sac``; with
        ``percent``, numbers read as percentages (a ratio's bounds); with ``lang="vi"``,
        numbers and flags in Vietnamese (``1.000–1.500``, ``= có``).

        >>> Condition(at_least=1000, at_most=1500).describe()
        '1,000–1,500'
        >>> Condition(at_least=0.7).describe(percent=True)
        '≥ 70%'
        >>> Condition(at_least=1000, at_most=1500).describe(lang="vi")
        '1.000–1.500'
        """
        # the same words at every unit a plan is assessed at: worked out once (the
        # repr tells 1 from 1.0 and True, which compare equal)
        return _description(self, repr(self), percent, lang)

    def _describe(self, percent: bool, lang: str) -> str:
        words = catalogue(lang)

        def show(value: Scalar | None) -> str:
            if isinstance(value, int | float) and not isinstance(value, bool):
                # in full, beside observed figures
                return _bound_text(value, percent=percent, lang=lang)
            if isinstance(value, bool):
                return words["yes" if value else "no"]
            return _show(value)

        if self.is_range:
            return f"{show(self.at_least)}–{show(self.at_most)}"
        if self.at_least is not None:
            return f"≥ {show(self.at_least)}"
        if self.at_most is not None:
            return f"≤ {show(self.at_most)}"
        if self.equals is not None:
            return f"= {show(self.equals)}"
        if self.not_equals is not None:
            return f"≠ {show(self.not_equals)}"
        assert self.in_ is not None
        return "∈ {" + words["list_separator"].join(show(option) for option in self.in_) + "}"


@functools.lru_cache(maxsize=1024)
def _description(condition: Condition, shown: str, percent: bool, lang: str) -> str:
    """:meth:`Condition.describe`, kept for the conditions of the plans in use."""
    return condition._describe(percent, lang)


def _difference(high: Number, low: Number) -> Number:
    """``high - low`` as the decimals written: 0.21 - 0.05 is 0.16, not 0.15999999999999998."""
    if isinstance(high, int) and isinstance(low, int):
        return high - low
    return float(exact_decimal(high) - exact_decimal(low))


def _same(value: Value, reference: Scalar) -> bool:
    # True == 1 in Python; a flag and a number are never the same value here.
    return isinstance(value, bool) == isinstance(reference, bool) and value == reference


def _show(value: Scalar | None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@attrs.frozen(kw_only=True)
class TargetBase:
    """What every target has: its id, condition, and how it is reported."""

    id: str
    condition: Condition
    stretch: Number | None = None
    aspirational: bool = False
    text: str | None = None
    pace: tuple[Number, ...] | None = None
    """The cumulative fraction expected by the end of each month of the plan's period
    (:mod:`doanorg.core.pacing`); ``None``: by days."""


@attrs.frozen(kw_only=True)
class EachTarget(TargetBase):
    """Every unit of the listed kinds (or ``share`` of them) meets the condition itself."""

    each: tuple[str, ...]
    metric: str
    directly_under: tuple[str, ...] | None = None
    share: Number = 1.0
    type: Literal["each"] = attrs.field(default="each", init=False)


@attrs.frozen(kw_only=True)
class TotalTarget(TargetBase):
    """The subtree sum of a metric meets the condition (judged at the plan's root)."""

    metric: str
    allocate: Allocation | None = None
    """How the bounds are handed down the tree (:mod:`doanorg.core.allocation`)."""
    type: Literal["total"] = attrs.field(default="total", init=False)


@attrs.frozen(kw_only=True)
class RatioTarget(TargetBase):
    """The subtree sum of ``numerator`` over that of ``denominator`` meets the condition."""

    numerator: str
    denominator: str
    type: Literal["ratio"] = attrs.field(default="ratio", init=False)


Target = EachTarget | TotalTarget | RatioTarget


@attrs.frozen
class Plan:
    """A plan: the metrics units report and the targets ("chỉ tiêu") they must meet."""

    id: str
    metrics: Mapping[str, Metric]
    targets: tuple[Target, ...]
    schema: Schema
    title: str = ""
    scoring: Scoring | None = None
    """The rubric that scores and grades units (SPEC §11), if the plan has one."""
    period: Period | None = None
    """The days the targets are set for (:mod:`doanorg.core.pacing`), if the plan says."""

    def target(self, target_id: str) -> Target:
        """The target with this id (:class:`KeyError` if there is none)."""
        for target in self.targets:
            if target.id == target_id:
                return target
        raise KeyError(target_id)

    def used_metrics(self) -> frozenset[str]:
        """The metrics some target reads."""
        used: set[str] = set()
        for target in self.targets:
            if isinstance(target, RatioTarget):
                used |= {target.numerator, target.denominator}
            else:
                used.add(target.metric)
        return frozenset(used)

    def to_mapping(self) -> dict[str, Any]:
        """The plan as the mapping a plan TOML file holds: what
        :func:`plan_from_mapping` takes back.

        >>> from doanorg.io import load_plan
        >>> plan = load_plan("doan-khoi-2020")
        >>> plan_from_mapping(plan.to_mapping(), plan.schema) == plan
        True
        """
        metrics: dict[str, Any] = {}
        for metric in self.metrics.values():
            entry: dict[str, Any] = {"type": metric.type.value}
            if metric.label:
                entry["label"] = metric.label
            if metric.values:
                entry["values"] = list(metric.values)
            if self.scoring is not None and metric.id in self.scoring.filled:
                entry["from_scoring"] = True
            metrics[metric.id] = entry
        data: dict[str, Any] = {"id": self.id}
        if self.title:
            data["title"] = self.title
        data["schema"] = self.schema.id
        if self.period is not None:
            data["period"] = self.period.to_mapping()
        data["metrics"] = metrics
        data["targets"] = [target_to_mapping(target) for target in self.targets]
        if self.scoring is not None:
            self.scoring.mark_targets(data["targets"])
            data["scoring"] = self.scoring.to_mapping()
        return data


def target_to_mapping(target: Target) -> dict[str, Any]:
    """A target as a ``[[targets]]`` table states it (keys in the usual order)."""
    entry: dict[str, Any] = {"id": target.id}
    if target.text is not None:
        entry["text"] = target.text
    if target.aspirational:
        entry["aspirational"] = True
    if isinstance(target, EachTarget):
        entry["each"] = list(target.each)
        if target.directly_under is not None:
            entry["directly_under"] = list(target.directly_under)
        entry["metric"] = target.metric
        if target.share != 1.0:
            entry["share"] = target.share
    elif isinstance(target, TotalTarget):
        entry["total"] = target.metric
    else:
        entry["ratio"] = [target.numerator, target.denominator]
    condition = target.condition
    for key, value in (("at_least", condition.at_least), ("at_most", condition.at_most),
                       ("equals", condition.equals), ("not_equals", condition.not_equals)):
        if value is not None:
            entry[key] = value
    if condition.in_ is not None:
        entry["in"] = list(condition.in_)
    if target.stretch is not None:
        entry["stretch"] = target.stretch
    if isinstance(target, TotalTarget) and target.allocate is not None:
        entry["allocate"] = target.allocate.to_mapping()
    if target.pace is not None:
        entry["pace"] = list(target.pace)
    return entry


# --- checking a plan as its file states it ------------------------------------

_PLAN_KEYS = ("id", "title", "schema", "period", "metrics", "targets", "scoring")
_METRIC_KEYS = ("type", "label", "values", *_SCORED_METRIC_KEYS)
_SHAPES = ("each", "total", "ratio")
_CONDITIONS = ("at_least", "at_most", "equals", "not_equals", "in")
_TARGET_KEYS = (
    *_SHAPES, *_CONDITIONS, "id", "text", "metric", "directly_under", "share", "stretch",
    "aspirational", "allocate", "pace", *_SCORED_TARGET_KEYS,
)

Locate = Callable[[tuple[str | int, ...]], int | None]
"""Given a key path such as ``("targets", 2, "at_least")``, the line it stands on."""


def plan_from_mapping(
    data: Mapping[str, Any],
    schema: Schema,
    *,
    file: str | None = None,
    locate: Locate | None = None,
    allow_low_stretch: bool = False,
) -> Plan:
    """Check and build a plan from the mapping a plan TOML file holds.

    Every problem is collected, each with its line where ``locate`` knows it,
    then one :class:`~doanorg.PlanError` lists them all. With
    ``allow_low_stretch``, a ``stretch`` below ``at_least`` is let through, for
    :func:`doanorg.lint` to report among the plan's other contradictions
    (``doanorg plan lint``); it is an error otherwise.

    Examples
    --------
    >>> from doanorg.io import builtin_schema
    >>> plan = plan_from_mapping({
    ...     "id": "p",
    ...     "metrics": {"youth_projects": {"type": "count"}},
    ...     "targets": [{"id": "3b", "each": ["doan_cap_huyen"],
    ...                  "metric": "youth_projects", "at_least": 3}],
    ... }, builtin_schema("doan"))
    >>> plan.targets[0].condition
    Condition(at_least=3, at_most=None, equals=None, not_equals=None, in_=None)
    >>> plan_from_mapping({"id": "p", "metrics": {}, "targets": [
    ...     {"id": "x", "total": "tres", "at_least": 1}]}, builtin_schema("doan"))
    Traceback (most recent call last):
    ...
    doanorg.errors.PlanError: target 'x': total names undeclared metric 'tres'
    """
    checker = _PlanChecker(schema, file, locate or (lambda path: None), allow_low_stretch)
    return checker.plan(data)


class _PlanChecker:
    """Collects the problems of one plan while building it."""

    def __init__(self, schema: Schema, file: str | None, locate: Locate,
                 allow_low_stretch: bool = False) -> None:
        self.schema = schema
        self.allow_low_stretch = allow_low_stretch
        self.file = file
        self.locate = locate
        self.problems: list[Problem] = []
        self.period: Period | None = None

    def problem(self, message: str, *path: str | int, target: str | None = None,
                metric: str | None = None) -> None:
        line = None
        while path and line is None:
            line = self.locate(path)
            path = path[:-1]
        self.problems.append(
            Problem(message, file=self.file, line=line, target=target, metric=metric)
        )

    def unknown_keys(self, given: Sequence[str], allowed: Sequence[str], what: str,
                     *path: str | int, target: str | None = None) -> None:
        for key in given:
            if key not in allowed:
                self.problem(f"{what}unknown key {key!r}{_did_you_mean(key, allowed)}",
                             *path, key, target=target)

    def plan(self, data: Mapping[str, Any]) -> Plan:
        self.unknown_keys(list(data), _PLAN_KEYS, "")
        plan_id = data.get("id")
        if not isinstance(plan_id, str) or not plan_id.strip():
            self.problem("the plan needs an id (id = \"...\")", "id")
            plan_id = ""
        title = data.get("title", "")
        if not isinstance(title, str):
            self.problem("title must be text", "title")
            title = ""
        schema_id = data.get("schema")
        if schema_id is not None and schema_id != self.schema.id:
            self.problem(
                f"the plan is written for schema {schema_id!r}, "
                f"but the organisation uses schema {self.schema.id!r}", "schema")
        self.period = None if "period" not in data else period_from_raw(
            data["period"], lambda message: self.problem(message, "period"))
        metrics = self.metrics(data.get("metrics", {}))
        raw_targets = data.get("targets", [])
        if not isinstance(raw_targets, list) or not raw_targets:
            self.problem("the plan has no targets (add [[targets]] tables)", "targets")
            raw_targets = []
        targets: list[Target] = []
        seen: dict[str, int] = {}
        entries: list[TargetEntry] = []
        for index, raw in enumerate(raw_targets):
            target = self.target(index, raw, metrics)
            if isinstance(raw, Mapping):
                entries.append(TargetEntry(index, raw, _target_id(raw) or f"#{index + 1}",
                                           None if target is None else _reach(target, self.schema)))
            if target is None:
                continue
            if target.id in seen:
                self.problem(f"duplicate target id {target.id!r} (target #{seen[target.id] + 1} "
                             "has it too)", "targets", index, "id", target=target.id)
            seen.setdefault(target.id, index)
            targets.append(target)
        scoring = scoring_from_mapping(data, metrics, entries, self.schema, self, _did_you_mean)
        if self.problems:
            raise PlanError(self.problems)
        return Plan(plan_id.strip(), metrics, tuple(targets), self.schema, title, scoring,
                    self.period)

    def metrics(self, raw_metrics: Any) -> dict[str, Metric]:
        if not isinstance(raw_metrics, Mapping):
            self.problem("[metrics] must be a table of metrics", "metrics")
            return {}
        metrics: dict[str, Metric] = {}
        types = [kind.value for kind in MetricType]
        for metric_id, spec in raw_metrics.items():
            path = ("metrics", metric_id)
            if not isinstance(spec, Mapping):
                self.problem(f"metric {metric_id!r} must be a table", *path, metric=metric_id)
                continue
            self.unknown_keys(list(spec), _METRIC_KEYS, f"metric {metric_id!r}: ", *path)
            type_name = spec.get("type")
            if type_name not in types:
                self.problem(f"metric {metric_id!r}: type must be one of {', '.join(types)}"
                             f" (got {type_name!r})", *path, "type", metric=metric_id)
                continue
            metric_type = MetricType(type_name)
            label = spec.get("label", "")
            if not isinstance(label, str):
                self.problem(f"metric {metric_id!r}: label must be text", *path, "label")
                label = ""
            values = spec.get("values")
            if metric_type is MetricType.CATEGORY:
                if (not isinstance(values, list) or not values
                        or not all(isinstance(v, str) and v for v in values)):
                    self.problem(f"metric {metric_id!r}: a category needs values = [\"...\", ...]",
                                 *path, "values", metric=metric_id)
                    values = []
                elif len(set(values)) != len(values):
                    self.problem(f"metric {metric_id!r}: values are listed twice",
                                 *path, "values", metric=metric_id)
            elif values is not None:
                self.problem(f"metric {metric_id!r}: only a category has values",
                             *path, "values", metric=metric_id)
            metrics[metric_id] = Metric(metric_id, metric_type, label, tuple(values or ()))
        return metrics

    def target(self, index: int, raw: Any, metrics: Mapping[str, Metric]) -> Target | None:
        path: tuple[str | int, ...] = ("targets", index)
        if not isinstance(raw, Mapping):
            self.problem(f"target #{index + 1} must be a table", *path)
            return None
        target_id = _target_id(raw)
        if target_id is None:
            self.problem(f"target #{index + 1} needs an id (id = \"...\")", *path)
            target_id = f"#{index + 1}"
        name = f"target {target_id!r}: "
        before = len(self.problems)

        def problem(message: str, key: str | None = None) -> None:
            self.problem(name + message, *path, *((key,) if key else ()), target=target_id)

        self.unknown_keys(list(raw), _TARGET_KEYS, name, *path, target=target_id)
        shapes = [shape for shape in _SHAPES if shape in raw]
        if len(shapes) != 1:
            problem("a target has exactly one of each, total, ratio"
                    + (f" (it has {', '.join(shapes)})" if shapes else ""))
            return None
        shape = shapes[0]
        for key, only in (("metric", "each"), ("directly_under", "each"), ("share", "each")):
            if key in raw and shape != only:
                problem(f"{key} is for each targets only", key)

        # the metric(s) the condition applies to
        read: list[Metric] = []
        if shape == "each":
            self.kinds(raw["each"], "each", problem)
            if "directly_under" in raw:
                self.kinds(raw["directly_under"], "directly_under", problem)
            if "metric" not in raw:
                problem("an each target names its metric (metric = \"...\")")
            else:
                read += self.metric_refs([raw["metric"]], metrics, "metric", problem)
        elif shape == "total":
            read += self.metric_refs([raw["total"]], metrics, "total", problem, numeric=True)
        else:
            pair = raw["ratio"]
            if not (isinstance(pair, list) and len(pair) == 2):
                problem("ratio is a list of two metrics: [numerator, denominator]", "ratio")
            else:
                read += self.metric_refs(pair, metrics, "ratio", problem, numeric=True)

        condition: Condition | None = None
        if shape == "each" and not read:
            # the metric is unknown: its condition cannot be checked against a type
            self.condition_keys(raw, problem)
        else:
            condition = self.condition(raw, read[0] if shape == "each" else None, problem)
        share = raw.get("share", 1.0)
        if not _is_number(share) or not 0 <= share <= 1:
            problem(f"share must be a number from 0 to 1 (got {share!r})", "share")
        stretch = raw.get("stretch")
        if stretch is not None:
            if not _is_number(stretch):
                problem(f"stretch must be a finite number (got {stretch!r})", "stretch")
            elif condition is None:
                pass  # the condition's own problem is reported
            elif condition.at_least is None:
                problem("stretch raises at_least, which this target does not have", "stretch")
            elif stretch < condition.at_least and not self.allow_low_stretch:
                problem(f"stretch ({stretch}) is below at_least ({condition.at_least})", "stretch")
            elif condition.at_most is not None and stretch > condition.at_most:
                problem(f"stretch ({stretch}) is above at_most ({condition.at_most})", "stretch")
        aspirational = raw.get("aspirational", False)
        if not isinstance(aspirational, bool):
            problem("aspirational must be true or false", "aspirational")
        text = raw.get("text")
        if text is not None and not isinstance(text, str):
            problem("text must be text", "text")
        allocate = None if "allocate" not in raw else allocation_from_raw(
            raw["allocate"], shape=shape, at_least=raw.get("at_least"),
            problem=lambda message: problem(message, "allocate"))
        pace = None if "pace" not in raw else pace_from_raw(
            raw["pace"], self.period, lambda message: problem(message, "pace"))
        if len(self.problems) > before or condition is None:
            return None

        common: dict[str, Any] = {
            "id": target_id, "condition": condition, "stretch": stretch,
            "aspirational": aspirational, "text": text, "pace": pace,
        }
        if shape == "each":
            return EachTarget(
                **common, each=tuple(raw["each"]), metric=raw["metric"],
                directly_under=tuple(raw["directly_under"]) if "directly_under" in raw else None,
                share=share,
            )
        if shape == "total":
            return TotalTarget(**common, metric=raw["total"], allocate=allocate)
        return RatioTarget(**common, numerator=raw["ratio"][0], denominator=raw["ratio"][1])

    def kinds(self, names: Any, key: str, problem: Callable[[str, str], None]) -> None:
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            problem(f"{key} is a non-empty list of kinds or groups", key)
            return
        known = sorted(self.schema.names())
        for name in names:
            if name not in self.schema.kinds and name not in self.schema.groups:
                problem(f"{key} names unknown kind {name!r}{_did_you_mean(name, known)}", key)

    def metric_refs(self, names: Sequence[Any], metrics: Mapping[str, Metric], key: str,
                    problem: Callable[[str, str], None], *, numeric: bool = False) -> list[Metric]:
        found = []
        for name in names:
            if not isinstance(name, str):
                problem(f"{key} must name a metric (got {name!r})", key)
            elif name not in metrics:
                problem(f"{key} names undeclared metric {name!r}"
                        f"{_did_you_mean(name, list(metrics))}", key)
            elif numeric and not metrics[name].type.numeric:
                problem(f"{key} sums {name!r}, a {metrics[name].type.value}, "
                        "which has no sum", key)
            else:
                found.append(metrics[name])
        return found

    def condition_keys(self, raw: Mapping[str, Any], problem: Callable[[str, str], None]) -> None:
        """Check only which condition keys are given (for a target whose metric is unknown)."""
        given = [key for key in _CONDITIONS if key in raw]
        if not given:
            problem("a target needs a condition: "
                    "at_least, at_most, equals, not_equals or in", "id")
        elif len(given) > 1 and set(given) != {"at_least", "at_most"}:
            problem(f"a target has one condition (at_least with at_most is a range); "
                    f"it has {', '.join(given)}", given[1])

    def condition(self, raw: Mapping[str, Any], metric: Metric | None,
                  problem: Callable[[str, str], None]) -> Condition | None:
        """The target's condition, checked against the type of value it reads.

        ``metric`` is the metric of an each target; ``None`` for totals and
        ratios, whose values are numbers.
        """
        given = [key for key in _CONDITIONS if key in raw]
        if not given:
            problem("a target needs a condition: "
                    "at_least, at_most, equals, not_equals or in", "id")
            return None
        bounds = [key for key in given if key in ("at_least", "at_most")]
        if len(given) > len(bounds) and len(given) > 1:
            problem(f"a target has one condition (at_least with at_most is a range); "
                    f"it has {', '.join(given)}", given[1])
            return None
        metric_type = metric.type if metric else None
        numeric = metric_type in (None, MetricType.COUNT, MetricType.AMOUNT)

        def fits(key: str, value: Any) -> bool:
            if numeric:
                ok = _is_number(value) and (value >= 0 or key not in ("at_least", "at_most"))
                expected = ("a finite, non-negative number" if key in ("at_least", "at_most")
                            else "a finite number")
            elif metric_type is MetricType.FLAG:
                ok, expected = isinstance(value, bool), "true or false"
            else:
                assert metric is not None
                ok = isinstance(value, str) and value in metric.values
                expected = f"one of the values of {metric.id!r} ({', '.join(metric.values)})"
            if not ok:
                subject = f"the {metric.type.value} {metric.id!r}" if metric else "a sum"
                problem(f"{key} = {value!r} does not fit {subject}: it must be {expected}", key)
            return ok

        if bounds and not numeric:
            assert metric is not None
            problem(f"{bounds[0]} does not fit the {metric.type.value} {metric.id!r}: "
                    "use equals, not_equals or in", bounds[0])
            return None
        if not all([fits(key, raw[key]) for key in bounds]):  # a list: report every bound
            return None
        if bounds:
            low, high = raw.get("at_least"), raw.get("at_most")
            if low is not None and high is not None and low > high:
                problem(f"at_least ({low}) is above at_most ({high})", "at_least")
                return None
            return Condition(at_least=low, at_most=high)
        key = given[0]
        value = raw[key]
        if key == "in":
            if not isinstance(value, list) or not value:
                problem("in is a non-empty list of values", key)
                return None
            if not all(fits(key, option) for option in value):
                return None
            return Condition(in_=tuple(value))
        if not fits(key, value):
            return None
        return Condition(equals=value) if key == "equals" else Condition(not_equals=value)


def _target_id(raw: Mapping[str, Any]) -> str | None:
    """A target's id as its table gives it (a number is read as its text), if it has one."""
    target_id = raw.get("id")
    if isinstance(target_id, int) and not isinstance(target_id, bool):
        target_id = str(target_id)
    if not isinstance(target_id, str) or not target_id.strip():
        return None
    return target_id.strip()


def _reach(target: Target, schema: Schema) -> Reach:
    """What a rubric's checks read of ``target`` (:class:`~doanorg.core.rubric.Reach`)."""
    lower = target.condition.at_least is not None
    if isinstance(target, EachTarget):
        under = (None if target.directly_under is None
                 else schema.expand(target.directly_under))
        return Reach("each", schema.expand(target.each), under, lower,
                     frozenset({target.metric}))
    if isinstance(target, TotalTarget):
        return Reach("total", None, None, lower, frozenset({target.metric}))
    return Reach("ratio", None, None, lower, frozenset({target.numerator, target.denominator}))


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
