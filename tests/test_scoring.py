"""Scoring and grading (SPEC §11): the rubric read from a plan, scores, grades, caps,
ranks, self-grades, metrics filled from the grades, and ``doanorg score``."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import doanorg
from doanorg import Facts, Org, Plan, PlanError, UnitRow, build_org, rollup, score
from doanorg.cli import main
from doanorg.core.rules import plan_from_mapping
from doanorg.io import builtin_schema

SCHEMA = builtin_schema("doan")
GRADES = [{"grade": "xuat_sac", "at_least": 90, "require": ["meet"]},
          {"grade": "tot", "at_least": 70}, {"grade": "hoan_thanh", "at_least": 50},
          {"grade": "khong_hoan_thanh", "at_least": 0}]


def _plan(scoring: dict[str, Any] | None = None, **changes: Any) -> Plan:
    data: dict[str, Any] = {
        "id": "p",
        "metrics": {"projects": {"type": "count"}, "meets": {"type": "flag"},
                    "rating": {"type": "category",
                               "values": ["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]}},
        "targets": [
            {"id": "proj", "each": ["doan_co_so"], "metric": "projects", "at_least": 2,
             "points": 60},
            {"id": "meet", "each": ["chi_doan"], "metric": "meets", "equals": True,
             "points": 40, "partial": True},
        ],
        "scoring": {"each": ["doan_co_so"], "grades": GRADES, **(scoring or {})},
    }
    data.update(changes)
    return plan_from_mapping(data, SCHEMA)


def _org() -> Org:
    rows = [UnitRow("k", None, "khoi", "Khối")]
    for cs, chapters, cum in (("a", 2, "x"), ("b", 4, "x"), ("c", 2, "y"), ("d", 1, "y"),
                              ("e", 2, None)):
        attributes = {} if cum is None else {"cum": cum}
        rows.append(UnitRow(cs, "k", "doan_co_so", f"Đoàn cơ sở {cs}", attributes))
        rows += [UnitRow(f"{cs}{i}", cs, "chi_doan", f"Chi đoàn {cs}{i}")
                 for i in range(chapters)]
    return build_org(rows, SCHEMA)


def _facts() -> Facts:
    records: dict[str, dict[str, Any]] = {
        "a": {"projects": 2, "rating": "xuat_sac"}, "a0": {"meets": True}, "a1": {"meets": True},
        "b": {"projects": 3, "rating": "xuat_sac"}, "b0": {"meets": True},
        "b1": {"meets": True}, "b2": {"meets": True}, "b3": {"meets": False},
        "c": {"projects": 1, "rating": "tot"}, "c0": {"meets": True}, "c1": {"meets": True},
        "d": {"projects": 5}, "d0": {"meets": False},
        "e": {"projects": 2, "rating": "tot"}, "e0": {"meets": True}, "e1": {"meets": True},
    }
    return Facts.from_records(records)


def test_scores_grades_ranks_by_hand() -> None:
    """a: 60 + 40 = 100; b: 60 + 40 × 3/4 = 90, but 'meet' not met → tot; c: 0 + 40 = 40;
    d: 60 + 0 = 60; e: 100. Ranks by score then id: a, e, b, d, c."""
    scores = score(_org(), _facts(), _plan({"peer_groups": "cum"}))
    assert [(u.unit, u.score, u.grade, u.rank, u.group, u.group_rank) for u in scores.units] == [
        ("a", 100, "xuat_sac", 1, "x", 1), ("e", 100, "xuat_sac", 2, None, None),
        ("b", 90, "tot", 3, "x", 2), ("d", 60, "hoan_thanh", 4, "y", 1),
        ("c", 40, "khong_hoan_thanh", 5, "y", 2)]
    assert scores.unit("b").points == {"proj": 60, "meet": 30}
    assert scores.unit("c").points == {"proj": 0, "meet": 40}


def test_the_cap_moves_the_units_past_it_to_the_next_grade() -> None:
    """⌊0.2 × 5⌋ = 1 unit keeps xuat_sac: a (rank 1); e, tied on score, loses it by id."""
    scores = score(_org(), _facts(), _plan({"cap": {"grade": "xuat_sac", "share": 0.2}}))
    assert [(u.unit, u.grade, u.capped) for u in scores.units[:2]] == [
        ("a", "xuat_sac", False), ("e", "tot", True)]
    assert scores.cap_limit == 1 and scores.summary["xuat_sac"] == 1


def test_self_grades_beside_the_computed_ones_differences_first() -> None:
    """b said xuat_sac but is tot; e said tot but is xuat_sac; d gave none."""
    scores = score(_org(), _facts(), _plan({"self_grade": "rating"}))
    assert [u.unit for u in scores.differences] == ["e", "b", "c"]
    assert scores.unit("d").differs is None and scores.unit("a").differs is False
    data = scores.to_dict()
    assert list(data)[-2:] == ["differences", "units"]
    assert data["differences"] == ["e", "b", "c"]
    assert [u["unit"] for u in data["units"]] == ["a", "e", "b", "d", "c"]
    text = scores.to_text("en")
    assert text.index("Self-grade differs (3)") < text.index("Units, in rank order")


def test_scores_at_a_subtree_grade_and_rank_its_scored_units_only() -> None:
    scores = score(_org(), _facts(), _plan(), at="b")
    assert [(u.unit, u.rank) for u in scores.units] == [("b", 1)]
    assert scores.at == "b"


def test_json_keys_and_rows() -> None:
    scores = score(_org(), _facts(), _plan({"peer_groups": "cum"}))
    entry = json.loads(scores.to_json())["units"][0]
    assert {"unit", "score", "grade", "rank", "group_rank", "points"} <= set(entry)
    assert scores.rows()[0]["proj"] == 60 and list(scores.rows()[0]) == list(scores.columns())


def test_rubric_problems_are_reported_all_at_once() -> None:
    data = _plan().to_mapping()
    data["scoring"] = {
        "each": ["doan_co_so"], "peer_group": "cum",
        "grades": [{"grade": "tot", "at_least": 50, "require": ["nope"]},
                   {"grade": "xuat_sac", "at_least": 90}],
        "cap": {"grade": "xuat_sac", "share": 0.2},
    }
    data["targets"].append({"id": "district", "each": ["doan_cap_huyen"],
                            "metric": "projects", "at_least": 1, "points": 5})
    with pytest.raises(PlanError) as raised:
        plan_from_mapping(data, SCHEMA)
    messages = "\n".join(problem.message for problem in raised.value.problems)
    assert "unknown key 'peer_group' (did you mean 'peer_groups'?)" in messages
    assert "require names no target: 'nope'" in messages
    assert "grades go highest first" in messages
    assert "'xuat_sac' is the lowest grade" in messages
    assert "target 'district': it has points, but no scored unit" in messages
    assert len(raised.value.problems) >= 4


def test_points_no_scored_unit_can_earn_and_unreachable_grades_are_errors() -> None:
    data = _plan().to_mapping()
    data["targets"].append({"id": "district", "each": ["doan_cap_huyen"],
                            "metric": "projects", "at_least": 1, "points": 5})
    data["targets"].append({"id": "whole", "total": "projects", "at_least": 1, "points": 5})
    data["scoring"]["grades"][0]["at_least"] = 120
    with pytest.raises(PlanError) as raised:
        plan_from_mapping(data, SCHEMA)
    messages = "\n".join(problem.message for problem in raised.value.problems)
    assert "target 'district': it has points, but no scored unit (doan_co_so) can meet it" \
        in messages
    assert "target 'whole': it has points" in messages and "root only" in messages
    assert "grade 'xuat_sac' needs 120 points, more than a scored unit can earn (100)" \
        in messages


def test_points_without_scoring_and_bad_values() -> None:
    data = _plan().to_mapping()
    del data["scoring"]
    data["targets"][1]["partial"] = "yes"
    with pytest.raises(PlanError, match="needs a \\[scoring\\] table"):
        plan_from_mapping(data, SCHEMA)
    data = _plan().to_mapping()
    data["targets"][0]["points"] = -1
    data["metrics"]["projects"]["from_scoring"] = True
    with pytest.raises(PlanError) as raised:
        plan_from_mapping(data, SCHEMA)
    messages = "\n".join(problem.message for problem in raised.value.problems)
    assert "points must be a positive number (got -1)" in messages
    assert "from_scoring is for a category metric" in messages


def test_a_plan_with_a_rubric_round_trips() -> None:
    plan = _plan({"cap": {"grade": "xuat_sac", "share": 0.2}, "peer_groups": "cum",
                  "self_grade": "rating"})
    assert plan_from_mapping(plan.to_mapping(), SCHEMA) == plan
    builtin = doanorg.load_plan("doan-khoi-2020")
    assert plan_from_mapping(builtin.to_mapping(), builtin.schema) == builtin


def test_verdicts_at_many_units_are_those_of_each_report(example_org: Org,
                                                         example_facts: Facts,
                                                         plan: Plan) -> None:
    """The vectorised verdicts agree with the report's status at every unit."""
    assessment = rollup(example_org, example_facts, plan)
    positions = np.arange(0, len(example_org), 7, dtype=np.int64)
    for target in plan.targets:
        met = assessment.verdicts_at(target, positions).met.tolist()
        expected = [assessment.statuses(example_org.ids[p])[target.id] == "met"
                    for p in positions.tolist()]
        assert met == expected, target.id


