"""Values computed once per index generation (compound lookup, did-you-mean vocabulary).

The key is the index folder, its inode (a rebuild swaps in a new directory under the same path,
whose generation numbers start again) and Whoosh's generation number (every commit adds one).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
KEEP = 4  # generations per kind: an old searcher may still be in use while a new one opens

_values: dict[str, OrderedDict[tuple, Any]] = {}
_lock = threading.Lock()


def cached(kind: str, searcher: Any, build: Callable[[], T]) -> T:
    """``build()`` once per (kind, index generation); uncached for searchers without a folder."""
    folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
    if folder is None:
        return build()
    key = (str(folder), os.stat(folder).st_ino, searcher.reader().generation())
    with _lock:
        values = _values.setdefault(kind, OrderedDict())
        if key in values:
            values.move_to_end(key)
            return values[key]
    value = build()
    with _lock:
        values[key] = value
        while len(values) > KEEP:
            values.popitem(last=False)
    return value
