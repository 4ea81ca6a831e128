"""Ingest orchestration: documents → language → entities → twins/duplicates → index.

Only documents whose content hash or pipeline version changed go through the NLP stages; the
index is written in one atomic commit (or rebuilt and swapped when the pipeline version changed).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from hakemisto import PIPELINE_VERSION
from hakemisto.core.config import Settings
from hakemisto.core.lock import pause_point, writer_lock
from hakemisto.core.model import Document, Skip
from hakemisto.documents.loaders import load_paths
from hakemisto.facts.dedup import ShingleCache, group_duplicates
from hakemisto.facts.twins import link_twins
from hakemisto.jobs import shinglestore
from hakemisto.jobs.workers import Background
from hakemisto.report.changes import ChangeLog, compute_changes, new_run_id, run_time
from hakemisto.search import index as idx

Progress = Callable[[str, int, int], None]
BACKGROUND_PROJECTS = 200  # pages touched from which the project records are built beside the index write


@dataclass
class IngestReport:
    seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    relinked: int = 0
    skipped: list[Skip] = field(default_factory=list)
    rebuilt: bool = False
    rebuild_reason: str | None = None
    durations: dict[str, float] = field(default_factory=dict)
    changes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.new + self.changed + self.relinked

    def to_dict(self) -> dict:
        return {
            "seen": self.seen,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "relinked": self.relinked,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "rebuilt": self.rebuilt,
            "rebuild_reason": self.rebuild_reason,
            "changes": self.changes,
            "notes": list(self.notes),
            "durations": {k: round(v, 3) for k, v in self.durations.items()},
        }


def analyse(docs: Sequence[Document], settings: Settings, progress: Progress | None = None,
            received: Callable[[Document], None] | None = None) -> list[Document]:
    """Language per paragraph, then entities (the spaCy stage batches and may use both cores).

    With ``settings.cluster`` the same work runs in batches on Dask workers (``distributed.py``).
    ``received``: called in this process with documents the worker processes returned, while they
    go on (``workers.annotate_parallel``); not called on the other paths."""
    if settings.cluster and docs:
        from hakemisto.jobs.distributed import analyse_on_cluster

        return analyse_on_cluster(docs, settings, progress)
    from hakemisto.jobs.workers import annotate, annotate_parallel, annotate_scopes, detect_languages

    out: list[Document] = []
    total = len(docs)
    if settings.n_process > 1 and total >= 100:
        # Language detection, the model and the facts all in the worker processes (``workers.py``).
        def report(done: int) -> None:
            if progress:
                progress("extract", done, total)

        out = annotate_parallel(docs, settings.n_process, settings.batch_size, detect=True, progress=report,
                                received=received)
        if progress:
            progress("extract", total, total)
        return out
    for scope in annotate_scopes(total, settings):
        start, step = scope.start, len(scope)
        chunk = detect_languages(docs[start : start + step])
        n_process = settings.n_process if len(chunk) >= 100 else 1
        out.extend(annotate(chunk, n_process=n_process, batch_size=settings.batch_size))
        if progress:
            progress("extract", len(out), total)
    return out


def link(docs: list[Document], changed: set[str] | None = None, shingles: ShingleCache | None = None) -> list[Document]:
    """fi/sv twins and republished duplicates need the whole collection, not one document.

    ``changed``: ids processed in this run; the others keep their stored duplicate verdicts.
    ``shingles``: the duplicate linker's cache of earlier runs (``shinglestore``)."""
    return group_duplicates(link_twins(docs), changed, shingles)


def extract_documents(docs: Sequence[Document], settings: Settings, progress: Progress | None = None) -> list[Document]:
    """The ingest pipeline's extraction stages without the index: language and entities (``analyse``),
    then fi/sv twins. ``extract`` and ``eval-extract`` use it, so they see what ``ingest`` stores."""
    from hakemisto.facts.twins import link_twins

    return link_twins(analyse(docs, settings, progress))


