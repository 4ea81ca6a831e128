"""Issue 16: the crawler against hostile servers (local, 127.0.0.1) — each within its time budget.

Slow body and slow headers (wall-clock deadline while reading), a gzip sitemap bomb (streaming
decompression with a cap), a malformed Location and unparseable links (that URL fails, the crawl goes
on), session ids (removed before fetching), keep-alive, the append-only frontier log, the page budget,
and `hakemisto sources --check`.
"""

from __future__ import annotations

import json
import threading
import time
import tracemalloc
import zlib
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from hakemisto.cli import main
from hakemisto.crawl.fetch import FetchFailed, HostGate, HttpClient, SitemapTooLarge, _parse_sitemap, crawl
from hakemisto.crawl.sources import load_sources
from hakemisto.crawl.store import SnapshotStore
from hakemisto.crawl.urls import canonicalize

pytestmark = pytest.mark.slow  # crawls a hostile local site

BOMB_BYTES = 1 << 30  # the sitemap inflates to 1 GiB


def _page(title: str, links: str = "") -> bytes:
    return (f"<html lang='fi'><body><main><h1>{title}</h1><p>Hanke kehittää palveluja yhdessä kuntien ja "
            f"järjestöjen kanssa alueella, sivu {title}.</p>{links}</main></body></html>").encode()


def _bomb() -> bytes:
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><!--'
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [deflate.compress(head)]
    chunk = b" " * (1 << 20)
    for _ in range(BOMB_BYTES >> 20):
        out.append(deflate.compress(chunk))
    out.append(deflate.flush())
    return b"".join(out)


class Hostile:
    """One HTTP/1.1 server whose paths misbehave; every request is logged with its client port."""

    def __init__(self) -> None:
        self.hits: list[tuple[str, tuple[str, int]]] = []
        self.bomb = _bomb()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        return [p for p, _ in self.hits]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args) -> None:  # noqa: A002
                pass

            def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
                      headers: dict[str, str] | None = None) -> None:  # fmt: skip
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                web.hits.append((self.path, self.client_address))
                path = urlsplit(self.path).path
                try:
                    self._route(path)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _route(self, path: str) -> None:
                if path == "/robots.txt":
                    return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
                if path == "/":
                    links = ('<a href="/hidas-runko">a</a><a href="/hitaat-otsakkeet">b</a><a href="/huono-osoite">c</a>'
                             '<a href="http://[::1">d</a><a href="/sivu;jsessionid=ABC123?PHPSESSID=x&amp;sid=y&amp;k=1">e</a>'
                             '<a href="/toinen">f</a>')  # fmt: skip
                    return self._send(200, _page("Etusivu", links))
                if path == "/hidas-runko":  # headers at once, then one byte every second
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    for _ in range(30):
                        self.wfile.write(b"<")
                        self.wfile.flush()
                        time.sleep(1.0)
                    return None
                if path == "/hitaat-otsakkeet":  # the status line, then a header line every second
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for n in range(30):
                        self.wfile.write(f"X-Hidas-{n}: 1\r\n".encode())
                        self.wfile.flush()
                        time.sleep(1.0)
                    return None
                if path == "/huono-osoite":
                    return self._send(301, headers={"Location": "http://[::1"})
                if path == "/sivu":
                    return self._send(200, _page("Sivu"))
                if path == "/toinen":
                    return self._send(200, _page("Toinen"))
                if path == "/sitemap.xml.gz":
                    return self._send(200, web.bomb, "application/x-gzip")
                return self._send(404, b"<html><body>ei</body></html>")

        return Handler


@pytest.fixture(scope="module")
def hostile():
    server = Hostile()
    yield server
    server.stop()


def _sources(tmp_path, server: Hostile, extra: str = ""):
    host = server.base.split("//")[1]
    (tmp_path / "s.toml").write_text(
        f'inherit_patterns = false\n[sources.vihamielinen]\nname_fi = "Vihamielinen"\nregion = "Kainuu"\n'
        f'domains = ["{host}"]\nseeds = ["{server.base}/"]\nsitemaps = ["{server.base}/sitemap.xml.gz"]\n{extra}',
        encoding="utf-8",
    )
    return list(load_sources(tmp_path / "s.toml").values())


