"""The one CSV reader of doanorg: a file's cells as columns of text, with pyarrow.

pyarrow's C reader parses the file (on every core), every cell as text, so
that nothing is guessed: whether ``1.000`` is a count, an amount or a
category is for the metric to say (:func:`doanorg.core._columns.read_cells`), not the
reader. This module adds what a person needs from a reader and pyarrow does
not give:

- *line numbers* as a text editor shows them (the header is line 1), for
  messages: a row's line is worked out from the bytes, a quoted cell may span
  lines, blank lines are skipped;
- *rows of another width*: a short row is read with empty cells to the right
  (as a spreadsheet saves a row whose last cells are empty), a long row is a
  problem naming its line and unit; rows of blank cells are skipped;
- *problems a person can act on*: a file that is not UTF-8 (with the line),
  a quoted cell never closed, a header naming a column twice.

Every text is read as written, but for the apostrophe doanorg's writer puts before
a cell a spreadsheet would run as a formula, which is taken off again
(:mod:`doanorg.core._cells`); trimming and NFC are the callers' (they know
which columns are names). The file is mapped, not copied, and never written.
"""

from __future__ import annotations

import contextlib
import csv
import io
import mmap
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from doanorg.core._cells import read_csv_text, read_csv_texts
from doanorg.core._texts import blank_texts, normalise
from doanorg.core.metrics import number_text
from doanorg.errors import DoanorgError, Problem

__all__ = ["Table", "check_header", "in_rows", "number_texts", "read_table"]

_BOM = b"\xef\xbb\xbf"


@attrs.frozen(eq=False)
class Table:
    """A CSV file's header (each name trimmed and NFC) and its rows as columns of text.

    ``columns`` has one array a header name, each with one cell a row (a short row's
    missing cells are empty); ``lines[i]`` is the line row ``i`` starts on, and
    ``header_line`` the header's. (A sheet of a workbook or a data frame is read into a
    table too: its lines are then rows, see :mod:`doanorg.io._xlsx`.)
    """

    file: str
    header: tuple[str, ...]
    columns: Mapping[str, pa.ChunkedArray]
    lines: npt.NDArray[np.int64]
    header_line: int = 1

    @property
    def rows(self) -> int:
        """How many rows the file has below its header (blank rows not counted)."""
        return len(self.lines)


def read_table(path: str | Path, error: type[DoanorgError], problems: list[Problem],
               key: Sequence[str] = ()) -> Table:
    """Read the CSV file at ``path``; problems that leave the rows readable (a long row,
    a column named twice) are added to ``problems``, the others raise ``error`` at once.

    ``key`` names the columns that name a row's unit (``id``, ``unit``), for messages.
    """
    shown = str(path)
    try:
        with Path(path).open("rb") as file:
            data: bytes | mmap.mmap = (mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
                                       if Path(path).stat().st_size else b"")
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise error([Problem(f"cannot read the file: {reason}", file=shown)]) from None
    base = len(_BOM) if data[: len(_BOM)] == _BOM else 0
    if data.find(b'"', base) >= 0 and _quotes(data, base) % 2:
        _check_quotes_closed(data, base, error, shown)  # (a quote inside a cell, or unclosed)
    cells, start, skipped = _header(data, base, error, shown)
    header = tuple(normalise(read_csv_text(name)) for name in cells)
    width = len(header)
    quoted = data.find(b'"', start) >= 0
    odd: list[tuple[int, str]] = []  # (record number, text) of rows of another width
    table = _parse(data, start, width, quoted, odd, error, shown, skipped)
    if any(number is None or number < 0 for number, _ in odd):  # read on several threads
        odd.clear()
        table = _parse(data, start, width, quoted, odd, error, shown, skipped, threads=False)
    columns = [table.column(index) for index in range(width)]
    records = table.num_rows + len(odd)  # the header's included
    numbers = np.arange(1, records + 1, dtype=np.int64)  # each row's record number
    line_of = _record_lines(columns, numbers, odd, quoted) + skipped  # by record number
    odd_cells = {number: _cells_of(text) for number, text in odd}
    kept_odd = {number for number, cells in odd_cells.items()
                if any(cell.strip() for cell in cells)}  # (blank however many cells)
    if odd:
        columns, numbers = _with_odd_rows(columns, numbers, odd_cells, kept_odd, width)
    # the header is the first record; the rows follow
    columns = [column[1:] for column in columns]
    numbers = numbers[1:]
    check_header(header, shown, problems, int(line_of[0]))
    keep = _not_blank(columns, np.isin(numbers, list(kept_odd)))
    if keep is not None:
        columns = [column.filter(pa.array(keep)) for column in columns]
        numbers = numbers[keep]
    lines = line_of[numbers - 1]
    at = {name: index for index, name in reversed(list(enumerate(header)))}
    key_index = next((at[name] for name in key if name in at), None)
    for number in sorted(kept_odd):
        cells = odd_cells[number]
        if len(cells) > width:
            unit = normalise(cells[key_index]) if key_index is not None else ""
            named = f"unit {unit!r}: " if unit else ""
            problems.append(Problem(
                f"{named}the row has {len(cells)} cells but the header has {width} columns",
                file=shown, line=int(line_of[number - 1]), unit=unit or None))
    return Table(shown, header, {name: read_csv_texts(columns[index])
                                 for name, index in at.items()}, lines, int(line_of[0]))


