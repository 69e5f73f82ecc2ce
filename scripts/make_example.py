#!/usr/bin/env python3
"""Generate doanorg's built-in example: a Khối shaped like Đoàn Khối các cơ quan Trung ương in 2020.

Writes two files into ``src/doanorg/data/example/``:

``org.csv``
    The organisation tree, header ``id,parent,kind,name,members,cum``, parents before
    children (depth first, children in the order a person would list them). For a
    chapter (``chi_doan``, ``chi_doan_co_so``) ``members`` is its own membership; for
    every other unit it is the total of the chapters below it. ``cum`` is a đoàn cơ
    sở's emulation cluster (see :func:`cluster`).
``facts.csv``
    Each unit's OWN figures for 2020 in wide form (SPEC §2): ``unit,period`` and one
    column per metric of the built-in plan ``doan-khoi-2020``, in the plan's order.
    An empty cell means "nothing to report" (0, false, no category). A few chapters
    have no row at all: they did not report.
``facts-mid-year.csv``
    The same units' own figures for the first half of 2020 (period ``2020-06``), as
    reported for the June review (sơ kết): never above the year's, no rating yet
    (grading is done at the year's end), drawn from a second seed so that the year's
    file stays as it was. A few more chapters had not reported by June.

Everything is drawn from one ``random.Random`` with a fixed seed, and the amounts that
decide the plan's totals (trees, children, members introduced, research) are set here
and apportioned exactly, so the output is the same byte for byte on every run and the
verdicts are the ones described in ``docs/explanation/example-khoi.md``.

Usage::

    python scripts/make_example.py            # (re)write the three files
    python scripts/make_example.py --check    # exit 1 if the committed files differ
    python scripts/make_example.py --out DIR  # write somewhere else
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import tempfile
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# --- where things are (relative to this file) -------------------------------------------

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "src" / "doanorg" / "data"
EXAMPLE_DIR = DATA / "example"
PLAN_FILE = DATA / "plans" / "doan-khoi-2020.toml"
ORG_FILE = "org.csv"
FACTS_FILE = "facts.csv"
MID_YEAR_FILE = "facts-mid-year.csv"
FILES = (ORG_FILE, FACTS_FILE, MID_YEAR_FILE)

# --- the design: change these and the verdicts change -----------------------------------

SEED = 2020
PERIOD = "2020"
MID_YEAR_SEED = 2006  # the June review's own draws: the year's files do not change
MID_YEAR_PERIOD = "2020-06"

N_HUYEN = 30  # đoàn cấp huyện directly under the Khối
N_DIRECT_CS = 20  # đoàn cơ sở directly under the Khối
DIRECT_CDCS_MEMBERS = (7, 8, 12, 15, 19, 23, 28, 34, 46)  # 9 chi đoàn cơ sở under the Khối

TREES_TOTAL = 28_640  # target 4: at least 26,200
KHOI_TREES = 1_500  # the Khối's own tree-planting day
CHILDREN_TOTAL = 3_640  # target 8: at least 3,000
KHOI_CHILDREN = 220
INTRODUCED_TOTAL = 1_260  # target 10a: 1,000 - 1,500
ADMIT_RATE = 0.8  # target 10b (aspirational): at least 70%
RESEARCH_TOTAL = 437  # target 5a (aspirational): 500 -> not met
APPLY_RATE = 0.26  # target 5b (aspirational): at least 15%

# By the June review (2020-06-30: 182 of the year's 366 days, 49.73%); the totals of the
# first half, set so that the June review tells apart targets on track and at risk.
MID_TREES_TOTAL = 11_470  # target 4: expected 13,029 by June -> at risk
MID_CHILDREN_TOTAL = 2_015  # target 8: expected 1,492 -> on track
MID_INTRODUCED_TOTAL = 540  # target 10a: expected 497 -> on track
MID_RESEARCH_TOTAL = 190  # target 5a (aspirational): expected 249 -> at risk
MID_TOTALS = {
    "trees_planted": MID_TREES_TOTAL,
    "children_supported": MID_CHILDREN_TOTAL,
    "members_introduced": MID_INTRODUCED_TOTAL,
    "research_projects": MID_RESEARCH_TOTAL,
}
MID_SILENT = 37  # chapters with no June row, besides the year's silent ones

N_SILENT = 4  # chapters with no row in facts.csv
N_FAILED = 4  # chapters rated khong_hoan_thanh (11b only looks at co_so)
N_IRREGULAR = 3  # reporting chapters not meeting as the rules require (11c)
SHORT_HUYEN_PROJECTS = (2, 2, 1)  # district unions below 3 youth projects (3b)
N_UNTRAINED = 9  # units with one key cadre not yet trained (12)

# Flag spellings, one per column (SPEC §2 accepts both).
FLAG_WORDS: dict[str, tuple[str, str]] = {
    "resolutions_studied": ("có", "không"),
    "ho_chi_minh_pledges": ("true", "false"),
    "regular_meetings": ("có", "không"),
}
DEFAULT_FLAG_WORDS = ("true", "false")

KIND_ORDER = (
    "khoi",
    "doan_cap_huyen",
    "doan_co_so",
    "chi_doan_co_so",
    "lien_chi_doan",
    "chi_doan",
)

# --- names: invented, plausible -----------------------------------------------------------

KHOI_NAME = "Đoàn Khối các cơ quan Trung ương"

HUYEN_NAMES = (
    "Đoàn Thanh niên Bộ Kế hoạch",
    "Đoàn Thanh niên Bộ Công nghiệp",
    "Đoàn Thanh niên Bộ Nông nghiệp",
    "Đoàn Thanh niên Bộ Giao thông",
    "Đoàn Thanh niên Bộ Xây dựng",
    "Đoàn Thanh niên Bộ Tài nguyên",
    "Đoàn Thanh niên Bộ Văn hóa",
    "Đoàn Thanh niên Bộ Thông tin",
    "Đoàn Thanh niên Bộ Lao động",
    "Đoàn Thanh niên Bộ Giáo dục",
    "Đoàn Thanh niên Bộ Khoa học",
    "Đoàn Thanh niên Bộ Y tế",
    "Đoàn Thanh niên Bộ Tư pháp",
    "Đoàn Thanh niên Bộ Thương mại",
    "Đoàn Thanh niên Bộ Năng lượng",
    "Đoàn Thanh niên Bộ Thủy lợi",
    "Đoàn Thanh niên Bộ Du lịch",
    "Đoàn Thanh niên Bộ Hàng hải",
    "Đoàn Thanh niên Cơ quan Tổng cục Dự trữ",
    "Đoàn Thanh niên Cơ quan Tổng cục Địa chất",
    "Đoàn Thanh niên Cơ quan Thanh tra Trung ương",
    "Đoàn Thanh niên Cơ quan Ủy ban Biên giới",
    "Đoàn Thanh niên Cơ quan Ủy ban Dân số",
    "Đoàn Thanh niên Cơ quan Hội đồng Thẩm định",
    "Đoàn Thanh niên Ngân hàng Phát triển",
    "Đoàn Thanh niên Kho bạc Trung ương",
    "Đoàn Thanh niên Quỹ Đầu tư phát triển",
    "Đoàn Thanh niên Đài Phát thanh Trung ương",
    "Đoàn Thanh niên Viện Khoa học công nghệ",
    "Đoàn Thanh niên Viện Nghiên cứu xã hội",
    "Đoàn Thanh niên Thông tấn Trung ương",
)

DIRECT_CS_NAMES = (
    "Đoàn cơ sở Học viện Chính sách công",
    "Đoàn cơ sở Học viện Cán bộ Trung ương",
    "Đoàn cơ sở Báo Đời sống công vụ",
    "Đoàn cơ sở Báo Kinh tế Trung ương",
    "Đoàn cơ sở Viện Nghiên cứu chính sách",
    "Đoàn cơ sở Viện Chiến lược phát triển",
    "Đoàn cơ sở Nhà xuất bản Lý luận",
    "Đoàn cơ sở Tạp chí Khoa học xã hội",
    "Đoàn cơ sở Trường Cán bộ quản lý",
    "Đoàn cơ sở Trung tâm Lưu trữ Trung ương",
    "Đoàn cơ sở Trung tâm Thông tin khoa học",
    "Đoàn cơ sở Trung tâm Bồi dưỡng cán bộ",
    "Đoàn cơ sở Cơ quan Hội đồng Lý luận",
    "Đoàn cơ sở Cơ quan Hội đồng Tư vấn",
    "Đoàn cơ sở Cơ quan Thường trực phía Nam",
    "Đoàn cơ sở Cơ quan Ban Tuyên truyền",
    "Đoàn cơ sở Bảo tàng Lịch sử",
    "Đoàn cơ sở Ủy ban Quản lý vốn",
    "Đoàn cơ sở Ngân hàng Chính sách vùng",
    "Đoàn cơ sở Tổng công ty Phát triển hạ tầng",
)

DIRECT_CDCS_NAMES = (
    "Chi đoàn cơ sở Báo Thanh niên công sở",
    "Chi đoàn cơ sở Tạp chí Cộng đồng",
    "Chi đoàn cơ sở Văn phòng Hội đồng Thi đua",
    "Chi đoàn cơ sở Tạp chí Lý luận trẻ",
    "Chi đoàn cơ sở Hội đồng Chính sách khoa học",
    "Chi đoàn cơ sở Cơ quan Ủy ban Hòa bình",
    "Chi đoàn cơ sở Trung tâm Văn hóa thanh niên",
    "Chi đoàn cơ sở Nhà khách Trung ương",
    "Chi đoàn cơ sở Quỹ Bảo trợ trẻ em",
)

CS_NAMES = (  # đoàn cơ sở under a district-level union
    "Đoàn cơ sở Văn phòng cơ quan",
    "Đoàn cơ sở Vụ Pháp chế",
    "Đoàn cơ sở Cục Quản lý chất lượng",
    "Đoàn cơ sở Cục Hợp tác quốc tế",
    "Đoàn cơ sở Cục Công nghệ thông tin",
    "Đoàn cơ sở Cục Quản lý đầu tư",
    "Đoàn cơ sở Viện Chiến lược",
    "Đoàn cơ sở Viện Nghiên cứu chính sách",
    "Đoàn cơ sở Viện Khoa học kỹ thuật",
    "Đoàn cơ sở Trường Đại học Kinh tế kỹ thuật",
    "Đoàn cơ sở Trường Cao đẳng Nghiệp vụ",
    "Đoàn cơ sở Học viện Nghiệp vụ",
    "Đoàn cơ sở Bệnh viện Khu vực",
    "Đoàn cơ sở Trung tâm Dữ liệu",
    "Đoàn cơ sở Trung tâm Kiểm định",
    "Đoàn cơ sở Tổng công ty Phát triển",
    "Đoàn cơ sở Nhà xuất bản Chuyên ngành",
    "Đoàn cơ sở Báo điện tử Ngành",
    "Đoàn cơ sở Thanh tra Ngành",
    "Đoàn cơ sở Ban Quản lý dự án trọng điểm",
)

CDCS_NAMES = (  # chi đoàn cơ sở under a district-level union
    "Chi đoàn cơ sở Vụ Tổ chức cán bộ",
    "Chi đoàn cơ sở Vụ Kế hoạch – Tài chính",
    "Chi đoàn cơ sở Vụ Thi đua – Khen thưởng",
    "Chi đoàn cơ sở Vụ Khoa học – Công nghệ",
    "Chi đoàn cơ sở Vụ Tổng hợp",
    "Chi đoàn cơ sở Vụ Chính sách",
    "Chi đoàn cơ sở Văn phòng Đảng ủy",
    "Chi đoàn cơ sở Tạp chí Ngành",
    "Chi đoàn cơ sở Trung tâm Thông tin",
    "Chi đoàn cơ sở Trung tâm Tư vấn",
    "Chi đoàn cơ sở Cục Lưu trữ",
    "Chi đoàn cơ sở Cục Thống kê ngành",
    "Chi đoàn cơ sở Phân viện phía Nam",
    "Chi đoàn cơ sở Văn phòng đại diện miền Trung",
)

LCD_NAMES = (
    "Liên chi đoàn Khối Văn phòng",
    "Liên chi đoàn Khối Nghiệp vụ",
    "Liên chi đoàn Khối Chuyên môn",
    "Liên chi đoàn Khối Sự nghiệp",
    "Liên chi đoàn Khối Kỹ thuật",
    "Liên chi đoàn Khối Đào tạo",
    "Liên chi đoàn Khối Nghiên cứu",
    "Liên chi đoàn Khối Quản lý",
    "Liên chi đoàn Khối Phục vụ",
    "Liên chi đoàn Khối Dự án",
    "Liên chi đoàn Khối Thông tin – Truyền thông",
    "Liên chi đoàn Chi nhánh miền Bắc",
    "Liên chi đoàn Chi nhánh miền Trung",
    "Liên chi đoàn Chi nhánh miền Nam",
)

CHAPTER_NAMES = (  # "Chi đoàn " + one of these
    "Phòng Kế hoạch – Tài chính",
    "Phòng Tổ chức – Hành chính",
    "Phòng Tổng hợp",
    "Phòng Quản trị",
    "Phòng Hợp tác quốc tế",
    "Phòng Pháp chế",
    "Phòng Thanh tra",
    "Phòng Công nghệ thông tin",
    "Phòng Lưu trữ",
    "Phòng Kế toán",
    "Phòng Nghiên cứu",
    "Phòng Đào tạo",
    "Phòng Truyền thông",
    "Phòng Thông tin – Tư liệu",
    "Phòng Thi đua – Khen thưởng",
    "Phòng Quản lý dự án",
    "Phòng Thẩm định",
    "Phòng Kiểm soát",
    "Phòng Điều phối",
    "Phòng Dữ liệu",
    "Phòng Biên tập",
    "Phòng Phóng viên",
    "Phòng Trị sự",
    "Phòng Chính sách",
    "Phòng Kỹ thuật",
    "Phòng Vật tư",
    "Phòng Kinh doanh",
    "Phòng Đầu tư",
    "Phòng Khoa học",
    "Phòng Tiếp dân",
    "Phòng Thí nghiệm",
    "Phòng Quan hệ công chúng",
    "Ban Thư ký",
    "Ban Biên tập",
    "Ban Kinh tế",
    "Ban Xã hội",
    "Ban Văn hóa",
    "Ban Điện tử",
    "Ban Quản lý tòa nhà",
    "Văn phòng",
    "Văn phòng Đảng – Đoàn thể",
    "Trung tâm Tin học",
    "Trung tâm Dịch vụ",
    "Trung tâm Đào tạo",
    "Trung tâm Thông tin",
    "Trung tâm Tư vấn",
    "Trung tâm Kiểm định",
    "Bộ phận Một cửa",
    "Khoa Kinh tế",
    "Khoa Luật",
    "Khoa Quản lý nhà nước",
    "Khoa Lý luận chính trị",
    "Khoa Ngoại ngữ",
    "Khoa Khoa học cơ bản",
    "Khoa Khám bệnh",
    "Khoa Nội",
    "Khoa Ngoại",
    "Khoa Dược",
    "Tổ Lái xe – Bảo vệ",
    "Đội Kiểm tra",
    "Chi nhánh miền Bắc",
    "Chi nhánh miền Trung",
    "Chi nhánh miền Nam",
)
OVERFLOW_CHAPTER = "Phòng Nghiệp vụ {}"  # used once CHAPTER_NAMES runs out

RATINGS = ("xuat_sac", "tot", "hoan_thanh")
CHAPTER_RATING_WEIGHTS = (64, 27, 9)
CO_SO_RATING_WEIGHTS = (70, 26, 4)
UPPER_RATING_WEIGHTS = (60, 35, 5)

Value = int | bool | str
Facts = dict[str, Value]


# --- the tree ------------------------------------------------------------------------------


@dataclass(eq=False)
class Unit:
    """One unit of the example tree."""

    id: str
    kind: str
    name: str
    members: int = 0
    parent: Unit | None = field(default=None, repr=False)
    children: list[Unit] = field(default_factory=list, repr=False)

    def add(self, child: Unit) -> Unit:
        """Append ``child`` below this unit and return it."""
        child.parent = self
        self.children.append(child)
        return child

    @property
    def direct(self) -> bool:
        """True when the unit stands directly under the Khối ("trực thuộc Khối")."""
        return self.parent is not None and self.parent.kind == "khoi"

    def walk(self) -> Iterator[Unit]:
        """This unit and all below it, depth first, children in order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def sum_members(self) -> int:
        """Set ``members`` of every non-chapter unit to its chapters' total; return it."""
        if self.children:
            self.members = sum(child.sum_members() for child in self.children)
        return self.members


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder).

    >>> apportion(10, [1.0, 1.0, 2.0])
    [3, 2, 5]
    """
    whole = sum(weights)
    if whole <= 0:
        raise ValueError("apportion: the weights sum to zero")
    exact = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def split(total: int, n: int, rng: random.Random, minimum: int, spread: float = 0.6) -> list[int]:
    """Split ``total`` into ``n`` random parts of at least ``minimum`` each."""
    if total < n * minimum:
        raise ValueError(f"split: {total} cannot give {n} parts of {minimum}")
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(n)]
    return [minimum + part for part in apportion(total - n * minimum, weights)]


# --- building the organisation -------------------------------------------------------------


def huyen_sizes(rng: random.Random) -> list[int]:
    """Members of the 30 district-level unions: a few large ones, most mid-sized."""
    sizes = [rng.randint(4_300, 5_100) for _ in range(4)]
    sizes += [rng.randint(2_400, 3_800) for _ in range(8)]
    sizes += [rng.randint(900, 2_800) for _ in range(N_HUYEN - 12)]
    rng.shuffle(sizes)
    return sizes


def chapter_names(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct chapter names."""
    picked = rng.sample(CHAPTER_NAMES, min(n, len(CHAPTER_NAMES)))
    picked += [OVERFLOW_CHAPTER.format(k) for k in range(1, n - len(picked) + 1)]
    return ["Chi đoàn " + name for name in picked]


