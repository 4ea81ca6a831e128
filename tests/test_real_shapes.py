"""Failure shapes seen on real, unseen pages (real20), each on our own invented text.

Real pages were only read in /tmp; every name, number and sentence here is written for the test.
"""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document
from hakemisto.core.regions import page_region
from hakemisto.crawl.titles import is_furniture
from hakemisto.documents.loaders import text_to_document
from hakemisto.facts import contacts as contacts_mod


def _facts(*paragraphs: str, lang: str = "fi", url: str | None = None):
    from hakemisto.facts.entities import annotate

    doc = Document(id="x", title=paragraphs[0], paragraphs=paragraphs, lang=lang, url=url)
    return annotate([doc])[0].facts


# --- people ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_genitive_surnames_voikko_does_not_know_before_a_postposition() -> None:
    facts = _facts(
        "Uuden hyvinvointialueen valmistelu jakautuu neljään osahankkeeseen.",
        "Helmi Lindbackan (Lapin keskussairaala) vastuulla on osahanke 1, talous. "
        "Oona Raitakankaan (Rovaniemen kaupunki) sekä Veera Tohkan (Kemin kaupunki) yhteisvastuulla on "
        "osahanke 2, palvelut.",
        "Lisäksi Eemil Nyqvistin mukaan työ alkaa syksyllä.",
    )
    for name in ("Helmi Lindbacka", "Oona Raitakangas", "Veera Tohka", "Eemil Nyqvist"):
        assert name in facts.persons, facts.persons
    assert not any(p.endswith(("backan", "kankaan", "Tohkan", "stin")) for p in facts.persons)


@pytest.mark.slow
def test_first_name_with_a_possessive_reading_keeps_its_own_form() -> None:
    facts = _facts("Valmistelija\n\nJuhani Aaltokari, TALOUSJOHTAJA, juhani.aaltokari@example.fi")
    assert list(facts.persons) == ["Juhani Aaltokari"]


@pytest.mark.slow
def test_swedish_genitive_s_after_a_name() -> None:
    facts = _facts("Statsminister Pekka Rinnes regering presenterade programmet i dag.", lang="sv")
    assert "Pekka Rinne" in facts.persons and "Pekka Rinnes" not in facts.persons


@pytest.mark.slow
def test_surname_first_lines_of_a_minutes_portal_are_contacts() -> None:
    facts = _facts(
        "Aluehallitus\nPöytäkirja 12.2.2024/Pykälä 41",
        "Valmistelijat ja lisätiedot (etunimi.sukunimi@example.fi):\n\nHeikkinen Markus\n\nLaukkala Jarno\n"
        "Pärssinen Matias",
        "Päätösehdotus Hyvinvointialuejohtaja Ketola Sanna",
        "Aluehallitus päättää hyväksyä suunnitelman.",
    )
    names = {c.name for c in facts.contacts}
    assert {"Markus Heikkinen", "Jarno Laukkala", "Matias Pärssinen"} <= names
    assert "Sanna Ketola" in facts.persons and "Sanna Ketola" not in names


@pytest.mark.slow
def test_project_register_card_fields_on_one_line() -> None:
    facts = _facts(
        "Euroopan unioni Vipuvoimaa EU:lta",
        "Hankkeen nimi: Arjen askeleet",
        "Hakijan virallinen nimi: Esimerkkiopisto Oy\n\nPuhelinnumero: 020 7710 100",
        "Hankkeen yhteyshenkilön nimi: Mäntyranta Pekka\n\n"
        "Yhteyshenkilön asema hakijaorganisaatiossa: Projektisuunnittelija\n\n"
        "Yhteyshenkilön sähköpostisoite: pekka.mantyranta(at)esimerkkiopisto.fi\n\n"
        "Yhteyshenkilön puhelinnumero: 0447710233",
    )
    assert [(c.name, c.title, c.phone, c.email) for c in facts.contacts] == [
        ("Pekka Mäntyranta", "projektisuunnittelija", "+358447710233", "pekka.mantyranta@esimerkkiopisto.fi")]


