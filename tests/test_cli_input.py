"""Bad numbers and unknown metrics through the command line (SPEC §2, §3, §6).

Each case runs ``check``, ``whatif`` and ``gap`` on small files and asserts what a user
sees: the exit status, the message on stderr (file, line, unit, metric), nothing on
stdout on error, no traceback, and input files left byte for byte as they were.
"""

from __future__ import annotations

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
                         "fit a sum: it must be a non-negative number"]


@pytest.mark.parametrize("change", ["money.at_least=inf", "trees.at_most=inf",
                                    "trees.stretch=inf"])
def test_an_infinite_bound_set_by_whatif_is_refused(
        tmp_path: Path, capsys: Capture, change: str) -> None:
    lines = _bad_input(_run(capsys, "whatif", "--target", change, *_files(tmp_path)))
    assert len(lines) == 1
    assert lines[0].startswith(f"error: changing target '{change.partition('.')[0]}': ")
    assert "inf" in lines[0]
