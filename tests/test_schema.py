"""Schemas: the built-in ``doan`` schema, groups, and a user's own schema file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import doanorg
from doanorg import OrgError, Schema, SchemaError, UnitRow, build_org
from doanorg.core.schema import Minimum
from doanorg.io import builtin_schema

# --- the built-in schema ------------------------------------------------------

#: SPEC §1: kind → the kinds it may stand directly under.
SPEC_PARENTS = {
    "khoi": frozenset(),
    "doan_cap_huyen": frozenset({"khoi"}),
    "doan_co_so": frozenset({"khoi", "doan_cap_huyen"}),
    "chi_doan_co_so": frozenset({"khoi", "doan_cap_huyen"}),
    "lien_chi_doan": frozenset({"doan_co_so"}),
    "chi_doan": frozenset({"doan_co_so", "lien_chi_doan"}),
}


def test_builtin_schema_has_the_kinds_and_parents_of_the_spec() -> None:
    schema = builtin_schema("doan")
    assert schema.id == "doan"
    assert {kind.id: kind.parents for kind in schema.kinds.values()} == SPEC_PARENTS


def test_builtin_schema_labels_are_vietnamese_and_nfc() -> None:
    schema = builtin_schema("doan")
    assert schema.kinds["chi_doan"].label == "Chi đoàn"
    assert schema.kinds["doan_co_so"].label == "Đoàn cơ sở"
    for kind in schema.kinds.values():
        assert unicodedata.normalize("NFC", kind.label) == kind.label


@pytest.mark.parametrize(
    ("kind", "under", "allowed"),
    [
        ("khoi", None, True),
        ("doan_cap_huyen", "khoi", True),
        ("doan_co_so", "khoi", True),
        ("doan_co_so", "doan_cap_huyen", True),
        ("chi_doan_co_so", "doan_cap_huyen", True),
        ("lien_chi_doan", "doan_co_so", True),
        ("chi_doan", "lien_chi_doan", True),
        ("chi_doan", "doan_co_so", True),
        ("chi_doan", "khoi", False),
        ("chi_doan", None, False),
        ("lien_chi_doan", "khoi", False),
        ("khoi", "khoi", False),
        ("doan_co_so", "doan_co_so", False),
        ("chi_doan_co_so", "doan_co_so", False),
    ],
)
def test_allows(kind: str, under: str | None, allowed: bool) -> None:
    assert allowed == builtin_schema("doan").allows(kind, under=under)


def test_builtin_schema_group_co_so() -> None:
    schema = builtin_schema("doan")
    assert {"co_so": frozenset({"doan_co_so", "chi_doan_co_so"})} == dict(schema.groups)


def test_expand_mixes_groups_and_kinds() -> None:
    schema = builtin_schema("doan")
    assert frozenset({"doan_co_so", "chi_doan_co_so", "chi_doan"}) == schema.expand(
        ["co_so", "chi_doan", "doan_co_so"]
    )


def test_expand_refuses_an_unknown_name() -> None:
    with pytest.raises(KeyError):
        builtin_schema("doan").expand(["co_so", "chi_doen"])


def test_names_are_kinds_and_groups() -> None:
    assert frozenset({*SPEC_PARENTS, "co_so"}) == builtin_schema("doan").names()


def test_builtin_schema_minimums() -> None:
    schema = builtin_schema("doan")
    assert Minimum(members=3) == schema.kinds["chi_doan"].minimum
    assert Minimum(members=30, descendants={"chi_doan": 2}) == schema.kinds["doan_co_so"].minimum
    assert Minimum() == schema.kinds["khoi"].minimum


def test_load_schema_by_name_is_the_builtin_schema() -> None:
    assert builtin_schema("doan") == doanorg.load_schema("doan")


def test_load_schema_returns_a_schema_as_it_is() -> None:
    schema = builtin_schema("doan")
    assert schema is doanorg.load_schema(schema)


def test_builtin_schema_unknown_name() -> None:
    with pytest.raises(SchemaError) as caught:
        builtin_schema("doan-2099")
    assert "doan-2099" in str(caught.value)


def test_load_schema_of_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(SchemaError) as caught:
        doanorg.load_schema(path)
    assert [str(path)] == [problem.file for problem in caught.value.problems]


# --- a user's own schema ------------------------------------------------------

NATIONAL = """\
id = "doan-toan-quoc"
title = "Đoàn TNCS Hồ Chí Minh, toàn quốc"

