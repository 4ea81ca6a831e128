"""Whose money a sum is when a page speaks of more than one project, or of the county as a whole (issue 13).

Shapes learnt from real news lists, board minutes, final reports and ministry releases (the ``pages``
corpus) and from dev pages written without seeing the code; every page below is our own invented text,
names and sums. Each test checks the sum's project on its page and, where the shape is about totals,
the granted euros of the project records built from the pages.
"""

from __future__ import annotations

import pytest

from hakemisto.facts.projects import build_projects
from tests.test_project_shapes import _attached, _docs, _granted

pytestmark = pytest.mark.slow  # the spaCy pipelines on every page


def test_news_headings_each_over_a_paragraph_of_its_project_and_money() -> None:
    """A news page presenting several projects, each name a heading over a paragraph with its grant
    ('Kolme uutta hanketta …' ¶ 'Kotisairaala etänä' ¶ '… 640 000 euron valtionavustuksella …'): each sum
    is its heading's; the lead's sum of all three is none's."""
    (doc,) = _docs(("ks_news", "Kolme uutta kehittämishanketta alkaa", (
        "Kolme uutta kehittämishanketta alkaa – rahoitusta yhteensä 1,31 miljoonaa euroa",
        "Keski-Suomen hyvinvointialue on saanut rahoitusta kolmelle uudelle kehittämishankkeelle. Hankkeet "
        "saavat yhteensä 1,31 miljoonaa euroa.",
        "Kotisairaala etänä",
        "Sosiaali- ja terveysministeriön myöntämällä 640 000 euron valtionavustuksella kehitetään "
        "kotisairaalan etäkäyntejä Jämsässä ja Saarijärvellä. Hanke kestää vuoden 2026 loppuun.",
        "Muistikoti verkossa",
        "Sitra rahoittaa 390 000 eurolla kokeilua, jossa muistisairaiden omaiset saavat neuvontaa verkossa.",
        "Liikkuva arki Keuruulla",
        "Opetus- ja kulttuuriministeriö tukee 280 000 eurolla hanketta, joka tuo liikuntaneuvonnan "
        "terveysasemille.",
        "Lisätietoja: kehittämispäällikkö Aino Kettunen, p. 014 266 0000",
    ), "fi"))
    attached = _attached(doc)
    assert attached[640_000] == "Kotisairaala etänä"
    assert attached[390_000] == "Muistikoti verkossa"
    assert attached[280_000] == "Liikkuva arki Keuruulla"
    assert attached[1_310_000] is None


def test_swedish_trial_names_after_forsoket_and_programme_names_are_no_project() -> None:
    """'för försöket X, där …' names the trial up to its place ('i tid – Lappland', 'i Vasa och Korsholm');
    'Interreg Aurora-projektet Nordlig vårdlänk' names the project, never 'Interreg Aurora'."""
    (doc,) = _docs(("sitra_sv", "Två försök får stöd", (
        "Två försök får stöd för förebyggande arbete",
        "Österbottens välfärdsområde får 120 000 euro för försöket Hälsodata i Vasa och Korsholm, där "
        "laboratorievärden används för att hitta risker i tid.",
        "Lapplands välfärdsområde får 95 000 euro för försöket Förebygg i tid – Lappland, som riktar sig "
        "till äldre.",
        "Välfärdsområdet deltar också i Interreg Aurora-projektet Nordlig vårdlänk. Projektets totala budget "
        "är 1,2 miljoner euro.",
    ), "sv"))
    attached = _attached(doc)
    assert attached[120_000] == "Hälsodata i Vasa och Korsholm"
    assert attached[95_000] == "Förebygg i tid – Lappland"
    assert attached[1_200_000] == "Nordlig vårdlänk"
    assert doc.facts is not None and not any("Interreg" in p for p in doc.facts.projects)


def test_money_of_the_ended_project_and_of_its_follow_on() -> None:
    """'Päättyneen hankkeen toteutuneet kustannukset' are the ended project's, the follow-on's grant is
    the follow-on's; the same in Swedish with the ended project in a relative clause."""
    fi, sv = _docs(
        ("pk_jatko", "Perhetyö jatkuu uudella nimellä", (
            "Perhetyö jatkuu uudella nimellä",
            "Pohjois-Savon hyvinvointialueen vuoden 2024 lopussa päättynyt Perhetyön polku Savossa -hanke saa "
            "jatkoa. Jatkohanke on nimeltään "
            "Perhepolku 2.0, ja se jatkaa työtä vuosina 2025–2026.",
            "Edellisessä hankkeessa perustettiin viisi perhekeskusta. Päättyneen hankkeen toteutuneet "
            "kustannukset olivat 880 000 euroa.",
            "Sosiaali- ja terveysministeriö on myöntänyt jatkohankkeelle 540 000 euroa.",
        ), "fi"),
        ("iu_projekt", "Projekt 2025", (
            "Projekt 2025",
            "Nattvård hemma",
            "Projektet är ett fortsättningsprojekt till Trygg kväll i Borgå, som avslutades 2024 och vars "
            "kostnader uppgick till 214 000 euro. Statsunderstödet för fortsättningsprojektet är 198 000 euro.",
            "Kontaktperson: projektchef Lena Ek, 040 111 2233",
            "Hemma med stöd",
            "Projektet stöder äldre som bor ensamma. Social- och hälsovårdsministeriet har beviljat "
            "projektet 150 000 euro.",
            "Kontaktperson: projektledare Timo Ström, 040 111 4455",
        ), "sv"),
    )
    attached = _attached(fi)
    assert attached[880_000] == "Perhetyön polku Savossa"
    assert attached[540_000] == "Perhepolku 2.0"
    attached = _attached(sv)
    assert attached[214_000] == "Trygg kväll i Borgå"
    assert attached[198_000] == "Nattvård hemma"


