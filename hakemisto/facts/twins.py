"""Finnish / Swedish twins: the same page in the other language.

hreflang alternates decide when the page declares them (unless they point at another county's page:
a "FI SV" switcher may lead to the other site's front page). Otherwise two documents of the same
county (or two national ones) in different languages are twins when what translation keeps intact
matches: person names, numbers (amounts, years, counts) and the paragraph structure. Precision comes
first: pages of two different counties, or a county page and a national one, are never linked; a
pair needs shared people or shared specific numbers; and when a page has two candidates that score
nearly alike, neither is linked ("when unsure, no link"). Pairs are chosen greedily by score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from rapidfuzz import fuzz

from hakemisto.core.model import Document

MIN_SCORE = 2.5
# A translation keeps most numbers (shared / all ≥ 0.5; the dev twins have ≥ 0.67, two pages of one
# county about the same project 0.17–0.18) and roughly the length (≥ 0.6; dev twins ≥ 0.72).
MIN_NUMBER_JACCARD = 0.5
MIN_SIZE_RATIO = 0.6
# The best candidate must beat the next one by this much, or the page stays unlinked.
MARGIN = 0.75
_NUMBER = re.compile(r"\d+(?:[,.]\d+)?")
# Phone numbers ('040 624 1187', '+358 19 224 3100', 'Vaihde 019 224 3100'): a contact's or a switchboard's
# number is on every page of a county or a project, so it says nothing about two pages being one.
_PHONE = re.compile(r"(?:\+358[\s-]?\(?0?\)?|(?<![\d.,])0)\d{1,3}(?:[\s-]\d{2,4}){1,3}(?![\d,.]\d)")


@dataclass(frozen=True)
class _Features:
    """What translation keeps intact, computed once per document (not once per pair). ``numbers``
    only when a pair first asks for it: most documents meet no candidate that passes the language and
    county tests, and the numbers (a money scan of the whole text) were most of the linking time."""

    lang: str
    region: str | None
    regions: frozenset[str]
    persons: tuple[str, ...]
    paragraphs: int
    chars: int
    text: str

    @cached_property
    def numbers(self) -> frozenset[str]:
        return _numbers(self.text)


def _features(doc: Document) -> _Features:
    facts = doc.facts
    persons = (list(facts.persons) + [c.name for c in facts.contacts]) if facts else []
    return _Features(
        lang=doc.lang,
        region=doc.region,
        regions=frozenset(facts.regions) if facts else frozenset(),
        persons=tuple(p.lower() for p in persons),
        paragraphs=len(doc.paragraphs),
        chars=len(doc.text),
        text=doc.text,
    )


def _numbers(text: str) -> frozenset[str]:
    """The numbers translation keeps: sums as their euro value ('1 160 000 euroa' and '1,16 miljoner euro'
    are one '€1160000'), every other number as written; phone numbers left out."""
    from hakemisto.facts.money import find_amounts

    amounts = find_amounts(text)  # once: the scan of the whole text is the expensive part
    sums = {f"€{round(a.eur)}" for a in amounts}
    chars = list(text)
    for a in amounts:
        if a.start is not None and a.end is not None:
            chars[a.start:a.end] = " " * (a.end - a.start)
    rest = _PHONE.sub(" ", "".join(chars))
    return frozenset(_NUMBER.findall(rest)) | sums


def _score(a: _Features, b: _Features) -> float:
    if a.lang == b.lang or "und" in (a.lang, b.lang):
        return 0.0
    if a.region != b.region:
        return 0.0  # two counties, or a county page and a national one: never the same page
    if a.regions and b.regions and not (a.regions & b.regions):
        return 0.0
    # (the length and number tests first: they turn away most pairs of a county before its people are
    # compared name by name; the length first, so a page that meets no candidate of about its length
    # never has its numbers worked out)
    size = min(a.chars, b.chars) / max(a.chars, b.chars, 1)
    if size < MIN_SIZE_RATIO:
        return 0.0  # a translation keeps about the length: this is another page
    shared_numbers = a.numbers & b.numbers
    union = a.numbers | b.numbers
    if len(union) >= 3 and len(shared_numbers) / len(union) < MIN_NUMBER_JACCARD:
        return 0.0  # a translation keeps (nearly) all numbers: this is another page
    shared_people = sum(1 for x in a.persons
                        if x in b.persons or any(fuzz.ratio(x, y, score_cutoff=90) >= 90 for y in b.persons))
    if (a.persons or b.persons) and not shared_people:
        return 0.0
    specific = [n for n in shared_numbers if len(n) >= 3 or not n.isdigit()]
    if not shared_people and len(specific) < 2:
        return 0.0  # nothing a translation keeps is shared: not enough to call it the same page
    number_overlap = len(shared_numbers) / max(1, min(len(a.numbers), len(b.numbers)))
    structure = min(a.paragraphs, b.paragraphs) / max(a.paragraphs, b.paragraphs, 1)
    return 1.5 * shared_people + 2.0 * number_overlap + structure + size


def _by_url(docs: Sequence[Document]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, d in enumerate(docs):
        for url in (d.url, d.canonical_url, d.id):
            if url:
                index[url.rstrip("/")] = i
    return index


def link_twins(docs: Sequence[Document]) -> list[Document]:
    """The same documents with ``twin`` set (to the other document's id) on both sides of each pair."""
    out = list(docs)
    paired: set[int] = set()
    urls = _by_url(docs)
    for i, d in enumerate(docs):
        for lang, url in d.alternates:
            j = urls.get(url.rstrip("/"))
            if j is None or j == i or lang == d.lang or j in paired or i in paired:
                continue
            if d.region and docs[j].region and d.region != docs[j].region:
                continue  # a switcher pointing at another county's page is not a translation
            out[i] = replace(out[i], twin=docs[j].id)
            out[j] = replace(out[j], twin=docs[i].id)
            paired.update((i, j))
    # Only documents of the same county (or of an unknown one) can be twins: compare within blocks,
    # so a nightly run over thousands of documents stays far from all-pairs cost.
    feats = {i: _features(d) for i, d in enumerate(docs) if i not in paired and d.lang in ("fi", "sv")}
    fi_by_region: dict[str | None, list[int]] = {}
    for i, f in feats.items():
        if f.lang == "fi":
            fi_by_region.setdefault(f.region, []).append(i)
    candidates = []
    for i, a in feats.items():
        if a.lang != "sv":
            continue
        for j in fi_by_region.get(a.region, []):
            score = _score(a, feats[j])
            if score >= MIN_SCORE:
                candidates.append((score, i, j))
    best: dict[int, list[float]] = {}
    for score, i, j in candidates:
        best.setdefault(i, []).append(score)
        best.setdefault(j, []).append(score)
    unsure = {k for k, scores in best.items()
              if len(scores) > 1 and sorted(scores)[-1] - sorted(scores)[-2] < MARGIN}
    for _value, i, j in sorted(candidates, reverse=True):
        if i in paired or j in paired or i in unsure or j in unsure:
            continue
        out[i] = replace(out[i], twin=docs[j].id)
        out[j] = replace(out[j], twin=docs[i].id)
        paired.update((i, j))
    return out
