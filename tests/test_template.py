"""The fill-in workbook (SPEC §9): its cells, its validation, and the round trip
template → filled in → check, which gives the report of the CSV it came from."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from _workbooks import fill
from doanorg import Org, Plan, UnknownUnit, assess, load_facts, load_org, load_plan
from doanorg.cli import main
from doanorg.core.metrics import MetricType
from doanorg.io import example_file
from doanorg.io._template import FIGURES_SHEET, TEMPLATE_HEADER, write_template


@pytest.fixture(scope="module")
def example() -> tuple[Org, Plan]:
    return load_org(example_file("org.csv")), load_plan("doan-khoi-2020")


def test_one_row_a_unit_one_column_a_metric(example: tuple[Org, Plan], tmp_path: Path) -> None:
    org, plan = example
    out = tmp_path / "t.xlsx"
    assert write_template(org, plan, out, at="h01") == len(org.subtree("h01"))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.title == FIGURES_SHEET
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*TEMPLATE_HEADER, *plan.metrics)
    assert [row[:3] for row in rows[1:]] == [(unit.id, unit.name, unit.kind)
                                             for unit in org.subtree("h01")]
    assert all(value is None for row in rows[1:] for value in row[3:])


def test_only_the_input_cells_are_unlocked(example: tuple[Org, Plan], tmp_path: Path) -> None:
    org, plan = example
    out = tmp_path / "t.xlsx"
    write_template(org, plan, out, at="h02")
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.protection.sheet
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            input_cell = cell.row > 1 and cell.column > len(TEMPLATE_HEADER)
            assert cell.protection.locked is not input_cell, cell.coordinate


def test_each_column_is_validated_by_its_metric_type(example: tuple[Org, Plan],
                                                     tmp_path: Path) -> None:
    org, plan = example
    out = tmp_path / "t.xlsx"
    rows = write_template(org, plan, out, at="h01")
    sheet = openpyxl.load_workbook(out).worksheets[0]
    by_column: dict[str, Any] = {}
    for validation in sheet.data_validations.dataValidation:
        for ranges in validation.sqref.ranges:
            assert (ranges.min_row, ranges.max_row) == (2, rows + 1)
            by_column[sheet.cell(1, ranges.min_col).value] = validation
    assert set(by_column) == set(plan.metrics)
    for metric in plan.metrics.values():
        validation = by_column[metric.id]
        if metric.type is MetricType.COUNT:
            assert (validation.type, validation.operator, validation.formula1) == (
                "whole", "greaterThanOrEqual", "0")
        elif metric.type is MetricType.AMOUNT:
            assert (validation.type, validation.operator, validation.formula1) == (
                "decimal", "greaterThanOrEqual", "0")
        elif metric.type is MetricType.FLAG:
            assert (validation.type, validation.formula1) == ("list", '"Có,Không"')
        else:
            assert (validation.type, validation.formula1) == (
                "list", '"' + ",".join(metric.values) + '"')
        assert validation.showDropDown in (None, False)  # (True hides the arrow)


def test_a_long_category_list_is_kept_on_a_hidden_sheet(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.toml"
    values = [f"gia_tri_rat_dai_so_{index:03}" for index in range(30)]
    plan_file.write_text(
        'id = "p"\n[metrics.c]\ntype = "category"\nvalues = [' + ", ".join(
            f'"{value}"' for value in values) + ']\n[[targets]]\nid = "t"\neach = ["khoi"]\n'
        f'metric = "c"\nequals = "{values[0]}"\n', encoding="utf-8")
    org_file = tmp_path / "org.csv"
    org_file.write_text("id,parent,kind,name\nk,,khoi,K\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    write_template(load_org(org_file), load_plan(plan_file), out)
    workbook = openpyxl.load_workbook(out)
    lists = workbook["Danh mục"]
    assert lists.sheet_state == "hidden"
    assert [row[0] for row in lists.iter_rows(values_only=True)] == values
    (validation,) = workbook.worksheets[0].data_validations.dataValidation
    assert validation.formula1 == "'Danh mục'!$A$1:$A$30"


def _filled_from_csv(org: Org, plan: Plan, facts_csv: Path, tmp_path: Path) -> Path:
    """The template, filled in as a person would from the CSV's rows: numbers as numbers,
    flags picked from the drop-down (Có/Không), categories as their values."""
    template = tmp_path / "template.xlsx"
    write_template(org, plan, template)
    values: dict[str, dict[str, Any]] = {}
    with facts_csv.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            given = values.setdefault(row["unit"], {})
            for name, text in row.items():
                if name in plan.metrics and text:
                    kind = plan.metrics[name].type
                    given[name] = (int(text) if kind is MetricType.COUNT
                                   else float(text) if kind is MetricType.AMOUNT
                                   else ("Có" if text.casefold() in ("có", "true", "1", "yes")
                                         else "Không") if kind is MetricType.FLAG else text)
    return fill(template, values, tmp_path / "filled.xlsx")


@pytest.fixture(scope="module")
def filled(example: tuple[Org, Plan], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example Khối's template, filled in from its facts CSV."""
    return _filled_from_csv(*example, example_file("facts.csv"),
                            tmp_path_factory.mktemp("filled"))


