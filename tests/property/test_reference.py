"""The engine against a plain reading of the SPEC (tests/reference.py), at every unit."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given

from doanorg import rollup
from doanorg.testing.strategies import Case, cases, schemas
from reference import reference_report


def _close(first: Any, second: Any) -> bool:
    """Equal, numbers (not flags) up to float rounding."""
    numbers = [isinstance(value, int | float) and not isinstance(value, bool)
               for value in (first, second)]
    if all(numbers):
        return math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-9)
    return not any(numbers) and type(first) is type(second) and first == second


@given(cases(schemas(), min_targets=4, max_targets=12))
def test_engine_agrees_with_the_spec_at_every_unit(case: Case) -> None:
    """At every unit S, the report of the plan assessed at S is the one SPEC §4–5 gives,
    computed naively over S's subtree (tests/reference.py): statuses, observed (up to
    float rounding), required, required_max, stretch_met, selected/passing, failing
    units in tree order with value and shortfall, not_reported, summary, compliant.

    Each field is asserted on its own line, so that Hypothesis reports each kind of
    disagreement as a separate failure.
    """
    assessment = rollup(case.org, case.facts, case.plan)
    for unit in case.org:
        actual = assessment.report(unit.id).to_dict()
        expected = reference_report(case.org, case.facts, case.plan, unit.id)
        assert actual["plan"] == expected["plan"]
        assert actual["at"] == expected["at"]
        assert actual["not_reported"] == expected["not_reported"], unit.id
        assert [t["id"] for t in actual["targets"]] == [t["id"] for t in expected["targets"]]
        for got, want in zip(actual["targets"], expected["targets"], strict=True):
            where = (unit.id, want["id"], want["type"])
            assert got["type"] == want["type"], where
            assert got["aspirational"] == want["aspirational"], where
            assert got["status"] == want["status"], (where, got, want)
            assert _close(got["observed"], want["observed"]), (where, got, want)
            assert got["required"] == want["required"], (where, got, want)
            assert got.get("required_max") == want.get("required_max"), (where, got, want)
            assert got["stretch_met"] == want["stretch_met"], (where, got, want)
            assert got["units"] == want["units"], (where, got, want)
            assert [f["unit"] for f in got["failing"]] == [f["unit"] for f in want["failing"]], (
                where, got, want)
            for one, other in zip(got["failing"], want["failing"], strict=True):
                assert _close(one["value"], other["value"]), (where, one, other)
                assert _close(one["shortfall"], other["shortfall"]), (where, one, other)
            assert got.keys() == want.keys(), (where, got, want)
        assert actual["summary"] == expected["summary"], unit.id
        assert actual["compliant"] == expected["compliant"], unit.id
