"""The only module that reads Whoosh's private names; everything else uses Whoosh's public API.

Fast paths need a few internals: whole posting blocks of a leaf matcher (``W3LeafMatcher._read_ids``),
the deleted documents of a ``FilterMatcher`` (``_ids``, ``_exclude``), the one-byte length column of a
segment (``_perdoc._cached_reader``, ``_lenfield``, and a ``NumericColumn.Reader``'s ``_typecode``,
``_reverse``, ``_count``, ``_dbfile``, ``_basepos`` to read it in one go), the posting values of a
leaf matcher's block (``_read_values``, ``_values``) and the size of the count before a ``Positions``
value (``whoosh.system._INT_SIZE``), per-field B values of BM25F (``_field_B``), the
table of contents' segments (``ix._segments()``) and the index a searcher was opened on (``_ix``).
One write-time patch (``remember_missing_columns``) replaces ``W3PerDocReader._cached_reader``.
They were read against whoosh-reloaded ``TESTED``; at import the installed version and every name are
checked, and when anything differs ``INTERNALS`` is False and each helper answers through the public
API instead: slower (document by document), the same results, and it never raises.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from hakemisto.search import whoosh_lean  # noqa: F401 - before any Whoosh module (issue 17)

# isort: split
import whoosh
from whoosh.columns import NumericColumn
from whoosh.formats import Positions
from whoosh.scoring import BM25F
from whoosh.util.numeric import length_to_byte

TESTED = ((2, 7, 5),)  # whoosh-reloaded versions whose internals these helpers were written against

_POSITIONS = Positions()  # encode() reads nothing of its instance


def _int_size() -> int:
    try:
        from whoosh.system import _INT_SIZE

        return int(_INT_SIZE)
    except Exception:  # the size Whoosh's ``Positions.encode`` packs its count with ("!I")
        return struct.calcsize("!I")


INT_SIZE = _int_size()  # bytes of the position count that starts a ``Positions`` posting value


def _probe() -> bool:
    """True when the installed Whoosh is a tested version and has every internal name used here."""
    try:
        if tuple(whoosh.__version__[:3]) not in TESTED:
            return False
        from whoosh.codec import whoosh3
        from whoosh.index import FileIndex
        from whoosh.matching.wrappers import FilterMatcher
        from whoosh.searching import Searcher

        needed = (
            (FileIndex, "_segments"),
            (whoosh3, "_lenfield"),
            (whoosh3, "LENGTHS_COLUMN"),
            (whoosh3, "W3LeafMatcher"),
            (whoosh3.W3LeafMatcher, "_read_ids"),
            (whoosh3.W3LeafMatcher, "_read_data"),
            (whoosh3.W3LeafMatcher, "_read_weights"),
            (whoosh3.W3LeafMatcher, "_next_block"),
            (whoosh3.W3LeafMatcher, "_read_values"),
            (whoosh3.W3PerDocReader, "_cached_reader"),
            (whoosh3.W3PerDocReader, "column_reader"),
            (whoosh3.W3PerDocReader, "has_column"),
            (NumericColumn, "Reader"),
            (FilterMatcher, "__init__"),
            (Searcher, "__init__"),
        )
        return all(hasattr(owner, name) for owner, name in needed)
    except Exception:  # any surprise in a foreign package's internals means: do not use them
        return False


INTERNALS = _probe()


def use_internals(on: bool) -> bool:
    """Switch the fast paths off (or back on, if the probe allowed them); returns the previous state.

    For tests of the fallback, which must give the same answers."""
    global INTERNALS
    before = INTERNALS
    INTERNALS = on and _probe()
    return before


# --- index structure -------------------------------------------------------------------------------


def segments(ix: Any) -> list[Any] | None:
    """The index's live segments (objects with ``segment_id()``), or None when they cannot be read."""
    try:
        if INTERNALS:
            return list(ix._segments())
        from whoosh.index import TOC

        return list(TOC.read(ix.storage, ix.indexname).segments)
    except Exception:  # a count for a status line or a safety check; None = unknown
        return None


