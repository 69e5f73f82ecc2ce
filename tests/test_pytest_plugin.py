"""doanorg's pytest plugin: every law of the roll-up in one line, the doanorg_laws fixture."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from doanorg import Facts, UnitRow, build_org, load_plan

if TYPE_CHECKING:  # imported by pytest below, as a plugin, before any test uses it
    from doanorg.testing.pytest_plugin import Laws

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "doanorg.testing.pytest_plugin"
INSTALLED = PLUGIN in [entry.value for entry in importlib.metadata.entry_points(group="pytest11")]
"""Whether pytest loads the plugin by itself: doanorg installed with its entry point."""

# before doanorg is reinstalled with its entry point, load the plugin here, as -p would
pytest_plugins = ["pytester", *([] if INSTALLED else [PLUGIN])]


def _plugin_arguments() -> list[str]:
    """``-p doanorg.testing.pytest_plugin`` unless the installed doanorg loads it already."""
    return [] if INSTALLED else ["-p", PLUGIN]


_USER_TESTS = '''
from fractions import Fraction

from doanorg import Facts, RatioTarget, UnitRow, build_org, load_plan
from doanorg.core.engine import Assessment

PLAN = load_plan("doan-khoi-2020")
ORG = build_org([UnitRow("khoi", None, "khoi", "Đoàn Khối"),
                 UnitRow("h1", "khoi", "doan_cap_huyen", "Đoàn Bộ Y tế"),
                 UnitRow("h2", "khoi", "doan_cap_huyen", "Đoàn Bộ Tư pháp")], PLAN.schema)
FACTS = Facts.from_records({
    "h1": {"research_projects": 10, "research_applied": 1},
    "h2": {"research_projects": 1, "research_applied": 1},
})


def test_the_year_keeps_the_laws(doanorg_laws):
    doanorg_laws.check(ORG, FACTS, PLAN)


def test_a_mean_of_ratios_breaks_them(doanorg_laws, monkeypatch):
    original = Assessment._compute_status

    def mean(self, target, position):
        if not isinstance(target, RatioTarget):
            return original(self, target, position)
        units = self.org.units[position:self.org.ends[position]]
        ratios = [Fraction(self.value(target.numerator, unit.id),
                           self.value(target.denominator, unit.id))
                  for unit in units if self.value(target.denominator, unit.id)]
        value = sum(ratios) / len(ratios) if ratios else None
        if value is None:
            return "not_applicable", None, None
        return ("met" if target.condition.holds(value) else "not_met"), None, float(value)

    monkeypatch.setattr(Assessment, "_compute_status", mean)
    # new facts: the roll-up of FACTS, kept with them, was made by the engine unbroken
    facts = Facts.from_records({unit: dict(values) for unit, values in FACTS.values.items()})
    doanorg_laws.ratio_of_sums(ORG, facts, PLAN)
'''


def test_one_line_checks_every_law_and_a_broken_law_fails_the_test(
    pytester: pytest.Pytester
) -> None:
    """A user's test file asks for the doanorg_laws fixture: .check() passes on data the
    laws hold for, and a broken engine (ratios as the mean of the units' ratios) fails
    its test with a LawViolation naming the law, the unit and the figures."""
    pytester.makepyfile(test_user=_USER_TESTS)
    result = pytester.runpytest(*_plugin_arguments(), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*LawViolation: law of ratio of sums broken at unit 'khoi',"
                                 " target '5b': *numerator_sum=2, denominator_sum=11*"])


def test_the_fixture_gives_every_law(doanorg_laws: Laws) -> None:
    """The fixture's object runs check_all, and each law by its name."""
    plan = load_plan("doan-khoi-2020")
    org = build_org([UnitRow("khoi", None, "khoi", "Đoàn Khối"),
                     UnitRow("h1", "khoi", "doan_cap_huyen", "Đoàn Bộ Y tế")], plan.schema)
    facts = Facts.from_records({"h1": {"youth_projects": 1, "trees_planted": 40}})
    from doanorg.testing.pytest_plugin import Laws

    assert isinstance(doanorg_laws, Laws)
    doanorg_laws.check(org, facts, plan)
    doanorg_laws.additivity(org, facts, plan)
    doanorg_laws.ratio_of_sums(org, facts, plan)
    doanorg_laws.monotonicity(org, facts, plan, unit="h1", metric="youth_projects", amount=2)
    doanorg_laws.locality(org, facts, plan, at="h1", other_facts=Facts.from_records({}))
    doanorg_laws.permutation(org, facts, plan, order=["h1", "khoi"])
    doanorg_laws.gap(org, facts, plan, at="h1", include_aspirational=True)


def test_pyproject_declares_the_pytest_entry_point() -> None:
    """pyproject.toml registers the plugin with pytest under the name ``doanorg`` (so
    that ``-p no:doanorg`` turns it off)."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        entry_points = tomllib.load(file)["project"].get("entry-points", {})
    assert entry_points.get("pytest11") == {"doanorg": PLUGIN}
