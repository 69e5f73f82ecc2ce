"""The command line (SPEC §6, §8): a thin shell over the library.

Layers, lowest first: errors → core → whatif → io → testing → cli. A module
may import its own layer and the layers below it.

The command line is the top layer: it may import every other one and the
top-level names of :mod:`doanorg` (it uses errors, io, whatif and the
version), and nothing imports it but ``python -m doanorg``
(``doanorg/__main__.py``). The ``doanorg`` command runs :func:`main`.

``doanorg demo`` assesses the built-in example Khối against the built-in
2020 plan; ``doanorg check`` assesses the user's own files; ``doanorg score``
(and ``demo --score``) scores and grades units by the plan's rubric
(:mod:`doanorg.cli._score`); ``doanorg
whatif`` compares them with a scenario of edits; ``doanorg gap`` lists the
least extra effort that meets the plan; ``doanorg plan lint`` finds a plan's
contradictions (:mod:`doanorg.cli._plan`). Exit status: 0 compliant (for
``gap``: the effort meets every target worked on), 1 not compliant (for
``gap``: some target no effort can meet), 2 bad input or usage, with one
line per problem on stderr (file, line, unit or target, what is wrong), no
traceback and nothing on stdout; 130 when interrupted (Ctrl-C). Warnings go to
stderr and change nothing. An output that cannot be written (stdout closed or
full) is bad output: exit 2 with one line, as :mod:`doanorg.cli._safety` says.

Every name and value given as an argument (``--at``, the units, metrics and
values of the edits) is read in the normal form the files are read in (trimmed,
NFC). Files are written whole or not at all, and never over an input
(:mod:`doanorg.io._atomic`): ``gap --apply`` puts its file in place only once its
report is written, ``demo --export`` writes its three files all or none.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import shutil
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from doanorg import __version__
from doanorg.cli._files import _refuse_inputs, _refuse_taken, _write
from doanorg.cli._plan import add_plan_commands
from doanorg.cli._plan_show import add_plan_show
from doanorg.cli._report import (
    add_lang_option,
    add_report_options,
    add_schema_option,
    check_report_options,
    report_output,
)
from doanorg.cli._safety import EXIT_BAD_INPUT, emit, end, guarded, say
from doanorg.cli._score import SCORE_FORMATS, run_score
from doanorg.cli._template import add_template
from doanorg.core._json import json_text
from doanorg.core._texts import normalise
from doanorg.errors import DoanorgError, Problem
from doanorg.io import (
    REPORT_FORMATS,
    builtin_plan_file,
    example_file,
    load_facts,
    load_org,
    load_plan,
    load_scenario,
    load_schema,
    save_facts,
    save_report,
)
from doanorg.io._atomic import staged
from doanorg.io._csv import rewrite_csv
from doanorg.io._toml import normalised_data
from doanorg.whatif.compare import compare
from doanorg.whatif.gap import find_gap
from doanorg.whatif.scenario import AddFact, ChangeTarget, Edit, MoveUnit, Scenario, SetFact

__all__ = ["main", "run"]

EXIT_COMPLIANT, EXIT_NOT_COMPLIANT = 0, 1
FORMATS = ("text", "json", "md")
DEMO_PLAN = "doan-khoi-2020"
_T = TypeVar("_T")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line and a hint, as bad input does."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"doanorg: error: {message} (see '{self.prog} --help')\n")

    def _print_message(self, message: str, file: object = None) -> None:
        """--help and --version to stdout as every output (a fault there is one line, exit
        2), usage errors to stderr as every message."""
        if not message:
            return
        if file is None or file is sys.stdout:
            emit(message)
        else:
            for line in message.splitlines():
                say(line)


class _Edits(argparse.Action):
    """Collects --set/--add/--move/--target/--scenario in command-line order."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        edits = list(getattr(namespace, self.dest) or [])
        edits.append((option_string, values))
        setattr(namespace, self.dest, edits)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="doanorg", description="Check an organisation's yearly targets "
                     "(chỉ tiêu) at any unit of its tree, try what-if scenarios, and find "
                     "the least extra effort that meets them.")
    parser.add_argument("--version", action="version", version=f"doanorg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def output_options(command: argparse.ArgumentParser, *,
                       report: tuple[str, ...] = ()) -> None:
        command.add_argument("--at", metavar="UNIT",
                             help="assess the subtree of this unit (default: the root)")
        if report:  # the formats of a file or a print, and the languages (SPEC §9, §11)
            add_report_options(command, formats=report)
        else:
            command.add_argument("--format", choices=FORMATS, default="text",
                                 help="text (default), json or md (Markdown)")
            add_lang_option(command)

    def input_options(command: argparse.ArgumentParser, *,
                      report: tuple[str, ...] = ()) -> None:
        command.add_argument("--org", required=True, metavar="ORG.csv", help="organisation CSV")
        command.add_argument("--facts", required=True, metavar="FACTS.csv",
                             help="facts CSV, long or wide form")
        command.add_argument("--plan", required=True, metavar="PLAN.toml",
                             help=f"plan TOML file, or the name of a built-in plan ({DEMO_PLAN})")
        command.add_argument("--period", metavar="P",
                             help="the period to read when the facts file holds several")
        add_schema_option(command)
        command.add_argument("--ignore-unknown-metrics", action="store_true",
                             help="leave out facts of metrics the plan does not declare, "
                             "with a warning for each, instead of refusing them")
        output_options(command, report=report)

    def as_of_option(command: argparse.ArgumentParser) -> None:
        command.add_argument("--as-of", metavar="DATE", type=_date,
                             help="pace each target by this date (YYYY-MM-DD, inside the "
                             "plan's period): what it should be by then, and where it heads")

    demo = commands.add_parser(
        "demo", help="assess the built-in 2020 example Khối",
        description="Assess the built-in example Khối against the built-in plan "
        f"{DEMO_PLAN!r}, or write its files out as templates with --export.")
    output_options(demo, report=REPORT_FORMATS)
    demo.add_argument("--score", action="store_true",
                      help="score and grade the example's đoàn cơ sở by the plan's rubric")
    demo.add_argument("--export", metavar="DIR", type=Path,
                      help="write the example's org.csv, facts.csv, facts-mid-year.csv and "
                      "plan into DIR (never overwriting a file) instead of assessing")

    check = commands.add_parser(
        "check", help="assess your own organisation, facts and plan",
        description="Assess a plan over an organisation with its facts.")
    input_options(check, report=REPORT_FORMATS)
    as_of_option(check)

    score = commands.add_parser(
        "score", help="score, grade and rank the units by the plan's rubric",
        description="Score the scored units of a subtree by the plan's [scoring] rubric: "
        "points per target, grade, rank overall and in the peer group, self-grade beside.")
    input_options(score, report=SCORE_FORMATS)

    whatif = commands.add_parser(
        "whatif", help="compare the plan's results with a scenario of edits",
        description="Apply edits to the facts, the tree or the targets and show what flips.")
    input_options(whatif)
    as_of_option(whatif)
    edits = whatif.add_argument_group("edits, applied in the order given (at least one)")
    edits.add_argument("--set", action=_Edits, dest="edits", metavar="UNIT.METRIC=VALUE",
                       help="set a unit's own value (an empty VALUE removes it)")
    edits.add_argument("--add", action=_Edits, dest="edits", metavar="UNIT.METRIC=AMOUNT",
                       help="add to a unit's own count or amount")
    edits.add_argument("--move", action=_Edits, dest="edits", metavar="UNIT=NEW_PARENT",
                       help="move a unit, with its subtree, under a new parent")
    edits.add_argument("--target", action=_Edits, dest="edits", metavar="ID.KEY=VALUE",
                       help="change a target: at_least, at_most, equals, not_equals, in, "
                       "share, stretch, aspirational (VALUE in TOML: 3, 0.8, true, \"x\")")
    edits.add_argument("--scenario", action=_Edits, dest="edits", metavar="EDITS.toml",
                       help="apply the edits of a scenario file ([[edits]] tables)")

    gap = commands.add_parser(
        "gap", help="the least extra effort that makes the plan met",
        description="List, unit by unit, the least extra effort that makes every mandatory "
        "target met at the assessed unit.")
    input_options(gap)
    gap.add_argument("--include-aspirational", action="store_true",
                     help="work on the aspirational targets too")
    gap.add_argument("--apply", metavar="OUT.csv", type=Path,
                     help="write the facts with the effort added, in long form "
                     "(never over a file that exists, unless --force)")
    gap.add_argument("--force", action="store_true",
                     help="with --apply: replace OUT.csv if it exists (never an input file)")
    add_template(commands)
    add_plan_show(add_plan_commands(commands, DEMO_PLAN))
    return parser


