"""Law of the CSV reader: :func:`doanorg.io._table.read_table` reads a file as Python's
csv module reads it.

The reference reading is plain :mod:`csv` over the decoded text (``newline=""``, so
that CR, LF and CR LF each end a line, as an editor shows them): the header is the
first record not all blank, the rows are the records after it not all blank, each
padded with empty cells to the header's width and cut to it, and a row's line is the
line its record starts on, as ``csv.reader.line_num`` counts lines. The files are
written by :class:`csv.writer` (correct quoting, each of the line ends), then
damaged as people damage them: a BOM, blank lines, rows made shorter or longer.
"""

from __future__ import annotations

import csv
import io
import re
import string
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

from doanorg.core.model import normalise
from doanorg.errors import OrgError, Problem
from doanorg.io._table import Table, read_table

BOM = b"\xef\xbb\xbf"
TERMINATORS = ("\n", "\r\n", "\r")

_VIETNAMESE = "Đoàn Thanh niên Cộng sản Hồ Chí Minh ăâđêôơư ỹẫựỗ"
_ALPHABET = "".join(sorted(set(
    string.ascii_letters + string.digits + string.punctuation + _VIETNAMESE
    + ' ,"\t\n\r\xa0\u3000\x0b\x0c\x85\u2028' + "\u0300\u0301\u0303\u0309\u0323")))
_SAMPLES = (
    "", " ", "   ", "\t", "\xa0", " \u3000 ", "Chi đoàn 1",
    unicodedata.normalize("NFD", "Chi đoàn 1"), " Đoàn Khối ", "a,b", ",", '"', '""',
    'say "hi"', "two\nlines", "cr\ronly", "crlf\r\nline", "\n", "\r\n", "1.000", "=1+2",
)
#: a cell as people write them: ASCII, Vietnamese (composed or not), commas, quotes,
#: line ends, empty or only spaces
CELLS = st.one_of(st.sampled_from(_SAMPLES), st.text(_ALPHABET, max_size=8))
#: a line a reader skips: empty, or spaces, tabs and commas
BLANK_LINES = st.text(" ,\t", max_size=6)


@attrs.frozen
class Drawn:
    """A CSV file's bytes, and how they were made (for reading a failure)."""

    data: bytes
    records: tuple[tuple[str, ...], ...]


def _written(cells: Sequence[str], terminator: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=terminator).writerow(cells)
    return out.getvalue()


@st.composite
def csv_files(draw: st.DrawFn, min_rows: int = 0) -> Drawn:
    """A header and rows written by csv.writer, with a BOM, blank lines, short and
    long rows, any line ends (one for the file, or one a line), maybe none at the end."""
    width = draw(st.integers(1, 5), label="width")
    header = draw(st.lists(CELLS, min_size=width, max_size=width), label="header")
    rows = draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), min_size=min_rows,
                         max_size=6), label="rows")
    for row in rows:
        match draw(st.sampled_from(["same", "shorter", "longer"])):
            case "shorter":
                del row[len(row) - draw(st.integers(1, width)):]
            case "longer":
                row.extend(draw(st.lists(CELLS, min_size=1, max_size=3)))
    records = [header, *rows]
    # blank lines at each place: before the header (0), between records, at the end
    blanks = draw(st.lists(st.tuples(st.integers(0, len(records)), BLANK_LINES), max_size=4),
                  label="blank lines")
    same = draw(st.sampled_from([*TERMINATORS, None]), label="line end")  # None: mixed
    parts = []
    for place in range(len(records) + 1):
        for _, line in (blank for blank in blanks if blank[0] == place):
            parts.append(line + (same or draw(st.sampled_from(TERMINATORS))))
        if place < len(records):
            parts.append(_written(records[place], same or draw(st.sampled_from(TERMINATORS))))
    text = "".join(parts)
    if draw(st.booleans(), label="no line end at the end"):
        text = text.removesuffix("\n").removesuffix("\r")
    data = text.encode("utf-8")
    if draw(st.booleans(), label="BOM"):
        data = BOM + data
    return Drawn(data, tuple(tuple(record) for record in records))


