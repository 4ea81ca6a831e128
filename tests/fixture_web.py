"""A small local web for crawler tests: three fictional county sites on 127.0.0.1, each its own host.

Static pages come from ``tests/fixtures/site/<site>/`` (``/a/b`` → ``a/b.html``, ``?k=v`` → ``@k=v``,
``%%alpha%%`` → that site's base URL). Misbehaving pages are coded here. Every request is logged with
its arrival time so tests can check politeness from the server's side.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SITE_DIR = Path(__file__).parent / "fixtures" / "site"
SITES = ("alpha", "beta", "gamma")
LAST_MODIFIED = "Tue, 12 Mar 2024 10:00:00 GMT"
CP1252_PAGE = (
    '<html><head><meta charset="utf-8"><title>Päijät-Hämeen hanke</title></head><body><main>'
    "<h1>Päijät-Hämeen kehittämishanke</h1><p>Hyvinvointialue kehittää sosiaali- ja terveyspalveluja "
    "yhdessä kuntien ja järjestöjen kanssa. Hankkeen päättymispäivä on 31.12.2025.</p></main></body></html>"
).encode("cp1252")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Hit:
    site: str
    path: str
    at: float
    headers: dict[str, str]
    status: int = 0


class SiteAddresses:
    """Addresses and the request log of local test sites (``servers``: site → server; ``hits``)."""

    servers: dict[str, ThreadingHTTPServer]
    hits: list

    def base(self, site: str) -> str:
        return f"http://127.0.0.1:{self.servers[site].server_address[1]}"

    def host(self, site: str) -> str:
        return f"127.0.0.1:{self.servers[site].server_address[1]}"

    def paths(self, site: str) -> list[str]:
        return [h.path for h in self.hits if h.site == site]


@dataclass
class FixtureWeb(SiteAddresses):
    servers: dict[str, ThreadingHTTPServer] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    slow_seconds: float = 2.0
    huge_bytes: int = 400_000
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset_log(self) -> None:
        with self.lock:
            self.hits.clear()

    def count(self, key: str) -> int:
        with self.lock:
            self.counters[key] = self.counters.get(key, 0) + 1
            return self.counters[key]

    def render(self, text: str) -> str:
        for site in SITES:
            text = text.replace(f"%%{site}%%", self.base(site))
        return text

    def start(self) -> FixtureWeb:
        for site in SITES:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, site))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers[site] = server
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()


def _handler(web: FixtureWeb, site: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002 - silence the default stderr log
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hit = Hit(site, self.path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()})
            with web.lock:
                web.hits.append(hit)
            status = self._route(urlsplit(self.path))
            hit.status = status

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None, length: bool = True) -> int:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return status

        def _static(self, body: bytes, ctype: str) -> int:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, headers={"ETag": etag}, length=False)
            return self._send(200, body, ctype, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

        def _route(self, url) -> int:
            path = url.path
            if site == "beta":
                special = self._beta(path)
                if special is not None:
                    return special
            name = path.strip("/") or "index"
            if url.query:
                name += "@" + url.query
            for candidate, ctype in ((name, None), (name + ".html", "text/html; charset=utf-8")):
                file = SITE_DIR / site / candidate
                if file.is_file() and ".." not in candidate:
                    if ctype is None:
                        ctype = {".txt": "text/plain; charset=utf-8", ".xml": "application/xml"}.get(
                            file.suffix, "text/html; charset=utf-8"
                        )
                    return self._static(web.render(file.read_text(encoding="utf-8")).encode("utf-8"), ctype)
            return self._send(404, b"<html><body><h1>Sivua ei loydy</h1></body></html>")

        def _beta(self, path: str) -> int | None:
            if path == "/epavakaa":
                if web.count("epavakaa") == 1:
                    return self._send(500, b"<html><body>Palvelinvirhe</body></html>")
                return self._static(
                    _page(
                        "Epävakaa sivu toimii toisella yrityksellä",
                        "Toisella kerralla sivu vastaa normaalisti ja kertoo hankkeesta.",
                    ),
                    "text/html; charset=utf-8",
                )
            if path == "/ruuhka":
                if web.count("ruuhka") == 1:
                    return self._send(429, b"", headers={"Retry-After": "1"})
                return self._static(
                    _page(
                        "Ruuhkainen sivu",
                        "Ruuhkan jälkeen sivu kertoo hankkeen tavoitteista ja aikataulusta.",
                    ),
                    "text/html; charset=utf-8",
                )
            if path == "/hidas":
                time.sleep(web.slow_seconds)
                return self._send(200, _page("Hidas sivu", "Tämä sivu vastaa liian hitaasti."))
            if path == "/iso":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                try:
                    self.wfile.write(b"<html><body><main>")
                    for _ in range(web.huge_bytes // 1000):
                        self.wfile.write(b"<p>" + b"iso sivu " * 110 + b"</p>")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return 200
            if path == "/vanha-osoite":
                return self._send(301, headers={"Location": "/uusi-osoite"}, length=True)
            if path == "/ulos":
                return self._send(302, headers={"Location": web.base("gamma") + "/ajankohtaista/tiedote"})
            if path == "/poistettu":
                return self._send(410, b"<html><body>Poistettu</body></html>")
            if path == "/merkisto":
                return self._static(CP1252_PAGE, "text/html; charset=utf-8")
            if path == "/liite.pdf":
                return self._send(200, PDF, "application/pdf")
            return None

    return Handler


def _page(title: str, text: str) -> bytes:
    return f"<html lang='fi'><body><main><h1>{title}</h1><p>{text}</p></main></body></html>".encode()


SOURCES_TOML = """
inherit_patterns = false  # the fixture pages are named freely, not by county URL conventions
[sources.alpha]
name_fi = "Alfa"
name_sv = "Alfa på svenska"
region = "Pohjanmaa"
domains = ["{alpha_host}"]
seeds = ["{alpha}/"]
sitemaps = []
verified = true

[sources.beta]
name_fi = "Beta"
name_sv = "Beta sv"
region = "Kainuu"
domains = ["{beta_host}"]
seeds = ["{beta}/"]
exclude = ["/kuva\\\\.jpg$"]
verified = true

[sources.gamma]
name_fi = "Gamma"
name_sv = "Gamma sv"
region = "Lappi"
domains = ["{gamma_host}"]
seeds = ["{gamma}/"]
sitemaps = []
verified = true
"""


def write_sources(web: FixtureWeb, path: Path) -> Path:
    text = SOURCES_TOML
    for site in SITES:
        text = text.replace("{" + site + "_host}", web.host(site)).replace("{" + site + "}", web.base(site))
    path.write_text(text, encoding="utf-8")
    return path
