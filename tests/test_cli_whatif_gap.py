"""`doanorg whatif` and `doanorg gap` (SPEC §8): outputs, exit statuses, bad edits, --apply.

whatif's flips are checked against two separate ``doanorg check --format json``
runs: one on the input files, one on files edited by hand to match the
scenario. gap's ``--apply`` output is checked with ``doanorg check``.
"""

from __future__ import annotations

import csv
import errno
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

import doanorg
from test_cli import Capture, _run

Result = tuple[int, str, str]




def _bad_input(result: Result) -> str:
    """Exit 2, nothing on stdout, no traceback: stderr."""
    status, out, err = result
    assert (2, "") == (status, out), err
    assert "Traceback" not in err
    assert err.startswith(("error: ", "doanorg: error: ")), err
    return err


# --- small files ------------------------------------------------------------------------------

ORG_ROWS = [
    ("k", "", "khoi", "Đoàn Khối"),
    ("h1", "k", "doan_cap_huyen", "Huyện 1"),
    ("cs1", "h1", "doan_co_so", "Cơ sở 1"),
    ("c1", "cs1", "chi_doan", "Chi đoàn 1"),
    ("c2", "cs1", "chi_doan", "Chi đoàn 2"),
    ("h2", "k", "doan_cap_huyen", "Huyện 2"),
    ("cs2", "h2", "doan_co_so", "Cơ sở 2"),
    ("c3", "cs2", "chi_doan", "Chi đoàn 3"),
    ("c4", "cs2", "chi_doan", "Chi đoàn 4"),
    ("cs3", "k", "doan_co_so", "Cơ sở 3"),
    ("c5", "cs3", "chi_doan", "Chi đoàn 5"),
    ("c6", "cs3", "chi_doan", "Chi đoàn 6"),
]

PLAN_TEXT = """\
id = "p"
title = "Kế hoạch thử"

[metrics.projects]
type = "count"

[metrics.funds]
type = "amount"

[metrics.pledged]
type = "flag"

[[targets]]
id = "3b"
text = "mỗi đoàn cấp huyện có ít nhất 03 công trình"
each = ["doan_cap_huyen"]
metric = "projects"
at_least = 3

[[targets]]
id = "3c"
each = ["doan_co_so"]
metric = "projects"
at_least = 1

[[targets]]
id = "tong"
total = "projects"
at_least = 12

[[targets]]
id = "2b"
each = ["chi_doan"]
metric = "pledged"
equals = true

[[targets]]
id = "5a"
aspirational = true
total = "funds"
at_least = 10
"""

FACTS: dict[str, dict[str, str]] = {
    "h1": {"projects": "3", "funds": "1.5"},
    "cs1": {"projects": "2", "pledged": "có"},
    "c1": {"pledged": "có"},
    "c2": {"pledged": "không"},
    "h2": {"projects": "1", "funds": "2"},
    "cs2": {"projects": "0"},
    "c3": {"pledged": "có"},
    "c4": {"pledged": "true"},
    "cs3": {"projects": "4"},
    "c5": {"pledged": "1"},
    "c6": {"pledged": "yes"},
}