def _date(text: str) -> datetime.date:
    """A --as-of date, written YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _dump(data: object) -> str:
    return json_text(data)


def _warn(warnings: Iterable[Problem]) -> None:
    for warning in warnings:
        say(f"warning: {warning}")


def _baseline(args: argparse.Namespace) -> Scenario:
    """Load the org, facts and plan named on the command line (demo: the built-ins)."""
    if args.command == "demo":
        org_path, facts_path, plan_source = (example_file("org.csv"),
                                             example_file("facts.csv"), DEMO_PLAN)
        period = schema = None
    else:
        org_path, facts_path, plan_source = args.org, args.facts, args.plan
        period, schema = args.period, args.schema
    plan = load_plan(plan_source, schema=schema)
    org = load_org(org_path, schema=plan.schema if schema is None else load_schema(schema))
    facts = load_facts(facts_path, org=org, period=period, plan=plan,
                       ignore_unknown_metrics=getattr(args, "ignore_unknown_metrics", False))
    _warn((*org.warnings, *facts.warnings))
    return Scenario.baseline(org, facts, plan)


def _at(args: argparse.Namespace, base: Scenario, scenario: Scenario | None = None) -> str | None:
    """The --at unit, checked in the base and (whatif) the scenario: a unit missing from
    either is named as the option's one problem, saying which side lacks it."""
    if args.at is None:
        return None
    at = normalise(args.at)
    # without a scenario (check, gap, demo) only the base can lack the unit
    in_base, in_scenario = at in base.org, scenario is None or at in scenario.org
    if not in_base and (scenario is None or not in_scenario):
        raise DoanorgError(f"--at {at}: unit {at!r} is not in the organisation")
    if not in_base:
        raise DoanorgError(f"--at {at}: unit {at!r} is not in the organisation, only in the "
                           "scenario, whose edits add it; assess at a unit both have")
    if not in_scenario:
        raise DoanorgError(f"--at {at}: unit {at!r} is not in the scenario, whose edits remove "
                           "it or merge it away; assess at a unit both have")
    return at


