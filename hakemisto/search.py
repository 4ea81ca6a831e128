"""Queries → ranked results with facets, snippets and the extracted facts of each hit. Never prints.

Snippets mark matched terms with ``MARK_START`` / ``MARK_END`` control characters; each front end
turns them into colour, plain brackets or escaped ``<mark>`` tags.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import process as fuzz_process
from whoosh import highlight
from whoosh.query import And, Every, NumericRange, Query, Term
from whoosh.searching import Results

from . import analysis, scoring, suggest
from . import index as idx
from .config import Settings
from .errors import UsageError

MARK_START, MARK_END = "\x02", "\x03"
FACETS = ("region", "funders", "programmes", "years", "lang")
MAX_LIMIT = 200


class _MarkFormatter(highlight.Formatter):
    """Wraps matched terms in control characters; front ends decide how they look."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MARK_START}{highlight.get_text(text, token, replace)}{MARK_END}"


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    lang: str | None = None
    funder: str | None = None
    programme: str | None = None
    year: int | None = None
    min_amount: float | None = None


@dataclass
class Hit:
    id: str
    title: str
    score: float
    region: str | None
    lang: str
    url: str | None
    path: str | None
    snippet: str
    published: str | None
    twin: str | None
    funders: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    amounts: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    also_at: list[str] = field(default_factory=list)
    matched: dict[str, list[str]] = field(default_factory=dict)  # entities the query/filters named


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    limit: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    filters: dict[str, Any]
    suggestion: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for hit in data["hits"]:
            hit["snippet"] = plain_snippet(hit["snippet"])
        return data


def plain_snippet(snippet: str, start: str = "[", end: str = "]") -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)


def _closest(value: str, choices: list[str]) -> str | None:
    match = fuzz_process.extractOne(value, choices, score_cutoff=60)
    return match[0] if match else None


def _lexicon(searcher, fieldname: str) -> list[str]:
    return [t.decode("utf-8") for t in searcher.lexicon(fieldname)]


def _resolve(searcher, fieldname: str, value: str, label: str) -> str:
    """An exact (case-insensitive) value of a keyword field, or a usage error with a suggestion."""
    values = _lexicon(searcher, fieldname)
    for candidate in values:
        if candidate.casefold() == value.casefold():
            return candidate
    if fieldname == "region":
        try:
            from .regions import normalize_region
        except ImportError:
            normalize_region = None
        canonical = normalize_region(value) if normalize_region else None
        if canonical:
            return canonical  # a valid county that simply has no documents yet
    hint = _closest(value, values)
    more = f"; did you mean '{hint}'?" if hint else f"; known values: {', '.join(values[:12]) or 'none yet'}"
    raise UsageError(f"unknown {label} '{value}'{more}")


def _filter_parts(searcher, filters: Filters) -> list[Query]:
    """One query per filter the planner set; a document must match all of them."""
    parts: list[Query] = []
    if filters.region:
        parts.append(Term("region", _resolve(searcher, "region", filters.region, "region")))
    if filters.lang:
        if filters.lang not in ("fi", "sv"):
            raise UsageError(f"unknown language '{filters.lang}'; use fi or sv")
        parts.append(Term("lang", filters.lang))
    if filters.funder:
        parts.append(Term("funders", _resolve(searcher, "funders", filters.funder, "funder")))
    if filters.programme:
        parts.append(Term("programmes", _resolve(searcher, "programmes", filters.programme, "programme")))
    if filters.year:
        parts.append(Term("years", str(filters.year)))
    if filters.min_amount is not None:
        parts.append(NumericRange("amount", int(filters.min_amount), None))
    return parts


def _filter_query(searcher, filters: Filters) -> Query | None:
    """All filters as one Whoosh query (None without filters), for callers that search with Whoosh."""
    parts = _filter_parts(searcher, filters)
    return None if not parts else parts[0] if len(parts) == 1 else And(parts)


