"""Laws of the plan files' JSON Schema (``plan.schema.json``): it and the plan loader
agree.

The schema says what an editor can check without the schema of kinds or the metrics'
types; the loader checks more. So: every plan the loader builds is valid under the
schema, and every mapping the schema refuses, the loader refuses too, with a message
naming the key the schema names. The schema's keys are the loader's keys, at every
level, so that a key added to one is added to the other.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from doanorg import MetricType, PlanError, Schema
from doanorg.core import rubric, rules
from doanorg.core.rules import plan_from_mapping
from doanorg.io import builtin_plan_file, builtin_schema, plan_schema_file
from doanorg.io._toml import read_toml
from doanorg.testing.strategies import plan_mappings, schemas

SCHEMA = json.loads(plan_schema_file().read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_a_valid_json_schema() -> None:
    """The schema passes its own metaschema (draft 2020-12)."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_names_the_keys_the_loader_takes() -> None:
    """The keys the schema allows at each level are exactly the loader's keys."""
    assert set(SCHEMA["properties"]) == set(rules._PLAN_KEYS)
    assert set(SCHEMA["$defs"]["metric"]["properties"]) == set(rules._METRIC_KEYS)
    assert set(SCHEMA["$defs"]["target"]["properties"]) == set(rules._TARGET_KEYS)
    scoring = SCHEMA["$defs"]["scoring"]
    assert set(scoring["properties"]) == set(rubric.SCORING_KEYS)
    assert set(scoring["properties"]["grades"]["items"]["properties"]) == set(rubric.GRADE_KEYS)
    assert set(scoring["properties"]["cap"]["properties"]) == set(rubric.CAP_KEYS)
    types = SCHEMA["$defs"]["metric"]["properties"]["type"]["enum"]
    assert types == [kind.value for kind in MetricType]


def test_the_built_in_plan_is_valid() -> None:
    """The built-in plan passes the schema."""
    data, _ = read_toml(builtin_plan_file("doan-khoi-2020"), PlanError)
    assert list(VALIDATOR.iter_errors(data)) == []


@given(st.data())
def test_every_plan_the_loader_builds_is_valid(data: st.DataObject) -> None:
    """A mapping the loader builds a plan from (any the strategies give, and the plan's
    own mapping) passes the schema."""
    schema: Schema = data.draw(schemas(), label="schema")
    mapping = data.draw(plan_mappings(schema), label="mapping")
    assert list(VALIDATOR.iter_errors(mapping)) == []
    assert list(VALIDATOR.iter_errors(plan_from_mapping(mapping, schema).to_mapping())) == []


def _mutations(mapping: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Ways to break a valid plan, each with the key it breaks."""
    made: list[tuple[str, dict[str, Any]]] = []

    def change(key: str, edit: Any) -> None:
        broken = copy.deepcopy(mapping)
        edit(broken)
        made.append((key, broken))

    change("titel", lambda plan: plan.update(titel="x"))
    change("id", lambda plan: plan.pop("id"))
    change("id", lambda plan: plan.update(id=3))
    change("targets", lambda plan: plan.update(targets=[]))
    change("title", lambda plan: plan.update(title=["x"]))
    metric = next(iter(mapping["metrics"]))
    change("typ", lambda plan: plan["metrics"][metric].update(typ="count"))
    change("type", lambda plan: plan["metrics"][metric].update(type="number"))
    change("label", lambda plan: plan["metrics"][metric].update(label=1))
    change("at_leest", lambda plan: plan["targets"][0].update(at_leest=1))
    change("aspirational", lambda plan: plan["targets"][0].update(aspirational="yes"))
    change("text", lambda plan: plan["targets"][0].update(text=2))
    change("each", lambda plan: plan["targets"][0].update(each=["khoi"], total=metric))
    change("condition", lambda plan: [plan["targets"][0].pop(key, None) for key in (
        "at_least", "at_most", "equals", "not_equals", "in")])
    change("share", lambda plan: plan["targets"][0].update(share=1.5)
           if "each" in plan["targets"][0] else plan["targets"][0].update(share=0.5))
    change("stretch", lambda plan: plan["targets"][0].update(stretch="2"))
    return made


@given(st.data())
def test_what_the_schema_refuses_the_loader_refuses(data: st.DataObject) -> None:
    """A valid plan broken one way (an unknown key, a value of the wrong type, a key
    missing, two shapes, no condition) is refused by the schema and by the loader, and
    the loader's message names the key (or, for the condition, says one is needed)."""
    schema: Schema = data.draw(schemas(), label="schema")
    mapping = data.draw(plan_mappings(schema), label="mapping")
    for key, broken in _mutations(mapping):
        assert list(VALIDATOR.iter_errors(broken)), key
        with pytest.raises(PlanError) as raised:
            plan_from_mapping(broken, schema)
        messages = " ".join(problem.message for problem in raised.value.problems)
        assert key in messages, (key, messages)


def test_a_plan_for_another_schema_is_valid_there_too() -> None:
    """The schema does not name kinds: a plan of the doan schema's kinds and one of
    another schema's both pass it (the loader checks kinds against the schema)."""
    data, _ = read_toml(builtin_plan_file("doan-khoi-2020"), PlanError)
    data["targets"][0]["each"] = ["kind_of_another_schema"]
    assert list(VALIDATOR.iter_errors(data)) == []
    with pytest.raises(PlanError, match="unknown kind"):
        plan_from_mapping(data, builtin_schema("doan"))
