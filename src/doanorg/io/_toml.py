"""Reading TOML files, with the line each key stands on for messages.

:mod:`tomllib` gives values but not where they were written. The plan and
schema checks want lines, so :func:`read_toml` also returns a *locator*: a
function from a key path (``("targets", 2, "at_least")``,
``("metrics", "rating")``) to its line, found by a light scan of the text.
Paths the scan cannot place (inline tables, dotted keys) give ``None``, and
messages then fall back to the enclosing table's line.

Every text of the file, keys and values alike, is read in Unicode NFC, as every
name and value of a CSV file is: a metric, category value, kind or unit id written
in decomposed form (NFD, as some editors save) is the same name as its composed
form, and two keys that differ only so are one key written twice (an error).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from doanorg.errors import DoanorgError, Problem

__all__ = ["dump_toml", "normalised_data", "read_toml"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*("[^"]*"|[A-Za-z0-9_-]+)\s*=')
_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")

Locate = Callable[[tuple[str | int, ...]], int | None]


def read_toml(
    path: str | Path, error: type[DoanorgError], *, name: str | None = None
) -> tuple[dict[str, Any], Locate]:
    """The TOML data in ``path`` and a locator for its keys.

    An unreadable file or invalid TOML raises ``error`` naming the file and,
    for invalid TOML, the line.
    """
    shown = name or str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise error([Problem(f"cannot read the file: {exc.strerror or exc}", file=shown)]) from None
    except UnicodeDecodeError:
        raise error([Problem("the file is not UTF-8 text", file=shown)]) from None
    text = unicodedata.normalize("NFC", text)  # (two forms of a key: "defined twice")
    try:
        data = normalised_data(tomllib.loads(text))  # (and texts written as \u escapes)
    except tomllib.TOMLDecodeError as exc:
        match = _ERROR_LINE.search(str(exc))
        message = _ERROR_LINE.sub("", str(exc)).strip()
        raise error(
            [Problem(f"invalid TOML: {message}", file=shown,
                     line=int(match.group(1)) if match else None)]
        ) from None
    except ValueError as exc:
        raise error([Problem(str(exc), file=shown)]) from None
    return data, _locator(text)


def normalised_data(value: Any) -> Any:
    r"""``value`` (TOML data) with every text, key or value, in NFC.

    Raises :class:`ValueError` if two keys of one table are then the same.

    >>> normalised_data({"ca\u0300": ["tô\u0301t", 1]}) == {"cà": ["tốt", 1]}
    True
    """
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [normalised_data(item) for item in value]
    if isinstance(value, dict):
        table: dict[str, Any] = {}
        for key, item in value.items():
            name = unicodedata.normalize("NFC", key)
            if name in table:
                raise ValueError(f"key {name!r} is written twice (in two Unicode forms)")
            table[name] = normalised_data(item)
        return table
    return value


def _locator(text: str) -> Locate:
    lines: dict[tuple[str | int, ...], int] = {}
    arrays: dict[str, int] = {}
    table: tuple[str | int, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            parts: tuple[str | int, ...] = tuple(
                part.strip().strip('"') for part in header.group(2).split(".")
            )
            if header.group(1) == "[[":
                key = ".".join(map(str, parts))
                index = arrays.get(key, -1) + 1
                arrays[key] = index
                parts = (*parts, index)
            table = parts
            lines.setdefault(table, number)
            continue
        key_match = _KEY.match(line)
        if key_match:
            lines.setdefault((*table, key_match.group(1).strip('"')), number)
    return lines.get


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return {True: "inf", False: "-inf"}.get(value > 0, "nan")
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_scalar(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _scalar(key)


def dump_toml(data: dict[str, Any]) -> str:
    """TOML text for ``data``: scalars and inline tables at the top, then arrays
    of tables (a list of dicts) as ``[[name]]`` sections. Enough for the files
    doanorg writes (scenarios of edits); :func:`tomllib.loads` reads it back.

    >>> dump_toml({"name": "a", "edits": [{"do": "set", "value": 3}]})
    'name = "a"\\n\\n[[edits]]\\ndo = "set"\\nvalue = 3\\n'
    """
    lines: list[str] = []
    tables: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_scalar(value)}")
    for key, entries in tables:
        for entry in entries:
            lines += ["", f"[[{_key(key)}]]"]
            lines += [f"{_key(k)} = {_scalar(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"
