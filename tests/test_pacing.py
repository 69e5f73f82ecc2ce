"""The year in progress (SPEC §10 ``period``, ``pace``, ``--as-of``): the elapsed fraction,
each target's pace, its figures recomputed independently, the formats and the errors."""

from __future__ import annotations

import csv
import json
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from doanorg import Facts, PlanError, Report, load_org, load_plan, load_schema, rollup
from doanorg.core.pacing import Period
from doanorg.core.rules import plan_from_mapping
from doanorg.io import builtin_plan_file, example_file
from test_cli import Capture, _run

DOAN = load_schema("doan")
YEAR = Period(date(2020, 1, 1), date(2020, 12, 31))


# --- the elapsed fraction --------------------------------------------------------------------


def test_the_elapsed_fraction_counts_days_both_ends_included() -> None:
    assert YEAR.days == 366
    assert YEAR.elapsed(date(2020, 1, 1)) == Fraction(1, 366)
    assert YEAR.elapsed(date(2020, 6, 30)) == Fraction(182, 366)
    assert YEAR.elapsed(date(2020, 12, 31)) == 1


def test_a_monthly_pace_is_linear_within_each_month() -> None:
    pace = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0)
    assert YEAR.elapsed(date(2020, 1, 31), pace) == Fraction(1, 20)
    assert YEAR.elapsed(date(2020, 3, 15), pace) == Fraction(1, 10) + Fraction(1, 10) * Fraction(
        15, 31)
    assert YEAR.elapsed(date(2020, 6, 30), pace) == Fraction(1, 2)
    assert YEAR.elapsed(date(2020, 12, 31), pace) == 1


def test_months_of_a_period_that_does_not_start_on_the_first() -> None:
    school = Period(date(2020, 9, 5), date(2021, 6, 4))
    months = school.months()
    assert len(months) == 9
    assert months[0] == (date(2020, 9, 5), date(2020, 10, 5))
    assert months[-1] == (date(2021, 5, 5), date(2021, 6, 5))


# --- plan keys --------------------------------------------------------------------------------


def _plan_mapping(**extra: Any) -> dict[str, Any]:
    target = {"id": "4", "total": "trees", "at_least": 1000, **extra.pop("target", {})}
    return {"id": "p", "metrics": {"trees": {"type": "count"}}, "targets": [target], **extra}


def test_the_period_and_pace_are_read_and_written_back() -> None:
    mapping = _plan_mapping(period={"start": date(2020, 1, 1), "end": date(2020, 12, 31)},
                            target={"pace": [0.1] * 11 + [1.0]})
    plan = plan_from_mapping(mapping, DOAN)
    assert plan.period == YEAR and plan.target("4").pace == (0.1,) * 11 + (1.0,)
    assert plan_from_mapping(plan.to_mapping(), DOAN) == plan
    assert load_plan("doan-khoi-2020").period == YEAR