def build_doan_co_so(cs: Unit, members: int, rng: random.Random) -> None:
    """Chapters (some grouped in liên chi đoàn) under ``cs``, ``members`` in all."""
    n = max(2, round(members / rng.uniform(14, 30)))
    sizes = split(members, n, rng, minimum=4)
    names = chapter_names(n, rng)
    width = max(2, len(str(n)))
    groups: list[int] = []
    if n >= 10 and rng.random() < 0.5:
        n_lcd = min(len(LCD_NAMES), max(2, n // rng.randint(7, 16)))
        groups = split(round(n * rng.uniform(0.6, 0.95)), n_lcd, rng, minimum=2)
    made = 0

    def chapter() -> Unit:
        nonlocal made
        made += 1
        return Unit(f"{cs.id}-c{made:0{width}d}", "chi_doan", names[made - 1], sizes[made - 1])

    for _ in range(n - sum(groups)):
        cs.add(chapter())
    for g, (count, name) in enumerate(
        zip(groups, rng.sample(LCD_NAMES, len(groups)), strict=True), 1
    ):
        lcd = cs.add(Unit(f"{cs.id}-lcd{g}", "lien_chi_doan", name))
        for _ in range(count):
            lcd.add(chapter())


def build_huyen(h: Unit, members: int, rng: random.Random) -> None:
    """Đoàn cơ sở and chi đoàn cơ sở under a district-level union of ``members``."""
    if members >= 4_000:
        n_cs, n_cdcs = rng.randint(6, 8), rng.randint(4, 8)
    elif members >= 2_400:
        n_cs, n_cdcs = rng.randint(3, 7), rng.randint(2, 6)
    else:
        n_cs, n_cdcs = rng.randint(1, 5), rng.randint(1, 5)
    cdcs_members = [rng.randint(7, 55) for _ in range(n_cdcs)]
    cs_members = split(members - sum(cdcs_members), n_cs, rng, minimum=40, spread=0.7)
    for j, (m, name) in enumerate(zip(cs_members, rng.sample(CS_NAMES, n_cs), strict=True), 1):
        build_doan_co_so(h.add(Unit(f"{h.id}-cs{j:02d}", "doan_co_so", name)), m, rng)
    for j, (m, name) in enumerate(
        zip(cdcs_members, rng.sample(CDCS_NAMES, n_cdcs), strict=True), 1
    ):
        h.add(Unit(f"{h.id}-cdcs{j}", "chi_doan_co_so", name, m))


def build_org(rng: random.Random) -> Unit:
    """The whole Khối: 30 district-level unions, 20 đoàn cơ sở, 9 chi đoàn cơ sở."""
    root = Unit("khoi", "khoi", KHOI_NAME)
    for i, (m, name) in enumerate(
        zip(huyen_sizes(rng), rng.sample(HUYEN_NAMES, N_HUYEN), strict=True), 1
    ):
        build_huyen(root.add(Unit(f"h{i:02d}", "doan_cap_huyen", name)), m, rng)
    for i, name in enumerate(rng.sample(DIRECT_CS_NAMES, N_DIRECT_CS), 1):
        m = rng.choice((rng.randint(60, 300), rng.randint(200, 900), rng.randint(600, 1_500)))
        build_doan_co_so(root.add(Unit(f"cs{i:02d}", "doan_co_so", name)), m, rng)
    cdcs_members = rng.sample(DIRECT_CDCS_MEMBERS, len(DIRECT_CDCS_MEMBERS))
    for i, (m, name) in enumerate(zip(cdcs_members, DIRECT_CDCS_NAMES, strict=True), 1):
        root.add(Unit(f"cdcs{i}", "chi_doan_co_so", name, m))
    root.sum_members()
    return root


# --- the facts -----------------------------------------------------------------------------


def put(facts: Facts, metric: str, value: Value) -> None:
    """Record a value; a zero count is left out (an empty cell means 0)."""
    if isinstance(value, bool) or value != 0:
        facts[metric] = value


def own_facts(u: Unit, rng: random.Random) -> Facts:
    """The per-level figures of one unit (totals are apportioned afterwards)."""
    f: Facts = {}
    kind, direct = u.kind, u.direct
    put(f, "resolutions_studied", True)
    put(f, "ho_chi_minh_pledges", True)
    if kind == "khoi":
        for metric, value in (
            ("congress_forums", 3),
            ("youth_projects", 3),
            ("policy_forums", 2),
            ("playgrounds", 2),
            ("key_cadres", 5),
        ):
            put(f, metric, value)
    elif kind == "doan_cap_huyen":
        put(f, "congress_forums", rng.randint(1, 3))
        put(f, "youth_projects", rng.randint(3, 7))
        put(f, "youth_tasks", rng.randint(1, 6))
        put(f, "policy_forums", rng.choice((1, 1, 2, 2, 2, 3)))
        put(f, "reform_ideas", rng.randint(1, 5))
        put(f, "playgrounds", rng.choice((2, 2, 2, 3)))
        put(f, "rating", rng.choices(RATINGS, UPPER_RATING_WEIGHTS)[0])
        put(f, "key_cadres", rng.randint(3, 5))
    elif kind == "doan_co_so":
        if not direct and rng.random() < 0.03:
            put(f, "resolutions_studied", False)
        put(f, "congress_forums", rng.randint(1, 2) if direct else rng.choice((0, 0, 1, 1, 2)))
        put(f, "youth_projects", rng.choice((2, 2, 2, 3, 3, 4)))
        put(f, "youth_tasks", rng.randint(1, 4) if direct else rng.randint(0, 4))
        put(
            f,
            "policy_forums",
            rng.choice((1, 1, 2, 2, 2, 3)) if direct else rng.choice((0, 0, 0, 1)),
        )
        put(f, "reform_ideas", rng.randint(1, 4) if direct else rng.randint(0, 3))
        put(f, "playgrounds", rng.choice((1, 1, 1, 2)) if direct else rng.choice((0, 0, 0, 1)))
        put(f, "rating", rng.choices(RATINGS, CO_SO_RATING_WEIGHTS)[0])
        put(f, "key_cadres", rng.randint(2, 5))
    elif kind == "chi_doan_co_so":
        put(f, "congress_forums", rng.randint(1, 2) if direct else rng.choice((0, 1, 1)))
        put(f, "youth_projects", rng.choice((0, 0, 1)))
        put(f, "youth_tasks", rng.randint(1, 3))
        put(f, "policy_forums", rng.choice((0, 0, 1)))
        put(f, "reform_ideas", rng.randint(1, 3) if direct else rng.randint(0, 2))
        put(f, "playgrounds", 1 if direct else rng.choice((0, 0, 0, 1)))
        put(f, "rating", rng.choices(RATINGS, CO_SO_RATING_WEIGHTS)[0])
        put(f, "regular_meetings", True)
        put(f, "thematic_meetings", rng.randint(1, 4))
        put(f, "key_cadres", rng.randint(1, 3))
    elif kind == "lien_chi_doan":
        put(f, "congress_forums", rng.choice((0, 0, 1)))
        put(f, "youth_tasks", rng.choice((0, 1, 1, 2)))
        put(f, "reform_ideas", rng.choice((0, 0, 1)))
        put(f, "rating", rng.choices(RATINGS, UPPER_RATING_WEIGHTS)[0])
        put(f, "key_cadres", rng.randint(1, 3))
    elif kind == "chi_doan":
        put(f, "youth_tasks", rng.choice((0, 0, 1, 1, 2)))
        put(f, "reform_ideas", 1 if rng.random() < 0.1 else 0)
        put(f, "rating", rng.choices(RATINGS, CHAPTER_RATING_WEIGHTS)[0])
        put(f, "regular_meetings", True)
        put(f, "thematic_meetings", rng.choice((1, 1, 2, 2, 2, 3, 3, 4)))
        put(f, "key_cadres", rng.randint(1, 3))
    else:
        raise ValueError(f"unknown kind {kind!r}")
    put(f, "key_cadres_trained", f.get("key_cadres", 0))
    return f


# kind -> (chance of taking part, weight per member)
TREE_SHARE = {
    "doan_cap_huyen": (1.0, 0.2),
    "doan_co_so": (0.9, 0.25),
    "chi_doan_co_so": (0.9, 1.0),
    "lien_chi_doan": (0.3, 0.1),
    "chi_doan": (0.75, 1.0),
}
CHILD_SHARE = {
    "doan_cap_huyen": (1.0, 0.3),
    "doan_co_so": (0.8, 0.4),
    "chi_doan_co_so": (0.5, 1.0),
    "lien_chi_doan": (0.2, 0.2),
    "chi_doan": (0.3, 1.0),
}
INTRO_SHARE = {"doan_co_so": (0.3, 0.1), "chi_doan_co_so": (0.6, 1.0), "chi_doan": (0.35, 1.0)}
RESEARCH_SHARE = {
    "doan_cap_huyen": (0.7, 0.08),
    "doan_co_so": (0.5, 0.3),
    "chi_doan_co_so": (0.15, 1.0),
    "lien_chi_doan": (0.1, 0.3),
    "chi_doan": (0.05, 1.0),
}


def spread_total(
    facts: dict[str, Facts],
    units: Sequence[Unit],
    metric: str,
    total: int,
    shares: dict[str, tuple[float, float]],
    rng: random.Random,
) -> None:
    """Apportion exactly ``total`` of ``metric`` over ``units`` (members-weighted)."""
    weights: list[float] = []
    for u in units:
        chance, per_member = shares.get(u.kind, (0.0, 0.0))
        taking_part = rng.random() < chance
        weights.append(u.members * per_member * rng.uniform(0.2, 1.8) if taking_part else 0.0)
    for u, amount in zip(units, apportion(total, weights), strict=True):
        put(facts[u.id], metric, amount)


def thin(
    facts: dict[str, Facts],
    units: Sequence[Unit],
    source: str,
    metric: str,
    rate: float,
    rng: random.Random,
) -> None:
    """``metric`` = each of the unit's ``source`` kept with chance ``rate``."""
    for u in units:
        n = facts[u.id].get(source, 0)
        assert isinstance(n, int)
        put(facts[u.id], metric, sum(rng.random() < rate for _ in range(n)))


def make_facts(root: Unit, rng: random.Random) -> tuple[dict[str, Facts], list[str]]:
    """Facts of every reporting unit, and the ids of the chapters that did not report."""
    units = list(root.walk())
    chapters = [u for u in units if u.kind == "chi_doan"]
    picked = rng.sample(chapters, N_SILENT + N_FAILED + 1)
    silent = {u.id for u in picked[:N_SILENT]}
    failed = picked[N_SILENT : N_SILENT + N_FAILED]
    irregular = [*failed[: N_IRREGULAR - 1], picked[-1]]
    reporting = [u for u in units if u.id not in silent]
    facts = {u.id: own_facts(u, rng) for u in reporting}

    for u in failed:
        facts[u.id]["rating"] = "khong_hoan_thanh"
        facts[u.id]["thematic_meetings"] = 1
    for u in irregular:
        facts[u.id]["regular_meetings"] = False
    huyen = [u for u in units if u.kind == "doan_cap_huyen"]
    for u, projects in zip(
        rng.sample(huyen, len(SHORT_HUYEN_PROJECTS)), SHORT_HUYEN_PROJECTS, strict=True
    ):
        facts[u.id]["youth_projects"] = projects

    below = reporting[1:]  # everyone but the Khối itself
    put(facts[root.id], "trees_planted", KHOI_TREES)
    spread_total(facts, below, "trees_planted", TREES_TOTAL - KHOI_TREES, TREE_SHARE, rng)
    put(facts[root.id], "children_supported", KHOI_CHILDREN)
    spread_total(
        facts, below, "children_supported", CHILDREN_TOTAL - KHOI_CHILDREN, CHILD_SHARE, rng
    )
    spread_total(facts, below, "members_introduced", INTRODUCED_TOTAL, INTRO_SHARE, rng)
    thin(facts, below, "members_introduced", "members_admitted", ADMIT_RATE, rng)
    spread_total(facts, below, "research_projects", RESEARCH_TOTAL, RESEARCH_SHARE, rng)
    thin(facts, below, "research_projects", "research_applied", APPLY_RATE, rng)

    for u in rng.sample(below, N_UNTRAINED):
        trained = facts[u.id]["key_cadres_trained"]
        assert isinstance(trained, int)
        facts[u.id]["key_cadres_trained"] = trained - 1
    return facts, [u.id for u in units if u.id in silent]


def mid_year(
    units: Sequence[Unit], year: dict[str, Facts], rng: random.Random
) -> dict[str, Facts]:
    """Each reporting unit's own figures for the first half of the year: totals
    apportioned over the units in proportion to their year's figures (so never above
    them), other counts about half, flags mostly set, no rating yet."""
    chapters = [u for u in units if u.kind == "chi_doan" and u.id in year]
    late = {u.id for u in rng.sample(chapters, MID_SILENT)}
    reporting = [u for u in units if u.id in year and u.id not in late]
    facts: dict[str, Facts] = {}
    for u in reporting:
        f: Facts = {}
        for metric, value in year[u.id].items():
            if metric in ("rating", "members_admitted", "research_applied") or (
                metric in MID_TOTALS
            ):
                continue  # no rating yet; the totals and their parts are drawn below
            if isinstance(value, bool):
                put(f, metric, value and rng.random() < 0.97)
            elif metric in ("key_cadres", "regular_meetings"):
                put(f, metric, value)
            elif isinstance(value, int):
                put(f, metric, min(value, round(value * rng.uniform(0.3, 0.75))))
        facts[u.id] = f
    for metric, total in MID_TOTALS.items():
        weights = [float(year[u.id].get(metric, 0)) for u in reporting]
        for u, amount in zip(reporting, apportion(total, weights), strict=True):
            put(facts[u.id], metric, amount)
    thin(facts, reporting, "members_introduced", "members_admitted", ADMIT_RATE / 2, rng)
    thin(facts, reporting, "research_projects", "research_applied", APPLY_RATE, rng)
    for u in reporting:  # the cadres trained so far are among those the year trains
        trained = facts[u.id].get("key_cadres_trained", 0)
        assert isinstance(trained, int)
        facts[u.id].pop("key_cadres_trained", None)
        put(facts[u.id], "key_cadres_trained",
            min(trained, int(year[u.id].get("key_cadres_trained", 0))))
    return facts


# --- writing -------------------------------------------------------------------------------


def plan_metrics(plan_file: Path) -> dict[str, str]:
    """The plan's metrics, name -> type, in the plan's order."""
    with plan_file.open("rb") as fh:
        plan = tomllib.load(fh)
    return {name: str(spec["type"]) for name, spec in plan["metrics"].items()}


def cell(metric: str, kind: str, value: Value | None) -> str:
    """The CSV text of one value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = FLAG_WORDS.get(metric, DEFAULT_FLAG_WORDS)
        if kind != "flag":
            raise ValueError(f"{metric} is a {kind}, not a flag")
        return yes if value else no
    return str(value)


def nfc(text: str) -> str:
    """NFC-normalised text."""
    return unicodedata.normalize("NFC", text)


def write_facts(path: Path, root: Unit, facts: dict[str, Facts], metrics: dict[str, str],
                period: str) -> int:
    """Write one facts file, wide form, units in tree order; return its number of rows."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["unit", "period", *metrics])
        for u in root.walk():
            if u.id in facts:
                f = facts[u.id]
                writer.writerow(
                    [u.id, period, *(cell(m, kind, f.get(m)) for m, kind in metrics.items())]
                )
                rows += 1
    return rows
def cluster(u: Unit) -> str:
    """The emulation cluster (cụm thi đua) of a đoàn cơ sở, the peer group the built-in
    rubric ranks it in: those under the district-level unions h01, h05, ... form cum-1,
    those under h02, h06, ... cum-2, and so on to cum-4; those directly under the Khối
    form cum-5. Other units have none (an empty cell)."""
    if u.kind != "doan_co_so" or u.parent is None:
        return ""
    if u.parent.kind == "khoi":
        return "cum-5"
    return f"cum-{(int(u.parent.id[1:]) - 1) % 4 + 1}"


def write_files(out: Path, root: Unit, facts: dict[str, Facts], metrics: dict[str, str]) -> int:
    """Write org.csv and facts.csv into ``out``; return the number of fact rows."""
    unknown = sorted({m for f in facts.values() for m in f} - set(metrics))
    if unknown:
        raise SystemExit(f"metrics not in the plan {PLAN_FILE.name}: {', '.join(unknown)}")
    out.mkdir(parents=True, exist_ok=True)
    with (out / ORG_FILE).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "parent", "kind", "name", "members", "cum"])
        for u in root.walk():
            parent = u.parent.id if u.parent else ""
            writer.writerow([u.id, parent, u.kind, nfc(u.name), u.members, cluster(u)])
    return write_facts(out / FACTS_FILE, root, facts, metrics, PERIOD)


