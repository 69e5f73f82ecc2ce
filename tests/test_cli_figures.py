"""Figures beside their bounds on the command line: never a contradiction of the verdict.

A share, ratio or total is rounded for people, but toward its verdict: a figure that
does not reach its bound is never shown as the bound (``79999/100000 units (79.99%)``,
not ``(80%)``, beside ``need 80%``), one beyond an ``at_most`` never as the bound
either, and a figure that meets its bound exactly is shown as it. The same holds for
``check`` in text and Markdown and for ``whatif``'s changed figures and report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_cli import Capture, _run

ORG = "id,parent,kind,name\nk,,khoi,Đoàn Khối\n"
METRICS = """\
id = "p"

[metrics.pledged]
type = "flag"

[metrics.trained]
type = "count"

[metrics.cadres]
type = "count"

[metrics.funds]
type = "amount"
"""


def _files(tmp_path: Path, target: str, facts: str, *, chapters: int = 0) -> list[str]:
    """A Khối with ``chapters`` chi đoàn under one cơ sở (or one chi đoàn cơ sở), a plan
    of one target, and ``facts``."""
    org = ORG + ("cs,k,doan_co_so,Cơ sở\n" if chapters else "cs,k,chi_doan_co_so,Chi đoàn\n")
    org += "".join(f"c{number},cs,chi_doan,Chi đoàn {number}\n" for number in range(chapters))
    paths = {"org.csv": org, "facts.csv": facts, "plan.toml": f"{METRICS}\n[[targets]]\n{target}"}
    for name, text in paths.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return ["--org", str(tmp_path / "org.csv"), "--facts", str(tmp_path / "facts.csv"),
            "--plan", str(tmp_path / "plan.toml")]


def _pledges(passing: int, chapters: int) -> str:
    return "unit,pledged\n" + "".join(f"c{number},{'true' if number < passing else 'false'}\n"
                                      for number in range(chapters))


def _ratio(trained: int, cadres: int) -> str:
    return f"unit,trained,cadres\nk,{trained},{cadres}\n"


def _funds(funds: str) -> str:
    return f"unit,funds\nk,{funds}\n"


EACH = 'id = "t"\neach = ["chi_doan"]\nmetric = "pledged"\nequals = true\nshare = {share}\n'
RATIO = 'id = "t"\nratio = ["trained", "cadres"]\n{bounds}\n'
TOTAL = 'id = "t"\ntotal = "funds"\n{bounds}\n'

CASES: list[tuple[str, str, str, int, str, int]] = [
    ("a share just under its bound (the report of the issue)", EACH.format(share=0.8),
     _pledges(79_999, 100_000), 100_000,
     "NOT MET — 79999/100000 units (79.99%) meet = true; need 80%", 1),
    ("a share of thirds just under a bound of four digits", EACH.format(share=0.6667),
     _pledges(2, 3), 3, "NOT MET — 2/3 units (66.66%) meet = true; need 66.67%", 1),
    ("a share exactly at its bound", EACH.format(share=0.8), _pledges(4, 5), 5,
     "met — 4/5 units (80%) meet = true; need 80%", 0),
    ("a ratio just under 100%", RATIO.format(bounds="at_least = 1"),
     _ratio(99_999, 100_000), 0, "NOT MET — ratio 99.99%; need ≥ 100%", 1),
    ("a ratio just over its at_most", RATIO.format(bounds="at_most = 1"),
     _ratio(100_001, 100_000), 0, "NOT MET — ratio 100.1%; need ≤ 100%", 1),
    ("a ratio closer to 100% than a float tells", RATIO.format(bounds="at_least = 1"),
     _ratio(10**18 - 1, 10**18), 0,
     "NOT MET — ratio 99.99%; need ≥ 100%", 1),
    ("a ratio meeting its bound of many digits", RATIO.format(bounds="at_least = 0.123456"),
     _ratio(123_456, 10**6), 0, "met — ratio 12.3456%; need ≥ 12.3456%", 0),
    ("a total of amounts just under", TOTAL.format(bounds="at_least = 1000"),
     _funds("999.9999"), 0, "NOT MET — total 999.9; need ≥ 1,000", 1),
    ("a total just over a range", TOTAL.format(bounds="at_least = 1000\nat_most = 1500"),
     _funds("1500.01"), 0, "NOT MET — total 1,501; need 1,000–1,500", 1),
    ("a total just over an equals", TOTAL.format(bounds="equals = 1000"),
     _funds("1000.0001"), 0, "NOT MET — total 1,001; need = 1,000", 1),
]


@pytest.mark.parametrize(("target", "facts", "chapters", "shown", "status"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
@pytest.mark.parametrize("fmt", ["text", "md"])
def test_check_shows_figures_that_agree_with_the_verdict(
    tmp_path: Path, capsys: Capture, target: str, facts: str, chapters: int, shown: str,
    status: int, fmt: str
) -> None:
    files = _files(tmp_path, target, facts, chapters=chapters)
    code, out, err = _run(capsys, "check", *files, "--format", fmt, "--lang", "en")
    assert (status, "") == (code, err)
    verdict, figures = shown.split(" — ")
    line = (f"[{'✓' if status == 0 else '✗'}] t    {shown}\n" if fmt == "text"
            else f"| {'✓' if status == 0 else '✗'} | t | {verdict} | {figures} |")
    assert line in out


def test_whatif_changed_figures_differ_and_agree_with_the_verdict(
    tmp_path: Path, capsys: Capture
) -> None:
    """99,998 then 99,999 cadres trained of 100,000: both short of 100%, and not the same
    figure, in the changed figures as in the scenario's report."""
    files = _files(tmp_path, RATIO.format(bounds="at_least = 1"),
                   _ratio(99998, 100000))
    code, out, err = _run(capsys, "whatif", "--lang", "en", *files, "--set", "k.trained=99999")
    assert (1, "") == (code, err)
    assert "Flipped targets:\n  none\n" in out
    assert "Changed figures:\n  t: 99.99% → 99.999% (+0.0%)\n" in out
    assert "[✗] t    NOT MET — ratio 99.99%; need ≥ 100%\n" in out
    _, markdown, _ = _run(capsys, "whatif", "--lang", "en",
                          *files, "--set", "k.trained=99999", "--format", "md")
    assert "## Changed figures\n- t: 99.99% → 99.999% (+0.0%)\n" in markdown


def test_json_keeps_the_figures_as_they_are(tmp_path: Path, capsys: Capture) -> None:
    """Rounding is for people: the JSON report has the observed figure unrounded."""
    files = _files(tmp_path, EACH.format(share=0.8), _pledges(79_999, 100_000),
                   chapters=100_000)
    _, out, _ = _run(capsys, "check", *files, "--format", "json")
    assert re.search(r'"observed": 0\.79999,', out)