def segment_count(ix: Any) -> int:
    """How many segments the index has (0 when unknown)."""
    found = segments(ix)
    return len(found) if found is not None else 0


def index_folder(searcher: Any) -> str | None:
    """The folder of the index a searcher reads; None when it cannot be told (RAM storage, or the
    public API's readers only know their segment's compound file)."""
    try:
        if INTERNALS:
            return getattr(getattr(searcher._ix, "storage", None), "folder", None)
        reader = searcher.reader()
        storages = [reader.storage()] + [leaf.storage() for leaf, _ in reader.leaf_readers()]
        return next((s.folder for s in storages if getattr(s, "folder", None) is not None), None)
    except Exception:  # unknown folder: the caller computes instead of caching
        return None


# --- scoring ---------------------------------------------------------------------------------------


def plain_bm25f(weighting: Any) -> bool:
    """True for Whoosh's default BM25F with one B for all fields (what numpy scoring reproduces).

    Without the internals the per-field B values cannot be read; every searcher hakemisto opens uses
    Whoosh's default ``BM25F()``, which has none, so the type alone decides."""
    if type(weighting) is not BM25F:
        return False
    if not INTERNALS:
        return True
    try:
        return not weighting._field_B
    except Exception:  # the attribute moved: the default weighting, as above
        return True


