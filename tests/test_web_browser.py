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

from hakemisto.core.config import load_settings
from hakemisto.web import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real browser

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
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig")), delimiter=";"))
    totals = {r["region"]: float(r["eur"].replace(",", ".")) for r in rows if r["kind"] == "total"}
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


# --- issue 14: a phone (375 px) and a laptop (1280 px) --------------------------------------------------

PHONE = {"width": 375, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Page]:
    yield from _page(browser, request, tmp_path, viewport=PHONE)


@pytest.fixture
def laptop(browser: Browser, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Page]:
    yield from _page(browser, request, tmp_path, viewport=LAPTOP)


def _contrast(css_color: str, background: tuple[int, int, int] = (255, 255, 255)) -> float:
    """WCAG contrast ratio of an 'rgb(r, g, b)' colour against ``background``."""
    channels = [int(float(v)) for v in css_color[css_color.index("(") + 1 : css_color.index(")")].split(",")[:3]]

    def luminance(rgb) -> float:
        def linear(c: float) -> float:
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(channels), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _no_sideways_scroll(page: Page, width: int) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def _one_line(page: Page, selector: str) -> bool:
    return page.evaluate(f"() => document.querySelector({selector!r}).getClientRects().length") == 1


def test_phone_search_shows_the_first_result_and_folds_the_filters(phone: Page, base_url: str) -> None:
    phone.goto(base_url + "/?q=RRP")
    first = phone.locator("li.hit").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] + 40 < PHONE["height"], "the first result starts on the first screen"
    expect(phone.locator("#facets")).to_be_hidden()
    phone.locator("#filters-button").click()
    expect(phone.locator('section.facet[data-facet="region"]')).to_be_visible()
    _no_sideways_scroll(phone, PHONE["width"])
    assert _one_line(phone, "#switch-lang"), "the language button does not wrap"
    phone.locator("#switch-lang").click()
    expect(phone.locator("html")).to_have_attribute("lang", "sv")
    assert _one_line(phone, "#switch-lang")
    _no_sideways_scroll(phone, PHONE["width"])
    for selector in ("#q", "#sort"):
        colour = phone.locator(selector).evaluate("el => getComputedStyle(el).borderTopColor")
        assert _contrast(colour) >= 3.0, (selector, colour)


def test_phone_report_scrolls_tables_in_their_box_with_readable_chart(phone: Page, base_url: str) -> None:
    phone.goto(base_url + "/report?programme=RRP")
    expect(phone.locator("#report-table")).to_be_visible()
    _no_sideways_scroll(phone, PHONE["width"])
    wrap = phone.locator(".table-wrap:has(#report-table)")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto'")
    sizes = phone.evaluate(
        """() => [...document.querySelectorAll('svg.bars text')].map(t => {
            const svg = t.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(t).fontSize) * scale;
        })"""
    )
    assert sizes and min(sizes) >= 12, sizes
    expect(phone.locator("select#report-region")).to_be_visible()
    for selector in ("input[name=programme]", "select#report-region"):
        colour = phone.locator(selector).evaluate("el => getComputedStyle(el).borderTopColor")
        assert _contrast(colour) >= 3.0, (selector, colour)
    phone.goto(base_url + "/projects")
    expect(phone.locator("#projects-table")).to_be_attached()
    _no_sideways_scroll(phone, PHONE["width"])


def test_laptop_nothing_is_clipped(laptop: Page, base_url: str) -> None:
    laptop.goto(base_url + "/?q=RRP")
    expect(laptop.locator("#facets")).to_be_visible()
    expect(laptop.locator("#filters-button")).to_be_hidden()
    _no_sideways_scroll(laptop, LAPTOP["width"])
    laptop.goto(base_url + "/report?programme=RRP")
    _no_sideways_scroll(laptop, LAPTOP["width"])
    wrap = laptop.locator(".table-wrap:has(#report-table)")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "every report column fits at 1280 px"
    right = wrap.evaluate("el => el.getBoundingClientRect().right")
    edges = laptop.locator("#report-table thead th").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")
    assert max(edges) <= right + 1
    assert laptop.locator(".chart-wrap").evaluate("el => el.scrollWidth <= el.clientWidth")


def test_phone_region_filter_from_the_report_form(phone: Page, base_url: str) -> None:
    phone.goto(base_url + "/report")
    phone.locator("select#report-region").select_option("Päijät-Häme")
    phone.get_by_role("button", name="Näytä raportti").click()
    phone.wait_for_url("**region=P%C3%A4ij%C3%A4t-H%C3%A4me**")
    expect(phone.locator('#report-table tr[data-region="Päijät-Häme"]')).to_contain_text("11,7\u00a0milj.\u00a0€")
