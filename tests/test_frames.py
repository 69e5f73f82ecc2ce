"""Data frames (issue 11): reports and trees out as pyarrow, pandas or polars frames, and
organisations and facts in from them, through the same checks as files."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from doanorg import FactsError, Org, OrgError, Plan, assess, load_facts, load_org, load_plan
from doanorg.io import example_file


@pytest.fixture(scope="module")
def example() -> tuple[Org, Plan]:
    return load_org(example_file("org.csv")), load_plan("doan-khoi-2020")


def test_each_frame_comes_in_the_kind_asked_for(example: tuple[Org, Plan]) -> None:
    org, plan = example
    report = assess(org, load_facts(example_file("facts.csv"), org=org, plan=plan), plan)
    for backend, kind in (("pyarrow", pa.Table), ("pandas", pd.DataFrame),
                          ("polars", pl.DataFrame)):
        assert isinstance(report.to_frame(backend), kind)
        assert isinstance(report.failing_frame(backend), kind)
        assert isinstance(org.to_frame(backend), kind)
    assert isinstance(report.to_frame(), pa.Table)
    with pytest.raises(ValueError, match="backend must be one of"):
        report.to_frame("excel")


def test_the_targets_frame_holds_the_json_report(example: tuple[Org, Plan]) -> None:
    org, plan = example
    report = assess(org, load_facts(example_file("facts.csv"), org=org, plan=plan), plan,
                    at="h01")
    frame = report.to_frame("pandas")
    data = report.to_dict()
    assert list(frame["id"]) == [target["id"] for target in data["targets"]]
    assert list(frame["status"]) == [target["status"] for target in data["targets"]]
    for observed, target in zip(frame["observed"], data["targets"], strict=True):
        assert (math.isnan(observed) if target["observed"] is None
                else observed == target["observed"])
    assert list(frame["failing"]) == [len(target["failing"]) for target in data["targets"]]
    assert list(frame["text"]) == [target.text for target in plan.targets]


def test_the_failing_frame_lists_every_failing_unit(example: tuple[Org, Plan]) -> None:
    org, plan = example
    report = assess(org, load_facts(example_file("facts.csv"), org=org, plan=plan), plan)
    rows = report.failing_frame().to_pylist()
    expected = [(target["id"], failing["unit"], failing["shortfall"])
                for target in report.to_dict()["targets"] for failing in target["failing"]]
    assert [(row["target"], row["unit"], row["shortfall"]) for row in rows] == expected
    assert all(row["name"] == org[row["unit"]].name for row in rows)
    values = [failing["value"] for target in report.to_dict()["targets"]
              for failing in target["failing"]]
    assert [row["value"] is None for row in rows] == [value is None for value in values]
    assert {type(row["value"]) for row in rows} == {str, type(None)}  # (one type: text)


@pytest.mark.parametrize("backend", ["pyarrow", "pandas", "polars"])
def test_an_org_frame_loads_back(example: tuple[Org, Plan], backend: str) -> None:
    org, _ = example
    frame = org.to_frame(backend)
    again = load_org(frame)
    assert again.rows() == org.rows()
    assert again.schema == org.schema


@pytest.mark.parametrize("backend", ["pyarrow", "pandas", "polars"])
def test_facts_from_a_frame_give_the_report_of_the_file(example: tuple[Org, Plan],
                                                        backend: str) -> None:
    org, plan = example
    table = pd.read_csv(example_file("facts.csv"), dtype={"period": str})
    frame = {"pandas": table, "pyarrow": pa.Table.from_pandas(table),
             "polars": pl.from_pandas(table)}[backend]
    from_frame = assess(org, load_facts(frame, org=org, plan=plan), plan)
    from_file = assess(org, load_facts(example_file("facts.csv"), org=org, plan=plan), plan)
    assert from_frame.to_dict() == from_file.to_dict()


def test_a_float_column_of_counts_with_gaps_reads_as_counts(example: tuple[Org, Plan]) -> None:
    org, plan = example
    frame = pd.DataFrame({"unit": ["h01", "h02"], "youth_projects": [3.0, float("nan")],
                          "trees_planted": [1.0, 2.0]})
    facts = load_facts(frame, org=org, plan=plan)
    assert dict(facts.values["h01"]) == {"youth_projects": 3, "trees_planted": 1}
    assert dict(facts.values["h02"]) == {"trees_planted": 2}
    with pytest.raises(FactsError, match=r"row 1: unit 'h02': 'trees_planted' is a count: "
                       r"'2\.5' is not a whole number"):
        load_facts(pd.DataFrame({"unit": ["h01", "h02"], "trees_planted": [1.0, 2.5]}),
                   org=org, plan=plan)


def test_problems_name_the_row_of_the_frame(example: tuple[Org, Plan]) -> None:
    org, plan = example
    frame = pl.DataFrame({"unit": ["h01", "nowhere", "h02"], "youth_projects": ["1", "2", "x"]})
    with pytest.raises(FactsError) as raised:
        load_facts(frame, org=org, plan=plan)
    assert [str(problem).split(":")[0] for problem in raised.value.problems] == [
        "facts frame row 1", "facts frame row 2"]
    bad = pd.DataFrame({"id": ["k", "a"], "parent": [None, "zz"], "kind": ["khoi", "chi_doan"],
                        "name": ["K", "A"]})
    with pytest.raises(OrgError, match="organisation frame row 1: unit 'a': parent 'zz'"):
        load_org(bad)
    with pytest.raises(OrgError, match="organisation frame: missing column"):
        load_org(pa.table({"id": ["k"]}))


def test_what_is_no_frame_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OrgError, match="not a data frame"):
        load_org(42)