def test_glued_press_release_contact_cards() -> None:
    text = ("Uusi johtaja aloittaa helmikuussa.\n\nYhteyshenkilöt\n"
            "Aino Kettulaaluehallituksen puheenjohtajaEsimerkin hyvinvointialuePuh:0400 771 234aino.kettula@example.fi\n"
            "Ville-Pekka RantaViestintäpäällikköViestintäpalvelut")
    found, lines = contacts_mod.glued_contacts(text)
    assert [(c.name, c.title, c.phone, c.email) for c in found] == [
        ("Aino Kettula", "aluehallituksen puheenjohtaja", "+358400771234", "aino.kettula@example.fi"),
        ("Ville-Pekka Ranta", "viestintäpäällikkö", None, None)]
    assert len(lines) == 2


@pytest.mark.slow
def test_tag_lists_of_nouns_are_not_people() -> None:
    facts = _facts(
        "Avainsanat: Uutisarkisto Hyvinvointialue Sote-uudistus",
        "Projektipäällikkö Liisa Kärnä aloitti työnsä.",
    )
    assert list(facts.persons) == ["Liisa Kärnä"]


# --- regions --------------------------------------------------------------------------------------

def test_swedish_national_phrase_with_helsingfors_stad() -> None:
    paras = ("Programmet genomförs i alla välfärdsområden, i Helsingfors stad och i kompetenscentren.",
             "Ministeriet har beviljat statsunderstöd för åren 2024–2026.")
    found = page_region("Programmet för bättre tillgång", paras)
    assert found.region is None and found.regions == ()


def test_university_hospital_area_list_is_not_a_county() -> None:
    paras = ("Fem regionala samordnare stöder programmet.",
             "Samordnarna är Anna Ek (OYS område), Eero Mäki (KYS område), Lars Berg (TAYS område) och "
             "Mia Lund (HUCS område).")
    found = page_region("Samordnare utsedda", paras)
    assert found.region is None and found.regions == ()


def test_counties_listed_as_applicants_are_all_described() -> None:
    paras = ("Lisärahoitusta hakivat Kainuun, Lapin, Satakunnan ja Pirkanmaan hyvinvointialueet, kertoo ministeriö.",
             "Näistä vain Kainuun hyvinvointialue sai lisärahoitusta 3,1 miljoonaa euroa.")
    found = page_region("Neljä aluetta haki lisärahoitusta", paras)
    assert found.region is None
    assert set(found.regions) == {"Kainuu", "Lappi", "Satakunta", "Pirkanmaa"}


# --- titles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Euroopan unioni Vipuvoimaa EU:lta",
    "Euroopan unionin osarahoittama",
    "Kaupunginhallitus, kokous 4.3.2024",
    "Kainuun hyvinvointialue on yksi avustusta saaneista alueista. LEHTIKUVA / ANNA EK",
    "Hoitajat harjoittelevat uutta laitetta. Kuva: Mikko Aalto",
    "Perustiedot",
])
def test_real_furniture_lines(line: str) -> None:
    assert is_furniture(line)


def test_title_after_caption_date_and_emblem_lines() -> None:
    raw = (" date 2025-03-02 Uutispalvelu\n\n"
           "Kainuun hyvinvointialue on yksi avustusta saaneista alueista. LEHTIKUVA / ANNA EK\n\n"
           "Neljä aluetta sai avustusta kotihoitoon\n\nAvustusta sai neljä hyvinvointialuetta.")
    assert text_to_document(raw, doc_id="a").title == "Neljä aluetta sai avustusta kotihoitoon"
    card = ("Euroopan unioni Vipuvoimaa EU:lta\n\nEuroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus\n\n"
            "Hankkeen nimi: Arjen askeleet")
    assert text_to_document(card, doc_id="b").title == "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus"
    minutes = "Kaupunginhallitus, kokous 4.3.2024\n\n§ 55 Kotihoidon lisäresurssit\n\nValmistelija"
    assert text_to_document(minutes, doc_id="c").title == "Kotihoidon lisäresurssit"


