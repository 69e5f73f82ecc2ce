"""The organisation tree: units, their parents, and the checks a tree must pass.

A *unit* is one union organisation (a chapter, a grassroots union, ...): an
``id`` unique in the tree, a ``kind`` from the schema, a Vietnamese ``name``
(NFC-normalised) and optional attributes such as ``members``.

An :class:`Org` holds its units in *tree order*: depth-first from the root,
a unit's children in the order they were given. In tree order a unit's
*subtree* (the unit and all its descendants) is one contiguous run of
positions, ``[position, end)``, which is what lets the engine assess any
subtree from one bottom-up pass (see :mod:`doanorg.engine`).

A *valid* tree has exactly one root, no cycles, unique ids, every parent
present, and every unit's kind allowed under its parent's kind.
:func:`build_org` checks all of these and reports every problem at once.
The Charter's size minimums are only warnings, kept in ``Org.warnings``.

Examples
--------
>>> from doanorg.io import builtin_schema
>>> org = build_org([
...     UnitRow("k", None, "khoi", "Đoàn Khối"),
...     UnitRow("c1", "cs", "chi_doan", "Chi đoàn 1", {"members": 12}),
...     UnitRow("cs", "k", "doan_co_so", "Đoàn cơ sở A"),
... ], builtin_schema("doan"))
>>> [unit.id for unit in org]
['k', 'cs', 'c1']
>>> org.parent("c1").id, [unit.id for unit in org.subtree("cs")]
('cs', ['cs', 'c1'])
>>> sorted(org.to_networkx().edges())
[('cs', 'c1'), ('k', 'cs')]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from doanorg.errors import OrgError, Problem, UnknownUnit
from doanorg.schema import Schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Org", "Unit", "UnitRow", "build_org", "normalise", "subtree_sums"]

AttributeValue = str | int | float


def normalise(text: str) -> str:
    """Trim ``text`` and put it in Unicode NFC form, as ids and names are stored.

    >>> normalise("  Chi đoa\u0300n ") == "Chi đoàn"
    True
    """
    return unicodedata.normalize("NFC", text.strip())


@attrs.frozen
class Unit:
    """One unit of the organisation."""

    id: str
    kind: str
    name: str
    attributes: Mapping[str, AttributeValue] = attrs.field(factory=dict)


@attrs.frozen
class UnitRow:
    """One unit as a file or a program states it, before the tree is checked.

    ``parent`` is ``None`` (or empty) for the root; ``line`` is where the
    row stands in its file, for messages.
    """

    id: str
    parent: str | None
    kind: str
    name: str
    attributes: Mapping[str, AttributeValue] = attrs.field(factory=dict)
    line: int | None = None


@attrs.frozen(eq=False)
class Org:
    """A valid organisation tree, units in tree order. Build it with :func:`build_org`.

    ``len(org)``, ``iter(org)`` (tree order), ``unit_id in org`` and
    ``org[unit_id]`` work as for a mapping of ids to units.
    """

    units: tuple[Unit, ...]
    parents: tuple[int, ...]
    """Position of each unit's parent in :attr:`units`; -1 for the root."""
    ends: tuple[int, ...]
    """Each unit's subtree is ``units[position:ends[position]]``."""
    schema: Schema
    warnings: tuple[Problem, ...] = ()
    source: str | None = None
    positions: Mapping[str, int] = attrs.field(init=False, repr=False)
    parent_array: npt.NDArray[np.int64] = attrs.field(init=False, repr=False)
    """:attr:`parents` as a numpy array, for the engine."""
    end_array: npt.NDArray[np.int64] = attrs.field(init=False, repr=False)
    """:attr:`ends` as a numpy array, for the engine."""
    kind_names: tuple[str, ...] = attrs.field(init=False, repr=False)
    """The kinds present in the tree, in order of first appearance."""
    kind_codes: npt.NDArray[np.int16] = attrs.field(init=False, repr=False)
    """Each unit's kind as an index into :attr:`kind_names`."""

    @positions.default
    def _positions(self) -> dict[str, int]:
        return {unit.id: position for position, unit in enumerate(self.units)}

    @parent_array.default
    def _parent_array(self) -> npt.NDArray[np.int64]:
        return np.array(self.parents, dtype=np.int64)

    @end_array.default
    def _end_array(self) -> npt.NDArray[np.int64]:
        return np.array(self.ends, dtype=np.int64)

    @kind_names.default
    def _kind_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(unit.kind for unit in self.units))

    @kind_codes.default
    def _kind_codes(self) -> npt.NDArray[np.int16]:
        codes = {kind: code for code, kind in enumerate(self.kind_names)}
        return np.array([codes[unit.kind] for unit in self.units], dtype=np.int16)

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.positions

    def __getitem__(self, unit_id: str) -> Unit:
        return self.units[self.position(unit_id)]

    @property
    def root(self) -> Unit:
        """The unit at the top of the tree."""
        return self.units[0]

    def position(self, unit_id: str) -> int:
        """The unit's position in tree order; :class:`~doanorg.UnknownUnit` if absent."""
        try:
            return self.positions[unit_id]
        except KeyError:
            raise UnknownUnit(
                [Problem(f"unit {unit_id!r} is not in the organisation", unit=unit_id)]
            ) from None

    def parent(self, unit_id: str) -> Unit | None:
        """The unit directly above ``unit_id``; ``None`` for the root."""
        parent = self.parents[self.position(unit_id)]
        return None if parent < 0 else self.units[parent]

    def children(self, unit_id: str) -> tuple[Unit, ...]:
        """The units directly below ``unit_id``, in input order."""
        position = self.position(unit_id)
        children = []
        child = position + 1
        while child < self.ends[position]:
            children.append(self.units[child])
            child = self.ends[child]
        return tuple(children)

    def subtree(self, unit_id: str) -> tuple[Unit, ...]:
        """``unit_id`` and all its descendants, in tree order."""
        position = self.position(unit_id)
        return self.units[position : self.ends[position]]

    def depth(self, unit_id: str) -> int:
        """How many units stand above ``unit_id`` (0 for the root)."""
        depth, position = 0, self.parents[self.position(unit_id)]
        while position >= 0:
            depth, position = depth + 1, self.parents[position]
        return depth

    def rows(self) -> tuple[UnitRow, ...]:
        """The tree as rows, in tree order: what :func:`build_org` takes back."""
        return tuple(
            UnitRow(
                unit.id,
                None if parent < 0 else self.units[parent].id,
                unit.kind,
                unit.name,
                unit.attributes,
            )
            for unit, parent in zip(self.units, self.parents, strict=True)
        )

    def to_networkx(self) -> nx.DiGraph[str]:
        """A new networkx DiGraph of the tree: edges run parent → child.

        Each node carries ``kind``, ``name`` and the unit's attributes.
        networkx is imported here, on first use, so that a command-line run
        that never asks for the graph does not pay for it.
        """
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        for unit, parent in zip(self.units, self.parents, strict=True):
            graph.add_node(unit.id, **unit.attributes, kind=unit.kind, name=unit.name)
            if parent >= 0:
                graph.add_edge(self.units[parent].id, unit.id)
        return graph