def _write_org(path: Path, rows: Sequence[tuple[str, str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "parent", "kind", "name"])
        writer.writerows(rows)
    return path


def _write_facts(path: Path, records: Mapping[str, Mapping[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["unit", "metric", "value"])
        for unit, values in records.items():
            writer.writerows([unit, metric, value] for metric, value in values.items())
    return path


class Files:
    """The three input files of one run, in a directory of their own."""

    def __init__(self, directory: Path, *, org: Sequence[tuple[str, str, str, str]] = ORG_ROWS,
                 facts: Mapping[str, Mapping[str, str]] = FACTS, plan: str = PLAN_TEXT) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.org = _write_org(directory / "org.csv", org)
        self.facts = _write_facts(directory / "facts.csv", facts)
        self.plan = directory / "plan.toml"
        self.plan.write_text(plan, encoding="utf-8")

    @property
    def args(self) -> list[str]:
        return ["--org", str(self.org), "--facts", str(self.facts), "--plan", str(self.plan)]

    def contents(self) -> list[bytes]:
        return [path.read_bytes() for path in (self.org, self.facts, self.plan)]


@pytest.fixture
def files(tmp_path: Path) -> Files:
    return Files(tmp_path / "base")


def _check(capsys: Capture, files: Files, *options: str) -> tuple[int, dict[str, Any]]:
    status, out, err = _run(capsys, "check", *files.args, *options, "--format", "json")
    assert status in (0, 1), err
    report: dict[str, Any] = json.loads(out)
    return status, report


def _status_changes(base: Mapping[str, Any], other: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The targets whose status differs between two reports, in plan order."""
    before = {target["id"]: target["status"] for target in base["targets"]}
    return [{"id": target["id"], "from": before.get(target["id"]), "to": target["status"]}
            for target in other["targets"] if before.get(target["id"]) != target["status"]]


def _edited_facts(**changes: str) -> dict[str, dict[str, str]]:
    """FACTS with ``unit__metric=value`` changes."""
    records = {unit: dict(values) for unit, values in FACTS.items()}
    for key, value in changes.items():
        unit, metric = key.split("__")
        records.setdefault(unit, {})[metric] = value
    return records


def _moved(unit: str, parent: str) -> list[tuple[str, str, str, str]]:
    return [(row[0], parent, row[2], row[3]) if row[0] == unit else row for row in ORG_ROWS]


EditedBy = Callable[[Path], Files]

SCENARIOS: list[tuple[str, list[str], EditedBy]] = [
    ("set", ["--set", "h2.projects=3"],
     lambda d: Files(d, facts=_edited_facts(h2__projects="3"))),
    ("set-flag", ["--set", "c2.pledged=có"],
     lambda d: Files(d, facts=_edited_facts(c2__pledged="true"))),
    ("add", ["--add", "cs2.projects=1", "--add", "h2.projects=2"],
     lambda d: Files(d, facts=_edited_facts(cs2__projects="1", h2__projects="3"))),
    ("move", ["--move", "cs3=h2"], lambda d: Files(d, org=_moved("cs3", "h2"))),
    ("target", ["--target", "3b.at_least=1"],
     lambda d: Files(d, plan=PLAN_TEXT.replace("at_least = 3", "at_least = 1"))),
    ("aspirational", ["--target", "tong.aspirational=true"],
     lambda d: Files(d, plan=PLAN_TEXT.replace('id = "tong"\n',
                                               'id = "tong"\naspirational = true\n'))),
    ("all", ["--set", "h2.projects=3", "--set", "c2.pledged=yes", "--add", "cs2.projects=2",
             "--target", "tong.at_least=11"],
     lambda d: Files(d, facts=_edited_facts(h2__projects="3", c2__pledged="yes",
                                            cs2__projects="2"),
                     plan=PLAN_TEXT.replace("at_least = 12", "at_least = 11"))),
]


@pytest.mark.parametrize(("edits", "edited"), [(edits, edited) for _, edits, edited in SCENARIOS],
                         ids=[name for name, _, _ in SCENARIOS])
@pytest.mark.parametrize("at", ["k", "h2"])
def test_whatif_flips_agree_with_two_checks(
    tmp_path: Path, files: Files, capsys: Capture, edits: list[str], edited: EditedBy, at: str
) -> None:
    """The flips of whatif are the status differences between `check` on the inputs and
    `check` on files edited by hand as the scenario edits them; the exit status is that of
    the second check; the inputs are not changed."""
    contents = files.contents()
    status, out, err = _run(capsys, "whatif", "--lang", "en",
                            *files.args, "--at", at, *edits, "--format", "json")
    assert "" == err
    data = json.loads(out)
    _, base = _check(capsys, files, "--at", at)
    expected_status, scenario = _check(capsys, edited(tmp_path / "edited"), "--at", at)
    assert (base, scenario) == (data["base"], data["scenario"])
    assert _status_changes(base, scenario) == [
        {key: flip[key] for key in ("id", "from", "to")} for flip in data["flipped"]]
    assert [] == [flip for flip in data["flipped"] if not flip["causes"]]
    assert expected_status == status
    assert contents == files.contents()


def test_whatif_json_shape(files: Files, capsys: Capture) -> None:
    status, out, _ = _run(capsys, "whatif", "--lang", "en", *files.args, "--set", "h2.projects=3",
                          "--format", "json")
    data = json.loads(out)
    assert (1, ["base", "scenario", "flipped", "units", "changed"]) == (status, list(data))
    assert [{"id": "3b", "from": "not_met", "to": "met", "causes": ["h2.projects: 1 → 3"]}] == [
        flip for flip in data["flipped"] if flip["id"] == "3b"]
    assert [{"id": "3b", "unit": "h2", "change": "stops_failing"}] == data["units"]
    assert {"id": "tong", "from": 10, "to": 12, "absolute": 2, "relative": 0.2} == (
        data["changed"][1])


def test_whatif_text(files: Files, capsys: Capture) -> None:
    status, out, err = _run(capsys, "whatif", "--lang", "en", *files.args, "--at", "h2", "--set",
                            "h2.projects=3")
    assert (1, "") == (status, err)
    assert out.startswith(
        "baseline → scenario at h2 — Huyện 2\n"
        "\n"
        "NOT compliant → NOT compliant\n"
        "\n"
        "Flipped targets:\n"
        "  3b: NOT MET → met\n"
        "    because h2.projects: 1 → 3\n"
        "\n"
        "Changed figures:\n"
        "  3b: 0% → 100%\n"
        "  tong: 1 → 3 (+200.0%)\n"
        "\n"
        "Units:\n"
        "  h2 stops failing 3b\n"
        "\n"
        "Plan p: Kế hoạch thử\n"
        "Assessed at h2 — Huyện 2\n"
        "NOT COMPLIANT: 1 mandatory target(s) not met\n")


def test_whatif_markdown(files: Files, capsys: Capture) -> None:
    status, out, _ = _run(capsys, "whatif", "--lang", "en", *files.args, "--set", "c2.pledged=true",
                          "--format", "md")
    assert 1 == status
    assert out.startswith("# baseline → scenario at k — Đoàn Khối\n\n**NOT compliant → NOT "
                          "compliant**\n\n## Flipped targets\n- 2b: NOT MET → met\n"
                          "    - because c2.pledged: false → true\n")
    assert "\n# Kế hoạch thử\n" in out


def test_whatif_exit_0_when_the_scenario_is_compliant(files: Files, capsys: Capture) -> None:
    status, _, err = _run(capsys, "whatif", "--lang", "en", *files.args, "--set", "h2.projects=5",
                          "--set", "cs2.projects=1", "--set", "c2.pledged=true")
    assert (0, "") == (status, err)


def test_whatif_empty_set_removes_a_value(files: Files, capsys: Capture) -> None:
    status, out, _ = _run(capsys, "whatif", "--lang", "en", *files.args, "--set", "h1.projects=",
                          "--format", "json")
    assert [{"id": "3b", "unit": "h1", "change": "starts_failing"}] == json.loads(out)["units"]
    assert 1 == status


def test_whatif_edits_apply_in_order(files: Files, capsys: Capture) -> None:
    _, first, _ = _run(capsys, "whatif", "--lang", "en", *files.args, "--set", "h2.projects=0",
                       "--add", "h2.projects=3", "--format", "json")
    _, second, _ = _run(capsys, "whatif", "--lang", "en", *files.args, "--add", "h2.projects=3",
                        "--set", "h2.projects=0", "--format", "json")
    assert (["3b", "tong"], []) == (
        [flip["id"] for flip in json.loads(first)["flipped"]],
        [flip["id"] for flip in json.loads(second)["flipped"]])


def test_whatif_scenario_file(tmp_path: Path, files: Files, capsys: Capture) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        'name = "h2 cố gắng"\n\n[[edits]]\ndo = "add"\nunit = "h2"\nmetric = "projects"\n'
        'amount = 2\n\n[[edits]]\ndo = "merge_units"\nunits = ["cs2", "cs3"]\ninto = "cs3"\n',
        encoding="utf-8")
    status, out, err = _run(capsys, "whatif", "--lang", "en",
                            *files.args, "--scenario", str(scenario),
                            "--set", "c2.pledged=true")
    assert (0, "") == (status, err)
    assert "because h2.projects: 1 → 3" in out
    assert "merge cs2, cs3 into cs3" in out


def test_whatif_on_the_example(tmp_path: Path, capsys: Capture) -> None:
    """h14 certifies one more youth project: 3b flips at h14, as two checks agree."""
    status, _, _ = _run(capsys, "demo", "--export", str(tmp_path))
    assert 0 == status
    args = ["--org", str(tmp_path / "org.csv"), "--plan", "doan-khoi-2020", "--at", "h14"]
    with (tmp_path / "facts.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["unit"] == "h14":
            assert "2" == row["youth_projects"]
            row["youth_projects"] = "3"
    with (tmp_path / "edited.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    status, out, _ = _run(capsys, "whatif", "--lang", "en",
                          *args, "--facts", str(tmp_path / "facts.csv"),
                          "--set", "h14.youth_projects=3", "--format", "json")
    data = json.loads(out)
    _, base, _ = _run(capsys, "check", *args, "--facts", str(tmp_path / "facts.csv"),
                      "--format", "json")
    edited_status, edited, _ = _run(capsys, "check", *args, "--facts",
                                    str(tmp_path / "edited.csv"), "--format", "json")
    assert _status_changes(json.loads(base), json.loads(edited)) == [
        {key: flip[key] for key in ("id", "from", "to")} for flip in data["flipped"]]
    assert [{"id": "3b", "from": "not_met", "to": "met",
             "causes": ["h14.youth_projects: 2 → 3"]}] == data["flipped"]
    assert edited_status == status


# --- bad edits ---------------------------------------------------------------------------------

BAD_EDITS: list[tuple[str, list[str], str]] = [
    ("unknown unit", ["--set", "h9.projects=1"], "unit 'h9' is not in the organisation"),
    ("unknown metric", ["--set", "h1.tres=1"], "metric 'tres' is not declared by the plan"),
    ("text for a count", ["--set", "h1.projects=ba"], "'ba' is not a number"),
    ("fraction for a count", ["--set", "h1.projects=2.5"], "is not a whole number"),
    ("negative count", ["--set", "h1.projects=-1"], "is negative"),
    ("bad flag", ["--set", "c1.pledged=maybe"], "is a flag"),
    ("add to a flag", ["--add", "c1.pledged=1"], "cannot add to 'pledged'"),
    ("add text", ["--add", "h1.projects=two"], "is not a number"),
    ("add below zero", ["--add", "h2.projects=-2"], "is negative"),
    ("move into own subtree", ["--move", "h1=c1"],
     "error: moving 'h1' under 'c1': a unit cannot move under itself or its own subtree "
     "('c1' is in the subtree of 'h1')"),
    # a chi_doan under a chi_doan breaks the schema too: the move's own problem is named
    ("move a chi_doan under itself", ["--move", "c1=c1"],
     "error: moving 'c1' under 'c1': a unit cannot move under itself or its own subtree\n"),
    ("move under itself", ["--move", "cs1=cs1"],
     "error: moving 'cs1' under 'cs1': a unit cannot move under itself or its own subtree\n"),
    ("move the root", ["--move", "k=h1"], "'k'"),
    ("move breaking the schema", ["--move", "c1=k"], "a chi_doan may not stand under the khoi"),
    ("move an unknown unit", ["--move", "h9=k"], "unit 'h9' is not in the organisation"),
    ("move under an unknown unit", ["--move", "h1=h9"], "unit 'h9' is not in the organisation"),
    ("unknown target", ["--target", "9z.at_least=1"], "target '9z' is not in the plan"),
    ("target bound of the wrong type", ["--target", "3b.at_least=ba"], "does not fit"),
    ("target key that cannot change", ["--target", "3b.metric=funds"], "cannot change metric"),
    ("share out of range", ["--target", "3b.share=2"], "share must be a number"),
    ("set without a metric", ["--set", "h1=3"], "expected the shape A.B=VALUE"),
    ("move without a parent", ["--move", "h1="], "expected the shape UNIT=NEW_PARENT"),
    ("missing scenario file", ["--scenario", "none.toml"], "cannot read the file"),
    ("unknown --at", ["--set", "h1.projects=1", "--at", "h9"],
     "--at h9: unit 'h9' is not in the organisation"),
    ("no edit", [], "whatif needs at least one edit"),
]


@pytest.mark.parametrize(("edits", "message"), [(edits, message) for _, edits, message in
                                                BAD_EDITS], ids=[name for name, _, _ in BAD_EDITS])
def test_a_bad_edit_exits_2_and_changes_nothing(
    files: Files, capsys: Capture, edits: list[str], message: str
) -> None:
    contents = files.contents()
    err = _bad_input(_run(capsys, "whatif", "--lang", "en", *files.args, *edits))
    assert message in err
    assert 1 == len(err.splitlines())
    assert contents == files.contents()


def test_a_bad_edit_after_good_ones_exits_2(files: Files, capsys: Capture) -> None:
    err = _bad_input(_run(capsys, "whatif", "--lang", "en", *files.args, "--set", "h2.projects=3",
                          "--move", "cs1=c1"))
    assert "a unit cannot move under itself or its own subtree" in err


BAD_SCENARIO_FILES: list[tuple[str, str, str]] = [
    ("unknown edit", '[[edits]]\ndo = "jump"\n', "line 1: edit #1: do = 'jump' is not an edit"),
    ("unknown key", 'colour = "red"\n', "line 1: unknown key 'colour'"),
    ("invalid TOML", "[[edits]\n", "line 1: invalid TOML"),
    ("edit that does not fit", '[[edits]]\ndo = "move_unit"\nunit = "c1"\nparent = "k"\n',
     "edit #1 (move unit c1 under k)"),
    ("move under itself", '[[edits]]\ndo = "move_unit"\nunit = "c1"\nparent = "c1"\n',
     "line 1: edit #1 (move unit c1 under c1): moving 'c1' under 'c1': a unit cannot move "
     "under itself or its own subtree\n"),
    ("move under its own subtree",
     '[[edits]]\ndo = "add"\nunit = "h1"\nmetric = "projects"\namount = 1\n\n'
     '[[edits]]\ndo = "move_unit"\nunit = "cs1"\nparent = "c2"\n',
     "line 7: edit #2 (move unit cs1 under c2): moving 'cs1' under 'c2': a unit cannot move "
     "under itself or its own subtree ('c2' is in the subtree of 'cs1')\n"),
    ("edits of numbers", "edits = [1, 2]\n", "s.toml line 1: "),
    ("amount as text",
     '[[edits]]\ndo = "add"\nunit = "h1"\nmetric = "projects"\namount = "hai"\n', "s.toml"),
    ("changes as a number", '[[edits]]\ndo = "change_target"\ntarget = "3b"\nchanges = 3\n',
     "s.toml"),
]


@pytest.mark.parametrize(("text", "message"), [(text, message) for _, text, message in
                                               BAD_SCENARIO_FILES],
                         ids=[name for name, _, _ in BAD_SCENARIO_FILES])
def test_a_bad_scenario_file_exits_2(
    tmp_path: Path, files: Files, capsys: Capture, text: str, message: str
) -> None:
    """A scenario file that is not well formed, or whose edits do not fit, or hold a
    value of the wrong type: exit 2, one message naming the file, no traceback."""
    scenario = tmp_path / "s.toml"
    scenario.write_text(text, encoding="utf-8")
    contents = files.contents()
    err = _bad_input(_run(capsys, "whatif", "--lang", "en",
                          *files.args, "--scenario", str(scenario)))
    assert message in err
    assert str(scenario) in err
    assert contents == files.contents()


# --- an --at unit missing from the base, the scenario or both ---------------------------------

UNIT_EDITS = {
    "add": '[[edits]]\ndo = "add_unit"\nid = "c9"\nparent = "cs1"\nkind = "chi_doan"\n'
           'name = "Chi đoàn 9"\n',
    "split": '[[edits]]\ndo = "split_unit"\nunit = "c1"\nnew_id = "c1b"\nname = "C1b"\n',
    "remove": '[[edits]]\ndo = "remove_unit"\nunit = "c2"\n',
    "merge": '[[edits]]\ndo = "merge_units"\nunits = ["cs2", "cs3"]\ninto = "cs3"\n',
    "move": '[[edits]]\ndo = "move_unit"\nunit = "cs3"\nparent = "h2"\n',
}
"""Scenario files of unit edits: what makes an --at unit one side has and the other lacks."""


def _unit_edit_files(directory: Path) -> dict[str, Path]:
    """UNIT_EDITS written as scenario files in ``directory``, by name."""
    paths = {name: directory / f"{name}.toml" for name in UNIT_EDITS}
    for name, text in UNIT_EDITS.items():
        paths[name].write_text(text, encoding="utf-8")
    return paths

MISSING_AT: list[tuple[str, str, str | None, str]] = [
    ("unknown", "h9", None, "--at h9: unit 'h9' is not in the organisation\n"),
    ("empty", "", None, "--at : unit '' is not in the organisation\n"),
    ("another case", "H1", None, "unit 'H1' is not in the organisation\n"),
    ("unknown, with unit edits", "h9", "move", "unit 'h9' is not in the organisation\n"),
    ("added by the scenario", "c9", "add",
     "--at c9: unit 'c9' is not in the organisation, only in the scenario, whose edits add it"),
    ("split off in the scenario", "c1b", "split", "unit 'c1b' is not in the organisation, only"),
    ("removed by the scenario", "c2", "remove",
     "--at c2: unit 'c2' is not in the scenario, whose edits remove it or merge it away"),
    ("merged away by the scenario", "cs2", "merge", "unit 'cs2' is not in the scenario"),
]

OTHER_EDITS: list[tuple[str, list[str]]] = [
    ("set", ["--set", "h2.projects=3"]),
    ("add", ["--add", "h2.projects=1"]),
    ("move", ["--move", "cs3=h2"]),
    ("target", ["--target", "3b.at_least=1"]),
    ("scenario", ["--scenario", "{move}"]),
]


@pytest.mark.parametrize("fmt", ["text", "json", "md"])
@pytest.mark.parametrize("at_first", [True, False], ids=["at first", "at last"])
@pytest.mark.parametrize(("edit", "edits"), OTHER_EDITS, ids=[name for name, _ in OTHER_EDITS])
@pytest.mark.parametrize(("at", "unit_edits", "message"),
                         [(at, edits, message) for _, at, edits, message in MISSING_AT],
                         ids=[name for name, _, _, _ in MISSING_AT])
def test_whatif_at_a_unit_missing_from_either_side_exits_2(
    tmp_path: Path, files: Files, capsys: Capture, at: str, unit_edits: str | None,
    message: str, edit: str, edits: list[str], at_first: bool, fmt: str
) -> None:
    """Whatever the edits, their order and the format: exit 2, one line naming --at and
    the side that lacks the unit, nothing on stdout, the inputs unchanged."""
    paths = _unit_edit_files(tmp_path)
    given = [option.format_map(paths) for option in edits]
    given += ["--scenario", str(paths[unit_edits])] if unit_edits else []
    argv = ["--at", at, *given] if at_first else [*given, "--at", at]
    contents = files.contents()
    err = _bad_input(_run(capsys, "whatif", "--lang", "en", *files.args, *argv, "--format", fmt))
    assert message in err
    assert [f"error: --at {at}: "] == [line[: len(f"error: --at {at}: ")]
                                        for line in err.splitlines()]
    assert contents == files.contents()


# --- failing units that leave or join the assessed subtree ------------------------------------

LEAVING: list[tuple[str, list[str], str, dict[str, str], str]] = [
    ("moved out", ["--move", "cs2=h1"], "h2",
     {"id": "3c", "unit": "cs2", "change": "left"}, "cs2 leaves the subtree; it failed 3c"),
    ("moved in", ["--move", "cs2=h1"], "h1",
     {"id": "3c", "unit": "cs2", "change": "joined"}, "cs2 joins the subtree, failing 3c"),
    ("removed", ["--scenario", "{remove}"], "k",
     {"id": "2b", "unit": "c2", "change": "left"}, "c2 leaves the subtree; it failed 2b"),
    ("merged away", ["--scenario", "{merge}"], "k",
     {"id": "3c", "unit": "cs2", "change": "left"}, "cs2 leaves the subtree; it failed 3c"),
    ("added", ["--scenario", "{add}"], "cs1",
     {"id": "2b", "unit": "c9", "change": "joined"},
     "c9 joins the subtree, failing 2b (not reported in scenario)"),
]


@pytest.mark.parametrize(("edits", "at", "change", "line"),
                         [(edits, at, change, line) for _, edits, at, change, line in LEAVING],
                         ids=[name for name, *_ in LEAVING])
@pytest.mark.parametrize("fmt", ["json", "text", "md"])
def test_whatif_failing_units_that_leave_or_join_are_not_fixed(
    tmp_path: Path, files: Files, capsys: Capture, edits: list[str], at: str,
    change: dict[str, str], line: str, fmt: str
) -> None:
    """A failing unit moved out of the assessed subtree, removed or merged away leaves
    it, and one moved in or added joins it: neither stops nor starts failing."""
    paths = _unit_edit_files(tmp_path)
    status, out, err = _run(capsys, "whatif", "--lang", "en", *files.args, "--at", at,
                            *[option.format_map(paths) for option in edits], "--format", fmt)
    assert (1, "") == (status, err)
    if fmt == "json":
        units = json.loads(out)["units"]
        assert change in units
        assert [] == [unit for unit in units if unit["unit"] == change["unit"]
                      and unit["change"] in ("stops_failing", "starts_failing")]
    else:
        assert f"{'- ' if fmt == 'md' else '  '}{line}\n" in out
        assert f"{change['unit']} stops failing" not in out


# --- gap ---------------------------------------------------------------------------------------


def test_gap_text(files: Files, capsys: Capture) -> None:
    status, out, err = _run(capsys, "gap", "--lang", "en", *files.args)
    assert (0, "") == (status, err)
    assert (
        "Least extra effort to meet every mandatory target of p at k\n"
        "\n"
        "c2 Chi đoàn 2\n"
        "  - pledged: false → true for 2b\n"
        "h2 Huyện 2\n"
        "  - projects: 1 → 3 (+2) for 3b\n"
        "cs2 Cơ sở 2\n"
        "  - projects: 0 → 1 (+1) for 3c\n"
        "\n"
        "Effort in all: pledged 1, projects 3\n"
    ) == out


def test_gap_json(files: Files, capsys: Capture) -> None:
    status, out, _ = _run(capsys, "gap", "--lang", "en", *files.args, "--format", "json")
    data = json.loads(out)
    assert (0, ["plan", "at", "met", "include_aspirational", "effort", "units", "unmeetable"]) == (
        status, list(data))
    assert ("p", "k", True, False, {"pledged": 1, "projects": 3}, []) == (
        data["plan"], data["at"], data["met"], data["include_aspirational"], data["effort"],
        data["unmeetable"])
    assert [
        {"unit": "c2", "name": "Chi đoàn 2", "steps": [
            {"metric": "pledged", "from": False, "to": True, "effort": 1, "targets": ["2b"]}]},
        {"unit": "h2", "name": "Huyện 2", "steps": [
            {"metric": "projects", "from": 1, "to": 3, "effort": 2, "targets": ["3b"]}]},
        {"unit": "cs2", "name": "Cơ sở 2", "steps": [
            {"metric": "projects", "from": 0, "to": 1, "effort": 1, "targets": ["3c"]}]},
    ] == data["units"]


def test_gap_markdown(files: Files, capsys: Capture) -> None:
    status, out, _ = _run(capsys, "gap", "--lang", "en", *files.args, "--format", "md")
    assert 0 == status
    assert out.startswith("# Least extra effort to meet every mandatory target of p at k\n\n"
                          "## c2 Chi đoàn 2\n- pledged: false → true for 2b\n\n"
                          "## h2 Huyện 2\n- projects: 1 → 3 (+2) for 3b\n")


def test_gap_apply_then_check_exits_0(tmp_path: Path, files: Files, capsys: Capture) -> None:
    out_csv = tmp_path / "out.csv"
    contents = files.contents()
    status, out, err = _run(capsys, "gap", "--lang", "en", *files.args, "--apply", str(out_csv))
    assert 0 == status
    assert contents == files.contents()
    assert out.startswith("Least extra effort")
    rows = len(out_csv.read_text(encoding="utf-8").splitlines()) - 1
    assert [f"wrote {out_csv}: {rows} rows of facts in long form, with 3 values changed in "
            "3 units"] == err.splitlines()
    status, _, err = _run(capsys, "check", "--org", str(files.org), "--facts", str(out_csv),
                          "--plan", str(files.plan))
    assert (0, "") == (status, err)
    assert "unit,metric,value" == out_csv.read_text(encoding="utf-8").splitlines()[0]


def test_gap_apply_at_a_unit(tmp_path: Path, files: Files, capsys: Capture) -> None:
    out_csv = tmp_path / "out.csv"
    status, out, _ = _run(capsys, "gap", "--lang", "en",
                          *files.args, "--at", "h2", "--apply", str(out_csv))
    assert (0, ["h2 Huyện 2", "cs2 Cơ sở 2"]) == (
        status, [line for line in out.splitlines() if line and line[0] in "hc"])
    args = ["--org", str(files.org), "--facts", str(out_csv), "--plan", str(files.plan)]
    assert (0, 1) == (_run(capsys, "check", *args, "--at", "h2")[0],
                      _run(capsys, "check", *args)[0])


def test_gap_include_aspirational(tmp_path: Path, files: Files, capsys: Capture) -> None:
    out_csv = tmp_path / "out.csv"
    status, out, _ = _run(capsys, "gap", "--lang", "en", *files.args, "--include-aspirational",
                          "--apply", str(out_csv), "--format", "json")
    data = json.loads(out)
    assert (0, True, {"funds": 6.5, "pledged": 1, "projects": 3}) == (
        status, data["include_aspirational"], data["effort"])
    files.facts = out_csv
    _, report = _check(capsys, files)
    assert [] == [target["id"] for target in report["targets"] if target["status"] == "not_met"]


SILENT = {unit: values for unit, values in FACTS.items() if unit not in ("c2", "cs2")}
"""FACTS without c2 and cs2: two units that did not report, failing 2b and 3c."""


def test_gap_marks_the_units_that_did_not_report(tmp_path: Path, capsys: Capture) -> None:
    files = Files(tmp_path, facts=SILENT)
    status, out, _ = _run(capsys, "gap", "--lang", "en", *files.args)
    assert (0, ["c2 Chi đoàn 2 (not reported)", "h2 Huyện 2", "cs2 Cơ sở 2 (not reported)"]) == (
        status, [line for line in out.splitlines() if line[:1] in ("c", "h")])
    status, out, _ = _run(capsys, "gap", "--lang", "en", *files.args, "--format", "md")
    assert ["## c2 Chi đoàn 2 (not reported)", "## h2 Huyện 2",
            "## cs2 Cơ sở 2 (not reported)"] == [
        line for line in out.splitlines() if line.startswith("## ")]
    status, out, _ = _run(capsys, "gap", "--lang", "en", *files.args, "--format", "json")
    assert [["name", "steps", "unit"]] * 3 == [sorted(unit) for unit in json.loads(out)["units"]]


@pytest.mark.parametrize(("output_format", "bullet"), [("text", "  "), ("md", "- ")])
def test_whatif_marks_the_units_that_did_not_report(
    tmp_path: Path, capsys: Capture, output_format: str, bullet: str
) -> None:
    """c2 reports in the scenario only (an edited unit has reported); cs2 on neither side."""
    files = Files(tmp_path, facts=SILENT)
    status, out, _ = _run(capsys, "whatif", "--lang", "en", *files.args, "--set", "c2.pledged=true",
                          "--target", "3c.at_least=0", "--format", output_format)
    assert 1 == status
    assert (f"{bullet}cs2 stops failing 3c (not reported)\n"
            f"{bullet}c2 stops failing 2b (not reported in baseline)\n") in out
    status, out, _ = _run(capsys, "whatif", "--lang", "en", *files.args, "--set", "c2.pledged=true",
                          "--target", "3c.at_least=0", "--format", "json")
    assert [["change", "id", "unit"]] * 2 == [sorted(unit) for unit in json.loads(out)["units"]]


@pytest.mark.parametrize("output_format", ["text", "md"])
def test_whatif_ends_with_the_scenarios_warnings(
    tmp_path: Path, capsys: Capture, output_format: str
) -> None:
    files = Files(tmp_path, facts={**FACTS, "h1": {**FACTS["h1"], "extra": "1"}})
    status, out, err = _run(capsys, "whatif", "--lang", "en", *files.args, "--set", "h2.projects=3",
                            "--format", output_format, "--ignore-unknown-metrics")
    assert 1 == status
    warning = f"{files.facts}: facts for metric 'extra' are ignored: the plan does not declare it"
    assert out.endswith(f"{'-' if output_format == 'md' else '  -'} {warning}\n")
    assert [f"warning: {warning}"] == err.splitlines()


@pytest.mark.parametrize("which", ["org", "facts", "plan"])
def test_gap_apply_onto_an_input_is_refused(files: Files, capsys: Capture, which: str) -> None:
    target: Path = getattr(files, which)
    contents = files.contents()
    err = _bad_input(_run(capsys, "gap", "--lang", "en", *files.args, "--apply", str(target)))
    assert f"--apply {target}: that is an input file" in err
    assert contents == files.contents()


def test_gap_apply_never_replaces_a_file_unless_forced(
    tmp_path: Path, files: Files, capsys: Capture
) -> None:
    """An OUT.csv that exists is someone's work: gap refuses it, before any reading, unless
    --force; forced, the file is replaced and stderr says so."""
    out_csv = tmp_path / "out.csv"
    out_csv.write_text("mine\n", encoding="utf-8")
    err = _bad_input(_run(capsys, "gap", "--lang", "en", *files.args, "--apply", str(out_csv)))
    assert f"error: --apply {out_csv}: the file exists; pass --force to replace it\n" == err
    assert "mine\n" == out_csv.read_text(encoding="utf-8")
    status, _, err = _run(capsys, "gap", "--lang", "en",
                          *files.args, "--apply", str(out_csv), "--force")
    assert 0 == status
    assert err.startswith(f"wrote {out_csv}: ")
    assert "unit,metric,value" == out_csv.read_text(encoding="utf-8").splitlines()[0]


def test_gap_apply_forced_replaces_the_name_not_the_file(
    tmp_path: Path, files: Files, capsys: Capture
) -> None:
    """--force replaces OUT.csv with a new file: another name of the old file (a hard link
    that is no input of the run) keeps the old contents."""
    kept = tmp_path / "kept.csv"
    kept.write_text("mine\n", encoding="utf-8")
    out_csv = tmp_path / "out.csv"
    out_csv.hardlink_to(kept)
    assert 0 == _run(capsys, "gap", "--lang", "en",
                     *files.args, "--apply", str(out_csv), "--force")[0]
    assert ("mine\n", "unit,metric,value") == (
        kept.read_text(encoding="utf-8"), out_csv.read_text(encoding="utf-8").splitlines()[0])
    assert ["kept.csv", "out.csv"] == sorted(path.name for path in tmp_path.iterdir()
                                              if path.is_file())


def test_gap_force_never_lets_an_input_be_replaced(
    tmp_path: Path, files: Files, capsys: Capture
) -> None:
    out_csv = tmp_path / "out.csv"
    out_csv.hardlink_to(files.facts)
    contents = files.contents()
    err = _bad_input(_run(capsys, "gap", "--lang", "en",
                          *files.args, "--apply", str(out_csv), "--force"))
    assert f"that is an input file (--facts {files.facts})" in err
    assert contents == files.contents()


@pytest.mark.parametrize(("argv", "message"), [
    (["--force"], "error: --force: only with --apply OUT.csv"),
    (["--apply", "."], "error: --apply .: that is a directory"),
    (["--apply", "{tmp}/no/such/dir/out.csv"],
     "error: --apply {tmp}/no/such/dir/out.csv: cannot write: No such file or directory"),
])
def test_gap_apply_that_cannot_be_written_exits_2(
    tmp_path: Path, files: Files, capsys: Capture, argv: list[str], message: str
) -> None:
    argv = [arg.format(tmp=tmp_path) for arg in argv]
    err = _bad_input(_run(capsys, "gap", "--lang", "en", *files.args, *argv))
    assert err.startswith(message.format(tmp=tmp_path)), err
    assert [] == [path for path in tmp_path.rglob("*") if path.name.endswith(".tmp")]


@pytest.mark.parametrize("force", [False, True])
def test_gap_apply_that_fails_midway_leaves_no_half_file(
    tmp_path: Path, files: Files, capsys: Capture, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    """A disk that fills up midway: no half-written OUT.csv is left, and a file that --force
    was to replace is left whole."""
    out_csv = tmp_path / "out.csv"
    if force:
        out_csv.write_text("mine\n", encoding="utf-8")

    def fill_up(facts: object, path: Path, **_: object) -> int:
        path.write_text("unit,metric,value\nh1,pro", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("doanorg.cli.save_facts", fill_up)
    argv = ["--apply", str(out_csv), *(["--force"] if force else [])]
    err = _bad_input(_run(capsys, "gap", "--lang", "en", *files.args, *argv))
    assert f"error: --apply {out_csv}: cannot write: No space left on device\n" == err
    assert (["out.csv"] if force else []) == [path.name for path in tmp_path.iterdir()
                                              if path.is_file()]
    assert not force or "mine\n" == out_csv.read_text(encoding="utf-8")


def _hard_link(target: Path, link: Path) -> Path:
    link.hardlink_to(target)
    return link


def _symbolic_link(target: Path, link: Path) -> Path:
    link.symlink_to(target)
    return link


def _through_dot_dot(target: Path, link: Path) -> Path:
    (link.parent / "sub").mkdir()
    return link.parent / "sub" / ".." / target.parent.name / target.name


@pytest.mark.parametrize("which", ["org", "facts", "plan"])
@pytest.mark.parametrize("alias", [_hard_link, _symbolic_link, _through_dot_dot],
                         ids=["hard-link", "symbolic-link", "dot-dot"])
def test_gap_apply_onto_another_name_of_an_input_is_refused(
    tmp_path: Path, files: Files, capsys: Capture, which: str, alias: Callable[[Path, Path], Path]
) -> None:
    """An input is known by what it is (device and inode), not by the name it is given: a
    hard link, a symbolic link or a path through .. to an input is that input."""
    target: Path = getattr(files, which)
    out = alias(target, tmp_path / "out.csv")
    contents = files.contents()
    lines = _bad_input(_run(capsys, "gap", "--lang", "en",
                            *files.args, "--apply", str(out))).splitlines()
    assert [f"error: --apply {out}: that is an input file (--{which} {target}); doanorg never "
            "writes over its inputs"] == lines
    assert contents == files.contents()


def test_gap_apply_onto_the_schema_file_is_refused(
    tmp_path: Path, files: Files, capsys: Capture
) -> None:
    schema = tmp_path / "schema.toml"
    schema.write_bytes((Path(doanorg.__file__).parent / "data/schemas/doan.toml").read_bytes())
    out = _hard_link(schema, tmp_path / "out.csv")
    before = schema.read_bytes()
    err = _bad_input(_run(capsys, "gap", "--lang", "en", *files.args, "--schema", str(schema),
                          "--apply", str(out)))
    assert f"(--schema {schema})" in err
    assert before == schema.read_bytes()


def test_gap_exits_1_with_the_reasons_when_a_target_cannot_be_met(
    tmp_path: Path, capsys: Capture
) -> None:
    """At most 10 projects in all, and at least 12: one of the two totals is named, with
    the other as the reason."""
    plan = PLAN_TEXT + '\n[[targets]]\nid = "cap"\ntotal = "projects"\nat_most = 10\n'
    files = Files(tmp_path, plan=plan)
    status, out, _ = _run(capsys, "gap", "--lang", "en", *files.args, "--format", "json")
    data = json.loads(out)
    assert (1, False) == (status, data["met"])
    (item,) = data["unmeetable"]
    assert item["id"] in ("cap", "tong")
    assert ("tong" if item["id"] == "cap" else "cap") in item["reason"]
    status, out, _ = _run(capsys, "gap", "--lang", "en", *files.args)
    assert 1 == status
    assert f"\nNo effort can meet:\n- {item['id']}: {item['reason']}\n" in out


def test_gap_bad_input_exits_2(files: Files, capsys: Capture) -> None:
    assert "unit 'h9' is not in the organisation" in _bad_input(
        _run(capsys, "gap", "--lang", "en", *files.args, "--at", "h9"))


def test_gap_apply_on_the_example_then_check_exits_0(tmp_path: Path, capsys: Capture) -> None:
    assert 0 == _run(capsys, "demo", "--export", str(tmp_path))[0]
    args = ["--org", str(tmp_path / "org.csv"), "--plan", "doan-khoi-2020"]
    out_csv = tmp_path / "out.csv"
    status, out, _ = _run(capsys, "gap", "--lang", "en",
                          *args, "--facts", str(tmp_path / "facts.csv"),
                          "--apply", str(out_csv))
    assert 0 == status
    assert out.endswith("Effort in all: key_cadres_trained 9, ho_chi_minh_pledges 4, "
                        "regular_meetings 7, thematic_meetings 4, youth_projects 4\n")
    assert 1 == _run(capsys, "check", *args, "--facts", str(tmp_path / "facts.csv"))[0]
    status, _, err = _run(capsys, "check", *args, "--facts", str(out_csv))
    assert (0, "") == (status, err)


@pytest.mark.parametrize("command", ["check", "gap"])
@pytest.mark.parametrize("at", ["h9", "", "H1"])
def test_check_and_gap_at_an_unknown_unit_name_no_scenario(
    files: Files, capsys: Capture, command: str, at: str
) -> None:
    """check and gap have no scenario: an unknown --at unit is not "only in the scenario"."""
    err = _bad_input(_run(capsys, command, *files.args, "--at", at))
    assert f"error: --at {at}: unit {at!r} is not in the organisation\n" == err


def test_demo_at_an_unknown_unit_names_no_scenario(capsys: Capture) -> None:
    assert "error: --at h9: unit 'h9' is not in the organisation\n" == _bad_input(
        _run(capsys, "demo", "--at", "h9"))


# --- non-finite numbers in a plan are plan errors -----------------------------------------------

NON_FINITE_PLANS: list[tuple[str, str, str, str]] = [
    ("total at_least inf", 'id = "x"\ntotal = "projects"\nat_least = inf', "at_least = inf",
     "a finite, non-negative number"),
    ("total at_most +inf", 'id = "x"\ntotal = "funds"\nat_most = +inf', "at_most = inf",
     "a finite, non-negative number"),
    ("range up to inf", 'id = "x"\ntotal = "funds"\nat_least = 1\nat_most = inf',
     "at_most = inf", "a finite, non-negative number"),
    ("each at_least inf", 'id = "x"\neach = ["chi_doan"]\nmetric = "projects"\nat_least = inf',
     "at_least = inf", "a finite, non-negative number"),
    ("each equals inf", 'id = "x"\neach = ["chi_doan"]\nmetric = "funds"\nequals = inf',
     "equals = inf", "a finite number"),
    ("each in [inf]", 'id = "x"\neach = ["chi_doan"]\nmetric = "funds"\nin = [1, -inf]',
     "in = -inf", "a finite number"),
    ("ratio at_least inf", 'id = "x"\nratio = ["funds", "projects"]\nat_least = inf',
     "at_least = inf", "a finite, non-negative number"),
    ("stretch inf", 'id = "x"\ntotal = "projects"\nat_least = 1\nstretch = inf',
     "stretch must be a finite number (got inf)", ""),
    ("share inf", 'id = "x"\neach = ["chi_doan"]\nmetric = "projects"\nat_least = 1\nshare = inf',
     "share must be a number from 0 to 1 (got inf)", ""),
    ("at_least 1e400", 'id = "x"\ntotal = "projects"\nat_least = 1e400', "at_least = inf",
     "a finite, non-negative number"),
]


@pytest.mark.parametrize("command", ["check", "gap"])
@pytest.mark.parametrize(("target", "named", "expected"),
                         [case[1:] for case in NON_FINITE_PLANS],
                         ids=[case[0] for case in NON_FINITE_PLANS])
def test_a_plan_with_a_non_finite_number_exits_2(
    tmp_path: Path, capsys: Capture, command: str, target: str, named: str, expected: str
) -> None:
    """inf (and 1e400, which TOML reads as inf) is no bound, stretch or share: a plan error
    naming the target's key, not a traceback."""
    files = Files(tmp_path, plan=PLAN_TEXT + "\n[[targets]]\n" + target + "\n")
    contents = files.contents()
    err = _bad_input(_run(capsys, command, *files.args))
    assert named in err and expected in err, err
    assert contents == files.contents()


@pytest.mark.parametrize("change", ["tong.at_least=inf", "tong.at_most=-inf",
                                    "3b.stretch=inf", "3b.share=inf", "tong.at_least=1e400"])
def test_whatif_a_target_changed_to_a_non_finite_number_exits_2(
    files: Files, capsys: Capture, change: str
) -> None:
    err = _bad_input(_run(capsys, "whatif", "--lang", "en", *files.args, "--target", change))
    assert "finite" in err or "from 0 to 1" in err, err
