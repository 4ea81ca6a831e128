"""One union-find (disjoint sets) for every grouping in the package.

Canonical entity variants, near-duplicate pages, project mentions and the report's twin/duplicate
families all merge pairs into groups; one implementation keeps the root rule explicit (the smallest
item by ``key`` represents its group, so results do not depend on the order of unions).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint sets with path halving; an item seen for the first time is its own group."""

    def __init__(self, items: Iterable[T] = (), key: Callable[[T], Any] | None = None) -> None:
        self.parent: dict[T, T] = {x: x for x in items}
        self._key = key

    def find(self, x: T) -> T:
        """The representative of ``x``'s group (the smallest item by ``key``)."""
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> T:
        """Merge the groups of ``a`` and ``b``; returns the representative of the merged group."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        root, child = (ra, rb) if self._first(ra, rb) else (rb, ra)
        self.parent[child] = root
        return root

    def _first(self, a: T, b: T) -> bool:
        if self._key is None:
            return a < b  # type: ignore[operator]
        ka, kb = self._key(a), self._key(b)
        return ka < kb or (ka == kb and a < b)  # type: ignore[operator]

    def groups(self) -> dict[T, list[T]]:
        """representative → members, both in first-seen order."""
        out: dict[T, list[T]] = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out
