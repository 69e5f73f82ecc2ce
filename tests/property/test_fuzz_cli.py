"""A fuzz test of the command line (SPEC §6, §8; issue 14).

Every case starts from the built-in example's files (a few of its top-level
branches, or now and then the whole of it), mutates them (bytes, lines, cells,
encodings, TOML keys and values) and draws the arguments of one subcommand
(``demo``, ``demo --export``, ``check``, ``whatif``, ``gap``), then runs
:func:`doanorg.cli.main` in this process. The invariant, for every case:

- exit 0 or 1 with output on stdout, or exit 2 with at least one message line
  on stderr and nothing on stdout;
- no exception but ``SystemExit`` leaves ``main``, and no traceback is printed;
- every input file is byte-identical afterwards, and no file is written but
  the ``--apply`` or ``--export`` target asked for (and only on success).

A case may also inject a fault (issue 15), and the invariant then holds with it:

- a full disk (a file-size limit, as ``ulimit -f``, of a drawn size): exit 2, or
  an output file byte for byte the one a run without the limit writes;
- a standard output closed, full (``/dev/full``) or ASCII-only: exit 2 with one
  line and no output file (or, ASCII-only, exit 0/1 with an ASCII output);
- Ctrl-C (SIGINT raised after a drawn number of lines run in doanorg's file and
  command-line code, or in :mod:`shutil`): exit 130 with the message
  ``error: interrupted`` last on stderr, and no output file but a whole one
  (the one a run without Ctrl-C writes; ``demo --export``: all three or none);

and a case may be run again with every name of its files and arguments in NFD
(decomposed): the exit status must be the same, and on exit 0/1 the output too.
In every case no temporary file is left.

The ``ci`` profile keeps this short and derandomised; ``hunt`` runs it long.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import resource
import signal
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from hypothesis import event, given, note, settings
from hypothesis import strategies as st

from doanorg.cli import main
from doanorg.cli._safety import guarded
from doanorg.io import builtin_plan_file, example_file

PLAN_NAME = "doan-khoi-2020"

# --- the example, cut into branches ----------------------------------------------------------


@dataclass(frozen=True)
class Example:
    org_header: str
    org_rows: tuple[str, ...]  # lines, without their newline
    facts_header: str
    facts_rows: tuple[str, ...]
    plan: str
    root: str
    branches: tuple[tuple[str, frozenset[str]], ...]  # (top-level unit, its subtree), ≤ 300 units
    metrics: tuple[str, ...]
    targets: tuple[str, ...]


@cache
def example() -> Example:
    org_lines = example_file("org.csv").read_text(encoding="utf-8").splitlines()
    facts_lines = example_file("facts.csv").read_text(encoding="utf-8").splitlines()
    plan = builtin_plan_file(PLAN_NAME).read_text(encoding="utf-8")
    records = list(csv.reader(org_lines[1:]))
    parent = {row[0]: row[1] for row in records}
    root = next(unit for unit, up in parent.items() if not up)
    children: dict[str, list[str]] = {}
    for unit, up in parent.items():
        children.setdefault(up, []).append(unit)

    def subtree(unit: str) -> frozenset[str]:
        found, stack = set(), [unit]
        while stack:
            top = stack.pop()
            found.add(top)
            stack.extend(children.get(top, ()))
        return frozenset(found)

    branches = tuple((unit, subtree(unit)) for unit in children[root])
    metrics = tuple(line.split(".", 1)[1].rstrip("]") for line in plan.splitlines()
                    if line.startswith("[metrics."))
    targets = tuple(line.split('"')[1] for line in plan.splitlines() if line.startswith("id = ")
                    and line != f'id = "{PLAN_NAME}"')
    return Example(org_lines[0], tuple(org_lines[1:]), facts_lines[0], tuple(facts_lines[1:]),
                   plan, root, tuple(b for b in branches if len(b[1]) <= 300), metrics, targets)


@st.composite
def base_files(draw: st.DrawFn) -> tuple[dict[str, str], list[str]]:
    """The texts of org.csv, facts.csv and plan.toml, and the units they hold."""
    ex = example()
    if draw(st.integers(0, 9)) == 0:
        event("base: whole example")
        units = [line.split(",", 1)[0] for line in ex.org_rows]
        return ({"org.csv": "\n".join((ex.org_header, *ex.org_rows)) + "\n",
                 "facts.csv": "\n".join((ex.facts_header, *ex.facts_rows)) + "\n",
                 "plan.toml": ex.plan}, units)
    picked = draw(st.lists(st.sampled_from(ex.branches), min_size=1, max_size=3,
                           unique_by=lambda b: b[0]))
    keep = {ex.root}.union(*(units for _, units in picked))
    event(f"base: {len(picked)} branch(es)")
    org = [line for line in ex.org_rows if line.split(",", 1)[0] in keep]
    facts = [line for line in ex.facts_rows if line.split(",", 1)[0] in keep]
    return ({"org.csv": "\n".join((ex.org_header, *org)) + "\n",
             "facts.csv": "\n".join((ex.facts_header, *facts)) + "\n",
             "plan.toml": ex.plan}, [line.split(",", 1)[0] for line in org])


# --- mutations ----------------------------------------------------------------------------------

ODD_NUMBERS = ["99999999999999999999", "-99999999999999999999", "1e400", "-1e400", "1e-400",
               "-0", "0", "-1", "nan", "NaN", "inf", "-inf", "Infinity", "26.200", "1.000",
               "1.234,5", "1,5", "3,000", "1 000", "٣", "１２", "0x10", "1_000", "+3", " 3 ",
               "3.0", "2.5", "1e3", "9" * 400, "", '"', '""', "có", "không", "true", "x"]
ODD_TEXT = ["", "\ufeff", "\x00", "\r", "\n", '"', "'", ",", "\\", "ñ", "Đ", "Đ", "\u0301",
            "xuat_sac", "khong_hoan_thanh", "tot", "true", "false", "có", "TRUE", "khoi",
            "h01", "tree_planted", "trees_planted", "unit", "period", "2019", "2020"]
TOML_VALUES = ["inf", "-inf", "nan", "+inf", "1e400", "99999999999999999999", "-0", "0", "-1",
               "0.5", "1.5", "2", '"x"', '"3"', "true", "false", "[]", "[1, 2]", '["x"]', "{}",
               '{ a = 1 }', '"count"', '"amount"', '"flag"', '"category"', '"nope"',
               '["khoi"]', '["nope"]', '"trees_planted"', '"tree_planted"',
               '["research_applied", "research_projects"]', "1979-05-27", '"\\u0000"']
AMOUNT_PLAN = '\n[metrics.funds]\ntype = "amount"\n\n[[targets]]\nid = "f1"\ntotal = "funds"\n' \
    'at_least = 1000000.5\n'


def _lines(text: str) -> list[str]:
    return text.split("\n")


@st.composite
def csv_mutation(draw: st.DrawFn, text: str) -> tuple[str, str]:
    lines = _lines(text)
    kind = draw(st.sampled_from(["cell", "cell", "cell", "dup", "delete", "swap_header",
                                 "add_column", "quote", "truncate_line", "header_cell"]))
    index = draw(st.integers(1, max(1, len(lines) - 2)))
    if kind == "cell" or kind == "header_cell":
        if kind == "header_cell":
            index = 0
        cells = lines[index].split(",")
        column = draw(st.integers(0, max(0, len(cells) - 1)))
        value = draw(st.sampled_from(ODD_NUMBERS + ODD_TEXT) | st.text(max_size=6))
        if "," in value or '"' in value or "\n" in value:
            value = draw(st.sampled_from([value, '"' + value.replace('"', '""') + '"']))
        cells[column] = value
        lines[index] = ",".join(cells)
        return "\n".join(lines), f"{kind} line {index + 1} col {column + 1} = {value!r}"
    if kind == "dup":
        lines.insert(index, lines[index])
    elif kind == "delete":
        del lines[index]
    elif kind == "swap_header":
        cells = lines[0].split(",")
        one, two = draw(st.integers(0, len(cells) - 1)), draw(st.integers(0, len(cells) - 1))
        cells[one], cells[two] = cells[two], cells[one]
        lines[0] = ",".join(cells)
    elif kind == "add_column":
        name = draw(st.sampled_from(["funds", "tree_planted", "notes", "unit", "", "period"]))
        lines[0] += "," + name
        value = draw(st.sampled_from(ODD_NUMBERS))
        lines[1:] = [line + "," + value if line else line for line in lines[1:]]
        return "\n".join(lines), f"add column {name!r} = {value!r}"
    elif kind == "quote":
        position = draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:position] + '"' + lines[index][position:]
    else:
        lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
    return "\n".join(lines), f"{kind} line {index + 1}"


@st.composite
def toml_mutation(draw: st.DrawFn, text: str) -> tuple[str, str]:
    lines = _lines(text)
    keyed = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    kind = draw(st.sampled_from(["value", "value", "value", "remove", "unknown", "dup_target",
                                 "amount", "dup_line"]))
    if kind == "amount":
        return text + AMOUNT_PLAN, "append an amount metric and target f1"
    if kind == "dup_target":
        start = draw(st.sampled_from([i for i, line in enumerate(lines)
                                      if line == "[[targets]]"]))
        end = next((i for i in range(start + 1, len(lines)) if lines[i] == "[[targets]]"
                    or lines[i].startswith("# ---")), len(lines))
        return text + "\n" + "\n".join(lines[start:end]) + "\n", f"duplicate line {start + 1}…"
    index = draw(st.sampled_from(keyed))
    if kind == "value":
        key = lines[index].split(" = ", 1)[0]
        value = draw(st.sampled_from(TOML_VALUES))
        lines[index] = f"{key} = {value}"
        return "\n".join(lines), f"line {index + 1}: {key} = {value}"
    if kind == "remove":
        removed = lines.pop(index)
        return "\n".join(lines), f"remove line {index + 1}: {removed[:40]!r}"
    if kind == "dup_line":
        lines.insert(index, lines[index])
        return "\n".join(lines), f"duplicate line {index + 1}"
    key = draw(st.sampled_from(["bogus", "at_lest", "each", "metric", "stretch", "share",
                                "aspirational", "directly_under", "total", "ratio", "in"]))
    value = draw(st.sampled_from(TOML_VALUES))
    lines.insert(index + 1, f"{key} = {value}")
    return "\n".join(lines), f"insert after line {index + 1}: {key} = {value}"


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["flip", "truncate", "bom", "crlf", "nfd", "latin1", "empty",
                                 "nul"]))
    if kind == "flip" and data:
        position = draw(st.integers(0, len(data) - 1))
        mask = draw(st.sampled_from([1, 0x20, 0x80, 0xFF]) | st.integers(1, 255))
        return (data[:position] + bytes([data[position] ^ mask]) + data[position + 1:],
                f"flip byte {position} ^ {mask:#x}")
    if kind == "truncate":
        position = draw(st.integers(0, len(data)))
        return data[:position], f"truncate at {position}"
    if kind == "bom":
        return b"\xef\xbb\xbf" + data, "BOM"
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n"), "CRLF"
    if kind == "nfd":
        text = data.decode("utf-8", "surrogateescape")
        return unicodedata.normalize("NFD", text).encode("utf-8", "surrogateescape"), "NFD"
    if kind == "latin1":
        text = data.decode("utf-8", "replace")
        return text.encode("cp1258", "replace"), "cp1258"
    if kind == "nul":
        return data + b"\x00", "trailing NUL"
    return b"", "empty file"


@st.composite
def mutated_files(draw: st.DrawFn, *, most: int = 3) -> tuple[dict[str, bytes], list[str]]:
    """The base files with up to ``most`` mutations of their text, and perhaps one of their
    bytes (if ``most`` is not 0)."""
    texts, units = draw(base_files())
    for _ in range(draw(st.integers(0, most))):
        name = draw(st.sampled_from(sorted(texts)))
        mutate = toml_mutation if name.endswith(".toml") else csv_mutation
        texts[name], what = draw(mutate(texts[name]))
        note(f"{name}: {what}")
        event(f"mutate {name} ({what.split(' ')[0]})")
    files = {name: text.encode("utf-8", "surrogatepass") for name, text in texts.items()}
    if most and draw(st.integers(0, 3)) == 0:
        name = draw(st.sampled_from(sorted(files)))
        files[name], what = draw(byte_mutation(files[name]))
        note(f"{name}: {what}")
        event(f"bytes {name} ({what.split(' ')[0]})")
    return files, units


# --- arguments ----------------------------------------------------------------------------------


@dataclass
class Case:
    """What a case writes before it runs, and its arguments (paths relative to its folder)."""

    files: dict[str, bytes]
    argv: list[str]
    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # name: (hard|sym, target)
    dirs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)  # the targets asked for
    fault: str = "none"  # none, disk, stdout_full, stdout_ascii, stdout_closed, interrupt
    fault_at: int = 0  # disk: the file-size limit (bytes); interrupt: after how many lines
    nfd: bool = False  # run it again with every name in NFD

    def __repr__(self) -> str:  # the files are large: their sizes; the notes say how they differ
        sizes = {name: len(data) for name, data in self.files.items()}
        return (f"Case(argv={self.argv!r}, files={sizes}, links={self.links}, dirs={self.dirs}, "
                f"fault={self.fault!r}, fault_at={self.fault_at}, nfd={self.nfd})")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # Hypothesis's printer
        printer.text(repr(self))


def units_of(units: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(units) | st.sampled_from(["nope", "", "khoi", "h01", "h01-cs01",
                                                     "KHOI", " khoi", "khoi\u0301"])


def metric_names() -> st.SearchStrategy[str]:
    return st.sampled_from(example().metrics) | st.sampled_from(["funds", "tree_planted", "",
                                                                 "nope", "members"])


def values() -> st.SearchStrategy[str]:
    return st.sampled_from(ODD_NUMBERS + ODD_TEXT + TOML_VALUES) | st.text(max_size=5)


@st.composite
def edit_args(draw: st.DrawFn, units: list[str]) -> list[str]:
    option = draw(st.sampled_from(["--set", "--add", "--move", "--target", "--scenario"]))
    if option in ("--set", "--add"):
        text = f"{draw(units_of(units))}.{draw(metric_names())}={draw(values())}"
        text = draw(st.sampled_from([text, text.replace("=", ""), text.replace(".", "")]))
    elif option == "--move":
        text = f"{draw(units_of(units))}={draw(units_of(units))}"
        text = draw(st.sampled_from([text, text, text.replace("=", ""), text + "=x"]))
    elif option == "--target":
        target = draw(st.sampled_from(example().targets) | st.sampled_from(["nope", "f1", ""]))
        key = draw(st.sampled_from(["at_least", "at_most", "equals", "not_equals", "in", "share",
                                    "stretch", "aspirational", "metric", "each", "bogus", ""]))
        text = f"{target}.{key}={draw(values())}"
    else:
        text = draw(st.sampled_from(["scenario.toml", "missing.toml", "org.csv", "."]))
    return [option, text]


def scenario_text(draw: st.DrawFn, units: list[str]) -> str:
    edits = []
    for _ in range(draw(st.integers(0, 3))):
        do = draw(st.sampled_from(["set", "add", "move_unit", "remove_unit", "merge_units",
                                   "change_target", "drop_target", "add_unit", "split_unit",
                                   "bogus"]))
        unit, other = draw(units_of(units)), draw(units_of(units))
        metric, value = draw(metric_names()), draw(st.sampled_from(TOML_VALUES))
        body = {"set": f'unit = "{unit}"\nmetric = "{metric}"\nvalue = {value}',
                "add": f'unit = "{unit}"\nmetric = "{metric}"\namount = {value}',
                "move_unit": f'unit = "{unit}"\nparent = "{other}"',
                "remove_unit": f'unit = "{unit}"',
                "merge_units": f'units = ["{unit}", "{other}"]\ninto = "{other}"',
                "change_target": f'target = "3b"\nchanges = {{ at_least = {value} }}',
                "drop_target": f'target = {value}',
                "add_unit": f'unit = "{unit}x"\nparent = "{other}"\nkind = "chi_doan"',
                "split_unit": f'unit = "{unit}"\ninto = {value}',
                "bogus": f"x = {value}"}[do]
        edits.append(f'[[edits]]\ndo = "{do}"\n{body}\n')
    return 'name = "fuzz"\n\n' + "\n".join(edits)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    # a case with a fault often has files that run: the fault is then what it meets
    calm = draw(st.integers(0, 3)) == 0
    files, units = draw(mutated_files(most=0 if calm else 3))
    command = draw(st.sampled_from(["check", "check", "whatif", "whatif", "gap", "gap", "demo",
                                    "export"]))
    event(f"command: {command}")
    argv: list[str] = []
    case = Case(files, argv)
    if command == "export":
        target = draw(st.sampled_from(["out", "out/deeper", "org.csv", "taken", "."]))
        if target == "taken":
            case.dirs.append("taken")
            if draw(st.booleans()):
                case.files["taken/facts.csv"] = b"keep me\n"
        argv += ["demo", "--export", target]
        case.outputs += [f"{target}/org.csv", f"{target}/facts.csv", f"{target}/facts-mid-year.csv",
                         f"{target}/{PLAN_NAME}.toml"]
    elif command == "demo":
        argv += ["demo"]
    else:
        argv += [command]
        inputs = {"--org": "org.csv", "--facts": "facts.csv", "--plan": "plan.toml"}
        if draw(st.integers(0, 9)) == 0:
            inputs["--plan"] = draw(st.sampled_from([PLAN_NAME, "nope", "org.csv", "missing"]))
        if draw(st.integers(0, 14)) == 0:  # a required option left out
            del inputs[draw(st.sampled_from(sorted(inputs)))]
        for option, path in inputs.items():
            argv += [option, path]
        if draw(st.integers(0, 5)) == 0:
            argv += ["--period", draw(st.sampled_from(["2020", "2019", "", "x", "2020.0"]))]
        if draw(st.integers(0, 7)) == 0:
            argv += ["--schema", draw(st.sampled_from(["doan", "nope", "plan.toml", "org.csv"]))]
    if draw(st.integers(0, 3)) == 0:
        argv += ["--at", draw(units_of(units))]
    if draw(st.booleans()):
        argv += ["--format", draw(st.sampled_from(["text", "json", "md", "html", ""]))]
    if command == "whatif":
        for _ in range(draw(st.integers(0, 3))):
            argv += draw(edit_args(units))
        if "scenario.toml" in argv:
            case.files["scenario.toml"] = scenario_text(draw, units).encode()
    if command == "gap":
        if draw(st.booleans()):
            argv += ["--include-aspirational"]
        if draw(st.booleans()):
            out = draw(st.sampled_from([
                *["out.csv"] * 4, "taken.csv", "facts.csv", "hard.csv", "sym.csv",
                "dangling.csv", "sub/../facts.csv", "nodir/x.csv", "sub", "."]))
            if out == "taken.csv":
                case.files["taken.csv"] = b"keep me unless --force\n"
            elif out == "hard.csv":
                case.links["hard.csv"] = ("hard", "facts.csv")
            elif out == "sym.csv":
                case.links["sym.csv"] = ("sym", "facts.csv")
            elif out == "dangling.csv":
                case.links["dangling.csv"] = ("sym", "nowhere.csv")
            if out.startswith("sub"):
                case.dirs.append("sub")
            argv += ["--apply", out]
            case.outputs.append(out)
        if draw(st.integers(0, 3)) == 0:
            argv += ["--force"]
    if draw(st.integers(0, 19)) == 0:  # an unknown option, or a stray word
        argv.insert(draw(st.integers(0, len(argv))),
                    draw(st.sampled_from(["--bogus", "-x", "extra", "--at", "--", "--help"])))
    # (faults most often where a file is written: there they may leave one half done)
    case.fault = draw(st.sampled_from(["none"] * (0 if calm else 2 if case.outputs else 6)
                                      + FAULTS))
    if case.fault == "disk":
        case.fault_at = draw(st.sampled_from([0, 1, 100, 4096, 65536]) | st.integers(0, 300_000))
    elif case.fault == "interrupt":
        # (a run reads in the first few thousand lines; gap --apply writes in up to a million)
        case.fault_at = draw(st.integers(1, 1200) | st.integers(1, 8000)
                             | st.integers(6000, 1_200_000))
    case.nfd = case.fault == "none" and draw(st.integers(0, 4)) == 0
    event(f"fault: {case.fault}" + (" (and NFD)" if case.nfd else ""))
    return case


FAULTS = ["disk", "stdout_full", "stdout_ascii", "stdout_closed", "interrupt", "interrupt"]


# --- running a case -----------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every name under ``folder``: a file's SHA-256, "dir", or "link→target"."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = f"link→{os.readlink(path)}"
        elif path.is_dir():
            found[name] = "dir"
        else:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


_WATCHED = (f"doanorg{os.sep}io{os.sep}", f"doanorg{os.sep}cli{os.sep}", f"{os.sep}shutil.py")
"""The code Ctrl-C is injected in: reading and writing files, and the command line."""
_OUTSIDE = (main.__code__, guarded.__code__)
"""The frames around the run (a Ctrl-C in them is one before it starts or after it ends)."""


@contextlib.contextmanager
def _interrupt_after(lines: int) -> Iterator[None]:
    """SIGINT raised (as Ctrl-C raises it) once ``lines`` lines of the watched code have run."""
    count = 0

    def local(frame: FrameType, event_: str, arg: object) -> Any:
        nonlocal count
        if event_ == "line":
            count += 1
            if count == lines:
                signal.raise_signal(signal.SIGINT)
        return local

    def calls(frame: FrameType, event_: str, arg: object) -> Any:
        if frame.f_code in _OUTSIDE:
            return None
        return local if any(part in frame.f_code.co_filename for part in _WATCHED) else None

    sys.settrace(calls)
    try:
        yield
    finally:
        sys.settrace(None)


@contextlib.contextmanager
def _file_size_limit(size: int) -> Iterator[None]:
    """No file may grow past ``size`` bytes (a write past it fails with EFBIG)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


