"""Funder evidence outside the article (issue 12): a project's fact box in an ``<aside>`` and the EU
emblem in a ``<footer>`` reach the funder rules, the rest of both (addresses, switchboards, persons,
implementers, cookie and social text) stays out. Own short pages, written after the shapes of real
project and county sites."""

from __future__ import annotations

from hakemisto.core.model import Document, Skip
from hakemisto.crawl.extract import html_to_document
from hakemisto.facts.entities import annotate

MAIN = ("<main><h1>Kotona asumisen tuki -hanke</h1><p>Hanke kehittää kotihoitoa ja etäpalveluja ikääntyneille "
        "koko alueella, ja työ jatkuu vuoden 2025 loppuun.</p></main>")
FACT_BOX = ("<aside class='sidebar'><div class='sidebar-box project-info'><h3>Hankkeen tiedot</h3><dl>"
            "<dt>Rahoittaja</dt><dd>Sosiaali- ja terveysministeriö</dd><dt>Kesto</dt><dd>2023–2025</dd>"
            "<dt>Toteuttaja</dt><dd>Pirkanmaan hyvinvointialue</dd><dt>Budjetti</dt><dd>1 200 000 €</dd></dl>"
            "<h4>Yhteyshenkilö</h4><p>Maija Meikäläinen, puh. 040 123 4567</p>"
            "<nav><a href='/hankkeet'>Muut hankkeet</a></nav></div></aside>")
FURNITURE = ("<p>Keski-Suomen hyvinvointialue, PL 1000, 40101 Jyväskylä</p><p>Vaihde 014 269 5111</p>"
             "<p>Tämä sivusto käyttää evästeitä.</p><p><a href='https://facebook.com/x'>Facebook</a> "
             "<a href='/saavutettavuus'>Saavutettavuusseloste</a></p>")
EU_FOOTER = ("<footer><img alt='Euroopan unionin rahoittama – NextGenerationEU' src='eu.png'>"
             "<img alt='Keski-Suomen hyvinvointialue' src='logo.svg'>" + FURNITURE + "</footer>")


def _page(*parts: str, lang: str = "fi") -> Document:
    doc = html_to_document(f"<html lang='{lang}'><body>{''.join(parts)}</body></html>".encode(), path="x.html")
    assert isinstance(doc, Document)
    return doc


def test_a_fact_box_aside_gives_its_funder_line_only() -> None:
    bare, boxed = _page(MAIN), _page(MAIN, FACT_BOX)
    assert boxed.paragraphs == (*bare.paragraphs, "Rahoittaja: Sosiaali- ja terveysministeriö")
    text = "\n".join(boxed.paragraphs)
    for absent in ("Kesto", "Toteuttaja", "Pirkanmaan", "1 200 000", "Meikäläinen", "040", "Muut hankkeet"):
        assert absent not in text
    assert boxed.title == bare.title


def test_a_swedish_fact_box_with_label_headings_is_read_as_label_lines() -> None:
    main = ("<main><h1>Stöd för närståendevård</h1><p>Projektet utvecklar stödet för närståendevårdare i hela "
            "området under två år.</p></main>")
    box = ("<aside><h2>Projektfakta</h2><h3>Finansiär</h3><p>Social- och hälsovårdsministeriet</p>"
           "<h3>Projekttid</h3><p>2024–2025</p><h3>Genomförare</h3><p>Österbottens välfärdsområde</p></aside>")
    doc = _page(main, box, lang="sv")
    assert doc.paragraphs[-1] == "Finansiär: Social- och hälsovårdsministeriet"
    assert not any("Österbotten" in p or "2024–2025" in p for p in doc.paragraphs)


def test_an_aside_without_fact_labels_stays_out() -> None:
    related = ("<aside><h2>Ajankohtaista</h2><p>Hyvinvointialue haki rahoitusta uusille hankkeille, ja "
               "STM rahoittaa niistä kahta.</p><p>Lue lisää uutisista.</p></aside>")
    assert _page(MAIN, related).paragraphs == _page(MAIN).paragraphs


def test_a_footer_gives_the_eu_emblem_and_no_furniture() -> None:
    bare, footed = _page(MAIN), _page(MAIN, EU_FOOTER)
    assert footed.paragraphs == (*bare.paragraphs, "Euroopan unionin rahoittama – NextGenerationEU")
    text = "\n".join(footed.paragraphs)
    for absent in ("Vaihde", "014", "PL 1000", "evästeitä", "Facebook", "Saavutettavuus", "Keski-Suomen"):
        assert absent not in text


def test_a_footer_emblem_line_in_text_is_kept_sv() -> None:
    main = ("<main><h1>Digitala tjänster</h1><p>Projektet bygger digitala tjänster för äldre i hela området "
            "under året.</p></main>")
    footer = ("<footer><div class='footer-logos'><p>Medfinansierat av Europeiska unionen</p></div>"
              "<p>Växel 06 218 1111, info@example.fi</p><p>Finansierat av staten, tel. 06 218 1111</p></footer>")
    assert _page(main, footer, lang="sv").paragraphs[-1] == "Medfinansierat av Europeiska unionen"
    assert not any("Växel" in p or "tel." in p for p in _page(main, footer, lang="sv").paragraphs)


def test_a_county_footer_of_furniture_adds_nothing() -> None:
    footer = "<footer><img alt='Keski-Suomen hyvinvointialue' src='logo.svg'>" + FURNITURE + "</footer>"
    assert _page(MAIN, footer).paragraphs == _page(MAIN).paragraphs
    contentinfo = "<div role='contentinfo'>" + FURNITURE + "</div>"
    assert _page(MAIN, contentinfo).paragraphs == _page(MAIN).paragraphs


def test_funder_lines_alone_never_make_a_page() -> None:
    empty = "<main><h1>Haku</h1></main>"
    assert isinstance(html_to_document(f"<html><body>{empty}{FACT_BOX}{EU_FOOTER}</body></html>", path="x.html"),
                      Skip)


def test_the_funder_rules_read_them_and_other_facts_do_not_move() -> None:
    """Funders gain the fact box's ministry and the emblem's facility; contacts, persons and regions of
    the page stay what the article alone gives."""
    bare, full = annotate([_page(MAIN), _page(MAIN, FACT_BOX, EU_FOOTER)])
    assert {"STM", "NextGenerationEU/RRF"} <= set(full.facts.funders)
    assert not {"STM", "NextGenerationEU/RRF"} & set(bare.facts.funders)
    for field in ("contacts", "persons", "regions", "region", "amounts"):
        assert getattr(full.facts, field) == getattr(bare.facts, field), field


def test_a_fact_box_inside_the_article_and_a_one_word_footer_link() -> None:
    main = ("<main><article><h1>Perhekeskus verkossa</h1><p>Hanke tuo perhekeskuksen palvelut verkkoon koko "
            "alueella vuoden aikana.</p><div role='complementary'><p><strong>Rahoitus:</strong> "
            "Euroopan sosiaalirahasto plus (ESR+)</p><p><strong>Kesto:</strong> 1.1.2024–31.12.2026</p></div>"
            "</article></main>")
    footer = "<footer><a href='/rahoittajille'>Rahoittajille</a><p>Euroopan unionin osarahoittama</p></footer>"
    doc = _page(main, footer)
    assert doc.paragraphs[-2:] == ("Rahoitus: Euroopan sosiaalirahasto plus (ESR+)", "Euroopan unionin osarahoittama")
    assert not any("Kesto" in p or "Rahoittajille" in p for p in doc.paragraphs)
