"""The one voikko service of the process: one handle, one lock, used by every module.

libvoikko handles are not thread-safe: the crawler extracts pages in threads and the web app answers in
threads, and two threads inside one handle gave wrong analyses (then cached for the process lifetime) and
once a segmentation fault. So every caller goes through ``analyze`` / ``suggest`` here, which serialise
on one lock. After ``fork`` the child gets a fresh handle and lock (a lock held by another thread at fork
time would otherwise never be released in the child).
"""

from __future__ import annotations

import os
import threading
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


def analyze(word: str) -> list[dict[str, str]]:
    """voikko's analyses of one word (fresh dicts: callers may change them)."""
    with _lock:
        return [dict(a) for a in _voikko().analyze(word)]


def suggest(word: str) -> list[str]:
    """voikko's spelling suggestions for one word."""
    with _lock:
        return list(_voikko().suggest(word))