def _out_file(args: argparse.Namespace) -> Path | None:
    """The ``--out`` file of ``check``, ``demo`` and ``score``, refused before any work
    when it is an input or taken (without ``--force``)."""
    out: Path | None = check_report_options(args)
    if out is not None:
        _refuse_inputs("--out", out, args)
        _refuse_taken("--out", out, force=args.force)
    return out


def _check(args: argparse.Namespace) -> int:
    out = _out_file(args)
    base = _baseline(args)
    report = base.report(_at(args, base), as_of=getattr(args, "as_of", None))
    _warn(report.warnings)
    if out is None:
        emit(report_output(report, args.format, args.lang))
    else:
        _write("--out", out, lambda path: save_report(report, path, format=args.format,
                                                      lang=args.lang), force=args.force)
        say(f"wrote {out}")
    return EXIT_COMPLIANT if report.compliant else EXIT_NOT_COMPLIANT


def _assignment(text: str, option: str, *, dotted: bool) -> tuple[str, str, str]:
    """``A.B=VALUE`` (dotted) or ``A=VALUE`` as (A, B, VALUE), A and B normalised (trimmed,
    NFC, as ids are); B is "" when not dotted."""
    left, found, value = text.partition("=")
    head, dot, tail = left.rpartition(".") if dotted else (left, "", "")
    if not found or not head or (dotted and not (dot and tail)):
        shape = "A.B=VALUE" if dotted else "A=B"
        raise DoanorgError(f"{option} {text}: expected the shape {shape}")
    return normalise(head), normalise(tail), value


def _toml_value(text: str) -> Any:
    """A --target value read as TOML (3, 0.8, true, "x", [1, 2]); bare words stay text.
    Texts are NFC, as in a TOML file."""
    try:
        return normalised_data(tomllib.loads(f"value = {text}")["value"])
    except tomllib.TOMLDecodeError:
        return normalise(text)


def _edit(option: str, value: str) -> Edit | Path:
    if option == "--scenario":
        return Path(value)
    if option == "--move":
        unit, _, parent = _assignment(value, option, dotted=False)
        if not parent.strip():
            raise DoanorgError(f"--move {value}: expected the shape UNIT=NEW_PARENT")
        return MoveUnit(unit, normalise(parent))
    first, second, raw = _assignment(value, option, dotted=True)
    if option == "--set":
        return SetFact(first, second, normalise(raw) or None)
    if option == "--add":
        amount = _toml_value(raw)
        if not isinstance(amount, int | float) or isinstance(amount, bool):
            raise DoanorgError(f"--add {value}: {raw!r} is not a number")
        return AddFact(first, second, amount)
    return ChangeTarget(first, {second: _toml_value(raw)})


