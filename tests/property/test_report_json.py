"""Laws of the report's JSON: it survives json.dumps, json.loads and Report.from_dict, and
the text --format json writes is that same object."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Report, rollup
from doanorg.core._json import json_text, json_texts
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
