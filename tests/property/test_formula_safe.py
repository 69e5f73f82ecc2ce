"""Laws of formula-safe cells (SPEC §9): what doanorg writes never runs as a formula, and
doanorg reads back the very texts it wrote."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Org, load_org
from doanorg.core._cells import FORMULA_STARTS, csv_text, formula_like, read_csv_text
from doanorg.errors import OrgError
from doanorg.io._csv import write_csv
from doanorg.io._table import read_table
from doanorg.testing.strategies import orgs

_STARTS = st.sampled_from(["", *FORMULA_STARTS, "'", "''", "'=", "-1", "+"])
TEXTS = st.builds(str.__add__, _STARTS, st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12))


@given(TEXTS)
def test_a_protected_text_is_no_formula_and_reads_back(text: str) -> None:
    """For every text t: csv_text(t) is not formula-like, and read_csv_text(csv_text(t))
    is t."""
    assert not formula_like(csv_text(text))
    assert read_csv_text(csv_text(text)) == text


@given(st.lists(st.lists(TEXTS, min_size=2, max_size=2), min_size=1, max_size=6))
def test_the_csv_reader_reads_back_what_the_writer_wrote(rows: list[list[str]]) -> None:
    """A CSV file written by write_csv is read by doanorg's reader to the texts written
    (rows whose cells, as written, are blank, which the reader skips, aside), and no
    cell of the file, as a spreadsheet reads it, is formula-like."""
    stream = io.StringIO()
    write_csv(stream, [["a", "b"], *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_text(stream.getvalue(), encoding="utf-8", newline="")
        table = read_table(path, OrgError, [])
    kept = [row for row in rows if any(csv_text(cell).strip() for cell in row)]
    assert [list(pair) for pair in zip(table.columns["a"].to_pylist(),
                                       table.columns["b"].to_pylist(), strict=True)] == kept
    for row in csv.reader(io.StringIO(stream.getvalue(), newline="")):
        assert not [cell for cell in row if formula_like(cell)]


@given(orgs(max_units=12), st.lists(st.sampled_from(["=", "+", "-", "@", "'", "'="]),
                                     min_size=12, max_size=12))
def test_hostile_names_survive_a_written_org(org: Org, starts: list[str]) -> None:
    """An organisation whose names begin like formulas, written with write_csv and read
    back with load_org, has the same names."""
    named = [f"{start}{unit.name}" for start, unit in zip(starts, org, strict=False)]
    rows = [["id", "parent", "kind", "name"]] + [
        [unit.id, getattr(org.parent(unit.id), "id", ""), unit.kind, name]
        for unit, name in zip(org, named, strict=False)]
    stream = io.StringIO()
    write_csv(stream, rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.csv"
        path.write_text(stream.getvalue(), encoding="utf-8", newline="")
        again = load_org(path, schema=org.schema)
    assert [unit.name for unit in again] == [row[3] for row in rows[1:]]
