"""The neural model's output per text, kept beside the index, so a rules-only change is cheap.

A pipeline-version change (new rules, vocabularies, analyzers) re-extracts every page; almost all of
that time is the Finnish model (tok2vec, NER, lemmas), whose output does not depend on our rules.
Here the model's ``Doc`` (tokens, lemmas, morphology, entities — no tensors, no user data) is stored
per text in ``<index>/model-cache.sqlite`` (it survives the rebuild swap, ``index.KEEP_ON_REBUILD``),
keyed by a hash of the model's name and version, the excluded components and the text. A rebuild
then reads the Docs back and runs only our rule components and the fact building on them — on a
stand-in pipeline without the model's weights and vectors (``Pipelines.stored``) when every text of a
batch is stored, so a rules-only rebuild does not load the model at all.

One SQLite file (WAL mode) because forked extraction workers write to it concurrently; each process
opens its own connection. ``use(path)`` switches the cache on for an ingest; without it nothing is
read or written (``extract``, tests, Dask workers keep their old behaviour).
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

FILE_NAME = "model-cache.sqlite"
RULE_PREFIX = "hakemisto_"  # our rule components; everything else in the pipeline is the model's
TEXT_KEY = "hakemisto_text"  # ``Doc.user_data`` key of the Doc's text (``entities.doc_text``)

_path: list[Path | None] = [None]
_conn: dict[int, sqlite3.Connection] = {}


@contextmanager
def use(path: Path | None) -> Iterator[None]:
    """Read and write model output in ``path`` (a SQLite file) within this block (and forked workers)."""
    before = _path[0]
    _path[0] = path
    try:
        yield
    finally:
        _path[0] = before
        for conn in _conn.values():  # the file may be moved by a rebuild swap next: no open handles
            conn.close()
        _conn.clear()


def active() -> bool:
    return _path[0] is not None


def _connection() -> sqlite3.Connection | None:
    path = _path[0]
    if path is None:
        return None
    pid = os.getpid()  # a forked worker must not share its parent's connection
    conn = _conn.get(pid)
    if conn is None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=60, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS docs (key TEXT PRIMARY KEY, doc BLOB NOT NULL)")
            conn.execute("CREATE TABLE IF NOT EXISTS langs (key TEXT PRIMARY KEY, code TEXT NOT NULL, prob REAL NOT NULL)")
        except (OSError, sqlite3.Error):
            return None  # a cache that cannot open (full disk, read-only) only costs speed
        _conn.clear()
        _conn[pid] = conn
    return conn


def model_id(meta: dict[str, Any], neural: Sequence[str]) -> str:
    """What names the model's output: the model (language, name, version) and its neural components."""
    return f"{meta.get('lang')}_{meta.get('name')}@{meta.get('version')}|{','.join(neural)}"


def _model_id(nlp: Any) -> str:
    return model_id(nlp.meta, [n for n in nlp.pipe_names if not n.startswith(RULE_PREFIX)])


def key(nlp: Any, text: str) -> str:
    return _key(_model_id(nlp), text)


@dataclass(frozen=True)
class Pipelines:
    """One language's pipelines for ``pipe``. ``full()``: the model with our rule components.
    ``stored()``: the same tokenizer and rule components without the neural components and the
    model's vocabulary (weights, vectors: ~1.4 s of a 1.7 s load), enough to read a stored ``Doc``
    back; used for a batch whose every text is stored. ``model_id``: ``model_id`` of ``full()``'s
    model, known without loading it."""

    model_id: str
    full: Callable[[], Any]
    stored: Callable[[], Any]


