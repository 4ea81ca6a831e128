"""Failure shapes seen on real, unseen pages in session 8 (real8), each on our own invented text.

Real pages were only read in /tmp; every name, number and sentence here is written for the test.
"""

from __future__ import annotations

from functools import partial

import pytest

from hakemisto.core.model import Document
from hakemisto.core.regions import collective_mentions, page_region
from hakemisto.crawl.titles import is_furniture
from hakemisto.documents.loaders import text_to_document
from tests.test_real_shapes import _facts

_UUSIMAA = {"Itä-Uusimaa", "Keski-Uusimaa", "Länsi-Uusimaa", "Vantaa-Kerava"}


# --- titles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["Viimeksi julkaistu 3.2.2026 09.15", "Senast uppdaterad 3.2.2026 09.15",
                                  "Viimeksi päivitetty 11.11.2025"])
def test_a_last_published_stamp_is_no_title(line: str) -> None:
    doc = text_to_document(f"{line}\n\nTarkastusvaliokunnan mietintö hyvinvointialueiden taloudesta\n\n"
                           "Valiokunta on käsitellyt kertomuksen ja kuullut asiantuntijoita sen johdosta.", doc_id="a")
    assert doc.title == "Tarkastusvaliokunnan mietintö hyvinvointialueiden taloudesta"


def test_a_local_papers_kicker_and_a_picture_caption_before_the_headline() -> None:
    assert is_furniture("Paikallisuutiset") and is_furniture("Lokala nyheter")
    text = ("date 2026-01-12 Paikallisuutiset\n\nUusi pesula valmistuu sairaalan pihaan.\n\n"
            "Sairaalan pesulan rakentaminen alkaa maaliskuussa\n\n"
            "Urakka kilpailutettiin syksyllä, kertoo tekninen johtaja Oiva Esimerkki.\n\n"
            "Pesula valmistuu vuoden 2027 aikana, ja se palvelee koko aluetta.")
    assert text_to_document(text, doc_id="k").title == "Sairaalan pesulan rakentaminen alkaa maaliskuussa"


def test_a_header_row_ending_in_the_search_box_is_no_title() -> None:
    assert is_furniture("Omaolo Sök på sidan")
    assert is_furniture("Ajanvaraus Hae sivustolta")
    assert not is_furniture("Sök på sidan om projekten i Östra Nyland finns mer")  # not at the end
    text = ("Till innehållet\nOmaolo Sök på sidan\n\nUtvecklingsarbete\n\nVälfärdsområdet deltar i flera "
            "utvecklingsprogram som finansieras av ministeriet, och tre projekt pågår just nu i regionen.")
    assert text_to_document(text, doc_id="s").title == "Utvecklingsarbete"


# --- persons and contacts -------------------------------------------------------------------------

@pytest.mark.slow
def test_a_swedish_county_genitive_is_no_person() -> None:
    facts = _facts("Nämnden för tjänster sammanträdde",
                   "Nämnden vid Östra Nylands välfärdsområde samlades till möte på tisdagen.",
                   "Till Södra Savolax välfärdsområde hör tolv kommuner.", lang="sv")
    assert not any("Nylands" in p or "Savolax" in p for p in facts.persons)


@pytest.mark.slow
def test_a_name_voikko_does_not_know_is_confirmed_by_its_own_address() -> None:
    facts = _facts("Unga i skärgården",
                   "Projektet Unga i skärgården startade hösten 2024 i Pargas.",
                   "Sunnive Strandholm är projektledare för Unga i skärgården. Du når henne per e-post "
                   "sunnive.strandholm(a)exempel.fi och telefon +358 50 123 4567.", lang="sv")
    assert "Sunnive Strandholm" in facts.persons
    contact = next(c for c in facts.contacts if c.name == "Sunnive Strandholm")
    assert contact.email == "sunnive.strandholm@exempel.fi" and contact.phone == "+358501234567"
    assert contact.title == "projektledare"
    # without the address the unknown first name stays unconfirmed: no guess from capitals alone
    bare = _facts("Unga i skärgården", "Sunnive Strandholm talade på mötet i Pargas om skärgårdens unga.", lang="sv")
    assert "Sunnive Strandholm" not in bare.persons


# --- regions --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Hankkeessa ovat mukana Uudenmaan alueen, Kanta-Hämeen ja Päijät-Hämeen hyvinvointialueet.",
    "Ministeriö myönsi Uudenmaan hyvinvointialueille yhteensä 3 miljoonaa euroa.",
    "Avustus jaetaan Uudenmaan neljälle hyvinvointialueelle.",
    "Nylands fyra välfärdsområden utvecklar jouren tillsammans.",
])
def test_the_uusimaa_group_names_its_four_counties(text: str) -> None:
    assert {m.region for m in collective_mentions(text)} == _UUSIMAA
    found = page_region("Yhteinen kehittämishanke", ("Yhteinen kehittämishanke", text))
    assert _UUSIMAA <= set(found.regions)


