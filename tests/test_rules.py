"""Plans (SPEC §3): loading, one test per bad plan, and the meaning of a condition."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

import doanorg
from doanorg import (
    Condition,
    EachTarget,
    Metric,
    MetricType,
    Plan,
    PlanError,
    Problem,
    RatioTarget,
    TotalTarget,
    UnitRow,
)
from doanorg.core.rules import plan_from_mapping
from doanorg.io import builtin_schema

METRICS = """\
id = "p"
title = "Kế hoạch thử"

[metrics.n]
type = "count"
label = "Số công trình"

[metrics.a]
type = "amount"

[metrics.f]
type = "flag"

[metrics.r]
type = "category"
values = ["xuat_sac", "tot", "hoan_thanh"]
"""
METRIC_LINES = METRICS.count("\n")  # the first [[targets]] stands on the next line


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path: Path, targets: str, head: str = METRICS) -> Plan:
    return doanorg.load_plan(_write(tmp_path, head + targets))


# --- loading ---------------------------------------------------------------------------

SPEC_EXAMPLE = """\
id = "doan-khoi-2020"
title = "Các chỉ tiêu cơ bản của công tác đoàn và phong trào thanh niên năm 2020"

[metrics.youth_projects]
type = "count"
label = "Công trình thanh niên"

