"""Law of exact decimals: amounts add up as the decimals people wrote, as bounds compare."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Facts, assess
from doanorg.core.rules import plan_from_mapping
from doanorg.testing.strategies import orgs, schemas

_CENTS = st.integers(0, 100_000)


@given(st.data())
def test_a_total_of_decimal_amounts_is_the_exact_decimal_sum(data: st.DataObject) -> None:
    """Amounts written with two decimal places ("0.10", "1234.57") add up exactly: a
    total whose bounds are the exact decimal sum of the amounts (at_least = at_most =
    sum, or equals = sum) is met at the root, as 0.1 + 0.2 meets at_most = 0.3. The
    plan's bounds are exact decimals (0.7 is 7/10, SPEC §4 compares against them), so
    a sum must not drift by binary rounding across a bound it meets exactly."""
    schema = data.draw(schemas(), label="schema")
    org = data.draw(orgs(schema, max_units=30), label="org")
    cents = {unit.id: data.draw(_CENTS, label=unit.id) for unit in org}
    records: dict[str, dict[str, str | int | float | bool | None]] = {
        unit: {"kinh_phi": f"{amount // 100}.{amount % 100:02d}"}
        for unit, amount in cents.items()
    }
    exact = Fraction(sum(cents.values()), 100)
    bound = float(exact)
    assert Fraction(repr(bound)) == exact  # the bound, as written, is the sum itself
    plan = plan_from_mapping({
        "id": "kinh-phi",
        "metrics": {"kinh_phi": {"type": "amount", "label": "Kinh phí (triệu đồng)"}},
        "targets": [
            {"id": "range", "total": "kinh_phi", "at_least": bound, "at_most": bound},
            {"id": "equals", "total": "kinh_phi", "equals": bound},
            {"id": "whole", "ratio": ["kinh_phi", "kinh_phi"], "equals": 1},
        ],
    }, schema)
    report = assess(org, Facts.from_records(records), plan)
    statuses = {result.id: result.status for result in report.results}
    expected = {"range": "met", "equals": "met",
                "whole": "met" if exact else "not_applicable"}
    assert statuses == expected, (str(exact), report.result("range").observed)
