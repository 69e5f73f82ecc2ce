"""The gap: the least extra effort that makes a plan met at a unit.

For the subtree of a unit S, :func:`find_gap` works out, unit by unit, the
changes of own values that make every mandatory target met at S (with
``include_aspirational``, every target), choosing the least effort:

- an ``each`` target: each failing unit is moved to its nearest passing
  value (its *deficit*); with ``share`` below 1, only as many units as the
  share needs, those closest to passing first;
- a ``total``: what remains after the per-unit deficits are counted in, added
  to S's own value (a flag total sets flags of units that lack it, in tree
  order); a total above ``at_most`` is brought down where units have more
  than their own quotas need;
- an *allocated* ``total`` of a count or an amount (SPEC §10): every unit of
  the subtree is to reach its own part, so the effort goes bottom-up: each
  unit adds what its subtree still lacks of its part once the units below
  it have reached theirs (as the parts of the children sum to their
  parent's, this is the units that fall short and whose children do not make
  it up); the least effort that leaves no unit of the subtree below its part;
- a ``ratio``: the extra numerator needed at the current denominator, given
  first to units whose own numerator is below their own denominator (a
  cadre not yet trained), the rest to S; above ``at_most``, the excess;
- the *effort* of a change is how much a count or amount moves, and 1 for a
  flag or a category.

Targets are worked in rounds (each targets, then totals and ratios) until
nothing changes, since one target's effort can move another's figures.
Targets that no effort can meet, because their conditions contradict each
other, are named with the reason. The gap is itself a scenario
(:attr:`Gap.scenario`): assessing it at S meets every target worked on.

Examples
--------
>>> from doanorg import Facts, load_org, load_plan
>>> from doanorg.io import example_file
>>> from doanorg.whatif.scenario import Scenario
>>> base = Scenario.baseline(load_org(example_file("org.csv")),
...                          Facts.from_records({"h01": {"youth_projects": 1}}),
...                          load_plan("doan-khoi-2020"))
>>> gap = find_gap(base, at="h01")
>>> step = gap.steps_of("h01", "youth_projects")
>>> step.before, step.after, step.targets
(1, 3, ('3b',))
>>> gap.scenario.report(at="h01").compliant
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import attrs

from doanorg.core._catalogue import DEFAULT_LANG, catalogue
from doanorg.core._render import for_people, format_number
from doanorg.core.facts import Metric, MetricType, Value
from doanorg.core.report import Report, TargetResult
from doanorg.core.rules import Condition, EachTarget, RatioTarget, Target, TotalTarget
from doanorg.core.rules import exact_decimal as _exact
from doanorg.whatif.scenario import Scenario, SetFact

__all__ = ["Gap", "Step", "Unmeetable", "find_gap", "nearest_passing"]

Number = int | float
MAX_ROUNDS = 25


@attrs.frozen
class Step:
    """One unit's change of one metric, the effort it costs and the targets it serves."""

    unit: str
    metric: str
    before: Value
    after: Value
    effort: Number
    targets: tuple[str, ...]
    name: str = attrs.field(default="", eq=False)

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "metric": self.metric, "from": self.before,
                "to": self.after, "effort": self.effort, "targets": list(self.targets)}


@attrs.frozen
class Unmeetable:
    """A target that no effort can meet at the assessed unit, and why."""

    target: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.target, "reason": self.reason}


