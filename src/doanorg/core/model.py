"""The organisation tree: units, their parents, and the checks a tree must pass.

A *unit* is one union organisation (a chapter, a grassroots union, ...): an
``id`` unique in the tree, a ``kind`` from the schema, a Vietnamese ``name``
(NFC-normalised) and optional attributes such as ``members``.

An :class:`Org` holds its units in *tree order*: depth-first from the root,
a unit's children in the order they were given. In tree order a unit's
*subtree* (the unit and all its descendants) is one contiguous run of
positions, ``[position, end)``, which is what lets the engine assess any
subtree from one bottom-up pass (see :mod:`doanorg.core.engine`).

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

import math
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any, TypeVar, overload

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from doanorg.core._texts import ArrowTexts, CodedTexts, normalise, normalise_all, texts_at
from doanorg.core.schema import Schema
from doanorg.errors import OrgError, Problem, UnknownUnit

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Org", "OrgColumns", "Unit", "UnitRow", "build_org", "build_org_columns", "normalise",
           "normalise_all", "subtree_sums"]

AttributeValue = str | int | float
AttributeColumn = tuple[AttributeValue | None, ...] | npt.NDArray[np.int64]
"""One attribute's values, one per unit: an int64 array when every unit has a whole
number (as member counts are), else a tuple with ``None`` where a unit has none."""


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


@attrs.frozen
class OrgColumns:
    """The units of an organisation as columns, one entry per unit, before the tree
    is checked: what a file or a data frame holds. :func:`build_org_columns` checks it.

    ``parents`` holds ``""`` for the root; an attribute column holds ``None``
    where a unit has no value; ``lines`` (if known) is where each unit stands
    in its file, for messages.
    """

    ids: Sequence[str]
    parents: Sequence[str]
    kinds: Sequence[str]
    names: Sequence[str]
    attributes: Mapping[str, Sequence[AttributeValue | None] | npt.NDArray[np.int64]] = \
        attrs.field(factory=dict)
    lines: Sequence[int] | npt.NDArray[np.int64] | None = None

    @classmethod
    def from_rows(cls, rows: Iterable[UnitRow]) -> OrgColumns:
        """The columns of ``rows``: each attribute any row has becomes a column."""
        given = list(rows)
        names = list(dict.fromkeys(name for row in given for name in row.attributes))
        return cls(
            [row.id for row in given], [row.parent or "" for row in given],
            [row.kind for row in given], [row.name for row in given],
            {name: [row.attributes.get(name) for row in given] for name in names},
            None if any(row.line is None for row in given) else [
                row.line for row in given if row.line is not None],
        )


def _attribute(column: AttributeColumn, position: int) -> AttributeValue | None:
    """The attribute value at ``position``, as a Python value."""
    value = column[position]
    return value.item() if isinstance(value, np.generic) else value


def _stored(column: Sequence[AttributeValue | None] | npt.NDArray[np.int64]
            ) -> AttributeColumn:
    """An attribute column as an :data:`AttributeColumn`."""
    if isinstance(column, np.ndarray):
        return column.astype(np.int64, copy=False)
    if set(map(type, column)) == {int}:
        try:
            return np.array(column, dtype=np.int64)
        except OverflowError:
            pass
    return tuple(column)


def _index(ids: Sequence[str]) -> dict[str, int]:
    """Each id's position in ``ids`` (the last, if an id is repeated)."""
    return dict(zip(ids, range(len(ids)), strict=True))


