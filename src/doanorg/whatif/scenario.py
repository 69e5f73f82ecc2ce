"""What-if scenarios: a baseline (org, facts, plan) and edits applied to it.

A :class:`Scenario` is immutable. Editing one returns a new scenario whose
``base`` is the one it came from, so the baseline is never modified, two
scenarios can be compared side by side, and a scenario of a scenario
composes its edits. An *edit* is a small frozen value:

- facts: :class:`SetFact` (a unit's own value), :class:`AddFact` (add to it);
- units: :class:`AddUnit`, :class:`RemoveUnit` (with its subtree and their
  facts), :class:`MoveUnit` (under a new parent), :class:`MergeUnits` (the
  merged units' facts are summed into one unit and their children re-parented
  to it, as a reorganisation does), :class:`SplitUnit` (a new sibling takes
  some children and some of the facts);
- targets: :class:`ChangeTarget` (bounds, share, stretch, aspirational, text),
  :class:`AddTarget`, :class:`DropTarget`.

Every edit is checked as it is applied: an unknown unit, metric or target, a
move under the unit itself or its own subtree, a move that would break the
schema, or a value of the wrong type raises :class:`~doanorg.ScenarioError`
and changes nothing. Scenarios are saved to and read from a TOML file of
edits (:meth:`Scenario.to_toml`, :func:`doanorg.io.load_scenario`).

Examples
--------
>>> from doanorg import Facts, load_org, load_plan
>>> from doanorg.io import example_file
>>> org = load_org(example_file("org.csv"))
>>> plan = load_plan("doan-khoi-2020")
>>> base = Scenario.baseline(org, Facts.from_records({}), plan)
>>> more = base.apply(SetFact("h01", "youth_projects", 3), name="h01 certifies 3")
>>> more.report(at="h01").result("3b").status, base.report(at="h01").result("3b").status
('met', 'not_met')
>>> stricter = more.apply(ChangeTarget("3b", {"at_least": 4}))
>>> stricter.report(at="h01").result("3b").status
'not_met'
>>> [edit.describe() for edit in stricter.all_edits()]
['set h01.youth_projects = 3', 'change target 3b: at_least = 4']
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from typing import Any

import attrs

from doanorg.core.engine import Assessment, rollup
from doanorg.core.facts import Facts, MetricType, RawValue, Value, coerce
from doanorg.core.model import AttributeValue, Org, UnitRow, build_org
from doanorg.core.report import Report
from doanorg.core.rules import Plan, plan_from_mapping, target_to_mapping
from doanorg.errors import DoanorgError, Problem, ScenarioError

__all__ = [
    "AddFact",
    "AddTarget",
    "AddUnit",
    "ChangeTarget",
    "DropTarget",
    "Edit",
    "MergeUnits",
    "MoveUnit",
    "RemoveUnit",
    "Scenario",
    "SetFact",
    "SplitUnit",
    "State",
    "edit_from_mapping",
    "edit_to_mapping",
]


@attrs.frozen
class State:
    """What an edit works on: the organisation, the facts and the plan."""

    org: Org
    facts: Facts
    plan: Plan


def _fail(message: str, *, unit: str | None = None, metric: str | None = None,
          target: str | None = None) -> ScenarioError:
    return ScenarioError([Problem(message, unit=unit, metric=metric, target=target)])


def _unit(state: State, unit: str) -> None:
    if unit not in state.org:
        raise _fail(f"unit {unit!r} is not in the organisation", unit=unit)


def _checked_value(state: State, unit: str, metric: str, value: RawValue) -> RawValue:
    _unit(state, unit)
    if metric not in state.plan.metrics:
        raise _fail(f"metric {metric!r} is not declared by the plan "
                    f"(it has {', '.join(state.plan.metrics)})", unit=unit, metric=metric)
    try:
        coerce(state.plan.metrics[metric], value)
    except ValueError as error:
        raise _fail(f"unit {unit!r}: {error}", unit=unit, metric=metric) from None
    return value


def _with_facts(state: State, values: Mapping[str, Mapping[str, RawValue]],
                reported: AbstractSet[str]) -> State:
    """``state`` with new facts; ``values`` is taken as it is (callers pass a fresh copy
    of what they change and share what they do not: facts are never mutated)."""
    return attrs.evolve(state, facts=attrs.evolve(state.facts, values=values, reported=reported,
                                                  table=None))


def _with_rows(state: State, rows: list[UnitRow], what: str) -> State:
    try:
        org = build_org(rows, state.org.schema)
    except DoanorgError as error:
        raise ScenarioError(
            [attrs.evolve(problem, message=f"{what}: {problem.message}", line=None, file=None)
             for problem in error.problems]
        ) from None
    org = attrs.evolve(org, source=state.org.source)
    values = {unit: v for unit, v in state.facts.values.items() if unit in org}
    return attrs.evolve(
        _with_facts(state, values, frozenset(u for u in state.facts.reported if u in org)),
        org=org,
    )


@attrs.frozen
class SetFact:
    """Set ``unit``'s own value of ``metric`` (``None`` removes it: a missing value;
    a scenario file says so by leaving ``value`` out)."""

    unit: str
    metric: str
    value: RawValue = None

    def apply(self, state: State) -> State:
        value = _checked_value(state, self.unit, self.metric, self.value)
        return attrs.evolve(state, facts=state.facts.with_value(self.unit, self.metric, value))

    def describe(self) -> str:
        return f"set {self.unit}.{self.metric} = {self.value}"


@attrs.frozen
class AddFact:
    """Add ``amount`` to ``unit``'s own value of a count or amount metric."""

    unit: str
    metric: str
    amount: int | float

    def apply(self, state: State) -> State:
        _checked_value(state, self.unit, self.metric, None)
        metric = state.plan.metrics[self.metric]
        if metric.type not in (MetricType.COUNT, MetricType.AMOUNT):
            raise _fail(f"cannot add to {self.metric!r}, a {metric.type.value}: use set",
                        unit=self.unit, metric=self.metric)
        current = coerce(metric, state.facts.raw(self.unit, self.metric))
        assert isinstance(current, int | float)
        return SetFact(self.unit, self.metric, current + self.amount).apply(state)

    def describe(self) -> str:
        return f"add {self.amount:+g} to {self.unit}.{self.metric}"