[kinds.trung_uong]
label = "Trung ương Đoàn"
parents = []

[kinds.tinh]
label = "Tỉnh đoàn"
parents = ["trung_uong"]

[kinds.khoi]
label = "Đoàn Khối"
parents = ["trung_uong"]

[kinds.doan_co_so]
label = "Đoàn cơ sở"
parents = ["cap_tinh"]

[kinds.doan_co_so.minimum]
members = 30
descendants = { chi_doan = 2 }

[kinds.chi_doan]
label = "Chi đoàn"
parents = ["doan_co_so"]

[groups]
cap_tinh = ["tinh", "khoi"]
"""

NATIONAL_ORG = """\
id,parent,kind,name,members
tw,,trung_uong,Trung ương Đoàn,
hn,tw,tinh,Thành đoàn Hà Nội,
k,tw,khoi,Đoàn Khối các cơ quan Trung ương,
hn-cs,hn,doan_co_so,Đoàn cơ sở A,40
hn-cs-c1,hn-cs,chi_doan,Chi đoàn 1,10
hn-cs-c2,hn-cs,chi_doan,Chi đoàn 2,10
k-cs,k,doan_co_so,Đoàn cơ sở B,20
k-cs-c1,k-cs,chi_doan,Chi đoàn 3,5
k-cs-c2,k-cs,chi_doan,Chi đoàn 4,5
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_schema_file_is_loaded(tmp_path: Path) -> None:
    schema = doanorg.load_schema(_write(tmp_path / "national.toml", NATIONAL))
    assert (schema.id, schema.title) == ("doan-toan-quoc", "Đoàn TNCS Hồ Chí Minh, toàn quốc")
    assert {
        "trung_uong": frozenset(),
        "tinh": frozenset({"trung_uong"}),
        "khoi": frozenset({"trung_uong"}),
        "doan_co_so": frozenset({"tinh", "khoi"}),  # the group cap_tinh, expanded
        "chi_doan": frozenset({"doan_co_so"}),
    } == {kind.id: kind.parents for kind in schema.kinds.values()}
    assert {"cap_tinh": frozenset({"tinh", "khoi"})} == dict(schema.groups)
    assert Minimum(members=30, descendants={"chi_doan": 2}) == schema.kinds["doan_co_so"].minimum


@pytest.mark.parametrize("as_text", [False, True])
def test_user_schema_file_is_used_by_load_org(tmp_path: Path, as_text: bool) -> None:
    schema_path = _write(tmp_path / "national.toml", NATIONAL)
    org_path = _write(tmp_path / "org.csv", NATIONAL_ORG)
    org = doanorg.load_org(org_path, schema=str(schema_path) if as_text else schema_path)
    assert org.schema.id == "doan-toan-quoc"
    assert [unit.id for unit in org] == [
        "tw",
        "hn",
        "hn-cs",
        "hn-cs-c1",
        "hn-cs-c2",
        "k",
        "k-cs",
        "k-cs-c1",
        "k-cs-c2",
    ]
    assert (org.root.kind, org["k"].kind) == ("trung_uong", "khoi")


def test_user_schema_refuses_a_khoi_at_the_root(tmp_path: Path) -> None:
    """In the national schema a khoi stands under trung_uong, never under a tinh."""
    schema = doanorg.load_schema(_write(tmp_path / "national.toml", NATIONAL))
    with pytest.raises(OrgError) as caught:
        build_org(
            [
                UnitRow("tw", None, "trung_uong", "TW", line=2),
                UnitRow("hn", "tw", "tinh", "HN", line=3),
                UnitRow("k", "hn", "khoi", "K", line=4),
            ],
            schema,
            source="org.csv",
        )
    assert [(problem.file, problem.line, problem.unit) for problem in caught.value.problems] == [
        ("org.csv", 4, "k")
    ]


