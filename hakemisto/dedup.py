"""Near-duplicate grouping: the same press release republished on several counties' sites.

Word 5-shingles give a Jaccard similarity that ignores the parts each site changes (boilerplate is
already gone; dates and a sentence or two may differ). Candidates come from a bottom-k sketch of each
document's shingle hashes, so the cost grows with the number of documents, not its square; each
candidate pair is then checked exactly, and rapidfuzz confirms pairs near the threshold.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from rapidfuzz import fuzz

from .model import Document

SHINGLE = 5
SKETCH = 12
MIN_WORDS = 40  # shorter pages share too much template text to call them duplicates
JACCARD = 0.75
CONFIRM_RATIO = 90.0  # rapidfuzz token_sort_ratio for pairs just under the Jaccard threshold
_WORD = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str) -> set[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return set()
    grams = (" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}


def _body(doc: Document) -> str:
    """Text without the title paragraph: sites retitle republished releases."""
    paragraphs = list(doc.paragraphs)
    if paragraphs and paragraphs[0] == doc.title:
        paragraphs = paragraphs[1:]
    return "\n".join(paragraphs)


def similar(a: Document, b: Document) -> bool:
    """True when two documents are the same text republished (Jaccard of shingles, rapidfuzz near the edge)."""
    sa, sb = _shingles(_body(a)), _shingles(_body(b))
    return _similar(sa, sb, a, b)


def _similar(sa: set[int], sb: set[int], a: Document, b: Document) -> bool:
    if not sa or not sb:
        return False
    jaccard = len(sa & sb) / len(sa | sb)
    if jaccard >= JACCARD:
        return True
    if jaccard >= JACCARD - 0.2:
        return fuzz.token_sort_ratio(_body(a), _body(b)) >= CONFIRM_RATIO
    return False


def _rep_key(doc: Document) -> tuple[datetime, str]:
    """The original is the earliest published copy; the id breaks ties so the choice is stable."""
    return (doc.published or datetime.max, doc.id)


def group_duplicates(docs: Sequence[Document]) -> list[Document]:
    """Fill ``duplicates`` with the other members' ids (representative first) for every group of
    near-identical documents; documents in no group get ``duplicates=()``. fi/sv twins are not
    duplicates: only documents in the same language hint (or without one) are compared."""
    docs = list(docs)
    shingles = [_shingles(_body(d)) for d in docs]
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, sh in enumerate(shingles):
        for h in sorted(sh)[:SKETCH]:
            buckets[h].append(i)
    parent = list(range(len(docs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                pair = (min(i, j), max(i, j))
                if pair in checked or find(i) == find(j):
                    continue
                checked.add(pair)
                a, b = docs[i], docs[j]
                if a.lang_hint and b.lang_hint and a.lang_hint != b.lang_hint:
                    continue
                if _similar(shingles[i], shingles[j], a, b):
                    parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        groups[find(i)].append(i)
    out = list(docs)
    for members in groups.values():
        if len(members) == 1:
            i = members[0]
            if docs[i].duplicates:
                out[i] = replace(docs[i], duplicates=())
            continue
        ordered = sorted(members, key=lambda k: _rep_key(docs[k]))
        for i in members:
            others = tuple(docs[k].id for k in ordered if k != i)
            if docs[i].duplicates != others:
                out[i] = replace(docs[i], duplicates=others)
    return out


def representative(doc: Document, by_id: dict[str, Document]) -> str:
    """The id search should show for ``doc``'s group (earliest published, then smallest id)."""
    members = [doc] + [by_id[i] for i in doc.duplicates if i in by_id]
    return min(members, key=_rep_key).id
