"""The command line (SPEC §6): output, exit status, and one line per problem on stderr."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from doanorg import Facts, Org, Plan, assess, load_facts, load_org, load_plan
from doanorg.cli import main

Capture = pytest.CaptureFixture[str]


def _run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit status, stdout, stderr)."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:  # argparse's usage errors and --help
        assert isinstance(exit_.code, int)
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def _assert_bad_input(result: tuple[int, str, str]) -> list[str]:
    """Exit 2, nothing on stdout, no traceback: the lines of stderr."""
    status, out, err = result
    assert (status, out) == (2, "")
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines
    return lines


# --- small files -----------------------------------------------------------------------

ORG = "id,parent,kind,name\nk,,khoi,Đoàn Khối\ncs,k,chi_doan_co_so,Chi đoàn cơ sở A\n"
PLAN = """\
id = "p"
title = "Kế hoạch thử"

[metrics.n]
type = "count"

[[targets]]
id = "t"
text = "mỗi chi đoàn cơ sở có ít nhất 01 phần việc"
each = ["co_so"]
metric = "n"
at_least = 1
"""


def _files(tmp_path: Path, facts: str, org: str = ORG, plan: str = PLAN) -> list[str]:
    paths = []
    for name, text in (("org.csv", org), ("facts.csv", facts), ("plan.toml", plan)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return ["--org", paths[0], "--facts", paths[1], "--plan", paths[2]]


def test_check_exits_0_when_compliant(tmp_path: Path, capsys: Capture) -> None:
    status, out, err = _run(capsys, "check", *_files(tmp_path, "unit,n\ncs,1\nk,0\n"))
    assert (status, err) == (0, "")
    assert "mỗi chi đoàn cơ sở có ít nhất 01 phần việc" in out


def test_check_exits_1_when_not_compliant(tmp_path: Path, capsys: Capture) -> None:
    status, out, err = _run(
        capsys, "check", *_files(tmp_path, "unit,n\ncs,0\nk,3\n"), "--format", "json"
    )
    assert (status, err) == (1, "")
    data = json.loads(out)
    assert (data["compliant"], data["targets"][0]["failing"]) == (
        False,
        [{"unit": "cs", "value": 0, "shortfall": 1}],
    )


TWO_UNITS = ORG + "cs2,k,chi_doan_co_so,Chi đoàn cơ sở B\n"


def test_check_marks_a_failing_unit_that_did_not_report(tmp_path: Path, capsys: Capture) -> None:
    """cs reported 0 and cs2 reported nothing: both fail, and text and Markdown tell them
    apart; JSON keeps SPEC §5's failing entries and lists cs2 in not_reported."""
    files = _files(tmp_path, "unit,n\ncs,0\nk,3\n", org=TWO_UNITS)
    status, out, err = _run(capsys, "check", *files)
    assert (1, "") == (status, err)
    assert ("        - cs Chi đoàn cơ sở A (giá trị 0, còn thiếu 1)\n"
            "        - cs2 Chi đoàn cơ sở B (chưa báo cáo, còn thiếu 1)\n") in out
    _, out, _ = _run(capsys, "check", *files, "--lang", "en")
    assert ("        - cs Chi đoàn cơ sở A (value 0, short by 1)\n"
            "        - cs2 Chi đoàn cơ sở B (not reported, short by 1)\n") in out
    status, out, _ = _run(capsys, "check", *files, "--format", "md")
    assert ("| `cs` | Chi đoàn cơ sở A | 0 | 1 |\n"
            "| `cs2` | Chi đoàn cơ sở B | (chưa báo cáo) | 1 |\n") in out
    status, out, _ = _run(capsys, "check", *files, "--format", "json")
    data = json.loads(out)
    assert (["cs2"], [{"unit": "cs", "value": 0, "shortfall": 1},
                      {"unit": "cs2", "value": 0, "shortfall": 1}]) == (
        data["not_reported"], data["targets"][0]["failing"])


def test_check_at_a_unit(tmp_path: Path, capsys: Capture) -> None:
    status, out, _ = _run(
        capsys, "check", *_files(tmp_path, "unit,n\ncs,1\n"), "--at", "cs", "--format", "json"
    )
    assert (status, json.loads(out)["at"], json.loads(out)["not_reported"]) == (0, "cs", [])