@pytest.mark.parametrize(("extra", "message"), [
    ({"period": {"start": date(2020, 12, 31), "end": date(2020, 1, 1)}}, "is after end"),
    ({"period": {"start": "2020-01-01", "end": date(2020, 12, 31)}}, "are dates"),
    ({"period": {"start": date(2020, 1, 1)}}, "a table of two dates"),
    ({"target": {"pace": [1.0]}}, "pace needs the plan's period"),
    ({"period": {"start": date(2020, 1, 1), "end": date(2020, 12, 31)},
      "target": {"pace": [0.5, 1.0]}}, "has 12 months"),
    ({"period": {"start": date(2020, 1, 1), "end": date(2020, 12, 31)},
      "target": {"pace": [0.5] * 6 + [0.4] * 5 + [1.0]}}, "none is below the one before"),
    ({"period": {"start": date(2020, 1, 1), "end": date(2020, 12, 31)},
      "target": {"pace": [0.5] * 12}}, "the last month's fraction is 1"),
    ({"period": {"start": date(2020, 1, 1), "end": date(2020, 12, 31)},
      "target": {"pace": [0] + [1.0] * 11}}, "above 0"),
])
def test_a_bad_period_or_pace_is_a_plan_error(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(PlanError, match=message):
        plan_from_mapping(_plan_mapping(**extra), DOAN)


# --- the June review of the built-in example, recomputed independently ------------------------

AS_OF = date(2020, 6, 30)


def _column_sums(path: Path) -> dict[str, int]:
    """Each metric's sum over the file, read with the csv module alone."""
    sums: dict[str, int] = {}
    with path.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            for metric, cell in row.items():
                if metric not in ("unit", "period") and cell.isdigit():
                    sums[metric] = sums.get(metric, 0) + int(cell)
    return sums


def test_the_pace_of_the_june_review_recomputed(capsys: Capture) -> None:
    """Every total's and ratio's pace at the root of the example's mid-year facts, as of
    2020-06-30, against figures summed from the file by the csv module and the date
    arithmetic done here: 182 of 366 days; expected = bound × 182/366; projected =
    total × 366/182 (a ratio keeps its own); each target: the share × 182/366."""
    status, out, _ = _run(capsys, "check", "--org", str(example_file("org.csv")),
                          "--facts", str(example_file("facts-mid-year.csv")),
                          "--plan", "doan-khoi-2020", "--as-of", "2020-06-30",
                          "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert report["as_of"] == "2020-06-30"
    sums = _column_sums(example_file("facts-mid-year.csv"))
    elapsed = (AS_OF - date(2020, 1, 1)).days + 1
    assert elapsed == 182
    plan = load_plan("doan-khoi-2020")
    seen = set()
    for entry in report["targets"]:
        target = plan.target(entry["id"])
        pace = entry["pace"]
        assert list(pace) == ["as_of", "expected", "status", "projected", "projected_status"]
        assert pace["as_of"] == "2020-06-30"
        condition = target.condition
        if target.type == "each":
            share = Fraction(str(getattr(target, "share", 1.0)))
            observed = Fraction(entry["units"]["passing"], entry["units"]["selected"])
            expected, lower, upper = share * 182 / 366, share, None
            projected = min(Fraction(1), observed * 366 / 182)
        elif target.type == "total":
            observed = Fraction(sums.get(target.metric, 0))
            assert entry["observed"] == observed
            lower = Fraction(str(condition.at_least))
            upper = None if condition.at_most is None else Fraction(str(condition.at_most))
            expected, projected = lower * 182 / 366, observed * 366 / 182
        else:
            observed = Fraction(sums.get(target.numerator, 0),
                                sums[target.denominator])
            lower, upper = Fraction(str(condition.at_least)), None
            expected, projected = lower * 182 / 366, observed
        assert pace["expected"] == pytest.approx(float(expected), rel=1e-12), entry["id"]
        assert pace["projected"] == pytest.approx(float(projected), rel=1e-12), entry["id"]
        assert pace["status"] == ("on_track" if observed >= expected else "at_risk")
        within = projected >= lower and (upper is None or projected <= upper)
        assert pace["projected_status"] == ("met" if within else "not_met"), entry["id"]
        seen.add(target.type)
    assert seen == {"each", "total", "ratio"}
    trees = next(entry for entry in report["targets"] if entry["id"] == "4")
    assert (trees["pace"]["status"], trees["pace"]["projected_status"]) == ("at_risk",
                                                                            "not_met")
    children = next(entry for entry in report["targets"] if entry["id"] == "8")
    assert (children["pace"]["status"], children["pace"]["projected_status"]) == (
        "on_track", "met")


def test_a_target_with_its_own_pace_is_paced_by_month() -> None:
    mapping = load_plan("doan-khoi-2020").to_mapping()
    pace = [0.02, 0.05, 0.3, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0]
    mapping["targets"] = [dict(entry, pace=pace) if entry["id"] == "4" else entry
                          for entry in mapping["targets"]]
    plan = plan_from_mapping(mapping, DOAN)
    org = load_org(example_file("org.csv"))
    facts = Facts.from_records({"khoi": {"trees_planted": 15000}})
    result = rollup(org, facts, plan).report(as_of=date(2020, 3, 16)).result("4")
    assert result.pace is not None
    fraction = Fraction(5, 100) + (Fraction(30, 100) - Fraction(5, 100)) * Fraction(16, 31)
    assert result.pace.expected == float(26200 * fraction)
    assert result.pace.projected == float(15000 / fraction)
    assert (result.pace.status, result.pace.projected_status) == ("on_track", "met")


def test_no_pace_where_nothing_is_judged_or_observed() -> None:
    org = load_org(example_file("org.csv"))
    plan = load_plan("doan-khoi-2020")
    report = rollup(org, Facts.from_records({}), plan).report("h01", as_of=AS_OF)
    assert report.result("4").status == "informational" and report.result("4").pace is None
    assert report.result("12").status == "not_applicable" and report.result("12").pace is None
    entry = report.to_dict()["targets"][0]
    assert "pace" in entry
    assert all("pace" in entry for entry in report.to_dict()["targets"])
    assert Report.from_dict(report.to_dict()) == report
    assert "pace" not in rollup(org, Facts.from_records({}), plan).report().to_dict()[
        "targets"][0]


def test_an_upper_bound_alone_is_on_track_while_below_its_pro_rata_share() -> None:
    plan = plan_from_mapping({"id": "p", "metrics": {"trees": {"type": "count"}},
                              "period": {"start": date(2020, 1, 1), "end": date(2020, 12, 31)},
                              "targets": [{"id": "4", "total": "trees", "at_most": 366}]}, DOAN)
    org = load_org(example_file("org.csv"))
    low = rollup(org, Facts.from_records({"khoi": {"trees": 182}}), plan)
    high = rollup(org, Facts.from_records({"khoi": {"trees": 183}}), plan)
    first = low.report(as_of=AS_OF).result("4").pace
    second = high.report(as_of=AS_OF).result("4").pace
    assert first is not None and second is not None
    assert (first.expected, first.status, first.projected_status) == (182, "on_track", "met")
    assert (second.status, second.projected_status) == ("at_risk", "not_met")


# --- the formats and the command line ---------------------------------------------------------


def _june(*extra: str) -> list[str]:
    return ["--org", str(example_file("org.csv")), "--facts",
            str(example_file("facts-mid-year.csv")), "--plan", "doan-khoi-2020", *extra]


def test_text_and_markdown_show_the_pace(capsys: Capture) -> None:
    status, out, _ = _run(capsys, "check", *_june("--as-of", "2020-06-30", "--lang", "en"))
    assert status == 1
    assert "As of 2020-06-30: 49.73% of the period 2020-01-01 – 2020-12-31 elapsed" in out
    assert ("      pace: expected 13,028 by 2020-06-30 · AT RISK · projected 23,066 (NOT MET)"
            in out)
    status, out, _ = _run(capsys, "check", *_june("--as-of", "2020-06-30", "--format", "md",
                                                  "--lang", "en"))
    assert "| | Target | Status | Figures | Pace | Chỉ tiêu |" in out
    assert "| pace: expected 1,492 by 2020-06-30 · on track · projected 4,052 (met) |" in out
    status, out, _ = _run(capsys, "check", *_june("--lang", "en"))
    assert "pace" not in out.lower().replace("space", "")
    status, out, _ = _run(capsys, "check", *_june("--as-of", "2020-06-30"))  # vi, the default
    assert "Tính đến 2020-06-30: đã qua 49,73% của kỳ 2020-01-01 – 2020-12-31" in out
    assert ("tiến độ: cần 13.028 đến 2020-06-30 · CHẬM TIẾN ĐỘ · dự kiến 23.066 (KHÔNG ĐẠT)"
            in out)


def test_whatif_as_of_paces_both_sides(capsys: Capture) -> None:
    status, out, _ = _run(capsys, "whatif", *_june("--as-of", "2020-06-30", "--set",
                                                   "khoi.trees_planted=3000",
                                                   "--format", "json"))
    assert status == 1
    comparison = json.loads(out)
    before = next(t for t in comparison["base"]["targets"] if t["id"] == "4")["pace"]
    after = next(t for t in comparison["scenario"]["targets"] if t["id"] == "4")["pace"]
    assert (before["status"], after["status"]) == ("at_risk", "on_track")


@pytest.mark.parametrize(("as_of", "message"), [
    ("2021-01-01", "outside the period of plan 'doan-khoi-2020' (2020-01-01 – 2020-12-31)"),
    ("2019-12-31", "outside the period"),
    ("2020-02-30", "'2020-02-30' is not a date (YYYY-MM-DD)"),
    ("June", "is not a date"),
])
def test_a_date_outside_the_period_or_no_date_exits_2(as_of: str, message: str,
                                                     capsys: Capture) -> None:
    status, out, err = _run(capsys, "check", *_june("--as-of", as_of))
    assert (status, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_a_plan_with_no_period_exits_2(tmp_path: Path, capsys: Capture) -> None:
    plan = tmp_path / "plan.toml"
    text = builtin_plan_file("doan-khoi-2020").read_text("utf-8")
    plan.write_text(text.replace("period = {", "# period = {"), "utf-8")
    status, out, err = _run(capsys, "check", "--org", str(example_file("org.csv")),
                            "--facts", str(example_file("facts.csv")), "--plan", str(plan),
                            "--as-of", "2020-06-30")
    assert (status, out) == (2, "")
    assert "has no period to pace its targets by" in err and "Traceback" not in err


def test_html_and_xlsx_show_the_pace(tmp_path: Path, capsys: Capture) -> None:
    """The page and the workbook carry the date line and each target's pace, in the
    report's language."""
    page, book = tmp_path / "june.html", tmp_path / "june.xlsx"
    for out in (page, book):
        status, _, _ = _run(capsys, "check", *_june("--as-of", "2020-06-30", "--lang", "en",
                                                    "--format", out.suffix[1:], "--out",
                                                    str(out)))
        assert status == 1
    text = page.read_text("utf-8")
    assert "As of 2020-06-30: 49.73% of the period 2020-01-01 – 2020-12-31 elapsed" in text
    assert ('<p class="pace">pace: expected 13,028 by 2020-06-30 · AT RISK · projected 23,066'
            " (NOT MET)</p>") in text
    calamine = pytest.importorskip("python_calamine", reason="the excel extra is not installed")
    workbook = calamine.CalamineWorkbook.from_path(str(book))
    cells = {str(cell) for name in workbook.sheet_names
             for row in workbook.get_sheet_by_name(name).to_python() for cell in row}
    assert "As of 2020-06-30: 49.73% of the period 2020-01-01 – 2020-12-31 elapsed" in cells
    assert "pace: expected 13,028 by 2020-06-30 · AT RISK · projected 23,066 (NOT MET)" in cells
