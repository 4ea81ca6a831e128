"""Queries → ranked results with facets, snippets and the extracted facts of each hit. Never prints.

Snippets mark matched terms with ``MARK_START`` / ``MARK_END`` control characters; each front end
turns them into colour, plain brackets or escaped ``<mark>`` tags.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from hakemisto.search import whoosh_lean  # noqa: F401 - before any Whoosh module (issue 17)

# isort: split
from whoosh import highlight
from whoosh.query import And, Every, NullQuery, NumericRange, Or, Query, Term
from whoosh.searching import Results

from hakemisto.core.caches import LRU
from hakemisto.core.config import Settings
from hakemisto.core.errors import InvalidValue, UsageError
from hakemisto.core.notes import Note, note_dicts
from hakemisto.facts import funding
from hakemisto.search import analysis, generations, scoring, suggest, whoosh_compat
from hakemisto.search import index as idx

MARK_START, MARK_END = "\x02", "\x03"
FACETS = ("region", "funders", "programmes", "years", "lang")
MAX_LIMIT = 200


class _MarkFormatter(highlight.Formatter):
    """Wraps matched terms in control characters; front ends decide how they look."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MARK_START}{highlight.get_text(text, token, replace)}{MARK_END}"


# Ranking beyond BM25F (measured on the dev queries of tests/pages, see README):
COORDINATION = 1.0  # score × (idf-weighted share of the query's concepts covered) ** COORDINATION
COVERAGE_IDF = True  # coverage counts concepts by their specificity (else each concept counts 1)
SPECIFICITY = 1.0  # each concept's score × (its idf / the query's highest concept idf) ** SPECIFICITY
ENTITY_PRIOR = 0.1  # score × (1 + ENTITY_PRIOR × share of the query's named entities in the page's facts)
OTHER_LANGUAGE = 0.5  # a one-language query scores other-language pages × this (own pages first)
TWIN_SHARE = 0.3  # a page's other-language twin scores at least this share of the page's score
# Pseudo-relevance feedback (issue 14, round 4): a query that matches fewer than FEEDBACK_FILL pages
# gets the list filled, after every page it matched, with the pages that best share the top
# FEEDBACK_DOCS hits' most distinctive FEEDBACK_TERMS words.
ENTITY_ANY_LANGUAGE = True  # pages whose facts carry an entity the query names escape the other-language factor
FEEDBACK_FILL = 20
FEEDBACK_DOCS = 3
FEEDBACK_TERMS = 10
FEEDBACK_BY_SCORE = True  # a feedback page's words count by its score relative to the best hit's (RM3)
FEEDBACK_NO_NAMES = True  # contact persons' names are no feedback words
MULTI = ("region", "funder", "programme")  # filters that may repeat: OR within, AND across
SORTS = ("relevance", "date", "amount")


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    values = (value,) if isinstance(value, str) else tuple(value)
    values = tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    return values or None


MAX_AMOUNT = 1e15  # euros; larger is a typo or an attack (Whoosh stores amounts as 64-bit integers)
YEARS = (1900, 2100)


def check_amount(value: float | None) -> None:
    """``--min-amount`` / ``min_amount``: a finite number of euros, 0 … 10^15. NaN, inf and -1e308
    used to crash the search, and inf made the web cache answer with the unfiltered results."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or not (
        0 <= value <= MAX_AMOUNT
    ):
        raise InvalidValue("min_amount", str(value), (), f"the minimum amount must be a number of euros from 0 to "
                           f"{MAX_AMOUNT:.0e}, not {value}", code="bad_amount", max=f"{MAX_AMOUNT:.0e}")


def check_year(value: int | None) -> None:
    """``--year``: the same bounds as the web API (1900–2100)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not (YEARS[0] <= value <= YEARS[1]):
        raise InvalidValue("year", str(value), (), f"the year must be from {YEARS[0]} to {YEARS[1]}, not {value}",
                           code="bad_year", min=YEARS[0], max=YEARS[1])


