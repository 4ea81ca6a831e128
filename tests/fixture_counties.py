"""A realistic local imitation of two county sites (fictional text, no copied pages), for issue 16.

``wp``: WordPress-like. Every page lives at a path with a trailing slash and ``/x`` answers 301 → ``/x/``;
``/sitemap.xml`` redirects to a sitemap index; robots.txt disallows ``/wp-admin/`` with a Crawl-delay;
an "Ajankohtaista"/"Aktuellt" teaser list and a "Lue myös"/"Läs också" list sit *inside* ``<main>``;
an events calendar pages through months for ever; the news archive paginates for ever
(``/ajankohtaista/page/N/``, repeating itself past the end); search, tag, feed and reply links.

``dr``: Drupal-like, ``/fi/…`` and ``/sv/…`` without trailing slash (``/x/`` → 301 ``/x``). Untranslated
pages' language switchers fall back to the Swedish home page or to ``/sv/node/N``, which serves the
Finnish text again; a views "Lue myös" block inside ``<main>``; a calendar ``/fi/tapahtumat/2031/03``;
sort and facet variants of the project hub; a pager that never ends; a gzip sitemap; session ids.

``CountyWeb.truth`` is the set of content-page URLs (what a perfect crawler stores);
``CountyWeb.change(site, path)`` edits one page so its ETag and sitemap lastmod move.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from fixture_web import SiteAddresses

WP_DELAY = 0.1
DR_DELAY = 0.05
_WORDS = (
    "asiakasohjaus", "kotihoito", "etävastaanotto", "omaishoito", "mielenterveys", "päihdepalvelut",
    "kuntoutus", "hoitotakuu", "sosiaalityö", "perhekeskus", "ikäihmiset", "digituki", "vastaanotto",
    "hyvinvointi", "ennaltaehkäisy", "lastensuojelu", "työllisyys", "palveluohjaus", "neuvola", "saattohoito",
)
_SV_WORDS = (
    "hemvård", "vårdgaranti", "närståendevård", "mentalvård", "rehabilitering", "socialarbete",
    "familjecenter", "äldreomsorg", "digitalt stöd", "mottagning", "välfärd", "barnskydd",
)


def _para(words: tuple[str, ...], n: int, lang: str) -> str:
    """A deterministic fictional paragraph about topic words (never real page text)."""
    a, b, c = words[n % len(words)], words[(n * 3 + 1) % len(words)], words[(n * 7 + 2) % len(words)]
    if lang == "sv":
        return (f"Projektet utvecklar {a} och {b} i regionen. Målet är att invånarna får hjälp snabbare "
                f"och att {c} fungerar smidigt tillsammans med kommunerna och organisationerna (steg {n}).")
    return (f"Hanke kehittää palveluja, joissa {a} ja {b} toimivat yhdessä. Tavoitteena on, että asukkaat "
            f"saavat apua nopeammin ja että {c} sujuu yhteistyössä kuntien ja järjestöjen kanssa (vaihe {n}).")


@dataclass
class Page:
    path: str
    lang: str
    title: str
    lead: str
    body: list[str]
    kind: str  # project | news
    twin: str | None = None  # the other language's path
    node: int = 0
    modified: float = field(default_factory=time.time)
    version: int = 0


@dataclass
class Hit:
    site: str
    path: str
    status: int
    headers: dict[str, str]
    at: float
    client: tuple[str, int]


class CountyWeb(SiteAddresses):
    """Two sites on 127.0.0.1 (one server each), with a request log."""

    def __init__(self) -> None:
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.pages: dict[str, dict[str, Page]] = {"wp": {}, "dr": {}}
        self._build_wp()
        self._build_dr()

    # ---------------------------------------------------------------- content

    def _build_wp(self) -> None:
        pages = self.pages["wp"]
        for n in range(8):
            slug = f"{_WORDS[n]}-hanke"
            twin = f"/sv/projekt/{_SV_WORDS[n]}-projekt/".replace(" ", "-") if n < 5 else None
            pages[f"/hankkeet/{slug}/"] = Page(
                f"/hankkeet/{slug}/", "fi", f"{_WORDS[n].capitalize()}hanke {n + 1}",
                f"{_WORDS[n].capitalize()}hankkeen budjetti on {n + 1} {n}00 000 euroa vuosille 2024–2026.",
                [_para(_WORDS, n * 5 + k, "fi") for k in range(3)], "project", twin)
            if twin:
                pages[twin] = Page(
                    twin, "sv", f"Projekt {_SV_WORDS[n]} {n + 1}",
                    f"Projektets budget är {n + 1},{n} miljoner euro för åren 2024–2026.",
                    [_para(_SV_WORDS, n * 5 + k, "sv") for k in range(3)], "project", f"/hankkeet/{slug}/")
        for n in range(6):
            path = f"/ajankohtaista/{_WORDS[n + 8]}-uutinen-{n + 1}/"
            pages[path] = Page(path, "fi", f"Uutinen: {_WORDS[n + 8]} etenee", f"Alue sai {n + 2}00 000 euroa "
                               f"valtionavustusta aiheeseen {_WORDS[n + 8]}.",
                               [_para(_WORDS, 60 + n * 3 + k, "fi") for k in range(2)], "news")
        for n in range(5):
            path = f"/sv/aktuellt/{_SV_WORDS[n + 5].replace(' ', '-')}-nyhet-{n + 1}/"
            pages[path] = Page(path, "sv", f"Nyhet: {_SV_WORDS[n + 5]} framåt", f"Regionen fick {n + 3}00 000 euro "
                               f"i statsunderstöd för {_SV_WORDS[n + 5]}.",
                               [_para(_SV_WORDS, 70 + n * 3 + k, "sv") for k in range(2)], "news")

    def _build_dr(self) -> None:
        pages = self.pages["dr"]
        node = 100
        for n in range(6):
            node += 1
            path = f"/fi/hankkeet/{_WORDS[19 - n]}-kehittaminen"
            twin = f"/sv/projekt/{_SV_WORDS[11 - n].replace(' ', '-')}-utveckling" if n < 4 else None
            pages[path] = Page(path, "fi", f"{_WORDS[19 - n].capitalize()} – kehittämishanke",
                               f"Hankkeelle on myönnetty {n + 4} {n}50 000 euroa rahoitusta.",
                               [_para(_WORDS, 100 + n * 4 + k, "fi") for k in range(3)], "project", twin, node)
            if twin:
                node += 1
                pages[twin] = Page(twin, "sv", f"Utveckling av {_SV_WORDS[11 - n]}",
                                   f"Projektet har beviljats {n + 4},{n}5 miljoner euro.",
                                   [_para(_SV_WORDS, 100 + n * 4 + k, "sv") for k in range(3)], "project", path, node)
        for n in range(6):
            node += 1
            path = f"/fi/uutiset/{_WORDS[n * 2 + 1]}-tiedote-{n + 1}"
            pages[path] = Page(path, "fi", f"Tiedote: {_WORDS[n * 2 + 1]} laajenee",
                               f"Hyvinvointialue käyttää {n + 5}10 000 euroa aiheeseen {_WORDS[n * 2 + 1]}.",
                               [_para(_WORDS, 140 + n * 3 + k, "fi") for k in range(2)], "news", None, node)
        for n in range(4):
            node += 1
            path = f"/sv/nyheter/{_SV_WORDS[n * 2].replace(' ', '-')}-meddelande-{n + 1}"
            pages[path] = Page(path, "sv", f"Meddelande: {_SV_WORDS[n * 2]} växer",
                               f"Välfärdsområdet satsar {n + 6}20 000 euro på {_SV_WORDS[n * 2]}.",
                               [_para(_SV_WORDS, 150 + n * 3 + k, "sv") for k in range(2)], "news", None, node)

    def truth(self, site: str) -> set[str]:
        from hakemisto.crawl.urls import canonicalize

        return {canonicalize(self.base(site) + p) for p in self.pages[site]}

    def change(self, site: str, path: str) -> None:
        page = self.pages[site][path]
        page.version += 1
        page.body = [*page.body, f"Päivitys {page.version}: hankkeen aikataulu tarkentui syksyllä."]
        page.modified = time.time() + 1

    # ---------------------------------------------------------------- server

    def start(self) -> CountyWeb:
        for site in ("wp", "dr"):
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, site))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers[site] = server
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    def sources_toml(self) -> str:
        return f"""
