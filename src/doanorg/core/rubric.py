"""Rubrics: how a plan scores and grades units (SPEC §11), and the checks a rubric must pass.

Terms:

*scored units*
    the units whose kind ``[scoring] each`` lists (kinds or groups);
*points*
    what a target (``points = 10`` in its ``[[targets]]`` table) gives a scored
    unit when the plan, assessed at that unit, meets it; with ``partial``, a
    target that is not met gives points × observed ÷ required (at most the
    points);
*grade*
    the first of ``grades`` (highest first) whose ``at_least`` the score
    reaches and whose ``require``\\ d targets are all met at the unit;
*cap*
    at most ⌊share × scored units⌋ units in one grade: those past it in rank
    order take the next grade that holds for them;
*peer group*
    the units with the same value of a unit attribute (``peer_groups``), ranked
    among themselves (a "cụm thi đua");
*self-grade*
    the grade a unit gave itself, a category metric of the facts (``self_grade``);
*filled metric*
    a category metric declared ``from_scoring = true``: each scored unit's value
    is its computed grade, so that targets can be assessed on computed grades.

This module holds the rubric as data (:class:`Scoring`, :class:`Grade`,
:class:`Cap`, :class:`Points`) and checks it as a plan file states it
(:func:`scoring_from_mapping`, called by the plan's checker in
:mod:`doanorg.core.rules`, which reports its problems with every other
problem of the plan). Scores themselves are worked out in
:mod:`doanorg.core.scoring`. It reads no file.

Examples
--------
>>> rubric = Scoring(each=("doan_co_so",), points={"3c": Points(10)},
...                  grades=(Grade("tot", 10), Grade("hoan_thanh", 0)))
>>> rubric.total_points, [grade.grade for grade in rubric.grades]
(10, ['tot', 'hoan_thanh'])
>>> rubric.to_mapping()["grades"][0]
{'grade': 'tot', 'at_least': 10}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

import attrs

from doanorg.core.metrics import Metric, MetricType
from doanorg.core.schema import Schema

__all__ = ["Cap", "Checker", "Grade", "Points", "Reach", "Scoring", "TargetEntry",
           "can_meet", "scoring_from_mapping"]

Number = int | float

SCORING_KEYS = ("each", "grades", "cap", "peer_groups", "self_grade")
"""The keys of a ``[scoring]`` table."""
GRADE_KEYS = ("grade", "at_least", "require")
CAP_KEYS = ("grade", "share")
TARGET_KEYS = ("points", "partial")
"""The keys a ``[[targets]]`` table may add for scoring."""
METRIC_KEYS = ("from_scoring",)
"""The key a ``[metrics.X]`` table may add for scoring."""


@attrs.frozen
class Points:
    """What one target gives a scored unit: ``points`` when met there; with ``partial``,
    points × observed ÷ required when not met (below its lower bound), at most the points."""

    points: Number
    partial: bool = False


@attrs.frozen
class Grade:
    """One grade of a rubric: the least score it needs and the targets that must be met."""

    grade: str
    at_least: Number = 0
    require: tuple[str, ...] = ()


@attrs.frozen
class Cap:
    """At most ⌊``share`` × scored units⌋ units may be given ``grade``."""

    grade: str
    share: Number


@attrs.frozen(kw_only=True)
class Scoring:
    """A plan's rubric: the scored kinds, each target's points, the grades (highest
    first), an optional cap, peer groups, self-grade metric, and the metrics filled
    from the computed grades."""

    each: tuple[str, ...]
    grades: tuple[Grade, ...]
    points: Mapping[str, Points]
    """Each scored target's points, by target id, in plan order."""
    cap: Cap | None = None
    peer_groups: str | None = None
    self_grade: str | None = None
    filled: tuple[str, ...] = ()
    """The category metrics declared ``from_scoring = true``."""

    @property
    def total_points(self) -> Number:
        """The points of every scored target together."""
        return sum(points.points for points in self.points.values())

    def grade_names(self) -> tuple[str, ...]:
        """The grades' names, highest first."""
        return tuple(grade.grade for grade in self.grades)

    def mark_targets(self, entries: Sequence[dict[str, Any]]) -> None:
        """Write each scored target's ``points`` (and ``partial``) into its ``[[targets]]``
        table among ``entries`` (as :func:`doanorg.core.rules.target_to_mapping` gives
        them, which know nothing of scoring)."""
        for entry in entries:
            points = self.points.get(entry["id"])
            if points is not None:
                entry["points"] = points.points
                if points.partial:
                    entry["partial"] = True

    def to_mapping(self) -> dict[str, Any]:
        """The ``[scoring]`` table as a plan file states it (points and ``from_scoring``
        stand in their targets' and metrics' tables: see :meth:`doanorg.Plan.to_mapping`)."""
        grades = []
        for grade in self.grades:
            entry: dict[str, Any] = {"grade": grade.grade, "at_least": grade.at_least}
            if grade.require:
                entry["require"] = list(grade.require)
            grades.append(entry)
        data: dict[str, Any] = {"each": list(self.each), "grades": grades}
        if self.cap is not None:
            data["cap"] = {"grade": self.cap.grade, "share": self.cap.share}
        if self.peer_groups is not None:
            data["peer_groups"] = self.peer_groups
        if self.self_grade is not None:
            data["self_grade"] = self.self_grade
        return data


