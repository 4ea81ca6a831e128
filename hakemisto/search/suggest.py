"""Did-you-mean and which entities a query names. Never prints.

A planner's query words are read against what the index actually holds (the terms of the text
fields with their document frequencies) and against the registries (county names in Finnish and
Swedish, any inflection; funder and programme ids). A word that exists is never changed: the
suggestion only replaces words that neither voikko, the index nor a registry knows, and among
close candidates it prefers frequent ones, so a typo turns into the word most pages use.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from hakemisto.core import regions
from hakemisto.core.config import Settings
from hakemisto.facts.funding import registry_ids, registry_name
from hakemisto.search import analysis, generations
from hakemisto.search import index as idx

FEW_HITS = 2  # at most this many hits and a did-you-mean is worth showing
MIN_SCORE = 80.0  # rapidfuzz ratio a vocabulary candidate needs
FREQUENCY_WEIGHT = 4.0  # score points per decade of document frequency
TEXT_FIELDS = {"fi": ("text_fi", "title_fi"), "sv": ("text_sv", "title_sv")}
WORD = re.compile(r"[^\W_]+(?:[-:'’+/][^\W_]+)*\+?", re.UNICODE)


# --- registries ----------------------------------------------------------------------------------




@cache
def _region_names() -> dict[str, str]:
    """casefolded Finnish and Swedish county name → canonical name."""
    out: dict[str, str] = {}
    for region in regions.all_regions():
        out[region.canonical.casefold()] = region.canonical
        out[region.sv.casefold()] = region.canonical
    return out


def normalize_region(text: str) -> str | None:
    return regions.normalize_region(text)


def _region_typo(word: str) -> str | None:
    """The county a capitalised word misspells ('Österbotens'), None for exact names in any form.

    Checked before the stemmers: Snowball maps 'Österbotens' and 'Österbottens' to the same stem.
    """
    if not word[:1].isupper():
        return None
    if any(regions.lookup_key(key) for key in regions.key_variants(word)):
        return None
    return regions.normalize_region(word)


def _display_region(word: str, canonical: str) -> str:
    """The registry name closest to what was typed: Swedish names stay Swedish."""
    region = next((r for r in regions.all_regions() if r.canonical == canonical), None)
    if region is None or region.sv == canonical:
        return canonical
    from rapidfuzz import fuzz

    return max((canonical, region.sv), key=lambda name: fuzz.ratio(word.casefold(), name.casefold()))


# --- the index vocabulary ------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """Index terms per language with document frequencies, and the keyword facets' values."""

    terms: dict[str, dict[str, int]]
    funders: tuple[str, ...]
    programmes: tuple[str, ...]
    doc_count: int


def _build_vocabulary(searcher: Any) -> Vocabulary:
    lists = generations.term_lists(searcher)  # stored at commit time
    return Vocabulary(
        terms={lang: lists.frequencies(lang) for lang in TEXT_FIELDS},
        funders=lists.keywords["funders"],
        programmes=lists.keywords["programmes"],
        doc_count=lists.doc_count,
    )


def vocabulary(searcher: Any) -> Vocabulary:
    """The vocabulary of the searcher's index, built once per index generation (it is Zipfian and large)."""
    return generations.cached("vocabulary", searcher, lambda: _build_vocabulary(searcher))


# --- did you mean --------------------------------------------------------------------------------


def main_terms(analyzer: Any, word: str) -> list[str]:
    return [t.text for t in analyzer(word) if t.boost >= 1.0]


def field_analyzers(searcher: Any) -> dict[str, Any]:
    schema = searcher.schema
    return {
        lang: schema[names[0]].analyzer for lang, names in TEXT_FIELDS.items() if names[0] in schema.names()
    }


def is_registry_word(word: str, vocab: Vocabulary) -> bool:
    folded = word.casefold().rstrip("+")
    ids = {v.casefold() for v in (*vocab.funders, *vocab.programmes)}
    return (
        folded in ids
        or folded in registry_ids("funder")
        or folded in registry_ids("programme")
        or folded in _region_names()
    )


