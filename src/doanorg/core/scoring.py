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
from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, NamedTuple, Protocol, cast

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from doanorg.core._catalogue import DEFAULT_LANG
from doanorg.core._columns import Column
from doanorg.core._json import json_text
from doanorg.core._render_scores import (
    render_scores_html,
    render_scores_markdown,
    render_scores_text,
)
from doanorg.core._scored import GroupValue, Number, ScoredUnits, UnitScore, scored_units
from doanorg.core._texts import texts_at
from doanorg.core.model import Org
from doanorg.core.rubric import Cap, Scoring
from doanorg.core.rules import Plan, Target, exact_decimal
from doanorg.errors import PlanError, Problem

__all__ = ["Rolled", "Scores", "UnitScore", "Verdicts", "scores_of"]



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
    units: ScoredUnits = attrs.field(converter=scored_units)
    """The scored units in rank order, held in bulk: each :class:`UnitScore` is made
    when it is read."""
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
        return self.units[self.units.index_of(unit_id)]

    @property
    def differences(self) -> tuple[UnitScore, ...]:
        """The units whose computed grade differs from their self-grade, in rank order."""
        units = self.units
        return units.at([index for index in range(len(units)) if units.differs(index)])

    @property
    def summary(self) -> dict[str, int]:
        """How many units were scored, and how many have each grade (and none)."""
        tally = Counter(self.units.grades)
        counts = {"units": len(self.units)}
        counts.update((grade, tally[grade]) for grade in self.grades)
        if tally[None]:
            counts["ungraded"] = tally[None]
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
        data["units"] = self.units.to_dicts(self_grades=graded)
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
        for entry in self.units.to_dicts(self_grades=self.self_grade is not None):
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
        return list(column[positions].tolist())
    return list(map(column.__getitem__, positions.tolist()))


def _group_ranks(groups: list[GroupValue | None], order: npt.NDArray[np.intp]
                 ) -> list[int | None]:
    """Each unit's rank within its peer group (``None`` outside any), in the rank
    ``order``: counted for all groups at once.

    >>> _group_ranks(["a", "b", None, "a"], np.array([3, 2, 1, 0]))
    [2, 1, None, 1]
    """
    codes: dict[GroupValue | None, int] = {None: -1}
    for group in dict.fromkeys(groups):
        codes.setdefault(group, len(codes) - 1)
    coded = np.fromiter(map(codes.__getitem__, groups), dtype=np.int64, count=len(groups))
    if len(codes) == 1:
        return [None] * len(groups)
    in_order = coded[order]
    by_group = np.argsort(in_order, kind="stable")  # rank order within each group
    sorted_codes = in_order[by_group]
    starts = np.searchsorted(sorted_codes, sorted_codes, side="left")
    found = np.empty(len(order), dtype=np.int64)
    found[order[by_group]] = np.arange(len(order)) - starts + 1
    ranks = found.astype(object)
    ranks[coded < 0] = None
    return list(ranks.tolist())


def _numbers(numerators: npt.NDArray[Any], denominators: npt.NDArray[Any],
             floats: npt.NDArray[np.float64]) -> list[Number]:
    """Exact figures as JSON shows them: an int when whole, else the nearest float.

    >>> _numbers(np.array([6, 1], dtype=object), np.array([3, 3], dtype=object),
    ...          np.array([2.0, 1 / 3]))
    [2, 0.3333333333333333]
    """
    shown = floats.astype(object)
    whole = (numerators % denominators == 0).astype(bool)
    shown[whole] = numerators[whole] // denominators[whole]
    return list(shown.tolist())


def _given(met: npt.NDArray[np.bool_], earned: npt.NDArray[np.float64],
           points: Number) -> list[Number]:
    """The points a target gives each unit: its ``points`` as the rubric writes them
    where it is met, else the part earned, an int when whole.

    >>> _given(np.array([True, False, False]), np.array([5.0, 2.0, 2.5]), 5)
    [5, 2, 2.5]
    """
    whole = earned == np.floor(earned)
    if isinstance(points, int) and whole.all():
        return list(earned.astype(np.int64).tolist())
    shown = earned.astype(object)
    shown[whole] = earned[whole].astype(np.int64).astype(object)
    shown[met] = points
    return list(shown.tolist())


