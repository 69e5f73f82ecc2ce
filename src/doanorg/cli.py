"""The command line (SPEC §6): a thin shell over the library.

``doanorg demo`` assesses the built-in example Khối against the built-in
2020 plan; ``doanorg check`` assesses the user's own files. Exit status: 0
compliant, 1 not compliant, 2 bad input or usage, with one line per problem
on stderr (file, line, unit or target, what is wrong), no traceback and
nothing on stdout. Warnings go to stderr and change nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from doanorg import __version__
from doanorg.engine import rollup
from doanorg.errors import DoanorgError, Problem
from doanorg.io import builtin_plan_file, example_file, load_facts, load_org, load_plan, load_schema
from doanorg.report import Report

__all__ = ["main"]

EXIT_COMPLIANT, EXIT_NOT_COMPLIANT, EXIT_BAD_INPUT = 0, 1, 2
FORMATS = ("text", "json", "md")
DEMO_PLAN = "doan-khoi-2020"


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line and a hint, as bad input does."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"doanorg: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="doanorg", description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--version", action="version", version=f"doanorg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def output_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--at", metavar="UNIT",
                             help="assess the subtree of this unit (default: the root)")
        command.add_argument("--format", choices=FORMATS, default="text",
                             help="text (default), json (SPEC §5) or md (Markdown)")

    demo = commands.add_parser(
        "demo", help="assess the built-in 2020 example Khối",
        description="Assess the built-in example Khối against the built-in plan "
        f"{DEMO_PLAN!r}, or write its files out as templates with --export.")
    output_options(demo)
    demo.add_argument("--export", metavar="DIR", type=Path,
                      help="write the example's org.csv, facts.csv and plan into DIR "
                      "(never overwriting a file) instead of assessing")

    check = commands.add_parser(
        "check", help="assess your own organisation, facts and plan",
        description="Assess a plan over an organisation with its facts.")
    check.add_argument("--org", required=True, metavar="ORG.csv", help="organisation CSV")
    check.add_argument("--facts", required=True, metavar="FACTS.csv",
                       help="facts CSV, long or wide form")
    check.add_argument("--plan", required=True, metavar="PLAN.toml",
                       help="plan TOML file, or the name of a built-in plan "
                       f"({DEMO_PLAN})")
    check.add_argument("--period", metavar="P",
                       help="the period to read when the facts file holds several")
    check.add_argument("--schema", metavar="SCHEMA",
                       help="schema TOML file or built-in schema name "
                       "(default: the one the plan names, else 'doan')")
    output_options(check)
    return parser


def _render(report: Report, output_format: str) -> str:
    if output_format == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if output_format == "md":
        return report.to_markdown()
    return report.to_text()


def _warn(warnings: Iterable[Problem]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _check(org_path: str | Path, facts_path: str | Path, plan_source: str | Path,
           *, at: str | None, period: str | None, schema: str | None,
           output_format: str) -> int:
    plan = load_plan(plan_source, schema=schema)
    org = load_org(org_path, schema=plan.schema if schema is None else load_schema(schema))
    facts = load_facts(facts_path, org=org, period=period, plan=plan)
    report = rollup(org, facts, plan).report(at)
    _warn((*org.warnings, *facts.warnings, *report.warnings))
    sys.stdout.write(_render(report, output_format))
    return EXIT_COMPLIANT if report.compliant else EXIT_NOT_COMPLIANT


def _export(directory: Path) -> int:
    sources = {
        "org.csv": example_file("org.csv"),
        "facts.csv": example_file("facts.csv"),
        f"{DEMO_PLAN}.toml": builtin_plan_file(DEMO_PLAN),
    }
    existing = [directory / name for name in sources if (directory / name).exists()]
    if existing:
        raise DoanorgError([Problem(f"{path}: the file exists; doanorg never overwrites it")
                            for path in existing])
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, source in sources.items():
            shutil.copyfile(source, directory / name)
    except OSError as error:
        raise DoanorgError(f"{directory}: cannot write: {error.strerror or error}") from None
    for name in sources:
        print(directory / name)
    return EXIT_COMPLIANT


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            if args.export is not None:
                return _export(args.export)
            return _check(example_file("org.csv"), example_file("facts.csv"), DEMO_PLAN,
                          at=args.at, period=None, schema=None, output_format=args.format)
        return _check(args.org, args.facts, args.plan, at=args.at, period=args.period,
                      schema=args.schema, output_format=args.format)
    except DoanorgError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
