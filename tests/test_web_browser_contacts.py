"""The contact directory in a real browser (Chromium via Playwright), in Finnish and Swedish, at a
desktop (1280 px) and a phone (375 px) width: filter by county, follow a person's project, the empty
result in the interface language, nothing wider than the screen but the table's own scroll box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_web_browser import base_url, browser  # noqa: F401  (shared server and browser fixtures)
from test_web_browser_projects import _fits, _use, case_page  # noqa: F401  (fi/sv × 1280/375 px pages)

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real browser

TEXTS = {
    "fi": {"title": "Yhteyshenkilöt", "name": "Nimi", "last_seen": "Nähty viimeksi", "button": "Rajaa",
           "county": "Keski-Pohjanmaa", "none": "Ei yhteyshenkilöitä näillä rajauksilla."},
    "sv": {"title": "Kontaktpersoner", "name": "Namn", "last_seen": "Senast sedd", "button": "Avgränsa",
           "county": "Mellersta Österbotten", "none": "Inga kontaktpersoner med dessa avgränsningar."},
}


def test_contacts_page_filter_and_project_link(case_page, base_url: str) -> None:  # noqa: F811
    page, lang, width = case_page
    _use(page, base_url, lang)
    text = TEXTS[lang]
    page.goto(base_url + "/contacts")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_text(text["title"])
    table = page.locator("#contacts-table")
    expect(table.locator("thead")).to_contain_text(text["name"])
    expect(table.locator("thead")).to_contain_text(text["last_seen"])
    assert table.locator("tbody tr").count() >= 2
    _fits(page)
    if width < 600:  # on a phone the table scrolls inside its own box, the page does not
        wrap = page.locator(".table-wrap").first
        assert wrap.bounding_box()["width"] <= width

    # filter by county, as a planner types it in the interface language
    page.fill("input[name=region]", text["county"])
    page.get_by_role("button", name=text["button"]).click()
    page.wait_for_url("**/contacts?region=**")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.locator("th")).to_have_text("Kaisa Kuvitelma")
    expect(row).to_contain_text("hankepäällikkö")
    expect(row).to_contain_text("+358401234567")
    expect(row.locator('a[href^="mailto:"]')).to_have_text("kaisa.kuvitelma@soite.example")
    expect(row.locator("td.num").last).not_to_have_text("–")  # the date the person was last seen on a page
    _fits(page)

    # the person's project opens its project page
    row.get_by_role("link", name="Hoitotakuu").click()
    page.wait_for_url("**/projects/**")
    expect(page.locator("h1")).to_contain_text("Hoitotakuu")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    # a county without contacts says so in the interface language
    page.goto(base_url + "/contacts?region=Lappi")
    expect(page.locator("p.none")).to_have_text(text["none"])
    expect(page.locator("#contacts-table")).to_have_count(0)
    _fits(page)
