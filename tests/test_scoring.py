"""The numpy scorer must rank exactly as Whoosh's BM25F does, on a real multi-segment index with deletions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from whoosh.query import DisjunctionMax, Every, Or, Phrase, Term

from hakemisto.core.config import load_settings
from hakemisto.evaluation import relevance
from hakemisto.search import analysis, scoring, whoosh_compat
from hakemisto.search import index as idx
from hakemisto.search.engine import Filters, search

pytestmark = pytest.mark.slow  # indexes the seeds with the spaCy pipeline


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The relevance collection, then a second commit re-writing some documents (a new segment, deletions)."""
    index_dir = tmp_path_factory.mktemp("scoring") / "index"
    relevance.build_index(index_dir)
    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent)
    docs = list(idx.iter_documents(settings))[::4]
    idx.write(settings, [replace(d, title=d.title + " päivitetty") for d in docs])
    ix = idx.open_index(index_dir)
    with ix.reader() as reader:
        assert len(list(reader.leaf_readers())) >= 2 and reader.has_deletions()
    return index_dir


def _has_dismax(query) -> bool:
    return isinstance(query, DisjunctionMax) or any(_has_dismax(q) for q in getattr(query, "subqueries", ()))


def _reference(searcher, query) -> dict[int, float]:
    """Whoosh's own scores, except that a DisjunctionMax takes the maximum of its parts' Whoosh
    scores per document: Whoosh's DisjunctionMaxMatcher also counts a part positioned on *another*
    document, so its own DisMax scores are wrong (the numpy scorer implements the documented max)."""
    if isinstance(query, DisjunctionMax):
        out: dict[int, float] = {}
        for sub in query.subqueries:
            for doc, score in _reference(searcher, sub).items():
                out[doc] = max(out.get(doc, 0.0), score)
        return out
    if isinstance(query, Or) and _has_dismax(query):
        out = {}
        for sub in query.subqueries:
            for doc, score in _reference(searcher, sub).items():
                out[doc] = out.get(doc, 0.0) + score
        return out
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


def whoosh_ranking(searcher, query) -> list[tuple[float, int]]:
    scores = _reference(searcher, query)
    return sorted(((score, doc) for doc, score in scores.items()), key=lambda x: (-x[0], x[1]))


def test_rankings_and_scores_agree_with_whoosh(index_dir: Path) -> None:
    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        scorer = scoring.Scorer(searcher)
        texts = [q.text for q in relevance.load_queries()] + ["RRP", "vårdskuld hoitovelka", "kanssa"]
        for text in texts:
            query = analysis.build_query(text, searcher.schema, compounds=analysis.compounds_for(searcher))
            expected = whoosh_ranking(searcher, query)
            scores, matched = scorer.evaluate(query)
            got = scoring.top(scores, matched, len(expected) + 5)
            assert [d for _, d in got] == [d for _, d in expected], text
            assert [s for s, _ in got] == pytest.approx([s for s, _ in expected], rel=1e-9), text
            assert int(matched.sum()) == len(expected)


def test_every_and_keyword_filters_agree_with_whoosh(index_dir: Path) -> None:
    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        scorer = scoring.Scorer(searcher)
        scores, matched = scorer.evaluate(Every())
        assert scoring.top(scores, matched, 1000) == whoosh_ranking(searcher, Every())
        for region in searcher.lexicon("region"):
            term = Term("region", region.decode())
            assert set(scorer.matching(term).nonzero()[0]) == set(term.docs(searcher))


def test_block_reader_matches_posting_by_posting_reading(index_dir: Path) -> None:
    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for leaf, _ in reader.leaf_readers():
            for term in list(leaf.lexicon("text_fi"))[:200:7]:
                fast = whoosh_compat._read_blocks(leaf.postings("text_fi", term))
                slow = whoosh_compat._read_public(leaf.postings("text_fi", term))
                assert fast[0].tolist() == slow[0].tolist()
                assert fast[1].tolist() == slow[1].tolist()


def test_unknown_query_shapes_fall_back_to_whoosh(index_dir: Path) -> None:
    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        assert scoring.Scorer(searcher).evaluate(Phrase("text_fi", ["sote", "keskus"])) is None


