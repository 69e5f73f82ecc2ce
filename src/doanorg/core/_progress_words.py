"""The words people read about targets handed down and the year in progress.

One small table, so that the words can move to a language catalogue: every
user-facing word that :mod:`doanorg.core.allocation`, :mod:`doanorg.core.pacing`
and their rendering show is looked up here by its key, never written in place.

>>> WORDS["on_track"], WORDS["at_risk"]
('on track', 'AT RISK')
"""

from __future__ import annotations

__all__ = ["WORDS"]

WORDS: dict[str, str] = {
    # allocation (giao chỉ tiêu)
    "allocated": "allocated",
    "part": "this unit's part",
    # pacing (sơ kết)
    "pace": "pace",
    "as_of": "As of {as_of}: {elapsed} of the period {start} – {end} elapsed",
    "expected": "expected {expected} by {as_of}",
    "projected": "projected {projected}",
    "on_track": "on track",
    "at_risk": "AT RISK",
    "met": "met",
    "not_met": "NOT MET",
    "no_pace": "—",
}
"""Each word by its key; ``{...}`` fields are filled in by the code that shows them."""