def _snippet(hit, stored: dict[str, Any], doc: dict[str, Any]) -> str:
    order = ("text_sv", "text_fi") if stored.get("lang") == "sv" else ("text_fi", "text_sv")
    paragraphs = doc.get("paragraphs") or []
    langs = doc.get("para_langs") or []
    for fieldname in order:
        want = fieldname[-2:]
        text = "\n".join(
            p for i, p in enumerate(paragraphs) if (langs[i] if i < len(langs) else doc.get("lang")) == want
        ) or ("\n".join(paragraphs) if want == (stored.get("lang") or "fi") else "")
        if not text:
            continue
        snippet = hit.highlights(fieldname, text=text, top=2)
        if snippet:
            return " ".join(snippet.split())
    first = next((p for p in paragraphs if len(p.split()) > 6), paragraphs[0] if paragraphs else "")
    return first[:240] + ("…" if len(first) > 240 else "")


def _hit(hit, stored: dict[str, Any]) -> Hit:
    import json

    doc = json.loads(stored["doc"])
    facts = doc.get("facts") or {}
    return Hit(
        id=stored["id"],
        title=stored.get("title") or stored["id"],
        score=round(float(hit.score or 0.0), 4),
        region=stored.get("region"),
        lang=stored.get("lang", "und"),
        url=stored.get("url"),
        path=stored.get("path"),
        snippet=_snippet(hit, stored, doc),
        published=doc.get("published"),
        twin=stored.get("twin"),
        funders=list(facts.get("funders") or []),
        programmes=list(facts.get("programmes") or []),
        amounts=[
            {k: a.get(k) for k in ("text", "eur", "qualifier", "year", "funder", "project")}
            for a in facts.get("amounts") or []
        ],
        contacts=[
            {k: c.get(k) for k in ("name", "title", "phone", "email", "organization")}
            for c in facts.get("contacts") or []
        ],
        also_at=list(doc.get("duplicates") or []),
    )


class _Snapshot:
    """Per index generation: the numpy scorer and a table of facet values per document.

    Whoosh's ``groupedby`` scores and categorises every match on every query (≈ 0.4 s for 5,000
    matches in 10,000 documents), and its document-at-a-time scoring of a broad query costs
    100–300 ms. Here the query is scored for all documents at once (``scoring.Scorer``, which agrees
    with Whoosh's BM25F), totals and facets are counted over the match mask, and only the page of
    hits goes back through Whoosh for stored fields and highlighting.
    """

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.scorer = scoring.Scorer(searcher)
        self._facets: dict[str, list[tuple[str, np.ndarray]]] | None = None

    def mask(self, query: Query) -> np.ndarray:
        """Documents matching a filter query."""
        found = self.scorer.matching(query)
        if found is not None:
            return found
        found = np.zeros(self.scorer.size, dtype=bool)
        found[np.fromiter(query.docs(self.searcher), dtype=np.int64)] = True
        return found

    def facet_values(self) -> dict[str, list[tuple[str, np.ndarray]]]:
        if self._facets is None:
            reader = self.searcher.reader()
            self._facets = {
                name: [
                    (term.decode("utf-8"), self.scorer.postings(name, term.decode("utf-8"))[0])
                    for term in reader.lexicon(name)
                ]
                for name in FACETS
            }
        return self._facets

    def facets(self, matched: np.ndarray) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for name, values in self.facet_values().items():
            counts = {value: int(np.count_nonzero(matched[ids])) for value, ids in values}
            out[name] = dict(sorted(((v, c) for v, c in counts.items() if c), key=lambda kv: (-kv[1], kv[0])))
        return out

    def ranked(
        self, query: Query, filter_mask: np.ndarray | None, n: int
    ) -> tuple[np.ndarray, list[tuple[float, int]]]:
        """(match mask, the ``n`` best (score, docnum) pairs) for ``query`` within ``filter_mask``."""
        evaluated = self.scorer.evaluate(query)
        if evaluated is not None:
            scores, matched = evaluated
            if filter_mask is not None:
                matched = matched & filter_mask
            return matched, scoring.top(scores, matched, n)
        matched = self.mask(query)  # a query shape the scorer does not know: Whoosh scores it
        if filter_mask is not None:
            matched = matched & filter_mask
        if not matched.any():
            return matched, []
        allowed = set(np.flatnonzero(matched).tolist())
        results = self.searcher.search(query, limit=None, filter=allowed)
        ranked = sorted(((hit.score or 0.0, hit.docnum) for hit in results), key=lambda x: (-x[0], x[1]))
        return matched, ranked[:n]


