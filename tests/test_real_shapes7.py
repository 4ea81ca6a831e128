"""Failure shapes seen on real, unseen pages in session 7 (real7), each on our own invented text.

Real pages were only read in /tmp; every name, number and sentence here is written for the test.
"""

from __future__ import annotations

import pytest

from hakemisto.core.regions import page_region
from hakemisto.crawl.titles import is_furniture
from hakemisto.documents.loaders import clean_lines, make_title
from hakemisto.facts.money import find_amounts
from tests.test_real_shapes import _facts


def _title(text: str) -> str:
    return make_title(clean_lines(text))


# --- titles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["Gå över till huvudinnehållet", "Siirry suoraan sivun sisältöön",
                                  "Hyppää suoraan pääsisältöön", "Gå direkt till innehållet"])
def test_skip_link_wordings_are_never_a_title(line: str) -> None:
    assert is_furniture(line)
    assert _title(f"{line}\nOmaishoidon tuki Pohjois-Savossa\nHankkeessa kehitetään omaishoitajien "
                  "vapaapäivien järjestämistä koko maakunnassa vuosina 2024–2026 yhdessä kuntien kanssa.") \
        == "Omaishoidon tuki Pohjois-Savossa"


def test_a_site_name_with_its_section_is_the_header_not_the_headline() -> None:
    assert is_furniture("Sosiaali- ja terveysministeriö Media")
    assert is_furniture("Valtioneuvosto ja ministeriöt Ajankohtaista")
    assert _title("Sosiaali- ja terveysministeriö Media\nKotihoidon kehittämiseen jaettiin avustuksia\n"
                  "Ministeriö jakoi avustuksia kotihoidon kehittämiseen yhteensä kahdeksalle alueelle tänä "
                  "keväänä, ja hankkeet alkavat syksyllä.") == "Kotihoidon kehittämiseen jaettiin avustuksia"


def test_a_subject_tag_line_is_no_title_but_a_listing_headline_is() -> None:
    assert is_furniture("Avustukset, valtionavustus, Kotihoito, Sosiaali- ja terveysministeriö")
    assert not is_furniture("Lapset, nuoret, perheet ja ikäihmiset keskiössä")
    text = ("Avustukset, valtionavustus, Kotihoito, Sosiaali- ja terveysministeriö\nKAU 2023-004411\n"
            "Asialla on uudempia käsittelyjä\n§ 7\nKotihoidon osallistuminen yhteiseen avustushakuun\n"
            "Palvelujohtaja päätti, että kotihoito osallistuu yhteiseen hakuun, ja aiesopimus jätetään "
            "kuun loppuun mennessä ministeriölle.")
    assert _title(text) == "Kotihoidon osallistuminen yhteiseen avustushakuun"


def test_a_picture_alt_text_above_the_headline_gives_way() -> None:
    text = ("Hyppää pääsisältöön\nKolme hoitajaa seisoo sairaalan käytävällä.\nLapin ikäihmisten kotiapu\n"
            "Hankkeemme tavoitteena on, että lappilaiset ikäihmiset saavat kotiin apua nopeasti, helposti ja "
            "yhdenvertaisesti koko maakunnassa.")
    assert _title(text) == "Lapin ikäihmisten kotiapu"


def test_a_headline_that_ends_a_sentence_is_kept_when_no_short_heading_follows() -> None:
    text = ("Ministeriö myönsi avustuksen hankkeelle.\nHankkeen tavoitteena on, että asiakkaat saavat "
            "palvelut nopeasti, helposti ja yhdenvertaisesti koko maakunnassa vuosina 2024–2025.")
    assert _title(text) == "Ministeriö myönsi avustuksen hankkeelle."


def test_a_list_of_decisions_keeps_its_own_headline() -> None:
    text = ("Siirry sisältöön\nAluehallituksen päätöksiä 14.3.24\nAluehallitus\nAika 14.3.2024, klo 15:00\n"
            "§ 21 Kokouksen laillisuus ja päätösvaltaisuus\nPäätösehdotus: Todetaan kokous lailliseksi.\n"
            "§ 22 Talousarvion toteutuminen\nPäätösehdotus: Merkitään tiedoksi.")
    assert _title(text) == "Aluehallituksen päätöksiä 14.3.24"
    one = "Aluehallitus, kokous 14.3.2024\nPöytäkirja on tarkastettu\n§ 22 Talousarvion toteutuminen\nPerustelut"
    assert _title(one) == "Talousarvion toteutuminen"


