"""The words and number forms of score, whatif, gap, plan show and plan lint in both
languages (SPEC §9, §11), and the files of scores (``score --format html|xlsx``)."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest

import hostile
from doanorg import Facts, load_org, load_plan, rollup
from doanorg.core.lint import lint
from doanorg.core.scoring import Scores, UnitScore
from doanorg.io import example_file, load_facts, save_scores
from doanorg.whatif.compare import compare
from doanorg.whatif.gap import find_gap
from doanorg.whatif.scenario import Scenario
from test_cli import Capture, _run

SCORING = """
[scoring]
each = ["doan_cap_huyen", "doan_co_so"]
grades = [{ grade = "tot", at_least = 10 }, { grade = "kem", at_least = 0 }]
"""


def _scored_files(folder: Path) -> list[str]:
    """The hostile organisation, with a plan that scores its units by 3b and 3c."""
    options = hostile.files(folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8").replace(
        'at_least = 3\n', 'at_least = 3\npoints = 10\n', 1).replace(
        'at_least = 1\n', 'at_least = 1\npoints = 5\n', 1)
    plan.write_text(text + SCORING, encoding="utf-8")
    return options


@pytest.fixture(scope="module")
def demo_scores():  # type: ignore[no-untyped-def]
    org = load_org(example_file("org.csv"))
    plan = load_plan("doan-khoi-2020")
    return rollup(org, load_facts(example_file("facts.csv"), org=org, plan=plan),
                  plan).scores()


# --- score ------------------------------------------------------------------------------

def test_score_text_in_vietnamese_by_default_and_english_on_request(capsys: Capture) -> None:
    status, vi, _ = _run(capsys, "demo", "--score")
    assert vi.startswith("Điểm thi đua: doan-khoi-2020 tại khoi")
    assert "đơn vị được chấm: 160, thang 100 điểm" in vi
    assert "Tự xếp loại khác kết quả chấm (" in vi and "Các đơn vị, theo thứ hạng:" in vi
    en_status, en, _ = _run(capsys, "demo", "--score", "--lang", "en")
    assert en.startswith("Scores: doan-khoi-2020 at khoi")
    assert "Units, in rank order:" in en and "Đơn vị" not in en.split("\n")[2]
    assert status == en_status


def test_score_numbers_in_the_languages_form() -> None:
    """A score of 92.5 reads 92,5 in Vietnamese and 92.5 in English; a rank past a
    thousand 1.234 and 1,234; a partial point 12,50 and 12.50."""
    unit = UnitScore(unit="a", score=92.5, grade="tot", rank=1234, points={"t": 12.5},
                     exact_score=Fraction(185, 2))
    scores = Scores(plan="p", at="k", targets=("t",), grades=("tot",), thresholds=(50,),
                    total_points=2000, units=(unit,))
    vi, en = scores.to_text(), scores.to_text("en")
    assert "thang 2.000 điểm" in vi and "out of 2,000 points" in en
    assert ["1.234", "a", "92,5", "tot", "12,50"] == vi.splitlines()[-1].split()
    assert ["1,234", "a", "92.5", "tot", "12.50"] == en.splitlines()[-1].split()
    assert "| 1.234 | a | 92,5 | tot |  | 12,50 |" in scores.to_markdown()
    assert '<td class="number">92,5</td>' in scores.to_html()


def test_score_json_never_changes_with_the_language(capsys: Capture) -> None:
    outputs = {_run(capsys, "demo", "--score", "--format", "json", "--lang", lang)[1]
               for lang in ("vi", "en")}
    assert 1 == len(outputs)
    json.loads(outputs.pop())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_score_html_is_one_self_contained_page(tmp_path: Path, capsys: Capture,
                                               lang: str) -> None:
    out = tmp_path / "scores.html"
    status, stdout, err = _run(capsys, "demo", "--score", "--format", "html", "--out", str(out),
                               "--lang", lang)
    assert ("", f"wrote {out}\n") == (stdout, err)
    assert status in (0, 1)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in text
    assert "default-src 'none'" in text and "http" not in text.replace(
        'http-equiv="Content-Security-Policy"', "")
    page = hostile.page(text)
    shown = "".join(page.texts)
    assert ("Điểm thi đua" if lang == "vi" else "Scores") in shown
    rows = [attrs["data-unit"] for tag, attrs in page.tags if tag == "tr" and "data-unit" in attrs]
    assert "cs01" in rows


def test_score_html_escapes_every_text(tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "scores.html"
    options = _scored_files(tmp_path)
    status, stdout, _ = _run(capsys, "score", *options, "--format", "html", "--out", str(out))
    assert (0, "") == (status, stdout)
    text = out.read_text(encoding="utf-8")
    assert hostile.SCRIPT not in text and "<script" not in text
    page = hostile.page(text)
    assert [] == [tag for tag, _ in page.tags if tag in ("script", "b", "i")]
    shown = "".join(page.texts)
    assert "Kế hoạch <i>thử</i>" in shown  # the plan's title, as its characters
    for unit in ("h1", "h2", "c1", "c2"):
        assert unit in [attrs.get("data-unit") for _, attrs in page.tags]


excel = pytest.mark.skipif(importlib.util.find_spec("python_calamine") is None,
                           reason="the excel extra is not installed")


@excel
def test_score_xlsx_numbers_as_numbers_and_no_formula(tmp_path: Path, capsys: Capture) -> None:
    """The hostile names are texts (quote-prefixed where a spreadsheet would run them),
    never formulas; ranks, scores and points are numbers."""
    out = tmp_path / "scores.xlsx"
    options = _scored_files(tmp_path)
    status, stdout, _ = _run(capsys, "score", *options, "--format", "xlsx", "--out", str(out))
    assert (0, "") == (status, stdout)
    with zipfile.ZipFile(out) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist()
                      if name.startswith("xl/worksheets/"))
        styles = archive.read("xl/styles.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert 'quotePrefix="1"' in styles
    sheets = hostile.sheets(out)
    assert ["Điểm"] == list(sheets)
    rows = sheets["Điểm"]
    head = rows.index(["hạng", "mã đơn vị", "tên đơn vị", "điểm", "xếp loại", "bị giới hạn",
                       "3b", "3c"])
    by_unit = {row[1]: row for row in rows[head + 1:]}
    assert {"h1", "h2", "c1", "c2"} == set(by_unit)
    assert hostile.FORMULA == by_unit["h2"][2] and hostile.SCRIPT == by_unit["h1"][2]
    assert ["+SUM(1,2)", "@cmd"] == [by_unit["c1"][2], by_unit["c2"][2]]
    assert all(isinstance(row[0], float) and isinstance(row[3], float)
               for row in by_unit.values())
    assert [1.0, 2.0, 3.0, 4.0] == sorted(float(str(row[0])) for row in by_unit.values())


@excel
def test_score_xlsx_in_english_with_the_differences(demo_scores, tmp_path: Path  # type: ignore[no-untyped-def]
                                                    ) -> None:
    path = tmp_path / "scores.xlsx"
    save_scores(demo_scores, path, format="xlsx", lang="en")
    sheets = hostile.sheets(path)
    assert ["Scores", "Self-grade differs"] == list(sheets)
    assert len(demo_scores.differences) + 1 == len(sheets["Self-grade differs"])
    assert str(sheets["Scores"][0][0]).startswith("Scores: doan-khoi-2020 at khoi")


def test_score_file_formats_need_out_and_tree_is_refused(capsys: Capture) -> None:
    for argv in (("--format", "html"), ("--format", "xlsx")):
        status, out, err = _run(capsys, "demo", "--score", *argv)
        assert (2, "") == (status, out) and "--out FILE" in err
    status, out, err = _run(capsys, "demo", "--score", "--format", "tree")
    assert (2, "") == (status, out) and "scores are written as" in err


def test_score_out_never_replaces_a_file_without_force(tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "scores.md"
    out.write_text("old", encoding="utf-8")
    status, _, err = _run(capsys, "demo", "--score", "--format", "md", "--out", str(out))
    assert 2 == status and "--force" in err and "old" == out.read_text(encoding="utf-8")
    _run(capsys, "demo", "--score", "--format", "md", "--out", str(out), "--force")
    assert out.read_text(encoding="utf-8").startswith("# Điểm thi đua")


# --- whatif, gap, plan show, plan lint --------------------------------------------------

def _small() -> Scenario:
    org = load_org(example_file("org.csv"))
    return Scenario.baseline(org, Facts.from_records({"h01": {"youth_projects": 2}}),
                             load_plan("doan-khoi-2020"))


def test_whatif_in_vietnamese_by_default() -> None:
    base = _small()
    comparison = compare(base, base.set_fact("h01", "youth_projects", 3), at="h01")
    text = comparison.to_text()
    assert text.startswith("baseline → baseline tại h01 — ")
    assert "Chỉ tiêu đổi kết quả:\n  3b: KHÔNG ĐẠT → đạt\n    do h01.youth_projects: 2 → 3" in text
    english = comparison.to_text("en")
    assert "Flipped targets:\n  3b: NOT MET → met\n    because h01.youth_projects: 2 → 3" in english
    assert comparison.to_markdown().count("## Chỉ tiêu đổi kết quả") == 1


def test_whatif_changes_in_vietnamese_number_form(capsys: Capture) -> None:
    options = ["--org", str(example_file("org.csv")), "--facts", str(example_file("facts.csv")),
               "--plan", "doan-khoi-2020", "--add", "khoi.trees_planted=1000"]
    _, vi, _ = _run(capsys, "whatif", *options)
    _, en, _ = _run(capsys, "whatif", *options, "--lang", "en")
    assert "4: 28.640 → 29.640 (+3,5%)" in vi
    assert "4: 28,640 → 29,640 (+3.5%)" in en
    _, vi_json, _ = _run(capsys, "whatif", *options, "--format", "json")
    _, en_json, _ = _run(capsys, "whatif", *options, "--format", "json", "--lang", "en")
    assert vi_json == en_json


def test_gap_in_vietnamese_by_default(capsys: Capture) -> None:
    options = ["--org", str(example_file("org.csv")), "--facts", str(example_file("facts.csv")),
               "--plan", "doan-khoi-2020"]
    _, vi, _ = _run(capsys, "gap", *options)
    _, en, _ = _run(capsys, "gap", *options, "--lang", "en")
    assert vi.startswith("Nỗ lực tối thiểu để đạt mọi chỉ tiêu bắt buộc của doan-khoi-2020 tại")
    assert "Tổng nỗ lực: " in vi and "Effort in all: " in en
    assert en.startswith("Least extra effort to meet every mandatory target")
    assert 1 == len({_run(capsys, "gap", *options, "--format", "json", "--lang", lang)[1]
                     for lang in ("vi", "en")})


def test_gap_numbers_in_the_languages_form() -> None:
    org = load_org(example_file("org.csv"))
    base = Scenario.baseline(org, Facts.from_records({"khoi": {"trees_planted": 1200}}),
                             load_plan("doan-khoi-2020"))
    gap = find_gap(base)
    assert "  - trees_planted: 1.200 → 26.200 (+25.000) cho 4\n" in gap.to_text()
    assert "  - trees_planted: 1,200 → 26,200 (+25,000) for 4\n" in gap.to_text("en")
    assert "- trees_planted: 1.200 → 26.200 (+25.000) cho 4\n" in gap.to_markdown()
    assert "Tổng nỗ lực: trees_planted 25.000," in gap.to_text()


def test_plan_show_numbers_in_the_languages_form(capsys: Capture) -> None:
    _, vi, _ = _run(capsys, "plan", "show", "doan-khoi-2020")
    _, en, _ = _run(capsys, "plan", "show", "doan-khoi-2020", "--lang", "en")
    assert "≥ 26.200" in vi and "≥ 26,200" in en
    assert "(24 chỉ tiêu)" in vi.split("\n")[0] and "(24 targets)" in en.split("\n")[0]


def test_plan_lint_in_both_languages(capsys: Capture) -> None:
    status, vi, _ = _run(capsys, "plan", "lint", "doan-khoi-2020")
    assert 0 == status
    assert vi.startswith("kế hoạch 'doan-khoi-2020': không thấy vấn đề nào\n(không có tệp")
    found = lint(load_plan("doan-khoi-2020"))
    assert found.to_markdown().startswith("# Rà soát kế hoạch doan-khoi-2020\n")
    assert found.to_markdown("en").startswith("# Lint of plan doan-khoi-2020\n")
    _, vi_json, _ = _run(capsys, "plan", "lint", "doan-khoi-2020", "--format", "json")
    _, en_json, _ = _run(capsys, "plan", "lint", "doan-khoi-2020", "--format", "json",
                         "--lang", "en")
    assert vi_json == en_json
