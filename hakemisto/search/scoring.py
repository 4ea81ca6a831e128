"""Whoosh's BM25F, evaluated with numpy over cached posting arrays.

Whoosh scores a query document by document in pure Python: a broad planner query ('hyvinvointialue
hanke') is an Or of some 40 term matchers over most of a 10,000-document index, which costs
100–300 ms per search. The same arithmetic over whole posting lists at once — the term's posting
weights, Whoosh's idf and average field length, the per-document field lengths Whoosh stores — takes
a few milliseconds, and the posting arrays are cached per index generation.

The evaluator accepts exactly the query shapes ``analysis.build_query`` produces (``Term``, ``Or``,
``And``, ``DisjunctionMax`` without tiebreak, ``Every``, ``NullQuery`` with default options) and returns ``None`` for anything else, so the
caller falls back to Whoosh. ``tests/test_scoring.py`` checks that rankings and scores agree with
``searcher.search`` on real indexes.
"""

from __future__ import annotations

from itertools import chain
from pickle import dumps as _dumps
from pickle import loads as _loads
from typing import Any

import numpy as np
from whoosh.fields import NUMERIC
from whoosh.formats import Positions
from whoosh.query import And, DisjunctionMax, Every, NullQuery, NumericRange, Or, Query, Sequence, Term
from whoosh.util.numeric import byte_to_length

from hakemisto.core.caches import LRU
from hakemisto.search import whoosh_compat

# byte → field length, as Whoosh decodes the one-byte lengths it stores per document and field
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)

_PROTO2 = b"\x80\x02"  # pickle protocol 2, as Whoosh writes position lists
Scored = tuple[np.ndarray, np.ndarray]  # (scores, matched) over all document numbers


