"""A small organisation whose names are hostile: markup, a formula, quotes.

The report files doanorg writes (HTML, xlsx) must show such names as the texts they are:
never run a script, never run a formula. Tests write these files with :func:`files`, run
``doanorg check`` or ``doanorg score`` over them, and read what was written back with
:func:`page` and :func:`sheets`.
"""

from __future__ import annotations

import html.parser
from pathlib import Path
from typing import Any

__all__ = ["FORMULA", "NAMES", "SCRIPT", "Page", "files", "page", "sheets"]

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.invalid","x")'
NAMES = {"k": "Đoàn Khối \"A\" & <b>B</b>", "h1": SCRIPT, "h2": FORMULA,
         "c1": "+SUM(1,2)", "c2": "@cmd"}

ORG = "\n".join([
    "id,parent,kind,name",
    f'k,,khoi,"{NAMES["k"].replace(chr(34), chr(34) * 2)}"',
    f"h1,k,doan_cap_huyen,{SCRIPT}",
    f'h2,k,doan_cap_huyen,"{FORMULA.replace(chr(34), chr(34) * 2)}"',
    f'c1,h1,doan_co_so,"{NAMES["c1"]}"',
    f"c2,h2,doan_co_so,{NAMES['c2']}",
]) + "\n"
FACTS = "unit,projects,trees\nh1,1,100\nh2,2,50\nc1,0,10\n"
PLAN = """\
id = "p"
title = "Kế hoạch <i>thử</i>"

[metrics.projects]
type = "count"

[metrics.trees]
type = "count"

[[targets]]
id = "3b"
text = "mỗi đoàn cấp huyện có ít nhất 03 công trình <script>alert(2)</script>"
each = ["doan_cap_huyen"]
metric = "projects"
at_least = 3

[[targets]]
id = "3c"
text = "mỗi đoàn cơ sở có ít nhất 01 công trình"
each = ["doan_co_so"]
metric = "projects"
at_least = 1

[[targets]]
id = "4"
text = "Trồng mới được ít nhất 26.200 cây xanh."
total = "trees"
at_least = 26200
"""


def files(folder: Path) -> list[str]:
    """Write the organisation, facts and plan into ``folder``: their command-line options."""
    paths = []
    for name, text in (("org.csv", ORG), ("facts.csv", FACTS), ("plan.toml", PLAN)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return ["--org", paths[0], "--facts", paths[1], "--plan", paths[2]]


class Page(html.parser.HTMLParser):
    """The elements and texts of a page, as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.texts).append(data)


def page(text: str) -> Page:
    """The page ``text`` read as a browser's parser reads it."""
    read = Page()
    read.feed(text)
    return read


def sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet of the workbook at ``path``, by name, as the cells' values (the
    ``excel`` extra's reader)."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: [list(row) for row in workbook.get_sheet_by_name(name).to_python()]
            for name in workbook.sheet_names}