def test_county_money_is_no_projects() -> None:
    """A minute item about the county's own grant names no project: the project of another item does
    not take it; a county's total and its hyte money in a paragraph about one project are none's."""
    minute, news = _docs(
        ("iu_styrelsen", "Välfärdsområdesstyrelsen protokoll 3/2025", (
            "Välfärdsområdesstyrelsen\nProtokoll 3/2025",
            "§ 40 Statsunderstöd för ICT-förändringskostnader",
            "Finansministeriet har beviljat välfärdsområdet 960 000 euro i statsunderstöd för "
            "ICT-förändringskostnader.",
            "§ 41 Ansökan om statsunderstöd för projektet Ungas rörelse",
            "Välfärdsområdet ansöker om 240 000 euro för projektet Ungas rörelse. Projektets totalkostnad "
            "är 300 000 euro.",
        ), "sv"),
        ("ph_hyte", "Liikkuen arjessa -hanke sai avustuksen", (
            "Liikkuen arjessa -hanke sai avustuksen",
            "Päijät-Hämeen hyvinvointialue sai vuodelle 2025 hyte-kertoimen perusteella noin 1,8 miljoonaa "
            "euroa. Liikkuen arjessa -hankkeelle myönnettiin lisäksi 85 000 euron avustus.",
            "Hankkeen tavoitteena on lisätä ikäihmisten liikkumista kotona.",
        ), "fi"),
    )
    attached = _attached(minute)
    assert attached[960_000] is None
    assert attached[240_000] == attached[300_000] == "Ungas rörelse"
    attached = _attached(news)
    assert attached[1_800_000] is None
    assert attached[85_000] == "Liikkuen arjessa"


def test_numbered_applications_and_their_sum_in_a_minute() -> None:
    """'1. Name' with its text on its own line, one sum each; the sum of the applications ('Hakemusten
    yhteissumma', 'kolmelle hankkeelle yhteensä') is none's; 'Pirkanmaalle myönnettiin näin yhteensä'
    neither."""
    apply, decide = _docs(
        ("pi_haku", "Valtionavustushakemukset kolmeen kehittämishankkeeseen", (
            "§ 12 Valtionavustushakemukset kolmeen kehittämishankkeeseen",
            "Hakemukset ovat seuraavat:",
            "1. Nuorten mielenterveyspalvelut Tampereella (NuMiT)",
            "Hankkeessa vakiinnutetaan nuorten mielenterveystiimit. Haettava avustus on 520 000 euroa.",
            "2. Etäkäynnit kotihoidossa",
            "Kotihoidon asiakkaille otetaan käyttöön kuvapuhelut. Avustusta haetaan 310 000 euroa.",
            "3. Perhekeskusten ajanvaraus",
            "Ajanvaraus ja chat yhdistetään. Haettava summa 170 000 €.",
            "Hakemusten yhteissumma on 1 000 000 euroa.",
        ), "fi"),
        ("pi_paatos", "Valtionavustuspäätökset", (
            "§ 90 Valtionavustuspäätökset",
            "Ministeriö myönsi Nuorten mielenterveyspalvelut Tampereella -hankkeelle 500 000 euroa. "
            "Etäkäynnit kotihoidossa -hanke sai avustusta haetun mukaisesti, 310 000 euroa.",
            "Pirkanmaalle myönnettiin näin yhteensä 810 000 euroa.",
        ), "fi"),
    )
    attached = _attached(apply)
    assert attached[520_000] == "Nuorten mielenterveyspalvelut Tampereella"
    assert attached[310_000] == "Etäkäynnit kotihoidossa"
    assert attached[170_000] == "Perhekeskusten ajanvaraus"
    assert attached[1_000_000] is None
    attached = _attached(decide)
    assert attached[500_000] == "Nuorten mielenterveyspalvelut Tampereella"
    assert attached[810_000] is None