def build_org(rows: Iterable[UnitRow], schema: Schema, *, source: str | None = None) -> Org:
    """Check ``rows`` against ``schema`` and build the tree.

    Ids, parents, kinds and names are trimmed and NFC-normalised first.
    Every problem is collected, then one :class:`~doanorg.OrgError` lists
    them all: duplicate ids, unknown kinds, unknown parents, no root or
    several roots, cycles, and kinds not allowed under their parent's kind.
    """
    problems: list[Problem] = []

    def problem(message: str, row: UnitRow | None = None, unit: str | None = None) -> None:
        problems.append(
            Problem(message, file=source, line=row.line if row else None, unit=unit)
        )

    by_id: dict[str, UnitRow] = {}
    order: list[str] = []
    for raw in rows:
        fields = (normalise(raw.id), normalise(raw.parent) if raw.parent else None,
                  normalise(raw.kind), normalise(raw.name))
        row = raw if fields == (raw.id, raw.parent, raw.kind, raw.name) else UnitRow(
            *fields, raw.attributes, raw.line)
        if not row.id:
            problem("empty unit id", row)
            continue
        if row.id in by_id:
            first = by_id[row.id].line
            where = f" (first at line {first})" if first is not None else ""
            problem(f"duplicate unit id {row.id!r}{where}", row, row.id)
            continue
        if row.kind not in schema.kinds:
            problem(
                f"unit {row.id!r}: unknown kind {row.kind!r} "
                f"(the schema {schema.id!r} has {', '.join(schema.kinds)})",
                row,
                row.id,
            )
        by_id[row.id] = row
        order.append(row.id)

    if not order and not problems:
        problem("the organisation has no units")

    index = {unit_id: position for position, unit_id in enumerate(order)}
    parent_of = np.full(len(order), -1, dtype=np.int64)  # input positions; -1: none
    roots: list[str] = []
    for position, unit_id in enumerate(order):
        row = by_id[unit_id]
        if row.parent is None:
            roots.append(unit_id)
        elif row.parent not in by_id:
            problem(f"unit {unit_id!r}: parent {row.parent!r} is not in the organisation", row,
                    unit_id)
        else:
            parent_of[position] = index[row.parent]
            parent_kind = by_id[row.parent].kind
            if (
                row.kind in schema.kinds
                and parent_kind in schema.kinds
                and not schema.allows(row.kind, under=parent_kind)
            ):
                allowed = ", ".join(sorted(schema.kinds[row.kind].parents)) or "nothing (a root)"
                problem(
                    f"unit {unit_id!r}: a {row.kind} may not stand under the "
                    f"{parent_kind} {row.parent!r} (allowed under: {allowed})",
                    row,
                    unit_id,
                )

    if order and not roots:
        problem("the organisation has no root (every unit names a parent)")
    elif len(roots) > 1:
        for extra in roots[1:]:
            problem(
                f"unit {extra!r} has no parent, but {roots[0]!r} is already the root; "
                f"the organisation must have exactly one root ({len(roots)} found)",
                by_id[extra], extra,
            )

    root = index[roots[0]] if len(roots) == 1 else None
    tree_order, parents, ends = _tree_order(root, parent_of)
    reached = {order[position] for position in tree_order} if len(tree_order) < len(order) \
        else set(order)
    for unit_id in _cycles(order, by_id, reached):
        problem(f"unit {unit_id!r} is in a cycle of parents", by_id[unit_id], unit_id)

    if problems:
        raise OrgError(problems)
    units = tuple(
        Unit(row.id, row.kind, row.name, dict(row.attributes))
        for row in (by_id[order[position]] for position in tree_order)
    )
    org = Org(units, tuple(parents.tolist()), tuple(ends.tolist()), schema, source=source)
    return attrs.evolve(org, warnings=tuple(_size_warnings(org, by_id, source)))


