"""Ingest speed changes that must not change a single result (issue 17, acceptance: ingest ≥ 85 %).

The Finnish model loads without its vocabulary's lookup tables (a 500,000-entry ``lexeme_prob`` table
that only ``Token.prob`` reads), and the worker pool cuts the last batches of a phase smaller. Both
are checked against the full load / whole batches on real dev pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from hakemisto.core.config import Settings
from hakemisto.documents.loaders import load_paths
from hakemisto.facts.entities import FI_EXCLUDE, FI_MODEL, fi_base, fi_nlp
from hakemisto.jobs import workers

pytestmark = pytest.mark.slow  # loads the Finnish model twice

DEV = Path(__file__).parent / "pages" / "dev" / "docs"


def _signature(doc: spacy.tokens.Doc) -> tuple:
    """Everything the model gives that the rules and facts read: tokens, lemmas, morphology,
    attribute-ruler POS, entities, and the features the model's own layers use (NORM)."""
    return (
        [t.text for t in doc],
        [t.lemma_ for t in doc],
        [str(t.morph) for t in doc],
        [t.pos_ for t in doc],
        [t.norm_ for t in doc],
        [(e.start_char, e.end_char, e.label_) for e in doc.ents],
    )


def test_skipped_lookups_are_only_word_probabilities() -> None:
    full = spacy.load(FI_MODEL, exclude=list(FI_EXCLUDE))
    # If a model version ships a table the features read (``lexeme_norm``), skipping would change them.
    assert set(full.vocab.lookups.tables) <= {"lexeme_prob", "lexeme_settings"}
    assert fi_base().vocab.lookups.tables == []
    assert fi_base().pipe_names == full.pipe_names


def test_model_output_is_the_same_without_the_lookups(settings: Settings) -> None:
    full = spacy.load(FI_MODEL, exclude=list(FI_EXCLUDE))
    docs = load_paths(sorted(DEV.glob("*_fi.*"))[:12], settings).documents
    texts = [d.text for d in docs]
    assert len(texts) >= 6
    lean = [_signature(d) for d in fi_base().pipe(texts)]
    assert lean == [_signature(d) for d in full.pipe(texts)]
    assert [_signature(d) for d in fi_nlp().pipe(texts)][0][0] == lean[0][0]


def test_tapered_batches_keep_documents_and_order() -> None:
    items = list(range(203))
    plan = workers._tapered(items, 32, 2)  # type: ignore[arg-type]
    assert [x for chunk in plan for x in chunk] == items
    sizes = [len(c) for c in plan]
    assert sizes[:4] == [32, 32, 32, 32] and max(sizes[-8:]) == 8  # the last 2 batches' worth in quarters
    assert workers._tapered(items[:5], 32, 2) == [items[:5][i : i + 8] for i in range(0, 5, 8)]  # type: ignore[arg-type]
    assert workers._tapered([], 32, 2) == []


