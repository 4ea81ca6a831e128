"""Whoosh internals in one place: the fast paths and the public-API fallback give the same answers."""

from __future__ import annotations

import numpy as np
import pytest
import whoosh

from hakemisto.core.config import Settings, load_settings
from hakemisto.search import engine, whoosh_compat
from hakemisto.search import index as idx
from hakemisto.search.analysis import WordPositions
from hakemisto.search.engine import Filters, search
from tests.seed_index import KAINUU_SV, build_seed_index, seed_documents

QUERIES = ("hoitovelka", "RRP hanke", "vårdskuld", "perhekeskus familjecenter", "Kainuu", '"perhekeskus"',
           '"hyvinvointialueen hanke"')


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seed index in two commits, the second deleting a page: a segment with deletions, so the
    FilterMatcher path is read too."""
    from whoosh.writing import NO_MERGE

    root = tmp_path_factory.mktemp("compat")
    settings = build_seed_index(load_settings(index_dir=root / "index", report_dir=root / "runs"))
    ix = idx.open_index(settings.index_dir)
    writer = ix.writer()
    writer.delete_by_term("id", KAINUU_SV)
    writer.commit(mergetype=NO_MERGE)
    writer = ix.writer()
    writer.add_document(**idx.index_fields(next(d for d in seed_documents() if d.id == KAINUU_SV)))
    writer.commit(mergetype=NO_MERGE)
    return settings


@pytest.fixture
def public_only():
    """Whoosh's internals switched off for one test (as on an untested Whoosh version)."""
    before = whoosh_compat.use_internals(False)
    yield
    whoosh_compat.use_internals(before)


def _postings(settings: Settings) -> dict[tuple[str, str, int], tuple[list[int], list[float]]]:
    out = {}
    with idx.open_index(settings.index_dir).searcher() as searcher:
        reader = searcher.reader()
        assert any(leaf.has_deletions() for leaf, _ in reader.leaf_readers())
        for n, (leaf, offset) in enumerate(reader.leaf_readers()):
            for fieldname in ("text_fi", "text_sv", "region", "id"):
                for btext in list(leaf.lexicon(fieldname))[:40]:
                    ids, weights = whoosh_compat.read_postings(lambda leaf=leaf, f=fieldname, b=btext: leaf.postings(f, b))
                    out[(fieldname, btext.decode(), n)] = (ids.tolist(), weights.tolist())
                    if fieldname == "text_fi":  # phrase positions: every other document a candidate
                        candidates = np.arange(reader.doc_count_all()) % 2 == 0
                        docs, values = whoosh_compat.read_positions(
                            lambda leaf=leaf, b=btext: leaf.postings("text_fi", b), offset, candidates)
                        out[("positions", btext.decode(), n)] = (docs, values)
            for fieldname in ("text_fi", "title_fi", "text_sv"):
                out[(fieldname, "<lengths>", n)] = (
                    whoosh_compat.length_bytes(leaf, fieldname, leaf.doc_count_all()).tolist(), [])
    return out


def _answers(settings: Settings) -> list[tuple[str, list[str], int]]:
    engine._local.__dict__.clear()  # a fresh snapshot: nothing read by the other mode is reused
    out = []
    for text in QUERIES:
        found = search(settings, text, Filters(), limit=20, with_facets=False)
        out.append((text, [h.id for h in found.hits], found.total))
    return out


def test_the_tested_whoosh_uses_the_fast_paths() -> None:
    assert whoosh_compat.INTERNALS == (tuple(whoosh.__version__[:3]) in whoosh_compat.TESTED)


def test_fallback_reads_the_same_postings_lengths_and_segments(settings: Settings) -> None:
    if not whoosh_compat.INTERNALS:
        pytest.skip("this Whoosh is untested: only the public path runs")
    ix = idx.open_index(settings.index_dir)
    fast = _postings(settings), sorted(s.segment_id() for s in whoosh_compat.segments(ix))
    with idx.open_index(settings.index_dir).searcher() as searcher:
        fast_folder = whoosh_compat.index_folder(searcher)
    before = whoosh_compat.use_internals(False)
    try:
        public = _postings(settings), sorted(s.segment_id() for s in whoosh_compat.segments(ix))
        with idx.open_index(settings.index_dir).searcher() as searcher:
            public_folder = whoosh_compat.index_folder(searcher)
    finally:
        whoosh_compat.use_internals(before)
    assert fast == public and len(fast[0]) > 50 and len(fast[1]) == 2
    assert sum(len(docs) for key, (docs, _) in fast[0].items() if key[0] == "positions") > 20
    assert fast_folder == str(settings.index_dir)
    assert public_folder in (fast_folder, None)


