"""Import Whoosh without the standard library it drags in for nothing (issue 17: cold start).

``whoosh.compat`` imports ``urllib.request`` only to re-export ``urlretrieve`` (which Whoosh never
calls), pulling in http.client, email, ssl and socket; ``whoosh.reading`` imports the
``cached_property`` package, which imports asyncio (subprocess, logging, concurrent.futures) to
support coroutine methods, for one synchronous property (``SegmentReader.deleted_docs_set``).
Together ~40 ms of every cold ``hakemisto search``. Importing this module before any other Whoosh
module loads them with stand-ins in ``sys.modules`` for the time of that import only:

- ``urllib.request`` with an ``urlretrieve`` that imports the real one when called;
- ``cached_property`` with the standard library's ``functools.cached_property`` (the same contract
  for a synchronous method: computed once, kept in the instance's ``__dict__``).

The stand-ins are removed right after, so a later ``import urllib.request`` (the crawler's) or
``import cached_property`` gets the real module. Nothing changes when Whoosh or those modules were
imported already (``importlib.util.LazyLoader`` cannot defer asyncio on Python 3.11: the import
system reads a lazy module's ``__spec__``, which loads it). Import order matters, so the
modules that import Whoosh first on the search path import this one above their Whoosh imports.
The stand-ins are visible to other threads only for the milliseconds of Whoosh's first import,
which happens when the engine module is imported (at start-up, before any server thread runs).
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    """``urllib.request.urlretrieve``, imported on the first call."""
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _with_stand_in(name: str, attributes: dict[str, Any], module: str) -> None:
    """Import ``module`` while ``name`` is a stand-in holding ``attributes`` (unless either is loaded)."""
    if module in sys.modules or name in sys.modules:
        return
    stand_in = types.ModuleType(name)
    stand_in.__dict__.update(attributes)
    sys.modules[name] = stand_in
    try:
        importlib.import_module(module)
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]


_with_stand_in("urllib.request", {"urlretrieve": _urlretrieve}, "whoosh.compat")
_with_stand_in("cached_property", {"cached_property": functools.cached_property}, "whoosh.reading")
