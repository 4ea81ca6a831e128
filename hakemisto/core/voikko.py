"""The one voikko service of the process: one handle, one lock, used by every module.

libvoikko handles are not thread-safe: the crawler extracts pages in threads and the web app answers in
threads, and two threads inside one handle gave wrong analyses (then cached for the process lifetime) and
once a segmentation fault. So every caller goes through ``analyze`` / ``suggest`` here, which serialise
on one lock. After ``fork`` the child gets a fresh handle and lock (a lock held by another thread at fork
time would otherwise never be released in the child).
"""

from __future__ import annotations

import os
import sys
import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()
_handle: Any = None


def _reset_after_fork() -> None:
    global _lock, _handle
    _lock = threading.Lock()
    _handle = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _voikko() -> Any:
    global _handle
    if _handle is None:
        import libvoikko

        _handle = libvoikko.Voikko("fi")
    return _handle


ANALYSES_CACHED = 30_000  # distinct words (~700 bytes each with the shared keys and class names)


def analyze(word: str) -> list[dict[str, str]]:
    """voikko's analyses of one word (fresh dicts: callers may change them)."""
    return [dict(a) for a in _analyses(word)]


@lru_cache(maxsize=ANALYSES_CACHED)
def _analyses(word: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """voikko's answer per word, remembered: the extraction rules ask about the same words again and
    again (every window of a county-name scan re-analysed its words; a third of the region lookup's
    time in a rebuild), and libvoikko's Python wrapper builds each answer anew through ctypes.
    Analyses are deterministic, so a remembered one equals a fresh one. Keys and short values (class
    and case names) are interned: they repeat in every entry."""
    with _lock:
        found = _voikko().analyze(word)
    return tuple(tuple((sys.intern(k), sys.intern(v) if len(v) <= 24 else v) for k, v in a.items()) for a in found)


def suggest(word: str) -> list[str]:
    """voikko's spelling suggestions for one word."""
    with _lock:
        return list(_voikko().suggest(word))
