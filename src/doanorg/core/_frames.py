"""Reports and trees as data frames: pyarrow tables, or pandas or polars frames.

doanorg makes every frame as a :class:`pyarrow.Table` (pyarrow is one of its
dependencies) and hands it over in the kind the caller asks for:
``"pyarrow"`` (the default), ``"pandas"`` (:meth:`pyarrow.Table.to_pandas`)
or ``"polars"`` (:func:`polars.from_arrow`). pandas and polars are the
caller's: doanorg imports them only when asked for their kind, and depends on
neither. Plain Arrow rather than a layer such as narwhals: Arrow is the
format both pandas and polars read and write without a copy where they can,
so three lines do what a further dependency would.

Columns (one row a target, a failing unit or a unit):

:func:`targets_frame`
    ``id, text, type, aspirational, status, observed, required, required_max,
    stretch_met, selected, passing, failing`` (``failing``: how many units fail;
    ``observed`` and ``required`` as in the JSON report, numbers).
:func:`failing_frame`
    ``target, unit, name, value, shortfall``: ``value`` is the unit's own value as a
    file holds it (``3``, ``xuat_sac``, ``true``), so that the column has one type
    whatever the metric; ``shortfall`` a number, null where no numeric bound applies.
:func:`org_frame`
    ``id, parent, kind, name`` and one column an attribute, in tree order; the
    root's parent is null. :func:`doanorg.load_org` takes such a frame back.

Examples
--------
>>> from doanorg.core.report import FailingUnit, Report, TargetResult
>>> result = TargetResult(id="3b", type="each", aspirational=False, status="not_met",
...                       observed=0.5, required=1.0, selected=2, passing=1,
...                       failing=(FailingUnit("u1", 1, 2),))
>>> report = Report(plan="p", at="k", results=(result,), not_reported=())
>>> targets_frame(report).column("status").to_pylist()
['not_met']
>>> failing_frame(report).to_pylist()
[{'target': '3b', 'unit': 'u1', 'name': '', 'value': '1', 'shortfall': 2.0}]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from doanorg.core._cells import file_text as _file_text
from doanorg.core._render import Report

__all__ = ["BACKENDS", "Backend", "Org", "failing_frame", "frame_of", "org_frame",
           "targets_frame"]

Backend = Literal["pyarrow", "pandas", "polars"]
BACKENDS: tuple[Backend, ...] = ("pyarrow", "pandas", "polars")
"""The kinds of frame doanorg hands over."""


class Org(Protocol):
    """What :func:`org_frame` reads of an organisation (:class:`doanorg.Org`)."""

    @property
    def ids(self) -> tuple[str, ...]: ...
    @property
    def names(self) -> Sequence[str]: ...
    @property
    def kind_names(self) -> tuple[str, ...]: ...
    @property
    def kind_codes(self) -> npt.NDArray[np.int16]: ...
    @property
    def parent_array(self) -> npt.NDArray[np.int64]: ...
    @property
    def attribute_columns(self) -> Mapping[str, Any]: ...


def frame_of(table: pa.Table, backend: str = "pyarrow") -> Any:
    """``table`` as a frame of the kind ``backend`` names (see the module's docstring).

    Raises :class:`ValueError` for a kind not in :data:`BACKENDS`, and
    :class:`ImportError` when the kind's library is not installed.

    >>> frame_of(pa.table({"a": [1]})).num_rows
    1
    """
    if backend == "pyarrow":
        return table
    if backend == "pandas":
        return table.to_pandas()
    if backend == "polars":
        import polars

        return polars.from_arrow(table)
    raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}, "
                     f"not {backend!r}")


def _numbers(values: list[Any]) -> pa.Array:
    """Numbers (``None`` as null) as float64, exactly as the JSON report gives them."""
    return pa.array([None if value is None else float(value) for value in values],
                    pa.float64())


def targets_frame(report: Report) -> pa.Table:
    """One row a target of ``report``, in plan order (see the module's docstring)."""
    results = report.results
    required = [result.required for result in results]
    numeric = all(value is None or (isinstance(value, int | float) and not isinstance(
        value, bool)) for value in required)
    return pa.table({
        "id": pa.array([result.id for result in results], pa.string()),
        "text": pa.array([result.text for result in results], pa.string()),
        "type": pa.array([result.type for result in results], pa.string()),
        "aspirational": pa.array([result.aspirational for result in results], pa.bool_()),
        "status": pa.array([result.status for result in results], pa.string()),
        "observed": _numbers([result.observed for result in results]),
        "required": _numbers(required) if numeric else pa.array(
            [_file_text(value) for value in required], pa.string()),
        "required_max": _numbers([result.required_max for result in results]),
        "stretch_met": pa.array([result.stretch_met for result in results], pa.bool_()),
        "selected": pa.array([result.selected for result in results], pa.int64()),
        "passing": pa.array([result.passing for result in results], pa.int64()),
        "failing": pa.array([len(result.failing) for result in results], pa.int64()),
    })


def failing_frame(report: Report) -> pa.Table:
    """One row a failing unit of each target of ``report``: targets in plan order, units
    in tree order (see the module's docstring)."""
    targets: list[str] = []
    units: list[str] = []
    names: list[str] = []
    values: list[str | None] = []
    shortfalls: list[Any] = []
    for result in report.results:
        failing = result.failing
        targets += [result.id] * len(failing)
        for unit in failing:
            units.append(unit.unit)
            names.append(unit.name)
            values.append(_file_text(unit.value))
            shortfalls.append(unit.shortfall)
    return pa.table({
        "target": pa.array(targets, pa.string()),
        "unit": pa.array(units, pa.string()),
        "name": pa.array(names, pa.string()),
        "value": pa.array(values, pa.string()),
        "shortfall": _numbers(shortfalls),
    })


def org_frame(org: Org) -> pa.Table:
    """One row a unit of ``org``, in tree order (see the module's docstring)."""
    ids = org.ids
    columns: dict[str, pa.Array] = {
        "id": pa.array(list(ids), pa.string()),
        "parent": pa.array([None if parent < 0 else ids[parent]
                            for parent in org.parent_array.tolist()], pa.string()),
        "kind": pa.array([org.kind_names[code] for code in org.kind_codes.tolist()],
                         pa.string()),
        "name": pa.array(list(org.names), pa.string()),
    }
    for name, column in org.attribute_columns.items():
        columns[name] = _attribute_array(column)
    return pa.table(columns)


def _attribute_array(column: Any) -> pa.Array:
    """An attribute's values: int64 for whole numbers, float64 for numbers, else the
    texts a file holds."""
    if isinstance(column, np.ndarray):
        return pa.array(column, pa.int64())
    present = [value for value in column if value is not None]
    if all(isinstance(value, int) for value in present):
        return pa.array(list(column), pa.int64())
    if all(isinstance(value, int | float) for value in present):
        return pa.array([None if value is None else float(value) for value in column],
                        pa.float64())
    return pa.array([_file_text(value) for value in column], pa.string())
