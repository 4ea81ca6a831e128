"""Amount roles, round 7: whose money a share is (a town's, the county's or a funder's), payers named
after their verb or with no verb at all, lines of a budget, the applicant speaking of itself, and what
a grant leaves uncovered.

Every sentence is our own, written in the shapes of county news, local papers, Innokylä cards and
project pages (fi and sv).
"""

from __future__ import annotations

import pytest

from tests.test_roles import _attach as attach
from tests.test_roles import roles_of


@pytest.mark.parametrize(("text", "roles"), [
    # the applicant speaking of itself applies, whatever was granted after
    ("Hankkeelle myönnettiin keväällä 500 000 euroa. Haimme 640 000 euroa.", ["granted", "applied"]),
    # the payer after its verb: the town's share of the project
    ("Kokeilun rahoittaa pääosin STEA. Loppuosan, 35 000 euroa, maksaa Nurmeksen kaupunki.", ["budget"]),
    ("Hankkeessa ovat mukana kaksi aluetta: Lapin hyvinvointialue maksaa 9 000 euroa ja Kainuun "
     "hyvinvointialue 6 000 euroa.", ["budget", "budget"]),
    # a town taking part in a trial ('kokeilu') pays a line of its budget
    ("Kokeilu alkaa syksyllä. Kiteen kaupunki on luvannut osallistuvansa kokeiluun 15 000 eurolla.", ["budget"]),
    ("Projektet pågår i två år. Borgå stad deltar i projektet med 25 000 euro.", ["budget"]),
    # … but a funder taking part pays a grant
    ("Kokeilu alkaa syksyllä. Sitra osallistuu kokeiluun 120 000 eurolla.", ["granted"]),
    # a county's own funds win over the verb that pays them
    ("EU-ohjelma kattaa 80 prosenttia. Loppuosan, 44 000 euroa, rahoittaa Keski-Suomen hyvinvointialue "
     "omasta talousarviostaan.", ["budget"]),
    # a share is a share of the budget named before it …
    ("Omarahoitus jakautuu niin, että hyvinvointialueen osuus on 52 000 euroa ja Hangon kaupungin osuus "
     "18 000 euroa.", ["budget", "budget"]),
    ("Budget: totalt 300 000 euro, varav Kymmenedalens andel 180 000 euro och Södra Karelens andel 120 000 euro.",
     ["budget", "budget", "budget"]),
    ("Omarahoitus: 60 000 €, josta Kotkan kaupungin osuus 20 000 €", ["budget", "budget"]),
    # … unless a funder owns it
    ("Kokonaisbudjetti: 400 000 €, josta ESR+:n osuus 320 000 €", ["budget", "granted"]),
    # lines of a budget: a salary or a rent inside it is the budget's
    ("Kokeilun kustannukset ovat yhteensä 90 000 euroa, josta henkilöstökulut 70 000 euroa ja tilavuokra "
     "20 000 euroa.", ["budget", "budget", "budget"]),
    # a payer with no verb before its sum (an Innokylä card's field, a funding table's row)
    ("Finansiering\nKommunerna 30 000 €, välfärdsområdet 20 000 €", ["budget", "budget"]),
    ("Finansiär | År 2025\nSTEA | 80 000 €\nVörå kommun | 4 000 €", ["granted", "budget"]),
    # what a grant leaves uncovered is the county's own share; what the trial costs in all, its budget
    ("Försöket har fått ett statsunderstöd på 150 000 euro. Totalt kostar försöket cirka 200 000 euro. "
     "Välfärdsområdet står för lönerna som inte täcks av statsunderstödet, 40 000 euro.",
     ["granted", "budget", "budget"]),
    # a payer in a sentence naming a budget share pays a line of it
    ("Kommunernas andel är sammanlagt 12 000 euro: Ingå kommun betalar 8 000 euro och Sjundeå 4 000 euro.",
     ["budget", "budget", "budget"]),
])
def test_whose_share(text: str, roles: list[str]) -> None:
    assert roles_of(text) == roles