def test_description_first_dump_takes_the_card_name_field() -> None:
    raw = ("Hankkeessa kehitetään ikäihmisten kotona asumista tukevia palveluja koko maakunnassa ja kokeillaan "
           "uusia etäpalveluja kolmessa kunnassa. Hanke on osa laajempaa kokonaisuutta, jota rahoitetaan "
           "valtionavustuksella.\n\nicon/chevron-down Created with Sketch. Perustiedot\n\n"
           "Kokonaisuuden nimi\n\nKotona Kainuussa\n\nLyhyt kuvaus")
    assert text_to_document(raw, doc_id="d").title == "Kotona Kainuussa"


def test_inflected_copy_of_a_name_gives_way_to_its_base_form() -> None:
    assert contacts_mod.unique_names(["Saana Vilkuksen", "Oskari Lintula", "Saana Vilkus"]) == [
        "Saana Vilkus", "Oskari Lintula"]
    # a different person whose surname voikko knows is never merged
    assert contacts_mod.unique_names(["Anna Mäki", "Anna Mäkinen"]) == ["Anna Mäki", "Anna Mäkinen"]


def test_first_name_voikko_knows_only_as_a_place_is_not_swapped() -> None:
    assert contacts_mod.order_name("Saana Vilkus") == "Saana Vilkus"
    assert contacts_mod.order_name("Syrjänen Markus") == "Markus Syrjänen"


@pytest.mark.slow
def test_card_title_written_under_the_contact_name() -> None:
    facts = _facts(
        "Kotona Kainuussa",
        "Toteuttajat\nKainuun hyvinvointialue",
        "Yhteyshenkilö\nMarjo Keränen\nhankepäällikkö\nmarjo.keranen@example.fi",
    )
    assert [(c.name, c.title, c.email) for c in facts.contacts] == [
        ("Marjo Keränen", "hankepäällikkö", "marjo.keranen@example.fi")]


@pytest.mark.slow
def test_project_name_fragments_from_real_pages() -> None:
    facts = _facts(
        "Kestävä kasvu -hanke",
        "Hanke on osa ministeriön ohjelmaa, jonka rahoittaa Euroopan unionin elpymisväline (NextGenEU).",
        "Helmi Lindbackan (Lapin keskussairaala) vastuulla on osahanke 1, talous.",
    )
    assert "NextGenEU" not in facts.projects
    assert not any(p.startswith("Helmi") for p in facts.projects)


def test_ely_centre_spelt_out_is_not_its_county() -> None:
    paras = ("Vastuuviranomainen: Keski-Suomen elinkeino-, liikenne- ja ympäristökeskus",
             "Hakijan virallinen nimi: Turun ammattikorkeakoulu",
             "Hankkeessa kehitetään Turun seudun nuorten ohjausta.")
    assert page_region("Hankkeen kuvaus", paras).region == "Varsinais-Suomi"


@pytest.mark.slow
def test_first_name_of_a_full_name_is_never_lemmatised() -> None:
    facts = _facts("Kemi: Kalle Huusko, varalla Albana Mustafi\nInari: Janne Tervahauta, varalla Jarmo Huhtamella")
    assert "Albana Mustafi" in facts.persons


def test_state_vitality_centre_is_not_its_county() -> None:
    paras = ("Lapin elinvoimakeskuksen väliaikaiset osastopäälliköt on valittu.",
             "Liikenneosaston osastopäälliköksi on valittu Olli Mäkelä, joka työskenteli aiemmin Lapin ELY-keskuksessa.")
    assert page_region("Osastopäälliköt valittu", paras).region is None


@pytest.mark.slow
def test_titles_as_written_before_and_after_the_name() -> None:
    facts = _facts(
        "Avustukset jaettiin.",
        "Lisätietoja:\nNeuvotteleva virkamies Aila Koskinen, p. 0295 163 201\n"
        "Hankinta-asiantuntija Jenni Laitila, p. 040 822 6411\n"
        "Outi Hirvelä, TKI-asiantuntija, p. 040 655 2899",
    )
    titles = {c.name: c.title for c in facts.contacts}
    assert titles == {"Aila Koskinen": "neuvotteleva virkamies", "Jenni Laitila": "hankinta-asiantuntija",
                      "Outi Hirvelä": "TKI-asiantuntija"}


