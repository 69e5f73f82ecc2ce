"""Plan lint: targets of one plan that contradict each other or can never apply (SPEC §10).

A plan is written by people, and a plan that loads may still ask for what
no facts can give, or say one thing twice. :func:`lint` finds, naming the
targets involved, every problem of these kinds (their ``kind`` in the
report, in this order):

``floors_above_total``
    per-unit floors whose sum over the organisation already exceeds a
    total's ``at_most``: the ``each`` targets on a metric ask every selected
    unit (or ``share`` of them) for at least so much, and those floors add
    up to more than a ``total`` target on the same metric allows;
``total_out_of_reach``
    a total that per-unit ``at_most`` bounds can never reach: every unit of
    the organisation is held at or below some ceiling on the metric (a flag
    counts at most 1 a unit), and the ceilings add up to less than the
    total's ``at_least``;
``never_directly_under``
    a rule whose kinds can never stand where ``directly_under`` asks under
    the schema, so that it never selects a unit of those kinds;
``ratio_of_itself``
    a ratio of a metric to itself (1, or not applicable, whatever the facts);
``same_rule``
    two (or more) targets with the same rule: the same shape, units, metric,
    condition and share, whatever their ids, texts, stretch or aspirational
    flag (kinds are compared as the kinds they stand for: ``co_so`` is
    ``doan_co_so`` with ``chi_doan_co_so``);
``weaker_aspiration``
    an aspirational target weaker than a mandatory one on the same figure:
    every fact that meets the mandatory target meets it too ("phấn đấu" asks
    for more than the binding figure, never less);
``stretch_not_above``
    a ``stretch`` that is not above ``at_least``.

The first two count units, so they need the organisation (``org``); without
it they are not checked, and :attr:`Lint.org_checked` says so. Both are
sums over the whole organisation, where totals are judged (SPEC §4). Each
check is exact and never raises a false alarm: a floor is the least value a
unit may hold and still pass, a ceiling the most; a plan for which some facts
meet every target never has a floor or ceiling problem, and one reported is a
real contradiction. This module reads no file.

Examples
--------
>>> from doanorg.core.rules import plan_from_mapping
>>> from doanorg.io import builtin_schema, load_plan
>>> lint(load_plan("doan-khoi-2020")).problems
()
>>> plan = plan_from_mapping({"id": "p", "metrics": {"trees": {"type": "count"}}, "targets": [
...     {"id": "a", "ratio": ["trees", "trees"], "at_least": 0.5},
...     {"id": "b", "each": ["chi_doan"], "directly_under": ["khoi"], "metric": "trees",
...      "at_least": 2, "stretch": 2}]}, builtin_schema("doan"))
>>> [(problem.kind, problem.targets) for problem in lint(plan).problems]
[('never_directly_under', ('b',)), ('ratio_of_itself', ('a',)), ('stretch_not_above', ('b',))]
>>> for problem in lint(plan).problems:
...     print(problem)
never_directly_under: target 'b': chi_doan never stands directly under khoi (only under \
doan_co_so, lien_chi_doan in schema 'doan'), so the target never selects one
ratio_of_itself: target 'a': a ratio of trees to itself is 1 whatever the facts
stretch_not_above: target 'b': stretch (2) is not above at_least (2)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from doanorg.core._catalogue import DEFAULT_LANG, catalogue
from doanorg.core._json import json_text
from doanorg.core.engine import Selection
from doanorg.core.metrics import Metric, MetricType
from doanorg.core.model import Org
from doanorg.core.rules import (
    Condition,
    EachTarget,
    Plan,
    RatioTarget,
    Target,
    TotalTarget,
    exact_decimal,
)
from doanorg.core.schema import Schema

__all__ = ["KINDS", "Lint", "LintProblem", "ProblemKind", "lint"]

ProblemKind = Literal[
    "floors_above_total", "total_out_of_reach", "never_directly_under", "ratio_of_itself",
    "same_rule", "weaker_aspiration", "stretch_not_above",
]
KINDS: tuple[ProblemKind, ...] = (
    "floors_above_total", "total_out_of_reach", "never_directly_under", "ratio_of_itself",
    "same_rule", "weaker_aspiration", "stretch_not_above",
)
"""Every kind of problem :func:`lint` finds, in the order it reports them."""


@attrs.frozen
class LintProblem:
    """One problem of a plan: its kind, the targets involved (plan order) and a sentence."""

    kind: ProblemKind
    targets: tuple[str, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """``{"kind", "targets", "message"}`` as in SPEC §10."""
        return {"kind": self.kind, "targets": list(self.targets), "message": self.message}

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@attrs.frozen
class Lint:
    """What :func:`lint` found in one plan: its problems, kind by kind (see :data:`KINDS`).

    ``org_checked`` says whether an organisation was given, so that floors and
    ceilings were added up against the totals.
    """

    plan: str
    problems: tuple[LintProblem, ...]
    org_checked: bool

    def __bool__(self) -> bool:
        """Whether the plan has any problem."""
        return bool(self.problems)

    def to_dict(self) -> dict[str, Any]:
        """``{"problems": [{"kind", "targets", "message"}, ...]}`` (SPEC §10)."""
        return {"problems": [problem.to_dict() for problem in self.problems]}

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (what ``doanorg plan lint --format json`` prints)."""
        return json_text(self.to_dict())

    def to_text(self, lang: str = DEFAULT_LANG) -> str:
        """One line per problem, ``KIND: MESSAGE``; one line saying so when there is none.
        The frame's words are in ``lang`` (``vi``, the default, or ``en``); each problem's
        kind and message are as :meth:`to_dict` holds them (JSON never changes)."""
        words = catalogue(lang)
        lines = [str(problem) for problem in self.problems]
        if not lines:
            lines.append(words.say("lint.none", plan=repr(self.plan)))
        if not self.org_checked:
            lines.append(words["lint.no_org"])
        return "\n".join(lines) + "\n"

    def to_markdown(self, lang: str = DEFAULT_LANG) -> str:
        """The problems as a Markdown list under a heading naming the plan, its frame's
        words in ``lang``."""
        words = catalogue(lang)
        lines = [f"# {words.say('lint.title', plan=self.plan)}", ""]
        lines += [f"- **{problem.kind}**: {problem.message}" for problem in self.problems]
        if not self.problems:
            lines.append(words["lint.none_md"])
        if not self.org_checked:
            lines += ["", words["lint.no_org_md"]]
        return "\n".join(lines) + "\n"


