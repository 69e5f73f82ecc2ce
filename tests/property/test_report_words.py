"""Laws of the reports for people in two languages, and of the files they are written to
(SPEC §9)."""

from __future__ import annotations

import html.parser
import re
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanorg import rollup
from doanorg.core._render import figure, format_number
from doanorg.io import save_report
from doanorg.testing.strategies import Case, cases, schemas

_NUMBER = re.compile(r"-?[\d,]+(\.\d+)?(e[-+]\d+)?%?")
numbers = st.one_of(st.integers(-10**12, 10**12),
                    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False))


def _unit_names(case: Case, names: list[str]) -> Case:
    """The case with its units renamed (hostile names drawn by the test)."""
    renamed = [names[position % len(names)] for position in range(len(case.org))]
    return case._replace(org=attrs.evolve(case.org, names=renamed))


@given(numbers)
def test_vietnamese_numbers_are_the_english_ones_with_the_separators_swapped(
        value: int | float) -> None:
    """For every number: the Vietnamese figure is the English one with '.' and ',' swapped
    (26,200 → 26.200; 70.5% → 70,5%), and reads back, in either form, as the same text."""
    for written in (format_number, lambda number, lang: figure(number, lang=lang),
                    lambda number, lang: figure(number, percent=True, lang=lang)):
        english, vietnamese = written(value, lang="en"), written(value, lang="vi")
        assert _NUMBER.fullmatch(english), english
        assert vietnamese == english.translate(str.maketrans(",.", ".,"))
        assert english == vietnamese.translate(str.maketrans(",.", ".,"))


@given(cases(schemas(), min_targets=2, max_targets=6))
def test_the_language_changes_words_never_data(case: Case) -> None:
    """At every unit: the JSON is the same whatever the language, and the text, Markdown
    and tree of each language name every target and every failing unit."""
    assessment = rollup(case.org, case.facts, case.plan)
    for unit in case.org:
        report = assessment.report(unit.id)
        data = report.to_json()
        for lang in ("vi", "en"):
            shown = report.to_text(lang) + report.to_markdown(lang)
            for result in report.results:
                assert result.id in shown
                for failing in result.failing[:10]:
                    assert failing.unit in shown
            assert len(report.unit_statuses()) == len(report.to_tree(lang).splitlines())
        assert data == report.to_json()


class _Texts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


_PAGE_TAGS = {"html", "head", "meta", "link", "title", "style", "body", "h1", "h2", "h3", "p",
              "section", "table", "tbody", "thead", "tr", "th", "td", "code", "span", "div",
              "ul", "li", "details", "summary", "button", "script"}
hostile_names = st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Zs")),
            min_size=1, max_size=12)
    | st.sampled_from(["<script>alert(1)</script>", "</li></ul><b>x", "&amp;", "\"'><i>",
                       "=HYPERLINK(\"x\")"]),
    min_size=1, max_size=4)


@given(cases(schemas(), min_targets=1, max_targets=4), hostile_names)
def test_every_text_of_the_html_page_is_escaped(case: Case, names: list[str]) -> None:
    """Whatever the units are named, the page holds only doanorg's own elements, and each
    unit's name reads, as the browser's parser reads the page, as that very text."""
    case = _unit_names(case, names)
    report = rollup(case.org, case.facts, case.plan).report()
    page = _Texts()
    page.feed(report.to_html())
    assert page.tags <= _PAGE_TAGS
    shown = "".join(page.texts)
    for name in set(case.org.names):
        assert name.strip() in shown


openpyxl_free = pytest.importorskip("python_calamine", reason="the excel extra is not installed")


@settings(max_examples=10, deadline=None)
@given(cases(schemas(), min_targets=1, max_targets=4), hostile_names)
def test_every_text_of_the_workbook_is_a_text_cell(case: Case, names: list[str]) -> None:
    """Whatever the units are named, the workbook holds no formula, and each failing unit's
    name reads back as that very text."""
    import zipfile

    case = _unit_names(case, names)
    report = rollup(case.org, case.facts, case.plan).report()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.xlsx"
        save_report(report, path, format="xlsx")
        with zipfile.ZipFile(path) as archive:
            xml = "".join(archive.read(name).decode() for name in archive.namelist()
                          if name.startswith("xl/worksheets/"))
        workbook = openpyxl_free.CalamineWorkbook.from_path(str(path))
        cells = {cell for name in workbook.sheet_names
                 for row in workbook.get_sheet_by_name(name).to_python() for cell in row}
    assert "<f>" not in xml and "<f " not in xml
    for result in report.results:
        for failing in result.failing[:50]:
            assert failing.name in cells
