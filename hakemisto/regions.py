"""The 21 wellbeing services counties + Helsinki: names, aliases, domains and normalisation.

``normalize_region`` maps inflected, Swedish, misspelled and predecessor-organisation forms to the
canonical Finnish name (gold README). Neighbouring counties differ by one direction word
('Keski-Pohjanmaa' / 'Pohjanmaa'), so fuzzy matching only ever compares names with the same
direction words: they can be close as strings and still never merge.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

import libvoikko
from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 86.0
FUZZY_MIN_LEN = 6
_WORD = re.compile(r"[\w-]+(?:\.fi)?", re.UNICODE)


@dataclass(frozen=True)
class Region:
    canonical: str
    sv: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]


@cache
def _data() -> dict:
    return tomllib.loads(resources.files("hakemisto").joinpath("data/regions.toml").read_text("utf-8"))


@cache
def all_regions() -> tuple[Region, ...]:
    """Every county in registry order."""
    return tuple(
        Region(r["canonical"], r["sv"], tuple(r.get("aliases", ())), tuple(r.get("domains", ())))
        for r in _data()["region"]
    )


@cache
def _voikko() -> libvoikko.Voikko:
    return libvoikko.Voikko("fi")


@lru_cache(maxsize=50_000)
def _base(word: str) -> str:
    """Base form of one word, place names preferred ('Pohjanmaalla' → 'pohjanmaa')."""
    low = word.lower()
    if "-" in word and not word.endswith("-"):
        head, _, tail = word.rpartition("-")
        return f"{head.lower()}-{_base(tail)}"
    analyses = _voikko().analyze(word)
    if not analyses:
        return low
    places = [a for a in analyses if a.get("CLASS") == "paikannimi"]
    best = (places or analyses)[0]
    return str(best.get("BASEFORM", word)).lower()


def key_variants(text: str) -> set[str]:
    """Lookup keys for a name: as written, word base forms, and Swedish genitive without -s."""
    words = _WORD.findall(text.strip())
    if not words:
        return set()
    low = [w.lower() for w in words]
    keys = {" ".join(low), " ".join(_base(w) for w in words)}
    if low[-1].endswith("s") and len(low[-1]) > 3:
        keys.add(" ".join([*low[:-1], low[-1][:-1]]))
    return keys


def directions(key: str) -> frozenset[str]:
    """The direction words of a name ('keski-pohjanmaa' → {'C'}); names with different sets never merge."""
    table = _data()["directions"]
    return frozenset(table[p] for p in re.split(r"[\s-]+", key) if p in table)


@cache
def _index() -> dict[str, str]:
    """Lookup key → canonical name, for names, Swedish names, aliases and domains."""
    index: dict[str, str] = {}
    for region in all_regions():
        for name in (region.canonical, region.sv, *region.aliases):
            for key in key_variants(name):
                index.setdefault(key, region.canonical)
        for domain in region.domains:
            index.setdefault(domain.lower(), region.canonical)
    return index


def lookup_key(key: str) -> str | None:
    """Exact lookup of an already normalised key (lower-case base forms)."""
    return _index().get(key)


@lru_cache(maxsize=20_000)
def normalize_region(text: str) -> str | None:
    """Canonical county for a name in any form, or None ('Keski-Pohjanmaan' → 'Keski-Pohjanmaa')."""
    if not text or not text.strip():
        return None
    index = _index()
    keys = key_variants(text)
    for key in sorted(keys, key=len, reverse=True):
        if key in index:
            return index[key]
    return _fuzzy(keys)


def _fuzzy(keys: set[str]) -> str | None:
    index = _index()
    best: tuple[float, str] | None = None
    for key in keys:
        if len(key) < FUZZY_MIN_LEN:
            continue
        wanted = directions(key)
        choices = [k for k in index if directions(k) == wanted and abs(len(k) - len(key)) <= 3]
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], index[hit[0]])
    return best[1] if best else None


def region_for_url(url: str | None) -> str | None:
    """The county whose web domain publishes ``url`` (subdomains included)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for region in all_regions():
        for domain in region.domains:
            if host == domain or host.endswith("." + domain):
                return region.canonical
    return None


def suggest_region(text: str, limit: int = 3) -> list[str]:
    """Closest canonical names for a CLI 'did you mean' (any direction: it is only a hint)."""
    names = {r.canonical: r.canonical for r in all_regions()} | {r.sv: r.canonical for r in all_regions()}
    hits = process.extract(text, list(names), scorer=fuzz.WRatio, limit=limit * 2)
    out: list[str] = []
    for name, _score, _ in hits:
        if names[name] not in out:
            out.append(names[name])
    return out[:limit]


# --- a planner's --region value: any known name, municipalities and names typed without ä/ö/å ----------

_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "A", "Ö": "O", "Å": "A"})


def fold_diacritics(text: str) -> str:
    """'Päijät-Häme' → 'Paijat-Hame': what a planner types on a keyboard without Nordic letters."""
    return text.translate(_FOLD)


@cache
def _municipalities() -> dict[str, str]:
    """Lookup key (fi/sv name, base forms, folded) → county, from ``data/municipalities.tsv``."""
    text = resources.files("hakemisto").joinpath("data/municipalities.tsv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fi, sv, county = (part.strip() for part in line.split("\t"))
        for name in (fi, sv):
            for key in key_variants(name) if name else ():
                out.setdefault(key, county)
                out.setdefault(fold_diacritics(key), county)
    return out


@cache
def _folded_index() -> dict[str, str]:
    """The county lookup keys with ä/ö/å folded ('paijat-hame' → 'Päijät-Häme')."""
    return {fold_diacritics(key): name for key, name in _index().items()}


def municipality_county(text: str) -> str | None:
    """The county of a municipality named in any form ('Vaasa', 'Vasa', 'Vaasassa' → 'Pohjanmaa')."""
    table = _municipalities()
    for key in sorted(key_variants(text), key=len, reverse=True):
        found = table.get(key) or table.get(fold_diacritics(key))
        if found:
            return found
    return None


@lru_cache(maxsize=5_000)
def resolve_filter(text: str) -> str | None:
    """The county a planner means by a filter value: a county name in any language or form, a
    predecessor organisation, a municipality, or any of these typed without ä/ö/å."""
    if not text or not text.strip():
        return None
    folded = {fold_diacritics(key) for key in key_variants(text)}
    for key in sorted(folded, key=len, reverse=True):
        if key in _folded_index():
            return _folded_index()[key]
    return municipality_county(text) or normalize_region(text) or normalize_region(fold_diacritics(text))


def region_names_line() -> str:
    """All 22 canonical names with their Swedish names, for error messages."""
    return ", ".join(r.canonical if r.sv == r.canonical else f"{r.canonical} ({r.sv})" for r in all_regions())
