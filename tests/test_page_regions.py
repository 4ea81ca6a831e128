"""Which county a page belongs to, on real-shaped snippets (issue 12)."""

from __future__ import annotations

import pytest

from hakemisto.regions import find_mentions, municipality_region, page_region


@pytest.mark.parametrize(("text", "expected"), [
    ("Siun soten ja Kymsoten sekä Essotessa toteutettu", ["Pohjois-Karjala", "Kymenlaakso", "Etelä-Savo"]),
    ("PHHYKY:n ja Soiten hankkeet", ["Päijät-Häme", "Keski-Pohjanmaa"]),
    ("i östra Nylands och mellersta Nylands kommuner", ["Itä-Uusimaa", "Keski-Uusimaa"]),
    ("Östnyland och Västnyland samarbetar", ["Itä-Uusimaa", "Länsi-Uusimaa"]),
    ("Egentliga Finlands välfärdsområdes projekt", ["Varsinais-Suomi"]),
    ("Vantaan ja Keravan hyvinvointialueella", ["Vantaa-Kerava"]),
])
def test_inflected_predecessor_and_swedish_forms(text: str, expected: list[str]) -> None:
    assert [m.region for m in find_mentions(text)] == expected


def test_municipalities_and_false_friends() -> None:
    assert municipality_region("Vaasassa") == "Pohjanmaa"
    assert municipality_region("Jakobstads") == "Pohjanmaa"
    assert municipality_region("Kokkolan") == "Keski-Pohjanmaa"
    assert municipality_region("Kuhmoisissa") == "Pirkanmaa"
    # a hundred people, a surname after a first name, 'Suomen' are not counties
    assert find_mentions("Sata henkilöä osallistui. Puhui Maija Lahti. Suomen hallitus.") == []


def test_first_county_named_is_not_the_owner() -> None:
    paras = ("Rahoitusta saivat Pohjois-Savon ja Keski-Suomen lisäksi Kainuun 'Arjen tuki' -hanke.",
             "Arjen tuki -hanke kehittää kotihoitoa Kajaanissa ja Sotkamossa.")
    assert page_region("Arjen tuki sai rahoitusta", paras).region == "Kainuu"


def test_partner_list_does_not_own_the_page() -> None:
    paras = ("Etelä-Savon hyvinvointialueen Digiarki-hanke käynnistyi Mikkelissä.",
             "Hankkeen kumppaneina ovat Pohjois-Savon, Pohjois-Karjalan ja Keski-Suomen hyvinvointialueet.")
    found = page_region("Digiarki-hanke käynnistyi", paras)
    assert found.region == "Etelä-Savo"
    assert set(found.regions) == {"Etelä-Savo", "Pohjois-Savo", "Pohjois-Karjala", "Keski-Suomi"}


def test_national_release_has_no_owner_but_lists_counties() -> None:
    paras = ("Sosiaali- ja terveysministeriö on myöntänyt valtionavustusta viidelle hyvinvointialueelle.",
             "Rahoitusta saavat Lapin, Kainuun, Pohjois-Savon, Satakunnan ja Kanta-Hämeen hyvinvointialueet.")
    found = page_region("Valtionavustuksia hyvinvointialueille", paras)
    assert found.region is None
    assert set(found.regions) == {"Lappi", "Kainuu", "Pohjois-Savo", "Satakunta", "Kanta-Häme"}


def test_publisher_domain_decides() -> None:
    paras = ("Hankkeessa tehdään yhteistyötä Pirkanmaan kanssa.",)
    assert page_region("Uusi hanke", paras, url="https://www.soite.fi/uutiset/x").region == "Keski-Pohjanmaa"
    national = page_region("Uusi hanke", ("Kainuun hanke sai rahoitusta.",), url="https://stm.fi/-/x")
    assert national.region is None and national.regions == ("Kainuu",)