@contextlib.contextmanager
def _stdout(fault: str) -> Iterator[tuple[TextIO | None, io.BytesIO | io.StringIO]]:
    """The standard output a case runs with, and what is read of it afterwards."""
    if fault == "stdout_closed":
        yield None, io.StringIO()
    elif fault == "stdout_full":
        with open("/dev/full", "w", encoding="utf-8") as full:
            yield full, io.StringIO()
    elif fault == "stdout_ascii":
        written = io.BytesIO()
        yield io.TextIOWrapper(written, encoding="ascii", write_through=True), written
    else:
        out = io.StringIO()
        yield out, out


def run(folder: Path, argv: list[str], fault: str = "none", fault_at: int = 0
        ) -> tuple[int, str, str]:
    err = io.StringIO()
    before = Path.cwd()
    os.chdir(folder)  # the arguments are relative to the case's folder
    try:
        with (_stdout(fault) as (stdout, written), contextlib.redirect_stdout(stdout),
              contextlib.redirect_stderr(err)):
            injected = (_file_size_limit(fault_at) if fault == "disk" else
                        _interrupt_after(fault_at) if fault == "interrupt" else
                        contextlib.nullcontext())
            try:
                with injected:
                    status = main(argv)
            except SystemExit as exit_:  # argparse: usage errors, --help
                code = exit_.code
                status = code if isinstance(code, int) else (0 if code is None else 2)
            out = written.getvalue()
    finally:
        os.chdir(before)
    return status, out.decode("ascii") if isinstance(out, bytes) else out, err.getvalue()