def lint(plan: Plan, org: Org | None = None) -> Lint:
    """Every problem of ``plan`` (see the module's list), each naming its targets.

    With ``org``, per-unit floors and ceilings are added up over its units and
    compared with the plan's totals; ``org`` must use the plan's schema.

    Examples
    --------
    >>> from doanorg.io import example_file, load_org, load_plan
    >>> plan = load_plan("doan-khoi-2020")
    >>> found = lint(plan, load_org(example_file("org.csv")))
    >>> bool(found), found.to_dict()
    (False, {'problems': []})
    """
    problems: list[LintProblem] = []
    if org is not None:
        problems += _floors_and_ceilings(plan, org)
    problems += _never_directly_under(plan)
    problems += [LintProblem(
        "ratio_of_itself", (target.id,),
        f"target {target.id!r}: a ratio of {target.numerator} to itself is 1 whatever the "
        "facts")
        for target in plan.targets
        if isinstance(target, RatioTarget) and target.numerator == target.denominator]
    problems += _same_rules(plan)
    problems += _weaker_aspirations(plan)
    problems += _low_stretches(plan)
    order = {kind: index for index, kind in enumerate(KINDS)}
    problems.sort(key=lambda problem: order[problem.kind])  # stable: plan order within a kind
    return Lint(plan.id, tuple(problems), org is not None)


def _names(ids: Iterable[str]) -> str:
    listed = [repr(target) for target in ids]
    return f"target {listed[0]}" if len(listed) == 1 else "targets " + ", ".join(listed)


def _number(value: Fraction) -> str:
    return f"{value.numerator:,}" if value.denominator == 1 else f"{float(value):,g}"


# --- floors and ceilings against totals ----------------------------------------------------


def _floor(metric: Metric, condition: Condition) -> Fraction:
    """The least own value of ``metric`` that meets ``condition`` (0 when any does)."""
    if metric.type is MetricType.FLAG:
        return Fraction(int(not condition.holds(False) and condition.holds(True)))
    if condition.at_least is not None:
        least = exact_decimal(condition.at_least)
    elif isinstance(condition.equals, int | float) and not isinstance(condition.equals, bool):
        least = exact_decimal(condition.equals)
    elif condition.in_ is not None and all(
            isinstance(option, int | float) and not isinstance(option, bool)
            for option in condition.in_):
        least = min(exact_decimal(option) for option in condition.in_)
    else:
        return Fraction(0)
    least = max(least, Fraction(0))
    return Fraction(math.ceil(least)) if metric.type is MetricType.COUNT else least


