"""The crawler against a local fixture web (three county sites on 127.0.0.1; no internet)."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from fixture_web import FixtureWeb, write_sources

from hakemisto.cli import main
from hakemisto.core.model import Document
from hakemisto.crawl.fetch import HostGate, _parse_sitemap, _retry_after, crawl
from hakemisto.crawl.sources import load_sources
from hakemisto.crawl.store import iter_snapshot_documents

pytestmark = pytest.mark.slow  # crawls a local site

DELAY = 0.05
ALPHA_DELAY = 0.3  # robots.txt Crawl-delay of the alpha site
TOLERANCE = 0.02


@pytest.fixture
def web():
    server = FixtureWeb(slow_seconds=1.5).start()
    yield server
    server.stop()


@pytest.fixture
def crawl_settings(settings):
    return replace(settings, crawl_delay=DELAY, timeout=0.5, retries=2, max_bytes=100_000, concurrency=3)


def _rel(web: FixtureWeb, urls) -> list:
    out = []
    for item in urls:
        if isinstance(item, (list, tuple)):
            out.append(tuple(_rel(web, [item[0]]) + [_strip(web, item[1])]))
        else:
            out.append(_strip(web, item))
    return out


def _strip(web: FixtureWeb, text: str) -> str:
    for site in ("alpha", "beta", "gamma"):
        text = text.replace(web.base(site), site)
    return text


def _by_source(report) -> dict:
    return {r.source: r for r in report.sources}


def test_first_crawl_fetches_stores_and_skips_exactly(web, crawl_settings, tmp_path) -> None:
    sources = load_sources(write_sources(web, tmp_path / "sources.toml"))
    report = crawl(crawl_settings, list(sources.values()))
    by = _by_source(report)

    alpha = by["alpha"]
    # home and pagination pages are listings (links and ETags kept, not documents) since issue 16
    assert sorted(_rel(web, alpha.stored)) == sorted([
        "alpha/hankkeet/hoitotakuu", "alpha/hankkeet/kotihoito", "alpha/hankkeet/digituki",
        "alpha/sv/projekt/vardgaranti", "alpha/uutiset/lisarahoitus", "alpha/uutiset/vanha-uutinen",
    ])  # fmt: skip
    assert sorted(_rel(web, alpha.skipped)) == sorted([
        ("alpha/", "listing page"), ("alpha/hankkeet?sivu=2", "listing page"),
        ("alpha/hankkeet", "no main content"),
        ("alpha/sv/projekt", "no main content"),
        ("alpha/sisainen/intra", "disallowed by robots.txt"),
    ])  # fmt: skip
    assert _rel(web, alpha.documents) == ["alpha/liitteet/hankesuunnitelma.pdf"]
    assert alpha.failed == []
    # robots.txt was read first, the disallowed page and the PDF were never requested,
    # the tracking-parameter link to hoitotakuu did not cause a second fetch
    paths = web.paths("alpha")
    assert paths[0] == "/robots.txt"
    assert "/sisainen/intra" not in paths and not any(p.endswith(".pdf") for p in paths)
    assert paths.count("/hankkeet/hoitotakuu") == 1
    assert {"/sitemap.xml", "/sitemap-sivut.xml", "/hankkeet?sivu=2"} <= set(paths)

    beta = by["beta"]
    assert sorted(_rel(web, beta.stored)) == [
        "beta/epavakaa",
        "beta/merkisto",
        "beta/ruuhka",
        "beta/vanha-osoite",
    ]
    assert sorted(_rel(web, beta.skipped)) == sorted([
        ("beta/", "listing page"),
        ("beta/iso", "larger than 100000 bytes"),
        ("beta/ulos", "redirect off-domain to gamma/ajankohtaista/tiedote"),
        ("beta/poistettu", "HTTP 410"),
        ("beta/puuttuu", "HTTP 404"),
        ("beta/data.txt", "not html (text/plain)"),
        ("beta/tyhja", "no main content"),
    ])  # fmt: skip
    assert _rel(web, beta.failed) == [("beta/hidas", "timeout after 3 attempts")]
    assert _rel(web, beta.documents) == ["beta/liite.pdf"]
    bpaths = web.paths("beta")
    assert bpaths.count("/epavakaa") == 2 and bpaths.count("/ruuhka") == 2 and bpaths.count("/hidas") == 3
    assert bpaths.count("/poistettu") == 1 and bpaths.count("/puuttuu") == 1  # no retry on 4xx
    assert "/uusi-osoite" in bpaths and "/kuva.jpg" not in bpaths and "/liite.pdf" not in bpaths
    assert "/ajankohtaista/tiedote" not in web.paths("beta")
    # the 429 retry waited for Retry-After: 1
    ruuhka = [h.at for h in web.hits if h.site == "beta" and h.path == "/ruuhka"]
    assert ruuhka[1] - ruuhka[0] >= 1.0 - TOLERANCE
    # every request names hakemisto
    assert all(h.headers.get("user-agent", "").startswith("hakemisto/") for h in web.hits)

    gamma = by["gamma"]
    assert sorted(_rel(web, gamma.stored)) == [
        "gamma/ajankohtaista/tiedote",
        "gamma/sv/nyheter/tillaggsfinansiering",
    ]
    assert sorted(_rel(web, gamma.skipped)) == [
        ("gamma/", "listing page"), ("gamma/ajankohtaista/tiedote-kopio", "duplicate content")
    ]

    data = report.to_dict()
    assert data["stored"] == 12 and data["not_modified"] == 0
    assert data["skipped_by_reason"]["duplicate content"] == 1

    # stored snapshots re-extract offline into documents with region, language hint, dates, alternates
    docs = {
        d.id: d for d in iter_snapshot_documents(crawl_settings.crawl_dir, sources) if isinstance(d, Document)
    }
    assert len(docs) == 12
    fi = docs[web.base("alpha") + "/hankkeet/hoitotakuu"]
    assert fi.region == "Pohjanmaa" and fi.lang_hint == "fi"
    assert fi.published == datetime(2024, 2, 1) and fi.modified == datetime(2024, 4, 12)
    assert ("sv", web.base("alpha") + "/sv/projekt/vardgaranti") in fi.alternates
    cp = docs[web.base("beta") + "/merkisto"]
    assert "Päijät-Hämeen kehittämishanke" in cp.text


def test_politeness_delay_per_host(web, crawl_settings, tmp_path) -> None:
    sources = load_sources(write_sources(web, tmp_path / "sources.toml"))
    crawl(crawl_settings, list(sources.values()))
    for site, delay in (("alpha", ALPHA_DELAY), ("beta", DELAY), ("gamma", DELAY)):
        times = sorted(h.at for h in web.hits if h.site == site)
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert len(gaps) >= 4
        assert min(gaps) >= delay - TOLERANCE, (site, min(gaps))


def test_second_crawl_is_only_304s(web, crawl_settings, tmp_path, runner) -> None:
    sources_file = write_sources(web, tmp_path / "sources.toml")
    args = ["crawl", "--sources", str(sources_file), "--no-ingest", "--json"]
    env = {"HAKEMISTO_CORPUS_DIR": str(crawl_settings.corpus_dir), "HAKEMISTO_INDEX_DIR": str(crawl_settings.index_dir),
           "HAKEMISTO_CRAWL_DELAY": "0.05", "HAKEMISTO_TIMEOUT": "0.5", "HAKEMISTO_RETRIES": "2",
           "HAKEMISTO_MAX_BYTES": "100000"}  # fmt: skip
    first = runner.invoke(main, args, env=env)
    assert first.exit_code == 0, first.output
    web.reset_log()
    second = runner.invoke(main, args, env=env)
    assert second.exit_code == 0, second.output
    data = json.loads(second.stdout)
    assert data["fetched"] == 0 and data["stored"] == 0
    assert data["not_modified"] == 20  # alpha 10, beta 6, gamma 4: pages, listings and aliases
    page_hits = [h for h in web.hits if h.status == 200 and h.path.rstrip("/") not in ("/robots.txt",)]
    assert {(h.site, h.path) for h in page_hits} <= {
        ("alpha", "/sitemap.xml"), ("alpha", "/sitemap-sivut.xml"), ("beta", "/iso"), ("beta", "/data.txt"),
        ("beta", "/hidas"),
    }  # fmt: skip
    assert all(h.headers.get("if-none-match") for h in web.hits if h.status == 304)


def test_max_pages_then_resume_fetches_the_rest(web, crawl_settings, tmp_path) -> None:
    sources = load_sources(write_sources(web, tmp_path / "sources.toml"))
    gamma = [sources["gamma"]]
    first = crawl(crawl_settings, gamma, max_pages=2).sources[0]
    assert len(first.fetched) == 2 and first.pending == 2
    state = json.loads((crawl_settings.crawl_dir / "gamma" / "_state.json").read_text())
    assert len(state["pending"]) == 2
    web.reset_log()
    second = crawl(crawl_settings, gamma).sources[0]
    assert set(second.fetched).isdisjoint(first.fetched)
    assert len(first.fetched) + len(second.fetched) == 4
    # the queue resumed; the seed was re-queued (issue 16: changes since the stop are still found)
    # and cost a conditional 304, nothing else was fetched twice
    assert [(h.path, h.status) for h in web.hits if h.site == "gamma" and h.path == "/"] == [("/", 304)]
    assert web.paths("gamma")[-1] == "/"
    assert json.loads((crawl_settings.crawl_dir / "gamma" / "_state.json").read_text())["pending"] == []


def test_since_skips_old_sitemap_entries_and_old_pages(web, crawl_settings, tmp_path) -> None:
    sources = load_sources(write_sources(web, tmp_path / "sources.toml"))
    report = crawl(crawl_settings, [sources["alpha"]], since=datetime(2024, 1, 1)).sources[0]
    skipped = dict(_rel(web, report.skipped))
    assert skipped["alpha/uutiset/vanha-uutinen"] == "not modified since the cut-off date 2024-01-01"
    assert skipped["alpha/hankkeet/kotihoito"] == "older than the cut-off date 2024-01-01"
    assert skipped["alpha/hankkeet/digituki"] == "older than the cut-off date 2024-01-01"
    # the reason carries its data, so the CLI can name its own option (cli.note_words)
    dated = [r for _, r in report.skipped if getattr(r, "code", "") in ("older_than_since", "not_modified_since")]
    assert len(dated) == 3 and all(r.params == {"since": "2024-01-01"} for r in dated)
    assert "/uutiset/vanha-uutinen" not in web.paths("alpha")
    assert "alpha/hankkeet/hoitotakuu" in _rel(web, report.stored)


def test_unreachable_source_is_one_line_and_leaves_store_and_index_untouched(tmp_path, runner) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now: connection refused
    sources_file = tmp_path / "s.toml"
    sources_file.write_text(
        f'[sources.poissa]\nname_fi = "Poissa"\nregion = "Kainuu"\ndomains = ["127.0.0.1:{port}"]\n'
        f'seeds = ["http://127.0.0.1:{port}/"]\n', encoding="utf-8")  # fmt: skip
    env = {"HAKEMISTO_CORPUS_DIR": str(tmp_path / "corpus"), "HAKEMISTO_INDEX_DIR": str(tmp_path / "index")}
    result = runner.invoke(main, ["crawl", "--sources", str(sources_file)], env=env)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "poissa" in line]
    assert lines == ["unreachable: poissa: connection refused"]
    assert not (tmp_path / "corpus").exists() and not (tmp_path / "index").exists()


def test_crawl_ingests_into_the_index(web, crawl_settings, tmp_path, runner) -> None:
    sources_file = write_sources(web, tmp_path / "sources.toml")
    env = {"HAKEMISTO_CORPUS_DIR": str(crawl_settings.corpus_dir), "HAKEMISTO_INDEX_DIR": str(crawl_settings.index_dir),
           "HAKEMISTO_CRAWL_DELAY": "0.05", "HAKEMISTO_TIMEOUT": "0.5", "HAKEMISTO_RETRIES": "1", "HAKEMISTO_N_PROCESS": "1"}  # fmt: skip
    result = runner.invoke(
        main, ["crawl", "--sources", str(sources_file), "--region", "gamma", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stored"] == 2 and data["ingest"]["new"] == 2  # the home page is a listing
    found = runner.invoke(
        main, ["search", "hoitotakuu", "--json", "--index-dir", str(crawl_settings.index_dir)], env=env
    )
    assert found.exit_code == 0, found.output
    assert "Lappi" in found.stdout


def test_host_gate_serialises_one_host_and_helpers() -> None:
    gate = HostGate(0.05)
    starts: list[float] = []
    import time

    def hit() -> None:
        with gate.slot("h"):
            starts.append(time.monotonic())

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= 0.05 - TOLERANCE
    assert _retry_after("3") == 3.0 and _retry_after("nonsense") is None
    children, pages = _parse_sitemap(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://a.fi/x</loc><lastmod>2024-01-02</lastmod></url></urlset>"
    )
    assert children == [] and pages == [("https://a.fi/x", "2024-01-02")]
    assert _parse_sitemap(b"not xml") == ([], [])


def test_fixture_web_is_local(web) -> None:
    assert all(web.base(s).startswith("http://127.0.0.1:") for s in ("alpha", "beta", "gamma"))
    assert Path(__file__).parent.joinpath("fixtures", "site", "alpha", "robots.txt").is_file()