@attrs.frozen(eq=False)
class Gap:
    """The least extra effort for a plan at one unit, and the scenario it makes."""

    at: str
    steps: tuple[Step, ...]
    unmeetable: tuple[Unmeetable, ...]
    base: Scenario
    scenario: Scenario
    include_aspirational: bool = False

    @property
    def met(self) -> bool:
        """Whether the effort meets every target worked on (nothing is unmeetable)."""
        return not self.unmeetable

    def effort(self) -> dict[str, Number]:
        """The total effort per metric."""
        totals: dict[str, Number] = {}
        for step in self.steps:
            totals[step.metric] = totals.get(step.metric, 0) + step.effort
        return totals

    def steps_of(self, unit: str, metric: str) -> Step:
        """The step for ``unit``'s ``metric`` (:class:`KeyError` if the gap has none)."""
        for step in self.steps:
            if (step.unit, step.metric) == (unit, metric):
                return step
        raise KeyError((unit, metric))

    def to_dict(self) -> dict[str, Any]:
        """The gap as JSON: the to-do list by unit, the effort per metric, the unmeetable."""
        units: dict[str, dict[str, Any]] = {}
        for step in self.steps:
            entry = units.setdefault(step.unit, {"unit": step.unit, "name": step.name,
                                                 "steps": []})
            entry["steps"].append({k: v for k, v in step.to_dict().items() if k != "unit"})
        return {
            "plan": self.base.plan.id,
            "at": self.at,
            "met": self.met,
            "include_aspirational": self.include_aspirational,
            "effort": self.effort(),
            "units": list(units.values()),
            "unmeetable": [item.to_dict() for item in self.unmeetable],
        }

    def to_text(self, lang: str = DEFAULT_LANG) -> str:
        """The to-do list by unit, for a terminal, in ``lang`` (``vi``, the default, or
        ``en``)."""
        return _render_gap(self, markdown=False, lang=lang)

    def to_markdown(self, lang: str = DEFAULT_LANG) -> str:
        """The to-do list by unit, as Markdown, in ``lang`` (``vi``, the default, or
        ``en``)."""
        return _render_gap(self, markdown=True, lang=lang)


def _ceil_count(metric: Metric, value: Fraction) -> Number:
    """The least value of ``metric``'s type at or above ``value`` (an amount is read as
    the decimal it is written as, as the engine reads it)."""
    if metric.type is MetricType.COUNT:
        return math.ceil(value)
    number = float(value)
    return number if _exact(number) >= value else math.nextafter(number, math.inf)


def _floor_count(metric: Metric, value: Fraction) -> Number:
    """The greatest value of ``metric``'s type at or below ``value``."""
    if metric.type is MetricType.COUNT:
        return math.floor(value)
    number = float(value)
    return number if _exact(number) <= value else math.nextafter(number, -math.inf)


def nearest_passing(metric: Metric, condition: Condition, value: Value) -> Value | None:
    """The value of ``metric`` nearest to ``value`` that meets ``condition``;
    ``None`` if there is none (a count between 2.2 and 2.8).

    >>> from doanorg.core.facts import Metric, MetricType
    >>> nearest_passing(Metric("p", MetricType.COUNT), Condition(at_least=2.5), 1)
    3
    >>> rating = Metric("r", MetricType.CATEGORY, values=("xuat_sac", "tot", "hoan_thanh"))
    >>> nearest_passing(rating, Condition(not_equals="hoan_thanh"), "hoan_thanh")
    'tot'
    """
    if condition.holds(value):
        return value
    if metric.type is MetricType.FLAG:
        for option in (True, False):
            if condition.holds(option):
                return option
        return None
    if metric.type is MetricType.CATEGORY:
        order = list(metric.values)
        here = order.index(value) if isinstance(value, str) and value in order else len(order)
        candidates = [v for v in order if condition.holds(v)]
        return min(candidates, key=lambda v: (abs(order.index(v) - here), order.index(v)),
                   default=None)
    assert isinstance(value, int | float)
    if condition.at_least is not None or condition.at_most is not None:
        low = _ceil_count(metric, _exact(condition.at_least or 0))
        high = (_floor_count(metric, _exact(condition.at_most))
                if condition.at_most is not None else math.inf)
        if low > high:
            return None
        return low if value < low else high
    if condition.equals is not None:
        target = condition.equals
        return target if condition.holds(coerce_number(metric, target)) else None
    if condition.not_equals is not None:
        return value + 1
    assert condition.in_ is not None
    options = [coerce_number(metric, option) for option in condition.in_]
    valid = [option for option in options if option is not None and condition.holds(option)]
    return min(valid, key=lambda option: (abs(option - value), -option), default=None)


def coerce_number(metric: Metric, value: object) -> Number | None:
    """``value`` as a value of a numeric metric, or ``None`` if it cannot be one."""
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        return None
    if metric.type is MetricType.COUNT:
        return int(value) if float(value).is_integer() else None
    return value


def _effort(metric: Metric, before: Value, after: Value) -> Number:
    if metric.type in (MetricType.COUNT, MetricType.AMOUNT):
        assert isinstance(before, int | float) and isinstance(after, int | float)
        return abs(after - before)
    return 0 if before == after else 1


