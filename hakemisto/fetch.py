"""The only network code: a polite, incremental crawler over the source registry.

Politeness is structural, not optional: every request goes through ``HostGate`` (one request at a
time per host, at least ``max(settings.crawl_delay, robots Crawl-delay)`` apart), robots.txt is read
before any page of a host, redirects never leave the source's domains, and unchanged pages cost a
304 thanks to the ETag / Last-Modified kept by the snapshot store. Sources run in parallel (bounded
by ``settings.concurrency``); each source's pages are fetched in order, so resuming is just reading
the saved frontier back.
"""

from __future__ import annotations

import gzip
import http.client
import random
import socket
import ssl
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from protego import Protego

from .config import Settings
from .extract import html_to_document
from .model import Document, RawPage, Source
from .sources import wants_url
from .store import SnapshotStore
from .urls import canonicalize, domain_allowed, host_of, is_document_link

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0
Log = Callable[[str], None]


class FetchFailed(Exception):
    """A URL could not be fetched; ``unreachable`` when the host itself is gone (DNS, refused, TLS)."""

    def __init__(self, reason: str, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreachable = unreachable


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    too_large: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'") or None
        return None


# ---------------------------------------------------------------- politeness


class HostGate:
    """One request at a time per host, each starting at least the host's delay after the previous
    one ended. Hosts are independent, so sources on different hosts proceed in parallel."""

    def __init__(self, default_delay: float) -> None:
        self.default_delay = default_delay
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def set_delay(self, host: str, delay: float) -> None:
        """A longer delay (robots Crawl-delay) applies from the request that announced it on."""
        with self._lock:
            old = self.delay(host)
            self._delays[host] = max(self.default_delay, delay)
            if host in self._next:
                self._next[host] += self._delays[host] - old

    def delay(self, host: str) -> float:
        return self._delays.get(host, self.default_delay)

    @contextmanager
    def slot(self, host: str):
        with self._lock:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._next.get(host, 0.0) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._next[host] = time.monotonic() + self.delay(host)


# ---------------------------------------------------------------- one HTTP request


class HttpClient:
    """Single GETs with a timeout, a size cap and no automatic redirects (the crawler checks each hop)."""

    def __init__(self, settings: Settings, gate: HostGate) -> None:
        self.settings = settings
        self.gate = gate
        self.requests = 0
        self._count_lock = threading.Lock()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        parts = urlsplit(url)
        timeout = self.settings.timeout
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname or "", parts.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {
            "User-Agent": self.settings.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,application/xml;q=0.5,*/*;q=0.1",
            "Accept-Encoding": "gzip",
            "Accept-Language": "fi,sv;q=0.9,en;q=0.5",
            **(headers or {}),
        }
        with self.gate.slot(host_of(url)):
            with self._count_lock:
                self.requests += 1
            try:
                conn.request("GET", target, headers=sent)
                resp = conn.getresponse()
                got = {k.lower(): v for k, v in resp.getheaders()}
                body, too_large = self._read(resp, got)
            except TimeoutError:
                raise FetchFailed("timeout") from None
            except socket.gaierror as exc:
                raise FetchFailed(f"host not found ({exc.strerror or exc})", unreachable=True) from None
            except ConnectionRefusedError:
                raise FetchFailed("connection refused", unreachable=True) from None
            except ssl.SSLError as exc:
                raise FetchFailed(f"TLS error ({exc.reason or exc})", unreachable=True) from None
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                raise FetchFailed(f"connection error ({type(exc).__name__})") from None
            finally:
                conn.close()
        return Response(url=url, status=resp.status, headers=got, body=body, too_large=too_large)

    def _read(self, resp: http.client.HTTPResponse, headers: dict[str, str]) -> tuple[bytes, bool]:
        cap = self.settings.max_bytes
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            return b"", True
        deadline = time.monotonic() + 4 * self.settings.timeout
        gzipped = headers.get("content-encoding", "").lower() == "gzip"
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = resp.read(65536)
            if not chunk:
                break
            if inflate is not None:
                chunk = inflate.decompress(chunk, cap + 1 - size)
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                return b"", True
            if time.monotonic() > deadline:
                raise TimeoutError
        return b"".join(chunks), False


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def fetch_with_retries(client: HttpClient, url: str, headers: dict[str, str] | None = None) -> Response:
    """GET with retries for timeouts, dropped connections, 429 (Retry-After honoured) and 5xx.
    Other 4xx are answers, not failures: returned at once."""
    retries = client.settings.retries
    base = max(client.settings.crawl_delay, 0.05)
    reason = "failed"
    for attempt in range(retries + 1):
        wait = base * (2**attempt) * (1 + random.random() * 0.5)
        try:
            resp = client.get(url, headers)
        except FetchFailed as exc:
            if exc.unreachable:
                raise
            reason = exc.reason
        else:
            if resp.status == 429:
                reason = "HTTP 429"
                after = _retry_after(resp.headers.get("retry-after"))
                if after is not None:
                    if after > MAX_RETRY_AFTER:
                        raise FetchFailed(f"HTTP 429, Retry-After {after:.0f} s is too long")
                    wait = max(wait, after)
            elif resp.status >= 500:
                reason = f"HTTP {resp.status}"
            else:
                return resp
        if attempt < retries:
            time.sleep(wait)
    raise FetchFailed(f"{reason} after {retries + 1} attempts")


# ---------------------------------------------------------------- reports


@dataclass
class SourceReport:
    """What happened to one source's URLs. Lists hold canonical URLs; pairs are (url, reason)."""

    source: str
    unreachable: str | None = None
    requests: int = 0
    fetched: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    pending: int = 0
    stored_paths: list[Path] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        reasons: dict[str, int] = {}
        for _, reason in self.skipped:
            reasons[reason] = reasons.get(reason, 0) + 1
        return {
            "source": self.source,
            "unreachable": self.unreachable,
            "requests": self.requests,
            "fetched": len(self.fetched),
            "not_modified": len(self.not_modified),
            "unchanged": len(self.unchanged),
            "stored": len(self.stored),
            "skipped": len(self.skipped),
            "skipped_by_reason": reasons,
            "failed": len(self.failed),
            "pending": self.pending,
            "documents_recorded": len(self.documents),
            "urls": {
                "fetched": self.fetched,
                "not_modified": self.not_modified,
                "unchanged": self.unchanged,
                "stored": self.stored,
                "skipped": [list(p) for p in self.skipped],
                "failed": [list(p) for p in self.failed],
                "documents": self.documents,
            },
        }


# ---------------------------------------------------------------- the crawler


def _parse_sitemap(body: bytes) -> tuple[list[str], list[tuple[str, str | None]]]:
    """(child sitemaps, (page url, lastmod) pairs) of a sitemap or sitemap index (gzip allowed)."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    try:
        root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(recover=True, resolve_entities=False))
    except lxml.etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    children: list[str] = []
    pages: list[tuple[str, str | None]] = []
    for el in root.iter("{*}sitemap", "{*}url"):
        loc = el.findtext("{*}loc")
        if not loc:
            continue
        if lxml.etree.QName(el).localname == "sitemap":
            children.append(loc.strip())
        else:
            pages.append((loc.strip(), (el.findtext("{*}lastmod") or "").strip() or None))
    return children, pages


def _links(html: bytes | str, base: str) -> tuple[list[str], bool, bool]:
    """Links of a page (anchors, rel=next, hreflang), and the page's robots meta (noindex, nofollow)."""
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return [], False, False
    robots = " ".join(tree.xpath("//meta[translate(@name,'ROBTS','robts')='robots']/@content")).lower()
    noindex, nofollow = "noindex" in robots, "nofollow" in robots
    base_href = tree.xpath("//base/@href")
    base = urljoin(base, base_href[0]) if base_href else base
    links: list[str] = []
    if nofollow:
        return links, noindex, nofollow
    for el in tree.xpath("//a[@href] | //area[@href] | //link[@href][@rel='next' or @hreflang]"):
        if "nofollow" in (el.get("rel") or "").lower():
            continue
        href = el.get("href", "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        try:
            links.append(canonicalize(href, base))
        except ValueError:
            continue
    return list(dict.fromkeys(links)), noindex, nofollow


def _parse_date(value: str | None) -> datetime | None:
    from .extract import parse_date

    return parse_date(value) if value else None


class Crawler:
    """Crawls sources into a ``SnapshotStore``. One instance per run; thread-safe across sources."""

    def __init__(self, settings: Settings, store: SnapshotStore, log: Log | None = None) -> None:
        self.settings = settings
        self.store = store
        self.log = log or (lambda _msg: None)
        self.gate = HostGate(settings.crawl_delay)
        self.client = HttpClient(settings, self.gate)
        self._robots: dict[str, Protego | str | None] = {}
        self._robots_lock = threading.Lock()
        self._agent = settings.user_agent.split("/")[0].split()[0] or "hakemisto"

    # -- robots.txt

    def robots_for(self, url: str) -> Protego | str | None:
        """Parsed robots.txt of the URL's host; None = allow all; a str = why everything is refused."""
        host = host_of(url)
        with self._robots_lock:
            if host in self._robots:
                return self._robots[host]
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            resp = fetch_with_retries(self.client, robots_url)
        except FetchFailed as exc:
            if exc.unreachable:
                raise
            result: Protego | str | None = f"robots.txt unavailable ({exc.reason})"
        else:
            if resp.status == 200 and not resp.too_large:
                result = Protego.parse(resp.body.decode("utf-8", errors="replace"))
                delay = result.crawl_delay(self._agent)
                if delay:
                    self.gate.set_delay(host, float(delay))
            else:
                result = None  # 4xx (and 3xx): no robots.txt, everything allowed (RFC 9309)
        with self._robots_lock:
            self._robots[host] = result
        return result

    def allowed(self, url: str) -> str | None:
        robots = self.robots_for(url)
        if isinstance(robots, str):
            return robots
        if robots is not None and not robots.can_fetch(url, self._agent):
            return "disallowed by robots.txt"
        return None

    # -- one page

    def _conditional_headers(self, source: Source, url: str) -> dict[str, str]:
        meta = self.store.meta_for(source.key, url)
        headers: dict[str, str] = {}
        if meta and (meta.get("alias_of") or self.store.has_snapshot(source.key, url)):
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]
        return headers

    def _follow(self, source: Source, url: str, report: SourceReport) -> Response | None:
        """GET with redirects checked hop by hop (domains, robots). None when skipped or failed."""
        current = url
        headers = self._conditional_headers(source, url)
        for _ in range(MAX_REDIRECTS + 1):
            refusal = self.allowed(current)
            if refusal:
                report.skipped.append((url, refusal))
                return None
            resp = fetch_with_retries(self.client, current, headers)
            if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                target = canonicalize(resp.headers["location"], current)
                if not domain_allowed(target, source.domains):
                    report.skipped.append((url, f"redirect off-domain to {target}"))
                    return None
                current = target
                headers = self._conditional_headers(source, current)
                continue
            return Response(url=current, status=resp.status, headers=resp.headers, body=resp.body,
                            too_large=resp.too_large)  # fmt: skip
        report.failed.append((url, f"more than {MAX_REDIRECTS} redirects"))
        return None

    def crawl_source(
        self, source: Source, *, max_pages: int | None = None, since: datetime | None = None
    ) -> SourceReport:
        report = SourceReport(source=source.key)
        requests_before = self.client.requests
        try:
            self._crawl(source, report, max_pages, since)
        except FetchFailed as exc:
            report.unreachable = exc.reason
        report.requests = self.client.requests - requests_before
        return report

    def _crawl(
        self, source: Source, report: SourceReport, max_pages: int | None, since: datetime | None
    ) -> None:
        if not source.seeds and not source.sitemaps:
            return
        # Reach the source before touching the store: an unreachable source leaves no trace.
        for url in (*source.seeds, *source.sitemaps)[:1]:
            self.robots_for(url)
        self.store.cleanup(source.key)
        state = self.store.load_state(source.key)
        queue: deque[tuple[str, str]]
        if state.get("pending"):
            queue = deque((u, k) for u, k in state["pending"])
            seen = set(state.get("seen", []))
            self.log(f"{source.key}: resuming, {len(queue)} URLs left from an interrupted crawl")
        else:
            queue = deque([(u, "page") for u in source.seeds] + [(u, "sitemap") for u in source.sitemaps])
            seen = {u for u, _ in queue}
            for host_url in {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}/" for u in source.seeds}:
                robots = self.robots_for(host_url)
                if isinstance(robots, Protego):
                    for sm in robots.sitemaps:
                        sm = canonicalize(sm)
                        if domain_allowed(sm, source.domains) and sm not in seen:
                            seen.add(sm)
                            queue.append((sm, "sitemap"))
        documents = set(state.get("documents", [])) if state.get("pending") else set()
        pages = 0

        def enqueue(url: str, kind: str) -> None:
            if url in seen:
                return
            seen.add(url)
            if is_document_link(url):
                if domain_allowed(url, source.domains) and url not in documents:
                    documents.add(url)
                    report.documents.append(url)
                return
            if kind == "page" and wants_url(source, url):
                return
            queue.append((url, kind))

        def save_state(done: bool) -> None:
            pending = [] if done else [list(item) for item in queue]
            self.store.save_state(
                source.key,
                {
                    "pending": pending,
                    "seen": sorted(seen) if pending else [],
                    "documents": sorted(documents),
                    "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                },  # fmt: skip
            )

        while queue:
            if max_pages is not None and pages >= max_pages:
                report.pending = len(queue)
                save_state(done=False)
                return
            url, kind = queue[0]
            try:
                if kind == "sitemap":
                    self._sitemap(source, url, report, enqueue, since)
                else:
                    pages += 1
                    self._page(source, url, report, enqueue, since, seen)
            except FetchFailed as exc:
                report.failed.append((url, exc.reason))
            queue.popleft()
            save_state(done=not queue)
        save_state(done=True)

    def _sitemap(
        self, source: Source, url: str, report: SourceReport, enqueue: Callable, since: datetime | None
    ) -> None:
        refusal = self.allowed(url)
        if refusal:
            report.skipped.append((url, refusal))
            return
        resp = fetch_with_retries(self.client, url)
        if resp.status != 200 or resp.too_large:
            report.failed.append(
                (url, f"sitemap HTTP {resp.status}" if resp.status != 200 else "sitemap too large")
            )
            return
        children, pages = _parse_sitemap(resp.body)
        for child in children:  # the seen set stops sitemap loops
            enqueue(canonicalize(child), "sitemap")
        for loc, lastmod in pages:
            page_url = canonicalize(loc, url)
            changed = _parse_date(lastmod)
            if since and changed and changed < since:
                if page_url not in {u for u, _ in report.skipped}:
                    report.skipped.append((page_url, "not modified since --since"))
                continue
            enqueue(page_url, "page")

    def _page(
        self,
        source: Source,
        url: str,
        report: SourceReport,
        enqueue: Callable,
        since: datetime | None,
        seen: set[str],
    ) -> None:
        resp = self._follow(source, url, report)
        if resp is None:
            return
        final = canonicalize(resp.url)
        if resp.status == 304:
            report.not_modified.append(url)
            self.store.touch(source.key, url, _now())
            stored = self.store.snapshot_bytes(source.key, final)
            if stored is not None:
                links, _, _ = _links(stored, final)
                for link in links:
                    enqueue(link, "page")
            return
        if resp.status != 200:
            if resp.status in (404, 410):
                self.store.mark_missing(source.key, url, resp.status, _now())
            report.skipped.append((url, f"HTTP {resp.status}"))
            return
        if resp.too_large:
            report.skipped.append((url, f"larger than {self.settings.max_bytes} bytes"))
            return
        if resp.content_type not in HTML_TYPES:
            report.skipped.append((url, f"not html ({resp.content_type or 'no content type'})"))
            return
        report.fetched.append(url)
        if final != url:
            if final in seen:
                report.skipped.append((url, f"redirect to an already seen URL {final}"))
                return
            seen.add(final)
        links, noindex, _ = _links(resp.body, final)
        for link in links:
            enqueue(link, "page")
        page = RawPage(
            url=url, final_url=final, status=resp.status, body=resp.body, fetched_at=_now(),
            content_type=resp.content_type, etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"), encoding=resp.charset, source=source.key,
        )  # fmt: skip
        doc = html_to_document(resp.body, url=final, source=source, declared_encoding=resp.charset)
        if noindex or not isinstance(doc, Document):
            reason = "noindex" if noindex else doc.reason
            self.store.save_listing(page, reason=reason, source_key=source.key)
            report.skipped.append((url, reason))
            return
        when = doc.modified or doc.published
        if since and when and when < since:
            report.skipped.append((url, "older than --since"))
            return
        duplicate = self.store.duplicate_of(source.key, doc.content_hash, final)
        if duplicate:
            self.store.save_alias(
                page, content_hash=doc.content_hash, source_key=source.key, target=duplicate
            )
            report.skipped.append((url, "duplicate content"))
            return
        previous = self.store.meta_for(source.key, final)
        path = self.store.save(
            page, content_hash=doc.content_hash, source_key=source.key, region=source.region
        )
        if previous and previous.get("content_hash") == doc.content_hash and not previous.get("alias_of"):
            report.unchanged.append(url)
        else:
            report.stored.append(url)
            report.stored_paths.append(path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class CrawlReport:
    """All sources of one run, with totals (the shape ``hakemisto crawl --json`` and nightly read)."""

    sources: list[SourceReport]

    @property
    def unreachable(self) -> list[SourceReport]:
        return [r for r in self.sources if r.unreachable]

    @property
    def stored_paths(self) -> list[Path]:
        return [p for r in self.sources for p in r.stored_paths]

    def to_dict(self) -> dict[str, Any]:
        per_source = [r.to_dict() for r in self.sources]
        reasons: dict[str, int] = {}
        for r in per_source:
            for reason, n in r["skipped_by_reason"].items():
                key = "redirect off-domain" if reason.startswith("redirect off-domain") else reason
                reasons[key] = reasons.get(key, 0) + n
        failed = [{"url": r.source, "reason": f"unreachable: {r.unreachable}"} for r in self.unreachable]
        failed += [{"url": u, "reason": why} for r in self.sources for u, why in r.failed]
        return {
            "sources": len(self.sources),
            "unreachable": [r.source for r in self.unreachable],
            "requests": sum(r["requests"] for r in per_source),
            "fetched": sum(r["fetched"] for r in per_source),
            "not_modified": sum(r["not_modified"] for r in per_source),
            "unchanged": sum(r["unchanged"] for r in per_source),
            "stored": sum(r["stored"] for r in per_source),
            "skipped": sum(r["skipped"] for r in per_source),
            "skipped_by_reason": dict(sorted(reasons.items())),
            "failed": failed,
            "pending": sum(r["pending"] for r in per_source),
            "per_source": per_source,
        }


def crawl(
    settings: Settings,
    sources: list[Source] | None = None,
    *,
    regions: tuple[str, ...] | list[str] = (),
    max_pages: int | None = None,
    since: datetime | None = None,
    log: Log | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> CrawlReport:
    """Crawl ``sources`` (default: the registry in ``settings.sources_file``, filtered by ``regions``)
    into ``settings.crawl_dir``: sources in parallel, each host politely."""
    if sources is None:
        from .sources import load_sources, select_sources

        sources = select_sources(load_sources(settings.sources_file), regions)
    crawler = Crawler(settings, SnapshotStore(settings.crawl_dir), log)
    log = log or (lambda _msg: None)
    done = 0
    done_lock = threading.Lock()

    def one(source: Source) -> SourceReport:
        nonlocal done
        report = crawler.crawl_source(source, max_pages=max_pages, since=since)
        if not report.unreachable:  # unreachable sources are reported once, by the caller
            log(
                f"{source.key}: {len(report.fetched)} fetched, {len(report.not_modified)} not modified, "
                f"{len(report.stored)} stored, {len(report.skipped)} skipped, {len(report.failed)} failed"
            )
        with done_lock:
            done += 1
            if progress:
                progress("crawl", done, len(sources))
        return report

    with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool:
        return CrawlReport(list(pool.map(one, sources)))
