"""HTML → Document: main content, title, dates, language hint, links, encodings, skips."""

from __future__ import annotations

from datetime import datetime

import pytest

from hakemisto.core.model import Document, Skip, Source, content_hash
from hakemisto.crawl.extract import decode_html, html_to_document, parse_date, strip_site_suffix

SOURCE = Source(key="pohjanmaa", name_fi="Pohjanmaan hyvinvointialue", name_sv="Österbottens välfärdsområde",
                region="Pohjanmaa", domains=("example.fi",))  # fmt: skip

FI_PAGE = """<!doctype html><html lang="fi-FI"><head><meta charset="utf-8">
<title>Hoitotakuuhanke | Pohjanmaan hyvinvointialue</title>
<link rel="canonical" href="https://Example.fi/hankkeet/hoitotakuu/?utm_source=uutiskirje">
<link rel="alternate" hreflang="sv" href="/sv/projekt/vardgaranti">
<link rel="alternate" hreflang="x-default" href="/">
<meta property="article:published_time" content="2024-03-01T10:00:00+02:00">
</head><body>
<a class="skip-link" href="#main">Siirry sisältöön</a>
<header><nav><a href="/">Etusivu</a><a href="/palvelut">Palvelut ja asiointi</a></nav></header>
<div id="cookie-consent">Käytämme evästeitä sivuston toiminnan varmistamiseen.</div>
<main><nav class="breadcrumb">Etusivu &gt; Hankkeet</nav>
<article><header><h1>Hoitotakuu&shy;hanke</h1><p>Päivitetty 12.4.2024</p></header>
<p>Hanke parantaa hoitoon   pääsyä Pohjanmaalla.</p>
<ul><li>Tavoite yksi</li><li>Tavoite kaksi<ul><li>alakohta</li></ul></li></ul>
<dl><dt>Rahoittaja</dt><dd>STM</dd><dt>Budjetti</dt><dd>1,2 milj. €</dd></dl>
<table><tr><th>Kesto</th><td>2022–2025</td></tr><tr><td>Vaihe</td><td>Kuvaus</td><td>Tila</td></tr></table>
<div class="field"><div class="field-label">Yhteyshenkilö</div><div class="field-item">Maija Meikäläinen<br>hankepäällikkö</div></div>
<div class="share-buttons">Jaa Facebookissa</div>
<form><label>Hae</label><input name="q"></form>
</article></main>
<aside>Ajankohtaista: muut uutiset</aside>
<footer>Yhteystiedot ja palaute</footer>
<script>var tracking = "Julkaistu 1.1.2000";</script></body></html>"""


def extract(html: str | bytes, **kw) -> Document:
    result = html_to_document(html.encode("utf-8") if isinstance(html, str) else html, **kw)
    assert isinstance(result, Document), result
    return result


def test_finnish_page_keeps_content_and_drops_boilerplate() -> None:
    doc = extract(FI_PAGE, url="https://example.fi/hankkeet/hoitotakuu?fbclid=abc#top", source=SOURCE)
    assert doc.paragraphs == (
        "Hoitotakuuhanke",
        "Päivitetty 12.4.2024",
        "Hanke parantaa hoitoon pääsyä Pohjanmaalla.",
        "Tavoite yksi",
        "Tavoite kaksi",
        "alakohta",
        "Rahoittaja: STM",
        "Budjetti: 1,2 milj. €",
        "Kesto: 2022–2025",
        "Vaihe | Kuvaus | Tila",
        "Yhteyshenkilö: Maija Meikäläinen\nhankepäällikkö",
    )
    text = doc.text
    for boilerplate in (
        "Etusivu",
        "evästeitä",
        "Siirry",
        "Jaa Facebookissa",
        "muut uutiset",
        "palaute",
        "tracking",
    ):
        assert boilerplate not in text
    assert doc.title == "Hoitotakuuhanke"
    # the page's own canonical keeps its trailing slash: the server's word, not a guess (issue 16)
    assert doc.id == "https://example.fi/hankkeet/hoitotakuu/"
    assert doc.canonical_url == "https://example.fi/hankkeet/hoitotakuu/"
    assert doc.alternates == (("sv", "https://example.fi/sv/projekt/vardgaranti"),)
    assert doc.lang_hint == "fi"
    assert doc.region == "Pohjanmaa" and doc.source == "pohjanmaa"
    assert doc.published == datetime(2024, 3, 1, 10, 0)
    assert doc.modified == datetime(2024, 4, 12)
    assert doc.content_hash == content_hash(doc.text)


