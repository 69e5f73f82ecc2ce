"""The report (SPEC §5): the JSON object, its round trip, and the renderings for people."""

from __future__ import annotations

import json
from fractions import Fraction
from functools import partial
from typing import Any

import pytest

from doanorg import Assessment, FailingUnit, Plan, Report, TargetResult

ENGLISH = [partial(Report.to_text, lang="en"), partial(Report.to_markdown, lang="en")]
"""The renderings for people, in English (the words these tests check)."""

EACH = TargetResult(
    id="3b",
    type="each",
    aspirational=False,
    status="not_met",
    observed=0.75,
    required=1.0,
    selected=4,
    passing=3,
    failing=(FailingUnit("u12", 1, 2, "Đoàn Thanh niên Bộ A"),),
    text="mỗi đoàn cấp huyện có ít nhất từ 03 công trình thanh niên",
    condition="≥ 3",
)
SHARE = TargetResult(
    id="11a",
    type="each",
    aspirational=True,
    status="met",
    observed=0.8,
    required=0.8,
    selected=10,
    passing=8,
    failing=(FailingUnit("c2", "tot", None, "Chi đoàn 2"), FailingUnit("c7", None, None)),
    text="Phấn đấu 80% chi đoàn hoàn thành xuất sắc nhiệm vụ",
    condition="= xuat_sac",
)
TOTAL = TargetResult(
    id="4",
    type="total",
    aspirational=False,
    status="met",
    observed=640,
    required=500,
    stretch_met=False,
    text="Trồng mới được ít nhất 500 cây xanh.",
    condition="≥ 500",
)
RANGE = TargetResult(
    id="10a",
    type="total",
    aspirational=False,
    status="not_met",
    observed=900,
    required=1000,
    required_max=1500,
    text="Giới thiệu từ 1.000 - 1.500 đoàn viên ưu tú cho Đảng",
    condition="1000–1500",
)
RATIO = TargetResult(
    id="5b",
    type="ratio",
    aspirational=True,
    status="not_applicable",
    observed=None,
    required=0.15,
    text="phấn đấu ít nhất 15% được nghiệm thu",
    condition="≥ 0.15",
)
NOTHING = TargetResult(
    id="6",
    type="each",
    aspirational=False,
    status="not_applicable",
    observed=None,
    required=1.0,
    selected=0,
    passing=0,
    text="100% đoàn cơ sở trực thuộc Khối",
    condition="≥ 1",
)
INFO = TargetResult(
    id="8",
    type="total",
    aspirational=False,
    status="informational",
    observed=72,
    required=3000,
    text="Hỗ trợ, giúp đỡ ít nhất 3.000 thanh thiếu nhi",
    condition="≥ 3000",
)
IN = TargetResult(
    id="r",
    type="each",
    aspirational=False,
    status="met",
    observed=1.0,
    required=1.0,
    selected=2,
    passing=2,
    condition="∈ {xuat_sac, tot}",
)
REPORT = Report(
    plan="doan-khoi-2020",
    at="khoi",
    results=(EACH, SHARE, TOTAL, RANGE, RATIO, NOTHING, INFO),
    not_reported=("u077", "u078"),
    plan_title="Các chỉ tiêu cơ bản năm 2020",
    at_name="Đoàn Khối các cơ quan Trung ương",
)


def test_to_dict_is_the_object_of_the_spec() -> None:
    expected = {
        "plan": "doan-khoi-2020",
        "at": "khoi",
        "compliant": False,
        "summary": {
            "targets": 7,
            "met": 2,
            "not_met": 2,
            "not_applicable": 2,
            "informational": 1,
            "required_not_met": 2,
        },
        "not_reported": ["u077", "u078"],
        "targets": [
            {
                "id": "3b",
                "type": "each",
                "aspirational": False,
                "status": "not_met",
                "observed": 0.75,
                "required": 1.0,
                "stretch_met": None,
                "units": {"selected": 4, "passing": 3},
                "failing": [{"unit": "u12", "value": 1, "shortfall": 2}],
            },
            {
                "id": "11a",
                "type": "each",
                "aspirational": True,
                "status": "met",
                "observed": 0.8,
                "required": 0.8,
                "stretch_met": None,
                "units": {"selected": 10, "passing": 8},
                "failing": [
                    {"unit": "c2", "value": "tot", "shortfall": None},
                    {"unit": "c7", "value": None, "shortfall": None},
                ],
            },
            {
                "id": "4",
                "type": "total",
                "aspirational": False,
                "status": "met",
                "observed": 640,
                "required": 500,
                "stretch_met": False,
                "units": None,
                "failing": [],
            },
            {
                "id": "10a",
                "type": "total",
                "aspirational": False,
                "status": "not_met",
                "observed": 900,
                "required": 1000,
                "required_max": 1500,
                "stretch_met": None,
                "units": None,
                "failing": [],
            },
            {
                "id": "5b",
                "type": "ratio",
                "aspirational": True,
                "status": "not_applicable",
                "observed": None,
                "required": 0.15,
                "stretch_met": None,
                "units": None,
                "failing": [],
            },
            {
                "id": "6",
                "type": "each",
                "aspirational": False,
                "status": "not_applicable",
                "observed": None,
                "required": 1.0,
                "stretch_met": None,
                "units": {"selected": 0, "passing": 0},
                "failing": [],
            },
            {
                "id": "8",
                "type": "total",
                "aspirational": False,
                "status": "informational",
                "observed": 72,
                "required": 3000,
                "stretch_met": None,
                "units": None,
                "failing": [],
            },
        ],
    }
    assert expected == REPORT.to_dict()


