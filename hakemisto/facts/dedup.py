"""Near-duplicate grouping: the same press release republished on several counties' sites.

Word 5-shingles give a Jaccard similarity that ignores the parts each site changes (boilerplate is
already gone; dates and a sentence or two may differ). Candidates come from a bottom-k sketch of each
document's shingle hashes (leaving out shingles on very many pages: boilerplate), so the cost grows
with the number of documents, not its square; each candidate pair is then checked exactly, and
rapidfuzz confirms pairs near the threshold.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from rapidfuzz import fuzz

from hakemisto.core.model import Document
from hakemisto.core.unionfind import UnionFind

SHINGLE = 5
SKETCH = 12
MIN_WORDS = 40  # shorter pages share too much template text to call them duplicates
JACCARD = 0.75
BOILERPLATE_PAGES = 64  # a shingle on more pages than this is template text, not a republished release
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
    shared = len(sa & sb)
    jaccard = shared / (len(sa) + len(sb) - shared)  # = |A ∩ B| / |A ∪ B| without building the union
    if jaccard >= JACCARD:
        return True
    if jaccard >= JACCARD - 0.2:
        return fuzz.token_sort_ratio(_body(a), _body(b)) >= CONFIRM_RATIO
    return False


def _rep_key(doc: Document) -> tuple[datetime, str]:
    """The original is the earliest published copy; the id breaks ties so the choice is stable."""
    return (doc.published or datetime.max, doc.id)


def _settled(docs: list[Document], changed: set[str]) -> tuple[dict[int, int], set[int]]:
    """From the stored ``duplicates``: which group each untouched document settled in, and which
    unchanged documents sat in a group that a changed or removed document belonged to (those pairs
    must be compared again: they may have been joined only through that document)."""
    position = {d.id: i for i, d in enumerate(docs)}
    group_of: dict[int, int] = {}
    unsettled: set[int] = set()
    for i, d in enumerate(docs):
        if d.id in changed:
            continue
        members = [d.id, *d.duplicates]
        if any(m in changed or m not in position for m in members):
            unsettled.add(i)
        elif d.duplicates:
            group_of[i] = min(position[m] for m in members)
    return group_of, unsettled


def group_duplicates(docs: Sequence[Document], changed: set[str] | None = None) -> list[Document]:
    """Fill ``duplicates`` with the other members' ids (representative first) for every group of
    near-identical documents; documents in no group get ``duplicates=()``. fi/sv twins are not
    duplicates: only documents in the same language hint (or without one) are compared.

    With ``changed`` (the ids processed in this run; the rest carry the ``duplicates`` of the previous
    run), pairs of two unchanged documents keep their earlier verdict, so a nightly run compares only
    what changed instead of the whole collection again."""
    docs = list(docs)
    settled: dict[int, int] = {}
    unsettled: set[int] = set()
    if changed is not None:
        settled, unsettled = _settled(docs, changed)
    shingles = [_shingles(_body(d)) for d in docs]
    pages_with: Counter[int] = Counter()
    for sh in shingles:
        pages_with.update(sh)
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, sh in enumerate(shingles):
        # Sketch from the shingles few pages share: one on very many pages is boilerplate (a footer,
        # a cookie notice) whose bucket would make every pair of those pages a candidate.
        for h in heapq.nsmallest(SKETCH, (h for h in sh if pages_with[h] <= BOILERPLATE_PAGES)):
            buckets[h].append(i)
    uf: UnionFind[int] = UnionFind(range(len(docs)))
    find = uf.find
    for i, root in settled.items():
        uf.union(root, i)
    incremental = changed is not None

    def known(i: int, j: int) -> bool:
        """Both unchanged and neither in a disturbed group: the previous run's verdict stands."""
        return incremental and i not in unsettled and j not in unsettled and docs[i].id not in changed and (
            docs[j].id not in changed
        )

    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                pair = (min(i, j), max(i, j))
                if pair in checked or find(i) == find(j) or known(i, j):
                    continue
                checked.add(pair)
                a, b = docs[i], docs[j]
                if a.lang_hint and b.lang_hint and a.lang_hint != b.lang_hint:
                    continue
                if _similar(shingles[i], shingles[j], a, b):
                    uf.union(i, j)
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