def test_a_metric_filled_from_scoring_feeds_target_11(example_org: Org,
                                                      example_facts: Facts,
                                                      plan: Plan) -> None:
    """Target 11a of the 2020 plan assessed on computed grades: the đoàn cơ sở's ratings
    are their computed grades (the chi đoàn keep theirs), with a warning that the facts'
    ratings of scored units were replaced."""
    data = plan.to_mapping()
    data["metrics"]["rating"]["from_scoring"] = True
    del data["scoring"]["self_grade"]
    filled = plan_from_mapping(data, plan.schema)
    assessment = rollup(example_org, example_facts, filled)
    grades = {u.unit: u.grade for u in assessment.scores().units}
    for unit, grade in list(grades.items())[:20]:
        assert assessment.value("rating", unit) == grade
    assert assessment.value("rating", "h01-cs01-c05") == "hoan_thanh"  # a chi đoàn's own
    result = assessment.report().result("11a")
    baseline = rollup(example_org, example_facts, plan).report().result("11a")
    assert result.passing != baseline.passing
    assert any("replaced by the computed grades" in w.message for w in assessment.warnings)


def test_a_target_reading_a_filled_metric_cannot_score() -> None:
    data = _plan().to_mapping()
    data["metrics"]["rating"]["from_scoring"] = True
    data["targets"].append({"id": "r", "each": ["doan_co_so"], "metric": "rating",
                            "equals": "xuat_sac", "points": 5})
    with pytest.raises(PlanError, match="filled from the computed grades"):
        plan_from_mapping(data, SCHEMA)