def extract_paths(paths: Iterable[str | Path], settings: Settings) -> tuple[list[Document], list[Skip]]:
    """Files → annotated, twin-linked documents (``load_paths`` then ``extract_documents``) and the skips."""
    loaded = load_paths(paths, settings)
    return extract_documents(loaded.documents, settings), list(loaded.skipped)


def _stored_documents(settings: Settings) -> list[Document]:
    if not idx.exists(settings.index_dir):
        return []
    return list(idx.iter_documents(settings))


def _where(doc: Document) -> str:
    return doc.path or doc.url or doc.id


def unique_ids(documents: Iterable[Document], skipped: list[Skip]) -> list[Document]:
    """One document per id: a later one replaces an earlier one, and the replaced one is reported."""
    by_id: dict[str, Document] = {}
    for doc in documents:
        earlier = by_id.get(doc.id)
        if earlier is not None:
            skipped.append(
                Skip(_where(earlier), f"duplicate id '{doc.id}': replaced by the later one from {_where(doc)}")
            )
        by_id[doc.id] = doc
    return list(by_id.values())


def ingest_documents(
    documents: Iterable[Document],
    settings: Settings,
    *,
    skipped: Iterable[Skip] = (),
    remove_ids: Iterable[str] = (),
    progress: Progress | None = None,
    run_id: str | None = None,
    purpose: str = "hakemisto ingest",
) -> IngestReport:
    """Bring the index up to date with ``documents`` (and drop ``remove_ids``) in one commit.

    What changed is appended to the change log (``changes.py``) as one run, written before the commit
    and confirmed after it, so the log and the index never disagree. Holds the index's writer lock from
    reading what is stored to the commit: two writers that both planned against the same stored state
    would lose each other's links and double-count.
    """
    documents = list(documents)
    with writer_lock(settings, purpose):
        return _ingest_locked(documents, settings, skipped, remove_ids, progress, run_id)


