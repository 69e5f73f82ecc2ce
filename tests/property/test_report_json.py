"""Laws of the report's JSON: it survives json.dumps, json.loads and Report.from_dict, and
the text --format json writes is that same object."""

from __future__ import annotations

import json
import pickle

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Report, load_org, rollup
from doanorg.core._json import json_column, json_records, json_text, json_texts
from doanorg.core._texts import ArrowTexts
from doanorg.testing.strategies import Case, cases, schemas


@given(cases(schemas(), min_targets=3, max_targets=10))
def test_a_report_survives_json_and_back(case: Case) -> None:
    """At every unit: json.loads(json.dumps(report.to_dict())) == report.to_dict(), and
    Report.from_dict of it gives a report whose to_dict() is that same object (and
    which equals the report itself)."""
    assessment = rollup(case.org, case.facts, case.plan)
    for unit in case.org:
        report = assessment.report(unit.id)
        data = report.to_dict()
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
        assert json.loads(text) == data
        again = Report.from_dict(json.loads(text))
        assert again.to_dict() == data
        assert again == report


@given(cases(schemas(), min_targets=3, max_targets=10))
def test_the_json_text_is_the_report_object(case: Case) -> None:
    """At every unit, the text --format json writes (Report.to_json, made from the failing
    units' columns) reads back as report.to_dict()."""
    assessment = rollup(case.org, case.facts, case.plan)
    for unit in case.org:
        report = assessment.report(unit.id)
        assert json.loads(report.to_json()) == report.to_dict()


_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=False, allow_infinity=False), st.text())


@given(st.lists(_SCALAR) | st.lists(st.text()) | st.lists(st.integers()))
def test_each_value_s_json_text_is_its_own(values: list[object]) -> None:
    """json_texts, which encodes a whole list at once and splits it, gives each value the
    text json.dumps gives it alone: texts holding quotes, commas, backslashes and
    '", "' included."""
    assert json_texts(values) == [json.dumps(value, ensure_ascii=False) for value in values]


@given(st.lists(st.tuples(st.text(), _SCALAR), max_size=8))
def test_records_are_written_one_a_line_and_read_back(pairs: list[tuple[str, object]]) -> None:
    """json_text writes any list of records (split at record starts, which no encoded
    text can imitate) one a line, so that it reads back as the same list."""
    records = [{"unit": unit, "value": value} for unit, value in pairs]
    text = json_text({"failing": records})
    assert json.loads(text) == {"failing": records}
    assert len(text.split("\n")) == (len(records) + 5 if records else 4)  # (and the last)


_COLUMN = (st.lists(_SCALAR) | st.lists(st.text()) | st.lists(st.integers())
           | st.lists(st.booleans() | st.none()) | st.lists(st.text() | st.none())
           | st.lists(st.integers(-2**63, 2**63 - 1)))


@given(_COLUMN)
def test_each_value_s_json_text_in_a_column_is_its_own(values: list[object]) -> None:
    """json_column, made in C where it can (whole numbers, true and false, null, texts
    without escapes, a compact column of texts) and through json_texts where not,
    gives each value the text json.dumps gives it alone."""
    expected = [json.dumps(value, ensure_ascii=False) for value in values]
    assert json_column(values).to_pylist() == expected
    if all(isinstance(value, str) for value in values):
        assert json_column(ArrowTexts.of(values)).to_pylist() == expected  # type: ignore[arg-type]


def test_records_of_a_text_pyarrow_cannot_hold_are_made_in_python() -> None:
    """A text with a lone surrogate (which pyarrow cannot hold; no file gives one) is
    written as json.dumps writes it."""
    columns: dict[str, list[object]] = {"unit": ["a", "\ud800"], "value": [1, 2]}
    assert json_records(columns, ", ") == (
        json.dumps({"unit": "a", "value": 1}) + ", "
        + json.dumps({"unit": "\ud800", "value": 2}, ensure_ascii=False))


@given(st.lists(st.tuples(st.text(), _SCALAR, st.integers() | st.none())), st.sampled_from(
    [",\n", ",\n    ", ", "]))
def test_records_made_from_columns_read_back(rows: list[tuple[str, object, object]],
                                             separator: str) -> None:
    """json_records joins one record a row, keys in the columns' order, by the separator."""
    columns: dict[str, list[object]] = {
        "unit": [row[0] for row in rows], "value": [row[1] for row in rows],
        "shortfall": [row[2] for row in rows]}
    text = json_records(columns, separator)
    records = [{"unit": unit, "value": value, "shortfall": shortfall}
               for unit, value, shortfall in rows]
    assert json.loads("[" + text + "]") == records
    assert text == separator.join(json.dumps(record, ensure_ascii=False)
                                  for record in records)


@given(cases(schemas(), min_targets=3, max_targets=10))
def test_a_tree_read_from_a_table_reports_as_the_tree_itself(case: Case) -> None:
    """A tree read from a table keeps its ids in the table's column, and a report lists
    its failing units' ids taken from it, compactly: at every unit the report's dict,
    JSON text, failing units and pickled copy are those of the tree built in memory."""
    read = load_org(case.org.to_frame(), schema=case.plan.schema)
    assert not isinstance(read.id_texts, tuple)
    mine, theirs = rollup(case.org, case.facts, case.plan), rollup(read, case.facts, case.plan)
    for unit in case.org.ids:
        expected, report = mine.report(unit), theirs.report(unit)
        assert report.to_dict() == expected.to_dict()
        assert report.to_json() == expected.to_json()
        for got, wanted in zip(report.results, expected.results, strict=True):
            assert not got.failing or isinstance(got.failing.units, ArrowTexts)  # (taken)
            assert list(got.failing) == list(wanted.failing) == list(got.failing[:])
            assert got.failing == wanted.failing
        assert pickle.loads(pickle.dumps(report)) == expected