def test_fallback_searches_give_the_same_hits(settings: Settings) -> None:
    fast = _answers(settings)
    before = whoosh_compat.use_internals(False)
    try:
        public = _answers(settings)
    finally:
        whoosh_compat.use_internals(before)
    assert fast == public
    assert sum(total for _, _, total in fast) > 5


def test_fallback_never_raises(settings: Settings, public_only) -> None:
    """Without the internals a stats line, a leftover check and a search all still answer."""
    assert idx.stats(settings).segments == 2
    assert idx.leftovers(settings.index_dir) == []
    assert search(settings, "hoitovelka", Filters()).total >= 1
    assert whoosh_compat.segments(object()) is None and whoosh_compat.segment_count(object()) == 0
    assert whoosh_compat.index_folder(object()) is None


def test_a_failing_fast_read_falls_back(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fast read that fails part way (a matcher half consumed) is read again through the public API."""
    expected = _postings(settings)

    def half_then_fail(matcher):
        matcher.next()
        raise AttributeError("a private name changed in a new Whoosh")

    monkeypatch.setattr(whoosh_compat, "_read_blocks", half_then_fail)
    assert _postings(settings) == expected


def test_missing_columns_are_remembered() -> None:
    """index.py installs the column cache on the tested Whoosh (and it stays Whoosh's own without)."""
    from whoosh.codec.whoosh3 import W3PerDocReader

    assert getattr(W3PerDocReader._cached_reader, "_hakemisto", False) == whoosh_compat.INTERNALS
    before = whoosh_compat.use_internals(False)
    try:
        assert whoosh_compat.remember_missing_columns() is False
    finally:
        whoosh_compat.use_internals(before)


def test_positions_are_encoded_as_whoosh_does() -> None:
    from whoosh.formats import Positions

    poslist = [0, 3, 4, 17]
    assert WordPositions.encode_positions(poslist) == Positions().encode(poslist)
    assert Positions().decode_positions(WordPositions.encode_positions(poslist)) == poslist
    assert np.array_equal(np.array(poslist), np.array(Positions().decode_positions(whoosh_compat.encode_positions(poslist))))


def test_report_and_digest_selection_matches_whooshs_search(settings: Settings) -> None:
    """``engine.matching_fields`` (the report's and the digest's selection) finds exactly the documents
    Whoosh's ``searcher.search(…, limit=None)`` found, filters and a segment with deletions included."""
    from whoosh.query import And, Every, Or, Term

    from hakemisto.search import analysis

    filters = (None, Term("lang", "sv"), And([Term("lang", "fi"), Or([Term("region", "Kainuu"), Term("region", "x")])]))
    with idx.open_index(settings.index_dir).searcher() as searcher:
        seen = 0
        for text in (*QUERIES, None):
            for compounds in (True, False):
                for filter_query in filters:
                    if text:
                        found = analysis.compounds_for(searcher) if compounds else None
                        query = analysis.build_query(text, searcher.schema, compounds=found)
                    else:
                        query = Every()
                    expected = sorted(hit["id"] for hit in searcher.search(query, filter=filter_query, limit=None))
                    got = sorted(f["id"] for f in engine.matching_fields(settings.index_dir, text, filter_query,
                                                                         compounds=compounds))
                    assert got == expected, (text, compounds, filter_query)
                    seen += len(got)
    assert seen > 50


def _search_outputs(settings: Settings) -> list[dict]:
    engine._local.__dict__.clear()  # a new snapshot: the index files are opened again
    return [search(settings, q, Filters(), limit=20).to_dict() for q in QUERIES]


def test_segment_parts_are_read_from_the_map_without_copies(settings: Settings,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a segment part no longer copies it (issue 17: ~10 % of a cold search); results are
    those of Whoosh's copying BufferFile, also when a stream switches to the copy part way."""
    from whoosh.filedb import compound
    from whoosh.filedb.structfile import BufferFile

    assert compound.BufferFile is not BufferFile and issubclass(compound.BufferFile, BufferFile)
    ours = _search_outputs(settings)
    streams = [f.file for f in _open_parts(settings)]
    assert streams and all(isinstance(s, whoosh_compat._ViewStream) for s in streams)

    monkeypatch.setattr(whoosh_compat, "STREAM_OPS_BEFORE_COPY", 3)  # copy after three calls
    assert _search_outputs(settings) == ours
    monkeypatch.setattr(compound, "BufferFile", BufferFile)  # Whoosh's own class: a copy per part
    assert _search_outputs(settings) == ours


def _open_parts(settings: Settings) -> list:
    with idx.open_index(settings.index_dir).searcher() as searcher:
        leaf = next(iter(searcher.reader().leaf_readers()))[0]
        return [leaf._terms._dbfile if hasattr(leaf._terms, "_dbfile") else leaf._terms._tindex.dbfile]


def test_view_stream_reads_like_bytesio() -> None:
    from io import BytesIO

    data = bytes(range(256)) * 40 + b"line one\nline two\n"

    class Owner:
        file = None

    for budget in (10**6, 5):  # served from the view, and switching to the copy part way
        owner = Owner()
        view, copy = whoosh_compat._ViewStream(memoryview(data), owner), BytesIO(data)
        owner.file = view
        for op in [("seek", 100), ("read", 7), ("tell",), ("seek", -3, 1), ("read", 10), ("seek", -20, 2),
                   ("readline",), ("readline",), ("read", 5), ("seek", 5000), ("read", -1), ("seek", 0),
                   ("read", 300), ("tell",)]:
            whoosh_compat.STREAM_OPS_BEFORE_COPY, before = budget, whoosh_compat.STREAM_OPS_BEFORE_COPY
            try:
                assert getattr(view, op[0])(*op[1:]) == getattr(copy, op[0])(*op[1:]), op
            finally:
                whoosh_compat.STREAM_OPS_BEFORE_COPY = before
        assert (owner.file is view) == (budget > 100)


def test_stored_facets_equal_the_facets_read_from_the_postings(settings: Settings) -> None:
    """The commit stores every facet value's documents (issue 17); they equal what the engine reads
    from the postings, deletions included, and an older terms file without them still searches."""
    from pathlib import Path

    from hakemisto.search import generations

    generations.write_term_lists(Path(settings.index_dir))  # this generation (the fixture committed by hand)
    generations._values.clear()
    engine._local.__dict__.clear()
    snap = engine._snapshot(settings.index_dir)
    stored = generations.term_lists(snap.searcher).facets
    assert stored is not None and stored["region"] and stored["lang"]
    computed = engine._Snapshot(snap.searcher, snap.freshness)
    computed._facets = None
    original = generations.FACET_FIELDS
    try:
        generations.FACET_FIELDS = ("not", "stored")  # the engine then reads the postings
        built = computed.facet_values()
    finally:
        generations.FACET_FIELDS = original
    assert list(built) == list(stored)
    for name in stored:
        assert [v for v, _ in built[name]] == [v for v, _ in stored[name]], name
        for (_, a), (_, b) in zip(built[name], stored[name], strict=True):
            assert np.array_equal(np.sort(a), np.sort(b)), name
    assert KAINUU_SV  # the re-added page counts once: its deleted first copy is not in any facet
    with_stored = _search_outputs(settings)

    # A terms file written before facets were stored: the same results, facets from the postings.
    folder = Path(settings.index_dir)
    path = next(folder.glob("terms-*.npz"))
    with np.load(path) as data:
        old = {k: data[k] for k in data.files if not k.startswith("facet_")}
    with open(path, "wb") as out:
        np.savez(out, **old)
    generations._values.clear()
    engine._local.__dict__.clear()
    assert generations.term_lists(engine._snapshot(settings.index_dir).searcher).facets is None
    assert _search_outputs(settings) == with_stored
