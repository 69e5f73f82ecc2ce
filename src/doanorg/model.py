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
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from doanorg.errors import OrgError, Problem, UnknownUnit
from doanorg.schema import Schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Org", "Unit", "UnitRow", "build_org", "normalise"]

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

    children: dict[str, list[str]] = {unit_id: [] for unit_id in order}
    roots: list[str] = []
    for unit_id in order:
        row = by_id[unit_id]
        if row.parent is None:
            roots.append(unit_id)
        elif row.parent not in by_id:
            problem(f"unit {unit_id!r}: parent {row.parent!r} is not in the organisation", row,
                    unit_id)
        else:
            children[row.parent].append(unit_id)
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

    tree_order, parents, ends = _tree_order(roots[0] if len(roots) == 1 else None, children)
    for unit_id in _cycles(order, by_id, set(tree_order)):
        problem(f"unit {unit_id!r} is in a cycle of parents", by_id[unit_id], unit_id)

    if problems:
        raise OrgError(problems)
    units = tuple(
        Unit(row.id, row.kind, row.name, dict(row.attributes))
        for row in (by_id[unit_id] for unit_id in tree_order)
    )
    org = Org(units, parents, ends, schema, source=source)
    return attrs.evolve(org, warnings=tuple(_size_warnings(org, by_id, source)))


def _tree_order(
    root: str | None, children: Mapping[str, Sequence[str]]
) -> tuple[list[str], tuple[int, ...], tuple[int, ...]]:
    """Depth-first order from ``root``, with parent positions and subtree ends."""
    if root is None:
        return [], (), ()
    order: list[str] = []
    parents: list[int] = []
    ends: list[int] = []
    stack: list[tuple[str, int]] = [(root, -1)]
    open_positions: list[int] = []  # positions whose subtree is still being laid out
    while stack:
        unit_id, parent = stack.pop()
        # close the subtrees that end before this unit starts
        while open_positions and open_positions[-1] != parent:
            ends[open_positions.pop()] = len(order)
        position = len(order)
        order.append(unit_id)
        parents.append(parent)
        ends.append(-1)
        open_positions.append(position)
        stack.extend((child, position) for child in reversed(children[unit_id]))
    while open_positions:
        ends[open_positions.pop()] = len(order)
    return order, tuple(parents), tuple(ends)


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


def _size_warnings(
    org: Org, rows: Mapping[str, UnitRow], source: str | None
) -> Iterator[Problem]:
    """The Charter's size minimums, as warnings (one bottom-up count of descendants)."""
    counted = {
        kind
        for spec in org.schema.kinds.values()
        for kind in spec.minimum.descendants
    }
    below: list[dict[str, int]] = [dict.fromkeys(counted, 0) for _ in org.units]
    for position in range(len(org.units) - 1, 0, -1):
        parent, unit = org.parents[position], org.units[position]
        for kind in counted:
            below[parent][kind] += below[position][kind] + (unit.kind == kind)
    for position, unit in enumerate(org.units):
        minimum = org.schema.kinds[unit.kind].minimum
        line = rows[unit.id].line
        members = unit.attributes.get("members")
        if (
            minimum.members is not None
            and isinstance(members, int | float)
            and members < minimum.members
        ):
            yield Problem(
                f"unit {unit.id!r}: a {unit.kind} should have at least {minimum.members} "
                f"members (the Charter); it has {members:g}",
                file=source, line=line, unit=unit.id,
            )
        for kind, least in minimum.descendants.items():
            if below[position][kind] < least:
                yield Problem(
                    f"unit {unit.id!r}: a {unit.kind} should have at least {least} {kind} "
                    f"below it (the Charter); it has {below[position][kind]}",
                    file=source, line=line, unit=unit.id,
                )
