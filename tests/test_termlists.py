"""The term lists behind the compound lookup and did-you-mean are stored at commit time (issue 17):
a new process reads them instead of walking the index's lexicon on its first search."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from hakemisto.core.config import Settings
from hakemisto.core.model import Document, Facts, content_hash
from hakemisto.search import analysis, generations, suggest
from hakemisto.search import index as idx
from hakemisto.search.engine import search

PAGES = [
    ("fi/1", "fi", "Hyvinvointialueen palveluohjaus", "Hyvinvointialue kehittää palveluohjausta ja kotihoitoa.", "STM"),
    ("fi/2", "fi", "Kotihoito Kainuussa", "Kotihoidon palveluohjaaja auttaa ikääntyneitä hyvinvointialueella.", "ESR"),
    ("fi/3", "fi", "Mielenterveyspalvelut", "Mielenterveyspalvelujen saatavuutta parannetaan alueella.", "STM"),
    ("sv/1", "sv", "Hemvård i Österbotten", "Välfärdsområdet utvecklar hemvården och servicehandledningen.", "EU"),
]


def _docs(suffix: str = "") -> list[Document]:
    return [
        Document(id=doc_id + suffix, title=title, paragraphs=(text,), path=f"{doc_id}{suffix}.txt", lang=lang,
                 para_langs=(lang,), region="Kainuu", content_hash=content_hash(text + suffix),
                 loaded_at=datetime(2026, 1, 1, tzinfo=UTC), facts=Facts(funders=(funder,)))
        for doc_id, lang, title, text, funder in PAGES
    ]


def _stored(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.index_dir.iterdir() if p.name.startswith("terms-"))


def test_each_commit_stores_its_generations_term_lists(settings: Settings) -> None:
    idx.write(settings, _docs())
    ix = idx.open_index(settings.index_dir)
    with ix.searcher() as searcher:
        generation = searcher.reader().generation()
        stored = generations.read_term_lists(settings.index_dir, generation)
        built = generations.build_term_lists(searcher.reader(), searcher.doc_count())
    assert _stored(settings) == [f"terms-{generation}.npz"]
    assert stored is not None
    assert stored.sorted == built.sorted and stored.reversed == built.reversed
    assert {lang: f.tolist() for lang, f in stored.frequency.items()} == {
        lang: f.tolist() for lang, f in built.frequency.items()}
    assert stored.keywords == built.keywords and "STM" in stored.keywords["funders"]
    assert stored.doc_count == 4
    assert "hyvinvointialue" in stored.sorted["fi"]

    idx.write(settings, _docs("-b"))
    idx.write(settings, [replace(d, title=d.title + " päivitetty") for d in _docs("-c")])
    ix = idx.open_index(settings.index_dir)
    with ix.searcher() as searcher:
        latest = searcher.reader().generation()
        assert generations.term_lists(searcher).doc_count == 12
    assert _stored(settings) == sorted([f"terms-{latest - 1}.npz", f"terms-{latest}.npz"])  # older ones removed


def test_first_search_reads_the_stored_lists_not_the_lexicon(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the file present a new process never walks the lexicon, and finds the same compounds
    and spelling suggestions as one that has to (an index written before the lists were stored)."""
    idx.write(settings, _docs())
    ix = idx.open_index(settings.index_dir)
    with ix.searcher() as searcher:
        expected_compounds = analysis.Compounds.from_term_lists(
            generations.build_term_lists(searcher.reader(), searcher.doc_count())).expand("fi", "palvelu")
        expected_suggestion = suggest.suggest(searcher, "hemvårdn kotihoitto")
    assert "palveluohjaus" in expected_compounds and expected_suggestion

    generations._values.clear()

    def walked(*args: object) -> None:
        raise AssertionError("the lexicon was walked although the term lists are stored")

    monkeypatch.setattr(generations, "build_term_lists", walked)
    ix = idx.open_index(settings.index_dir)
    with ix.searcher() as searcher:
        assert analysis.compounds_for(searcher).expand("fi", "palvelu") == expected_compounds
        assert suggest.suggest(searcher, "hemvårdn kotihoitto") == expected_suggestion
    assert search(settings, "palvelu").total >= 2
    monkeypatch.undo()

    for path in settings.index_dir.glob("terms-*.npz"):  # an index from before: built from the reader
        path.unlink()
    generations._values.clear()
    ix = idx.open_index(settings.index_dir)
    with ix.searcher() as searcher:
        assert analysis.compounds_for(searcher).expand("fi", "palvelu") == expected_compounds
        assert suggest.suggest(searcher, "hemvårdn kotihoitto") == expected_suggestion
