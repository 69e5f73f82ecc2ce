"""Laws of the scores for people in two languages, and of the files they are written to
(SPEC §9, §11), over random organisations, facts, rubrics and hostile unit names."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanorg import Facts, score
from doanorg.core._catalogue import catalogue
from doanorg.core.scoring import Scores
from doanorg.io import save_scores

from .test_report_words import _PAGE_TAGS, _Texts, hostile_names
from .test_scoring_laws import _cases


def _scores(case: dict[str, Any], names: list[str]) -> Scores:
    """The case's scores, its units renamed with the drawn names."""
    org = case["org"]
    org = attrs.evolve(org, names=[names[position % len(names)]
                                   for position in range(len(org))])
    return score(org, Facts.from_records(case["records"]), case["plan"])


def _swap(text: str) -> str:
    return text.translate(str.maketrans(",.", ".,"))


def _rows(scores: Scores, lang: str) -> list[list[str]]:
    """The cells of the text's table of units (after its heading and head)."""
    text = scores.to_text(lang)
    after = text.split(catalogue(lang)["score.units"] + ":\n", 1)[1]
    return [line.split() for line in after.splitlines()[1:1 + len(scores.units)]]


@given(_cases(), hostile_names)
def test_the_language_changes_words_never_data(case: dict[str, Any], names: list[str]
                                                 ) -> None:
    """In both languages the JSON is one and the same; the text, the Markdown and the page
    of each language list every scored unit in rank order; and each unit's rank and score
    in Vietnamese are the English ones with '.' and ',' swapped."""
    scores = _scores(case, names)
    data = scores.to_json()
    ids = [unit.unit for unit in scores.units]
    rows = {lang: _rows(scores, lang) for lang in ("vi", "en")}
    for lang in ("vi", "en"):
        assert ids == [row[3] for row in rows[lang]]  # rank, group, in group, unit, score
        markdown = scores.to_markdown(lang).split(f"## {catalogue(lang)['score.units']}")[1]
        assert ids == [line.split(" | ")[3] for line in markdown.splitlines()[4:4 + len(ids)]]
        page = scores.to_html(lang).split('<section id="units">')[1]
        assert ids == re.findall(r'<tr data-unit="([^"]*)">', page)
    for vi, en in zip(rows["vi"], rows["en"], strict=True):
        assert (vi[0], vi[4]) == (_swap(en[0]), _swap(en[4]))
    assert data == scores.to_json()


@given(_cases(), hostile_names)
def test_every_text_of_the_scores_page_is_escaped(case: dict[str, Any],
                                                  names: list[str]) -> None:
    """Whatever the units are named, the page holds only doanorg's own elements (and no
    script at all), and each scored unit's name reads, as the browser's parser reads the
    page, as that very text."""
    scores = _scores(case, names)
    for lang in ("vi", "en"):
        page = _Texts()
        page.feed(scores.to_html(lang))
        assert page.tags <= _PAGE_TAGS - {"script"}
        shown = "".join(page.texts)
        assert all(unit.unit in shown for unit in scores.units)


calamine = pytest.importorskip("python_calamine", reason="the excel extra is not installed")


@settings(max_examples=15, deadline=None)
@given(_cases(), hostile_names, st.sampled_from(["vi", "en"]))
def test_every_text_of_the_scores_workbook_is_a_text_cell(
        case: dict[str, Any], names: list[str], lang: str) -> None:
    """Whatever the units are named, the workbook holds no formula; each scored unit's
    name reads back as that very text, and its rank and score as those numbers (to the
    16 significant digits a workbook cell is written with, one more than Excel shows)."""
    scores = _scores(case, names)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scores.xlsx"
        save_scores(scores, path, format="xlsx", lang=lang)
        with zipfile.ZipFile(path) as archive:
            xml = "".join(archive.read(name).decode() for name in archive.namelist()
                          if name.startswith("xl/worksheets/"))
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
    assert "<f>" not in xml and "<f " not in xml
    by_unit = {row[3]: row for row in rows if len(row) > 5 and isinstance(row[0], float)}
    assert {unit.unit for unit in scores.units} == set(by_unit)
    for unit in scores.units:
        row = by_unit[unit.unit]
        written = float(f"{float(unit.score):.16G}")  # (xlsxwriter's form of a number)
        assert (float(unit.rank), unit.name, written) == (row[0], row[4], row[5])