def _ceiling(metric: Metric, condition: Condition) -> Fraction | None:
    """The most own value of ``metric`` that meets ``condition``; ``None``: no ceiling
    (a flag's is 1)."""
    if metric.type is MetricType.FLAG:
        return Fraction(1) if condition.holds(True) else Fraction(0)
    if condition.at_most is not None:
        most = exact_decimal(condition.at_most)
    elif isinstance(condition.equals, int | float) and not isinstance(condition.equals, bool):
        most = exact_decimal(condition.equals)
    elif condition.in_ is not None and all(
            isinstance(option, int | float) and not isinstance(option, bool)
            for option in condition.in_):
        most = max(exact_decimal(option) for option in condition.in_)
    else:
        return None
    return Fraction(math.floor(most)) if metric.type is MetricType.COUNT else most


def _must_pass(target: EachTarget, selected: int) -> int:
    """How many of the ``selected`` units must pass for the target to be met."""
    share = exact_decimal(target.share)
    return math.ceil(share * selected)


def _floors_and_ceilings(plan: Plan, org: Org) -> list[LintProblem]:
    selection = Selection.of(org)
    by_metric: dict[str, list[tuple[EachTarget, npt.NDArray[np.bool_]]]] = {}
    for target in plan.targets:
        if isinstance(target, EachTarget) and plan.metrics[target.metric].type.numeric:
            by_metric.setdefault(target.metric, []).append(
                (target, selection.selects(plan.schema, target)))
    problems: list[LintProblem] = []
    for total in plan.targets:
        if not isinstance(total, TotalTarget):
            continue
        metric = plan.metrics[total.metric]
        each = by_metric.get(total.metric, [])
        at_most, at_least = total.condition.at_most, total.condition.at_least
        if at_most is not None:
            problems += _floors_above(total, metric, each, exact_decimal(at_most), len(org))
        if at_least is not None:
            problems += _out_of_reach(total, metric, each, exact_decimal(at_least), len(org))
    return problems


def _highest_first(levels: list[tuple[Fraction, npt.NDArray[np.bool_]]], units: int,
                   *, highest: bool) -> tuple[Fraction, npt.NDArray[np.bool_]]:
    """The sum over units of each unit's highest (or lowest) level among the levels whose
    mask holds it, and the mask of units no level holds: each level counts the units no
    level before it (in order of level) took."""
    taken = np.zeros(units, dtype=np.bool_)
    summed = Fraction(0)
    for level, mask in sorted(levels, key=lambda item: item[0], reverse=highest):
        summed += level * int((mask & ~taken).sum())
        taken |= mask
    return summed, ~taken


def _floors_above(total: TotalTarget, metric: Metric,
                  each: Sequence[tuple[EachTarget, npt.NDArray[np.bool_]]], at_most: Fraction,
                  units: int) -> list[LintProblem]:
    """The least sum the floors allow, and the targets that set it, against ``at_most``.

    Units that every selected one must pass hold at least the highest of their
    floors; a target of which only ``share`` must pass asks at least its floor of
    that many units. The least sum is the larger of the two: a lower bound of the
    total of any facts that meet the targets.
    """
    whole: list[tuple[Fraction, npt.NDArray[np.bool_]]] = []
    whole_by: list[str] = []
    best: Fraction = Fraction(0)
    best_by: tuple[str, ...] = ()
    for target, selected in each:
        floor = _floor(metric, target.condition)
        count = int(selected.sum())
        need = _must_pass(target, count)
        if floor == 0 or need == 0:
            continue
        if need == count:
            whole.append((floor, selected))
            whole_by.append(target.id)
        elif need * floor > best:
            best, best_by = need * floor, (target.id,)
    summed, _ = _highest_first(whole, units, highest=True)
    if summed >= best:
        best, best_by = summed, tuple(whole_by)
    if best <= at_most:
        return []
    return [LintProblem(
        "floors_above_total", (*best_by, total.id),
        f"the floors of {_names(best_by)} add up to at least {_number(best)} "
        f"{metric.id} over the units they select, above the at_most "
        f"({_number(at_most)}) of total target {total.id!r}")]


