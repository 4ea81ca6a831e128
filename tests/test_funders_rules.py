"""Funder rules of issue 12 on real-shaped snippets, through the real pipeline."""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document
from hakemisto.facts.entities import annotate

pytestmark = pytest.mark.slow  # the Finnish spaCy pipeline on every case


def _funders(*paragraphs: str, lang: str = "fi") -> tuple[set[str], set[str]]:
    doc = Document(id="x", title=paragraphs[0], paragraphs=paragraphs, lang=lang)
    facts = annotate([doc])[0].facts
    return set(facts.funders), set(facts.programmes)


def test_rrp_implies_rrf() -> None:
    funders, programmes = _funders("Hanke rahoitetaan Suomen kestävän kasvun ohjelmasta 2 000 000 eurolla.")
    assert "RRP" in programmes and "NextGenerationEU/RRF" in funders


def test_named_ministry_replaces_valtio() -> None:
    funders, _ = _funders(
        "Sosiaali- ja terveysministeriö on myöntänyt hankkeelle 280 000 euroa.",
        "Hankkeen aiempi valtionavustus oli 1 340 000 euroa.")
    assert funders == {"STM"}
    funders, _ = _funders("Hanke sai valtionavustusta 500 000 euroa.")
    assert funders == {"Valtio"}


def test_own_shares_and_municipalities() -> None:
    funders, _ = _funders("Hankkeen kokonaisbudjetti on 10 miljoonaa euroa. Hyvinvointialue rahoittaa loput "
                          "omalla osuudellaan ja kuntien osuus on 5 prosenttia.")
    assert {"Hyvinvointialue", "Kunnat"} <= funders
    funders, _ = _funders("Hankkeen kustannukset ovat 2 600 000 euroa, eikä omarahoitusta edellytetä.")
    assert "Hyvinvointialue" not in funders
    funders, _ = _funders("Välfärdsområdets egen andel är 20 procent av 1,5 miljoner euro.", lang="sv")
    assert funders == {"Hyvinvointialue"}


def test_generic_eu_only_without_a_named_fund() -> None:
    funders, _ = _funders("Digiklinikka laajenee EU-rahoituksella.",
                          "Kokonaisbudjetti on 812 000 euroa, josta Euroopan aluekehitysrahaston (EAKR) osuus on 649 600 euroa.")
    assert funders == {"EAKR"}
    funders, _ = _funders("Hanke sai EU-rahoitusta 300 000 euroa.")
    assert funders == {"EU"}


def test_rrp_project_name_and_kati() -> None:
    _, programmes = _funders("Toimintamalli on kehitetty Kestävän kasvun Keski-Uusimaa -hankkeessa.")
    assert programmes == {"RRP"}
    funders, programmes = _funders("Hanke on saanut valtionavustusta 1 498 000 euroa Kotona asumisen "
                                   "teknologiat ikäihmisille (KATI) -ohjelmasta.")
    # no ministry named: the grant is state money (the fixture gold's reading of KATI pages)
    assert "KATI" in programmes and funders == {"Valtio"}
    funders, _ = _funders("Hankkeet ovat valtion rahoittamia. Sosiaali- ja terveysministeriö myönsi 2 milj. euroa.")
    assert funders == {"STM", "Valtio"}  # 'valtion rahoittama' is not a grant the ministry gave


def test_related_news_negation_scope_and_ministry_pages() -> None:
    funders, _ = _funders("Hanke sai 300 000 euroa Sitralta.", "Toinen kappale kertoo lisää hankkeesta.",
                          "Lue myös: Kainuun hyvinvointialue haki JTF-rahaa 1,2 miljoonaa euroa")
    assert funders == {"Sitra"}
    funders, _ = _funders("Apua saa ilman lähetettä.\n\nSosiaali- ja terveysministeriö on myöntänyt hankkeelle 720 000 euroa.")
    assert funders == {"STM"}  # 'ilman' in the previous sentence denies nothing
    funders, _ = _funders("Avoimet haut > Sosiaali- ja terveysministeriö",
                          "Valtionavustus hyvinvointialueille 2024–2025: haettavana on 20 miljoonaa euroa.")
    assert funders == {"STM"}
    funders, _ = _funders("Haussa jaetaan 9,5 miljoonaa euroa. Hakijan tulee varata omarahoitusosuus, joka on 20 %.")
    assert "Hyvinvointialue" not in funders
    funders, _ = _funders("Kaupunki maksaa tilan vuokran, yhteensä 28 000 euroa vuodessa.")
    assert funders == {"Kunnat"}