def test_a_roman_numeral_does_not_make_a_project_name_a_menu() -> None:
    assert not is_furniture("Hyvä arki Lappi II")
    assert is_furniture("Uutishuone Tiedotteet Kuvat Tapahtumat")


# --- regions --------------------------------------------------------------------------------------

def test_a_county_release_on_a_press_service_belongs_to_the_county() -> None:
    url = "https://www.sttinfo.fi/tiedote/12345/aluehallituksen-paatoksia"
    found = page_region(
        "Aluehallituksen päätöksiä: uusi terveysasema ja vanhusneuvosto",
        ("Aluehallituksen päätöksiä: uusi terveysasema ja vanhusneuvosto",
         "3.4.2026 10:12:00 EEST | Keski-Uudenmaan hyvinvointialue (Keusote) | Tiedote",
         "Aluehallitus päätti rakentaa uuden terveysaseman ja nimesi vanhusneuvoston jäsenet."),
        url=url)
    assert found.region == "Keski-Uusimaa"
    dated = page_region("Aluevaltuusto päätti investoinneista",
                        ("date 2026-02-11 Vantaan ja Keravan hyvinvointialue", "Aluevaltuusto päätti investoinneista",
                         "Aluevaltuusto hyväksyi investointisuunnitelman vuosille 2026–2029."), url=url)
    assert dated.region == "Vantaa-Kerava"
    ministry = page_region("Avustukset jaettu",
                           ("Avustukset jaettu", "3.4.2026 10:12:00 EEST | Sosiaali- ja terveysministeriö | Tiedote",
                            "Kainuun hyvinvointialue sai 2 miljoonaa euroa."), url=url)
    assert ministry.region is None
    on_ministry_site = page_region("Avustukset jaettu", ("Avustukset jaettu", "Kainuun hyvinvointialue sai 2 miljoonaa euroa."),
                                   url="https://stm.fi/-/avustukset-jaettu")
    assert on_ministry_site.region is None


def test_a_dateline_and_an_institutions_seat_are_not_the_county() -> None:
    statement = page_region("LAUSUNTO Oulu 12.4.2024 Sosiaali- ja terveysvaliokunta",
                            ("LAUSUNTO Oulu 12.4.2024 Sosiaali- ja terveysvaliokunta",
                             "Järjestö kiittää mahdollisuudesta lausua valiokunnalle sote-rahoituksesta."))
    assert statement.region is None and statement.regions == ()
    seat = page_region("Stiftelsen delar ut bidrag",
                       ("Stiftelsen delar ut bidrag", "Stiftelsen finansierar Åbo universitets utredning om "
                        "äldreomsorgens framtid. Utredningen har beviljats 40 000 euro."))
    assert seat.region is None
    event = page_region("Avustukset jaettu", ("Avustukset jaettu", "Päätökset avustuksista julkistettiin "
                                              "Helsingissä 3. kesäkuuta. Avustuksia jaettiin 40 hankkeelle."))
    assert "Helsinki" not in event.regions
    old = page_region("Hakemus", ("HAKEMUS [X] OULUN LÄÄNINHALLITUS [ ] LAPIN LÄÄNINHALLITUS Hakija Kajaanin "
                                  "kaupunki, hanke Kainuussa",))
    assert "Lappi" not in old.regions


# --- money ----------------------------------------------------------------------------------------

def test_a_decimal_point_before_a_scale_word() -> None:
    assert [a.eur for a in find_amounts("Ministeriö myönsi 2.418 miljoonaa euroa hankkeelle.")] == [2_418_000.0]
    assert [a.eur for a in find_amounts("Summa on 2.418 euroa.")] == [2418.0]
    assert [a.eur for a in find_amounts("Yhteensä 2.418.000 euroa.")] == [2_418_000.0]


# --- projects -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_verbal_noun_before_an_illative_project_word_is_not_part_of_the_name() -> None:
    facts = _facts("§ 12 Sitoutuminen Arjen apu Kainuussa -hankkeeseen",
                   "Kunnanhallitus päättää sitoutua hankkeeseen vuosiksi 2024–2025.")
    assert "Arjen apu Kainuussa" in facts.projects
    assert not any(p.startswith("Sitoutuminen") for p in facts.projects), facts.projects


