"""The report of a plan assessed at one unit (SPEC §5).

A :class:`Report` holds one :class:`TargetResult` per target, in plan
order, and the units of the assessed subtree that did not report.
:meth:`Report.to_dict` gives the object of SPEC §5 (the same as
``--format json``); :meth:`Report.from_dict` reads it back;
:meth:`Report.to_text` and :meth:`Report.to_markdown` render it for people,
each target's Vietnamese text beside its figures.

Statuses: ``met``, ``not_met``, ``not_applicable`` (nothing to judge: no
unit selected, or a ratio over zero) and ``informational`` (a total below
the plan's root: shown, not judged). A subtree is *compliant* when no
target that is not aspirational is ``not_met``.

Examples
--------
>>> result = TargetResult(id="4", type="total", aspirational=False, status="not_met",
...                       observed=25000, required=26200)
>>> report = Report(plan="p", at="khoi", results=(result,), not_reported=())
>>> report.compliant, report.summary["required_not_met"]
(False, 1)
>>> Report.from_dict(report.to_dict()) == report
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any, Literal, get_args, overload

import attrs

from doanorg.core._catalogue import DEFAULT_LANG
from doanorg.core._collector import collector_paused
from doanorg.core._html import render_html
from doanorg.core._json import json_records, json_text
from doanorg.core._render import render_markdown, render_text
from doanorg.core._texts import texts_at
from doanorg.core._tree import render_tree
from doanorg.core.metrics import Value
from doanorg.core.pacing import Pace, PacingHead
from doanorg.core.rules import Condition
from doanorg.errors import Problem

__all__ = ["STATUSES", "FailingUnit", "FailingUnits", "Report", "Status", "TargetResult",
           "UnitStatus"]

Status = Literal["met", "not_met", "not_applicable", "informational"]
STATUSES: tuple[Status, ...] = get_args(Status)
Number = int | float


@attrs.frozen
class FailingUnit:
    """A selected unit whose own value does not meet an ``each`` target.

    ``shortfall`` is how much more (below ``at_least``) or less (above
    ``at_most``) would make it pass; ``None`` for conditions without a
    numeric bound.
    """

    unit: str
    value: Value
    shortfall: Number | None = None
    name: str = attrs.field(default="", eq=False)

    def to_dict(self) -> dict[str, Any]:
        """``{"unit", "value", "shortfall"}`` as in SPEC §5."""
        return {"unit": self.unit, "value": self.value, "shortfall": self.shortfall}


class FailingUnits(Sequence[FailingUnit]):
    """The units failing one target, held in bulk: their ids (a list, or a compact
    column of texts), values and shortfalls as lists made many at once, each
    :class:`FailingUnit` made only when one is asked for.

    A report at the root of a large tree may list hundreds of thousands of failing
    units; :meth:`to_dicts` gives SPEC §5's entries without making an object per unit.
    ``names`` are the units' names, or a function giving the names of the entries at
    some indices: then only the names of the entries read are read.

    >>> units = FailingUnits(["c1", "c2"], [0, 1], [2, 1], ["Chi đoàn 1", "Chi đoàn 2"])
    >>> len(units), units[1], units.to_dicts()[0]
    (2, FailingUnit(unit='c2', value=1, shortfall=1, name='Chi đoàn 2'), \
{'unit': 'c1', 'value': 0, 'shortfall': 2})
    >>> units == (FailingUnit("c1", 0, 2), FailingUnit("c2", 1, 1))
    True
    """

    __slots__ = ("_names", "_read_names", "shortfalls", "units", "values")

    def __init__(self, units: Sequence[str], values: Sequence[Value],
                 shortfalls: Sequence[Number | None],
                 names: Sequence[str] | Callable[[Sequence[int]], Sequence[str]] | None = None
                 ) -> None:
        if not len(units) == len(values) == len(shortfalls):
            raise ValueError("every failing unit needs a value and a shortfall")
        self.units, self.values, self.shortfalls = units, values, shortfalls
        self._read_names = names if callable(names) else None
        self._names: Sequence[str] | None = (
            None if callable(names) else [""] * len(units) if names is None else names)
        if len(self._names or units) != len(units):
            raise ValueError("every failing unit needs a name")

    @classmethod
    def of(cls, units: Sequence[FailingUnit]) -> FailingUnits:
        """Failing units given one by one, in bulk (themselves if they already are)."""
        if isinstance(units, FailingUnits):
            return units
        given = tuple(units)
        names = [unit.name for unit in given]
        return cls([unit.unit for unit in given], [unit.value for unit in given],
                   [unit.shortfall for unit in given], names)

    @property
    def names(self) -> Sequence[str]:
        """Each failing unit's name (read when first asked for)."""
        if self._names is None:
            self._names = self._names_at(range(len(self)))
        return self._names

    def _names_at(self, indices: Sequence[int]) -> Sequence[str]:
        if self._names is not None:
            return [self._names[index] for index in indices]
        assert self._read_names is not None
        return self._read_names(indices)

    def __len__(self) -> int:
        return len(self.units)

    @overload
    def __getitem__(self, index: int) -> FailingUnit: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[FailingUnit, ...]: ...

    def __getitem__(self, index: int | slice) -> FailingUnit | tuple[FailingUnit, ...]:
        if isinstance(index, slice):
            return self._units(range(len(self))[index])
        return self._units([range(len(self))[index]])[0]

    def _units(self, indices: Sequence[int]) -> tuple[FailingUnit, ...]:
        """The entries at ``indices``, their names read together."""
        return tuple(FailingUnit(unit, self.values[index], self.shortfalls[index], name)
                     for index, unit, name in zip(indices, texts_at(self.units, indices),
                                                  self._names_at(indices), strict=True))

    def __iter__(self) -> Iterator[FailingUnit]:
        return map(FailingUnit, self.units, self.values, self.shortfalls, self.names)

    def json_records(self, separator: str) -> str:
        """The JSON text of the entries of :meth:`to_dicts`, joined by ``separator``,
        made from the columns at once (what :meth:`Report.to_json` writes).

        >>> print(FailingUnits(["c1", "c2"], [0, None], [2, None]).json_records(",\\n"))
        {"unit": "c1", "value": 0, "shortfall": 2},
        {"unit": "c2", "value": null, "shortfall": null}
        """
        return json_records({"unit": self.units, "value": self.values,
                             "shortfall": self.shortfalls}, separator)

    def to_dicts(self) -> list[dict[str, Any]]:
        """SPEC §5's ``failing`` entries, ``{"unit", "value", "shortfall"}``, all at once
        (the collector paused meanwhile: :func:`~doanorg.core._collector.collector_paused`)."""
        with collector_paused():
            return [{"unit": unit, "value": value, "shortfall": shortfall}
                    for unit, value, shortfall
                    in zip(self.units, self.values, self.shortfalls, strict=True)]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FailingUnits):
            return (list(self.units) == list(other.units)
                    and list(self.values) == list(other.values)
                    and list(self.shortfalls) == list(other.shortfalls))
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(
                mine == theirs for mine, theirs in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((tuple(self.units), tuple(self.values), tuple(self.shortfalls)))

    def __repr__(self) -> str:
        return f"FailingUnits({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # names are read now: the function that reads them stays with the tree
        return (_given_names, (list(self.units), list(self.values), list(self.shortfalls),
                               list(self.names)))


def _given_names(units: Sequence[str], values: Sequence[Value],
                 shortfalls: Sequence[Number | None], names: Sequence[str]) -> FailingUnits:
    """Failing units with their names given (how a pickled :class:`FailingUnits` is read)."""
    failing = FailingUnits(units, values, shortfalls)
    failing._names = names
    return failing


def _in_bulk(units: Sequence[FailingUnit]) -> FailingUnits:
    """``units`` held in bulk (:meth:`FailingUnits.of`)."""
    return FailingUnits.of(units)


@attrs.frozen(kw_only=True)
class TargetResult:
    """One target assessed at one unit.

    ``observed``/``required``: the share of passing units and ``share`` for
    ``each``; the subtree sum and the bound for ``total``; the ratio and the
    bound for ``ratio``. ``required_max`` is the upper bound of a range.
    ``selected``/``passing`` count the units an ``each`` target selects.
    """

    id: str
    type: Literal["each", "total", "ratio"]
    aspirational: bool
    status: Status
    observed: Number | None
    required: Any
    required_max: Number | None = None
    stretch_met: bool | None = None
    selected: int | None = None
    passing: int | None = None
    failing: FailingUnits = attrs.field(factory=lambda: FailingUnits((), (), ()),
                                          converter=_in_bulk)
    """The selected units that fail, in tree order (held in bulk: :class:`FailingUnits`)."""
    text: str | None = attrs.field(default=None, eq=False)
    condition: str = attrs.field(default="", eq=False)
    """The condition in words (``≥ 3``), for people."""
    rule: Condition | None = attrs.field(default=None, eq=False, repr=False)
    """The target's condition, which the renderings describe in the language asked for
    (``None`` once read back from JSON: then :attr:`condition` is shown)."""
    exact_observed: Fraction | None = attrs.field(default=None, eq=False, repr=False)
    """``observed`` as the exact fraction its verdict was taken on (``passing/selected``,
    the decimal sum, or the ratio of the two), so that the figure people read is rounded
    toward the verdict; not in the JSON (``None`` once read back)."""
    allocated: bool = False
    """Whether the target is handed down the tree (SPEC §10): below the root it is
    judged against the unit's part, which ``required`` (and ``required_max``) then is."""
    pace: Pace | None = None
    """The target's pace by a date, in a report made ``as_of`` one (SPEC §10)."""

    def to_dict(self, *, bulk: bool = False, paced: bool = False) -> dict[str, Any]:
        """This target's entry of SPEC §5's ``targets`` list (with ``bulk``, ``failing``
        is the :class:`FailingUnits` itself, which JSON text is written from; with
        ``paced``, the report is made as of a date, and the entry has its ``pace``)."""
        entry: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "aspirational": self.aspirational,
            "status": self.status,
            "observed": self.observed,
            "required": list(self.required) if isinstance(self.required, tuple)
            else self.required,
        }
        if self.required_max is not None:
            entry["required_max"] = self.required_max
        if self.allocated:
            entry["allocated"] = True
        entry["stretch_met"] = self.stretch_met
        entry["units"] = (
            None if self.selected is None
            else {"selected": self.selected, "passing": self.passing}
        )
        entry["failing"] = self.failing if bulk else self.failing.to_dicts()
        if paced or self.pace is not None:
            entry["pace"] = None if self.pace is None else self.pace.to_dict()
        return entry

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any]) -> TargetResult:
        """Read back an entry written by :meth:`to_dict`."""
        units = entry.get("units")
        required = entry["required"]
        failing = entry.get("failing", ())
        pace = entry.get("pace")
        return cls(
            id=entry["id"],
            type=entry["type"],
            aspirational=entry["aspirational"],
            status=entry["status"],
            observed=entry["observed"],
            required=tuple(required) if isinstance(required, list) else required,
            required_max=entry.get("required_max"),
            stretch_met=entry.get("stretch_met"),
            selected=units["selected"] if units else None,
            passing=units["passing"] if units else None,
            failing=FailingUnits([unit["unit"] for unit in failing],
                                 [unit["value"] for unit in failing],
                                 [unit.get("shortfall") for unit in failing]),
            allocated=entry.get("allocated", False),
            pace=None if pace is None else Pace.from_dict(pace,
                                                          percent=entry["type"] != "total"),
        )


