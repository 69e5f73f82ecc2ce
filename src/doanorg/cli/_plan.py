"""``doanorg plan ...``: commands about a plan itself, before any facts are read.

``doanorg plan lint PLAN [--org ORG]`` finds the targets of a plan that
contradict each other or can never apply (SPEC §10; :func:`doanorg.lint`):
one line per problem on stdout, naming the targets (``--lang vi|en``: the words
around them; each problem's sentence is the one its JSON holds), and exit status 1 when it
finds any, 0 when none, 2 on a bad file (one line per problem on stderr).
"""

from __future__ import annotations

import argparse
from typing import Any

from doanorg.cli._report import add_lang_option, add_schema_option
from doanorg.cli._safety import emit, say
from doanorg.core.lint import lint
from doanorg.io import load_org, load_plan, load_schema

__all__ = ["add_plan_commands", "run_plan"]

_FORMATS = ("text", "json", "md")


def add_plan_commands(commands: argparse._SubParsersAction[Any], builtin_plan: str
                      ) -> argparse._SubParsersAction[Any]:
    """Add the ``plan`` command, with its subcommand ``lint``, to the command line's;
    returns its subcommands, for others to join."""
    plan = commands.add_parser(
        "plan", help="commands about a plan itself (lint, show)",
        description="Commands about a plan itself, before any facts are read.")
    subcommands: argparse._SubParsersAction[Any] = plan.add_subparsers(
        dest="plan_command", required=True)
    check = subcommands.add_parser(
        "lint", help="find targets that contradict each other or can never apply",
        description="Find the targets of a plan that contradict each other or can never "
        "apply: floors above a total's at_most, a total out of reach of per-unit "
        "ceilings (these two with --org), kinds that never stand where directly_under "
        "asks, a ratio of a metric to itself, targets with the same rule, an aspirational "
        "target weaker than a mandatory one, a stretch not above at_least. Exit status 1 "
        "when any is found, 0 when none, 2 on a bad file.")
    check.add_argument("plan", metavar="PLAN",
                       help=f"plan TOML file, or the name of a built-in plan ({builtin_plan})")
    check.add_argument("--org", metavar="ORG.csv",
                       help="organisation CSV: floors and ceilings are added up over its units")
    add_schema_option(check)
    check.add_argument("--format", choices=_FORMATS, default="text",
                       help="text (default), json or md (Markdown)")
    add_lang_option(check)
    check.set_defaults(handler=run_plan)
    return subcommands


def run_plan(args: argparse.Namespace) -> int:
    """Run ``doanorg plan ...``; returns the exit status."""
    plan = load_plan(args.plan, schema=args.schema, allow_low_stretch=True)
    org = None
    if args.org is not None:
        org = load_org(args.org, schema=plan.schema if args.schema is None
                       else load_schema(args.schema))
        for warning in org.warnings:
            say(f"warning: {warning}")
    found = lint(plan, org)
    output = found.to_json() if args.format == "json" else {
        "md": found.to_markdown, "text": found.to_text}[args.format](args.lang)
    emit(output)
    return 1 if found else 0
