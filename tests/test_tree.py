"""``--format tree`` (SPEC §9): the tree of units, each with the verdict of the plan at it."""

from __future__ import annotations

from doanorg import Assessment, Facts, Org, Plan, rollup


def test_every_unit_once_in_tree_order_with_its_verdict(example: Assessment) -> None:
    report = example.report("h14")
    rows = report.unit_statuses()
    assert [unit.id for unit in example.org.subtree("h14")] == [row.unit for row in rows]
    lines = report.to_tree("en").splitlines()
    assert len(rows) == len(lines)
    for row, line in zip(rows, lines, strict=True):
        assert f" {row.unit} " in line
        assert line.lstrip("│├└─ ").startswith("✓" if row.compliant else "✗")
        # the verdict of the plan assessed at that very unit
        report_there = example.report(row.unit)
        assert row.compliant == report_there.compliant
        assert row.not_met == tuple(result.id for result in report_there.results
                                    if result.status == "not_met" and not result.aspirational)


def test_the_tree_is_drawn_from_the_depths(example_org: Org, plan: Plan) -> None:
    org = example_org
    report = rollup(org, Facts.from_records({}), plan).report()
    lines = report.to_tree("vi").splitlines()
    depths = [org.depth(unit.id) for unit in org]
    assert lines[0].startswith("✗ khoi Đoàn Khối các cơ quan Trung ương (chưa báo cáo) — "
                               "chưa đạt: ")
    for line, depth in zip(lines[1:], depths[1:], strict=True):
        assert depth == (line.index("── ") + 3) // 4


def test_a_tree_read_back_from_json_is_empty(example: Assessment) -> None:
    from doanorg import Report

    assert "" == Report.from_dict(example.report().to_dict()).to_tree()
