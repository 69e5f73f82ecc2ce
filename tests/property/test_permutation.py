"""Laws of order: the order of facts rows never matters; the order of org rows only orders lists."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Facts, Org, Plan, load_facts, load_org, rollup
from doanorg.testing.strategies import cases, facts, schemas

from ._support import cell, close, facts_rows, with_records, write_csv


def _reports(org: Org, facts: Facts, plan: Plan) -> dict[str, dict[str, Any]]:
    """The report at every unit, by unit."""
    assessment = rollup(org, facts, plan)
    return {unit.id: assessment.report(unit.id).to_dict() for unit in org}


@given(st.data())
def test_the_order_of_facts_records_does_not_matter(data: st.DataObject) -> None:
    """Facts built from the same records in another order give the same report, at
    every unit."""
    case = data.draw(cases(schemas(), max_units=30), label="case")
    order = data.draw(st.permutations(sorted(case.facts.reported)), label="order")
    shuffled = with_records(case.facts, {unit: dict(case.facts.values.get(unit, {}))
                                         for unit in order})
    assert _reports(case.org, shuffled, case.plan) == _reports(case.org, case.facts, case.plan)


@given(st.data())
def test_a_facts_csv_read_in_any_row_order_gives_the_same_report(data: st.DataObject) -> None:
    """A facts CSV (long or wide form, its rows shuffled, with or without rows of
    another period to leave out) read with doanorg.load_facts gives the report the
    same facts give as records, at every unit."""
    case = data.draw(cases(schemas(), max_units=30, period="2020"), label="case")
    given = case.facts
    if not given.reported:  # a file of 2020 has a row of 2020: the root's, if no other
        given = with_records(given, {case.org.root.id: {}})
    wide = data.draw(st.booleans(), label="wide")
    decoy = data.draw(st.none() | facts(case.org, case.plan, period="2019"), label="2019")
    every = [given] if decoy is None else [given, decoy]
    header, rows = facts_rows(every, case.plan, wide=wide)
    rows = data.draw(st.permutations(rows), label="rows")
    with tempfile.TemporaryDirectory() as directory:
        path = write_csv(Path(directory) / "facts.csv", header, rows)
        loaded = load_facts(path, org=case.org, plan=case.plan,
                            period="2020" if decoy is not None else None,
                            ignore_unknown_metrics=given.ignore_unknown_metrics)
    assert loaded.period == "2020"
    assert loaded.reported == given.reported
    assert _reports(case.org, loaded, case.plan) == _reports(case.org, given, case.plan)


def _unordered(report: dict[str, Any]) -> dict[str, Any]:
    """A report with its unit lists (failing, not_reported) as sets."""
    return {
        **report,
        "not_reported": set(report["not_reported"]),
        "targets": [
            {**target, "failing": sorted(
                (failing["unit"], repr(failing["value"]), failing["shortfall"])
                for failing in target["failing"])}
            for target in report["targets"]
        ],
    }


@given(st.data())
def test_an_org_csv_read_in_any_row_order_gives_the_same_report(data: st.DataObject) -> None:
    """An org CSV with its rows (and columns) in another order, read with
    doanorg.load_org, gives the same report at every unit, up to the order of the
    failing and not_reported lists (tree order follows the input order of children)
    and float rounding of sums."""
    case = data.draw(cases(schemas(), max_units=30), label="case")
    columns = data.draw(st.permutations(["id", "parent", "kind", "name", "members"]),
                        label="columns")
    rows = [
        {"id": row.id, "parent": row.parent or "", "kind": row.kind, "name": row.name,
         "members": cell(row.attributes.get("members"))}
        for row in case.org.rows()
    ]
    rows = data.draw(st.permutations(rows), label="rows")
    with tempfile.TemporaryDirectory() as directory:
        path = write_csv(Path(directory) / "org.csv", columns,
                         [[row[column] for column in columns] for row in rows])
        org = load_org(path, schema=case.org.schema)
    assert sorted(org.rows(), key=lambda row: row.id) == sorted(
        case.org.rows(), key=lambda row: row.id)
    expected = _reports(case.org, case.facts, case.plan)
    actual = _reports(org, case.facts, case.plan)
    assert actual.keys() == expected.keys()
    for unit, report in actual.items():
        assert close(_unordered(report), _unordered(expected[unit])), unit
