"""Laws of plans: a plan survives its own mapping; strategies' mappings are valid plans."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Schema
from doanorg.core.rules import plan_from_mapping
from doanorg.testing.strategies import plan_mappings, schemas


@given(st.data())
def test_a_plan_survives_its_mapping(data: st.DataObject) -> None:
    """plan_from_mapping(plan.to_mapping(), schema) == plan, for a plan built from any
    mapping the strategies give, and the mapping it gives back builds the same plan."""
    schema: Schema = data.draw(schemas(), label="schema")
    mapping: dict[str, Any] = data.draw(plan_mappings(schema), label="mapping")
    plan = plan_from_mapping(mapping, schema)
    assert plan_from_mapping(plan.to_mapping(), schema) == plan
    assert [target.id for target in plan.targets] == [t["id"] for t in mapping["targets"]]