class _Work:
    """The values being changed, with the targets each change serves."""

    def __init__(self, base: Scenario, at: str, targets: Sequence[Target]) -> None:
        self.base = base
        self.at = at
        self.targets = targets
        self.scenario = base
        self.changed: dict[tuple[str, str], Value] = {}
        self.reasons: dict[tuple[str, str], list[str]] = {}

    def value(self, unit: str, metric: str) -> Value:
        if (unit, metric) in self.changed:
            return self.changed[(unit, metric)]
        return self.scenario.assessment().value(metric, unit)

    def set(self, unit: str, metric: str, value: Value, target: str) -> None:
        self.changed[(unit, metric)] = value
        reasons = self.reasons.setdefault((unit, metric), [])
        if target not in reasons:
            reasons.append(target)

    def commit(self) -> bool:
        """Apply the pending changes as a new scenario; whether anything changed."""
        edits = [SetFact(unit, metric, value) for (unit, metric), value in self.changed.items()
                 if self.scenario.assessment().value(metric, unit) != value]
        if not edits:
            return False
        self.scenario = self.scenario.apply(*edits, name=self.scenario.name)
        self.changed = {}
        return True

    def report(self) -> Report:
        return self.scenario.report(self.at)


def find_gap(
    scenario: Scenario, *, at: str | None = None, include_aspirational: bool = False
) -> Gap:
    """The least extra effort that makes the plan met at ``at`` (default: the root).

    Works on the mandatory targets, or on all with ``include_aspirational``.
    """
    at = at if at is not None else scenario.org.root.id
    scenario.org.position(at)  # UnknownUnit if absent
    targets = [t for t in scenario.plan.targets if include_aspirational or not t.aspirational]
    work = _Work(scenario, at, targets)
    stuck: set[str] = set()  # targets that effort does not bring closer: no effort meets them
    last: dict[str, object] = {}
    for _ in range(MAX_ROUNDS):
        report = work.report()
        failing = [t for t in targets if t.id not in stuck and (
            report.result(t.id).status == "not_met" or _short_of_parts(work, t))]
        if not failing:
            break
        for target in failing:
            observed = report.result(target.id).observed
            if target.id in last and last[target.id] == observed:
                stuck.add(target.id)
            last[target.id] = observed
        for target in failing:
            if isinstance(target, EachTarget) and target.id not in stuck:
                _each(work, target, report.result(target.id))
        changed = work.commit()
        for target in failing:  # one at a time: each sees what the others added
            if isinstance(target, EachTarget) or target.id in stuck:
                continue
            now = work.report().result(target.id)
            if _short_of_parts(work, target):
                _reach_parts(work, target)
                changed = work.commit() or changed
                now = work.report().result(target.id)
            if now.status != "not_met":
                continue
            if isinstance(target, TotalTarget):
                _total(work, target, now)
            elif isinstance(target, RatioTarget):
                _ratio(work, target, now)
            changed = work.commit() or changed
        if not changed:
            break

    final = work.report()
    unmet = {t.id for t in targets
             if final.result(t.id).status == "not_met" or _short_of_parts(work, t)}
    if unmet:  # effort that served only targets no effort meets is no effort at all
        kept = [SetFact(unit, metric, work.value(unit, metric))
                for (unit, metric), served in work.reasons.items()
                if set(served) - unmet]
        work.reasons = {key: served for key, served in work.reasons.items()
                        if set(served) - unmet}
        work.scenario = scenario.apply(*kept, name=scenario.name)
        final = work.report()
        unmet = {t.id for t in targets
                 if final.result(t.id).status == "not_met" or _short_of_parts(work, t)}
    unmeetable = tuple(
        Unmeetable(t.id, _why(work, t, final.result(t.id))) for t in targets if t.id in unmet
    )
    steps = []
    org = work.scenario.org
    for unit in org.units:  # tree order
        for metric in scenario.plan.metrics.values():
            if unit.id not in scenario.org:
                continue
            before = scenario.assessment().value(metric.id, unit.id)
            after = work.scenario.assessment().value(metric.id, unit.id)
            if before != after:
                steps.append(Step(unit.id, metric.id, before, after,
                                  _effort(metric, before, after),
                                  tuple(work.reasons.get((unit.id, metric.id), ())), unit.name))
    made = work.scenario.apply(name=f"{scenario.name} + gap")
    return Gap(at, tuple(steps), unmeetable, scenario, made, include_aspirational)