def test_check_period(tmp_path: Path, capsys: Capture) -> None:
    files = _files(tmp_path, "unit,period,n\ncs,2020,0\ncs,2021,2\n")
    assert _run(capsys, "check", *files, "--period", "2020")[0] == 1
    assert _run(capsys, "check", *files, "--period", "2021")[0] == 0
    lines = _assert_bad_input(_run(capsys, "check", *files))
    assert len(lines) == 1
    assert "facts.csv" in lines[0]
    assert "period" in lines[0]


def test_check_warnings_go_to_stderr_and_change_nothing(tmp_path: Path, capsys: Capture) -> None:
    status, out, err = _run(
        capsys, "check", *_files(tmp_path, "unit,n,extra\ncs,1,4\n"), "--format", "json",
        "--ignore-unknown-metrics",
    )
    assert status == 0
    assert [line.split(":")[0] for line in err.splitlines()] == ["warning"]
    assert "'extra'" in err
    assert json.loads(out)["compliant"] is True


@pytest.mark.parametrize(("output_format", "ending"), [
    ("text", "\n\nWarnings (1):\n  - {facts}: facts for metric 'extra' are ignored: the plan "
     "does not declare it\n"),
    ("md", "\n\n## Warnings (1)\n\n- {facts}: facts for metric 'extra' are ignored: the plan "
     "does not declare it\n"),
])
def test_check_lists_the_warnings_at_the_end_of_reports_for_people(
    tmp_path: Path, capsys: Capture, output_format: str, ending: str
) -> None:
    """A report kept in a file says what was left out of it, as stderr did (facts of an
    undeclared metric, ignored as asked)."""
    files = _files(tmp_path, "unit,n,extra\ncs,1,4\n")
    status, out, err = _run(capsys, "check", *files, "--format", output_format,
                            "--ignore-unknown-metrics", "--lang", "en")
    assert 0 == status
    assert out.endswith(ending.format(facts=files[3]))
    assert 1 == out.count("'extra'")
    assert [f"warning: {files[3]}: facts for metric 'extra' are ignored: the plan does not "
            "declare it"] == err.splitlines()


def test_check_without_warnings_ends_with_the_last_target(tmp_path: Path, capsys: Capture) -> None:
    status, out, _ = _run(capsys, "check", *_files(tmp_path, "unit,n\ncs,1\n"))
    assert (0, "      mỗi chi đoàn cơ sở có ít nhất 01 phần việc") == (status, out.splitlines()[-1])
    assert "Warnings" not in out


@pytest.mark.parametrize(
    ("output_format", "first_line"),
    [("text", "Kế hoạch p: Kế hoạch thử"), ("md", "# Kế hoạch thử")]
)
def test_check_formats_for_people(
    tmp_path: Path, capsys: Capture, output_format: str, first_line: str
) -> None:
    status, out, _ = _run(
        capsys, "check", *_files(tmp_path, "unit,n\ncs,1\n"), "--format", output_format
    )
    assert (status, out.splitlines()[0]) == (0, first_line)
    assert "mỗi chi đoàn cơ sở có ít nhất 01 phần việc" in out


def test_check_json_is_the_report(tmp_path: Path, capsys: Capture) -> None:
    files = _files(tmp_path, "unit,n\ncs,1\n")
    status, out, _ = _run(capsys, "check", *files, "--format", "json")
    org = load_org(files[1])
    plan = load_plan(files[5])
    report = assess(org, load_facts(files[3], org=org, plan=plan), plan)
    assert (status, json.loads(out)) == (0, report.to_dict())


# --- bad input: exit 2, one line per problem on stderr, nothing on stdout ---------------------


def test_bad_org_file_gives_one_line_per_problem(tmp_path: Path, capsys: Capture) -> None:
    bad_org = "id,parent,kind,name\nk,,khoi,K\nk,,khoi,K again\nx,k,tinh,X\ny,zz,doan_co_so,Y\n"
    lines = _assert_bad_input(_run(capsys, "check", *_files(tmp_path, "unit,n\n", org=bad_org)))
    org_path = str(tmp_path / "org.csv")
    assert [f"{org_path} line 3", f"{org_path} line 4", f"{org_path} line 5"] == [
        line.split(": ")[1] for line in lines
    ]
    for line, unit in zip(lines, ("'k'", "'x'", "'y'"), strict=True):
        assert line.startswith("error: ")
        assert unit in line