[sources.wp]
name_fi = "Järvialue"
name_sv = "Sjöområdet"
region = "Päijät-Häme"
domains = ["{self.host('wp')}"]
seeds = ["{self.base('wp')}/", "{self.base('wp')}/sv/"]

[sources.dr]
name_fi = "Metsäalue"
name_sv = "Skogsområdet"
region = "Pohjanmaa"
domains = ["{self.host('dr')}"]
seeds = ["{self.base('dr')}/fi", "{self.base('dr')}/sv"]
sitemaps = ["{self.base('dr')}/sitemap.xml"]
"""


# ---------------------------------------------------------------- page rendering


def _teaser_items(pages: list[Page], limit: int) -> str:
    return "".join(
        f'<li class="teaser"><a href="{p.path}">{p.title}</a><p>{p.lead}</p></li>' for p in pages[:limit]
    )


def _wp_page(web: CountyWeb, page: Page | None, title: str, main: str, lang: str, switch: str) -> bytes:
    pages = web.pages["wp"]
    news = [p for p in pages.values() if p.kind == "news" and p.lang == lang][::-1]
    latest_h = "Ajankohtaista" if lang == "fi" else "Aktuellt"
    also_h = "Lue myös" if lang == "fi" else "Läs också"
    projects = [p for p in pages.values() if p.kind == "project" and p.lang == lang and p is not page]
    canonical = f'<link rel="canonical" href="{web.base("wp")}{page.path}">' if page else ""
    other = "sv" if lang == "fi" else "fi"
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Järvialue</title>
{canonical}</head><body><header><nav class="main-menu"><a href="/">Etusivu</a> <a href="/hankkeet/">Hankkeet</a>
<a href="/ajankohtaista/">Ajankohtaista</a> <a href="/ajankohtaista/tapahtumat/?month=2031-03">Tapahtumat</a>
<a href="/sv/">På svenska</a> <a href="/wp-admin/">Ylläpito</a> <a href="/wp-admin">Ylläpito 2</a>
<a href="/?s=hoitotakuu">Haku</a> <a href="/feed/">RSS</a></nav>
<ul class="lang-switcher"><li><a lang="{other}" hreflang="{other}" href="{switch}">{other}</a></li></ul></header>
<main id="content">{main}
<section class="latest-news"><h2>{latest_h}</h2><ul>{_teaser_items(news, 3)}</ul></section>
<section class="read-also"><h2>{also_h}</h2><ul>{_teaser_items(projects, 3)}</ul></section>
</main><footer><p>Järvialueen hyvinvointialue · PL 1</p></footer></body></html>""".encode()


