"""Law of the quick reader (pyarrow): for any file, it gives what the reference gives.

The quick reader reads only files it is sure of and hands every other file to
the reference reader, so loading a file with it and without it must end the
same way: the same units, attributes, warnings and lines, the same typed
facts, or the same problems. The files drawn here are valid trees and facts
written as people write them (spaces around cells, a byte-order mark, CRLF,
flags in capitals, quoted cells, blank lines) and, half the time, damaged
(a cell that does not fit, a repeated row, an unknown unit).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import doanorg
from doanorg import DoanorgError, Facts, Org
from doanorg.facts import Metric, MetricType
from doanorg.io import _arrow, builtin_schema
from doanorg.testing.strategies import facts as facts_of
from doanorg.testing.strategies import orgs, plans

from ._support import cell

pytest.importorskip("pyarrow")

SCHEMA = builtin_schema("doan")
TEMPORARY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def _loaded(load: Any, quick: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """What ``load()`` gives, as comparable data, with or without the quick reader."""
    with monkeypatch.context() as patch:
        if not quick:
            patch.setattr(_arrow, "available", lambda: False)
        try:
            return _comparable(load())
        except DoanorgError as error:
            return type(error).__name__, [str(problem) for problem in error.problems]


def _comparable(loaded: Org | Facts) -> Any:
    if isinstance(loaded, Org):
        return (loaded.rows(), loaded.parents.tolist(), loaded.ends.tolist(),
                loaded.warnings, loaded.source)
    typed = loaded.typed
    columns = None if typed is None else {
        name: (column.column.data.tolist(), column.column.scale, column.present.tolist())
        for name, column in typed.columns.items()}
    return ({unit: dict(values) for unit, values in loaded.values.items()},
            set(loaded.reported), loaded.period, dict(loaded.lines), loaded.warnings,
            columns, None if typed is None else typed.ignored)


def _cells_as_people_write_them(draw: st.DrawFn, cells: list[str]) -> list[str]:
    """Cells with, here and there, spaces around them, capitals, or a damaged value."""
    written = []
    for text in cells:
        match draw(st.sampled_from(["as is"] * 12 + ["spaces", "upper", "damaged", "quoted",
                                                      "decomposed", "wide space", "break"])):
            case "spaces":
                text = f" {text}\t"
            case "decomposed":
                text = unicodedata.normalize("NFD", text + "ệ")
            case "wide space":
                text = f"{text}\u3000"
            case "break":  # a line break for str.splitlines, not for every CSV reader
                text += draw(st.sampled_from(["\x0c", "\x1e", "\x85", "\u2028"])) + "x"
            case "upper":
                text = text.upper()
            case "damaged":
                text = draw(st.sampled_from(["x", "-1", "1.5", "1e3", " ", "", "có", "03"]))
            case "quoted":
                text = f'"{text}"'
        written.append(text)
    return written


def _write(draw: st.DrawFn, path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """The rows written as a CSV file, with the habits people's tools have."""
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(header), *(",".join(row) for row in rows)]
    if draw(st.booleans()) and len(lines) > 2:
        lines.insert(draw(st.integers(1, len(lines) - 1)), "")  # a blank line
    text = ending.join(lines) + (ending if draw(st.booleans()) else "")
    bom = "\ufeff" if draw(st.booleans()) else ""
    path.write_text(bom + text, encoding="utf-8", newline="")
    return path


@st.composite
def _files(draw: st.DrawFn, folder: Path) -> tuple[Path, Path, Any, str | None]:
    org = draw(orgs(schema=SCHEMA, max_units=12))
    plan = draw(plans(schema=SCHEMA))
    facts = draw(facts_of(org, plan))
    damaged = draw(st.booleans())
    org_rows = [[unit.id, parent.id if (parent := org.parent(unit.id)) else "", unit.kind,
                 unit.name, str(draw(st.integers(0, 60)))] for unit in org]
    if damaged:
        org_rows = [_cells_as_people_write_them(draw, row) for row in org_rows]
        if draw(st.booleans()):
            org_rows.append(list(draw(st.sampled_from(org_rows))))
    metrics = list(plan.metrics)
    listed = sorted(facts.reported)
    if draw(st.booleans()):  # every unit, as the organisation lists them (a unit's own ids)
        listed = [unit.id for unit in org]
    fact_rows = [[unit, *(cell(facts.raw(unit, metric)) for metric in metrics)]
                 for unit in listed]
    periods = draw(st.sampled_from([[], ["2020"], ["2020", "2021"], ["2020", " 2020"]]))
    if periods:
        fact_rows = [[*row, draw(st.sampled_from(periods))] for row in fact_rows]
    if damaged:
        fact_rows = [[row[0], *_cells_as_people_write_them(draw, row[1:])] for row in fact_rows]
        if draw(st.booleans()):
            fact_rows.append(["nowhere", *([""] * len(metrics))])
    org_path = _write(draw, folder / "org.csv", ["id", "parent", "kind", "name", "members"],
                      org_rows)
    facts_path = _write(draw, folder / "facts.csv",
                        ["unit", *metrics, *(["period"] if periods else [])], fact_rows)
    return org_path, facts_path, plan, draw(st.sampled_from([None, "2020", "2021"]))