@attrs.frozen
class AddUnit:
    """Add a new unit under ``parent``."""

    id: str
    parent: str
    kind: str
    name: str
    attributes: Mapping[str, AttributeValue] = attrs.field(factory=dict)

    def apply(self, state: State) -> State:
        _unit(state, self.parent)
        if self.id in state.org:
            raise _fail(f"unit {self.id!r} is already in the organisation", unit=self.id)
        row = UnitRow(self.id, self.parent, self.kind, self.name, self.attributes)
        return _with_rows(state, [*state.org.rows(), row], f"adding {self.id!r}")

    def describe(self) -> str:
        return f"add unit {self.id} ({self.kind}) under {self.parent}"


@attrs.frozen
class RemoveUnit:
    """Remove ``unit`` with its whole subtree, and their facts."""

    unit: str

    def apply(self, state: State) -> State:
        _unit(state, self.unit)
        if state.org.parent(self.unit) is None:
            raise _fail(f"unit {self.unit!r} is the root; it cannot be removed", unit=self.unit)
        gone = {unit.id for unit in state.org.subtree(self.unit)}
        rows = [row for row in state.org.rows() if row.id not in gone]
        return _with_rows(state, rows, f"removing {self.unit!r}")

    def describe(self) -> str:
        return f"remove unit {self.unit} and its subtree"


@attrs.frozen
class MoveUnit:
    """Move ``unit`` (with its subtree) under a new ``parent``."""

    unit: str
    parent: str

    def apply(self, state: State) -> State:
        _unit(state, self.unit)
        _unit(state, self.parent)
        # before the schema is asked: under its own subtree no kind could make it fit
        if self.parent in {unit.id for unit in state.org.subtree(self.unit)}:
            where = ("" if self.parent == self.unit
                     else f" ({self.parent!r} is in the subtree of {self.unit!r})")
            raise _fail(f"moving {self.unit!r} under {self.parent!r}: a unit cannot move under "
                        f"itself or its own subtree{where}", unit=self.unit)
        rows = [attrs.evolve(row, parent=self.parent) if row.id == self.unit else row
                for row in state.org.rows()]
        return _with_rows(state, rows, f"moving {self.unit!r} under {self.parent!r}")

    def describe(self) -> str:
        return f"move unit {self.unit} under {self.parent}"