def length_bytes(leaf: Any, fieldname: str, count: int) -> np.ndarray:
    """The one-byte field lengths of a segment's documents (0 where the field is empty)."""
    if count == 0:
        return np.zeros(0, dtype=np.uint8)
    if INTERNALS:
        try:
            perdoc = getattr(leaf, "_perdoc", None)
            cached = getattr(perdoc, "_cached_reader", None)
            if cached is not None:
                from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

                column = cached(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is None:
                    return np.zeros(count, dtype=np.uint8)
                if isinstance(column, NumericColumn.Reader) and column._typecode == "B" and not column._reverse:
                    # One read of the stored bytes (documents past the column's end have length 0):
                    # iterating the column is a Python call per document, a tenth of a cold search.
                    stored = min(column._count, count)
                    out = np.zeros(count, dtype=np.uint8)
                    out[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
                    return out
                return np.fromiter(column, dtype=np.uint8, count=count)
        except Exception:  # fall through to the public, per-document path
            pass
    return np.array(
        [length_to_byte(leaf.doc_field_length(d, fieldname, 0) or 0) for d in range(count)], dtype=np.uint8
    )


def read_postings(open_matcher: Callable[[], Any]) -> tuple[np.ndarray, np.ndarray]:
    """All (docnum, weight) postings of a segment's term matcher (``open_matcher()``), deleted documents
    left out: whole blocks at a time with the internals, one posting at a time through the public
    matcher API without — or when a fast read fails part way (the matcher is then opened again)."""
    if INTERNALS:
        try:
            return _read_blocks(open_matcher())
        except Exception:  # a consumed matcher cannot be read again: open a new one
            pass
    return _read_public(open_matcher())


def _read_blocks(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher

    excluded: np.ndarray | None = None
    if isinstance(matcher, FilterMatcher):  # the segment has deletions
        if not matcher._exclude:
            return _read_public(matcher)
        excluded = np.fromiter(matcher._ids, dtype=np.int64)
        matcher = matcher.child
    if type(matcher) is W3LeafMatcher:
        # A block's data is a pickled tuple (id deltas, weights: a tuple, one float or None for 1.0,
        # values): decoded here with numpy, where ``_read_ids``/``_read_weights`` loop in Python.
        id_blocks: list[np.ndarray] = []
        weight_blocks: list[np.ndarray] = []
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            raw_ids, raw_weights = matcher._data[0], matcher._data[1]
            block = np.asarray(raw_ids, dtype=np.int64)
            id_blocks.append(block if matcher._byteids else np.cumsum(block))
            if raw_weights is None or isinstance(raw_weights, float):
                # as Whoosh's array('f') of the one value: float32, then float64
                one = np.float32(1.0 if raw_weights is None else raw_weights)
                weight_blocks.append(np.full(len(block), one, dtype=np.float64))
            else:
                weight_blocks.append(np.asarray(raw_weights, dtype=np.float64))
            matcher._next_block()
        id_array = np.concatenate(id_blocks) if id_blocks else np.zeros(0, dtype=np.int64)
        weight_array = np.concatenate(weight_blocks) if weight_blocks else np.zeros(0, dtype=np.float64)
    else:
        id_array, weight_array = _read_public(matcher)
    if excluded is not None and len(excluded):
        keep = ~np.isin(id_array, excluded)
        id_array, weight_array = id_array[keep], weight_array[keep]
    return id_array, weight_array


def _read_public(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def position_values(matcher: Any, offset: int, candidates: np.ndarray) -> tuple[list[int], list[bytes]]:
    """(document numbers, raw ``Positions`` posting values) of a segment term matcher's postings whose
    document (``offset`` added) is a candidate; deleted documents must not be candidates.

    With the internals, whole blocks of ids are read and only the candidates' values decoded; without
    (or when a fast read fails — the caller opens the matcher afresh, see ``read_positions``), one
    posting at a time through the public API."""
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher

    if isinstance(matcher, FilterMatcher):  # deletions: deleted documents are no candidates
        matcher = matcher.child
    if type(matcher) is not W3LeafMatcher:
        return _position_values_public(matcher, offset, candidates)
    docs: list[int] = []
    values: list[bytes] = []
    while matcher.is_active():
        matcher._read_ids()
        ids = np.asarray(matcher._ids, dtype=np.int64) + offset
        wanted = np.flatnonzero(candidates[ids])
        if len(wanted):
            matcher._read_values()
            block = matcher._values
            values.extend(block[i] for i in wanted.tolist())
            docs.extend(ids[wanted].tolist())
        matcher._next_block()
    return docs, values


def read_positions(open_matcher: Callable[[], Any], offset: int,
                   candidates: np.ndarray) -> tuple[list[int], list[bytes]]:
    """``position_values`` of a freshly opened matcher, the public path when the internals are off or
    a fast read fails part way (never raises for a changed Whoosh)."""
    if INTERNALS:
        try:
            return position_values(open_matcher(), offset, candidates)
        except Exception:  # a consumed matcher cannot be read again: open a new one
            pass
    return _position_values_public(open_matcher(), offset, candidates)


def _position_values_public(matcher: Any, offset: int, candidates: np.ndarray) -> tuple[list[int], list[bytes]]:
    docs: list[int] = []
    values: list[bytes] = []
    while matcher.is_active():
        docnum = matcher.id() + offset
        if candidates[docnum]:
            docs.append(docnum)
            values.append(matcher.value())
        matcher.next()
    return docs, values


# --- indexing --------------------------------------------------------------------------------------


def encode_positions(poslist: Iterable[int]) -> bytes:
    """Whoosh's ``Positions`` posting value for a list of word positions (its public ``encode``)."""
    return _POSITIONS.encode(list(poslist))


def remember_missing_columns() -> bool:
    """Make ``W3PerDocReader._cached_reader`` remember that a segment has no such column (True when
    installed; without the internals Whoosh's own method stays).

    Whoosh asks for a field's length column once per posting while it writes a segment; fields
    without lengths (ids, keyword facets) found no reader, cached nothing, and asked the file system
    again every time: 8 % of an index write (2,000 pages) went to ``os.path.exists``. A segment's
    files never change after they are written, so the answer cannot go stale."""
    if not INTERNALS:
        return False
    try:
        from whoosh.codec.whoosh3 import W3PerDocReader

        if getattr(W3PerDocReader._cached_reader, "_hakemisto", False):
            return True

        def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
            readers = self._readers
            if fieldname not in readers:
                readers[fieldname] = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            return readers[fieldname]

        _cached_reader._hakemisto = True  # type: ignore[attr-defined]
        W3PerDocReader._cached_reader = _cached_reader
        return True
    except Exception:  # Whoosh's own (slower) method stays
        return False


# --- reading without copies ------------------------------------------------------------------------

STREAM_OPS_BEFORE_COPY = 20_000  # stream reads and seeks on a part before it is copied (see _ViewStream)


class _ViewStream:
    """A read-only stream over a segment part's memory map, without copying it.

    Whoosh's ``BufferFile`` copies a part into a ``BytesIO`` on opening, although most of its readers
    ask for byte ranges; the postings and term readers also ``seek``/``read`` headers and block
    infos through the stream. This stream serves those from the map; being Python, each call costs a
    little more than ``BytesIO``'s, so after ``STREAM_OPS_BEFORE_COPY`` calls (a long-lived process
    reading much of the part) it makes the ``BytesIO`` copy Whoosh would have made, at the same
    position, gives it to its owner and forwards every later call to it. Anything it does not
    implement (iteration, writes) makes the copy at once; ``peek``/``readinto`` are absent, so
    ``pickle.load`` reads through ``read``."""

    __slots__ = ("_view", "_pos", "_owner", "_ops", "_copy")

    def __init__(self, view: Any, owner: Any) -> None:
        self._view = view
        self._pos = 0
        self._owner = owner
        self._ops = 0
        self._copy: Any = None

    def _copied(self) -> Any:
        if self._copy is None:
            from io import BytesIO

            self._copy = BytesIO(self._view)
            self._copy.seek(self._pos)
            self._owner.file = self._copy
            self._view = self._owner = None
        return self._copy

    def _counted(self) -> bool:
        """True while this stream still answers itself (no copy made, not over its budget)."""
        if self._copy is not None:
            return False
        self._ops += 1
        return self._ops <= STREAM_OPS_BEFORE_COPY

    def read(self, size: int | None = -1) -> bytes:
        if not self._counted():
            return self._copied().read(size)
        start = self._pos
        end = len(self._view) if size is None or size < 0 else start + size
        data = bytes(self._view[start:end])
        self._pos = start + len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        if not self._counted():
            return self._copied().readline(size)
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        out = b""
        while self._pos < limit:
            chunk = bytes(self._view[self._pos:min(limit, self._pos + 256)])
            cut = chunk.find(b"\n")
            part = chunk if cut < 0 else chunk[:cut + 1]
            out += part
            self._pos += len(part)
            if cut >= 0:
                break
        return out

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self._counted():
            return self._copied().seek(offset, whence)
        base = 0 if whence == 0 else self._pos if whence == 1 else len(self._view)
        if base + offset < 0:
            raise ValueError(f"negative seek value {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos if self._copy is None else self._copy.tell()

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()
        self._view = self._owner = None

    def __iter__(self) -> Any:
        return iter(self._copied())

    def __getattr__(self, name: str) -> Any:  # write, truncate, flush, …: Whoosh's BytesIO
        if name in ("peek", "readinto"):
            raise AttributeError(name)
        return getattr(self._copied(), name)


def buffer_files_without_copies() -> bool:
    """Stop Whoosh copying whole segment parts to open them (True when installed).

    A segment is one memory-mapped ``.seg`` file; ``CompoundStorage.open_file`` hands each part out
    as a ``BufferFile``, whose constructor copies the part into a ``BytesIO``: the stored documents
    (tens of MB at 10,000 pages), the postings and the term index, each time a reader opens them,
    ~10 % of a cold `hakemisto search` (issue 17). Parts now read from the map (``_ViewStream``):
    the same bytes, without the copy."""
    if not INTERNALS:
        return False
    try:
        from whoosh.filedb import compound
        from whoosh.filedb.structfile import BufferFile

        if getattr(compound.BufferFile, "_hakemisto", False):
            return True

        class _MappedBufferFile(BufferFile):
            _hakemisto = True

            def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
                self._buf = buf
                self._name = name
                self.file = _ViewStream(buf, self)
                self.onclose = onclose
                self.is_real = False
                self.is_closed = False

        compound.BufferFile = _MappedBufferFile
        return True
    except Exception:  # Whoosh's own (copying) class stays
        return False


buffer_files_without_copies()