@pytest.mark.slow
def test_a_swedish_hedge_ends_the_name() -> None:
    facts = _facts("Projektet beviljades statsunderstöd",
                   "Ministeriet har beviljat projektet Trygg vård Kajanaland cirka 3,2 miljoner euro för åren "
                   "2024–2026.", lang="sv")
    assert "Trygg vård Kajanaland" in facts.projects, facts.projects
    assert not any("cirka" in p for p in facts.projects)


@pytest.mark.slow
def test_national_programme_umbrellas_and_plurals_are_no_project_names() -> None:
    facts = _facts("KASTE-ohjelmassa rahoitettavat alueelliset hankkeet",
                   "Rahoitusta saaneet hankkeet",
                   "Pohjois-Savo: Pohjois-Savon KASTE",
                   "Pohjois-Savon KASTE-hankkeen tavoitteena on vahvistaa peruspalveluja.")
    assert not any(p.lower() in ("kaste", "kaste-ohjelma") for p in facts.projects), facts.projects
    assert not any("hankkeet" in p.lower() for p in facts.projects), facts.projects


def test_a_minutes_portal_header_longer_than_fifteen_lines_and_its_organ_labels() -> None:
    text = ("Dynasty tietopalvelu Haku RSS Lahden kaupunki\nRSS-linkki\nKokousasiat:\n"
            "http://example.fi/cgi/DREQUEST.PHP?page=rss/meetingitems\nKokoukset:\n"
            "http://example.fi/cgi/DREQUEST.PHP?page=rss/meetings\nKaupunginhallitus\n"
            "Pöytäkirja 02.05.2016/Pykälä 77\nEdellinen asia | Seuraava asia Kokousasia PDF-muodossa\n"
            "Liikunnan ja kulttuurin lautakunta\n12 §\n3.3.2016\nLiikunnan ja kulttuurin lautakunta\n18 §\n"
            "7.4.2016\n§ 77\nAsianro 1234/12.00.00/2016\nLahden uimahallien korjaussuunnitelma\n"
            "Lähtökohdat Lahden uimahallien käyttöaste on korkea ja korjausvelka kasvaa, joten suunnitelma "
            "laaditaan vuosille 2017–2020.")
    assert is_furniture("Liikunnan ja kulttuurin lautakunta")
    assert _title(text) == "Lahden uimahallien korjaussuunnitelma"


def test_a_two_word_heading_over_the_first_paragraph_is_the_title() -> None:
    text = ("Oulun kaupunki | § | Kokouspvm | Asia | 1 |\nKaupunginhallitus | 311 | 04.06.2012 | 5 Kj |\n"
            "4411-2012 (041)\nHyvinvointikertomuksen hyväksyminen\nTiivistelmä:\nKaupunginvaltuusto päätti "
            "12.12.2011 § 190, että lautakuntien edellytetään raportoivan hyvinvointikertomuksen vaikutuksista. "
            "Hyvinvointiyksikkö on laatinut raportin.")
    assert _title(text) == "Hyvinvointikertomuksen hyväksyminen"


@pytest.mark.slow
def test_a_preparers_signature_line_of_city_minutes_is_a_contact() -> None:
    facts = _facts("Hyvinvointikertomuksen hyväksyminen",
                   "Kh § 311",
                   "Hyvinvointiyksikkö, hyvinvointikoordinaattori Aino Kettunen 28.5.2012:",
                   "Valtuutettu Pekka Rautio on jättänyt aloitteen hyvinvointikertomuksesta. Asia on "
                   "valmisteltu yhdessä lautakuntien kanssa.")
    names = {c.name: c.title for c in facts.contacts}
    assert names.get("Aino Kettunen") == "hyvinvointikoordinaattori", facts.contacts
    assert "Pekka Rautio" not in names and "Pekka Rautio" in facts.persons


@pytest.mark.slow
def test_a_finnish_project_name_glued_to_projekti() -> None:
    facts = _facts("Paikkahallinnan kehittäminen",
                   "Hoitopaikkojen hallinta on hajanaista. KOTVA-projekti vastaa tähän tarpeeseen kehittämällä "
                   "digitaalisen ratkaisun. ICT-projekti hankitaan erikseen.")
    assert "KOTVA" in facts.projects, facts.projects
    assert "ICT" not in facts.projects


