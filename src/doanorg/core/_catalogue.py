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
    # scores (doanorg score, SPEC §11)
    "score.title": "Điểm thi đua",
    "score.heading": "{title}: {plan} tại {where}",
    "score.scored": "đơn vị được chấm: {count}, thang {points} điểm",
    "score.ungraded": "chưa xếp loại",
    "score.cap": "giới hạn: tối đa {limit} {grade} ({share} số đơn vị được chấm); "
                 "{moved} chuyển xuống loại kế tiếp",
    "score.differences": "Tự xếp loại khác kết quả chấm ({count})",
    "score.no_differences": "Mọi đơn vị tự xếp loại đúng như kết quả chấm.",
    "score.units": "Các đơn vị, theo thứ hạng",
    "score.rank": "hạng",
    "score.group_rank": "hạng trong nhóm",
    "score.group": "nhóm",
    "score.unit": "mã đơn vị",
    "score.name": "tên đơn vị",
    "score.score": "điểm",
    "score.grade": "xếp loại",
    "score.self_grade": "tự xếp loại",
    "score.capped": "bị giới hạn",
    "score.capped_mark": "có",
    "score.warning": "cảnh báo",
    "score.sheet": "Điểm",
    "score.sheet_differences": "Tự xếp loại khác",
    # plan show (SPEC §9)
    "show.targets": "{count} chỉ tiêu",
    "show.id": "Mã",
    "show.text": "Nội dung",
    "show.shape": "Dạng",
    "show.bounds": "Mức",
    "show.aspirational": "Phấn đấu",
    "show.each": "mỗi",
    "show.directly_under": "trực thuộc",
    "show.total": "tổng",
    "show.ratio": "tỷ số",
    "show.share": "tỷ lệ đạt",
    "show.stretch": "mức cao",
    "show.yes": "có",
    "show.no": "không",
    # whatif (SPEC §8)
    "whatif.title": "{base} → {scenario} tại {at}",
    "whatif.compliant": "đạt",
    "whatif.not_compliant": "CHƯA ĐẠT",
    "whatif.flipped": "Chỉ tiêu đổi kết quả",
    "whatif.nothing": "không có",
    "whatif.absent": "không có trong kế hoạch",
    "whatif.because": "do {cause}",
    "whatif.changed": "Số liệu thay đổi",
    "whatif.units": "Đơn vị",
    "whatif.stops_failing": "{unit} hết không đạt {target}",
    "whatif.starts_failing": "{unit} bắt đầu không đạt {target}",
    "whatif.left": "{unit} ra khỏi cây đơn vị; trước đó không đạt {target}",
    "whatif.joined": "{unit} vào cây đơn vị, không đạt {target}",
    "whatif.not_reported_in": "chưa báo cáo trong {side}",
    # gap (SPEC §8)
    "gap.title": "Nỗ lực tối thiểu để đạt mọi chỉ tiêu bắt buộc của {plan} tại {at}",
    "gap.title_all": "Nỗ lực tối thiểu để đạt mọi chỉ tiêu của {plan} tại {at}",
    "gap.nothing": "Không cần làm gì: kế hoạch đã đạt.",
    "gap.step": "{metric}: {change} cho {targets}",
    "gap.the_plan": "kế hoạch",
    "gap.effort": "Tổng nỗ lực: {effort}",
    "gap.unmeetable": "Không nỗ lực nào đạt được",
    # plan lint (SPEC §10)
    "lint.none": "kế hoạch {plan}: không thấy vấn đề nào",
    "lint.no_org": "(không có tệp tổ chức: chưa đối chiếu mức sàn và mức trần với các "
                   "chỉ tiêu tổng)",
    "lint.title": "Rà soát kế hoạch {plan}",
    "lint.none_md": "Không thấy vấn đề nào.",
    "lint.no_org_md": "Không có tệp tổ chức: chưa đối chiếu mức sàn và mức trần với các "
                      "chỉ tiêu tổng.",
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
    "score.title": "Scores",
    "score.heading": "{title}: {plan} at {where}",
    "score.scored": "scored units: {count}, out of {points} points",
    "score.ungraded": "no grade",
    "score.cap": "cap: at most {limit} {grade} ({share} of the scored units); "
                 "{moved} moved to the next grade",
    "score.differences": "Self-grade differs ({count})",
    "score.no_differences": "Every self-grade matches the computed grade.",
    "score.units": "Units, in rank order",
    "score.rank": "rank",
    "score.group_rank": "in group",
    "score.group": "group",
    "score.unit": "unit",
    "score.name": "name",
    "score.score": "score",
    "score.grade": "grade",
    "score.self_grade": "self-grade",
    "score.capped": "capped",
    "score.capped_mark": "yes",
    "score.warning": "warning",
    "score.sheet": "Scores",
    "score.sheet_differences": "Self-grade differs",
    "show.targets": "{count} targets",
    "show.id": "Id",
    "show.text": "Text",
    "show.shape": "Shape",
    "show.bounds": "Bounds",
    "show.aspirational": "Aspirational",
    "show.each": "each",
    "show.directly_under": "directly under",
    "show.total": "total",
    "show.ratio": "ratio",
    "show.share": "share passing",
    "show.stretch": "stretch",
    "show.yes": "yes",
    "show.no": "no",
    "whatif.title": "{base} → {scenario} at {at}",
    "whatif.compliant": "compliant",
    "whatif.not_compliant": "NOT compliant",
    "whatif.flipped": "Flipped targets",
    "whatif.nothing": "none",
    "whatif.absent": "absent",
    "whatif.because": "because {cause}",
    "whatif.changed": "Changed figures",
    "whatif.units": "Units",
    "whatif.stops_failing": "{unit} stops failing {target}",
    "whatif.starts_failing": "{unit} starts failing {target}",
    "whatif.left": "{unit} leaves the subtree; it failed {target}",
    "whatif.joined": "{unit} joins the subtree, failing {target}",
    "whatif.not_reported_in": "not reported in {side}",
    "gap.title": "Least extra effort to meet every mandatory target of {plan} at {at}",
    "gap.title_all": "Least extra effort to meet every target of {plan} at {at}",
    "gap.nothing": "Nothing to do: the plan is already met.",
    "gap.step": "{metric}: {change} for {targets}",
    "gap.the_plan": "the plan",
    "gap.effort": "Effort in all: {effort}",
    "gap.unmeetable": "No effort can meet",
    "lint.none": "plan {plan}: no problems found",
    "lint.no_org": "(the organisation was not given: floors and ceilings against totals "
                   "were not checked)",
    "lint.title": "Lint of plan {plan}",
    "lint.none_md": "No problems found.",
    "lint.no_org_md": "The organisation was not given: floors and ceilings against totals "
                      "were not checked.",
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
