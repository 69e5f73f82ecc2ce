"""Reading an organisation CSV (SPEC §1): good files, and one test per bad input.

Every bad input raises :class:`doanorg.OrgError` listing every problem, each
with the file, the line and (where the problem is a unit's) the unit; the
file itself is never changed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import doanorg
from doanorg import Org, OrgError, Problem, Unit

HEADER = "id,parent,kind,name\n"
GOOD = (
    HEADER
    + "k,,khoi,Đoàn Khối\n"
    + "cs,k,doan_co_so,Đoàn cơ sở A\n"
    + "c1,cs,chi_doan,Chi đoàn 1\n"
    + "c2,cs,chi_doan,Chi đoàn 2\n"
)


def _write(tmp_path: Path, text: str | bytes, name: str = "org.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_bytes(text.encode("utf-8"))
    else:
        path.write_bytes(text)
    return path


def _load(path: Path) -> Org:
    before = path.read_bytes()
    try:
        return doanorg.load_org(path)
    finally:
        assert before == path.read_bytes()


def _problems(tmp_path: Path, text: str | bytes) -> list[Problem]:
    """Load a bad file: the OrgError's problems, all naming the file; the file unchanged."""
    path = _write(tmp_path, text)
    with pytest.raises(OrgError) as caught:
        _load(path)
    problems = list(caught.value.problems)
    assert problems
    assert [str(path)] * len(problems) == [problem.file for problem in problems]
    assert str(caught.value) == "\n".join(str(problem) for problem in problems)
    return problems


def _where(problems: list[Problem]) -> list[tuple[int | None, str | None]]:
    return [(problem.line, problem.unit) for problem in problems]


# --- good files ---------------------------------------------------------------------


def test_a_plain_file(tmp_path: Path) -> None:
    org = _load(_write(tmp_path, GOOD))
    assert [
        Unit("k", "khoi", "Đoàn Khối"),
        Unit("cs", "doan_co_so", "Đoàn cơ sở A"),
        Unit("c1", "chi_doan", "Chi đoàn 1"),
        Unit("c2", "chi_doan", "Chi đoàn 2"),
    ] == list(org)
    assert str(tmp_path / "org.csv") == org.source


def test_ids_stay_in_the_files_column_until_the_tuple_is_asked_for(tmp_path: Path) -> None:
    shuffled = HEADER + "".join(sorted(GOOD.splitlines(keepends=True)[1:], reverse=True))
    # in tree order, and children before their parents (children stay in input order)
    for text, order in ((GOOD, ["k", "cs", "c1", "c2"]), (shuffled, ["k", "cs", "c2", "c1"])):
        org = _load(_write(tmp_path, text))
        assert not isinstance(org.id_texts, tuple) and org.id_texts is org.id_texts
        assert order == list(org.id_texts) == org.id_texts[:]
        assert [order[2], order[0]] == org.ids_at([2, 0])
        report = doanorg.assess(org, doanorg.load_facts(_write(
            tmp_path, "unit,youth_projects\nc1,1\nc2,0\n", "facts.csv"), org=org),
            doanorg.load_plan("doan-khoi-2020"), ignore_unknown_metrics=True)
        assert "k" == report.at and "cs" in report.not_reported
        assert org._ids is None  # (a report reads the ids it lists from the column)
        assert tuple(order) == org.ids and org.ids is org.ids
        assert [order[3]] == org.ids_at([3])  # (now from the tuple)
        assert org["c2"] == Unit("c2", "chi_doan", "Chi đoàn 2")


def test_a_file_with_a_bom_reads_the_same(tmp_path: Path) -> None:
    plain = _load(_write(tmp_path, GOOD, "plain.csv"))
    with_bom = _load(_write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode("utf-8"), "bom.csv"))
    assert list(plain) == list(with_bom)


def test_crlf_line_endings(tmp_path: Path) -> None:
    plain = _load(_write(tmp_path, GOOD, "plain.csv"))
    windows = _load(_write(tmp_path, GOOD.replace("\n", "\r\n"), "windows.csv"))
    assert list(plain) == list(windows)