# --- the reference reading ---------------------------------------------------------


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Each record csv.reader reads in ``text``, with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records, start = [], 1
    for cells in reader:
        records.append((start, cells))
        start = reader.line_num + 1
    return records


@attrs.frozen
class Reading:
    """The csv module's reading of a file, as :func:`read_table` should give it."""

    header: tuple[str, ...]
    header_line: int
    rows: list[list[str]]
    lines: list[int]
    long: list[tuple[int, int, str]]  # (line, cells, the first cell) of each long row


def _reference(data: bytes) -> Reading | None:
    """The csv module's reading of ``data``; ``None`` when no record is not blank."""
    records = _records(data.removeprefix(BOM).decode("utf-8"))
    first = next((at for at, (_, cells) in enumerate(records) if not _blank(cells)), None)
    if first is None:
        return None
    header_line, names = records[first]
    header = tuple(normalise(name) for name in names)
    width = len(header)
    body = [(line, cells) for line, cells in records[first + 1:] if not _blank(cells)]
    return Reading(header, header_line, [(cells + [""] * width)[:width] for _, cells in body],
                   [line for line, _ in body],
                   [(line, len(cells), cells[0]) for line, cells in body if len(cells) > width])


def _expected_problems(reading: Reading, shown: str) -> list[Problem]:
    """The problems read_table must report: a column named twice (on the header's line)
    and each long row (on its line, naming its unit: the first column is the key)."""
    problems = [Problem(f"column {name!r} appears twice in the header", file=shown,
                        line=reading.header_line)
                for at, name in enumerate(reading.header) if name in reading.header[:at]]
    width = len(reading.header)
    for line, count, first in reading.long:
        unit = normalise(first)
        named = f"unit {unit!r}: " if unit else ""
        problems.append(Problem(
            f"{named}the row has {count} cells but the header has {width} columns",
            file=shown, line=line, unit=unit or None))
    return problems


def _rows(table: Table) -> list[list[str]]:
    """The table's rows (of a header naming a column twice, the first such column)."""
    columns = [table.columns[name].to_pylist() for name in dict.fromkeys(table.header)]
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def _first_columns(rows: list[list[str]], header: Sequence[str]) -> list[list[str]]:
    """``rows`` with the cells of the first column of each name only."""
    keep = [header.index(name) for name in dict.fromkeys(header)]
    return [[row[at] for at in keep] for row in rows]


def _same(what: str, got: Sequence[object], want: Sequence[object]) -> None:
    """``got == want``, or a failure showing the first difference (a file may be long)."""
    if list(got) == list(want):
        return
    at = next((at for at, (one, other) in enumerate(zip(got, want, strict=False))
               if one != other),
              min(len(got), len(want)))
    raise AssertionError(f"{what}: read_table gives {len(got)}, csv {len(want)}; the first "
                         f"difference, at {at}: read_table {list(got[at:at + 1])!r}, "
                         f"csv {list(want[at:at + 1])!r}")


def _problem(problem: Problem) -> tuple[int, str, str | None, str | None]:
    return (problem.line or 0, problem.message, problem.unit, problem.file)


def _check(path: Path, data: bytes) -> None:
    """read_table's reading of ``data`` is the csv module's."""
    path.write_bytes(data)
    reading = _reference(data)
    if reading is None:
        with pytest.raises(OrgError, match="the file is empty"):
            read_table(path, OrgError, [])
        return
    problems: list[Problem] = []
    table = read_table(path, OrgError, problems, key=reading.header[:1])
    _same("header", table.header, reading.header)
    _same("rows", _rows(table), _first_columns(reading.rows, reading.header))
    _same("lines", table.lines.tolist(), reading.lines)
    assert table.rows == len(reading.rows)
    _same("problems", sorted(map(_problem, problems)),
          sorted(map(_problem, _expected_problems(reading, str(path)))))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("csv")