@pytest.mark.parametrize("text", ["Itä-Uudenmaan hyvinvointialue ja Keski-Uudenmaan hyvinvointialue sopivat.",
                                  "Uudenmaan liitto ja Hämeen liitto antoivat lausunnon.",
                                  "Länsi-Uudenmaan ja Keski-Uudenmaan hyvinvointialueet sopivat yhteistyöstä."])
def test_one_uusimaa_county_or_the_regional_council_is_not_the_group(text: str) -> None:
    assert collective_mentions(text) == []


def test_a_town_at_the_end_of_a_route_is_not_the_county() -> None:
    fi = page_region("Radan kunnostus on kiireellinen",
                     ("Radan kunnostus on kiireellinen",
                      "Yhteistyöryhmä vaatii rahoitusta radan kunnostukseen Helsingin ja Oulun välillä.",
                      "Ryhmä esittää investointiohjelmaa seuraavan hallituksen ohjelmaan."))
    assert "Helsinki" not in fi.regions and "Pohjois-Pohjanmaa" not in fi.regions
    sv = page_region("Banan behöver pengar", ("Banan behöver pengar", "Gruppen kräver pengar till banan mellan "
                                               "Helsingfors och Uleåborg redan nästa år."))
    assert "Helsinki" not in sv.regions
    # a town where the work happens is still the county's
    work = page_region("Uusi terveysasema", ("Uusi terveysasema", "Oulun uusi terveysasema avataan keväällä."))
    assert work.region == "Pohjois-Pohjanmaa"


# --- contact titles -------------------------------------------------------------------------------

@pytest.mark.slow
def test_an_employers_genitive_is_not_part_of_the_title() -> None:
    facts = _facts("Alue kutsuu kumppanit mukaan hakuun",
                   "Haluamme valmistella hakemukset ajoissa yhdessä kumppaneiden kanssa, kertoo hyvinvointialueen "
                   "hankepäällikkö Sointu Varjonen.",
                   "Lisätietoja antaa kotihoidon päällikkö Vilja Testinen, puh. 040 123 4567.")
    titles = {c.name: c.title for c in facts.contacts}
    assert titles.get("Sointu Varjonen") == "hankepäällikkö"
    assert titles.get("Vilja Testinen") == "kotihoidon päällikkö"  # a unit's genitive stays


# --- titles from the address ----------------------------------------------------------------------

def test_the_url_slug_gives_back_a_headline_the_dump_lost() -> None:
    lost = text_to_document("Till innehållet\n\nMinisteriet har beviljat välfärdsområdet sammanlagt 2 400 000 euro i "
                            "statsunderstöd för att under åren 2024–2026 genomföra projektet Trygg Hemma-Kustens Äldre.\n\n"
                            "Projektet riktar sig till äldre som bor hemma.",
                            doc_id="a", url="https://exempel.fi/projekt/trygg-hemma-kustens-aldre/")
    assert lost.title == "Trygg Hemma-Kustens Äldre"
    site_named = text_to_document("Hoppa till huvudinnehåll\n\nSödra Savolax välfärdsområde\n\nSödra Savolax välfärdsområde "
                                  "är ett av de mindre välfärdsområdena i landet och har tolv kommuner.",
                                  doc_id="b", url="https://exempel.fi/sv/om-oss/sodra-savolax-valfardsomrade")
    assert site_named.title == "Södra Savolax välfärdsområde"
    # a headline of its own is kept; ids and short codes in the address say nothing
    kept = text_to_document("Kotihoitoon uusi yöpartio\n\nYöpartio aloittaa maaliskuussa ja palvelee koko aluetta.",
                            doc_id="c", url="https://exempel.fi/uutiset/yopartio-aloittaa-kotihoidossa")
    assert kept.title == "Kotihoitoon uusi yöpartio"
    statement = ("Valiokunnan lausunto StVL 9/2026 vp hallituksen esityksestä eduskunnalle laiksi hyvinvointialueiden "
                 "rahoituksesta annetun lain muuttamisesta ja sen soveltamisesta.")
    code = text_to_document(statement, doc_id="d", url="https://exempel.fi/vaski/Lausunto/StVL_9+2026.aspx")
    assert code.title == text_to_document(statement, doc_id="d").title != "StVL 9/2026"


