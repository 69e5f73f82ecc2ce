"""JSON text for people and programs: indented, and quick for long lists of records.

``json.dumps(..., indent=2)`` runs Python's pure-Python encoder, which takes
seconds for a report listing hundreds of thousands of failing units. Here
the structure is indented as ``indent=2`` does, but a list of *records*
(dicts holding no list or dict, all with the same keys in the same order,
as the ``failing`` lists of a report) is encoded at once by the C encoder
and written one record a line. An object with a ``json_records(separator)``
method (:class:`~doanorg.core.report.FailingUnits`) stands for such a list
and gives its records' text itself, made from its columns by
:func:`json_records` with pyarrow's string kernels: no Python object is made
for a record.

>>> failing = [{"unit": "a", "value": 1}, {"unit": "b}, {", "value": 2}]
>>> print(json_text({"plan": "p", "failing": failing}))
{
  "plan": "p",
  "failing": [
    {"unit": "a", "value": 1},
    {"unit": "b}, {", "value": 2}
  ]
}
<BLANKLINE>
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["json_column", "json_records", "json_text", "json_texts"]

_INDENT = "  "
_SCALARS = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
"""The C encoder (used when no indent is asked for), with the spacing of ``indent=2``."""


def json_texts(values: list[object]) -> list[str]:
    r"""The JSON text of each of ``values`` (numbers, text, true, false, null), all
    encoded at once by the C encoder and then split.

    >>> json_texts(["a", 'b", "c', "d\\"])
    ['"a"', '"b\\", \\"c"', '"d\\\\"']
    >>> json_texts([1, None, 2.5, True])
    ['1', 'null', '2.5', 'true']
    """
    if not values:
        return []
    kinds = set(map(type, values))
    if kinds <= {int, float, bool, type(None)}:  # no ", " in any one's text
        return _SCALARS.encode(values)[1:-1].split(", ")
    if kinds == {str}:
        # Between two encoded texts stands '", "': never inside one (its quotes are
        # escaped, and an escaped quote is preceded by a backslash, not by a space)
        inner = _SCALARS.encode(values)[1:-1]
        pieces = inner[1:-1].split('", "')
        return ['"' + piece + '"' for piece in pieces]
    return [_SCALARS.encode(value) for value in values]


_PLAIN = frozenset({int, bool, type(None)})
"""Values whose JSON text is pyarrow's cast to text (``1``, ``true``, null filled in)."""

_QUOTE, _BACKSLASH, _FIRST_PRINTABLE = ord('"'), ord("\\"), 0x20
"""The bytes of the characters JSON writes escaped: a quote, a backslash and the
control characters (below a space). With ``ensure_ascii=False`` no other is, and no
byte of a character beyond ASCII is one of them in UTF-8."""


def json_column(values: Sequence[object]) -> pa.Array:
    r"""The JSON text of each of ``values`` (as :func:`json_texts`), as a pyarrow array
    of texts: made in C for whole numbers, true and false, null, and texts that need
    no escape; through :func:`json_texts` otherwise (floats, escapes, numbers beyond
    64 bits).

    Raises :class:`UnicodeEncodeError` for a text holding a lone surrogate, which
    pyarrow cannot hold.

    >>> json_column([1, None, True]).to_pylist(), json_column(["a", 'b"']).to_pylist()
    (['1', 'null', 'true'], ['"a"', '"b\\""'])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from doanorg.core._texts import ArrowTexts, whole

    if isinstance(values, ArrowTexts) and not values.normalise:  # (no text made)
        return _quoted(whole(values.array))
    kinds = set(map(type, values))
    if kinds <= _PLAIN and not {int, bool} <= kinds:  # (pyarrow would make 1 of True)
        try:
            array = pa.array(values)
        except OverflowError:  # beyond 64 bits
            pass
        else:
            return pc.fill_null(array.cast(pa.string()), "null")
    elif kinds <= {str, type(None)}:
        return _quoted(pa.array(values, pa.string()))
    return pa.array(json_texts(list(values)), pa.string())


def _quoted(texts: pa.Array) -> pa.Array:
    """Each text of ``texts`` (null: ``null``) as JSON: in quotes, in C, when none holds
    a character JSON escapes; else through :func:`json_texts`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from doanorg.core._texts import utf8_bytes

    if pa.types.is_large_string(texts.type):
        texts = texts.cast(pa.string())
    utf8 = utf8_bytes(texts)
    if not ((utf8 < _FIRST_PRINTABLE) | (utf8 == _QUOTE) | (utf8 == _BACKSLASH)).any():
        return pc.fill_null(pc.binary_join_element_wise('"', texts, '"', ""), "null")
    return pa.array(json_texts(texts.to_pylist()), pa.string())


