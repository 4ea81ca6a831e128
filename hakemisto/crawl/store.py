"""The snapshot store: the only code that writes ``corpus/crawl``.

Layout: ``<crawl_dir>/<source-key>/<sha1-of-canonical-url>.html`` holds the bytes exactly as fetched,
``<same>.meta.json`` the HTTP metadata. The meta file is written last and atomically, so a snapshot
exists exactly when its meta file does: a crawl killed at any point leaves at most a stray temp file,
which the next run removes. A URL whose content is identical to an already stored page gets a meta
file with ``alias_of`` and no HTML, so the content is stored (and indexed) once but the URL still gets
conditional GETs. ``_state.json`` per source holds the crawl frontier, so an interrupted crawl resumes.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hakemisto.core.atomic import read_json, write_bytes, write_json
from hakemisto.core.model import Document, RawPage, Skip, Source
from hakemisto.crawl.extract import html_to_document
from hakemisto.crawl.urls import canonicalize, url_key

META_SUFFIX = ".meta.json"
STATE_FILE = "_state.json"
FRONTIER_FILE = "_frontier.jsonl"  # append-only: one line per URL queued or done
FURNITURE_FILE = "_furniture.json"  # fingerprints of the site's recurring teaser blocks
HTTP_DIR = ".http"  # robots.txt and sitemaps with their validators, for conditional requests
LISTINGS_DIR = ".listings"  # pages without a document of their own; hidden so loaders pass them by


def _write_meta_json(path: Path, data: dict[str, Any]) -> None:
    write_json(path, data, sort_keys=True)


class SnapshotStore:
    """Snapshots of one crawl directory. Keeps a per-source content-hash map to store duplicates once."""

    def __init__(self, crawl_dir: Path) -> None:
        self.root = Path(crawl_dir)
        self._hashes: dict[str, dict[str, str]] = {}
        self._frontier_lock = threading.Lock()

    def source_dir(self, source_key: str) -> Path:
        return self.root / source_key

    def cleanup(self, source_key: str) -> int:
        """Remove temp files and HTML without meta left by an interrupted run; returns how many."""
        folder = self.source_dir(source_key)
        removed = 0
        if not folder.is_dir():
            return 0
        for tmp in [*folder.glob(".*.tmp"), *folder.glob(f"{LISTINGS_DIR}/.*.tmp")]:
            tmp.unlink(missing_ok=True)
            removed += 1
        for html in folder.glob("*.html"):
            if not html.with_name(html.stem + META_SUFFIX).exists():
                html.unlink(missing_ok=True)
                removed += 1
        return removed

    def _meta_path(self, source_key: str, url: str) -> Path:
        name = url_key(url) + META_SUFFIX
        main = self.source_dir(source_key) / name
        listing = self.source_dir(source_key) / LISTINGS_DIR / name
        return listing if not main.exists() and listing.exists() else main

    def meta_for(self, source_key: str, url: str) -> dict[str, Any] | None:
        """Stored metadata for a URL (snapshot, alias or listing), or None if never stored."""
        return read_json(self._meta_path(source_key, url))

    def has_snapshot(self, source_key: str, url: str) -> bool:
        html = f"{url_key(url)}.html"
        folder = self.source_dir(source_key)
        return (folder / html).exists() or (folder / LISTINGS_DIR / html).exists()

    def snapshot_bytes(self, source_key: str, url: str) -> bytes | None:
        """The stored HTML for a URL, following an alias to the copy it shares (for offline link discovery)."""
        meta = self.meta_for(source_key, url)
        if meta is None:
            return None
        key = meta.get("alias_of") or url_key(url)
        for folder in (self.source_dir(source_key), self.source_dir(source_key) / LISTINGS_DIR):
            try:
                return (folder / f"{key}.html").read_bytes()
            except OSError:
                continue
        return None

    def _hash_map(self, source_key: str) -> dict[str, str]:
        if source_key not in self._hashes:
            mapping: dict[str, str] = {}
            folder = self.source_dir(source_key)
            if folder.is_dir():
                for meta_path in sorted(folder.glob("*" + META_SUFFIX)):
                    meta = read_json(meta_path)
                    if meta and not meta.get("alias_of") and meta.get("content_hash"):
                        mapping.setdefault(meta["content_hash"], meta_path.name[: -len(META_SUFFIX)])
            self._hashes[source_key] = mapping
        return self._hashes[source_key]

    def duplicate_of(self, source_key: str, content_hash: str, url: str) -> str | None:
        """The key of another stored snapshot with this content, if any (not the URL's own)."""
        key = self._hash_map(source_key).get(content_hash)
        return key if key and key != url_key(url) else None

    def save(
        self, page: RawPage, *, content_hash: str, source_key: str, region: str | None = None,
        blocks: list[str] | None = None,
    ) -> Path:  # fmt: skip
        """Store a fetched page: HTML first, meta last. Returns the HTML path."""
        key = url_key(page.final_url)
        folder = self.source_dir(source_key)
        html_path = folder / f"{key}.html"
        (folder / LISTINGS_DIR / f"{key}.html").unlink(missing_ok=True)  # a former listing is a page now
        (folder / LISTINGS_DIR / f"{key}{META_SUFFIX}").unlink(missing_ok=True)
        meta = self._meta(page, content_hash, source_key)
        meta["region"] = region
        meta["blocks"] = blocks or []
        write_bytes(html_path, page.body)
        _write_meta_json(folder / f"{key}{META_SUFFIX}", meta)
        self._hash_map(source_key)[content_hash] = key
        if canonicalize(page.url) != canonicalize(page.final_url):
            self.save_alias(page, content_hash=content_hash, source_key=source_key, target=key)
        return html_path

    def save_alias(self, page: RawPage, *, content_hash: str, source_key: str, target: str) -> None:
        """Record that ``page.url`` has the content stored under ``target`` (no second HTML copy)."""
        meta = self._meta(page, content_hash, source_key)
        meta["alias_of"] = target
        _write_meta_json(self.source_dir(source_key) / (url_key(page.url) + META_SUFFIX), meta)

    def save_listing(
        self, page: RawPage, *, reason: str, source_key: str, blocks: list[str] | None = None
    ) -> None:
        """Keep a page that yields no document (a listing, a noindex page) out of sight of loaders,
        but with its bytes and validators: the next crawl gets a 304 and still finds its links."""
        key = url_key(page.final_url)
        folder = self.source_dir(source_key) / LISTINGS_DIR
        self.source_dir(source_key).joinpath(f"{key}.html").unlink(missing_ok=True)
        self.source_dir(source_key).joinpath(f"{key}{META_SUFFIX}").unlink(missing_ok=True)
        meta = self._meta(page, "", source_key)
        meta["skipped"] = reason
        meta["blocks"] = blocks or []
        write_bytes(folder / f"{key}.html", page.body)
        _write_meta_json(folder / f"{key}{META_SUFFIX}", meta)

    def touch(self, source_key: str, url: str, fetched_at: str) -> None:
        """Record a 304: the snapshot stays, only ``checked_at`` moves."""
        path = self._meta_path(source_key, url)
        meta = read_json(path)
        if meta is not None:
            meta["checked_at"] = fetched_at
            _write_meta_json(path, meta)

    def mark_missing(self, source_key: str, url: str, status: int, checked_at: str) -> None:
        """A stored page now answers 404/410: keep the snapshot, record it (nightly retires it:
        410 at once, 404 after ``not_found_count`` ≥ 2)."""
        path = self._meta_path(source_key, url)
        meta = read_json(path)
        if meta is None:
            return
        meta["status"] = status
        meta["checked_at"] = checked_at
        meta["not_found_count"] = int(meta.get("not_found_count") or 0) + 1
        if status == 410:
            meta["gone"] = "410 Gone"
        _write_meta_json(path, meta)

    @staticmethod
    def _meta(page: RawPage, content_hash: str, source_key: str) -> dict[str, Any]:
        data = {k: v for k, v in asdict(page).items() if k != "body"}
        data.update(
            url=canonicalize(page.url),
            final_url=canonicalize(page.final_url),
            source=source_key,
            content_hash=content_hash,
            body_sha1=hashlib.sha1(page.body).hexdigest(),
            size=len(page.body),
            checked_at=page.fetched_at,
        )
        return data

    # -- after-crawl corrections (teaser furniture is only known once a site has been seen)

    def main_meta(self, source_key: str, url: str) -> dict[str, Any] | None:
        return read_json(self.source_dir(source_key) / (url_key(url) + META_SUFFIX))

    def set_content_hash(self, source_key: str, url: str, value: str) -> None:
        path = self.source_dir(source_key) / (url_key(url) + META_SUFFIX)
        meta = read_json(path)
        if meta is not None and meta.get("content_hash") != value:
            meta["content_hash"] = value
            _write_meta_json(path, meta)
        self._hashes.pop(source_key, None)

    def demote(self, source_key: str, url: str, *, reason: str, alias_of: str | None = None) -> None:
        """Turn a stored snapshot into a listing (``reason``) or an alias of ``alias_of``."""
        folder = self.source_dir(source_key)
        key = url_key(url)
        meta = read_json(folder / f"{key}{META_SUFFIX}")
        html = folder / f"{key}.html"
        if meta is None:
            return
        if alias_of:
            meta["alias_of"] = alias_of
            _write_meta_json(folder / f"{key}{META_SUFFIX}", meta)
        else:
            meta["skipped"], meta["content_hash"] = reason, ""
            if html.exists():
                write_bytes(folder / LISTINGS_DIR / f"{key}.html", html.read_bytes())
            _write_meta_json(folder / LISTINGS_DIR / f"{key}{META_SUFFIX}", meta)
            (folder / f"{key}{META_SUFFIX}").unlink(missing_ok=True)
        html.unlink(missing_ok=True)
        self._hashes.pop(source_key, None)

    def promote(self, source_key: str, url: str) -> bool:
        """Move a listing back among the snapshots (it turned out to be a page of its own)."""
        folder = self.source_dir(source_key)
        key = url_key(url)
        meta = read_json(folder / LISTINGS_DIR / f"{key}{META_SUFFIX}")
        html = folder / LISTINGS_DIR / f"{key}.html"
        if meta is None or not html.exists():
            return False
        meta.pop("skipped", None)
        write_bytes(folder / f"{key}.html", html.read_bytes())
        _write_meta_json(folder / f"{key}{META_SUFFIX}", meta)
        html.unlink(missing_ok=True)
        (folder / LISTINGS_DIR / f"{key}{META_SUFFIX}").unlink(missing_ok=True)
        self._hashes.pop(source_key, None)
        return True

    def iter_metas(self, source_key: str, listings: bool = True) -> Iterator[tuple[Path, dict[str, Any]]]:
        folder = self.source_dir(source_key)
        globs = [folder.glob("*" + META_SUFFIX)]
        if listings:
            globs.append((folder / LISTINGS_DIR).glob("*" + META_SUFFIX))
        for glob in globs:
            for path in sorted(glob):
                meta = read_json(path)
                if meta is not None:
                    yield path, meta

    def load_furniture(self, source_key: str) -> frozenset[str]:
        return frozenset(read_json(self.source_dir(source_key) / FURNITURE_FILE) or [])

    def save_furniture(self, source_key: str, fingerprints: set[str] | frozenset[str]) -> None:
        _write_meta_json(self.source_dir(source_key) / FURNITURE_FILE, sorted(fingerprints))

    # -- robots.txt and sitemaps, kept with their validators for conditional requests

    def _http_paths(self, url: str) -> tuple[Path, Path]:
        folder = self.root / HTTP_DIR
        return folder / f"{url_key(url)}.bin", folder / f"{url_key(url)}{META_SUFFIX}"

    def http_cached(self, url: str) -> tuple[dict[str, Any], bytes] | None:
        body_path, meta_path = self._http_paths(url)
        meta = read_json(meta_path)
        if meta is None:
            return None
        try:
            return meta, body_path.read_bytes()
        except OSError:
            return None

    def http_save(self, url: str, headers: dict[str, str], body: bytes) -> None:
        body_path, meta_path = self._http_paths(url)
        write_bytes(body_path, body)
        _write_meta_json(meta_path, {"url": url, "etag": headers.get("etag"),
                                     "last_modified": headers.get("last-modified")})  # fmt: skip

    # -- the frontier: an append-only log, so saving it costs one line per URL, not a rewrite

    def frontier_append(self, source_key: str, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        path = self.source_dir(source_key) / FRONTIER_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        with self._frontier_lock, open(path, "a+", encoding="utf-8") as handle:
            if handle.tell() > 0:
                handle.seek(handle.tell() - 1)
                if handle.read(1) != "\n":  # a torn line from a killed run: start on a fresh line
                    lines = "\n" + lines
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())

    def load_frontier(self, source_key: str) -> tuple[list[dict[str, Any]], set[str]]:
        """(queued-but-not-done records in order, every URL ever queued) from the log; a torn last
        line (killed mid-write) is ignored."""
        path = self.source_dir(source_key) / FRONTIER_FILE
        added: dict[str, dict[str, Any]] = {}
        done: set[str] = set()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return [], set()
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if "done" in record:
                done.add(record["done"])
            elif "url" in record:
                added.setdefault(record["url"], record)
        return [r for u, r in added.items() if u not in done], set(added)

    def clear_frontier(self, source_key: str) -> None:
        (self.source_dir(source_key) / FRONTIER_FILE).unlink(missing_ok=True)

    def load_state(self, source_key: str) -> dict[str, Any]:
        return read_json(self.source_dir(source_key) / STATE_FILE) or {}

    def save_state(self, source_key: str, state: dict[str, Any]) -> None:
        _write_meta_json(self.source_dir(source_key) / STATE_FILE, state)


def snapshot_document(html_path: Path, sources: dict[str, Source] | None = None) -> Document | Skip:
    """Re-extract a stored snapshot (never re-fetching): bytes + meta → Document."""
    html_path = Path(html_path)
    meta = read_json(html_path.with_name(html_path.stem + META_SUFFIX))
    if meta is None:
        return Skip(str(html_path), "snapshot without metadata (interrupted write)")
    try:
        data = html_path.read_bytes()
    except OSError as exc:
        return Skip(str(html_path), f"unreadable snapshot ({exc.strerror})")
    key = meta.get("source") or ""
    source = (sources or {}).get(key)
    if source is None and key:
        # Registry unknown here (e.g. a user's --sources file): the meta file carries what we need.
        source = Source(key=key, name_fi=key, name_sv=None, region=meta.get("region"), sv_paths=("/sv/",))
    url = meta.get("final_url") or meta.get("url")
    furniture = _furniture(html_path.parent / FURNITURE_FILE)
    return html_to_document(
        data, url=url, source=source, declared_encoding=meta.get("encoding"), furniture=furniture
    )


_FURNITURE_CACHE: dict[Path, tuple[float, frozenset[str]]] = {}


def _furniture(path: Path) -> frozenset[str]:
    """The source's teaser fingerprints, cached by file mtime (read once per source per ingest)."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return frozenset()
    cached = _FURNITURE_CACHE.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    value = frozenset(read_json(path) or [])
    _FURNITURE_CACHE[path] = (mtime, value)
    return value


def iter_snapshot_documents(
    crawl_dir: Path, sources: dict[str, Source] | None = None
) -> Iterator[Document | Skip]:
    """Every complete snapshot under ``crawl_dir`` as a Document (or a Skip with its reason)."""
    root = Path(crawl_dir)
    if not root.is_dir():
        return
    for html_path in sorted(root.glob("*/*.html")):
        if html_path.name.startswith("."):
            continue
        yield snapshot_document(html_path, sources)
