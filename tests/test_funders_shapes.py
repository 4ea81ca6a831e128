"""Funders in the shapes real pages take (own sentences written after studying county, ministry,
structural-fund, STEA, Interreg and municipal pages): inflections and abbreviations in fi and sv, label
lines, partner lists, other organisations' own money, logos, shares of the county and the towns."""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document
from hakemisto.core.regions import related_offset
from hakemisto.crawl.extract import html_to_document
from hakemisto.facts.contacts import find_phones
from hakemisto.facts.entities import annotate


def _funders(*paragraphs: str, lang: str = "fi") -> set[str]:
    doc = Document(id="x", title=paragraphs[0][:60], paragraphs=paragraphs, lang=lang)
    return set(annotate([doc])[0].facts.funders)


NAMED = [
    # ministries and agencies in any inflection, with or without a colon, and their funding words
    ("fi", "Hanke toteutetaan STM:n tuella.", {"STM"}),
    ("fi", "Hanke saa STM:ltä rahaa kahdeksi vuodeksi.", {"STM"}),
    ("sv", "SHM:s understöd till projektet är 300 000 euro.", {"STM"}),
    ("sv", "Projektet får 300 000 euro i SHM:s statsunderstöd.", {"STM"}),
    ("fi", "Yhdistys sai STEAlta avustusta 50 000 euroa.", {"STEA"}),
    ("fi", "Kerho toimii STEAn tuella.", {"STEA"}),
    ("sv", "Projektet får stöd från Stea.", {"STEA"}),
    # state money in other words
    ("fi", "Hanke saa valtion tukea 200 000 euroa.", {"Valtio"}),
    ("fi", "Hanke sai valtionapua 200 000 euroa.", {"Valtio"}),
    ("sv", "Projektet finansieras av staten.", {"Valtio"}),
    ("fi", "Kokonaisbudjetti on 840 000 euroa, josta ESR+-rahoitusta ja valtion vastinrahaa on 672 000 euroa.",
     {"ESR", "Valtio"}),
    ("fi", "Kokonaisbudjetti: 540 000 €, josta ESR+ ja valtion osuus 432 000 €.", {"ESR", "Valtio"}),
    # EU funds and the recovery facility, fi and sv
    ("sv", "Projektet finansieras av Fonden för rättvis omställning (FRO).", {"JTF"}),
    ("sv", "Projektet finansieras av Regionalfonden.", {"EAKR"}),
    ("sv", "Projektet ingår i Finlands plan för återhämtning och resiliens.", {"NextGenerationEU/RRF"}),
    ("fi", "Hanke on osa EU:n elpymissuunnitelmaa.", {"NextGenerationEU/RRF"}),
    ("fi", "Co-funded by the European Union", {"EU"}),
    ("fi", "Hanke on osa rakennerahasto-ohjelmaa Kestävää kasvua ja työtä 2014–2020.", {"EU"}),
    # the other language's names on a page read in one language (a bilingual page, a quoted name)
    ("fi", "Hanke alkaa syksyllä.\n\nProjektet finansieras av social- och hälsovårdsministeriet.", {"STM"}),
    ("sv", "Projektet pågår.\n\nEuroopan unionin osarahoittama", {"EU"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), NAMED)
def test_named_funders_in_real_shapes(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


SHARES = [
    # the county's and the towns' own money written as verbs, shares of costs or rent
    ("fi", "Hyvinvointialue osallistuu hankkeen kustannuksiin 20 prosentin osuudella.", {"Hyvinvointialue"}),
    ("fi", "Toiminta rahoitetaan hyvinvointialueen budjetista.", {"Hyvinvointialue"}),
    ("fi", "Hankkeen rahoittavat sosiaali- ja terveysministeriö (80 %) ja hyvinvointialue (20 %).",
     {"STM", "Hyvinvointialue"}),
    ("fi", "Kokonaisbudjetti on 1,2 milj. €, josta ESR+ ja valtion rahoitus 960 000 €. Loppuosan rahoittaa "
           "hyvinvointialue.", {"ESR", "Valtio", "Hyvinvointialue"}),
    ("fi", "ESR+ ja valtion rahoitus kattaa 80 prosenttia. Hyvinvointialue ja kaupungit rahoittavat loput.",
     {"ESR", "Valtio", "Hyvinvointialue", "Kunnat"}),
    ("sv", "ESF+ och staten finansierar 80 procent; välfärdsområdet och städerna står för resten.",
     {"ESR", "Valtio", "Hyvinvointialue", "Kunnat"}),
    ("sv", "Österbottens välfärdsområde bidrar med 20 procent av kostnaderna.", {"Hyvinvointialue"}),
    ("fi", "Kajaanin kaupunki tukee hanketta 10 000 eurolla.", {"Kunnat"}),
    ("fi", "Hankkeen rahoittavat alueen kunnat.", {"Kunnat"}),
    ("sv", "Dessutom deltar Karleby stad i finansieringen med 25 000 euro.", {"Kunnat"}),
    ("sv", "Kommunens egen andel, cirka 12 000 euro, betalas ur fritidssektorns budget.", {"Kunnat"}),
    ("sv", "Staden står för lokalerna. Hyran på 18 000 euro per år betalas ur stadens budget.", {"Kunnat"}),
    ("sv", "Kervo stad står för lokalerna i hälsocentralen, vilket motsvarar cirka 12 000 euro per år.", {"Kunnat"}),
    ("sv", "Borgå stad deltar med 34 000 euro.", {"Kunnat"}),
    ("sv", "Sjundeå kommun har lovat att delta i kostnaderna med 20 000 euro.", {"Kunnat"}),
    ("fi", "Kunta on luvannut osallistua hankkeen kustannuksiin.", {"Kunnat"}),
    # Helsinki runs its own services: on the city's own page its budget is the county's money
    ("sv", "Helsingfors stad har fått statsunderstöd av SHM. Det som inte täcks av understödet, 400 000 euro, "
           "täcks ur stadens budget.", {"STM", "Hyvinvointialue"}),
    ("fi", "Mustasaaren kunta osallistuu hankkeen yöpartion kustannuksiin 40 000 eurolla.", {"Kunnat"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), SHARES)
def test_county_and_town_shares(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(text, lang=lang) == expected


NOT_FUNDERS = [
    # partners, evaluators and another field of a card are not financers
    ("fi", "Hanketta rahoittaa STM, ja kumppaneina ovat THL ja Kela.", {"STM"}),
    ("fi", "Hankkeen rahoittaa STM ja sitä arvioi THL.", {"STM"}),
    ("sv", "Projektet finansieras av SHM och genomförs i samarbete med THL och FPA.", {"STM"}),
    ("fi", "Rahoittaja\nSosiaali- ja terveysministeriö\nKumppanit\nTHL\nKela", {"STM"}),
    # a partner's part of the budget is no own financing; a grant's part is the grant
    ("fi", "Kokonaisbudjetti on 2 350 000 euroa, josta 1 880 000 euroa on ESR+:n ja valtion rahoitusta. "
           "Hyvinvointialueen osuus budjetista on 1 410 000 euroa.", {"ESR", "Valtio"}),
    ("fi", "Interreg Aurora on myöntänyt hankkeelle 1,2 miljoonaa euroa EU-tukea, josta Lapin "
           "hyvinvointialueen osuus on 468 000 euroa.", {"Interreg"}),
    # another organisation's own money; premises lent without a sum
    ("sv", "SHM har beviljat projektet 1 048 600 euro. Centria yrkeshögskola svarar för utvärderingen med "
           "egen finansiering.", {"STM"}),
    ("fi", "Kaupunki vastaa tiloista ja neuvonnasta. Kokeilu sai STEA:lta 95 000 euroa.", {"STEA"}),
    # a monitor, a denied payer, general state funding, advice to firms
    ("sv", "SHM har beviljat 6 miljoner euro. Institutet för hälsa och välfärd följer upp projekten, men "
           "finansieringen kommer i sin helhet från ministeriet.", {"STM"}),
    ("sv", "FPA har beviljat försöket 275 000 euro. Välfärdsområdet finansierar inte försöket med egna medel.",
     {"Kela"}),
    ("fi", "STM myönsi 450 000 euroa. Alue sai hyte-kertoimen perusteella valtion rahoitusta 1,9 miljoonaa euroa.",
     {"STM"}),
    ("fi", "EAKR-hanke sai 380 000 euroa. Yritykset voivat hakea omiin hankkeisiinsa rahoitusta Business "
           "Finlandilta.", {"EAKR"}),
    # a refused application names nobody who pays
    ("fi", "Sosiaali- ja terveysministeriö ei myöntänyt hyvinvointialueen hakemaa 980 000 euron valtionavustusta. "
           "Hyvinvointialue toteuttaa hankkeesta kevennetyn version omalla rahoituksellaan.", {"Hyvinvointialue"}),
    ("sv", "Social- och hälsovårdsministeriet avslog välfärdsområdets ansökan om 500 000 euro.", set()),
    # a grant given by a named state authority is that authority's, not also 'the state's'
    ("fi", "Terveyden ja hyvinvoinnin laitos (THL) on myöntänyt valtionavustuksia yhteensä 5,8 miljoonaa euroa.",
     {"THL"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), NOT_FUNDERS)
def test_partners_and_other_money_are_not_funders(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


@pytest.mark.slow
def test_state_grant_beside_a_ministry_does_not_hide_the_state_share_elsewhere() -> None:
    funders = _funders("Rahoitus: sosiaali- ja terveysministeriön valtionavustus 610 000 euroa.",
                       "Kokonaisbudjetti 1,2 milj. €, josta Euroopan sosiaalirahasto plussan (ESR+) ja valtion "
                       "rahoitus 960 000 €.")
    assert funders == {"STM", "ESR", "Valtio"}
    assert _funders("STM myönsi hankkeelle valtionavustusta 610 000 euroa.") == {"STM"}


@pytest.mark.slow
def test_other_stories_under_a_list_heading_are_cut() -> None:
    funders = _funders("SHM har beviljat projektet 1 048 600 euro.", "Kontakt: projektledare Eva Berg.",
                       "Fler nyheter", "Familjecentret öppnar – projektet finansieras av Europeiska socialfonden.",
                       lang="sv")
    assert funders == {"STM"}


def test_related_headings_of_other_stories() -> None:
    text = "Otsikko\n\nTeksti hankkeesta.\n\nYhteystiedot\n\nMuut uutiset\n\nToinen juttu ESR-rahoituksesta"
    assert related_offset(text) == text.index("Muut uutiset")
    assert related_offset("Otsikko\n\nTeksti.\n\nLisätietoja") == len("Otsikko\n\nTeksti.\n\nLisätietoja") + 2


def test_funder_logo_alt_text_is_kept_other_logos_are_not() -> None:
    html = ("<html lang='fi'><body><header><a class='logo'><img alt='Kainuun hyvinvointialue' src='l.svg'></a>"
            "</header><main><h1>Nuorten polku alkaa</h1><p>Kainuun hyvinvointialueen uusi hanke alkaa syyskuussa, "
            "ja siinä kehitetään matalan kynnyksen palveluja nuorille Kajaanissa ja Kuhmossa koko vuoden ajan.</p>"
            "<div class='logos'><img src='eu.png' alt='Euroopan unionin osarahoittama'>"
            "<img src='kuva.jpg' alt='Nuoria puistossa'></div></main></body></html>")
    doc = html_to_document(html.encode(), path="x.html")
    assert isinstance(doc, Document)
    assert "Euroopan unionin osarahoittama" in doc.paragraphs
    assert not any("Nuoria puistossa" in p or p == "Kainuun hyvinvointialue" for p in doc.paragraphs)


def test_a_phone_closing_its_line_before_a_logo_line_is_kept() -> None:
    assert [p.value for p in find_phones("puh. 020 798 5512\n\nEuroopan unionin osarahoittama")] == ["+358207985512"]
    assert find_phones("Hanke sai 1 498 000 euroa.") == []


def _programmes(*paragraphs: str, lang: str = "fi") -> set[str]:
    doc = Document(id="x", title=paragraphs[0][:60], paragraphs=paragraphs, lang=lang)
    return set(annotate([doc])[0].facts.programmes)


@pytest.mark.slow
def test_a_successor_or_separate_programme_is_not_the_pages() -> None:
    """A final report's 'work goes on in X (RRP2)' and a programme page's 'complemented by investments of
    another programme, applied for separately' name other work's programme."""
    assert _programmes("Hanke sai valtionavustusta Tulevaisuuden sote-keskus -ohjelmasta.",
                       "Työ jatkuu Hyvä arki Savossa -hankkeessa (RRP2).") == {"Tulevaisuuden sote-keskus"}
    assert _programmes("Programmet Framtidens social- och hälsocentral finansierades med statsunderstöd.",
                       "Det kompletterades av investeringar inom Finlands program för hållbar tillväxt, som "
                       "ansöktes separat.", lang="sv") == {"Tulevaisuuden sote-keskus"}
    assert _programmes("Hanke on osa Suomen kestävän kasvun ohjelmaa (RRP2).") == {"RRP"}