@given(csv_files())
def test_read_table_reads_what_the_csv_module_reads(folder: Path, drawn: Drawn) -> None:
    """For a file written by csv.writer (any line ends, a BOM or not, blank lines of
    spaces and commas anywhere, rows shorter or longer than the header), read_table gives
    the csv module's reading: header names = csv's first record not all blank, each
    trimmed and NFC; rows = csv's records after it not all blank (however many cells a
    blank one has), in order, padded with "" to the header's width and cut to it; each
    row's line = the line its record starts on (1-based, lines ended by CR, LF or CR LF);
    and a problem for exactly each long row (on its line, naming its unit) and each
    column named twice (on the header's line). A file with no record that is not blank
    is "empty"."""
    _check(folder / "table.csv", drawn.data)


# --- not UTF-8, an unclosed quote -------------------------------------------------

_MARK = "\ue000"  # where the bytes that are not UTF-8 go (a private-use character)
_NOT_UTF8 = (b"\xff", b"\xfe", b"\x80", b"\xc3", b"\xe1\xba", b"\xc0\xaf", b"\xed\xa0\x80",
             b"\xf8\x88\x80\x80\x80")


def _line_of(text: str, at: int) -> int:
    """The line (1-based, lines ended by CR, LF or CR LF) of ``text[at]``."""
    return len(re.findall(r"\r\n|\r|\n", text[:at])) + 1


@st.composite
def files_not_utf8(draw: st.DrawFn) -> tuple[bytes, int]:
    """A CSV file (as :func:`csv_files` draws them) with bytes that are not UTF-8 in one
    cell of one record, and the line of those bytes."""
    drawn = draw(csv_files())
    records = [list(record) for record in drawn.records]
    bom = drawn.data.startswith(BOM)
    text = drawn.data.removeprefix(BOM).decode("utf-8")
    # put the mark into one cell, at a place within it, and write the file again
    row = draw(st.integers(0, len(records) - 1), label="record")
    if not records[row]:
        records[row] = [""]
    column = draw(st.integers(0, len(records[row]) - 1), label="cell")
    cell = records[row][column]
    at = draw(st.integers(0, len(cell)), label="at")
    records[row][column] = cell[:at] + _MARK + cell[at:]
    terminator = next((end for end in ("\r\n", "\r", "\n") if end in text), "\n")
    blank = draw(st.lists(BLANK_LINES, max_size=2), label="blank lines before")
    text = "".join(line + terminator for line in blank) + "".join(
        _written(record, terminator) for record in records)
    line = _line_of(text, text.index(_MARK))
    data = text.encode("utf-8").replace(_MARK.encode("utf-8"), draw(st.sampled_from(_NOT_UTF8)))
    return (BOM if bom else b"") + data, line


@given(files_not_utf8())
def test_a_file_not_utf8_at_line_n_is_reported_at_line_n(
        folder: Path, drawn: tuple[bytes, int]) -> None:
    """A file whose only bytes that are not UTF-8 stand on line N (in the header,
    a row, a short or long row, a quoted cell over several lines) raises "not UTF-8"
    with line N, as an editor counts lines."""
    data, line = drawn
    with pytest.raises(UnicodeDecodeError):
        data.removeprefix(BOM).decode("utf-8")
    path = folder / "not-utf8.csv"
    path.write_bytes(data)
    with pytest.raises(OrgError) as raised:
        read_table(path, OrgError, [])
    assert [(problem.message, problem.line) for problem in raised.value.problems] == [
        ("the file is not UTF-8 text", line)]


_PLAIN = st.text(string.ascii_letters + string.digits + " ", max_size=4)
#: what may follow the quote that opens a cell never closed: text, commas, line ends,
#: and quotes doubled (a quote within a quoted cell)
_OPEN_TAIL = st.lists(st.sampled_from(["x", "đ", " ", ",", "\n", "\r\n", "\r", '""']),
                      max_size=8).map("".join)


