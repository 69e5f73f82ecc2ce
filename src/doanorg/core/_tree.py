"""The tree of units with each unit's verdict (``--format tree``, SPEC §9).

One line a unit, in tree order, drawn as a tree: the unit's mark (``✓`` when the
plan assessed at it is compliant, ``✗`` when not), its id and name, and its
verdict in words with the mandatory targets it does not meet. A unit that did
not report at all is marked so. The words are the catalogue's
(:mod:`doanorg.core._catalogue`), in the language asked for.

Part of the core: it reads the rows of :meth:`doanorg.Report.unit_statuses`
through the protocol :class:`UnitRow`, and imports only the catalogue.

>>> class Row:
...     def __init__(self, unit, depth, not_met=()):
...         self.unit, self.name, self.kind, self.depth = unit, "", "chi_doan", depth
...         self.not_met, self.aspirational_not_met, self.reported = not_met, (), True
...         self.compliant = not not_met
>>> print(render_tree([Row("k", 0, ("3b",)), Row("a", 1), Row("b", 1, ("3b",)),
...                    Row("b1", 2, ("3b",))], "en"), end="")
✗ k — not compliant: 1 mandatory target(s) not met: 3b
├── ✓ a — compliant
└── ✗ b — not compliant: 1 mandatory target(s) not met: 3b
    └── ✗ b1 — not compliant: 1 mandatory target(s) not met: 3b
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from doanorg.core._catalogue import DEFAULT_LANG, Catalogue, catalogue

__all__ = ["UnitRow", "render_tree", "unit_verdict"]


class UnitRow(Protocol):
    """What the tree reads of a unit (:class:`doanorg.core.report.UnitStatus`)."""

    @property
    def unit(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def depth(self) -> int: ...
    @property
    def not_met(self) -> tuple[str, ...]: ...
    @property
    def reported(self) -> bool: ...
    @property
    def compliant(self) -> bool: ...


def unit_verdict(row: UnitRow, words: Catalogue) -> str:
    """A unit's verdict in words: compliant, or how many and which mandatory targets it
    does not meet (``chưa đạt: 2 chỉ tiêu bắt buộc không đạt: 3b, 12``)."""
    if row.compliant:
        return words["unit_compliant"]
    return (words.say("unit_not_compliant", count=len(row.not_met)) + ": "
            + ", ".join(row.not_met))


def _is_last(rows: Sequence[UnitRow]) -> list[bool]:
    """For each row, whether no later sibling follows it (read from the depths, in one
    pass from the end)."""
    last, seen_at = [True] * len(rows), [False] * (max((row.depth for row in rows),
                                                       default=0) + 2)
    for index in range(len(rows) - 1, -1, -1):
        depth = rows[index].depth
        last[index] = not seen_at[depth]
        seen_at[depth] = True
        for deeper in range(depth + 1, len(seen_at)):  # a new parent: its children's reset
            seen_at[deeper] = False
    return last


def render_tree(rows: Sequence[UnitRow], lang: str = DEFAULT_LANG) -> str:
    """The units drawn as a tree, each with its mark and verdict, in ``lang``."""
    words = catalogue(lang)
    lines: list[str] = []
    open_levels: list[bool] = []  # for each level above, whether more siblings follow
    for row, last in zip(rows, _is_last(rows), strict=True):
        del open_levels[max(row.depth - 1, 0):]
        prefix = "".join("│   " if more else "    " for more in open_levels)
        if row.depth:
            prefix += "└── " if last else "├── "
            open_levels.append(not last)
        name = f" {row.name}" if row.name else ""
        silent = "" if row.reported else f" ({words['not_reported']})"
        mark = "✓" if row.compliant else "✗"
        lines.append(f"{prefix}{mark} {row.unit}{name}{silent} — {unit_verdict(row, words)}")
    return "".join(line + "\n" for line in lines)