@attrs.frozen(kw_only=True)
class UnitStatus:
    """One unit of the assessed subtree, with the verdict of the plan assessed at it
    (what ``--format tree`` and the HTML report's tree show)."""

    unit: str
    name: str
    kind: str
    depth: int
    """How many units of the assessed subtree stand above it (0 for its top)."""
    not_met: tuple[str, ...]
    """The mandatory targets not met when the plan is assessed at the unit."""
    aspirational_not_met: tuple[str, ...] = ()
    reported: bool = True

    @property
    def compliant(self) -> bool:
        """Whether the unit's subtree is compliant (no mandatory target not met)."""
        return not self.not_met


def _no_tree() -> tuple[UnitStatus, ...]:
    return ()


@attrs.frozen(kw_only=True)
class Report:
    """A plan assessed at one unit: the results of every target, in plan order."""

    plan: str
    at: str
    results: tuple[TargetResult, ...]
    not_reported: tuple[str, ...]
    plan_title: str = attrs.field(default="", eq=False)
    at_name: str = attrs.field(default="", eq=False)
    warnings: tuple[Problem, ...] = attrs.field(default=(), eq=False)
    as_of: date | None = None
    """The date the report paces its targets by (SPEC §10), if it was asked for."""
    pacing: PacingHead | None = attrs.field(default=None, eq=False)
    """The date, the plan's period and how much of it is gone by then, for people."""
    unit_statuses: Callable[[], Sequence[UnitStatus]] = attrs.field(
        default=_no_tree, eq=False, repr=False)
    """Every unit of the assessed subtree in tree order, each with its own verdict
    (:class:`UnitStatus`), made when called; none for a report read back from JSON."""

    def __reduce__(self) -> tuple[Any, ...]:
        # the units' verdicts are read from the assessment, which stays where it is: a
        # report sent to another process (a sweep's) goes without its tree
        return (_report_of, ({field.name: getattr(self, field.name)
                              for field in attrs.fields(Report)
                              if field.name != "unit_statuses"},))

    @property
    def compliant(self) -> bool:
        """Whether no target that is not aspirational is ``not_met``."""
        return not any(
            result.status == "not_met" and not result.aspirational for result in self.results
        )

    @property
    def summary(self) -> dict[str, int]:
        """How many targets there are, by status, and how many mandatory ones are not met."""
        counts = {"targets": len(self.results)}
        for status in STATUSES:
            counts[status] = sum(result.status == status for result in self.results)
        counts["required_not_met"] = sum(
            result.status == "not_met" and not result.aspirational for result in self.results
        )
        return counts

    def result(self, target_id: str) -> TargetResult:
        """The result of the target with this id (:class:`KeyError` if none)."""
        for result in self.results:
            if result.id == target_id:
                return result
        raise KeyError(target_id)

    def to_dict(self, *, bulk: bool = False) -> dict[str, Any]:
        """The report as SPEC §5's JSON object (plain dicts, lists, numbers, text).

        With ``bulk``, each ``failing`` list is the target's :class:`FailingUnits`, as
        :meth:`to_json` writes it.
        """
        paced = self.as_of is not None
        return {
            "plan": self.plan,
            "at": self.at,
            **({"as_of": self.as_of.isoformat()} if self.as_of is not None else {}),
            "compliant": self.compliant,
            "summary": self.summary,
            "not_reported": list(self.not_reported),
            "targets": [result.to_dict(bulk=bulk, paced=paced) for result in self.results],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text, indented, each failing unit on a line of its own
        (``--format json``): written from the failing units' columns, without a dict for
        each, so that a report of a million units is written in about a second.

        >>> result = TargetResult(id="3b", type="each", aspirational=False,
        ...                       status="not_met", observed=0.5, required=1.0,
        ...                       failing=(FailingUnit("u1", 1, 2),))
        >>> report = Report(plan="p", at="k", results=(result,), not_reported=())
        >>> import json
        >>> json.loads(report.to_json()) == report.to_dict()
        True
        """
        return json_text(self.to_dict(bulk=True))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Read back a report written by :meth:`to_dict` (texts and names are not in it)."""
        return cls(
            plan=data["plan"],
            at=data["at"],
            results=tuple(TargetResult.from_dict(entry) for entry in data["targets"]),
            not_reported=tuple(data["not_reported"]),
            as_of=date.fromisoformat(data["as_of"]) if "as_of" in data else None,
        )

    def to_text(self, lang: str = DEFAULT_LANG) -> str:
        """The report for a terminal: a summary, then each target with its text; its
        words in ``lang``, Vietnamese (``vi``, the default) or English (``en``)."""
        return render_text(self, lang)

    def to_tree(self, lang: str = DEFAULT_LANG) -> str:
        """The assessed subtree drawn as a tree, each unit marked by the verdict of the
        plan assessed at it (``--format tree``); empty for a report read back from JSON."""
        return render_tree(self.unit_statuses(), lang)

    def to_html(self, lang: str = DEFAULT_LANG) -> str:
        """The report as one self-contained HTML page (``--format html``): the summary,
        the tree of units each marked by its compliance, then every target with its text,
        figures, a bar and its failing units; every text escaped."""
        return render_html(self, self.unit_statuses(), lang)

    def to_markdown(self, lang: str = DEFAULT_LANG) -> str:
        """The report as a Markdown document: a table of targets, then failing units; its
        words in ``lang`` (``vi``, the default, or ``en``)."""
        return render_markdown(self, lang)

    def to_frame(self, backend: str = "pyarrow") -> Any:
        """One row a target, in plan order, as a frame of the kind ``backend`` names:
        ``"pyarrow"`` (a :class:`pyarrow.Table`), ``"pandas"`` or ``"polars"``
        (columns: :mod:`doanorg.core._frames`)."""
        from doanorg.core._frames import frame_of, targets_frame

        return frame_of(targets_frame(self), backend)

    def failing_frame(self, backend: str = "pyarrow") -> Any:
        """One row a failing unit of each target (targets in plan order, units in tree
        order), as a frame of the kind ``backend`` names (see :meth:`to_frame`)."""
        from doanorg.core._frames import failing_frame, frame_of

        return frame_of(failing_frame(self), backend)


def _report_of(fields: dict[str, Any]) -> Report:
    """A report from its fields (how a pickled :class:`Report` is read)."""
    return Report(**fields)
