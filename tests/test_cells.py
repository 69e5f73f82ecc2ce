"""Cells a spreadsheet would run as a formula are written as text (SPEC §9), in every
CSV and workbook doanorg writes, and read back as written."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from doanorg import load_facts, load_org, load_plan
from doanorg.cli import main
from doanorg.core._cells import csv_text, formula_like, read_csv_text
from doanorg.io import save_facts
from doanorg.io._template import write_template

HOSTILE = '=HYPERLINK("http://example.invalid","Bấm vào đây")'

ORG = (
    "id,parent,kind,name\n"
    "k,,khoi,Đoàn Khối\n"
    f"'=cs,k,chi_doan_co_so,\"'{HOSTILE.replace(chr(34), chr(34) * 2)}\"\n"
    "'@b,k,chi_doan_co_so,'+Chi đoàn\n"
)
PLAN = """\
id = "p"

[metrics.n]
type = "count"

[metrics.note]
type = "category"
values = ["-", "@x", "ok"]

[[targets]]
id = "t"
each = ["co_so"]
metric = "n"
at_least = 2
"""
FACTS = "unit,n,note\n'=cs,1,'-\n'@b,3,ok\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name, text in (("org.csv", ORG), ("plan.toml", PLAN), ("facts.csv", FACTS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("text", "like"), [
    ("=1+1", True), ("+84 912 345 678", True), ("-x", True), ("@SUM(A1)", True),
    ("\t=1", True), ("\r=1", True), ("-3", False), ("+2.5", False), ("-1e3", False),
    ("Chi đoàn", False), ("", False), ("1=1", False), ("'=1", False),
])
def test_the_rule_is_the_first_character_and_not_a_number(text: str, like: bool) -> None:
    assert formula_like(text) is like


def test_a_protected_text_reads_back_as_written() -> None:
    for text in (HOSTILE, "'=1", "''", "'tis", "-", "", "@"):
        assert read_csv_text(csv_text(text)) == text
        assert not formula_like(csv_text(text))


def test_the_csv_reader_takes_the_apostrophe_off(files: Path) -> None:
    org = load_org(files / "org.csv")
    assert [unit.id for unit in org] == ["k", "=cs", "@b"]
    assert org["=cs"].name == HOSTILE
    assert org["@b"].name == "+Chi đoàn"
    facts = load_facts(files / "facts.csv", org=org, plan=load_plan(files / "plan.toml"))
    assert facts.raw("=cs", "note") == "-"


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return [cell for row in csv.reader(stream) for cell in row]


def test_save_facts_writes_formula_like_cells_as_text(files: Path, tmp_path: Path) -> None:
    org = load_org(files / "org.csv")
    plan = load_plan(files / "plan.toml")
    facts = load_facts(files / "facts.csv", org=org, plan=plan)
    out = tmp_path / "out.csv"
    save_facts(facts, out, org=org, plan=plan)
    assert not [cell for cell in _cells(out) if formula_like(cell)]
    assert "'=cs" in _cells(out)
    again = load_facts(out, org=org, plan=plan)
    assert again.values == facts.values


def test_gap_apply_writes_formula_like_cells_as_text(files: Path) -> None:
    out = files / "gap.csv"
    status = main(["gap", "--org", str(files / "org.csv"), "--facts", str(files / "facts.csv"),
                   "--plan", str(files / "plan.toml"), "--apply", str(out)])
    assert status == 0
    cells = _cells(out)
    assert "'=cs" in cells and "'@b" in cells
    assert not [cell for cell in cells if formula_like(cell)]
    assert main(["check", "--org", str(files / "org.csv"), "--facts", str(out),
                 "--plan", str(files / "plan.toml")]) == 0


def test_demo_export_writes_through_the_csv_writer(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--export", str(tmp_path / "mau")]) == 0
    capsys.readouterr()
    for name in ("org.csv", "facts.csv"):
        assert not [cell for cell in _cells(tmp_path / "mau" / name) if formula_like(cell)]
    assert load_org(tmp_path / "mau" / "org.csv").rows() == load_org(
        Path(__file__).parent.parent / "src/doanorg/data/example/org.csv").rows()


def test_the_template_writes_formula_like_cells_as_quoted_text(files: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    write_template(load_org(files / "org.csv"), load_plan(files / "plan.toml"), out)
    workbook = openpyxl.load_workbook(out)
    sheet = workbook.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    hostile = [cell for cell in cells if formula_like(cell.value)]
    assert {cell.value for cell in hostile} == {"=cs", HOSTILE, "@b", "+Chi đoàn"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    assert not [cell for cell in cells if cell.data_type == "f"]
