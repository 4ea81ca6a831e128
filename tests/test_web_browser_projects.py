"""Projects page, project page and programme matrix in a real browser (Chromium via Playwright),
in Finnish and Swedish, at a desktop (1280 px) and a phone (375 px) width."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from test_web_browser import _page, base_url, browser  # noqa: F401  (shared server and browser fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real browser

CASES = [("fi", 1280), ("sv", 1280), ("fi", 375), ("sv", 375)]
TEXTS = {
    "fi": {"projects": "Hankkeet", "granted": "Myönnetty", "twin_reason": "sama myöntö", "matrix": "Ohjelmamatriisi",
           "eur": "11,7\u00a0milj.\u00a0€", "count": "1 hanketta"},
    "sv": {"projects": "Projekt", "granted": "Beviljat", "twin_reason": "samma stöd", "matrix": "Programmatris",
           "eur": "11,7\u00a0mn\u00a0€", "count": "1 projekt"},
}


@pytest.fixture(params=CASES, ids=[f"{lang}-{width}px" for lang, width in CASES])
def case_page(request: pytest.FixtureRequest, browser: Browser, tmp_path: Path) -> Iterator[tuple[Page, str, int]]:  # noqa: F811
    lang, width = request.param
    gen = _page(browser, request, tmp_path, viewport={"width": width, "height": 900})
    page = next(gen)
    yield page, lang, width
    next(gen, None)


def _use(page: Page, base_url: str, lang: str) -> None:  # noqa: F811
    """The interface language as a planner picks it: the remembered-language cookie."""
    page.context.add_cookies([{"name": "hakemisto_lang", "value": lang, "url": base_url}])


def _fits(page: Page) -> None:
    """Nothing but the scrollable table wrappers may be wider than the screen."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the viewport"


def test_projects_page_sort_and_download(case_page, base_url: str) -> None:  # noqa: F811
    page, lang, _width = case_page
    _use(page, base_url, lang)
    text = TEXTS[lang]
    page.goto(base_url + "/projects?programme=RRP")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_contain_text(text["projects"])
    table = page.locator("#projects-table")
    expect(table.locator("thead")).to_contain_text(text["granted"])
    _fits(page)
    page.locator('a.sort[data-sort="granted"]').click()
    page.wait_for_url("**sort=granted**")
    page.locator('a.sort[data-sort="granted"]').click()
    page.wait_for_url("**order=desc**")
    first = table.locator("tbody tr").first
    expect(first).to_have_attribute("data-region", "Päijät-Häme")
    expect(first.locator(".granted")).to_have_text(text["eur"])
    with page.expect_download() as info:
        page.locator("#download-projects-csv").click()
    body = Path(info.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["county"] == "Päijät-Häme" and rows[0]["granted_eur"] == "11700000"


def test_project_page_every_fact_with_its_reason(case_page, base_url: str) -> None:  # noqa: F811
    page, lang, _width = case_page
    _use(page, base_url, lang)
    page.goto(base_url + "/projects?region=Pohjanmaa")
    link = page.locator("#projects-table a.project-link").first
    name = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text(name)
    amounts = page.locator("#project-amounts")
    expect(amounts.locator("tr.counted")).to_have_count(1)
    expect(amounts.locator('tr[data-reason="same_twin"]')).to_contain_text(TEXTS[lang]["twin_reason"])
    expect(amounts.locator("blockquote.sentence").first).to_be_visible()
    expect(page.locator("#project-pages li")).to_have_count(2)
    _fits(page)


def test_programme_matrix(case_page, base_url: str) -> None:  # noqa: F811
    page, lang, _width = case_page
    _use(page, base_url, lang)
    page.goto(base_url + "/report?programme=RRP")
    expect(page.locator("section.matrix h2")).to_contain_text(TEXTS[lang]["matrix"])
    matrix = page.locator("#matrix")
    expect(matrix).to_be_visible()
    phases = matrix.locator("thead th").all_inner_texts()[1:]
    column = phases.index("RRP 2023–2025")
    cell = matrix.locator('tr[data-region="Päijät-Häme"] td').nth(column)
    expect(cell).to_contain_text(TEXTS[lang]["eur"])
    expect(cell).to_contain_text(TEXTS[lang]["count"])
    _fits(page)
