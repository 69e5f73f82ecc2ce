"""Columns of texts kept compact, and their normalisation checked at C speed.

A million unit names as a million Python strings cost about 110 bytes each;
:class:`TextColumn` keeps them as ONE string (NUL between texts) and the
start of each, about 50 bytes a name. :class:`CodedTexts` keeps a column of
texts as integer codes into one list of values: a column of few distinct texts
(the kinds), or two columns coded over one list (ids and parents), so that a
parent is found among the ids by its code.

:func:`normalise_all` is the check that ids, parents, kinds and names are
trimmed and NFC, made over a whole column at once. NUL composes with
nothing, so texts joined by NUL are NFC exactly when each is.

>>> names = TextColumn.of(["Chi đoàn 1", "Chi đoàn 2"])
>>> names[1], list(names), len(names)
('Chi đoàn 2', ['Chi đoàn 1', 'Chi đoàn 2'], 2)
>>> normalise_all(["  a", "b "])
['a', 'b']
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator, Sequence
from typing import overload

import numpy as np
import numpy.typing as npt

__all__ = ["SPACE", "CodedTexts", "TextColumn", "normalise", "normalise_all", "texts_at"]

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


class TextColumn(_Texts):
    """Texts held as one string: text ``i`` is ``joined[starts[i]:starts[i + 1] - 1]``
    (a NUL between two texts; ``starts`` ends one past the end). ``trimmed`` is true
    when no text is known to start or end with a space (so :func:`normalise_all`
    need not look)."""

    __slots__ = ("joined", "starts", "trimmed")

    def __init__(self, joined: str, starts: npt.NDArray[np.int64], *,
                 trimmed: bool = False) -> None:
        self.joined, self.starts, self.trimmed = joined, starts, trimmed

    @classmethod
    def of(cls, texts: Sequence[str]) -> TextColumn:
        """``texts`` as a column (the same column if it is one)."""
        if isinstance(texts, TextColumn):
            return texts
        starts = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1,
                  out=starts[1:])
        return cls("\0".join(texts), starts)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def _text(self, position: int) -> str:
        return self.joined[int(self.starts[position]) : int(self.starts[position + 1]) - 1]

    def __iter__(self) -> Iterator[str]:
        joined = self.joined
        bounds = self.starts.tolist()
        return (joined[start : end - 1] for start, end in itertools.pairwise(bounds))

    def texts_at(self, positions: Sequence[int]) -> list[str]:
        index = np.asarray(positions, dtype=np.int64)
        joined = self.joined
        return [joined[begin : end - 1] for begin, end in
                zip(self.starts[index].tolist(), self.starts[index + 1].tolist(), strict=True)]

    def take(self, positions: Sequence[int]) -> TextColumn:
        """The texts at ``positions``, in that order."""
        return TextColumn.of(self.texts_at(positions))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextColumn):
            return self.joined == other.joined and bool(np.array_equal(self.starts, other.starts))
        return super().__eq__(other)

    def __repr__(self) -> str:
        return f"TextColumn({len(self)} texts)"


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

    __slots__ = ("codes", "distinct", "values")

    def __init__(self, codes: npt.NDArray[np.integer], values: Sequence[str], *,
                 distinct: bool = False) -> None:
        self.codes, self.values, self.distinct = codes, tuple(values), distinct

    def __len__(self) -> int:
        return len(self.codes)

    def _text(self, position: int) -> str:
        return self.values[int(self.codes[position])]

    def texts_at(self, positions: Sequence[int]) -> list[str]:
        codes = self.codes[np.asarray(positions, dtype=np.int64)]
        return list(map(self.values.__getitem__, codes.tolist()))

    def __iter__(self) -> Iterator[str]:
        return map(self.values.__getitem__, self.codes.tolist())

    def decoded(self) -> tuple[str, ...]:
        """Every entry as its text (the values themselves when entry ``i`` is value ``i``,
        as for ids coded in order of first appearance)."""
        count = len(self.codes)
        if count <= len(self.values) and (self.codes == np.arange(count)).all():
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

    >>> texts_at(TextColumn.of(["a", "bb", "c"]), [2, 0]), texts_at(("a", "bb"), [1])
    (['c', 'a'], ['bb'])
    """
    if isinstance(texts, _Texts):
        return texts.texts_at(positions)
    return [texts[position] for position in positions]


def _trimmed(texts: Sequence[str], joined: str) -> bool:
    """Whether no text of ``texts`` (joined by NUL in ``joined``) starts or ends with a
    space: over the joined bytes when they are ASCII, else text by text."""
    if isinstance(texts, TextColumn) and texts.trimmed:
        return True
    if joined.isascii():
        blanked = joined.encode("ascii").translate(_ASCII_SPACE_TO_BLANK)
        return not (blanked.startswith(b" ") or blanked.endswith(b" ")
                    or b"\0 " in blanked or b" \0" in blanked)
    return not any(map(str.__ne__, texts, map(str.strip, texts)))


def normalise_all(texts: Sequence[str]) -> Sequence[str]:
    """``texts`` each trimmed and NFC (:func:`normalise`); the very same sequence when
    all already are, as checking costs far less than rewriting."""
    if isinstance(texts, CodedTexts):
        values = normalise_all(texts.values)
        return texts if values is texts.values else CodedTexts(texts.codes, values)
    joined = texts.joined if isinstance(texts, TextColumn) else "\0".join(texts)
    if unicodedata.is_normalized("NFC", joined) and _trimmed(texts, joined):
        return texts
    return [normalise(text) for text in texts]
