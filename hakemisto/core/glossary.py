"""The fi↔sv glossary, read once for search (cross-language queries) and projects (name matching).

The 22 county names come from the county registry (``counties.toml``), every other pair from
``data/glossary.tsv`` (Finnish<TAB>Swedish, an optional third column naming the pair's source).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from hakemisto.core import regions


@cache
def pairs() -> tuple[tuple[str, str], ...]:
    """(Finnish, Swedish) pairs: the registry's county names first, then the glossary file's."""
    out = [(r.canonical, r.sv) for r in regions.all_regions()]
    text = resources.files("hakemisto.data").joinpath("glossary.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fi, _, rest = line.strip().partition("\t")
        sv = rest.split("\t")[0]  # an optional third column names the pair's source
        if fi.strip() and sv.strip():
            out.append((fi.strip(), sv.strip()))
    return tuple(out)
