"""A persistent mapping, the what-if's memory: each version shares what it does not change.

>>> first = Overlay[str, int]().updated({"a": 1})
>>> second = first.updated({"b": 2}).updated({"a": 3})
>>> dict(first), dict(second)
({'a': 1}, {'a': 3, 'b': 2})
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar, overload

__all__ = ["Overlay"]

_K = TypeVar("_K")
_V = TypeVar("_V")
_T = TypeVar("_T")

_ABSENT: Any = object()
"""What no mapping holds: tells a key that is absent from one set to ``None``."""


class Overlay(Mapping[_K, _V]):
    """A persistent mapping: :meth:`updated` gives a new version with some entries set,
    leaves this one as it was, and shares with it the entries both hold.

    A version is a stack of dicts, oldest at the bottom; a lookup reads them from the top.
    A new top is merged into the dict below it while it is at least half as large, so each
    dict is less than half the one below: after ``n`` entries were set there are at most
    ``log2(n) + 1`` dicts, and no update copies the whole mapping (an entry is copied
    again only when its dict is merged). Keys iterate in the order they were first set.
    """

    __slots__ = ("_below", "_top")

    def __init__(self) -> None:
        self._top: dict[_K, _V] = {}
        self._below: Overlay[_K, _V] | None = None

    def updated(self, entries: Mapping[_K, _V]) -> Overlay[_K, _V]:
        """This mapping with ``entries`` set (this one is left as it was)."""
        if not entries:
            return self
        top, below = dict(entries), self if self._top else None
        while below is not None and 2 * len(top) >= len(below._top):
            top, below = {**below._top, **top}, below._below
        version: Overlay[_K, _V] = Overlay.__new__(Overlay)
        version._top, version._below = top, below
        return version

    @overload
    def get(self, key: _K, /) -> _V | None: ...
    @overload
    def get(self, key: _K, default: _V | _T, /) -> _V | _T: ...

    def get(self, key: _K, default: object = None, /) -> object:
        """The value of ``key``, from the newest dict that holds it; else ``default``."""
        layer: Overlay[_K, _V] | None = self
        while layer is not None:
            found = layer._top.get(key, _ABSENT)
            if found is not _ABSENT:
                return found
            layer = layer._below
        return default

    def __getitem__(self, key: _K) -> _V:
        found = self.get(key, _ABSENT)
        if found is _ABSENT:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[_K]:
        layers: list[dict[_K, _V]] = []
        layer: Overlay[_K, _V] | None = self
        while layer is not None:
            layers.append(layer._top)
            layer = layer._below
        seen: set[_K] = set()
        for top in reversed(layers):
            for key in top:
                if key not in seen:
                    seen.add(key)
                    yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)