_ONE_BLOCK = 1 << 30
"""The largest block pyarrow parses a file with quoted cells in (see :func:`_parse`)."""
_HEADER_SEARCH = 1 << 20
"""How many bytes the header is first looked for in (then the whole file)."""


def _header(data: bytes | mmap.mmap, base: int, error: type[DoanorgError], shown: str
            ) -> tuple[list[str], int, int]:
    """The header's cells (the first record holding more than blank cells, as Python's
    csv module reads it), where its bytes start, and how many lines come before it."""
    for size in (_HEADER_SEARCH, len(data)):
        prefix = bytes(memoryview(data)[base : base + size])
        whole = base + size >= len(data)
        bad = None  # the line of the first byte that is not UTF-8, if any
        try:
            text = prefix.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = prefix[: exc.start].decode("utf-8")
            if whole or exc.start < len(prefix) - 3:  # (not a character cut by the end)
                bad = _count_line_ends(data, base, base + exc.start) + 1
        reader = csv.reader(io.StringIO(text, newline=""))
        line, lines = 1, _count_lines(text)
        with _fields_of_any_size():
            for record in reader:
                if bad is not None and reader.line_num >= bad:
                    break
                if any(cell.strip() for cell in record) and (whole or reader.line_num < lines):
                    return record, _line_start(data, base, line - 1), line - 1
                line = reader.line_num + 1
        if bad is not None:
            raise error([Problem("the file is not UTF-8 text", file=shown, line=bad)])
        if whole:
            break
    raise error([Problem("the file is empty: it needs a header row", file=shown)])