def test_search_totals_and_facets_respect_filters(index_dir: Path) -> None:
    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent)
    everything = search(settings, "hanke", limit=200)
    region = next(iter(everything.facets["region"]))
    narrowed = search(settings, "hanke", Filters(region=region), limit=200)
    assert narrowed.total == everything.facets["region"][region]
    assert {h.region for h in narrowed.hits} == {region}
    assert sum(narrowed.facets["lang"].values()) == narrowed.total


def test_a_small_posting_budget_evicts_but_scores_the_same(index_dir: Path) -> None:
    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        roomy, tight = scoring.Scorer(searcher), scoring.Scorer(searcher, budget=8)
        for text in ("hoitovelka", "RRP hanke", "vårdskuld familjecenter", "hoitovelka", "RRP"):
            query = analysis.build_query(text, searcher.schema)
            expected, got = roomy.evaluate(query), tight.evaluate(query)
            assert (expected[0] == got[0]).all() and (expected[1] == got[1]).all()
        assert tight._postings.currsize <= 8 and len(tight._postings) < len(roomy._postings)


def _whoosh_mask(searcher, query) -> set[int]:
    return set(query.docs(searcher))


def test_phrase_masks_agree_with_whoosh_span_matching(index_dir: Path) -> None:
    """Quoted phrases (ordered words, Ors of base forms, a stop word's gap) match exactly the pages
    Whoosh's own span matchers find, across segments with deletions, without Whoosh doing the work."""
    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        scorer = scoring.Scorer(searcher)
        phrases = ["hoitotakuu", "sote-keskus", "tulevaisuuden sote-keskus", "kotona asuminen", "hoitovelka",
                   "sosiaali- ja terveysministeriö", "uppföljningen av vårdgarantin", "hyvinvointialueen hanke",
                   "palvelujen saatavuus", "keskus tulevaisuuden", "ja ja ja"]
        texts = [d.paragraphs[0] for d in idx.iter_documents(load_settings(index_dir=index_dir, corpus_dir=index_dir.parent))]
        for text in texts[:12]:  # 2–4 consecutive words of real pages: phrases that surely occur
            words = text.split()
            if len(words) >= 6:
                phrases.append(" ".join(words[2:4]))
                phrases.append(" ".join(words[3:7]))
        found = 0
        for phrase in phrases * 2:  # the second round reads the positions kept by the first
            query = analysis.phrase_query(phrase, searcher.schema)
            mask = scorer.matching(query)
            assert mask is not None, phrase
            expected = _whoosh_mask(searcher, query)
            assert set(mask.nonzero()[0].tolist()) == expected, phrase
            found += bool(expected)
        assert found >= 20  # most phrases match something: the comparison is not over empty sets
        assert len(scorer._positions) > 0


def test_numeric_ranges_are_exact(index_dir: Path) -> None:
    """``--min-amount`` ranges come from the sorted values (Whoosh's trie ranges with both ends set
    also match sums outside them on 64-bit fields; open-ended ranges agree with Whoosh)."""
    from whoosh.query import NumericRange

    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        scorer = scoring.Scorer(searcher)
        field = searcher.schema["amount"]
        amounts: dict[int, set[int]] = {}
        for btext in field.sortable_terms(searcher.reader(), "amount"):
            for doc in searcher.reader().postings("amount", btext).all_ids():
                amounts.setdefault(doc, set()).add(field.from_bytes(btext))
        alive = set(searcher.reader().all_doc_ids())
        values = sorted(set().union(*amounts.values()))
        assert len(values) >= 3
        for low in values[:: max(1, len(values) // 5)] + [0, 10**12]:
            query = NumericRange("amount", low, None)
            got = set(scorer.matching(query).nonzero()[0].tolist())
            assert got == _whoosh_mask(searcher, query), low
            assert got == {d for d, vs in amounts.items() if max(vs) >= low and d in alive}, low
        low, high = values[1], values[-2]
        got = set(scorer.matching(NumericRange("amount", low, high)).nonzero()[0].tolist())
        assert got == {d for d, vs in amounts.items() if any(low <= v <= high for v in vs) and d in alive}


def test_field_lengths_read_in_one_go_match_whooshs_per_document_lengths(index_dir: Path) -> None:
    from whoosh.util.numeric import length_to_byte

    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            count = leaf.doc_count_all()
            for fieldname in ("text_fi", "title_fi", "text_sv"):
                expected = [length_to_byte(leaf.doc_field_length(d, fieldname, 0) or 0) for d in range(count)]
                assert whoosh_compat.length_bytes(leaf, fieldname, count).tolist() == expected
