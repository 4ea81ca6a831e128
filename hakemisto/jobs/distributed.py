"""Extraction on a Dask cluster: batches of documents go to workers, the single index writer stays here.

``hakemisto ingest --cluster tcp://HOST:PORT`` (an existing scheduler), ``--workers local:N`` (a
``LocalCluster`` of N worker processes on this machine) or ``cluster = "…"`` in hakemisto.toml.

Why it is shaped like this:

- **Same answers as in-process.** ``entities.annotate`` is called as a black box on each batch. Its
  only cross-document state is the list of persons found on Finnish pages, which Swedish pages of the
  same ``annotate`` call reuse ("known names"). So a run goes in two phases per annotate scope
  (``workers.annotate_scopes``, the same runs of documents the in-process path uses): first every
  batch is language-detected and its Finnish pages annotated; then the persons of the Finnish pages
  are collected in document order and the Swedish pages are annotated with that list.
- **Compact results.** A worker returns, per document, only the fields that extraction changed
  (language labels, facts, region), never the text back; the writer applies them to its own copy.
- **Bounded in flight.** At most ``2 × workers`` batches are submitted at a time and results are
  consumed as they complete, so the scheduler never holds the whole corpus.
- **Lost workers.** A batch on a worker that dies is rescheduled by the scheduler on another worker
  (Dask's ``allowed-failures``); a batch that raises is retried (``retries``). Results are keyed
  by position, so a batch computed twice is applied once: nothing is lost or duplicated.
- **One model load per worker.** ``ExtractionPlugin`` loads the spaCy pipelines when a worker joins
  (restarted workers too), not per task.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Any

from hakemisto.core.config import Settings
from hakemisto.core.errors import HakemistoError, UsageError
from hakemisto.core.model import Document

Progress = Callable[[str, int, int], None]
RETRIES = 3  # a batch whose task raises is tried this many more times
IN_FLIGHT_PER_WORKER = 2
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up with one clear line
_LOCAL = re.compile(r"local(?::(\d+))?")
_ADDRESS = re.compile(r"(tcp|tls|ws|wss|inproc)://[^\s/]+")


class ClusterError(HakemistoError):
    """The Dask scheduler cannot be reached or the cluster lost too many workers."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where extraction runs: ``address`` of an existing scheduler, or ``local`` worker processes."""

    address: str | None = None
    local_workers: int = 0

    def describe(self) -> str:
        return self.address or f"local:{self.local_workers}"


def parse_cluster(value: str) -> ClusterSpec:
    """'tcp://10.0.0.5:8786' → a scheduler address; 'local:4' (or '4') → 4 local worker processes."""
    text = value.strip()
    if text.isdigit():
        text = f"local:{text}"
    m = _LOCAL.fullmatch(text)
    if m:
        n = int(m.group(1) or os.cpu_count() or 1)
        if n < 1:
            raise UsageError(f"cluster {value!r}: local needs at least 1 worker (local:N)")
        return ClusterSpec(local_workers=n)
    if _ADDRESS.fullmatch(text):
        return ClusterSpec(address=text)
    raise UsageError(f"cluster {value!r}: expected a scheduler address tcp://HOST:PORT or local:N")


# --- worker side --------------------------------------------------------------------------------------

try:
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - dask is a dependency; the in-process path never needs it
    _WorkerPlugin = object  # type: ignore[assignment,misc]


class ExtractionPlugin(_WorkerPlugin):  # type: ignore[misc,valid-type]
    """Loads the Finnish and Swedish pipelines once when a worker starts (entities caches them)."""

    name = "hakemisto-extraction"

    def setup(self, worker: Any) -> None:
        from hakemisto.facts.entities import fi_nlp, sv_nlp

        t0 = time.perf_counter()
        fi_nlp()
        sv_nlp()
        worker.hakemisto_model_seconds = time.perf_counter() - t0


Diff = dict[str, Any]