def prepare(folder: Path, case: Case) -> None:
    for name in case.dirs:
        (folder / name).mkdir(parents=True, exist_ok=True)
    for name, data in case.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    for name, (how, target) in case.links.items():
        if how == "hard":
            os.link(folder / target, folder / name)
        else:
            os.symlink(target, folder / name)


def run_case(case: Case, *, fault: str = "none", nfd: bool = False
             ) -> tuple[int, str, str, dict[str, str], dict[str, str]]:
    """Run ``case`` in a new folder (with ``fault``; every name in NFD with ``nfd``):
    its exit status, stdout, stderr, and the folder before and after."""
    if nfd:
        case = Case({name: _nfd_bytes(data) for name, data in case.files.items()},
                    [_nfd(part) for part in case.argv], case.links, case.dirs, case.outputs)
    with tempfile.TemporaryDirectory(prefix="doanorg-fuzz-") as name:
        folder = Path(name)
        prepare(folder, case)
        before = snapshot(folder)
        status, out, err = run(folder, case.argv, fault, case.fault_at)
        after = snapshot(folder)
    return status, out, err, before, after


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _nfd_bytes(data: bytes) -> bytes:
    """The file's text in NFD, if it is UTF-8 text (else its bytes as they are)."""
    try:
        return _nfd(data.decode("utf-8")).encode("utf-8")
    except UnicodeError:
        return data


