"""The how-to's complete example, docs/examples/test_my_rules.py, run as a user runs it."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "test_my_rules.py"
PLUGIN = "doanorg.testing.pytest_plugin"


def _pytest(directory: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """pytest on the example in ``directory``, outside this project (no pyproject there),
    with doanorg's plugin as an installed doanorg loads it."""
    installed = PLUGIN in [entry.value
                           for entry in importlib.metadata.entry_points(group="pytest11")]
    plugin = [] if installed else ["-p", PLUGIN]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *plugin, "-p", "no:cacheprovider", "-q",
         "--hypothesis-seed=0", *options, EXAMPLE.name],
        cwd=directory, check=False, capture_output=True, text=True, timeout=600)


def test_the_example_passes(tmp_path: Path) -> None:
    """The example's tests pass: the laws hold for its plan, and its tool does what its
    tests say, for facts that meet and that fail each target."""
    shutil.copy(EXAMPLE, tmp_path)
    done = _pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout


_NO_SHRINKING = """
from hypothesis import Phase, settings

settings.register_profile("no-shrinking", phases=[Phase.generate])
settings.load_profile("no-shrinking")
"""


def test_the_example_catches_a_broken_tool(tmp_path: Path) -> None:
    """The example's tests can fail: with its tool broken (a total or ratio that is not
    met names no unit to call), the test of failed targets fails. (Run alone and
    without shrinking, which only makes the failing example smaller.)"""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "or [report.at])" in text
    (tmp_path / EXAMPLE.name).write_text(text.replace("or [report.at])", "or [])"),
                                         encoding="utf-8")
    (tmp_path / "conftest.py").write_text(_NO_SHRINKING, encoding="utf-8")
    done = _pytest(tmp_path, "-k", "not_met_names_units_to_call")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 3 deselected" in done.stdout
    assert "test_a_target_that_is_not_met_names_units_to_call" in done.stdout
