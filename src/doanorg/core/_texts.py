"""Columns of texts kept compact, and their normalisation checked at C speed.

A million unit names as a million Python strings cost about 110 bytes each;
:class:`ArrowTexts` keeps them in one pyarrow array (one buffer of UTF-8 and
its offsets, as the CSV reader gives them), about 40 bytes a name.
:class:`CodedTexts` keeps a column of
texts as integer codes into one list of values: a column of few distinct texts
(the kinds), or two columns coded over one list (ids and parents), so that a
parent is found among the ids by its code.

:func:`normalise_all` is the check that ids, parents, kinds and names are
trimmed and NFC, made over a whole column at once (in C for an
:class:`ArrowTexts`; else over the texts joined by NUL, which composes with
nothing, so that they are NFC exactly when each is).

>>> names = ArrowTexts.of(["Chi đoàn 1", "Chi đoàn 2"])
>>> names[1], list(names), len(names)
('Chi đoàn 2', ['Chi đoàn 1', 'Chi đoàn 2'], 2)
>>> "Chi đoàn 2" in names, names.index("Chi đoàn 2"), "Chi đoàn 3" in names
(True, 1, False)
>>> normalise_all(["  a", "b "])
['a', 'b']
"""

from __future__ import annotations

import functools
import operator
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["SPACE", "ArrowTexts", "CodedTexts", "blank_texts", "dictionary_codes", "first_bytes",
           "normalise", "normalise_all",
           "normalised_array", "printable", "same_texts", "texts_at", "texts_taken", "utf8_bytes",
           "whole"]

#: The characters :meth:`str.strip` removes (those of :meth:`str.isspace`), written out:
#: finding them among every code point takes 0.1 s, a quarter of importing doanorg. A
#: test checks the list against this Python's Unicode data.
SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
         "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_ASCII_SPACES = "".join(char for char in SPACE if char.isascii()).encode()
_ASCII_SPACE_TO_BLANK = bytes.maketrans(_ASCII_SPACES, b" " * len(_ASCII_SPACES))


def normalise(text: str) -> str:
    """Trim ``text`` and put it in Unicode NFC form, as ids and names are stored.

    >>> normalise("  Chi đoa\u0300n ") == "Chi đoàn"
    True
    """
    return unicodedata.normalize("NFC", text.strip())


_STEERING = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
"""What steers a terminal or a text's direction rather than shows: the C0 and C1 controls
(ESC of an ANSI sequence, BEL, CR, LF, tab), DEL, the line and paragraph separators and
the bidirectional marks, embeddings, overrides and isolates."""


def printable(text: str, *, keep: str = "") -> str:
    r"""``text`` as a terminal or a document may show it: each character that would steer
    the terminal, or turn the text's direction, written as its escape (``\t``, ``\n``,
    ``\r``, else ``\u`` and four hex digits: ``\u001b``, ``\u202e``), but those in
    ``keep``; every other character as it is. The escapes are JSON's too, so a JSON
    text stays the same JSON.

    >>> printable("Chi đoàn \x1b[31mA\x07\r\u202eB")
    'Chi đoàn \\u001b[31mA\\u0007\\r\\u202eB'
    >>> printable("a\nb\x1b", keep="\n"), printable("Đoàn Khối") == "Đoàn Khối"
    ('a\nb\\u001b', True)
    """
    if text.isprintable():  # (a quick test, true of almost every name)
        return text
    steering = _steering_but(keep)
    if steering.search(text) is None:  # (a report's line ends alone: kept, no escape)
        return text
    return steering.sub(_escaped, text)


@functools.cache
def _steering_but(keep: str) -> re.Pattern[str]:
    """:data:`_STEERING`, but the characters of ``keep``."""
    if not keep:
        return _STEERING
    chosen = [chr(point) for point in range(0x2070)  # (the last of them: U+2069)
              if _STEERING.match(chr(point)) and chr(point) not in keep]
    return re.compile(f"[{re.escape(''.join(chosen))}]")


def _escaped(match: re.Match[str]) -> str:
    character = match.group()
    return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(character) or f"\\u{ord(character):04x}"


