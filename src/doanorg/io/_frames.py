"""Reading a data frame (pandas, polars, pyarrow) into a table of text cells.

:func:`doanorg.load_org` and :func:`doanorg.load_facts` take a frame in place of
a file: a :class:`pyarrow.Table`, a pandas or polars DataFrame, or anything
else :func:`pyarrow.table` takes (an object with the Arrow C stream
interface, a mapping of columns). doanorg depends on neither pandas nor
polars: a pandas frame is read by :meth:`pyarrow.Table.from_pandas` (its index
left out), any other through Arrow.

Each cell becomes the text a CSV file would hold (a null or NaN as an empty
cell; a whole number without ``.0``, even in a float column, as pandas makes
of a column of counts with a gap; true/false as ``true``/``false``), and the
table then goes through the very same checks as a CSV file's
(:mod:`doanorg.io._csv`). Rows of blank cells are skipped, as in a file.
Problems name the row by its position, counted from 0 as ``iloc`` counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doanorg.core._texts import SPACE
from doanorg.core.model import normalise
from doanorg.errors import DoanorgError, Problem
from doanorg.io._table import Table, check_header, number_texts

__all__ = ["frame_table", "is_frame"]


def is_frame(source: object) -> bool:
    """Whether ``source`` is a frame (anything but a path or a file name)."""
    return not isinstance(source, str | bytes) and not hasattr(source, "__fspath__")


def _arrow(frame: Any) -> pa.Table:
    if isinstance(frame, pa.Table):
        return frame
    if type(frame).__module__.split(".")[0] == "pandas":
        return pa.Table.from_pandas(frame, preserve_index=False)
    return pa.table(frame)


def frame_table(frame: Any, file: str, error: type[DoanorgError],
                problems: list[Problem]) -> Table:
    """``frame`` as a table of texts named ``file`` for messages; its row ``i`` is on
    line ``i + 1`` (the header on line 0), for :func:`~doanorg.io._table.in_rows`."""
    try:
        table = _arrow(frame)
    except (TypeError, ValueError, pa.ArrowException) as exc:
        raise error([Problem(f"not a data frame doanorg can read: {exc}",
                             file=file)]) from None
    header = tuple(normalise(str(name)) for name in table.column_names)
    check_header(header, file, problems, 0)
    columns = [_texts(table.column(index), file, error) for index in range(table.num_columns)]
    keep = np.ones(table.num_rows, dtype=bool)
    if columns:
        keep[:] = False
        for column in columns:
            keep |= ~np.asarray(pc.equal(pc.utf8_trim(column, SPACE), ""), dtype=bool)
    lines = np.flatnonzero(keep).astype(np.int64) + 1
    if not keep.all():
        mask = pa.array(keep)
        columns = [column.filter(mask) for column in columns]
    at = {name: index for index, name in reversed(list(enumerate(header)))}
    return Table(file, header, {name: columns[index] for name, index in at.items()},
                 lines, 0)


def _texts(column: pa.ChunkedArray, file: str, error: type[DoanorgError]) -> pa.ChunkedArray:
    """A column's cells as texts (see the module's docstring)."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_floating(kind):
        numbers = column.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)
        column = pa.chunked_array([number_texts(numbers)])
    elif pa.types.is_boolean(kind):
        column = pc.if_else(column, "true", "false")
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        try:
            column = column.cast(pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid) as exc:
            raise error([Problem(f"a column of type {kind} cannot be read as text: {exc}",
                                 file=file)]) from None
    return column.cast(pa.string()).fill_null("")