# --- project names --------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_councils_list_of_applications_names_each_project() -> None:
    facts = _facts("Yhteistyöryhmä puolsi hankkeita",
                   "Hankkeet ja niiden toteuttajat ovat seuraavat:",
                   "- Esimerkin koulutuskuntayhtymä, Testin ammattikorkeakoulu Oy ja Kuvitteellinen yliopisto: "
                   "Osaajien polku, Pohjoisen kasvualusta (POLKU) / (JTF). Haettu tukisumma on 310 000 euroa.",
                   "- Esimerkkisäätiö sr: Yhdessä vahvemmiksi (ESR+). Haettu tukisumma on 420 500 euroa.")
    assert "Osaajien polku, Pohjoisen kasvualusta (POLKU)" in facts.projects
    assert "Yhdessä vahvemmiksi" in facts.projects
    assert not any("JTF" in p or "Haettu" in p for p in facts.projects)


def test_portal_widget_labels_and_icon_names_are_no_title() -> None:
    assert is_furniture("Kuvakaruselli sote-uudistus blogi") and is_furniture("Sisältöjulkaisija")
    text = ("Kuvakaruselli ajankohtaista blogi\n\nPäätöksenteko\n\nHyvinvointialueen toimielimet ja valmisteluryhmät\n\n"
            "Valmisteluryhmät kokoontuvat kuukausittain ja raportoivat aluehallitukselle työn etenemisestä.")
    assert text_to_document(text, doc_id="w").title == "Hyvinvointialueen toimielimet ja valmisteluryhmät"
    icon = text_to_document("angle-left Uusi neuvola avataan keväällä Joensuussa\n\nNeuvola palvelee koko "
                            "kaupunkia ja sen lähikuntia maaliskuusta alkaen.", doc_id="i")
    assert icon.title == "Uusi neuvola avataan keväällä Joensuussa"


def test_a_town_in_brackets_after_a_persons_name_is_their_seat() -> None:
    found = page_region("Ohjelma alkaa", ("Ohjelma alkaa", "Laitos on palkannut kolme koordinaattoria:",
                                          "• YTM Ilona Esimerkki (Oulu)", "• TtM Aino Testinen (Helsinki)",
                                          "Koordinaattorit tukevat hankkeita koko maassa."))
    assert found.regions == () and found.region is None
    # a county's organisation in brackets after a person is that county's person (real20)
    owner = page_region("Valmistelu", ("Valmistelu", "Hanke 1 on Aino Testisen (Kainuun hyvinvointialue) vastuulla."))
    assert owner.region == "Kainuu"


@pytest.mark.slow
def test_a_responsibility_label_above_a_service_card_makes_a_contact() -> None:
    facts = _facts("Välfärdsplanen", "Planen omfattar åren 2025–2028 och samordnas av välfärdsområdet.",
                   "För verksamheten ansvarar", "Henrik Östman", "Utvecklingsplanerare, främjande av hälsa",
                   "Telefon: +358 40 111 2233", lang="sv")
    contact = next(c for c in facts.contacts if c.name == "Henrik Östman")
    assert contact.phone == "+358401112233" and contact.title == "utvecklingsplanerare"


@pytest.mark.slow
def test_a_photo_credit_name_ends_at_its_line_and_a_surname_in_na_is_kept() -> None:
    facts = _facts("Kyläverkko valmistui",
                   "Talkoissa olivat mukana Aarne Kivela (vas.) ja Elias Raappana (oik.).\nKuva: Ville Esimerkki",
                   "Lapissa kyläverkkoja on rakennettu talkoilla jo kymmenen vuoden ajan.")
    assert "Elias Raappana" in facts.persons
    assert "Ville Esimerkki" in facts.persons
    assert not any("\n" in p or "Lapissa" in p for p in facts.persons)


def test_a_teaser_under_a_lower_case_kicker_is_no_title() -> None:
    assert is_furniture("pääkirjoitus: Hyvinvointialueen on oltava valmis ajoissa")
    assert not is_furniture("Selvitys: Kyläverkot lisäsivät asukkaiden hyvinvointia")
    text = ("uimarannat: Sinilevää havaittu rannikolla\n\npääkirjoitus: Alueen on oltava valmis ajoissa\n\n"
            "Selvitys: Kyläverkot lisäsivät asukkaiden hyvinvointia\n\nKyläverkkojen vaikutuksia selvitettiin "
            "kyselyllä, johon vastasi yli tuhat asukasta eri puolilta maakuntaa.")
    assert text_to_document(text, doc_id="t").title == "Selvitys: Kyläverkot lisäsivät asukkaiden hyvinvointia"


def test_both_counties_of_a_projects_area_are_described() -> None:
    found = page_region("Kultur för alla", ("Kultur för alla", "Projektets syfte är att skapa nya kulturtjänster "
                                            "inom landskapen Södra Österbotten och Österbotten.",
                                            "Södra Österbottens förbund står för projektets genomförande."))
    assert set(found.regions) == {"Etelä-Pohjanmaa", "Pohjanmaa"}