def word_exists(word: str, vocab: Vocabulary, analyzers: dict[str, Any]) -> bool:
    """True for words to keep: real Finnish words, index terms, registry names, numbers, short words.

    A Finnish word voikko does not know is not kept just because its fallback stem is in the index
    when that stem is itself a real word: 'hoitotakuuu' stems to 'hoitotakuu' and is still a typo.
    """
    if len(word) < 3 or any(c.isdigit() for c in word) or is_registry_word(word, vocab):
        return True
    if _region_typo(word):
        return False
    if analysis.fi_known(word):
        return True
    lower = word.lower()
    if lower in vocab.terms.get("fi", {}) or lower in vocab.terms.get("sv", {}):
        return True
    sv = analyzers.get("sv")
    if sv is not None and any(t in vocab.terms.get("sv", {}) for t in main_terms(sv, word)):
        return True
    fi = analyzers.get("fi")
    if fi is not None:
        stems = [t for t in main_terms(fi, word) if t in vocab.terms.get("fi", {})]
        if stems and not any(analysis.fi_known(t) for t in stems):
            return True
    return False


def _ranked(word: str, terms: dict[str, int], limit: int = 8) -> list[tuple[str, float]]:
    """Close terms scored by similarity plus a bonus for frequent terms."""
    if not terms:
        return []
    from rapidfuzz import fuzz, process

    cutoff = MIN_SCORE if len(word) >= 6 else 85.0
    hits = process.extract(word.lower(), list(terms), scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    return [(term, score + FREQUENCY_WEIGHT * math.log10(1 + terms[term])) for term, score, _ in hits]


def _correct_word(word: str, vocab: Vocabulary, analyzers: dict[str, Any]) -> str | None:
    """The best replacement for one unknown word, or None."""
    from rapidfuzz import fuzz, process  # a did-you-mean only (issue 17: not on a cold search's import path)

    region = normalize_region(word)
    if region:
        return _display_region(word, region)
    for kind, known in (("funder", vocab.funders), ("programme", vocab.programmes)):
        ids = {**registry_ids(kind), **{v.casefold(): v for v in known}}
        hit = process.extractOne(word.casefold(), list(ids), scorer=fuzz.ratio, score_cutoff=85)
        if hit:
            return ids[hit[0]]
    options: list[tuple[float, str]] = []
    fi_terms = vocab.terms.get("fi", {})
    for suggestion in analysis.fi_suggestions(word):
        fi = analyzers.get("fi")
        found = [fi_terms[t] for t in main_terms(fi, suggestion) if t in fi_terms] if fi else []
        if found:
            options.append(
                (
                    fuzz.ratio(word.lower(), suggestion.lower())
                    + 5
                    + FREQUENCY_WEIGHT * math.log10(1 + max(found)),
                    suggestion,
                )
            )
    for term, score in _ranked(word, fi_terms):
        if analysis.fi_known(term):
            options.append((score, term))
    sv = analyzers.get("sv")
    own = main_terms(sv, word) if sv is not None else []
    for term, score in _ranked(own[0] if own else word, vocab.terms.get("sv", {})):
        stem = own[0] if own else ""
        lowered = word.lower()
        surface = term + lowered[len(stem) :] if stem and lowered.startswith(stem) else term
        options.append((score, surface))
    if not options:
        return None
    return max(options, key=lambda o: (o[0], -len(o[1])))[1]


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def searcher_of(settings_or_searcher: Settings | Any) -> tuple[Any, Any]:
    """(searcher, index or None to close): accepts Settings or an open Whoosh searcher."""
    if isinstance(settings_or_searcher, Settings):
        ix = idx.open_index(settings_or_searcher.index_dir)
        return ix.searcher(), ix
    return settings_or_searcher, None


def suggest(settings_or_searcher: Settings | Any, query: str) -> str | None:
    """A corrected query when some words look misspelled, else None ('hoitotakuuu' → 'hoitotakuu')."""
    searcher, owned = searcher_of(settings_or_searcher)
    try:
        vocab = vocabulary(searcher)
        analyzers = field_analyzers(searcher)
        changed = False
        out: list[str] = []
        last = 0
        for match in WORD.finditer(query):
            word = match.group(0)
            out.append(query[last : match.start()])
            last = match.end()
            replacement = (
                None if word_exists(word, vocab, analyzers) else _correct_word(word, vocab, analyzers)
            )
            if replacement and replacement.casefold() != word.casefold():
                out.append(_match_case(word, replacement))
                changed = True
            else:
                out.append(word)
        out.append(query[last:])
        return "".join(out) if changed else None
    finally:
        if owned is not None:
            searcher.close()


# --- entities a query names ----------------------------------------------------------------------


@dataclass(frozen=True)
class QueryEntities:
    """Canonical regions, funders and programmes named by a query or its filters, and its plain words."""

    regions: frozenset[str] = frozenset()
    funders: frozenset[str] = frozenset()
    programmes: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()


def query_entities(query: str, filters: Any = None) -> QueryEntities:
    """What the planner asked for by name: 'RRP Päijät-Hämeessä' → programme RRP, region Päijät-Häme."""
    regions: set[str] = set()
    funders: set[str] = set()
    programmes: set[str] = set()
    words = WORD.findall(query)
    funder_ids, programme_ids = registry_ids("funder"), registry_ids("programme")
    for i, word in enumerate(words):
        for candidate in (word, word.split("-")[0]):
            folded = candidate.casefold()
            if folded in funder_ids:
                funders.add(funder_ids[folded])
            if folded in programme_ids:
                programmes.add(programme_ids[folded])
        if word[:1].isupper() or "-" in word:
            region = normalize_region(word)
            if region is None and i + 1 < len(words):
                region = normalize_region(f"{word} {words[i + 1]}")
            if region:
                regions.add(region)
    # A funder's or programme's full name in the query ('Framtidens social- och hälsocentral',
    # 'Suomen kestävän kasvun ohjelma'): runs of 2–6 words that the registry knows.
    spaced = query.split()
    for size in range(min(6, len(spaced)), 1, -1):
        for start in range(len(spaced) - size + 1):
            run = " ".join(spaced[start : start + size])
            for kind, found in (("funder", funders), ("programme", programmes)):
                name = registry_name(kind, run)
                if name:
                    found.add(name)
    if filters is not None:
        from hakemisto.core.regions import resolve_filter

        for value in _values(getattr(filters, "region", None)):
            regions.add(resolve_filter(value) or value)
        for value in _values(getattr(filters, "funder", None)):
            funders.add(funder_ids.get(value.casefold()) or registry_name("funder", value) or value)
        for value in _values(getattr(filters, "programme", None)):
            programmes.add(programme_ids.get(value.casefold()) or registry_name("programme", value) or value)
    return QueryEntities(
        frozenset(regions), frozenset(funders), frozenset(programmes), frozenset(w.casefold() for w in words)
    )


def _values(value: Any) -> tuple[str, ...]:
    return () if not value else (value,) if isinstance(value, str) else tuple(value)


def matched_entities(
    wanted: QueryEntities, facts: dict[str, Any], region: str | None
) -> dict[str, list[str]]:
    """Which of a hit's regions, funders, programmes and persons the query or filters named."""
    folded = {f.casefold() for f in wanted.funders}
    folded_programmes = {p.casefold() for p in wanted.programmes}
    hit_regions = {r for r in (region, *(facts.get("regions") or ())) if r}
    persons = [
        p
        for p in facts.get("persons") or ()
        if any(part.casefold() in wanted.words for part in re.split(r"[\s-]+", p) if len(part) > 2)
    ]
    out = {
        "regions": sorted(r for r in hit_regions if r in wanted.regions),
        "funders": [f for f in facts.get("funders") or () if f.casefold() in folded],
        "programmes": [p for p in facts.get("programmes") or () if p.casefold() in folded_programmes],
        "persons": persons,
    }
    return {k: v for k, v in out.items() if v}
