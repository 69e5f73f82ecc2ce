"""Law of coded columns: ids and parents coded over one list of distinct values
(as the CSV reader gives them, and :meth:`Org.columns` too) build exactly what
the same texts as plain lists build: the same tree, or the same problems."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from doanorg import OrgColumns, OrgError, build_org_columns
from doanorg.core._texts import CodedTexts
from doanorg.io import builtin_schema
from doanorg.testing.strategies import orgs

SCHEMA = builtin_schema("doan")


def _coded(ids: list[str], parents: list[str]) -> tuple[CodedTexts, CodedTexts]:
    """``ids`` and ``parents`` coded over one list of distinct values, ids first."""
    values = tuple(dict.fromkeys([*ids, *parents]))  # one tuple, shared by both
    code = {value: index for index, value in enumerate(values)}
    return (CodedTexts(np.array([code[text] for text in ids], dtype=np.int64), values,
                       distinct=True),
            CodedTexts(np.array([code[text] for text in parents], dtype=np.int64), values,
                       distinct=True))


def _built(columns: OrgColumns) -> Any:
    try:
        org = build_org_columns(columns, SCHEMA, source="org.csv")
    except OrgError as error:
        return [str(problem) for problem in error.problems]
    return (org.rows(), org.parents.tolist(), org.ends.tolist(), org.warnings,
            {unit: org.positions[unit] for unit in org.ids})


@st.composite
def _columns(draw: st.DrawFn) -> OrgColumns:
    """A tree's columns in any order, half the time damaged: an id repeated or
    empty or spaced, a parent unknown, a second root, or a cycle."""
    org = draw(orgs(schema=SCHEMA, max_units=15))
    rows = draw(st.permutations(org.rows()))
    ids = [row.id for row in rows]
    parents = [row.parent or "" for row in rows]
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(ids) - 1))
        match draw(st.sampled_from(["repeat", "empty", "spaced", "unknown", "root", "cycle"])):
            case "repeat":
                ids[at] = draw(st.sampled_from(ids))
            case "empty":
                ids[at] = ""
            case "spaced":
                ids[at] = f" {ids[at]} "
            case "unknown":
                parents[at] = "nowhere"
            case "root":
                parents[at] = ""
            case "cycle":
                parents[at] = draw(st.sampled_from(ids))
    return OrgColumns(ids, parents, [row.kind for row in rows], [row.name for row in rows],
                      {"members": [row.attributes.get("members") for row in rows]},
                      list(range(2, len(rows) + 2)))


@given(_columns())
def test_coded_ids_and_parents_build_what_plain_lists_build(columns: OrgColumns) -> None:
    ids, parents = _coded(list(columns.ids), list(columns.parents))
    coded = OrgColumns(ids, parents, columns.kinds, columns.names, columns.attributes,
                       columns.lines)
    assert _built(coded) == _built(columns)


@given(orgs(schema=SCHEMA, max_units=30))
def test_an_orgs_own_columns_build_it_again(org: Any) -> None:
    again = build_org_columns(org.columns(), org.schema)
    assert again.rows() == org.rows()
    assert again.parents.tolist() == org.parents.tolist()
    assert dict(again.positions) == dict(org.positions)
