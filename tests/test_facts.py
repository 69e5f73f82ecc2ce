"""Facts (SPEC §2): metric types, long and wide CSV, periods, and one test per bad input."""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

import doanorg
from doanorg import Facts, FactsError, Metric, MetricType, Org, Plan, Problem, UnitRow
from doanorg.core._columns import read_cells
from doanorg.core.facts import coerce, missing_value
from doanorg.core.metrics import COUNT_TEXT
from doanorg.core.rules import plan_from_mapping
from doanorg.io import builtin_schema, example_file

COUNT = Metric("n", MetricType.COUNT)
AMOUNT = Metric("a", MetricType.AMOUNT)
FLAG = Metric("f", MetricType.FLAG)
CATEGORY = Metric("r", MetricType.CATEGORY, values=("xuat_sac", "tot"))

PLAN = """\
id = "p"

[metrics.n]
type = "count"

[metrics.a]
type = "amount"

[metrics.f]
type = "flag"

[metrics.r]
type = "category"
values = ["xuat_sac", "tot"]

[[targets]]
id = "t"
each = ["chi_doan"]
metric = "n"
at_least = 1
"""


@pytest.fixture
def org() -> Org:
    return doanorg.build_org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("cs", "k", "doan_co_so", "CS"),
            UnitRow("c1", "cs", "chi_doan", "C1"),
            UnitRow("c2", "cs", "chi_doan", "C2"),
        ],
        builtin_schema("doan"),
    )


@pytest.fixture
def small_plan(tmp_path: Path) -> Plan:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return doanorg.load_plan(path)


def _write(tmp_path: Path, text: str | bytes, name: str = "facts.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# --- coerce: the four metric types ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("3", 3), (" 26200 ", 26200), ("0", 0), ("007", 7), (7, 7), (4.0, 4), ("", 0), (None, 0),
     ("99999999999999999999", 99999999999999999999)],
)
def test_coerce_count(raw: str | int | float | None, value: int) -> None:
    coerced = coerce(COUNT, raw)
    assert value == coerced
    assert int is type(coerced)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2.5", 2.5), ("3", 3), ("0", 0), (" 1234.5 ", 1234.5), ("26.200", 26.2), (0.25, 0.25),
     ("", 0), (None, 0), ("99999999999999999999", 99999999999999999999)],
)
def test_coerce_amount(raw: str | int | float | None, value: float) -> None:
    assert value == coerce(AMOUNT, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "true",
        "True",
        "TRUE",
        "1",
        "yes",
        "Yes",
        "YES",
        "có",
        "Có",
        "CÓ",
        unicodedata.normalize("NFD", "có"),
        " có ",
        True,
        1,
    ],
)
def test_coerce_flag_true(raw: str | bool | int) -> None:
    assert True is coerce(FLAG, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "false",
        "False",
        "FALSE",
        "0",
        "no",
        "No",
        "NO",
        "không",
        "Không",
        "KHÔNG",
        unicodedata.normalize("NFD", "Không"),
        False,
        0,
        "",
        None,
    ],
)
def test_coerce_flag_false(raw: str | bool | int | None) -> None:
    assert False is coerce(FLAG, raw)


@pytest.mark.parametrize(
    ("raw", "value"), [("xuat_sac", "xuat_sac"), (" tot ", "tot"), ("", None), (None, None)]
)
def test_coerce_category(raw: str | None, value: str | None) -> None:
    assert value == coerce(CATEGORY, raw)


@pytest.mark.parametrize(
    ("metric", "raw", "why"),
    [
        (COUNT, "2.5", "whole number"),
        (COUNT, "-1", "negative"),
        (COUNT, "ba", "not a number"),
        (COUNT, "nan", "finite"),
        (COUNT, True, "not a number"),
        (AMOUNT, "-0.5", "negative"),
        (AMOUNT, "inf", "finite"),
        (AMOUNT, "-inf", "finite"),
        (AMOUNT, "NaN", "finite"),
        (AMOUNT, math.nan, "finite"),
        (AMOUNT, "1,5", "has a comma"),
        (FLAG, "2", "is a flag"),
        (FLAG, "đúng", "is a flag"),
        (FLAG, "y", "is a flag"),
        (CATEGORY, "Xuat_sac", "is a category"),
        (CATEGORY, "gioi", "is a category"),
        (CATEGORY, 1, "is a category"),
    ],
)
def test_coerce_refuses(metric: Metric, raw: str | int | float | bool, why: str) -> None:
    with pytest.raises(ValueError, match=why) as caught:
        coerce(metric, raw)
    assert f"'{metric.id}'" in str(caught.value)