def _merged(metric_type: MetricType, values: list[Value], into: Value) -> Value:
    """Merged facts: counts and amounts add up, a flag is true if any is, a
    category keeps the surviving unit's value, else the first one given."""
    if metric_type in (MetricType.COUNT, MetricType.AMOUNT):
        return sum(value for value in values if isinstance(value, int | float))
    if metric_type is MetricType.FLAG:
        return any(values)
    return into if into is not None else next((v for v in values if v is not None), None)


@attrs.frozen
class MergeUnits:
    """Merge ``units`` into ``into`` (one of them): facts summed, children re-parented.

    The other units disappear; their children move under ``into``; their own
    facts are combined with those of ``into`` (counts and amounts added, a
    flag true if any is, a category kept from ``into``). ``name`` renames the
    merged unit.
    """

    units: tuple[str, ...]
    into: str
    name: str | None = None

    def apply(self, state: State) -> State:
        for unit in (*self.units, self.into):
            _unit(state, unit)
        if self.into not in self.units:
            raise _fail(f"merge: {self.into!r} must be one of the merged units", unit=self.into)
        others = [unit for unit in self.units if unit != self.into]
        for unit in others:
            if self.into in {u.id for u in state.org.subtree(unit)}:
                raise _fail(f"merge: {self.into!r} is inside {unit!r}, which would disappear",
                            unit=unit)
        rows = []
        for row in state.org.rows():
            if row.id in others:
                continue
            if row.parent in others:
                row = attrs.evolve(row, parent=self.into)
            if row.id == self.into and self.name is not None:
                row = attrs.evolve(row, name=self.name)
            rows.append(row)
        values = dict(state.facts.values)
        combined: dict[str, Value] = {}
        for metric in state.plan.metrics.values():
            given = [coerce(metric, state.facts.raw(unit, metric.id)) for unit in self.units
                     if state.facts.raw(unit, metric.id) is not None]
            if given:
                into_value = coerce(metric, state.facts.raw(self.into, metric.id))
                combined[metric.id] = _merged(metric.type, given, into_value)
        keep = {m: v for m, v in values.get(self.into, {}).items() if m not in combined}
        values[self.into] = {**keep, **combined}
        reported = state.facts.reported
        if any(unit in reported for unit in self.units):
            reported = reported | {self.into}
        merged = _with_facts(state, values, reported)
        return _with_rows(merged, rows, f"merging {', '.join(self.units)}")

    def describe(self) -> str:
        return f"merge {', '.join(self.units)} into {self.into}"


@attrs.frozen
class SplitUnit:
    """Split a new unit ``new_id`` off ``unit``: a sibling of the same kind (unless
    ``kind`` is given) that takes the listed ``children`` and ``facts``.

    Counts and amounts in ``facts`` are moved: the original keeps what is
    left, and may not go below zero. Flags and categories are set on the new
    unit only.
    """

    unit: str
    new_id: str
    name: str
    children: tuple[str, ...] = ()
    facts: Mapping[str, RawValue] = attrs.field(factory=dict)
    kind: str | None = None

    def apply(self, state: State) -> State:
        _unit(state, self.unit)
        parent = state.org.parent(self.unit)
        if parent is None:
            raise _fail(f"unit {self.unit!r} is the root; it cannot be split", unit=self.unit)
        if self.new_id in state.org:
            raise _fail(f"unit {self.new_id!r} is already in the organisation", unit=self.new_id)
        child_ids = {child.id for child in state.org.children(self.unit)}
        for child in self.children:
            if child not in child_ids:
                raise _fail(f"split: {child!r} is not a child of {self.unit!r}", unit=child)
        rows = [attrs.evolve(row, parent=self.new_id) if row.id in self.children else row
                for row in state.org.rows()]
        kind = self.kind or state.org[self.unit].kind
        rows.append(UnitRow(self.new_id, parent.id, kind, self.name))
        state = _with_rows(state, rows, f"splitting {self.new_id!r} off {self.unit!r}")
        for metric_id, value in self.facts.items():
            _checked_value(state, self.new_id, metric_id, value)
            metric = state.plan.metrics[metric_id]
            if metric.type in (MetricType.COUNT, MetricType.AMOUNT):
                moved = coerce(metric, value)
                left = coerce(metric, state.facts.raw(self.unit, metric_id))
                assert isinstance(moved, int | float) and isinstance(left, int | float)
                if moved > left:
                    raise _fail(f"split: {self.unit!r} has {left:g} {metric_id}, "
                                f"fewer than the {moved:g} to move", unit=self.unit,
                                metric=metric_id)
                state = SetFact(self.unit, metric_id, left - moved).apply(state)
            state = SetFact(self.new_id, metric_id, value).apply(state)
        return state

    def describe(self) -> str:
        return f"split unit {self.new_id} off {self.unit}"