@pytest.mark.slow
def test_swedish_two_word_and_coordinated_titles() -> None:
    facts = _facts(
        "Understöden har beviljats.",
        "Mer information:\nHenrik Ståhlberg, konsultativ tjänsteman, tfn 0295 163 301\n"
        "bildnings- och välfärdschef Mia Lindén, tfn 044 787 5120",
        lang="sv",
    )
    titles = {c.name: c.title for c in facts.contacts}
    assert titles == {"Henrik Ståhlberg": "konsultativ tjänsteman", "Mia Lindén": "bildnings- och välfärdschef"}


@pytest.mark.slow
def test_contact_line_title_wins_over_a_quote() -> None:
    facts = _facts(
        "Mottagningen öppnar i Vasa.",
        "– Många väntar för länge, säger projektchefen Lina Hästbacka.",
        "Mer information: projektchef Lina Hästbacka, tfn 06 415 6630",
        lang="sv",
    )
    assert [(c.name, c.title) for c in facts.contacts] == [("Lina Hästbacka", "projektchef")]


def test_city_minutes_naming_no_place_take_the_mail_domain() -> None:
    paras = ("Kaupunginhallitus, kokous 4.3.2024", "Valmistelija",
             "Merja Aaltonen, henkilöstöjohtaja, merja.aaltonen@jarvenpaa.fi",
             "Kaupunki on joutunut sulkemaan kirjaston ja liikuntapaikat.")
    assert page_region("Henkilöstötoimenpiteet", paras).region == "Keski-Uusimaa"
    national = ("Ministeriö myönsi avustuksia.", "Lisätietoja: Aila Koskinen, aila.koskinen@gov.fi")
    assert page_region("Avustukset", national).region is None


def test_helsinki_listed_after_counties_is_a_participant() -> None:
    paras = ("Hankkeessa ovat mukana Päijät-Hämeen, Kymenlaakson ja Etelä-Karjalan hyvinvointialueet sekä "
             "Helsinki ja HUS.", "Hanke kehittää vaativia palveluja yhdessä.")
    found = page_region("Yhteinen osaamiskeskushanke", paras)
    assert found.region is None
    assert set(found.regions) == {"Päijät-Häme", "Kymenlaakso", "Etelä-Karjala", "Helsinki"}


def test_headline_opening_with_a_board_name_and_an_stt_dateline() -> None:
    raw = " date 2025-09-10 Aluevaltuusto päätti strategiasta 9.9.2025 20:54:46 EEST | Tiedote\n\nTeksti alkaa tästä."
    assert text_to_document(raw, doc_id="e").title == "Aluevaltuusto päätti strategiasta"


@pytest.mark.parametrize("line", [
    "Pöytäkirjat ja esityslistat",
    "Sammanträden | Tjänsteinnehavarbeslut",
    "Tid: måndag 22.4.2024 kl. 14.00–16.20",
    "Aika: maanantai 16.9.2024 klo 13.00–15.45",
    "Toimielin: Aluehallitus",
    "Sammanträdesdatum 18.11.2024 kl. 16.00–18.42",
    "Kokkola | Sote",
])
def test_portal_and_news_site_lines_are_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", ["Aika toimia on nyt", "Tid för förändring i vården", "Aluevaltuusto päätti strategiasta"])
def test_headlines_opening_with_label_words_are_kept(line: str) -> None:
    assert not is_furniture(line)


# --- minutes dumps, news kickers, signature columns, credits, card fields (A20 dev shapes) ----------

def test_minutes_dump_takes_its_first_item_heading_as_title() -> None:
    text = ("Esimerkin hyvinvointialue – Pöytäkirjat ja esityslistat\nCaseM Kokousportaali\n"
            "Haku | Toimielimet | Kokoukset\n\nALUEHALLITUS\nPÖYTÄKIRJA 3/2025\n"
            "Aika: tiistai 4.3.2025 klo 14.00–16.00\nPaikka: Virastotalo, Esimerkkikatu 1\n\n"
            "§ 12 Valtionavustuksen hakeminen: Arjen tuki kotiin\n\nESIM/12/2025\n\n"
            "§ 13 Muut asiat\n")
    assert text_to_document(text, doc_id="m").title == "Valtionavustuksen hakeminen: Arjen tuki kotiin"
    sv = ("Exempelstadens välfärdsområde\nTweb sammanträdesportal\nSök | Sammanträden | Tjänsteinnehavarbeslut\n"
          "Protokoll 2/2025\nTid: 10.2.2025 kl. 15.00–17.00\n\n§ 7 Ansökan om understöd för projektet Trygg vardag\n")
    assert text_to_document(sv, doc_id="s").title.endswith("Ansökan om understöd för projektet Trygg vardag")


