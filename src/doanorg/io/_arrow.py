"""The quick reading of large CSV files, with pyarrow (the ``fast`` extra).

The readers of :mod:`doanorg.io._csv` are plain Python and are the
reference: they accept, read and report exactly what the spec says. This
module reads a file with pyarrow's C reader instead, but only a file that is
*plainly valid*: every row on its own line, every cell text the quick
reading is sure of, and no quoted cell (quoting, malformed, is where CSV
readers differ). On any doubt it returns ``None`` and the reference
reading runs, so both ways give the same result and the same messages; the
tests check that they agree.

Nothing here is needed: without pyarrow, :func:`available` is false and
every file takes the reference reading.
"""

from __future__ import annotations

import functools
import mmap
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt

from doanorg._columns import INT64_LIMIT, Column
from doanorg._texts import SPACE, CodedTexts, TextColumn
from doanorg._typed_facts import TypedColumn, TypedFacts, typed_column
from doanorg.facts import FLAG_FALSE, FLAG_TRUE, Metric, MetricType
from doanorg.model import AttributeValue, OrgColumns, normalise, normalise_all

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["available", "org_columns", "wide_facts"]

ORG_COLUMNS = ("id", "parent", "kind", "name")
#: The cells a flag column may hold to be read in C: the flag words as people write them.
_TRUE_CELLS = [form for word in FLAG_TRUE for form in dict.fromkeys(
    (word, word.capitalize(), word.upper()))]
_FALSE_CELLS = [form for word in FLAG_FALSE for form in dict.fromkeys(
    (word, word.capitalize(), word.upper()))]


def available() -> bool:
    """Whether pyarrow can be imported here."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


_BLOCK = 1 << 30
"""The most bytes of CSV parsed as one piece. A file up to this size is parsed as
one piece, so that each column comes as one array, which numpy reads in place
(in pieces, each column would be copied to join them).

Parsing runs on the calling thread: pyarrow's worker threads can outlive a
short program and abort it as Python shuts down (``terminate called without
an active exception``, seen once in a few hundred command-line runs), which
a second core's 0.1–0.2 s at a million rows does not justify."""


_Args = ParamSpec("_Args")
_Read = TypeVar("_Read")


class _SystemPool:
    """pyarrow's default memory pool set to the system's allocator while any reading
    runs, and the pool in use before put back when the last one ends (readings on
    several threads share the switch, so none puts back another's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._readings = 0
        self._previous: Any = None

    def __enter__(self) -> None:
        import pyarrow as pa

        with self._lock:
            if not self._readings:
                self._previous = pa.default_memory_pool()
                pa.set_memory_pool(pa.system_memory_pool())
            self._readings += 1

    def __exit__(self, *_: object) -> None:
        import pyarrow as pa

        with self._lock:
            self._readings -= 1
            if not self._readings:
                pa.set_memory_pool(self._previous)
                self._previous = None


_SYSTEM_POOL = _SystemPool()


def _system_allocated(read: Callable[_Args, _Read]) -> Callable[_Args, _Read]:
    """``read``, with pyarrow allocating from the system's allocator while it runs
    (:class:`_SystemPool`).

    pyarrow's default allocator (mimalloc) hands freed memory back to the system at
    once, so each new array of a reading touches fresh pages; the system's allocator
    keeps them for the next array. On a machine where a fresh page costs much (as
    on ours) a million-unit load is a fifth quicker so.
    """

    @functools.wraps(read)
    def reading(*args: _Args.args, **kwargs: _Args.kwargs) -> _Read:
        with _SYSTEM_POOL:
            return read(*args, **kwargs)

    return reading


#: What :meth:`str.splitlines` (and so the reference reading) also takes for the end of a
#: line, in UTF-8, besides CR and LF: a file holding one is left to the reference reading.
_OTHER_LINE_BREAKS = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", "\x85".encode(),
                      "\u2028".encode(), "\u2029".encode())


def _table(path: str | Path, types: Mapping[str, pa.DataType] | None = None
           ) -> tuple[list[str], pa.Table] | None:
    """The file's header (trimmed, NFC) and its rows as columns named by the header:
    of the ``types`` given (if every cell reads as its type), else text; ``None``
    unless each row stands on a line of its own after the header.

    The file is mapped, not copied into memory: pyarrow reads the pages the system
    already holds. A blank line is kept as a row of empty cells (so that a row's line
    is its index plus 2); its empty id or unit then leaves the file to the reference.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    try:
        with Path(path).open("rb") as file:
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # unreadable, or empty: the reference reading says so
        return None
    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    if _holds(data, b'"') or any(_holds(data, mark) for mark in _OTHER_LINE_BREAKS):
        return None  # quoting is where CSV readers differ: the reference reading decides
    ends = [end for end in (data.find(b"\r"), data.find(b"\n")) if end >= 0]
    try:
        header = data[start : min(ends, default=len(data))].decode("utf-8")
    except UnicodeDecodeError:
        return None
    names = [normalise(name) for name in header.split(",")]
    if len(set(names)) != len(names) or not all(names):
        return None
    text = {name: pa.string() for name in names}
    for given in ([{**text, **types}, text] if types else [text]):  # typed first, then text
        try:
            table = pa_csv.read_csv(
                pa.py_buffer(data),
                read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1,
                                                block_size=min(len(data) + 1, _BLOCK),
                                                use_threads=False),
                parse_options=pa_csv.ParseOptions(quote_char=False, newlines_in_values=False,
                                                  ignore_empty_lines=False),
                convert_options=pa_csv.ConvertOptions(
                    column_types=given, null_values=[""], strings_can_be_null=False,
                    true_values=_TRUE_CELLS, false_values=_FALSE_CELLS),
            )
        except (pa.ArrowInvalid, UnicodeDecodeError):
            continue  # some cell does not read as its type: read every cell as text
        return (names, table) if table.num_rows else None
    return None


