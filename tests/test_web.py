"""The web layer through FastAPI's test client: pages, JSON API, languages, formats and safety."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from web_fixtures import HOSTILE_ID, TWIN_FI, TWIN_SV, build_web_index

from hakemisto.cli import main
from hakemisto.core.config import Settings, load_settings
from hakemisto.search.engine import Filters, search
from hakemisto.web import create_app
from hakemisto.web.app import MAX_PAGE_SIZE, MAX_QUERY_CHARS, SECURITY_HEADERS
from hakemisto.web.present import format_date, format_eur, safe_url, snippet_html, texts

pytestmark = pytest.mark.slow  # an ingested index behind the web app

SAFE_SCRIPT = "/static/app.js"


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("web")
    settings = load_settings(index_dir=root / "index", corpus_dir=root / "corpus", report_dir=root / "runs")
    return build_web_index(settings)


@pytest.fixture(scope="module")
def client(web_settings: Settings) -> TestClient:
    return TestClient(create_app(web_settings))


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "lxml")


def hit_regions(page: BeautifulSoup) -> list[str]:
    return [el.get_text(strip=True) for el in page.select("li.hit .region")]


# --- search page -------------------------------------------------------------------------------------


def test_search_page_shows_results_from_several_regions_with_facets(client: TestClient) -> None:
    response = client.get("/", params={"q": "RRP"})
    assert response.status_code == 200
    page = soup(response)
    regions = set(hit_regions(page))
    assert {"Keski-Pohjanmaa", "Päijät-Häme", "Pohjanmaa"} <= regions
    region_facet = page.select_one('section.facet[data-facet="region"]')
    counts = {a.get_text(strip=True): li.select_one(".count").get_text() for li in region_facet.select("li")
              for a in li.select("a")}
    assert counts["Pohjanmaa"] == "2"
    assert page.select_one('section.facet[data-facet="funder"]') is not None
    assert page.select_one('section.facet[data-facet="programme"]') is not None
    assert page.select_one('section.facet[data-facet="year"]') is not None
    assert page.select_one('section.facet[data-facet="lang"]') is not None
    assert page.select("li.hit .snippet mark"), "matched words are highlighted"


def test_hit_shows_badge_date_facts_source_and_twin(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "kotihoito", "region": "Pohjanmaa", "lang": "fi"}))
    hit = page.select_one("li.hit")
    assert hit.select_one(".badge").get_text() == "fi"
    assert hit.select_one("time").get_text() == "1.3.2024"
    assert "2,6\u00a0milj.\u00a0€" in hit.select_one(".amounts").get_text()
    assert hit.select_one("a.source")["href"] == TWIN_FI
    assert hit.select_one("a.twin")["href"] == "/documents/" + TWIN_SV.replace(":", "%3A").replace("/", "%2F")
    assert hit.select_one("a.twin").get_text() == "Ruotsinkielinen versio"


def test_facet_link_applies_the_filter_and_can_be_removed(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "RRP"}))
    link = next(a for a in page.select('section.facet[data-facet="region"] a') if a.get_text(strip=True) == "Pohjanmaa")
    filtered = soup(client.get(link["href"]))
    assert set(hit_regions(filtered)) == {"Pohjanmaa"}
    remove = filtered.select_one(".active a.remove")
    assert "Pohjanmaa" in remove.get_text()
    assert "region" not in remove["href"]


def test_pagination_links(client: TestClient) -> None:
    first = soup(client.get("/", params={"q": "RRP", "limit": 2}))
    assert len(first.select("li.hit")) == 2
    next_link = first.select_one('.pager a[rel="next"]')["href"]
    second = soup(client.get(next_link))
    assert second.select_one("ol.hits")["start"] == "3"
    assert second.select_one('.pager a[rel="prev"]') is not None


def test_no_results_and_unknown_region(client: TestClient) -> None:
    assert "Ei tuloksia" in client.get("/", params={"q": "zzzzqqq"}).text
    response = client.get("/", params={"region": "Narnia"})
    assert response.status_code == 400
    error = soup(response).select_one("#error").get_text()
    assert "Tuntematon alue ’Narnia’" in error and "unknown" not in error
    assert all(name in error for name in ("Itä-Uusimaa", "Kainuu", "Lappi", "Helsinki", "Österbotten"))


def test_empty_form_fields_mean_not_given(client: TestClient) -> None:
    response = client.get("/?q=RRP&region=&funder=&year=&min_amount=&lang=")
    assert response.status_code == 200
    assert len(soup(response).select("li.hit")) >= 4


# --- document page ---------------------------------------------------------------------------------------


def test_document_page_shows_text_and_facts_with_their_sentences(client: TestClient) -> None:
    response = client.get("/documents/fixtures/web/paijat-hame-rrp")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1").get_text() == "Kestävät sote-palvelut Päijät-Hämeessä"
    amounts = page.select_one("table.amounts").get_text()
    assert "11,7\u00a0milj.\u00a0€" in amounts
    assert "noin 11,7 miljoonan euron rahoituksen vuosille 2023–2025" in amounts
    contacts = page.select_one("ul.contacts").get_text()
    assert "Pekka Päätelmä" in contacts and "Yhteyshenkilö on kehittämispäällikkö" in contacts
    assert "3.5.2023" in page.select_one("dl.meta").get_text()
    assert "Hanke kehittää digitaalisia palveluja" in page.select_one("section.text").get_text()


def test_document_ids_that_are_urls_work_escaped(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "hemvården", "lang": "sv"}))
    href = page.select_one("li.hit h2 a")["href"]
    assert href.startswith("/documents/https%3A%2F%2F")
    doc = soup(client.get(href))
    assert doc.select_one("h1").get_text().startswith("RRP-projektet")
    assert doc.select_one("a.twin").get_text() == TWIN_FI


def test_unknown_document_is_404_page(client: TestClient) -> None:
    response = client.get("/documents/no/such/doc")
    assert response.status_code == 404
    assert "ei löytynyt" in response.text


# --- report ----------------------------------------------------------------------------------------------


def test_report_page_lists_every_region_with_totals_and_chart(client: TestClient) -> None:
    response = client.get("/report", params={"programme": "RRP"})
    assert response.status_code == 200
    page = soup(response)
    rows = {tr["data-region"]: tr for tr in page.select("#report-table tbody tr")}
    assert len(rows) >= 22, "all counties are listed, with or without pages"
    assert "11,7\u00a0milj.\u00a0€" in rows["Päijät-Häme"].get_text()
    assert "2,6\u00a0milj.\u00a0€" in rows["Pohjanmaa"].select("td.num")[1].get_text(), "fi/sv twins count once"
    assert "ei sivuja" in rows["Kanta-Häme"].get_text()
    bars = page.select("svg.bars g.bar")
    labels = [g.select_one("text").get_text() for g in bars]
    assert {"Päijät-Häme", "Keski-Pohjanmaa", "Pohjanmaa"} <= set(labels)
    assert page.select_one("#download-csv")["href"] == "/report.csv?programme=RRP"


def test_report_csv_download(client: TestClient) -> None:
    response = client.get("/report.csv", params={"programme": "RRP"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'attachment; filename="hakemisto-raportti-RRP.csv"' == response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # Finnish Excel needs the UTF-8 BOM
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    totals = {r["region"]: float(r["eur"].replace(",", ".")) for r in rows if r["kind"] == "total"}
    assert totals["Päijät-Häme"] == 11_700_000
    assert totals["Pohjanmaa"] == 2_600_000


def test_report_region_filter_and_swedish_names(client: TestClient) -> None:
    client.cookies.set("hakemisto_lang", "sv")
    try:
        page = soup(client.get("/report?programme=RRP&region=Pohjanmaa&region=Lappi"))
    finally:
        client.cookies.clear()
    names = [th.get_text() for th in page.select("#report-table tbody th")]
    assert names == ["Österbotten", "Lappland"]


# --- about / status --------------------------------------------------------------------------------------


def test_about_page_shows_index_size_and_last_nightly_run(client: TestClient, web_settings: Settings) -> None:
    page = soup(client.get("/about"))
    assert "Yöajoa ei ole vielä ajettu" in page.get_text()
    stats = page.select_one("#index-stats").get_text()
    assert "Asiakirjoja7" in stats.replace("\n", "")
    runs = web_settings.runs_dir
    runs.mkdir(parents=True, exist_ok=True)
    run = {"run_id": "20250102T020000", "started": "2025-01-02T02:00:00+00:00", "finished": "2025-01-02T02:05:00+00:00",
           "status": "ok", "exit_code": 0, "options": {}, "stages": {"total": 300.0},
           "counts": {"loaded": 7, "new": 1, "changed": 0, "unchanged": 6, "removed": 0}}
    (runs / "20250102T020000.json").write_text(json.dumps(run), encoding="utf-8")
    try:
        page = soup(client.get("/about"))
    finally:
        (runs / "20250102T020000.json").unlink()
    last = page.select_one("#last-run").get_text()
    assert "2.1.2025 4.00" in last, "Helsinki time, Finnish format"
    assert "onnistui (0)" in last, "the run's status in the interface language"
    assert "ennallaan" in last and "unchanged" not in last


# --- UI language ------------------------------------------------------------------------------------------


def test_language_switch_is_remembered_in_a_cookie(web_settings: Settings) -> None:
    client = TestClient(create_app(web_settings))
    page = soup(client.get("/report"))
    assert page.html["lang"] == "fi"
    switch = page.select_one("#switch-lang")["href"]
    response = client.get(switch, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/report"
    assert "hakemisto_lang=sv" in response.headers["set-cookie"]
    page = soup(client.get("/"))
    assert page.html["lang"] == "sv"
    assert page.select_one("button").get_text() == "Sök"


def test_swedish_browser_gets_swedish_without_cookie(client: TestClient) -> None:
    page = soup(client.get("/", params={"q": "RRP"}, headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"}))
    assert page.html["lang"] == "sv"
    assert "Österbotten" in hit_regions(page)


def test_language_switch_never_redirects_off_site(client: TestClient) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = client.get("/lang/sv", params={"next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"
    assert client.get("/lang/en", follow_redirects=False).status_code == 422


def test_both_languages_have_the_same_texts() -> None:
    data = texts()
    assert set(data) == {"fi", "sv"}
    assert set(data["fi"]) == set(data["sv"])
    assert all(value.strip() for lang in data.values() for value in lang.values())


def test_finnish_number_and_date_formats() -> None:
    assert format_eur(2_600_000) == "2,6\u00a0milj.\u00a0€"
    assert format_eur(11_700_000) == "11,7\u00a0milj.\u00a0€"
    assert format_eur(1_250_000) == "1,25\u00a0milj.\u00a0€"
    assert format_eur(150_000) == "150\u00a0000\u00a0€"
    assert format_date("2024-02-15T00:00:00") == "15.2.2024"


# --- JSON API ----------------------------------------------------------------------------------------------


def test_api_search_matches_the_library(client: TestClient, web_settings: Settings) -> None:
    data = client.get("/api/search", params={"q": "RRP", "region": "Pohjanmaa", "limit": 5}).json()
    expected = search(web_settings, "RRP", Filters(region="Pohjanmaa"), limit=5).to_dict()
    assert data == json.loads(json.dumps(expected, default=str))
    assert {h["region"] for h in data["hits"]} == {"Pohjanmaa"}


def test_api_facets_and_health(client: TestClient) -> None:
    facets = client.get("/api/facets", params={"q": "RRP"}).json()
    assert facets["facets"]["region"]["Pohjanmaa"] == 2
    assert facets["total"] >= 5
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["documents"] == 7


def test_api_document_and_report(client: TestClient) -> None:
    doc = client.get("/api/documents/" + TWIN_FI.replace(":", "%3A").replace("/", "%2F")).json()
    assert doc["twin"] == TWIN_SV
    assert doc["facts"]["amounts"][0]["eur"] == 2_600_000
    assert client.get("/api/documents/nope").status_code == 404
    report = client.get("/api/report", params={"programme": "RRP", "region": ["Päijät-Häme"]}).json()
    assert [r["region"] for r in report["regions"]] == ["Päijät-Häme"]
    assert report["regions"][0]["total_eur"] == 11_700_000


def test_openapi_describes_the_api_with_cli_parameters(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/facets", "/api/report", "/api/documents/{doc_id}", "/api/health"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert names == {"q", "region", "lang", "funder", "programme", "year", "min_amount", "sort", "limit", "page"}
    report_names = {p["name"] for p in spec["paths"]["/api/report"]["get"]["parameters"]}
    assert report_names == {"programme", "funder", "region", "q"}


def test_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    client = TestClient(create_app(load_settings(index_dir=tmp_path / "none", report_dir=tmp_path / "runs")))
    assert client.get("/api/health").status_code == 503
    response = client.get("/", params={"q": "RRP"})
    assert response.status_code == 503
    assert "hakemisto ingest" in response.text
    assert client.get("/about").status_code == 200


# --- safety ------------------------------------------------------------------------------------------------


def assert_inert(html: str) -> None:
    """No script but ours, no event-handler attribute, no link other than same-site or http(s)."""
    page = BeautifulSoup(html, "lxml")
    scripts = page.find_all("script")
    assert [s.get("src") for s in scripts] == [SAFE_SCRIPT] and not any(s.string for s in scripts)
    for element in page.find_all(True):
        for attr, value in element.attrs.items():
            assert not attr.lower().startswith("on"), f"{element.name} has {attr}"
            if attr in ("href", "src", "action", "formaction", "xlink:href"):
                assert value.startswith(("/", "http://", "https://", "#")), f"{element.name} {attr}={value}"
    assert not page.find_all(["iframe", "img", "object", "embed"])


def test_hostile_page_renders_inert_everywhere(client: TestClient) -> None:
    doc_url = "/documents/" + HOSTILE_ID.replace("/", "%2F")
    pages = {
        "document": client.get(doc_url),
        "search": client.get("/", params={"q": "hyökkäyssivu testisivu"}),
        "report": client.get("/report", params={"programme": "RRP"}),
        "api-less about": client.get("/about"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_inert(response.text)
    doc = pages["document"].text
    assert "&lt;script&gt;alert(&#34;otsikko&#34;)&lt;/script&gt;" in doc, "the attack is shown as text"
    assert "&lt;img src=x onerror=" in doc
    assert "javascript:" in doc, "a javascript: source is shown as text, not as a link"
    page = BeautifulSoup(doc, "lxml")
    assert page.select_one("span.source.nolink").get_text().startswith("javascript:")
    assert "<mark>" in pages["search"].text


def test_snippet_markup_escapes_before_marking() -> None:
    html = snippet_html("<script>x</script> \x02RRP\x03 & \x02b")
    assert str(html) == "&lt;script&gt;x&lt;/script&gt; <mark>RRP</mark> &amp; b"


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://soite.fi/a?b=1", True), ("http://x.fi", True), ("javascript:alert(1)", False),
     (" JavaScript:alert(1)", False), ("data:text/html,x", False), ("//evil.example", False),
     ("/relative", False), ("https://x.fi/\nfoo", False), ("vbscript:x", False), (None, False)],
)
def test_only_http_links_are_links(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/", "/api/search?q=RRP", "/static/style.css", "/no-such-page", "/?bogus=1", "/report.csv"):
        response = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_unknown_parameters_are_refused_with_a_clear_message(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "RRP", "regoin": "Pohjanmaa"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "unknown parameter 'regoin'"
    page = client.get("/", params={"q": "RRP", "regoin": "Pohjanmaa"})
    assert page.status_code == 422 and "Okänd parameter ’regoin’" in page.text and "unknown" not in page.text
    for path in ("/api/health?x=1", "/about?x=1", "/report?x=1", "/api/documents/fixtures/web/lappi-rrp?x=1"):
        assert client.get(path).status_code == 422, path


def test_query_length_and_page_size_are_capped(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "a" * (MAX_QUERY_CHARS + 1)}).status_code == 422
    assert client.get("/", params={"q": "a" * (MAX_QUERY_CHARS + 1)}).status_code == 422
    assert client.get("/api/search", params={"limit": MAX_PAGE_SIZE + 1}).status_code == 422
    assert client.get("/api/search", params={"limit": 0}).status_code == 422
    assert client.get("/api/search", params={"page": 10_000}).status_code == 422
    assert client.get("/api/search", params={"year": "twenty"}).status_code == 422
    assert client.get("/api/search", params={"lang": "en"}).status_code == 422


def test_no_endpoint_writes(client: TestClient) -> None:
    app = client.app
    for route in app.routes:
        methods = getattr(route, "methods", None)
        if methods:
            assert methods <= {"GET", "HEAD"}, (route.path, methods)
    for path in ("/", "/api/search", "/api/report", "/api/documents/x", "/report"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            assert client.request(method, path).status_code == 405, (method, path)


# --- CLI ----------------------------------------------------------------------------------------------------


def test_serve_help_has_an_example(runner) -> None:
    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "hakemisto serve" in result.output
    assert re.search(r"--host\s+TEXT.*127\.0\.0\.1", result.output, re.S)


def test_result_cache_follows_index_commits(tmp_path: Path) -> None:
    from dataclasses import replace

    from web_fixtures import web_documents

    from hakemisto.search import index as idx

    settings = load_settings(index_dir=tmp_path / "index", report_dir=tmp_path / "runs")
    docs = web_documents()
    idx.write(settings, docs[:2])
    client = TestClient(create_app(settings, cache_size=8))
    assert client.get("/api/search", params={"q": "Lapin"}).json()["total"] == 0
    idx.write(settings, [replace(d, id="fixtures/web/lappi-new") for d in docs if d.id.endswith("lappi-rrp")])
    assert client.get("/api/search", params={"q": "Lapin"}).json()["total"] == 1


# --- issue 14: planner fixes on the page -------------------------------------------------------------------


def _ui_client(web_settings: Settings, lang: str) -> TestClient:
    client = TestClient(create_app(web_settings))
    client.cookies.set("hakemisto_lang", lang)
    return client


ENGLISH = re.compile(r"\b(hits|Without|drop that|region unknown|unknown|Try|--region|--lang|page is past)\b")


@pytest.mark.parametrize(("lang", "expected"), [("fi", "Ilman rajausta"), ("sv", "Utan avgränsningen")])
def test_no_hit_notes_and_errors_in_the_interface_language(web_settings: Settings, lang: str, expected: str) -> None:
    client = _ui_client(web_settings, lang)
    page = soup(client.get("/", params={"q": "hoitotakuu", "region": "Lappi"}))
    notes = " ".join(p.get_text() for p in page.select("p.note"))
    assert expected in notes and not ENGLISH.search(notes), notes
    partial = " ".join(p.get_text() for p in soup(client.get("/", params={"q": "hoitotakuu zzqxv", "region": "Lappi"}))
                       .select("p.note"))
    assert "zzqxv" in partial and not ENGLISH.search(partial), partial
    error = soup(client.get("/", params={"region": "Narnia"})).select_one("#error").get_text()
    assert ("Tuntematon alue" if lang == "fi" else "Okänt område") in error and not ENGLISH.search(error)
    bad = soup(client.get("/", params={"programme": "Atlantis-ohjelma"})).select_one("#error").get_text()
    assert ("Tuntematon ohjelma" if lang == "fi" else "Okänt program") in bad and "RRP" in bad


def test_web_page_past_the_end_points_to_the_last_page(web_settings: Settings) -> None:
    client = _ui_client(web_settings, "fi")
    page = soup(client.get("/", params={"q": "RRP", "limit": 2, "page": 40}))
    assert "Sivua 40 ei ole" in page.select_one("#result-count").get_text()
    assert "Ei tuloksia" not in page.get_text()
    last = page.select_one("#last-page")["href"]
    full = soup(client.get(last))
    assert full.select("li.hit") and "Sivu" in full.select_one(".pager").get_text()


def test_web_repeated_regions_municipality_and_sort(web_settings: Settings) -> None:
    client = _ui_client(web_settings, "fi")
    page = soup(client.get("/?region=Vaasa&region=Lappi&sort=date&q=RRP"))
    assert set(hit_regions(page)) == {"Pohjanmaa", "Lappi"}
    chips = [a.get_text(" ", strip=True) for a in page.select(".active a.remove")]
    assert len(chips) == 2 and any("Pohjanmaa" in c for c in chips)
    assert page.select_one("#sort option[selected]")["value"] == "date"
    dates = [t["datetime"] for t in page.select("li.hit time")]
    assert dates == sorted(dates, reverse=True)
    # removing one value keeps the other
    remaining = soup(client.get(page.select(".active a.remove")[0]["href"]))
    assert len(remaining.select(".active a.remove")) == 1


def test_report_form_has_a_region_field(web_settings: Settings) -> None:
    client = _ui_client(web_settings, "sv")
    page = soup(client.get("/report", params={"programme": "RRP", "region": "Vasa"}))
    select = page.select_one("select#report-region")
    options = select.select("option")
    assert len(options) == 23 and options[0]["value"] == ""
    assert select.select_one("option[selected]")["value"] == "Pohjanmaa"
    assert "Österbotten" in select.get_text()


def test_snippets_do_not_repeat_the_title(web_settings: Settings) -> None:
    client = _ui_client(web_settings, "fi")
    page = soup(client.get("/", params={"q": "Lapin RRP-hanke etäpalveluja"}))
    for hit in page.select("li.hit"):
        title = hit.select_one("h2").get_text(strip=True)
        assert not hit.select_one(".snippet").get_text(strip=True).startswith(title), title