class _Texts(Sequence[str]):
    """A column of texts held compactly: indexed one by one (:meth:`_text`) or many at
    once (:meth:`texts_at`), and equal to any sequence of the same texts."""

    __slots__ = ()

    def _text(self, position: int) -> str:
        raise NotImplementedError

    def texts_at(self, positions: Sequence[int]) -> list[str]:
        """The texts at ``positions``, in that order (many at once: quicker than one
        by one)."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return self.texts_at(range(len(self))[index])
        return self._text(range(len(self))[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class ArrowTexts(_Texts):
    """Texts held in one pyarrow string array: a million names as one buffer of UTF-8
    and its offsets, each Python string made when asked for.

    With ``normalise``, each text is trimmed and put in NFC when it is read (checking a
    million Vietnamese names at once costs a quarter of a second; a report reads a
    few), so that every text read is as :func:`normalise` makes it.
    """

    __slots__ = ("array", "normalise")

    def __init__(self, array: pa.Array | pa.ChunkedArray, *, normalise: bool = False) -> None:
        self.array = array
        self.normalise = normalise

    @classmethod
    def of(cls, texts: Sequence[str]) -> ArrowTexts:
        """``texts`` as a column (the same column if it is one)."""
        return texts if isinstance(texts, ArrowTexts) else cls(pa.array(list(texts), pa.string()))

    def __len__(self) -> int:
        return len(self.array)

    def _read(self, texts: list[str]) -> list[str]:
        return list(map(normalise, texts)) if self.normalise else texts

    def _text(self, position: int) -> str:
        return self._read([self.array[position].as_py()])[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read(self.array.to_pylist()))

    def __contains__(self, text: object) -> bool:
        if self.normalise or not isinstance(text, str):
            return super().__contains__(text)
        return bool(pc.index(self.array, text).as_py() >= 0)

    def index(self, text: object, start: int = 0, stop: int = sys.maxsize) -> int:
        """The first position of ``text`` (found in C), as :meth:`list.index` gives it."""
        if self.normalise or not isinstance(text, str) or start or stop < len(self):
            return super().index(text, start, stop)
        found = pc.index(self.array, text).as_py()
        if found < 0:
            raise ValueError(f"{text!r} is not among the texts")
        return int(found)

    def texts_at(self, positions: Sequence[int]) -> list[str]:
        return self._read(self._taken(positions).to_pylist())

    def take(self, positions: Sequence[int] | npt.NDArray[np.int64]) -> ArrowTexts:
        """The texts at ``positions``, in that order."""
        return ArrowTexts(self._taken(positions), normalise=self.normalise)

    def _taken(self, positions: Sequence[int] | npt.NDArray[np.int64]) -> pa.Array:
        """The array's entries at ``positions``. The chunks a file was read in are joined
        the first time (once, about a millisecond a million ids): pyarrow joins them for
        every take otherwise, 4 ms at a million, however few are taken."""
        if isinstance(self.array, pa.ChunkedArray):
            self.array = self.array.combine_chunks()
        return self.array.take(pa.array(np.asarray(positions, dtype=np.int64)))

    def normalised(self) -> ArrowTexts:
        """The texts each trimmed and NFC when read (:func:`normalise`): at once, in C,
        when they are ASCII; else as they are read."""
        if self.normalise:
            return self
        if pc.all(pc.string_is_ascii(self.array)).as_py() is not False:
            done = normalised_ascii(self.array)
            return self if done is self.array else ArrowTexts(done)
        return ArrowTexts(self.array, normalise=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ArrowTexts) and not (self.normalise or other.normalise):
            return same_texts(self.array, other.array)
        return super().__eq__(other)

    def __repr__(self) -> str:
        return f"ArrowTexts({len(self)} texts)"


def normalised_ascii(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """ASCII texts trimmed (the same array when none needs it); ASCII is NFC as it is."""
    trimmed = pc.utf8_trim(array, _ASCII_SPACES.decode())
    return array if trimmed.equals(array) else trimmed


_SPACE_BYTE = np.zeros(256, dtype=bool)
_SPACE_BYTE[list(_ASCII_SPACES)] = True
"""Whether a byte is one of the ASCII characters :meth:`str.strip` removes."""


def first_bytes(array: pa.Array | pa.ChunkedArray
                ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """Each text's first byte of UTF-8 (0 for an empty text), and which texts are empty,
    read from the array's buffers: no text is copied.

    >>> first, empty = first_bytes(pa.chunked_array([["ab", ""], [" c"]]))
    >>> bytes(first), empty.tolist()
    (b'a\\x00 ', [False, True, False])
    """
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    parts = [_chunk_first_bytes(chunk) for chunk in chunks if len(chunk)]
    if not parts:
        return np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=bool)
    first, empty = zip(*parts, strict=True)
    return np.concatenate(first), np.concatenate(empty)


def utf8_bytes(array: pa.Array) -> npt.NDArray[np.uint8]:
    """The UTF-8 of all of ``array``'s texts, one after another, read from its buffers
    (no text is copied).

    >>> bytes(utf8_bytes(pa.array(["ab", None, "đ", "c"]).slice(1)))
    b'\xc4\x91c'
    """
    offsets, data = _offsets_and_data(array)
    return data[offsets[0] : offsets[-1]]


def _offsets_and_data(chunk: pa.Array) -> tuple[npt.NDArray[Any], npt.NDArray[np.uint8]]:
    """A text array's offsets (its own, of a slice too) and its buffer of UTF-8, with a
    byte at least."""
    large = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
    _, offsets_buffer, data_buffer = chunk.buffers()[:3]
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64 if large else np.int32)[
        chunk.offset : chunk.offset + len(chunk) + 1]
    data = (np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None
            and data_buffer.size else np.zeros(1, dtype=np.uint8))
    return offsets, data


def _chunk_first_bytes(chunk: pa.Array) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    offsets, data = _offsets_and_data(chunk)
    starts = offsets[:-1]
    empty = starts == offsets[1:]
    first = data[np.where(empty, 0, starts)]
    first[empty] = 0
    return first, empty


def blank_texts(array: pa.Array | pa.ChunkedArray) -> npt.NDArray[np.bool_]:
    """Which texts are empty or only spaces (what :meth:`str.strip` leaves empty): from
    each text's first byte where that settles it, in C for the few others (a text whose
    first byte is a space, or not ASCII, as a Unicode space is not).

    >>> blank_texts(pa.array(["", " ", "a", "\\u3000", " b", "\\xa0é"])).tolist()
    [True, True, False, True, False, False]
    """
    first, empty = first_bytes(array)
    unsure = np.flatnonzero(~empty & (_SPACE_BYTE[first] | (first >= 0x80)))
    blank = empty.copy()
    if len(unsure):
        texts = array.take(pa.array(unsure))
        blank[unsure] = np.asarray(pc.equal(pc.utf8_trim(texts, SPACE), ""), dtype=bool)
    return blank


def normalised_array(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Each text trimmed and NFC (:func:`normalise`), in C; quicker when all are ASCII."""
    if pc.all(pc.string_is_ascii(array)).as_py() is not False:
        return normalised_ascii(array)
    return pc.utf8_normalize(pc.utf8_trim(array, SPACE), "NFC")