def _holds(data: mmap.mmap, mark: bytes) -> bool:
    """Whether ``data`` holds ``mark``. A mark of several bytes is looked for only
    where its first byte is found: looking for one byte is ten times quicker, and
    the first bytes of the other line breaks (C2, E2) are rare in Vietnamese text."""
    if len(mark) > 1 and data.find(mark[:1]) < 0:
        return False
    return data.find(mark) >= 0


def _has_blank(column: pa.ChunkedArray) -> bool:
    """Whether a cell is blank: the reference reading skips a blank row, or reports a
    blank id or unit, so such a file is left to it."""
    import pyarrow.compute as pc

    return pc.any(pc.equal(pc.utf8_trim(column, SPACE), "")).as_py() is True


def _texts(column: pa.ChunkedArray) -> list[str] | None:
    """The cells as Python strings, or ``None`` if one is blank (:func:`_has_blank`)."""
    return None if _has_blank(column) else column.to_pylist()


def _joined(column: pa.ChunkedArray) -> str | None:
    """The texts of ``column`` joined in C, a NUL between two; ``None`` beyond 2 GiB."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        whole = pa.ListArray.from_arrays(pa.array([0, len(column)], pa.int32()),
                                         column.combine_chunks())
        return pc.binary_join(whole, "\0")[0].as_py()  # type: ignore[no-any-return]
    except (pa.ArrowInvalid, pa.ArrowCapacityError):
        return None


def _same_texts(column: pa.ChunkedArray, texts: Sequence[str]) -> bool:
    """Whether ``column`` holds exactly ``texts`` (NUL-free), in that order: compared
    joined, with no Python string made per cell."""
    if len(column) != len(texts) or not texts:
        return False
    joined = _joined(column)
    return (joined is not None and joined.count("\0") == len(texts) - 1
            and joined == "\0".join(texts))


def _text_column(column: pa.ChunkedArray) -> TextColumn:
    """A column of texts joined in C, and whether each is trimmed checked in C."""
    import pyarrow.compute as pc

    joined = _joined(column)
    if joined is None:  # beyond 2 GiB of text
        return TextColumn.of(column.to_pylist())
    starts = np.zeros(len(column) + 1, dtype=np.int64)
    np.cumsum(np.asarray(pc.utf8_length(column), dtype=np.int64) + 1, out=starts[1:])
    trimmed = pc.all(pc.equal(pc.utf8_trim(column, SPACE), column)).as_py() is not False
    return TextColumn(joined, starts, trimmed=trimmed)


def _ids_and_parents(ids: pa.ChunkedArray, parents: pa.ChunkedArray
                     ) -> tuple[CodedTexts, CodedTexts] | None:
    """The ids and the parents coded over one list of distinct values, in C: each
    parent is then found among the ids by its code. ``None`` if an id is blank
    (:func:`_has_blank`)."""
    import pyarrow as pa

    if _has_blank(ids):
        return None
    both = pa.chunked_array([*ids.chunks, *parents.chunks], pa.string())
    encoded = both.dictionary_encode()  # (pyarrow gives every chunk the one dictionary)
    if len({len(chunk.dictionary) for chunk in encoded.chunks}) > 1:
        encoded = pa.chunked_array([both.combine_chunks().dictionary_encode()])
    values = tuple(encoded.chunks[0].dictionary.to_pylist()) if encoded.num_chunks else ()
    codes = np.asarray(pa.chunked_array([chunk.indices for chunk in encoded.chunks],
                                        pa.int32()))
    return (CodedTexts(codes[: len(ids)], values, distinct=True),
            CodedTexts(codes[len(ids):], values, distinct=True))


def _coded(column: pa.ChunkedArray) -> CodedTexts:
    """A column of few distinct texts (the kinds), coded in C."""
    encoded = column.combine_chunks().dictionary_encode()
    return CodedTexts(np.asarray(encoded.indices), encoded.dictionary.to_pylist())


def _attributes(column: pa.ChunkedArray
                ) -> list[AttributeValue | None] | npt.NDArray[np.int64]:
    """An attribute column: whole numbers at C speed, anything else as the reference
    reading does."""
    import pyarrow as pa

    from doanorg.io._csv import attribute_column

    try:
        return np.asarray(column.cast(pa.int64()), dtype=np.int64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return attribute_column(column.to_pylist())


@_system_allocated
def org_columns(path: str | Path) -> OrgColumns | None:
    """An organisation CSV as columns, or ``None`` when the reference reading must
    read it (see the module docstring)."""
    read = _table(path)
    if read is None:
        return None
    names, table = read
    if not all(name in names for name in ORG_COLUMNS):
        return None
    coded = _ids_and_parents(table["id"], table["parent"])
    if coded is None:
        return None
    ids, parents = coded
    return OrgColumns(
        ids, parents, _coded(table["kind"]), _text_column(table["name"]),
        {name: _attributes(table[name]) for name in names if name not in ORG_COLUMNS},
        range(2, table.num_rows + 2),
    )


@_system_allocated
def wide_facts(path: str | Path, metrics: Mapping[str, Metric], period: str | None,
               ids: Sequence[str] = ()) -> tuple[TypedFacts, str | None] | None:
    """A wide facts CSV read into typed columns, and the period read; ``None`` when
    the reference reading must read it (see the module docstring). ``ids``: the
    organisation's units, when known (listed in that order, no unit is repeated)."""
    import pyarrow.compute as pc

    read_as = _read_as()
    read = _table(path, {name: read_as[metric.type] for name, metric in metrics.items()
                         if metric.type in read_as})
    if read is None:
        return None
    names, table = read
    if "unit" not in names or "metric" in names:
        return None
    rows = np.arange(table.num_rows)
    chosen = None
    if "period" in names:
        periods = pc.unique(table["period"]).to_pylist()
        if not all(periods) or any(text != normalise(text) for text in periods):
            return None
        chosen = normalise(period) if period is not None else periods[0]
        if chosen not in periods or (period is None and len(periods) > 1):
            return None
        keep = pc.equal(table["period"], chosen)
        rows = rows[np.asarray(keep)]
        table = table.filter(keep)
    elif period is not None:
        return None
    if _same_texts(table["unit"], ids):
        units = tuple(ids)  # listed as the organisation lists its units: its own strings
    else:
        texts = _texts(table["unit"])
        if texts is None:
            return None
        units = tuple(normalise_all(texts))
        if len(set(units)) != len(units):
            return None  # the reference reading checks that repeated rows agree
    columns: dict[str, TypedColumn] = {}
    for name in names:
        if name in metrics:
            typed = _typed(metrics[name], table[name])
            if typed is None:
                return None
            columns[name] = typed
    ignored = tuple(name for name in names if name not in metrics and name not in
                    ("unit", "period"))
    return TypedFacts(units, columns, rows + 2, ignored), chosen


