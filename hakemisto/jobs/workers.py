"""Extraction in worker processes that send back only the small results.

spaCy's own ``nlp.pipe(n_process=N)`` pickles every processed ``Doc`` (tokens, vectors of flags,
span groups) back to the parent, which then builds the facts alone, on one core, while the workers
wait on a full queue; language detection ran serially in the parent before any worker started, and
Swedish pages were read in the parent only. Here each worker process gets a batch of plain
``Document`` objects, detects their languages, runs the pipeline *and* builds the facts, and returns
the same documents with ``facts`` filled: a few kilobytes per page.

Two phases keep the results of ``entities.annotate``: the Finnish pages (and language detection) of
every batch first; then the Swedish pages, in the same pool, with the persons of all Finnish pages
(the known-names pass needs the whole run's Finnish names). Workers are forked after the parent has
loaded the pipelines, so the model's weights are shared copy-on-write, as spaCy's own pool does; they
die with the parent (``children.install``).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from hakemisto.core.config import Settings
from hakemisto.core.model import Document

Progress = Callable[[int], None]
CHUNK = 256  # documents per NLP batch between progress reports (in-process extraction)
T = TypeVar("T")


def detect_languages(batch: Sequence[Document]) -> list[Document]:
    """Languages per paragraph; inside a model-output store (a rebuild) the stored langdetect
    answers are read and only new paragraphs are judged. One copy for the workers and the serial path."""
    from hakemisto.documents.lang import detect_document, judged_texts
    from hakemisto.facts import modelcache

    if not modelcache.active():
        return [detect_document(d) for d in batch]
    stored = modelcache.StoredLanguages([t for d in batch for t in judged_texts(d.paragraphs)])
    out = [detect_document(d, stored) for d in batch]
    stored.store()
    return out


def _first(args: tuple[list[Document], int, bool]) -> list[Document]:
    """Phase 1 in a worker: languages (when asked) and the Finnish pages' facts."""
    from hakemisto.facts.entities import annotate, extraction_lang

    batch, batch_size, detect = args
    if detect:
        batch = detect_languages(batch)
    fi = [i for i, d in enumerate(batch) if extraction_lang(d) == "fi"]
    for i, done in zip(fi, annotate([batch[i] for i in fi], batch_size=batch_size), strict=True):
        batch[i] = done
    return batch


def _second(args: tuple[list[Document], int, tuple[str, ...]]) -> list[Document]:
    """Phase 2 in a worker: Swedish pages, with the names the Finnish pages gave."""
    from hakemisto.facts.entities import annotate

    batch, batch_size, known = args
    return annotate(batch, batch_size=batch_size, known=known)


def annotate_scopes(total: int, settings: Settings) -> list[range]:
    """Runs of documents that one ``annotate`` call reads together (Swedish pages know the persons of
    the Finnish pages in the same run); the Dask path keeps the same runs so its answers are equal."""
    # With worker processes, one big batch: each pool start costs a model load per worker.
    step = CHUNK if settings.n_process <= 1 else max(total, 1)
    return [range(start, min(start + step, total)) for start in range(0, total, step)]


def annotate(docs: Sequence[Document], n_process: int = 1, batch_size: int = 32,
             known: Sequence[str] = ()) -> list[Document]:
    """``entities.annotate``: by ``n_process`` forked workers (which die with this process) when there
    are enough Finnish pages to pay for the pool, else in this process."""
    from hakemisto.facts.entities import annotate as annotate_here
    from hakemisto.facts.entities import extraction_lang

    fi_count = sum(1 for d in docs if extraction_lang(d) == "fi")
    if n_process > 1 and fi_count >= 4 * batch_size:
        return annotate_parallel(docs, n_process, batch_size, known=known)
    return annotate_here(docs, batch_size=batch_size, known=known)


