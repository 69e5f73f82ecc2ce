"""Law of the report's JSON: it survives json.dumps, json.loads and Report.from_dict."""

from __future__ import annotations

import json

from hypothesis import given

from doanorg import Report, rollup
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