def test_user_schema_is_used_by_load_plan_and_assess(tmp_path: Path) -> None:
    schema = doanorg.load_schema(_write(tmp_path / "national.toml", NATIONAL))
    org = doanorg.load_org(_write(tmp_path / "org.csv", NATIONAL_ORG), schema=schema)
    plan = doanorg.load_plan(
        _write(
            tmp_path / "plan.toml",
            'id = "p"\n[metrics.n]\ntype = "count"\n'
            '[[targets]]\nid = "t"\neach = ["cap_tinh"]\nmetric = "n"\nat_least = 1\n',
        ),
        schema=schema,
    )
    facts = doanorg.Facts.from_records({"hn": {"n": 1}, "k": {"n": 0}})
    result = doanorg.assess(org, facts, plan).result("t")
    assert (result.selected, result.passing, [u.unit for u in result.failing]) == (2, 1, ["k"])


def test_size_minimums_of_a_user_schema_are_warnings(tmp_path: Path) -> None:
    schema = doanorg.load_schema(_write(tmp_path / "national.toml", NATIONAL))
    org = doanorg.load_org(_write(tmp_path / "org.csv", NATIONAL_ORG), schema=schema)
    # chi_doan has no minimum here: k-cs-c1 with 5 members is fine; k-cs has 20 of 30
    assert [(warning.unit, warning.line) for warning in org.warnings] == [("k-cs", 8)]


STRUCTURE_2025 = """\
id = "doan-2025"
title = "Đoàn TNCS Hồ Chí Minh sau sắp xếp năm 2025"

[kinds.khoi]
parents = []

[kinds.doan_co_so]
parents = ["khoi"]

[kinds.chi_doan_co_so]
parents = ["khoi"]

[kinds.chi_doan]
parents = ["doan_co_so"]

[groups]
co_so = ["doan_co_so", "chi_doan_co_so"]
"""


def test_a_2025_structure_without_doan_cap_huyen(tmp_path: Path) -> None:
    schema_path = _write(tmp_path / "doan-2025.toml", STRUCTURE_2025)
    org = doanorg.load_org(
        _write(
            tmp_path / "org.csv",
            "id,parent,kind,name\nk,,khoi,K\ncs,k,doan_co_so,CS\nc,cs,chi_doan,C\n"
            "cbs,k,chi_doan_co_so,CBS\n",
        ),
        schema=schema_path,
    )
    assert [unit.id for unit in org] == ["k", "cs", "c", "cbs"]
    assert frozenset({"khoi", "doan_co_so", "chi_doan_co_so", "chi_doan"}) == frozenset(
        org.schema.kinds
    )


def test_a_2025_structure_refuses_doan_cap_huyen(tmp_path: Path) -> None:
    schema_path = _write(tmp_path / "doan-2025.toml", STRUCTURE_2025)
    org_path = _write(
        tmp_path / "org.csv",
        "id,parent,kind,name\nk,,khoi,K\nh,k,doan_cap_huyen,H\ncs,h,doan_co_so,CS\n",
    )
    with pytest.raises(OrgError) as caught:
        doanorg.load_org(org_path, schema=schema_path)
    assert [(str(org_path), 3, "h")] == [
        (problem.file, problem.line, problem.unit) for problem in caught.value.problems
    ]
    assert "doan_cap_huyen" in caught.value.problems[0].message


# --- bad schema files: one test per bad input ----------------------------------


def _schema_problems(tmp_path: Path, text: str) -> tuple[Path, list[str]]:
    path = _write(tmp_path / "schema.toml", text)
    with pytest.raises(SchemaError) as caught:
        doanorg.load_schema(path)
    assert {str(path)} == {problem.file for problem in caught.value.problems}
    assert isinstance(caught.value, ValueError)
    return path, [problem.message for problem in caught.value.problems]