@st.composite
def files_with_an_unclosed_quote(draw: st.DrawFn) -> tuple[bytes, int]:
    """A CSV file as :func:`csv_files` draws them, ending with a line whose last cell
    opens a quote never closed (the header itself, if the file has nothing else), and
    the line where that quote stands."""
    drawn = draw(csv_files())
    text = drawn.data.removeprefix(BOM).decode("utf-8")
    if draw(st.booleans(), label="only the header"):
        text = "".join(line + "\n" for line in draw(st.lists(BLANK_LINES, max_size=2)))
    elif text and not text.endswith(("\n", "\r")):
        text += "\n"
    cells = draw(st.lists(_PLAIN, max_size=3), label="cells before")
    text += "".join(cell + "," for cell in cells)
    line = _line_of(text, len(text))
    text += '"' + draw(st.text("xđ ,", max_size=3)) + draw(_OPEN_TAIL, label="tail")
    data = (BOM if drawn.data.startswith(BOM) else b"") + text.encode("utf-8")
    return data, line


@given(files_with_an_unclosed_quote())
def test_an_unclosed_quote_is_reported_on_the_line_where_it_opens(
        folder: Path, drawn: tuple[bytes, int]) -> None:
    """A file that csv (strict) finds ends inside a quoted cell raises "not valid
    CSV" with the line where the quote that opens that cell stands."""
    data, line = drawn
    with pytest.raises(csv.Error, match="unexpected end of data"):
        list(csv.reader(io.StringIO(data.removeprefix(BOM).decode("utf-8"), newline=""),
                        strict=True))
    path = folder / "unclosed.csv"
    path.write_bytes(data)
    with pytest.raises(OrgError) as raised:
        read_table(path, OrgError, [])
    [problem] = raised.value.problems
    assert problem.message.startswith("not valid CSV")
    assert problem.line == line


# --- files read in several blocks ---------------------------------------------------


