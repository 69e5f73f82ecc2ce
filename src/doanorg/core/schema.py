"""Schemas: the kinds of unit, which kind may stand under which, and groups.

A *kind* is a level of the organisation (``chi_doan``, ``doan_co_so``, ...).
A *group* names a set of kinds and is usable wherever a kind is (``co_so``
stands for ``doan_co_so`` and ``chi_doan_co_so``). A schema says, for each
kind, the kinds it may stand directly under (none: it stands at the root)
and the Charter's size minimums that are reported as warnings.

A schema is data, never code: the built-in ``doan`` schema is a TOML file
shipped in the package, and a user's own file has the same shape (see
:func:`doanorg.load_schema`). This module turns such data into a
:class:`Schema` and checks it; it reads no file.

Examples
--------
>>> schema = Schema.from_mapping({
...     "id": "mini",
...     "kinds": {"khoi": {"parents": []},
...               "chi_doan": {"parents": ["khoi"], "minimum": {"members": 3}}},
...     "groups": {"all": ["khoi", "chi_doan"]},
... })
>>> schema.allows("chi_doan", under="khoi"), schema.allows("khoi", under="chi_doan")
(True, False)
>>> sorted(schema.expand(["all"]))
['chi_doan', 'khoi']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from doanorg.errors import Problem, SchemaError

__all__ = ["Kind", "Minimum", "Schema"]


@attrs.frozen
class Minimum:
    """The Charter's size minimums for one kind, checked as warnings.

    ``members``: the least value of the unit's own ``members`` attribute,
    where the unit has one. ``descendants``: for a kind K, the least number
    of units of kind K anywhere below the unit.
    """

    members: int | None = None
    descendants: Mapping[str, int] = attrs.field(factory=dict)


@attrs.frozen
class Kind:
    """One level of the organisation: its identifier, label and allowed parents."""

    id: str
    label: str = ""
    parents: frozenset[str] = frozenset()
    minimum: Minimum = Minimum()


_KIND_KEYS = frozenset({"label", "parents", "minimum"})
_MINIMUM_KEYS = frozenset({"members", "descendants"})
_SCHEMA_KEYS = frozenset({"id", "title", "kinds", "groups"})


@attrs.frozen
class Schema:
    """Kinds, their allowed parents, and groups of kinds.

    Build one with :meth:`from_mapping` (the shape of a schema TOML file) or
    load one with :func:`doanorg.load_schema`.
    """

    id: str
    kinds: Mapping[str, Kind]
    groups: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    title: str = ""

    def names(self) -> frozenset[str]:
        """Every name usable where a kind is: the kinds and the groups."""
        return frozenset(self.kinds) | frozenset(self.groups)

    def expand(self, names: Iterable[str]) -> frozenset[str]:
        """The kinds that ``names`` (kinds or groups) stand for.

        Raises
        ------
        KeyError
            If a name is neither a kind nor a group of this schema.
        """
        kinds: set[str] = set()
        for name in names:
            if name in self.groups:
                kinds |= self.groups[name]
            elif name in self.kinds:
                kinds.add(name)
            else:
                raise KeyError(name)
        return frozenset(kinds)

    def allows(self, kind: str, *, under: str | None) -> bool:
        """Whether a unit of ``kind`` may stand directly under a unit of ``under``.

        ``under=None`` asks whether ``kind`` may be the root of a tree: a
        kind with no allowed parent is a root kind. A tree whose root is of
        another kind is still accepted (a user may load one branch alone).
        """
        spec = self.kinds[kind]
        if under is None:
            return not spec.parents
        return under in spec.parents

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, file: str | None = None) -> Schema:
        """Check and build a schema from the mapping a schema TOML file holds.

        Every problem is collected before :class:`~doanorg.SchemaError` is
        raised.
        """
        problems: list[Problem] = []

        def problem(message: str) -> None:
            problems.append(Problem(message, file=file))

        for key in sorted(set(data) - _SCHEMA_KEYS):
            problem(f"unknown key {key!r} (expected one of {', '.join(sorted(_SCHEMA_KEYS))})")
        raw_kinds = data.get("kinds")
        if not isinstance(raw_kinds, Mapping) or not raw_kinds:
            problem("a schema needs a [kinds] table with at least one kind")
            raw_kinds = {}
        raw_groups = data.get("groups", {})
        if not isinstance(raw_groups, Mapping):
            problem("[groups] must be a table of lists of kinds")
            raw_groups = {}

        groups: dict[str, frozenset[str]] = {}
        for name, members in raw_groups.items():
            if name in raw_kinds:
                problem(f"group {name!r} has the name of a kind")
            if not _is_str_list(members):
                problem(f"group {name!r} must be a list of kinds")
                continue
            unknown = [kind for kind in members if kind not in raw_kinds]
            for kind in unknown:
                problem(f"group {name!r} lists unknown kind {kind!r}")
            groups[name] = frozenset(members)

        kinds: dict[str, Kind] = {}
        for kind_id, spec in raw_kinds.items():
            if not isinstance(spec, Mapping):
                problem(f"kind {kind_id!r} must be a table")
                continue
            for key in sorted(set(spec) - _KIND_KEYS):
                problem(f"kind {kind_id!r}: unknown key {key!r}")
            parents_raw = spec.get("parents", [])
            if not _is_str_list(parents_raw):
                problem(f"kind {kind_id!r}: parents must be a list of kinds or groups")
                parents_raw = []
            parents: set[str] = set()
            for parent in parents_raw:
                if parent in groups:
                    parents |= groups[parent]
                elif parent in raw_kinds:
                    parents.add(parent)
                else:
                    problem(f"kind {kind_id!r}: unknown parent kind {parent!r}")
            label = spec.get("label", "")
            if not isinstance(label, str):
                problem(f"kind {kind_id!r}: label must be text")
                label = ""
            kinds[kind_id] = Kind(
                kind_id, label, frozenset(parents), _minimum(kind_id, spec, raw_kinds, problem)
            )

        schema_id = data.get("id", "")
        title = data.get("title", "")
        if not isinstance(schema_id, str) or not isinstance(title, str):
            problem("id and title must be text")
            schema_id, title = str(schema_id), str(title)
        if problems:
            raise SchemaError(problems)
        return cls(schema_id, kinds, groups, title)


def _minimum(
    kind_id: str, spec: Mapping[str, Any], kinds: Mapping[str, Any], problem: Any
) -> Minimum:
    raw = spec.get("minimum", {})
    if not isinstance(raw, Mapping):
        problem(f"kind {kind_id!r}: minimum must be a table")
        return Minimum()
    for key in sorted(set(raw) - _MINIMUM_KEYS):
        problem(f"kind {kind_id!r}: unknown minimum {key!r}")
    members = raw.get("members")
    if members is not None and not _is_count(members):
        problem(f"kind {kind_id!r}: minimum members must be a non-negative integer")
        members = None
    descendants: dict[str, int] = {}
    for kind, least in dict(raw.get("descendants", {})).items():
        if kind not in kinds:
            problem(f"kind {kind_id!r}: minimum names unknown kind {kind!r}")
        elif not _is_count(least):
            problem(f"kind {kind_id!r}: minimum of {kind!r} must be a non-negative integer")
        else:
            descendants[kind] = least
    return Minimum(members, descendants)


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
