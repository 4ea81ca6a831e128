"""Import Whoosh without the standard library it drags in for nothing (issue 17: cold start).

``whoosh.compat`` imports ``urllib.request`` only to re-export ``urlretrieve`` (which Whoosh never
calls), pulling in http.client, email, ssl and socket; ``whoosh.reading`` imports the
``cached_property`` package, which imports asyncio (subprocess, logging, concurrent.futures) to
support coroutine methods, for one synchronous property (``SegmentReader.deleted_docs_set``).
Together ~40 ms of every cold ``hakemisto search``. Importing this module before any other Whoosh
module loads them with stand-ins in ``sys.modules`` for the time of that import only:

- ``urllib.request`` with an ``urlretrieve`` that imports the real one when called;
- ``cached_property`` with the standard library's ``functools.cached_property`` (the same contract
  for a synchronous method: computed once, kept in the instance's ``__dict__``);
- ``whoosh.lang.morph_en`` (English word variations, imported by ``whoosh.query.terms`` for its
  ``Variations`` query, which hakemisto never builds; compiling its regular expressions was ~6 ms CPU)
  with a ``variations`` that imports the real one when called.

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


def _variations(*args: Any, **kwargs: Any) -> Any:
    """``whoosh.lang.morph_en.variations``, imported on the first call."""
    from whoosh.lang.morph_en import variations

    return variations(*args, **kwargs)


def _with_stand_ins(stand_ins: dict[str, dict[str, Any]], modules: tuple[str, ...]) -> None:
    """Import ``modules`` while each name of ``stand_ins`` not loaded yet is a stand-in module holding
    its attributes (nothing happens when the modules are loaded already)."""
    if all(module in sys.modules for module in modules):
        return
    placed: dict[str, types.ModuleType] = {}
    for name, attributes in stand_ins.items():
        if name not in sys.modules:
            placed[name] = sys.modules[name] = types.ModuleType(name)
            placed[name].__dict__.update(attributes)
    try:
        for module in modules:
            importlib.import_module(module)
    finally:
        for name, stand_in in placed.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


_with_stand_ins({"urllib.request": {"urlretrieve": _urlretrieve},
                 "cached_property": {"cached_property": functools.cached_property},
                 "whoosh.lang.morph_en": {"variations": _variations}},
                ("whoosh.compat", "whoosh.reading", "whoosh.query"))
