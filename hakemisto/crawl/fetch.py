"""The only network code: a polite, incremental crawler over the source registry.

Politeness is structural, not optional: every request goes through ``HostGate`` (one request at a
time per host, at least ``max(settings.crawl_delay, robots Crawl-delay)`` apart), robots.txt is read
before any page of a host, redirects never leave the source's domains, and unchanged pages cost a
304 thanks to the ETag / Last-Modified kept by the snapshot store. Sources run in parallel (bounded
by ``settings.concurrency``); each source's pages are fetched in order, so resuming is just reading
the saved frontier back.
"""

from __future__ import annotations

import hashlib
import http.client
import random
import re
import socket
import ssl
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from protego import Protego

from hakemisto.core.config import Settings
from hakemisto.core.model import Document, RawPage, Source
from hakemisto.core.notes import Note
from hakemisto.crawl.extract import block_fingerprints, html_to_document
from hakemisto.crawl.sources import wants_url
from hakemisto.crawl.store import LISTINGS_DIR, SnapshotStore
from hakemisto.crawl.urls import (
    canonicalize,
    counter_template,
    domain_allowed,
    host_of,
    is_document_link,
    is_listing_url,
    trap_limits,
    trap_reason,
    url_key,
)

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
    """GETs with a wall-clock deadline, a size cap, no automatic redirects (the crawler checks each
    hop) and one kept-alive connection per host (HostGate already serialises a host's requests).

    Requests are counted per thread (each source crawls in one thread), so per-source counts stay
    right when sources run in parallel."""

    def __init__(self, settings: Settings, gate: HostGate) -> None:
        self.settings = settings
        self.gate = gate
        self.requests = 0
        self.connections_opened = 0
        self._count_lock = threading.Lock()
        self._conns: dict[str, http.client.HTTPConnection] = {}
        self._local = threading.local()

    def thread_requests(self) -> int:
        """Requests made by the calling thread so far."""
        return getattr(self._local, "requests", 0)

    def _connection(self, key: str, parts: Any) -> tuple[http.client.HTTPConnection, bool]:
        conn = self._conns.get(key)
        if conn is not None and conn.sock is not None:
            return conn, True
        timeout = min(self.settings.timeout, self.settings.deadline)  # connecting counts too
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(
                parts.hostname or "", parts.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
        with self._count_lock:
            self.connections_opened += 1
        self._conns[key] = conn
        return conn, False

    def _drop(self, key: str) -> None:
        conn = self._conns.pop(key, None)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        for key in list(self._conns):
            self._drop(key)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as exc:
            raise FetchFailed(f"unparseable URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchFailed(f"not an http(s) URL: {url[:80]}")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {
            "User-Agent": self.settings.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,application/xml;q=0.5,*/*;q=0.1",
            "Accept-Encoding": "gzip",
            "Accept-Language": "fi,sv;q=0.9,en;q=0.5",
            **(headers or {}),
        }
        key = f"{parts.scheme}://{host_of(url)}"
        with self.gate.slot(host_of(url)):
            with self._count_lock:
                self.requests += 1
            self._local.requests = self.thread_requests() + 1
            for attempt in (0, 1):
                conn, reused = self._connection(key, parts)
                try:
                    return self._exchange(conn, key, url, target, sent)
                except _StaleConnection:
                    if not reused or attempt:
                        raise FetchFailed("connection error (closed by the server)") from None
        raise FetchFailed("connection error")  # pragma: no cover - the loop always returns or raises

    def _exchange(
        self, conn: http.client.HTTPConnection, key: str, url: str, target: str, sent: dict[str, str]
    ) -> Response:
        deadline = time.monotonic() + self.settings.deadline
        expired = threading.Event()

        def abort() -> None:  # the wall clock ran out: unblock whatever read is waiting
            expired.set()
            sock = conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        if conn.sock is not None:  # a kept-alive socket still has the last read's shortened timeout
            conn.sock.settimeout(min(self.settings.timeout, self.settings.deadline))
        timer = threading.Timer(self.settings.deadline, abort)
        timer.daemon = True
        timer.start()
        sent_ok = False
        try:
            conn.request("GET", target, headers=sent)
            sent_ok = True
            resp = conn.getresponse()
            got = {k.lower(): v for k, v in resp.getheaders()}
            body, too_large = self._read(resp, got, deadline, conn.sock)
            if too_large or resp.will_close or expired.is_set():
                self._drop(key)
        except TimeoutError:
            self._drop(key)
            raise FetchFailed("timeout") from None
        except socket.gaierror as exc:
            self._drop(key)
            raise FetchFailed(f"host not found ({exc.strerror or exc})", unreachable=True) from None
        except ConnectionRefusedError:
            self._drop(key)
            raise FetchFailed("connection refused", unreachable=True) from None
        except ssl.SSLError as exc:
            self._drop(key)
            raise FetchFailed(f"TLS error ({exc.reason or exc})", unreachable=True) from None
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
            self._drop(key)
            if expired.is_set():
                raise FetchFailed(f"timeout (deadline {self.settings.deadline:g} s)") from None
            if not sent_ok or isinstance(exc, http.client.RemoteDisconnected):
                raise _StaleConnection from None
            raise FetchFailed(f"connection error ({type(exc).__name__})") from None
        except (ConnectionError, http.client.HTTPException, OSError, ValueError) as exc:
            self._drop(key)
            if expired.is_set():
                raise FetchFailed(f"timeout (deadline {self.settings.deadline:g} s)") from None
            raise FetchFailed(f"connection error ({type(exc).__name__})") from None
        finally:
            timer.cancel()
        if expired.is_set():
            raise FetchFailed(f"timeout (deadline {self.settings.deadline:g} s)")
        return Response(url=url, status=resp.status, headers=got, body=body, too_large=too_large)

    def _read(
        self, resp: http.client.HTTPResponse, headers: dict[str, str], deadline: float, sock: Any
    ) -> tuple[bytes, bool]:
        """The body, at most ``max_bytes`` (decompressed), reading one socket chunk at a time so the
        deadline is checked between chunks and the socket timeout never outlives it."""
        cap = self.settings.max_bytes
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            return b"", True
        gzipped = headers.get("content-encoding", "").lower() == "gzip"
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if sock is not None:
                try:
                    sock.settimeout(min(self.settings.timeout, remaining))
                except OSError:
                    pass
            chunk = resp.read1(65536)
            if not chunk:
                break
            if inflate is not None:
                chunk = inflate.decompress(chunk, cap + 1 - size)
                if inflate.unconsumed_tail:
                    return b"", True
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                return b"", True
        resp.close()  # the body is read: the kept-alive connection is free for the next request
        return b"".join(chunks), False


class _StaleConnection(Exception):
    """A kept-alive connection the server had already closed: retried once on a fresh one."""


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
    budget_hit: int | None = None
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
            "budget_hit": self.budget_hit,
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


class SitemapTooLarge(Exception):
    """A sitemap inflating past the cap (a gzip bomb, or simply too big)."""


def _inflate(body: bytes, cap: int) -> bytes:
    """gzip → bytes in a stream, never more than ``cap`` bytes out (a 10 MB bomb is not 10 GB here)."""
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out: list[bytes] = []
    size = 0
    data = body
    try:
        while data and not inflate.eof:
            chunk = inflate.decompress(data, 1 << 20)
            size += len(chunk)
            if size > cap:
                raise SitemapTooLarge(f"sitemap inflates past {cap} bytes")
            out.append(chunk)
            data = inflate.unconsumed_tail
    except zlib.error:
        return b"".join(out)
    return b"".join(out)


def _parse_sitemap(body: bytes, cap: int = 50_000_000) -> tuple[list[str], list[tuple[str, str | None]]]:
    """(child sitemaps, (page url, lastmod) pairs) of a sitemap or sitemap index (gzip allowed)."""
    if body[:2] == b"\x1f\x8b":
        body = _inflate(body, cap)
    if len(body) > cap:
        raise SitemapTooLarge(f"sitemap larger than {cap} bytes")
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
    """Links of a page (anchors, rel=next, hreflang), and the page's robots meta (noindex, nofollow).
    Links that cannot be parsed are dropped here: one bad href never stops a page."""
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return [], False, False
    robots = " ".join(tree.xpath("//meta[translate(@name,'ROBTS','robts')='robots']/@content")).lower()
    noindex, nofollow = "noindex" in robots, "nofollow" in robots
    base_href = tree.xpath("//base/@href")
    try:
        base = urljoin(base, base_href[0]) if base_href else base
    except ValueError:
        pass
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


def _since_note(code: str, words: str, since: datetime) -> Note:
    """A skip reason for a page older than the run's cut-off date; the CLI names its own option."""
    day = since.date().isoformat()
    return Note(code, f"{words} the cut-off date {day}", since=day)


def _parse_date(value: str | None) -> datetime | None:
    from hakemisto.crawl.extract import parse_date

    return parse_date(value) if value else None


def _lastmod(value: str | None) -> datetime | None:
    """A sitemap lastmod as naive local time; a bare date covers its whole day (a page changed in
    the afternoon of a day already checked that morning is still re-checked)."""
    when = _parse_date(value)
    if when is not None and value and len(value.strip()) <= 10:
        when = when.replace(hour=23, minute=59, second=59)
    return when


@dataclass(frozen=True)
class QueueItem:
    """One frontier entry: ``trap`` counts hops inside trap-pattern URLs, ``steps`` the length of a
    chain of URLs differing only in a counter; ``lastmod`` comes from a sitemap."""

    url: str
    kind: str = "page"
    trap: int = 0
    steps: int = 0
    lastmod: str | None = None

    def record(self) -> dict[str, Any]:
        return {"url": self.url, "kind": self.kind, "trap": self.trap, "steps": self.steps,
                "lastmod": self.lastmod}  # fmt: skip

    @classmethod
    def from_record(cls, r: dict[str, Any]) -> QueueItem:
        return cls(str(r["url"]), str(r.get("kind") or "page"), int(r.get("trap") or 0),
                   int(r.get("steps") or 0), r.get("lastmod"))  # fmt: skip


@dataclass
class _Run:
    """Per-source mutable state of one crawl run."""

    source: Source
    report: SourceReport
    since: datetime | None
    queue: deque[QueueItem] = field(default_factory=deque)
    seen: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    saved: list[tuple[str, str | None]] = field(default_factory=list)  # (final url, previous hash)
    behaviour: set[str] = field(default_factory=set)
    log_buffer: list[dict[str, Any]] = field(default_factory=list)
    furniture: frozenset[str] = frozenset()
    requested: dict[str, str] = field(default_factory=dict)  # final url → the URL that was queued
    lastmods: dict[str, str] = field(default_factory=dict)  # sitemap lastmod of URLs queued from links
    fetched_finals: set[str] = field(default_factory=set)  # final URLs answered this run


FURNITURE_MIN_PAGES = 3
FURNITURE_SHARE = 0.1
_NODE_PATH = re.compile(r"/node/\d+/?$")


class Crawler:
    """Crawls sources into a ``SnapshotStore``. One instance per run; thread-safe across sources."""

    def __init__(self, settings: Settings, store: SnapshotStore, log: Log | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:  # fmt: skip
        self.settings = settings
        self.store = store
        self.log = log or (lambda _msg: None)
        self.progress = progress
        self.gate = HostGate(settings.crawl_delay)
        self.client = HttpClient(settings, self.gate)
        self._robots: dict[str, Protego | str | None] = {}
        self._robots_lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._agent = settings.user_agent.split("/")[0].split()[0] or "hakemisto"
        self.max_trap_depth, self.max_counter_steps = trap_limits()

    # -- conditional fetches of robots.txt and sitemaps

    def _get_cached(self, url: str) -> Response:
        """GET with the validators of the last copy; a 304 answers with that copy's body."""
        cached = self.store.http_cached(url)
        headers: dict[str, str] = {}
        if cached:
            if cached[0].get("etag"):
                headers["If-None-Match"] = cached[0]["etag"]
            if cached[0].get("last_modified"):
                headers["If-Modified-Since"] = cached[0]["last_modified"]
        resp = fetch_with_retries(self.client, url, headers)
        if resp.status == 304 and cached:
            return Response(url=url, status=200, headers={**resp.headers, "x-cached": "304"}, body=cached[1])
        if resp.status == 200 and not resp.too_large and (resp.headers.get("etag") or resp.headers.get("last-modified")):
            self.store.http_save(url, resp.headers, resp.body)
        return resp

    # -- robots.txt

    def robots_for(self, url: str) -> Protego | str | None:
        """Parsed robots.txt of the URL's host; None = allow all; a str = why everything is refused."""
        host = host_of(url)
        with self._robots_lock:
            if host in self._robots:
                return self._robots[host]
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:  # two sources on one host read its robots.txt once
            with self._robots_lock:
                if host in self._robots:
                    return self._robots[host]
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            try:
                resp = self._get_cached(robots_url)
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
        """None when robots.txt lets us fetch exactly this URL, else the refusal."""
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

    def _follow(
        self, source: Source, url: str, report: SourceReport, done: set[str] | None = None
    ) -> Response | None:
        """GET with redirects checked hop by hop (domains, robots on the URL actually requested).
        The server's redirect target is taken as it is: a slash it adds is kept. None = skipped/failed."""
        current = url
        headers = self._conditional_headers(source, url)
        visited = {url}
        for _ in range(MAX_REDIRECTS + 1):
            refusal = self.allowed(current)
            if refusal:
                report.skipped.append((url, refusal))
                return None
            resp = fetch_with_retries(self.client, current, headers)
            if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                try:
                    target = canonicalize(resp.headers["location"], current)
                except ValueError as exc:
                    report.failed.append((url, f"bad redirect Location: {exc}"))
                    return None
                if not target.startswith(("http://", "https://")):
                    report.failed.append((url, f"bad redirect Location: not http(s) {target[:80]!r}"))
                    return None
                if not domain_allowed(target, source.domains):
                    report.skipped.append((url, f"redirect off-domain to {target}"))
                    return None
                if target in visited:
                    report.failed.append((url, f"redirect loop at {target}"))
                    return None
                if done is not None and target in done:
                    # Answered already this run: no second request; remember where this URL leads
                    # (next run, the target's sitemap lastmod covers this URL too).
                    report.skipped.append((url, f"redirect to an already seen URL {target}"))
                    if self.store.has_snapshot(source.key, target) and not self.store.meta_for(source.key, url):
                        page = RawPage(url=url, final_url=target, status=resp.status, body=b"", fetched_at=_now(),
                                       content_type="", etag=None, last_modified=None, encoding=None,
                                       source=source.key)  # fmt: skip
                        self.store.save_alias(page, content_hash="", source_key=source.key, target=url_key(target))
                    return None
                visited.add(target)
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
        requests_before = self.client.thread_requests()
        try:
            self._crawl(source, report, max_pages if max_pages is not None else self.settings.page_budget, since)
        except FetchFailed as exc:
            report.unreachable = exc.reason
        report.requests = self.client.thread_requests() - requests_before
        return report

    def _start_queue(self, run: _Run) -> None:
        source = run.source
        pending, seen = self.store.load_frontier(source.key)
        state = self.store.load_state(source.key)
        if not pending and state.get("pending"):  # a frontier saved by an older version
            pending = [{"url": u, "kind": k} for u, k in state["pending"]]
            seen = set(state.get("seen", []))
        starts = [QueueItem(u, "page") for u in source.seeds] + [QueueItem(u, "sitemap") for u in source.sitemaps]
        if pending:
            run.queue = deque(QueueItem.from_record(r) for r in pending)
            run.seen = seen | {i.url for i in run.queue}
            run.documents = set(state.get("documents", []))
            self.log(f"{source.key}: resuming, {len(run.queue)} URLs left from an interrupted crawl")
            # Seeds and sitemaps again: what changed since the interrupted run is found from them.
            queued = {i.url for i in run.queue}
            for item in starts:
                if item.url not in queued:
                    run.queue.append(item)
                    run.log_buffer.append(item.record())
            return
        self.store.clear_frontier(source.key)
        run.queue = deque(starts)
        run.seen = {i.url for i in starts}
        run.log_buffer.extend(i.record() for i in starts)
        for host_url in {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}/" for u in source.seeds}:
            robots = self.robots_for(host_url)
            if isinstance(robots, Protego):
                for sm in robots.sitemaps:
                    try:
                        sm = canonicalize(sm)
                    except ValueError:
                        continue
                    if domain_allowed(sm, source.domains) and sm not in run.seen:
                        run.seen.add(sm)
                        run.queue.append(QueueItem(sm, "sitemap"))
                        run.log_buffer.append(run.queue[-1].record())

    def _crawl(self, source: Source, report: SourceReport, budget: int | None, since: datetime | None) -> None:
        if not source.seeds and not source.sitemaps:
            return
        # Reach the source before touching the store: an unreachable source leaves no trace.
        for url in (*source.seeds, *source.sitemaps)[:1]:
            self.robots_for(url)
        self.store.cleanup(source.key)
        run = _Run(source=source, report=report, since=since, furniture=self.store.load_furniture(source.key))
        self._start_queue(run)
        pages = 0
        while run.queue:
            if budget is not None and pages >= budget:
                report.pending = len(run.queue)
                report.budget_hit = budget
                self.log(f"{source.key}: page budget of {budget} reached; {report.pending} URLs left for the next run")
                self._flush_log(run)
                self._finish(run, done=False)
                return
            item = run.queue[0]
            if item.kind == "page" and item.url in run.fetched_finals:  # reached by a redirect already
                run.queue.popleft()
                run.log_buffer.append({"done": item.url})
                continue
            try:
                if item.kind == "sitemap":
                    self._sitemap(run, item)
                else:
                    before = self.client.thread_requests()
                    pages += 1
                    try:
                        self._page(run, item)
                    finally:
                        if self.client.thread_requests() == before:
                            pages -= 1  # no request (sitemap lastmod, robots refusal): not in the budget
            except FetchFailed as exc:
                if exc.unreachable and not report.fetched and not report.not_modified:
                    raise
                report.failed.append((item.url, exc.reason))
            except Exception as exc:  # one pathological URL never stops the crawl (or the nightly job)
                report.failed.append((item.url, f"internal error ({type(exc).__name__}: {str(exc)[:120]})"))
            run.queue.popleft()
            run.log_buffer.append({"done": item.url})
            if len(run.log_buffer) >= 16 or not run.queue:
                self._flush_log(run)
            if self.progress:
                self.progress(f"crawl {source.key}", pages, pages + sum(1 for i in run.queue if i.kind == "page"))
        self._finish(run, done=True)

    def _flush_log(self, run: _Run) -> None:
        self.store.frontier_append(run.source.key, run.log_buffer)
        run.log_buffer.clear()

    def _finish(self, run: _Run, done: bool) -> None:
        self._settle(run)
        key = run.source.key
        self.store.save_state(key, {
            "pending": [] if done else [[i.url, i.kind] for i in run.queue],
            "documents": sorted(run.documents),
            "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        })  # fmt: skip
        if done:
            self.store.clear_frontier(key)

    # -- teaser furniture, duplicates and the stored/unchanged verdict, once the site has been seen

    def _settle(self, run: _Run) -> None:
        source, report, key = run.source, run.report, run.source.key
        counts: dict[str, int] = {}
        pages = 0
        for _, meta in self.store.iter_metas(key):
            if meta.get("alias_of"):
                continue
            pages += 1
            for fp in set(meta.get("blocks") or ()):
                counts[fp] = counts.get(fp, 0) + 1
        threshold = max(FURNITURE_MIN_PAGES, int(FURNITURE_SHARE * pages + 0.999))
        furniture = frozenset(fp for fp, n in counts.items() if n >= threshold)
        changed = furniture != run.furniture
        if changed:
            self.store.save_furniture(key, furniture)
        # Re-extract what this run stored (everything, if the furniture changed) without teasers.
        this_run = {final: previous for final, previous in run.saved}
        targets = list(this_run)
        if changed:
            targets += [m["final_url"] for _, m in self.store.iter_metas(key, listings=False)
                        if not m.get("alias_of") and m.get("final_url") not in this_run]  # fmt: skip
            # A page judged a listing by its structure under the old furniture gets a second look.
            promoted = []
            for path, m in self.store.iter_metas(key):
                final = m.get("final_url") or ""
                if path.parent.name != LISTINGS_DIR or m.get("skipped") != "listing page" or is_listing_url(final):
                    continue
                body = self.store.snapshot_bytes(key, final)
                doc = html_to_document(body or b"", url=final, source=source,
                                       declared_encoding=m.get("encoding"), furniture=furniture)  # fmt: skip
                if isinstance(doc, Document) and self.store.promote(key, final):
                    promoted.append(final)
                    this_run.setdefault(final, None)
                    run.saved.append((final, None))
            targets += promoted
        hashes: dict[str, str] = {}
        for final in dict.fromkeys(targets):
            meta = self.store.main_meta(key, final)
            body = self.store.snapshot_bytes(key, final) if meta else None
            if meta is None or body is None or meta.get("alias_of"):
                continue
            doc = html_to_document(body, url=final, source=source, declared_encoding=meta.get("encoding"),
                                   furniture=furniture)  # fmt: skip
            if not isinstance(doc, Document):
                self.store.demote(key, final, reason=doc.reason)
                if final in this_run:
                    report.skipped.append((run.requested.get(final, final), doc.reason))
                continue
            hashes[final] = doc.content_hash
            self.store.set_content_hash(key, final, doc.content_hash)
        # Identical content under several URLs: one keeper (a real slug beats /node/N), aliases for the rest.
        by_hash: dict[str, list[str]] = {}
        for _, meta in self.store.iter_metas(key, listings=False):
            if not meta.get("alias_of") and meta.get("content_hash"):
                final = meta.get("final_url") or meta.get("url")
                by_hash.setdefault(meta["content_hash"], []).append(final)
        aliased: set[str] = set()
        order = {final: n for n, (final, _) in enumerate(run.saved)}
        for urls in by_hash.values():
            if len(urls) < 2:
                continue
            old = [u for u in urls if u not in this_run]
            keeper = min(urls, key=lambda u: (bool(_NODE_PATH.search(u)), u not in old, order.get(u, 0)))
            for u in urls:
                if u != keeper:
                    self.store.demote(key, u, reason="duplicate content", alias_of=url_key(keeper))
                    aliased.add(u)
        for final, previous in run.saved:
            if final in aliased:
                report.skipped.append((run.requested.get(final, final), "duplicate content"))
            elif final in hashes:
                url = run.requested.get(final, final)
                if previous is not None and previous == hashes[final]:
                    report.unchanged.append(url)
                else:
                    report.stored.append(url)
                    report.stored_paths.append(self.store.source_dir(key) / f"{url_key(final)}.html")

    # -- sitemaps

    def _sitemap(self, run: _Run, item: QueueItem) -> None:
        report, url = run.report, item.url
        refusal = self.allowed(url)
        if refusal:
            report.skipped.append((url, refusal))
            return
        resp = self._get_cached_follow(run, url)
        if resp is None:
            return
        if resp.status != 200 or resp.too_large:
            report.failed.append(
                (url, f"sitemap HTTP {resp.status}" if resp.status != 200 else "sitemap too large")
            )
            return
        try:
            children, pages = _parse_sitemap(resp.body, self.settings.max_sitemap_bytes)
        except SitemapTooLarge as exc:
            report.failed.append((url, str(exc)))
            return
        for child in children:  # the seen set stops sitemap loops
            self._enqueue(run, item, child, "sitemap", base=resp.url)
        for loc, lastmod in pages:
            try:
                page_url = canonicalize(loc, resp.url)
            except ValueError as exc:
                report.failed.append((loc[:200], str(exc)))
                continue
            changed = _parse_date(lastmod)
            if run.since and changed and changed < run.since:
                if page_url not in {u for u, _ in report.skipped}:
                    report.skipped.append((page_url, _since_note("not_modified_since", "not modified since", run.since)))
                continue
            if lastmod:
                run.lastmods[page_url] = lastmod  # also for a URL already queued from a link
            self._enqueue(run, item, page_url, "page", lastmod=lastmod, from_sitemap=True)

    def _get_cached_follow(self, run: _Run, url: str) -> Response | None:
        """A sitemap fetch: redirects followed hop by hop (``/sitemap.xml`` → ``/sitemap_index.xml``
        is normal), the final answer fetched conditionally."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            refusal = self.allowed(current)
            if refusal:
                run.report.skipped.append((url, refusal))
                return None
            resp = self._get_cached(current)
            if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                try:
                    target = canonicalize(resp.headers["location"], current)
                except ValueError as exc:
                    run.report.failed.append((url, f"bad redirect Location: {exc}"))
                    return None
                if not domain_allowed(target, run.source.domains):
                    run.report.skipped.append((url, f"redirect off-domain to {target}"))
                    return None
                run.seen.add(target)
                current = target
                continue
            return Response(url=current, status=resp.status, headers=resp.headers, body=resp.body,
                            too_large=resp.too_large)  # fmt: skip
        run.report.failed.append((url, f"more than {MAX_REDIRECTS} redirects"))
        return None

    # -- the frontier

    def _enqueue(
        self, run: _Run, parent: QueueItem, url: str, kind: str, *, base: str | None = None,
        lastmod: str | None = None, from_sitemap: bool = False,
    ) -> None:  # fmt: skip
        source, report = run.source, run.report
        try:
            url = canonicalize(url, base) if base else url
        except ValueError:
            return
        if url in run.seen:
            return
        run.seen.add(url)
        if is_document_link(url):
            if domain_allowed(url, source.domains) and url not in run.documents:
                run.documents.add(url)
                report.documents.append(url)
            return
        if kind == "page" and wants_url(source, url):
            return
        trap = 0
        if kind == "page" and trap_reason(url):
            trap = parent.trap + 1
            if trap > self.max_trap_depth:
                report.skipped.append((url, f"trap (calendar, search or filter) deeper than {self.max_trap_depth}"))
                return
        steps = 0
        if kind == "page" and not from_sitemap:
            mine, parents = counter_template(url), counter_template(parent.url)
            if mine and parents and mine[0] == parents[0]:
                steps = parent.steps + 1
                if steps > self.max_counter_steps:
                    report.skipped.append((url, f"counter chain longer than {self.max_counter_steps}"))
                    return
        item = QueueItem(url, kind, trap, steps, lastmod)
        if kind == "sitemap" and run.queue:
            run.queue.insert(1, item)  # child sitemaps next: their lastmods spare page requests
        else:
            run.queue.append(item)
        run.log_buffer.append(item.record())

    def _follow_links(self, run: _Run, item: QueueItem, final: str, links: list[str]) -> None:
        """Enqueue a page's links. A trap or counter page whose other links repeat those of an earlier
        one of its kind (an empty calendar month, a pagination page past the end) ends its chain."""
        if item.trap or item.steps:
            template = (counter_template(final) or (final, ""))[0]
            others = sorted(
                link for link in links
                if not trap_reason(link) and (counter_template(link) or ("", ""))[0] != template
            )  # fmt: skip
            mark = hashlib.sha1("\n".join([template, *others]).encode()).hexdigest()
            if mark in run.behaviour:
                run.report.skipped.append((item.url, "content repeats (links not followed)"))
                return
            run.behaviour.add(mark)
        for link in links:
            self._enqueue(run, item, link, "page")

    # -- pages

    def _page(self, run: _Run, item: QueueItem) -> None:
        source, report, url = run.source, run.report, item.url
        meta = self.store.meta_for(source.key, url)
        known = (meta or {}).get("final_url") or url  # where this URL redirected to last time
        lastmod = _lastmod(item.lastmod or run.lastmods.get(url) or run.lastmods.get(known))
        if meta and lastmod is not None and not item.trap and known not in run.fetched_finals:
            checked = _parse_date(meta.get("checked_at"))
            if checked and lastmod <= checked and self.store.has_snapshot(source.key, known):
                report.not_modified.append(url)  # the sitemap says so: no request at all
                run.fetched_finals.update((url, known))
                stored = self.store.snapshot_bytes(source.key, known)
                if stored is not None:
                    self._follow_links(run, item, known, _links(stored, known)[0])
                return
        resp = self._follow(source, url, report, run.fetched_finals)
        if resp is None:
            return
        final = canonicalize(resp.url)
        if resp.status == 304:
            report.not_modified.append(url)
            self.store.touch(source.key, url, _now())
            if final != url:
                self.store.touch(source.key, final, _now())
            run.seen.add(final)
            run.fetched_finals.update((url, final))
            stored = self.store.snapshot_bytes(source.key, final)
            if stored is not None:
                self._follow_links(run, item, final, _links(stored, final)[0])
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
            if final in run.fetched_finals:
                report.skipped.append((url, f"redirect to an already seen URL {final}"))
                return
            run.seen.add(final)
        run.fetched_finals.update((url, final))
        links, noindex, _ = _links(resp.body, final)
        self._follow_links(run, item, final, links)
        if item.trap or trap_reason(final):
            report.skipped.append((url, "trap page (calendar, search or filter): links only"))
            return
        page = RawPage(
            url=url, final_url=final, status=resp.status, body=resp.body, fetched_at=_now(),
            content_type=resp.content_type, etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"), encoding=resp.charset, source=source.key,
        )  # fmt: skip
        doc = html_to_document(resp.body, url=final, source=source, declared_encoding=resp.charset,
                               furniture=run.furniture)  # fmt: skip
        blocks = block_fingerprints(resp.body, url=final, source=source, declared_encoding=resp.charset)
        # Teasers can make a page look like a list of links: when only its structure says "listing",
        # it is stored for now and decided once the site's furniture is known (``_settle``).
        provisional = (not noindex and not isinstance(doc, Document) and doc.reason == "listing page"
                       and not is_listing_url(final))  # fmt: skip
        if provisional:
            previous = self.store.main_meta(source.key, final)
            previous_hash = None if not previous or previous.get("alias_of") else previous.get("content_hash")
            self.store.save(page, content_hash="", source_key=source.key, region=source.region, blocks=blocks)
            run.saved.append((final, previous_hash))
            run.requested[final] = url
            return
        if noindex or not isinstance(doc, Document):
            reason = "noindex" if noindex else doc.reason
            self.store.save_listing(page, reason=reason, source_key=source.key, blocks=blocks)
            report.skipped.append((url, reason))
            return
        when = doc.modified or doc.published
        if run.since and when and when < run.since:
            report.skipped.append((url, _since_note("older_than_since", "older than", run.since)))
            return
        canonical = doc.canonical_url
        if (canonical and canonical != final and host_of(canonical) == host_of(final)
                and domain_allowed(canonical, source.domains) and not is_listing_url(canonical)):  # fmt: skip
            # The page names its own address: store it there (and never fetch that URL again).
            run.seen.add(canonical)
            run.fetched_finals.add(canonical)
            if any(f == canonical for f, _ in run.saved):
                report.skipped.append((url, f"duplicate of its canonical URL {canonical}"))
                return
            final = canonical
            page = replace(page, final_url=canonical)
        previous = self.store.main_meta(source.key, final)
        previous_hash = None if not previous or previous.get("alias_of") else previous.get("content_hash")
        self.store.save(page, content_hash=doc.content_hash, source_key=source.key, region=source.region,
                        blocks=blocks)  # fmt: skip
        run.saved.append((final, previous_hash))
        run.requested[final] = url


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
        from hakemisto.crawl.sources import load_sources, select_sources

        sources = select_sources(load_sources(settings.sources_file), regions)
    crawler = Crawler(settings, SnapshotStore(settings.crawl_dir), log, progress)
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

    try:
        with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool:
            return CrawlReport(list(pool.map(one, sources)))
    finally:
        crawler.client.close()