class Scorer:
    """Posting arrays, field lengths and query evaluation for one open searcher (one generation).

    ``budget`` caps the number of cached postings (ids and weights: 16 bytes each), least recently
    used terms going first; by default it grows with the index (``POSTINGS_PER_DOC`` per document,
    at least ``MIN_POSTINGS``): a fixed million held only ~20 broad terms' lists at 50,000 pages,
    and every broad query re-read them from disk.
    """

    MIN_POSTINGS = 1_000_000
    POSTINGS_PER_DOC = 100  # 50,000 pages: 5 M postings, 80 MB
    POSITIONS_PER_DOC = 20  # phrase words' positions kept: 50,000 pages, 1 M keys, 8 MB

    def __init__(self, searcher: Any, budget: int | None = None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.weighting = searcher.weighting
        self.size = self.reader.doc_count_all()
        self.budget = budget if budget is not None else max(self.MIN_POSTINGS, self.POSTINGS_PER_DOC * self.size)
        self._postings: LRU[tuple[str, str], tuple[np.ndarray, np.ndarray]] = LRU(
            self.budget, sizeof=lambda found: max(1, len(found[0])))
        self._lengths: dict[str, np.ndarray] = {}
        self._numbers: dict[str, tuple[np.ndarray, np.ndarray] | None] = {}
        self._positions: LRU[tuple[str, str], np.ndarray] = LRU(
            self.POSITIONS_PER_DOC * self.size, sizeof=lambda keys: max(1, len(keys)))
        self._alive: np.ndarray | None = None

    # --- index data --------------------------------------------------------------------------------

    def supported(self) -> bool:
        """Only plain BM25F (Whoosh's default) is reproduced here."""
        return whoosh_compat.plain_bm25f(self.weighting)

    def alive(self) -> np.ndarray:
        """Mask of documents that are not deleted."""
        if self._alive is None:
            mask = np.zeros(self.size, dtype=bool)
            mask[np.fromiter(self.reader.all_doc_ids(), dtype=np.int64)] = True
            self._alive = mask
        return self._alive

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in ``fieldname``, as Whoosh decodes it for scoring."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.zeros(self.size, dtype=np.float64)
            for leaf, offset in self.reader.leaf_readers():
                count = leaf.doc_count_all()
                column = whoosh_compat.length_bytes(leaf, fieldname, count)
                found[offset : offset + count] = _LENGTHS[column]
            self._lengths[fieldname] = found
        return found

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and posting weights of one term (deleted documents left out)."""
        return self._postings.get((fieldname, text), lambda: self._read(fieldname, text))

    def _read(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        btext = self.searcher.schema[fieldname].to_bytes(text)
        for leaf, offset in self.reader.leaf_readers():
            if (fieldname, btext) not in leaf:
                continue
            leaf_ids, leaf_weights = whoosh_compat.read_postings(lambda leaf=leaf: leaf.postings(fieldname, btext))
            ids.append(leaf_ids + offset)
            weights.append(leaf_weights)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        return np.concatenate(ids), np.concatenate(weights)

    # --- evaluation --------------------------------------------------------------------------------

    def evaluate(self, query: Query) -> Scored | None:
        """(scores, matched) of every document, exactly as Whoosh would score them, or None."""
        if not self.supported():
            return None
        return self._eval(query)

    def matching(self, query: Query) -> np.ndarray | None:
        """Mask of documents matching a filter query, or None for shapes not handled here.

        Beyond the scored shapes: phrases (``Sequence`` of terms or of Ors of terms, as
        ``analysis.phrase_query`` builds them) and numeric ranges (``--min-amount``). Whoosh answered
        those document by document — span matchers decoding every candidate's positions through
        nested Python objects, a numeric range walking its trie terms — 60–100 ms per query at
        10,000 pages.
        """
        if type(query) is Sequence:
            return self._sequence(query)
        if type(query) is NumericRange:
            return self._numeric(query)
        if type(query) in (Or, And) and query.subqueries and not (type(query) is Or and query.minmatch):
            parts = [self.matching(sub) for sub in query.subqueries]
            if any(part is None for part in parts):
                return None
            matched = parts[0].copy()
            combine = np.logical_or if type(query) is Or else np.logical_and
            for part in parts[1:]:
                combine(matched, part, out=matched)
            return matched
        scored = self._eval(query)
        return None if scored is None else scored[1]

    def _eval(self, query: Query) -> Scored | None:
        if query is NullQuery:
            return np.zeros(self.size), np.zeros(self.size, dtype=bool)
        if type(query) is Term:
            return self._term(query)
        if type(query) is Every and query.fieldname in (None, "", "*"):
            matched = self.alive().copy()
            return matched * float(query.boost), matched
        if type(query) is DisjunctionMax and query.subqueries and query.boost == 1.0 and not query.tiebreak:
            parts = [self._eval(sub) for sub in query.subqueries]
            if any(part is None for part in parts):
                return None
            scores, matched = parts[0][0].copy(), parts[0][1].copy()
            for part_scores, part_matched in parts[1:]:
                np.maximum(scores, part_scores, out=scores)
                np.logical_or(matched, part_matched, out=matched)
            return scores, matched
        if type(query) in (Or, And) and query.subqueries and query.boost == 1.0:
            if type(query) is Or and (query.minmatch or query.scale):
                return None
            if type(query) is Or and all(type(sub) is Term for sub in query.subqueries):
                return self._terms_or(query.subqueries)
            parts = [self._eval(sub) for sub in query.subqueries]
            if any(part is None for part in parts):
                return None
            scores, matched = parts[0][0].copy(), parts[0][1].copy()
            combine = np.logical_or if type(query) is Or else np.logical_and
            for part_scores, part_matched in parts[1:]:
                scores += part_scores
                combine(matched, part_matched, out=matched)
            if type(query) is And:
                scores[~matched] = 0.0  # a partial match of an And adds nothing to its parent
            return scores, matched
        return None

    def _term(self, query: Term) -> Scored | None:
        ids, values = self._term_sparse(query)
        scores = np.zeros(self.size, dtype=np.float64)
        matched = np.zeros(self.size, dtype=bool)
        matched[ids] = True
        scores[ids] = values
        return scores, matched

    def _term_sparse(self, query: Term) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F scores) of one term's postings (boost applied)."""
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        fieldname = query.fieldname
        if fieldname not in self.searcher.schema:
            return empty
        field = self.searcher.schema[fieldname]
        try:
            btext = field.to_bytes(query.text)
        except ValueError:
            return empty
        if (fieldname, btext) not in self.reader:
            return empty
        ids, weights = self.postings(fieldname, query.text)
        if field.scorable:
            weighting = self.weighting
            idf = self.searcher.idf(fieldname, btext)
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            fl = self.lengths(fieldname)[ids]
            k1, b = weighting.K1, weighting.B
            values = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))
        else:
            values = weights
        return ids, values * query.boost if query.boost != 1.0 else values

    def _terms_or(self, terms: list[Term]) -> Scored:
        """An Or of terms without a dense array per term: the postings' scores are summed per
        document in the terms' order (``np.bincount``), the same additions in the same order as
        adding dense arrays, so the same floats. A broad planner word expands to a hundred terms
        (compounds in title and body), and 50,000-element arrays per term were most of its cost."""
        parts = [self._term_sparse(t) for t in terms]
        ids = np.concatenate([i for i, _ in parts])
        scores = np.bincount(ids, weights=np.concatenate([v for _, v in parts]), minlength=self.size).astype(
            np.float64, copy=False)  # an empty bincount is integer-typed
        matched = np.zeros(self.size, dtype=bool)
        matched[ids] = True
        return scores, matched

    def _sequence(self, query: Sequence) -> np.ndarray | None:
        """Documents where the phrase's words stand in order, each 1 … ``slop`` positions after the
        one before (Whoosh's ``SpanNear`` chain, ordered, ``mindist`` 1); a word may be any of its
        Or's terms. Candidates are the intersection of the words' cached posting masks; positions
        are decoded for candidates only, then chained with sorted (document, position) keys."""
        if not query.ordered or not query.subqueries:
            return None
        words: list[list[Term]] = []
        for sub in query.subqueries:
            terms = [sub] if type(sub) is Term else list(sub.subqueries) if type(sub) is Or else None
            if not terms or any(type(t) is not Term for t in terms) or (type(sub) is Or and sub.minmatch):
                return None
            words.append(terms)
        fieldnames = {t.fieldname for terms in words for t in terms}
        if len(fieldnames) != 1:
            return None
        fieldname = fieldnames.pop()
        if fieldname not in self.searcher.schema or not self.searcher.schema[fieldname].format.supports("positions"):
            return None
        candidates = self.alive().copy()
        for terms in words:
            found = np.zeros(self.size, dtype=bool)
            for term in terms:
                found |= self._term(term)[1]
            candidates &= found
        if not candidates.any() or len(words) == 1:
            return candidates
        slop = max(int(query.slop), 1)
        ends: np.ndarray | None = None
        for terms in words:
            keys = np.unique(np.concatenate([self._position_keys(fieldname, t.text, candidates) for t in terms]))
            if ends is None:
                ends = keys
                continue
            ends = np.unique(np.concatenate([keys[np.isin(keys, ends + gap, assume_unique=True)]
                                             for gap in range(1, slop + 1)]))
            if not len(ends):
                break
        matched = np.zeros(self.size, dtype=bool)
        matched[(ends >> 32).astype(np.int64)] = True
        return matched

    def _position_keys(self, fieldname: str, text: str, candidates: np.ndarray) -> np.ndarray:
        """document << 32 | position for every position of a term in the candidate documents.

        Reading a term's posting blocks again for their positions is most of a phrase's cost at
        50,000 pages, so when the candidates are a good share of the term's documents all its
        positions are decoded and kept (least recently used first out, ``POSITIONS_PER_DOC`` keys
        per document); a term with few candidates is decoded for those only.
        """
        found = self._positions.peek((fieldname, text))
        if found is None:
            ids, _ = self.postings(fieldname, text)
            if np.count_nonzero(candidates[ids]) * 4 < len(ids):
                return self._decode_positions(fieldname, text, candidates)
            found = self._decode_positions(fieldname, text, self.alive())
            self._positions.put((fieldname, text), found)
        return found[candidates[found >> 32]]

    def _decode_positions(self, fieldname: str, text: str, candidates: np.ndarray) -> np.ndarray:
        """``_position_keys`` read from the index: the term's posting blocks, candidates decoded.

        Whoosh's ``Positions`` values are a 4-byte count and a pickled list of position deltas: the
        deltas of all candidates are unpickled into one flat list and summed per document with numpy.
        """
        field = self.searcher.schema[fieldname]
        btext = field.to_bytes(text)
        fast = getattr(field.format.decode_positions, "__func__", None) is Positions.decode_positions
        decode = field.format.decode_positions
        docs: list[int] = []
        bodies: list[bytes] = []  # one pickled delta list per candidate, without protocol and stop
        size = whoosh_compat.INT_SIZE
        for leaf, offset in self.reader.leaf_readers():
            if (fieldname, btext) not in leaf:
                continue
            leaf_docs, values = whoosh_compat.read_positions(
                lambda leaf=leaf: leaf.postings(fieldname, btext), offset, candidates)
            for value in values:
                if fast and value.endswith(b".") and value[size : size + 2] == _PROTO2:
                    bodies.append(value[size + 2 : -1])
                else:
                    bodies.append(_dumps(np.diff(decode(value), prepend=0).tolist(), 2)[2:-1])
            docs.extend(leaf_docs)
        if not docs:
            return np.zeros(0, dtype=np.int64)
        # One unpickling for all candidates: the bodies become the items of one outer list.
        delta_lists = _loads(_PROTO2 + b"](" + b"".join(bodies) + b"e.")
        counts = np.fromiter(map(len, delta_lists), dtype=np.int64, count=len(delta_lists))
        sums = np.cumsum(np.fromiter(chain.from_iterable(delta_lists), dtype=np.int64, count=int(counts.sum())))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        before = np.where(starts > 0, sums[starts - 1], 0)
        positions = sums - np.repeat(before, counts)
        return (np.repeat(np.array(docs, dtype=np.int64), counts) << 32) | positions

    def _numeric(self, query: NumericRange) -> np.ndarray | None:
        """Documents with a value of a numeric field in the range (any of its values, as Whoosh)."""
        found = self._number_postings(query.fieldname)
        if found is None:
            return None
        values, docs = found
        side = ("right" if query.startexcl else "left", "left" if query.endexcl else "right")
        lo = 0 if query.start is None else int(np.searchsorted(values, query.start, side[0]))
        hi = len(values) if query.end is None else int(np.searchsorted(values, query.end, side[1]))
        matched = np.zeros(self.size, dtype=bool)
        matched[docs[lo:hi]] = True
        return matched & self.alive()

    def _number_postings(self, fieldname: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(value, document) of every full-precision posting of a numeric field, sorted by value;
        None for fields whose values are not plain numbers (dates go through Whoosh)."""
        if fieldname not in self._numbers:
            field = self.searcher.schema[fieldname] if fieldname in self.searcher.schema else None
            if field is None or type(field) is not NUMERIC:  # DATETIME, a NUMERIC subclass, is not plain
                self._numbers[fieldname] = None
                return None
            values: list[Any] = []
            docs: list[np.ndarray] = []
            for btext in field.sortable_terms(self.reader, fieldname):
                ids = np.fromiter(self.reader.postings(fieldname, btext).all_ids(), dtype=np.int64)
                values.extend([field.from_bytes(btext)] * len(ids))
                docs.append(ids)
            value_array = np.array(values)
            if len(values) and value_array.dtype.kind not in "iuf":
                self._numbers[fieldname] = None
                return None
            doc_array = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
            order = np.argsort(value_array, kind="stable")
            self._numbers[fieldname] = (value_array[order], doc_array[order])
        return self._numbers[fieldname]


def top(scores: np.ndarray, candidates: np.ndarray, n: int) -> list[tuple[float, int]]:
    """The ``n`` best (score, docnum) pairs among ``candidates``, ties by document number (as Whoosh)."""
    docnums = np.flatnonzero(candidates)
    if not len(docnums) or n <= 0:
        return []
    values = scores[docnums]
    if len(docnums) > n * 4:
        cut = np.partition(values, len(values) - n)[len(values) - n]
        keep = values >= cut
        docnums, values = docnums[keep], values[keep]
    order = np.lexsort((docnums, -values))[:n]
    return [(float(values[i]), int(docnums[i])) for i in order]