def _ingest_locked(
    documents: list[Document],
    settings: Settings,
    skipped: Iterable[Skip],
    remove_ids: Iterable[str],
    progress: Progress | None,
    run_id: str | None,
) -> IngestReport:
    report = IngestReport(skipped=list(skipped))
    run = run_id or new_run_id()
    at = (run_time(run) or datetime.now(UTC)).isoformat(timespec="seconds")
    log = ChangeLog(settings.index_dir)
    remove_ids = set(remove_ids)
    t0 = time.perf_counter()
    docs = unique_ids(documents, report.skipped)
    report.seen = len(docs)
    index_dir = settings.index_dir
    rebuild = idx.exists(index_dir) and not idx.is_current(index_dir)
    hashes = idx.stored_hashes(index_dir) if idx.exists(index_dir) else {}
    report.notes.extend(log.recover(hashes))
    stored = hashes if not rebuild else {}
    reuse = False
    todo: list[Document] = []
    for doc in docs:
        previous = stored.get(doc.id)
        if previous == (doc.content_hash, PIPELINE_VERSION):
            report.unchanged += 1
            continue
        todo.append(doc)
        if previous is None:
            report.new += 1
        else:
            report.changed += 1
    removals = [i for i in remove_ids if i in stored]
    report.durations["plan"] = time.perf_counter() - t0
    if not todo and not removals and not rebuild:
        from hakemisto.facts.projects import is_current, refresh

        if idx.exists(index_dir) and not is_current(index_dir):  # records from an older hakemisto
            refresh(settings, _stored_documents(settings))
        if idx.exists(index_dir):
            log.commit(log.write_pending(run, at, []))  # a run that found nothing new is news too
        return report

    given = {d.id for d in docs}
    stored_docs = {d.id: d for d in _stored_documents(settings)}
    if rebuild:
        meta = idx.read_meta(index_dir)
        # Same analyzers (only rules or vocabularies changed): unchanged pages keep their postings.
        reuse = idx.can_reuse(index_dir, settings.analyzer)
        report.rebuilt = True
        report.rebuild_reason = (
            f"pipeline version {meta.get('pipeline_version') or 'unknown'} → {PIPELINE_VERSION}: re-extracting everything"
        )
        # Re-extract what the old index holds too, from its stored text: no re-fetching needed.
        old = [d for d in stored_docs.values() if d.id not in given and d.id not in remove_ids]
        todo.extend(replace(d, facts=None, twin=None, duplicates=()) for d in old)

    t1 = time.perf_counter()
    from hakemisto.facts import modelcache

    # Every page extracted now is analysed for the index after linking, except in a rebuild that
    # reuses the old index (only changed pages): warm the analyzers while the workers run.
    warm = None if reuse else partial(idx.prepare, kind=settings.analyzer)
    with modelcache.use(index_dir / modelcache.FILE_NAME):
        processed = analyse(todo, settings, progress, received=warm)
    report.durations["extract"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    processed_ids = {d.id for d in processed}
    others = [] if rebuild else [d for d in stored_docs.values() if d.id not in processed_ids]
    others = [d for d in others if d.id not in set(removals)]
    shingles = shinglestore.load(index_dir, report.notes)
    linked = link(processed + others, None if rebuild else processed_ids, shingles)
    before = {d.id: (d.twin, d.duplicates) for d in others}
    to_write = [d for d in linked if d.id in processed_ids or before.get(d.id) != (d.twin, d.duplicates)]
    report.relinked = sum(1 for d in to_write if d.id not in processed_ids)
    report.durations["link"] = time.perf_counter() - t2

    changes = compute_changes(
        stored_docs, [d for d in linked if d.id in processed_ids], removals, run=run, at=at
    )
    report.changes = len(changes)

    # Project records span pages: rebuilt from every document in memory, stored with the index
    # after its commit. Only the projects of the counties the added, changed and removed pages touch
    # are rebuilt; many pages' records are computed in a forked process while the index is written.
    from hakemisto.facts import projects

    touched = {*(d.id for d in to_write), *removals}  # new, changed, re-linked (twins) and removed pages
    changed_ids = None if rebuild else touched
    previous = {d: stored_docs[d] for d in touched if d in stored_docs}
    stored_records = projects.stored_for_refresh(index_dir, changed_ids)

    def records() -> bytes:  # encoded where computed: the parent then only writes the file
        return projects.encode(projects.compute(linked, changed_ids, previous, stored_records))

    background = Background(records) if settings.n_process > 1 and len(touched) >= BACKGROUND_PROJECTS else None
    try:  # the child holds copies of this process's descriptors (the job lock's too): it never outlives this
        t3 = time.perf_counter()
        pending = log.write_pending(run, at, changes)
        try:
            if rebuild:
                idx.rebuild(settings, linked, reuse=reuse)
            else:
                _, report.removed = idx.write(settings, to_write, delete_ids=removals)
        except BaseException:
            log.discard(pending)  # nothing was committed (a kill here is settled by the next run's recover)
            raise
        pause_point("changelog")
        log.commit(pending)
        shinglestore.save(index_dir, shingles, report.notes)
        report.durations["index"] = time.perf_counter() - t3

        t4 = time.perf_counter()
        built = background.result() if background is not None else records()
    finally:
        if background is not None:
            background.close()
    projects.save(index_dir, built)
    report.durations["projects"] = time.perf_counter() - t4
    report.durations["total"] = time.perf_counter() - t0
    return report


def ingest_paths(paths: Iterable[str], settings: Settings, progress: Progress | None = None) -> IngestReport:
    """Load files, directories and globs, then ``ingest_documents``."""
    t0 = time.perf_counter()
    loaded = load_paths(paths, settings)
    load_time = time.perf_counter() - t0
    report = ingest_documents(loaded.documents, settings, skipped=loaded.skipped, progress=progress)
    report.durations = {"load": load_time, **report.durations}
    return report
