"""Bad numbers and unknown metrics through the command line (SPEC §2, §3, §6).

Each case runs ``check``, ``whatif`` and ``gap`` on small files and asserts what a user
sees: the exit status, the message on stderr (file, line, unit, metric), nothing on
stdout on error, no traceback, and input files left byte for byte as they were.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from doanorg.cli import main

Capture = pytest.CaptureFixture[str]
Result = tuple[int, str, str]

ORG = """\
id,parent,kind,name
k,,khoi,Đoàn Khối
cs,k,chi_doan_co_so,Chi đoàn cơ sở A
cs2,k,chi_doan_co_so,Chi đoàn cơ sở B
"""
PLAN = """\
id = "p"
title = "Kế hoạch thử"

[metrics.trees_planted]
type = "count"

[metrics.funds]
type = "amount"

[[targets]]
id = "trees"
each = ["co_so"]
metric = "trees_planted"
at_least = 1

[[targets]]
id = "money"
total = "funds"
at_least = 2.5

[[targets]]
id = "forest"
aspirational = true
total = "trees_planted"
at_least = 26200
"""
FACTS = "unit,trees_planted,funds\ncs,3,1.5\ncs2,2,1\n"
COMMANDS = (["check"], ["whatif", "--set", "cs.trees_planted=4"], ["gap"])


def _files(tmp_path: Path, facts: str = FACTS, plan: str = PLAN) -> list[str]:
    """Write the org, facts and plan files; the options that name them."""
    paths = []
    for name, text in (("org.csv", ORG), ("facts.csv", facts), ("plan.toml", plan)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return ["--org", paths[0], "--facts", paths[1], "--plan", paths[2]]


def _run(capsys: Capture, *argv: str) -> Result:
    """Run the command line in this process: (exit status, stdout, stderr); the input
    files named are checked to be unchanged."""
    inputs = [Path(argv[i + 1]) for i, arg in enumerate(argv) if arg in ("--org", "--facts",
                                                                         "--plan")]
    before = [path.read_bytes() for path in inputs if path.exists()]
    try:
        status = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors
        assert isinstance(exit_.code, int)
        status = exit_.code
    out, err = capsys.readouterr()
    assert [path.read_bytes() for path in inputs if path.exists()] == before
    return status, out, err


def _bad_input(result: Result) -> list[str]:
    """Exit 2, nothing on stdout, no traceback: the lines of stderr."""
    status, out, err = result
    assert (status, out) == (2, ""), err
    assert "Traceback" not in err
    return err.splitlines()


def _every_command(capsys: Capture, files: Sequence[str]) -> list[list[str]]:
    """stderr of check, whatif and gap on ``files``, each of which must exit 2."""
    return [_bad_input(_run(capsys, *command, *files)) for command in COMMANDS]


# --- a plan's bounds are finite numbers ------------------------------------------------------


def test_an_infinite_bound_in_the_plan_is_refused(tmp_path: Path, capsys: Capture) -> None:
    """TOML writes inf; no fact or sum compares with it exactly: a plan error, not a
    traceback."""
    files = _files(tmp_path, plan=PLAN.replace("at_least = 2.5", "at_least = inf"))
    for lines in _every_command(capsys, files):
        assert lines == [f"error: {files[5]} line 19: target 'money': at_least = inf does not "
                         "fit a sum: it must be a finite, non-negative number"]


@pytest.mark.parametrize("change", ["money.at_least=inf", "trees.at_most=inf",
                                    "trees.stretch=inf"])
def test_an_infinite_bound_set_by_whatif_is_refused(
        tmp_path: Path, capsys: Capture, change: str) -> None:
    lines = _bad_input(_run(capsys, "whatif", "--target", change, *_files(tmp_path)))
    assert len(lines) == 1
    assert lines[0].startswith(f"error: changing target '{change.partition('.')[0]}': ")
    assert "inf" in lines[0]


# --- counts beyond 64 bits are read exactly ----------------------------------------------------

HUGE = 99999999999999999999  # beyond int64


@pytest.mark.parametrize("facts", [f"unit,trees_planted,funds\ncs,{HUGE},3\ncs2,1,\n",
                                   f"unit,metric,value\ncs,trees_planted,{HUGE}\n"
                                   "cs,funds,3\ncs2,trees_planted,1\n"])
def test_a_count_beyond_64_bits_is_read_exactly(
        tmp_path: Path, capsys: Capture, facts: str) -> None:
    files = _files(tmp_path, facts)
    status, out, err = _run(capsys, "check", *files, "--format", "json")
    assert (status, err) == (0, "")
    forest = json.loads(out)["targets"][2]
    assert (forest["status"], forest["observed"]) == ("met", HUGE + 1)
    status, out, err = _run(capsys, "whatif", "--set", f"cs2.trees_planted={HUGE}", *files,
                            "--format", "json")
    assert (status, err) == (0, "")
    assert json.loads(out)["scenario"]["compliant"] is True
    status, out, err = _run(capsys, "gap", *files, "--apply", str(tmp_path / "out.csv"))
    assert (status, err.startswith("wrote ")) == (0, True)
    assert f"cs,trees_planted,{HUGE}\n" in (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_whatif_sets_a_count_beyond_64_bits(tmp_path: Path, capsys: Capture) -> None:
    status, out, err = _run(capsys, "whatif", "--set", f"cs.trees_planted={HUGE}",
                            "--add", f"cs2.trees_planted={HUGE}", *_files(tmp_path),
                            "--format", "json")
    assert (status, err) == (0, "")
    assert json.loads(out)["scenario"]["compliant"] is True


# --- numbers are written plainly (SPEC §2) ---------------------------------------------------


@pytest.mark.parametrize(("cell", "why"), [
    ("26.200", "'26.200' is not written as digits alone; Vietnamese thousands separators are "
     "not read (write 26200)"),
    ("1.000", "'1.000' is not written as digits alone; Vietnamese thousands separators are not "
     "read (write 1000)"),
    ("3.0", "'3.0' is not written as digits alone (write 3)"),
    ("+3", "'+3' is not written as digits alone (write 3)"),
    ("1e3", "'1e3' is not written as digits alone (write 1000)"),
    ("1_000", "'1_000' is not written as digits alone (write 1000)"),
    ("١٢", "'١٢' is not written as digits alone (write 12)"),
    ("１２", "'１２' is not written as digits alone (write 12)"),
])
def test_a_count_not_written_as_digits_is_an_error_naming_the_cell(
        tmp_path: Path, capsys: Capture, cell: str, why: str) -> None:
    """26.200 trees is 26,200 in Vietnamese: never read as 26.2 (then summed to 27)."""
    for facts, line in ((f"unit,trees_planted,funds\ncs,1,1\ncs2,{cell},2\n", 3),
                        (f"unit,metric,value\ncs,trees_planted,1\ncs2,trees_planted,{cell}\n",
                         3)):
        files = _files(tmp_path, facts)
        for lines in _every_command(capsys, files):
            assert lines == [f"error: {files[3]} line {line}: unit 'cs2': 'trees_planted' is "
                             f"a count: {why}"]


@pytest.mark.parametrize(("cell", "why"), [
    ("1.234,5", "'1.234,5' has a comma: an amount is written with a decimal point and no "
     "thousands separator (write 1234.5)"),
    ("1,5", "'1,5' has a comma: an amount is written with a decimal point and no thousands "
     "separator (write 1.5)"),
    ("1e3", "'1e3' is not written as digits with an optional decimal point (write 1000)"),
    ("abc", "'abc' is not a number"),
    ("inf", "'inf' is not a finite number"),
    ("0.1234567890123456789", "'0.1234567890123456789' has too many digits to be read exactly "
     "(write at most 15 significant digits)"),
])
def test_an_amount_not_written_plainly_is_an_error_naming_the_cell(
        tmp_path: Path, capsys: Capture, cell: str, why: str) -> None:
    files = _files(tmp_path, f'unit,trees_planted,funds\ncs,1,1\ncs2,2,"{cell}"\n')
    for lines in _every_command(capsys, files):
        assert lines == [f"error: {files[3]} line 3: unit 'cs2': 'funds' is an amount: {why}"]


def test_an_amount_is_read_with_its_decimal_point(tmp_path: Path, capsys: Capture) -> None:
    files = _files(tmp_path, "unit,trees_planted,funds\ncs,1,1234.5\ncs2,2,0.25\n")
    status, out, err = _run(capsys, "check", *files, "--format", "json")
    assert (status, err) == (0, "")
    money = [target for target in json.loads(out)["targets"] if target["id"] == "money"]
    assert money[0]["observed"] == 1234.75


@pytest.mark.parametrize(("value", "why"), [
    ("26.200", "'trees_planted' is a count: '26.200' is not written as digits alone; "
     "Vietnamese thousands separators are not read (write 26200)"),
    ("3.0", "'trees_planted' is a count: '3.0' is not written as digits alone (write 3)"),
])
def test_whatif_set_reads_a_count_as_a_file_cell(
        tmp_path: Path, capsys: Capture, value: str, why: str) -> None:
    lines = _bad_input(_run(capsys, "whatif", "--set", f"cs.trees_planted={value}",
                            *_files(tmp_path)))
    assert lines == [f"error: unit 'cs': {why}"]


def test_whatif_set_refuses_an_amount_with_a_comma(tmp_path: Path, capsys: Capture) -> None:
    lines = _bad_input(_run(capsys, "whatif", "--set", "cs.funds=1,5", *_files(tmp_path)))
    assert lines == ["error: unit 'cs': 'funds' is an amount: '1,5' has a comma: an amount is "
                     "written with a decimal point and no thousands separator (write 1.5)"]


# --- facts of metrics the plan does not declare (SPEC §2) --------------------------------------

IGNORE = "(to ignore {}: --ignore-unknown-metrics, or ignore_unknown_metrics=True)"


def test_a_wide_column_with_a_typo_is_an_error_naming_the_closest_metric(
        tmp_path: Path, capsys: Capture) -> None:
    """tree_planted for trees_planted: the verdict would be computed on zeros."""
    files = _files(tmp_path, "unit,tree_planted,funds\ncs,30000,3\ncs2,2,1\n")
    for lines in _every_command(capsys, files):
        assert lines == [f"error: {files[3]} line 1: column 'tree_planted' is not a metric the "
                         f"plan declares (did you mean 'trees_planted'?) {IGNORE.format('it')}"]


def test_long_form_rows_of_an_undeclared_metric_are_an_error(
        tmp_path: Path, capsys: Capture) -> None:
    files = _files(tmp_path, "unit,metric,value\ncs,trees_planted,1\ncs,fund,3\ncs2,fund,4\n"
                   "cs2,trees_planted,1\n")
    for lines in _every_command(capsys, files):
        assert lines == [f"error: {files[3]} line 3: metric 'fund' is not declared by the plan "
                         f"(did you mean 'funds'?): 2 rows, the first here "
                         f"{IGNORE.format('them')}"]


@pytest.mark.parametrize("command", COMMANDS)
def test_ignore_unknown_metrics_leaves_them_out_with_a_warning(
        tmp_path: Path, capsys: Capture, command: list[str]) -> None:
    files = _files(tmp_path, "unit,trees_planted,funds,tree_planted\ncs,3,3,7\ncs2,2,1,\n")
    status, out, err = _run(capsys, *command, *files, "--ignore-unknown-metrics")
    assert (status, bool(out)) == (0, True)
    assert err.splitlines() == [f"warning: {files[3]}: facts for metric 'tree_planted' are "
                                "ignored: the plan does not declare it (did you mean "
                                "'trees_planted'?)"]



# --- what the command-line fuzz test found ----------------------------------------------


def test_an_unclosed_quote_before_a_long_cell_is_a_clear_error(
        tmp_path: Path, capsys: Capture) -> None:
    """A quote opened and never closed, then a cell longer than the csv module's default
    limit (128 KiB): an error naming the line, not csv's 'field larger than field limit'."""
    facts = 'unit,trees_planted\n"cs,1\n' + "x" * 140_000 + "\n"
    [line] = _bad_input(_run(capsys, "check", *_files(tmp_path, facts)))
    assert "line 2: not valid CSV: a quoted cell is not closed" in line


