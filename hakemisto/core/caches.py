"""One cache helper: a bounded least-recently-used map that several threads may share.

Pure functions of hashable arguments use ``functools.cache`` / ``lru_cache``; values tied to an
object or a state (an index generation, a searcher, a web process's recent answers) use ``LRU``,
built on ``cachetools.LRUCache``, instead of hand-written OrderedDict bookkeeping in each module.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from cachetools import LRUCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Evicting(LRUCache):
    """An LRUCache that tells ``on_evict`` about each value it pushes out (to close files)."""

    def __init__(self, maxsize: int, getsizeof: Callable[[Any], int] | None,
                 on_evict: Callable[[Any], None] | None) -> None:
        super().__init__(maxsize, getsizeof)
        self._on_evict = on_evict

    def popitem(self) -> tuple[Any, Any]:
        key, value = super().popitem()
        if self._on_evict is not None:
            self._on_evict(value)
        return key, value


class LRU(Generic[K, V]):
    """At most ``maxsize`` values (or total ``sizeof``), least recently used going first.

    ``get(key, build)`` builds outside the lock (a slow build does not block readers of other keys;
    two threads may build the same value once each, and either result is right). ``maxsize`` 0 keeps
    nothing. A value larger than ``maxsize`` by ``sizeof`` is returned but not kept.
    """

    def __init__(self, maxsize: int, *, sizeof: Callable[[V], int] | None = None,
                 on_evict: Callable[[V], None] | None = None) -> None:
        self._items: LRUCache = _Evicting(max(0, maxsize), sizeof, on_evict)
        self._lock = threading.Lock()

    def get(self, key: K, build: Callable[[], V]) -> V:
        """The value of ``key``, built (and kept) when missing."""
        with self._lock:
            try:
                return self._items[key]
            except KeyError:
                pass
        value = build()
        self.put(key, value)
        return value

    def peek(self, key: K) -> V | None:
        """The kept value of ``key`` (marked as recently used) or None, building nothing."""
        with self._lock:
            return self._items.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            try:
                self._items[key] = value
            except ValueError:  # larger than the whole cache: used once, not kept
                pass

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    @property
    def currsize(self) -> int:
        """How much is kept: the number of values, or their total ``sizeof``."""
        return int(self._items.currsize)

    def __len__(self) -> int:
        return len(self._items)