def test_to_dict_keys_in_the_order_of_the_spec() -> None:
    data = REPORT.to_dict()
    assert list(data) == ["plan", "at", "compliant", "summary", "not_reported", "targets"]
    assert list(data["summary"]) == [
        "targets",
        "met",
        "not_met",
        "not_applicable",
        "informational",
        "required_not_met",
    ]


def test_required_max_only_for_ranges() -> None:
    with_max = [entry["id"] for entry in REPORT.to_dict()["targets"] if "required_max" in entry]
    assert with_max == ["10a"]


def test_required_of_an_in_condition_is_a_list() -> None:
    assert TargetResult(
        id="r",
        type="each",
        aspirational=False,
        status="met",
        observed=1.0,
        required=("xuat_sac", "tot"),
        selected=1,
        passing=1,
    ).to_dict()["required"] == ["xuat_sac", "tot"]


def _types(data: Any) -> Any:
    """The shape of a JSON value: the type of each leaf."""
    if isinstance(data, dict):
        return {key: _types(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_types(value) for value in data]
    return type(data).__name__


def test_to_dict_types() -> None:
    data = REPORT.to_dict()
    assert {key: _types(data[key]) for key in ("plan", "at", "compliant")} == {
        "plan": "str",
        "at": "str",
        "compliant": "bool",
    }
    assert {"int"} == set(_types(data["summary"]).values())
    assert _types(data["not_reported"]) == ["str", "str"]
    for entry in data["targets"]:
        assert tuple(_types(entry[key]) for key in ("id", "type", "aspirational", "status")) == (
            "str",
            "str",
            "bool",
            "str",
        )
        assert _types(entry["observed"]) in ("int", "float", "NoneType")
        assert _types(entry["stretch_met"]) in ("bool", "NoneType")
        assert isinstance(entry["failing"], list)


def test_json_round_trip() -> None:
    data = REPORT.to_dict()
    assert data == json.loads(json.dumps(data))
    assert data == Report.from_dict(data).to_dict()
    assert Report.from_dict(json.loads(json.dumps(data))) == REPORT


def test_json_round_trip_of_the_example(example: Assessment, plan: Plan) -> None:
    for at in ("khoi", "h01"):
        report = example.report(at)
        data = report.to_dict()
        assert data == json.loads(json.dumps(data, ensure_ascii=False))
        assert data == Report.from_dict(data).to_dict()
        assert report == Report.from_dict(data)
        assert [target.id for target in plan.targets] == [entry["id"] for entry in data["targets"]]


def test_compliant_and_summary() -> None:
    assert (REPORT.compliant, REPORT.summary["required_not_met"]) == (False, 2)
    only_aspirational = Report(
        plan="p", at="k", results=(SHARE, RATIO, INFO, NOTHING), not_reported=()
    )
    assert True is only_aspirational.compliant
    failing_dream = Report(
        plan="p",
        at="k",
        results=(
            TargetResult(
                id="d", type="total", aspirational=True, status="not_met", observed=1, required=2
            ),
        ),
        not_reported=(),
    )
    assert (
        failing_dream.compliant,
        failing_dream.summary["required_not_met"],
        failing_dream.summary["not_met"],
    ) == (True, 0, 1)
    assert True is Report(plan="p", at="k", results=(), not_reported=()).compliant


def test_result_lookup() -> None:
    assert REPORT.result("4") == TOTAL
    with pytest.raises(KeyError):
        REPORT.result("99")


# --- text and Markdown --------------------------------------------------------------------


@pytest.mark.parametrize("render", ENGLISH)
def test_renderings_carry_each_targets_text_and_figures(render: Any) -> None:
    shown = render(REPORT)
    assert isinstance(shown, str)
    for result in REPORT.results:
        assert result.id in shown
        assert result.text is not None
        assert result.text in shown
    for figure in (
        "3/4",
        "75%",
        "8/10",
        "80%",
        "640",
        "≥ 500",
        "900",
        "1000–1500",
        "denominator is 0",
        "no unit selected",
        "72",
        "≥ 3000",
    ):
        assert figure in shown, figure
    assert "Các chỉ tiêu cơ bản năm 2020" in shown
    assert "Đoàn Khối các cơ quan Trung ương" in shown
    assert "u077" in shown
    assert "u12" in shown
    assert "Đoàn Thanh niên Bộ A" in shown


@pytest.mark.parametrize("render", ENGLISH)
def test_renderings_say_whether_it_is_compliant(render: Any) -> None:
    assert "NOT COMPLIANT" in render(REPORT)
    compliant = Report(plan="p", at="k", results=(TOTAL,), not_reported=())
    assert "NOT COMPLIANT" not in render(compliant)
    assert "COMPLIANT" in render(compliant)


def test_markdown_escapes_pipes_in_cells() -> None:
    piped = TargetResult(
        id="x",
        type="total",
        aspirational=False,
        status="met",
        observed=1,
        required=1,
        text="a | b",
        condition="≥ 1",
    )
    shown = Report(plan="p", at="k", results=(piped,), not_reported=()).to_markdown("en")
    assert "a \\| b" in shown


def test_renderings_of_the_example(example: Assessment, plan: Plan) -> None:
    report = example.report()
    for shown in (report.to_text("en"), report.to_markdown("en")):
        for target in plan.targets:
            assert target.text is not None
            assert target.text in shown


# --- figures beside their bounds: rounded toward the verdict --------------------------------


def _result(**fields: Any) -> TargetResult:
    given: dict[str, Any] = {"id": "t", "aspirational": False, **fields}
    return TargetResult(**given)


FIGURES: list[tuple[str, TargetResult, str]] = [
    ("a share just under", _result(type="each", status="not_met", observed=0.79999, required=0.8,
                                   selected=100_000, passing=79_999, condition="= true"),
     "79999/100000 units (79.99%) meet = true; need 80%"),
    ("a share on its bound", _result(type="each", status="met", observed=0.8, required=0.8,
                                     selected=10, passing=8, condition="= true"),
     "8/10 units (80%) meet = true; need 80%"),
    ("a share of many digits", _result(type="each", status="met", observed=0.123456,
                                       required=0.123456, selected=10**6, passing=123_456,
                                       condition="≥ 1"),
     "123456/1000000 units (12.3456%) meet ≥ 1; need 12.3456%"),
    ("a ratio just under", _result(type="ratio", status="not_met", observed=0.99999, required=1,
                                   condition="≥ 100%"), "ratio 99.99%; need ≥ 100%"),
    ("a ratio just over at_most", _result(type="ratio", status="not_met", observed=1.00001,
                                          required=1, condition="≤ 100%"),
     "ratio 100.1%; need ≤ 100%"),
    ("a ratio just inside a range", _result(type="ratio", status="met", observed=0.899999,
                                            required=0.8, required_max=0.9,
                                            condition="80%–90%"),
     "ratio 89.99%; need 80%–90%"),
    ("a total just under", _result(type="total", status="not_met", observed=25999.5,
                                   required=26000, condition="≥ 26,000"),
     "total 25,999; need ≥ 26,000"),
    ("a total just over at_most", _result(type="total", status="not_met", observed=100.00001,
                                          required=100, condition="≤ 100"),
     "total 100.1; need ≤ 100"),
    ("a count total", _result(type="total", status="met", observed=1_234_567, required=1000,
                              condition="≥ 1,000"), "total 1,234,567; need ≥ 1,000"),
]


@pytest.mark.parametrize(("result", "shown"), [(result, shown) for _, result, shown in FIGURES],
                         ids=[name for name, _, _ in FIGURES])
@pytest.mark.parametrize("render", ENGLISH)
def test_figures_are_rounded_toward_the_verdict(
    render: Any, result: TargetResult, shown: str
) -> None:
    """Never the bound for a figure that does not reach it: as the report was made, and
    as read back from JSON (where only the float is left)."""
    report = Report(plan="p", at="k", results=(result,), not_reported=())
    assert shown in render(report)
    read_back = Report.from_dict(report.to_dict())  # without the condition in words
    assert shown.split(" meet ")[0].split("; need")[0] in render(read_back)


def test_a_figure_closer_to_its_bound_than_a_float_tells() -> None:
    """The engine's exact fraction decides where the float cannot: 10**18 - 1 of 10**18."""
    exact = Fraction(10**18 - 1, 10**18)
    result = _result(type="ratio", status="not_met", observed=float(exact), required=1,
                     condition="≥ 100%", exact_observed=exact)
    assert float(exact) == 1.0
    assert "ratio 99.99%; need ≥ 100%" in Report(plan="p", at="k", results=(result,),
                                                 not_reported=()).to_text("en")