def test_filled_in_it_gives_the_report_of_the_csv(example: tuple[Org, Plan],
                                                  filled: Path) -> None:
    org, plan = example
    from_csv = assess(org, load_facts(example_file("facts.csv"), org=org, plan=plan), plan)
    from_template = assess(org, load_facts(filled, org=org, plan=plan), plan)
    assert from_template.to_dict() == from_csv.to_dict()
    assert from_template.not_reported  # (rows left empty: units that did not report)
    for at in ("h01", "h05-cs02"):
        assert (assess(org, load_facts(filled, org=org, plan=plan), plan, at=at).to_dict()
                == assess(org, load_facts(example_file("facts.csv"), org=org, plan=plan),
                          plan, at=at).to_dict())


def test_the_command_line_round_trip(tmp_path: Path, filled: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mau.xlsx"
    org_file = str(example_file("org.csv"))
    assert main(["template", "--org", org_file, "--plan", "doan-khoi-2020", "--out",
                 str(out)]) == 0
    out_text, err = capsys.readouterr()
    assert out_text == ""
    assert err.startswith(f"wrote {out}: 4,721 units, 19 metrics")
    assert [row for row in openpyxl.load_workbook(out, read_only=True).worksheets[0]
            .iter_rows(max_row=2, values_only=True)] == [
        row for row in openpyxl.load_workbook(filled, read_only=True).worksheets[0]
        .iter_rows(max_row=1, values_only=True)] + [
        ("khoi", "Đoàn Khối các cơ quan Trung ương", "khoi", *[None] * 19)]
    assert main(["check", "--org", org_file, "--facts", str(filled), "--plan",
                 "doan-khoi-2020", "--format", "json"]) == 1
    from_template = capsys.readouterr().out
    assert main(["check", "--org", org_file, "--facts", str(example_file("facts.csv")),
                 "--plan", "doan-khoi-2020", "--format", "json"]) == 1
    assert capsys.readouterr().out == from_template


def test_template_refuses_what_it_must(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    org_file = str(example_file("org.csv"))
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"x")
    for argv, message in (
            (["--out", str(taken)], "the file exists; pass --force"),
            (["--out", str(tmp_path / "t.csv")], "name a .xlsx file"),
            (["--out", str(tmp_path / "t.xlsx"), "--at", "nowhere"], "not in the organisation"),
    ):
        status = main(["template", "--org", org_file, "--plan", "doan-khoi-2020", *argv])
        out, err = capsys.readouterr()
        assert (status, out) == (2, "")
        assert message in err and "Traceback" not in err
    assert taken.read_bytes() == b"x"
    assert not (tmp_path / "t.xlsx").exists()
    assert main(["template", "--org", org_file, "--plan", "doan-khoi-2020", "--out",
                 str(taken), "--force", "--at", "h01-cs01"]) == 0
    assert openpyxl.load_workbook(taken).worksheets[0].title == FIGURES_SHEET


def test_an_unknown_unit_is_refused(example: tuple[Org, Plan], tmp_path: Path) -> None:
    with pytest.raises(UnknownUnit):
        write_template(*example, tmp_path / "t.xlsx", at="nowhere")
