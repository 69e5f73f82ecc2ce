"""The catalogue of words (SPEC §9): one place per language, the same messages in both."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from doanorg.core._catalogue import DEFAULT_LANG, LANGS, MESSAGES, catalogue

SRC = Path(__file__).resolve().parent.parent / "src" / "doanorg" / "core"


def _fields(message: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(message) if field}


def test_vietnamese_is_the_default() -> None:
    assert "vi" == DEFAULT_LANG
    assert ("vi", "en") == LANGS


def test_both_languages_have_the_same_messages_and_placeholders() -> None:
    vi, en = MESSAGES["vi"], MESSAGES["en"]
    assert set(vi) == set(en)
    assert {key: _fields(vi[key]) for key in vi} == {key: _fields(en[key]) for key in en}


def test_english_words_are_the_glossarys() -> None:
    """The statuses and report keys read as docs/glossary.md renders them."""
    en = catalogue("en")
    assert ["met", "NOT MET", "not applicable", "informational"] == [
        en.status(status) for status in ("met", "not_met", "not_applicable", "informational")]
    assert ("not reported", "aspirational") == (en["not_reported"], en["aspirational"])
    vi = catalogue("vi")
    assert ["đạt", "KHÔNG ĐẠT", "không áp dụng", "để tham khảo"] == [
        vi.status(status) for status in ("met", "not_met", "not_applicable", "informational")]
    assert ("chưa báo cáo", "phấn đấu", "Còn thiếu") == (
        vi["not_reported"], vi["aspirational"], vi["head.shortfall"])


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("26,200", "26.200"), ("70.5%", "70,5%"), ("1,234,567.89", "1.234.567,89"), ("3", "3")])
def test_numbers_in_vietnamese_form(english: str, vietnamese: str) -> None:
    assert vietnamese == catalogue("vi").number(english)
    assert english == catalogue("en").number(english)


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        catalogue("fr")


RENDERERS = ("core/_render.py", "core/_html.py", "core/_tree.py", "core/_render_scores.py",
             "io/_xlsx_report.py", "io/_xlsx_scores.py", "whatif/compare.py", "whatif/gap.py",
             "cli/_plan_show.py")
"""Every module that renders words for people (the report's, the scores', whatif's,
gap's and plan show's)."""
WORDS = ("falling short", "Assessed at", "NOT COMPLIANT", "short by", "Đánh giá tại",
         "còn thiếu", "Tóm tắt", "Mã đơn vị", "Self-grade", "in rank order", "out of",
         "moved to the next grade", "Flipped targets", "Changed figures", "because {",
         "stops failing", "leaves the subtree", "Least extra effort", "Effort in all",
         "No effort can meet", "Nothing to do", "Aspirational", "directly under",
         "share passing", "Điểm thi đua", "Tự xếp loại", "theo thứ hạng",
         "Chỉ tiêu đổi kết quả", "Nỗ lực tối thiểu", "trực thuộc", "Phấn đấu", "tỷ lệ đạt",
         "no problems found", "Lint of plan", "Rà soát")
"""Words of the renderings, each a message of the catalogue (in one language or the
other)."""


def _code(path: Path) -> str:
    """A module's code without its docstrings and comments (which may quote what is
    shown)."""
    text = re.sub(r'"""[\s\S]*?"""', "", path.read_text(encoding="utf-8"))
    return re.sub(r"#[^\n]*", "", text)


def test_the_words_checked_are_the_catalogues() -> None:
    messages = " ".join(" ".join(MESSAGES[lang].values()) for lang in LANGS)
    assert [] == [word for word in WORDS if word not in messages]


@pytest.mark.parametrize("module", RENDERERS)
def test_the_renderers_hold_no_words_of_their_own(module: str) -> None:
    """The words of the renderings are the catalogue's: the words of a report, of scores,
    of a comparison, a gap or a plan's table are found in the catalogue module and in no
    renderer."""
    assert [] == [word for word in WORDS if word in _code(SRC.parent / module)]


def test_the_lint_frame_is_the_catalogues() -> None:
    """plan lint's own words around the problems (its sentences are JSON's, English)."""
    code = _code(SRC / "lint.py")
    assert [] == [word for word in ("no problems found", "Lint of plan",
                                    "was not given") if word in code]
