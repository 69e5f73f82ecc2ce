"""Files in and out: the only part of doanorg that reads or writes files.

Layers, lowest first: errors → core → whatif → io → testing → cli. A module
may import its own layer and the layers below it: io reads into the core's
values, and reads and writes scenario files of the what-if layer.

:func:`load_org`, :func:`load_facts` and :func:`load_plan` read the three
inputs of an assessment (SPEC §1–3); :func:`load_schema` reads a schema.
Built-in data (the ``doan`` schema, the ``doan-khoi-2020`` plan and the
example Khối) ships inside the package and is read with the same code as a
user's files. Inputs are never modified.

Examples
--------
>>> plan = load_plan("doan-khoi-2020")
>>> plan.id, len(plan.targets)
('doan-khoi-2020', 24)
>>> org = load_org(example_file("org.csv"))
>>> org.root.id, org.root.name
('khoi', 'Đoàn Khối các cơ quan Trung ương')
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from doanorg.core._catalogue import DEFAULT_LANG
from doanorg.core.facts import Facts
from doanorg.core.model import Org
from doanorg.core.report import Report
from doanorg.core.rules import Plan, plan_from_mapping
from doanorg.core.schema import Schema
from doanorg.core.scoring import Scores
from doanorg.errors import FactsError, OrgError, PlanError, Problem, ScenarioError, SchemaError
from doanorg.io._atomic import staged
from doanorg.io._csv import (
    read_facts_csv,
    read_facts_table,
    read_org_csv,
    read_org_table,
    write_facts_csv,
)
from doanorg.io._frames import frame_table, is_frame
from doanorg.io._table import in_rows
from doanorg.io._toml import dump_toml, read_toml
from doanorg.io._xlsx import is_workbook, read_sheet
from doanorg.io._xlsx_report import write_report_xlsx
from doanorg.io._xlsx_scores import write_scores_xlsx

if TYPE_CHECKING:  # (scenarios are read and written here, loaded when they are)
    from doanorg.whatif.scenario import Edit, Scenario

__all__ = [
    "BUILTIN_PLANS",
    "BUILTIN_SCHEMAS",
    "REPORT_FORMATS",
    "SCORE_FORMATS",
    "builtin_plan_file",
    "builtin_schema",
    "example_file",
    "load_facts",
    "load_org",
    "load_plan",
    "load_scenario",
    "load_schema",
    "plan_schema_file",
    "read_edits",
    "save_facts",
    "save_report",
    "save_scenario",
    "save_scores",
]

BUILTIN_SCHEMAS = ("doan",)
"""Names of the schemas shipped with doanorg."""
BUILTIN_PLANS = ("doan-khoi-2020",)
"""Names of the plans shipped with doanorg."""

_DATA = resources.files("doanorg") / "data"


def _data_path(*parts: str) -> Path:
    # doanorg is installed as plain files (never zipped), so data has a real path.
    return Path(str(_DATA.joinpath(*parts)))


def example_file(name: str) -> Path:
    """The path of a file of the built-in example Khối: ``org.csv`` or ``facts.csv``."""
    return _data_path("example", name)


def builtin_plan_file(name: str) -> Path:
    """The path of the built-in plan called ``name`` (``doan-khoi-2020``)."""
    if name not in BUILTIN_PLANS:
        raise PlanError([Problem(
            f"no built-in plan {name!r} (built-in: {', '.join(BUILTIN_PLANS)})")])
    return _data_path("plans", f"{name}.toml")


def plan_schema_file() -> Path:
    """The path of the JSON Schema of plan files (``plan.schema.json``), for an editor
    to check plans as they are written; :func:`load_plan` refuses every plan it
    refuses.

    >>> plan_schema_file().name
    'plan.schema.json'
    """
    return _data_path("plan.schema.json")


def builtin_schema(name: str) -> Schema:
    """The built-in schema called ``name`` (``doan``)."""
    if name not in BUILTIN_SCHEMAS:
        raise SchemaError([Problem(
            f"no built-in schema {name!r} (built-in: {', '.join(BUILTIN_SCHEMAS)}); "
            "pass a schema file instead")])
    return load_schema(_data_path("schemas", f"{name}.toml"))


def load_schema(source: str | Path | Schema) -> Schema:
    """A schema from a TOML file, or the built-in schema of that name.

    A :class:`~doanorg.core.schema.Schema` is returned as it is.
    """
    if isinstance(source, Schema):
        return source
    if isinstance(source, str) and source in BUILTIN_SCHEMAS and not Path(source).exists():
        return builtin_schema(source)
    data, _ = read_toml(source, SchemaError)
    return Schema.from_mapping(data, file=str(source))


def load_org(source: str | Path | Any, *, schema: str | Path | Schema = "doan") -> Org:
    """Read an organisation (SPEC §1) and check it against ``schema``.

    ``source`` is a CSV file, an Excel workbook (``.xlsx``, its first sheet; the
    ``excel`` extra), or a data frame (pandas, polars or pyarrow;
    :mod:`doanorg.io._frames`). The header names ``id,parent,kind,name`` in any
    order, or their Vietnamese forms (``Mã đơn vị``, ``Đơn vị cấp trên``, ``Loại``,
    ``Tên đơn vị``); other columns become unit attributes (numbers where they parse
    as numbers); the root has an empty parent.

    Raises
    ------
    OrgError
        Listing every problem found, each with file, line (in a workbook: sheet and
        row; in a frame: row) and unit.
    """
    chosen = load_schema(schema)
    if is_frame(source):
        problems: list[Problem] = []
        table = frame_table(source, "organisation frame", OrgError, problems)
        with in_rows(table.file, shift=1) as moved:
            org = read_org_table(table, problems, chosen)
        return attrs.evolve(org, warnings=moved(org.warnings))
    if is_workbook(source):
        problems = []
        table, sheet = read_sheet(source, OrgError, problems, key=("id", "Mã đơn vị"))
        with in_rows(table.file, sheet=sheet) as moved:
            org = read_org_table(table, problems, chosen)
        return attrs.evolve(org, warnings=moved(org.warnings))
    return read_org_csv(source, chosen)


def load_facts(
    source: str | Path | Any,
    *,
    org: Org | None = None,
    period: str | None = None,
    plan: Plan | None = None,
    ignore_unknown_metrics: bool = False,
) -> Facts:
    """Read facts, long or wide form (SPEC §2).

    ``source`` is a CSV file, an Excel workbook (``.xlsx``, its first sheet; the
    ``excel`` extra) or a data frame (pandas, polars or pyarrow). Header names may be
    the English ones or their Vietnamese forms (``Mã đơn vị``, ``Chỉ tiêu``, ``Giá
    trị``, ``Kỳ``); columns ``name``/``Tên đơn vị`` and ``kind``/``Loại`` are for the
    people filling the file in and are not read. In a workbook, a row that gives no
    figure is a unit that did not report (a template lists every unit in advance).

    With ``org``, every unit must be in it; with ``plan``, every value of a
    metric the plan declares must fit that metric's type, and a column (or
    rows) of a metric the plan does not declare is an error naming it and
    the closest declared metric (values are always checked again by
    :func:`doanorg.assess`, and without ``plan``, only there). With
    ``ignore_unknown_metrics``, such facts are left out instead, with one
    warning a metric in every report (the facts keep the choice:
    :attr:`~doanorg.Facts.ignore_unknown_metrics`). ``period`` chooses a
    period of a file that holds several; a file with one period needs no
    choice.

    Raises
    ------
    FactsError
        Listing every problem found, each with file, line (in a workbook: sheet and
        row; in a frame: row), unit and metric.
    """
    metrics = plan.metrics if plan is not None else None
    if not is_frame(source) and not is_workbook(source):
        return read_facts_csv(source, org=org, period=period, metrics=metrics,
                              ignore_unknown_metrics=ignore_unknown_metrics)
    problems: list[Problem] = []
    if is_frame(source):
        table = frame_table(source, "facts frame", FactsError, problems)
        located = in_rows(table.file, shift=1)
    else:
        table, sheet = read_sheet(source, FactsError, problems, key=("unit", "Mã đơn vị"))
        located = in_rows(table.file, sheet=sheet)
    with located as moved:
        facts = read_facts_table(table, problems, org=org, period=period, metrics=metrics,
                                 ignore_unknown_metrics=ignore_unknown_metrics,
                                 empty_rows_unreported=not is_frame(source))
    return attrs.evolve(facts, warnings=moved(facts.warnings))


def load_plan(source: str | Path, *, schema: str | Path | Schema | None = None,
              allow_low_stretch: bool = False) -> Plan:
    """Read a plan TOML file (SPEC §3), or the built-in plan of that name.

    ``schema`` gives the kinds the plan's targets may name; by default the
    schema the plan names (``schema = "..."``), else ``doan``. With
    ``allow_low_stretch``, a ``stretch`` below ``at_least`` is read rather than
    refused, for :func:`doanorg.lint` to report it (``doanorg plan lint`` reads
    plans so).

    Raises
    ------
    PlanError
        Listing every problem found, each with file, line and target.
    """
    name = None
    if isinstance(source, str) and not Path(source).exists():
        if source in BUILTIN_PLANS:
            name = f"{source}.toml"
            source = builtin_plan_file(source)
        elif not source.endswith(".toml"):
            raise PlanError([Problem(
                f"no plan file {source!r}, and no built-in plan of that name "
                f"(built-in: {', '.join(BUILTIN_PLANS)})")])
    data, locate = read_toml(source, PlanError, name=name)
    chosen = schema if schema is not None else data.get("schema", "doan")
    if not isinstance(chosen, str | Path | Schema):
        raise PlanError([Problem("schema must name a schema", file=name or str(source))])
    if isinstance(chosen, str) and chosen not in BUILTIN_SCHEMAS and not Path(chosen).exists():
        raise PlanError([Problem(
            f"the plan is written for schema {chosen!r}, which is not built in "
            f"(built-in: {', '.join(BUILTIN_SCHEMAS)}); pass that schema's file "
            "(--schema FILE, or schema=)", file=name or str(source))])
    return plan_from_mapping(data, load_schema(chosen), file=name or str(source),
                             locate=locate, allow_low_stretch=allow_low_stretch)



def save_facts(facts: Facts, path: str | Path, *, org: Org | None = None,
               plan: Plan | None = None) -> int:
    """Write ``facts`` to a long-form CSV (``unit,metric,value[,period]``); returns the
    number of rows written below the header.

    With ``org``, units come in tree order; with ``plan``, each unit's
    metrics come in the plan's order. :func:`load_facts` reads the file back
    to the same facts. The file is written whole or not at all: to a temporary
    file beside ``path``, then moved onto it (a file there is replaced; its other
    names, if it has any, keep the old text).
    """
    with staged([Path(path)], replace=True) as (temporary,):
        return write_facts_csv(facts, temporary, org=org,
                               metrics=list(plan.metrics) if plan else ())


def read_edits(path: str | Path) -> tuple[str | None, tuple[Edit, ...]]:
    """The name and the edits of a scenario TOML file (``name = ...`` and ``[[edits]]``).

    Raises :class:`~doanorg.ScenarioError` listing every edit that is not
    well formed, with its line.
    """
    name, edits = _read_edits(path)
    return name, tuple(edit for edit, _ in edits)


def _read_edits(path: str | Path) -> tuple[str | None, list[tuple[Edit, int | None]]]:
    from doanorg.whatif.scenario import edit_from_mapping  # (loaded when a scenario is)

    data, locate = read_toml(path, ScenarioError)
    problems: list[Problem] = []
    for key in sorted(set(data) - {"name", "edits"}):
        problems.append(Problem(f"unknown key {key!r} (a scenario file has name and [[edits]])",
                                file=str(path), line=locate((key,))))
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        problems.append(Problem("name must be text", file=str(path), line=locate(("name",))))
        name = None
    edits: list[tuple[Edit, int | None]] = []
    raw = data.get("edits", [])
    if not isinstance(raw, list):
        problems.append(Problem("edits must be [[edits]] tables", file=str(path),
                                line=locate(("edits",))))
        raw = []
    for index, entry in enumerate(raw):
        line = locate(("edits", index)) or locate(("edits",))
        try:
            edits.append((edit_from_mapping(entry), line))
        except ValueError as error:
            problems.append(Problem(f"edit #{index + 1}: {error}", file=str(path), line=line))
    if problems:
        raise ScenarioError(problems)
    return name, edits


def load_scenario(path: str | Path, base: Scenario) -> Scenario:
    """The scenario a TOML file of edits makes of ``base``.

    Raises :class:`~doanorg.ScenarioError` if the file is not well formed or
    an edit does not fit ``base`` (the problem names the edit's line).
    """
    name, edits = _read_edits(path)
    scenario = base
    for index, (edit, line) in enumerate(edits):
        try:
            scenario = scenario.apply(edit, name=name)
        except ScenarioError as error:
            raise ScenarioError([
                Problem(f"edit #{index + 1} ({edit.describe()}): {problem.message}",
                        file=str(path), line=line, unit=problem.unit, metric=problem.metric,
                        target=problem.target)
                for problem in error.problems
            ]) from None
    return scenario.apply(name=name or scenario.name)


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write every edit from the baseline to ``scenario`` as a TOML file of edits
    (whole or not at all, as :func:`save_facts` writes)."""
    from doanorg.whatif.scenario import edit_to_mapping  # (loaded when a scenario is)

    data = {"name": scenario.name, "edits": [
        edit_to_mapping(edit) for edit in scenario.all_edits()]}
    with staged([Path(path)], replace=True) as (temporary,):
        temporary.write_text(dump_toml(data), encoding="utf-8")


REPORT_FORMATS = ("text", "json", "md", "html", "xlsx", "tree")
"""The formats :func:`save_report` writes (``--format`` of ``doanorg check``)."""


def save_report(report: Report, path: str | Path, *, format: str = "html",
                lang: str = DEFAULT_LANG) -> None:
    """Write ``report`` to ``path`` as ``format`` (one of :data:`REPORT_FORMATS`; ``html``
    by default), its words in ``lang`` (``vi``, the default, or ``en``; JSON is the same
    in both). ``xlsx`` needs the ``excel`` extra. The file is written whole or not at all,
    as :func:`save_facts` writes.

    >>> import tempfile, doanorg
    >>> org = load_org(example_file("org.csv"))
    >>> plan = load_plan("doan-khoi-2020")
    >>> report = doanorg.assess(org, load_facts(example_file("facts.csv"), org=org), plan)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save_report(report, Path(folder) / "report.html")
    ...     (Path(folder) / "report.html").read_text(encoding="utf-8")[:15]
    '<!DOCTYPE html>'
    """
    render = {"text": report.to_text, "md": report.to_markdown, "html": report.to_html,
              "tree": report.to_tree, "json": lambda lang: report.to_json()}
    _save(path, format, lang, render, lambda to: write_report_xlsx(report, to, lang),
          "report", REPORT_FORMATS)


SCORE_FORMATS = ("text", "json", "md", "html", "xlsx")
"""The formats :func:`save_scores` writes (``--format`` of ``doanorg score``, SPEC §11)."""


def save_scores(scores: Scores, path: str | Path, *, format: str = "html",
                lang: str = DEFAULT_LANG) -> None:
    """Write ``scores`` (:meth:`doanorg.Assessment.scores`) to ``path`` as ``format`` (one
    of :data:`SCORE_FORMATS`; ``html`` by default), its words in ``lang`` (``vi``, the
    default, or ``en``; JSON is the same in both), as :func:`save_report` writes a report:
    ``xlsx`` needs the ``excel`` extra, and the file is written whole or not at all.

    >>> import tempfile, doanorg
    >>> org = load_org(example_file("org.csv"))
    >>> plan = load_plan("doan-khoi-2020")
    >>> scores = doanorg.rollup(org, load_facts(example_file("facts.csv"), org=org),
    ...                         plan).scores()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save_scores(scores, Path(folder) / "scores.html", lang="en")
    ...     "<h1>Scores: doan-khoi-2020 at" in (Path(folder) / "scores.html").read_text(
    ...         encoding="utf-8")
    True
    """
    render = {"text": scores.to_text, "md": scores.to_markdown, "html": scores.to_html,
              "json": lambda lang: scores.to_json()}
    _save(path, format, lang, render, lambda to: write_scores_xlsx(scores, to, lang),
          "scores", SCORE_FORMATS)


def _save(path: str | Path, format: str, lang: str, render: dict[str, Any],
          workbook: Any, what: str, formats: tuple[str, ...]) -> None:
    """Write ``render[format](lang)`` (or, for ``xlsx``, ``workbook(temporary)``) to
    ``path``, whole or not at all."""
    if format not in render and format != "xlsx":
        raise ValueError(f"unknown {what} format {format!r}: expected one of "
                         f"{', '.join(formats)}")
    with staged([Path(path)], replace=True) as (temporary,):
        if format == "xlsx":
            workbook(temporary)
        else:
            temporary.write_text(render[format](lang), encoding="utf-8", newline="\n")