def _count_lines(text: str) -> int:
    """How many lines ``text`` ends (a CR LF ends one)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _line_start(data: bytes | mmap.mmap, base: int, lines: int) -> int:
    """Where the line ``lines`` lines after the one at ``base`` starts."""
    start = base
    for _ in range(lines):
        ends = [end for end in (data.find(b"\n", start), data.find(b"\r", start)) if end >= 0]
        end = min(ends)
        start = end + (2 if data[end : end + 2] == b"\r\n" else 1)
    return start


def _parse(data: bytes | mmap.mmap, start: int, width: int, quoted: bool,
           odd: list[tuple[int, str]], error: type[DoanorgError], shown: str, skipped: int,
           *, threads: bool = True) -> pa.Table:
    """Every record from ``start`` as ``width`` columns of text (the header the first
    row); the records of another width are set aside in ``odd``."""

    def set_aside(row: pa_csv.InvalidRow) -> str:
        odd.append((row.number, row.text))
        return "skip"

    names = [f"c{index}" for index in range(width)]
    # The columns are allocated with malloc, not pyarrow's default pool (mimalloc): the
    # reader's threads allocate and free blocks that mimalloc gives back to the system
    # and takes again, a page fault each time (878 madvise calls against 116, and twice
    # the system time, for 10^6 units).
    # Where a quoted cell may hold a line break, the file is parsed as one block: pyarrow
    # drops the LF of a CR LF inside a quoted cell that falls on a block's edge.
    block = min(max(len(data) - start + 1, 1 << 20), _ONE_BLOCK) if quoted else None
    try:
        with _not_utf8_rows_quiet():
            return pa_csv.read_csv(
                pa.py_buffer(memoryview(data)[start:]),
                read_options=pa_csv.ReadOptions(column_names=names, use_threads=threads,
                                                **({"block_size": block} if block else {})),
                # an empty line is a record too (of one empty cell, set aside): so that,
                # when no quoted cell spans lines, a record's number is its line
                parse_options=pa_csv.ParseOptions(newlines_in_values=quoted,
                                                  ignore_empty_lines=False,
                                                  invalid_row_handler=set_aside),
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False, quoted_strings_can_be_null=False,
                    null_values=[]),
                memory_pool=pa.system_memory_pool(),
            )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        bad = _bad_utf8_line(data, start)
        if bad is not None:
            raise error([Problem("the file is not UTF-8 text", file=shown,
                                 line=skipped + bad)]) from None
        raise error([Problem(f"not valid CSV: {exc}", file=shown)]) from None


@contextlib.contextmanager
def _not_utf8_rows_quiet() -> Iterator[None]:
    """While a file is parsed: a row of another width whose text is not UTF-8 cannot be
    handed to the row handler (pyarrow fails decoding it, reports that as an exception
    it ignores, then fails the parse, which says so with its line); the ignored
    exception is kept quiet, any other one reported as it would be."""
    previous = sys.unraisablehook

    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, UnicodeDecodeError):
            previous(unraisable)

    sys.unraisablehook = quiet
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _quotes(data: bytes | mmap.mmap, start: int) -> int:
    """How many double quotes the bytes from ``start`` hold."""
    return int(np.count_nonzero(np.frombuffer(memoryview(data)[start:], dtype=np.uint8) == 34))


def _bad_utf8_line(data: bytes | mmap.mmap, start: int) -> int | None:
    """The line (counted from ``start``) of the first byte that is not UTF-8; ``None``
    if every byte is."""
    try:
        bytes(memoryview(data)[start:]).decode("utf-8")
    except UnicodeDecodeError as exc:
        return _count_line_ends(data, start, start + exc.start) + 1
    return None


def _count_line_ends(data: bytes | mmap.mmap, start: int, end: int) -> int:
    """How many lines end between ``start`` and ``end`` (a CR LF ends one)."""
    return _count_lines(bytes(memoryview(data)[start:end]).decode("latin-1"))


def _cells_of(text: str) -> list[str]:
    """The cells of one record's text."""
    with _fields_of_any_size():
        return next(csv.reader(io.StringIO(text)), [])


@contextlib.contextmanager
def _fields_of_any_size() -> Iterator[None]:
    """While the csv module reads for this reader: cells of any length (its default
    refuses one over 128 KiB; pyarrow reads them), the limit put back afterwards."""
    previous = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _with_odd_rows(columns: list[pa.ChunkedArray], numbers: npt.NDArray[np.int64],
                   odd_cells: dict[int, list[str]], kept: set[int], width: int
                   ) -> tuple[list[pa.ChunkedArray], npt.NDArray[np.int64]]:
    """The columns with the records of another width put back in their places: a short
    one with empty cells to the right, a long one cut to the header's width (it is
    also reported); those of blank cells (``kept`` holds the others) left out."""
    parsed = numbers[~np.isin(numbers, list(odd_cells))]
    extra_numbers = np.array(sorted(kept), dtype=np.int64)
    extra_cells = [(odd_cells[number] + [""] * width)[:width] for number in sorted(kept)]
    every = np.concatenate([parsed, extra_numbers])
    order = pa.array(np.argsort(every, kind="stable"))
    joined = [pa.chunked_array([*column.chunks, pa.array(
        [cells[index] for cells in extra_cells], pa.string())], pa.string()).take(order)
              for index, column in enumerate(columns)]
    return joined, np.sort(every)


def _record_lines(columns: list[pa.ChunkedArray], numbers: npt.NDArray[np.int64],
                  odd: list[tuple[int, str]], quoted: bool) -> npt.NDArray[np.int64]:
    """The line (counted from the first record's, from 1) each record starts on, by
    record number: a record spans one line more than the line breaks in its cells,
    which only a quoted cell may hold (pyarrow keeps an empty line as a record)."""
    if not quoted:
        return numbers.copy()
    breaks = np.zeros(len(numbers), dtype=np.int64)
    set_aside = {number for number, _ in odd}
    parsed = numbers[~np.isin(numbers, list(set_aside))] - 1 if odd else numbers - 1
    for column in columns:
        breaks[parsed] += _line_breaks(column)
    for number, text in odd:
        breaks[number - 1] += _count_lines(text)
    return numbers + np.concatenate([[0], np.cumsum(breaks)[:-1]]).astype(np.int64)


