"""The Whoosh index: upsert by id, atomic commits, rebuild-and-swap, stored documents round-trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from hakemisto.core.errors import IndexMissingError
from hakemisto.core.model import Amount, Contact, Document, Facts, content_hash
from hakemisto.documents.lang import detect_document
from hakemisto.search import index as idx


def make_doc(doc_id: str, text: str, **facts) -> Document:
    paragraphs = tuple(p for p in text.split("\n") if p)
    doc = Document(
        id=doc_id,
        title=paragraphs[0],
        paragraphs=paragraphs,
        path=f"/tmp/{doc_id}",
        published=datetime(2023, 5, 2),
        content_hash=content_hash(text),
        facts=Facts(**facts),
        region=facts.get("region"),
    )
    return detect_document(doc)


FI = make_doc(
    "fi-1",
    "Hoitotakuu toteutuu RRP-hankkeessa\nHankkeen avulla puretaan hoitovelkaa ja hoitotakuun toteutumista edistetään.",
    funders=("STM", "NextGenerationEU/RRF"),
    programmes=("RRP",),
    amounts=(Amount(text="11,7 miljoonan euron", eur=11_700_000, year="2023-2025"),),
    contacts=(Contact(name="Katri Nousiainen", title="hankepäällikkö", phone="+358444823328"),),
    persons=("Katri Nousiainen",),
    region="Päijät-Häme",
)
SV = make_doc(
    "sv-1",
    "Projektbyrån stöder utvecklingsarbetet\nProjektbyrån påbörjade sin verksamhet i januari 2022 i välfärdsområdet.",
    funders=("Valtio",),
    programmes=("KATI",),
    region="Pohjanmaa",
)


def test_missing_index_says_how_to_create(settings) -> None:
    with pytest.raises(IndexMissingError, match="hakemisto ingest"):
        idx.open_index(settings.index_dir)


def test_write_and_round_trip(settings) -> None:
    assert idx.write(settings, [FI, SV]) == (2, 0)
    stored = idx.get_document(settings, "fi-1")
    assert stored is not None
    assert stored.facts == FI.facts
    assert stored.paragraphs == FI.paragraphs and stored.para_langs == FI.para_langs
    assert stored.published == FI.published
    assert idx.stored_hashes(settings.index_dir)["sv-1"][0] == SV.content_hash
    stats = idx.stats(settings)
    assert stats.documents == 2 and stats.by_lang == {"fi": 1, "sv": 1}
    assert idx.is_current(settings.index_dir)


def test_paragraphs_routed_by_language(settings) -> None:
    mixed = make_doc(
        "mixed",
        "Hankkeen tavoitteena on parantaa perustason sosiaali- ja terveyspalvelujen saatavuutta koko alueella.\n"
        "Projektet har som mål att förbättra tillgången till social- och hälsovårdstjänster i området.",
    )
    fields = idx.index_fields(mixed)
    assert "saatavuutta" in fields["text_fi"] and "tillgången" in fields["text_sv"]
    assert "tillgången" not in fields["text_fi"]


def test_upsert_replaces_by_id(settings) -> None:
    idx.write(settings, [FI, SV])
    changed = replace(FI, title="Uusi otsikko", content_hash="x")
    idx.write(settings, [changed])
    assert idx.stats(settings).documents == 2
    assert idx.get_document(settings, "fi-1").title == "Uusi otsikko"


def test_failed_write_leaves_index_unchanged(settings) -> None:
    idx.write(settings, [FI])

    def broken():
        yield SV
        raise RuntimeError("extractor crashed mid-batch")

    with pytest.raises(RuntimeError):
        idx.write(settings, broken())
    assert idx.stats(settings).documents == 1
    assert idx.get_document(settings, "sv-1") is None
    # The writer lock was released: the next write works.
    assert idx.write(settings, [SV]) == (1, 0)


def test_delete(settings) -> None:
    idx.write(settings, [FI, SV])
    assert idx.write(settings, [], delete_ids=["sv-1"]) == (0, 1)
    assert [d.id for d in idx.iter_documents(settings)] == ["fi-1"]


def test_rebuild_swaps_in_a_fresh_index(settings) -> None:
    idx.write(settings, [FI, SV])
    runs = settings.index_dir / "runs"
    runs.mkdir()
    (runs / "keep.json").write_text("{}")
    assert idx.rebuild(settings, [FI]) == 1
    assert idx.stats(settings).documents == 1
    assert (runs / "keep.json").exists()
    assert not settings.index_dir.with_name(settings.index_dir.name + ".rebuild").exists()


def test_pipeline_version_change_is_detected(settings, monkeypatch) -> None:
    idx.write(settings, [FI])
    monkeypatch.setattr(idx, "PIPELINE_VERSION", "older")
    assert not idx.is_current(settings.index_dir)