def json_records(columns: Mapping[str, Sequence[object]], separator: str) -> str:
    """The records made of ``columns`` (key: each record's value), encoded as
    :func:`json_text` writes them and joined by ``separator``, in C (pyarrow's string
    kernels): a report's failing units are written with no object made for each.

    >>> print(json_records({"unit": ["a", "b"], "value": [1, None]}, ",\\n"))
    {"unit": "a", "value": 1},
    {"unit": "b", "value": null}
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    starts = [("{" if index == 0 else ", ") + _SCALARS.encode(key) + ": "
              for index, key in enumerate(columns)]
    try:
        texts = [json_column(values) for values in columns.values()]
    except UnicodeEncodeError:  # a lone surrogate (never read from a file): in Python
        rows = zip(*(json_texts(list(values)) for values in columns.values()), strict=True)
        return separator.join("".join(itertools.chain.from_iterable(zip(starts, row, strict=True)))
                              + "}" for row in rows)
    parts = itertools.chain.from_iterable(zip(starts, texts, strict=True))
    records = pc.binary_join_element_wise(*parts, "}", "")
    del texts
    if records.nbytes + len(separator.encode()) * len(records) >= 2**31:  # (int32 offsets)
        records = records.cast(pa.large_string())
    one_list = pa.ListArray.from_arrays(pa.array([0, len(records)], pa.int32()), records)
    joined = pc.binary_join(one_list, pa.scalar(separator, records.type))
    del records, one_list
    text: str = joined[0].as_py()
    return text


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
"""What a record's values may be: what JSON writes as a number, a text, true, false, null."""


def json_text(data: object) -> str:
    """``data`` as indented JSON text, ending with a newline; non-ASCII text as is."""
    return "".join(_parts(data, 0)) + "\n"


def _parts(value: object, level: int) -> Iterator[str]:
    inner, outer = _INDENT * (level + 1), _INDENT * level
    if isinstance(value, dict) and value:
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("\n" if index == 0 else ",\n") + inner + _SCALARS.encode(str(key)) + ": "
            yield from _parts(item, level + 1)
        yield "\n" + outer + "}"
    elif hasattr(value, "json_records"):  # a list of records, encoded by its holder
        records = value.json_records(",\n" + inner)
        if not records:
            yield "[]"
            return
        yield "[\n" + inner
        yield records
        yield "\n" + outer + "]"
    elif isinstance(value, list) and value:
        keys = _record_keys(value)
        if keys is not None:  # every item a record: encoded at once, then one a line
            # A record starts with '{"KEY": ' where KEY is the first key. That text is
            # never inside an encoded string (a quote there is escaped), nor right after
            # one (a string's closing quote is followed by , : } or ]), so splitting at
            # it finds exactly the starts of the records.
            start = "{" + _SCALARS.encode(keys[0]) + ": "
            encoded = _SCALARS.encode(value)[1:-1]  # without the list's brackets
            yield "[\n" + inner + encoded.replace(", " + start, ",\n" + inner + start)
            yield "\n" + outer + "]"
            return
        yield "["
        for index, item in enumerate(value):
            yield ("\n" if index == 0 else ",\n") + inner
            yield from _parts(item, level + 1)
        yield "\n" + outer + "]"
    else:
        yield _SCALARS.encode(value)


def _record_keys(items: list[object]) -> tuple[str, ...] | None:
    """The keys of ``items`` if each is a non-empty dict of scalars (of exactly the
    :data:`_SCALAR_TYPES`) with the same text
    keys in the same order; else ``None``. Checked with C-level loops (``map``, ``set``):
    a report may list hundreds of thousands of records."""
    first = items[0]
    if type(first) is not dict or not first:
        return None
    keys = tuple(first)
    if not all(isinstance(key, str) for key in keys) or set(map(type, items)) != {dict}:
        return None
    records: list[dict[str, object]] = items  # type: ignore[assignment]
    if not all(map(keys.__eq__, map(tuple, records))):
        return None
    kinds = set(map(type, itertools.chain.from_iterable(map(dict.values, records))))
    if not kinds <= _SCALAR_TYPES:
        return None
    return keys
