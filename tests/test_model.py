"""The organisation tree: order, navigation, networkx, normalisation, size warnings."""

from __future__ import annotations

import sys
import unicodedata

import attrs
import pytest

from doanorg import Org, OrgError, Unit, UnitRow, UnknownUnit, build_org
from doanorg.core.model import normalise
from doanorg.io import builtin_schema

#: The rows of a small Khối, in the order a file might give them.
ROWS = (
    UnitRow("k", None, "khoi", "Đoàn Khối"),
    UnitRow("h1", "k", "doan_cap_huyen", "Đoàn cấp huyện 1"),
    UnitRow("cs1", "h1", "doan_co_so", "Đoàn cơ sở 1", {"members": 40}),
    UnitRow("c1", "cs1", "chi_doan", "Chi đoàn 1", {"members": 10}),
    UnitRow("c2", "cs1", "chi_doan", "Chi đoàn 2", {"members": 12}),
    UnitRow("cbs1", "h1", "chi_doan_co_so", "Chi đoàn cơ sở 1"),
    UnitRow("cs2", "k", "doan_co_so", "Đoàn cơ sở 2", {"members": 31}),
    UnitRow("l1", "cs2", "lien_chi_doan", "Liên chi đoàn 1"),
    UnitRow("c3", "l1", "chi_doan", "Chi đoàn 3", {"members": 7}),
    UnitRow("c4", "l1", "chi_doan", "Chi đoàn 4", {"members": 8}),
    UnitRow("cbs2", "k", "chi_doan_co_so", "Chi đoàn cơ sở 2"),
)
TREE_ORDER = ["k", "h1", "cs1", "c1", "c2", "cbs1", "cs2", "l1", "c3", "c4", "cbs2"]


def _org(rows: tuple[UnitRow, ...] | list[UnitRow] = ROWS) -> Org:
    return build_org(rows, builtin_schema("doan"), source="org.csv")


# --- tree order ---------------------------------------------------------------


def test_tree_order_is_depth_first_with_children_in_input_order() -> None:
    assert [unit.id for unit in _org()] == TREE_ORDER


def test_children_given_before_their_parent_still_work() -> None:
    reversed_rows = list(reversed(ROWS))
    # children in input order: in the reversed input, cs2 comes before h1, and so on
    assert [unit.id for unit in _org(reversed_rows)] == [
        "k",
        "cbs2",
        "cs2",
        "l1",
        "c4",
        "c3",
        "h1",
        "cbs1",
        "cs1",
        "c2",
        "c1",
    ]


def test_root_given_last_is_still_the_root() -> None:
    rows = [*ROWS[1:], ROWS[0]]
    org = _org(rows)
    assert org.root.id == "k"
    assert [unit.id for unit in org] == TREE_ORDER


def test_children_in_input_order_not_sorted() -> None:
    org = _org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("z", "k", "chi_doan_co_so", "Z"),
            UnitRow("a", "k", "chi_doan_co_so", "A"),
            UnitRow("m", "k", "chi_doan_co_so", "M"),
        ]
    )
    assert [unit.id for unit in org] == ["k", "z", "a", "m"]


def test_a_single_unit_is_a_tree() -> None:
    org = _org([UnitRow("k", None, "khoi", "K")])
    assert ([u.id for u in org], len(org), org.children("k"), org.depth("k")) == (["k"], 1, (), 0)


def test_a_branch_whose_root_is_not_a_root_kind_is_accepted() -> None:
    org = _org(
        [
            UnitRow("cs", None, "doan_co_so", "CS", {"members": 30}),
            UnitRow("c1", "cs", "chi_doan", "C1"),
            UnitRow("c2", "cs", "chi_doan", "C2"),
        ]
    )
    assert ([unit.id for unit in org], org.warnings) == (["cs", "c1", "c2"], ())


# --- navigation ---------------------------------------------------------------


def test_mapping_like_access() -> None:
    org = _org()
    assert len(org) == 11
    assert "c3" in org
    assert "nope" not in org
    assert Unit("c3", "chi_doan", "Chi đoàn 3", {"members": 7}) == org["c3"]
    assert org.position("c3") == 8


@pytest.mark.parametrize(
    ("unit", "parent"),
    [("k", None), ("h1", "k"), ("c1", "cs1"), ("c3", "l1"), ("cbs2", "k")],
)
def test_parent(unit: str, parent: str | None) -> None:
    found = _org().parent(unit)
    assert parent == (found.id if found is not None else None)


@pytest.mark.parametrize(
    ("unit", "children"),
    [
        ("k", ["h1", "cs2", "cbs2"]),
        ("h1", ["cs1", "cbs1"]),
        ("cs2", ["l1"]),
        ("l1", ["c3", "c4"]),
        ("c4", []),
        ("cbs2", []),
    ],
)
def test_children(unit: str, children: list[str]) -> None:
    assert children == [child.id for child in _org().children(unit)]


