"""``doanorg plan show NAME|FILE``: a plan as a table (SPEC §9).

One row a target, in the plan's order: its id, its text, its shape (each,
total or ratio, with what it selects or sums), its bounds (with the share of
units, and the stretch level) and whether it is aspirational. ``--lang vi``
(the default) heads the table and names the shapes in Vietnamese, ``--lang
en`` in English, and writes its bounds' numbers in the language's form (the
words are :mod:`doanorg.core._catalogue`'s). Exit status 0, or 2 on a plan that is
not valid (every problem on stderr, as ``check`` gives them).

The plan's table is registered under the ``plan`` group of subcommands by
:func:`add_plan_show`.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
from typing import Any

from doanorg.cli._report import add_lang_option, add_schema_option
from doanorg.cli._safety import emit
from doanorg.core._catalogue import DEFAULT_LANG, Catalogue, catalogue
from doanorg.core._render import bound, format_number
from doanorg.core.rules import EachTarget, Plan, RatioTarget, Target, TotalTarget
from doanorg.io import load_plan

__all__ = ["add_plan_show", "plan_table", "run_plan_show"]

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
    add_schema_option(show)
    add_lang_option(show)
    show.set_defaults(handler=run_plan_show)


def run_plan_show(args: argparse.Namespace) -> int:
    """Print the plan the arguments name; the exit status."""
    plan = load_plan(args.plan, schema=args.schema)
    emit(plan_table(plan, lang=args.lang))
    return 0


def _shape(target: Target, words: Catalogue) -> str:
    if isinstance(target, EachTarget):
        shape = f"{words['show.each']} {', '.join(target.each)}: {target.metric}"
        if target.directly_under is not None:
            shape += f" ({words['show.directly_under']} {', '.join(target.directly_under)})"
        return shape
    if isinstance(target, TotalTarget):
        return f"{words['show.total']} {target.metric}"
    assert isinstance(target, RatioTarget)
    return f"{words['show.ratio']} {target.numerator} / {target.denominator}"


def _bounds(target: Target, words: Catalogue) -> str:
    lang = words.lang
    text = target.condition.describe(percent=isinstance(target, RatioTarget), lang=lang)
    if isinstance(target, EachTarget) and target.share != 1:
        text += f", {words['show.share']} ≥ {bound(target.share, percent=True, lang=lang)}"
    if target.stretch is not None:
        text += f" ({words['show.stretch']} {bound(target.stretch, lang=lang)})"
    return text


def plan_table(plan: Plan, *, lang: str = DEFAULT_LANG) -> str:
    """The plan as a text table, one row a target (texts wrapped).

    >>> print(plan_table(load_plan("doan-khoi-2020"), lang="en"))  # doctest: +ELLIPSIS
    Plan doan-khoi-2020: Các chỉ tiêu cơ bản ... (24 targets)
    <BLANKLINE>
    Id   Text ... Shape ... Bounds ... Aspirational
    1    Mỗi cơ sở đoàn trực thuộc Khối ...
    """
    words = catalogue(lang)
    heads = [words[f"show.{key}"] for key in ("id", "text", "shape", "bounds", "aspirational")]
    rows = [[target.id, target.text or "", _shape(target, words), _bounds(target, words),
             words["show.yes" if target.aspirational else "show.no"]]
            for target in plan.targets]
    title = f"{words['plan']} {plan.id}" + (f": {plan.title}" if plan.title else "")
    count = words.say("show.targets", count=format_number(len(plan.targets), lang=lang))
    lines = [f"{title} ({count})", ""]
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
