"""Laws of scoring (SPEC §11) over random organisations, facts and rubrics."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from doanorg import Facts, UnitRow, assess, build_org, score
from doanorg.core.rules import exact_decimal, plan_from_mapping
from doanorg.io import builtin_schema

SCHEMA = builtin_schema("doan")
GRADES = ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")


@st.composite
def _cases(draw: st.DrawFn, *, require: bool = True, cap: bool = True) -> dict[str, Any]:
    """An organisation of đoàn cơ sở with chi đoàn, their facts, and a rubric over three
    at_least targets (one per unit, one a share of chapters, one a ratio)."""
    rows = [UnitRow("k", None, "khoi", "Khối")]
    records: dict[str, dict[str, Any]] = {}
    count = draw(st.integers(1, 8))
    for i in range(count):
        cs = f"cs{i}"
        rows.append(UnitRow(cs, "k", "doan_co_so", cs, {"cum": draw(st.sampled_from("xy"))}))
        records[cs] = {"projects": draw(st.integers(0, 4)), "trained": draw(st.integers(0, 3)),
                       "cadres": draw(st.integers(0, 3))}
        for j in range(draw(st.integers(0, 3))):
            rows.append(UnitRow(f"{cs}c{j}", cs, "chi_doan", f"{cs}c{j}"))
            records[f"{cs}c{j}"] = {"meetings": draw(st.integers(0, 3))}
    thresholds = sorted(draw(st.lists(st.integers(1, 99), min_size=3, max_size=3,
                                      unique=True)), reverse=True)
    grades: list[dict[str, Any]] = [{"grade": name, "at_least": low}
                                    for name, low in zip(GRADES, thresholds, strict=False)]
    grades.append({"grade": GRADES[3], "at_least": 0})
    if require and draw(st.booleans()):
        grades[0]["require"] = ["proj"]
    scoring: dict[str, Any] = {"each": ["doan_co_so"], "grades": grades, "peer_groups": "cum"}
    if cap and draw(st.booleans()):
        scoring["cap"] = {"grade": draw(st.sampled_from(GRADES[:3])),
                          "share": draw(st.sampled_from([0, 0.2, 0.5, 1]))}
    partial = draw(st.booleans())
    meet_points, train_points = (draw(st.sampled_from([30, 29.5, 33.3, 30.25]))
                                 for _ in range(2))
    plan = plan_from_mapping({
        "id": "p",
        "metrics": {name: {"type": "count"} for name in ("projects", "meetings", "trained",
                                                          "cadres")},
        "targets": [
            {"id": "proj", "each": ["doan_co_so"], "metric": "projects", "at_least": 2,
             "points": 40},
            {"id": "meet", "each": ["chi_doan"], "metric": "meetings", "at_least": 1,
             "share": 0.5, "points": meet_points, "partial": partial},
            {"id": "train", "ratio": ["trained", "cadres"], "at_least": 0.8,
             "points": train_points, "partial": partial},
        ],
        "scoring": scoring,
    }, SCHEMA)
    return {"org": build_org(rows, SCHEMA), "records": records, "plan": plan}


@given(_cases(), st.data())
def test_raising_a_units_figures_never_lowers_a_score(case: dict[str, Any],
                                                      data: st.DataObject) -> None:
    """Raising one unit's own count read by at_least targets only (projects, meetings,
    trained: numerators and per-unit minimums) never lowers any scored unit's score."""
    org, records, plan = case["org"], case["records"], case["plan"]
    before = score(org, Facts.from_records(records), plan)
    unit = data.draw(st.sampled_from(sorted(records)), label="unit")
    metric = data.draw(st.sampled_from([m for m in records[unit] if m != "cadres"]),
                       label="metric")
    raised = {key: dict(value) for key, value in records.items()}
    raised[unit][metric] += data.draw(st.integers(1, 3), label="by")
    after = score(org, Facts.from_records(raised), plan)
    for was in before.units:
        assert after.unit(was.unit).exact_score >= was.exact_score