@pytest.mark.parametrize("second", ["{x}", "}", "{unit}"])
def test_braces_in_a_cell_s_text_are_shown_as_written(
        tmp_path: Path, capsys: Capture, second: str) -> None:
    """A message quoting a cell's text shows its braces as they are (the message was once
    filled in with str.format, which read them as fields)."""
    facts = f"unit,metric,value\ncs,trees_planted,1\ncs,trees_planted,{second}\n"
    [line] = _bad_input(_run(capsys, "check", *_files(tmp_path, facts)))
    assert f"'{second}'" in line and "line 3" in line


def test_a_huge_members_figure_is_read_without_a_traceback(
        tmp_path: Path, capsys: Capture) -> None:
    """An attribute of 400 digits, beyond the floats the Charter's size check compares in,
    is compared as infinity: the report is made."""
    files = _files(tmp_path)
    org = Path(files[1])
    org.write_text("id,parent,kind,name,members\nk,,khoi,K,1\n"
                   f"cs,k,chi_doan_co_so,A,{'9' * 400}\ncs2,k,chi_doan_co_so,B,3\n",
                   encoding="utf-8")
    status, out, err = _run(capsys, "check", *files)
    assert status in (0, 1) and out and "Traceback" not in err


def test_a_ratio_beyond_the_floats_is_shown_without_a_traceback(
        tmp_path: Path, capsys: Capture) -> None:
    """A ratio of a 400-digit count to 1 is judged exactly and shown as infinity."""
    plan = PLAN + '''
[metrics.applied]
type = "count"

[[targets]]
id = "ratio"
ratio = ["applied", "trees_planted"]
at_least = 0.5
'''
    facts = f"unit,trees_planted,funds,applied\ncs,1,3,{'9' * 400}\ncs2,1,0,0\n"
    status, out, err = _run(capsys, "check", *_files(tmp_path, facts, plan), "--format", "json")
    assert (status, "Traceback" in err) == (0, False), err
    [ratio] = [target for target in json.loads(out)["targets"] if target["id"] == "ratio"]
    assert (ratio["status"], ratio["observed"]) == ("met", float("inf"))