def _dr_page(web: CountyWeb, page: Page | None, title: str, main: str, lang: str, switch: str,
             self_path: str | None = None) -> bytes:  # fmt: skip
    pages = web.pages["dr"]
    news = [p for p in pages.values() if p.kind == "news" and p.lang == lang and p is not page]
    also_h = "Lue myös" if lang == "fi" else "Läs också"
    rows = "".join(
        f'<div class="views-row"><h3><a href="{p.path}">{p.title}</a></h3><div class="summary">{p.lead}</div></div>'
        for p in news[:3]
    )
    canonical = f'<link rel="canonical" href="{web.base("dr")}{self_path or page.path}">' if page else ""
    other = "sv" if lang == "fi" else "fi"
    return f"""<!DOCTYPE html><html lang="{lang}" dir="ltr"><head><meta charset="utf-8"><title>{title} | Metsäalue</title>
{canonical}<link rel="alternate" hreflang="{other}" href="{web.base("dr")}{switch}"></head><body>
<a href="#main-content" class="visually-hidden focusable skip-link">Siirry pääsisältöön</a>
<div class="region region-header"><nav role="navigation" class="menu--main"><a href="/{lang}">Etusivu</a>
<a href="/{lang}/{'hankkeet' if lang == 'fi' else 'projekt'}/">Hankkeet</a></nav>
<div class="language-switcher-language-url"><ul class="links"><li><a href="{switch}" hreflang="{other}" lang="{other}">{other}</a></li></ul></div></div>
<main role="main"><a id="main-content" tabindex="-1"></a><div class="region region-content">
<article class="node">{main}</article>
<div class="views-element-container"><h2>{also_h}</h2><div class="view-content">{rows}</div></div>
<p><a href="/fi/uutiset/tapahtumat/2031/03">Tapahtumakalenteri</a> <a href="/user/login">Kirjaudu</a></p>
</div></main><footer role="contentinfo"><p>Metsäalueen hyvinvointialue</p></footer></body></html>""".encode()