[metrics.rating]
type = "category"
values = ["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]

[metrics.policy_forums]
type = "count"

[metrics.trees_planted]
type = "count"

[metrics.research_applied]
type = "count"

[metrics.research_projects]
type = "count"

[[targets]]            # per-unit rule: every selected unit must pass
id = "3b"
text = "mỗi đoàn cấp huyện có ít nhất từ 03 công trình thanh niên"
each = ["doan_cap_huyen"]
metric = "youth_projects"
at_least = 3

[[targets]]            # share rule: at least 80% of selected units pass
id = "11a"
aspirational = true    # "phấn đấu": reported, never makes the check fail
each = ["chi_doan", "chi_doan_co_so", "doan_co_so"]
metric = "rating"
equals = "xuat_sac"
share = 0.8

[[targets]]
id = "6"
text = "100% đoàn cấp huyện, đoàn cơ sở trực thuộc Khối tổ chức được từ 1 - 2 hội thảo ..."
each = ["doan_cap_huyen", "doan_co_so"]
directly_under = ["khoi"]   # "trực thuộc Khối": the parent's kind
metric = "policy_forums"
at_least = 1
stretch = 2                 # optional higher level, reported separately

[[targets]]            # subtree total
id = "4"
total = "trees_planted"
at_least = 26200

[[targets]]            # ratio of two subtree totals
id = "5b"
ratio = ["research_applied", "research_projects"]
at_least = 0.15
"""


def test_the_example_of_the_spec(tmp_path: Path) -> None:
    plan = doanorg.load_plan(_write(tmp_path, SPEC_EXAMPLE))
    assert (plan.id, [target.id for target in plan.targets]) == (
        "doan-khoi-2020",
        ["3b", "11a", "6", "4", "5b"],
    )
    assert (
        Metric("youth_projects", MetricType.COUNT, "Công trình thanh niên")
        == (plan.metrics["youth_projects"])
    )
    assert (
        Metric(
            "rating", MetricType.CATEGORY, "", ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")
        )
        == plan.metrics["rating"]
    )
    assert [
        EachTarget(
            id="3b",
            condition=Condition(at_least=3),
            text="mỗi đoàn cấp huyện có ít nhất từ 03 công trình thanh niên",
            each=("doan_cap_huyen",),
            metric="youth_projects",
        ),
        EachTarget(
            id="11a",
            condition=Condition(equals="xuat_sac"),
            aspirational=True,
            each=("chi_doan", "chi_doan_co_so", "doan_co_so"),
            metric="rating",
            share=0.8,
        ),
        EachTarget(
            id="6",
            condition=Condition(at_least=1),
            stretch=2,
            text="100% đoàn cấp huyện, đoàn cơ sở trực thuộc Khối tổ chức được từ 1 - 2 hội "
            "thảo ...",
            each=("doan_cap_huyen", "doan_co_so"),
            directly_under=("khoi",),
            metric="policy_forums",
        ),
        TotalTarget(id="4", condition=Condition(at_least=26200), metric="trees_planted"),
        RatioTarget(
            id="5b",
            condition=Condition(at_least=0.15),
            numerator="research_applied",
            denominator="research_projects",
        ),
    ] == list(plan.targets)


def test_every_key_of_the_spec_is_accepted(tmp_path: Path) -> None:
    plan = _load(
        tmp_path,
        """
[[targets]]
id = "a"
text = "Mọi khóa"
each = ["co_so", "chi_doan"]
directly_under = ["khoi", "doan_co_so"]
metric = "n"
at_least = 1
at_most = 5
share = 0.5
stretch = 2
aspirational = true

[[targets]]
id = "b"
each = ["chi_doan"]
metric = "r"
in = ["xuat_sac", "tot"]

[[targets]]
id = "c"
each = ["chi_doan"]
metric = "r"
not_equals = "hoan_thanh"

[[targets]]
id = "d"
each = ["chi_doan"]
metric = "f"
equals = false

[[targets]]
id = "e"
total = "a"
at_most = 3.5

[[targets]]
id = "f"
ratio = ["n", "a"]
equals = 1
aspirational = false
""",
    )
    assert (plan.id, plan.title) == ("p", "Kế hoạch thử")
    assert [
        EachTarget(
            id="a",
            condition=Condition(at_least=1, at_most=5),
            stretch=2,
            aspirational=True,
            text="Mọi khóa",
            each=("co_so", "chi_doan"),
            metric="n",
            directly_under=("khoi", "doan_co_so"),
            share=0.5,
        ),
        EachTarget(
            id="b", condition=Condition(in_=("xuat_sac", "tot")), each=("chi_doan",), metric="r"
        ),
        EachTarget(
            id="c", condition=Condition(not_equals="hoan_thanh"), each=("chi_doan",), metric="r"
        ),
        EachTarget(id="d", condition=Condition(equals=False), each=("chi_doan",), metric="f"),
        TotalTarget(id="e", condition=Condition(at_most=3.5), metric="a"),
        RatioTarget(id="f", condition=Condition(equals=1), numerator="n", denominator="a"),
    ] == list(plan.targets)
    assert [t.type for t in plan.targets] == ["each", "each", "each", "each", "total", "ratio"]


def test_defaults(tmp_path: Path) -> None:
    [target] = _load(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "n"\nat_least = 1\n'
    ).targets
    assert isinstance(target, EachTarget)
    assert (
        target.share,
        target.aspirational,
        target.stretch,
        target.text,
        target.directly_under,
    ) == (1.0, False, None, None, None)


def test_the_builtin_plan_by_name(plan: Plan) -> None:
    assert plan.id == "doan-khoi-2020"
    assert plan.schema.id == "doan"
    assert len(plan.targets) == len({target.id for target in plan.targets})
    assert {"3b", "4", "5b", "6", "11a", "12"} <= {target.id for target in plan.targets}


def test_plan_lookup_and_used_metrics(tmp_path: Path) -> None:
    plan = _load(
        tmp_path,
        '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\n'
        '[[targets]]\nid = "u"\nratio = ["a", "n"]\nat_least = 1\n',
    )
    assert plan.target("u").id == "u"
    assert frozenset({"n", "a"}) == plan.used_metrics()
    with pytest.raises(KeyError):
        plan.target("v")


def test_an_unknown_builtin_plan_name() -> None:
    with pytest.raises(PlanError) as caught:
        doanorg.load_plan("doan-khoi-2099")
    assert "doan-khoi-2099" in str(caught.value)


def test_a_missing_plan_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(PlanError) as caught:
        doanorg.load_plan(path)
    assert [str(path)] == [problem.file for problem in caught.value.problems]


# --- bad plans: one test per bad input ---------------------------------------------------


def _problems(tmp_path: Path, targets: str, head: str = METRICS) -> list[Problem]:
    path = _write(tmp_path, head + targets)
    with pytest.raises(PlanError) as caught:
        doanorg.load_plan(path)
    problems = list(caught.value.problems)
    assert problems
    assert [str(path)] * len(problems) == [problem.file for problem in problems]
    return problems


def _where(problems: list[Problem]) -> list[tuple[int | None, str | None]]:
    """(line, target) of each problem; lines counted from the first [[targets]] as 1."""
    return [
        (problem.line - METRIC_LINES if problem.line is not None else None, problem.target)
        for problem in problems
    ]


def test_two_shapes_in_one_target(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\neach = ["chi_doan"]\ntotal = "n"\nmetric = "n"\nat_least = 1\n',
    )
    [(line, target)] = _where(problems)
    assert target == "t"
    assert line is not None
    assert "each" in problems[0].message
    assert "total" in problems[0].message


def test_no_shape(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\nmetric = "n"\nat_least = 1\n')
    assert _where(problems) == [(1, "t")]


def test_unknown_key_in_a_target_with_did_you_mean(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_lest = 1\n')
    assert _where(problems)[0] == (4, "t")
    assert "'at_lest'" in problems[0].message
    assert "did you mean 'at_least'" in problems[0].message


def test_unknown_key_far_from_any_known_key(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\ncolour = "red"\n'
    )
    assert _where(problems) == [(5, "t")]
    assert "did you mean" not in problems[0].message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\n',
        head='id = "p"\ntitel = "x"\n[metrics.n]\ntype = "count"\n',
    )
    assert [problem.line for problem in problems] == [2]
    assert "'titel'" in problems[0].message
    assert "did you mean 'title'" in problems[0].message


def test_unknown_key_in_a_metric(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\n',
        head='id = "p"\n[metrics.n]\ntype = "count"\nlable = "x"\n',
    )
    assert [problem.line for problem in problems] == [4]
    assert "did you mean 'label'" in problems[0].message


def test_unknown_metric_type(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\n',
        head='id = "p"\n[metrics.n]\ntype = "integer"\n',
    )
    assert problems[0].line == 3
    assert problems[0].metric == "n"


def test_category_without_values(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "r"\nequals = "x"\n',
        head='id = "p"\n[metrics.r]\ntype = "category"\n',
    )
    assert problems[0].metric == "r"


def test_undeclared_metric_with_did_you_mean(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "ff"\nequals = true\n'
    )
    assert _where(problems) == [(4, "t")]
    assert "'ff'" in problems[0].message
    assert "did you mean 'f'" in problems[0].message


def test_undeclared_metric_in_a_ratio(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\nratio = ["n", "aa"]\nat_least = 1\n')
    assert _where(problems) == [(3, "t")]
    assert "did you mean 'a'" in problems[0].message


def test_at_least_on_a_category(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "r"\nat_least = 1\n'
    )
    assert _where(problems) == [(5, "t")]


def test_equals_text_on_a_count(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "n"\nequals = "x"\n'
    )
    assert _where(problems) == [(5, "t")]


def test_equals_text_on_a_flag(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "f"\nequals = "true"\n'
    )
    assert _where(problems) == [(5, "t")]
    assert "true or false" in problems[0].message


def test_equals_a_number_on_a_flag(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "f"\nequals = 1\n'
    )
    assert _where(problems) == [(5, "t")]


def test_category_value_not_declared(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "r"\nequals = "gioi"\n'
    )
    assert _where(problems) == [(5, "t")]
    assert "'gioi'" in problems[0].message


def test_category_value_not_declared_in_a_list(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "r"\nin = ["tot", "gioi"]\n'
    )
    assert _where(problems) == [(5, "t")]


def test_a_negative_bound(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_least = -1\n')
    assert _where(problems) == [(4, "t")]


@pytest.mark.parametrize(("key", "value"), [("at_least", "inf"), ("at_most", "inf"),
                                            ("at_least", "nan"), ("equals", "inf"),
                                            ("in", "[1, inf]"), ("stretch", "inf")])
def test_a_bound_that_is_no_finite_number(tmp_path: Path, key: str, value: str) -> None:
    """TOML has inf and nan; a plan's numbers are finite (none compares with them exactly)."""
    condition = "" if key == "stretch" else f"{key} = {value}\n"
    stretch = f"at_least = 1\nstretch = {value}\n" if key == "stretch" else ""
    problems = _problems(tmp_path, f'[[targets]]\nid = "t"\neach = ["chi_doan"]\n'
                         f'metric = "n"\n{condition}{stretch}')
    assert [problem.target for problem in problems] == ["t"]
    assert value.strip("[1, ]") in problems[0].message


@pytest.mark.parametrize("share", ["1.5", "-0.1", '"80%"'])
def test_share_outside_zero_to_one(tmp_path: Path, share: str) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\neach = ["chi_doan"]\nmetric = "n"\n'
        f"at_least = 1\nshare = {share}\n",
    )
    assert _where(problems) == [(6, "t")]


