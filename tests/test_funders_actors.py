"""Who pays, in the wordings real fi/sv pages use beyond the dev pages' own (own sentences, written after
reading county project pages, board minutes, Innokylä cards, ministry and structural-fund releases):
the state as an actor, towns and the county in financer lists and card fields, percentage shares, the
county's own budget in other verbs, EU support words, and the contexts where a named actor does not pay
(a refusal, an adviser, a card field denied by its value, the towns' own share, Helsinki's own money)."""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document
from hakemisto.crawl.extract import html_to_document
from hakemisto.facts.entities import annotate
from tests.test_funders_shapes import _funders

PAYERS = [
    # the state itself paying, and the state in a list of financers
    ("fi", "Valtio rahoittaa kokeilua 80 prosentilla ja hyvinvointialue 20 prosentilla.", {"Valtio", "Hyvinvointialue"}),
    ("fi", "Palvelu on valtion osittain rahoittama.", {"Valtio"}),
    ("fi", "Kehittämisen rahoitus tulee Euroopan sosiaalirahastosta ja valtiolta.", {"ESR", "Valtio"}),
    ("fi", "Hanketta rahoittavat Euroopan sosiaalirahasto ja valtio.", {"ESR", "Valtio"}),
    ("fi", "Rahoittajat: valtio ja kunnat", {"Valtio", "Kunnat"}),
    ("sv", "Staten står för 75 procent och välfärdsområdet för 25 procent.", {"Valtio", "Hyvinvointialue"}),
    ("sv", "Projektet har beviljats statligt specialunderstöd för två år.", {"Valtio"}),
    ("fi", "Kokeilu saa EU:n ja valtion rahoitusta 360 000 euroa.", {"EU", "Valtio"}),
    # towns and the county among the financers in running text and in a card's funding field
    ("fi", "Ylöjärven kaupunki on mukana rahoittamassa kokeilua.", {"Kunnat"}),
    ("fi", "Kokeilun rahoittajina ovat Kela ja Kemin kaupunki.", {"Kela", "Kunnat"}),
    ("fi", "Rahoitus: STM 80 %, hyvinvointialue 20 %", {"STM", "Hyvinvointialue"}),
    ("fi", "Kotikuntoutus\n\nRahoitus\n\nKela 75 %\n\nHyvinvointialue 25 %", {"Kela", "Hyvinvointialue"}),
    ("fi", "Hankkeen kokonaisbudjetti on 900 000 euroa, josta STM:n osuus on 80 % ja hyvinvointialueen 20 %.",
     {"STM", "Hyvinvointialue"}),
    ("sv", "Välfärdsområdets andel av kostnaderna är 20 procent.", {"Hyvinvointialue"}),
    ("fi", "Mukana olevat kunnat vastaavat omarahoitusosuudesta.", {"Kunnat"}),
    ("fi", "Jäsenkunnat maksavat hankkeen omarahoitusosuuden.", {"Kunnat"}),
    ("sv", "Kommunal medfinansiering uppgår till tio procent.", {"Kunnat"}),
    ("fi", "Toiminta on kuntien rahoittamaa.", {"Kunnat"}),
    # a town's share with its sum in between, a town's notice to pay, towns in a list of payers of the own share
    ("fi", "Aluehallitus hyväksyy Haapajärven kaupungin 15 000 euron rahoitusosuuden.", {"Kunnat"}),
    ("fi", "Raahen kaupunki on ilmoittanut osallistuvansa kokeiluun 12 000 eurolla.", {"Kunnat"}),
    ("fi", "EAKR ja valtio kattavat 70 prosenttia. Omarahoitusosuudesta hyvinvointialue maksaa 90 000 euroa ja "
           "Iisalmen kaupunki 30 000 euroa.", {"EAKR", "Valtio", "Hyvinvointialue", "Kunnat"}),
    # payers named after their verb, with their sums; a town joining with a sum; the state beside ESR+ on a card
    ("sv", "Av kostnaderna, sammanlagt 90 000 euro, betalar Soite 15 000 euro och Kronoby kommun 8 000 euro.",
     {"Hyvinvointialue", "Kunnat"}),
    ("fi", "Loppuosan, 50 000 euroa, maksaa Äänekosken kaupunki.", {"Kunnat"}),
    ("sv", "Kervo stad deltar i försöket med 25 000 euro.", {"Kunnat"}),
    ("fi", "Kaupunki sitoutuu omarahoitukseen, joka on 20 000 euroa.", {"Kunnat"}),
    ("fi", "Hankekortti\n\nRahoitus\n\nESR+ ja valtio", {"ESR", "Valtio"}),
    ("sv", "Understödet täcker 70 procent. Resten finansieras med välfärdsområdenas egna medel.", {"Hyvinvointialue"}),
    # the county's own budget in other verbs and forms, and its promise to pay
    ("fi", "Loppuosan, 64 000 euroa, rahoittaa Kainuun hyvinvointialue omasta talousarviostaan.", {"Hyvinvointialue"}),
    ("fi", "Kokeiluun varataan hyvinvointialueen omasta talousarviosta 120 000 euroa.", {"Hyvinvointialue"}),
    ("fi", "Edellisen kokeilun kustannukset katettiin Keski-Suomen omasta budjetista.", {"Hyvinvointialue"}),
    ("fi", "Hakemus ei menestynyt, mutta hyvinvointialue jatkaa työtä omin varoin.", {"Hyvinvointialue"}),
    ("sv", "Välfärdsområdets andel på 40 000 euro betalas ur den egna budgeten.", {"Hyvinvointialue"}),
    ("sv", "Västra Nylands välfärdsområde har förbundit sig att finansiera projektet med 10 000 euro per år.",
     {"Hyvinvointialue"}),
    ("sv", "Projektet finansieras av välfärdsområdet.", {"Hyvinvointialue"}),
    ("fi", "Kokeilu on hyvinvointialueen rahoittama.", {"Hyvinvointialue"}),
    # an actor's funds ('varoja')
    ("fi", "Kelan kuntoutuksen varoja voidaan käyttää kokeiluun.", {"Kela"}),
    # EU support in general words, Erasmus without its plus
    ("fi", "Kylähanke saa EU-tukea 200 000 euroa.", {"EU"}),
    ("fi", "Koulutus toteutetaan Euroopan unionin tuella.", {"EU"}),
    ("sv", "Utbildningen genomförs med EU-stöd.", {"EU"}),
    ("fi", "Hoitajien vaihto toteutetaan Erasmus-rahoituksella.", {"Erasmus+"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), PAYERS)
def test_payers_in_real_wordings(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


NOT_PAYERS = [
    # general state funding and a refused application name nobody who pays for the projects
    ("fi", "Valtio myönsi hyvinvointialueille yleiskatteellista rahoitusta.", set()),
    ("fi", "Aluehallitus päätti hakea Interreg Aurora -ohjelmasta rahoitusta kokeilulle.\n\nInterreg Aurora "
           "-ohjelma ei myöntänyt haettua rahoitusta. Kokeilu toteutetaan hyvinvointialueen omalla rahoituksella.",
     {"Hyvinvointialue"}),
    # an adviser, an actor denying payment right after its name
    ("fi", "Hanke saa EAKR-rahoitusta. Business Finland neuvoo yrityksiä tuotekehityksen rahoituksessa.", {"EAKR"}),
    ("sv", "Projekten finansieras av SHM. THL beviljar inga medel till projekten.", {"STM"}),
    ("fi", "Kela rahoittaa kokeilun. THL ei rahoita alueiden osuuksia.", {"Kela"}),
    ("sv", "Arbets- och näringsministeriet finansierar projekten. Välfärdsområdena behöver inte delta i "
           "finansieringen med egna medel. Social- och hälsovårdsministeriet har deltagit i beredningen men "
           "finansierar inte projekten.", {"TEM"}),
    ("fi", "STM myönsi avustukset. Avustus kattaa kustannukset kokonaan, eikä hyvinvointialueilta edellytetä "
           "omarahoitusta.", {"STM"}),
    ("sv", "Finansministeriet har beviljat statsunderstöd. Understödet är inte kopplat till EU-finansiering.", {"VM"}),
    # money for after the project, if the board so decides
    ("sv", "Projektet finansieras med social- och hälsovårdsministeriets statsunderstöd.\n\nMottagningen fortsätter "
           "därefter med välfärdsområdets egna medel om styrelsen så beslutar.", {"STM"}),
    # a card field denied by its value
    ("fi", "Rahoittaja\n\nKela\n\nOmarahoitusosuus\n\nEi omarahoitusta", {"Kela"}),
    # the towns' own share is the towns', not the county's; a county's euro share of a national grant is no
    # own money; a sum in the 'Rahoitus' field is not a financer
    ("fi", "Hankkeeseen osallistuvat kunnat maksavat 20 prosentin omarahoitusosuuden.", {"Kunnat"}),
    ("fi", "Kuntien omarahoitusosuus on 10 %.", {"Kunnat"}),
    ("sv", "De deltagande kommunerna betalar en självfinansieringsandel på 20 procent.", {"Kunnat"}),
    ("fi", "Rahoittaja: TEM\n\nRahoitus: 300 000 €\n\nKemin kaupunki osallistuu hankkeeseen omalla henkilöstöllään.",
     {"TEM"}),
    ("fi", "Rahoitusta saivat muun muassa Kainuun hyvinvointialueen Arjen tuki (740 000 €). Sosiaali- ja "
           "terveysministeriö myönsi avustukset.", {"STM"}),
    ("fi", "Rahoitus: Interreg Aurora on myöntänyt hankkeelle 900 000 euroa, josta Lapin hyvinvointialueen osuus "
           "on 300 000 euroa.", {"Interreg"}),
    # a call's applicant's own share; an own share on a page naming no county (a village's, residents')
    ("sv", "Om sökande är ett offentligt samfund måste självfinansieringsandelen vara minst 40 %.", set()),
    ("fi", "Kunnostus edellyttää, että rannan asukkaat osallistuvat kustannuksiin.\n\nOmarahoitusosuus on "
           "noin 200 euroa vuodessa taloutta kohti.", set()),
    ("fi", "Kunnostus alkaa keväällä.\n\nHyvinvointialue ei osallistu tähän.\n\nOmarahoitusosuus on 20 %.",
     {"Hyvinvointialue"}),
    # a 'valtion erityisavustus' from a named ministry is the ministry's
    ("fi", "Eksote sai valtion erityisavustuksen.\n\nSosiaali- ja terveysministeriö on myöntänyt hankkeelle "
           "500 000 euron valtion erityisavustuksen.", {"STM"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), NOT_PAYERS)
def test_named_actors_who_do_not_pay(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


GENERIC_EU = [
    # generic EU money with a sum of its own beside a named fund's smaller grant for another project stays `EU`
    ("Arktinen hoito -hanke sai EU-rahoitusta 1,2 miljoonaa euroa. Erasmus+-ohjelmasta myönnettiin 64 000 euroa "
     "Hoitajavaihto-hankkeelle.", {"EU", "Erasmus+"}),
    # ...but the named fund stands for it when it gives no sum, the same sum, a bigger whole, or a part of it
    ("Hanke sai EU-rahoitusta 500 000 euroa. Rahoitus tulee Euroopan sosiaalirahastosta.", {"ESR"}),
    ("Hanke sai EU-rahoitusta 1,2 miljoonaa euroa. Euroopan sosiaalirahastosta myönnettiin 1 200 000 euroa.", {"ESR"}),
    ("Hanke sai EU-rahoitusta 800 000 euroa. Kokonaisbudjetti 1 000 000 euroa rahoitetaan ESR+:sta ja valtiolta.",
     {"ESR", "Valtio"}),
    ("Hanke sai EU-rahoitusta 800 000 euroa. Siitä ESR+:n osuus on 600 000 euroa.", {"ESR"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), GENERIC_EU)
def test_generic_eu_money_beside_a_named_fund(text: str, expected: set[str]) -> None:
    assert _funders(text) == expected


@pytest.mark.slow
def test_towns_in_a_tables_financer_column() -> None:
    assert _funders("Hankkeet 2025", "Hanke | Rahoittaja | Myönnetty | Kesto",
                    "Arjen apu | STM | 400 000 € | 2025–2026",
                    "Liikkuva kylä | Kunnat (Alavus, Kuortane) | 60 000 € | 2025") == {"STM", "Kunnat"}


def _page_funders(html: str) -> set[str]:
    doc = html_to_document(html.encode(), path="x.html")
    assert isinstance(doc, Document)
    return set(annotate([doc])[0].facts.funders)


@pytest.mark.slow
def test_a_financers_logo_beside_a_funding_logo_names_who_pays() -> None:
    """A row of funder logos: the ministry's logo (its name alone) counts beside the EU line; a lone partner
    logo does not."""
    body = ("<h1>Etäkuntoutus kotiin</h1><p>Kuntoutusta viedään koteihin videoyhteydellä koko alueella vuosina "
            "2025–2026, ja mukana on kolme sote-keskusta.</p><p>Rahoitus: 900 000 € valtionavustusta</p>")
    logos = ("<div class='rahoittajat'><img src='s.png' alt='Sosiaali- ja terveysministeriö'>"
             "<img src='n.png' alt='Euroopan unionin rahoittama – NextGenerationEU'></div>")
    html = f"<html lang='fi'><body><main>{body}{logos}</main></body></html>"
    assert _page_funders(html) == {"STM", "NextGenerationEU/RRF"}
    lone = f"<html lang='fi'><body><main>{body}<p>Kiitos yhteistyöstä!</p><img src='t.png' alt='Kela'></main></body></html>"
    assert "Kela" not in _page_funders(lone)


@pytest.mark.slow
def test_helsinki_city_share_is_the_county_money_on_its_own_page_only() -> None:
    """Helsinki organises its own health and social services: 'Stadens andel' on the city's page (named, or
    only its hel.fi address) is the county's; another town's share on the same page stays the towns'."""
    own = ("Projektet finansieras av Erasmus+.", "Stadens andel, cirka 12 000 euro, täcker vikarier.",
           "Mer information: projektkoordinator, fornamn.efternamn@hel.fi")
    assert _funders(*own, lang="sv") == {"Erasmus+", "Hyvinvointialue"}
    other = ("Projektet finansieras av Erasmus+.", "Stadens andel, cirka 12 000 euro, täcker vikarier.",
             "Mer information: projektkoordinator, fornamn.efternamn@vasa.fi")
    assert _funders(*other, lang="sv") == {"Erasmus+", "Kunnat"}
    both = ("Helsingfors stad och Esbo stad deltar.", "Esbo stads andel är 10 000 euro.")
    assert "Kunnat" in _funders(*both, lang="sv")