def test_bad_facts_file(tmp_path: Path, capsys: Capture) -> None:
    lines = _assert_bad_input(
        _run(capsys, "check", *_files(tmp_path, "unit,n\ncs,-1\nX42,1\ncs,2.5\n"))
    )
    facts_path = str(tmp_path / "facts.csv")
    assert len(lines) == 3
    assert all(f"{facts_path} line " in line for line in lines)


def test_bad_plan_file(tmp_path: Path, capsys: Capture) -> None:
    bad_plan = PLAN.replace("at_least = 1", "at_lest = 1").replace('metric = "n"', 'metric = "nn"')
    lines = _assert_bad_input(_run(capsys, "check", *_files(tmp_path, "unit,n\n", plan=bad_plan)))
    plan_path = str(tmp_path / "plan.toml")
    assert all(f"{plan_path} line " in line for line in lines)
    assert any("at_lest" in line for line in lines)
    assert any("'nn'" in line for line in lines)


def test_invalid_toml(tmp_path: Path, capsys: Capture) -> None:
    lines = _assert_bad_input(
        _run(capsys, "check", *_files(tmp_path, "unit,n\n", plan=PLAN + "[[targets\n"))
    )
    assert [f"error: {tmp_path / 'plan.toml'} line 13"] == [
        line.split(": invalid")[0] for line in lines
    ]


def test_not_utf8_org(tmp_path: Path, capsys: Capture) -> None:
    files = _files(tmp_path, "unit,n\n")
    (tmp_path / "org.csv").write_bytes(ORG.encode("utf-16"))
    lines = _assert_bad_input(_run(capsys, "check", *files))
    assert len(lines) == 1
    assert "UTF-8" in lines[0]


def test_missing_file(tmp_path: Path, capsys: Capture) -> None:
    files = _files(tmp_path, "unit,n\n")
    (tmp_path / "facts.csv").unlink()
    lines = _assert_bad_input(_run(capsys, "check", *files))
    assert len(lines) == 1
    assert str(tmp_path / "facts.csv") in lines[0]


def test_unknown_unit_for_at(tmp_path: Path, capsys: Capture) -> None:
    lines = _assert_bad_input(_run(capsys, "check", *_files(tmp_path, "unit,n\n"), "--at", "X42"))
    assert len(lines) == 1
    assert "'X42'" in lines[0]


def test_unknown_builtin_plan(tmp_path: Path, capsys: Capture) -> None:
    files = _files(tmp_path, "unit,n\n")
    files[-1] = "doan-khoi-2099"
    lines = _assert_bad_input(_run(capsys, "check", *files))
    assert len(lines) == 1
    assert "doan-khoi-2099" in lines[0]


@pytest.mark.parametrize(
    "argv",
    [
        ("check", "--facts", "f.csv", "--plan", "p.toml"),
        ("demo", "--format", "xml"),
        ("check", "--org", "o.csv", "--facts", "f.csv", "--plan", "p.toml", "--format", "pdf"),
        ("audit",),
        (),
    ],
)
def test_usage_errors_exit_2_without_traceback(capsys: Capture, argv: tuple[str, ...]) -> None:
    lines = _assert_bad_input(_run(capsys, *argv))
    assert any("error" in line for line in lines)


def test_help_exits_0(capsys: Capture) -> None:
    status, out, _ = _run(capsys, "check", "--help")
    assert status == 0
    assert "--org" in out


# --- the built-in example ----------------------------------------------------------------------
# Each run over the example reads ~4,700 units: runs shared by several tests are made once.