def _out_of_reach(total: TotalTarget, metric: Metric,
                  each: Sequence[tuple[EachTarget, npt.NDArray[np.bool_]]], at_least: Fraction,
                  units: int) -> list[LintProblem]:
    """The most the ceilings allow over the organisation, against ``at_least``: every unit
    held by a target that all its selected units must pass, at its lowest ceiling (a flag
    is at most 1 without one); a unit no ceiling holds leaves the total unbounded."""
    ceilings: list[tuple[Fraction, npt.NDArray[np.bool_]]] = []
    capping: list[str] = []
    for target, selected in each:
        ceiling = _ceiling(metric, target.condition)
        count = int(selected.sum())
        if ceiling is None or count == 0 or _must_pass(target, count) < count:
            continue
        ceilings.append((ceiling, selected))
        capping.append(target.id)
    most, free = _highest_first(ceilings, units, highest=False)
    left = int(free.sum())
    if left and metric.type is not MetricType.FLAG:
        return []  # a unit no ceiling holds may report any amount
    most += left  # a flag is 1 at most
    if most >= at_least:
        return []
    held_by = f"the at_most of {_names(capping)}" if capping else ""
    if metric.type is MetricType.FLAG:
        held_by = (f"{held_by} and " if held_by else "") + "a flag's 1 a unit"
    return [LintProblem(
        "total_out_of_reach", (*capping, total.id),
        f"total target {total.id!r} asks for at least {_number(at_least)} {metric.id}, "
        f"but the ceilings ({held_by}) allow at most {_number(most)} over the "
        f"organisation's {units:,} units")]


# --- the schema ----------------------------------------------------------------------------


def _never_directly_under(plan: Plan) -> list[LintProblem]:
    schema = plan.schema
    problems = []
    for target in plan.targets:
        if not isinstance(target, EachTarget) or target.directly_under is None:
            continue
        parents = schema.expand(target.directly_under)
        never = [name for name in target.each
                 if not any(schema.allows(kind, under=parent)
                            for kind in schema.expand([name]) for parent in parents)]
        if never:
            problems.append(LintProblem(
                "never_directly_under", (target.id,),
                f"target {target.id!r}: " + "; ".join(
                    _never_under(schema, name, target.directly_under) for name in never)
                + ", so the target never selects one"))
    return problems


def _never_under(schema: Schema, name: str, under: Sequence[str]) -> str:
    kinds = sorted(schema.expand([name]))
    stands = sorted({parent for kind in kinds for parent in schema.kinds[kind].parents})
    where = f"only under {', '.join(stands)}" if stands else "only at the root"
    return (f"{name} never stands directly under {', '.join(under)} ({where} in schema "
            f"{schema.id!r})")


# --- rules compared ------------------------------------------------------------------------


def _figure(plan: Plan, target: Target) -> tuple[Any, ...]:
    """What a target judges, without its condition: shape, units and metric(s)."""
    if isinstance(target, EachTarget):
        under = (None if target.directly_under is None
                 else plan.schema.expand(target.directly_under))
        return ("each", plan.schema.expand(target.each), under, target.metric)
    if isinstance(target, TotalTarget):
        return ("total", target.metric)
    return ("ratio", target.numerator, target.denominator)


def _rule(plan: Plan, target: Target) -> tuple[Any, ...]:
    """A target's rule, as a key equal for targets that say the same: its figure, share,
    and condition by meaning (the values a flag or category passes; a number's interval)."""
    share = exact_decimal(target.share) if isinstance(target, EachTarget) else None
    domain = _domain(plan, target)
    condition = target.condition
    meaning: tuple[Any, ...]
    if domain is not None:
        meaning = ("values", frozenset(value for value in domain if condition.holds(value)))
    elif (bounds := _interval(condition)) is not None:
        meaning = ("interval", *bounds)
    else:
        meaning = _condition_key(condition)
    return (*_figure(plan, target), meaning, share)


def _domain(plan: Plan, target: Target) -> tuple[Any, ...] | None:
    """Every value an ``each`` target on a flag or category may read; ``None`` for numbers."""
    if not isinstance(target, EachTarget):
        return None
    metric = plan.metrics[target.metric]
    if metric.type is MetricType.FLAG:
        return (False, True)
    if metric.type is MetricType.CATEGORY:
        return (*metric.values, None)
    return None


