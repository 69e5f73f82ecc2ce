"""``doanorg template``: the fill-in workbook of a subtree (SPEC §9).

``doanorg template --org ORG --plan PLAN [--at UNIT] --out FILE.xlsx`` writes
the workbook of :mod:`doanorg.io._template`: one row a unit of the subtree,
one column a metric of the plan, only the metric cells unlocked and each
column validated by its metric's type. It never writes over a file that
exists (``--force`` replaces one, never an input), and writes through a
temporary file in the same folder, renamed into place. Exit status 0, or 2
on bad input (and without the ``excel`` extra).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from doanorg.cli._files import _refuse_inputs, _refuse_taken, _write
from doanorg.cli._report import add_schema_option
from doanorg.cli._safety import say
from doanorg.errors import DoanorgError
from doanorg.io import load_org, load_plan, load_schema
from doanorg.io._template import write_template, xlsxwriter_module

__all__ = ["add_template"]


def add_template(commands: argparse._SubParsersAction[Any]) -> None:
    """Register ``template`` among the subcommands."""
    template = commands.add_parser(
        "template", help="write the fill-in workbook (.xlsx) of a subtree",
        description="Write an Excel workbook to fill in: one row per unit of the subtree, "
        "one column per metric of the plan, only the input cells unlocked, each column "
        "validated by its metric's type. Filled in, it is a facts file (--facts).")
    template.add_argument("--org", required=True, metavar="ORG",
                          help="organisation file (.csv or .xlsx)")
    template.add_argument("--plan", required=True, metavar="PLAN",
                          help="plan TOML file, or the name of a built-in plan")
    add_schema_option(template)
    template.add_argument("--at", metavar="UNIT",
                          help="the units of this unit's subtree (default: the root's)")
    template.add_argument("--out", required=True, metavar="FILE.xlsx", type=Path,
                          help="the workbook to write (never over a file that exists, "
                          "unless --force)")
    template.add_argument("--force", action="store_true",
                          help="replace FILE.xlsx if it exists (never an input file)")
    template.set_defaults(handler=run_template)


def run_template(args: argparse.Namespace) -> int:
    """Write the template the arguments ask for; the exit status."""
    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise DoanorgError(f"--out {out}: a template is an Excel workbook; name a .xlsx file")
    _refuse_inputs("--out", out, args)
    _refuse_taken("--out", out, force=args.force)
    xlsxwriter_module()  # (no extra: say so before reading anything)
    plan = load_plan(args.plan, schema=args.schema)
    org = load_org(args.org, schema=plan.schema if args.schema is None
                   else load_schema(args.schema))
    for warning in org.warnings:
        say(f"warning: {warning}")
    if args.at is not None and args.at not in org:
        raise DoanorgError(f"--at {args.at}: unit {args.at!r} is not in the organisation")
    rows = _write("--out", out, lambda path: write_template(org, plan, path, at=args.at),
                  force=args.force)
    say(f"wrote {out}: {rows:,} unit{'' if rows == 1 else 's'}, "
        f"{len(plan.metrics)} metric{'' if len(plan.metrics) == 1 else 's'} to fill in")
    return 0
