"""Quoted text is a phrase query in both languages' fields (issue 17, acceptance).

Two pages per language hold the same words: one apart, one together. The quoted query must find only
the page where they stand together; unquoted, both pages match.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hakemisto.core.config import Settings
from hakemisto.core.model import Document, content_hash
from hakemisto.search import index as idx
from hakemisto.search.engine import search

PAGES = {
    "fi/apart": ("fi", "Kotihoidon kehittäminen",
                 "Hankkeessa parannetaan hoitotakuun seurantaa. Sen toteutuminen arvioidaan keväällä."),
    "fi/together": ("fi", "Hoitotakuu Kainuussa",
                    "Kainuussa seurataan hoitotakuun toteutuminen kuukausittain ja raportoidaan."),
    "sv/apart": ("sv", "Hemvård i Österbotten",
                 "Projektet stärker vårdgarantin i regionen. Uppföljningen sker varje kvartal."),
    "sv/together": ("sv", "Uppföljning i Österbotten",
                    "Vi publicerar uppföljningen av vårdgarantin varje månad för hela regionen."),
}


def _write(settings: Settings) -> None:
    docs = []
    for doc_id, (lang, title, text) in PAGES.items():
        paras = (text,)
        docs.append(Document(id=doc_id, title=title, paragraphs=paras, path=f"{doc_id}.txt", lang=lang,
                             para_langs=(lang,), region="Kainuu", content_hash=content_hash(text),
                             loaded_at=datetime(2026, 1, 1, tzinfo=UTC)))
    idx.write(settings, docs)


def _ids(settings: Settings, query: str) -> set[str]:
    return {h.id for h in search(settings, query, limit=20).hits}


def test_quoted_words_must_stand_together_in_finnish(settings: Settings) -> None:
    _write(settings)
    assert {"fi/apart", "fi/together"} <= _ids(settings, "hoitotakuun toteutuminen")
    assert _ids(settings, '"hoitotakuun toteutuminen"') == {"fi/together"}


def test_quoted_words_must_stand_together_in_swedish(settings: Settings) -> None:
    _write(settings)
    assert {"sv/apart", "sv/together"} <= _ids(settings, "uppföljningen vårdgarantin")
    assert _ids(settings, '"uppföljningen av vårdgarantin"') == {"sv/together"}
