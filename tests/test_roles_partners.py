"""Amount roles and regions, round 20: partners' shares, own funds, restated sums, lead-ins, ceilings
one may apply for, application totals, named programmes, and whose county a listed or joint sum is.

Every sentence is our own, written in the shapes seen on county pages, minutes and ministry releases.
"""

from __future__ import annotations

import pytest

from hakemisto.facts.roles import find_cues, resolve_partner
from tests.test_roles import _attach as attach
from tests.test_roles import roles_of


@pytest.mark.parametrize(("text", "roles"), [
    # a partner's own money inside a project's paragraph is a line of its budget …
    ("Hankkeen kokonaisbudjetti on 400 000 euroa. Tammelan kunta osallistuu 25 000 eurolla.",
     ["budget", "budget"]),
    ("Projektets budget är 500 000 euro. Ekenäs stad deltar med 40 000 euro.", ["budget", "budget"]),
    ("Ett ESF+-projekt för unga. Lovisa stad står för 28 000 euro.", ["budget"]),
    # … and other money when it pays for a service, not a project
    ("Kommunen står för lokalerna och städningen, sammanlagt cirka 15 000 euro.", ["other"]),
    # the payer's verb governs what it pays for, not the nearest noun
    ("Projektet startar i maj. Staden står för lokalerna och för en handledares lön, totalt cirka 44 000 euro.",
     ["budget"]),
    # the county's or a town's own funds, whatever verb pays them
    ("Valtionavustuksen lisäksi hyvinvointialue rahoittaa hanketta omasta talousarviostaan 90 000 eurolla.",
     ["budget"]),
    ("Hankkeen loppuosa, 70 000 euroa, rahoitetaan kaupungin talousarviosta.", ["budget"]),
    ("Kokonaisbudjetti: 200 000 €, josta kuntien rahoitus 100 000 € ja hyvinvointialueen osuus 100 000 €",
     ["budget", "budget", "budget"]),
    ("Hangö stad och välfärdsområdet finansierar verksamheten med 20 000 euro vardera.", ["budget"]),
    ("Utöver understödet deltar Jakobstad stad i finansieringen med 30 000 euro.", ["budget"]),
    ("Närpes stad deltar i kostnaderna för kvällsturen med 12 000 euro.", ["budget"]),
    ("Resten, 65 000 euro, finansieras av välfärdsområdet.", ["budget"]),
    ("Kyrkslätt kommun har lovat att delta i kostnaderna med 15 000 euro.", ["budget"]),
    ("Sitran tuen lisäksi kaupunki käyttää kokeiluun omaa henkilöstöään noin 8 000 euron arvosta.", ["budget"]),
    # a year's part of a project's grant is no pot
    ("Vuodelle 2024 avustuksesta on käytettävissä noin 700 000 euroa.", ["granted"]),
    # a field label before a part word is the whole's, not the part's lead-in
    ("Kokonaisbudjetti: 500 000 €, josta ESR+ ja valtion osuus 400 000 € ja omarahoitus 100 000 €",
     ["budget", "granted", "budget"]),
    # a grant named as the subject of a partner verb stays a grant
    ("Kommunens andel av budgeten är 200 000 euro, varav Interreg-finansieringen står för 150 000 euro.",
     ["budget", "granted"]),
    # a partner's share whose noun is left out is what the share before it is
    ("Kainuun osuus budjetista on 600 000 euroa ja Lapin osuus 400 000 euroa.", ["budget", "budget"]),
    # a sum restating a share in euros is what the clause before it says
    ("ESF+ och staten finansierar 75 procent, det vill säga 900 000 euro; kommunerna står för resten.",
     ["granted"]),
    ("Valtio rahoittaa 80 prosenttia, eli 320 000 euroa.", ["granted"]),
    # a granting verb in the perfect; the application a grant was refused for
    ("Ministeriö on rahoittanut hanketta 210 000 eurolla.", ["granted"]),
    ("Ministeriö ei myöntänyt kunnan hakemaa 500 000 euron avustusta.", ["applied"]),
    # an application total is no pot; a ceiling each may apply for is
    ("Haettujen avustusten kokonaismäärä oli 9 miljoonaa euroa.", ["applied"]),
    ("Kukin hakija saattoi hakea enintään 1,2 miljoonaa euroa.", ["pool"]),
    ("Varje område kunde söka högst 800 000 euro.", ["pool"]),
    ("Momentille myönnetään 3 000 000 euroa.", ["pool"]),
    ("Under momentet beviljas 4 000 000 euro.", ["pool"]),
    # a named programme or the programme a project belongs to is no pot
    ("Ministeriet har beviljat projektet 900 000 euro inom programmet för hemmaboende.", ["granted"]),
    ("Stadens andel är 300 000 euro, varav EU4Health-programmet finansierar 240 000 euro.", ["budget", "granted"]),
    # a strong cue of a lead-in ending in a colon beats a weak word of the sum's own clause
    ("Ministeriö myönsi hankkeelle avustusta kahdesti: 2021 400 000 euroa ja täydentävässä haussa 300 000 euroa.",
     ["granted", "granted"]),
    # prices per day or per time, fees and allowances, a county's general coefficient money
    ("Päivärahaa maksetaan vähintään 35,50 euroa päivässä.", ["other"]),
    ("Avgiften är 7 euro per gång.", ["other"]),
    ("Vapaaehtoisille maksetaan kulukorvausta 25 euroa kuukaudessa.", ["other"]),
    ("Hyvinvointialue sai hyte-kertoimen perusteella valtion rahoitusta 2,3 miljoonaa euroa.", ["other"]),
])
def test_round20_role_shapes(text: str, roles: list[str]) -> None:
    assert roles_of(text) == roles


