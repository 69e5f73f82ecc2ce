"""Excel in (SPEC §9): ``.xlsx`` organisations and facts, read through the CSV checks."""

from __future__ import annotations

import builtins
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from _workbooks import write_sheet
from doanorg import FactsError, OrgError, assess, load_facts, load_org, load_plan
from doanorg.cli import main
from doanorg.io import example_file

PLAN = """\
id = "p"

[metrics.n]
type = "count"

[metrics.x]
type = "amount"

[metrics.ok]
type = "flag"

[[targets]]
id = "t"
each = ["co_so"]
metric = "n"
at_least = 1
"""

VI_ORG = [["Mã đơn vị", "Đơn vị cấp trên", "Loại", "Tên đơn vị", "members"],
          ["k", None, "khoi", "Đoàn Khối", 100],
          ["a", "k", "chi_doan_co_so", "Chi đoàn A", 12],
          ["b", "k", "chi_doan_co_so", "Chi đoàn B", 9.5]]


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_an_org_sheet_with_vietnamese_headers(tmp_path: Path) -> None:
    org = load_org(write_sheet(tmp_path / "org.xlsx", VI_ORG, start_row=2))
    assert [unit.id for unit in org] == ["k", "a", "b"]
    assert org["a"].name == "Chi đoàn A"
    assert org["a"].attributes == {"members": 12}
    assert org["b"].attributes == {"members": 9.5}


def test_headers_are_compared_after_nfc(tmp_path: Path) -> None:
    decomposed = [["Ma\u0303 đơn vi\u0323", "Đơn vị cấp trên", "Loại", "Tên đơn vị"],
                  ["k", None, "khoi", "Đoàn Khối"]]
    assert load_org(write_sheet(tmp_path / "org.xlsx", decomposed)).root.id == "k"


def test_wide_facts_with_numbers_flags_and_a_period(tmp_path: Path, plan_file: Path) -> None:
    org = load_org(write_sheet(tmp_path / "org.xlsx", VI_ORG))
    plan = load_plan(plan_file)
    sheet = write_sheet(tmp_path / "facts.xlsx", [
        ["Mã đơn vị", "Tên đơn vị", "Kỳ", "n", "x", "ok"],
        ["a", "Chi đoàn A", 2020, 3, 1.25, True],
        ["b", "Chi đoàn B", 2020, 0, 2, "Có"],
    ])
    facts = load_facts(sheet, org=org, plan=plan)
    assert facts.period == "2020"
    assert dict(facts.values["a"]) == {"n": 3, "x": 1.25, "ok": True}
    assert dict(facts.values["b"]) == {"n": 0, "x": 2, "ok": True}


def test_long_facts_with_vietnamese_headers(tmp_path: Path, plan_file: Path) -> None:
    org = load_org(write_sheet(tmp_path / "org.xlsx", VI_ORG))
    sheet = write_sheet(tmp_path / "facts.xlsx", [
        ["Mã đơn vị", "Chỉ tiêu", "Giá trị"], ["a", "n", 2], ["b", "ok", "không"]])
    facts = load_facts(sheet, org=org, plan=load_plan(plan_file))
    assert dict(facts.values["a"]) == {"n": 2}
    assert dict(facts.values["b"]) == {"ok": False}


def test_a_date_cell_reads_as_its_iso_day(tmp_path: Path, plan_file: Path) -> None:
    org = load_org(write_sheet(tmp_path / "org.xlsx", VI_ORG))
    sheet = write_sheet(tmp_path / "facts.xlsx", [
        ["unit", "period", "n"], ["a", dt.datetime(2020, 12, 31), 1]])
    assert load_facts(sheet, org=org, plan=load_plan(plan_file)).period == "2020-12-31"


def test_a_row_without_figures_did_not_report(tmp_path: Path, plan_file: Path) -> None:
    org = load_org(write_sheet(tmp_path / "org.xlsx", VI_ORG))
    plan = load_plan(plan_file)
    sheet = write_sheet(tmp_path / "facts.xlsx", [
        ["Mã đơn vị", "Tên đơn vị", "n"], ["a", "Chi đoàn A", 1], ["b", "Chi đoàn B", None]])
    report = assess(org, load_facts(sheet, org=org, plan=plan), plan)
    assert report.not_reported == ("k", "b")


def test_every_problem_names_the_sheet_the_row_and_the_unit(tmp_path: Path,
                                                            plan_file: Path) -> None:
    org = load_org(write_sheet(tmp_path / "org.xlsx", VI_ORG))
    sheet = write_sheet(tmp_path / "facts.xlsx", [
        ["Mã đơn vị", "n", "ok"], ["a", 1.5, "có"], ["zz", 1, None], [None, None, None],
        ["b", 2, "perhaps"]], sheet="Số liệu", start_row=1)
    with pytest.raises(FactsError) as raised:
        load_facts(sheet, org=org, plan=load_plan(plan_file))
    problems = raised.value.problems
    assert [(problem.sheet, problem.row, problem.unit) for problem in problems] == [
        ("Số liệu", 3, "a"), ("Số liệu", 4, "zz"), ("Số liệu", 6, "b")]
    assert all(problem.file == str(sheet) and problem.line is None for problem in problems)
    assert str(problems[1]) == (f"{sheet} sheet 'Số liệu' row 4: unit 'zz' is not in the "
                                "organisation")