def test_county_and_town_shares_written_as_verbs() -> None:
    """'X står för resten', 'rahoitetaan Siun soten omasta budjetista', a county in a Rahoittaja field."""
    funders, _ = _funders("Projektets budget är 900 000 euro, varav ERUF-stödet är 600 000 euro. "
                          "Välfärdsområdet står för resten.", lang="sv")
    assert "Hyvinvointialue" in funders
    funders, _ = _funders("Kokeilu rahoitetaan Kainuun soten omasta kehittämisbudjetista, johon on varattu 40 000 euroa.")
    assert "Hyvinvointialue" in funders
    funders, _ = _funders("Hankkeen tiedot", "Rahoittaja: Hämeen ELY-keskus (ESR+), Kanta-Hämeen hyvinvointialue",
                          "Kokonaisbudjetti: 410 000 €")
    assert {"ESR", "Hyvinvointialue"} <= funders
    funders, _ = _funders("Kommunen står för lokalerna, sammanlagt cirka 18 000 euro.", lang="sv")
    assert funders == {"Kunnat"}
    # providing staff is not paying for the project; the town's euros are the town's
    funders, _ = _funders("Välfärdsområdet står för personalen och staden bidrar med 12 000 euro.", lang="sv")
    assert funders == {"Kunnat"}


def test_own_part_of_the_work_is_not_money() -> None:
    funders, _ = _funders("Alueet vastaavat kukin omasta osuudestaan yhteisen ohjausryhmän alaisuudessa.",
                          "Sosiaali- ja terveysministeriö myönsi hankkeelle 600 000 euroa.")
    assert funders == {"STM"}
    funders, _ = _funders("Hankkeella ei ole yhtä hallinnoijaa. Kokonaisbudjetti on 2 M€, josta Sitra rahoittaa "
                          "puolet. Loput kustannuksista jaetaan alueiden kesken.")
    assert funders == {"Sitra", "Hyvinvointialue"}


def test_partners_paying_the_rest_include_the_county() -> None:
    funders, _ = _funders("Keski-Suomen hyvinvointialue ja kaksi yliopistoa aloittavat Etäkuntoutus kotiin -hankkeen.",
                          "Kokonaisbudjetti on 900 000 euroa, josta Interreg-tuki on 600 000 euroa. "
                          "Loppuosan rahoittavat kumppanit.")
    assert "Hyvinvointialue" in funders
    funders, _ = _funders("Välfärdsområdet och två högskolor startar projektet Hemrehab.",
                          "Totalbudgeten är 900 000 euro. Resten finansieras av partnerna.", lang="sv")
    assert "Hyvinvointialue" in funders
    # partners of a company's project are no county
    funders, _ = _funders("Yritys aloittaa Etäkuntoutus kotiin -hankkeen. Kokonaisbudjetti on 900 000 euroa. "
                          "Loppuosan rahoittavat kumppanit.")
    assert "Hyvinvointialue" not in funders

def test_helsinki_city_budget_is_the_county_money() -> None:
    funders, _ = _funders("Helsingin kaupunki hakee hankekoordinaattoria.",
                          "Kotihoidon Helsinki-malli on kaupungin oma kehittämishanke. Hankkeen budjetti on "
                          "800 000 euroa, ja se rahoitetaan kaupungin talousarviosta.")
    assert "Hyvinvointialue" in funders
    funders, _ = _funders("Tampereen kaupunki kehittää kotihoitoa. Hankkeen budjetti on 800 000 euroa, ja se "
                          "rahoitetaan kaupungin talousarviosta.")
    assert "Hyvinvointialue" not in funders

def test_state_cofinancing_beside_an_eu_fund() -> None:
    funders, _ = _funders("Sammanlagt 4 miljoner euro från Europeiska socialfonden plus och staten kan fördelas.",
                          lang="sv")
    assert funders == {"ESR", "Valtio"}
    funders, _ = _funders("Hankkeen rahoitus on ESR+-tukea ja valtion vastinrahoitusta yhteensä 500 000 euroa.")
    assert funders == {"ESR", "Valtio"}


def test_swedish_definite_own_share() -> None:
    # (the page names its county somewhere: an own share with no owner on a page naming none is someone else's)
    funders, _ = _funders("Projektets totalkostnad är 900 000 euro, varav den egna finansieringen är 90 000 euro.",
                          "Projektet drivs av välfärdsområdet.", lang="sv")
    assert "Hyvinvointialue" in funders


def test_eu_cofinancing_lines_and_programme_without_a_fund() -> None:
    funders, _ = _funders("Euroopan unionin osarahoittama. Hankkeen kokonaisbudjetti on 300 000 euroa.")
    assert funders == {"EU"}
    funders, _ = _funders("Europeiska unionen medfinansierar projektet.", "Projektets budget är 320 000 euro.", lang="sv")
    assert funders == {"EU"}
    funders, _ = _funders("Projektet är EU-finansierat och pågår till 2026.", lang="sv")
    assert funders == {"EU"}
    funders, _ = _funders("Hanke on osa Euroopan unionin Uudistuva ja osaava Suomi 2021–2027 -ohjelmaa.")
    assert funders == {"EU"}
    # a named fund is more precise than the programme or the emblem's line
    funders, _ = _funders("Hanke on osa Uudistuva ja osaava Suomi 2021–2027 -ohjelmaa, ja sitä rahoittaa "
                          "Euroopan sosiaalirahasto.")
    assert funders == {"ESR"}