def _each(work: _Work, target: EachTarget, result: TargetResult) -> None:
    """Move the failing units closest to passing to their nearest passing value."""
    metric = work.scenario.plan.metrics[target.metric]
    fixes = []
    passing = result.passing or 0
    for position, failing in enumerate(result.failing):
        value = work.value(failing.unit, target.metric)
        if target.condition.holds(value):
            passing += 1  # an earlier target's change already fixed it
            continue
        after = nearest_passing(metric, target.condition, value)
        if after is not None:
            fixes.append((_effort(metric, value, after), position, failing.unit, after))
    selected = result.selected or 0
    share = _exact(target.share)
    needed = max(0, math.ceil(share * selected) - passing)
    for _, _, unit, after in sorted(fixes)[:needed]:
        work.set(unit, target.metric, after, target.id)


def _subtree(work: _Work) -> tuple[str, ...]:
    return tuple(unit.id for unit in work.scenario.org.subtree(work.at))


def _floors(work: _Work, metric_id: str, units: Iterable[str]) -> dict[str, Number]:
    """The least own value each unit may keep: what the worked each targets ask of it."""
    org, plan = work.scenario.org, work.scenario.plan
    floors: dict[str, Number] = {}
    for target in work.targets:
        if not isinstance(target, EachTarget) or target.metric != metric_id:
            continue
        bound = target.condition.at_least
        if target.condition.equals is not None and isinstance(target.condition.equals,
                                                              int | float):
            bound = target.condition.equals
        if bound is None:
            continue
        kinds = plan.schema.expand(target.each)
        under = (plan.schema.expand(target.directly_under)
                 if target.directly_under is not None else None)
        for unit in units:
            parent = org.parent(unit)
            if org[unit].kind in kinds and (
                under is None or (parent is not None and parent.kind in under)
            ):
                floors[unit] = max(floors.get(unit, 0), bound)
    return floors


def _add(work: _Work, metric: Metric, amount: Fraction, target: str,
         preferred: Sequence[tuple[str, Fraction]]) -> None:
    """Add ``amount`` of ``metric``: first up to each preferred unit's room, rest at S."""
    remaining = amount
    for unit, room in preferred:
        if remaining <= 0:
            break
        give = min(room, remaining)
        if metric.type is MetricType.COUNT:
            give = Fraction(math.floor(give))
        if give <= 0:
            continue
        value = work.value(unit, metric.id)
        assert isinstance(value, int | float)
        work.set(unit, metric.id, _sum(metric, value, give), target)
        remaining -= give
    if remaining > 0:
        value = work.value(work.at, metric.id)
        assert isinstance(value, int | float)
        work.set(work.at, metric.id, _sum(metric, value, remaining), target)


def _sum(metric: Metric, value: Number, extra: Fraction) -> Number:
    return _ceil_count(metric, _exact(value) + extra)


def _remove(work: _Work, metric: Metric, amount: Fraction, target: str) -> None:
    """Take ``amount`` off the units with most to spare above their quotas."""
    units = _subtree(work)
    floors = _floors(work, metric.id, units)
    spare = []
    for position, unit in enumerate(units):
        value = work.value(unit, metric.id)
        assert isinstance(value, int | float)
        room = _exact(value) - _exact(floors.get(unit, 0))
        if room > 0:
            spare.append((-room, position, unit, value))
    remaining = amount
    for negative_room, _, unit, value in sorted(spare):
        if remaining <= 0:
            break
        take = min(-negative_room, remaining)
        if metric.type is MetricType.COUNT:
            take = Fraction(math.ceil(take))
        work.set(unit, metric.id, _floor_count(metric, _exact(value) - take), target)
        remaining -= take


def _flags(work: _Work, metric: Metric, count: int, target: str, value: bool) -> None:
    """Set ``count`` flags to ``value`` on units that do not have it, in tree order."""
    for unit in _subtree(work):
        if count <= 0:
            return
        if work.value(unit, metric.id) is not value:
            work.set(unit, metric.id, value, target)
            count -= 1