def test_cli_score_and_demo_score(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--score", "--format", "json"])
    out = capsys.readouterr().out
    data = json.loads(out)
    assert status == (1 if data["differences"] else 0)
    assert sorted(u["rank"] for u in data["units"]) == list(range(1, len(data["units"]) + 1))
    assert data["summary"]["xuat_sac"] <= data["cap"]["limit"]


def test_cli_score_without_a_rubric_is_bad_input(tmp_path: Any,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text('id = "p"\n[metrics.x]\ntype = "count"\n[[targets]]\nid = "t"\n'
                    'total = "x"\nat_least = 1\n', encoding="utf-8")
    (tmp_path / "org.csv").write_text("id,parent,kind,name\nk,,khoi,K\n", encoding="utf-8")
    (tmp_path / "facts.csv").write_text("unit,x\nk,1\n", encoding="utf-8")
    status = main(["score", "--org", str(tmp_path / "org.csv"), "--facts",
                   str(tmp_path / "facts.csv"), "--plan", str(plan)])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert "has no [scoring] table" in captured.err


def test_scored_units_are_held_in_bulk_and_read_as_unit_scores() -> None:
    """The units are read one, a slice or all at once alike; a unit not scored is a
    KeyError; scores pickled come back equal, names included."""
    import pickle

    scores = score(_org(), _facts(), _plan({"self_grade": "rating"}))
    every = list(scores.units)
    assert scores.units[1:3] == tuple(every[1:3]) and scores.units[-1] == every[-1]
    assert [unit.rank for unit in every] == [1, 2, 3, 4, 5]
    assert scores.unit("c") == next(unit for unit in every if unit.unit == "c")
    with pytest.raises(KeyError):
        scores.unit("a0")
    again = pickle.loads(pickle.dumps(scores))
    assert again == scores and again.to_dict() == scores.to_dict()
    assert [unit.name for unit in again.units] == [unit.name for unit in every]
    assert scores.units == tuple(every) and scores.units != every[:-1]
