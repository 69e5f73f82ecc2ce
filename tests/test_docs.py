"""The documentation's examples, run and compared with what the pages show.

Every Markdown page under ``docs/`` is run as one session, top to bottom, in
a fresh temporary directory. The page is read as a sequence of fenced code
blocks; HTML comments on the lines directly above a fence (no blank line
between) are *markers* that say what to do with the block:

``<!-- file: NAME -->``
    The block's text is written to the file ``NAME`` (relative to the
    session directory) and is not run. Write a tutorial's example files as
    ```` ```csv ```` or ```` ```toml ```` blocks with this marker.
``<!-- run -->``
    Run a ```` ```sh ```` block whose first line does not start with
    ``doanorg`` (a shell script, a pipe into Python).
``<!-- exit: N -->``
    Every ``doanorg`` command of the ```` ```sh ```` block must exit with
    status ``N``. Without it, each must exit 0 or 1: a documented command
    never fails on bad input (status 2) unless the page says so.

What runs:

```` ```python ```` blocks
    All of them, in page order, in one namespace per page (a block sees the
    names an earlier block of the page defined), with the session directory
    as the working directory. There is no way to skip one: show code that
    must not run in a ```` ```text ```` block.
```` ```sh ```` blocks whose first line starts with ``doanorg `` (or marked ``run``)
    By ``bash`` in the session directory, where ``doanorg`` runs
    ``python -m doanorg`` with this interpreter, and ``python`` is this
    interpreter. Besides the statuses of its ``doanorg`` commands, the
    block itself must exit 0 or with the status of its last ``doanorg``
    command. Other ```` ```sh ```` blocks (installing, say) are shown, not
    run.

A ```` ```text ```` block that directly follows a block that ran (nothing
but blank lines between them) is that block's output: what a ``python``
block prints to stdout, or what an ``sh`` block shows in a terminal (stderr
and stdout together). It must match line by line, trailing spaces ignored;
a line holding only ``...`` stands for any number of lines. Any other
```` ```text ```` block is not checked.

A page whose example breaks (a command that exits 2, a Python error, output
that differs from the page) fails its test, which names the page and the
line of the block. After a deliberate change of output, run

    DOANORG_UPDATE_DOCS=1 python -m pytest tests/test_docs.py

to rewrite the shown outputs in place (blocks with a ``...`` line are left
alone), and read the diff before committing it.

The pages' relative links are checked too, down to the heading a ``#`` names.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
UPDATE = os.environ.get("DOANORG_UPDATE_DOCS") == "1"

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,})(?P<info>[^`]*)$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<key>[a-z]+)\s*(?::\s*(?P<value>.*?))?\s*-->\s*$")
_MARKER_KEYS = frozenset({"file", "run", "exit"})
_LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")
_SHIM = """#!/bin/sh
"$DOANORG_DOCS_PYTHON" -m doanorg "$@"
status=$?
echo "$status" >> "$DOANORG_DOCS_STATUS"
exit "$status"
"""


@attrs.frozen
class Block:
    """One fenced block of a page: its language, text, markers and place."""

    language: str
    text: str
    markers: dict[str, str]
    line: int
    """The line of the opening fence (1-based)."""
    end: int
    """The line of the closing fence (1-based)."""
    follows: Block | None
    """The block directly before this one, when only blank lines part them."""


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of ``page``, in order, with their markers."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        start = index
        index += 1
        body: list[str] = []
        while index < len(lines) and not (
            lines[index].strip().startswith(fence) and not lines[index].strip().strip("`")
        ):
            text = lines[index]
            body.append(text[indent:] if text[:indent] == " " * indent else text.lstrip())
            index += 1
        if index == len(lines):
            raise AssertionError(f"{page.name} line {start + 1}: the block is never closed")
        markers: dict[str, str] = {}
        above = start - 1
        while above >= 0 and (marker := _MARKER.match(lines[above])):
            if marker["key"] not in _MARKER_KEYS:
                known = ", ".join(sorted(_MARKER_KEYS))
                raise AssertionError(f"{page.name} line {above + 1}: unknown marker "
                                     f"{marker['key']!r} (known: {known})")
            markers[marker["key"]] = marker["value"] or ""
            above -= 1
        previous = found[-1] if found else None
        adjacent = (
            previous is not None
            and not markers
            and all(not text.strip() for text in lines[previous.end : start])
        )
        words = opening["info"].split()
        found.append(Block(words[0] if words else "", "\n".join(body) + "\n" if body else "",
                           markers, start + 1, index + 1, previous if adjacent else None))
        index += 1
    return found


def runs(block: Block) -> bool:
    """Whether the test runs ``block`` (rather than only showing it or writing it out)."""
    if "file" in block.markers:
        return False
    if block.language == "python":
        return True
    return block.language == "sh" and (
        block.text.startswith("doanorg ") or "run" in block.markers
    )


def expected_statuses(block: Block) -> frozenset[int]:
    """The exit statuses the ``doanorg`` commands of an ``sh`` block may have."""
    if "exit" in block.markers:
        return frozenset({int(block.markers["exit"])})
    return frozenset({0, 1})


def matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is what ``expected`` shows, ``...`` lines standing for any lines."""
    pattern = "".join(
        r"(?:.*\n)*?" if line.strip() == "..." else re.escape(line) + r"\n"
        for line in _lines(expected)
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in _lines(actual))) is not None


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@attrs.define
class Session:
    """One page's run: its directory, its Python namespace, and the outputs to rewrite."""

    page: Path
    directory: Path
    namespace: dict[str, object] = attrs.field(factory=dict)
    rewrites: list[tuple[Block, str]] = attrs.field(factory=list)

    def where(self, block: Block) -> str:
        shown = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{shown} line {block.line}"

    def write(self, block: Block) -> None:
        target = self.directory / block.markers["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text, encoding="utf-8")

    def run_python(self, block: Block) -> str:
        code = compile(block.text, f"<{self.where(block)}>", "exec")
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            try:
                exec(code, self.namespace)
            except Exception:
                pytest.fail(f"{self.where(block)}: the example raised\n"
                            f"{traceback.format_exc()}\nIt printed:\n{output.getvalue()}")
        return output.getvalue()

    def run_sh(self, block: Block) -> str:
        shims = self.directory.parent / "bin"
        if not shims.exists():
            shims.mkdir()
            shim = shims / "doanorg"
            shim.write_text(_SHIM, encoding="utf-8")
            shim.chmod(0o755)
            (shims / "python").symlink_to(sys.executable)
        status_log = self.directory.parent / "statuses"
        status_log.write_text("", encoding="utf-8")
        env = {
            **os.environ,
            "PATH": os.pathsep.join([str(shims), os.environ.get("PATH", "")]),
            "DOANORG_DOCS_PYTHON": sys.executable,
            "DOANORG_DOCS_STATUS": str(status_log),
            "PYTHONUTF8": "1",
            "COLUMNS": "80",
        }
        done = subprocess.run(
            ["bash", "-c", block.text], cwd=self.directory, env=env, check=False,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
            timeout=300,
        )
        statuses = [int(line) for line in status_log.read_text(encoding="utf-8").split()]
        allowed = expected_statuses(block)
        wrong = [status for status in statuses if status not in allowed]
        if wrong or (not statuses and block.text.startswith("doanorg ")):
            pytest.fail(f"{self.where(block)}: doanorg exited {statuses}, the page allows "
                        f"{sorted(allowed)}; it printed:\n{done.stdout}")
        if done.returncode not in {0, *statuses[-1:]}:
            pytest.fail(f"{self.where(block)}: the block exited {done.returncode}; "
                        f"it printed:\n{done.stdout}")
        return done.stdout

    def check_output(self, block: Block, output: str) -> None:
        if matches(block.text, output):
            return
        if UPDATE and not any(line.strip() == "..." for line in block.text.splitlines()):
            self.rewrites.append((block, output))
            return
        pytest.fail(f"{self.where(block)}: the shown output differs from the actual one.\n"
                    f"--- shown\n{block.text}--- actual\n{output}")

    def rewrite(self) -> None:
        """Put the actual outputs in place of the shown ones (update mode)."""
        lines = self.page.read_text(encoding="utf-8").splitlines(keepends=True)
        for block, output in sorted(self.rewrites, key=lambda item: -item[0].line):
            new = [line.rstrip() + "\n" for line in _lines(output)]
            lines[block.line : block.end - 1] = new
        self.page.write_text("".join(lines), encoding="utf-8")


def _page_id(page: Path) -> str:
    return str(page.relative_to(DOCS))


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_examples(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example of the page runs, and prints what the page shows."""
    directory = tmp_path / "session"
    directory.mkdir()
    monkeypatch.chdir(directory)
    session = Session(page, directory, {"__name__": "__docs__"})
    outputs: dict[int, str] = {}
    for block in blocks(page):
        if "file" in block.markers:
            session.write(block)
        elif runs(block):
            run = session.run_python if block.language == "python" else session.run_sh
            outputs[block.line] = run(block)
        elif (block.language == "text" and block.follows is not None
              and block.follows.line in outputs):
            session.check_output(block, outputs[block.follows.line])
    if session.rewrites:
        session.rewrite()


def test_every_page_is_checked() -> None:
    """The docs exist, and the page list the examples test walks is not empty."""
    assert DOCS.is_dir()
    assert {"index.md", "glossary.md"} <= {page.name for page in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_links(page: Path) -> None:
    """Every relative link of the page names a file that exists, and a heading of it."""
    broken = []
    for number, line in _numbered(page):
        for link in _LINK.finditer(line):
            target, _, anchor = link["target"].partition("#")
            if re.match(r"^[a-z]+:", target):
                continue
            linked = (page.parent / target) if target else page
            if not linked.exists():
                broken.append(f"line {number}: {link['target']}")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"line {number}: {link['target']} (no such heading)")
    assert broken == []


def _anchors(page: Path) -> set[str]:
    """The anchors of a page's headings, as GitHub makes them."""
    anchors = set()
    for _, line in _numbered(page):
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def _numbered(page: Path) -> Iterator[tuple[int, str]]:
    inside = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if _FENCE.match(line):
            inside = not inside
        elif not inside:
            yield number, line


# --- the harness itself: a broken example must fail -------------------------


def _page(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return page


def _run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    test_examples(page, run_dir, monkeypatch)


def test_harness_accepts_a_good_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose examples print what it shows passes; ``...`` skips lines."""
    page = _page(tmp_path, (
        "<!-- file: note.txt -->\n```text\nhello\n```\n\n"
        "```python\nimport pathlib\n"
        "print(pathlib.Path('note.txt').read_text().strip())\nx = 2\n```\n\n"
        "```text\nhello\n```\n\n"
        "```python\nprint(x + 1)\nprint('a')\nprint('b')\n```\n```text\n3\n...\n```\n\n"
        "<!-- exit: 2 -->\n```sh\ndoanorg check\n```\n\n"
        "```text\n...\n```\n\n"
        "```sh\npip install nothing-at-all\n```\n"
    ))
    _run(page, tmp_path, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        "```python\nprint(1)\n```\n\n```text\n2\n```\n",
        "```python\nraise ValueError('broken')\n```\n",
        "```sh\ndoanorg check --org missing.csv --facts f.csv --plan p.toml\n```\n",
        "<!-- exit: 0 -->\n```sh\ndoanorg demo\n```\n",
        "<!-- run -->\n```sh\nprintf 'a\\n'\n```\n```text\nb\n```\n",
        "<!-- typo -->\n```sh\ndoanorg demo\n```\n",
    ],
    ids=["wrong-output", "python-error", "bad-input", "wrong-exit", "wrong-sh-output",
         "unknown-marker"],
)
def test_harness_fails_a_broken_page(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page whose example breaks fails."""
    page = _page(tmp_path, text)
    with pytest.raises((pytest.fail.Exception, AssertionError)):
        _run(page, tmp_path, monkeypatch)
