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


def test_the_renderers_hold_no_words_of_their_own() -> None:
    """The words of the renderings are the catalogue's: the English words of a report are
    found in the catalogue module and in no renderer."""
    words = ("falling short", "Assessed at", "NOT COMPLIANT", "short by", "Đánh giá tại",
             "còn thiếu", "Tóm tắt", "Mã đơn vị")
    for module in ("_render.py", "_html.py", "_tree.py"):
        text = (SRC / module).read_text(encoding="utf-8")
        code = re.sub(r'"""[\s\S]*?"""', "", text)  # docstrings may quote what is shown
        assert [] == [word for word in words if word in code], module
    text = (SRC.parent / "io" / "_xlsx_report.py").read_text(encoding="utf-8")
    assert [] == [word for word in words if word in re.sub(r'"""[\s\S]*?"""', "", text)]