@dataclass(frozen=True)
class Filters:
    """What a planner restricts a search to. ``region``, ``funder`` and ``programme`` take one name or
    several (a hit matches any of them); different filters must all match."""

    region: str | tuple[str, ...] | None = None
    lang: str | None = None
    funder: str | tuple[str, ...] | None = None
    programme: str | tuple[str, ...] | None = None
    year: int | None = None
    min_amount: float | None = None

    def __post_init__(self) -> None:
        for name in MULTI:
            object.__setattr__(self, name, _as_tuple(getattr(self, name)))
        check_amount(self.min_amount)
        check_year(self.year)

    def active(self) -> dict[str, Any]:
        """The filters that are set, repeated ones as lists."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if v is not None}


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
    related: bool = False  # not a match: added by pseudo-relevance feedback after the matches


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
    sort: str = "relevance"
    pages: int = 0  # the last page number (0 without hits)
    resolved: dict[str, list[str]] = field(default_factory=dict)  # filter names → canonical values
    related: int = 0  # hits on this page that do not match but resemble the best matches (not in total)

    @property
    def beyond_last_page(self) -> bool:
        return self.total > 0 and self.page > self.pages

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for hit in data["hits"]:
            hit["snippet"] = plain_snippet(hit["snippet"])
        data["notes"] = [str(n) for n in self.notes]
        data["note_codes"] = note_dicts(self.notes)
        data["beyond_last_page"] = self.beyond_last_page
        return data


def plain_snippet(snippet: str, start: str = "[", end: str = "]") -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)


def _closest(value: str, choices: list[str]) -> str | None:
    from rapidfuzz import process as fuzz_process  # only for an unknown filter value (issue 17: cold start)

    match = fuzz_process.extractOne(value, choices, score_cutoff=60)
    return match[0] if match else None


def _lexicon(searcher, fieldname: str) -> list[str]:
    return [t.decode("utf-8") for t in searcher.lexicon(fieldname)]


def _unknown(label: str, value: str, hint: str | None, known: list[str]) -> UsageError:
    """A usage error naming the value, a close match and every known value (web pages translate it)."""
    more = f"; did you mean '{hint}'?" if hint else "."
    error = UsageError(f"unknown {label} '{value}'{more} Known {label}s: {', '.join(known) or 'none yet'}.")
    error.code = f"unknown_{label}"
    error.params = {"value": value, "hint": hint or "", "known": ", ".join(known)}
    return error


def resolve_region(value: str) -> str:
    """A county from any name a planner may use: fi/sv county names in any form, predecessor
    organisations, municipalities ('Vaasa' → Pohjanmaa) and names typed without ä/ö/å
    (``regions.resolve_county``, shared by every entry point)."""
    from hakemisto.core.regions import resolve_county

    return resolve_county(value)


def resolve_registry(searcher, fieldname: str, value: str, label: str) -> str:
    """A funder or programme id from its id, acronym or full fi/sv name (as the registry knows it),
    or an id the index holds; else a usage error listing the known ids."""
    values = _lexicon(searcher, fieldname)
    for candidate in values:
        if candidate.casefold() == value.casefold():
            return candidate
    canonical = funding.registry_name(label, value)
    if canonical:
        return canonical
    known = sorted(set(values) | set(funding.registry_ids(label).values()), key=str.casefold)
    raise _unknown(label, value, _closest(value, known), known)


def _resolved(searcher, filters: Filters) -> dict[str, list[str]]:
    """Each repeatable filter's values as canonical names (order kept, duplicates dropped)."""
    out: dict[str, list[str]] = {}
    for name, fieldname in (("region", "region"), ("funder", "funders"), ("programme", "programmes")):
        values = getattr(filters, name) or ()
        resolved = [
            resolve_region(v) if name == "region" else resolve_registry(searcher, fieldname, v, name)
            for v in values
        ]
        if resolved:
            out[name] = list(dict.fromkeys(resolved))
    return out


def _filter_parts(searcher, filters: Filters) -> list[Query]:
    """One query per filter the planner set; a document must match all of them, and any one of a
    repeated filter's values."""
    parts: list[Query] = []
    resolved = _resolved(searcher, filters)
    for name, fieldname in (("region", "region"), ("funder", "funders"), ("programme", "programmes")):
        terms = [Term(fieldname, v) for v in resolved.get(name, ())]
        if terms:
            parts.append(terms[0] if len(terms) == 1 else Or(terms))
    if filters.lang:
        if filters.lang not in ("fi", "sv"):
            error = UsageError(f"unknown language '{filters.lang}'; use fi or sv")
            error.code, error.params = "unknown_lang", {"value": filters.lang}
            raise error
        parts.append(Term("lang", filters.lang))
    if filters.year:
        parts.append(Term("years", str(filters.year)))
    if filters.min_amount is not None:
        parts.append(NumericRange("amount", int(filters.min_amount), None))
    return parts


def _filter_query(searcher, filters: Filters) -> Query | None:
    """All filters as one Whoosh query (None without filters), for callers that search with Whoosh."""
    parts = _filter_parts(searcher, filters)
    return None if not parts else parts[0] if len(parts) == 1 else And(parts)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


_WORDS = re.compile(r"\w+(?:-\w+)*")
_word_terms_cache: LRU[tuple[str, str], frozenset[str]] = LRU(200_000)
SNIPPET_PARAGRAPHS = 2


def _word_terms(analyzer: Any, fieldname: str, word: str) -> frozenset[str]:
    """A word's index terms under the field's analyzer, cached across queries (voikko is the cost)."""
    return _word_terms_cache.get((fieldname, word), lambda: frozenset(t.text for t in analyzer(word)))


