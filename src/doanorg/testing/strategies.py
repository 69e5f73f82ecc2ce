"""Hypothesis strategies for doanorg: random schemas, trees, plans and facts.

This module is for property tests, yours and doanorg's own. It imports
`Hypothesis <https://hypothesis.readthedocs.io>`_, a test extra
(``pip install doanorg[test]``), so ``import doanorg`` never loads it: import
this module explicitly, ``from doanorg.testing import strategies``.

Every strategy builds valid values through doanorg's own checks
(:func:`~doanorg.build_org`, :func:`~doanorg.core.rules.plan_from_mapping`,
:meth:`~doanorg.Schema.from_mapping`), so it never needs to filter, and each
shrinks toward a small, plain example:

:func:`schemas`
    the built-in ``doan`` schema, or a random chain of kinds in which every
    kind but the first may stand under one or more earlier kinds, with
    groups and size minimums now and then;
:func:`orgs`
    a valid tree obeying a schema, drawn from the root down so that
    shrinking drops whole subtrees: unique short ASCII ids, Vietnamese
    names, sometimes a ``members`` attribute;
:func:`metrics`
    the metrics of a plan (``count``, ``amount``, ``flag``, ``category``);
:func:`plan_mappings` and :func:`plans`
    a plan as its TOML file states it (a ``dict``), and the
    :class:`~doanorg.Plan` built from it. Targets take every shape (``each``
    with and without ``directly_under`` and ``share``, ``total``,
    ``ratio``) and every condition that fits the metric (``at_least``,
    ``at_most``, a range, ``equals``, ``not_equals``, ``in``), with
    ``stretch``, ``aspirational`` and ``text`` now and then;
:func:`facts`
    a year's facts for a tree and a plan: values as Python values or as the
    text a file holds (``"có"``, ``" 3 "``), missing values, units that did
    not report at all, and now and then a metric the plan does not declare
    (the facts ask for it to be ignored: ``Facts.ignore_unknown_metrics``);
:func:`cases`
    a tree, a plan and facts that fit together: a :class:`Case`;
:func:`facts_meeting` and :func:`facts_failing`
    facts for which one target is met, or not met, by construction (no
    filtering); an impossible verdict is refused when the strategy is made;
:func:`scenarios`
    what-if scenarios: sequences of valid edits of a baseline.

See docs/reference/strategies.md for every argument and bound.

Invalid arguments raise :class:`hypothesis.errors.InvalidArgument` when the
strategy is made, with a message that says what to pass instead.

Examples
--------
A property of your own: a report's summary counts every target once.

>>> from hypothesis import given, settings
>>> from doanorg import assess
>>> from doanorg.testing.strategies import cases
>>> @settings(max_examples=20)
... @given(cases(max_units=15))
... def test_summary_counts_every_target(case):
...     summary = assess(case.org, case.facts, case.plan).summary
...     statuses = ("met", "not_met", "not_applicable", "informational")
...     assert summary["targets"] == sum(summary[status] for status in statuses)
>>> test_summary_counts_every_target()

The strategies compose: a random schema, then a tree of it.

>>> from doanorg.testing.strategies import orgs, schemas
>>> @settings(max_examples=20)
... @given(schemas().flatmap(lambda schema: orgs(schema, max_units=10, max_depth=3)))
... def test_small_trees(org):
...     assert 1 <= len(org) <= 10 and all(org.depth(unit.id) <= 3 for unit in org)
>>> test_small_trees()
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from doanorg.core.facts import Facts, Metric, MetricType, RawValue
from doanorg.core.model import Org, UnitRow, build_org
from doanorg.core.rules import Plan, Target, plan_from_mapping, target_to_mapping
from doanorg.core.schema import Schema
from doanorg.io import builtin_schema
from doanorg.testing._verdict import facts_with_verdict, scenarios

__all__ = [
    "Case",
    "cases",
    "facts",
    "facts_failing",
    "facts_meeting",
    "metrics",
    "orgs",
    "plan_mappings",
    "plans",
    "scenarios",
    "schemas",
]


# --- vocabulary ----------------------------------------------------------------------------

_KIND_POOL = (
    "khoi", "nganh", "doan_cap_huyen", "doan_co_so", "lien_chi_doan", "chi_doan",
    "doan_bo_phan", "to_doan", "cum", "ban", "hoi", "nhom",
)
_KIND_LABELS = {
    "khoi": "Đoàn Khối",
    "nganh": "Đoàn Thanh niên ngành",
    "doan_cap_huyen": "Đoàn",
    "doan_co_so": "Đoàn cơ sở",
    "chi_doan_co_so": "Chi đoàn cơ sở",
    "lien_chi_doan": "Liên chi đoàn",
    "chi_doan": "Chi đoàn",
    "doan_bo_phan": "Đoàn bộ phận",
    "to_doan": "Tổ Đoàn",
    "cum": "Cụm thi đua",
    "ban": "Ban",
    "hoi": "Hội",
    "nhom": "Nhóm",
}
_GROUP_POOL = ("co_so", "cap_tren", "tat_ca", "nhom_a")
_PLACES = (
    "Bộ Tư pháp", "Bộ Y tế", "Văn phòng Chính phủ", "Ban Tuyên giáo Trung ương",
    "Vụ Pháp chế", "Cục Quản lý thị trường", "Phòng Kế hoạch, Tài chính", "Thanh tra",
    "Báo Nhân dân", "Học viện Chính trị quốc gia Hồ Chí Minh", "Bệnh viện Bạch Mai",
    "số 1", "số 2", "Trường Đại học Bách khoa Hà Nội", "Kho bạc Nhà nước",
    "Ủy ban Dân tộc", "\"Tuổi trẻ\" Thủ đô", "Khoa Ngữ văn – Báo chí",
)
_METRIC_POOL = (
    "youth_projects", "youth_tasks", "trees_planted", "research_projects",
    "research_applied", "policy_forums", "reform_ideas", "children_supported",
    "playgrounds", "members_introduced", "members_admitted", "funds_raised",
    "regular_meetings", "resolutions_studied", "rating", "thematic_meetings",
)
_METRIC_LABELS = (
    "Công trình thanh niên", "Phần việc thanh niên", "Cây xanh trồng mới",
    "Đoàn viên ưu tú giới thiệu cho Đảng", "Sinh hoạt chuyên đề", "Xếp loại chất lượng",
    "Kinh phí vận động (triệu đồng)", "",
)
_CATEGORY_POOL = ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh", "kha", "yeu")
_TEXTS = (
    "Mỗi cơ sở đoàn trực thuộc Khối tổ chức ít nhất 01 hoạt động",
    "100% các cấp bộ đoàn có triển khai học tập",
    "Phấn đấu có 150 công trình thanh niên",
    "Trồng mới được ít nhất 26.200 cây xanh",
)
_TRUE_TEXTS = ("có", "Có", "CÓ", "true", "True", "yes", "YES", "1")
_FALSE_TEXTS = ("không", "Không", "KHÔNG", "false", "FALSE", "no", "No", "0")
_ID_ALPHABET = string.digits + string.ascii_lowercase
_UNDECLARED = "ghi_chu"


@functools.cache
def _doan() -> Schema:
    return builtin_schema("doan")


# --- argument checks -----------------------------------------------------------------------


def _check_int(name: str, value: object, *, least: int, most: int | None = None) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be an integer, such as {name}={least}")
    if value < least:
        raise InvalidArgument(f"{name}={value!r} is too small: pass {name}={least} or more")
    if most is not None and value > most:
        raise InvalidArgument(f"{name}={value!r} is too large: pass {name}={most} or less")


def _check_range(low_name: str, low: int, high_name: str, high: int) -> None:
    if low > high:
        raise InvalidArgument(
            f"{low_name}={low} is above {high_name}={high}: raise {high_name} "
            f"or lower {low_name}"
        )


def _check_schema(schema: object) -> Schema:
    if schema is None:
        return _doan()
    if not isinstance(schema, Schema):
        raise InvalidArgument(
            f"schema={schema!r} must be a doanorg.Schema (from doanorg.load_schema, "
            "doanorg.io.builtin_schema or the schemas() strategy), or None for the "
            "built-in 'doan' schema"
        )
    return schema


def _check_metrics(given: object) -> dict[str, Metric] | None:
    if given is None:
        return None
    if (
        not isinstance(given, Mapping)
        or not given
        or not all(isinstance(key, str) and isinstance(value, Metric)
                   for key, value in given.items())
    ):
        raise InvalidArgument(
            f"metrics={given!r} must be a non-empty mapping of metric ids to "
            "doanorg.Metric values (such as Plan.metrics or a value drawn from metrics()), "
            "or None to draw them"
        )
    for key, metric in given.items():
        if key != metric.id:
            raise InvalidArgument(f"metrics: key {key!r} holds the metric {metric.id!r}; "
                                  "key each metric by its own id")
        if metric.type is MetricType.CATEGORY and not metric.values:
            raise InvalidArgument(f"metrics: the category {key!r} has no values; give it "
                                  "values=(...) as a plan would")
    return dict(given)


# --- schemas -------------------------------------------------------------------------------


def schemas(*, min_kinds: int = 1, max_kinds: int = 6, builtin: bool = True
            ) -> SearchStrategy[Schema]:
    """Valid :class:`~doanorg.Schema` values.

    With ``builtin`` (the default) the built-in ``doan`` schema is one of
    them, and the one they shrink to. The others have from ``min_kinds`` to
    ``max_kinds`` kinds (at most 12): the first stands at the root, and
    every other kind may stand directly under one or more earlier kinds (a
    few are roots too). Now and then a schema has groups and a kind has a
    ``members`` minimum.
    """
    _check_int("min_kinds", min_kinds, least=1, most=len(_KIND_POOL))
    _check_int("max_kinds", max_kinds, least=1, most=len(_KIND_POOL))
    _check_range("min_kinds", min_kinds, "max_kinds", max_kinds)
    if not isinstance(builtin, bool):
        raise InvalidArgument(f"builtin={builtin!r} must be True or False")
    drawn = _schema_mappings(min_kinds, max_kinds).map(Schema.from_mapping)
    return st.just(_doan()) | drawn if builtin else drawn


_KIND_IDS = st.sampled_from(_KIND_POOL)


@st.composite
def _schema_mappings(draw: st.DrawFn, min_kinds: int, max_kinds: int) -> dict[str, Any]:
    ids = draw(st.lists(_KIND_IDS, min_size=min_kinds, max_size=max_kinds, unique=True))
    count = len(ids)
    kinds: dict[str, dict[str, Any]] = {}
    for index, kind in enumerate(ids):
        spec: dict[str, Any] = {"label": _KIND_LABELS[kind]}
        # a later kind is a root now and then (integers shrink toward 0: not a root)
        if index == 0 or draw(st.integers(0, 9)) == 9:
            spec["parents"] = []
        else:
            spec["parents"] = draw(
                st.lists(st.sampled_from(ids[:index]), min_size=1, max_size=index, unique=True)
            )
        if draw(st.integers(0, 3)) == 3:
            spec["minimum"] = {"members": draw(st.integers(1, 30))}
        kinds[kind] = spec
    groups = {
        name: draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))
        for name in _GROUP_POOL[: draw(st.integers(0, 2))]
    }
    return {"id": f"schema-{count}", "title": "Sơ đồ tổ chức", "kinds": kinds,
            "groups": groups}


# --- trees ---------------------------------------------------------------------------------


class _Shape:
    """What bounds a tree: the kinds allowed below each kind, depth, breadth and size."""

    def __init__(self, schema: Schema, max_depth: int, max_children: int,
                 max_units: int) -> None:
        self.schema = schema
        self.max_depth = max_depth
        self.max_children = max_children
        self.max_units = max_units
        self.below = {
            kind: tuple(child for child, spec in schema.kinds.items() if kind in spec.parents)
            for kind in schema.kinds
        }
        self._capacities: dict[tuple[str, int], int] = {}

    def capacity(self, kind: str, depth: int) -> int:
        """The most units a subtree topped by ``kind`` at ``depth`` can hold (≤ max_units)."""
        key = (kind, depth)
        if key not in self._capacities:
            children = self.below[kind]
            if depth >= self.max_depth or not children or self.max_children == 0:
                self._capacities[key] = 1
            else:
                best = max(self.capacity(child, depth + 1) for child in children)
                self._capacities[key] = min(self.max_units, 1 + self.max_children * best)
        return self._capacities[key]


class _Grown:
    """The rows of one tree as they are drawn, and the ids they took."""

    def __init__(self) -> None:
        self.rows: list[UnitRow] = []
        self.ids: set[str] = set()


def orgs(
    schema: Schema | None = None,
    *,
    min_units: int = 1,
    max_units: int = 50,
    max_depth: int = 6,
    max_children: int = 8,
) -> SearchStrategy[Org]:
    """Valid :class:`~doanorg.Org` trees obeying ``schema`` (default: the built-in ``doan``).

    A tree has from ``min_units`` to ``max_units`` units; its root is of a
    root kind (a kind with no allowed parent), no unit stands more than
    ``max_depth`` levels below the root, and none has more than
    ``max_children`` children. Each unit has a unique short ASCII id, a
    Vietnamese name (some with commas and quotes, as files hold them) and
    sometimes a ``members`` attribute. Trees are built with
    :func:`~doanorg.build_org` and shrink toward one unit.
    """
    resolved = _check_schema(schema)
    _check_int("min_units", min_units, least=1)
    _check_int("max_units", max_units, least=1)
    _check_range("min_units", min_units, "max_units", max_units)
    _check_int("max_depth", max_depth, least=0)
    _check_int("max_children", max_children, least=0)
    roots = [kind for kind, spec in resolved.kinds.items() if not spec.parents]
    if not roots:
        raise InvalidArgument(
            f"the schema {resolved.id!r} has no root kind (every kind names a parent); "
            "give one kind parents = []"
        )
    shape = _Shape(resolved, max_depth, max_children, max_units)
    roomy = [kind for kind in roots if shape.capacity(kind, 0) >= min_units]
    if not roomy:
        most = max(shape.capacity(kind, 0) for kind in roots)
        raise InvalidArgument(
            f"min_units={min_units}, but a tree of schema {resolved.id!r} with "
            f"max_depth={max_depth} and max_children={max_children} holds at most {most} "
            "units: raise max_depth or max_children, or lower min_units"
        )
    return _orgs(shape, tuple(roomy), min_units)


_IDS = st.integers(0, 36**3 - 1)
"""A unit's wanted id, as a number written in base 36 (at most three characters)."""
_PLACE = st.sampled_from(_PLACES)
_MEMBERS = st.integers(-120, 120)
"""A unit's members; 0 or less stands for no ``members`` attribute (about half the units)."""


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _ID_ALPHABET[digit] + digits
        if not number:
            return digits