def _changed(before: Document, after: Document) -> Diff:
    """The fields extraction changed: what travels back instead of the whole document."""
    return {f.name: getattr(after, f.name) for f in fields(Document)
            if getattr(after, f.name) != getattr(before, f.name)}


def detect_and_annotate_finnish(docs: Sequence[Document], batch_size: int) -> list[tuple[str, Diff]]:
    """Task of phase 1: language per paragraph for every document, facts for the Finnish ones.

    Returns per document (in order) the pipeline language and the changed fields."""
    from hakemisto.documents.lang import detect_document
    from hakemisto.facts.entities import annotate, extraction_lang

    detected = [detect_document(d) for d in docs]
    finnish = [d for d in detected if extraction_lang(d) == "fi"]
    annotated = iter(annotate(finnish, batch_size=batch_size))
    out = []
    for original, doc in zip(docs, detected, strict=True):
        lang = extraction_lang(doc)
        out.append((lang, _changed(original, next(annotated) if lang == "fi" else doc)))
    return out


def annotate_swedish(docs: Sequence[Document], known: Sequence[str], batch_size: int) -> list[Diff]:
    """Task of phase 2: facts for Swedish documents, knowing the persons of the scope's Finnish pages."""
    from hakemisto.facts.entities import annotate

    done = annotate(docs, batch_size=batch_size, known=known)
    return [_changed(before, after) for before, after in zip(docs, done, strict=True)]


# --- client side ---------------------------------------------------------------------------------------