def same_texts(first: pa.Array | pa.ChunkedArray, second: pa.Array | pa.ChunkedArray) -> bool:
    """Whether two arrays of texts hold the same texts in the same order (in C)."""
    def chunked(array: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
        return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])

    return len(first) == len(second) and bool(chunked(first).equals(chunked(second)))


def whole(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``array`` as one array (its chunks joined, if it has several)."""
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def dictionary_codes(array: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, npt.NDArray[np.int64]]:
    """The distinct texts of ``array`` in order of first appearance, and each entry's
    index into them: a dictionary encoding, in C."""
    encoded = array.dictionary_encode()
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    if not chunks:
        return pa.array([], pa.string()), np.zeros(0, dtype=np.int64)
    if len({len(chunk.dictionary) for chunk in chunks}) > 1:  # (chunks share one, as a rule)
        return dictionary_codes(pa.concat_arrays(list(array.chunks)))
    codes = np.empty(sum(map(len, chunks)), dtype=np.int64)  # (each chunk widened in place)
    start = 0
    for chunk in chunks:
        codes[start : start + len(chunk)] = np.asarray(chunk.indices)
        start += len(chunk)
    return chunks[-1].dictionary, codes


class CodedTexts(_Texts):
    """A column of texts as codes: text ``i`` is ``values[codes[i]]``.

    ``distinct`` is true when no two values are equal (as a dictionary encoding
    makes them): then two entries are equal exactly when their codes are.

    >>> values = ("k", "cs", "")
    >>> ids = CodedTexts(np.array([0, 1]), values, distinct=True)
    >>> parents = CodedTexts(np.array([2, 0]), values, distinct=True)
    >>> list(ids), list(parents), ids == ["k", "cs"]
    (['k', 'cs'], ['', 'k'], True)
    """

    __slots__ = ("arrow", "codes", "distinct", "normalised", "values")

    def __init__(self, codes: npt.NDArray[np.integer], values: Sequence[str], *,
                 distinct: bool = False, arrow: pa.Array | pa.ChunkedArray | None = None,
                 normalised: bool = False) -> None:
        self.codes, self.distinct = codes, distinct
        self.values: Sequence[str] = values if isinstance(values, _Texts) else tuple(values)
        """The texts the codes stand for: a tuple, or a compact column (the distinct ids
        of a million-unit file stay one pyarrow array)."""
        self.arrow = arrow
        """The same texts as a pyarrow array, when they came as one."""
        self.normalised = normalised
        """Whether every value is known to be trimmed and NFC already."""

    def __len__(self) -> int:
        return len(self.codes)

    def _text(self, position: int) -> str:
        return self.values[int(self.codes[position])]

    def texts_at(self, positions: Sequence[int]) -> list[str]:
        codes = self.codes[np.asarray(positions, dtype=np.int64)]
        return texts_at(self.values, codes.tolist())

    def __iter__(self) -> Iterator[str]:
        return iter(texts_at(self.values, self.codes.tolist()))

    def decoded(self) -> tuple[str, ...]:
        """Every entry as its text (the values themselves when entry ``i`` is value ``i``,
        as for ids coded in order of first appearance)."""
        count = len(self.codes)
        if (isinstance(self.values, tuple) and count <= len(self.values)
                and (self.codes == np.arange(count)).all()):
            return self.values[:count]
        return tuple(self)

    def first_appearance(self) -> tuple[tuple[str, ...], npt.NDArray[np.int16]]:
        """The distinct texts in order of first appearance, and each entry's index into
        them (texts that are equal share one index, whatever their codes)."""
        used = np.zeros(len(self.values), dtype=bool)
        used[self.codes] = True
        first = np.full(len(self.values), len(self.codes), dtype=np.int64)
        np.minimum.at(first, self.codes, np.arange(len(self.codes)))
        ordered = [code for code in np.argsort(first, kind="stable").tolist() if used[code]]
        names = tuple(dict.fromkeys(self.values[code] for code in ordered))
        index = {name: position for position, name in enumerate(names)}
        remap = np.array([index.get(value, -1) for value in self.values], dtype=np.int16)
        return names, remap[self.codes]


def texts_at(texts: Sequence[str], positions: Sequence[int]) -> list[str]:
    """``texts[p]`` for each of ``positions`` (read many at once from a compact column).

    >>> texts_at(ArrowTexts.of(["a", "bb", "c"]), [2, 0]), texts_at(("a", "bb"), [1])
    (['c', 'a'], ['bb'])
    """
    if isinstance(texts, _Texts):
        return texts.texts_at(positions)
    if len(positions) > 1:  # (itemgetter reads them all in C)
        return list(operator.itemgetter(*positions)(texts))
    return [texts[position] for position in positions]


def texts_taken(texts: Sequence[str], positions: npt.NDArray[np.int64]) -> Sequence[str]:
    """``texts[p]`` for each of ``positions``, kept compact: an :class:`ArrowTexts` taken
    in C from one (no Python string made until one is read), else a list.

    >>> at = np.array([1, 0])
    >>> texts_taken(ArrowTexts.of(["a", "bb", "c"]), at), texts_taken(("a", "bb"), at)
    (ArrowTexts(2 texts), ['bb', 'a'])
    """
    if isinstance(texts, ArrowTexts):
        return texts.take(positions)  # (the positions as they are, no list made)
    return texts_at(texts, positions.tolist())


def _trimmed(texts: Sequence[str], joined: str) -> bool:
    """Whether no text of ``texts`` (joined by NUL in ``joined``) starts or ends with a
    space: over the joined bytes when they are ASCII, else text by text."""
    if joined.isascii():
        blanked = joined.encode("ascii").translate(_ASCII_SPACE_TO_BLANK)
        return not (blanked.startswith(b" ") or blanked.endswith(b" ")
                    or b"\0 " in blanked or b" \0" in blanked)
    return not any(map(str.__ne__, texts, map(str.strip, texts)))


def normalise_all(texts: Sequence[str]) -> Sequence[str]:
    """``texts`` each trimmed and NFC (:func:`normalise`); the very same sequence when
    all already are, as checking costs far less than rewriting."""
    if isinstance(texts, CodedTexts):
        if texts.normalised:
            return texts
        values = normalise_all(texts.values)
        return texts if values is texts.values else CodedTexts(texts.codes, values)
    if isinstance(texts, ArrowTexts):
        return texts.normalised()
    joined = "\0".join(texts)
    if unicodedata.is_normalized("NFC", joined) and _trimmed(texts, joined):
        return texts
    return [normalise(text) for text in texts]