@TEMPORARY
@given(data=st.data())
def test_the_quick_reader_gives_what_the_reference_gives(
    data: st.DataObject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    org_path, facts_path, plan, period = data.draw(_files(tmp_path))
    event(f"org read the quick way: {_arrow.org_columns(org_path) is not None}")
    event("facts read the quick way: "
          f"{_arrow.wide_facts(facts_path, plan.metrics, period) is not None}")

    def load_org() -> Org:
        return doanorg.load_org(org_path)

    quick, reference = (_loaded(load_org, way, monkeypatch) for way in (True, False))
    assert quick == reference
    if isinstance(reference, tuple) and isinstance(reference[0], str):
        return  # the org did not load: the facts have nothing to be placed in
    org = load_org()

    def load_facts() -> Facts:
        return doanorg.load_facts(facts_path, org=org, plan=plan, period=period)

    assert _loaded(load_facts, True, monkeypatch) == _loaded(load_facts, False, monkeypatch)


def test_a_plain_file_is_read_the_quick_way(tmp_path: Path) -> None:
    """The quick reader does read plain files (else the law above would prove nothing)."""
    path = tmp_path / "org.csv"
    path.write_text("id,parent,kind,name,members\nk,,khoi,Đoàn Khối,0\n"
                    "c,k,chi_doan_co_so,Chi đoàn cơ sở,12\n", encoding="utf-8")
    columns = _arrow.org_columns(path)
    assert columns is not None
    assert list(columns.ids) == ["k", "c"]
    assert np.asarray(columns.attributes["members"]).tolist() == [0, 12]
    metrics = {**doanorg.load_plan("doan-khoi-2020").metrics,
               "spent": Metric("spent", MetricType.AMOUNT)}
    facts = tmp_path / "facts.csv"
    facts.write_text("unit,youth_projects,regular_meetings,rating,spent\n"
                     "k,3,CÓ,xuat_sac,12.5\nc,,không,,0.25\n", encoding="utf-8")
    read = _arrow.wide_facts(facts, metrics, None)
    assert read is not None
    typed, _ = read
    assert typed.row("k") == {"youth_projects": 3, "regular_meetings": True,
                              "rating": "xuat_sac", "spent": 12.5}
    assert typed.row("c") == {"regular_meetings": False, "spent": 0.25}
    assert typed.columns["spent"].column.scale == 100
    listed = _arrow.wide_facts(facts, metrics, None, ("k", "c"))
    assert listed is not None and listed[0].units == ("k", "c")  # the org's own listing


def test_reading_puts_back_the_memory_pool_in_use(tmp_path: Path) -> None:
    """The quick reader allocates from the system's allocator while it reads, and puts
    back whichever pool was in use, even when the reading fails."""
    import pyarrow as pa

    path = tmp_path / "org.csv"
    path.write_text("id,parent,kind,name\nk,,khoi,K\n", encoding="utf-8")
    before = pa.default_memory_pool()
    seen = []

    def failing(*_: object) -> None:
        seen.append(pa.default_memory_pool().backend_name)
        raise ZeroDivisionError

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_arrow, "_ids_and_parents", failing)
        with pytest.raises(ZeroDivisionError):
            _arrow.org_columns(path)
    assert seen == ["system"]
    assert pa.default_memory_pool().backend_name == before.backend_name
    assert _arrow.org_columns(path) is not None
    assert pa.default_memory_pool().backend_name == before.backend_name


def test_readings_that_overlap_put_back_the_pool_in_use_once_all_end(tmp_path: Path) -> None:
    """Readings on several threads share the switch to the system's allocator: the first
    to start makes it, the last to end undoes it, whatever the order they end in."""
    import threading

    import pyarrow as pa

    before = pa.default_memory_pool().backend_name
    with _arrow._SYSTEM_POOL:  # two readings: the first ends before the second
        with _arrow._SYSTEM_POOL:
            assert pa.default_memory_pool().backend_name == "system"
        assert pa.default_memory_pool().backend_name == "system"  # one reading still runs
    assert pa.default_memory_pool().backend_name == before

    path = tmp_path / "org.csv"
    path.write_text("id,parent,kind,name\nk,,khoi,K\n" + "".join(
        f"c{n},k,chi_doan_co_so,C{n}\n" for n in range(2000)), encoding="utf-8")
    read: list[bool] = []
    threads = [threading.Thread(target=lambda: read.append(
        _arrow.org_columns(path) is not None)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read == [True] * 8
    assert pa.default_memory_pool().backend_name == before


def test_units_are_the_orgs_only_when_each_text_is() -> None:
    """The facts' units are compared with the org's ids joined by NUL: texts that hold
    a NUL themselves must not pass for others."""
    import pyarrow as pa

    assert _arrow._same_texts(pa.chunked_array([["a", "b"]]), ("a", "b"))
    assert not _arrow._same_texts(pa.chunked_array([["a", "b\0c"]]), ("a\0b", "c"))
    assert not _arrow._same_texts(pa.chunked_array([["a", "b"]]), ("a", "b", "c"))
    assert not _arrow._same_texts(pa.chunked_array([[]], pa.string()), ())


@pytest.mark.parametrize("text", [
    'id,parent,kind,name\nk,,khoi,"K\n',            # a quote: the reference decides
    "id,parent,kind,name\nk,,khoi,K\n\nc,k,chi_doan_co_so,C\n",  # a blank line
    "id,parent,kind,name\nk,,khoi\n",                # a short row
])
def test_files_the_quick_reader_leaves_to_the_reference(tmp_path: Path, text: str) -> None:
    path = tmp_path / "org.csv"
    path.write_text(text, encoding="utf-8")
    assert _arrow.org_columns(path) is None
