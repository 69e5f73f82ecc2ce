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