def check_case(case: Case) -> None:
    note(f"argv: {case.argv}")
    status, out, err, before, after = run_case(case, fault=case.fault)
    note(f"exit {status}\n--- stdout (start) ---\n{out[:600]}\n--- stderr ---\n{err[:2000]}")
    event(f"exit {status}" + (f" ({case.fault})" if case.fault != "none" else ""))
    assert "Traceback" not in err, err
    assert status in (0, 1, 2, 130), status
    if "whatif" not in case.argv:  # no scenario: no message may blame one
        assert "in the scenario" not in err, err
    if status == 130:
        assert case.fault == "interrupt", "exit 130 with no Ctrl-C"
        assert err.splitlines()[-1] == "error: interrupted", err
    elif status == 2:
        assert out == "", f"exit 2 with output on stdout: {out[:300]!r}"
        assert any(line.strip() for line in err.splitlines()), "exit 2 with no message"
    else:
        assert out.strip(), f"exit {status} with nothing on stdout"
        assert case.fault not in ("stdout_full", "stdout_closed"), "an output nowhere, exit 0/1"
        assert case.fault != "stdout_ascii" or out.isascii()
    allowed = {os.path.normpath(name) for name in case.outputs} if status != 2 else set()
    for name, digest in before.items():
        if name not in allowed:
            assert after.get(name) == digest, f"{name} was changed or removed"
    for name in after.keys() - before.keys():
        parents = {os.path.normpath(os.path.dirname(out)) for out in allowed}
        assert name in allowed or name in parents or any(
            parent.startswith(name + "/") for parent in parents), f"{name} was written"
    written = {name for name in allowed if after.get(name) != before.get(name)}
    if case.fault != "none" and written:  # each whole: as a run without the fault writes it
        reference = run_case(case)[4]
        for name in written:
            assert after.get(name) == reference.get(name), f"{name} is not whole"
        if "--export" in case.argv:
            assert written == allowed, f"some of the exported files only: {sorted(written)}"
    if case.nfd:
        again, out_again, err_again, _, _ = run_case(case, nfd=True)
        note(f"in NFD: exit {again}\n--- stderr ---\n{err_again[:2000]}")
        assert "Traceback" not in err_again, err_again
        assert (again, out_again if again != 2 else "") == (status, out if status != 2 else "")


EXAMPLES = int(os.environ.get("DOANORG_FUZZ_EXAMPLES", "0")) or 5 * settings().max_examples


@settings(max_examples=EXAMPLES)
@given(cases())
def test_the_command_line_never_crashes_and_never_writes_over_its_inputs(case: Case) -> None:
    check_case(case)
