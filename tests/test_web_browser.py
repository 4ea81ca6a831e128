"""The planner's path through the pages in a real browser: Debian's Chromium, headless, via Playwright.

A uvicorn server on 127.0.0.1 (a free port) serves a small fictional index built in tmp_path. On a
failure the page is saved as a screenshot under the test's tmp_path (the path is printed).
"""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from web_fixtures import HOSTILE_ID, build_web_index

from hakemisto.config import load_settings
from hakemisto.web import create_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("web-browser")
    settings = build_web_index(load_settings(index_dir=root / "index", report_dir=root / "runs"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"uvicorn did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; install it with scripts/setup.sh (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser: Browser, request: pytest.FixtureRequest, tmp_path: Path, **context_options) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, locale="fi-FI", **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:
        shot = tmp_path / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failing page: {shot}")
    context.close()
    assert not dialogs, f"a dialog opened (script ran): {dialogs}"


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Page]:
    yield from _page(browser, request, tmp_path)


@pytest.fixture
def page_without_js(browser: Browser, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Page]:
    yield from _page(browser, request, tmp_path, java_script_enabled=False)


def _search(page: Page, base_url: str, words: str) -> None:
    page.goto(base_url + "/")
    page.fill("#q", words)
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=*")


def _hit_regions(page: Page) -> set[str]:
    return {text.strip() for text in page.locator("li.hit .region").all_inner_texts()}


def test_search_then_apply_a_facet(page: Page, base_url: str) -> None:
    _search(page, base_url, "RRP")
    expect(page.locator("#result-count")).to_contain_text("tulosta")
    assert {"Keski-Pohjanmaa", "Päijät-Häme", "Pohjanmaa"} <= _hit_regions(page)
    expect(page.locator("li.hit .snippet mark").first).to_be_visible()
    region_facet = page.locator('section.facet[data-facet="region"]')
    expect(region_facet.locator("li", has_text="Pohjanmaa").first).to_contain_text("2")
    region_facet.get_by_role("link", name="Pohjanmaa", exact=True).click()
    page.wait_for_url("**region=Pohjanmaa**")
    assert _hit_regions(page) == {"Pohjanmaa"}
    expect(page.locator(".active a.remove")).to_contain_text("Pohjanmaa")
    page.locator(".active a.remove").click()
    page.wait_for_load_state()
    assert "region" not in parse_qs(urlsplit(page.url).query)


def test_open_a_document_and_its_twin(page: Page, base_url: str) -> None:
    _search(page, base_url, "kotihoito")
    first = page.locator("li.hit h2 a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("table.amounts")).to_contain_text("2,6\u00a0milj.\u00a0€")
    expect(page.locator("blockquote.sentence").first).to_be_visible()
    lang = page.locator("article.document").get_attribute("lang")
    page.locator("a.twin").click()
    expect(page.locator("article.document")).to_have_attribute("lang", {"fi": "sv", "sv": "fi"}[lang])


def test_switch_language_is_remembered(page: Page, base_url: str) -> None:
    page.goto(base_url + "/?q=RRP")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    page.locator("#switch-lang").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert "q=RRP" in page.url, "switching keeps the planner on the same results"
    expect(page.locator("button[type=submit]")).to_have_text("Sök")
    assert "Österbotten" in _hit_regions(page)
    page.get_by_role("link", name="Regionrapport").click()
    expect(page.locator("h1")).to_contain_text("Regionrapport")
    page.locator("#switch-lang").click()
    expect(page.locator("h1")).to_contain_text("Alueraportti")


def test_report_chart_and_csv_download(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Alueraportti").click()
    page.fill("input[name=programme]", "RRP")
    page.get_by_role("button", name="Näytä raportti").click()
    page.wait_for_url("**/report?programme=RRP**")
    expect(page.locator("#report-table tbody tr")).to_have_count(22)
    expect(page.locator('#report-table tr[data-region="Päijät-Häme"]')).to_contain_text("11,7\u00a0milj.\u00a0€")
    assert page.locator("svg.bars rect").count() >= 3
    assert page.locator("svg.bars rect").first.bounding_box()["width"] > 100
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    download = info.value
    assert download.suggested_filename == "hakemisto-raportti-RRP.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    totals = {r["region"]: float(r["eur"]) for r in rows if r["kind"] == "total"}
    assert totals["Päijät-Häme"] == 11_700_000


def test_hostile_page_is_inert_in_the_browser(page: Page, base_url: str) -> None:
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    for path in ("/documents/" + HOSTILE_ID.replace("/", "%2F"), "/?q=hy%C3%B6kk%C3%A4yssivu", "/report?programme=RRP"):
        page.goto(base_url + path)
        page.mouse.move(200, 300)
        for link in page.locator("a").all():
            href = link.get_attribute("href") or ""
            assert href.startswith(("/", "#", "http://", "https://")), href
        assert page.evaluate("() => window.__xss === undefined"), page.evaluate("() => window.__xss")
    expect(page.locator("h1")).to_contain_text("RRP")
    page.goto(base_url + "/documents/" + HOSTILE_ID.replace("/", "%2F"))
    expect(page.locator("h1")).to_contain_text('<script>alert("otsikko")</script>')
    expect(page.locator("ul.contacts")).to_contain_text("onerror=")
    assert not violations, violations


def test_search_and_facets_work_without_javascript(page_without_js: Page, base_url: str) -> None:
    page = page_without_js
    _search(page, base_url, "RRP")
    page.locator('section.facet[data-facet="programme"] a').first.click()
    page.wait_for_url("**programme=**")
    expect(page.locator("li.hit").first).to_be_visible()