def _move_sum(work: _Work, metric: Metric, observed: Fraction, wanted: Fraction, target: str,
              preferred: Sequence[tuple[str, Fraction]] = ()) -> None:
    """Change a subtree sum of ``metric`` from ``observed`` to ``wanted``."""
    if metric.type is MetricType.FLAG:
        if wanted > observed:
            _flags(work, metric, math.ceil(wanted - observed), target, True)
        else:
            _flags(work, metric, math.ceil(observed - wanted), target, False)
    elif wanted > observed:
        _add(work, metric, wanted - observed, target, preferred)
    elif wanted < observed:
        _remove(work, metric, observed - wanted, target)


def _wanted(condition: Condition, observed: Fraction, integral: bool) -> Fraction | None:
    """The passing sum (or ratio) nearest ``observed``; ``None`` if there is none."""
    def up(bound: Fraction) -> Fraction:
        return Fraction(math.ceil(bound)) if integral else bound

    def down(bound: Fraction) -> Fraction:
        return Fraction(math.floor(bound)) if integral else bound

    if condition.at_least is not None or condition.at_most is not None:
        low = up(_exact(condition.at_least)) if condition.at_least is not None else None
        high = down(_exact(condition.at_most)) if condition.at_most is not None else None
        if low is not None and high is not None and low > high:
            return None
        if low is not None and observed < low:
            return low
        return high if high is not None and observed > high else observed
    if condition.equals is not None:
        assert isinstance(condition.equals, int | float)
        return _exact(condition.equals)
    if condition.not_equals is not None:
        return observed + 1
    assert condition.in_ is not None
    options = [_exact(o) for o in condition.in_ if isinstance(o, int | float)]
    return min(options, key=lambda o: (abs(o - observed), -o), default=None)


def _deficits(work: _Work, target: Target) -> list[tuple[str, Fraction]]:
    """For an allocated total of a count or an amount, the least each unit of the
    subtree must add to its own value so that no unit of the subtree is below its part,
    worked bottom-up (in reverse tree order, each unit's subtree total passed to its
    parent); ``[]`` for any other target, or when every unit reaches its part."""
    if not isinstance(target, TotalTarget) or target.allocate is None:
        return []
    metric = work.scenario.plan.metrics[target.metric]
    if metric.type not in (MetricType.COUNT, MetricType.AMOUNT):
        return []  # a flag total: a unit's own flag is one of its subtree's, see _total
    assessment, org = work.scenario.assessment(), work.scenario.org
    start = org.position(work.at)
    end, parents, ids = int(org.end_array[start]), org.parent_array, org.ids
    reached = [Fraction(0)] * (end - start)  # each unit's subtree total, once fixed
    found = []
    for position in range(end - 1, start - 1, -1):
        unit = ids[position]
        own = work.value(unit, metric.id)
        assert isinstance(own, int | float)
        total = reached[position - start] + _exact(own)
        part = _exact(assessment.part(target.id, unit))
        if total < part:
            found.append((unit, part - total))
            total = part
        reached[position - start] = total
        parent = int(parents[position])
        if position != start:
            reached[parent - start] += total
    return found[::-1]


def _short_of_parts(work: _Work, target: Target) -> bool:
    """Whether some unit of the subtree is below its part of an allocated total."""
    return bool(_deficits(work, target))


def _reach_parts(work: _Work, target: Target) -> None:
    """Add to each unit of the subtree what it lacks of its part, bottom-up."""
    assert isinstance(target, TotalTarget)
    metric = work.scenario.plan.metrics[target.metric]
    for unit, deficit in _deficits(work, target):
        value = work.value(unit, metric.id)
        assert isinstance(value, int | float)
        work.set(unit, metric.id, _sum(metric, value, deficit), target.id)


def _total(work: _Work, target: TotalTarget, result: TargetResult) -> None:
    metric = work.scenario.plan.metrics[target.metric]
    assert result.observed is not None
    observed = work.scenario.assessment().exact_total(metric.id, at=work.at)  # 0.87 is 87/100
    condition = target.condition
    if target.allocate is not None and work.at != work.scenario.org.root.id:
        part = work.scenario.assessment().part  # the unit's part, as it is judged
        condition = Condition(at_least=part(target.id, work.at),
                              at_most=(part(target.id, work.at, bound="at_most")
                                       if condition.at_most is not None else None))
    wanted = _wanted(condition, observed, metric.type is not MetricType.AMOUNT)
    if wanted is not None:
        _move_sum(work, metric, observed, wanted, target.id)