def test_a_story_quoting_a_paragraph_keeps_its_headline() -> None:
    text = ("Kunta sai avustuksen kotihoitoon\n\nAluehallitus päätti kokouksessaan hakea avustusta, ja ministeriö "
            "myönsi sen. Päätös tehtiin maaliskuussa, ja työ alkaa syksyllä kaikissa kunnissa yhtä aikaa koko alueella.\n"
            "§ 61 Avustuksen hakeminen\n")
    assert text_to_document(text, doc_id="n").title == "Kunta sai avustuksen kotihoitoon"


@pytest.mark.parametrize("line", ["Kokkola | Sote", "Joensuu | Sosiaali- ja terveyspalvelut", "Ingå | Vård och omsorg",
                                  "Social- och hälsovård"])
def test_news_section_kickers_are_furniture(line: str) -> None:
    assert is_furniture(line)


def test_news_dump_title_skips_place_and_section_kicker() -> None:
    text = ("ESIMERKIN SANOMAT\nUutiset  Urheilu  Kirjaudu\n\nKajaani | Sote\n"
            "Hyvinvointialue hakee rahaa kotikuntoutukseen\n\nToimittaja Esimerkki\n")
    assert text_to_document(text, doc_id="k").title == "Hyvinvointialue hakee rahaa kotikuntoutukseen"
    assert not is_furniture("Oulu | Hyvinvointialue sai 2 miljoonaa euroa uuteen hankkeeseen kotihoidon tueksi")


def test_signature_columns_are_one_name_per_line() -> None:
    doc = text_to_document("Beslut\nFörslaget godkändes.\n\nProtokolljusterare\nAnna Berg     Kalle Mäkelä-Ek\n"
                           "Menu  Sök  Kontakt\n", doc_id="p")
    assert "Anna Berg" in doc.paragraphs and "Kalle Mäkelä-Ek" in doc.paragraphs
    assert "Menu Sök Kontakt" in doc.paragraphs  # one-word menu cells stay one line


@pytest.mark.slow
def test_two_checkers_on_one_signature_line_are_two_persons() -> None:
    doc = text_to_document("Styrelsen beslöt att ansöka om statsunderstöd för projektet.\n\nProtokolljusterare\n"
                           "Anna Berg     Jukka Holmström\n", doc_id="p", lang_hint="sv")
    facts = _facts(*doc.paragraphs, lang="sv")
    assert {"Anna Berg", "Jukka Holmström"} <= set(facts.persons)
    assert not any(p.startswith("Anna Berg ") for p in facts.persons)


@pytest.mark.slow
def test_photo_credit_is_a_person_not_a_contact() -> None:
    facts = _facts(
        "Ensihoidon uusi malli otetaan käyttöön.",
        "Lisätietoja\nHankepäällikkö Tero Esimerkki, puh. 040 123 4567",
        "Kuvat\nAmbulanssi Porissa. Kuva: Ville Kuvaaja / Esimerkin hyvinvointialue",
    )
    assert [c.name for c in facts.contacts] == ["Tero Esimerkki"]
    assert "Ville Kuvaaja" in facts.persons


@pytest.mark.slow
def test_responsible_person_card_field_is_a_contact() -> None:
    facts = _facts(
        "Hanke parantaa hoitoonpääsyä.",
        "Rahoittaja: Sosiaali- ja terveysministeriö\nVastuuhenkilö: Petra Kallunki, palvelujohtaja\nMuokattu 1.2.2025",
    )
    assert [(c.name, c.title) for c in facts.contacts] == [("Petra Kallunki", "palvelujohtaja")]
    sv = _facts("Projektet förbättrar vården.", "Finansiär: SHM\nAnsvarsperson: Petra Holm, servicedirektör",
                lang="sv")
    assert [c.name for c in sv.contacts] == ["Petra Holm"]


