"""Issue 16: the crawler on a realistic two-county fixture web (WordPress-like and Drupal-like, fi/sv).

Recall and precision of stored content pages, traps, robots and Crawl-delay, teasers, switcher
fallbacks, keep-alive, conditional robots/sitemaps, and a second crawl after two pages change.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from fixture_counties import DR_DELAY, WP_DELAY, CountyWeb

from hakemisto.cli import main
from hakemisto.core.model import Document
from hakemisto.crawl.fetch import crawl
from hakemisto.crawl.sources import load_sources
from hakemisto.crawl.store import SnapshotStore, iter_snapshot_documents
from hakemisto.crawl.urls import canonicalize, is_listing_url, trap_reason

pytestmark = pytest.mark.slow  # crawls local county sites

TOLERANCE = 0.02


@pytest.fixture(scope="module")
def county_web():
    web = CountyWeb().start()
    yield web
    web.stop()


@pytest.fixture
def fresh_web():
    web = CountyWeb().start()
    yield web
    web.stop()


def _settings(settings):
    return replace(settings, crawl_delay=0.02, timeout=2.0, deadline=5.0, retries=1, concurrency=2)


def _stored(store: SnapshotStore, key: str) -> set[str]:
    return {m["final_url"] for _, m in store.iter_metas(key, listings=False) if not m.get("alias_of")}


def test_two_county_sites_recall_precision_traps_politeness_teasers(fresh_web, settings, tmp_path) -> None:
    web = fresh_web
    s = _settings(settings)
    (tmp_path / "s.toml").write_text(web.sources_toml(), encoding="utf-8")
    sources = load_sources(tmp_path / "s.toml")
    report = crawl(s, list(sources.values()))
    store = SnapshotStore(s.crawl_dir)
    by = {r.source: r for r in report.sources}

    # recall and precision of stored content pages, per site and together
    hits = stored_all = truth_all = 0
    for key in ("wp", "dr"):
        stored, truth = _stored(store, key), web.truth(key)
        assert len(stored & truth) / len(truth) >= 0.95, (key, sorted(truth - stored))
        assert len(stored & truth) / len(stored) >= 0.95, (key, sorted(stored - truth))
        hits, stored_all, truth_all = hits + len(stored & truth), stored_all + len(stored), truth_all + len(truth)
        # no trap page and no listing stored as a document
        assert not [u for u in stored if trap_reason(u) or is_listing_url(u)]
        assert by[key].failed == [], by[key].failed  # a redirected sitemap index is no failure
    assert hits / truth_all >= 0.95 and hits / stored_all >= 0.95
    assert len(web.pages["wp"]) == 24  # the WordPress-like site that lost every page before

    # traps: calendars stop after a small depth, infinite pagination by behaviour
    wp_paths, dr_paths = web.paths("wp"), web.paths("dr")
    assert len([p for p in wp_paths if "month=" in p]) <= 3
    assert len([p for p in dr_paths if "/tapahtumat/" in p]) <= 3
    assert max(int(p.split("/page/")[1].strip("/")) for p in wp_paths if "/page/" in p) <= 5
    assert len([p for p in dr_paths if "page=" in p]) <= 4 * 3
    assert not [p for p in wp_paths if "?s=" in p or "/tag/" in p]
    reasons = {why for r in report.sources for _, why in r.skipped}
    assert "content repeats (links not followed)" in reasons

    # robots.txt checked against the URL actually requested; Crawl-delay kept per host
    assert not [p for p in wp_paths if p.startswith("/wp-admin")]
    assert not [p for p in dr_paths if p.startswith(("/user", "/admin"))]
    for site, delay in (("wp", WP_DELAY), ("dr", DR_DELAY)):
        times = sorted(h.at for h in web.hits if h.site == site)
        assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= delay - TOLERANCE
    # session ids removed before fetching (the fixture answers 400 to any)
    assert not [h for h in web.hits if h.status == 400]
    # the sitemap behind a redirect and the gzip sitemap were read
    assert {"/sitemap.xml", "/sitemap_index.xml", "/post-sitemap.xml"} <= set(wp_paths)
    assert "/sitemap-1.xml.gz" in dr_paths
    # keep-alive: one connection per host (robots, pages and sitemaps share it)
    for site in ("wp", "dr"):
        assert len({h.client for h in web.hits if h.site == site}) <= 2
    # per-source request counts are right with sources in parallel
    for key in ("wp", "dr"):
        assert by[key].requests == len(web.paths(key))

    # teasers in <main> are furniture: no other page's lead (with its euro amount) in a page's text
    docs = [d for d in iter_snapshot_documents(s.crawl_dir, sources) if isinstance(d, Document)]
    assert len(docs) == len(web.truth("wp")) + len(web.truth("dr"))
    leads = {canonicalize(web.base(site) + p.path): p.lead for site in ("wp", "dr") for p in web.pages[site].values()}
    for doc in docs:
        assert [lead for lead in leads.values() if lead in doc.text] == [leads[doc.id]], doc.id
        assert not {"Ajankohtaista", "Aktuellt", "Lue myös", "Läs också"} & set(doc.paragraphs), doc.id

    # switchers: a fallback to the other home page is no alternate; /sv/node/N copies are grouped
    by_id = {d.id: d for d in docs}
    untranslated = [d for d in docs if d.id.startswith(web.base("wp") + "/hankkeet/") and not d.alternates]
    assert len(untranslated) == 3  # projects 6–8 have no Swedish page; their switcher points at /sv/
    translated = by_id[canonicalize(web.base("wp") + "/hankkeet/asiakasohjaus-hanke/")]
    assert ("sv", canonicalize(web.base("wp") + "/sv/projekt/hemvård-projekt/")) in translated.alternates
    assert not [u for u in by_id if "/node/" in u]


def test_switcher_copies_under_sv_node_are_grouped_as_duplicates(county_web, settings, tmp_path) -> None:
    """Without the built-in patterns (which never follow /node/ links) the fallback copies are
    fetched: each is stored as an alias of its Finnish page, never as a Swedish document."""
    web = county_web
    text = web.sources_toml()
    text = "inherit_patterns = false\n" + text[text.index("[sources.dr]"):]
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    sources = load_sources(tmp_path / "s.toml")
    s = _settings(settings)
    with web.lock:
        web.hits.clear()
    report = crawl(s, list(sources.values())).sources[0]
    store = SnapshotStore(s.crawl_dir)
    node_hits = {p for p in web.paths("dr") if p.startswith("/sv/node/")}
    untranslated = [p for p in web.pages["dr"].values() if p.lang == "fi" and not p.twin and p.node % 2 == 0]
    assert len(node_hits) == len(untranslated) > 0  # their switcher falls back to /sv/node/N
    aliases = {m["url"]: m["alias_of"] for _, m in store.iter_metas("dr", listings=False) if m.get("alias_of")}
    assert {web.base("dr") + p for p in node_hits} <= set(aliases)
    stored = _stored(store, "dr")
    assert not [u for u in stored if "/node/" in u] and stored == web.truth("dr")
    assert sum(1 for _, why in report.skipped if why == "duplicate content") == len(node_hits)


def test_second_crawl_restores_exactly_the_two_changed_pages(county_web, settings, tmp_path) -> None:
    web = county_web
    s = _settings(settings)
    (tmp_path / "s.toml").write_text(web.sources_toml(), encoding="utf-8")
    sources = list(load_sources(tmp_path / "s.toml").values())
    first = crawl(s, sources)
    assert first.to_dict()["stored"] >= 44
    changed = [("wp", "/hankkeet/kuntoutus-hanke/"), ("dr", "/sv/nyheter/rehabilitering-meddelande-3")]
    for site, path in changed:
        web.change(site, path)
    with web.lock:
        web.hits.clear()
    second = crawl(s, sources)
    data = second.to_dict()
    assert sum(len(r.stored) for r in second.sources) == 2
    metas = [json.loads(p.with_name(p.stem + ".meta.json").read_text()) for r in second.sources for p in r.stored_paths]
    restored = sorted(m["final_url"] for m in metas)
    expected = sorted(web.base(site) + path for site, path in changed)
    assert restored == expected, restored
    assert data["failed"] == []
    # robots.txt and sitemaps were asked conditionally and answered 304
    conditional = [h for h in web.hits if h.path in ("/robots.txt", "/sitemap_index.xml", "/post-sitemap.xml",
                                                     "/page-sitemap.xml", "/sitemap-1.xml.gz")]  # fmt: skip
    assert len(conditional) == 6 and all(h.headers.get("if-none-match") for h in conditional)
    # … and answered 304, except the gzip sitemap listing the changed Drupal page (new lastmod)
    assert {(h.path, h.status) for h in conditional if h.status != 304} == {("/sitemap-1.xml.gz", 200)}
    # sitemap lastmod spares requests: the unchanged news pages of the sitemaps were not fetched at all
    news = {p.path for p in web.pages["wp"].values() if p.kind == "news"}
    assert not news & set(web.paths("wp")), " ".join(f"{h.path}:{h.status}" for h in web.hits if h.site == "wp")


def test_nightly_takes_sources_corpus_dir_and_budget_and_exits_0(county_web, tmp_path, runner) -> None:
    (tmp_path / "s.toml").write_text(county_web.sources_toml(), encoding="utf-8")
    env = {"HAKEMISTO_CRAWL_DELAY": "0.02", "HAKEMISTO_TIMEOUT": "2", "HAKEMISTO_N_PROCESS": "1",
           "HAKEMISTO_CONFIG": str(tmp_path / "none.toml")}  # fmt: skip
    corpus = tmp_path / "elsewhere"
    args = ["nightly", "--sources", str(tmp_path / "s.toml"), "--corpus-dir", str(corpus), "--index-dir",
            str(tmp_path / "index"), "--region", "wp", "--max-pages", "12", "--json", "--quiet"]  # fmt: skip
    result = runner.invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["pending"] > 0 and report["counts"]["requests"] > 0
    assert any("page budget (12) reached for wp" in note for note in report["notes"])
    assert (corpus / "crawl" / "wp" / "_frontier.jsonl").is_file()  # the queue waits for the next run
    assert report["counts"]["new"] >= 1


def _teaser_page(n: int, own: str) -> str:
    teasers = "".join(
        f'<li><a href="/uutiset/muu-{k}">Muu uutinen {k}</a> <span>Julkaistu {k}.1.2031</span>'
        f"<p>Hankkeelle myönnettiin {k}00 000 euroa. Yhteyshenkilö Teija Teaser.</p></li>"
        for k in range(1, 4)
    )
    date = '<p class="date">Julkaistu 5.6.2024</p>' if n else ""
    return (f"<html lang='fi'><body><main><section><h2>Ajankohtaista</h2><ul>{teasers}</ul></section>"
            f"<article><h1>Sivu {n}</h1>{date}<p>{own}</p></article></main></body></html>")


def test_teaser_facts_never_attach_to_the_page() -> None:
    """Amounts, names and dates of a teaser list (before the article, even) stay out of the page."""
    from hakemisto.core.model import Source
    from hakemisto.crawl.extract import block_fingerprints, html_to_document

    source = Source(key="t", name_fi="T", name_sv=None, region="Kainuu")
    own = [f"Sivun {n} oma sisältö kertoo hankkeen tavoitteista ja kuntien yhteistyöstä alueella." for n in range(4)]
    pages = [_teaser_page(n, own[n]) for n in range(4)]
    counts: dict[str, int] = {}
    for n, html in enumerate(pages):
        for fp in block_fingerprints(html, url=f"https://t.fi/sivu-{n}", source=source):
            counts[fp] = counts.get(fp, 0) + 1
    furniture = frozenset(fp for fp, c in counts.items() if c >= 3)
    plain = html_to_document(pages[0], url="https://t.fi/sivu-0")  # without furniture: teasers leak in
    assert isinstance(plain, Document) and "100 000 euroa" in plain.text and plain.published.year == 2031
    for n, html in enumerate(pages):
        doc = html_to_document(html, url=f"https://t.fi/sivu-{n}", source=source, furniture=furniture)
        assert isinstance(doc, Document)
        assert doc.text == f"Sivu {n}\n\n" + ("Julkaistu 5.6.2024\n\n" if n else "") + own[n]
        assert "euroa" not in doc.text and "Teaser" not in doc.text and "Ajankohtaista" not in doc.text
        assert doc.published is None or doc.published.year == 2024  # never the teasers' 2031


def test_a_page_that_only_looks_like_a_listing_because_of_teasers_is_stored(settings, tmp_path) -> None:
    """Before the site's furniture is known a short page under a long teaser list looks like a list
    of links; it is stored provisionally and decided after the crawl, without the teasers."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    own = [f"Sivun {n} oma sisältö kertoo hankkeen tavoitteista ja kuntien yhteistyöstä alueella." for n in range(4)]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/":
                body = "<html><body><main>" + "".join(
                    f'<p><a href="/hanke-{n}">Hanke {n}</a></p>' for n in range(4)) + "</main></body></html>"
            elif self.path.startswith("/hanke-"):
                n = int(self.path.rsplit("-", 1)[1])
                body = _teaser_page(n, own[n]).replace('href="/uutiset/muu-', 'href="/hanke-muu-')
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        (tmp_path / "s.toml").write_text(
            f'inherit_patterns = false\n[sources.t]\nname_fi = "T"\nregion = "Kainuu"\n'
            f'domains = ["127.0.0.1:{server.server_address[1]}"]\nseeds = ["{base}/"]\n', encoding="utf-8")
        sources = list(load_sources(tmp_path / "s.toml").values())
        report = crawl(_settings(settings), sources).sources[0]
        assert sorted(report.stored) == [f"{base}/hanke-{n}" for n in range(4)]
        assert report.skipped[0] == (f"{base}/", "listing page")
        # Stopped by its budget before the furniture is known, a page is filed as a listing; once the
        # site has been seen it is promoted back to a page (and counted as stored then).
        other = replace(_settings(settings), corpus_dir=tmp_path / "other")
        first = crawl(replace(other, page_budget=2), sources).sources[0]
        assert first.stored == [] and (f"{base}/hanke-0", "listing page") in first.skipped
        second = crawl(other, sources).sources[0]
        assert sorted(second.stored) == [f"{base}/hanke-{n}" for n in range(4)]
    finally:
        server.shutdown()
        server.server_close()
