"""A small per-process cache with a time limit, for hot reads that change rarely.

Each app process keeps its own; an entry lives ``ttl`` seconds, so a change made
by another process is seen within that time, and the process that made the
change clears the cache at once (``clear``). Only for values where being
``ttl`` seconds late is harmless (say so where it is used).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

#: Caches by group name, so that a change clears every cache of its kind at once
#: (``forget("content")`` after a publish) without the changing domain knowing
#: which packages above it cache what.
_GROUPS: dict[str, weakref.WeakSet[TTLCache]] = {}  # type: ignore[type-arg]


def forget(group: str) -> None:
    """Clear every cache of ``group`` in this process."""
    for cache in list(_GROUPS.get(group, ())):
        cache.clear()


class TTLCache(Generic[V]):
    def __init__(
        self, ttl: float, max_entries: int = 10_000, group: str | None = None
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._data: dict[Hashable, tuple[float, V]] = {}
        if group is not None:
            _GROUPS.setdefault(group, weakref.WeakSet()).add(self)

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        """The cached value of ``key``, loading it when missing or expired."""
        now = time.monotonic()
        hit = self._data.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if len(self._data) >= self.max_entries:
            self._data.clear()
        self._data[key] = (now + self.ttl, value)
        return value

    def clear(self) -> None:
        self._data.clear()