def test_org_problems_name_the_sheet_and_the_row(tmp_path: Path) -> None:
    rows = [*VI_ORG, ["c", "nowhere", "chi_doan_co_so", "Chi đoàn C"], ["a", "k", "khoi", "A"]]
    with pytest.raises(OrgError) as raised:
        load_org(write_sheet(tmp_path / "org.xlsx", rows, sheet="Đơn vị"))
    where = {(problem.sheet, problem.row, problem.unit) for problem in raised.value.problems}
    assert ("Đơn vị", 5, "c") in where
    assert {problem.row for problem in raised.value.problems} >= {5, 6}


def test_a_header_missing_a_column_names_the_header_row(tmp_path: Path) -> None:
    with pytest.raises(OrgError) as raised:
        load_org(write_sheet(tmp_path / "org.xlsx", [["id", "kind"], ["k", "khoi"]],
                             start_row=3))
    assert [(problem.row, "missing column" in problem.message)
            for problem in raised.value.problems] == [(4, True)]


def test_both_names_of_a_column_is_a_problem(tmp_path: Path) -> None:
    rows = [["id", "Mã đơn vị", "parent", "kind", "name"], ["k", "k", None, "khoi", "K"]]
    with pytest.raises(OrgError, match="Vietnamese name of column 'id'"):
        load_org(write_sheet(tmp_path / "org.xlsx", rows))


def test_a_cell_right_of_the_header_is_a_problem(tmp_path: Path) -> None:
    rows = [["id", "parent", "kind", "name"], ["k", None, "khoi", "K", "stray"]]
    with pytest.raises(OrgError, match="unit 'k': the row has cells in 5 columns"):
        load_org(write_sheet(tmp_path / "org.xlsx", rows))


def test_an_empty_sheet_and_a_file_that_is_no_workbook(tmp_path: Path) -> None:
    with pytest.raises(OrgError, match="is empty"):
        load_org(write_sheet(tmp_path / "org.xlsx", []))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("id,parent\n", encoding="utf-8")
    with pytest.raises(OrgError, match="not a workbook"):
        load_org(fake)
    with pytest.raises(OrgError, match="cannot read the file"):
        load_org(tmp_path / "missing.xlsx")


def test_the_same_report_from_a_workbook_as_from_the_csv(tmp_path: Path) -> None:
    """The example Khối's facts, put in a sheet cell for cell, give the CSV's report."""
    import csv

    with example_file("facts.csv").open(encoding="utf-8") as stream:
        rows: list[list[Any]] = [[int(cell) if cell.isdigit() else (cell or None)
                                  for cell in row] for row in csv.reader(stream)]
    sheet = write_sheet(tmp_path / "facts.xlsx", rows)
    org = load_org(example_file("org.csv"))
    plan = load_plan("doan-khoi-2020")
    from_sheet = assess(org, load_facts(sheet, org=org, plan=plan), plan)
    from_csv = assess(org, load_facts(example_file("facts.csv"), org=org, plan=plan), plan)
    assert from_sheet.to_dict() == from_csv.to_dict()


def _without_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name in ("python_calamine", "xlsxwriter"):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)


def test_without_the_extra_the_message_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_sheet(tmp_path / "org.xlsx", VI_ORG)
    _without_calamine(monkeypatch)
    with pytest.raises(OrgError, match=r"pip install 'doanorg\[excel\]'"):
        load_org(sheet)
    status = main(["check", "--org", str(sheet), "--facts", str(sheet), "--plan",
                   "doan-khoi-2020"])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err.splitlines() == [
        f"error: {sheet}: reading a workbook needs the excel extra: "
        "pip install 'doanorg[excel]'"]
    status = main(["template", "--org", str(sheet), "--plan", "doan-khoi-2020", "--out",
                   str(tmp_path / "t.xlsx")])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert "pip install 'doanorg[excel]'" in err and "Traceback" not in err


def test_check_reads_workbooks(tmp_path: Path, plan_file: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    org = write_sheet(tmp_path / "org.xlsx", VI_ORG)
    facts = write_sheet(tmp_path / "facts.xlsx", [["Mã đơn vị", "n"], ["a", 1], ["b", 0]])
    status = main(["check", "--org", str(org), "--facts", str(facts), "--plan",
                   str(plan_file), "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 1 and '"not_met"' in out
    assert err == ""
    bad = write_sheet(tmp_path / "bad.xlsx", [["Mã đơn vị", "n"], ["a", -1], ["q", 0]],
                      sheet="Số liệu")
    status = main(["check", "--org", str(org), "--facts", str(bad), "--plan", str(plan_file)])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert [line.partition(": unit")[0] for line in err.splitlines()] == [
        f"error: {bad} sheet 'Số liệu' row 2", f"error: {bad} sheet 'Số liệu' row 3"]


def test_a_sheet_of_twenty_thousand_rows_loads(tmp_path: Path) -> None:
    """(Timed by hand, not here: see docs/reference/io.md.)"""
    rows: list[list[Any]] = [["id", "parent", "kind", "name", "members"],
                             ["k", None, "khoi", "K", 1]]
    rows += [[f"c{index}", "k", "chi_doan_co_so", f"Chi đoàn {index}", 10]
             for index in range(20_000)]
    org = load_org(write_sheet(tmp_path / "org.xlsx", rows))
    assert len(org) == 20_001
