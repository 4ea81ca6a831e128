"""Values computed once per index generation (compound lookup, did-you-mean vocabulary).

The key is ``freshness``: the one key of an index state (folder, inode, Whoosh generation), also
used by the search engine's searcher cache and the web app's answer cache.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

from .caches import LRU

T = TypeVar("T")
KEEP = 4  # generations per kind: an old searcher may still be in use while a new one opens

_values: dict[str, LRU[tuple, Any]] = {}  # kind → its values of the last KEEP generations
_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")  # Whoosh's table of contents, one per commit


def freshness(index_dir: str | os.PathLike, searcher: Any = None) -> tuple[str, int, int]:
    """THE key of one state of the index, for every cache of values derived from it: the folder, its
    inode (a rebuild swaps in a new directory under the same path, whose generation numbers start
    again) and Whoosh's generation (every commit adds one) — of ``searcher`` when given (an old
    searcher keeps its own generation's values), else the newest on disk. -1 parts: no index there."""
    try:
        inode = os.stat(index_dir).st_ino
        if searcher is not None:
            generation = searcher.reader().generation()
        else:
            found = (_TOC.match(name) for name in os.listdir(index_dir))
            generation = max((int(m.group(1)) for m in found if m), default=-1)
    except OSError:
        return (str(index_dir), -1, -1)
    return (str(index_dir), inode, generation)


def cached(kind: str, searcher: Any, build: Callable[[], T]) -> T:
    """``build()`` once per (kind, index generation); uncached for searchers without a folder."""
    folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
    if folder is None:
        return build()
    values = _values.get(kind) or _values.setdefault(kind, LRU(KEEP))
    return values.get(freshness(folder, searcher), build)
