"""A rebuild for new extraction rules keeps the postings of pages whose stored fields did not change.

The reusing rebuild must leave an index that answers exactly like a full rebuild (same documents,
same search results, same stored JSON), count the carried pages as current, and fall back to a full
rebuild when the analyzers changed.
"""

from __future__ import annotations

import json
from dataclasses import replace

from hakemisto.core.model import Facts
from hakemisto.jobs.nightly import check_index
from hakemisto.search import index as idx
from hakemisto.search.engine import Filters, search
from tests.test_index import FI, SV, make_doc

OTHER = make_doc(
    "fi-2",
    "Kotihoidon kehittäminen Pohjanmaalla\nKotihoidon asiakkaille kehitetään etäpalveluja hyvinvointialueella.",
    region="Pohjanmaa",
)


def _stored(settings) -> dict[str, dict]:
    ix = idx.open_index(settings.index_dir)
    with ix.searcher() as searcher:
        return {f["id"]: f for f in searcher.all_stored_fields()}


def _answers(settings) -> dict[str, list[str]]:
    queries = {"hoitotakuu": Filters(), "projektbyrån": Filters(), "kotihoito": Filters(),
               "": Filters(funder="STM"), "etäpalvelu": Filters(region="Pohjanmaa")}
    return {q + repr(f): [h.id for h in search(settings, q, f).hits] for q, f in queries.items()}


def _bump(monkeypatch, version: str) -> None:
    monkeypatch.setattr(idx, "PIPELINE_VERSION", version)


def test_reusing_rebuild_equals_a_full_rebuild(settings, tmp_path, monkeypatch) -> None:
    idx.write(settings, [FI, SV, OTHER])
    first = _stored(settings)
    _bump(monkeypatch, "rules-2")
    assert not idx.is_current(settings.index_dir) and idx.can_reuse(settings.index_dir)
    changed = replace(FI, facts=replace(FI.facts, funders=("STM",)))  # new rules: one page's facts differ
    written = idx.rebuild(settings, [changed, SV], reuse=True)  # OTHER is gone from the corpus
    assert written == 1
    reused = _stored(settings)
    assert set(reused) == {"fi-1", "sv-1"}
    assert reused["sv-1"]["pipeline_version"] == first["sv-1"]["pipeline_version"]  # postings kept
    assert reused["fi-1"]["pipeline_version"] == "rules-2"
    assert idx.is_current(settings.index_dir)
    assert {v for _, v in idx.stored_hashes(settings.index_dir).values()} == {"rules-2"}

    full = replace(settings, index_dir=tmp_path / "full")
    idx.write(full, [changed, SV])
    assert _answers(settings) == _answers(full)
    assert search(settings, "", Filters(funder="NextGenerationEU/RRF")).hits == []
    stored_full = _stored(full)
    for doc_id, fields in reused.items():
        assert json.loads(fields["doc"]) == json.loads(stored_full[doc_id]["doc"])
    problems = check_index(settings, corpus=False).problems
    assert not [p for p in problems if "pipeline version" in p], problems


def test_carried_pages_stay_current_through_later_runs(settings, monkeypatch) -> None:
    idx.write(settings, [FI, SV])
    _bump(monkeypatch, "rules-2")
    idx.rebuild(settings, [FI, SV], reuse=True)
    _bump(monkeypatch, "rules-3")
    idx.rebuild(settings, [FI, replace(SV, facts=Facts(funders=("Valtio",)))], reuse=True)
    stored = _stored(settings)
    assert stored["sv-1"]["pipeline_version"] == "rules-3"
    assert idx.read_meta(settings.index_dir)["carried_versions"] != []
    assert set(idx.current_versions(settings.index_dir)) >= {"rules-3", stored["fi-1"]["pipeline_version"]}
    idx.write(settings, [OTHER])  # an incremental run keeps the carried versions
    assert {v for _, v in idx.stored_hashes(settings.index_dir).values()} == {"rules-3"}


def test_changed_analyzers_need_a_full_rebuild(settings, monkeypatch) -> None:
    idx.write(settings, [FI, SV])
    assert idx.can_reuse(settings.index_dir)
    monkeypatch.setattr(idx, "analysis_fingerprint", lambda schema: "other-analyzers")
    assert not idx.can_reuse(settings.index_dir)
    idx.write(settings, [OTHER])  # written by other analyzers: the index is mixed from now on
    assert idx.read_meta(settings.index_dir)["analysis"] is None
    monkeypatch.undo()
    assert not idx.can_reuse(settings.index_dir)
    idx.rebuild(settings, [FI, SV, OTHER])
    assert idx.can_reuse(settings.index_dir)


def test_other_analyzer_kind_needs_a_full_rebuild(settings) -> None:
    idx._rebuild(settings.index_dir, [FI, SV], kind="snowball")
    assert idx.can_reuse(settings.index_dir, "snowball")
    assert not idx.can_reuse(settings.index_dir, "voikko")


def test_a_page_read_again_is_the_same_document_without_parsing(monkeypatch) -> None:
    """A rebuild of a corpus reads every page from disk again: a stored JSON that differs only in
    ``loaded_at`` is the same document (compared as text, not parsed); any other difference is not —
    also when a paragraph quotes the key itself."""
    from datetime import UTC, datetime

    quoting = replace(OTHER, paragraphs=(*OTHER.paragraphs, 'Kenttä "loaded_at": null, ei ole avain.'))
    for doc in (FI, SV, quoting, replace(OTHER, loaded_at=None)):
        first = replace(doc, loaded_at=datetime(2026, 1, 1, tzinfo=UTC))
        again = replace(doc, loaded_at=datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
        stored = idx.index_fields(first)["doc"]
        changed = replace(again, title=again.title + " (päivitetty)")
        assert not idx._same_document(stored, idx.index_fields(changed))
        monkeypatch.setattr(idx.json, "loads", lambda _: (_ for _ in ()).throw(AssertionError("parsed")))
        assert idx._same_document(stored, idx.index_fields(again))
        assert idx._same_document(stored, idx.index_fields(replace(doc, loaded_at=None)))
        monkeypatch.undo()