# a file of a megabyte is read for each example: few of them, and not shrunk (a failure
# here is a failure of the small files too, which are shrunk above)
@given(csv_files(min_rows=1))
@settings(max_examples=max(3, settings().max_examples // 20),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
def test_a_file_of_several_blocks_reads_as_the_csv_module_reads_it(
        folder: Path, drawn: Drawn) -> None:
    """As for any file csv.writer writes (above), for a file longer than pyarrow's block
    (1 MiB, read on several threads): the drawn rows repeated after the header until
    the file is that long."""
    text = drawn.data.removeprefix(BOM).decode("utf-8")
    records = _records(text)
    first = next((at for at, (_, cells) in enumerate(records) if not _blank(cells)), None)
    assume(first is not None and first + 1 < len(records))  # a header and a record after it
    assert first is not None
    head = _head(text, records[first + 1][0])
    body = text[len(head):]
    if not body.endswith(("\n", "\r")):
        body += "\n"
    times = (1_100_000 // max(len(body.encode("utf-8")), 1)) + 1
    data = (BOM if drawn.data.startswith(BOM) else b"") + (head + body * times).encode("utf-8")
    _check(folder / "big.csv", data)


def _head(text: str, line: int) -> str:
    """``text`` up to where line ``line`` starts."""
    ends = [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]
    return text[: ends[line - 2]] if line >= 2 else ""


# --- the smallest files on which read_table and the csv module were found to differ ----

_DISAGREEMENTS = {
    # a row of blank cells longer than the header: csv's reading skips it as blank;
    # read_table fails with an IndexError (nothing follows it) ...
    "blank long row, last": b"a\n,\n",
    # ... or reports a long row on the line of the next row (3)
    "blank long row, then a row": b"a\n,\nb\n",
    # a long row blank within the header's width, not beyond: csv's reading keeps it
    # (cut to [""]) and reports it on line 2; read_table fails with an IndexError ...
    "long row blank within the header, last": b"a\n,b\n",
    # ... or leaves the row out and reports it on line 3
    "long row blank within the header, then a row": b"a\n,b\nc\n",
    # a blank record before the header, not only spaces, tabs and commas: csv's header
    # is ("a",); read_table's is ("",) and "a" a row
    "quoted empty cell before the header": b'""\na\n',
    "no-break space before the header": b"\xc2\xa0\na\n",
    # nothing but a blank record: csv's reading has no header ("the file is empty");
    # read_table gives the header ("",)
    "only a quoted empty cell": b'""\n',
    # a column named twice on line 2 (after a blank line): read_table says line 1
    "column named twice after a blank line": b",\na,a\n",
    # a header cell over two lines: csv's header is ("two\nlines",); read_table raises
    # "not valid CSV: unexpected end of data"
    "header cell over two lines": b'"two\nlines"\n',
}


@pytest.mark.parametrize("data", list(_DISAGREEMENTS.values()), ids=list(_DISAGREEMENTS))
def test_smallest_files_found_read_as_the_csv_module_reads_them(folder: Path,
                                                                  data: bytes) -> None:
    """As for any file csv.writer writes (the first test), on the smallest files found
    to fail."""
    _check(folder / "small.csv", data)


@pytest.mark.parametrize(("data", "line"), [
    # in the header, after a blank line: read_table says line 1
    pytest.param(b"\n\xff\n", 2, id="header after a blank line"),
    # in a short or a long row: read_table raises "not valid CSV: CSV parse error:
    # Expected 2 columns, got 1: \ufffd" with no line (and Python reports a
    # UnicodeDecodeError "ignored in" read_table's handler of such rows)
    pytest.param(b"a,b\n\xff\n", 2, id="short row"),
    pytest.param(b"a,b\n1,2,\xff\n", 2, id="long row"),
])
def test_smallest_files_found_not_utf8_are_reported_on_their_line(
        folder: Path, data: bytes, line: int) -> None:
    """As for any file not UTF-8 (above), on the smallest files found to fail."""
    path = folder / "small-not-utf8.csv"
    path.write_bytes(data)
    with pytest.raises(OrgError) as raised:
        read_table(path, OrgError, [])
    assert [(problem.message, problem.line) for problem in raised.value.problems] == [
        ("the file is not UTF-8 text", line)]


@pytest.mark.parametrize(("data", "line"), [
    # in the header, after a blank line: read_table says line 1
    pytest.param(b'\n"', 2, id="header after a blank line"),
    # a quote doubled inside the cell left open: read_table gives the line of the last
    # quote in the file (3)
    pytest.param(b'a\n"x\ny""z\n', 2, id="quote doubled in the open cell"),
])
def test_smallest_files_found_with_an_unclosed_quote_are_reported_where_it_opens(
        folder: Path, data: bytes, line: int) -> None:
    """As for any unclosed quote (above), on the smallest files found to fail."""
    path = folder / "small-unclosed.csv"
    path.write_bytes(data)
    with pytest.raises(OrgError) as raised:
        read_table(path, OrgError, [])
    [problem] = raised.value.problems
    assert problem.message.startswith("not valid CSV")
    assert problem.line == line


def test_a_line_break_in_a_quoted_cell_on_a_block_s_edge_is_kept(tmp_path: Path) -> None:
    """A CR LF inside a quoted cell stays whole wherever it falls in a file longer than
    pyarrow's block (found by the test above: pyarrow, reading such a file in several
    blocks, dropped the LF of the one on a block's edge; these bytes put one there)."""
    row = ("\xa0,Chi đoa\u0300n 1,\"crlf\r\nline\",label, Đoàn Khối \n").encode()
    data = b'"say ""hi""",,2,d<}q;6W?\r' + row * (1_100_000 // len(row) + 1)
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    table = read_table(path, OrgError, [])
    assert set(table.columns[table.header[2]].to_pylist()) == {"crlf\r\nline"}
