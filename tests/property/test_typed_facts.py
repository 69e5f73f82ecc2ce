"""Law of the quick reading of wide files: it reads exactly what coerce reads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg._typed_facts import typed_column, typed_column_of_values
from doanorg.facts import Metric, MetricType, Value, coerce

METRICS = [
    Metric("n", MetricType.COUNT),
    Metric("a", MetricType.AMOUNT),
    Metric("f", MetricType.FLAG),
    Metric("r", MetricType.CATEGORY, values=("xuat_sac", "tot", "hoan_thanh")),
]
CELLS = st.one_of(
    st.sampled_from(["", " ", "0", "3", " 12 ", "+4", "-1", "3.0", "2.5", "0.10", ".5",
                     "1e3", "nan", "inf", "có", "CÓ", "Không", "true", "no", "1", "xuat_sac",
                     "tot ", "co\u0301", "abc", "26200", "0.001"]),
    st.integers(0, 10**6).map(str),
    st.decimals(0, 1000, places=3, allow_nan=False).map(str),
    st.text(max_size=4),
)


def _coerced(metric: Metric, cells: list[str]) -> list[Value] | None:
    values: list[Value] = []
    for cell in cells:
        if not cell.strip():
            values.append(None)
            continue
        try:
            values.append(coerce(metric, cell))
        except ValueError:
            return None
    return values


@given(st.sampled_from(METRICS), st.lists(CELLS, max_size=12))
def test_the_quick_reading_agrees_with_coerce(metric: Metric, cells: list[str]) -> None:
    """For any column of cells, typed_column either declines (None: the column is then
    read value by value) or gives, row by row, the value coerce gives (an empty cell
    being no value); and it never accepts a column that coerce refuses."""
    quick = typed_column(metric, cells)
    slow = _coerced(metric, cells)
    if quick is None:
        return
    assert slow is not None
    expected = typed_column_of_values(metric, slow)
    assert quick.present.tolist() == expected.present.tolist()
    for row, present in enumerate(expected.present):
        if present:
            assert quick.column.value(row) == expected.column.value(row)