def _line_breaks(column: pa.ChunkedArray) -> npt.NDArray[np.int64]:
    """How many lines each cell's text ends (a CR LF ends one)."""
    def count(mark: str) -> npt.NDArray[np.int64]:
        return np.asarray(pc.count_substring(column, mark).to_numpy(), dtype=np.int64)

    return count("\n") + count("\r") - count("\r\n")


def _check_quotes_closed(data: bytes | mmap.mmap, start: int, error: type[DoanorgError],
                         shown: str) -> None:
    """Raise ``error`` if a quoted cell is never closed (the file's quotes are odd in
    number: one stands inside a cell, as in ``5" screen``, which is a character of
    it, or one opens a cell that never ends); found as Python's csv module finds it."""
    text = bytes(memoryview(data)[start:]).decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    opens = 1  # the line the record being read starts on
    try:
        with _fields_of_any_size():
            for _ in reader:
                opens = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):  # (other strict complaints: read as pyarrow reads)
            raise error([Problem("not valid CSV: a quoted cell is not closed (a \" is "
                                 "missing)", file=shown, line=opens)]) from None


def check_header(header: tuple[str, ...], shown: str, problems: list[Problem],
                  line: int) -> None:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(Problem(f"column {column!r} appears twice in the header",
                                    file=shown, line=line))
        seen.add(column)


def _not_blank(columns: list[pa.ChunkedArray], kept: npt.NDArray[np.bool_]
               ) -> npt.NDArray[np.bool_] | None:
    """Which rows hold more than blank cells (``kept`` rows do, beyond the header's
    width); ``None`` when every row does. Only rows whose first cell is blank are looked
    at closely."""
    if not columns or not len(columns[0]):
        return None
    first = blank_texts(columns[0]) & ~kept
    if not first.any():
        return None
    candidates = np.flatnonzero(first)
    blank = np.ones(len(candidates), dtype=bool)
    indices = pa.array(candidates)
    for column in columns[1:]:
        blank &= blank_texts(column.take(indices))
    if not blank.any():
        return None
    keep = np.ones(len(columns[0]), dtype=bool)
    keep[candidates[blank]] = False
    return keep


@contextlib.contextmanager
def in_rows(file: str, *, sheet: str | None = None, shift: int = 0
            ) -> Iterator[Callable[[Iterable[Problem]], tuple[Problem, ...]]]:
    """Problems of a table read from a sheet of a workbook (``sheet``) or a data frame
    (no sheet), said in rows rather than lines: while in this block, an error whose
    problems name ``file`` is raised again with each line given as the row
    ``line - shift`` (a frame's header, line 0, as no row); the function it gives does
    the same for warnings."""

    def moved(problems: Iterable[Problem]) -> tuple[Problem, ...]:
        return tuple(
            attrs.evolve(problem, sheet=sheet, line=None,
                         row=None if problem.line is None or problem.line - shift < 0
                         else problem.line - shift)
            if problem.file == file and problem.sheet is None and problem.row is None
            else problem for problem in problems)

    try:
        yield moved
    except DoanorgError as error:
        raise type(error)(moved(error.problems)) from None


_EXACT = 2**53
"""Whole numbers up to here are exact as doubles."""


def number_texts(numbers: npt.NDArray[np.float64]) -> pa.Array:
    """Numbers (NaN: no value) as the texts a CSV file would hold, as
    :func:`~doanorg.core.metrics.number_text` writes them (``3.0`` as ``3``, NaN as an
    empty cell): at C speed when all are whole, as a column of counts is."""
    given = ~np.isnan(numbers)
    if (np.mod(numbers[given], 1) == 0).all() and (np.abs(numbers[given]) <= _EXACT).all():
        whole = pa.array(np.where(given, numbers, 0).astype(np.int64)).cast(pa.string())
        return pc.if_else(pa.array(given), whole, "")
    return pa.array([number_text(float(number)) if keep else ""
                     for number, keep in zip(numbers.tolist(), given.tolist(), strict=True)],
                    pa.string())
