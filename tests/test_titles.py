"""Titles on real-shaped pages: furniture and site names are never the title (issue 12)."""

from __future__ import annotations

import pytest

from hakemisto.crawl.extract import html_to_document
from hakemisto.crawl.titles import choose_title, clean_title, is_site_name
from hakemisto.documents.loaders import make_title, text_to_document


@pytest.mark.parametrize(("raw", "expected"), [
    ("Hyppää pääsisältöön FI SV Arjen tuki -hanke sai rahoitusta", "Arjen tuki -hanke sai rahoitusta"),
    ("Skip Ribbon Commands Flytta dig till innehållet Projektet Trygg vård startar", "Projektet Trygg vård startar"),
    ("date 2025-08-22 Uusi perhekeskus avautuu", "Uusi perhekeskus avautuu"),
    ("Julkaistu 3.2.2025 Kotihoidon kokeilu jatkuu", "Kotihoidon kokeilu jatkuu"),
    ("Etusivu > Ajankohtaista > Hoitotakuu toteutuu", "Hoitotakuu toteutuu"),
    ("Startsida / Nyheter / Ny mottagning i Borgå", "Ny mottagning i Borgå"),
    ("Sote-keskus laajenee | Kainuun hyvinvointialue", "Sote-keskus laajenee"),
    ("Ny satsning – Österbottens välfärdsområde", "Ny satsning"),
    ("Uusi hanke FI SV EN", "Uusi hanke"),
    ("En ny satsning på hemvård", "En ny satsning på hemvård"),
    ("5 miljoonaa euroa lapsiperheille", "5 miljoonaa euroa lapsiperheille"),
])
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


def test_site_names_and_furniture_are_never_titles() -> None:
    assert is_site_name("Pohjanmaan hyvinvointialue") and is_site_name("Egentliga Finlands välfärdsområde")
    assert is_site_name("Sosiaali- ja terveysministeriö") and not is_site_name("Pohjanmaan perhekeskus")
    assert choose_title(["Kainuun hyvinvointialue", "Hoppa till innehåll", "FI | SV", "Jaa",
                         "Perhekeskus avautuu Kajaanissa"]) == "Perhekeskus avautuu Kajaanissa"
    assert choose_title(["Lisätietoja", "22.8.2025"]) == ""


def test_html_logo_h1_and_og_title() -> None:
    html = """<html lang="fi"><head><title>Etusivu | Satakunnan hyvinvointialue</title>
    <meta property="og:title" content="Kotikuntoutus laajenee Poriin – Satakunnan hyvinvointialue"></head>
    <body><header><h1 class="logo">Satakunnan hyvinvointialue</h1></header>
    <a href="#main" class="skip">Hyppää pääsisältöön</a>
    <main><p>Kotikuntoutus laajenee ensi vuonna Poriin ja Raumalle, kertoo hankejohtaja.</p></main>
    </body></html>"""
    doc = html_to_document(html.encode(), doc_id="x")
    assert doc.title == "Kotikuntoutus laajenee Poriin"


def test_html_h1_with_switcher_and_date() -> None:
    html = """<html lang="sv"><body><main><h1>SV FI date 2025-08-22 Ny familjecentral i Jakobstad</h1>
    <p>Familjecentralen öppnar i september och samlar tjänsterna för barnfamiljer under samma tak.</p>
    </main></body></html>"""
    assert html_to_document(html.encode(), doc_id="x").title == "Ny familjecentral i Jakobstad"


def test_text_dump_title_skips_furniture_lines() -> None:
    lines = ["Hyppää pääsisältöön", "FI SV", "Etusivu > Ajankohtaista", "Keski-Suomen hyvinvointialue",
             "Digiklinikka palvelee nyt koko maakuntaa", "Keski-Suomen hyvinvointialueen digiklinikka on auki."]
    assert make_title(lines) == "Digiklinikka palvelee nyt koko maakuntaa"
    doc = text_to_document("\n".join(lines), doc_id="y")
    assert doc.title == "Digiklinikka palvelee nyt koko maakuntaa"


def test_text_dump_mastheads_menus_and_minutes() -> None:
    raw = ("Forssan Seutu\nUUTISET  FORSSA  JOKIOINEN  URHEILU\nKirjaudu | Tilaa\n\n"
           "Kotisairaala laajenee Jokioisiin – kokeilu jatkuu\n\nKotisairaala on käynyt Forssassa.")
    assert text_to_document(raw, doc_id="a").title == "Kotisairaala laajenee Jokioisiin – kokeilu jatkuu"
    minutes = ("Hoppa till innehåll\nHelsingfors stad\nBeslutsfattande  Protokoll  Föredragningslistor  Sök beslut\n"
               "Välfärdsområdesstyrelsen 20.02.2024 § 31\nProtokoll 5/2024\n12.03.2024\n§ 58\n"
               "Ansökan om statsunderstöd för projektet Trygg vardag\nBeslut")
    assert text_to_document(minutes, doc_id="b").title == "Ansökan om statsunderstöd för projektet Trygg vardag"
    report = "Etusivu / Julkaisut\nTulosta\nA- A+\nLOPPURAPORTTI\nLoppuraportti 31.3.2023\nPERHEKESKUS ESSOTE -HANKE 2020–2022"
    assert text_to_document(report, doc_id="c").title == "PERHEKESKUS ESSOTE -HANKE 2020–2022"


@pytest.mark.parametrize("line", [
    "Lovisa stad", "Pyttis kommun", "ESS Etelä-Suomen Sanomat", "Uutishuone Tiedotteet Kuvat Tapahtumat",
    "Avoimet haut > Sosiaali- ja terveysministeriö", "Logga in | Bli prenumerant",
    "projektipäällikkö Kirsi Öhman, p. 06 415 5012, kirsi.ohman@hyvaep.fi", "Pöytäkirja 11.09.2023 klo 13:00",
    "Päijät-Hämeen hyvinvointialue (ent. Päijät-Hämeen hyvinvointiyhtymä)", "Valtioneuvosto ja ministeriöt",
])
def test_furniture_lines(line: str) -> None:
    assert choose_title([line]) == ""


def test_headlines_with_capitals_are_kept() -> None:
    assert choose_title(["Projektipäällikkö, Nuorten mielenterveystalo Pohjois-Karjala"]) != ""
    assert choose_title(["VALTIONAVUSTUSHAKEMUS: KOTONA ASUMISEN TEKNOLOGIAT IKÄIHMISILLE (KATI)"]) != ""
