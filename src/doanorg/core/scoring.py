"""Scores and grades of the scored units of a subtree (SPEC §11), from one roll-up.

A scored unit's *score* is the sum, over the targets with points, of what each
gives when the plan is assessed at that unit: its points when met there;
with ``partial``, points × observed ÷ required when it is not met below its
lower bound (at most the points); nothing when it is ``not_met`` above an upper
bound, ``not_applicable`` or ``informational``. Its *grade* is the first of the
rubric's grades whose ``at_least`` the score reaches and whose ``require``\\ d
targets are all met at the unit (no grade when none holds). A ``cap`` lets at
most ⌊share × scored units⌋ units keep its grade, in rank order; the others
take the next grade that holds for them. *Ranks* order the scored units by
score, highest first, then by id (1, 2, 3, … : no two units share one);
*group ranks* do the same within each peer group.

The population graded, capped and ranked is the scored units of the assessed
subtree, as every result at a unit depends on its subtree alone (SPEC §4).

How. The verdicts of every scored target at every scored unit are read at once
from the roll-up's running sums
(:meth:`~doanorg.core.engine.Assessment.verdicts_at`), one array a target:
no subtree is walked. Scores are kept exactly: whole points as integers at a
common scale, partial points as fractions; ranks sort on the scores as floats
and settle exactly the few runs of equal floats.

This module reads an assessment through the protocol :class:`Rolled` (what
:class:`~doanorg.core.engine.Assessment` offers), as the engine imports it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, NamedTuple, Protocol

import attrs
import numpy as np
import numpy.typing as npt

from doanorg.core._catalogue import DEFAULT_LANG
from doanorg.core._columns import Column
from doanorg.core._json import json_text
from doanorg.core._render_scores import (
    render_scores_html,
    render_scores_markdown,
    render_scores_text,
)
from doanorg.core._texts import texts_at
from doanorg.core.model import Org
from doanorg.core.rubric import Cap, Scoring
from doanorg.core.rules import Plan, Target, exact_decimal
from doanorg.errors import PlanError, Problem

__all__ = ["Rolled", "Scores", "UnitScore", "Verdicts", "scores_of"]

Number = int | float
GroupValue = int | float | str


class Verdicts(NamedTuple):
    """One target at many units: whether it is met at each; whether it is judged there
    (met or not met: neither ``not_applicable`` nor ``informational``), so that it is
    ``not_met`` where judged and not met; and, where it is not met below its lower
    bound, observed ÷ required exactly, as integer arrays (int64 where every such
    figure fits in 62 bits, else Python integers, an array of objects):
    ``numerators / denominators``, the denominator 0 elsewhere."""

    met: npt.NDArray[np.bool_]
    numerators: npt.NDArray[Any]
    denominators: npt.NDArray[Any]
    judged: npt.NDArray[np.bool_]


class Rolled(Protocol):
    """What scoring reads of an assessment (:class:`doanorg.Assessment`)."""

    @property
    def org(self) -> Org: ...
    @property
    def plan(self) -> Plan: ...
    @property
    def columns(self) -> Mapping[str, Column]: ...
    @property
    def warnings(self) -> tuple[Problem, ...]: ...

    def verdicts_at(self, target: Target, positions: npt.NDArray[np.int64]) -> Verdicts: ...


def _points(value: float) -> Number:
    """Points earned in part, as a person reads them: an int when whole."""
    return int(value) if value.is_integer() else value


def _number(value: Fraction) -> Number:
    """An exact figure as JSON shows it: an int when whole, else the nearest float."""
    return value.numerator if value.denominator == 1 else float(value)


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
        """The unit's entry of the ``units`` list of :meth:`Scores.to_dict`."""
        entry: dict[str, Any] = {
            "unit": self.unit, "name": self.name, "score": self.score, "grade": self.grade,
            "rank": self.rank, "group": self.group, "group_rank": self.group_rank,
            "capped": self.capped, "points": dict(self.points),
        }
        if self_grades:
            entry["self_grade"] = self.self_grade
            entry["differs"] = self.differs
        return entry