def _article(page: Page) -> str:
    label = "Julkaistu" if page.lang == "fi" else "Publicerad"
    body = "".join(f"<p>{t}</p>" for t in page.body)
    return f'<h1>{page.title}</h1><p class="date">{label} 12.3.2024</p><p>{page.lead}</p>{body}'


def _cards(pages: list[Page]) -> str:
    return '<div class="cards">' + "".join(
        f'<article class="card"><h2><a href="{p.path.rstrip("/")}">{p.title}</a></h2><p>{p.lead}</p></article>'
        for p in pages
    ) + "</div>"


def _sitemap_urls(web: CountyWeb, site: str, pages: list[Page]) -> bytes:
    rows = "".join(
        f"<url><loc>{web.base(site)}{p.path}</loc><lastmod>"
        f"{datetime.fromtimestamp(p.modified, UTC).isoformat(timespec='seconds')}</lastmod></url>"
        for p in pages
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{rows}</urlset>").encode()


def _handler(web: CountyWeb, site: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            arrived = time.monotonic()  # politeness is measured between arrivals
            status = self._route()
            with web.lock:
                web.hits.append(Hit(site, self.path, status, {k.lower(): v for k, v in self.headers.items()},
                                    arrived, self.client_address))  # fmt: skip

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> int:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return status

        def _ok(self, body: bytes, ctype: str = "text/html; charset=utf-8") -> int:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, headers={"ETag": etag})
            return self._send(200, body, ctype, {"ETag": etag})

        def _route(self) -> int:
            url = urlsplit(self.path)
            if "sessid" in self.path.lower() or "jsessionid" in self.path.lower() or "sid=" in url.query:
                return self._send(400, b"session ids must not reach the server")
            return (self._wp if site == "wp" else self._dr)(unquote(url.path), parse_qs(url.query))

        # ---- WordPress-like

        def _wp(self, path: str, query: dict[str, list[str]]) -> int:
            pages = web.pages["wp"]
            if path == "/robots.txt":
                return self._ok(f"User-agent: *\nDisallow: /wp-admin/\nCrawl-delay: {WP_DELAY}\n"
                                f"Sitemap: {web.base('wp')}/sitemap.xml\n".encode(), "text/plain")  # fmt: skip
            if path == "/sitemap.xml":
                return self._send(301, headers={"Location": f"{web.base('wp')}/sitemap_index.xml"})
            if path == "/sitemap_index.xml":
                body = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                        f"<sitemap><loc>{web.base('wp')}/post-sitemap.xml</loc></sitemap>"
                        f"<sitemap><loc>{web.base('wp')}/page-sitemap.xml</loc></sitemap></sitemapindex>").encode()
                return self._ok(body, "application/xml")
            if path == "/post-sitemap.xml":
                return self._ok(_sitemap_urls(web, "wp", [p for p in pages.values() if p.kind == "news"]),
                                "application/xml")  # fmt: skip
            if path == "/page-sitemap.xml":  # only part of the projects: the rest is found by links
                return self._ok(_sitemap_urls(web, "wp", [p for p in pages.values() if p.kind == "project"][:4]),
                                "application/xml")  # fmt: skip
            if path.startswith("/wp-admin"):
                return self._send(403, b"forbidden")
            if not path.endswith("/"):
                return self._send(301, headers={"Location": path + "/"})
            if query.get("s"):
                return self._ok(_wp_page(web, None, "Haku", "<h1>Hakutulokset</h1>" + _cards(list(pages.values())[:5]),
                                         "fi", "/sv/"))  # fmt: skip
            if path in pages:
                page = pages[path]
                switch = page.twin or ("/" if page.lang == "sv" else "/sv/")  # fallback: the other home page
                return self._ok(_wp_page(web, page, page.title, _article(page), page.lang, switch))
            if path in ("/", "/sv/"):
                lang = "sv" if path == "/sv/" else "fi"
                intro = "<h1>Järvialueen hyvinvointialue</h1><p>Tervetuloa.</p>" if lang == "fi" else \
                    "<h1>Sjöområdets välfärdsområde</h1><p>Välkommen.</p>"
                hubs = ('<p><a href="/hankkeet">Hankkeet</a> <a href="/ajankohtaista/">Uutiset</a></p>' if lang == "fi"
                        else '<p><a href="/sv/projekt/">Projekt</a> <a href="/sv/aktuellt/">Aktuellt</a></p>')
                return self._ok(_wp_page(web, None, "Etusivu", intro + hubs, lang, "/sv/" if lang == "fi" else "/"))
            hubs = {"/hankkeet/": ("fi", "project", "Hankkeet"), "/sv/projekt/": ("sv", "project", "Projekt"),
                    "/sv/aktuellt/": ("sv", "news", "Aktuellt")}  # fmt: skip
            if path in hubs:
                lang, kind, title = hubs[path]
                items = [p for p in pages.values() if p.lang == lang and p.kind == kind]
                return self._ok(_wp_page(web, None, title, f"<h1>{title}</h1>" + _cards(items), lang, "/"))
            if path == "/ajankohtaista/" or path.startswith("/ajankohtaista/page/"):  # the archive
                n = int(path.rstrip("/").rsplit("/", 1)[-1]) if "/page/" in path else 1
                items = [p for p in pages.values() if p.lang == "fi" and p.kind == "news"]
                chunk = items[(n - 1) * 3:(n - 1) * 3 + 3] or items[-3:]  # never ends: repeats the last page
                main = (f"<h1>Ajankohtaista, sivu {n}</h1>" + _cards(chunk) +
                        f'<nav class="nav-links"><a class="next" href="/ajankohtaista/page/{n + 1}/">Seuraava</a></nav>'
                        '<p><a href="/tag/hyvinvointi/">#hyvinvointi</a></p>')
                return self._ok(_wp_page(web, None, "Ajankohtaista", main, "fi", "/sv/"))
            if path == "/tag/hyvinvointi/":
                items = [p for p in pages.values() if p.lang == "fi"][:4]
                return self._ok(_wp_page(web, None, "Avainsana", "<h1>Avainsana: hyvinvointi</h1>" + _cards(items),
                                         "fi", "/sv/"))  # fmt: skip
            if path == "/ajankohtaista/tapahtumat/":
                month = (query.get("month") or ["2031-03"])[0]
                y, m = (int(x) for x in month.split("-"))
                nxt = f"{y + m // 12}-{m % 12 + 1:02d}"
                prv = f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"
                main = (f"<h1>Tapahtumat {month}</h1><p>Tässä kuussa ei ole tapahtumia tällä alueella.</p>"
                        f'<p><a href="/ajankohtaista/tapahtumat/?month={prv}">Edellinen kuukausi</a> '
                        f'<a href="/ajankohtaista/tapahtumat/?month={nxt}">Seuraava kuukausi</a></p>')
                return self._ok(_wp_page(web, None, "Tapahtumat", main, "fi", "/sv/"))
            if path == "/feed/":
                return self._ok(b"<rss></rss>", "application/rss+xml")
            return self._send(404, b"<html><body><h1>Ei loydy</h1></body></html>")

        # ---- Drupal-like

        def _dr(self, path: str, query: dict[str, list[str]]) -> int:
            pages = web.pages["dr"]
            if path == "/robots.txt":
                return self._ok(f"User-agent: *\nDisallow: /user/\nDisallow: /admin/\nCrawl-delay: {DR_DELAY}\n".encode(),
                                "text/plain")  # fmt: skip
            if path == "/sitemap.xml":
                body = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                        f"<sitemap><loc>{web.base('dr')}/sitemap-1.xml.gz</loc></sitemap></sitemapindex>").encode()
                return self._ok(body, "application/xml")
            if path == "/sitemap-1.xml.gz":  # news only, gzip-compressed as many sites serve them
                news = [p for p in pages.values() if p.kind == "news"]
                return self._ok(gzip.compress(_sitemap_urls(web, "dr", news), mtime=0), "application/x-gzip")
            if path.startswith(("/user/", "/admin/")):
                return self._send(403, b"forbidden")
            if len(path) > 1 and path.endswith("/"):
                return self._send(301, headers={"Location": path.rstrip("/")})
            if path in pages:
                page = pages[path]
                fallback = "/fi" if page.lang == "sv" else ("/sv" if page.node % 2 else f"/sv/node/{page.node}")
                switch = page.twin or fallback
                return self._ok(_dr_page(web, page, page.title, _article(page), page.lang, switch))
            if path.startswith("/sv/node/"):  # untranslated fallback: the Finnish text under /sv/
                node = int(path.rsplit("/", 1)[-1])
                page = next((p for p in pages.values() if p.node == node), None)
                if page is None:
                    return self._send(404, b"<html><body>Sidan hittades inte</body></html>")
                # Drupal names the copy its own canonical address: only the content shows it is a copy
                return self._ok(_dr_page(web, page, page.title, _article(page), page.lang, page.path, path))
            if path in ("/fi", "/sv"):
                lang = path[1:]
                hub = "/fi/hankkeet" if lang == "fi" else "/sv/projekt"
                news = "/fi/uutiset" if lang == "fi" else "/sv/nyheter"
                main = f'<h1>Metsäalue</h1><p><a href="{hub}">Hankkeet</a> <a href="{news}">Uutiset</a></p>'
                return self._ok(_dr_page(web, None, "Etusivu", main, lang, "/sv" if lang == "fi" else "/fi"))
            hubs = {"/fi/hankkeet": ("fi", "project"), "/sv/projekt": ("sv", "project"),
                    "/fi/uutiset": ("fi", "news"), "/sv/nyheter": ("sv", "news")}  # fmt: skip
            if path in hubs:
                lang, kind = hubs[path]
                items = [p for p in pages.values() if p.lang == lang and p.kind == kind]
                n = int((query.get("page") or ["0"])[0])
                main = (f"<h1>{path}</h1>" + _cards(items) +
                        f'<nav class="pager"><a href="{path}?page={n + 1}">Seuraava</a></nav>'
                        f'<p><a href="{path}?sort=title&amp;order=asc">A–Ö</a> <a href="{path}?f%5B0%5D=aihe%3A{n + 3}">Aihe</a>'
                        f' <a href="{path}?PHPSESSID=abc{n}">Istunto</a> <a href="{path};jsessionid=XYZ{n}">J</a></p>')
                return self._ok(_dr_page(web, None, path, main, lang, "/sv" if lang == "fi" else "/fi"))
            if path.startswith("/fi/uutiset/tapahtumat/"):
                y, m = (int(x) for x in path.split("/")[4:6])
                nxt = f"{y + m // 12}/{m % 12 + 1:02d}"
                main = (f"<h1>Tapahtumat {y}/{m:02d}</h1><p>Ei tapahtumia tässä kuussa.</p>"
                        f'<p><a href="/fi/uutiset/tapahtumat/{nxt}">Seuraava kuukausi</a></p>')
                return self._ok(_dr_page(web, None, "Tapahtumat", main, "fi", "/sv"))
            return self._send(404, b"<html><body><h1>Sivua ei loydy</h1></body></html>")

    return Handler