def test_a_grant_and_its_parts_across_pages_count_once() -> None:
    """'Täydentävästä avustuksesta 120 000 euroa kohdennettiin …' is inside the grant before it; a ministry
    list's 400 000 € is inside the minute's 'kaikkiaan 550 000 euroa' (400 000 + 150 000): the record
    counts 550 000 €, not 950 000 €."""
    minute, release = _docs(
        ("vk_minute", "Itsenäinen arki Vantaalla -hankkeen lisäavustus", (
            "Itsenäinen arki Vantaalla -hankkeen lisäavustus",
            "Sosiaali- ja terveysministeriö myönsi Itsenäinen arki Vantaalla -hankkeelle valtionavustusta "
            "400 000 euroa. Ministeriö on myöntänyt hankkeelle 150 000 euron lisäavustuksen. Hankkeen avustus "
            "on nyt kaikkiaan 550 000 euroa.",
            "Täydentävästä avustuksesta 120 000 euroa kohdennettiin asumisvalmennukseen.",
        ), "fi"),
        ("stm_list", "Erityisavustukset nuorten palveluihin", (
            "Erityisavustukset nuorten palveluihin",
            "Sosiaali- ja terveysministeriö on myöntänyt erityisavustuksia seuraavasti:",
            "Vantaan ja Keravan hyvinvointialue | Itsenäinen arki Vantaalla | 400 000 euroa",
            "Kainuun hyvinvointialue | Nuoret mukaan Kainuussa | 300 000 euroa",
        ), "fi"),
    )
    granted = _granted(build_projects([minute, release]))
    assert granted["Itsenäinen arki Vantaalla"] == 550_000


def test_project_named_by_a_given_name_and_a_swedish_project_page() -> None:
    """'Kokeilu kantaa nimeä X' and 'Projektet, som fått namnet ”X”' name the project; a Swedish page whose
    body opens with its title and speaks of 'Projektet' is that project's page."""
    fi, sv, page = _docs(
        ("pk_lehti", "Siun sote saa rahaa kokeiluun", (
            "Siun sote saa Sitralta 150 000 euroa kokeiluun, jossa yksin asuville etsitään arjen kaveri. "
            "Kokeilu kantaa nimeä Arjen tukija Joensuussa, ja se alkaa lokakuussa.",
        ), "fi"),
        ("vs_nyhet", "Unga får samtalsstöd snabbare", (
            "Ett nytt projekt för psykisk hälsa startar i skärgården.",
            "Projektet, som fått namnet ”Lugn i skärgården”, genomförs åren 2025–2026. Social- och "
            "hälsovårdsministeriet har beviljat projektet 260 000 euro.",
        ), "sv"),
        ("ob_projekt", "Arbetsvägen i Vasa", (
            "Arbetsvägen i Vasa",
            "Arbetsvägen i Vasa hjälper personer som länge stått utanför arbetslivet. Projektet samlar "
            "arbetskraftsservicens och hälsovårdens tjänster.",
            "Finansiering",
            "Projektets totala budget är 520 000 euro. Europeiska socialfonden+ och staten finansierar "
            "416 000 euro.",
        ), "sv"),
    )
    assert _attached(fi)[150_000] == "Arjen tukija Joensuussa"
    assert _attached(sv)[260_000] == "Lugn i skärgården"
    attached = _attached(page)
    assert attached[520_000] == attached[416_000] == "Arbetsvägen i Vasa"


def test_a_national_list_of_county_sums_does_not_add_to_a_grant_the_county_states() -> None:
    """A ministry's list of supplementary grants per county names no project; the county's own page
    states its programme project's grant. The project's grant is the county page's; the national sum is
    shown with its reason, not added ('county_level')."""
    county, national = _docs(
        ("la_rrp", "Etäpalvelut lähemmäs Lapissa", (
            "Etäpalvelut lähemmäs Lapissa -hanke",
            "Lapin hyvinvointialueen Etäpalvelut lähemmäs Lapissa -hankkeelle on myönnetty rahoitusta "
            "2,4 miljoonaa euroa Suomen kestävän kasvun ohjelmasta.",
        ), "fi"),
        ("vm_rrp", "Kestävän kasvun ohjelman täydentävät avustukset", (
            "Kestävän kasvun ohjelman täydentävät valtionavustukset",
            "sosiaali- ja terveysministeriö\nJulkaisuajankohta 12.10.2024\nTiedote 188/2024",
            "Sosiaali- ja terveysministeriö on myöntänyt Suomen kestävän kasvun ohjelman täydentävässä haussa "
            "valtionavustuksia hyvinvointialueille yhteensä noin 3 miljoonaa euroa.",
            "Valtionavustus myönnetään seuraavasti:",
            "• Lapin hyvinvointialue 910 000 euroa\n• Kainuun hyvinvointialue 640 000 euroa\n"
            "• Satakunnan hyvinvointialue 720 000 euroa\n• Pirkanmaan hyvinvointialue 730 000 euroa",
        ), "fi"),
    )
    records = build_projects([county, national])
    lappi = [p for p in records.projects if p.region == "Lappi" and p.granted_eur]
    assert [p.granted_eur for p in lappi] == [2_400_000]
    assert any(a.reason == "county_level" and a.eur == 910_000 for p in lappi for a in p.amounts)