def _typed(metric: Metric, cells: pa.ChunkedArray) -> TypedColumn | None:
    """One metric's column: at C speed where every cell is plainly valid, else (for a
    column read as text) as the reference reading does
    (:func:`~doanorg._typed_facts.typed_column`); ``None`` when neither can."""
    import pyarrow as pa

    try:
        quick = _QUICK[metric.type](metric, cells)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        quick = None
    if quick is None and pa.types.is_string(cells.type):
        return typed_column(metric, cells.to_pylist())
    return quick


def _present(cells: pa.ChunkedArray) -> npt.NDArray[np.bool_]:
    """Which cells hold a value: not empty (a text column), not null (a typed one)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(cells.type):
        return np.asarray(pc.not_equal(cells, ""))
    return np.asarray(cells.is_valid())


def _numbers(cells: pa.ChunkedArray, present: npt.NDArray[np.bool_]
             ) -> npt.NDArray[np.int64]:
    """Whole numbers, 0 where no value: read in C as the file was read, or cast from text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(cells.type):
        cells = pc.if_else(present, cells, "0").cast(pa.int64())
    return np.asarray(_filled(cells, 0), dtype=np.int64)


def _filled(cells: pa.ChunkedArray, value: object) -> pa.ChunkedArray:
    """``cells`` with ``value`` in place of nulls (the same cells when none is null)."""
    return cells.fill_null(value) if cells.null_count else cells