def _condition_key(condition: Condition) -> tuple[Any, ...]:
    def exact(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return (type(value).__name__, value)
        return ("number", exact_decimal(value))

    return (exact(condition.at_least) if condition.at_least is not None else None,
            exact(condition.at_most) if condition.at_most is not None else None,
            exact(condition.equals) if condition.equals is not None else None,
            exact(condition.not_equals) if condition.not_equals is not None else None,
            None if condition.in_ is None else frozenset(map(exact, condition.in_)))


def _same_rules(plan: Plan) -> list[LintProblem]:
    groups: dict[tuple[Any, ...], list[str]] = {}
    for target in plan.targets:
        groups.setdefault(_rule(plan, target), []).append(target.id)
    return [LintProblem("same_rule", tuple(ids),
                        f"{_names(ids)} have the same rule: one says what the other "
                        "already says")
            for ids in groups.values() if len(ids) > 1]


def _weaker_aspirations(plan: Plan) -> list[LintProblem]:
    problems = []
    for aspiration in plan.targets:
        if not aspiration.aspirational:
            continue
        for binding in plan.targets:
            if (binding.aspirational or _figure(plan, binding) != _figure(plan, aspiration)
                    or _rule(plan, binding) == _rule(plan, aspiration)):
                continue
            if _implies(plan, binding, aspiration):
                problems.append(LintProblem(
                    "weaker_aspiration", (aspiration.id, binding.id),
                    f"aspirational target {aspiration.id!r} ({_described(aspiration)}) is "
                    f"weaker than mandatory target {binding.id!r} ({_described(binding)}) on "
                    "the same figure: every result that meets the mandatory one meets it"))
    return problems


def _described(target: Target) -> str:
    words = target.condition.describe(percent=isinstance(target, RatioTarget))
    if isinstance(target, EachTarget) and target.share != 1.0:
        words += f", share {target.share:g}"
    return words


def _implies(plan: Plan, stronger: Target, weaker: Target) -> bool:
    """Whether every result that meets ``stronger`` meets ``weaker`` (same figure)."""
    if isinstance(stronger, EachTarget) and isinstance(weaker, EachTarget):
        if exact_decimal(weaker.share) > exact_decimal(stronger.share):
            return False
        domain = _domain(plan, stronger)
        if domain is not None:
            return all(weaker.condition.holds(value) for value in domain
                       if stronger.condition.holds(value))
    return _numbers_imply(stronger.condition, weaker.condition)


def _interval(condition: Condition) -> tuple[Fraction | None, Fraction | None] | None:
    """A numeric condition as [low, high] (``None``: unbounded); ``None`` if it is no
    interval (not equals, in, or a flag's or category's value)."""
    if condition.at_least is not None or condition.at_most is not None:
        low = None if condition.at_least is None else exact_decimal(condition.at_least)
        high = None if condition.at_most is None else exact_decimal(condition.at_most)
        return low, high
    equals = condition.equals
    if isinstance(equals, int | float) and not isinstance(equals, bool):
        return exact_decimal(equals), exact_decimal(equals)
    return None


def _numbers_imply(stronger: Condition, weaker: Condition) -> bool:
    """Whether every non-negative number meeting ``stronger`` meets ``weaker`` (exactly for
    intervals and finite lists; otherwise ``False``: never a false alarm)."""
    if stronger.in_ is not None:
        if not all(isinstance(option, int | float) and not isinstance(option, bool)
                   for option in stronger.in_):
            return False
        return all(weaker.holds(exact_decimal(option))
                   for option in stronger.in_)
    bounds = _interval(stronger)
    if bounds is None:
        return stronger.not_equals is not None and _condition_key(stronger) == _condition_key(
            weaker)
    low, high = bounds
    low = max(low, Fraction(0)) if low is not None else Fraction(0)  # values are never negative
    if low == high:
        return weaker.holds(low)
    given = _interval(weaker)
    if given is not None:
        least, most = given
        return (least is None or low >= least) and (
            most is None or (high is not None and high <= most))
    if weaker.not_equals is not None and isinstance(weaker.not_equals, int | float):
        excluded = exact_decimal(weaker.not_equals)
        return excluded < low or (high is not None and excluded > high)
    return False


def _low_stretches(plan: Plan) -> list[LintProblem]:
    problems = []
    for target in plan.targets:
        if target.stretch is None:
            continue
        at_least = target.condition.at_least
        if at_least is None:
            message = "stretch is given, but there is no at_least for it to raise"
        elif exact_decimal(target.stretch) <= exact_decimal(at_least):
            message = f"stretch ({target.stretch:g}) is not above at_least ({at_least:g})"
        else:
            continue
        problems.append(LintProblem("stretch_not_above", (target.id,),
                                    f"target {target.id!r}: {message}"))
    return problems
