"""The funder and programme registry (``data/funding.toml``), read once for every stage that names a
funder or a programme: the funding rule components, per-page mentions, project records, search filters,
the digest and the report.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
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


def registry_name(kind: str, value: str) -> str | None:
    """The canonical funder/programme id a planner means by any registry name, in any case, with or
    without ä/ö/å, inflected where the registry marks a name as a prefix
    ('Sosiaali- ja terveysministeriön' → 'STM', 'Framtidens social- och hälsocentral' →
    'Tulevaisuuden sote-keskus', 'Suomen kestävän kasvun ohjelma' → 'RRP')."""
    key = _name_key(value)
    if not key:
        return None
    best: tuple[int, str] | None = None
    for name, prefix, canonical in _registry_names(kind):
        if key == name:
            return canonical
        # Inflection: the typed name may end a little differently ('-ministeriön', 'ohjelmaa').
        rest = key[len(name) :]
        if prefix and len(name) >= 6 and key.startswith(name) and (len(rest) <= 6 or _TRAILER.fullmatch(rest)):
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