_TARGET_CHANGES = frozenset(
    {"at_least", "at_most", "equals", "not_equals", "in", "share", "stretch", "aspirational",
     "text", "allocate", "pace"}
)


def _with_targets(state: State, targets: list[dict[str, Any]], what: str) -> State:
    data = state.plan.to_mapping()
    data["targets"] = targets
    if state.plan.scoring is not None:  # the rubric's points stay on their targets
        state.plan.scoring.mark_targets(targets)
    try:
        plan = plan_from_mapping(data, state.plan.schema)
    except DoanorgError as error:
        raise ScenarioError(
            [attrs.evolve(problem, message=f"{what}: {problem.message}", line=None, file=None)
             for problem in error.problems]
        ) from None
    return attrs.evolve(state, plan=plan)


def _target_index(state: State, target: str) -> int:
    for index, candidate in enumerate(state.plan.targets):
        if candidate.id == target:
            return index
    raise _fail(f"target {target!r} is not in the plan "
                f"(it has {', '.join(t.id for t in state.plan.targets)})", target=target)


@attrs.frozen
class ChangeTarget:
    """Change a target's condition, share, stretch, aspirational flag or text.

    ``changes`` maps plan keys to new values; a value of ``None`` removes
    the key (e.g. ``{"stretch": None}``). The changed plan is checked like a
    plan file.
    """

    target: str
    changes: Mapping[str, Any]

    def apply(self, state: State) -> State:
        index = _target_index(state, self.target)
        unknown = sorted(set(self.changes) - _TARGET_CHANGES)
        if unknown:
            raise _fail(f"target {self.target!r}: cannot change {', '.join(unknown)} "
                        f"(changeable: {', '.join(sorted(_TARGET_CHANGES))})", target=self.target)
        targets = [target_to_mapping(target) for target in state.plan.targets]
        entry = targets[index]
        for key, value in self.changes.items():
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value
        return _with_targets(state, targets, f"changing target {self.target!r}")

    def describe(self) -> str:
        changes = ", ".join(f"{key} = {value}" for key, value in self.changes.items())
        return f"change target {self.target}: {changes}"


@attrs.frozen
class AddTarget:
    """Add a target, given as a ``[[targets]]`` table states it."""

    spec: Mapping[str, Any]

    def apply(self, state: State) -> State:
        targets = [target_to_mapping(target) for target in state.plan.targets]
        return _with_targets(state, [*targets, dict(self.spec)],
                             f"adding target {self.spec.get('id')!r}")

    def describe(self) -> str:
        return f"add target {self.spec.get('id')}"


@attrs.frozen
class DropTarget:
    """Drop a target from the plan."""

    target: str

    def apply(self, state: State) -> State:
        index = _target_index(state, self.target)
        targets = [target_to_mapping(t) for i, t in enumerate(state.plan.targets) if i != index]
        return _with_targets(state, targets, f"dropping target {self.target!r}")

    def describe(self) -> str:
        return f"drop target {self.target}"


Edit = (SetFact | AddFact | AddUnit | RemoveUnit | MoveUnit | MergeUnits | SplitUnit
        | ChangeTarget | AddTarget | DropTarget)