class Reach(NamedTuple):
    """What the rubric's checks read of one target: its shape, the kinds it selects
    and their parents' kinds (``each``), whether it has a lower bound, the metrics read."""

    shape: str
    kinds: frozenset[str] | None
    under: frozenset[str] | None
    lower: bool
    reads: frozenset[str]


class TargetEntry(NamedTuple):
    """One ``[[targets]]`` table: its place, its raw keys, its id and, if it was built
    without a problem, what the rubric reads of it."""

    place: int
    """The table's index among the plan's targets."""
    raw: Mapping[str, Any]
    id: str
    reach: Reach | None


class Checker(Protocol):
    """What the rubric's checks need of the plan's checker (:mod:`doanorg.core.rules`)."""

    def problem(self, message: str, *path: str | int, target: str | None = None,
                metric: str | None = None) -> None: ...

    def unknown_keys(self, given: Sequence[str], allowed: Sequence[str], what: str,
                     *path: str | int, target: str | None = None) -> None: ...


def _below(schema: Schema, kind: str) -> frozenset[str]:
    """The kinds that may stand anywhere below a unit of ``kind`` under ``schema``."""
    found: set[str] = set()
    todo = [kind]
    while todo:
        above = todo.pop()
        for name, spec in schema.kinds.items():
            if above in spec.parents and name not in found:
                found.add(name)
                todo.append(name)
    return frozenset(found)


def can_meet(reach: Reach, kind: str, schema: Schema) -> bool:
    """Whether a target can be met when the plan is assessed at a unit of ``kind``: an
    ``each`` target must be able to select a unit of that subtree, a ``total`` is judged
    only at the root (so ``kind`` must be a root kind), a ratio always can.

    >>> from doanorg.io import builtin_schema
    >>> schema = builtin_schema("doan")
    >>> chapters = Reach("each", frozenset({"chi_doan"}), None, True, frozenset())
    >>> can_meet(chapters, "doan_co_so", schema), can_meet(chapters, "doan_cap_huyen", schema)
    (True, True)
    >>> districts = Reach("each", frozenset({"doan_cap_huyen"}), None, True, frozenset())
    >>> can_meet(districts, "doan_co_so", schema)
    False
    """
    if reach.shape == "ratio":
        return True
    if reach.shape == "total":
        return not schema.kinds[kind].parents
    kinds, under = reach.kinds or frozenset(), reach.under
    if kind in kinds and (under is None or any(
            schema.allows(kind, under=parent) for parent in under if parent in schema.kinds)):
        return True
    below = _below(schema, kind)
    parents = below | {kind}
    return any(schema.allows(selected, under=parent)
               for selected in kinds & below for parent in parents
               if under is None or parent in under)


def _is_number(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and math.isfinite(value))


