"""Laws of the persistent mappings behind the what-if: every version stays as it was made."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from doanorg import Facts
from doanorg.core._overlay import Overlay
from doanorg.core.facts import RawValue

_UPDATES = st.lists(st.dictionaries(st.integers(0, 40), st.integers(), max_size=12),
                    max_size=60)


@given(_UPDATES)
def test_every_version_of_an_overlay_is_the_dict_it_was_made_as(
    updates: list[dict[int, int]]
) -> None:
    """An overlay updated again and again equals, at every version, a dict updated the same
    way (values, keys in the order first set, length, lookups of absent keys); a version
    is never changed by the versions made from it."""
    versions: list[tuple[Overlay[int, int], dict[int, int]]] = [(Overlay(), {})]
    for entries in updates:
        overlay, expected = versions[-1]
        versions.append((overlay.updated(entries), {**expected, **entries}))
    for overlay, expected in versions:
        assert list(overlay.items()) == list(expected.items())
        assert len(overlay) == len(expected)
        assert all(overlay.get(key) == expected.get(key) and (key in overlay) == (key in expected)
                   for key in range(-1, 42))


_EDITS = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "new1", "new2"]),
                            st.sampled_from(["n", "m", "k"]),
                            st.none() | st.integers(0, 9) | st.just("text")),
                  max_size=80)


@given(_EDITS)
def test_facts_edited_value_by_value_are_the_facts_of_the_edited_records(
    edits: list[tuple[str, str, RawValue]]
) -> None:
    """Facts.with_value applied edit by edit (a value set, or removed with None) gives the
    facts made from the records edited the same way, with the edited units reported, at
    every step; the facts edited stay as they were."""
    records: dict[str, dict[str, RawValue]] = {"a": {"n": 1, "m": 2}, "b": {}, "c": {"k": 3}}
    versions = [(Facts.from_records(records), records)]
    for unit, metric, value in edits:
        facts, before = versions[-1]
        after = {name: dict(values) for name, values in before.items()}
        own = after.setdefault(unit, {})
        own.pop(metric, None)
        if value is not None:
            own[metric] = value
        versions.append((facts.with_value(unit, metric, value), after))
    for facts, expected in versions:
        assert facts == Facts.from_records(expected)
        assert list(facts.values) == list(expected)
        assert {unit: dict(values) for unit, values in facts.values.items()} == expected
        assert len(facts.reported) == len(expected) and set(facts.reported) == set(expected)
