"""doanorg's Hypothesis plugin: strategies for its value types, for ``st.from_type``.

Hypothesis runs :func:`_hypothesis_setup_hook` when it is imported, through
the ``hypothesis`` entry point doanorg declares, so that as soon as doanorg
is installed ``st.from_type(Org)``, ``st.builds(f)`` for a function that
takes a :class:`~doanorg.Plan`, and ``@given(org=...)`` with inferred types
work. Each type is registered with a *function* of the type, so that
nothing is built, and :mod:`doanorg.testing.strategies` is not imported, until a
test asks for the type.

What each type draws:

===========================================  =============================================
:class:`~doanorg.Schema`                     :func:`~doanorg.testing.strategies.schemas`
:class:`~doanorg.Org`                        a tree of a drawn schema (:func:`orgs`)
:class:`~doanorg.Unit`, ``UnitRow``          a unit, or a row, of a drawn tree
:class:`~doanorg.Metric`                     one of the metrics :func:`metrics` draws
:class:`~doanorg.Plan`                       a plan of a drawn schema (:func:`plans`)
:class:`~doanorg.Condition`                  the condition of a target of a drawn plan
``EachTarget``, ``TotalTarget``,             a target of that shape: one of a drawn plan's,
``RatioTarget``                              or else one made on the plan's metrics
:class:`~doanorg.Facts`                      the facts of a drawn case (:func:`cases`)
:class:`~doanorg.Report`,                    a drawn case assessed at one of its units,
``TargetResult``, ``Assessment``             one of its results, its roll-up
:class:`~doanorg.whatif.scenario.Scenario`   :func:`scenarios` of a drawn case
===========================================  =============================================

Trees and cases are kept small (at most 30 units) so that a test that asks
for several of them stays quick; draw from :mod:`doanorg.testing.strategies` with
your own bounds for larger ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from doanorg.core.rules import Target
    from doanorg.testing.strategies import Case

__all__: list[str] = []

_UNITS = 30


def _cases() -> SearchStrategy[Case]:
    from doanorg.testing import strategies as ds

    return ds.cases(ds.schemas(), max_units=_UNITS)


def _target_of(shape: type[Target]) -> SearchStrategy[Target]:
    """Targets of one shape: one of a drawn plan's, or else one made on its metrics."""
    from hypothesis import strategies as st

    from doanorg.core.facts import MetricType
    from doanorg.core.rules import EachTarget, RatioTarget, plan_from_mapping
    from doanorg.testing import strategies as ds

    @st.composite
    def targets(draw: st.DrawFn) -> Target:
        plan = draw(ds.plans())
        found = [target for target in plan.targets if isinstance(target, shape)]
        if found:
            return draw(st.sampled_from(found))
        # the plan has no target of this shape: make one on its metrics
        mapping = plan.to_mapping()
        metrics = mapping["metrics"]
        numeric = [name for name, spec in metrics.items() if spec["type"] != "category"]
        if not numeric:
            metrics["so_luong"] = {"type": "count"}
            numeric = ["so_luong"]
        made: dict[str, Any] = {"id": "t"}
        if shape is EachTarget:
            name = draw(st.sampled_from(sorted(metrics)))
            made |= {"each": [draw(st.sampled_from(sorted(plan.schema.kinds)))],
                     "metric": name}
            kind = metrics[name]["type"]
            if kind == MetricType.FLAG.value:
                made["equals"] = draw(st.booleans())
            elif kind == MetricType.CATEGORY.value:
                made["equals"] = draw(st.sampled_from(metrics[name]["values"]))
            else:
                made["at_least"] = draw(st.integers(0, 5))
        elif shape is RatioTarget:
            made["ratio"] = [draw(st.sampled_from(numeric)), draw(st.sampled_from(numeric))]
            made["at_least"] = draw(st.integers(0, 100)) / 100
        else:
            made["total"] = draw(st.sampled_from(numeric))
            made["at_least"] = draw(st.integers(0, 300))
        made_plan = plan_from_mapping({**mapping, "targets": [made]}, plan.schema)
        return made_plan.targets[0]

    return targets()


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each of doanorg's public value types (see the module).

    Hypothesis calls this when it is imported. It imports only doanorg's own
    types; a strategy is made when a test first asks for its type.
    """
    from hypothesis import strategies as st

    from doanorg.core.engine import Assessment, rollup
    from doanorg.core.facts import Facts, Metric
    from doanorg.core.model import Org, Unit, UnitRow
    from doanorg.core.report import Report, TargetResult
    from doanorg.core.rules import Condition, EachTarget, Plan, RatioTarget, TotalTarget
    from doanorg.core.schema import Schema
    from doanorg.whatif.scenario import Scenario

    def schemas(_: type[Any]) -> SearchStrategy[Any]:
        from doanorg.testing import strategies as ds

        return ds.schemas()

    def orgs(_: type[Any]) -> SearchStrategy[Any]:
        from doanorg.testing import strategies as ds

        return ds.schemas().flatmap(lambda schema: ds.orgs(schema, max_units=_UNITS))

    def units(_: type[Any]) -> SearchStrategy[Any]:
        return orgs(Org).flatmap(lambda org: st.sampled_from(org.units))

    def rows(_: type[Any]) -> SearchStrategy[Any]:
        return orgs(Org).flatmap(lambda org: st.sampled_from(org.rows()))

    def metrics(_: type[Any]) -> SearchStrategy[Any]:
        from doanorg.testing import strategies as ds

        return ds.metrics().flatmap(lambda drawn: st.sampled_from(list(drawn.values())))

    def plans(_: type[Any]) -> SearchStrategy[Any]:
        from doanorg.testing import strategies as ds

        return ds.schemas().flatmap(ds.plans)

    def conditions(_: type[Any]) -> SearchStrategy[Any]:
        return plans(Plan).flatmap(
            lambda plan: st.sampled_from([target.condition for target in plan.targets]))

    def targets(shape: type[Any]) -> SearchStrategy[Any]:
        return _target_of(shape)

    def facts(_: type[Any]) -> SearchStrategy[Any]:
        return _cases().map(lambda case: case.facts)

    def assessments(_: type[Any]) -> SearchStrategy[Any]:
        return _cases().map(lambda case: rollup(case.org, case.facts, case.plan))

    def reports(_: type[Any]) -> SearchStrategy[Any]:
        return assessments(Assessment).flatmap(lambda assessment: st.sampled_from(
            [unit.id for unit in assessment.org]).map(assessment.report))

    def results(_: type[Any]) -> SearchStrategy[Any]:
        return reports(Report).flatmap(lambda report: st.sampled_from(report.results))

    def scenarios(_: type[Any]) -> SearchStrategy[Any]:
        from doanorg.testing._verdict import scenarios as drawn

        return _cases().flatmap(lambda case: drawn(case.org, case.facts, case.plan))

    registered: dict[type[Any], Any] = {
        Schema: schemas, Org: orgs, Unit: units, UnitRow: rows, Metric: metrics,
        Plan: plans, Condition: conditions, EachTarget: targets, TotalTarget: targets,
        RatioTarget: targets, Facts: facts, Assessment: assessments, Report: reports,
        TargetResult: results, Scenario: scenarios,
    }
    for kind, strategy in registered.items():
        st.register_type_strategy(kind, strategy)