def test_list_under_a_long_lead_in_takes_its_role() -> None:
    text = ("Ministeriö on rahoittanut alueiden hankkeita yhteensä 1,5 miljoonalla eurolla vuosille 2025–2026:\n\n"
            "Kainuun hyvinvointialue, Arki kotona: 700 000 euroa\n\n"
            "Lapin hyvinvointialue, Etäkuntoutus Lapissa: 800 000 euroa")
    assert roles_of(text) == ["granted", "granted", "granted"]


def test_lead_in_with_a_sum_of_its_own_labels_the_list() -> None:
    text = ("Toteutuneet kustannukset olivat yhteensä 900 000 euroa:\n\n"
            "henkilöstökulut 600 000 euroa\n\npalvelujen ostot 300 000 euroa")
    assert roles_of(text) == ["cost", "cost", "cost"]


def test_long_list_items_above_do_not_hide_the_lead_in() -> None:
    text = ("Budgeten fördelas mellan partnerna så här:\n\n"
            "Södra Karelens välfärdsområde 900 000 euro, varav Interreg-stöd 675 000 euro och egen finansiering 225 000 euro\n\n"
            "Region Kalmar 500 000 euro")
    assert roles_of(text) == ["budget", "granted", "budget", "budget"]


def test_neutral_phrases_cover_a_cue_word_and_vanish() -> None:
    assert [c.role for c in find_cues("beviljat 2 M€ inom programmet")] == ["granted"]


def test_partner_money_needs_a_project_in_its_paragraph() -> None:
    text = "Hankepäällikkö kertoo uutisia.\n\nKaupunki vastaa kustannuksista, 5 000 euroa.\n\nHanke jatkuu."
    assert resolve_partner(text, text.index("5 000")) == "other"  # a title and another paragraph are not it
    text = "Kaupunki vastaa hankkeen tiloista, 5 000 euroa."
    assert resolve_partner(text, text.index("5 000")) == "budget"


def test_partner_list_line_without_a_county_is_nobodys() -> None:
    text = ("Projektets budget fördelas mellan partnerna så här:\n\n"
            "Österbottens välfärdsområde 900 000 euro\n\n"
            "Mellersta Österbottens välfärdsområde 400 000 euro\n\n"
            "Region Jämtland 500 000 euro")
    amounts = attach(text, [], "Pohjanmaa")
    assert [a.region for a in amounts] == ["Pohjanmaa", "Keski-Pohjanmaa", None]


def test_jointly_acting_counties_give_the_lead_county() -> None:
    text = "Pirkanmaa ja Kanta-Häme aloittavat yhteisen hankkeen – ministeriöltä 1,2 miljoonaa euroa"
    assert [a.region for a in attach(text, [], "Pirkanmaa")] == ["Pirkanmaa"]


def test_county_heading_above_a_paragraph_on_a_national_page() -> None:
    text = ("Tällä sivulla esitellään kaksi hanketta.\n\nKainuu\n\n"
            "Hankkeelle haettiin valtionavustusta 300 000 euroa.\n\nLappi\n\n"
            "Hankkeen valtionavustus on 500 000 euroa.")
    amounts = attach(text, [], None, national=True)
    assert [(a.role, a.region) for a in amounts] == [("applied", "Kainuu"), ("granted", "Lappi")]
