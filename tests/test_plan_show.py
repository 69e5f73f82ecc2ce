"""``doanorg plan show``: a plan as a table, in Vietnamese or English."""

from __future__ import annotations

from pathlib import Path

import pytest

from doanorg.cli import main

Capture = pytest.CaptureFixture[str]

PLAN = """\
id = "p"
title = "Kế hoạch thử"

[metrics.n]
type = "count"

[metrics.m]
type = "count"

[[targets]]
id = "6"
text = "từ 1 - 2 hội thảo"
each = ["doan_cap_huyen", "doan_co_so"]
directly_under = ["khoi"]
metric = "n"
at_least = 1
stretch = 2
share = 0.8

[[targets]]
id = "4"
total = "n"
at_least = 26200
aspirational = true

[[targets]]
id = "5b"
ratio = ["m", "n"]
at_least = 0.15
"""


def _show(capsys: Capture, *argv: str) -> tuple[int, list[str], str]:
    status = main(["plan", "show", *argv])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_a_row_a_target_in_english(tmp_path: Path, capsys: Capture) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    status, lines, err = _show(capsys, str(plan), "--lang", "en")
    assert (status, err) == (0, "")
    assert lines[0] == "Plan p: Kế hoạch thử (3 targets)"
    assert lines[2].split() == ["Id", "Text", "Shape", "Bounds", "Aspirational"]
    assert lines[3].split() == [
        "6", "từ", "1", "-", "2", "hội", "thảo", "each", "doan_cap_huyen,", "doan_co_so:",
        "n", "≥", "1,", "share", "passing", "≥", "80%", "(stretch", "2)", "no"]
    assert "(directly under khoi)" in lines[4]
    assert lines[5].split() == ["4", "total", "n", "≥", "26,200", "yes"]
    assert lines[6].split() == ["5b", "ratio", "m", "/", "n", "≥", "15%", "no"]


def test_vietnamese_by_default(capsys: Capture) -> None:
    status, lines, _ = _show(capsys, "doan-khoi-2020")
    assert status == 0
    assert lines[0].startswith("Kế hoạch doan-khoi-2020: ")
    assert lines[0].endswith("(24 chỉ tiêu)")
    assert lines[2].split() == ["Mã", "Nội", "dung", "Dạng", "Mức", "Phấn", "đấu"]
    assert lines[3].startswith("1    Mỗi cơ sở đoàn")


def test_a_bad_plan_exits_2_with_every_problem(tmp_path: Path, capsys: Capture) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN.replace("at_least = 26200", "at_leest = 26200")
                    .replace('id = "5b"', 'id = "5b"\nshare = 2'), encoding="utf-8")
    status, lines, err = _show(capsys, str(plan))
    assert (status, lines) == (2, [])
    assert len(err.splitlines()) >= 2 and "Traceback" not in err
    assert "unknown key 'at_leest'" in err
    status, lines, err = _show(capsys, "no-such-plan")
    assert (status, lines) == (2, [])
    assert "no built-in plan of that name" in err