_local = threading.local()
_CACHED_INDEXES = 4


def _snapshot(index_dir) -> _Snapshot:
    """This thread's searcher for ``index_dir``, refreshed when a commit or a swap changed the index.

    Opening an index costs ≈ 50 ms (TOC, segments, analyzers); a search after a commit must still see
    it. The directory's inode is part of the key because a rebuild swaps in a new directory.
    """
    if not idx.exists(index_dir):
        idx.open_index(index_dir)  # raises the 'no index, run ingest' error
    key = (str(index_dir), os.stat(index_dir).st_ino)
    cache: OrderedDict = getattr(_local, "snapshots", None) or OrderedDict()
    _local.snapshots = cache
    snap = cache.get(key)
    if snap is not None and snap.searcher.up_to_date():
        cache.move_to_end(key)
        return snap
    if snap is not None:
        snap.searcher.close()
    snap = _Snapshot(idx.open_index(index_dir).searcher())
    cache[key] = snap
    cache.move_to_end(key)
    while len(cache) > _CACHED_INDEXES:
        cache.popitem(last=False)[1].searcher.close()
    return snap


def search(
    settings: Settings,
    text: str,
    filters: Filters | None = None,
    *,
    limit: int = 10,
    page: int = 1,
    with_facets: bool = True,
) -> SearchResults:
    """Ranked hits for ``text`` within ``filters``; an empty query lists everything that matches."""
    filters = filters or Filters()
    if limit < 1 or limit > MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if page < 1:
        raise UsageError(f"--page must be 1 or more, not {page}")
    snap = _snapshot(settings.index_dir)
    searcher = snap.searcher
    query = (
        analysis.build_query(
            text, searcher.schema, lang=filters.lang, compounds=analysis.compounds_for(searcher)
        )
        if text.strip()
        else Every()
    )
    filter_parts = _filter_parts(searcher, filters)
    filter_mask = None
    for part in filter_parts:
        part_mask = snap.mask(part)
        filter_mask = part_mask if filter_mask is None else filter_mask & part_mask
    matched, top_n = snap.ranked(query, filter_mask, page * limit)
    total = int(np.count_nonzero(matched))
    results = Results(searcher, query, top_n)
    results.formatter = _MarkFormatter()
    results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
    page_hits = results[(page - 1) * limit :]
    hits: list[Hit] = []
    seen_duplicates: set[str] = set()
    wanted = suggest.query_entities(text, filters)
    for hit in page_hits:
        stored = hit.fields()
        if stored["id"] in seen_duplicates:
            continue
        item = _hit(hit, stored)
        item.matched = suggest.matched_entities(
            wanted, json.loads(stored["doc"]).get("facts") or {}, item.region
        )
        seen_duplicates.update(item.also_at)
        hits.append(item)
    facets = snap.facets(matched) if with_facets else {}
    # Did-you-mean only when the words found little; the reasons only when they found nothing.
    suggestion = suggest.suggest(searcher, text) if text.strip() and total <= suggest.FEW_HITS else None
    notes = suggest.explain_no_hits(searcher, text, filters, suggestion) if total == 0 else []
    return SearchResults(
        query=text,
        total=total,
        page=page,
        limit=limit,
        hits=hits,
        facets=facets,
        filters={k: v for k, v in asdict(filters).items() if v is not None},
        suggestion=suggestion,
        notes=notes,
    )
