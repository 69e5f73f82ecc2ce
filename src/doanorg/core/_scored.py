"""A scored unit (:class:`UnitScore`) and the scored units of a subtree held in bulk
(:class:`ScoredUnits`), in rank order.

Scoring every đoàn cơ sở of a large Khối gives thousands of scores; they are kept as
columns made many at once, and a :class:`UnitScore` is made only for the entries
read, as the failing units of a report are (:class:`~doanorg.core.report.FailingUnits`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, overload

import attrs

from doanorg.core._collector import collector_paused

__all__ = ["GroupValue", "Number", "ScoredUnits", "UnitScore", "scored_units"]

Number = int | float
GroupValue = int | float | str


@attrs.frozen(kw_only=True)
class UnitScore:
    """One scored unit: its score, points per target, grade, ranks and self-grade."""

    unit: str
    name: str = attrs.field(default="", eq=False)
    kind: str = ""
    score: Number
    grade: str | None
    rank: int
    group: GroupValue | None = None
    group_rank: int | None = None
    points: Mapping[str, Number] = attrs.field(factory=dict)
    """The points each scored target gives, in plan order (0 where it gives none)."""
    capped: bool = False
    """Whether the cap moved the unit below the grade its score and requirements give."""
    self_grade: str | None = None
    differs: bool | None = None
    """Whether the computed grade differs from the self-grade (``None``: none given)."""
    exact_score: Fraction = attrs.field(default=Fraction(0), eq=False, repr=False)

    def to_dict(self, *, self_grades: bool = False) -> dict[str, Any]:
        """The unit's entry of the ``units`` list of :meth:`Scores.to_dict
        <doanorg.core.scoring.Scores.to_dict>`."""
        entry: dict[str, Any] = {
            "unit": self.unit, "name": self.name, "score": self.score, "grade": self.grade,
            "rank": self.rank, "group": self.group, "group_rank": self.group_rank,
            "capped": self.capped, "points": dict(self.points),
        }
        if self_grades:
            entry["self_grade"] = self.self_grade
            entry["differs"] = self.differs
        return entry


Names = Sequence[str] | Callable[[Sequence[int]], Sequence[str]]
"""Names given, or a function giving the names of the entries at some indices."""


@attrs.frozen(kw_only=True, eq=False)
class ScoredUnits(Sequence[UnitScore]):
    """Scored units in rank order, held as one column a field.

    ``points`` holds a column a scored target; ``numerators`` and ``denominators`` each
    score exactly; ``self_grades`` is ``None`` where the rubric has no
    self-grade metric. ``names`` may be a function giving the names at some indices:
    then only the names read are read. :meth:`to_dicts` gives SPEC §11's entries
    without making a :class:`UnitScore` a unit.

    >>> units = ScoredUnits(units=["a", "b"], names=["A", "B"], kinds=["cs", "cs"],
    ...     scores=[90, 72.5], numerators=[90, 145], denominators=[1, 2],
    ...     grades=["xs", None], ranks=[1, 2], groups=[None, None],
    ...     group_ranks=[None, None], capped=[False, False], points={"t": [90, 72.5]})
    >>> len(units), units[1].rank, units[1].exact_score, units.to_dicts()[0]["score"]
    (2, 2, Fraction(145, 2), 90)
    """

    units: Sequence[str]
    names: Names = attrs.field(repr=False)
    kinds: Sequence[str]
    scores: Sequence[Number]
    numerators: Sequence[int]
    denominators: Sequence[int]
    grades: Sequence[str | None]
    ranks: Sequence[int]
    groups: Sequence[GroupValue | None]
    group_ranks: Sequence[int | None]
    capped: Sequence[bool]
    points: Mapping[str, Sequence[Number]]
    self_grades: Sequence[str | None] | None = None
    _read: dict[str, Sequence[str]] = attrs.field(factory=dict, init=False, repr=False)

    def all_names(self) -> Sequence[str]:
        """Every unit's name, in rank order (read when first asked for)."""
        if "all" not in self._read:
            self._read["all"] = self._names_at(range(len(self)))
        return self._read["all"]

    def _names_at(self, indices: Sequence[int]) -> Sequence[str]:
        if "all" in self._read:
            return [self._read["all"][index] for index in indices]
        if callable(self.names):
            return self.names(indices)
        return [self.names[index] for index in indices]

    def differs(self, index: int) -> bool | None:
        """Whether the unit at ``index`` has a self-grade other than its computed grade."""
        if self.self_grades is None or self.self_grades[index] is None:
            return None
        return self.self_grades[index] != self.grades[index]

    def __len__(self) -> int:
        return len(self.units)

    @overload
    def __getitem__(self, index: int) -> UnitScore: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[UnitScore, ...]: ...

    def __getitem__(self, index: int | slice) -> UnitScore | tuple[UnitScore, ...]:
        if isinstance(index, slice):
            return self.at(range(len(self))[index])
        return self.at([range(len(self))[index]])[0]

    def at(self, indices: Sequence[int]) -> tuple[UnitScore, ...]:
        """The units at ``indices``, their names read together."""
        return tuple(self._unit(index, name)
                     for index, name in zip(indices, self._names_at(indices), strict=True))

    def _unit(self, index: int, name: str) -> UnitScore:
        return UnitScore(
            unit=self.units[index], name=name, kind=self.kinds[index],
            score=self.scores[index], grade=self.grades[index], rank=self.ranks[index],
            group=self.groups[index], group_rank=self.group_ranks[index],
            points={target: column[index] for target, column in self.points.items()},
            capped=self.capped[index],
            self_grade=None if self.self_grades is None else self.self_grades[index],
            differs=self.differs(index),
            exact_score=Fraction(self.numerators[index], self.denominators[index]))

    def __iter__(self) -> Iterator[UnitScore]:
        return iter(self.at(range(len(self))))

    def index_of(self, unit_id: str) -> int:
        """The index of the unit with this id (:class:`KeyError` if none)."""
        try:
            return list(self.units).index(unit_id)
        except ValueError:
            raise KeyError(unit_id) from None

    def to_dicts(self, *, self_grades: bool = False) -> list[dict[str, Any]]:
        """SPEC §11's ``units`` entries, in rank order, all at once; with
        ``self_grades``, each has ``self_grade`` and ``differs``."""
        with collector_paused():
            return self._dicts(self_grades=self_grades)

    def _dicts(self, *, self_grades: bool) -> list[dict[str, Any]]:
        points = [dict(zip(self.points, row, strict=True))
                  for row in zip(*self.points.values(), strict=True)] if self.points else (
            [{} for _ in self.units])
        entries = [
            {"unit": unit, "name": name, "score": score, "grade": grade, "rank": rank,
             "group": group, "group_rank": group_rank, "capped": capped, "points": given}
            for unit, name, score, grade, rank, group, group_rank, capped, given
            in zip(self.units, self.all_names(), self.scores, self.grades, self.ranks,
                   self.groups, self.group_ranks, self.capped, points, strict=True)]
        if self_grades:
            for index, entry in enumerate(entries):
                entry["self_grade"] = (None if self.self_grades is None
                                       else self.self_grades[index])
                entry["differs"] = self.differs(index)
        return entries

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(
                mine == theirs for mine, theirs in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((tuple(self.units), tuple(self.scores), tuple(self.grades)))

    def __reduce__(self) -> tuple[Any, ...]:
        # names are read now: a function that reads them stays with the tree
        return (scored_units, (tuple(self),))


def scored_units(units: Sequence[UnitScore]) -> ScoredUnits:
    """Scores given one by one (in rank order), in bulk (themselves if they are)."""
    if isinstance(units, ScoredUnits):
        return units
    given = tuple(units)
    targets = dict.fromkeys(target for unit in given for target in unit.points)
    graded = any(unit.self_grade is not None for unit in given)
    return ScoredUnits(
        units=[unit.unit for unit in given], names=[unit.name for unit in given],
        kinds=[unit.kind for unit in given], scores=[unit.score for unit in given],
        numerators=[unit.exact_score.numerator for unit in given],
        denominators=[unit.exact_score.denominator for unit in given],
        grades=[unit.grade for unit in given], ranks=[unit.rank for unit in given],
        groups=[unit.group for unit in given],
        group_ranks=[unit.group_rank for unit in given],
        capped=[unit.capped for unit in given],
        points={target: [unit.points.get(target, 0) for unit in given]
                for target in targets},
        self_grades=[unit.self_grade for unit in given] if graded else None)