def _query_field_terms(hit, fieldname: str) -> frozenset[str]:
    """The query's terms in ``fieldname``, computed once per query (kept on the Results object)."""
    results = hit.results
    memo = results.__dict__.setdefault("_hakemisto_terms", {})
    if fieldname not in memo:
        try:
            memo[fieldname] = frozenset(text if isinstance(text, str) else text.decode("utf-8")
                                        for field, text in results.q.all_terms() if field == fieldname)
        except (AttributeError, NotImplementedError, TypeError):
            memo[fieldname] = frozenset()
    return memo[fieldname]


def _best_paragraphs(hit, fieldname: str, paragraphs: list[str]) -> list[str]:
    """The ``SNIPPET_PARAGRAPHS`` paragraphs holding most query terms (page order kept): Whoosh's
    highlighter re-analyses all the text it gets, and long pages made it most of a query's time.
    Whether a word holds a query term is decided once per query (kept on the Results object)."""
    terms = _query_field_terms(hit, fieldname)
    if not terms or len(paragraphs) <= SNIPPET_PARAGRAPHS:
        return paragraphs
    analyzer = hit.searcher.schema[fieldname].analyzer
    memo = hit.results.__dict__.setdefault("_hakemisto_words", {}).setdefault(fieldname, {})
    scores = []
    for i, paragraph in enumerate(paragraphs):
        count = 0
        for word in {w.lower() for w in _WORDS.findall(paragraph)}:
            found = memo.get(word)
            if found is None:
                found = memo[word] = bool(_word_terms(analyzer, fieldname, word) & terms)
            count += found
        scores.append((count, -i))
    best = sorted(scores, reverse=True)[:SNIPPET_PARAGRAPHS]
    if best[0][0] == 0:
        return paragraphs
    keep = sorted(-i for score, i in best if score > 0)
    return [paragraphs[i] for i in keep]


def _snippet(hit, stored: dict[str, Any], doc: dict[str, Any]) -> str:
    """Highlighted passages of the body in the hit's own language first; the title is shown above
    the snippet, so a paragraph that only repeats it is left out."""
    order = ("text_sv", "text_fi") if stored.get("lang") == "sv" else ("text_fi", "text_sv")
    title = stored.get("title") or ""
    paragraphs = doc.get("paragraphs") or []
    langs = doc.get("para_langs") or []
    body = [(i, p) for i, p in enumerate(paragraphs) if not (title and _same_text(p, title))]
    for fieldname in order:
        want = fieldname[-2:]
        chosen = [p for i, p in body if (langs[i] if i < len(langs) else doc.get("lang")) == want] or (
            [p for _, p in body] if want == (stored.get("lang") or "fi") else [])
        if not chosen:
            continue
        text = "\n".join(_best_paragraphs(hit, fieldname, chosen))
        snippet = hit.highlights(fieldname, text=text, top=2)
        if snippet:
            return " ".join(snippet.split())
    first = next((p for _, p in body if len(p.split()) > 6), body[0][1] if body else "")
    return first[:240] + ("…" if len(first) > 240 else "")


class _Results(Results):
    """Whoosh's Results with the query's terms per field looked up once: its highlighter asked the
    reader for every query term's existence again for each hit (a quarter of the snippet time)."""

    def query_terms(self, expand: bool = False, fieldname: str | None = None) -> Any:
        memo = self.__dict__.setdefault("_hakemisto_query_terms", {})
        key = (expand, fieldname)
        if key not in memo:
            memo[key] = frozenset(super().query_terms(expand=expand, fieldname=fieldname))
        return memo[key]