@pytest.mark.parametrize(("text", "roles"), [
    # a price or a rent paid stays other money
    ("Företagen betalar en avgift på 500 euro per dag för testningen.", ["other"]),
    ("Projektet hyr en lokal. Staden betalar en hyra på 1 800 euro i månaden för lokalen.", ["other"]),
    # a partner's running upkeep is its own, not the project's
    ("Försöket pågår ett år. Kervo stad står för lokalerna, vilket motsvarar cirka 9 000 euro per år.", ["other"]),
    # a county named in a ministry's list of grants is not a payer
    ("Ministeriö myönsi avustukset seuraavasti:\nPohjois-Savon hyvinvointialue 1 200 000 €\n"
     "Helsingin kaupunki 1 500 000 €", ["granted", "granted"]),
])
def test_not_a_share(text: str, roles: list[str]) -> None:
    assert roles_of(text) == roles


def test_international_whole_and_foreign_rows_are_no_countys() -> None:
    text = ("Välfärdsområdet deltar som partner i Interreg Aurora-projektet Vård över gränsen, som leds av Region "
            "Västerbotten. Projektets totala budget är 1,5 miljoner euro. Österbottens andel av budgeten är "
            "280 000 euro, varav Interreg-stödet utgör 182 000 euro.\n\n"
            "Partner | Budget\nÖsterbottens välfärdsområde | 280 000 €\nRegion Västerbotten | 900 000 €")
    amounts = attach(text, [], "Pohjanmaa")
    assert [(a.text, a.region) for a in amounts] == [
        ("1,5 miljoner euro", None), ("280 000 euro", "Pohjanmaa"), ("182 000 euro", "Pohjanmaa"),
        ("280 000 €", "Pohjanmaa"), ("900 000 €", None)]


def test_international_whole_without_a_stated_share_stays_the_countys() -> None:
    # the county's own part is not told apart: the whole is its project's money
    text = ("Hanke sai Interreg Aurora -ohjelmasta 900 000 euroa. Hankkeen kokonaisbudjetti on 1,4 miljoonaa "
            "euroa, ja loppuosan rahoittavat kumppanit.")
    assert [a.region for a in attach(text, [], "Lappi")] == ["Lappi", "Lappi"]
    # a whole with no project abroad is the county's own
    text = "Projektets totala budget är 600 000 euro. Välfärdsområdets andel är 120 000 euro."
    assert [a.region for a in attach(text, [], "Pohjanmaa")] == ["Pohjanmaa", "Pohjanmaa"]


@pytest.mark.parametrize(("text", "roles"), [
    # a share of an application is applied money
    ("Yhteishankkeelle haetaan yhteensä 900 000 euroa, josta Lapin osuus on 210 000 euroa.", ["applied", "applied"]),
    # a funder restated in euros pays a grant
    ("Hela budgeten är 300 000 euro. EU4Health-programmet står för 80 procent, det vill säga 240 000 euro.",
     ["budget", "granted"]),
    # costs already covered are costs; the present tense plans a budget
    ("Kustannuksista katettiin valtionavustuksella 188 000 euroa.", ["cost"]),
    ("Kokeilun kustannukset, 95 000 euroa, katettiin hyvinvointialueen omasta budjetista.", ["cost"]),
    # an own share said not to exist names no budget
    ("Statsunderstödet, 640 000 euro, täcker hela kostnaden, så välfärdsområdet behöver ingen egen finansiering.",
     ["granted"]),
])
def test_applied_shares_covered_costs_and_negated_own_shares(text: str, roles: list[str]) -> None:
    assert roles_of(text) == roles


@pytest.mark.parametrize(("text", "roles"), [
    # the same grant restated per year is the grant
    ("STEA myönsi hankkeelle kolmivuotisen avustuksen, jonka suuruus on yhteensä 360 000 euroa eli 120 000 euroa "
     "vuodessa.", ["granted", "granted"]),
    ("STEA har beviljat projektet 300 000 euro, det vill säga 100 000 euro per år.", ["granted", "granted"]),
    # a yearly sum on its own keeps its own words
    ("Kaupunki maksaa tiloista vuokraa 12 000 euroa vuodessa.", ["other"]),
])
def test_restated_sum_is_the_first(text: str, roles: list[str]) -> None:
    assert roles_of(text) == roles