@contextmanager
def connect(spec: ClusterSpec, timeout: float | None = None) -> Iterator[Any]:
    """A Dask client with the extraction plugin registered; a local cluster lives as long as it does."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover
        raise UsageError("distributed extraction needs dask[distributed]: pip install -e .") from exc
    cluster = None
    try:
        if spec.address:
            client = Client(spec.address, timeout=timeout or CONNECT_TIMEOUT, set_as_default=False)
        else:
            cluster = start_local_cluster(spec.local_workers)
            client = Client(cluster, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot reach the Dask scheduler at {spec.describe()}: {exc}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=timeout or CONNECT_TIMEOUT)
        except TimeoutError:
            raise ClusterError(f"the Dask scheduler at {spec.describe()} has no workers") from None
        client.register_plugin(ExtractionPlugin())
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def start_local_cluster(n_workers: int, **kwargs: Any) -> Any:
    """N single-threaded worker processes (each with a nanny) and a scheduler, over TCP on 127.0.0.1.

    Single-threaded because spaCy releases no GIL worth sharing; processes so a worker can die alone."""
    from distributed import LocalCluster

    options: dict[str, Any] = dict(
        n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        protocol="tcp", dashboard_address=None, scheduler_port=0,
    )
    options.update(kwargs)
    return LocalCluster(**options)


def _batches(positions: Sequence[int], size: int) -> list[list[int]]:
    return [list(positions[i:i + size]) for i in range(0, len(positions), size)]


class _Runner:
    """Submits batches with at most ``limit`` in flight and applies results as they complete."""

    def __init__(self, client: Any, limit: int, progress: Progress | None, total_docs: int) -> None:
        from distributed import as_completed

        self.client = client
        self.limit = limit
        self.progress = progress
        self.stage = "batches"
        self.total_batches = 0
        self.total_docs = total_docs
        self.batches_done = 0
        self.docs_done = 0
        self.pending: as_completed = as_completed([], loop=client.loop, with_results=False)
        self.in_flight = 0
        self.run = uuid.uuid4().hex[:8]

    def submit(self, fn: Callable[..., Any], tag: str, positions: list[int], *args: Any) -> Any:
        future = self.client.submit(fn, *args, key=f"hakemisto-{tag}-{self.run}-{positions[0]}",
                                    retries=RETRIES, pure=False)
        future.hakemisto_positions = positions
        return future

    def run_all(self, jobs: Iterator[tuple[Callable[..., Any], str, list[int], tuple[Any, ...]]],
                apply: Callable[[list[int], Any], None]) -> None:
        """Keep ``limit`` batches in flight; ``apply`` each result once, as it arrives."""
        jobs = iter(jobs)
        exhausted = False

        def refill() -> None:
            nonlocal exhausted
            while not exhausted and self.in_flight < self.limit:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    return
                fn, tag, positions, args = job
                self.pending.add(self.submit(fn, tag, positions, *args))
                self.in_flight += 1

        refill()
        while self.in_flight:
            future = next(self.pending)
            self.in_flight -= 1
            try:
                result = future.result()
            except Exception as exc:
                raise ClusterError(f"a batch of {len(future.hakemisto_positions)} documents failed on "
                                   f"the cluster after {RETRIES} retries: {exc}") from None
            positions = future.hakemisto_positions
            future.release()
            apply(positions, result)
            self.batches_done += 1
            if self.progress:
                self.progress(self.stage, self.batches_done, self.total_batches)
            refill()

    def count_docs(self, n: int) -> None:
        self.docs_done += n
        if self.progress:
            self.progress("extract", self.docs_done, self.total_docs)


def analyse_on_cluster(docs: Sequence[Document], settings: Settings, progress: Progress | None = None,
                       client: Any = None) -> list[Document]:
    """``pipeline.analyse`` on Dask: the same documents, in order, with languages and facts.

    ``client``: an already connected client (tests, benchmarks); otherwise ``settings.cluster`` is
    connected to for this call."""
    if client is None:
        with connect(parse_cluster(settings.cluster)) as own:
            return analyse_on_cluster(docs, settings, progress, client=own)
    from hakemisto.jobs.workers import annotate_scopes

    docs = list(docs)
    out: list[Document] = list(docs)
    langs: dict[int, str] = {}
    size = max(1, settings.cluster_batch)
    scopes = annotate_scopes(len(docs), settings)
    workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
    phase1 = [(scope_no, b) for scope_no, scope in enumerate(scopes) for b in _batches(list(scope), size)]
    runner = _Runner(client, IN_FLIGHT_PER_WORKER * workers, progress, len(docs))
    runner.total_batches = len(phase1)

    def apply_first(positions: list[int], result: list[tuple[str, Diff]]) -> None:
        finnish = 0
        for pos, (lang, diff) in zip(positions, result, strict=True):
            if pos in langs:  # already applied (cannot happen with keyed futures; kept as a guard)
                continue
            langs[pos] = lang
            out[pos] = replace(docs[pos], **diff)
            finnish += lang == "fi"
        runner.count_docs(finnish)

    runner.run_all(((detect_and_annotate_finnish, "fi", b, ([docs[p] for p in b], settings.batch_size))
                    for _, b in phase1), apply_first)

    # Phase 2: the Swedish pages of each scope, with the persons of its Finnish pages in document order.
    phase2: list[tuple[list[int], Any]] = []
    for scope in scopes:
        swedish = [p for p in scope if langs[p] == "sv"]
        if not swedish:
            continue
        known: list[str] = []
        for p in scope:
            if langs[p] == "fi" and out[p].facts is not None:
                known.extend(out[p].facts.persons)
        known_ref = client.scatter([known], broadcast=True)[0] if known else []  # shipped once per worker
        phase2.extend((b, known_ref) for b in _batches(swedish, size))
    runner.stage, runner.batches_done, runner.total_batches = "batches sv", 0, len(phase2)
    done: set[int] = set()

    def apply_second(positions: list[int], result: list[Diff]) -> None:
        fresh = [(p, d) for p, d in zip(positions, result, strict=True) if p not in done]
        for pos, diff in fresh:
            done.add(pos)
            out[pos] = replace(out[pos], **diff)
        runner.count_docs(len(fresh))

    runner.run_all(((annotate_swedish, "sv", b, ([out[p] for p in b], known, settings.batch_size))
                    for b, known in phase2), apply_second)
    return out