def test_bad_schema_unknown_parent_kind(tmp_path: Path) -> None:
    _, messages = _schema_problems(
        tmp_path,
        'id = "s"\n[kinds.khoi]\nparents = []\n[kinds.chi_doan]\nparents = ["khoj"]\n',
    )
    assert len(messages) == 1
    assert "chi_doan" in messages[0]
    assert "'khoj'" in messages[0]


def test_bad_schema_group_names_an_unknown_kind(tmp_path: Path) -> None:
    _, messages = _schema_problems(
        tmp_path,
        'id = "s"\n[kinds.khoi]\nparents = []\n[groups]\nco_so = ["khoi", "doan_co_so"]\n',
    )
    assert len(messages) == 1
    assert "co_so" in messages[0]
    assert "'doan_co_so'" in messages[0]


def test_bad_schema_group_with_the_name_of_a_kind(tmp_path: Path) -> None:
    _, messages = _schema_problems(
        tmp_path, 'id = "s"\n[kinds.khoi]\nparents = []\n[groups]\nkhoi = ["khoi"]\n'
    )
    assert len(messages) == 1
    assert "'khoi'" in messages[0]


def test_bad_schema_unknown_top_level_key(tmp_path: Path) -> None:
    _, messages = _schema_problems(tmp_path, 'id = "s"\ntitel = "x"\n[kinds.khoi]\nparents = []\n')
    assert len(messages) == 1
    assert "'titel'" in messages[0]


def test_bad_schema_unknown_key_in_a_kind(tmp_path: Path) -> None:
    _, messages = _schema_problems(
        tmp_path, 'id = "s"\n[kinds.khoi]\nparents = []\nparent = ["khoi"]\n'
    )
    assert len(messages) == 1
    assert "'parent'" in messages[0]
    assert "khoi" in messages[0]


def test_bad_schema_unknown_key_in_a_minimum(tmp_path: Path) -> None:
    _, messages = _schema_problems(
        tmp_path,
        'id = "s"\n[kinds.khoi]\nparents = []\n[kinds.khoi.minimum]\nmembres = 3\n',
    )
    assert len(messages) == 1
    assert "'membres'" in messages[0]


def test_bad_schema_minimum_of_an_unknown_kind(tmp_path: Path) -> None:
    _, messages = _schema_problems(
        tmp_path,
        'id = "s"\n[kinds.khoi]\nparents = []\n[kinds.khoi.minimum]\n'
        "descendants = { chi_doan = 2 }\n",
    )
    assert len(messages) == 1
    assert "'chi_doan'" in messages[0]


def test_bad_schema_without_kinds(tmp_path: Path) -> None:
    _, messages = _schema_problems(tmp_path, 'id = "s"\ntitle = "no kinds"\n')
    assert len(messages) == 1
    assert "kinds" in messages[0]


def test_bad_schema_reports_every_problem_at_once(tmp_path: Path) -> None:
    _, messages = _schema_problems(
        tmp_path,
        'id = "s"\ncolour = "red"\n[kinds.khoi]\nparents = ["trung_uong"]\n'
        '[groups]\nall = ["tinh"]\n',
    )
    assert len(messages) == 3


def test_bad_schema_invalid_toml_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "schema.toml", 'id = "s"\n[kinds.khoi]\nparents = [\n\n[groups\n')
    with pytest.raises(SchemaError) as caught:
        doanorg.load_schema(path)
    [problem] = caught.value.problems
    assert (str(path), 5) == (problem.file, problem.line)
    assert "invalid TOML" in problem.message


def test_schema_from_mapping_is_data() -> None:
    schema = Schema.from_mapping(
        {"id": "mini", "kinds": {"a": {"parents": []}, "b": {"parents": ["a"]}}}
    )
    assert (schema.allows("b", under="a"), schema.allows("a", under="b")) == (True, False)
