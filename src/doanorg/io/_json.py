"""JSON text for people and programs: indented, and quick for long lists of records.

``json.dumps(..., indent=2)`` runs Python's pure-Python encoder, which takes
seconds for a report listing hundreds of thousands of failing units. Here
the structure is indented as ``indent=2`` does, but a list of *records*
(dicts holding no list or dict, all with the same keys in the same order,
as the ``failing`` lists of a report) is encoded at once by the C encoder
and written one record a line.

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

import json
from collections.abc import Iterator

__all__ = ["json_text"]

_INDENT = "  "
_SCALARS = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
"""The C encoder (used when no indent is asked for), with the spacing of ``indent=2``."""


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
    """The keys of ``items`` if each is a non-empty dict of scalars with the same text
    keys in the same order; else ``None``."""
    first = items[0]
    if not isinstance(first, dict) or not first:
        return None
    keys = tuple(first)
    if not all(isinstance(key, str) for key in keys):
        return None
    for item in items:
        if not isinstance(item, dict) or tuple(item) != keys or any(
                isinstance(field, dict | list) for field in item.values()):
            return None
    return keys