def _tree_order(
    root: int | None, parent_of: npt.NDArray[np.int64]
) -> tuple[list[int], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Depth-first order from ``root`` (children in input order), level by level.

    ``parent_of`` gives each unit's parent as an input position (-1: none).
    Returns the input positions in tree order (only those reached from the
    root), and for each, in tree order, its parent's tree position (-1 for the
    root) and the end of its subtree. Every step works on a whole level of the
    tree at once: subtree sizes bottom-up, then each unit's position (its
    parent's, plus one, plus the sizes of its earlier siblings) top-down.
    """
    if root is None:
        empty = np.zeros(0, dtype=np.int64)
        return [], empty, empty
    count = len(parent_of)
    siblings = np.argsort(parent_of, kind="stable")  # grouped by parent, input order
    grouped = parent_of[siblings]
    first = np.searchsorted(grouped, np.arange(count), side="left")
    last = np.searchsorted(grouped, np.arange(count), side="right")
    levels = [np.array([root], dtype=np.int64)]
    while True:  # breadth first: the children of a whole level at once
        above = levels[-1]
        widths = last[above] - first[above]
        if not widths.sum():
            break
        starts = np.repeat(first[above] - np.cumsum(widths) + widths, widths)
        levels.append(siblings[starts + np.arange(widths.sum())])
    size = np.ones(count, dtype=np.int64)
    for level in reversed(levels[1:]):
        np.add.at(size, parent_of[level], size[level])
    # the sizes of a unit's earlier siblings: running sums within each parent's group
    running = np.cumsum(size[siblings]) - size[siblings]
    earlier = np.empty(count, dtype=np.int64)
    group_start = running[np.minimum(first[np.maximum(grouped, 0)], count - 1)]
    earlier[siblings] = running - group_start
    position = np.full(count, -1, dtype=np.int64)
    position[root] = 0
    for level in levels[1:]:
        position[level] = position[parent_of[level]] + 1 + earlier[level]
    reached = np.concatenate(levels)
    order = np.empty(len(reached), dtype=np.int64)
    order[position[reached]] = reached
    parents = np.where(order == root, -1, position[parent_of[order]])
    return order.tolist(), parents, position[order] + size[order]


def _cycles(order: Sequence[str], by_id: Mapping[str, UnitRow], reached: set[str]) -> list[str]:
    """Units on a cycle of parents: not reached from the root, and whose chain loops."""
    on_cycle: list[str] = []
    settled = set(reached)
    for start in order:
        if start in settled:
            continue
        path: list[str] = []
        seen_at: dict[str, int] = {}
        unit_id: str | None = start
        while unit_id is not None and unit_id in by_id and unit_id not in settled:
            if unit_id in seen_at:
                on_cycle.extend(path[seen_at[unit_id] :])
                break
            seen_at[unit_id] = len(path)
            path.append(unit_id)
            unit_id = by_id[unit_id].parent
        settled.update(path)
    position = {unit_id: index for index, unit_id in enumerate(order)}
    return sorted(on_cycle, key=position.__getitem__)


def subtree_sums(own: npt.NDArray[Any], ends: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """Every unit's subtree sum of ``own`` (one value per unit, tree order).

    In tree order the subtree of position ``s`` is ``[s, ends[s])``, so its
    sum is a difference of two running sums: one pass down the column serves
    every unit, and equals each unit's own value plus its children's sums.
    Marks (booleans) are counted in int32, other columns keep their type.

    >>> import numpy as np
    >>> subtree_sums(np.array([1, 2, 3]), np.array([3, 3, 3])).tolist()   # a chain
    [6, 5, 3]
    """
    dtype = np.int32 if own.dtype == bool else own.dtype
    running = np.zeros(len(own) + 1, dtype=dtype)
    np.cumsum(own, dtype=dtype, out=running[1:])
    return running[ends] - running[:-1]


def _size_warnings(
    org: Org, rows: Mapping[str, UnitRow], source: str | None
) -> Iterator[Problem]:
    """The Charter's size minimums, as warnings (descendants counted in one pass)."""
    codes = {kind: code for code, kind in enumerate(org.kind_names)}
    below: dict[str, npt.NDArray[np.int64]] = {}
    for kind in {kind for spec in org.schema.kinds.values() for kind in spec.minimum.descendants}:
        marks = org.kind_codes == codes.get(kind, -1)
        below[kind] = subtree_sums(marks, org.end_array) - marks
    for kind, spec in org.schema.kinds.items():
        minimum = spec.minimum
        if kind not in codes or (minimum.members is None and not minimum.descendants):
            continue
        for position in np.flatnonzero(org.kind_codes == codes[kind]).tolist():
            unit = org.units[position]
            line = rows[unit.id].line
            members = unit.attributes.get("members")
            if (minimum.members is not None and isinstance(members, int | float)
                    and members < minimum.members):
                yield Problem(
                    f"unit {unit.id!r}: a {unit.kind} should have at least {minimum.members} "
                    f"members (the Charter); it has {members:g}",
                    file=source, line=line, unit=unit.id,
                )
            for counted, least in minimum.descendants.items():
                found = int(below[counted][position])
                if found < least:
                    yield Problem(
                        f"unit {unit.id!r}: a {unit.kind} should have at least {least} "
                        f"{counted} below it (the Charter); it has {found}",
                        file=source, line=line, unit=unit.id,
                    )
