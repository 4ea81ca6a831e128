"""Near-duplicate grouping: the same press release republished on several counties' sites.

Word 5-shingles give a Jaccard similarity that ignores the parts each site changes (boilerplate is
already gone; dates and a sentence or two may differ). Candidates come from a bottom-k sketch of each
document's shingle hashes (leaving out shingles on very many pages: boilerplate), so the cost grows
with the number of documents, not its square; each candidate pair is then checked exactly, and
rapidfuzz confirms pairs near the threshold.

Shingling (a blake2b hash per word 5-gram of every page) was ~40 % of the link step of a nightly run
that changed 1 % of the pages: boilerplate counts and sketches need every page, changed or not. ``ShingleCache`` keeps each body's sorted
shingle hashes by the body's hash, within a run (``similar`` and ``group_duplicates`` hash a body once)
and, serialised with ``to_bytes``/``from_bytes``, between runs (the jobs store it beside the index).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np
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


# Everything a stored shingle array depends on: a cache written under another scheme is not read.
SCHEME = f"words={_WORD.pattern}|casefold|n={SHINGLE}|min={MIN_WORDS}|blake2b-8-big|sorted-u64"
_EMPTY = np.zeros(0, dtype=np.uint64)


def _shingles(text: str) -> np.ndarray:
    """The distinct shingle hashes of ``text``, sorted (uint64); empty for a page too short to judge."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return _EMPTY
    grams = (" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    hashes = {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}
    return np.array(sorted(hashes), dtype=np.uint64)


def body_key(body: str) -> bytes:
    """The cache key of a body text (its content hash)."""
    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ShingleCache:
    """Sorted shingle hashes per body hash. ``get`` computes what is missing; ``to_bytes`` keeps only
    the bodies asked for since the cache was made, so pages no longer present drop out at the next write.
    """

    def __init__(self, stored: dict[bytes, np.ndarray] | None = None) -> None:
        self._stored = dict(stored or {})
        self._loaded = len(self._stored)
        self._used: dict[bytes, np.ndarray] = {}
        self.computed = 0  # bodies hashed in this run (the rest came from the cache)

    def __len__(self) -> int:
        return len(self._stored)

    @property
    def stale(self) -> bool:
        """True when ``to_bytes`` would differ from what was loaded (bodies hashed, or bodies unused)."""
        return self.computed > 0 or len(self._used) < self._loaded

    def get(self, body: str) -> np.ndarray:
        key = body_key(body)
        found = self._used.get(key)
        if found is None:
            found = self._stored.get(key)
            if found is None:
                found = _shingles(body)
                self.computed += 1
                self._stored[key] = found
            self._used[key] = found
        return found

    def to_bytes(self) -> bytes:
        """The used entries as one numpy ``.npz``: keys (n×16 bytes), offsets (n+1), hashes, scheme."""
        keys = sorted(self._used)
        arrays = [self._used[k] for k in keys]
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum([len(a) for a in arrays], out=offsets[1:])
        buffer = io.BytesIO()
        np.savez(
            buffer,
            scheme=np.array(SCHEME),
            keys=np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 16),
            offsets=offsets,
            hashes=np.concatenate(arrays) if arrays else _EMPTY,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ShingleCache:
        """The cache written by ``to_bytes``; ValueError when the data is not one (or of another scheme)."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                scheme, keys, offsets, hashes = (npz[k] for k in ("scheme", "keys", "offsets", "hashes"))
        except Exception as exc:  # a damaged zip or array raises any of several types
            raise ValueError(f"not a shingle cache ({type(exc).__name__})") from exc
        if str(scheme) != SCHEME:
            raise ValueError("written with other shingle settings")
        n = len(keys)
        if (keys.dtype != np.uint8 or keys.shape != (n, 16) or offsets.shape != (n + 1,) or hashes.dtype != np.uint64
                or hashes.ndim != 1 or offsets[0] != 0 or offsets[-1] != len(hashes)
                or bool(np.any(np.diff(offsets) < 0))):
            raise ValueError("inconsistent arrays")
        raw = keys.tobytes()
        return cls({raw[16 * i : 16 * i + 16]: hashes[offsets[i] : offsets[i + 1]] for i in range(n)})


def _body(doc: Document) -> str:
    """Text without the title paragraph: sites retitle republished releases."""
    paragraphs = list(doc.paragraphs)
    if paragraphs and paragraphs[0] == doc.title:
        paragraphs = paragraphs[1:]
    return "\n".join(paragraphs)


def similar(a: Document, b: Document, cache: ShingleCache | None = None) -> bool:
    """True when two documents are the same text republished (Jaccard of shingles, rapidfuzz near the edge)."""
    cache = cache if cache is not None else ShingleCache()
    return _similar(set(cache.get(_body(a)).tolist()), set(cache.get(_body(b)).tolist()), a, b)


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


def _sketches(shingles: list[np.ndarray]) -> list[list[int]]:
    """Each page's ``SKETCH`` smallest shingle hashes among those few pages share: one on very many pages
    is boilerplate (a footer, a cookie notice) whose bucket would make every pair of those pages a
    candidate. Counted over all pages at once (each page's hashes are distinct and sorted)."""
    if not shingles:
        return []
    every = np.concatenate(shingles)
    if not len(every):
        return [[] for _ in shingles]
    _, inverse, counts = np.unique(every, return_inverse=True, return_counts=True)
    rare = counts[inverse] <= BOILERPLATE_PAGES
    out = []
    start = 0
    for sh in shingles:
        end = start + len(sh)
        out.append(sh[rare[start:end]][:SKETCH].tolist())
        start = end
    return out


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


def group_duplicates(
    docs: Sequence[Document], changed: set[str] | None = None, cache: ShingleCache | None = None
) -> list[Document]:
    """Fill ``duplicates`` with the other members' ids (representative first) for every group of
    near-identical documents; documents in no group get ``duplicates=()``. fi/sv twins are not
    duplicates: only documents in the same language hint (or without one) are compared.

    With ``changed`` (the ids processed in this run; the rest carry the ``duplicates`` of the previous
    run), pairs of two unchanged documents keep their earlier verdict, so a nightly run compares only
    what changed instead of the whole collection again. ``cache`` (kept between runs by the caller)
    spares re-hashing the bodies it already holds; the groups are the same with or without it."""
    docs = list(docs)
    settled: dict[int, int] = {}
    unsettled: set[int] = set()
    if changed is not None:
        settled, unsettled = _settled(docs, changed)
    cache = cache if cache is not None else ShingleCache()
    shingles = [cache.get(_body(d)) for d in docs]
    sketches = _sketches(shingles)
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, sketch in enumerate(sketches):
        for h in sketch:
            buckets[h].append(i)
    uf: UnionFind[int] = UnionFind(range(len(docs)))
    find = uf.find
    for i, root in settled.items():
        uf.union(root, i)
    # Incremental: a pair of two unchanged documents, neither in a disturbed group, keeps the previous
    # run's verdict, so only pairs with an open member are compared (the groups do not depend on the
    # order of comparisons: a pair is skipped only when already joined).
    is_open = [changed is None or i in unsettled or d.id in changed for i, d in enumerate(docs)]

    checked: set[tuple[int, int]] = set()
    sets: dict[int, set[int]] = {}  # Python sets intersect pairs faster than numpy; made for candidates only

    def as_set(i: int) -> set[int]:
        found = sets.get(i)
        if found is None:
            found = sets[i] = set(shingles[i].tolist())
        return found

    for members in buckets.values():
        if len(members) < 2:
            continue
        for i in members:
            if not is_open[i]:
                continue
            for j in members:
                if j == i or (is_open[j] and j < i):  # two open members: the pair once, from the smaller
                    continue
                pair = (min(i, j), max(i, j))
                if pair in checked or find(i) == find(j):
                    continue
                checked.add(pair)
                a, b = docs[i], docs[j]
                if a.lang_hint and b.lang_hint and a.lang_hint != b.lang_hint:
                    continue
                if _similar(as_set(i), as_set(j), a, b):
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