def _whatif(args: argparse.Namespace) -> int:
    if not args.edits:
        raise DoanorgError("whatif needs at least one edit: --set, --add, --move, --target "
                           "or --scenario")
    edits = [_edit(option, value) for option, value in args.edits]
    base = _baseline(args)
    scenario = base.apply(name="scenario")
    for edit in edits:  # a scenario file may name the scenario
        scenario = (load_scenario(edit, scenario) if isinstance(edit, Path)
                    else scenario.apply(edit))
    comparison = compare(base, scenario, at=_at(args, base, scenario), as_of=args.as_of)
    _warn(comparison.scenario.warnings)
    if args.format == "json":
        output = _dump(comparison.to_dict())
    elif args.format == "md":
        output = (comparison.to_markdown(args.lang) + "\n"
                  + comparison.scenario.to_markdown(args.lang))
    else:
        output = comparison.to_text(args.lang) + "\n" + comparison.scenario.to_text(args.lang)
    emit(output)
    return EXIT_COMPLIANT if comparison.scenario.compliant else EXIT_NOT_COMPLIANT


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _gap(args: argparse.Namespace) -> int:
    out: Path | None = args.apply
    if out is None and args.force:
        raise DoanorgError("--force: only with --apply OUT.csv (it lets OUT.csv be replaced)")
    if out is not None:
        _refuse_inputs("--apply", out, args)
        _refuse_taken("--apply", out, force=args.force)
    base = _baseline(args)
    gap = find_gap(base, at=_at(args, base), include_aspirational=args.include_aspirational)
    _warn(base.assessment().warnings)
    output = _dump(gap.to_dict()) if args.format == "json" else {
        "md": gap.to_markdown, "text": gap.to_text}[args.format](args.lang)
    if out is None:
        emit(output)
        return EXIT_COMPLIANT if gap.met else EXIT_NOT_COMPLIANT
    made = gap.scenario
    rows = _write("--apply", out, lambda path: save_facts(
        made.facts, path, org=made.org, plan=made.plan), force=args.force,
        then=lambda: emit(output))
    changed = len({step.unit for step in gap.steps})
    say(f"wrote {out}: {_plural(rows, 'row')} of facts in long form, with "
        f"{_plural(len(gap.steps), 'value')} changed in {_plural(changed, 'unit')}")
    return EXIT_COMPLIANT if gap.met else EXIT_NOT_COMPLIANT


def _export(directory: Path) -> int:
    sources = {
        "org.csv": example_file("org.csv"),
        "facts.csv": example_file("facts.csv"),
        "facts-mid-year.csv": example_file("facts-mid-year.csv"),
        f"{DEMO_PLAN}.toml": builtin_plan_file(DEMO_PLAN),
    }
    targets = [directory / name for name in sources]
    # lexists: a symbolic link that points nowhere is a name taken too, and writing
    # through it would make a file elsewhere
    existing = [path for path in targets if os.path.lexists(path)]
    if existing:
        raise DoanorgError([Problem(f"{path}: the file exists; doanorg never overwrites it")
                            for path in existing])
    made, made_all = _missing_folders(directory), False
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # all or none: each written beside its name, then every one put in place (never
        # over a file or link made meanwhile), once the list of them is out
        with staged(targets, replace=False) as temporaries:
            for temporary, source in zip(temporaries, sources.values(), strict=True):
                if source.suffix == ".csv":  # (through the one CSV writer: formula-safe)
                    with temporary.open("w", encoding="utf-8", newline="") as text:
                        rewrite_csv(source, text)
                else:
                    shutil.copyfile(source, temporary)
            emit("".join(f"{path}\n" for path in targets))
        made_all = True
    except FileExistsError as error:
        raise DoanorgError(f"{error.filename}: the file exists; doanorg never overwrites "
                           "it") from None
    except OSError as error:
        raise DoanorgError(f"{directory}: cannot write: {error.strerror or error}") from None
    finally:
        if not made_all:  # nothing left behind, not even the folders made for the files
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()
    return EXIT_COMPLIANT


def _missing_folders(directory: Path) -> list[Path]:
    """The folders of ``directory``'s path that do not exist yet, outermost first."""
    missing = []
    for folder in (directory, *directory.parents):
        if os.path.lexists(folder):
            break
        missing.append(folder)
    return missing[::-1]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    return guarded(lambda: _run(argv))


def run() -> NoReturn:
    """The ``doanorg`` command (and ``python -m doanorg``): :func:`main` on the process's
    arguments, then the process ends with its status at once
    (:func:`~doanorg.cli._safety.end`: the objects of a large assessment are not freed
    one by one on the way out). ``--help`` and usage errors end as argparse ends them."""
    end(main())


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is not None:
        return handler(args)
    if args.command == "demo" and args.export is not None:
        return _export(args.export)
    if args.command == "score" or (args.command == "demo" and args.score):
        out = _out_file(args)
        base = _baseline(args)
        return run_score(args, base.assessment(), _at(args, base), _warn, out)
    if args.command in ("demo", "check"):
        return _check(args)
    if args.command == "whatif":
        return _whatif(args)
    return _gap(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