# --- second round: shapes of the first fresh-excerpt checks ---------------------------------------

def test_a_publisher_line_with_the_countys_short_name_after_it() -> None:
    found = page_region("Lautakunta myönsi avustuksia",
                        ("Lautakunta myönsi avustuksia",
                         "2.3.2026 09:00:00 EET | Etelä-Savon hyvinvointialue Eloisa | Tiedote",
                         "Lautakunta myönsi avustuksia 30 järjestölle."),
                        url="https://www.sttinfo.fi/tiedote/999/lautakunta")
    assert found.region == "Etelä-Savo"


def test_an_organs_name_with_a_colon_opens_a_release_headline() -> None:
    assert not is_furniture("Aluehallitus: strategialuonnoksesta voi antaa palautetta ensi viikolla")
    assert is_furniture("Aluehallitus")
    assert is_furniture("Aika: tiistai 4.3.2025 klo 14.00–16.00")


def test_a_regional_councils_page_is_its_regions() -> None:
    found = page_region("Yhteistyöryhmä puolsi hankkeita",
                        ("Yhteistyöryhmä puolsi hankkeita",
                         "Turun yliopisto ja Helsingin Diakonissalaitos: Osallisuutta arkeen (ESR+). Haettu tukisumma "
                         "on 210 000 euroa. Tampereen yliopisto: Digiapu kotiin. Haettu tukisumma on 180 000 euroa. "
                         "Kotiapu ry: Arjen tuki. Haettu tukisumma on 90 000 euroa."),
                        url="https://www.varsinais-suomi.fi/tiedotteet/puolto")
    assert found.region == "Varsinais-Suomi"
    assert page_region("Otsikko", ("Otsikko", "Teksti ilman paikkoja."), url="https://www.example.fi/x").region is None


def test_a_cookie_banner_and_a_menu_label_are_no_title() -> None:
    assert is_furniture("Salli evästeet, jotta näet upotetut videot")
    assert is_furniture("Tillåt kakor för att se videon")
    text = ("Navigointivalikko\nNavigointivalikko\nKumppanuusavustukset\nNavigointivalikko\nKumppanuusavustukset\n"
            "Hyvinvointialue tukee järjestöjen toimintaa avustuksilla koko maakunnassa.\nAvustuksia voi hakea kerran vuodessa "
            "hyvinvointialueen sähköisessä asiointipalvelussa.")
    assert _title(text) == "Kumppanuusavustukset"


@pytest.mark.slow
def test_organisations_before_a_colon_and_form_labels_are_no_project() -> None:
    facts = _facts("Yhteistyöryhmä puolsi hankkeita",
                   "- Savonia-ammattikorkeakoulu Oy ja Itä-Suomen yliopisto: Hoivan polut (ESR+). Haettu tukisumma on "
                   "412 000 euroa.",
                   "Hankkeen kirjanpitotaho Hankkeen kirjanpitäjä Kaisa Lumme 040 111 2233")
    assert not any("Oy" in p or "yliopisto" in p.lower() for p in facts.projects), facts.projects
    assert not any(p.startswith("Hankkeen") for p in facts.projects), facts.projects


def test_register_names_in_capitals_surname_first() -> None:
    from hakemisto.facts.contacts import labelled_contacts

    text = ("Hankkeen yhteyshenkilön nimi: KORHONEN AINO MARJATTA\n\nYhteyshenkilön asema hakijaorganisaatiossa: "
            "projektipäällikkö\n\nYhteyshenkilön sähköpostisoite: aino.korhonen(at)example.fi\n\n"
            "Yhteyshenkilön puhelinnumero: 0401234567\n")
    [contact] = labelled_contacts(text)
    assert (contact.name, contact.title, contact.email, contact.phone) == (
        "Aino Korhonen", "projektipäällikkö", "aino.korhonen@example.fi", "+358401234567")


@pytest.mark.slow
def test_form_labels_and_a_cut_place_phrase_are_no_project() -> None:
    from hakemisto.facts.entities import _project_name_ok

    assert not _project_name_ok("LÄÄNINHALLITUS Hakija")
    assert not _project_name_ok("Vastuuhenkilön yhteystiedot Yhteyshenkilön yhteystiedot")
    assert not _project_name_ok("EU-maakunnissa")
    assert _project_name_ok("Digi-Kainuu") and _project_name_ok("Arjen tuki Kainuussa")