@given(_cases())
def test_ranks_are_a_permutation_in_score_order(case: dict[str, Any]) -> None:
    """Ranks are 1..n, in order of score (highest first) then id; group ranks are 1..n_g
    within each peer group, in the same order."""
    scores = score(case["org"], Facts.from_records(case["records"]), case["plan"])
    units = scores.units
    assert [unit.rank for unit in units] == list(range(1, len(units) + 1))
    keys = [(-unit.exact_score, unit.unit) for unit in units]
    assert keys == sorted(keys)
    for group in {unit.group for unit in units}:
        ranks = [unit.group_rank for unit in units if unit.group == group]
        assert ranks == list(range(1, len(ranks) + 1))


@given(_cases())
def test_a_cap_never_grades_more_than_it_allows_nor_reorders(case: dict[str, Any]) -> None:
    """At most ⌊share × n⌋ units have the capped grade; the scores and ranks are those
    without the cap; a unit the cap moved keeps a grade below the capped one."""
    plan = case["plan"]
    facts = Facts.from_records(case["records"])
    capped = score(case["org"], facts, plan)
    rubric = plan.scoring
    assert rubric is not None
    if rubric.cap is None:
        return
    free = score(case["org"], facts, attrs.evolve(plan, scoring=attrs.evolve(rubric, cap=None)))
    assert [(u.unit, u.exact_score) for u in capped.units] == [
        (u.unit, u.exact_score) for u in free.units]
    assert capped.cap_limit is not None
    assert sum(u.grade == rubric.cap.grade for u in capped.units) <= capped.cap_limit
    names = list(rubric.grade_names())
    for unit in capped.units:
        if unit.capped:
            assert unit.grade is None or names.index(unit.grade) > names.index(rubric.cap.grade)


@given(_cases(require=False, cap=False))
def test_grades_are_monotone_in_score_without_require(case: dict[str, Any]) -> None:
    """Without require (and without a cap), a higher score never has a lower grade."""
    scores = score(case["org"], Facts.from_records(case["records"]), case["plan"])
    names = list(case["plan"].scoring.grade_names())
    order = [names.index(unit.grade) for unit in scores.units]  # rank order: scores fall
    assert order == sorted(order)


def _by_hand(case: dict[str, Any], unit: str) -> tuple[Fraction, str | None]:
    """A unit's score and grade (before any cap) read from its own report, with its
    observed figures recounted from the records, exactly."""
    plan, records = case["plan"], case["records"]
    report = assess(case["org"], Facts.from_records(records), plan, at=unit)
    chapters = [records[child] for child in records if child.startswith(f"{unit}c")]
    observed = {"meet": Fraction(sum(row["meetings"] >= 1 for row in chapters),
                                 len(chapters)) if chapters else None,
                "train": Fraction(records[unit]["trained"], records[unit]["cadres"])
                if records[unit]["cadres"] else None}
    bounds = {"meet": Fraction(1, 2), "train": Fraction(4, 5)}
    rubric = plan.scoring
    total = Fraction(0)
    for target_id, points in rubric.points.items():
        result, value = report.result(target_id), exact_decimal(points.points)
        if result.status == "met":
            total += value
        elif points.partial and result.status == "not_met":
            share = observed[target_id]
            assert share is not None  # not met: judged, so there is a figure
            total += value * share / bounds[target_id]
    for step in rubric.grades:
        if total >= exact_decimal(step.at_least) and all(
                report.result(name).status == "met" for name in step.require):
            return total, step.grade
    return total, None


@given(_cases(cap=False))
def test_scores_and_grades_are_each_units_report_read_by_hand(case: dict[str, Any]) -> None:
    """Scoring every unit at once from one roll-up gives each unit the score and grade
    its own report gives, read by hand with exact fractions (SPEC §11), and the score
    shown is that fraction as an int when whole, else its nearest float."""
    scores = score(case["org"], Facts.from_records(case["records"]), case["plan"])
    for unit in scores.units:
        total, grade = _by_hand(case, unit.unit)
        assert (unit.exact_score, unit.grade) == (total, grade)
        assert unit.score == (total.numerator if total.denominator == 1 else float(total))
        assert type(unit.score) is (int if total.denominator == 1 else float)