def test_columns_in_any_order(tmp_path: Path) -> None:
    org = _load(
        _write(
            tmp_path,
            "name,kind,id,parent\nĐoàn Khối,khoi,k,\nĐoàn cơ sở A,doan_co_so,cs,k\n"
            "Chi đoàn 1,chi_doan,c1,cs\nChi đoàn 2,chi_doan,c2,cs\n",
        )
    )
    assert list(_load(_write(tmp_path, GOOD, "plain.csv"))) == list(org)


def test_a_path_given_as_text(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    assert list(_load(path)) == list(doanorg.load_org(str(path)))


def test_extra_columns_become_attributes(tmp_path: Path) -> None:
    org = _load(
        _write(
            tmp_path,
            "id,members,parent,budget,kind,note,name\n"
            "k,89672,,1.5e3,khoi,  Khối  ,Đoàn Khối\n"
            "cs,40,k,2.5,doan_co_so,cơ quan,Đoàn cơ sở A\n"
            "c1,12,cs,,chi_doan,,Chi đoàn 1\n"
            "c2,-3,cs,0,chi_doan,12a,Chi đoàn 2\n",
        )
    )
    assert org["k"].attributes == {"members": 89672, "budget": 1500.0, "note": "Khối"}
    assert org["cs"].attributes == {"members": 40, "budget": 2.5, "note": "cơ quan"}
    assert org["c1"].attributes == {"members": 12}  # empty cells give no attribute
    assert org["c2"].attributes == {"members": -3, "budget": 0, "note": "12a"}
    assert int is type(org["c1"].attributes["members"])
    assert float is type(org["cs"].attributes["budget"])


def test_text_is_nfc_and_trimmed(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Chi đoàn 1")
    org = _load(_write(tmp_path, f"{HEADER}k,,khoi, K \n c1 , k ,chi_doan_co_so, {decomposed} \n"))
    assert [Unit("k", "khoi", "K"), Unit("c1", "chi_doan_co_so", "Chi đoàn 1")] == list(org)


def test_blank_lines_are_skipped_and_line_numbers_still_count_them(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}\nk,,khoi,K\n\n,,,\nx,k,tinh,X\n")
    assert _where(problems) == [(6, "x")]


def test_a_quoted_cell_over_two_lines_keeps_line_numbers(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f'{HEADER}k,,khoi,"Đoàn\nKhối"\nx,k,tinh,X\n')
    assert _where(problems) == [(4, "x")]


def test_size_warnings_do_not_raise(tmp_path: Path) -> None:
    org = _load(
        _write(
            tmp_path,
            "id,parent,kind,name,members\nk,,khoi,K,\ncs,k,doan_co_so,CS,12\n"
            "c1,cs,chi_doan,C1,2\nc2,cs,chi_doan,C2,5\n",
        )
    )
    path = str(tmp_path / "org.csv")
    assert [(path, 3, "cs"), (path, 4, "c1")] == [
        (warning.file, warning.line, warning.unit) for warning in org.warnings
    ]


# --- bad files: one test per bad input -------------------------------------------------


def test_missing_columns(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "id,name,members\nk,K,3\n")
    [problem] = problems
    assert problem.line == 1
    assert "parent" in problem.message
    assert "kind" in problem.message


def test_empty_file(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "")
    [problem] = problems
    assert "empty" in problem.message


def test_blank_file(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "\n \n\n")
    [problem] = problems
    assert "empty" in problem.message


def test_header_only(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEADER)
    [problem] = problems
    assert "no units" in problem.message


def test_duplicate_ids(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,,khoi,K\ncs,k,doan_co_so,A\ncs,k,doan_co_so,B\n")
    assert _where(problems) == [(4, "cs")]
    assert "duplicate" in problems[0].message
    assert "line 3" in problems[0].message  # where the first one stands


def test_unknown_parent(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,,khoi,K\ncs,kk,doan_co_so,A\n")
    assert _where(problems) == [(3, "cs")]
    assert "'kk'" in problems[0].message


def test_no_root_every_unit_has_a_parent(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,cs,khoi,K\ncs,k,doan_co_so,A\n")
    assert any("no root" in problem.message for problem in problems)
    cycle = [problem for problem in problems if "cycle" in problem.message]
    assert _where(cycle) == [(2, "k"), (3, "cs")]


def test_several_roots(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, f"{HEADER}k,,khoi,K\ncs,k,doan_co_so,A\nk2,,khoi,K2\nk3,,khoi,K3\n"
    )
    # one problem naming every root, or one per extra root: either way each says where
    assert all("root" in problem.message for problem in problems)
    named = " ".join(problem.message for problem in problems)
    assert all(f"'{root}'" in named for root in ("k", "k2", "k3"))
    assert all(problem.line is not None for problem in problems)
    assert {"k2", "k3"} <= {problem.unit for problem in problems}


def test_cycle_names_the_units_in_it(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        f"{HEADER}k,,khoi,K\nc9,k,chi_doan_co_so,C\na,c,lien_chi_doan,A\n"
        "b,a,doan_co_so,B\nc,b,doan_co_so,C\n",
    )
    cycle = [problem for problem in problems if "cycle" in problem.message]
    assert _where(cycle) == [(4, "a"), (5, "b"), (6, "c")]
    for problem, unit in zip(cycle, ("a", "b", "c"), strict=True):
        assert f"'{unit}'" in problem.message


def test_a_unit_that_is_its_own_parent(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,,khoi,K\ncs,cs,doan_co_so,A\n")
    cycle = [problem for problem in problems if "cycle" in problem.message]
    assert _where(cycle) == [(3, "cs")]


def test_unknown_kind(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,,khoi,K\nt,k,tinh_doan,T\n")
    assert _where(problems) == [(3, "t")]
    assert "'tinh_doan'" in problems[0].message


def test_kind_not_allowed_under_its_parents_kind(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,,khoi,K\nc,k,chi_doan,C\n")
    assert _where(problems) == [(3, "c")]
    assert "chi_doan" in problems[0].message
    assert "khoi" in problems[0].message


def test_a_root_kind_under_a_parent(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,,khoi,K\ncs,k,doan_co_so,A\nk2,cs,khoi,K2\n")
    assert _where(problems) == [(4, "k2")]


def test_too_many_cells_in_a_row(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,,khoi,K\ncs,k,doan_co_so,Đoàn cơ sở, A\n")
    assert _where(problems) == [(3, "cs")]
    assert "5" in problems[0].message


def test_not_utf8(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f"{HEADER}k,,khoi,K\ncs,k,doan_co_so,Đoàn\n".encode("cp1258"))
    [problem] = problems
    assert problem.line == 3
    assert "UTF-8" in problem.message


def test_invalid_csv_quoting(tmp_path: Path) -> None:
    problems = _problems(tmp_path, f'{HEADER}k,,khoi,K\ncs,k,doan_co_so,"Đoàn cơ sở\n')
    assert [problem.line for problem in problems] == [3]


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    with pytest.raises(OrgError) as caught:
        doanorg.load_org(path)
    assert [str(path)] == [problem.file for problem in caught.value.problems]


def test_three_different_problems_give_three_problems(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        f"{HEADER}k,,khoi,K\nk,,khoi,K again\nx,k,tinh,X\ny,zz,doan_co_so,Y\n",
    )
    assert _where(problems) == [(3, "k"), (4, "x"), (5, "y")]
    for problem, words in zip(
        problems, ("duplicate", "unknown kind", "not in the organisation"), strict=True
    ):
        assert words in problem.message


def test_problems_of_the_file_and_of_the_tree_come_together(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, f"{HEADER}k,,khoi,K\ncs,k,doan_co_so,A,extra\nc,k,chi_doan,C\nd,q,chi_doan,D\n"
    )
    assert [problem.line for problem in problems] == [3, 4, 5]
