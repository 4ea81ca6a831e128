"""The neural model's stored output: same facts from a stored Doc, and a rules-only rebuild reads it."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

import pytest

from hakemisto import PIPELINE_VERSION
from hakemisto.core.config import Settings
from hakemisto.documents.lang import detect_document
from hakemisto.documents.loaders import load_paths
from hakemisto.facts import modelcache
from hakemisto.facts.entities import annotate
from hakemisto.jobs import pipeline as pipeline_mod
from hakemisto.search import index as idx

pytestmark = pytest.mark.slow  # spaCy over worker processes

DEV = Path(__file__).parent / "pages" / "dev" / "docs"
PAGES = ["pirkanmaa_hoitotakuu_fi.html", "kainuu_arjentuki_fi.html", "kainuu_arjentuki_sv.html",
         "satakunta_loppuraportti.txt"]


def _docs(settings: Settings) -> list:
    loaded = load_paths([DEV / name for name in PAGES], settings)
    return [detect_document(d) for d in loaded.documents]


def test_stored_model_output_gives_the_same_facts(settings: Settings, tmp_path: Path) -> None:
    docs = _docs(settings)
    plain = annotate(docs)
    cache = tmp_path / "cache" / modelcache.FILE_NAME
    with modelcache.use(cache):
        first = annotate(docs)  # computed and stored
    stored = modelcache.size(cache)
    assert stored == sum(1 for d in docs if d.lang != "sv")
    with modelcache.use(cache):
        again = annotate(docs)  # read back: only the rule components run
    assert [d.facts for d in first] == [d.facts for d in plain]
    assert [d.facts for d in again] == [d.facts for d in plain]
    assert modelcache.size(cache) == stored


def test_rules_only_rebuild_reads_the_stored_output(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = load_paths([DEV / name for name in PAGES], settings).documents
    pipeline_mod.ingest_documents(docs, settings)
    cache = settings.index_dir / modelcache.FILE_NAME
    assert modelcache.size(cache) >= 3
    facts = {d.id: d.facts for d in idx.iter_documents(settings)}

    calls: list[int] = []
    real = modelcache.pipe

    def counting(pipelines, texts, batch_size, neural):  # noqa: ANN001, ANN202
        def counted(nlp, ts):  # noqa: ANN001, ANN202
            calls.append(len(ts))
            return neural(nlp, ts)

        return real(pipelines, texts, batch_size, counted)

    monkeypatch.setattr(modelcache, "pipe", counting)
    monkeypatch.setattr(pipeline_mod, "PIPELINE_VERSION", PIPELINE_VERSION + "-rules")
    monkeypatch.setattr(idx, "PIPELINE_VERSION", PIPELINE_VERSION + "-rules", raising=False)
    report = pipeline_mod.ingest_documents(docs, settings)
    assert report.rebuilt
    assert calls and sum(calls) == 0, "the model ran on no text: everything came from the store"
    assert (settings.index_dir / modelcache.FILE_NAME).exists(), "the store survives the rebuild swap"
    assert {d.id: d.facts for d in idx.iter_documents(settings)} == facts
    with sqlite3.connect(cache) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_stored_batches_need_no_model(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch whose every Finnish text is stored runs on the stand-in without the model's weights and
    vectors, with the same facts; one text not stored brings the model in for the batch."""
    from hakemisto.facts import entities

    docs = [d for d in _docs(settings) if d.lang != "sv"]
    assert len(docs) >= 3
    plain = annotate(docs)
    pipelines = entities.fi_pipelines()
    assert pipelines.model_id == modelcache._model_id(entities.fi_nlp()), "one key for the model's output"
    cache = tmp_path / modelcache.FILE_NAME
    with modelcache.use(cache):
        annotate(docs[:2])  # stores two texts
        assert modelcache.stored_share(pipelines.model_id, [d.text for d in docs[:3]]) == pytest.approx(2 / 3)
    assert modelcache.stored_share(pipelines.model_id, [d.text for d in docs]) == 0.0, "no store in use"
    used: list[str] = []
    full, stored = entities.fi_nlp, entities.fi_stored
    monkeypatch.setattr(entities, "fi_nlp", lambda: used.append("full") or full())
    monkeypatch.setattr(entities, "fi_stored", lambda: used.append("stored") or stored())
    with modelcache.use(cache):
        again = annotate(docs[:2])
    assert used == ["stored"]
    assert [d.facts for d in again] == [d.facts for d in plain[:2]]
    used.clear()
    with modelcache.use(cache):
        mixed = annotate(docs)
    assert used == ["full"]
    assert [d.facts for d in mixed] == [d.facts for d in plain]


def test_a_stored_doc_carries_its_text(settings: Settings, tmp_path: Path) -> None:
    """A Doc read back holds its text in ``user_data`` (the rules then need not join it from the
    tokens): exactly the text the tokens join to."""
    from hakemisto.facts import entities

    texts = [d.text for d in _docs(settings) if d.lang != "sv"]
    pipelines = entities.fi_pipelines()
    with modelcache.use(tmp_path / modelcache.FILE_NAME):
        list(modelcache.pipe(pipelines, texts, 8, partial(entities._neural, batch_size=8)))
        again = list(modelcache.pipe(pipelines, texts, 8, partial(entities._neural, batch_size=8)))
    assert [d.user_data[modelcache.TEXT_KEY] for d in again] == texts == [d.text for d in again]


def test_worker_processes_give_the_facts_of_one_process(settings: Settings) -> None:
    """Facts built in forked workers (languages detected there too) equal the in-process ones,
    Swedish known names included."""
    from hakemisto.jobs import workers
    from hakemisto.jobs.workers import annotate_parallel

    names = sorted(p.name for p in DEV.iterdir() if p.suffix in {".html", ".txt"})[:14]
    loaded = load_paths([DEV / n for n in names], settings).documents
    detected = [detect_document(d) for d in loaded]
    one = annotate(detected, batch_size=2)
    assert sum(1 for d in detected if d.lang == "sv") >= 1
    assert [d.facts for d in workers.annotate(detected, n_process=2, batch_size=2)] == [d.facts for d in one]
    in_workers = annotate_parallel(loaded, 2, batch_size=2, detect=True)
    assert [(d.id, d.lang, d.para_langs, d.region, d.facts) for d in in_workers] == \
        [(d.id, d.lang, d.para_langs, d.region, d.facts) for d in one]


@pytest.mark.parametrize("damage", ["directory", "not a database"])
def test_a_broken_cache_costs_speed_never_the_run(settings: Settings, tmp_path: Path, damage: str) -> None:
    """A cache that cannot be opened, read or written (full disk, I/O error, garbage) is skipped."""
    docs = _docs(settings)
    plain = annotate(docs)
    cache = tmp_path / modelcache.FILE_NAME
    if damage == "directory":
        cache.mkdir()
    else:
        cache.write_bytes(b"\x00garbage, not SQLite" * 100)
    with modelcache.use(cache):
        got = annotate(docs)
    assert [d.facts for d in got] == [d.facts for d in plain]
