"""Which county a page belongs to, on real-shaped snippets (issue 12)."""

from __future__ import annotations

import pytest

from hakemisto.core.regions import find_mentions, municipality_region, page_region


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


def test_lead_marker_decides_a_joint_project() -> None:
    paras = ("Hanke · Käynnissä",
             "Pohde hallinnoi hanketta, jossa Kainuun ja Lapin hyvinvointialueet ovat osatoteuttajina ja "
             "joka kokoaa vaativan hoidon osaamisen yhteen.",
             "Toteuttajat: Pohjois-Pohjanmaan hyvinvointialue (hallinnoija), Kainuun hyvinvointialue, Lapin hyvinvointialue")
    assert page_region("Pohjoisen osaamiskeskus", paras).region == "Pohjois-Pohjanmaa"


def test_two_leads_or_a_joint_list_without_lead_is_national() -> None:
    paras = ("Övervakningskommittén beviljade totalt 31 miljoner euro till 24 nya gränsöverskridande projekt i regionen.",
             "Projektet Arktisk akutvård, som leds av Lapplands välfärdsområde, beviljades 1,2 miljoner euro.",
             "Projektet Hälsa över Kvarken, som leds av Österbottens välfärdsområde, beviljades 780 000 euro.")
    assert page_region("Nya projekt beviljade", paras).region is None
    joint = ("Stiftelsen får stöd för tre projekt i Österbotten under åren 2024–2026 enligt beslutet som kom i dag.",
             "Projektet genomförs i samarbete med Österbottens, Mellersta Österbottens och Södra Österbottens "
             "välfärdsområden.")
    found = page_region("Stiftelsen får stöd för tre projekt i Österbotten", joint)
    assert found.region is None and set(found.regions) == {"Pohjanmaa", "Keski-Pohjanmaa", "Etelä-Pohjanmaa"}


def test_helsinki_in_the_national_phrase_is_not_helsinkis_page() -> None:
    paras = ("Avustuksella tuetaan hyvinvointialueita ja Helsingin kaupunkia kehittämään kotihoitoa koko maassa "
             "vuosina 2024–2025.",
             "Hakijana voi olla hyvinvointialue, Helsingin kaupunki tai niiden yhteenliittymä.")
    found = page_region("Valtionavustus kotihoidon kehittämiseen", paras)
    assert found.region is None and found.regions == ()


def test_swedish_project_placed_in_a_county() -> None:
    paras = ("Publicerad 6.2.2023",
             "Liksom i Satakunta och Birkaland prövas nu distansomsorg för äldre även i Egentliga Finland. "
             "Projektet Teknik i hemmet i Egentliga Finland vid Egentliga Finlands välfärdsområde har beviljats stöd.")
    assert page_region("Distansomsorg ger trygghet", paras).region == "Varsinais-Suomi"


def test_regions_list_only_counties_described() -> None:
    paras = ("Satakunnan ja Pirkanmaan tavoin myös Varsinais-Suomessa kokeillaan etähoivaa kotona asuville.",
             "Varsinais-Suomen hyvinvointialueen Teknologiaa kotiin -hanke on saanut 1 498 000 euroa.",
             "Hanke tekee yhteistyötä myös Keski-Suomen hyvinvointialueen vastaavan hankkeen kanssa.",
             "Lue myös:", "Kainuussa Arjen tuki -hanke sai 900 000 euroa")
    found = page_region("Etähoiva tuo turvaa", paras)
    assert found.region == "Varsinais-Suomi" and found.regions == ("Varsinais-Suomi",)
    joint = ("Kanta-Hämeen, Päijät-Hämeen ja Pirkanmaan hyvinvointialueet käynnistävät yhteisen Hämeen "
             "kotihoidon robotiikka -hankkeen, jossa kokeillaan lääkerobotteja.",)
    found = page_region("Kolme hyvinvointialuetta kokeilee lääkerobotteja", joint)
    assert found.region is None and set(found.regions) == {"Kanta-Häme", "Päijät-Häme", "Pirkanmaa"}


def test_site_address_and_state_agencies() -> None:
    paras = ("strukturfonder.fi", "EU-finansiering Program Projekt",
             "NMT-centralen i Södra Savolax och NMT-centralen i Norra Österbotten öppnar en ansökningsomgång "
             "för projekt som stöder arbetsförmågan i regionen under 2024.",
             "I den föregående omgången beviljades Norra Savolax välfärdsområdes projekt Työkyky 512 000 euro.")
    found = page_region("Ansökan: Arbetsförmåga och delaktighet", paras)
    assert found.region is None and found.regions == ("Pohjois-Savo",)
    assert page_region("Uutinen", ("soite.fi", "Uusi palvelu avautuu pian Kokkolassa kaikille asukkaille.")).region \
        == "Keski-Pohjanmaa"


def test_national_page_with_county_examples() -> None:
    paras = ("Terapiat etulinjaan -toimintamalli on käytössä kaikilla hyvinvointialueilla, ja tällä sivulla "
             "esitellään kaksi esimerkkiä alueilta.",
             "Mielenterveyspolku Pohjois-Savo -hankkeessa lyhytterapioita on annettu 1 900 asiakkaalle.",
             "Kainuun nuorten mielenterveyspolku -hanke käynnistyi vuoden 2025 alussa.")
    found = page_region("Terapiat etulinjaan – alueiden tilanne", paras)
    assert found.region is None and set(found.regions) == {"Pohjois-Savo", "Kainuu"}


def test_publisher_named_in_the_site_header_or_footer() -> None:
    from hakemisto.crawl.extract import html_to_document

    html = ("<html lang='sv'><head><title>Ny hälsokiosk i Holm | Larsmo kommun</title></head><body>"
            "<header><p class='logo'>Larsmo kommun – Luodon kunta</p></header><main><h1>Ny hälsokiosk i Holm</h1>"
            "<p>I mars öppnar en hälsokiosk i byn, i samma byggnad som biblioteket, två dagar i veckan.</p></main>"
            "</body></html>")
    assert html_to_document(html.encode(), doc_id="x").region == "Pohjanmaa"
    header = ("<html><body><div id='header'><span class='org'>Österbottens välfärdsområde - Pohjanmaan "
              "hyvinvointialue</span></div><div id='content'><h1>Styrelsen</h1><p>Slutrapport för projektet "
              "Mobila tjänster i skärgården antecknas för kännedom av styrelsen.</p></div></body></html>")
    assert html_to_document(header.encode(), doc_id="y").region == "Pohjanmaa"


def test_site_header_line_of_a_dump() -> None:
    paras = ("Hoppa till innehåll", "Lovisa stad", "Äldre i Lovisa får hemvård via bildtelefon",
             "Modellen kommer från Esbo, där den har prövats sedan 2022 med goda resultat för äldre.")
    assert page_region("Äldre får hemvård via bildtelefon", paras).region == "Itä-Uusimaa"


def test_footer_address_is_evidence_but_not_helsinki() -> None:
    paras = ("Ny hälsokiosk i byn", "I mars öppnar en hälsokiosk i samma byggnad som biblioteket, två dagar i veckan.",
             "Holmvägen 2, 68570 Larsmo · Växel 06 785 5111")
    assert page_region("Ny hälsokiosk", paras).region == "Pohjanmaa"
    ministry = ("Uusi avustushaku avautuu hyvinvointialueille ensi viikolla koko maassa.",
                "Meritullinkatu 8, 00170 Helsinki")
    assert page_region("Avustushaku", ministry).region is None