def test_hostile_site_fails_each_bad_url_with_a_reason_within_budget(hostile, settings, tmp_path) -> None:
    s = replace(settings, crawl_delay=0.02, timeout=1.5, deadline=2.0, retries=0, max_bytes=5_000_000,
                max_sitemap_bytes=10_000_000)  # fmt: skip
    sources = _sources(tmp_path, hostile)
    assert len(hostile.bomb) < 5_000_000  # small on the wire, 1 GiB inflated
    hostile.hits.clear()
    started = time.monotonic()
    report = crawl(s, sources).sources[0]
    took = time.monotonic() - started
    failed = {canonicalize(u).replace(hostile.base, ""): why for u, why in report.failed}
    # slow body and slow headers: cut at the 2 s deadline, not after 30 s of trickle
    assert failed["/hidas-runko"].startswith("timeout")
    assert failed["/hitaat-otsakkeet"].startswith("timeout")
    # the gzip bomb: inflated in a stream up to the cap, then refused
    assert failed["/sitemap.xml.gz"] == "sitemap inflates past 10000000 bytes"
    tracemalloc.start()
    with pytest.raises(SitemapTooLarge):
        _parse_sitemap(hostile.bomb, 10_000_000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 30_000_000, peak  # a few MB, not 1 GiB (before: 9.3 GB for the real-size bomb)
    # a malformed Location fails that URL only; the unparseable link is dropped; the crawl went on
    assert failed["/huono-osoite"].startswith("bad redirect Location: unparseable URL")
    stored = sorted(u.replace(hostile.base, "") for u in report.stored)
    assert stored == ["/sivu?k=1", "/toinen"]
    # session ids were removed before fetching
    assert "/sivu?k=1" in hostile.paths() and not [p for p in hostile.paths() if "sess" in p.lower() or "sid=" in p]
    assert took < 2 * 2.0 + 6, took  # two deadlines plus the rest of the site, never 30 s
    assert report.requests == len(hostile.paths())


def test_client_deadline_and_keep_alive(hostile, settings) -> None:
    s = replace(settings, timeout=5.0, deadline=1.0)
    client = HttpClient(s, HostGate(0.0))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="timeout"):
        client.get(hostile.base + "/hidas-runko")
    assert time.monotonic() - started < 2.0  # the socket timeout (5 s) never outlives the deadline
    before = len(hostile.hits)
    for path in ("/sivu", "/toinen", "/robots.txt", "/puuttuu"):
        client.get(hostile.base + path)
    clients = {c for _, c in hostile.hits[before:]}
    assert len(clients) == 1  # four requests, one kept-alive connection
    client.close()


def test_frontier_is_an_append_only_log_and_budget_is_reported(hostile, settings, tmp_path) -> None:
    s = replace(settings, crawl_delay=0.02, timeout=1.0, deadline=1.0, retries=0, page_budget=2)
    lines: list[str] = []
    sources = _sources(tmp_path, hostile)
    sources = [replace(sources[0], sitemaps=())]
    report = crawl(s, sources, log=lines.append).sources[0]
    assert report.budget_hit == 2 and report.pending > 0
    assert any("page budget of 2 reached" in line for line in lines)
    log = s.crawl_dir / "vihamielinen" / "_frontier.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert records[0] == {"url": sources[0].seeds[0], "kind": "page", "trap": 0, "steps": 0, "lastmod": None}
    assert {"done": sources[0].seeds[0]} in records  # one line per URL queued or done, nothing rewritten
    size = log.stat().st_size
    # a torn last line (killed mid-write) is ignored; the resumed run appends, it does not rewrite
    with log.open("a") as handle:
        handle.write('{"url": "http://tor')
    pending, seen = SnapshotStore(s.crawl_dir).load_frontier("vihamielinen")
    assert len(pending) == report.pending and sources[0].seeds[0] in seen
    crawl(replace(s, page_budget=1), sources)
    grown = log.read_bytes()
    assert grown[:size] == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    assert len(grown) > size + len('{"url": "http://tor')
    pending_after, _ = SnapshotStore(s.crawl_dir).load_frontier("vihamielinen")
    assert len(pending_after) >= len(pending) - 1  # one more page done; seeds re-queued on resume