@pytest.mark.parametrize(
    ("unit", "subtree"),
    [
        ("k", TREE_ORDER),
        ("h1", ["h1", "cs1", "c1", "c2", "cbs1"]),
        ("cs2", ["cs2", "l1", "c3", "c4"]),
        ("c2", ["c2"]),
        ("cbs2", ["cbs2"]),
    ],
)
def test_subtree(unit: str, subtree: list[str]) -> None:
    assert subtree == [member.id for member in _org().subtree(unit)]


@pytest.mark.parametrize(
    ("unit", "depth"), [("k", 0), ("h1", 1), ("cs1", 2), ("c1", 3), ("c3", 3), ("cbs2", 1)]
)
def test_depth(unit: str, depth: int) -> None:
    assert depth == _org().depth(unit)


@pytest.mark.parametrize(
    "ask",
    [Org.parent, Org.children, Org.subtree, Org.depth, Org.position, Org.__getitem__],
    ids=["parent", "children", "subtree", "depth", "position", "getitem"],
)
def test_asking_for_a_unit_not_in_the_tree(ask: object) -> None:
    org = _org()
    assert callable(ask)
    with pytest.raises(UnknownUnit) as caught:
        ask(org, "x42")
    assert [problem.unit for problem in caught.value.problems] == ["x42"]
    assert isinstance(caught.value, LookupError)


def test_rows_build_the_same_tree_again() -> None:
    org = _org()
    again = build_org(org.rows(), org.schema)
    assert list(org) == list(again)
    assert org.parents.tolist() == again.parents.tolist()
    assert org.ends.tolist() == again.ends.tolist()


# --- networkx ------------------------------------------------------------------


def test_to_networkx_edges_run_parent_to_child() -> None:
    graph = _org().to_networkx()
    assert sorted(
        [
            ("k", "h1"),
            ("h1", "cs1"),
            ("cs1", "c1"),
            ("cs1", "c2"),
            ("h1", "cbs1"),
            ("k", "cs2"),
            ("cs2", "l1"),
            ("l1", "c3"),
            ("l1", "c4"),
            ("k", "cbs2"),
        ]
    ) == sorted(graph.edges())
    assert set(TREE_ORDER) == set(graph.nodes())


def test_to_networkx_node_attributes() -> None:
    graph = _org().to_networkx()
    assert graph.nodes["c3"] == {"kind": "chi_doan", "name": "Chi đoàn 3", "members": 7}
    assert graph.nodes["l1"] == {"kind": "lien_chi_doan", "name": "Liên chi đoàn 1"}


def test_to_networkx_is_a_new_graph_each_time() -> None:
    org = _org()
    graph = org.to_networkx()
    graph.remove_node("c1")
    assert "c1" in org.to_networkx()
    assert "c1" in org


# --- normalisation ---------------------------------------------------------------

DECOMPOSED = unicodedata.normalize("NFD", "Chi đoàn Phòng Đầu tư")


def test_the_spaces_trimmed_in_c_are_those_str_strip_removes() -> None:
    """Columns are trimmed in C with the written-out list of spaces; it must be exactly the
    characters this Python's ``str.strip`` removes."""
    from doanorg.core._texts import SPACE

    every = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
    assert SPACE == every


def test_normalise_trims_and_composes() -> None:
    assert normalise(f"  {DECOMPOSED}\t") == "Chi đoàn Phòng Đầu tư"
    assert normalise(DECOMPOSED) != DECOMPOSED


def test_ids_kinds_and_names_are_trimmed_and_nfc() -> None:
    org = _org(
        [
            UnitRow(" k ", None, " khoi ", "  Đoàn Khối "),
            UnitRow(unicodedata.normalize("NFD", "cđ1"), " k", "chi_doan_co_so ", DECOMPOSED),
        ]
    )
    assert [
        Unit("k", "khoi", "Đoàn Khối"),
        Unit("cđ1", "chi_doan_co_so", "Chi đoàn Phòng Đầu tư"),
    ] == list(org)
    assert "cđ1" in org


def test_ids_equal_after_nfc_and_trim_are_duplicates() -> None:
    with pytest.raises(OrgError) as caught:
        _org(
            [
                UnitRow("k", None, "khoi", "K", line=2),
                UnitRow("đoàn-1", "k", "chi_doan_co_so", "A", line=3),
                UnitRow(
                    " " + unicodedata.normalize("NFD", "đoàn-1"), "k", "chi_doan_co_so", "B", line=4
                ),
            ]
        )
    assert [(problem.file, problem.line, problem.unit) for problem in caught.value.problems] == [
        ("org.csv", 4, "đoàn-1")
    ]
    assert "duplicate" in caught.value.problems[0].message