@st.composite
def _orgs(draw: st.DrawFn, shape: _Shape, roots: tuple[str, ...], min_units: int) -> Org:
    budget = draw(st.integers(min_units, shape.max_units))
    root = draw(st.sampled_from(roots))
    grown = _Grown()
    draw(_subtree(shape, grown, None, root, 0, min_units, budget))
    return build_org(grown.rows, shape.schema)


@st.composite
def _subtree(
    draw: st.DrawFn,
    shape: _Shape,
    grown: _Grown,
    parent: str | None,
    kind: str,
    depth: int,
    need: int,
    budget: int,
) -> int:
    """Draw one unit and its subtree; return how many units it holds (need ≤ n ≤ budget).

    The caller guarantees ``1 ≤ budget`` and ``need ≤ min(capacity, budget)``.
    Each child's subtree is one draw, so the shrinker drops it whole.
    """
    unit_id = _unique(grown.ids, _base36(draw(_IDS)))
    name = f"{_KIND_LABELS.get(kind, 'Đơn vị')} {draw(_PLACE)}"
    members = draw(_MEMBERS)
    grown.rows.append(UnitRow(unit_id, parent, kind, name,
                              {"members": members} if members > 0 else {}))
    children = shape.below[kind]
    if depth >= shape.max_depth or not children or budget == 1 or shape.max_children == 0:
        return 1
    best = max(shape.capacity(child, depth + 1) for child in children)
    need, budget = max(0, need - 1), budget - 1
    # the root has children whenever the budget allows: a lone root comes from budget 1
    least = max(-(-need // best), 1 if parent is None else 0)
    count = draw(st.integers(least, min(shape.max_children, budget)))
    held = 1
    for index in range(count):
        later = count - index - 1
        child_need = max(1, need - later * best)
        child_budget = max(child_need, min(budget - later, budget // (count - index)))
        kinds = tuple(child for child in children
                      if shape.capacity(child, depth + 1) >= child_need)
        child = draw(st.sampled_from(kinds))
        used = draw(_subtree(shape, grown, unit_id, child, depth + 1, child_need, child_budget))
        need, budget, held = max(0, need - used), budget - used, held + used
    return held


def _unique(taken: set[str], wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``, ... whichever is free; then taken."""
    chosen, suffix = wanted, 1
    while chosen in taken:
        suffix += 1
        chosen = f"{wanted}-{suffix}"
    taken.add(chosen)
    return chosen


# --- metrics and plans ---------------------------------------------------------------------


def metrics(*, min_size: int = 1, max_size: int = 6,
            types: Sequence[MetricType] | None = None) -> SearchStrategy[dict[str, Metric]]:
    """The metrics of a plan: ``{id: Metric}`` with from ``min_size`` to ``max_size`` entries.

    Types are drawn from ``types`` (default: all four); a category has from
    one to four values. Ids are distinct snake_case names (at most 16).
    """
    _check_int("min_size", min_size, least=1, most=len(_METRIC_POOL))
    _check_int("max_size", max_size, least=1, most=len(_METRIC_POOL))
    _check_range("min_size", min_size, "max_size", max_size)
    if types is None:
        chosen = tuple(MetricType)
    elif (isinstance(types, str) or not isinstance(types, Sequence) or not types
          or not all(isinstance(kind, MetricType) for kind in types)):
        raise InvalidArgument(
            f"types={types!r} must be a non-empty sequence of doanorg.MetricType, "
            "such as [MetricType.COUNT, MetricType.FLAG], or None for all four"
        )
    else:
        chosen = tuple(dict.fromkeys(types))
    return _metrics(min_size, max_size, chosen)


@st.composite
def _metrics(draw: st.DrawFn, min_size: int, max_size: int,
             types: tuple[MetricType, ...]) -> dict[str, Metric]:
    ids = draw(st.lists(_METRIC_IDS, min_size=min_size, max_size=max_size, unique=True))
    kinds = st.sampled_from(types)
    drawn: dict[str, Metric] = {}
    for metric_id in ids:
        kind = draw(kinds)
        values: tuple[str, ...] = ()
        if kind is MetricType.CATEGORY:
            values = tuple(draw(_CATEGORY_VALUES))
        drawn[metric_id] = Metric(metric_id, kind, draw(_LABELS), values)
    return drawn


_METRIC_IDS = st.sampled_from(_METRIC_POOL)
_CATEGORY_VALUES = st.lists(st.sampled_from(_CATEGORY_POOL), min_size=1, max_size=4,
                            unique=True)
_LABELS = st.sampled_from(_METRIC_LABELS)


def plan_mappings(
    schema: Schema | None = None,
    *,
    metrics: Mapping[str, Metric] | None = None,
    min_targets: int = 1,
    max_targets: int = 8,
) -> SearchStrategy[dict[str, Any]]:
    """Plans as a plan TOML file states them: the ``dict`` :func:`tomllib.load` would give.

    The plan declares ``metrics`` (default: drawn from :func:`metrics`) and
    has from ``min_targets`` to ``max_targets`` targets whose kinds are
    those of ``schema`` (default: the built-in ``doan``). Every mapping
    passes :func:`doanorg.core.rules.plan_from_mapping` with that schema; see
    :func:`plans` for the :class:`~doanorg.Plan` itself.
    """
    resolved = _check_schema(schema)
    given = _check_metrics(metrics)
    _check_int("min_targets", min_targets, least=1)
    _check_int("max_targets", max_targets, least=1)
    _check_range("min_targets", min_targets, "max_targets", max_targets)
    return _plan_mappings(resolved, given, min_targets, max_targets)


def plans(
    schema: Schema | None = None,
    *,
    metrics: Mapping[str, Metric] | None = None,
    min_targets: int = 1,
    max_targets: int = 8,
) -> SearchStrategy[Plan]:
    """Valid :class:`~doanorg.Plan` values: :func:`plan_mappings` built with ``schema``.

    Targets take every shape (``each`` with and without ``directly_under``
    and ``share``, ``total``, ``ratio``) and every condition that fits the
    metric they read, with ``stretch``, ``aspirational`` and ``text`` now
    and then.
    """
    resolved = _check_schema(schema)
    mappings = plan_mappings(resolved, metrics=metrics, min_targets=min_targets,
                             max_targets=max_targets)
    return mappings.map(lambda mapping: plan_from_mapping(mapping, resolved))


def _add(first: int | float, second: int | float) -> int | float:
    """The exact decimal sum of two numbers as written (0.1 + 0.2 is 0.3), as a plan has it."""
    if isinstance(first, int) and isinstance(second, int):
        return first + second
    return float(Fraction(repr(first)) + Fraction(repr(second)))


def _decimals(most: int, places: int) -> SearchStrategy[float]:
    """Non-negative decimals up to ``most`` with at most ``places`` places, as floats."""
    scale = 10**places
    return st.integers(0, most * scale).map(lambda units: units / scale)


_SHARES = st.integers(0, 99).map(lambda percent: percent / 100)
_NUMBERS: dict[str, SearchStrategy[int | float]] = {
    # bounds that fit what they bound: a unit's count or amount, a subtree sum, a ratio
    "count": st.integers(0, 8) | _decimals(8, 1),
    "amount": _decimals(40, 2) | st.integers(0, 40),
    "total": st.integers(0, 300) | _decimals(300, 2),
    "ratio": _decimals(2, 2) | st.integers(0, 2),
}
_NUMERIC_CONDITIONS = st.sampled_from(
    ("at_least", "at_most", "range", "equals", "not_equals", "in"))
_OTHER_CONDITIONS = st.sampled_from(("equals", "not_equals", "in"))
_BOOLEANS = st.booleans()
_ID_SUFFIXES = st.sampled_from(("", "a", "b"))
_TARGET_TEXTS = st.sampled_from(_TEXTS)


class _Values:
    """What a condition may compare with: its kinds of condition, a value, a list of them."""

    def __init__(self, conditions: SearchStrategy[str], values: SearchStrategy[Any]) -> None:
        self.conditions = conditions
        self.values = values
        self.lists = st.lists(values, min_size=1, max_size=3, unique=True)

    def condition(self, draw: st.DrawFn) -> dict[str, Any]:
        """A condition, as the keys of a ``[[targets]]`` table."""
        shape = draw(self.conditions)
        if shape == "range":
            low, high = sorted([draw(self.values), draw(self.values)])
            return {"at_least": low, "at_most": high}
        if shape == "in":
            return {"in": draw(self.lists)}
        return {shape: draw(self.values)}


_SCALES = {scale: _Values(_NUMERIC_CONDITIONS, numbers) for scale, numbers in _NUMBERS.items()}
_FLAG_VALUES = _Values(_OTHER_CONDITIONS, _BOOLEANS)


def _values_of(metric: Metric) -> _Values:
    """The conditions an ``each`` target on ``metric`` may have."""
    if metric.type is MetricType.COUNT:
        return _SCALES["count"]
    if metric.type is MetricType.AMOUNT:
        return _SCALES["amount"]
    if metric.type is MetricType.FLAG:
        return _FLAG_VALUES
    return _Values(_OTHER_CONDITIONS, st.sampled_from(metric.values))


@st.composite
def _plan_mappings(
    draw: st.DrawFn,
    schema: Schema,
    given: dict[str, Metric] | None,
    min_targets: int,
    max_targets: int,
) -> dict[str, Any]:
    declared = given if given is not None else draw(metrics())
    numeric = tuple(metric.id for metric in declared.values() if metric.type.numeric)
    names = (*schema.kinds, *schema.groups)
    kinds = st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)
    shapes = st.sampled_from(("each", "total", "ratio") if numeric else ("each",))
    metric_ids = st.sampled_from(tuple(declared))
    numeric_ids = st.sampled_from(numeric) if numeric else st.nothing()
    conditions = {metric.id: _values_of(metric) for metric in declared.values()}
    targets: list[dict[str, Any]] = []
    for number in range(1, draw(st.integers(min_targets, max_targets)) + 1):
        target: dict[str, Any] = {"id": f"{number}{draw(_ID_SUFFIXES)}"}
        shape = draw(shapes)
        if shape == "each":
            target["each"] = draw(kinds)
            if draw(_BOOLEANS):
                # mostly the kinds the selected kinds may stand under, so units are selected
                parents = tuple(sorted({parent for kind in schema.expand(target["each"])
                                        for parent in schema.kinds[kind].parents}))
                target["directly_under"] = draw(st.lists(
                    st.sampled_from(parents or names), min_size=1, max_size=2, unique=True))
            target["metric"] = draw(metric_ids)
            values = conditions[target["metric"]]
            if draw(_BOOLEANS):
                target["share"] = draw(_SHARES)
        elif shape == "total":
            target["total"] = draw(numeric_ids)
            values = _SCALES["total"]
        else:
            target["ratio"] = [draw(numeric_ids), draw(numeric_ids)]
            values = _SCALES["ratio"]
        target |= values.condition(draw)
        if "at_least" in target and draw(_BOOLEANS):
            stretch = _add(target["at_least"], draw(values.values))
            if "at_most" in target:
                stretch = min(stretch, target["at_most"])
            target["stretch"] = stretch
        if draw(_BOOLEANS):
            target["aspirational"] = draw(_BOOLEANS)
        if draw(_BOOLEANS):
            target["text"] = draw(_TARGET_TEXTS)
        targets.append(target)
    return {
        "id": f"ke-hoach-{len(targets)}",
        "title": "Các chỉ tiêu cơ bản",
        "schema": schema.id,
        "metrics": {
            metric.id: {"type": metric.type.value, "label": metric.label}
            | ({"values": list(metric.values)} if metric.type is MetricType.CATEGORY else {})
            for metric in declared.values()
        },
        "targets": targets,
    }


# --- facts ---------------------------------------------------------------------------------


def _written(value: int | float) -> tuple[RawValue, ...]:
    """A number as a Python value, as a file writes it, and with spaces around."""
    return (value, repr(value), f" {value!r} ")


def _amount(cents: int) -> int | float:
    return cents // 100 if cents % 100 == 0 else cents / 100


_COUNTS = st.integers(0, 13 * 3 - 1).map(lambda drawn: _written(drawn // 3)[drawn % 3])
"""A count from 0 to 12, as a Python int, as text, or as text with spaces (one draw)."""
_AMOUNTS = st.integers(0, 3001 * 3 - 1).map(
    lambda drawn: _written(_amount(drawn // 3))[drawn % 3])
"""An amount from 0 to 30 with at most two decimal places, in the same three forms."""
_FLAGS: SearchStrategy[RawValue] = st.sampled_from(
    (False, True, *_TRUE_TEXTS, *_FALSE_TEXTS, 0, 1,
     unicodedata.normalize("NFD", "có"), unicodedata.normalize("NFD", "Không")))


def _raw_values(metric: Metric) -> SearchStrategy[RawValue]:
    """A present value of ``metric``: a Python value or the text a file would hold."""
    if metric.type is MetricType.COUNT:
        return _COUNTS
    if metric.type is MetricType.AMOUNT:
        return _AMOUNTS
    if metric.type is MetricType.FLAG:
        return _FLAGS
    return st.sampled_from((*metric.values, *(f"{value} " for value in metric.values)))


def _check_facts_args(period: object, report_rate: object) -> None:
    if period is not None and (not isinstance(period, str) or not period.strip()):
        raise InvalidArgument(f"period={period!r} must be a non-empty text such as '2020', "
                              "or None")
    if (not isinstance(report_rate, int | float) or isinstance(report_rate, bool)
            or not 0 <= report_rate <= 1):
        raise InvalidArgument(f"report_rate={report_rate!r} must be a number from 0 to 1, "
                              "such as 0.9 (nine units in ten report)")


_MISSING: SearchStrategy[RawValue] = st.sampled_from([None, "", " "])
_PERCENT = st.integers(0, 99)
_PRESENCE = st.integers(0, 5)
_NOTE = st.integers(0, 19)


def facts(
    org: Org,
    plan: Plan,
    *,
    period: str | None = None,
    report_rate: float = 0.9,
) -> SearchStrategy[Facts]:
    """The facts of ``period`` for the units of ``org`` and the metrics of ``plan``.

    About ``report_rate`` of the units report (have a row); the others did
    not report at all. A unit that reports gives, for each metric, a value
    (as a Python value or as text: ``3``, ``"3"``, ``" 3 "``, ``"có"``,
    ``"Không"``), a missing value (``None``, ``""``) or nothing; now and then
    it also gives a value for a metric the plan does not declare, which the
    facts ask to be ignored (:attr:`~doanorg.Facts.ignore_unknown_metrics`:
    a warning, not an error, when they are assessed). Facts shrink toward
    every unit reporting the simplest values.
    """
    if not isinstance(org, Org):
        raise InvalidArgument(f"org={org!r} must be a doanorg.Org, such as one drawn from "
                              "orgs()")
    if not isinstance(plan, Plan):
        raise InvalidArgument(f"plan={plan!r} must be a doanorg.Plan, such as one drawn "
                              "from plans()")
    _check_facts_args(period, report_rate)
    undeclared = _UNDECLARED
    while undeclared in plan.metrics:
        undeclared += "_"
    threshold = round(report_rate * 100)
    units = tuple(unit.id for unit in org)
    values = tuple((metric.id, _raw_values(metric)) for metric in plan.metrics.values())
    return _facts(units, values, period, threshold, undeclared)


@st.composite
def _facts(
    draw: st.DrawFn,
    units: tuple[str, ...],
    values: tuple[tuple[str, SearchStrategy[RawValue]], ...],
    period: str | None,
    threshold: int,
    undeclared: str,
) -> Facts:
    records: dict[str, dict[str, RawValue]] = {}
    for unit in units:
        if draw(_PERCENT) >= threshold:  # shrinks toward reporting
            continue
        record: dict[str, RawValue] = {}
        for metric_id, present in values:
            form = draw(_PRESENCE)  # shrinks toward a value
            if form <= 3:
                record[metric_id] = draw(present)
            elif form == 4:
                record[metric_id] = draw(_MISSING)
        if draw(_NOTE) == 19:
            record[undeclared] = "ghi chú"
        records[unit] = record
    return Facts.from_records(records, period=period, ignore_unknown_metrics=True)


def _facts_of(period: str | None, report_rate: float
              ) -> Callable[[Org, Plan], SearchStrategy[Facts]]:
    """:func:`facts` of a tree and a plan, with ``period`` and ``report_rate``."""
    return lambda org, plan: facts(org, plan, period=period, report_rate=report_rate)


def facts_meeting(
    org: Org,
    plan: Plan,
    target: Target | str,
    *,
    at: str | None = None,
    period: str | None = None,
    report_rate: float = 0.9,
) -> SearchStrategy[Facts]:
    """Facts for ``org`` and ``plan`` with which ``target`` is ``met`` at ``at``.

    ``target`` is one of ``plan.targets`` or its id; ``at`` a unit of ``org``
    (default: the root). The facts are drawn as :func:`facts` draws them
    (``period`` and ``report_rate`` are passed on), then the own values the
    target reads are rewritten until it is met: no example is filtered out.
    Other targets get whatever verdict the facts give them.

    Raises :class:`~hypothesis.errors.InvalidArgument` when the strategy is
    made if no facts can meet the target there: it selects no unit of the
    subtree (not applicable), it is a total assessed below the root
    (informational), or no value meets its condition (a count between 2.2
    and 2.8).
    """
    return facts_with_verdict(_facts_of(period, report_rate), org, plan, target, at,
                              met=True)


def facts_failing(
    org: Org,
    plan: Plan,
    target: Target | str,
    *,
    at: str | None = None,
    period: str | None = None,
    report_rate: float = 0.9,
) -> SearchStrategy[Facts]:
    """Facts for ``org`` and ``plan`` with which ``target`` is ``not_met`` at ``at``.

    The counterpart of :func:`facts_meeting`, with the same arguments. Raises
    :class:`~hypothesis.errors.InvalidArgument` when no facts can break the
    target there: besides the cases of :func:`facts_meeting`, a share of 0,
    or a condition every value meets (``at_least = 0``; a flag ``in`` both
    ``true`` and ``false``).
    """
    return facts_with_verdict(_facts_of(period, report_rate), org, plan, target, at,
                              met=False)


# --- all together --------------------------------------------------------------------------


class Case(NamedTuple):
    """A tree, a plan and facts drawn to fit each other (the same schema, units, metrics).

    Its ``repr`` is short enough to read in a failing test: the tree as
    ``(id, parent, kind)`` rows, the targets as a plan file states them, and
    the facts as records.
    """

    org: Org
    plan: Plan
    facts: Facts

    def __repr__(self) -> str:
        rows = [(unit.id, parent.id if (parent := self.org.parent(unit.id)) else None,
                 unit.kind) for unit in self.org]
        metrics = {metric.id: metric.type.value + (f"{list(metric.values)}" if metric.values
                                                   else "")
                   for metric in self.plan.metrics.values()}
        silent = sorted(unit.id for unit in self.org if unit.id not in self.facts.reported)
        return (
            f"Case(schema={self.org.schema.id!r}, org={rows!r}, metrics={metrics!r}, "
            f"targets={[target_to_mapping(target) for target in self.plan.targets]!r}, "
            f"facts={dict(self.facts.values)!r}, not_reported={silent!r})"
        )


def cases(
    schema: Schema | SearchStrategy[Schema] | None = None,
    *,
    min_units: int = 1,
    max_units: int = 50,
    max_depth: int = 6,
    max_children: int = 8,
    min_targets: int = 1,
    max_targets: int = 8,
    period: str | None = None,
    report_rate: float = 0.9,
) -> SearchStrategy[Case]:
    """A :class:`Case`: a tree from :func:`orgs`, a plan from :func:`plans`, and facts.

    ``schema`` is a :class:`~doanorg.Schema`, a strategy of them (such as
    :func:`schemas`, for a random one each time) or ``None`` for the
    built-in ``doan``. The other arguments are passed to :func:`orgs`,
    :func:`plans` and :func:`facts`.
    """
    chosen = schema if isinstance(schema, SearchStrategy) else st.just(_check_schema(schema))
    _check_int("min_units", min_units, least=1)
    _check_int("max_units", max_units, least=1)
    _check_range("min_units", min_units, "max_units", max_units)
    _check_int("max_depth", max_depth, least=0)
    _check_int("max_children", max_children, least=0)
    _check_int("min_targets", min_targets, least=1)
    _check_int("max_targets", max_targets, least=1)
    _check_range("min_targets", min_targets, "max_targets", max_targets)
    _check_facts_args(period, report_rate)
    tree = {"min_units": min_units, "max_units": max_units, "max_depth": max_depth,
            "max_children": max_children}
    if isinstance(schema, SearchStrategy):
        if min_units > 1:
            raise InvalidArgument(
                f"min_units={min_units} with a strategy of schemas: a drawn schema may hold "
                "fewer units; pass one Schema, or min_units=1"
            )
    else:
        orgs(_check_schema(schema), **tree)  # a tree the schema cannot hold fails now
    return _cases(chosen, tree, min_targets, max_targets, period, report_rate)


@st.composite
def _cases(
    draw: st.DrawFn,
    schema: SearchStrategy[Schema],
    tree: dict[str, int],
    min_targets: int,
    max_targets: int,
    period: str | None,
    report_rate: float,
) -> Case:
    chosen = draw(schema)
    org = draw(orgs(chosen, **tree))
    plan = draw(plans(chosen, min_targets=min_targets, max_targets=max_targets))
    return Case(org, plan, draw(facts(org, plan, period=period, report_rate=report_rate)))