def _hit(hit, stored: dict[str, Any], doc: dict[str, Any]) -> Hit:
    """One result row from the hit's stored fields and its parsed stored document."""
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

    def __init__(self, searcher, freshness: tuple = ()) -> None:
        self.searcher = searcher
        self.freshness = freshness  # the index state this searcher reads (generations.freshness)
        self.scorer = scoring.Scorer(searcher)
        self._facets: dict[str, list[tuple[str, np.ndarray]]] | None = None
        self._sort_values: dict[str, np.ndarray] = {}
        self._twins: tuple[np.ndarray, np.ndarray] | None = None
        self.related_count = 0  # of the last ``ranked`` call (a snapshot serves one thread)
        self._doc_terms: LRU[int, dict[tuple[str, str], float]] = LRU(256)

    def twins(self) -> tuple[np.ndarray, np.ndarray]:
        """(documents, their fi/sv twin's document number) from the ``twin`` and ``id`` fields'
        postings, once per generation (no stored document is read)."""
        if self._twins is None:
            reader = self.searcher.reader()
            sources: list[np.ndarray] = []
            targets: list[np.ndarray] = []
            if "twin" in self.searcher.schema.names():
                for btext in reader.lexicon("twin"):
                    value = btext.decode("utf-8")
                    docs = self.scorer.postings("twin", value)[0]
                    target = self.scorer.postings("id", value)[0]
                    if len(docs) and len(target):
                        sources.append(docs)
                        targets.append(np.full(len(docs), target[0], dtype=np.int64))
            self._twins = (
                (np.concatenate(sources), np.concatenate(targets))
                if sources
                else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
            )
        return self._twins

    def sort_values(self, fieldname: str) -> np.ndarray:
        """Each document's value of a numeric or date field (−inf where missing), for sorting.

        Read from the field's full-precision terms and their postings, once per index generation:
        no stored document is loaded.
        """
        found = self._sort_values.get(fieldname)
        if found is None:
            found = np.full(self.scorer.size, -np.inf)
            field = self.searcher.schema[fieldname]
            reader = self.searcher.reader()
            for btext in field.sortable_terms(reader, fieldname):
                value = field.from_bytes(btext)
                number = value.timestamp() if hasattr(value, "timestamp") else float(value)
                docs = np.fromiter(reader.postings(fieldname, btext).all_ids(), dtype=np.int64)
                found[docs] = np.maximum(found[docs], number)
            self._sort_values[fieldname] = found
        return found

    def mask(self, query: Query) -> np.ndarray:
        """Documents matching a filter query."""
        found = self.scorer.matching(query)
        if found is not None:
            return found
        found = np.zeros(self.scorer.size, dtype=bool)
        found[np.fromiter(query.docs(self.searcher), dtype=np.int64)] = True
        return found

    def facet_values(self) -> dict[str, list[tuple[str, np.ndarray]]]:
        """Every facet value's document numbers: stored at commit beside the term lists, or (an index
        written before that) read from the postings once per generation."""
        if self._facets is None and FACETS == generations.FACET_FIELDS:
            self._facets = generations.term_lists(self.searcher).facets
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
        self,
        query: Query,
        filter_mask: np.ndarray | None,
        n: int,
        sort: str = "relevance",
        concepts: list[Query] | None = None,
        entities: list[Query] | None = None,
        query_lang: str | None = None,
    ) -> tuple[np.ndarray, list[tuple[float, int]]]:
        """(match mask, the ``n`` best (score, docnum) pairs) for ``query`` within ``filter_mask``;
        ``related_count`` is then how many related pages feedback added after the matches;
        ``sort`` 'date' or 'amount' orders by newest / largest first, then by score.

        With ``concepts`` (the query's parts, one per planner word) a page's BM25F score is scaled
        by the share of concepts it covers (``COORDINATION``); with ``entities`` (facet terms the
        query names: a county, a programme, a funder) by a small prior for pages whose extracted
        facts name them (``ENTITY_PRIOR``).
        """
        self.related_count = 0
        evaluated = self._coordinated(concepts) if concepts and len(concepts) > 1 else self.scorer.evaluate(query)
        if evaluated is not None:
            scores, matched = evaluated
            if filter_mask is not None:
                matched = matched & filter_mask
        else:
            matched = self.mask(query)  # a query shape the scorer does not know: Whoosh scores it
            if filter_mask is not None:
                matched = matched & filter_mask
            scores = np.zeros(self.scorer.size)
            if matched.any():
                allowed = set(np.flatnonzero(matched).tolist())
                for hit in self.searcher.search(query, limit=None, filter=allowed):
                    scores[hit.docnum] = hit.score or 0.0
        if TWIN_SHARE and evaluated is not None:
            scores, matched = self._with_twins(scores, matched, filter_mask)
        if query_lang and OTHER_LANGUAGE != 1.0:
            own = self.mask(Term("lang", query_lang))
            if ENTITY_ANY_LANGUAGE and entities:
                for e in entities:
                    own = own | self.mask(e)
            scores = np.where(own, scores, scores * OTHER_LANGUAGE)
        if entities and ENTITY_PRIOR:
            share = sum(self.mask(e).astype(np.float64) for e in entities) / len(entities)
            scores = scores * (1.0 + ENTITY_PRIOR * share)
        if sort == "relevance" and FEEDBACK_FILL and concepts:
            scores, related = self._feedback_fill(scores, matched, filter_mask)
            self.related_count = int(np.count_nonzero(related))
            return matched, scoring.top(scores, matched | related, n)
        if sort == "relevance":
            return matched, scoring.top(scores, matched, n)
        docnums = np.flatnonzero(matched)
        values = self.sort_values("published" if sort == "date" else "amount")[docnums]
        order = np.lexsort((docnums, -scores[docnums], -values))[:n]
        return matched, [(float(scores[docnums[i]]), int(docnums[i])) for i in order]

    def _with_twins(
        self, scores: np.ndarray, matched: np.ndarray, filter_mask: np.ndarray | None
    ) -> scoring.Scored:
        """A matched page lifts its other-language twin to ``TWIN_SHARE`` of its score: a Swedish
        query finds the Swedish page first and its Finnish twin next, even when no glossary entry
        bridges the words (twins are detected at ingest: hreflang, or matching names and sums)."""
        docs, twins = self.twins()
        if not len(docs):
            return scores, matched
        lifted = np.where(matched[twins], TWIN_SHARE * scores[twins], 0.0)
        scores = scores.copy()
        scores[docs] = np.maximum(scores[docs], lifted)
        extra = np.zeros_like(matched)
        extra[docs] = matched[twins]
        extra &= self.scorer.alive()
        if filter_mask is not None:
            extra &= filter_mask
        return scores, matched | extra

    def doc_terms(self, docnum: int) -> dict[tuple[str, str], float]:
        """A page's indexed body terms ((field, term) → share of its tokens), analysed from its stored
        text with the field's own analyzer (Whoosh keeps no term vectors here); cached per page.
        Its contact persons' names are left out: a name says who, not what the page is about."""
        def read() -> dict[tuple[str, str], float]:
            fields = self.searcher.stored_fields(docnum)
            stored = json.loads(fields.get("doc") or "{}")
            paragraphs = stored.get("paragraphs") or []
            langs = stored.get("para_langs") or []
            counts: dict[tuple[str, str], float] = {}
            for i, para in enumerate(paragraphs):
                lang = langs[i] if i < len(langs) and langs[i] in ("fi", "sv") else stored.get("lang")
                fieldname = "text_sv" if lang == "sv" else "text_fi"
                for token in self.searcher.schema[fieldname].analyzer(para, mode="index", boosts=True):
                    key = (fieldname, token.text)
                    counts[key] = counts.get(key, 0.0) + getattr(token, "boost", 1.0)
            total = sum(counts.values()) or 1.0
            names = " ".join((fields.get("persons") or "").split(","))
            for fieldname in ("text_fi", "text_sv") if FEEDBACK_NO_NAMES and names.strip() else ():
                for token in self.searcher.schema[fieldname].analyzer(names, mode="index"):
                    counts.pop((fieldname, token.text), None)
            return {key: value / total for key, value in counts.items()}

        return self._doc_terms.get(docnum, read)

    def _feedback_fill(
        self, scores: np.ndarray, matched: np.ndarray, filter_mask: np.ndarray | None
    ) -> scoring.Scored:
        """Pseudo-relevance feedback for short lists: (scores, the related pages added).

        When fewer than ``FEEDBACK_FILL`` pages match, the top ``FEEDBACK_DOCS`` hits' most
        distinctive words (share of the page, weighted by the hit's score relative to the best, ×
        log(N / df); on at least two pages and at most a fifth of them; no contact person's name)
        search for more pages, and the best of those are ranked after every matched page, so the
        matched order is untouched. Pages that share no word with the query but talk like its best
        hits reach the list; the match count, facets and did-you-mean still describe only the pages
        that match."""
        related = np.zeros_like(matched)
        count = int(np.count_nonzero(matched))
        if count == 0 or count >= FEEDBACK_FILL:
            return scores, related
        alive = self.scorer.alive()
        total = max(int(np.count_nonzero(alive)), 1)
        reader = self.scorer.reader
        weights: dict[tuple[str, str], float] = {}
        feedback = scoring.top(scores, matched, FEEDBACK_DOCS)
        for score, docnum in feedback:
            relative = score / feedback[0][0] if FEEDBACK_BY_SCORE and feedback[0][0] > 0 else 1.0
            for key, share in self.doc_terms(docnum).items():
                weights[key] = weights.get(key, 0.0) + share * relative
        ranked_terms: list[tuple[float, tuple[str, str]]] = []
        for (fieldname, text), weight in weights.items():
            if len(text) < 3 or text.isdigit():
                continue
            df = reader.doc_frequency(fieldname, text)
            if df < 2 or df > total / 5:
                continue
            ranked_terms.append((weight * math.log(total / df), (fieldname, text)))
        ranked_terms.sort(reverse=True)
        chosen = ranked_terms[:FEEDBACK_TERMS]
        if not chosen:
            return scores, related
        evaluated = self.scorer.evaluate(Or([Term(f, t, boost=w / chosen[0][0]) for w, (f, t) in chosen]))
        if evaluated is None:
            return scores, related
        extra_scores, extra = evaluated
        extra = extra & alive & ~matched
        if filter_mask is not None:
            extra &= filter_mask
        if not extra.any():
            return scores, related
        floor = float(scores[matched].min())
        keep = scoring.top(extra_scores, extra, FEEDBACK_FILL - count)
        best = keep[0][0] or 1.0
        scores = scores.copy()
        for value, docnum in keep:
            scores[docnum] = floor * 0.5 * (value / best)
            related[docnum] = True
        return scores, related

    def _coordinated(self, concepts: list[Query]) -> scoring.Scored | None:
        """Concept scores weighted by how specific each concept is, times the covered share.

        Whoosh's idf, log(N / (df + 1)) + 1, never falls below 1, so a word on nine pages in ten
        still weighs half as much as one on a single page, and long pages repeating it win. Here a
        concept's specificity is Robertson's idf over the pages it matches in any form,
        log(1 + (N − df + ½) / (df + ½)): each concept's score is scaled by its specificity relative
        to the query's most specific concept (``SPECIFICITY``), and the page's score by the share of
        the query's specificity it covers (``COORDINATION``) — missing 'hanke' costs little,
        missing 'saattohoito' a lot. None for query shapes the scorer does not know.
        """
        parts = [self.scorer.evaluate(c) for c in concepts]
        if any(p is None for p in parts):
            return None
        alive = self.scorer.alive()
        total = max(int(np.count_nonzero(alive)), 1)
        dfs = np.array([np.count_nonzero(p[1] & alive) for p in parts], dtype=np.float64)
        weights = np.log1p((total - dfs + 0.5) / (dfs + 0.5))
        weights = np.where(dfs > 0, weights, 0.0)
        top_weight = weights.max() or 1.0
        scales = (weights / top_weight) ** SPECIFICITY if SPECIFICITY else np.ones_like(weights)
        if not COVERAGE_IDF:
            weights = (dfs > 0).astype(np.float64)
        scores = np.sum([p[0] * scale for p, scale in zip(parts, scales, strict=True)], axis=0)
        matched = np.any([p[1] for p in parts], axis=0)
        if COORDINATION and weights.sum() > 0:
            covered = np.sum([p[1] * w for p, w in zip(parts, weights, strict=True)], axis=0) / weights.sum()
            scores = scores * covered**COORDINATION
        return scores, matched

    def query_mask(self, query: Query) -> np.ndarray:
        """Documents a text query matches (scored shapes through numpy, others through Whoosh)."""
        evaluated = self.scorer.evaluate(query)
        return evaluated[1] if evaluated is not None else self.mask(query)

    def plan(self, text: str, filters: Filters, glossary: bool = True) -> tuple[Query, np.ndarray | None]:
        """The ranking query of ``text`` and the mask every hit must be in (filters and operators)."""
        query, mask, _ = self.plan_concepts(text, filters, glossary)
        return query, mask

    @staticmethod
    def _prime_glossary(searcher: Any) -> bool:
        """Load the glossary tables stored at commit time into the analysis caches (once per generation)."""
        stored = idx.read_glossary_tables(whoosh_compat.index_folder(searcher))
        if stored:
            analysis.prime_glossary_tables(searcher.schema, stored)
        return bool(stored)

    def plan_concepts(
        self, text: str, filters: Filters, glossary: bool = True
    ) -> tuple[Query, np.ndarray | None, list[Query]]:
        """``plan`` plus the ranking query's concepts (one per planner word); ``glossary`` False searches
        without fi↔sv expansion (the evaluation measures its effect)."""
        searcher = self.searcher
        schema = searcher.schema
        compounds = analysis.compounds_for(searcher)
        if glossary:
            generations.cached("glossary_tables", searcher, lambda: self._prime_glossary(searcher))
        parsed = analysis.parse_operators(text)

        def words(value: str) -> Query:
            return analysis.build_query(value, schema, lang=filters.lang, glossary=glossary, compounds=compounds)

        concepts = (
            analysis.concept_queries(parsed.text, schema, lang=filters.lang, glossary=glossary, compounds=compounds)
            if parsed.text.strip()
            else []
        )
        query = (Or(concepts) if concepts else NullQuery) if parsed.text.strip() else Every()
        mask: np.ndarray | None = None

        def narrow(part: np.ndarray) -> None:
            nonlocal mask
            mask = part if mask is None else mask & part

        for part in _filter_parts(searcher, filters):
            narrow(self.mask(part))
        for value in parsed.required:
            narrow(self.query_mask(words(value)))
        for value in parsed.phrases:
            narrow(self.mask(analysis.phrase_query(value, schema, lang=filters.lang, glossary=glossary)))
        for value in parsed.excluded:
            quoted = len(value.split()) > 1
            found = (self.mask(analysis.phrase_query(value, schema, glossary=glossary)) if quoted
                     else self.query_mask(words(value)))
            narrow(~found)
        return query, mask, concepts

    def count(self, text: str, filters: Filters) -> int:
        """How many documents ``text`` within ``filters`` finds (for the no-hits explanations)."""
        query, mask = self.plan(text, filters)
        matched = self.query_mask(query)
        if mask is not None:
            matched = matched & mask
        return int(np.count_nonzero(matched & self.scorer.alive()))


