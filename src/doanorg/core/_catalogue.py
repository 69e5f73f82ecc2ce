"""The words of doanorg's reports, in one place per language (SPEC §9).

Every heading, label and status word that a report shows a person — as text,
Markdown, HTML, a workbook or a tree — is a message of this catalogue, looked
up by its key in the language asked for: ``vi`` (Vietnamese, the default) or
``en`` (English, in the renderings of ``docs/glossary.md``). The renderers hold
no words of their own. A message may hold ``{placeholders}``, filled in by
:meth:`Catalogue.say`; both languages have the same keys and the same
placeholders (a test checks it).

Numbers are written in the language's form: ``26.200`` and ``70,5%`` in
Vietnamese, ``26,200`` and ``70.5%`` in English. doanorg writes every figure
in the English form first (:mod:`doanorg.core._render`), and
:meth:`Catalogue.number` turns it into the language's, swapping the two
separators; it is given only figures doanorg wrote, never free text.

JSON is data, not words: its keys and values never change with the language.
Error messages stay in English (they name the Vietnamese column or unit as the
file wrote it).

Part of the core; it imports nothing of doanorg.

>>> vi, en = catalogue("vi"), catalogue("en")
>>> vi.status("not_met"), en.status("not_met")
('KHÔNG ĐẠT', 'NOT MET')
>>> vi.number("26,200"), vi.number("70.5%"), en.number("26,200")
('26.200', '70,5%', '26,200')
>>> vi.say("verdict_not_compliant", count=3)
'CHƯA ĐẠT: 3 chỉ tiêu bắt buộc không đạt'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, get_args

import attrs

__all__ = ["DEFAULT_LANG", "LANGS", "MESSAGES", "Catalogue", "Lang", "catalogue"]

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "vi"

_VI: dict[str, str] = {
    # statuses (SPEC §4) and what marks a target or a unit
    "status.met": "đạt",
    "status.not_met": "KHÔNG ĐẠT",
    "status.not_applicable": "không áp dụng",
    "status.informational": "để tham khảo",
    "aspirational": "phấn đấu",
    "mandatory": "bắt buộc",
    "yes": "có",
    "no": "không",
    "none": "—",
    "list_separator": "; ",
    "not_reported": "chưa báo cáo",
    "type.each": "mỗi đơn vị",
    "type.total": "tổng số",
    "type.ratio": "tỷ lệ",
    # the report's head
    "plan": "Kế hoạch",
    "assessed_at": "Đánh giá tại",
    "verdict_compliant": "ĐẠT: mọi chỉ tiêu bắt buộc đều đạt hoặc không áp dụng",
    "verdict_not_compliant": "CHƯA ĐẠT: {count} chỉ tiêu bắt buộc không đạt",
    "summary_line": "Chỉ tiêu: {targets} · đạt {met} · không đạt {not_met} · "
                    "không áp dụng {not_applicable} · để tham khảo {informational}",
    "summary_md": "Chỉ tiêu: {targets}; đạt {met}; không đạt {not_met}; "
                  "không áp dụng {not_applicable}; để tham khảo {informational}",
    "not_reported_list": "Chưa báo cáo ({count})",
    "more": "… còn {count}",
    "warnings": "Cảnh báo ({count})",
    # a target's figures
    "no_unit_selected": "không có đơn vị nào thuộc diện",
    "denominator_zero": "mẫu số bằng 0",
    "each_figures": "{passing}/{selected} đơn vị ({share}) đạt {condition}; cần {need}",
    "ratio_figures": "tỷ lệ {observed}; cần {condition}",
    "total_figures": "tổng số {observed}; cần {condition}",
    "stretch_met": "; đạt mức phấn đấu cao hơn",
    "stretch_not_met": "; chưa đạt mức phấn đấu cao hơn",
    "falling_short": "đơn vị chưa đạt ({count}):",
    "value_is": "giá trị {value}",
    "short_by": ", còn thiếu {shortfall}",
    "more_failing": "… còn {count} đơn vị (--format json liệt kê đủ)",
    # Markdown and workbook headings
    "head.mark": "",
    "head.target": "Chỉ tiêu",
    "head.status": "Kết quả",
    "head.figures": "Số liệu",
    "head.text": "Nội dung chỉ tiêu",
    "head.unit": "Mã đơn vị",
    "head.name": "Tên đơn vị",
    "head.kind": "Loại",
    "head.value": "Giá trị",
    "head.shortfall": "Còn thiếu",
    "head.reported": "Đã báo cáo",
    "head.type": "Dạng chỉ tiêu",
    "head.aspirational": "Phấn đấu",
    "head.observed": "Đạt được",
    "head.required": "Yêu cầu",
    "head.required_max": "Yêu cầu tối đa",
    "head.condition": "Điều kiện",
    "head.selected": "Số đơn vị thuộc diện",
    "head.passing": "Số đơn vị đạt",
    "head.failing": "Số đơn vị chưa đạt",
    "head.stretch_met": "Đạt mức cao hơn",
    "failing_heading": "{target}: đơn vị chưa đạt ({count})",
    "more_md": "… và {count} đơn vị nữa.",
    # the tree (--format tree) and the HTML page
    "unit_compliant": "đạt",
    "unit_not_compliant": "chưa đạt: {count} chỉ tiêu bắt buộc không đạt",
    "summary": "Tóm tắt",
    "tree": "Cây đơn vị",
    "targets": "Các chỉ tiêu",
    "expand_all": "Mở tất cả",
    "collapse_all": "Thu gọn tất cả",
    "report_title": "Báo cáo kết quả thực hiện chỉ tiêu",
    "count_targets": "Số chỉ tiêu",
    "compliant": "Đạt các chỉ tiêu bắt buộc",
    "observed_vs_required": "Đạt được {observed} / yêu cầu {required}",
    # the workbook
    "sheet.summary": "Tóm tắt",
    "sheet.not_reported": "Chưa báo cáo",
    # targets handed down (giao chỉ tiêu) and the year in progress (sơ kết)
    "allocated": "được giao",
    "as_of": "Tính đến {as_of}: đã qua {elapsed} của kỳ {start} – {end}",
    "pace_line": "tiến độ: cần {expected} đến {as_of} · {status} · dự kiến {projected} "
                 "({projected_status})",
    "pace.on_track": "đúng tiến độ",
    "pace.at_risk": "CHẬM TIẾN ĐỘ",
    "head.pace": "Tiến độ",
}

_EN: dict[str, str] = {
    "status.met": "met",
    "status.not_met": "NOT MET",
    "status.not_applicable": "not applicable",
    "status.informational": "informational",
    "aspirational": "aspirational",
    "mandatory": "mandatory",
    "yes": "true",
    "no": "false",
    "none": "—",
    "list_separator": ", ",
    "not_reported": "not reported",
    "type.each": "each",
    "type.total": "total",
    "type.ratio": "ratio",
    "plan": "Plan",
    "assessed_at": "Assessed at",
    "verdict_compliant": "COMPLIANT: every mandatory target is met or not applicable",
    "verdict_not_compliant": "NOT COMPLIANT: {count} mandatory target(s) not met",
    "summary_line": "Targets: {targets} · met {met} · not met {not_met} · "
                    "not applicable {not_applicable} · informational {informational}",
    "summary_md": "Targets: {targets}; met {met}; not met {not_met}; "
                  "not applicable {not_applicable}; informational {informational}",
    "not_reported_list": "Not reported ({count})",
    "more": "… {count} more",
    "warnings": "Warnings ({count})",
    "no_unit_selected": "no unit selected",
    "denominator_zero": "denominator is 0",
    "each_figures": "{passing}/{selected} units ({share}) meet {condition}; need {need}",
    "ratio_figures": "ratio {observed}; need {condition}",
    "total_figures": "total {observed}; need {condition}",
    "stretch_met": "; stretch met",
    "stretch_not_met": "; stretch not met",
    "falling_short": "falling short ({count}):",
    "value_is": "value {value}",
    "short_by": ", short by {shortfall}",
    "more_failing": "… {count} more (--format json lists them all)",
    "head.mark": "",
    "head.target": "Target",
    "head.status": "Status",
    "head.figures": "Figures",
    "head.text": "Chỉ tiêu",
    "head.unit": "Unit",
    "head.name": "Name",
    "head.kind": "Kind",
    "head.value": "Value",
    "head.shortfall": "Shortfall",
    "head.reported": "Reported",
    "head.type": "Type",
    "head.aspirational": "Aspirational",
    "head.observed": "Observed",
    "head.required": "Required",
    "head.required_max": "Required at most",
    "head.condition": "Condition",
    "head.selected": "Units selected",
    "head.passing": "Units passing",
    "head.failing": "Failing units",
    "head.stretch_met": "Stretch met",
    "failing_heading": "{target}: units falling short ({count})",
    "more_md": "… and {count} more.",
    "unit_compliant": "compliant",
    "unit_not_compliant": "not compliant: {count} mandatory target(s) not met",
    "summary": "Summary",
    "tree": "Units",
    "targets": "Targets",
    "expand_all": "Expand all",
    "collapse_all": "Collapse all",
    "report_title": "Report on the plan's targets",
    "count_targets": "Targets",
    "compliant": "Compliant",
    "observed_vs_required": "Observed {observed} / required {required}",
    "sheet.summary": "Summary",
    "sheet.not_reported": "Not reported",
    "allocated": "allocated",
    "as_of": "As of {as_of}: {elapsed} of the period {start} – {end} elapsed",
    "pace_line": "pace: expected {expected} by {as_of} · {status} · projected {projected} "
                 "({projected_status})",
    "pace.on_track": "on track",
    "pace.at_risk": "AT RISK",
    "head.pace": "Pace",
}

MESSAGES: Mapping[Lang, Mapping[str, str]] = MappingProxyType(
    {"vi": MappingProxyType(_VI), "en": MappingProxyType(_EN)})
"""Every message, by language, then by key."""

_SEPARATORS = {"vi": str.maketrans(",.", ".,"), "en": str.maketrans("", "")}


@attrs.frozen
class Catalogue:
    """The messages of one language, and the way it writes numbers."""

    lang: Lang
    messages: Mapping[str, str] = attrs.field(repr=False)

    def __getitem__(self, key: str) -> str:
        return self.messages[key]

    def say(self, key: str, **values: object) -> str:
        """The message ``key`` with its placeholders filled in."""
        return self.messages[key].format(**values)

    def status(self, status: str) -> str:
        """A status word (``met``, ``not_met``, …) in this language."""
        return self.messages[f"status.{status}"]

    def number(self, text: str) -> str:
        """A figure doanorg wrote in the English form (``26,200.5``) in this language's
        (``26.200,5`` in Vietnamese)."""
        return text.translate(_SEPARATORS[self.lang])


_CATALOGUES: dict[str, Catalogue] = {lang: Catalogue(lang, MESSAGES[lang]) for lang in LANGS}


def catalogue(lang: str = DEFAULT_LANG) -> Catalogue:
    """The catalogue of ``lang`` (``vi`` or ``en``; :class:`ValueError` for another)."""
    found = _CATALOGUES.get(lang)
    if found is None:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return found