@attrs.frozen(kw_only=True)
class Scores:
    """The scored units of a subtree, in rank order (SPEC §11).

    :meth:`to_dict` gives the JSON object (``--format json``); :meth:`rows` the
    same as flat rows, one a unit, for tables and workbooks; :meth:`to_text`,
    :meth:`to_markdown` and :meth:`to_html` render it for people (Vietnamese by default,
    English with ``lang="en"``), the units whose self-grade differs listed first.
    """

    plan: str
    at: str
    units: tuple[UnitScore, ...]
    targets: tuple[str, ...]
    """The scored targets, in plan order."""
    grades: tuple[str, ...]
    """The rubric's grades, highest first."""
    thresholds: tuple[Number, ...]
    """Each grade's ``at_least``, highest first."""
    total_points: Number
    cap: Cap | None = None
    cap_limit: int | None = None
    """⌊share × scored units⌋: how many may keep the capped grade."""
    peer_groups: str | None = None
    self_grade: str | None = None
    plan_title: str = attrs.field(default="", eq=False)
    at_name: str = attrs.field(default="", eq=False)
    warnings: tuple[Problem, ...] = attrs.field(default=(), eq=False)

    def unit(self, unit_id: str) -> UnitScore:
        """The score of the unit with this id (:class:`KeyError` if it is not scored here)."""
        for unit in self.units:
            if unit.unit == unit_id:
                return unit
        raise KeyError(unit_id)

    @property
    def differences(self) -> tuple[UnitScore, ...]:
        """The units whose computed grade differs from their self-grade, in rank order."""
        return tuple(unit for unit in self.units if unit.differs)

    @property
    def summary(self) -> dict[str, int]:
        """How many units were scored, and how many have each grade (and none)."""
        counts = {"units": len(self.units)}
        for grade in self.grades:
            counts[grade] = sum(unit.grade == grade for unit in self.units)
        ungraded = sum(unit.grade is None for unit in self.units)
        if ungraded:
            counts["ungraded"] = ungraded
        return counts

    def to_dict(self) -> dict[str, Any]:
        """SPEC §11's object: ``plan``, ``at``, then ``units`` in rank order. With a
        self-grade metric, ``differences`` (the ids whose self-grade differs, in rank
        order) comes before the units, and each unit has ``self_grade`` and ``differs``."""
        data: dict[str, Any] = {
            "plan": self.plan, "at": self.at, "summary": self.summary,
            "total_points": self.total_points, "grades": list(self.grades),
            "cap": None if self.cap is None else {
                "grade": self.cap.grade, "share": self.cap.share, "limit": self.cap_limit},
            "peer_groups": self.peer_groups, "self_grade": self.self_grade,
        }
        graded = self.self_grade is not None
        if graded:
            data["differences"] = [unit.unit for unit in self.differences]
        data["units"] = [unit.to_dict(self_grades=graded) for unit in self.units]
        return data

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text (``--format json``)."""
        return json_text(self.to_dict())

    def columns(self) -> tuple[str, ...]:
        """The keys of each of :meth:`rows`, in order: rank, group rank, unit, name,
        score, grade (self-grade, differs), capped, group, then a column a target."""
        graded = ("self_grade", "differs") if self.self_grade is not None else ()
        return ("rank", "group_rank", "unit", "name", "score", "grade", *graded, "capped",
                "group", *self.targets)

    def rows(self) -> list[dict[str, Any]]:
        """One flat row a unit, in rank order, with the keys of :meth:`columns` (a
        target's column holds the points it gives): what a table or workbook lists."""
        keys = self.columns()
        found = []
        for unit in self.units:
            entry = unit.to_dict(self_grades=self.self_grade is not None)
            points = entry.pop("points")
            entry.update(points)
            found.append({key: entry[key] for key in keys})
        return found

    def to_text(self, lang: str = DEFAULT_LANG) -> str:
        """The scores for a terminal: a summary, the differences, then every unit; the
        words and numbers in ``lang`` (``vi``, the default, or ``en``)."""
        return render_scores_text(self, lang)

    def to_markdown(self, lang: str = DEFAULT_LANG) -> str:
        """The scores as a Markdown document, in ``lang``."""
        return render_scores_markdown(self, lang)

    def to_html(self, lang: str = DEFAULT_LANG) -> str:
        """The scores as one self-contained HTML page (``--format html``), in ``lang``."""
        return render_scores_html(self, lang)


def _groups(org: Org, rubric: Scoring, positions: npt.NDArray[np.int64]
            ) -> list[GroupValue | None]:
    name = rubric.peer_groups
    if name is None:
        return [None] * len(positions)
    column = org.attribute_columns.get(name)
    if column is None:
        have = ", ".join(sorted(org.attribute_columns)) or "none"
        raise PlanError([Problem(
            f"[scoring] peer_groups = {name!r}: no unit of the organisation has that "
            f"attribute (its attributes: {have})")])
    if isinstance(column, np.ndarray):
        return [int(value) for value in column[positions].tolist()]
    return [column[position] for position in positions.tolist()]


def _group_ranks(groups: list[GroupValue | None], order: npt.NDArray[np.intp]
                 ) -> list[int | None]:
    """Each unit's rank within its peer group (``None`` outside any), in the rank
    ``order``: counted for all groups at once.

    >>> _group_ranks(["a", "b", None, "a"], np.array([3, 2, 1, 0]))
    [2, 1, None, 1]
    """
    codes: dict[GroupValue, int] = {}
    coded = np.array([-1 if group is None else codes.setdefault(group, len(codes))
                      for group in groups], dtype=np.int64)
    ranks: list[int | None] = [None] * len(groups)
    if not codes:
        return ranks
    in_order = coded[order]
    by_group = np.argsort(in_order, kind="stable")  # rank order within each group
    sorted_codes = in_order[by_group]
    starts = np.searchsorted(sorted_codes, sorted_codes, side="left")
    found = np.empty(len(order), dtype=np.int64)
    found[order[by_group]] = np.arange(len(order)) - starts + 1
    for index in np.flatnonzero(coded >= 0).tolist():
        ranks[index] = int(found[index])
    return ranks


def scores_of(assessment: Rolled, at: str | None = None) -> Scores:
    """The plan's rubric applied at ``at`` (default: the root) of a rolled-up plan.

    Raises
    ------
    PlanError
        If the plan has no ``[scoring]`` table, or its ``peer_groups`` names an
        attribute no unit has.
    """
    plan, org = assessment.plan, assessment.org
    rubric = plan.scoring
    if rubric is None:
        raise PlanError([Problem(f"plan {plan.id!r} has no [scoring] table: it scores no unit "
                                 "(see the rubric format, SPEC §11)")])
    top = 0 if at is None else org.position(at)
    end = int(org.end_array[top])
    kinds = plan.schema.expand(rubric.each)
    codes = [code for code, kind in enumerate(org.kind_names) if kind in kinds]
    positions = (top + np.flatnonzero(np.isin(org.kind_codes[top:end], codes))).astype(np.int64)
    count = len(positions)

    # each score exactly, as integers: numerators / denominators (arrays of objects)
    numerators: npt.NDArray[Any] = np.zeros(count, dtype=object)
    denominators: npt.NDArray[Any] = np.ones(count, dtype=object)
    earned: dict[str, npt.NDArray[Any]] = {}
    met: dict[str, npt.NDArray[np.bool_]] = {}
    required = {name for grade in rubric.grades for name in grade.require}
    for target in plan.targets:
        if target.id not in rubric.points and target.id not in required:
            continue
        verdicts = assessment.verdicts_at(target, positions)
        met[target.id] = verdicts.met
        points = rubric.points.get(target.id)
        if points is None:
            continue
        value = exact_decimal(points.points)
        # met: the points; partial and short: points × observed ÷ required (below 1)
        gain = np.where(verdicts.met, value.numerator, 0).astype(object)
        per = np.full(count, value.denominator, dtype=object)
        if points.partial:
            short = (verdicts.denominators != 0).astype(bool)
            gain = np.where(short, value.numerator * verdicts.numerators.astype(object), gain)
            per = np.where(short, value.denominator * verdicts.denominators.astype(object), per)
        earned[target.id] = gain / per  # floats, for people
        numerators = numerators * per + gain * denominators
        denominators = denominators * per
    # the floats people read and ranks sort on: int / int is rounded once, as float(Fraction)
    floats = (numerators / denominators).astype(np.float64) if count else np.zeros(0)

    # grades before the cap: the first whose threshold and requirements hold
    holds = np.zeros((len(rubric.grades), count), dtype=bool)
    for row, step in enumerate(rubric.grades):
        low = exact_decimal(step.at_least)
        reached = (numerators * low.denominator >= low.numerator * denominators).astype(bool)
        for name in step.require:
            reached &= met[name]
        holds[row] = reached
    graded = holds.any(axis=0)
    grade_of = np.where(graded, holds.argmax(axis=0), -1)

    # ranks: by score, highest first, then by id; runs of equal floats settled exactly
    ids = org.ids
    listed = positions.tolist()
    unit_ids = texts_at(ids, listed)
    order = np.lexsort((np.array(unit_ids, dtype=str), -floats)) if count else np.zeros(0, int)
    if count > 1:
        first, second = order[:-1], order[1:]
        tied = np.flatnonzero(floats[first] == floats[second])
        if len(tied) and (numerators[first[tied]] * denominators[second[tied]]
                          != numerators[second[tied]] * denominators[first[tied]]).any():
            exact_of = [Fraction(n, d) for n, d in zip(numerators.tolist(),
                                                       denominators.tolist(), strict=True)]
            order = np.array(sorted(range(count), key=lambda unit: (-exact_of[unit],
                                                                    unit_ids[unit])))

    # the cap: the units past it, in rank order, take the next grade that holds
    capped = np.zeros(count, dtype=bool)
    limit = None
    if rubric.cap is not None:
        row = rubric.grade_names().index(rubric.cap.grade)
        limit = math.floor(exact_decimal(rubric.cap.share) * count)
        with_grade = order[grade_of[order] == row]
        past = with_grade[limit:]
        capped[past] = True
        lower = holds[row + 1:, past]
        grade_of[past] = np.where(lower.any(axis=0), row + 1 + lower.argmax(axis=0), -1)

    groups = _groups(org, rubric, positions)
    group_ranks = _group_ranks(groups, order)

    self_grades: list[str | None] = [None] * count
    if rubric.self_grade is not None:
        column = assessment.columns[rubric.self_grade]
        self_grades = [None if value is None else str(value)
                       for value in column.decode_all(column.data[positions])]

    grade_names = rubric.grade_names()
    names = texts_at(org.names, listed)
    kind_names, kind_codes = org.kind_names, org.kind_codes.tolist()
    scored = tuple(rubric.points)
    given_points = {target_id: [rubric.points[target_id].points if whole else _points(part)
                                for whole, part in zip(met[target_id].tolist(),
                                                       earned[target_id].tolist(), strict=True)]
                    for target_id in scored}
    units = []
    numbers, divisors, grades = numerators.tolist(), denominators.tolist(), grade_of.tolist()
    for rank, index in enumerate(order.tolist(), start=1):
        grade = grade_names[grades[index]] if grades[index] >= 0 else None
        given = self_grades[index]
        total = Fraction(numbers[index], divisors[index])
        units.append(UnitScore(
            unit=unit_ids[index], name=names[index],
            kind=kind_names[kind_codes[listed[index]]], score=_number(total), grade=grade,
            rank=rank, group=groups[index], group_rank=group_ranks[index],
            points={target_id: given_points[target_id][index] for target_id in scored},
            capped=bool(capped[index]), self_grade=given,
            differs=None if given is None else given != grade, exact_score=total))
    return Scores(plan=plan.id, at=ids[top], units=tuple(units), targets=scored,
                  grades=grade_names,
                  thresholds=tuple(step.at_least for step in rubric.grades),
                  total_points=rubric.total_points, cap=rubric.cap,
                  cap_limit=limit, peer_groups=rubric.peer_groups,
                  self_grade=rubric.self_grade, plan_title=plan.title, at_name=org.names[top],
                  warnings=assessment.warnings)