def _chunks(items: Sequence[Document], size: int) -> list[list[Document]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


TAIL_SPLIT = 4  # the last batches of a phase go out in quarters


def _tapered(items: Sequence[Document], size: int, workers: int) -> list[list[Document]]:
    """Batches of ``size``, except the last ``workers`` batches' worth, cut into quarters: the pool
    hands out batches in order, so a phase ends when its slowest worker finishes its last batch —
    with whole batches (~3 s of model time each) one core idled half a batch on average at the end
    of each phase. Same documents, same order; the model's output does not depend on the batch."""
    tail = min(len(items), workers * size)
    head = len(items) - tail
    return _chunks(items[:head], size) + _chunks(items[head:], max(1, size // TAIL_SPLIT))


def _results(pool: Any, fn: Callable[[Any], list[Document]], tasks: list[Any],
             idle: Callable[[], bool] | None = None) -> Iterator[list[Document]]:
    """``pool.imap(fn, tasks)``: the results in task order; while the next one is not in yet, the
    parent calls ``idle()`` (one small step of its own work; False when it has none left) instead of
    only waiting. The pool hands out the tasks in the same order as ``imap`` does."""
    pending = [pool.apply_async(fn, (task,)) for task in tasks]
    for result in pending:
        while not result.ready() and idle is not None and idle():
            pass
        yield result.get()


class _Prepare:
    """Documents the workers have returned, handed one at a time to the caller's ``received`` (the
    ingest warms its index analysis with them) whenever the parent would otherwise only wait."""

    def __init__(self, received: Callable[[Document], None] | None) -> None:
        self._received = received
        self._queue: deque[Document] = deque()

    def add(self, docs: Sequence[Document]) -> None:
        if self._received is not None:
            self._queue.extend(docs)

    def step(self) -> bool:
        if not self._queue or self._received is None:
            return False
        self._received(self._queue.popleft())
        return True

    def drain(self) -> None:
        while self.step():
            pass


def annotate_parallel(docs: Sequence[Document], n_process: int, batch_size: int = 32,
                      known: Sequence[str] = (), detect: bool = False,
                      progress: Progress | None = None,
                      received: Callable[[Document], None] | None = None) -> list[Document]:
    """``entities.annotate(docs, known=known)`` computed by ``n_process`` forked workers (same
    documents, same order, same facts); with ``detect`` the workers also detect each page's language
    (the parent's ``lang.detect_document`` is then not needed first). ``received(doc)`` is called in
    this process for each document the first phase returns (languages known; the Swedish pages'
    facts not yet), while the workers go on — never while they wait for the parent: the second phase
    starts as soon as the first phase's last batch is in, and what is left is handed over during it."""
    from hakemisto.core.children import install
    from hakemisto.facts.entities import extraction_lang, load_before_fork

    install()
    load_before_fork([d.text for d in docs])  # the workers share the pipelines instead of loading their own
    out: list[Document] = []
    prepare = _Prepare(received)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(n_process) as pool:
        first = [(c, batch_size, detect) for c in _tapered(docs, batch_size, n_process)]
        for part in _results(pool, _first, first, prepare.step):
            out.extend(part)
            prepare.add(part)
            if progress:
                progress(sum(1 for d in out if d.facts is not None))
        names = list(known)
        for d in out:
            if extraction_lang(d) == "fi" and d.facts is not None:
                names.extend(d.facts.persons)
        sv = [i for i, d in enumerate(out) if extraction_lang(d) == "sv"]
        frozen = tuple(dict.fromkeys(names))  # distinct names, first-seen order: what KnownNames keeps
        batches = _tapered([out[i] for i in sv], batch_size, n_process)
        second = [(b, batch_size, frozen) for b in batches]
        done = [d for part in _results(pool, _second, second, prepare.step) for d in part]
    prepare.drain()
    for i, d in zip(sv, done, strict=True):
        out[i] = d
    return out


_BACKGROUND: list[Callable[[], Any]] = []  # the function a forked ``Background`` child runs


def _run_background(_: int) -> Any:
    return _BACKGROUND[0]()


class Background(Generic[T]):
    """``fn()`` computed in one forked process while this one goes on (``result()`` waits for it).

    After the worker pool the ingest runs serially, on one core, while the other idles: the project
    records (pure computation over the linked documents) are built in a forked child while the
    parent writes the index. ``fn`` reaches the child through the fork, not through pickling; only
    the result is pickled back. The child dies with this process (``children.install``)."""

    def __init__(self, fn: Callable[[], T]) -> None:
        from hakemisto.core.children import install

        install()
        _BACKGROUND[:] = [fn]
        self._pool: Any = None
        try:
            self._pool = multiprocessing.get_context("fork").Pool(1)  # forks now: the child has ``fn``
        finally:
            _BACKGROUND.clear()
        self._async = self._pool.apply_async(_run_background, (0,))

    def result(self) -> T:
        try:
            return self._async.get()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child (also when the parent gave up on the result: an index write failed).
        The child holds copies of the parent's descriptors — the job lock's (``core.lock``) is
        released only when its last copy closes — so it must never outlive the caller's block."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.terminate()
            pool.join()