# --- why no hits ---------------------------------------------------------------------------------


_FILTER_NAMES = {
    "region": "the region filter",
    "lang": "the language filter",
    "funder": "the funder filter",
    "programme": "the programme filter",
    "year": "the year filter",
    "min_amount": "the minimum amount",
}


def _shown(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def explain_no_hits(
    settings_or_searcher: Settings | Any,
    query: str,
    filters: Any = None,
    suggestion: str | None = None,
    counter: Any = None,
) -> list[str]:
    """Why ``query`` within ``filters`` finds nothing, and what to try instead (one ``Note`` each).

    Every count quoted is of pages that really match what the note says: when some words are in no
    page at all, the pages found without a filter are said to match the *other* words.
    ``counter(text, filters)`` counts matches (the search's own snapshot; built here when not given).
    """
    filters = filters or Filters()
    searcher, owned = suggest.searcher_of(settings_or_searcher)
    try:
        if searcher.doc_count() == 0:
            return [Note("empty_index", "The index is empty: ingest some documents first.")]
        count = counter or _Snapshot(searcher).count
        notes: list[str] = []
        vocab = suggest.vocabulary(searcher)
        analyzers = suggest.field_analyzers(searcher)
        parsed = analysis.parse_operators(query)
        words = [w for w in suggest.WORD.findall(parsed.text) if len(w) >= 3]
        unknown = [
            w
            for w in words
            if not any(
                t in vocab.terms.get(lang, {}) for lang, a in analyzers.items() for t in suggest.main_terms(a, w)
            )
            and not suggest.is_registry_word(w, vocab)
        ]
        known = [w for w in words if w not in unknown]
        if unknown:
            notes.append(Note("unknown_words", f"No indexed page contains {_quoted(unknown)} in any form.",
                              words=_quoted(unknown)))
        plain = " ".join(known) if unknown else parsed.text  # never quote hits for a word no page has
        if parsed.has_operators and plain.strip() and count(plain, filters) > 0:
            n = count(plain, filters)
            notes.append(Note("operators", f"Without AND, NOT and quotes, '{plain}' has {n} hits.",
                              query=plain, n=n))
        active = {k: v for k, v in vars(filters).items() if v is not None}
        if query.strip() and active and count(query, Filters()) > 0:
            for name, value in active.items():
                if name == "lang":
                    continue
                n = count(query, replace(filters, **{name: None}))
                if not n:
                    continue
                flag, shown = _FILTER_NAMES[name], _shown(value)
                if unknown:
                    text = (f"Without {flag} ({shown}) there are {n} hits for {_quoted(known)}, "
                            f"none of them with {_quoted(unknown)}.")
                    notes.append(Note("without_filter_partial", text, filter=name, value=shown, n=n,
                                      words=_quoted(known), missing=_quoted(unknown)))
                else:
                    notes.append(Note("without_filter", f"Without {flag} ({shown}) there are {n} hits: drop that filter.",
                                      filter=name, value=shown, n=n))
            if filters.lang:
                other = "sv" if filters.lang == "fi" else "fi"
                n = count(query, replace(filters, lang=other))
                if n:
                    language = "Swedish" if other == "sv" else "Finnish"
                    notes.append(Note("other_lang", f"{n} hits in {language} pages: search the {language} pages.",
                                      lang=other, n=n))
        elif query.strip() and active:
            notes.append(Note("no_hits_without_filters", f"'{query}' has no hits even without filters.",
                              query=query))
        elif not query.strip() and active:
            names = ", ".join(_FILTER_NAMES[k] for k in active)
            notes.append(Note("filters_exclude", f"No page matches these filters together; drop one of {names}.",
                              filters=", ".join(active), names=list(active)))
        if suggestion:
            n = count(suggestion, filters)
            notes.append(Note("try_suggestion", f"Try '{suggestion}'" + (f" ({n} hits)." if n else "."),
                              suggestion=suggestion, n=n))
        if len(words) > 1 and not unknown:
            alone = [(w, count(w, filters)) for w in words]
            found = [f"'{w}' ({n})" for w, n in alone if n]
            if found:
                notes.append(Note("fewer_words", "Fewer words find pages: " + ", ".join(found) + ".",
                                  words=", ".join(found)))
        if not notes:
            notes.append(Note("try_other_words",
                              "Try other words, or the other language (Finnish and Swedish pages are both indexed)."))
        return notes
    finally:
        if owned is not None:
            searcher.close()


_local = threading.local()
_CACHED_INDEXES = 4


def _snapshot(index_dir) -> _Snapshot:
    """This thread's searcher for ``index_dir``, refreshed when a commit or a swap changed the index.

    Opening an index costs ≈ 50 ms (TOC, segments, analyzers); a search after a commit must still see
    it: the kept searcher serves while the index's freshness key (``generations.freshness``: folder,
    inode, generation) is the one it was opened at, and is closed as soon as it is not.
    """
    if not idx.exists(index_dir):
        idx.open_index(index_dir)  # raises the 'no index, run ingest' error
    cache: LRU[str, _Snapshot] | None = getattr(_local, "snapshots", None)
    if cache is None:
        cache = _local.snapshots = LRU(_CACHED_INDEXES, on_evict=lambda snap: snap.searcher.close())
    snap = cache.peek(str(index_dir))
    if snap is not None and snap.freshness == generations.freshness(index_dir):
        return snap
    if snap is not None:
        snap.searcher.close()
    searcher = idx.open_index(index_dir).searcher()
    snap = _Snapshot(searcher, generations.freshness(index_dir, searcher))
    cache.put(str(index_dir), snap)
    return snap


def matching_fields(index_dir: Any, text: str | None, filter_query: Query | None = None, *,
                    compounds: bool = True) -> list[dict[str, Any]]:
    """Stored fields of every document the text query (all documents when ``text`` is empty) and
    ``filter_query`` match, in document order.

    The report and the watch digest select pages with this: the same per-generation snapshot and
    numpy match masks as ``search`` (``scoring.Scorer``, Whoosh's own matcher only for shapes it does
    not handle), so they neither open a second searcher nor match document by document. ``compounds``
    False builds the query without the compound lookup (as the digest always has)."""
    snap = _snapshot(index_dir)
    searcher = snap.searcher
    if text and text.strip():
        found = analysis.compounds_for(searcher) if compounds else None
        query = analysis.build_query(text, searcher.schema, compounds=found)
    else:
        query = Every()
    mask = snap.mask(query)
    if filter_query is not None:
        mask = mask & snap.mask(filter_query)
    return [searcher.stored_fields(int(docnum)) for docnum in np.flatnonzero(mask)]


def search(
    settings: Settings,
    text: str,
    filters: Filters | None = None,
    *,
    limit: int = 10,
    page: int = 1,
    with_facets: bool = True,
    sort: str = "relevance",
    glossary: bool = True,
) -> SearchResults:
    """Ranked hits for ``text`` within ``filters``; an empty query lists everything that matches.

    ``text`` may use the operators of ``analysis.parse_operators`` (AND, OR, NOT, "phrases");
    ``sort`` is 'relevance' (default), 'date' (newest first) or 'amount' (largest euro sum first);
    ``glossary`` False leaves out the fi↔sv glossary expansion (the evaluation measures its effect).
    """
    filters = filters or Filters()
    text = analysis.cap_query(text)
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidValue("limit", limit, (), f"results per page must be between 1 and {MAX_LIMIT}, not {limit}",
                           code="bad_limit", max=MAX_LIMIT)
    if page < 1:
        raise InvalidValue("page", page, (), f"the result page must be 1 or more, not {page}", code="bad_page")
    if sort not in SORTS:
        raise InvalidValue("sort", sort, tuple(SORTS), f"unknown sort '{sort}'; use one of {', '.join(SORTS)}",
                           code="bad_sort")
    snap = _snapshot(settings.index_dir)
    searcher = snap.searcher
    query, filter_mask, concepts = snap.plan_concepts(text, filters, glossary)
    wanted = suggest.query_entities(text, filters)
    named = suggest.query_entities(text)  # what the words name (filters already restrict)
    entities = [Term("region", r) for r in named.regions] + [Term("funders", f) for f in named.funders] + [
        Term("programmes", p) for p in named.programmes
    ]
    query_lang = (
        analysis.query_language(text, searcher.schema, analysis.compounds_for(searcher), searcher.reader())
        if OTHER_LANGUAGE != 1.0 and text.strip()
        else None
    )
    matched, top_n = snap.ranked(query, filter_mask, page * limit, sort, concepts, entities, query_lang)
    total = int(np.count_nonzero(matched))
    pages = (total + snap.related_count + limit - 1) // limit  # related pages after the matches can be paged to
    results = _Results(searcher, query, top_n)
    results.formatter = _MarkFormatter()
    results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
    page_hits = results[(page - 1) * limit :]
    hits: list[Hit] = []
    seen_duplicates: set[str] = set()
    for hit in page_hits:
        stored = hit.fields()
        if stored["id"] in seen_duplicates:
            continue
        doc = json.loads(stored["doc"])  # parsed once: long pages make this a real cost
        item = _hit(hit, stored, doc)
        item.matched = suggest.matched_entities(wanted, doc.get("facts") or {}, item.region)
        item.related = not bool(matched[hit.docnum])
        seen_duplicates.update(item.also_at)
        hits.append(item)
    facets = snap.facets(matched) if with_facets else {}
    # Did-you-mean only when the words found little; the reasons only when they found nothing.
    suggestion = suggest.suggest(searcher, text) if text.strip() and total <= suggest.FEW_HITS else None
    notes: list[str] = []
    if total == 0:
        notes = explain_no_hits(searcher, text, filters, suggestion, counter=snap.count)
    elif page > pages:
        notes = [Note("beyond_last_page", f"Page {page} is past the last page: there are {total} results on "
                      f"{pages} page{'s' if pages > 1 else ''}; the last is page {pages}.", page=page, pages=pages,
                      total=total)]
    return SearchResults(
        query=text,
        total=total,
        page=page,
        limit=limit,
        hits=hits,
        facets=facets,
        filters=filters.active(),
        suggestion=suggestion,
        notes=notes,
        sort=sort,
        pages=pages,
        resolved=_resolved(searcher, filters),
        related=sum(h.related for h in hits),
    )