def _key(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


@cache
def _msgpack_hook() -> Any:
    """srsly's decoder chain (its numpy decoder and any registered by entry points), built once per
    process: ``srsly.msgpack_loads`` re-reads the installed packages' entry points on every call (a
    sixth of reading a stored ``Doc`` back)."""
    from srsly.msgpack import msgpack_decoders

    hook = None
    for decoder in msgpack_decoders.get_all().values():
        hook = partial(decoder, chain=hook)
    return hook


def _restore(nlp: Any, data: bytes) -> Any:
    """The stored ``Doc``: ``Doc.from_bytes``, with the msgpack decoding of ``srsly.msgpack_loads``
    (same arguments, same decoders) minus its per-call entry-point scan."""
    from spacy.tokens import Doc

    try:
        from srsly.msgpack import _unpackb
    except ImportError:  # another srsly layout: the plain path
        return Doc(nlp.vocab).from_bytes(data)
    enabled = gc.isenabled()
    gc.disable()  # as srsly does: msgpack builds many small objects at once
    try:
        msg = _unpackb(data, raw=False, use_list=True, object_hook=_msgpack_hook())
    finally:
        if enabled:
            gc.enable()
    return Doc(nlp.vocab).from_dict(msg)


def pipe(pipelines: Pipelines, texts: Sequence[str], batch_size: int,
         neural: Callable[[Any, list[str]], Any]) -> Iterator[Any]:
    """The fully processed ``Doc`` of each text, like ``nlp.pipe``: the model's part read from the cache
    where stored (else computed by ``neural(nlp, texts)`` with ``nlp = pipelines.full()``, and stored),
    then the rule components of ``nlp`` (``pipelines.stored()`` when every text was stored)."""

    conn = _connection()
    keys = [_key(pipelines.model_id, t) for t in texts]
    stored: dict[str, bytes] = {}
    if conn is not None:
        try:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                stored.update(conn.execute(f"SELECT key, doc FROM docs WHERE key IN ({marks})", part).fetchall())
        except sqlite3.Error:
            stored.clear()  # unreadable cache: compute everything, as without one
    missing = [i for i, k in enumerate(keys) if k not in stored]
    nlp = pipelines.full() if missing else pipelines.stored()
    rules = [(n, p) for n, p in nlp.pipeline if n.startswith(RULE_PREFIX)]
    fresh = dict(zip(missing, neural(nlp, [texts[i] for i in missing]), strict=True))
    if conn is not None and fresh:
        rows = [(keys[i], zlib.compress(doc.to_bytes(exclude=["tensor", "user_data"]), 1))
                for i, doc in fresh.items()]
        try:
            conn.executemany("INSERT OR REPLACE INTO docs (key, doc) VALUES (?, ?)", rows)
        except sqlite3.Error:
            pass  # full disk or I/O error: the run goes on; the index write reports the disk itself
    for i, k in enumerate(keys):
        doc = fresh.get(i)
        if doc is None:
            doc = _restore(nlp, zlib.decompress(stored[k]))
            doc.user_data[TEXT_KEY] = texts[i]  # its text (the key's): the rules need not join it from the tokens
        for _, proc in rules:
            doc = proc(doc)
        yield doc


def stored_share(model: str, texts: Sequence[str]) -> float:
    """The share of ``texts`` whose output of the model ``model`` (a ``model_id``) is stored (0 without
    an active cache). Asked by the parent before it forks its workers, on a connection of its own that
    it closes again (a forked child must never use its parent's SQLite connection)."""
    path = _path[0]
    if path is None or not texts or not path.exists():
        return 0.0
    keys = list(dict.fromkeys(_key(model, t) for t in texts))
    found = 0
    try:
        with closing(sqlite3.connect(path, timeout=60)) as conn:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                found += conn.execute(f"SELECT COUNT(*) FROM docs WHERE key IN ({marks})", part).fetchone()[0]
    except sqlite3.Error:
        return 0.0
    return found / len(keys)


def size(path: Path) -> int:
    """Entries stored in the cache file at ``path`` (0 when there is none)."""
    if not path.exists():
        return 0
    with sqlite3.connect(path) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


@cache
def _lang_model() -> str:
    from importlib.metadata import version

    from hakemisto.documents.lang import PROFILE_LANGS

    return f"langdetect@{version('langdetect')}|{','.join(PROFILE_LANGS)}|seed0"


def _lang_key(text: str) -> str:
    return hashlib.sha256(f"{_lang_model()}\x00{text}".encode()).hexdigest()


class StoredLanguages:
    """langdetect's answer per paragraph (a statistical model too, seeded: the same text gives the same
    answer), read from the cache for a batch and written back for the texts it had to judge. A
    rules-only rebuild spent a fifth of its worker time re-detecting unchanged paragraphs."""

    def __init__(self, texts: Sequence[str]) -> None:
        from hakemisto.documents.lang import detect_text

        self._detect = detect_text
        self.known: dict[str, tuple[str, float]] = {}
        self.fresh: dict[str, tuple[str, float]] = {}
        conn = _connection()
        if conn is None or not texts:
            return
        keys = {_lang_key(t): t for t in dict.fromkeys(texts)}
        try:
            wanted = list(keys)
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                marks = ",".join("?" * len(part))
                for k, code, prob in conn.execute(f"SELECT key, code, prob FROM langs WHERE key IN ({marks})", part):
                    self.known[keys[k]] = (code, prob)
        except sqlite3.Error:
            self.known.clear()

    def __call__(self, text: str) -> tuple[str, float]:
        found = self.known.get(text) or self.fresh.get(text)
        if found is None:
            found = self.fresh[text] = self._detect(text)
        return found

    def store(self) -> None:
        conn = _connection()
        if conn is None or not self.fresh:
            return
        rows = [(_lang_key(t), code, prob) for t, (code, prob) in self.fresh.items()]
        try:
            conn.executemany("INSERT OR REPLACE INTO langs (key, code, prob) VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            pass  # a full disk: only speed is lost