def scoring_from_mapping(data: Mapping[str, Any], metrics: Mapping[str, Metric],
                         targets: Sequence[TargetEntry], schema: Schema, checker: Checker,
                         close: Callable[[str, Sequence[str]], str]) -> Scoring | None:
    """Check and build the rubric of a plan's mapping: its ``[scoring]`` table, the
    targets' ``points`` and ``partial``, the metrics' ``from_scoring``.

    Every problem goes to ``checker`` (which lists them with the plan's others);
    ``None`` when the plan has no rubric or the rubric has a problem. ``close`` gives
    the " (did you mean ...?)" of a misspelt name.
    """
    return _RubricChecker(data, metrics, targets, schema, checker, close).scoring()


class _RubricChecker:
    def __init__(self, data: Mapping[str, Any], metrics: Mapping[str, Metric],
                 targets: Sequence[TargetEntry], schema: Schema, checker: Checker,
                 close: Callable[[str, Sequence[str]], str]) -> None:
        self.data, self.metrics, self.targets = data, metrics, targets
        self.schema, self.checker, self.close = schema, checker, close
        self.failed = False

    def problem(self, message: str, *path: str | int, target: str | None = None,
                metric: str | None = None) -> None:
        self.failed = True
        self.checker.problem(message, *path, target=target, metric=metric)

    def scoring(self) -> Scoring | None:
        raw = self.data.get("scoring")
        points = self.points(raw is not None)
        filled = self.filled(raw is not None)
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            self.problem("[scoring] must be a table", "scoring")
            return None
        self.checker.unknown_keys(list(raw), SCORING_KEYS, "[scoring]: ", "scoring")
        if any(key not in SCORING_KEYS for key in raw):
            self.failed = True
        each = self.kinds(raw.get("each"))
        grades = self.grades(raw.get("grades"))
        names = [grade.grade for grade in grades]
        cap = self.cap(raw.get("cap"), names) if "cap" in raw else None
        peer_groups = raw.get("peer_groups")
        if peer_groups is not None and not (isinstance(peer_groups, str) and peer_groups):
            self.problem("[scoring] peer_groups names a unit attribute (peer_groups = \"...\")",
                         "scoring", "peer_groups")
        self_grade = self.grade_metric(raw.get("self_grade"), names, filled)
        for metric in filled:
            self.check_values(metric, names, ("metrics", metric, "from_scoring"),
                              "from_scoring")
        if not points and not self.failed:
            self.problem("[scoring]: no target has points (add points = N to a target)",
                         "scoring")
        if each and grades and points:
            self.consistent(each, grades, points, filled)
        if self.failed:
            return None
        return Scoring(each=tuple(raw["each"]), grades=tuple(grades), points=points, cap=cap,
                       peer_groups=peer_groups, self_grade=self_grade, filled=filled)

    def points(self, scoring: bool) -> dict[str, Points]:
        found: dict[str, Points] = {}
        for entry in self.targets:
            raw = entry.raw
            if "points" not in raw and "partial" not in raw:
                continue
            path = ("targets", entry.place)
            name = f"target {entry.id!r}: "
            given = raw.get("points")
            if not scoring:
                self.problem(name + "points score units, which needs a [scoring] table",
                             *path, "points" if "points" in raw else "partial", target=entry.id)
                continue
            if given is None:
                self.problem(name + "partial is for a target with points", *path, "partial",
                             target=entry.id)
                continue
            if not _is_number(given) or given <= 0:
                self.problem(name + f"points must be a positive number (got {given!r})",
                             *path, "points", target=entry.id)
                continue
            partial = raw.get("partial", False)
            if not isinstance(partial, bool):
                self.problem(name + "partial must be true or false", *path, "partial",
                             target=entry.id)
                continue
            reach = entry.reach
            if partial and reach is not None and reach.shape != "each" and not reach.lower:
                self.problem(name + "partial points are observed ÷ required, and this target "
                             "has no at_least to divide by", *path, "partial", target=entry.id)
                continue
            if reach is not None:
                found[entry.id] = Points(given, partial)
        return found

    def filled(self, scoring: bool) -> tuple[str, ...]:
        raw_metrics = self.data.get("metrics", {})
        found: list[str] = []
        if not isinstance(raw_metrics, Mapping):
            return ()
        for metric_id, spec in raw_metrics.items():
            if not isinstance(spec, Mapping) or "from_scoring" not in spec:
                continue
            path = ("metrics", metric_id, "from_scoring")
            value = spec["from_scoring"]
            if not isinstance(value, bool):
                self.problem(f"metric {metric_id!r}: from_scoring must be true or false", *path,
                             metric=metric_id)
            elif not value:
                continue
            elif not scoring:
                self.problem(f"metric {metric_id!r}: from_scoring fills it with computed "
                             "grades, which needs a [scoring] table", *path, metric=metric_id)
            elif metric_id in self.metrics:
                if self.metrics[metric_id].type is not MetricType.CATEGORY:
                    self.problem(f"metric {metric_id!r}: from_scoring is for a category "
                                 "metric (its values are the grades)", *path, metric=metric_id)
                else:
                    found.append(metric_id)
        return tuple(found)

    def kinds(self, names: Any) -> frozenset[str]:
        path = ("scoring", "each")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            self.problem("[scoring] each is a non-empty list of the kinds (or groups) scored",
                         *path)
            return frozenset()
        known = sorted(self.schema.names())
        unknown = [name for name in names if name not in known]
        for name in unknown:
            self.problem(f"[scoring] each names unknown kind {name!r}{self.close(name, known)}",
                         *path)
        return frozenset() if unknown else self.schema.expand(names)

    def grades(self, raw: Any) -> list[Grade]:
        path = ("scoring", "grades")
        if not isinstance(raw, list) or not raw:
            self.problem("[scoring] grades is a non-empty list of "
                         "{ grade = \"...\", at_least = N }, highest first", *path)
            return []
        ids = [entry.id for entry in self.targets]
        grades: list[Grade] = []
        ok = True
        for number, entry in enumerate(raw, start=1):
            where = f"[scoring] grade #{number}: "
            if not isinstance(entry, Mapping):
                self.problem(where + "must be a table { grade = \"...\", at_least = N }", *path)
                ok = False
                continue
            self.checker.unknown_keys(list(entry), GRADE_KEYS, where, *path)
            ok = ok and all(key in GRADE_KEYS for key in entry)
            name = entry.get("grade")
            if not isinstance(name, str) or not name:
                self.problem(where + "needs a name (grade = \"...\")", *path)
                ok = False
                continue
            where = f"[scoring] grade {name!r}: "
            at_least = entry.get("at_least", 0)
            if not _is_number(at_least) or at_least < 0:
                self.problem(where + f"at_least must be a finite number of points, 0 or more "
                             f"(got {at_least!r})", *path)
                ok = False
                continue
            require = entry.get("require", [])
            if not isinstance(require, list) or not all(isinstance(r, str) for r in require):
                self.problem(where + "require is a list of target ids", *path)
                ok = False
                continue
            for required in require:
                if required not in ids:
                    self.problem(where + f"require names no target: {required!r}"
                                 f"{self.close(required, ids)}", *path, target=required)
                    ok = False
            if name in [grade.grade for grade in grades]:
                self.problem(where + "is listed twice", *path)
                ok = False
            elif grades and at_least >= grades[-1].at_least:
                self.problem(where + f"grades go highest first: its at_least ({at_least}) "
                             f"must be below that of {grades[-1].grade!r} "
                             f"({grades[-1].at_least})", *path)
                ok = False
            grades.append(Grade(name, at_least, tuple(require)))
        if not ok:
            self.failed = True
        return grades

    def cap(self, raw: Any, names: list[str]) -> Cap | None:
        path = ("scoring", "cap")
        if not isinstance(raw, Mapping):
            self.problem("[scoring] cap is a table { grade = \"...\", share = 0.2 }", *path)
            return None
        self.checker.unknown_keys(list(raw), CAP_KEYS, "[scoring] cap: ", *path)
        grade, share = raw.get("grade"), raw.get("share")
        ok = all(key in CAP_KEYS for key in raw)
        if not _is_number(share) or not 0 <= share <= 1:  # type: ignore[operator]
            self.problem(f"[scoring] cap: share must be a number from 0 to 1 (got {share!r})",
                         *path)
            ok = False
        if not isinstance(grade, str) or grade not in names:
            if names:
                self.problem(f"[scoring] cap: grade must be one of the grades "
                             f"({', '.join(names)}); got {grade!r}", *path)
            ok = False
        elif grade == names[-1]:
            self.problem(f"[scoring] cap: {grade!r} is the lowest grade, so the units past "
                         "the cap would have no grade to take", *path)
            ok = False
        if not ok or not isinstance(share, int | float):
            self.failed = True
            return None
        return Cap(str(grade), share)

    def grade_metric(self, raw: Any, names: list[str], filled: tuple[str, ...]) -> str | None:
        if raw is None:
            return None
        path = ("scoring", "self_grade")
        if not isinstance(raw, str) or raw not in self.metrics:
            shown = raw if isinstance(raw, str) else repr(raw)
            self.problem(f"[scoring] self_grade names undeclared metric {shown!r}"
                         f"{self.close(shown, list(self.metrics))}", *path)
            return None
        if self.metrics[raw].type is not MetricType.CATEGORY:
            self.problem(f"[scoring] self_grade: {raw!r} is a {self.metrics[raw].type.value}; "
                         "self-grades are a category metric whose values are the grades", *path)
            return None
        if raw in filled:
            self.problem(f"[scoring] self_grade: {raw!r} is filled from the scoring "
                         "(from_scoring = true), so it cannot hold the units' own grades", *path)
            return None
        self.check_values(raw, names, path, "self_grade")
        return raw

    def check_values(self, metric: str, names: list[str], path: tuple[str | int, ...],
                     key: str) -> None:
        values = self.metrics[metric].values
        missing = [name for name in names if name not in values]
        if missing:
            self.problem(f"{key} metric {metric!r}: its values ({', '.join(values)}) lack the "
                         f"grade{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                         *path, metric=metric)

    def consistent(self, each: frozenset[str], grades: list[Grade],
                   points: Mapping[str, Points], filled: tuple[str, ...]) -> None:
        """Points and requirements that no scored unit can earn or meet, grades no score
        reaches, and scores that would read the grades they make."""
        reaches = {entry.id: (entry.place, entry.reach) for entry in self.targets}
        scored = sorted(each)
        met_by = {}
        for target_id, (_, reach) in reaches.items():
            if reach is not None:
                met_by[target_id] = [kind for kind in scored
                                     if can_meet(reach, kind, self.schema)]
        kinds = ", ".join(scored)
        for target_id in points:
            index, reach = reaches[target_id]
            if not met_by.get(target_id):
                self.problem(f"target {target_id!r}: it has points, but no scored unit "
                             f"({kinds}) can meet it"
                             + (" (a total is judged at the root only)"
                                if reach is not None and reach.shape == "total" else ""),
                             "targets", index, "points", target=target_id)
        for grade in grades:
            for required in grade.require:
                if required in met_by and not met_by[required]:
                    self.problem(f"[scoring] grade {grade.grade!r}: it requires target "
                                 f"{required!r}, which no scored unit ({kinds}) can meet",
                                 "scoring", "grades", target=required)
        best = max(sum(points[target_id].points for target_id in points
                       if kind in met_by.get(target_id, ())) for kind in scored)
        for grade in grades:
            if grade.at_least > best:
                self.problem(f"[scoring] grade {grade.grade!r} needs {grade.at_least} points, "
                             f"more than a scored unit can earn ({best})", "scoring", "grades")
        needed = {name for grade in grades for name in grade.require}
        for target_id in (*points, *sorted(needed - set(points))):
            if target_id not in reaches:  # a require naming no target: reported
                continue
            index, reach = reaches[target_id]
            read = sorted((reach.reads if reach is not None else frozenset()) & set(filled))
            if read:
                self.problem(f"target {target_id!r}: it reads {', '.join(map(repr, read))}, "
                             "which is filled from the computed grades, so it cannot count "
                             "toward them (give it no points, require it for no grade)",
                             "targets", index, target=target_id)
