"""The public surface: ``__all__`` everywhere, the error hierarchy, frozen values."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

import doanorg
from doanorg import (
    Condition,
    DoanorgError,
    EachTarget,
    Facts,
    FactsError,
    FailingUnit,
    Metric,
    MetricType,
    OrgError,
    PlanError,
    Problem,
    RatioTarget,
    Report,
    Schema,
    SchemaError,
    TargetResult,
    TotalTarget,
    Unit,
    UnitRow,
    UnknownUnit,
    build_org,
)
from doanorg.io import builtin_schema

EXPECTED_ALL = {
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
}


def _public_modules() -> list[str]:
    """doanorg and every module in it whose name has no leading underscore."""
    names = [
        info.name
        for info in pkgutil.walk_packages(doanorg.__path__, "doanorg.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return ["doanorg", *sorted(names)]


def test_all_is_the_expected_set() -> None:
    assert set(doanorg.__all__) == EXPECTED_ALL
    assert len(doanorg.__all__) == len(set(doanorg.__all__))


def test_all_is_exactly_what_the_package_makes_public() -> None:
    """As Hypothesis's ``_check_exports``: every public name, and only those, in ``__all__``."""
    public = {
        name
        for name in dir(doanorg)
        if not name.startswith("_") and not inspect.ismodule(getattr(doanorg, name))
    }
    assert public == set(doanorg.__all__) - {"__version__"}


def test_each_name_is_imported_from_where_the_type_checkers_are_told() -> None:
    """The top level imports its names when first used (``_HOMES``); its imports for
    type checkers name the same modules and names, and ``__all__`` lists them all."""
    tree = ast.parse(Path(doanorg.__file__).read_text(encoding="utf-8"))
    told = {(alias.name, node.module) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) for alias in node.names}
    homes = {(name, home) for home, names in doanorg._HOMES.items() for name in names}
    assert told == homes
    assert {name for name, _ in homes} == set(doanorg.__all__) - {"__version__"}
    for name, home in homes:
        assert getattr(doanorg, name) is getattr(importlib.import_module(home), name)


def test_importing_the_package_loads_neither_numpy_nor_pyarrow() -> None:
    """``import doanorg`` is quick: the command line starts before numpy is loaded."""
    code = ("import sys, doanorg; "
            "print(sorted({'numpy', 'pyarrow'} & set(sys.modules)), doanorg.__version__)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    assert ["[]", doanorg.__version__] == shown


def test_the_version_is_the_distributions() -> None:
    from importlib.metadata import version

    assert version("doanorg") == doanorg.__version__


@pytest.mark.parametrize("name", _public_modules())
def test_every_public_module_has_all_and_everything_in_it_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list)
    assert [name for name in exported if not hasattr(module, name)] == []
    assert len(exported) == len(set(exported))


@pytest.mark.parametrize("name", _public_modules())
def test_classes_and_functions_defined_in_a_public_module_are_in_its_all(name: str) -> None:
    module: ModuleType = importlib.import_module(name)
    defined = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == name
    }
    assert set() == defined - set(module.__all__)


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (SchemaError, ValueError),
        (OrgError, ValueError),
        (FactsError, ValueError),
        (PlanError, ValueError),
        (UnknownUnit, LookupError),
    ],
)
def test_errors_are_doanorg_errors_and_builtins(
    error: type[DoanorgError], builtin: type[Exception]
) -> None:
    assert issubclass(error, DoanorgError)
    assert issubclass(error, builtin)
    raised = error([Problem("what is wrong", file="f.csv", line=3, unit="u")])
    assert isinstance(raised, builtin)
    assert str(raised) == "f.csv line 3: what is wrong"


def test_unknown_unit_is_not_a_value_error() -> None:
    assert not issubclass(UnknownUnit, ValueError)


def test_doanorg_error_is_an_exception() -> None:
    assert issubclass(DoanorgError, Exception)


def test_an_error_lists_its_problems_one_per_line() -> None:
    problems = [
        Problem("first", file="a.csv", line=2),
        Problem("second", file="a.csv"),
        Problem("third"),
    ]
    error = OrgError(problems)
    assert tuple(problems) == error.problems
    assert str(error) == "a.csv line 2: first\na.csv: second\nthird"


def test_an_error_from_a_message() -> None:
    assert (Problem("plain"),) == DoanorgError("plain").problems


# --- frozen values ---------------------------------------------------------------------------


def _values() -> list[Any]:
    schema = builtin_schema("doan")
    org = build_org([UnitRow("k", None, "khoi", "K")], schema)
    condition = Condition(at_least=1)
    result = TargetResult(
        id="t", type="total", aspirational=False, status="met", observed=1, required=1
    )
    return [
        Problem("p"),
        schema,
        schema.kinds["khoi"],
        org,
        org.root,
        Unit("u", "khoi", "U"),
        UnitRow("u", None, "khoi", "U"),
        Metric("m", MetricType.COUNT),
        Facts.from_records({}),
        condition,
        EachTarget(id="t", condition=condition, each=("khoi",), metric="m"),
        TotalTarget(id="t", condition=condition, metric="m"),
        RatioTarget(id="t", condition=condition, numerator="m", denominator="m"),
        doanorg.load_plan("doan-khoi-2020"),
        FailingUnit("u", 1),
        result,
        Report(plan="p", at="k", results=(result,), not_reported=()),
    ]


@pytest.mark.parametrize("value", _values(), ids=lambda value: type(value).__name__)
def test_values_are_frozen(value: Any) -> None:
    name = attrs.fields(type(value))[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(value, name, None)


def test_schema_is_a_public_class() -> None:
    assert Schema is type(builtin_schema("doan"))
