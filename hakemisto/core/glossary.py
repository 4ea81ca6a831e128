"""The fi↔sv glossary, read once for search (cross-language queries) and projects (name matching).

The 22 county names come from the county registry (``counties.toml``), every other pair from
``data/glossary.tsv`` (Finnish<TAB>Swedish, an optional third column naming the pair's source).
Search also reads ``data/glossary_general.tsv`` (``search_pairs``): general welfare vocabulary
that only widens queries; project-name matching keeps to ``pairs``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from hakemisto.core import regions


def _file_pairs(name: str) -> list[tuple[str, str]]:
    text = resources.files("hakemisto.data").joinpath(name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fi, _, rest = line.strip().partition("\t")
        sv = rest.split("\t")[0]  # an optional third column names the pair's source
        if fi.strip() and sv.strip():
            out.append((fi.strip(), sv.strip()))
    return out


@cache
def pairs() -> tuple[tuple[str, str], ...]:
    """(Finnish, Swedish) pairs: the registry's county names first, then the glossary file's."""
    return tuple([(r.canonical, r.sv) for r in regions.all_regions()] + _file_pairs("glossary.tsv"))


@cache
def search_pairs() -> tuple[tuple[str, str], ...]:
    """``pairs`` plus the general welfare vocabulary of ``glossary_general.tsv`` (search only)."""
    if not GENERAL:
        return pairs()
    seen = set(pairs())
    return pairs() + tuple(p for p in _file_pairs("glossary_general.tsv") if p not in seen)


GENERAL = True  # search reads glossary_general.tsv too (issue 14 round 5; see README)
