"""Snapshot store: atomic writes, meta-last, aliases for identical content, offline re-extraction."""

from __future__ import annotations

import json

from hakemisto.core.model import Document, RawPage, Skip, Source
from hakemisto.crawl.store import SnapshotStore, iter_snapshot_documents, snapshot_document
from hakemisto.crawl.urls import url_key

PAGE = "<html lang='fi'><body><main><h1>Hanke</h1><p>Hyvinvointialue kehittää palveluja yhdessä kuntien kanssa.</p></main></body></html>"


def raw(url: str, body: str = PAGE, final_url: str | None = None) -> RawPage:
    return RawPage(url=url, final_url=final_url or url, status=200, body=body.encode(), fetched_at="2024-05-01T10:00:00+00:00",
                   content_type="text/html", etag='"abc"', last_modified=None, encoding="utf-8", source="demo")  # fmt: skip


def test_save_writes_html_then_meta_and_reextracts_offline(tmp_path) -> None:
    store = SnapshotStore(tmp_path / "crawl")
    path = store.save(raw("https://Example.fi/hanke?utm_source=x"), content_hash="h1", source_key="demo")
    assert path == tmp_path / "crawl" / "demo" / f"{url_key('https://example.fi/hanke')}.html"
    meta = json.loads(path.with_name(path.stem + ".meta.json").read_text())
    assert meta["url"] == "https://example.fi/hanke" and meta["etag"] == '"abc"' and meta["status"] == 200
    assert meta["content_hash"] == "h1" and meta["encoding"] == "utf-8" and meta["source"] == "demo"
    assert not list((tmp_path / "crawl" / "demo").glob(".*.tmp"))
    sources = {"demo": Source(key="demo", name_fi="Demo", name_sv=None, region="Kainuu")}
    doc = snapshot_document(path, sources)
    assert isinstance(doc, Document)
    assert doc.id == "https://example.fi/hanke" and doc.region == "Kainuu" and doc.source == "demo"
    assert [d.id for d in iter_snapshot_documents(tmp_path / "crawl", sources)] == [
        "https://example.fi/hanke"
    ]


def test_identical_content_is_an_alias_not_a_second_file(tmp_path) -> None:
    store = SnapshotStore(tmp_path / "crawl")
    store.save(raw("https://example.fi/a"), content_hash="same", source_key="demo")
    assert store.duplicate_of("demo", "same", "https://example.fi/b") == url_key("https://example.fi/a")
    assert store.duplicate_of("demo", "same", "https://example.fi/a") is None
    store.save_alias(
        raw("https://example.fi/b"),
        content_hash="same",
        source_key="demo",
        target=url_key("https://example.fi/a"),
    )
    assert len(list((tmp_path / "crawl" / "demo").glob("*.html"))) == 1
    assert store.meta_for("demo", "https://example.fi/b")["alias_of"] == url_key("https://example.fi/a")
    # a fresh store (next run) finds the hash from disk
    assert SnapshotStore(tmp_path / "crawl").duplicate_of("demo", "same", "https://example.fi/c")


def test_redirected_page_is_keyed_by_final_url_with_alias_for_the_original(tmp_path) -> None:
    store = SnapshotStore(tmp_path / "crawl")
    store.save(
        raw("https://example.fi/old", final_url="https://example.fi/new"), content_hash="x", source_key="demo"
    )
    assert store.meta_for("demo", "https://example.fi/new")["final_url"] == "https://example.fi/new"
    assert store.meta_for("demo", "https://example.fi/old")["alias_of"] == url_key("https://example.fi/new")


def test_interrupted_writes_are_cleaned_and_never_read(tmp_path) -> None:
    store = SnapshotStore(tmp_path / "crawl")
    folder = tmp_path / "crawl" / "demo"
    folder.mkdir(parents=True)
    (folder / ".abc.tmp").write_bytes(b"half")
    (folder / "deadbeef.html").write_bytes(b"<html>half written")
    assert isinstance(snapshot_document(folder / "deadbeef.html"), Skip)
    assert store.cleanup("demo") == 2
    assert list(folder.iterdir()) == []
    assert list(iter_snapshot_documents(tmp_path / "nothing")) == []


def test_touch_and_state_roundtrip(tmp_path) -> None:
    store = SnapshotStore(tmp_path / "crawl")
    store.save(raw("https://example.fi/a"), content_hash="h", source_key="demo")
    store.touch("demo", "https://example.fi/a", "2024-06-01T00:00:00+00:00")
    assert store.meta_for("demo", "https://example.fi/a")["checked_at"] == "2024-06-01T00:00:00+00:00"
    store.save_state("demo", {"frontier": ["https://example.fi/b"]})
    assert store.load_state("demo") == {"frontier": ["https://example.fi/b"]}
