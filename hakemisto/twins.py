"""Finnish / Swedish twins: the same page in the other language.

hreflang alternates decide when the page declares them. Otherwise two documents of the same county
in different languages are twins when what translation keeps intact matches: person names, numbers
(amounts, years, counts) and the paragraph structure. Pairs are chosen greedily by score, each
document in at most one pair.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from .model import Document

MIN_SCORE = 2.0
_NUMBER = re.compile(r"\d+(?:[,.]\d+)?")


def _numbers(doc: Document) -> set[str]:
    return set(_NUMBER.findall(doc.text))


def _persons(doc: Document) -> list[str]:
    facts = doc.facts
    if facts is None:
        return []
    return list(facts.persons) + [c.name for c in facts.contacts]


def pair_score(a: Document, b: Document) -> float:
    """How likely ``a`` and ``b`` are translations of each other (0 = not at all)."""
    if a.lang == b.lang or "und" in (a.lang, b.lang):
        return 0.0
    if a.region and b.region and a.region != b.region:
        return 0.0
    pa, pb = _persons(a), _persons(b)
    shared_people = sum(1 for x in pa if any(fuzz.ratio(x.lower(), y.lower()) >= 90 for y in pb))
    na, nb = _numbers(a), _numbers(b)
    shared_numbers = len(na & nb)
    number_overlap = shared_numbers / max(1, min(len(na), len(nb)))
    la, lb = len(a.paragraphs), len(b.paragraphs)
    structure = min(la, lb) / max(la, lb, 1)
    ca, cb = len(a.text), len(b.text)
    size = min(ca, cb) / max(ca, cb, 1)
    if (pa or pb) and not shared_people:
        return 0.0
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
            out[i] = replace(out[i], twin=docs[j].id)
            out[j] = replace(out[j], twin=docs[i].id)
            paired.update((i, j))
    candidates = []
    for i, a in enumerate(docs):
        if i in paired or a.lang != "sv":
            continue
        for j, b in enumerate(docs):
            if j in paired or b.lang != "fi":
                continue
            score = pair_score(a, b)
            if score >= MIN_SCORE:
                candidates.append((score, i, j))
    for _score, i, j in sorted(candidates, reverse=True):
        if i in paired or j in paired:
            continue
        out[i] = replace(out[i], twin=docs[j].id)
        out[j] = replace(out[j], twin=docs[i].id)
        paired.update((i, j))
    return out
