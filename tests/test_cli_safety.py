"""Writes that cannot be half done, output faults, one normal form, safe output (issue 15).

Each case runs the command line and asserts what a user sees: the exit status, the
lines on stderr, nothing on stdout on error, no traceback; and on the disk, input files
byte for byte as they were, no temporary file left, no output file half written. Output
faults and Ctrl-C run a real process (a closed or full stdout, an ASCII-only encoding,
a file-size limit, SIGINT); the rest runs :func:`doanorg.cli.main` in this process.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from doanorg import load_facts, load_org
from doanorg.io import builtin_plan_file, example_file, save_facts
from doanorg.io._csv import rewrite_csv
from test_cli import Capture, _run

Result = tuple[int, str, str]

ORG = """\
id,parent,kind,name
k,,khoi,Đoàn Khối
cs,k,chi_doan_co_so,Chi đoàn cơ sở Ánh Dương
cs2,k,chi_doan_co_so,Chi đoàn cơ sở Hồng Hà
"""
PLAN = """\
id = "p"
title = "Kế hoạch thử"

[metrics."số_cây"]
type = "count"

[metrics."xếp_loại"]
type = "category"
values = ["tốt", "khá"]

[[targets]]
id = "cây"
each = ["co_so"]
metric = "số_cây"
at_least = 2

[[targets]]
id = "loại"
each = ["co_so"]
metric = "xếp_loại"
equals = "tốt"
"""
FACTS = "unit,metric,value\ncs,số_cây,3\ncs,xếp_loại,tốt\ncs2,số_cây,1\ncs2,xếp_loại,khá\n"


def _write(folder: Path, org: str = ORG, facts: str = FACTS, plan: str = PLAN) -> list[str]:
    """Write the three files into ``folder``; the options that name them."""
    names = {"--org": "org.csv", "--facts": "facts.csv", "--plan": "plan.toml"}
    for (_, name), text in zip(names.items(), (org, facts, plan), strict=True):
        (folder / name).write_text(text, encoding="utf-8")
    return [part for option, name in names.items() for part in (option, str(folder / name))]




def _bad_input(result: Result) -> list[str]:
    """Exit 2, nothing on stdout, no traceback: the lines of stderr."""
    status, out, err = result
    assert (2, "") == (status, out), err
    assert "Traceback" not in err
    assert err.splitlines()
    return err.splitlines()


def _folder(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (a link as where it points), by name."""
    return {path.relative_to(folder).as_posix(): (
        f"link→{os.readlink(path)}".encode() if path.is_symlink() else path.read_bytes())
        for path in sorted(folder.rglob("*")) if path.is_symlink() or path.is_file()}