_WRITTEN_WRONG = [
    # (metric, text, message after "'ID' is a count: 'TEXT' " or "... an amount: 'TEXT' ")
    (COUNT, "26.200", "is not written as digits alone; Vietnamese thousands separators are "
     "not read (write 26200)"),
    (COUNT, "1.000", "is not written as digits alone; Vietnamese thousands separators are "
     "not read (write 1000)"),
    (COUNT, "1.234.567", "is not written as digits alone; Vietnamese thousands separators are "
     "not read (write 1234567)"),
    (COUNT, "26,200", "is not written as digits alone; thousands separators are not read "
     "(write 26200)"),
    (COUNT, "26 200", "is not written as digits alone; thousands separators are not read "
     "(write 26200)"),
    (COUNT, "3.0", "is not written as digits alone (write 3)"),
    (COUNT, "3.", "is not written as digits alone (write 3)"),
    (COUNT, "+3", "is not written as digits alone (write 3)"),
    (COUNT, "-0", "is not written as digits alone (write 0)"),
    (COUNT, "1e3", "is not written as digits alone (write 1000)"),
    (COUNT, "1_000", "is not written as digits alone (write 1000)"),
    (COUNT, "\u0663", "is not written as digits alone (write 3)"),  # Arabic-Indic three
    (COUNT, "\uff13", "is not written as digits alone (write 3)"),  # fullwidth three
    (COUNT, "1,5", "is not written as digits alone"),
    (COUNT, "2.5", "is not a whole number"),
    (COUNT, "-4", "is negative"),
    (COUNT, "0x10", "is not a number"),
    (COUNT, "inf", "is not a finite number"),
    (AMOUNT, "1.234,5", "has a comma: an amount is written with a decimal point and no "
     "thousands separator (write 1234.5)"),
    (AMOUNT, "1,5", "has a comma: an amount is written with a decimal point and no thousands "
     "separator (write 1.5)"),
    (AMOUNT, "1,234.5", "has a comma: an amount is written with a decimal point and no "
     "thousands separator (write 1234.5)"),
    (AMOUNT, "1,234", "has a comma: an amount is written with a decimal point and no "
     "thousands separator (such as 1234.5)"),
    (AMOUNT, "1.234.567", "is not written as digits with an optional decimal point; "
     "Vietnamese thousands separators are not read (write 1234567)"),
    (AMOUNT, "+3", "is not written as digits with an optional decimal point (write 3)"),
    (AMOUNT, "1e3", "is not written as digits with an optional decimal point (write 1000)"),
    (AMOUNT, "1e-7", "is not written as digits with an optional decimal point "
     "(write 0.0000001)"),
    (AMOUNT, ".5", "is not written as digits with an optional decimal point (write 0.5)"),
    (AMOUNT, "1_000.5", "is not written as digits with an optional decimal point "
     "(write 1000.5)"),
    (AMOUNT, "\u0663.5", "is not written as digits with an optional decimal point "
     "(write 3.5)"),
    (AMOUNT, "0.1234567890123456789", "has too many digits to be read exactly (write at most "
     "15 significant digits)"),
    (AMOUNT, "99999999999999999999.5", "has too many digits to be read exactly (write at most "
     "15 significant digits)"),
    (AMOUNT, "1234567.89012345678", "has too many digits to be read exactly (write at most "
     "15 significant digits)"),  # (eighteen digits: once read exactly in C, as no float holds)
    (AMOUNT, "NaN", "is not a finite number"),
]


@pytest.mark.parametrize(("metric", "text", "why"), _WRITTEN_WRONG)
def test_a_number_not_written_plainly_is_refused_saying_how_to_write_it(
        metric: Metric, text: str, why: str) -> None:
    """SPEC §2: a count is digits alone, an amount digits with an optional decimal point;
    anything else is refused (never read as something else), saying what to write."""
    kind = "a count" if metric is COUNT else "an amount"
    with pytest.raises(ValueError) as caught:
        coerce(metric, text)
    assert str(caught.value) == f"'{metric.id}' is {kind}: {text!r} {why}"