def test_project_records_built_beside_the_index_write_are_the_same(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from hakemisto.facts.projects import projects_path
    from hakemisto.jobs import pipeline

    docs = load_paths(sorted(DEV.glob("*"))[:30], settings).documents
    here = replace(settings, index_dir=tmp_path / "here")
    pipeline.ingest_documents(docs, here)  # one process: records built after the commit, in this process

    forked: list[int] = []
    real = workers.Background.__init__

    def spy(self, fn):  # noqa: ANN001, ANN202
        forked.append(1)
        real(self, fn)

    monkeypatch.setattr(workers.Background, "__init__", spy)
    monkeypatch.setattr(pipeline, "BACKGROUND_PROJECTS", 1)
    beside = replace(settings, index_dir=tmp_path / "beside", n_process=2)
    pipeline.ingest_documents(docs, beside)
    assert forked == [1]
    assert projects_path(beside.index_dir).read_text() == projects_path(here.index_dir).read_text()
    # an incremental run (the stored records updated, not rebuilt) goes the same way
    changed = [replace(d, paragraphs=(*d.paragraphs, "Lisätieto."), content_hash=d.content_hash + "x")
               for d in docs[:3]]
    pipeline.ingest_documents(changed, here)
    pipeline.ingest_documents(changed, beside)
    assert forked == [1, 1]
    assert projects_path(beside.index_dir).read_text() == projects_path(here.index_dir).read_text()


def test_a_failed_index_write_stops_the_background_child(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from hakemisto.jobs import pipeline
    from hakemisto.search import index as idx

    closed: list[int] = []
    real = workers.Background.close

    def spy(self):  # noqa: ANN001, ANN202
        closed.append(1)
        real(self)

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError("disk full")

    monkeypatch.setattr(workers.Background, "close", spy)
    monkeypatch.setattr(pipeline, "BACKGROUND_PROJECTS", 1)
    real_write = idx.write
    monkeypatch.setattr(idx, "write", broken)
    docs = load_paths(sorted(DEV.glob("*"))[:3], settings).documents
    with pytest.raises(OSError, match="disk full"):
        pipeline.ingest_documents(docs, replace(settings, n_process=2))
    assert closed == [1]
    # no child kept the job lock's descriptor: the next ingest gets the lock at once
    monkeypatch.setattr(idx, "write", real_write)
    report = pipeline.ingest_documents(docs, replace(settings, lock_wait=0))
    assert report.new == len(docs)


def test_received_documents_stream_to_the_parent_without_changing_the_facts(settings: Settings) -> None:
    """``annotate_parallel(received=…)`` hands every document of the first phase to the parent once,
    languages detected (the ingest warms its index analysis with them while the workers run), and
    the results equal a run without it."""
    from hakemisto.documents.lang import detect_document

    names = sorted(p.name for p in DEV.iterdir() if p.suffix in {".html", ".txt"})[:14]
    loaded = load_paths([DEV / n for n in names], settings).documents
    seen: list[tuple[str, str]] = []
    streamed = workers.annotate_parallel(loaded, 2, batch_size=2, detect=True,
                                         received=lambda d: seen.append((d.id, d.lang)))
    plain = workers.annotate_parallel(loaded, 2, batch_size=2, detect=True)
    assert sorted(seen) == sorted((d.id, detect_document(d).lang) for d in loaded)
    assert [(d.id, d.lang, d.para_langs, d.facts) for d in streamed] == \
        [(d.id, d.lang, d.para_langs, d.facts) for d in plain]


def test_results_wait_in_task_order_and_let_the_parent_work_meanwhile() -> None:
    import multiprocessing

    steps: list[int] = []

    def idle() -> bool:  # the parent's own work, one step at a time, until it has none left
        if len(steps) >= 3:
            return False
        steps.append(len(steps))
        return True

    with multiprocessing.get_context("fork").Pool(2) as pool:
        got = list(workers._results(pool, sorted, [[3, 1, 2], [9, 8], []], idle))
    assert got == [[1, 2, 3], [8, 9], []]
    assert len(steps) <= 3


def test_prepared_analysis_gives_the_same_postings(settings: Settings, tmp_path: Path) -> None:
    """``index.prepare`` only fills per-word caches: an index written after it has the same terms,
    frequencies and weights as one written cold."""
    from dataclasses import replace

    from whoosh import index as whoosh_index

    from hakemisto.documents.lang import detect_document
    from hakemisto.search import analysis
    from hakemisto.search import index as idx

    docs = [detect_document(d) for d in load_paths(sorted(DEV.glob("*.*"))[:10], settings).documents]

    def postings(index_dir: Path) -> list[tuple]:
        with whoosh_index.open_dir(str(index_dir)).searcher() as searcher:
            reader = searcher.reader()
            ids = {n: f["id"] for n, f in reader.iter_docs()}
            out = []
            for field, term in reader.all_terms():
                if field in ("title_fi", "text_fi", "title_sv", "text_sv"):
                    m = reader.postings(field, term)
                    out.append((field, term, sorted((ids[i], w) for i, w in m.items_as("weight"))))
            return out

    analysis._surface_terms.cache_clear()
    cold = replace(settings, index_dir=tmp_path / "cold")
    idx.write(cold, docs)
    analysis._surface_terms.cache_clear()
    for doc in docs:
        idx.prepare(doc)
    warmed = analysis._surface_terms.cache_info().currsize
    assert warmed > 100
    prepared = replace(settings, index_dir=tmp_path / "prepared")
    idx.write(prepared, docs)
    assert analysis._surface_terms.cache_info().currsize - warmed < warmed / 10  # the write found them
    assert postings(prepared.index_dir) == postings(cold.index_dir)
