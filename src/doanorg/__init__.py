"""doanorg: an organisation as a tree, and whether each part of it meets its targets.

Hand doanorg an organisation tree, a year's reported figures and a plan of
targets ("chỉ tiêu"); get back, for the whole Khối or for any unit in it,
which targets are met, which are not, by how much, and which units fall
short.

>>> import doanorg
>>> from doanorg.io import example_file
>>> org = doanorg.load_org(example_file("org.csv"))
>>> plan = doanorg.load_plan("doan-khoi-2020")
>>> facts = doanorg.load_facts(example_file("facts.csv"), org=org, plan=plan)
>>> report = doanorg.assess(org, facts, plan, at="h01")
>>> report.at, report.to_dict()["plan"]
('h01', 'doan-khoi-2020')
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from doanorg.core.engine import Assessment, assess, rollup, score
    from doanorg.core.facts import Facts, Metric, MetricType
    from doanorg.core.lint import Lint, LintProblem, lint
    from doanorg.core.model import Org, OrgColumns, Unit, UnitRow, build_org, build_org_columns
    from doanorg.core.report import FailingUnit, Report, TargetResult
    from doanorg.core.rules import Condition, EachTarget, Plan, RatioTarget, Target, TotalTarget
    from doanorg.core.schema import Schema
    from doanorg.core.scoring import Scores, UnitScore
    from doanorg.errors import (
        DoanorgError,
        FactsError,
        OrgError,
        PlanError,
        Problem,
        SchemaError,
        UnknownUnit,
    )
    from doanorg.io import load_facts, load_org, load_plan, load_schema
    from doanorg.whatif.sweep import sweep

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "Condition",
    "DoanorgError",
    "EachTarget",
    "Facts",
    "FactsError",
    "FailingUnit",
    "Lint",
    "LintProblem",
    "Metric",
    "MetricType",
    "Org",
    "OrgColumns",
    "OrgError",
    "Plan",
    "PlanError",
    "Problem",
    "RatioTarget",
    "Report",
    "Schema",
    "SchemaError",
    "Scores",
    "Target",
    "TargetResult",
    "TotalTarget",
    "Unit",
    "UnitRow",
    "UnitScore",
    "UnknownUnit",
    "__version__",
    "assess",
    "build_org",
    "build_org_columns",
    "lint",
    "load_facts",
    "load_org",
    "load_plan",
    "load_schema",
    "rollup",
    "score",
    "sweep",
]


_HOMES: dict[str, tuple[str, ...]] = {
    "doanorg.core.engine": ("Assessment", "assess", "rollup", "score"),
    "doanorg.core.facts": ("Facts", "Metric", "MetricType"),
    "doanorg.core.lint": ("Lint", "LintProblem", "lint"),
    "doanorg.core.model": (
        "Org", "OrgColumns", "Unit", "UnitRow", "build_org", "build_org_columns",
    ),
    "doanorg.core.report": ("FailingUnit", "Report", "TargetResult"),
    "doanorg.core.rules": (
        "Condition", "EachTarget", "Plan", "RatioTarget", "Target", "TotalTarget",
    ),
    "doanorg.core.schema": ("Schema",),
    "doanorg.core.scoring": ("Scores", "UnitScore"),
    "doanorg.errors": (
        "DoanorgError", "FactsError", "OrgError", "PlanError", "Problem", "SchemaError",
        "UnknownUnit",
    ),
    "doanorg.io": ("load_facts", "load_org", "load_plan", "load_schema"),
    "doanorg.whatif.sweep": ("sweep",),
}
"""Where each public name is defined (the modules of the imports above, which are for
type checkers; a test keeps the two alike). Each name is imported the first time it is
used, so that ``import doanorg`` costs almost nothing and the command line starts
before numpy and pyarrow are loaded; ``doanorg.assess`` is
``doanorg.core.engine.assess``."""

_HOME_OF = {name: home for home, names in _HOMES.items() for name in names}


if not _typing.TYPE_CHECKING:  # (a type checker sees the imports above, and no other name)

    def __getattr__(name: str) -> _typing.Any:
        home = _HOME_OF.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_importlib.import_module(home), name)
        globals()[name] = value  # (found at once the next time)
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