def _counts(metric: Metric, cells: pa.ChunkedArray) -> TypedColumn | None:
    present = _present(cells)
    data = _numbers(cells, present)
    if data.size and (data.min() < 0 or data.max() >= INT64_LIMIT // max(len(data), 1)):
        return None
    return TypedColumn(Column(metric, data), present)


def _amounts(metric: Metric, cells: pa.ChunkedArray) -> TypedColumn | None:
    """Amounts as exact integers at the scale of the most decimals written."""
    import pyarrow.compute as pc

    if not pc.all(pc.match_substring_regex(cells, r"^([0-9]+(\.[0-9]+)?)?$")).as_py():
        return None
    present = _present(cells)
    dot = np.asarray(pc.find_substring(cells, "."))
    decimals = np.where(dot >= 0, np.asarray(pc.utf8_length(cells)) - dot - 1, 0)
    places = int(decimals.max()) if decimals.size else 0
    digits = _numbers(pc.replace_substring(cells, ".", ""), present)
    shift = places - decimals
    limit = min(2**51, INT64_LIMIT // max(len(digits), 1))
    if places > 18 or (digits.size and (digits * 10.0**shift).max() >= 2 * limit):
        return None  # beyond exact arithmetic: the reference reading reads it
    data = digits * 10**shift  # the value times 10**places, exactly
    if data.size and data.max() >= limit:
        return None
    return TypedColumn(Column(metric, data.astype(np.int64), 10**places), present)


def _flags(metric: Metric, cells: pa.ChunkedArray) -> TypedColumn | None:
    import pyarrow as pa
    import pyarrow.compute as pc

    present = _present(cells)
    if pa.types.is_boolean(cells.type):
        return TypedColumn(Column(metric, np.asarray(_filled(cells, False))), present)
    lowered = pc.utf8_lower(cells)
    true = np.asarray(pc.is_in(lowered, value_set=pa.array(FLAG_TRUE)))
    false = np.asarray(pc.is_in(lowered, value_set=pa.array(FLAG_FALSE)))
    if not (true | false | ~present).all():
        return None
    return TypedColumn(Column(metric, true & present), present)


def _categories(metric: Metric, cells: pa.ChunkedArray) -> TypedColumn | None:
    """Each cell's index into the declared values (-1: none); a column read as a
    dictionary is mapped one chunk's dictionary at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc

    declared = pa.array(list(metric.values), pa.string())
    parts, presents = [], []
    for chunk in cells.chunks:
        if pa.types.is_dictionary(chunk.type):
            remap = np.asarray(pc.fill_null(pc.index_in(chunk.dictionary, value_set=declared),
                                            -1), dtype=np.int64)
            blank = np.asarray(pc.equal(chunk.dictionary, ""), dtype=bool)
            indices = np.asarray(chunk.indices.fill_null(0), dtype=np.int64)
            valid = np.asarray(chunk.is_valid()) & ~blank[indices]
            codes = np.where(valid, remap[indices], -1)
        else:
            valid = np.asarray(pc.not_equal(chunk, ""))
            codes = np.asarray(pc.fill_null(pc.index_in(chunk, value_set=declared), -1))
        parts.append(codes)
        presents.append(valid)
    data = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    present = np.concatenate(presents) if presents else np.zeros(0, dtype=bool)
    if (data[present] < 0).any():
        return None  # a cell that is not a declared category
    return TypedColumn(Column(metric, data.astype(np.int16)), present)


def _read_as() -> dict[MetricType, pa.DataType]:
    import pyarrow as pa

    return {MetricType.COUNT: pa.int64(), MetricType.FLAG: pa.bool_(),
            MetricType.CATEGORY: pa.dictionary(pa.int32(), pa.string())}


_QUICK: Mapping[MetricType, Callable[[Metric, Any], TypedColumn | None]] = {
    MetricType.COUNT: _counts, MetricType.AMOUNT: _amounts,
    MetricType.FLAG: _flags, MetricType.CATEGORY: _categories,
}