def test_inflected_business_finland_and_counties_or_towns_among_financers() -> None:
    funders, _ = _funders("Business Finlandin rahoittama hanke sai 400 000 euroa.")
    assert funders == {"Business Finland"}
    funders, _ = _funders("Hankkeen rahoittajina toimivat Sitra ja hyvinvointialue.")
    assert funders == {"Sitra", "Hyvinvointialue"}
    funders, _ = _funders("Finansiär\nSocial- och hälsovårdsministeriet; Karleby stad", lang="sv")
    assert funders == {"STM", "Kunnat"}
    funders, _ = _funders("STEA myönsi hankkeelle avustusta 312 000 euroa. Pirkanmaan hyvinvointialue osallistuu "
                          "hankkeen rahoitukseen 45 000 eurolla, ja Nokian ja Ylöjärven kaupungit maksavat "
                          "yhteensä 18 000 euroa.")
    assert funders == {"STEA", "Hyvinvointialue", "Kunnat"}


def test_applicants_own_money_in_a_call_is_no_county_s() -> None:
    funders, _ = _funders("ELY-keskus myönsi ESR+-rahoitusta neljälle hankkeelle. Tuki kattaa 80 prosenttia "
                          "kustannuksista; loput 20 prosenttia on hakijoiden omarahoitusta.")
    assert funders == {"ESR"}


def test_an_association_s_or_a_town_s_own_share_is_not_the_county_s() -> None:
    funders, _ = _funders("STEA har beviljat föreningens projekt 412 000 euro. Projektets totalbudget är 458 000 euro, "
                          "och föreningens egen andel, 46 000 euro, täcks med medlemsavgifter.", lang="sv")
    assert funders == {"STEA"}
    funders, _ = _funders("Opetus- ja kulttuuriministeriö on myöntänyt hankkeelle 380 000 euroa. Kuopion kaupungin "
                          "omarahoitusosuus on 42 000 euroa ja Pohjois-Savon hyvinvointialueen rahoitusosuus 40 000 euroa.")
    assert funders == {"OKM", "Kunnat", "Hyvinvointialue"}
    funders, _ = _funders("Närpes stad står för hyran av de nya lokalerna, 36 000 euro per år.", lang="sv")
    assert funders == {"Kunnat"}


def test_funders_named_by_programme_supported_by_or_state_special_grants() -> None:
    funders, _ = _funders("Botnia-Atlantica-programmet finansierar projektet med 400 000 euro.", lang="sv")
    assert funders == {"Interreg"}
    funders, _ = _funders("Hanke on Sitran tukema.")
    assert funders == {"Sitra"}
    funders, _ = _funders("Projektet får stöd från Institutet för hälsa och välfärd.", lang="sv")
    assert funders == {"THL"}
    funders, _ = _funders("Hanke toteutetaan valtion erityisavustuksella.")
    assert funders == {"Valtio"}
    funders, _ = _funders("Projektet finansieras med statliga medel.", lang="sv")
    assert funders == {"Valtio"}


def test_eu_and_state_money_in_one_phrase() -> None:
    funders, _ = _funders("Budjetti: 400 000 € (EU- ja valtion rahoitus 80 %)")
    assert funders == {"EU", "Valtio"}


def test_the_ministry_named_in_the_site_line_pays_when_the_ministry_hands_out_money() -> None:
    funders, _ = _funders("Social- och hälsovårdsministeriet meddelar",
                          "Ministeriet delar ut sammanlagt 20 miljoner euro till välfärdsområdena.", lang="sv")
    assert funders == {"STM"}
    # a ministry named in passing, and no ministry handing out money, pays nothing
    funders, _ = _funders("Kainuun hyvinvointialue tiedottaa",
                          "Sosiaali- ja terveysministeriön linjaukset ohjaavat työtä. Hyvinvointialueen talousarvio "
                          "on 900 miljoonaa euroa.")
    assert "STM" not in funders


def test_swedish_genitives_and_hyphenated_names() -> None:
    funders, _ = _funders("Projektet finansieras med Institutet för hälsa och välfärds bidrag på 200 000 euro.",
                          lang="sv")
    assert funders == {"THL"}
    funders, _ = _funders("Projektet beviljades 300 000 euro ur EU:s återhämtnings- och resiliensfacilitet.", lang="sv")
    assert funders == {"NextGenerationEU/RRF"}