def _process(argv: Sequence[str], *, stdout: Any = subprocess.PIPE, env: dict[str, str] | None
             = None, before: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    """``doanorg argv`` as a real process (its stdout as given: a pipe, a file, closed)."""
    return subprocess.run([sys.executable, "-m", "doanorg", *argv], stdout=stdout,
                          stderr=subprocess.PIPE, encoding="utf-8", check=False,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
                          preexec_fn=before)


def _file_size_limit(size: int) -> Callable[[], None]:
    """For a process: files larger than ``size`` bytes cannot be written (EFBIG)."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def _one_error(completed: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in completed.stderr, completed.stderr
    assert (completed.returncode, completed.stdout or "") == (2, ""), completed.stderr
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- 1. writes that cannot be half done ---------------------------------------------------


@pytest.fixture
def big(tmp_path: Path) -> Iterator[tuple[list[str], Path]]:
    """The example's files (4,700 units), and an OUT.csv already there to be replaced."""
    plan = tmp_path / "plan.toml"
    plan.write_bytes(builtin_plan_file("doan-khoi-2020").read_bytes())
    out = tmp_path / "out.csv"
    out.write_text("the previous OUT.csv\n", encoding="utf-8")
    yield (["--org", str(example_file("org.csv")), "--facts", str(example_file("facts.csv")),
            "--plan", str(plan)], out)


def test_apply_on_a_full_disk_leaves_the_previous_file_whole(
        big: tuple[list[str], Path]) -> None:
    """A file-size limit (as ``ulimit -f``) stops the write of OUT.csv: the previous one
    stays as it was, no temporary file is left, and nothing is on stdout."""
    files, out = big
    before = _folder(out.parent)
    line = _one_error(_process(["gap", *files, "--apply", str(out), "--force"],
                               before=_file_size_limit(4096)))
    assert line == f"error: --apply {out}: cannot write: File too large"
    assert before == _folder(out.parent)


def test_apply_on_a_full_disk_leaves_no_new_file(big: tuple[list[str], Path]) -> None:
    files, out = big
    new = out.with_name("new.csv")
    before = _folder(out.parent)
    line = _one_error(_process(["gap", *files, "--apply", str(new)],
                               before=_file_size_limit(4096)))
    assert line == f"error: --apply {new}: cannot write: File too large"
    assert before == _folder(out.parent)


def test_ctrl_c_during_apply_leaves_the_previous_file_whole(
        big: tuple[list[str], Path]) -> None:
    """SIGINT while gap --apply has its file half made (the report being written to a
    pipe no one reads yet): exit 130, one line, the previous OUT.csv whole, no temporary
    file left."""
    files, out = big
    before = _folder(out.parent)
    reading, writing = os.pipe()
    fcntl.fcntl(writing, fcntl.F_SETPIPE_SZ, 4096)  # (the report is larger: the write waits)
    process = subprocess.Popen(
        [sys.executable, "-m", "doanorg", "gap", *files, "--format", "json", "--apply",
         str(out), "--force"], stdout=writing, stderr=subprocess.PIPE, encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    os.close(writing)
    deadline = time.monotonic() + 120
    while not [path for path in out.parent.iterdir() if path.name.endswith(".tmp")]:
        assert process.poll() is None and time.monotonic() < deadline, "no temporary file"
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    os.close(reading)
    assert (process.returncode, err) == (130, "error: interrupted\n")
    assert before == _folder(out.parent)


@pytest.mark.parametrize("fault", [KeyboardInterrupt, OSError(28, "No space left on device")],
                         ids=["Ctrl-C", "disk full"])
def test_apply_interrupted_while_writing_leaves_nothing(
        tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch,
        fault: BaseException | type[BaseException]) -> None:
    """The facts half written when the fault comes: no OUT.csv, no temporary file."""
    files = _write(tmp_path)
    real = save_facts

    def half(facts: Any, path: Path, **options: Any) -> int:
        real(facts, path, **options)
        Path(path).write_text("unit,metric,value\ncs,số_c", encoding="utf-8")
        raise fault

    monkeypatch.setattr("doanorg.cli.save_facts", half)
    before = _folder(tmp_path)
    status, out, err = _run(capsys, "gap", *files, "--apply", str(tmp_path / "out.csv"))
    expected = ((130, "error: interrupted\n") if fault is KeyboardInterrupt else
                (2, f"error: --apply {tmp_path / 'out.csv'}: cannot write: No space left on "
                 "device\n"))
    assert (status, err) == expected
    assert out == ""
    assert before == _folder(tmp_path)


@pytest.mark.parametrize("fault", [KeyboardInterrupt, OSError(28, "No space left on device")],
                         ids=["Ctrl-C", "disk full"])
def test_export_is_all_or_nothing(tmp_path: Path, capsys: Capture,
                                  monkeypatch: pytest.MonkeyPatch,
                                  fault: BaseException | type[BaseException]) -> None:
    """The third file fails: the two written are removed, and the folders made for them."""
    calls: list[str] = []

    def counted(real: Any) -> Any:  # (the CSVs are rewritten, the plan copied)
        def write(source: Any, target: Any) -> Any:
            calls.append(str(getattr(target, "name", target)))
            if len(calls) == 3:
                raise fault
            return real(source, target)
        return write

    monkeypatch.setattr(shutil, "copyfile", counted(shutil.copyfile))
    monkeypatch.setattr("doanorg.cli.rewrite_csv", counted(rewrite_csv))
    status, out, err = _run(capsys, "demo", "--export", str(tmp_path / "new" / "dir"))
    assert len(calls) == 3
    expected = ((130, "error: interrupted\n") if fault is KeyboardInterrupt else
                (2, f"error: {tmp_path / 'new' / 'dir'}: cannot write: No space left on "
                 "device\n"))
    assert (status, err) == expected
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_export_on_a_full_disk_leaves_nothing(tmp_path: Path) -> None:
    line = _one_error(_process(["demo", "--export", str(tmp_path / "dir")],
                               before=_file_size_limit(4096)))
    assert line == f"error: {tmp_path / 'dir'}: cannot write: File too large"
    assert list(tmp_path.iterdir()) == []


def test_export_never_through_a_folder_link_that_points_nowhere(
        tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "dir").symlink_to(tmp_path / "elsewhere")
    lines = _bad_input(_run(capsys, "demo", "--export", str(tmp_path / "dir")))
    assert lines == [f"error: {tmp_path / 'dir'}: the file exists; doanorg never overwrites it"]
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("facts_name", ["facts.csv", "plan.toml"])
def test_export_never_through_a_file_link_out_of_the_folder(
        tmp_path: Path, capsys: Capture, facts_name: str) -> None:
    export = tmp_path / "export"
    export.mkdir()
    name = {"facts.csv": "facts.csv", "plan.toml": "doan-khoi-2020.toml"}[facts_name]
    (export / name).symlink_to(Path("..") / "outside")
    lines = _bad_input(_run(capsys, "demo", "--export", str(export)))
    assert lines == [f"error: {export / name}: the file exists; doanorg never overwrites it"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["export"]


@pytest.mark.parametrize("option", ["--org", "--facts", "--plan", "--schema"])
def test_apply_never_writes_through_a_hard_link_to_an_input(
        tmp_path: Path, capsys: Capture, option: str) -> None:
    """OUT.csv a hard link to any input, --schema included, even with --force: refused."""
    files = _write(tmp_path)
    schema = tmp_path / "schema.toml"
    schema.write_bytes((resources.files("doanorg") / "data" / "schemas" / "doan.toml")
                       .read_bytes())
    files += ["--schema", str(schema)]
    source = Path(files[files.index(option) + 1])
    os.link(source, tmp_path / "out.csv")
    before = _folder(tmp_path)
    lines = _bad_input(_run(capsys, "gap", *files, "--apply", str(tmp_path / "out.csv"),
                            "--force"))
    assert lines == [f"error: --apply {tmp_path / 'out.csv'}: that is an input file ({option} "
                     f"{source}); doanorg never writes over its inputs"]
    assert before == _folder(tmp_path)


def test_apply_with_force_replaces_a_hard_link_not_the_file_behind_it(
        tmp_path: Path, capsys: Capture) -> None:
    """OUT.csv a hard link to a file that is no input: the name gets the new facts, the
    other name keeps the old text."""
    files = _write(tmp_path)
    (tmp_path / "keep.csv").write_text("keep me\n", encoding="utf-8")
    os.link(tmp_path / "keep.csv", tmp_path / "out.csv")
    status, _, err = _run(capsys, "gap", *files, "--apply", str(tmp_path / "out.csv"),
                          "--force")
    assert status == 0, err
    assert (tmp_path / "keep.csv").read_text(encoding="utf-8") == "keep me\n"
    assert "số_cây" in (tmp_path / "out.csv").read_text(encoding="utf-8")


# --- 2. output faults and Ctrl-C ---------------------------------------------------------


def _commands(folder: Path) -> list[list[str]]:
    files = _write(folder)
    return [["check", *files], ["whatif", *files, "--set", "cs2.số_cây=5"], ["gap", *files],
            ["gap", *files, "--apply", str(folder / "out.csv")], ["demo"],
            ["demo", "--export", str(folder / "export")], ["check", *files, "--format", "md"],
            ["--help"]]


@pytest.mark.parametrize("command", range(8), ids=["check", "whatif", "gap", "gap --apply",
                                                   "demo", "demo --export", "check md", "help"])
@pytest.mark.parametrize("fault", ["closed", "full", "ascii"])
def test_an_output_fault_is_one_line_and_exit_2(tmp_path: Path, command: int,
                                                fault: str) -> None:
    """``>&-``, ``>/dev/full``, ``PYTHONIOENCODING=ascii``: one line, exit 2, no traceback,
    no file written (gap --apply and demo --export put theirs in place after the report)."""
    argv = _commands(tmp_path)[command]
    before = _folder(tmp_path)
    with open(os.devnull if fault != "full" else "/dev/full", "w") as sink:
        completed = _process(argv, stdout=sink, env={"PYTHONIOENCODING": "ascii"} if fault
                             == "ascii" else None,
                             before=(lambda: os.close(1)) if fault == "closed" else None)
    if fault == "ascii" and "--export" in argv:  # (it lists the files: ASCII paths)
        assert (completed.returncode, completed.stderr) == (0, "")
        assert len(_folder(tmp_path)) == len(before) + 4  # org, facts, mid-year facts, plan
        return
    line = _one_error(completed)
    assert line == {
        "closed": "error: cannot write the output: standard output is closed",
        "full": "error: cannot write the output: No space left on device",
        "ascii": "error: cannot write the output: standard output takes ascii text only, and "
                 "the output holds " + line.rsplit("holds ", 1)[-1],
    }[fault]
    if fault == "ascii":
        assert line.endswith("; set PYTHONIOENCODING=utf-8 (or a UTF-8 locale)")
    assert before == _folder(tmp_path)


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """SIGINT to a run under way (its report waiting on a full pipe): exit 130, one line."""
    reading, writing = os.pipe()
    fcntl.fcntl(writing, fcntl.F_SETPIPE_SZ, 4096)
    process = subprocess.Popen([sys.executable, "-m", "doanorg", "demo", "--format", "json"],
                               stdout=writing, stderr=subprocess.PIPE, encoding="utf-8",
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    os.close(writing)
    os.read(reading, 1)  # the report is being written: the run is well under way
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    os.close(reading)
    assert (process.returncode, err) == (130, "error: interrupted\n")


# --- 3. one normal form ------------------------------------------------------------------


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


UNITS = "id,parent,kind,name\nkhối,,khoi,Đoàn Khối\ncơsở,khối,chi_doan_co_so,Chi đoàn Á\n" \
    "cơsở2,khối,chi_doan_co_so,Chi đoàn Ể\nhuyện,khối,doan_cap_huyen,Huyện Đông\n"
UNIT_FACTS = FACTS.replace("cs2,", "cơsở2,").replace("cs,", "cơsở,")


@pytest.mark.parametrize(("command", "nfd_files"), [
    (["check", "--at", "cơsở"], ()),
    (["check"], ("org",)), (["check"], ("facts",)), (["check"], ("plan",)),
    (["check", "--at", "cơsở2"], ("org", "facts", "plan")),
    (["whatif", "--set", "cơsở2.số_cây=4"], ()),
    (["whatif", "--set", "cơsở2.xếp_loại=tốt"], ()),
    (["whatif", "--add", "cơsở2.số_cây=1"], ()),
    (["whatif", "--move", "cơsở2=huyện"], ()),
    (["whatif", "--target", 'loại.equals="khá"'], ()),
    (["whatif", "--target", "loại.equals=khá"], ()),
    (["whatif", "--target", 'loại.text="mỗi chi đoàn"'], ()),
    (["whatif", "--scenario", "SCENARIO"], ()),
    (["whatif", "--scenario", "SCENARIO"], ("scenario",)),
    (["gap", "--at", "cơsở2"], ("org", "facts", "plan")),
], ids=lambda value: "-".join(value) if isinstance(value, tuple | list) else str(value))
def test_nfd_names_and_values_give_the_answer_their_nfc_forms_give(
        tmp_path: Path, capsys: Capture, command: list[str], nfd_files: tuple[str, ...]) -> None:
    """Every name and value read in one normal form (NFC): written decomposed (NFD) in
    an argument or a file, it is the same name, and the report is the same."""
    scenario = '[[edits]]\ndo = "set"\nunit = "cơsở2"\nmetric = "xếp_loại"\nvalue = "tốt"\n'
    outputs = []
    for form in ("nfc", "nfd"):
        folder = tmp_path / form
        folder.mkdir()
        texts = {"org": UNITS, "facts": UNIT_FACTS, "plan": PLAN, "scenario": scenario}
        if form == "nfd":
            texts = {name: _nfd(text) if name in nfd_files else text
                     for name, text in texts.items()}
        files = _write(folder, texts["org"], texts["facts"], texts["plan"])
        (folder / "scenario.toml").write_text(texts["scenario"], encoding="utf-8")
        argv = [str(folder / "scenario.toml") if part == "SCENARIO" else
                _nfd(part) if form == "nfd" and not nfd_files else part for part in command]
        status, out, err = _run(capsys, *argv, *files, "--format", "json")
        assert status in (0, 1), err
        outputs.append((status, json.loads(out)))
    assert outputs[0] == outputs[1]


def test_a_plan_key_written_in_two_forms_is_one_key_written_twice(
        tmp_path: Path, capsys: Capture) -> None:
    plan = PLAN + '\n[metrics."' + _nfd("số_cây") + '"]\ntype = "amount"\n'
    files = _write(tmp_path, plan=plan)
    lines = _bad_input(_run(capsys, "check", *files))
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {files[5]} line ")
    assert "invalid TOML" in lines[0]


@pytest.mark.parametrize("rows", [("cs,số_cây,", "cs,số_cây,5"), ("cs,số_cây,5", "cs,số_cây,")],
                         ids=["empty first", "empty last"])
def test_an_empty_long_form_cell_beside_a_value_reads_the_same_in_either_order(
        tmp_path: Path, capsys: Capture, rows: tuple[str, str]) -> None:
    """An empty cell is no value (SPEC §2): it never contradicts a value for the same unit
    and metric, whichever row comes first; the value is read."""
    files = _write(tmp_path, facts="unit,metric,value\n" + "\n".join(rows) + "\n")
    status, out, err = _run(capsys, "check", *files, "--format", "json")
    assert (status, err) == (1, "")
    target = json.loads(out)["targets"][0]
    assert target["units"] == {"selected": 2, "passing": 1}


@pytest.mark.parametrize("facts", [
    "unit,số_cây\ncs,3\nzz,1\nzz,1\n", "unit,số_cây\ncs,3\nzz,\nzz,1\n",
    "unit,số_cây\ncs,3\nzz,1\nzz,\n", "unit,metric,value\ncs,số_cây,3\nzz,số_cây,1\nzz,số_cây,1\n",
], ids=["wide twice", "wide empty first", "wide empty last", "long twice"])
def test_a_row_repeated_for_a_unit_missing_from_the_org_still_names_it(
        tmp_path: Path, capsys: Capture, facts: str) -> None:
    files = _write(tmp_path, facts=facts)
    lines = _bad_input(_run(capsys, "check", *files))
    assert lines == [f"error: {files[3]} line 3: unit 'zz' is not in the organisation"]


def test_at_is_trimmed_as_a_cell_is(tmp_path: Path, capsys: Capture) -> None:
    files = _write(tmp_path)
    padded = _run(capsys, "check", *files, "--at", " cs ", "--format", "json")
    plain = _run(capsys, "check", *files, "--at", "cs", "--format", "json")
    assert padded == plain
    assert json.loads(plain[1])["at"] == "cs"


# --- 4. output safe for a terminal, a Markdown table, a spreadsheet ---------------------------

HOSTILE = """\
id,parent,kind,name
k,,khoi,"Đoàn Khối\x1b]0;pwned\x07"
cs,k,chi_doan_co_so,"Chi đoàn \x1b[31mđỏ\x1b[0m\rOK \u202eBA"
"c|s2",k,chi_doan_co_so,"Tên | có
xuống dòng"
"""
HOSTILE_FACTS = "unit,metric,value\ncs,số_cây,1\n\"c|s2\",số_cây,0\n"
STEERING = ["\x1b", "\x07", "\r", "\u202e"]


@pytest.mark.parametrize("command", [["check"], ["whatif", "--set", "cs.số_cây=0"], ["gap"]])
def test_text_output_shows_control_characters_of_names_escaped(
        tmp_path: Path, capsys: Capture, command: list[str]) -> None:
    files = _write(tmp_path, org=HOSTILE, facts=HOSTILE_FACTS)
    status, out, err = _run(capsys, *command, *files)
    assert status == (0 if command == ["gap"] else 1), err
    assert not [character for character in STEERING if character in out + err]
    assert "\\u001b[31mđỏ\\u001b[0m\\rOK \\u202eBA" in out
    if command != ["gap"]:  # (gap lists the units it changes; this one lists cs2 by name)
        assert "Đoàn Khối\\u001b]0;pwned\\u0007" in out
    assert "Tên | có\\nxuống dòng" in out


def test_an_error_naming_a_unit_shows_its_control_characters_escaped(
        tmp_path: Path, capsys: Capture) -> None:
    files = _write(tmp_path, facts="unit,số_cây\n\"x\x1b[2Jy\",1\n")
    lines = _bad_input(_run(capsys, "check", *files))
    assert lines == [f"error: {files[3]} line 2: unit 'x\\x1b[2Jy' is not in the organisation"]


@pytest.mark.parametrize("command", [["check"], ["whatif", "--set", "cs.số_cây=0"], ["gap"]])
def test_markdown_tables_keep_their_cells_with_a_bar_or_a_line_break_in_an_id(
        tmp_path: Path, capsys: Capture, command: list[str]) -> None:
    files = _write(tmp_path, org=HOSTILE, facts=HOSTILE_FACTS)
    status, out, _ = _run(capsys, *command, *files, "--format", "md")
    assert status in (0, 1)
    tables: list[list[int]] = [[]]
    for line in out.splitlines():  # each table: its rows' counts of cell borders
        if line.startswith("|"):
            tables[-1].append(line.replace("\\|", "").count("|"))
        elif tables[-1]:
            tables.append([])
    assert [table for table in tables if len(set(table)) > 1] == []
    assert len([table for table in tables if table]) >= (0 if command == ["gap"] else 2)
    assert not [character for character in STEERING if character in out]
    if command == ["check"]:
        assert "| `c\\|s2` | Tên \\| có xuống dòng |" in out


def test_apply_quotes_an_id_with_a_carriage_return_and_reads_it_back(
        tmp_path: Path, capsys: Capture) -> None:
    """An id holding a CR (or a LF, a comma, a quote) is written quoted: doanorg check
    reads OUT.csv back, to the same facts, and it meets the plan."""
    org = ORG + '"c\r3",k,chi_doan_co_so,Chi đoàn 3\n"c,""4""\n",k,chi_doan_co_so,Bốn\n'
    files = _write(tmp_path, org=org, facts=FACTS.replace("khá", "tốt"))
    out = tmp_path / "out.csv"
    status, _, err = _run(capsys, "gap", *files, "--apply", str(out))
    assert status == 0, err
    assert b'"c\r3",' in out.read_bytes()
    again = [*files[:2], "--facts", str(out), *files[4:]]
    status, _, err = _run(capsys, "check", *again)
    assert (status, err) == (0, "")
    units = load_org(files[1])
    assert load_facts(out, org=units).values.keys() >= {"c\r3", 'c,"4"'}