def test_swedish_page_lang_from_url_jsonld_and_text_dates() -> None:
    html = """<html><head><title>Vårdgaranti – Österbottens välfärdsområde</title>
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebPage", "datePublished": "2024-03-02"}]}</script></head>
    <body><div id="content"><h2>Projektet i korthet</h2>
    <p>Projektet förbättrar tillgången till vård i Österbotten.</p>
    <p class="meta">Uppdaterad 12 mars 2024</p>
    <div class="contact"><strong>Projektledare:</strong><span>Anna Andersson, tfn 040 123 4567</span></div>
    </div></body></html>"""
    doc = extract(html, url="https://example.fi/sv/projekt/vardgaranti", source=SOURCE)
    assert doc.lang_hint == "sv"
    assert doc.title == "Vårdgaranti"
    assert doc.published == datetime(2024, 3, 2)
    assert doc.modified == datetime(2024, 3, 12)
    assert "Projektledare: Anna Andersson, tfn 040 123 4567" in doc.paragraphs
    assert doc.id == "https://example.fi/sv/projekt/vardgaranti"


def test_time_element_and_publicerad_label() -> None:
    html = """<html lang="sv"><body><article><h1>Nyhet</h1>
    <p>Publicerad <time datetime="2023-11-05T08:30:00Z">5.11.2023</time></p>
    <p>Välfärdsområdet har fått statsunderstöd för projektet.</p></article></body></html>"""
    doc = extract(html, path="nyhet.html")
    assert doc.published == datetime(2023, 11, 5, 10, 30)  # UTC → Helsinki local time
    assert doc.id == "nyhet.html" and doc.path == "nyhet.html"
    assert doc.region is None and doc.source is None


def test_finnish_text_label_with_time_and_month_name() -> None:
    html = """<html><body><main><h1>Uutinen</h1><p>Julkaistu 3.2.2024 klo 9.15</p>
    <p>Hyvinvointialue sai valtionavustusta hankkeelle, joka alkaa keväällä.</p>
    <p>Viimeksi muokattu 4. maaliskuuta 2024</p></main></body></html>"""
    doc = extract(html, doc_id="uutinen-1")
    assert doc.id == "uutinen-1"
    assert doc.published == datetime(2024, 2, 3, 9, 15)
    assert doc.modified == datetime(2024, 3, 4)


def test_cp1252_page_declared_as_utf8() -> None:
    html = '<html><head><meta charset="utf-8"></head><body><main><h1>Hyvinvointialueen kehittämishanke</h1>' \
           "<p>Päijät-Hämeen hyvinvointialue kehittää sosiaali- ja terveyspalveluja yhdessä kuntien kanssa.</p>" \
           "</main></body></html>"  # fmt: skip
    data = html.encode("cp1252")
    text, encoding = decode_html(data, "utf-8")
    assert encoding == "cp1252" and "Päijät-Hämeen" in text
    doc = extract(data, url="https://example.fi/a", declared_encoding="utf-8")
    assert "Päijät-Hämeen hyvinvointialue" in doc.text
    assert "\ufffd" not in doc.text


def test_utf8_bytes_labelled_latin1_are_read_as_utf8() -> None:
    data = '<html><head><meta charset="iso-8859-1"></head><body><p>Österbottens välfärdsområde utvecklar tjänster för äldre</p></body></html>'.encode()
    doc = extract(data, declared_encoding="iso-8859-1", path="x.html")
    assert "Österbottens välfärdsområde" in doc.text