def test_at_least_above_at_most(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1500\nat_most = 1000\n'
    )
    assert _where(problems) == [(4, "t")]


def test_two_conditions(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\nequals = 3\n')
    [(line, target)] = _where(problems)
    assert (target, line is not None) == ("t", True)


def test_no_condition(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\n')
    [(line, target)] = _where(problems)
    assert (target, line is not None) == ("t", True)


def test_duplicate_target_ids(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\n\n'
        '[[targets]]\nid = "t"\ntotal = "a"\nat_least = 1\n',
    )
    assert _where(problems) == [(7, "t")]


def test_unknown_kind_in_each(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doen"]\nmetric = "n"\nat_least = 1\n'
    )
    assert _where(problems) == [(3, "t")]
    assert "did you mean 'chi_doan'" in problems[0].message


def test_unknown_kind_in_directly_under(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\neach = ["chi_doan"]\n'
        'directly_under = ["khoii"]\nmetric = "n"\nat_least = 1\n',
    )
    assert _where(problems) == [(4, "t")]
    assert "did you mean 'khoi'" in problems[0].message


def test_each_must_be_a_list(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\neach = "chi_doan"\nmetric = "n"\nat_least = 1\n'
    )
    assert _where(problems) == [(3, "t")]


def test_each_without_metric(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\neach = ["chi_doan"]\nat_least = 1\n')
    assert [problem.target for problem in problems] == ["t"]


def test_directly_under_on_a_total(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\ndirectly_under = ["khoi"]\nat_least = 1\n'
    )
    assert _where(problems) == [(4, "t")]


def test_share_on_a_total(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nshare = 0.5\nat_least = 1\n'
    )
    assert _where(problems) == [(4, "t")]


def test_share_on_a_ratio(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\nratio = ["n", "a"]\nshare = 0.5\nat_least = 1\n'
    )
    assert _where(problems) == [(4, "t")]


def test_stretch_below_at_least(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 5\nstretch = 2\n'
    )
    assert _where(problems) == [(5, "t")]


def test_stretch_without_at_least(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_most = 5\nstretch = 7\n')
    assert _where(problems) == [(5, "t")]


def test_stretch_above_at_most(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\nat_most = 5\nstretch = 7\n'
    )
    assert _where(problems) == [(6, "t")]


def test_total_of_a_category(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\ntotal = "r"\nat_least = 1\n')
    assert _where(problems) == [(3, "t")]
    assert "category" in problems[0].message


@pytest.mark.parametrize("ratio", ['["n"]', '["n", "a", "n"]', '"n"', "[]"])
def test_ratio_not_a_pair(tmp_path: Path, ratio: str) -> None:
    problems = _problems(tmp_path, f'[[targets]]\nid = "t"\nratio = {ratio}\nat_least = 1\n')
    assert _where(problems) == [(3, "t")]


def test_aspirational_not_a_boolean(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\naspirational = "yes"\n'
    )
    assert _where(problems) == [(5, "t")]


def test_target_without_id(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\ntotal = "n"\nat_least = 1\n')
    assert [line for line, _ in _where(problems)] == [1]


def test_invalid_toml_names_its_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[[targets]]\nid = "t"\ntotal = "n"\nat_least = \n')
    assert _where(problems) == [(4, None)]
    assert "invalid TOML" in problems[0].message


def test_no_targets(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "")
    assert [problem.message[: len("the plan has no targets")] for problem in problems] == [
        "the plan has no targets"
    ]


def test_no_id(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\n',
        head='title = "x"\n[metrics.n]\ntype = "count"\n',
    )
    assert len(problems) == 1


def test_a_plan_for_another_schema(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'id = "p"\nschema = "doan"\n[metrics.n]\ntype = "count"\n'
        '[[targets]]\nid = "t"\ntotal = "n"\nat_least = 1\n',
    )
    other = doanorg.Schema.from_mapping({"id": "mini", "kinds": {"khoi": {"parents": []}}})
    with pytest.raises(PlanError) as caught:
        doanorg.load_plan(path, schema=other)
    assert [problem.line for problem in caught.value.problems] == [2]
    assert "'mini'" in caught.value.problems[0].message


def test_every_problem_of_a_plan_is_reported_at_once(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        '[[targets]]\nid = "a"\ntotal = "nn"\nat_least = 1\n'
        '[[targets]]\nid = "b"\neach = ["chi_doen"]\nmetric = "n"\nat_least = 1\n'
        '[[targets]]\nid = "c"\ntotal = "n"\nat_lest = 1\n',
    )
    assert sorted({problem.target or "" for problem in problems}) == ["a", "b", "c"]


# --- Condition -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "value", "holds"),
    [
        (Condition(at_least=3), 3, True),
        (Condition(at_least=3), 2, False),
        (Condition(at_least=3), 2.999, False),
        (Condition(at_most=3), 3, True),
        (Condition(at_most=3), 4, False),
        (Condition(at_least=1000, at_most=1500), 1000, True),
        (Condition(at_least=1000, at_most=1500), 1500, True),
        (Condition(at_least=1000, at_most=1500), 1501, False),
        (Condition(at_least=1000, at_most=1500), 999, False),
        (Condition(at_least=1), None, False),
        (Condition(at_least=1), "1", False),
        (Condition(equals="xuat_sac"), "xuat_sac", True),
        (Condition(equals="xuat_sac"), "tot", False),
        (Condition(equals="xuat_sac"), None, False),
        (Condition(not_equals="khong_hoan_thanh"), None, True),
        (Condition(not_equals="khong_hoan_thanh"), "khong_hoan_thanh", False),
        (Condition(equals=True), True, True),
        (Condition(equals=True), False, False),
        (Condition(equals=True), 1, False),
        (Condition(equals=1), True, False),
        (Condition(equals=False), False, True),
        (Condition(not_equals=False), False, False),
        (Condition(in_=("xuat_sac", "tot")), "tot", True),
        (Condition(in_=("xuat_sac", "tot")), "hoan_thanh", False),
        (Condition(in_=("xuat_sac", "tot")), None, False),
        (Condition(equals=0), 0, True),
        (Condition(at_least=0), 0, True),
    ],
)
def test_condition_holds(
    condition: Condition, value: int | float | str | None, holds: bool
) -> None:
    assert holds == condition.holds(value)


@pytest.mark.parametrize(
    ("condition", "value", "holds"),
    [
        (Condition(at_least=0.7), Fraction(7, 10), True),
        (Condition(at_least=0.7), Fraction(69, 100), False),
        (Condition(at_least=0.3), Fraction(3, 10), True),
        (Condition(at_most=0.3), Fraction(3, 10), True),
        (Condition(at_least=0.15), Fraction(15, 100), True),
        (Condition(at_least=0.1, at_most=0.2), Fraction(1, 10), True),
        (Condition(at_least=0.1, at_most=0.2), Fraction(2, 10), True),
        (Condition(at_least=1.0), Fraction(1), True),
        (Condition(at_least=1.0), Fraction(999, 1000), False),
        (Condition(at_least=1), Fraction(2, 3), False),
        (Condition(equals=0.5), Fraction(1, 2), True),
        (Condition(not_equals=0.5), Fraction(1, 2), False),
        (Condition(in_=(1, 2)), Fraction(2), True),
        (Condition(in_=(1, 2)), Fraction(3, 2), False),
    ],
)
def test_condition_holds_exactly_for_fractions(
    condition: Condition, value: Fraction, holds: bool
) -> None:
    assert holds == condition.holds(value)


def test_float_arithmetic_does_not_move_a_bound() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in floats: shares and ratios compare exactly
    assert 0.1 + 0.2 != 0.3
    assert True is Condition(at_most=0.3).holds(Fraction(1, 10) + Fraction(2, 10))
    assert True is Condition(at_least=0.3).holds(Fraction(3, 10))
    assert True is Condition(at_least=0.7).holds(Fraction(7, 10))


@pytest.mark.parametrize(
    ("condition", "value", "shortfall"),
    [
        (Condition(at_least=3), 1, 2),
        (Condition(at_least=3), 0, 3),
        (Condition(at_least=3), 3, 0),
        (Condition(at_least=3), 5, 0),
        (Condition(at_most=3), 5, 2),
        (Condition(at_most=3), 3, 0),
        (Condition(at_least=1000, at_most=1500), 900, 100),
        (Condition(at_least=1000, at_most=1500), 1600, 100),
        (Condition(at_least=1000, at_most=1500), 1200, 0),
        (Condition(at_least=2.5), 1, 1.5),
        (Condition(equals="xuat_sac"), "tot", None),
        (Condition(equals=True), False, None),
        (Condition(in_=("a",)), None, None),
        (Condition(at_least=1), None, None),
        (Condition(at_least=1), True, None),
        (Condition(equals=3), 1, None),
    ],
)
def test_condition_shortfall(
    condition: Condition, value: int | float | str | bool | None, shortfall: int | float | None
) -> None:
    assert shortfall == condition.shortfall(value)


def test_shortfall_of_decimal_amounts_is_the_decimal_difference() -> None:
    # 0.21 - 0.05 is 0.15999999999999998 in floats; adding that to 0.05 does not reach 0.21
    condition = Condition(at_least=0.21)
    assert condition.shortfall(0.05) == 0.16
    shortfall = condition.shortfall(0.05)
    assert shortfall is not None
    assert True is condition.holds(0.05 + shortfall)


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (Condition(at_least=3), "≥ 3"),
        (Condition(at_least=0.15), "≥ 0.15"),
        (Condition(at_most=1500), "≤ 1,500"),
        (Condition(at_least=1000, at_most=1500), "1,000–1,500"),
        (Condition(equals="xuat_sac"), "= xuat_sac"),
        (Condition(equals=True), "= true"),
        (Condition(equals=False), "= false"),
        (Condition(not_equals="khong_hoan_thanh"), "≠ khong_hoan_thanh"),
        (Condition(in_=("xuat_sac", "tot")), "∈ {xuat_sac, tot}"),
    ],
)
def test_condition_describe(condition: Condition, words: str) -> None:
    assert words == condition.describe()


@pytest.mark.parametrize(
    ("condition", "required", "is_range"),
    [
        (Condition(at_least=3), 3, False),
        (Condition(at_most=5), 5, False),
        (Condition(at_least=1000, at_most=1500), 1000, True),
        (Condition(equals="x"), "x", False),
        (Condition(equals=False), False, False),
        (Condition(not_equals="x"), "x", False),
        (Condition(in_=("x", "y")), ("x", "y"), False),
    ],
)
def test_condition_required_and_range(
    condition: Condition, required: object, is_range: bool
) -> None:
    assert (required, is_range) == (condition.required, condition.is_range)


def test_raised_to_replaces_at_least() -> None:
    assert Condition(at_least=2, at_most=5) == Condition(at_least=1, at_most=5).raised_to(2)


# --- shares and ratios, through an assessment ---------------------------------------------


def test_seven_of_ten_meets_a_share_of_seventy_percent() -> None:
    schema = builtin_schema("doan")
    rows = [UnitRow("k", None, "khoi", "K")] + [
        UnitRow(f"c{i}", "k", "chi_doan_co_so", f"C{i}") for i in range(10)
    ]
    org = doanorg.build_org(rows, schema)
    plan = plan_from_mapping(
        {
            "id": "p",
            "metrics": {"f": {"type": "flag"}},
            "targets": [
                {"id": "t", "each": ["co_so"], "metric": "f", "equals": True, "share": 0.7}
            ],
        },
        schema,
    )
    facts = doanorg.Facts.from_records({f"c{i}": {"f": i < 7} for i in range(10)})
    result = doanorg.assess(org, facts, plan).result("t")
    assert (result.status, result.observed, result.required, result.selected, result.passing) == (
        "met",
        0.7,
        0.7,
        10,
        7,
    )


def test_three_tenths_meets_a_ratio_of_point_three() -> None:
    schema = builtin_schema("doan")
    org = doanorg.build_org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("a", "k", "chi_doan_co_so", "A"),
            UnitRow("b", "k", "chi_doan_co_so", "B"),
        ],
        schema,
    )
    plan = plan_from_mapping(
        {
            "id": "p",
            "metrics": {"x": {"type": "count"}, "y": {"type": "count"}},
            "targets": [
                {"id": "low", "ratio": ["x", "y"], "at_least": 0.3},
                {"id": "high", "ratio": ["x", "y"], "at_most": 0.3},
            ],
        },
        schema,
    )
    facts = doanorg.Facts.from_records({"a": {"x": 1, "y": 4}, "b": {"x": 2, "y": 6}})
    report = doanorg.assess(org, facts, plan)
    assert [result.status for result in report.results] == ["met", "met"]