def test_an_org_whose_every_id_is_empty_is_reported_not_crashed() -> None:
    with pytest.raises(OrgError) as caught:
        _org([UnitRow(" ", None, "khoi", "K", line=2)])
    assert [(problem.message, problem.line) for problem in caught.value.problems] == [
        ("empty unit id", 2)
    ]


def test_a_parent_written_decomposed_is_found() -> None:
    org = _org(
        [
            UnitRow("khối", None, "khoi", "K"),
            UnitRow("c", unicodedata.normalize("NFD", "khối") + " ", "chi_doan_co_so", "C"),
        ]
    )
    parent = org.parent("c")
    assert (parent.id if parent is not None else None) == "khối"


# --- the Charter's size minimums: warnings, never errors ----------------------------


def _warned(org: Org) -> list[str | None]:
    return [warning.unit for warning in org.warnings]


def test_no_warning_at_the_minimums() -> None:
    org = _org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("cs", "k", "doan_co_so", "CS", {"members": 30}),
            UnitRow("c1", "cs", "chi_doan", "C1", {"members": 3}),
            UnitRow("c2", "cs", "chi_doan", "C2", {"members": 3}),
        ]
    )
    assert org.warnings == ()


def test_a_chi_doan_with_fewer_than_3_members_is_a_warning() -> None:
    org = _org(
        [
            UnitRow("k", None, "khoi", "K", line=2),
            UnitRow("cs", "k", "doan_co_so", "CS", {"members": 30}, line=3),
            UnitRow("c1", "cs", "chi_doan", "C1", {"members": 2}, line=4),
            UnitRow("c2", "cs", "chi_doan", "C2", {"members": 3}, line=5),
        ]
    )
    [warning] = org.warnings
    assert (warning.file, warning.line, warning.unit) == ("org.csv", 4, "c1")
    assert "3" in warning.message
    assert [unit.id for unit in org] == ["k", "cs", "c1", "c2"]


def test_a_doan_co_so_with_fewer_than_30_members_is_a_warning() -> None:
    org = _org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("cs", "k", "doan_co_so", "CS", {"members": 29}),
            UnitRow("c1", "cs", "chi_doan", "C1"),
            UnitRow("c2", "cs", "chi_doan", "C2"),
        ]
    )
    assert _warned(org) == ["cs"]
    assert "30" in org.warnings[0].message


def test_a_doan_co_so_with_fewer_than_2_chi_doan_is_a_warning() -> None:
    org = _org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("cs", "k", "doan_co_so", "CS", {"members": 45}),
            UnitRow("c1", "cs", "chi_doan", "C1", {"members": 45}),
        ]
    )
    assert _warned(org) == ["cs"]


def test_a_doan_co_so_without_chi_doan_and_too_few_members_gives_two_warnings() -> None:
    org = _org(
        [UnitRow("k", None, "khoi", "K"), UnitRow("cs", "k", "doan_co_so", "CS", {"members": 5})]
    )
    assert _warned(org) == ["cs", "cs"]


def test_chapters_under_a_lien_chi_doan_count_for_their_doan_co_so() -> None:
    org = _org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("cs", "k", "doan_co_so", "CS", {"members": 30}),
            UnitRow("l", "cs", "lien_chi_doan", "L"),
            UnitRow("c1", "l", "chi_doan", "C1"),
            UnitRow("c2", "l", "chi_doan", "C2"),
        ]
    )
    assert org.warnings == ()


def test_chi_doan_co_so_does_not_count_as_a_chi_doan() -> None:
    org = _org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("h", "k", "doan_cap_huyen", "H"),
            UnitRow("cs", "h", "doan_co_so", "CS", {"members": 30}),
            UnitRow("c1", "cs", "chi_doan", "C1"),
            UnitRow("cbs", "h", "chi_doan_co_so", "CBS", {"members": 1}),
        ]
    )
    assert _warned(org) == ["cs"]


def test_a_unit_without_members_has_no_members_warning() -> None:
    org = _org(
        [
            UnitRow("k", None, "khoi", "K"),
            UnitRow("cs", "k", "doan_co_so", "CS"),
            UnitRow("c1", "cs", "chi_doan", "C1"),
            UnitRow("c2", "cs", "chi_doan", "C2", {"members": "chưa rõ"}),
        ]
    )
    assert org.warnings == ()


def test_size_warnings_are_found_in_a_larger_tree() -> None:
    # ROWS: c3 (7) and c4 (8) are fine; every doan_co_so has >= 30 members and 2 chi_doan
    assert _org().warnings == ()
    rows = [attrs.evolve(row, attributes={"members": 1}) if row.id == "c4" else row for row in ROWS]
    assert _warned(_org(rows)) == ["c4"]


# --- values are frozen ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["id", "kind", "name"])
def test_units_are_frozen(name: str) -> None:
    unit = _org()["c1"]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(unit, name, "x")