def test_boilerplate_only_and_empty_pages_are_skipped() -> None:
    html = """<html><body><header><nav>Etusivu Palvelut Hankkeet Yhteystiedot</nav></header>
    <div class="cookie-banner">Käytämme evästeitä</div><footer>Pohjanmaan hyvinvointialue 2024</footer></body></html>"""
    assert html_to_document(html.encode(), url="https://example.fi/tyhja") == Skip(
        "https://example.fi/tyhja", "no main content"
    )
    assert html_to_document(b"", path="empty.html") == Skip("empty.html", "no main content")
    assert html_to_document(b"%PDF-1.4\x00\x00\x01binary", path="x.pdf").reason.startswith("not html")


@pytest.mark.slow  # the spaCy pipeline over whole pages
def test_malformed_html_does_not_crash() -> None:
    html = "<html><body><div><p>Hanke <b>alkaa<p>syksyllä 2024 ja jatkuu <table><tr><td>vuoteen</div> 2026 asti</i></body>"
    doc = extract(html, path="broken.html")
    assert "syksyllä 2024" in doc.text and "2026" in doc.text
    for garbage in ("<<<>>>", "<html", "\x00" * 3, "<p>" * 5000):
        result = html_to_document(garbage.encode(), path="g.html")
        assert isinstance(result, Document | Skip)


def test_source_selectors_override_generic_extraction() -> None:
    source = Source(key="s", name_fi="S", name_sv=None, region="Kainuu",
                    selectors={"content": ".sisalto", "title": ".otsikko", "date": ".pvm", "drop": ".mainos"})  # fmt: skip
    html = """<html><body><main><p>Tämä on sivupohjan teksti, jota ei haluta.</p></main>
    <div class="sisalto"><span class="otsikko">Oikea otsikko</span><span class="pvm">1.9.2022</span>
    <p>Varsinainen sisältö kertoo hankkeesta Kainuussa.</p><div class="mainos">Osta nyt</div></div></body></html>"""
    doc = extract(html, url="https://kainuu.example/h", source=source)
    assert doc.title == "Oikea otsikko"
    assert doc.published == datetime(2022, 9, 1)
    assert "Varsinainen sisältö kertoo hankkeesta Kainuussa." in doc.paragraphs
    assert "sivupohjan" not in doc.text and "Osta nyt" not in doc.text
    assert doc.region == "Kainuu"


def test_language_switcher_links_become_alternates() -> None:
    html = """<html lang="fi"><body><div class="language-switcher"><a lang="sv" href="/sv/nyheter/1">På svenska</a>
    <a lang="fi" href="/uutiset/1">Suomeksi</a></div>
    <main><h1>Uutinen</h1><p>Hyvinvointialue avaa uuden sote-keskuksen syksyllä.</p></main></body></html>"""
    doc = extract(html, url="https://example.fi/uutiset/1")
    assert doc.alternates == (("sv", "https://example.fi/sv/nyheter/1"),)


def test_foreign_canonical_does_not_become_the_id() -> None:
    html = """<html><head><link rel="canonical" href="https://other.example/tiedote"></head>
    <body><main><p>Sama tiedote julkaistiin usean hyvinvointialueen sivuilla.</p></main></body></html>"""
    doc = extract(html, url="https://example.fi/tiedote")
    assert doc.id == "https://example.fi/tiedote"
    assert doc.canonical_url == "https://other.example/tiedote"


def test_helpers() -> None:
    assert strip_site_suffix("Hanke X | Soite") == "Hanke X"
    assert strip_site_suffix("Sote-keskus - Hanke - Eksote") == "Sote-keskus - Hanke"
    assert parse_date("2024-01-31") == datetime(2024, 1, 31)
    assert parse_date("31.1.2024") == datetime(2024, 1, 31)
    assert parse_date("31. tammikuuta 2024") == datetime(2024, 1, 31)
    assert parse_date("31.13.2024") is None
    assert parse_date("ei päivämäärää") is None
