"""Laws of data frames: an organisation survives its own frame, of every kind."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Org, load_org
from doanorg.testing.strategies import orgs


@given(orgs(), st.sampled_from(["pyarrow", "pandas", "polars"]))
def test_an_org_survives_its_frame(org: Org, backend: str) -> None:
    """load_org(org.to_frame(kind)) has the units, parents, kinds, names and attributes of
    org, in the same tree order, for every kind of frame."""
    again = load_org(org.to_frame(backend), schema=org.schema)
    assert again.rows() == org.rows()
