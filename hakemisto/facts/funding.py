"""The funder and programme registry (``data/funding.toml``), read once for every stage that names a
funder or a programme: the funding rule components, per-page mentions, project records, search filters,
the digest and the report.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from hakemisto.core.regions import fold_diacritics

_TRAILER = re.compile(r"\s*-?\s*[^\W\d_]+", re.UNICODE)  # ' -ohjelma', '-hanke' after a registry name


@cache
def funding_vocab() -> dict[str, Any]:
    """The whole registry: funders and programmes (ids, acronyms, fi/sv names) and the funding cues."""
    return tomllib.loads(resources.files("hakemisto").joinpath("data/funding.toml").read_text("utf-8"))


@cache
def registry_ids(kind: str) -> dict[str, str]:
    """casefolded id or acronym → canonical id, for ``kind`` 'funder' or 'programme'."""
    out: dict[str, str] = {}
    for entry in funding_vocab().get(kind, ()):
        for name in (entry["id"], *entry.get("acronyms", ())):
            out.setdefault(name.casefold(), entry["id"])
    return out


@cache
def registry_words() -> frozenset[str]:
    """Every casefolded word of every funder's and programme's id and acronym ('interreg', 'sitra',
    'kela', 'business', 'eu4health'): a capitalised run holding one names an organisation or a
    programme, never a person ('Interreg Aurora' although 'Aurora' is a first name)."""
    out: set[str] = set()
    for kind in ("funder", "programme"):
        for entry in funding_vocab().get(kind, ()):
            for name in (entry["id"], *entry.get("acronyms", ())):
                out.update(w for w in re.split(r"[\s/]+", name.casefold().rstrip("+")) if w)
    return frozenset(out)


def _name_key(text: str) -> str:
    """Case, spacing, dashes and ä/ö/å folded: 'Sosiaali- ja  terveysministeriö' ~ 'sosiaali- ja terveysministerio'."""
    return " ".join(fold_diacritics(text.replace("–", "-")).casefold().split())


@cache
def _registry_names(kind: str) -> tuple[tuple[str, bool, str], ...]:
    """(folded name, is a prefix pattern, canonical id) for every id, acronym and fi/sv name of ``kind``."""
    out: list[tuple[str, bool, str]] = []
    for entry in funding_vocab().get(kind, ()):
        for name in (entry["id"], *entry.get("acronyms", ()), *entry.get("fi", ()), *entry.get("sv", ())):
            prefix = name.endswith("*")
            key = _name_key(name.rstrip("*"))
            if len(key) >= 2:
                out.append((key, prefix, entry["id"]))
    return tuple(out)


@cache
def _registry_index(kind: str) -> tuple[dict[str, str], dict[str, tuple[tuple[str, str], ...]]]:
    """``_registry_names`` for lookups: exact name → id (the first in registry order wins, as the
    scan did), and the prefix names of six characters or more by their first six, in registry order."""
    exact: dict[str, str] = {}
    prefixes: dict[str, list[tuple[str, str]]] = {}
    for name, prefix, canonical in _registry_names(kind):
        exact.setdefault(name, canonical)
        if prefix and len(name) >= 6:
            prefixes.setdefault(name[:6], []).append((name, canonical))
    return exact, {head: tuple(names) for head, names in prefixes.items()}


@lru_cache(maxsize=20_000)
def registry_name(kind: str, value: str) -> str | None:
    """The canonical funder/programme id a planner means by any registry name, in any case, with or
    without ä/ö/å, inflected where the registry marks a name as a prefix
    ('Sosiaali- ja terveysministeriön' → 'STM', 'Framtidens social- och hälsocentral' →
    'Tulevaisuuden sote-keskus', 'Suomen kestävän kasvun ohjelma' → 'RRP').

    Asked for every candidate project name and heading of every page: the answer comes from two
    dictionaries (``_registry_index``), not a walk over every registry name (~0.3 ms a call)."""
    key = _name_key(value)
    if not key:
        return None
    exact, prefixes = _registry_index(kind)
    found = exact.get(key)
    if found is not None:
        return found
    best: tuple[int, str] | None = None
    for name, canonical in prefixes.get(key[:6], ()):
        # Inflection: the typed name may end a little differently ('-ministeriön', 'ohjelmaa').
        rest = key[len(name) :]
        if key.startswith(name) and (len(rest) <= 6 or _TRAILER.fullmatch(rest)):
            if best is None or len(name) > best[0]:
                best = (len(name), canonical)
    return best[1] if best else None


@cache
def programme_forms() -> dict[str, tuple[str, ...]]:
    """Programme id → lower-case surface forms (wildcards dropped), to spot a programme in a sentence."""
    forms: dict[str, tuple[str, ...]] = {}
    for entry in funding_vocab().get("programme", ()):
        names = [entry["id"], *entry.get("acronyms", ()), *entry.get("fi", ()), *entry.get("sv", ())]
        forms[entry["id"]] = tuple(sorted({n.rstrip("*").strip().lower() for n in names if len(n) > 2}))
    return forms
