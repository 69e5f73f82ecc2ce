"""The HTML report in a real headless browser (SPEC §9): Debian's chromium, driven by
selenium through the system's chromedriver (``apt install chromium chromium-driver``;
``pip install 'doanorg[browser]'``). Skipped, with the reason shown, where either is
missing.

Each test writes a screenshot of the page it opened. With ``DOANORG_UPDATE_DOCS=1`` the
screenshots are also written into ``docs/how-to/images/``, where the office how-to shows
them (read the images before committing them).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hostile
from doanorg.cli import main

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "how-to" / "images"
UPDATE = os.environ.get("DOANORG_UPDATE_DOCS") == "1"

webdriver = pytest.importorskip("selenium.webdriver",
                                reason="selenium is not installed (pip install 'doanorg[browser]')")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="no chromium and chromedriver on this machine (apt install chromium chromium-driver)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1100,1400", "--lang=vi"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser: Any, page: Path) -> list[dict[str, Any]]:
    """Open ``page``; the console's errors while it loaded."""
    browser.get_log("browser")  # what an earlier page left
    browser.get(page.as_uri())
    assert "complete" == browser.execute_script("return document.readyState")
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _screenshot(browser: Any, name: str, folder: Path) -> Path:
    path = folder / name
    assert browser.save_screenshot(str(path))
    assert path.stat().st_size > 1000
    if UPDATE:
        IMAGES.mkdir(exist_ok=True)
        shutil.copyfile(path, IMAGES / name)
    return path


def _write(argv: list[str], out: Path) -> Path:
    assert main([*argv, "--format", "html", "--out", str(out)]) in (0, 1)
    return out


def test_the_example_loads_and_a_click_expands_a_subtree(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = _write(["demo"], tmp_path / "bao-cao.html")
    assert [] == _open(browser, page)
    _screenshot(browser, "html-report-top.png", tmp_path)
    unit = browser.find_element(By.CSS_SELECTOR, 'li[data-unit="h12"]')
    details = unit.find_element(By.CSS_SELECTOR, ":scope > details")
    child = unit.find_element(By.CSS_SELECTOR, 'li[data-unit="h12-cs01"]')
    assert (details.get_attribute("open"), child.is_displayed()) == (None, False)
    unit.find_element(By.CSS_SELECTOR, ":scope > details > summary").click()
    assert (details.get_attribute("open"), child.is_displayed()) == ("true", True)
    browser.execute_script("arguments[0].scrollIntoView()", unit)
    _screenshot(browser, "html-report-tree.png", tmp_path)
    target = browser.find_element(By.ID, "target-3b")
    browser.execute_script("arguments[0].scrollIntoView()", target)
    assert "h14" in target.text and "KHÔNG ĐẠT" in target.text
    _screenshot(browser, "html-report-target.png", tmp_path)
    browser.find_element(By.ID, "expand-all").click()
    assert browser.execute_script(
        "return [...document.querySelectorAll('#tree details')].every(d => d.open)")
    assert [] == [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_a_hostile_name_shows_as_text(browser: Any, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    page = _write(["check", *hostile.files(tmp_path)], tmp_path / "hostile.html")
    assert [] == _open(browser, page)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 (no script of a name ran)
    unit = browser.find_element(By.CSS_SELECTOR, 'li[data-unit="h1"] > details > summary')
    assert hostile.SCRIPT in unit.text
    assert hostile.FORMULA in browser.find_element(By.ID, "target-3b").text
    assert 1 == len(browser.find_elements(By.TAG_NAME, "script"))
    assert [] == browser.find_elements(By.CSS_SELECTOR, "#tree b")
    _screenshot(browser, "html-report-hostile.png", tmp_path)
