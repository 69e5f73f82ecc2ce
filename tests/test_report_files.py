"""The reports people open (SPEC §9): HTML and xlsx files, --out, --lang, --format tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hostile
from doanorg import Assessment, Report
from doanorg.io import save_report
from test_cli import Capture, _run

_page = hostile.page


# --- HTML ------------------------------------------------------------------------------

def test_html_is_one_self_contained_page(example: Assessment) -> None:
    page = _page(example.report().to_html())
    tags = [tag for tag, _ in page.tags]
    assert 1 == tags.count("style") and 1 == tags.count("script")
    for tag, attributes in page.tags:  # nothing is fetched: no src, no link but data:
        assert "src" not in attributes, tag
        if tag == "link":
            assert attributes["href"] == "data:,"
    policy = next(attributes["content"] for tag, attributes in page.tags
                  if attributes.get("http-equiv") == "Content-Security-Policy")
    assert policy is not None and policy.startswith("default-src 'none'")


def test_html_has_the_summary_tree_and_every_target(example: Assessment) -> None:
    report = example.report()
    text = report.to_html()
    page = _page(text)
    ids = [attributes.get("id") for _, attributes in page.tags]
    assert ids.index("summary") < ids.index("tree") < ids.index("targets")
    units = [attributes["data-unit"] for tag, attributes in page.tags if "data-unit" in attributes]
    assert [unit.id for unit in example.org] == units
    shown = "".join(page.texts)
    assert "CHƯA ĐẠT: 5 chỉ tiêu bắt buộc không đạt" in shown
    for result in report.results:
        assert f"target-{result.id}" in ids
        assert result.text is not None and result.text in shown
    # the failing units of 3b, with their shortfalls, and the bar of target 4
    assert "h14Đoàn Thanh niên Bộ Tư pháp21" in shown.replace("\n", "")
    assert '<div class="fill ok" style="width: 100.0%"></div><div class="need" ' \
           'style="left: 91.48%"></div>' in text
    assert "tổng số 28.640; cần ≥ 26.200" in shown
    assert "@media print" in text


def test_html_in_english(example: Assessment) -> None:
    shown = "".join(_page(example.report().to_html("en")).texts)
    assert "NOT COMPLIANT: 5 mandatory target(s) not met" in shown
    assert "total 28,640; need ≥ 26,200" in shown
    assert "CHƯA ĐẠT" not in shown


def test_every_text_in_html_is_escaped(tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "report.html"
    status, stdout, _ = _run(capsys, "check", *hostile.files(tmp_path), "--format", "html",
                             "--out", str(out))
    assert (1, "") == (status, stdout)
    text = out.read_text(encoding="utf-8")
    page = _page(text)
    assert ["script"] == [tag for tag, _ in page.tags if tag == "script"]  # doanorg's own
    assert "alert" not in "".join(page.scripts)
    shown = "".join(page.texts)
    for name in hostile.NAMES.values():
        assert name in shown
    assert "<b>" not in [f"<{tag}>" for tag, _ in page.tags]
    assert "Kế hoạch <i>thử</i>" in shown
    assert hostile.SCRIPT not in text


# --- xlsx ------------------------------------------------------------------------------

calamine = pytest.importorskip("python_calamine", reason="the excel extra is not installed")


_sheets = hostile.sheets


def test_xlsx_has_a_summary_then_a_sheet_per_target(example: Assessment, tmp_path: Path) -> None:
    report = example.report()
    path = tmp_path / "report.xlsx"
    save_report(report, path, format="xlsx")
    sheets = _sheets(path)
    assert ["Tóm tắt", *(result.id for result in report.results), "Chưa báo cáo"] == list(sheets)
    summary = sheets["Tóm tắt"]
    head = summary.index(["Chỉ tiêu", "Nội dung chỉ tiêu", "Dạng chỉ tiêu", "Phấn đấu",
                          "Kết quả", "Đạt được", "Yêu cầu", "Yêu cầu tối đa", "Điều kiện",
                          "Số đơn vị thuộc diện", "Số đơn vị đạt", "Số đơn vị chưa đạt",
                          "Đạt mức cao hơn"])
    rows = {row[0]: row for row in summary[head + 1:]}
    assert ["4", report.result("4").text, "tổng số", "không", "đạt", 28640.0, 26200.0, "",
            "≥ 26.200", "", "", "", ""] == rows["4"]
    assert (0.9, 1.0, 30.0, 27.0, 3.0) == (rows["3b"][5], rows["3b"][6], *rows["3b"][9:12])
    target = sheets["3b"]
    head = target.index(["Mã đơn vị", "Tên đơn vị", "Giá trị", "Còn thiếu", "Đã báo cáo"])
    assert [["h14", "Đoàn Thanh niên Bộ Tư pháp", 2.0, 1.0, "có"],
            ["h20", "Đoàn Thanh niên Bộ Khoa học", 2.0, 1.0, "có"],
            ["h27", "Đoàn Thanh niên Bộ Hàng hải", 1.0, 2.0, "có"]] == target[head + 1:]
    assert [[unit] for unit in ["Mã đơn vị", *report.not_reported]] == sheets["Chưa báo cáo"]


def test_xlsx_in_english(example: Assessment, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    save_report(example.report("h14"), path, format="xlsx", lang="en")
    sheets = _sheets(path)
    assert "Summary" == next(iter(sheets))
    assert ["Unit", "Name", "Value", "Shortfall", "Reported"] in sheets["3b"]


def test_xlsx_writes_no_formula(tmp_path: Path, capsys: Capture) -> None:
    """Every text is written as a string cell: a name like =HYPERLINK(...) is no formula."""
    import zipfile

    out = tmp_path / "report.xlsx"
    status, _, _ = _run(capsys, "check", *hostile.files(tmp_path), "--format", "xlsx",
                        "--out", str(out))
    assert 1 == status
    with zipfile.ZipFile(out) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist()
                      if name.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    cells = {cell for rows in _sheets(out).values() for row in rows for cell in row}
    for name in ("h1", "h2", "c1", "c2"):  # each fails a target: listed, as its text
        assert hostile.NAMES[name] in cells


# --- the command line ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_file_formats_need_out(fmt: str, capsys: Capture) -> None:
    assert (2, "", f"error: --format {fmt}: writes a file; name it with --out FILE\n") == _run(
        capsys, "demo", "--format", fmt)


def test_out_never_replaces_a_file_without_force(tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    status, stdout, err = _run(capsys, "demo", "--format", "html", "--out", str(out))
    assert (2, "", f"error: --out {out}: the file exists; pass --force to replace it\n") == (
        status, stdout, err)
    assert "old" == out.read_text(encoding="utf-8")
    assert (1, "", f"wrote {out}\n") == _run(capsys, "demo", "--format", "html", "--out",
                                             str(out), "--force")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [out] == list(tmp_path.iterdir())  # no temporary file left behind


def test_out_never_writes_over_an_input(tmp_path: Path, capsys: Capture) -> None:
    argv = hostile.files(tmp_path)
    facts = argv[3]
    status, stdout, err = _run(capsys, "check", *argv, "--format", "tree", "--out", facts,
                               "--force")
    assert (2, "") == (status, stdout)
    assert "that is an input file" in err
    assert hostile.FACTS == Path(facts).read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "md", "tree", "json"])
def test_out_holds_what_would_be_printed(fmt: str, tmp_path: Path, capsys: Capture) -> None:
    _, printed, _ = _run(capsys, "demo", "--format", fmt, "--lang", "en")
    out = tmp_path / f"report.{fmt}"
    assert 1 == _run(capsys, "demo", "--format", fmt, "--lang", "en", "--out", str(out))[0]
    assert printed == out.read_text(encoding="utf-8")


def test_json_never_changes_with_the_language(capsys: Capture) -> None:
    outputs = {lang: _run(capsys, "demo", "--format", "json", "--lang", lang)[1]
               for lang in ("vi", "en")}
    assert outputs["vi"] == outputs["en"]
    assert json.loads(outputs["vi"])["targets"][0]["status"] == "met"


def test_tree_from_the_command_line(tmp_path: Path, capsys: Capture) -> None:
    status, out, _ = _run(capsys, "check", *hostile.files(tmp_path), "--format", "tree",
                          "--lang", "en", "--at", "h1")
    assert (1, f"✗ h1 {hostile.SCRIPT} — not compliant: 2 mandatory target(s) not met: 3b, 3c\n"
            "└── ✗ c1 +SUM(1,2) — not compliant: 1 mandatory target(s) not met: 3c\n") == (
        status, out)


def test_a_report_read_back_renders_without_its_tree(example: Assessment) -> None:
    read_back = Report.from_dict(example.report().to_dict())
    page = _page(read_back.to_html())
    assert "tree" not in [attributes.get("id") for _, attributes in page.tags]