def test_unparseable_urls_never_raise() -> None:
    from hakemisto.crawl.urls import BadUrl, host_of

    with pytest.raises(BadUrl, match="unparseable"):
        canonicalize("http://[::1")
    with pytest.raises(BadUrl):
        canonicalize("http://exa\nmple.fi/")
    assert host_of("http://[::1") == ""
    assert canonicalize("https://a.fi/x;jsessionid=1?PHPSESSID=2&sid=3&id=4") == "https://a.fi/x?id=4"


def test_sources_check_shows_what_each_rule_admits(tmp_path, runner) -> None:
    own = tmp_path / "oma.toml"
    own.write_text('[sources.oma]\nname_fi = "Oma"\nregion = "Kainuu"\ndomains = ["oma.example"]\n'
                   'seeds = ["https://oma.example/"]\nexclude = ["/arkisto/"]\n', encoding="utf-8")  # fmt: skip
    env = {"HAKEMISTO_CORPUS_DIR": str(tmp_path / "corpus")}
    urls = ["https://oma.example/sv/aktuellt/nytt-projekt", "https://oma.example/sv/nyheter/x",
            "https://oma.example/arkisto/hanke", "https://oma.example/asiointi"]  # fmt: skip
    args = ["sources", "--check", str(own), "--json"] + [a for u in urls for a in ("--url", u)]
    result = runner.invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["sources"][0]
    verdicts = {v["url"]: v["reason"] for v in data["urls"]}
    assert verdicts[urls[0]] == "followed" and verdicts[urls[1]] == "followed"  # inherited Swedish slugs
    assert verdicts[urls[2]] == "excluded by pattern" and verdicts[urls[3]] == "not included by pattern"
    rules = {(r["kind"], r["pattern"]): r for r in data["rules"]}
    assert rules[("include", "aktuellt")]["origin"] == "built-in"
    assert rules[("include", "aktuellt")]["matches"] == [urls[0]]
    assert rules[("exclude", "/arkisto/")]["origin"] == "own"
    text = runner.invoke(main, ["sources", "--check", str(own)], env=env)
    assert text.exit_code == 0 and "valid" in text.stdout and "(built-in)" in text.stdout
    # opting out of the built-in patterns
    own.write_text("inherit_patterns = false\n" + own.read_text(), encoding="utf-8")
    data = json.loads(runner.invoke(main, ["sources", "--check", str(own), "--json"], env=env).stdout)
    assert [r["pattern"] for r in data["sources"][0]["rules"]] == ["/arkisto/"]
    bad = tmp_path / "bad.toml"
    bad.write_text("inherit_patterns = 3\n" + own.read_text().split("\n", 1)[1], encoding="utf-8")
    failed = runner.invoke(main, ["sources", "--check", str(bad)], env=env)
    assert failed.exit_code != 0 and "inherit_patterns must be true or false" in failed.output



def test_progress_per_source_on_stderr(hostile, settings, tmp_path, capsys) -> None:
    """The crawl reports progress per source ('crawl <key>'); off a terminal every 50 pages and at the end."""
    from hakemisto.cli import Progress

    calls: list[tuple[str, int, int]] = []
    s = replace(settings, crawl_delay=0.02, timeout=1.0, deadline=1.0, retries=0, page_budget=3)
    sources = [replace(_sources(tmp_path, hostile)[0], sitemaps=())]
    crawl(s, sources, progress=lambda stage, done, total: calls.append((stage, done, total)))
    mine = [c for c in calls if c[0] == "crawl vihamielinen"]
    assert [d for _, d, _ in mine][:3] == [1, 2, 3] and all(t >= d for _, d, t in mine)
    assert ("crawl", 1, 1) in calls  # sources done / all sources
    progress = Progress()
    for done in range(1, 101):
        progress("crawl vihamielinen", done, 120)
    progress("crawl vihamielinen", 120, 120)
    assert capsys.readouterr().err.splitlines() == [
        "crawl vihamielinen: 50/120", "crawl vihamielinen: 100/120", "crawl vihamielinen: 120/120"
    ]