def _run_once(*argv: str) -> tuple[int, str, str]:
    """Run the command line outside any one test's capture: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo_json() -> tuple[int, str, str]:
    return _run_once("demo", "--format", "json")


@pytest.fixture(scope="module")
def demo_default() -> tuple[int, str, str]:
    return _run_once("demo")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("export") / "mau"
    assert _run_once("demo", "--export", str(directory))[::2] == (0, "")
    return directory


def test_demo_json_is_the_report_of_the_example(
    demo_json: tuple[int, str, str], example_org: Org, example_facts: Facts, plan: Plan
) -> None:
    status, out, err = demo_json
    assert (status, err) == (1, "")  # exit 1: the example is not compliant
    assert assess(example_org, example_facts, plan).to_dict() == json.loads(out)


def test_demo_at_a_unit(
    capsys: Capture, example_org: Org, example_facts: Facts, plan: Plan
) -> None:
    status, out, _ = _run(capsys, "demo", "--at", "h01", "--format", "json")
    report = assess(example_org, example_facts, plan, at="h01")
    assert (0 if report.compliant else 1, report.to_dict()) == (status, json.loads(out))


def test_demo_text_is_the_default(demo_default: tuple[int, str, str], plan: Plan) -> None:
    status, out, err = demo_default
    assert (status, err) == (1, "")
    assert out.startswith("Kế hoạch doan-khoi-2020")  # Vietnamese by default
    assert "CHƯA ĐẠT: 5 chỉ tiêu bắt buộc không đạt" in out
    for target in plan.targets:
        assert target.text is not None
        assert target.text in out


def test_demo_markdown(capsys: Capture, plan: Plan) -> None:
    status, out, err = _run(capsys, "demo", "--format", "md")
    assert (status, err) == (1, "")
    assert out.startswith("# ")
    assert "**CHƯA ĐẠT: 5 chỉ tiêu bắt buộc không đạt**" in out
    for target in plan.targets:
        assert target.text is not None
        assert target.text in out


def test_demo_export_writes_the_example_files(exported: Path) -> None:
    names = ["org.csv", "facts.csv", "facts-mid-year.csv", "doan-khoi-2020.toml"]
    assert sorted(names) == sorted(path.name for path in exported.iterdir())
    assert "doan-khoi-2020" in (exported / "doan-khoi-2020.toml").read_text(encoding="utf-8")


def test_demo_export_prints_the_files_it_wrote(tmp_path: Path, capsys: Capture) -> None:
    directory = tmp_path / "mau"
    status, out, err = _run(capsys, "demo", "--export", str(directory))
    assert (status, err) == (0, "")
    names = ["org.csv", "facts.csv", "facts-mid-year.csv", "doan-khoi-2020.toml"]
    assert [str(directory / name) for name in names] == out.splitlines()


def test_check_on_the_exported_files_gives_the_same_json(
    capsys: Capture, exported: Path, demo_json: tuple[int, str, str]
) -> None:
    check = _run(
        capsys,
        "check",
        "--org",
        str(exported / "org.csv"),
        "--facts",
        str(exported / "facts.csv"),
        "--plan",
        str(exported / "doan-khoi-2020.toml"),
        "--format",
        "json",
    )
    assert demo_json == check


# A small Khối against the built-in plan: fast, and every kind of target is exercised.
SMALL_KHOI = (
    "id,parent,kind,name\nkhoi,,khoi,Đoàn Khối\nh1,khoi,doan_cap_huyen,Huyện 1\n"
    "cs1,h1,doan_co_so,Cơ sở 1\nc1,cs1,chi_doan,Chi đoàn 1\nc2,cs1,chi_doan,Chi đoàn 2\n"
    "cbs,khoi,chi_doan_co_so,Chi đoàn cơ sở\n"
)
SMALL_FACTS = "unit,youth_projects,trees_planted,rating\nh1,3,100,tot\ncs1,2,5,xuat_sac\nc1,,,tot\n"


def _small_builtin_check(tmp_path: Path) -> tuple[list[str], dict[str, object]]:
    """check --plan doan-khoi-2020 on a small Khối: the argv and the report it must give."""
    (tmp_path / "org.csv").write_text(SMALL_KHOI, encoding="utf-8")
    (tmp_path / "facts.csv").write_text(SMALL_FACTS, encoding="utf-8")
    org = load_org(tmp_path / "org.csv")
    plan = load_plan("doan-khoi-2020")
    facts = load_facts(tmp_path / "facts.csv", org=org, plan=plan)
    argv = [
        "check",
        "--org",
        str(tmp_path / "org.csv"),
        "--facts",
        str(tmp_path / "facts.csv"),
        "--plan",
        "doan-khoi-2020",
        "--format",
        "json",
    ]
    return argv, assess(org, facts, plan).to_dict()


def test_check_with_a_builtin_plan_name(tmp_path: Path, capsys: Capture) -> None:
    argv, expected = _small_builtin_check(tmp_path)
    status, out, _ = _run(capsys, *argv)
    assert (1, expected) == (status, json.loads(out))


def test_demo_export_never_overwrites(tmp_path: Path, capsys: Capture) -> None:
    (tmp_path / "facts.csv").write_text("mine\n", encoding="utf-8")
    lines = _assert_bad_input(_run(capsys, "demo", "--export", str(tmp_path)))
    assert len(lines) == 1
    assert "facts.csv" in lines[0]
    assert (tmp_path / "facts.csv").read_text(encoding="utf-8") == "mine\n"
    assert [path.name for path in tmp_path.iterdir()] == ["facts.csv"]


def test_demo_export_never_writes_through_a_link_that_points_nowhere(
    tmp_path: Path, capsys: Capture
) -> None:
    """A symbolic link in DIR is a name taken, even when it points to no file: writing
    through it would make a file outside DIR."""
    elsewhere = tmp_path / "elsewhere.csv"
    export = tmp_path / "export"
    export.mkdir()
    (export / "org.csv").symlink_to(elsewhere)
    lines = _assert_bad_input(_run(capsys, "demo", "--export", str(export)))
    assert [f"error: {export / 'org.csv'}: the file exists; doanorg never overwrites it"] == lines
    assert not elsewhere.exists()
    assert ["org.csv"] == [path.name for path in export.iterdir()]


def test_demo_export_refuses_again_into_the_same_directory(exported: Path, capsys: Capture) -> None:
    before = {path.name: path.read_bytes() for path in exported.iterdir()}
    lines = _assert_bad_input(_run(capsys, "demo", "--export", str(exported)))
    assert len(lines) == 4  # one a file: org, facts, mid-year facts, plan
    assert before == {path.name: path.read_bytes() for path in exported.iterdir()}


def test_a_real_subprocess(tmp_path: Path) -> None:
    argv, expected = _small_builtin_check(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "doanorg", *argv],
        capture_output=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert (1, "", expected) == (
        completed.returncode,
        completed.stderr,
        json.loads(completed.stdout),
    )


def test_a_real_subprocess_with_bad_input(tmp_path: Path) -> None:
    files = _files(tmp_path, "unit,n\nX42,1\ncs,-1\n")
    completed = subprocess.run(
        [sys.executable, "-m", "doanorg", "check", *files],
        capture_output=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert (completed.returncode, completed.stdout) == (2, "")
    assert "Traceback" not in completed.stderr
    assert len(completed.stderr.splitlines()) == 2


def test_a_real_subprocess_usage_error() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "doanorg", "check", "--facts", "f.csv"],
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert (completed.returncode, completed.stdout) == (2, "")
    assert "Traceback" not in completed.stderr
    assert "--org" in completed.stderr


def test_the_commands_process_sets_openblas_and_pyarrow_unless_told(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before numpy and pyarrow are loaded, the command asks OpenBLAS for one thread
    (doanorg does no linear algebra) and pyarrow for malloc's pool, unless the
    environment already says otherwise."""
    import doanorg.__main__ as command
    import doanorg.cli

    names = ("OPENBLAS_NUM_THREADS", "ARROW_DEFAULT_MEMORY_POOL")
    seen: list[tuple[str | None, ...]] = []

    def recorded() -> None:
        seen.append(tuple(os.environ.get(name) for name in names))

    monkeypatch.setattr(doanorg.cli, "run", recorded)
    start: Callable[[], object] = command.run  # (here it returns: cli.run is replaced)
    for name in names:
        monkeypatch.delenv(name, raising=False)
    start()
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
    start()
    assert [("1", "system"), ("4", "mimalloc")] == seen


def test_the_command_ends_at_once_with_its_whole_output(tmp_path: Path, capsys: Capture) -> None:
    """The installed ``doanorg`` command is ``python -m doanorg``'s :func:`run`, which
    runs :func:`doanorg.cli.run`: that ends the process with ``os._exit`` once the output
    is flushed. A demo's whole JSON and its status come out as :func:`main` gives them
    in the process, through a pipe and into a file."""
    from importlib.metadata import entry_points

    (script,) = [point for point in entry_points(group="console_scripts")
                 if point.name == "doanorg"]
    assert script.value == "doanorg.__main__:run"
    status, expected, _ = _run(capsys, "demo", "--format", "json")
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    piped = subprocess.run([sys.executable, "-m", "doanorg", "demo", "--format", "json"],
                           capture_output=True, encoding="utf-8", check=False,
                           env=environment)
    assert (piped.returncode, piped.stdout, piped.stderr) == (status, expected, "")
    out = tmp_path / "demo.json"
    with out.open("w", encoding="utf-8") as stream:
        filed = subprocess.run([sys.executable, "-m", "doanorg", "demo", "--format", "json"],
                               stdout=stream, check=False, env=environment)
    assert (filed.returncode, out.read_text(encoding="utf-8")) == (status, expected)