def _exact_scores(assessment: Rolled, rubric: Scoring, positions: npt.NDArray[np.int64]
                  ) -> tuple[npt.NDArray[Any], npt.NDArray[Any],
                             dict[str, npt.NDArray[np.float64]], dict[str, npt.NDArray[np.bool_]]]:
    """Each unit's score exactly, as integers ``numerators / denominators`` (arrays of
    objects); the points each scored target gives, as floats, for people; and where each
    scored or required target is met.

    Whole points are summed at once as integers at a common scale; the few units where a
    target gives part of its points (``partial``, not met below its bound) then add
    those parts as fractions.
    """
    count = len(positions)
    required = {name for grade in rubric.grades for name in grade.require}
    verdicts = {target.id: assessment.verdicts_at(target, positions)
                for target in assessment.plan.targets
                if target.id in rubric.points or target.id in required}
    values = {target_id: exact_decimal(points.points)
              for target_id, points in rubric.points.items()}
    scale = math.lcm(*(value.denominator for value in values.values()))
    scaled = {target_id: value.numerator * (scale // value.denominator)
              for target_id, value in values.items()}
    whole: npt.NDArray[Any] = np.zeros(count, dtype=np.int64 if sum(
        map(abs, scaled.values())) < 2 ** 62 else object)
    parts = [target_id for target_id in values if rubric.points[target_id].partial]
    short = {target_id: (verdicts[target_id].denominators != 0).astype(bool)
             for target_id in parts}
    earned: dict[str, npt.NDArray[np.float64]] = {}
    for target_id, value in values.items():
        met = verdicts[target_id].met
        whole += np.where(met, scaled[target_id], 0)
        earned[target_id] = np.where(met, float(value), 0.0)
    numerators, denominators = whole, np.full(count, scale, dtype=whole.dtype)
    rows = np.flatnonzero(np.any([*short.values(), np.zeros(count, bool)], axis=0))
    if len(rows):  # points × observed ÷ required (below the points) where short
        above, below = numerators[rows], denominators[rows]
        for target_id in parts:
            value, found, where = values[target_id], verdicts[target_id], short[target_id][rows]
            gain = np.where(where, _times(found.numerators[rows], value.numerator), 0)
            per = np.where(where, _times(found.denominators[rows], value.denominator), 1)
            earned[target_id][rows] = np.where(where, _quotients(gain, per),
                                               earned[target_id][rows])
            above, below = _add_fractions(above, below, gain, per)
        if above.dtype == object:
            numerators, denominators = numerators.astype(object), denominators.astype(object)
        numerators[rows], denominators[rows] = above, below
    return (_narrow(numerators), _narrow(denominators), earned,
            {target_id: found.met for target_id, found in verdicts.items()})


def _add_fractions(above: npt.NDArray[Any], below: npt.NDArray[Any], gain: npt.NDArray[Any],
                   per: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """``above / below + gain / per``, each exactly (denominators positive): in int64,
    reduced, while every product fits (checked on the figures as floats), else as Python
    integers.

    >>> _add_fractions(np.array([1]), np.array([2]), np.array([1]), np.array([3]))
    (array([5]), array([6]))
    >>> big = 2 ** 40
    >>> _add_fractions(np.array([1]), np.array([big]), np.array([1]), np.array([big - 1]))[1]
    array([1208925819613529663078400], dtype=object)
    """
    if object not in (above.dtype, below.dtype, gain.dtype, per.dtype):
        rough = [np.abs(part.astype(np.float64)) for part in (above, below, gain, per)]
        largest = max((rough[0] * rough[3] + rough[2] * rough[1]).max(initial=0),
                      (rough[1] * rough[3]).max(initial=0))
        if largest < 2.0 ** 62:
            numerators, denominators = above * per + gain * below, below * per
            common = np.gcd(numerators, denominators)
            return numerators // common, denominators // common
    above, below, gain, per = (part.astype(object) for part in (above, below, gain, per))
    return above * per + gain * below, below * per


def _times(integers: npt.NDArray[Any], factor: int) -> npt.NDArray[Any]:
    """``integers × factor`` exactly: in int64 where it fits, else as Python integers."""
    if integers.dtype != object and np.abs(integers).max(initial=0) < 2 ** 62 // max(
            abs(factor), 1):
        return integers * factor
    return integers.astype(object) * factor


def _quotients(numerators: npt.NDArray[Any], denominators: npt.NDArray[Any]
               ) -> npt.NDArray[np.float64]:
    """Each ``numerator / denominator`` as the nearest float (as Python's int / int)."""
    if object in (numerators.dtype, denominators.dtype) or max(
            np.abs(numerators).max(initial=0), np.abs(denominators).max(initial=0)) >= 2 ** 53:
        exact: npt.NDArray[np.float64] = (numerators.astype(object)
                                          / denominators.astype(object)).astype(np.float64)
        return exact
    rounded: npt.NDArray[np.float64] = numerators / denominators  # exact floats: one rounding
    return rounded


def _narrow(integers: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Integers as int64 where each is below 2**31 (so that products of two, and their
    quotients as floats, stay exact), else as Python integers (an array of objects).

    >>> _narrow(np.array([3, -4], dtype=object)).dtype
    dtype('int64')
    >>> _narrow(np.array([2 ** 40], dtype=object)).dtype
    dtype('O')
    """
    if len(integers) and max(integers.max(), -integers.min()) >= 2 ** 31:
        return integers.astype(object)
    return integers.astype(np.int64)


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

    numerators, denominators, earned, met = _exact_scores(assessment, rubric, positions)
    # the floats people read and ranks sort on: int / int is rounded once, as float(Fraction)
    floats = _quotients(numerators, denominators)

    # grades before the cap: the first whose threshold and requirements hold
    holds = np.zeros((len(rubric.grades), count), dtype=bool)
    for row, step in enumerate(rubric.grades):
        low = exact_decimal(step.at_least)
        wide = max(abs(low.numerator), low.denominator) >= 2 ** 31  # products past int64
        above, below = ((numerators.astype(object), denominators.astype(object)) if wide
                        else (numerators, denominators))
        reached = (above * low.denominator >= low.numerator * below).astype(bool)
        for name in step.require:
            reached &= met[name]
        holds[row] = reached
    graded = holds.any(axis=0)
    grade_of = np.where(graded, holds.argmax(axis=0), -1)

    # ranks: by score, highest first, then by id; runs of equal floats settled exactly
    listed = positions.tolist()
    unit_ids = org.ids_at(listed)
    by_id = np.empty(count, dtype=np.int64)  # each id's place in id order (UTF-8 bytes sort
    by_id[np.asarray(pc.array_sort_indices(pa.array(unit_ids, pa.string())))] = np.arange(
        count)  # as Python's str does)
    order = np.lexsort((by_id, -floats))
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

    ranked = order.tolist()
    self_grades: list[str | None] | None = None
    if rubric.self_grade is not None:
        column = assessment.columns[rubric.self_grade]
        # a category metric: its values are texts
        self_grades = cast("list[str | None]", column.decode_all(column.data[positions[order]]))

    grade_names = rubric.grade_names()
    in_rank = positions[order].tolist()
    units = ScoredUnits(
        units=list(map(unit_ids.__getitem__, ranked)),
        names=lambda indices: texts_at(org.names, [in_rank[index] for index in indices]),
        kinds=np.array(org.kind_names, dtype=object)[org.kind_codes[positions[order]]].tolist(),
        scores=_numbers(numerators[order], denominators[order], floats[order]),
        numerators=numerators[order].tolist(), denominators=denominators[order].tolist(),
        grades=np.array([*grade_names, None], dtype=object)[grade_of[order]].tolist(),
        ranks=range(1, count + 1), groups=list(map(groups.__getitem__, ranked)),
        group_ranks=list(map(group_ranks.__getitem__, ranked)),
        capped=capped[order].tolist(),
        points={target_id: _given(met[target_id][order], earned[target_id][order],
                                  rubric.points[target_id].points)
                for target_id in rubric.points},
        self_grades=self_grades)
    return Scores(plan=plan.id, at=org.ids_at([top])[0], units=units, targets=tuple(rubric.points),
                  grades=grade_names,
                  thresholds=tuple(step.at_least for step in rubric.grades),
                  total_points=rubric.total_points, cap=rubric.cap,
                  cap_limit=limit, peer_groups=rubric.peer_groups,
                  self_grade=rubric.self_grade, plan_title=plan.title, at_name=org.names[top],
                  warnings=assessment.warnings)