@attrs.frozen(eq=False)
class Scenario:
    """A named state of (org, facts, plan), and the edits that led to it from its base.

    Start from :meth:`baseline`; :meth:`apply` (or a shortcut such as
    :meth:`set_fact`) returns a new scenario. ``base`` is the scenario it
    was made from (``None`` for a baseline).
    """

    state: State
    name: str = "baseline"
    edits: tuple[Edit, ...] = ()
    base: Scenario | None = None
    _assessment: list[Assessment] = attrs.field(factory=list, repr=False, alias="_assessment")

    @classmethod
    def baseline(cls, org: Org, facts: Facts, plan: Plan, *, name: str = "baseline") -> Scenario:
        """The scenario with no edits: the data as it is."""
        return cls(State(org, facts, plan), name)

    @property
    def org(self) -> Org:
        return self.state.org

    @property
    def facts(self) -> Facts:
        return self.state.facts

    @property
    def plan(self) -> Plan:
        return self.state.plan

    def apply(self, *edits: Edit, name: str | None = None) -> Scenario:
        """A new scenario: this one with ``edits`` applied in order.

        Raises :class:`~doanorg.ScenarioError` (and changes nothing) if an
        edit does not fit.
        """
        state = self.state
        # fact edits update the assessment incrementally (the unit and its ancestors)
        assessment = self._assessment[0] if self._assessment else None
        for edit in edits:
            state = edit.apply(state)
            if assessment is not None and isinstance(edit, SetFact | AddFact):
                # a set value is the edit's own (reading it back from the facts would read
                # the unit's row through every edit before it: quadratic in the edits)
                assessment = assessment.with_fact(
                    edit.unit, edit.metric, edit.value if isinstance(edit, SetFact)
                    else state.facts.raw(edit.unit, edit.metric))
            else:
                assessment = None
        scenario = Scenario(state, name if name is not None else self.name, tuple(edits), self)
        if assessment is not None:
            scenario._assessment.append(attrs.evolve(assessment, facts=state.facts))
        return scenario

    def all_edits(self) -> tuple[Edit, ...]:
        """Every edit from the first baseline to this scenario, in order."""
        chain: list[tuple[Edit, ...]] = []
        scenario: Scenario | None = self
        while scenario is not None:
            chain.append(scenario.edits)
            scenario = scenario.base
        return tuple(edit for edits in reversed(chain) for edit in edits)

    def root(self) -> Scenario:
        """The baseline this scenario was made from, through any number of steps."""
        scenario = self
        while scenario.base is not None:
            scenario = scenario.base
        return scenario

    def set_fact(self, unit: str, metric: str, value: RawValue) -> Scenario:
        """Shortcut for ``apply(SetFact(unit, metric, value))``."""
        return self.apply(SetFact(unit, metric, value))

    def add_fact(self, unit: str, metric: str, amount: int | float) -> Scenario:
        """Shortcut for ``apply(AddFact(unit, metric, amount))``."""
        return self.apply(AddFact(unit, metric, amount))

    def move_unit(self, unit: str, parent: str) -> Scenario:
        """Shortcut for ``apply(MoveUnit(unit, parent))``."""
        return self.apply(MoveUnit(unit, parent))

    def change_target(self, target: str, **changes: Any) -> Scenario:
        """Shortcut for ``apply(ChangeTarget(target, changes))``; ``in`` is spelt ``in_``."""
        return self.apply(ChangeTarget(target, {k.rstrip("_"): v for k, v in changes.items()}))

    def assessment(self) -> Assessment:
        """The plan rolled up over this scenario's tree (computed once, then kept)."""
        if not self._assessment:
            self._assessment.append(rollup(self.org, self.facts, self.plan))
        return self._assessment[0]

    def report(self, at: str | None = None, *, as_of: date | None = None) -> Report:
        """The plan assessed at ``at`` (default: the root) in this scenario; with
        ``as_of``, each target's pace by that date (SPEC §10)."""
        return self.assessment().report(at, as_of=as_of)

    def to_mapping(self) -> dict[str, Any]:
        """The scenario's own edits as a TOML-shaped mapping (see :func:`edit_from_mapping`)."""
        return {"name": self.name, "edits": [edit_to_mapping(edit) for edit in self.edits]}


# --- edits as TOML tables --------------------------------------------------------