def test_a_county_release_on_a_press_service_without_its_publisher_line() -> None:
    url = "https://www.sttinfo.fi/tiedote/99999/aluehallitus-paatti-jatkaa-valmistelua"
    board = page_region("Aluehallitus päätti jatkaa terveyskeskuksen valmistelua",
                        ("Aluehallitus kävi läpi tilannekatsauksen uuden terveyskeskuksen valmistelusta.",
                         "Aluehallitus päätti esittää kaupungille, että se myöntää Kymenlaakson hyvinvointialueelle "
                         "suunnitteluvaraukselle jatkoa vuoden 2028 loppuun."), url=url)
    assert board.region == "Kymenlaakso"
    project = page_region("Kolmen vuoden työ päättyy",
                          ("Kolmen vuoden työ päättyy", "Etelä-Savon kestävän kasvun hankkeessa on kehitetty "
                           "vuosina 2023–2025 monia uusia palveluita."), url=url)
    assert project.region == "Etelä-Savo"
    # a national actor's release about one county stays national
    ministry = page_region("Avustus myönnetty", ("Avustus myönnetty", "Sosiaali- ja terveysministeriö myönsi "
                                                 "Kymenlaakson hyvinvointialueelle avustusta kotihoidon kehittämiseen."),
                           url=url)
    assert ministry.region is None
    two = page_region("Yhteistyö alkaa", ("Yhteistyö alkaa", "Kymenlaakson ja Etelä-Karjalan hyvinvointialueet "
                                          "aloittavat yhteisen hankkeen."), url=url)
    assert two.region is None


@pytest.mark.slow
def test_an_acronym_glued_to_a_plural_noun_in_brackets_is_a_kind_not_a_project() -> None:
    facts = _facts("Vaativat palvelut", "Lasten vaativimpien palvelujen tukikeskukset (OT-keskukset) ovat uusi "
                   "palvelurakenne.", "Hanke Kotona turvassa (KotiTurva) jatkuu vuoteen 2027.")
    assert "OT-keskukset" not in facts.projects
    assert "KotiTurva" in facts.projects


# --- twins ----------------------------------------------------------------------------------------

def _page(doc_id: str, lang: str, text: str, region: str, person: str) -> Document:
    """A page of ``text`` lines for twin linking, with its county and one person already found."""
    from hakemisto.core.model import Facts

    return Document(id=doc_id, title=text.split("\n")[0], paragraphs=tuple(text.split("\n")), lang=lang,
                    region=region, facts=Facts(persons=(person,), regions=(region,)))


def test_a_later_release_on_the_same_project_and_contact_is_no_twin() -> None:
    from hakemisto.facts.twins import link_twins

    page = partial(_page, region="Kymenlaakso", person="Sanni Esimerkki")

    fi = page("fi", "fi", "Nuorten tukeen 520 000 euroa\nJulkaistu 4.3.2024\nMinisteriö myönsi 520 000 euroa "
              "hankkeeseen 1.4.2024–31.12.2025.\nLisätietoja: projektipäällikkö Sanni Esimerkki, puh. 040 555 1234\n"
              "Vaihde 05 123 4567")
    sv = page("sv", "sv", "Tilläggsbidrag till de unga\nPublicerad 3.12.2024\nProjektet har beviljats 90 000 euro till, "
              "från 520 000 euro till 610 000 euro.\nMer information: projektchef Sanni Esimerkki, tfn 040 555 1234\n"
              "Växel 05 123 4567")
    assert [d.twin for d in link_twins([fi, sv])] == [None, None]
    translated = page("sv2", "sv", "520 000 euro till de unga\nPublicerad 4.3.2024\nMinisteriet beviljade 520 000 euro "
                      "till projektet 1.4.2024–31.12.2025.\nMer information: projektchef Sanni Esimerkki, tfn 040 555 "
                      "1234\nVäxel 05 123 4567")
    assert [d.twin for d in link_twins([fi, translated])] == ["sv2", "fi"]


def test_twins_keep_their_sums_in_another_notation() -> None:
    from hakemisto.facts.twins import link_twins

    page = partial(_page, region="Satakunta", person="Ilkka Esimerkki")

    fi = page("fi", "fi", "Työkykyhankkeelle rahoitusta\nJulkaistu 5.2.2025\nHanke sai 1 160 000 euroa ja kunnat "
              "450 000 euroa vuosille 2025–2027.\nMukana on 300 asiakasta.\nLisätietoja: Ilkka Esimerkki, "
              "puh. 044 707 1111")
    sv = page("sv", "sv", "Finansiering till arbetsförmågeprojekt\nPublicerad 5.2.2025\nProjektet fick 1,16 miljoner "
              "euro och kommunerna 0,45 miljoner euro för 2025–2027.\nMed är 300 klienter.\nMer information: "
              "Ilkka Esimerkki, tfn 044 707 1111")
    assert [d.twin for d in link_twins([fi, sv])] == ["sv", "fi"]