@pytest.mark.slow
def test_contact_titles_pharmacist_coach_specialist_preparer() -> None:
    fi = _facts("Lääkehoidon hanke alkaa.",
                "Lisätietoja\nproviisori Eeva Esimerkki, puh. 040 111 2233\n"
                "hankevalmistelija Ella Testinen, puh. 040 111 2234")
    assert {c.name: c.title for c in fi.contacts} == {"Eeva Esimerkki": "proviisori", "Ella Testinen": "hankevalmistelija"}
    sv = _facts("Projektet börjar.",
                "Mer information\narbetscoach Nina Berg, tfn 040 222 3344\nHR-specialist Tove Lind, tfn 040 222 3345\n"
                "provisor Eva Sund, tfn 040 222 3346", lang="sv")
    assert {c.name: c.title for c in sv.contacts} == {"Nina Berg": "arbetscoach", "Tove Lind": "HR-specialist",
                                                      "Eva Sund": "provisor"}


def test_phone_ending_a_contact_card_before_the_eu_emblem() -> None:
    text = "Janne Esimerkki\nkoordinaattori\np. 044 797 3318\n\nEuroopan unionin osarahoittama"
    assert [p.value for p in contacts_mod.find_phones(text)] == ["+358447973318"]
    assert contacts_mod.find_phones("Hanke sai 040 000 euroa") == []


def test_ntm_centre_named_with_a_county_is_not_that_county() -> None:
    paras = ("Arbetsvägen i Österbotten hjälper långtidsarbetslösa.",
             "Projektet finansieras av Europeiska socialfonden plus. Finansieringsbeslutet har fattats av "
             "NTM-centralen i Södra Österbotten.")
    assert page_region("Arbetsvägen i Österbotten", paras).regions == ("Pohjanmaa",)


def test_grant_table_rows_describe_every_county_listed() -> None:
    paras = ("Avustukset on myönnetty", "Valtionavustuksia myönnettiin yhteensä 4 miljoonaa euroa.",
             "Hankehallinnoija | Hanke | Avustus, €",
             "Kainuun hyvinvointialue | Kainuun ruoka-apu | 120 500",
             "Lapin hyvinvointialue | Ruoka-apu yhdessä | 176 950",
             "Satakunnan hyvinvointialue | Yhteinen pöytä | 98 000")
    found = page_region("Avustukset on myönnetty", paras)
    assert found.region is None and set(found.regions) == {"Kainuu", "Lappi", "Satakunta"}


def test_a_town_moving_to_another_county_does_not_add_it() -> None:
    paras = ("Keski-Uudenmaan hyvinvointialueen sote-keskushanke päättyi.",
             "Hankkeessa kehitettiin Keski-Uudenmaan hyvinvointialueen sote-keskuksia.",
             "Huom. Keravan kaupunki siirtyi Vantaan ja Keravan hyvinvointialueeseen, joten Keravan osuus "
             "hankkeesta päättyi.")
    assert page_region("Sote-keskushanke päättyi", paras).regions == ("Keski-Uusimaa",)


@pytest.mark.slow
def test_two_titles_after_the_name_on_a_card_line() -> None:
    facts = _facts("Hanke päättyi.", "Yhteyshenkilö: Pirkko Esimerkki, fysioterapeutti, hankekoordinaattori, "
                                     "pirkko.esimerkki@example.fi")
    assert [(c.name, c.title) for c in facts.contacts] == [("Pirkko Esimerkki", "fysioterapeutti, hankekoordinaattori")]


@pytest.mark.slow
def test_registry_names_are_not_people_but_a_first_name_acronym_is() -> None:
    """The words of funding.toml's ids and acronyms ('Interreg', 'Sitra', 'Business Finland') never
    start or end a person; 'Kati' stays a first name although KATI is a programme."""
    facts = _facts(
        "Hanketta rahoittaa Interreg Aurora ja sen lisäksi Sitra Lab tukee kokeilua.",
        "Lisätietoja: projektipäällikkö Kati Mäenpää, kati.maenpaa@example.fi",
    )
    assert "Kati Mäenpää" in facts.persons
    assert not any("Aurora" in p or "Sitra" in p for p in facts.persons)