_EDIT_FIELDS: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "set": (SetFact, ("unit", "metric", "value")),
    "add": (AddFact, ("unit", "metric", "amount")),
    "add_unit": (AddUnit, ("id", "parent", "kind", "name", "attributes")),
    "remove_unit": (RemoveUnit, ("unit",)),
    "move_unit": (MoveUnit, ("unit", "parent")),
    "merge_units": (MergeUnits, ("units", "into", "name")),
    "split_unit": (SplitUnit, ("unit", "new_id", "name", "children", "facts", "kind")),
    "change_target": (ChangeTarget, ("target", "changes")),
    "add_target": (AddTarget, ("spec",)),
    "drop_target": (DropTarget, ("target",)),
}
_EDIT_NAMES = {cls: name for name, (cls, _) in _EDIT_FIELDS.items()}


_TEXT = (str,)
_SCALAR = (str, int, float, bool)
_NUMBER = (int, float)
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "unit": _TEXT, "metric": _TEXT, "target": _TEXT, "parent": _TEXT, "id": _TEXT,
    "kind": _TEXT, "name": _TEXT, "into": _TEXT, "new_id": _TEXT,
    "value": _SCALAR, "amount": _NUMBER,
    "units": (list,), "children": (list,), "remove": (list,),
    "attributes": (dict,), "facts": (dict,), "changes": (dict,), "spec": (dict,),
}


def edit_to_mapping(edit: Edit) -> dict[str, Any]:
    """An edit as a ``[[edits]]`` table: ``do`` names it, the other keys are its fields.

    A target change that removes keys (``None`` values) lists them in ``remove``.

    >>> edit_to_mapping(SetFact("h01", "youth_projects", 3))
    {'do': 'set', 'unit': 'h01', 'metric': 'youth_projects', 'value': 3}
    >>> edit_to_mapping(ChangeTarget("6", {"at_least": 2, "stretch": None}))
    {'do': 'change_target', 'target': '6', 'changes': {'at_least': 2}, 'remove': ['stretch']}
    """
    name = _EDIT_NAMES[type(edit)]
    entry: dict[str, Any] = {"do": name}
    for field in _EDIT_FIELDS[name][1]:
        value = getattr(edit, field)
        if isinstance(edit, ChangeTarget) and field == "changes":
            entry[field] = {key: given for key, given in value.items() if given is not None}
            removed = [key for key, given in value.items() if given is None]
            if removed:
                entry["remove"] = removed
            continue
        if value is None or value == {} or value == ():
            continue
        entry[field] = list(value) if isinstance(value, tuple) else (
            dict(value) if isinstance(value, Mapping) else value)
    return entry


def edit_from_mapping(entry: Mapping[str, Any]) -> Edit:
    """Read one ``[[edits]]`` table back (:class:`ValueError` saying what is wrong).

    >>> edit_from_mapping({"do": "move_unit", "unit": "h01-cs01", "parent": "h02"})
    MoveUnit(unit='h01-cs01', parent='h02')
    """
    if not isinstance(entry, Mapping):
        raise ValueError(f"an edit is a table ([[edits]] with do = ...), not {entry!r}")
    name = entry.get("do")
    if name not in _EDIT_FIELDS:
        raise ValueError(f"do = {name!r} is not an edit (edits: {', '.join(_EDIT_FIELDS)})")
    cls, fields = _EDIT_FIELDS[name]
    allowed = [*fields, "remove"] if name == "change_target" else list(fields)
    unknown = sorted(set(entry) - {"do", *allowed})
    if unknown:
        raise ValueError(f"{name}: unknown key {', '.join(unknown)} "
                         f"(it takes {', '.join(allowed)})")
    for field in [field for field in allowed if field in entry]:
        expected = _FIELD_TYPES[field]
        given = entry[field]
        if not isinstance(given, expected) or (
                isinstance(given, bool) and expected is _NUMBER):
            kinds = " or ".join(kind.__name__ for kind in expected)
            raise ValueError(f"{name}: {field} must be {kinds}, not {given!r}")
        if isinstance(given, list) and not all(isinstance(item, str) for item in given):
            raise ValueError(f"{name}: {field} must be a list of names, not {given!r}")
    arguments = {field: tuple(v) if isinstance(v := entry[field], list) else v
                 for field in fields if field in entry}
    if name == "change_target":
        changes: dict[str, Any] = dict(entry.get("changes", {}))
        arguments["changes"] = {**changes, **dict.fromkeys(entry.get("remove", ()))}
    try:
        edit: Edit = cls(**arguments)
    except TypeError as error:
        raise ValueError(f"{name}: {error}") from None
    return edit