def _ratio(work: _Work, target: RatioTarget, result: TargetResult) -> None:
    plan = work.scenario.plan
    numerator, denominator = plan.metrics[target.numerator], plan.metrics[target.denominator]
    assessment = work.scenario.assessment()
    top = assessment.exact_total(numerator.id, at=work.at)
    bottom = assessment.exact_total(denominator.id, at=work.at)
    if bottom == 0:
        return
    wanted_ratio = _wanted(target.condition, top / bottom, False)
    if wanted_ratio is None:
        return
    wanted = wanted_ratio * bottom
    wanted = (Fraction(math.ceil(wanted)) if wanted > top else Fraction(math.floor(wanted))) \
        if numerator.type is not MetricType.AMOUNT else wanted
    room = []
    for unit in _subtree(work):
        own_top, own_bottom = work.value(unit, numerator.id), work.value(unit, denominator.id)
        if isinstance(own_top, int | float) and isinstance(own_bottom, int | float) \
                and own_bottom > own_top:
            room.append((unit, _exact(own_bottom) - _exact(own_top)))
    room.sort(key=lambda item: -item[1])  # stable: tree order among equals
    _move_sum(work, numerator, top, wanted, target.id, room)


def _why(work: _Work, target: Target, result: TargetResult) -> str:
    """Why no effort meets ``target``: the targets whose conditions contradict it."""
    plan = work.scenario.plan
    if isinstance(target, EachTarget):
        metric = plan.metrics[target.metric]
        for failing in result.failing:
            if nearest_passing(metric, target.condition, failing.value) is None:
                return (f"no value of {metric.id} meets {target.condition.describe()} "
                        f"(unit {failing.unit})")
    reads = {target.metric} if not isinstance(target, RatioTarget) else {
        target.numerator, target.denominator}
    others = [t.id for t in work.targets if t.id != target.id and (
        (t.metric in reads) if not isinstance(t, RatioTarget)
        else bool({t.numerator, t.denominator} & reads))]
    if others:
        return (f"meeting it breaks, or is undone by, target(s) {', '.join(others)}, "
                f"which read the same metric(s) ({', '.join(sorted(reads))})")
    return f"no change of {', '.join(sorted(reads))} within the subtree meets it"


# --- for people ---------------------------------------------------------------------------


def _render_gap(gap: Gap, *, markdown: bool, lang: str) -> str:
    """The gap's to-do list, unit by unit, as text or Markdown, in ``lang``; each
    unmeetable target's reason as :meth:`Gap.to_dict` holds it."""
    words = catalogue(lang)

    def number(value: object) -> str:
        return format_number(value, lang=lang)

    title = words.say("gap.title_all" if gap.include_aspirational else "gap.title",
                      plan=gap.base.plan.id, at=gap.at)
    lines = [f"# {title}" if markdown else title, ""]
    if not gap.steps and gap.met:
        lines.append(words["gap.nothing"])
    by_unit: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for step in gap.steps:
        names[step.unit] = step.name
        change = (f"{number(step.before)} → {number(step.after)}"
                  + (f" (+{number(step.effort)})" if isinstance(step.after, int | float)
                     and not isinstance(step.after, bool) and step.after > step.before  # type: ignore[operator]
                     else ""))
        by_unit.setdefault(step.unit, []).append(words.say(
            "gap.step", metric=step.metric, change=change,
            targets=", ".join(step.targets) or words["gap.the_plan"]))
    reported = gap.base.facts.reported
    for unit, todo in by_unit.items():
        heading = f"{unit} {names[unit]}".strip() + (
            "" if unit in reported else f" ({words['not_reported']})")
        lines.append(f"## {heading}" if markdown else heading)
        lines += [f"- {item}" if markdown else f"  - {item}" for item in todo]
        if markdown:
            lines.append("")
    if gap.steps:
        effort = ", ".join(f"{metric} {number(total)}" for metric, total in gap.effort().items())
        lines += ["", words.say("gap.effort", effort=effort)]
    if gap.unmeetable:
        lines += ["", f"## {words['gap.unmeetable']}" if markdown
                  else f"{words['gap.unmeetable']}:"]
        lines += [f"- {item.target}: {item.reason}" for item in gap.unmeetable]
    return for_people(lines)
