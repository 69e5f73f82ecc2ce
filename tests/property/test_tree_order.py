"""Law of tree order: depth first from the root, children in the order they were given."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg import UnitRow, build_org
from doanorg.testing.strategies import orgs, schemas


def _depth_first(rows: list[UnitRow]) -> list[str]:
    children: dict[str | None, list[str]] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row.id)
    order: list[str] = []

    def visit(unit: str) -> None:
        order.append(unit)
        for child in children.get(unit, []):
            visit(child)

    for root in children[None]:
        visit(root)
    return order


@given(st.data())
def test_tree_order_is_depth_first_with_children_in_input_order(data: st.DataObject) -> None:
    """For the rows of any tree given in any order, build_org lays the units out depth
    first from the root, each unit's children in the order their rows came; each unit's
    parent position and subtree end match that order."""
    org = data.draw(orgs(data.draw(schemas(), label="schema"), max_units=40), label="org")
    rows = list(data.draw(st.permutations(org.rows()), label="rows"))
    built = build_org(rows, org.schema)
    expected = _depth_first(rows)
    assert [unit.id for unit in built] == expected
    position = {unit: index for index, unit in enumerate(expected)}
    size = dict.fromkeys(position, 1)
    for unit in reversed(expected):  # children come after their parent: add them up
        parent = next(row.parent for row in rows if row.id == unit)
        if parent is not None:
            size[parent] += size[unit]
    for row in rows:
        here = position[row.id]
        assert built.parents[here] == (-1 if row.parent is None else position[row.parent])
        assert built.ends[here] == here + size[row.id]