def check_names(root: Unit) -> None:
    """Ids are unique ASCII without spaces; names are unique within their parent."""
    ids = [u.id for u in root.walk()]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert all(i.isascii() and " " not in i for i in ids), "bad id"
    for u in root.walk():
        names = [child.name for child in u.children]
        assert len(names) == len(set(names)), f"duplicate names under {u.id}"


def generate(out: Path) -> list[str]:
    """Build the example, write it into ``out`` and return the summary lines."""
    rng = random.Random(SEED)
    root = build_org(rng)
    check_names(root)
    facts, silent = make_facts(root, rng)
    metrics = plan_metrics(PLAN_FILE)
    rows = write_files(out, root, facts, metrics)
    units = list(root.walk())
    june = mid_year(units, facts, random.Random(MID_YEAR_SEED))
    mid_rows = write_facts(out / MID_YEAR_FILE, root, june, metrics, MID_YEAR_PERIOD)
    per_kind = Counter(u.kind for u in units)
    direct = [u.members for u in root.children]
    return [
        f"units: {len(units)} ("
        + ", ".join(f"{kind} {per_kind[kind]}" for kind in KIND_ORDER)
        + ")",
        f"directly under the Khối: {len(root.children)} units, "
        f"{min(direct)} to {max(direct)} members each",
        f"members: {root.members}",
        f"{ORG_FILE}: {len(units)} rows; {FACTS_FILE}: {rows} rows "
        f"(did not report: {', '.join(silent)})",
        f"{MID_YEAR_FILE}: {mid_rows} rows (period {MID_YEAR_PERIOD})",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary directory; exit 1 if the committed files differ",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=EXAMPLE_DIR,
        help="directory to write into (default: the package's data/example)",
    )
    args = parser.parse_args(argv)
    if not args.check:
        for line in generate(args.out):
            print(line)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        stale = [
            name
            for name in FILES
            if not (args.out / name).is_file()
            or (args.out / name).read_bytes() != (Path(tmp) / name).read_bytes()
        ]
    if stale:
        print(
            f"out of date: {', '.join(str(args.out / n) for n in stale)}; "
            f"run python scripts/make_example.py",
            file=sys.stderr,
        )
        return 1
    print(f"up to date: {', '.join(str(args.out / name) for name in FILES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