class _Units(Sequence[Unit]):
    """An :class:`Org`'s units in tree order, each :class:`Unit` made when asked for."""

    def __init__(self, org: Org) -> None:
        self._org = org

    def __len__(self) -> int:
        return len(self._org)

    @overload
    def __getitem__(self, index: int) -> Unit: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Unit, ...]: ...

    def __getitem__(self, index: int | slice) -> Unit | tuple[Unit, ...]:
        if isinstance(index, slice):
            return tuple(map(self._org.unit_at, range(len(self))[index]))
        return self._org.unit_at(range(len(self))[index])

    def __iter__(self) -> Iterator[Unit]:
        return map(self._org.unit_at, range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(map(operator.eq, self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"<{len(self)} units of {self._org.root.id!r}>"


_Made = TypeVar("_Made")


@attrs.frozen(eq=False)
class Org:
    """A valid organisation tree, units in tree order. Build it with :func:`build_org`
    (from rows) or :func:`build_org_columns` (from columns).

    ``len(org)``, ``iter(org)`` (tree order), ``unit_id in org`` and
    ``org[unit_id]`` work as for a mapping of ids to units. The tree is held
    as columns, one entry per unit in tree order (ids, kinds, names, each
    attribute, parent positions, subtree ends); a :class:`Unit` is made when
    one is asked for, so that a tree of a million units stays small.
    """

    _ids: tuple[str, ...] | None = attrs.field(alias="ids", repr=False)
    names: Sequence[str]
    """Each unit's name, in tree order (held compactly)."""
    kind_names: tuple[str, ...]
    """The kinds present in the tree, in order of first appearance in the input."""
    kind_codes: npt.NDArray[np.int16] = attrs.field(repr=False)
    """Each unit's kind as an index into :attr:`kind_names`."""
    attribute_columns: Mapping[str, AttributeColumn] = attrs.field(repr=False)
    """Each attribute's values in tree order (see :data:`AttributeColumn`)."""
    parent_array: npt.NDArray[np.int64] = attrs.field(repr=False)
    """Position of each unit's parent in tree order; -1 for the root."""
    end_array: npt.NDArray[np.int64] = attrs.field(repr=False)
    """Each unit's subtree is the positions ``[position, end_array[position])``."""
    schema: Schema
    warnings: tuple[Problem, ...] = ()
    source: str | None = None
    _positions: Mapping[str, int] | None = attrs.field(default=None, repr=False,
                                                       alias="positions")
    _id_array: pa.Array | None = attrs.field(default=None, repr=False, alias="id_array")
    _id_texts: Sequence[str] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for array in (self.kind_codes, self.parent_array, self.end_array):
            array.setflags(write=False)
        if self._ids is None and self._id_array is None:
            raise ValueError("an organisation needs its ids, as a tuple or as an array")
        object.__setattr__(self, "_id_texts", self._ids if self._ids is not None
                           else ArrowTexts(self._id_array))

    @property
    def ids(self) -> tuple[str, ...]:
        """Each unit's id, in tree order.

        A tree read from a file keeps its ids in the file's pyarrow column, and makes
        this tuple of a million strings only when it is first asked for; reports
        and facts read the ids they need from the column (:attr:`id_texts`)."""
        return self._kept("_ids", lambda: tuple(self.id_texts))

    @property
    def id_texts(self) -> Sequence[str]:
        """Each unit's id, in tree order, held compactly: :attr:`ids` itself, or the
        pyarrow column the ids were read from (read many at once with
        :func:`~doanorg.core._texts.texts_at`). The same object every time."""
        return self._id_texts

    def ids_at(self, positions: Sequence[int]) -> list[str]:
        """The ids at ``positions`` (tree order), many at once: from the tuple
        :attr:`ids` once it is made (by a lookup of units by id, for one), else from
        the column."""
        return texts_at(self._ids if self._ids is not None else self._id_texts, positions)

    @property
    def positions(self) -> Mapping[str, int]:
        """Each id's position in tree order: made from :attr:`ids` the first time a
        unit is looked up by id (about 0.4 s for a million units), if not given."""
        return self._kept("_positions", lambda: _index(self.ids))

    @property
    def id_array(self) -> pa.Array:
        """The ids in tree order as one pyarrow array (facts are matched with it in C):
        kept from the file the tree was read from, else made when first asked for."""
        return self._kept("_id_array", lambda: pa.array(self.id_texts, pa.string()))

    def _kept(self, field: str, make: Callable[[], _Made]) -> _Made:
        """The value of the private ``field``, made by ``make`` and kept the first time
        it is asked for (a frozen tree's lazily made parts)."""
        value: _Made | None = getattr(self, field)
        if value is None:
            value = make()
            object.__setattr__(self, field, value)
        return value

    @property
    def units(self) -> Sequence[Unit]:
        """The units in tree order (a sequence: index it, slice it, iterate it)."""
        return _Units(self)

    @property
    def parents(self) -> npt.NDArray[np.int64]:
        """Position of each unit's parent in tree order; -1 for the root (read-only)."""
        return self.parent_array

    @property
    def ends(self) -> npt.NDArray[np.int64]:
        """Each unit's subtree is ``units[position:ends[position]]`` (read-only)."""
        return self.end_array

    def unit_at(self, position: int) -> Unit:
        """The unit at ``position`` in tree order."""
        return Unit(
            self.ids[position], self.kind_names[self.kind_codes[position]], self.names[position],
            {name: value for name, column in self.attribute_columns.items()
             if (value := _attribute(column, position)) is not None},
        )

    def __len__(self) -> int:
        return len(self.parent_array)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.positions

    def __getitem__(self, unit_id: str) -> Unit:
        return self.unit_at(self.position(unit_id))

    @property
    def root(self) -> Unit:
        """The unit at the top of the tree."""
        return self.unit_at(0)

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
        parent = int(self.parent_array[self.position(unit_id)])
        return None if parent < 0 else self.unit_at(parent)

    def children(self, unit_id: str) -> tuple[Unit, ...]:
        """The units directly below ``unit_id``, in input order."""
        position = self.position(unit_id)
        children = []
        child, end = position + 1, int(self.end_array[position])
        while child < end:
            children.append(self.unit_at(child))
            child = int(self.end_array[child])
        return tuple(children)

    def subtree(self, unit_id: str) -> tuple[Unit, ...]:
        """``unit_id`` and all its descendants, in tree order."""
        position = self.position(unit_id)
        return tuple(map(self.unit_at, range(position, int(self.end_array[position]))))

    def depth(self, unit_id: str) -> int:
        """How many units stand above ``unit_id`` (0 for the root)."""
        depth, position = 0, int(self.parent_array[self.position(unit_id)])
        while position >= 0:
            depth, position = depth + 1, int(self.parent_array[position])
        return depth

    def columns(self) -> OrgColumns:
        """The tree as columns, in tree order: what :func:`build_org_columns` takes back."""
        values = (*self.ids, "")  # ids and parents coded over one list: "" is the root's
        return OrgColumns(
            CodedTexts(np.arange(len(self)), values, distinct=True),
            CodedTexts(np.where(self.parent_array >= 0, self.parent_array, len(self)), values,
                       distinct=True),
            CodedTexts(self.kind_codes, self.kind_names),
            self.names,
            self.attribute_columns,
        )

    def rows(self) -> tuple[UnitRow, ...]:
        """The tree as rows, in tree order: what :func:`build_org` takes back."""
        return tuple(
            UnitRow(unit.id, self.ids[parent] if parent >= 0 else None, unit.kind, unit.name,
                    unit.attributes)
            for unit, parent in zip(self.units, self.parent_array.tolist(), strict=True)
        )

    def to_frame(self, backend: str = "pyarrow") -> Any:
        """One row a unit, in tree order (``id, parent, kind, name`` and the attributes;
        the root's parent null), as a frame of the kind ``backend`` names:
        ``"pyarrow"`` (a :class:`pyarrow.Table`), ``"pandas"`` or ``"polars"``.
        :func:`doanorg.load_org` takes such a frame back."""
        from doanorg.core._frames import frame_of, org_frame

        return frame_of(org_frame(self), backend)

    def to_networkx(self) -> nx.DiGraph[str]:
        """A new networkx DiGraph of the tree: edges run parent → child.

        Each node carries ``kind``, ``name`` and the unit's attributes.
        networkx is imported here, on first use, so that a command-line run
        that never asks for the graph does not pay for it.
        """
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        for unit, parent in zip(self.units, self.parent_array.tolist(), strict=True):
            graph.add_node(unit.id, **unit.attributes, kind=unit.kind, name=unit.name)
            if parent >= 0:
                graph.add_edge(self.ids[parent], unit.id)
        return graph


def build_org(rows: Iterable[UnitRow], schema: Schema, *, source: str | None = None) -> Org:
    """Check ``rows`` against ``schema`` and build the tree.

    Ids, parents, kinds and names are trimmed and NFC-normalised first.
    Every problem is collected, then one :class:`~doanorg.OrgError` lists
    them all: duplicate ids, unknown kinds, unknown parents, no root or
    several roots, cycles, and kinds not allowed under their parent's kind.
    """
    return build_org_columns(OrgColumns.from_rows(rows), schema, source=source)


def build_org_columns(
    columns: OrgColumns, schema: Schema, *, source: str | None = None
) -> Org:
    """Check ``columns`` against ``schema`` and build the tree: :func:`build_org` for
    units given as columns. The same checks, and every problem reported at once.

    >>> from doanorg.io import builtin_schema
    >>> org = build_org_columns(OrgColumns(
    ...     ids=["k", "cs"], parents=["", "k"], kinds=["khoi", "doan_co_so"],
    ...     names=["Đoàn Khối", "Đoàn cơ sở A"], attributes={"members": [None, 31]},
    ... ), builtin_schema("doan"))
    >>> org["cs"]
    Unit(id='cs', kind='doan_co_so', name='Đoàn cơ sở A', attributes={'members': 31})
    """
    count = len(columns.ids)
    if any(len(column) != count for column in (columns.parents, columns.kinds, columns.names,
                                               *columns.attributes.values())):
        raise ValueError("every column of an organisation needs one entry per unit")
    checker = _Checker(columns, schema, source)
    ids, kinds = checker.ids, checker.kinds
    if isinstance(kinds, CodedTexts):
        kind_names, kind_codes = kinds.first_appearance()
    else:
        kind_names = tuple(dict.fromkeys(kinds))
        code_of = {kind: code for code, kind in enumerate(kind_names)}
        kind_codes = np.fromiter(map(code_of.__getitem__, kinds), dtype=np.int16,
                                 count=len(kinds))
    checker.check_kinds(kind_names, kind_codes)
    parent_of = checker.parent_positions(kind_names, kind_codes)
    roots = checker.roots()
    tree_order, parent_array, end_array = _tree_order(
        roots[0] if len(roots) == 1 else None, parent_of)
    if len(tree_order) < len(ids):
        checker.cycles(parent_of, tree_order)
    checker.raise_problems()

    in_order = bool((tree_order == np.arange(len(ids))).all())

    def arranged(column: Sequence[Any]) -> tuple[Any, ...]:
        if isinstance(column, CodedTexts):
            column = column.decoded()
        return tuple(column) if in_order else tuple(column[p] for p in tree_order.tolist())

    def arranged_attribute(column: AttributeColumn) -> AttributeColumn:
        if isinstance(column, np.ndarray):
            return column if in_order else column[tree_order]
        return arranged(column)

    # ids read from a file stay in its pyarrow column (put in tree order in C)
    arrow = ids.arrow if isinstance(ids, CodedTexts) else None
    names = ArrowTexts.of(checker.names)
    org = Org(
        arranged(ids) if arrow is None else None,
        names if in_order else names.take(tree_order.tolist()), kind_names,
        kind_codes if in_order else kind_codes[tree_order],
        {name: arranged_attribute(_stored(column))
         for name, column in checker.attributes.items()},
        parent_array, end_array, schema, source=source,
        positions=checker.positions if in_order else None,
        id_array=arrow if arrow is None or in_order else arrow.take(pa.array(tree_order)),
    )
    lines = checker.lines
    return attrs.evolve(org, warnings=tuple(_size_warnings(
        org, None if lines is None else lambda position: int(lines[tree_order[position]]),
        source)))


def _coded_alike(ids: Sequence[str], parents: Sequence[str]) -> bool:
    """Whether ``ids`` and ``parents`` are coded over one list of distinct values."""
    return (isinstance(ids, CodedTexts) and isinstance(parents, CodedTexts)
            and ids.distinct and parents.values is ids.values)


def _rows_of_values(ids: Sequence[str], parents: Sequence[str]
                    ) -> npt.NDArray[np.int64] | None:
    """For ids and parents coded over one list of distinct values: each value's row
    among the ids (-2: not an id; -1: the empty value, a root's parent), so that each
    parent is found by its code, with no lookup by text. ``None`` when they are not
    so coded, or when an id is repeated or empty: the checks by text report those."""
    if not (isinstance(ids, CodedTexts) and _coded_alike(ids, parents)):
        return None
    count = len(ids.codes)
    rows = np.full(len(ids.values), -2, dtype=np.int64)
    if count and ids.codes[-1] == count - 1 and np.array_equal(ids.codes, np.arange(count)):
        rows[:count] = ids.codes  # (as one coding of ids, then parents, gives unique ids)
    else:
        rows[ids.codes] = np.arange(count)
        if np.count_nonzero(rows >= 0) != count:
            return None  # two rows share a code: a repeated id
    if "" in ids.values:
        empty = ids.values.index("")
        if rows[empty] >= 0:
            return None
        rows[empty] = -1
    return rows


class _Checker:
    """The checks of :func:`build_org_columns`, collecting every problem found."""

    def __init__(self, columns: OrgColumns, schema: Schema, source: str | None) -> None:
        self.schema, self.source = schema, source
        self.problems: list[tuple[int, Problem]] = []  # (input row, problem)
        self.lines = columns.lines
        self.keep: list[int] | None = None  # the input rows kept, when some are dropped
        ids = normalise_all(columns.ids)
        parents = columns.parents
        if not (ids is columns.ids and _coded_alike(ids, parents)):
            parents = normalise_all(parents)  # (values shared with the ids are just checked)
        #: each coded value's row among the ids (-2: none, -1: the root's empty parent),
        #: when ids and parents are coded over one list; else each id's row, by text
        self.rows_of_values = _rows_of_values(ids, parents)
        self.positions: dict[str, int] | None = None
        keep = None
        if self.rows_of_values is None:
            self.positions = _index(ids)
            if len(self.positions) != len(ids) or "" in self.positions:
                keep = self._unique(ids, columns.lines)

        def kept(column: Any) -> Any:
            return column if keep is None else [column[row] for row in keep]

        self.ids: Sequence[str] = kept(ids)
        self.parents: Sequence[str] = kept(parents)
        self.kinds: Sequence[str] = kept(normalise_all(columns.kinds))
        self.names: Sequence[str] = kept(normalise_all(columns.names))
        self.attributes = {name: kept(column) for name, column in columns.attributes.items()}
        if keep is not None:
            self.lines = kept(columns.lines) if columns.lines is not None else None
            self.positions = _index(self.ids)
            self.keep = keep
        if not self.ids and not self.problems:
            self._problem(None, "the organisation has no units")

    def _problem(self, row: int | None, message: str, unit: str | None = None) -> None:
        """A problem of ``row`` (a kept row once rows are dropped; ``None``: the tree's)."""
        line = None if row is None or self.lines is None else int(self.lines[row])
        order = len(self.problems) + (1 << 62) if row is None else (
            row if self.keep is None else self.keep[row])
        self.problems.append((order, Problem(message, file=self.source, line=line, unit=unit)))

    def _unique(self, ids: Sequence[str], lines: Sequence[int] | npt.NDArray[np.int64] | None
                ) -> list[int]:
        """The rows to keep: the first of each id; empty and repeated ids reported."""
        first: dict[str, int] = {}
        keep = []
        for row, unit in enumerate(ids):
            if not unit:
                self._problem(row, "empty unit id")
            elif unit in first:
                where = f" (first at line {lines[first[unit]]})" if lines is not None else ""
                self._problem(row, f"duplicate unit id {unit!r}{where}", unit)
            else:
                first[unit] = row
                keep.append(row)
        return keep

    def _positions(self) -> dict[str, int]:
        """Each (kept) id's row."""
        if self.positions is None:
            self.positions = _index(self.ids)
        return self.positions

    def check_kinds(self, kind_names: tuple[str, ...], codes: npt.NDArray[np.int16]) -> None:
        known = ", ".join(self.schema.kinds)
        for code, kind in enumerate(kind_names):
            if kind not in self.schema.kinds:
                for row in np.flatnonzero(codes == code).tolist():
                    unit = self.ids[row]
                    self._problem(row, f"unit {unit!r}: unknown kind {kind!r} "
                                       f"(the schema {self.schema.id!r} has {known})", unit)

    def parent_positions(self, kind_names: tuple[str, ...],
                         codes: npt.NDArray[np.int16]) -> npt.NDArray[np.int64]:
        """Each row's parent row (-1: none), unknown parents and disallowed kinds reported."""
        parents, count = self.parents, len(self.ids)
        if isinstance(parents, CodedTexts):  # each distinct parent looked up once
            found = self.rows_of_values
            if found is None:
                positions = self._positions()
                found = np.array([positions.get(parent, -2) if parent else -1
                                  for parent in parents.values], dtype=np.int64)
            parent_of = found[parents.codes] if len(found) else np.zeros(0, dtype=np.int64)
            self.rootless = parent_of == -1
        else:
            parent_of = np.fromiter(map(self._positions().get, parents, repeat(-2, count)),
                                    dtype=np.int64, count=count)
            self.rootless = np.fromiter(map(operator.not_, parents), dtype=bool, count=count)
            parent_of[self.rootless] = -1
        kinds = self.schema.kinds
        allowed = np.array([[child not in kinds or parent not in kinds
                             or self.schema.allows(child, under=parent)
                             for parent in kind_names] for child in kind_names],
                           dtype=bool).reshape(len(kind_names), len(kind_names))  # (none: 0 × 0)
        linked = parent_of >= 0
        parent_codes = codes[np.where(linked, parent_of, 0)]
        wrong = (parent_of == -2) | (linked & ~allowed[codes, parent_codes])
        for row in np.flatnonzero(wrong).tolist():
            unit, parent = self.ids[row], self.parents[row]
            if parent_of[row] == -2:
                self._problem(row, f"unit {unit!r}: parent {parent!r} is not in the "
                                   "organisation", unit)
                continue
            kind, parent_kind = self.kinds[row], self.kinds[int(parent_of[row])]
            allowed_under = ", ".join(sorted(kinds[kind].parents)) or "nothing (a root)"
            self._problem(row, f"unit {unit!r}: a {kind} may not stand under the "
                               f"{parent_kind} {parent!r} (allowed under: {allowed_under})", unit)
        parent_of[parent_of == -2] = -1
        return parent_of

    def roots(self) -> list[int]:
        roots: list[int] = np.flatnonzero(self.rootless).tolist()
        if self.ids and not roots:
            self._problem(None, "the organisation has no root (every unit names a parent)")
        for extra in roots[1:]:
            unit = self.ids[extra]
            self._problem(extra, f"unit {unit!r} has no parent, but {self.ids[roots[0]]!r} "
                                 f"is already the root; the organisation must have exactly "
                                 f"one root ({len(roots)} found)", unit)
        return roots

    def cycles(self, parent_of: npt.NDArray[np.int64],
               reached: npt.NDArray[np.int64]) -> None:
        """Report units on a cycle of parents: not reached from the root, and whose
        chain of parents loops."""
        settled = np.zeros(len(parent_of), dtype=bool)
        settled[reached] = True
        settled[parent_of == -1] = True  # roots, and units whose parent is unknown
        on_cycle: set[int] = set()
        for start in np.flatnonzero(~settled).tolist():
            path: list[int] = []
            seen_at: dict[int, int] = {}
            row = start
            while row >= 0 and not settled[row]:
                if row in seen_at:
                    on_cycle.update(path[seen_at[row]:])
                    break
                seen_at[row] = len(path)
                path.append(row)
                row = int(parent_of[row])
            settled[path] = True
        for row in sorted(on_cycle):
            self._problem(row, f"unit {self.ids[row]!r} is in a cycle of parents", self.ids[row])

    def raise_problems(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda found: found[0])
            raise OrgError([problem for _, problem in self.problems])


def _tree_order(
    root: int | None, parent_of: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
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
        return empty, empty, empty
    count = len(parent_of)
    siblings = np.argsort(parent_of, kind="stable")  # grouped by parent, input order
    grouped = parent_of[siblings]
    # unit p's children are siblings[first[p]:last[p]] (the units with no parent come first)
    children = np.bincount(parent_of + 1, minlength=count + 1)
    last = np.cumsum(children)[1:]
    first = last - children[1:]
    levels = [np.array([root], dtype=np.int64)]
    while True:  # breadth first: the children of a whole level at once
        above = levels[-1]
        widths = last[above] - first[above]
        if not widths.sum():
            break
        starts = np.repeat(first[above] - np.cumsum(widths) + widths, widths)
        levels.append(siblings[starts + np.arange(widths.sum())])
    size = np.ones(count, dtype=np.int64)
    for level in reversed(levels[1:]):  # (bincount: a scattered sum in one C pass)
        size += np.bincount(parent_of[level], weights=size[level],
                            minlength=count).astype(np.int64)
    # the sizes of a unit's earlier siblings: running sums within each parent's group
    running = np.cumsum(size[siblings]) - size[siblings]
    earlier = np.empty(count, dtype=np.int64)
    group_start = running[np.minimum(first[np.maximum(grouped, 0)], count - 1)]
    earlier[siblings] = running - group_start
    position = np.full(count, -1, dtype=np.int64)
    position[root] = 0
    for level in levels[1:]:
        position[level] = position[parent_of[level]] + 1 + earlier[level]
    order = np.arange(count)
    if root == 0 and (position == order).all():  # listed in tree order: as given
        return order, parent_of, order + size
    reached = np.concatenate(levels)
    order = np.empty(len(reached), dtype=np.int64)
    order[position[reached]] = reached
    parents = np.where(order == root, -1, position[parent_of[order]])
    return order, parents, position[order] + size[order]


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


def _size_warnings(org: Org, line_of: Callable[[int], int] | None, source: str | None
                   ) -> Iterator[Problem]:
    """The Charter's size minimums, as warnings: every unit checked at once, descendants
    counted in one pass; ``line_of`` gives a unit's line in its file from its position."""
    codes = {kind: code for code, kind in enumerate(org.kind_names)}
    below: dict[str, npt.NDArray[np.int64]] = {}
    for kind in {kind for spec in org.schema.kinds.values() for kind in spec.minimum.descendants}:
        marks = org.kind_codes == codes.get(kind, -1)
        below[kind] = subtree_sums(marks, org.end_array) - marks
    column = org.attribute_columns.get("members")
    members = _numbers(column, len(org))
    for kind, spec in org.schema.kinds.items():
        minimum = spec.minimum
        if kind not in codes or (minimum.members is None and not minimum.descendants):
            continue
        of_kind = org.kind_codes == codes[kind]
        few_members = of_kind & (members < (minimum.members if minimum.members is not None
                                            else -np.inf))
        few_below = {counted: of_kind & (below[counted] < least)
                     for counted, least in minimum.descendants.items()}
        for position in np.flatnonzero(np.logical_or.reduce(
                [few_members, *few_below.values()])).tolist():
            unit = org.id_texts[position]
            line = None if line_of is None else line_of(position)
            if few_members[position] and column is not None:
                yield Problem(
                    f"unit {unit!r}: a {kind} should have at least {minimum.members} "
                    f"members (the Charter); it has {_attribute(column, position):g}",
                    file=source, line=line, unit=unit,
                )
            for counted, least in minimum.descendants.items():
                if few_below[counted][position]:
                    yield Problem(
                        f"unit {unit!r}: a {kind} should have at least {least} "
                        f"{counted} below it (the Charter); it has {below[counted][position]}",
                        file=source, line=line, unit=unit,
                    )


def _numbers(column: AttributeColumn | None, count: int) -> npt.NDArray[np.float64]:
    """An attribute's numeric values as floats; NaN where a unit has no number."""
    if column is None:
        return np.full(count, np.nan)
    if isinstance(column, np.ndarray):
        return column.astype(np.float64)
    return np.array([_float(value) if isinstance(value, int | float) else np.nan
                     for value in column], dtype=np.float64)


def _float(number: int | float) -> float:
    """``number`` as a float: infinity for a whole number beyond the floats."""
    try:
        return float(number)
    except OverflowError:
        return math.inf