@pytest.mark.parametrize("how", ["one", "distinct", "many"])
def test_whole_columns_refuse_what_coerce_refuses_with_its_message(how: str) -> None:
    """read_cells, each of its ways (one text; a few distinct texts; many distinct counts
    among which a few are not plain), gives coerce's message for every cell."""
    for metric, text, why in _WRITTEN_WRONG:
        plain = [str(n) for n in range(100)] if how == "many" else ["1", "2"]
        cells = [text] if how == "one" else [*plain, text, *plain]
        read = read_cells(metric, pa.array(cells))
        kind = "a count" if metric is COUNT else "an amount"
        assert read.problems == ((cells.index(text), f"'{metric.id}' is {kind}: {text!r} {why}"),)
        assert read.column.decode_all(read.column.data)[: len(plain)] == \
            [int(n) for n in plain] or how == "one"


def test_a_huge_count_is_read_exactly_in_every_way() -> None:
    """A count beyond 64 bits is a Python integer (an object column), however it is read."""
    huge = 99999999999999999999
    for cells in (pa.array([str(huge)]), pa.array([str(huge), "1"]), [str(huge)], [huge],
                  pa.array([str(huge), *map(str, range(100)), " 3 "])):
        read = read_cells(COUNT, cells)
        assert (read.column.value(0), read.problems) == (huge, ())


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=6)
       | st.from_regex(r"-?[0-9xX]{0,4}", fullmatch=True))
def test_the_quick_test_of_a_column_of_counts_is_the_count_rule(text: str) -> None:
    """The whole-column check of counts (pyarrow's ascii_is_decimal) accepts exactly the
    texts COUNT_TEXT describes."""
    quick = pc.ascii_is_decimal(pa.array([text]))[0].as_py()
    assert quick is bool(re.fullmatch(COUNT_TEXT, text))


@pytest.mark.parametrize("metric", [COUNT, AMOUNT])
def test_coerce_names_the_metric_type_correctly(metric: Metric) -> None:
    with pytest.raises(ValueError) as caught:
        coerce(metric, "-1")
    article = "an" if metric.type.value[0] in "aeiou" else "a"
    assert f"'{metric.id}' is {article} {metric.type.value}:" in str(caught.value)


def test_missing_values() -> None:
    assert [missing_value(m) for m in (COUNT, AMOUNT, FLAG, CATEGORY)] == [0, 0, False, None]


# --- reading files ----------------------------------------------------------------------------

LONG = "unit,metric,value\nc1,n,2\nc1,f,có\nc2,r,tot\nc2,a,1.5\nk,n,0\n"
WIDE = "unit,n,f,r,a\nc1,2,có,,\nc2,,,tot,1.5\nk,0,,,\n"


def _load(
    path: Path, *, org: Org | None = None, plan: Plan | None = None, period: str | None = None,
    ignore_unknown_metrics: bool = False,
) -> Facts:
    """load_facts, checking that the file is left as it was."""
    before = path.read_bytes()
    try:
        return doanorg.load_facts(path, org=org, plan=plan, period=period,
                                  ignore_unknown_metrics=ignore_unknown_metrics)
    finally:
        assert before == path.read_bytes()


