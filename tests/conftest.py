"""Shared fixtures and the Hypothesis profiles.

Profiles, chosen by the environment variable ``DOANORG_HYPOTHESIS_PROFILE``:
``ci`` (the default when ``CI`` is set): few examples, derandomised, so a CI
run is fast and repeatable; ``dev`` (the default otherwise): Hypothesis's
usual 100 examples; ``hunt``: many examples, for looking for bugs.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from doanorg import Assessment, Facts, Org, Plan, load_facts, load_org, load_plan, rollup
from doanorg.io import example_file

settings.register_profile(
    "ci", max_examples=60, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("hunt", max_examples=2_000, deadline=None)
settings.load_profile(
    os.environ.get("DOANORG_HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def plan() -> Plan:
    """The built-in 2020 plan."""
    return load_plan("doan-khoi-2020")


@pytest.fixture(scope="session")
def example_org() -> Org:
    """The built-in example Khối."""
    return load_org(example_file("org.csv"))


@pytest.fixture(scope="session")
def example_facts(example_org: Org, plan: Plan) -> Facts:
    """The built-in example's 2020 facts."""
    return load_facts(example_file("facts.csv"), org=example_org, plan=plan)


@pytest.fixture(scope="session")
def example(example_org: Org, example_facts: Facts, plan: Plan) -> Assessment:
    """The built-in example, rolled up once."""
    return rollup(example_org, example_facts, plan)
