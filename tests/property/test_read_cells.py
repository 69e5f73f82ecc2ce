"""Law of the column reader: :func:`doanorg._columns.read_cells` reads a column of cells
as :func:`doanorg.metrics.coerce` reads each cell.

For every metric type and any cells, given as a pyarrow string array (one chunk or
several, as the CSV reader gives them) or as a Python list: a cell is *present* when it
is not blank after :meth:`str.strip`; its value (``Column.value(i)``) is what coerce
gives; and the problems are ``(cell, coerce's message)`` for each cell coerce refuses,
in the order of the cells.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from doanorg.core._columns import CellsRead, read_cells
from doanorg.core.metrics import Metric, MetricType, Value, coerce
from doanorg.core.rules import exact_decimal

CATEGORY_VALUES = ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Không đạt", "1")
METRICS = (
    Metric("doan_vien_moi", MetricType.COUNT),
    Metric("kinh_phi", MetricType.AMOUNT),
    Metric("dai_hoi", MetricType.FLAG),
    Metric("xep_loai", MetricType.CATEGORY, values=CATEGORY_VALUES),
)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


_SAMPLES = (
    "", " ", "\t", "\xa0", " \u3000 ", "0", "3", " 12 ", "+4", "-1", "-0", "3.0", "2.5",
    "0.10", ".5", "1.", "1e3", "1.5e-7", "1e400", "nan", "NaN", "inf", "-inf", "0x10",
    "1_000", "007", "3\n", "\t7", "٣", "１２", "có", "CÓ", _nfd("có"), "Không",
    _nfd("Không"), "không", "true", "True", "no", "yes", "1", "false", "0.0", "1.0",
    "Xuất sắc", " Xuất sắc ", _nfd("Xuất sắc"), "Trung bình", "Trung  bình", "trung bình",
    "Không đạt", _nfd(" Không đạt"), "99999999999999999999", "999999999999999999",
    "123456789012345678", "4611686018427387904", "9223372036854775807",
    "0.000000000000001", "0.0000000000000001", "123456789.123456789", "0.25", "1000000.5",
    "9007199254740993.0", "18014398509481990.0",  # whole, above 2**53, with a decimal point
)
#: a cell as a file may hold it: the texts above, any text, integers and decimals
#: written as text (with spaces around, at times)
CELLS = st.one_of(
    st.sampled_from(_SAMPLES),
    st.text(max_size=6),
    st.integers(-10**20, 10**20).map(str),
    st.integers(0, 10**6).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.tuples(st.sampled_from(["", " ", "\t"]), st.integers(0, 999).map(str),
              st.sampled_from(["", " ", "\xa0"])).map("".join),
    st.builds(lambda whole, places: str(Decimal(whole).scaleb(-places)),
              st.integers(0, 10**12), st.integers(0, 18)),
)


def _same_value(metric: Metric, got: Value, want: Value) -> bool:
    """Whether a value read is coerce's: equal, of the metric's type (an amount may be
    an int or a float, 3 for 3.0: they are equal as numbers; and a float is the decimal
    it is written as, which the engine sums exactly: rules.exact_decimal)."""
    match metric.type:
        case MetricType.COUNT:
            return type(got) is int and got == want
        case MetricType.AMOUNT:  # a float is the decimal it is written as (its repr)
            return (type(got) in (int, float) and isinstance(want, int | float)
                    and exact_decimal(got) == exact_decimal(want))
        case MetricType.FLAG:
            return type(got) is bool and got is want
        case MetricType.CATEGORY:
            return got == want and (got is None or type(got) is str)


def _check(metric: Metric, cells: Sequence[str], read: CellsRead) -> None:
    """``read`` is what coerce gives, cell by cell."""
    present, values, problems = [], {}, []
    for cell, text in enumerate(cells):
        present.append(bool(text.strip()))
        try:
            values[cell] = coerce(metric, text)
        except ValueError as error:
            problems.append((cell, str(error)))
    assert len(read.column.data) == len(cells)
    assert read.present.tolist() == present
    assert list(read.problems) == problems
    wrong = {cell: (read.column.value(cell), want) for cell, want in values.items()
             if not _same_value(metric, read.column.value(cell), want)}
    assert not wrong, f"cells whose value (read, coerce's) differ: {wrong}"


def _forms(cells: list[str], split: int) -> dict[str, pa.Array | pa.ChunkedArray | list[str]]:
    """``cells`` as each reader's caller gives them."""
    return {
        "array": pa.array(cells, pa.string()),
        "chunks": pa.chunked_array([pa.array(cells[:split], pa.string()),
                                    pa.array(cells[split:], pa.string())], pa.string()),
        "list": list(cells),
    }


@pytest.mark.parametrize("metric", METRICS, ids=[metric.type.value for metric in METRICS])
@given(cells=st.lists(CELLS, max_size=30), split=st.integers(0, 30))
def test_read_cells_reads_each_cell_as_coerce(metric: Metric, cells: list[str],
                                              split: int) -> None:
    """For any cells, as a pyarrow string array (one chunk or two) or a Python list,
    read_cells gives present = the cell is not blank after str.strip, the value coerce
    gives for each cell it does not refuse, and (cell, coerce's message) for each cell
    it refuses, in order."""
    for form in _forms(cells, min(split, len(cells))).values():
        _check(metric, cells, read_cells(metric, form))


#: a count written plainly: digits only, leading zeros at times
_PLAIN = st.integers(0, 10**12).map(str) | st.integers(0, 999).map(lambda n: f"{n:06d}")


# (not shrunk: a list of 65 cells and more shrinks for minutes, and a failure here shows
# on short lists too, which the test above shrinks)
@pytest.mark.parametrize("metric", METRICS, ids=[metric.type.value for metric in METRICS])
@settings(phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(plain=st.lists(_PLAIN, min_size=65, max_size=90, unique=True),
       others=st.lists(st.tuples(st.integers(0, 90), CELLS), max_size=10),
       big=st.booleans(), split=st.integers(0, 110))
def test_read_cells_reads_many_distinct_cells_as_coerce(
        metric: Metric, plain: list[str], others: list[tuple[int, str]], big: bool,
        split: int) -> None:
    """As above, for columns of more than 64 distinct texts, most of them plainly
    written numbers (another way through read_cells: the plain ones read at once, the
    others by coerce), some of them large (a sum of them would not fit in 64 bits)."""
    cells = [*plain, *plain[:5]]
    if big:
        cells += ["4611686018427387903", "999999999999999999"]
    for at, cell in others:
        cells.insert(at, cell)
    for form in _forms(cells, min(split, len(cells))).values():
        _check(metric, cells, read_cells(metric, form))


# --- the smallest cells on which read_cells and coerce were found to differ ----------

_AMOUNT = METRICS[1]


@pytest.mark.parametrize("text", [
    # 2**53 + 1 written with ".0": coerce gives the float 9007199254740992.0; read_cells
    # of a pyarrow array gives the int 9007199254740993 (of a list, 9007199254740992)
    "9007199254740993.0",
    # coerce gives the float 1.801439850948199e+16, whose value is 18014398509481992;
    # read_cells gives the int 18014398509481990 (the decimal of the float's repr), from
    # an array and from a list
    "18014398509481990.0",
])
@pytest.mark.parametrize("form", ["array", "chunks", "list"])
def test_smallest_cells_found_read_as_coerce(text: str, form: str) -> None:
    """As for any cells (the first test), on the smallest cells found to fail: whole
    amounts above 2**53 written with a decimal point."""
    _check(_AMOUNT, [text], read_cells(_AMOUNT, _forms([text], 1)[form]))
