"""Plan lint on random plans: no false alarm on a valid plan; each planted contradiction found.

*Valid* here means, by construction (no example is filtered out):

- some facts meet every target at the root: a *witness* (one own value per
  unit and metric) is drawn first, and every condition is chosen to hold for
  it: an ``each`` target's for every unit it selects, a total's for the
  witness's total, a ratio's for its ratio (rounded outward to hundredths);
  the test assesses the witness and checks that no target is ``not_met``;
- ``directly_under`` lists, for each kind or group of ``each``, a kind it may
  stand under in the schema (and is left out when one may stand only at the
  root);
- a ratio divides two different metrics; a ``stretch`` is strictly above
  ``at_least`` (and within ``at_most``);
- no two targets judge the same figure (shape, kinds as they expand, parent
  kinds, metric), so no two have the same rule and no aspiration can be
  weaker than a mandatory target on its figure. (Same-figure pairs that are
  not problems are tested by example in tests/test_lint.py.)

A contradiction is then planted by adding targets to a valid plan, and lint
must report a problem of that kind naming the planted targets.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Facts, Org, Plan, Schema, assess, lint
from doanorg.core.engine import Selection
from doanorg.core.lint import KINDS
from doanorg.core.metrics import Metric, MetricType
from doanorg.core.rules import Condition, EachTarget, plan_from_mapping
from doanorg.testing import strategies

Witness = dict[str, dict[str, Any]]


def _value(draw: st.DrawFn, metric: Metric) -> Any:
    if metric.type is MetricType.COUNT:
        return draw(st.integers(0, 5))
    if metric.type is MetricType.AMOUNT:
        return draw(st.integers(0, 20)) / 4
    if metric.type is MetricType.FLAG:
        return draw(st.booleans())
    return draw(st.sampled_from(metric.values))


def _sum(witness: Witness, metric: str) -> Fraction:
    return sum((Fraction(repr(values[metric])) if isinstance(values[metric], float)
                else Fraction(int(values[metric])) for values in witness.values()), Fraction(0))


def _plain(number: Fraction) -> int | float:
    return number.numerator if number.denominator == 1 else float(number)


def _numeric_condition(draw: st.DrawFn, low: Fraction, high: Fraction,
                       count: bool) -> dict[str, Any]:
    """A condition every number in [low, high] meets (values never below 0)."""
    below = max(Fraction(0), low - draw(st.integers(0, 3)))
    above = high + draw(st.integers(0, 3))
    shape = draw(st.sampled_from(("at_least", "at_most", "range", "equals")))
    if shape == "equals" and low == high:
        return {"equals": _plain(low)}
    if shape == "at_most":
        return {"at_most": _plain(above)}
    condition = {"at_least": _plain(below)}
    if shape == "range":
        condition["at_most"] = _plain(above)
    if draw(st.booleans()):
        stretch = below + Fraction(draw(st.integers(1, 4)), 1 if count else 2)
        if shape != "range" or stretch <= above:
            condition["stretch"] = _plain(stretch)
    return condition


@st.composite
def valid_plans(draw: st.DrawFn) -> tuple[Org, Plan, Witness]:
    """An organisation, a valid plan for it (see the module's docstring) and its witness."""
    schema: Schema = draw(strategies.schemas(max_kinds=5))
    org = draw(strategies.orgs(schema, max_units=20, max_depth=4, max_children=4))
    metrics = draw(strategies.metrics(min_size=2, max_size=5))
    witness = {unit.id: {m.id: _value(draw, m) for m in metrics.values()} for unit in org}
    numeric = [m for m in metrics.values() if m.type.numeric]
    selection = Selection.of(org)
    names = sorted(schema.names())
    targets: list[dict[str, Any]] = []
    figures: set[tuple[Any, ...]] = set()
    for number in range(draw(st.integers(1, 6))):
        shape = draw(st.sampled_from(("each", "total", "ratio") if len(numeric) >= 2
                                     else ("each", "total") if numeric else ("each",)))
        target: dict[str, Any] = {"id": f"t{number}"}
        if shape == "each":
            metric = draw(st.sampled_from(sorted(metrics.values(), key=lambda m: m.id)))
            listed = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
            target |= {"each": listed, "metric": metric.id}
            parents = [sorted({p for kind in schema.expand([name])
                               for p in schema.kinds[kind].parents}) for name in listed]
            if all(parents) and draw(st.booleans()):
                target["directly_under"] = sorted({draw(st.sampled_from(p)) for p in parents})
            figure: tuple[Any, ...] = (
                "each", schema.expand(listed), schema.expand(target.get("directly_under", []))
                if "directly_under" in target else None, metric.id)
            probe = EachTarget(  # only which units it selects is read
                id="probe", condition=Condition(at_least=0), each=tuple(listed),
                metric=metric.id, directly_under=tuple(target["directly_under"])
                if "directly_under" in target else None)
            chosen = selection.selects(schema, probe)
            values = [witness[org.ids[p]][metric.id] for p in chosen.nonzero()[0].tolist()]
            if metric.type in (MetricType.FLAG, MetricType.CATEGORY):
                present = sorted(set(values), key=repr) or [_value(draw, metric)]
                target |= ({"equals": present[0]} if len(present) == 1
                           else {"in": present})
            else:
                exact = [Fraction(repr(v)) if isinstance(v, float) else Fraction(v)
                         for v in values] or [Fraction(draw(st.integers(0, 5)))]
                target |= _numeric_condition(draw, min(exact), max(exact),
                                             metric.type is MetricType.COUNT)
            if draw(st.booleans()):
                target["share"] = draw(st.sampled_from((0.5, 0.8, 1.0)))
        elif shape == "total":
            metric = draw(st.sampled_from(numeric))
            figure = ("total", metric.id)
            total = _sum(witness, metric.id)
            target |= {"total": metric.id} | _numeric_condition(draw, total, total, False)
        else:
            pair = draw(st.lists(st.sampled_from([m.id for m in numeric]), min_size=2,
                                 max_size=2, unique=True))
            figure = ("ratio", *pair)
            target["ratio"] = pair
            top, bottom = _sum(witness, pair[0]), _sum(witness, pair[1])
            ratio = top / bottom if bottom else Fraction(draw(st.integers(0, 3)))
            low = Fraction(math.floor(ratio * 100), 100)
            high = Fraction(math.ceil(ratio * 100), 100)
            target |= {"at_least": float(low)} if draw(st.booleans()) else {
                "at_least": float(low), "at_most": float(high)}
        if figure in figures:
            continue
        figures.add(figure)
        if draw(st.booleans()):
            target["aspirational"] = True
        targets.append(target)
    plan = plan_from_mapping({"id": "p", "metrics": {
        m.id: {"type": m.type.value} | ({"values": list(m.values)} if m.values else {})
        for m in metrics.values()}, "targets": targets}, schema)
    return org, plan, witness


def _kinds_found(plan: Plan, org: Org) -> list[tuple[str, tuple[str, ...]]]:
    return [(problem.kind, problem.targets) for problem in lint(plan, org).problems]


@given(valid_plans())
def test_a_valid_plan_lints_clean(drawn: tuple[Org, Plan, Witness]) -> None:
    """A plan that some facts meet, built to avoid every non-contradiction kind, has no
    problem; and the witness does meet it (no target not_met at the root)."""
    org, plan, witness = drawn
    report = assess(org, Facts.from_records(witness), plan)
    assert [r.id for r in report.results if r.status == "not_met"] == []
    assert _kinds_found(plan, org) == []


def _with(plan: Plan, *added: dict[str, Any], low_stretch: bool = False) -> Plan:
    data = plan.to_mapping()
    data["targets"] = [*data["targets"], *added]
    return plan_from_mapping(data, plan.schema, allow_low_stretch=low_stretch)


@st.composite
def planted(draw: st.DrawFn) -> tuple[Org, Plan, str, tuple[str, ...]]:
    """A valid plan with one contradiction of a drawn kind planted: (org, plan, kind,
    the planted targets lint must name)."""
    org, plan, _ = draw(valid_plans())
    kind = draw(st.sampled_from(KINDS))
    schema = plan.schema
    counts = [m for m in plan.metrics.values() if m.type is MetricType.COUNT]
    numeric = [m for m in plan.metrics.values() if m.type.numeric]
    metric = counts[0].id if counts else None
    if kind == "floors_above_total":
        unit = draw(st.sampled_from(list(org)))
        chosen = draw(st.sampled_from(numeric)) if numeric else None
        if chosen is None:
            chosen = Metric("so_luong", MetricType.COUNT)
            data = plan.to_mapping()
            data["metrics"]["so_luong"] = {"type": "count"}
            plan = plan_from_mapping(data, schema)
        selected = sum(1 for u in org if u.kind == unit.kind)
        floor: Any = True if chosen.type is MetricType.FLAG else draw(st.integers(1, 5))
        condition = {"equals": True} if floor is True else {"at_least": floor}
        most = selected * int(floor) - 1
        return org, _with(plan, {"id": "x1", "each": [unit.kind], "metric": chosen.id,
                                 **condition},
                          {"id": "x2", "total": chosen.id, "at_most": most}), kind, ("x1", "x2")
    if kind == "total_out_of_reach" or metric is None:
        data = plan.to_mapping()
        data["metrics"]["so_luong"] = {"type": "count"}
        plan = plan_from_mapping(data, schema)
        metric = "so_luong"
    assert metric is not None
    if kind == "total_out_of_reach":
        cap = draw(st.integers(0, 3))
        return org, _with(plan, {"id": "x1", "each": sorted(schema.kinds), "metric": metric,
                                 "at_most": cap},
                          {"id": "x2", "total": metric, "at_least": cap * len(org) + 1}
                          ), kind, ("x1", "x2")
    if kind == "never_directly_under":
        pairs = [(k, p) for k in sorted(schema.kinds) for p in sorted(schema.kinds)
                 if not schema.allows(k, under=p)]
        k, p = draw(st.sampled_from(pairs))
        added = ({"id": "x1", "each": [k], "directly_under": [p], "metric": metric,
                  "at_least": 1},)
        return org, _with(plan, *added), kind, ("x1",)
    if kind == "ratio_of_itself":
        added = ({"id": "x1", "ratio": [metric, metric], "at_least": 0.5},)
        return org, _with(plan, *added), kind, ("x1",)
    if kind == "same_rule":
        source = draw(st.sampled_from(plan.to_mapping()["targets"]))
        copied = source | {"id": "x1", "text": "chép lại", "aspirational": draw(st.booleans())}
        return org, _with(plan, copied), kind, (source["id"], "x1")
    if kind == "weaker_aspiration":
        bound = draw(st.integers(1, 50))
        return org, _with(plan, {"id": "x1", "total": metric, "at_least": bound},
                          {"id": "x2", "total": metric,
                           "at_least": bound - draw(st.integers(1, bound)),
                           "aspirational": True}), kind, ("x2", "x1")
    at_least = draw(st.integers(1, 9))
    added = ({"id": "x1", "total": metric, "at_least": at_least,
              "stretch": at_least - draw(st.integers(0, at_least))},)
    return org, _with(plan, *added, low_stretch=True), kind, ("x1",)


@given(planted())
def test_a_planted_contradiction_is_found(drawn: tuple[Org, Plan, str, tuple[str, ...]]
                                          ) -> None:
    """Each kind of contradiction, planted in a valid plan, is reported, naming the planted
    targets among those it involves."""
    org, plan, kind, names = drawn
    found = _kinds_found(plan, org)
    assert any(found_kind == kind and set(names) <= set(targets)
               for found_kind, targets in found), (kind, names, found)
