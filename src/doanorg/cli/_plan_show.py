"""``doanorg plan show NAME|FILE``: a plan as a table (SPEC §9).

One row a target, in the plan's order: its id, its text, its shape (each,
total or ratio, with what it selects or sums), its bounds (with the share of
units, and the stretch level) and whether it is aspirational. ``--lang vi``
(the default) heads the table and names the shapes in Vietnamese, ``--lang
en`` in English. Exit status 0, or 2 on a plan that is not valid (every
problem on stderr, as ``check`` gives them).

The plan's table is registered under the ``plan`` group of subcommands by
:func:`add_plan_show`.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from doanorg.core._render import bound
from doanorg.core.rules import EachTarget, Plan, RatioTarget, Target, TotalTarget
from doanorg.io import load_plan

__all__ = ["LANGUAGES", "add_plan_show", "plan_table", "run_plan_show"]

LANGUAGES = ("vi", "en")

_WORDS: Mapping[str, Mapping[str, str]] = {
    "vi": {"plan": "Kế hoạch", "targets": "chỉ tiêu", "id": "Mã", "text": "Nội dung",
           "shape": "Dạng", "bounds": "Mức", "aspirational": "Phấn đấu", "yes": "có",
           "no": "không", "each": "mỗi", "directly_under": "trực thuộc", "total": "tổng",
           "ratio": "tỷ số", "share": "tỷ lệ đạt", "stretch": "mức cao"},
    "en": {"plan": "Plan", "targets": "targets", "id": "Id", "text": "Text",
           "shape": "Shape", "bounds": "Bounds", "aspirational": "Aspirational", "yes": "yes",
           "no": "no", "each": "each", "directly_under": "directly under", "total": "total",
           "ratio": "ratio", "share": "share passing", "stretch": "stretch"},
}
"""The table's words, by language."""
_WRAPPED = {1: 48, 2: 36}
"""The columns wrapped (the text and the shape), and how wide."""


def add_plan_show(plans: argparse._SubParsersAction[Any]) -> None:
    """Register ``show`` in the ``plan`` group of subcommands."""
    show = plans.add_parser(
        "show", help="print a plan as a table",
        description="Print a plan's targets as a table: id, text, shape, bounds, "
        "aspirational.")
    show.add_argument("plan", metavar="NAME|FILE",
                      help="a plan TOML file, or the name of a built-in plan")
    show.add_argument("--schema", metavar="SCHEMA",
                      help="schema TOML file or built-in schema name "
                      "(default: the one the plan names, else 'doan')")
    show.add_argument("--lang", choices=LANGUAGES, default="vi",
                      help="the table's language: vi (default) or en")
    show.set_defaults(handler=run_plan_show)


def run_plan_show(args: argparse.Namespace) -> int:
    """Print the plan the arguments name; the exit status."""
    plan = load_plan(args.plan, schema=args.schema)
    sys.stdout.write(plan_table(plan, lang=args.lang))
    return 0


def _shape(target: Target, words: Mapping[str, str]) -> str:
    if isinstance(target, EachTarget):
        shape = f"{words['each']} {', '.join(target.each)}: {target.metric}"
        if target.directly_under is not None:
            shape += f" ({words['directly_under']} {', '.join(target.directly_under)})"
        return shape
    if isinstance(target, TotalTarget):
        return f"{words['total']} {target.metric}"
    assert isinstance(target, RatioTarget)
    return f"{words['ratio']} {target.numerator} / {target.denominator}"


def _bounds(target: Target, words: Mapping[str, str]) -> str:
    text = target.condition.describe(percent=isinstance(target, RatioTarget))
    if isinstance(target, EachTarget) and target.share != 1:
        text += f", {words['share']} ≥ {bound(target.share, percent=True)}"
    if target.stretch is not None:
        text += f" ({words['stretch']} {bound(target.stretch)})"
    return text


def plan_table(plan: Plan, *, lang: str = "vi") -> str:
    """The plan as a text table, one row a target (texts wrapped).

    >>> print(plan_table(load_plan("doan-khoi-2020"), lang="en"))  # doctest: +ELLIPSIS
    Plan doan-khoi-2020: Các chỉ tiêu cơ bản ... (24 targets)
    <BLANKLINE>
    Id   Text ... Shape ... Bounds ... Aspirational
    1    Mỗi cơ sở đoàn trực thuộc Khối ...
    """
    words = _WORDS[lang]
    heads = [words[key] for key in ("id", "text", "shape", "bounds", "aspirational")]
    rows = [[target.id, target.text or "", _shape(target, words), _bounds(target, words),
             words["yes"] if target.aspirational else words["no"]]
            for target in plan.targets]
    title = f"{words['plan']} {plan.id}" + (f": {plan.title}" if plan.title else "")
    lines = [f"{title} ({len(plan.targets)} {words['targets']})", ""]
    lines += _table(heads, rows)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _table(heads: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded to their widest cell; the text and the shape wrapped."""
    wrapped = [[textwrap.wrap(cell, _WRAPPED[index]) or [""] if index in _WRAPPED else [cell]
                for index, cell in enumerate(row)] for row in rows]
    widths = [max([len(heads[index])] + [len(part) for row in wrapped for part in row[index]])
              for index in range(len(heads))]
    lines = ["  ".join(head.ljust(width) for head, width in zip(heads, widths, strict=True))]
    for row in wrapped:
        for part in range(max(len(cell) for cell in row)):
            lines.append("  ".join(
                (cell[part] if part < len(cell) else "").ljust(width)
                for cell, width in zip(row, widths, strict=True)))
    return lines