def test_long_form(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    facts = _load(_write(tmp_path, LONG), org=org, plan=small_plan)
    assert facts.values == {  # read against the plan's metrics
        "c1": {"n": 2, "f": True},
        "c2": {"r": "tot", "a": 1.5},
        "k": {"n": 0},
    }
    assert frozenset({"c1", "c2", "k"}) == facts.reported
    assert (None, str(tmp_path / "facts.csv")) == (facts.period, facts.source)


def test_wide_form_reads_as_the_long_form(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    long = _load(_write(tmp_path, LONG, "long.csv"), org=org, plan=small_plan)
    wide = _load(_write(tmp_path, WIDE, "wide.csv"), org=org, plan=small_plan)
    assert (long.values, long.reported) == (wide.values, wide.reported)


def test_columns_in_any_order(tmp_path: Path, org: Org) -> None:
    facts = _load(_write(tmp_path, "value,unit,metric\n2,c1,n\n"), org=org)
    assert facts.values == {"c1": {"n": "2"}}


def test_a_bom_is_ignored(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    plain = _load(_write(tmp_path, WIDE, "plain.csv"), org=org, plan=small_plan)
    with_bom = _load(
        _write(tmp_path, b"\xef\xbb\xbf" + WIDE.encode(), "bom.csv"), org=org, plan=small_plan
    )
    assert (plain.values, plain.reported) == (with_bom.values, with_bom.reported)


def test_lines_are_kept_for_messages(tmp_path: Path, org: Org) -> None:
    facts = _load(_write(tmp_path, LONG), org=org)
    assert (
        facts.lines[("c1", "n")],
        facts.lines[("c1", "f")],
        facts.lines[("c2", "a")],
        facts.lines[("c1", "")],
    ) == (2, 3, 5, 2)


def test_one_period_is_chosen_automatically(tmp_path: Path, org: Org) -> None:
    facts = _load(_write(tmp_path, "unit,period,n\nc1,2020,2\nc2,2020,3\n"), org=org)
    assert (facts.period, facts.values) == ("2020", {"c1": {"n": "2"}, "c2": {"n": "3"}})


def test_a_chosen_period_is_read_alone(tmp_path: Path, org: Org) -> None:
    path = _write(tmp_path, "unit,metric,value,period\nc1,n,2,2020\nc1,n,5,2021\nc2,n,1,2021\n")
    facts = _load(path, org=org, period="2021")
    assert (facts.period, facts.values) == ("2021", {"c1": {"n": "5"}, "c2": {"n": "1"}})
    assert frozenset({"c1", "c2"}) == facts.reported
    assert _load(path, org=org, period="2020").values == {"c1": {"n": "2"}}


def test_the_only_period_may_also_be_chosen(tmp_path: Path, org: Org) -> None:
    facts = _load(_write(tmp_path, "unit,period,n\nc1,2020,2\n"), org=org, period="2020")
    assert (facts.period, facts.values) == ("2020", {"c1": {"n": "2"}})


def test_identical_duplicate_rows_are_accepted(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    facts = _load(
        _write(tmp_path, "unit,metric,value\nc1,n,3\nc1,n,3\nc1,n, 3 \n"), org=org, plan=small_plan
    )
    assert facts.values == {"c1": {"n": 3}}  # read as the count it is


def test_three_point_zero_is_no_count(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    """A count is written as digits alone (SPEC §2): 3.0 is refused, saying to write 3."""
    problems = _problems(tmp_path, org, small_plan, "unit,n\nc1,3.0\n")
    assert _where(problems) == [(2, "c1", "n")]
    assert problems[0].message == "unit 'c1': 'n' is a count: '3.0' is not written as digits " \
        "alone (write 3)"


def test_reading_without_org_or_plan_checks_only_the_file(tmp_path: Path) -> None:
    facts = _load(_write(tmp_path, "unit,metric,value\nanyone,anything,-7\n"))
    assert facts.values == {"anyone": {"anything": "-7"}}


def test_an_ignored_column_in_a_long_file_is_a_warning(tmp_path: Path, org: Org) -> None:
    facts = _load(_write(tmp_path, "unit,metric,value,note\nc1,n,2,ghi chú\n"), org=org)
    assert [warning.line for warning in facts.warnings] == [1]
    assert "'note'" in facts.warnings[0].message


# --- missing values, not reported, reported zero ------------------------------------------


def test_missing_value_rule_in_an_assessment(org: Org) -> None:
    plan = plan_from_mapping(
        {
            "id": "p",
            "metrics": {
                "n": {"type": "count"},
                "a": {"type": "amount"},
                "f": {"type": "flag"},
                "r": {"type": "category", "values": ["xuat_sac", "tot"]},
            },
            "targets": [
                {"id": "n", "each": ["chi_doan"], "metric": "n", "at_least": 1},
                {"id": "a", "each": ["chi_doan"], "metric": "a", "at_least": 0.5},
                {"id": "f", "each": ["chi_doan"], "metric": "f", "equals": True},
                {"id": "r", "each": ["chi_doan"], "metric": "r", "in": ["xuat_sac", "tot"]},
            ],
        },
        builtin_schema("doan"),
    )
    # c1 reports empty cells, c2 reports nothing at all: the same values either way
    facts = Facts.from_records({"c1": {"n": "", "a": "", "f": "", "r": ""}})
    report = doanorg.assess(org, facts, plan)
    assert [
        [(u.unit, u.value, u.shortfall) for u in result.failing] for result in report.results
    ] == [
        [("c1", 0, 1), ("c2", 0, 1)],
        [("c1", 0, 0.5), ("c2", 0, 0.5)],
        [("c1", False, None), ("c2", False, None)],
        [("c1", None, None), ("c2", None, None)],
    ]


def test_not_reported_is_told_apart_from_reported_zero(
    tmp_path: Path, org: Org, small_plan: Plan
) -> None:
    facts = _load(_write(tmp_path, "unit,n\nc1,0\nk,\n"), org=org, plan=small_plan)
    report = doanorg.assess(org, facts, small_plan)
    assert report.not_reported == ("cs", "c2")
    assert [unit.unit for unit in report.result("t").failing] == ["c1", "c2"]


def test_a_row_of_empty_cells_counts_as_reported(tmp_path: Path, org: Org) -> None:
    facts = _load(_write(tmp_path, "unit,n,f\nc2,,\n"), org=org)
    assert frozenset({"c2"}) == facts.reported


# --- metrics the plan does not declare ---------------------------------------------------


def test_facts_for_undeclared_metrics_are_ignored_with_one_warning_each(
    tmp_path: Path, org: Org, small_plan: Plan
) -> None:
    """When asked (ignore_unknown_metrics), facts of metrics the plan does not declare are
    left out, with one warning a metric; the keyword of load_facts is kept with the facts,
    and assess's does the same for facts loaded without it."""
    path = _write(
        tmp_path,
        "unit,metric,value\nc1,n,1\nc1,extra,x\nc2,extra,-5\nk,extra,7\nc2,other,1\nc2,n,1\n",
    )
    declared = Facts.from_records({"c1": {"n": 1}, "c2": {"n": 1}, "k": {}})
    plain = doanorg.assess(org, declared, small_plan)
    for report in (
        doanorg.assess(org, _load(path, org=org, plan=small_plan, ignore_unknown_metrics=True),
                       small_plan),
        doanorg.assess(org, _load(path, org=org), small_plan, ignore_unknown_metrics=True),
        doanorg.rollup(org, _load(path), small_plan, ignore_unknown_metrics=True).report(),
    ):
        assert [warning.metric for warning in report.warnings] == ["extra", "other"]
        assert all("not declare" in warning.message for warning in report.warnings)
        assert report.result("t").status == "met"
        assert plain == report


def test_facts_for_an_undeclared_metric_are_an_error_naming_the_closest_metric(
    tmp_path: Path, org: Org, small_plan: Plan
) -> None:
    """SPEC §2: a typo must never silently change a plan. A wide column is named with
    line 1, long-form rows by their first line and how many."""
    wide = _problems(tmp_path, org, small_plan, "unit,n,a,aa,zzz\nc1,1,1,2,\n")
    assert [(problem.line, problem.metric, problem.message) for problem in wide] == [
        (1, "aa", "column 'aa' is not a metric the plan declares (did you mean 'a'?) (to "
         "ignore it: --ignore-unknown-metrics, or ignore_unknown_metrics=True)"),
        (1, "zzz", "column 'zzz' is not a metric the plan declares (to ignore it: "
         "--ignore-unknown-metrics, or ignore_unknown_metrics=True)"),
    ]
    long = _problems(tmp_path, org, small_plan,
                     "unit,metric,value\nc1,n,1\nc1,nn,3\nc2,nn,4\nk,r,tot\nk,f2,có\n")
    assert [(problem.line, problem.unit, problem.metric, problem.message)
            for problem in long] == [
        (3, "c1", "nn", "metric 'nn' is not declared by the plan (did you mean 'n'?): 2 rows, "
         "the first here (to ignore them: --ignore-unknown-metrics, or "
         "ignore_unknown_metrics=True)"),
        (6, "k", "f2", "metric 'f2' is not declared by the plan (did you mean 'f'?) (to ignore "
         "it: --ignore-unknown-metrics, or ignore_unknown_metrics=True)"),
    ]


def test_an_undeclared_metric_is_found_when_facts_loaded_without_a_plan_are_assessed(
    tmp_path: Path, org: Org, small_plan: Plan
) -> None:
    """Facts loaded without a plan (SPEC §7) are checked when assessed: the same error,
    once asked for it by assess and once by rollup; facts built in Python too."""
    facts = _load(_write(tmp_path, "unit,n,nn\nc1,1,3\n"), org=org)
    for run in (lambda: doanorg.assess(org, facts, small_plan),
                lambda: doanorg.rollup(org, facts, small_plan)):
        with pytest.raises(FactsError) as caught:
            run()
        assert [(problem.line, problem.metric) for problem in caught.value.problems] == \
            [(1, "nn")]
    ignoring = doanorg.rollup(org, facts, small_plan, ignore_unknown_metrics=True)
    assert [warning.metric for warning in ignoring.warnings] == ["nn"]
    with pytest.raises(FactsError):  # the roll-up kept is the one that ignores
        doanorg.rollup(org, facts, small_plan)
    # an edit that makes the roll-up start again (a finer scale) still ignores them
    assert ignoring.with_fact("c1", "a", 0.125).warnings == ignoring.warnings
    with pytest.raises(FactsError, match=re.escape(
            "metric 'nn' is not declared by the plan (did you mean 'n'?): given for 2 units, "
            "the first 'c1'")):
        doanorg.assess(org, Facts.from_records({"c1": {"nn": 1}, "c2": {"nn": 2}}), small_plan)
    records = Facts.from_records({"c1": {"nn": 1}}, ignore_unknown_metrics=True)
    assert doanorg.assess(org, records, small_plan).warnings[0].metric == "nn"


# --- bad files: one test per bad input ---------------------------------------------------------


def _problems(
    tmp_path: Path, org: Org, plan: Plan, text: str | bytes, period: str | None = None
) -> list[Problem]:
    path = _write(tmp_path, text)
    with pytest.raises(FactsError) as caught:
        _load(path, org=org, plan=plan, period=period)
    problems = list(caught.value.problems)
    assert problems
    assert [str(path)] * len(problems) == [problem.file for problem in problems]
    return problems


def _where(problems: list[Problem]) -> list[tuple[int | None, str | None, str | None]]:
    return [(problem.line, problem.unit, problem.metric) for problem in problems]


def test_unknown_unit(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,n,1\nX42,n,1\n")
    assert _where(problems) == [(3, "X42", None)]
    assert "'X42'" in problems[0].message


def test_undeclared_category_value(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,r\nc1,tot\nc2,gioi\n")
    assert _where(problems) == [(3, "c2", "r")]
    assert "'gioi'" in problems[0].message


def test_negative_number(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,n,-1\n")
    assert _where(problems) == [(2, "c1", "n")]
    assert "negative" in problems[0].message


def test_negative_amount(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,a,-0.5\n")
    assert _where(problems) == [(2, "c1", "a")]


def test_non_numeric(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,n,a\nc1,ba,\nc2,,một\n")
    assert _where(problems) == [(2, "c1", "n"), (3, "c2", "a")]


def test_nan(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,a,nan\n")
    assert _where(problems) == [(2, "c1", "a")]


def test_inf(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,a,inf\nc2,n,1e400\n")
    assert _where(problems) == [(2, "c1", "a"), (3, "c2", "n")]


def test_non_integer_count(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,n,2.5\nc2,n,3.0\n")
    assert _where(problems) == [(2, "c1", "n"), (3, "c2", "n")]
    assert "'2.5' is not a whole number" in problems[0].message


def test_bad_flag(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,f\nc1,có\nc2,chưa\n")
    assert _where(problems) == [(3, "c2", "f")]


def test_conflicting_duplicate_rows(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,n,2\nc2,n,1\nc1,n,3\n")
    assert _where(problems) == [(4, "c1", "n")]
    assert "line 2" in problems[0].message


def test_several_periods_none_chosen(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(
        tmp_path, org, small_plan, "unit,period,n\nc1,2020,1\nc1,2021,2\nc2,2019,1\n"
    )
    [problem] = problems
    assert all(f"'{year}'" in problem.message for year in ("2019", "2020", "2021"))


def test_chosen_period_absent(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(
        tmp_path, org, small_plan, "unit,period,n\nc1,2020,1\nc1,2021,2\n", period="2022"
    )
    [problem] = problems
    assert "'2022'" in problem.message


def test_period_asked_but_no_period_column(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,n\nc1,1\n", period="2020")
    [problem] = problems
    assert problem.line == 1
    assert "period" in problem.message


def test_empty_period(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,period,n\nc1,2020,1\nc2,,1\n")
    assert [problem.line for problem in problems] == [3]


def test_empty_unit(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,n,1\n  ,n,1\n")
    assert [problem.line for problem in problems] == [3]
    assert "unit" in problems[0].message


def test_empty_metric(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,value\nc1,,1\n")
    assert [(problem.line, problem.unit) for problem in problems] == [(2, "c1")]


def test_missing_unit_column(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "don_vi,n\nc1,1\n")
    assert [problem.line for problem in problems] == [1]


def test_long_form_without_value_column(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,metric,gia_tri\nc1,n,1\n")
    assert [problem.line for problem in problems] == [1]


def test_empty_file(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    [problem] = _problems(tmp_path, org, small_plan, "")
    assert "empty" in problem.message


def test_not_utf8(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    [problem] = _problems(tmp_path, org, small_plan, "unit,r\nc1,tốt\n".encode("utf-16"))
    assert "UTF-8" in problem.message


def test_too_many_cells(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(tmp_path, org, small_plan, "unit,n\nc1,1\nc2,1,2\n")
    assert [problem.line for problem in problems] == [3]


def test_every_problem_is_reported_at_once(tmp_path: Path, org: Org, small_plan: Plan) -> None:
    problems = _problems(
        tmp_path,
        org,
        small_plan,
        "unit,metric,value\nX42,n,1\nc1,n,-1\nc2,r,gioi\nc2,a,nan\nk,n,2.5\n",
    )
    assert (_where(problems)) == [
        (2, "X42", None),
        (3, "c1", "n"),
        (4, "c2", "r"),
        (5, "c2", "a"),
        (6, "k", "n"),
    ]


def test_assess_checks_facts_built_in_python(org: Org, small_plan: Plan) -> None:
    facts = Facts.from_records({"c1": {"n": "-2"}, "X42": {"n": 1}})
    with pytest.raises(FactsError) as caught:
        doanorg.assess(org, facts, small_plan)
    assert {("c1", "n"), ("X42", None)} == {
        (problem.unit, problem.metric) for problem in caught.value.problems
    }


def test_the_reported_units_of_a_wide_file_are_a_set() -> None:
    """A wide file read with its plan keeps its units as a set looked up in its index."""
    plan = doanorg.load_plan("doan-khoi-2020")
    org = doanorg.load_org(example_file("org.csv"))
    facts = doanorg.load_facts(example_file("facts.csv"), org=org, plan=plan)
    reported = facts.reported
    assert "khoi" in reported and "nowhere" not in reported
    assert reported | {"nowhere"} == frozenset(reported) | {"nowhere"}
    assert reported & {"khoi", "nowhere"} == {"khoi"}
    assert len(reported - {"khoi"}) == len(reported) - 1


def test_saved_numbers_are_written_as_they_are_read_back(
        tmp_path: Path, org: Org, small_plan: Plan) -> None:
    """save_facts writes 1e-05 as 0.00001 and 1e16 as 10000000000000000: a file cell a
    count or an amount is read from, never an exponent, which is refused."""
    facts = Facts.from_records({"c1": {"a": 1e-05, "n": 99999999999999999999},
                                "c2": {"a": 1e16, "n": 4.0}})
    path = tmp_path / "saved.csv"
    doanorg.io.save_facts(facts, path, org=org, plan=small_plan)
    assert "c1,a,0.00001\n" in path.read_text(encoding="utf-8")
    again = _load(path, org=org, plan=small_plan)
    assert again.values == {"c1": {"a": 1e-05, "n": 99999999999999999999},
                            "c2": {"a": 10**16, "n": 4}}
