"""Pages that name several projects, each with its own sums, in the shapes real pages use (issue 13).

Shapes learnt from real minutes, grant lists, county portfolio pages and ministry releases (the
``pages`` corpus); every page below is our own invented text, names and sums. Each test checks both
halves of the money path: which project a sum is attached to on its page, and the granted euros of
the project records built from the pages.
"""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document
from hakemisto.facts.entities import annotate
from hakemisto.facts.projects import ProjectSet, build_projects
from hakemisto.jobs.pipeline import link

pytestmark = pytest.mark.slow  # the spaCy pipelines on every page


def _docs(*pages: tuple[str, str, tuple[str, ...], str]) -> list[Document]:
    """(id, title, paragraphs, lang) → annotated and linked documents."""
    docs = [Document(id=i, title=t, paragraphs=p, lang=lang) for i, t, p, lang in pages]
    return link(annotate(docs))


def _attached(doc: Document) -> dict[float, str | None]:
    assert doc.facts is not None
    return {a.eur: a.project for a in doc.facts.amounts}


def _granted(records: ProjectSet) -> dict[str, float]:
    return {p.name: p.granted_eur for p in records.projects}


def test_numbered_minute_items_each_with_its_grant_or_application() -> None:
    """'1. Name' over a paragraph about its money: each item is a project, each sum its item's; an
    application is not a grant, a complement to an earlier grant adds to it."""
    (doc,) = _docs(("es_minute", "§ 31 Valtionavustushankkeiden jatko", (
        "Etelä-Savon hyvinvointialue\nPöytäkirja\nAluehallitus 12.2.2025",
        "§ 31 Valtionavustushankkeiden jatko ja uudet hakemukset",
        "Etelä-Savon hyvinvointialue hallinnoi useita hankkeita. Alla on hankkeittain myönnetty rahoitus.",
        "1. Kotiin vietävä palliatiivinen hoito Etelä-Savossa",
        "Sosiaali- ja terveysministeriö on myöntänyt hakemuksen mukaisesti valtionavustusta 1,2 milj. euroa "
        "käytettäväksi 1.1.2025–31.12.2026 kotiin vietävän palliatiivisen hoidon kehittämiseen.",
        "2. Nuorten päihdetyön verkosto (NUPA) -hankkeen jatko",
        "Hyvinvointialueelle myönnettiin 3.12.2024 valtionavustusta 96 400 euroa Nuorten päihdetyön verkosto "
        "(NUPA) -hankkeen jatkokaudelle. Avustus täydentää aiemmin hankkeelle myönnettyä 210 000 euron avustusta.",
        "3. Omaishoitajien vertaistuki verkossa",
        "Hyvinvointialue hakee Sosiaali- ja terveysministeriöltä valtionavustusta 318 000 euroa. Hankkeen "
        "kokonaiskustannukset ovat 353 000 euroa.",
    ), "fi"))
    attached = _attached(doc)
    assert attached[1_200_000] == "Kotiin vietävä palliatiivinen hoito Etelä-Savossa"
    assert attached[318_000] == attached[353_000] == "Omaishoitajien vertaistuki verkossa"
    granted = _granted(build_projects([doc]))
    assert granted["Kotiin vietävä palliatiivinen hoito Etelä-Savossa"] == 1_200_000
    assert granted["Nuorten päihdetyön verkosto"] == 306_400
    assert granted["Omaishoitajien vertaistuki verkossa"] == 0  # applied, not granted


def test_swedish_grant_list_name_lines_over_field_lines() -> None:
    """'Name' / 'Sökande: …' / 'Beviljat stöd: N euro': the sum is its block's, not the page's only
    other project's (one that was refused and only applied)."""
    (doc,) = _docs(("ost_beviljade", "Nya projekt har beviljats finansiering", (
        "Nya projekt har beviljats finansiering",
        "Följande projekt har beviljats medel ur Europeiska socialfonden plus (ESF+):",
        "Vägen till arbete i Jakobstad\nSökande: Välfärdsområdet i Österbotten\nBeviljat stöd: 412 000 euro",
        "Stödboende för unga vuxna\nSökande: Välfärdsområdet i Österbotten och Vasa stad\n"
        "Beviljat stöd: 268 500 euro",
        "Ett tredje projekt, Digitalt stöd för närståendevårdare, fick avslag. Projektet hade ansökt om 190 000 euro.",
    ), "sv"))
    attached = _attached(doc)
    assert attached[412_000] == "Vägen till arbete i Jakobstad"
    assert attached[268_500] == "Stödboende för unga vuxna"
    granted = _granted(build_projects([doc]))
    assert granted["Vägen till arbete i Jakobstad"] == 412_000
    assert granted.get("Digitalt stöd för närståendevårdare", 0) == 0


def test_national_grant_list_in_any_order_of_applicant_name_and_sum() -> None:
    """A ministry's list, one line per county in four different orders: every sum is its line's
    project's and its county's; the pot and the total are nobody's."""
    (doc,) = _docs(("stm_list", "STM myönsi avustuksia viidelle hyvinvointialueelle", (
        "STM myönsi avustuksia viidelle hyvinvointialueelle",
        "Sosiaali- ja terveysministeriö on myöntänyt yhteensä 3,9 miljoonaa euroa valtionavustuksia "
        "hyvinvointialueiden päihdepalvelujen kehittämiseen. Haussa oli jaettavissa enintään 5 miljoonaa euroa.",
        "Avustusta saivat:",
        "Satakunnan hyvinvointialue, Päihdetyön ketju Satakunnassa, 820 000 euroa",
        "Kanta-Hämeen hyvinvointialue: Matalan kynnyksen päihdetuki, 760 000 euroa",
        "Pirkanmaan hyvinvointialue – Päihdepysäkki Pirkanmaa (1 100 000 €)",
        "Lapin hyvinvointialueen Tunturin päihdetyö -hanke, 640 000 euroa",
    ), "fi"))
    attached = _attached(doc)
    assert attached[820_000] == "Päihdetyön ketju Satakunnassa"
    assert attached[1_100_000] == "Päihdepysäkki Pirkanmaa"
    assert attached[3_900_000] is None and attached[5_000_000] is None
    records = build_projects([doc])
    by_name = {p.name: p for p in records.projects}
    assert by_name["Päihdetyön ketju Satakunnassa"].region == "Satakunta"
    assert by_name["Matalan kynnyksen päihdetuki"].granted_eur == 760_000
    assert by_name["Päihdepysäkki Pirkanmaa"].region == "Pirkanmaa"
    assert records.region_total("Satakunta") == 820_000


def test_bullets_with_a_label_or_a_funder_and_two_projects_in_one_sentence() -> None:
    """'• Hanke X: 1,2 milj. €', '• X (THL) 95 000 €'; in 'X-hankkeelle 640 000 euroa ja Y:n
    kehittämishankkeelle 880 000 euroa' the second sum is not X's even when Y is not recognised."""
    docs = _docs(
        ("ks_bullets", "Hyvinvointialueelle kolme rahoituspäätöstä", (
            "Hyvinvointialueelle kolme rahoituspäätöstä",
            "Keski-Suomen hyvinvointialue sai maaliskuussa kolme myönteistä rahoituspäätöstä:",
            "• Hanke Kotihoidon yöpartio: 1,2 milj. €\n• Sujuva lähete -hanke: 450 000 euroa\n"
            "• Ikäihmisten liikuntaneuvonta (THL) 95 000 €",
        ), "fi"),
        ("ps_sentence", "Kolme kehittämishanketta sai rahoituksen", (
            "Kolme kehittämishanketta sai rahoituksen",
            "Sosiaali- ja terveysministeriö myönsi Pohjois-Savon hyvinvointialueen Arjen apu kotiin -hankkeelle "
            "640 000 euroa ja Savon sosiaalipäivystyksen kehittämishankkeelle 880 000 euroa. Lisäksi Kelan "
            "rahoittama Työkyvyn polku -kokeilu sai 560 000 euroa.",
        ), "fi"),
    )
    bullets, sentence = (_attached(d) for d in docs)
    assert bullets[1_200_000] == "Kotihoidon yöpartio"
    assert bullets[95_000] == "Ikäihmisten liikuntaneuvonta"
    assert sentence[640_000] == "Arjen apu kotiin" and sentence[880_000] != "Arjen apu kotiin"
    assert sentence[560_000] == "Työkyvyn polku"  # not 'Lisäksi Kelan rahoittama Työkyvyn polku'
    granted = _granted(build_projects(docs))
    assert granted["Arjen apu kotiin"] == 640_000


def test_portfolio_cards_and_a_total_of_several_projects() -> None:
    """Cards of a county's portfolio (name line, 'Rahoittaja:' / 'Myönnetty:' fields, a status note in
    parentheses; Swedish cards with 'Finansiering:' / 'Kontaktperson:'), and 'Kaikkiaan hankkeisiin …
    noin 2,7 miljoonaa euroa' below the last card: the total is no card's."""
    docs = _docs(
        ("kh_cards", "Käynnissä olevat hankkeet", (
            "Käynnissä olevat hankkeet",
            "Hyvinvointialueella on käynnissä useita kehittämishankkeita. Alla hankkeet ja niiden rahoitus.",
            "Kotihoidon yökäynnit\nRahoittaja: STM\nKesto: 2024–2025\nMyönnetty rahoitus: 480 000 €\n"
            "Hankkeessa kokeillaan yöpartiota.",
            "Päättyneet hankkeet",
            "Muistihoitajan etävastaanotto (päättyi 31.12.2023)\nRahoittaja: STM\nMyönnetty: 150 000 €\n"
            "Toteutuneet kustannukset: 141 200 €",
            "Kaikkiaan hankkeisiin on tällä hetkellä sidottu ulkopuolista rahoitusta noin 2,7 miljoonaa euroa.",
        ), "fi"),
        ("kp_cards", "Pågående utvecklingsprojekt", (
            "Pågående utvecklingsprojekt",
            "Välfärdsområdet har tre projekt med extern finansiering.",
            "Skolhälsa i Jakobstad",
            "Projektet för in kuratorer och psykologer i samma team i skolorna.",
            "Finansiering: social- och hälsovårdsministeriet har beviljat 280 000 euro för 2025–2026.",
            "Kontaktperson: projektledare Sara Lind, tfn 040 806 5120",
            "Distansvård i hemmen",
            "Hemvården tar i bruk distansbesök. Projektet ingår i programmet för hållbar tillväxt.",
            "Finansiering: 740 000 euro.",
            "Kontaktperson: projektchef Tom Berg, tfn 040 806 5133",
        ), "sv"),
    )
    cards, sv_cards = (_attached(d) for d in docs)
    assert cards[480_000] == "Kotihoidon yökäynnit"
    assert cards[150_000] == cards[141_200] == "Muistihoitajan etävastaanotto"
    assert cards[2_700_000] is None
    assert sv_cards[280_000] == "Skolhälsa i Jakobstad" and sv_cards[740_000] == "Distansvård i hemmen"
    granted = _granted(build_projects(docs))
    assert granted["Kotihoidon yökäynnit"] == 480_000 and granted["Muistihoitajan etävastaanotto"] == 150_000
    assert "Käynnissä olevat hankkeet" not in granted


def test_a_report_names_its_project_in_the_title_and_a_follow_up_in_the_text() -> None:
    """'X – hankkeen loppuraportti' names X; 'jatkohankkeessa Y' names Y; the follow-up's grant is Y's."""
    (doc,) = _docs(("kh_report", "Arjen turva Hämeessä – hankkeen loppuraportti", (
        "Arjen turva Hämeessä – hankkeen loppuraportti",
        "Arjen turva Hämeessä oli kaksivuotinen kehittämishanke. Sosiaali- ja terveysministeriö myönsi "
        "hankkeelle valtionavustusta 520 000 euroa.",
        "Työ jatkuu vuosina 2025–2026 jatkohankkeessa Turvaa lähelle – Häme. Sosiaali- ja terveysministeriö "
        "on myöntänyt jatkohankkeelle 300 000 euroa.",
    ), "fi"))
    attached = _attached(doc)
    assert attached[520_000] == "Arjen turva Hämeessä"
    assert attached[300_000] == "Turvaa lähelle – Häme"


def test_list_lines_with_what_the_money_is_for_and_swedish_names_with_a_lower_case_phrase() -> None:
    """'- X: 1 950 000 euroa sähköisen asioinnin käyttöönottoon' (a purpose after the sum; a name word
    holding a section word, 'etäpalvelut'); the whole 'yhteensä 3,2 miljoonaa' is the county's, no
    project's; 'projektet Psykisk hälsa i första linjen i Kymmenedalen' is read whole; a Swedish
    sentence line ('SHM beviljade …') is no list line."""
    fi, sv = _docs(
        ("sk_rrp2", "Satakunta sai 3,2 miljoonaa euroa", (
            "Satakunta sai 3,2 miljoonaa euroa",
            "Satakunnan hyvinvointialue on saanut valtionavustusta yhteensä 3,2 miljoonaa euroa.",
            "Rahoitus jakautuu kahdelle hankkeelle:\n- Satakunnan digiportti: 1 950 000 euroa sähköisen "
            "asioinnin käyttöönottoon\n- Kuntoutuksen etäpalvelut Satakunnassa: 1 250 000 euroa etäkuntoutukseen",
        ), "fi"),
        ("ky_sv", "Kymmenedalen får medel", (
            "Kymmenedalen får medel",
            "SHM beviljade 2 miljoner euro till välfärdsområdena i östra Finland.",
            "Social- och hälsovårdsministeriet har beviljat Kymmenedalens välfärdsområde 1 985 000 euro för "
            "projektet Psykisk hälsa i första linjen i Kymmenedalen.",
        ), "sv"),
    )
    attached = _attached(fi)
    assert attached[1_950_000] == "Satakunnan digiportti"
    assert attached[1_250_000] == "Kuntoutuksen etäpalvelut Satakunnassa"
    assert attached[3_200_000] is None
    assert sv.facts is not None and "Psykisk hälsa i första linjen i Kymmenedalen" in sv.facts.projects
    assert not any(name.startswith("SHM") for name in sv.facts.projects)


def test_a_rounded_figure_stands_for_anything_within_half_its_last_digit() -> None:
    """'cirka 0,6 miljoner' beside '640 000 €' is one grant (6 % apart, within half of 0,1 M€); two
    exact sums 6 % apart are two grants; never more than 10 % apart."""
    from hakemisto.facts.projects import ProjectAmount, _same_sum

    def amount(eur: float, qualifier: str | None = None) -> ProjectAmount:
        return ProjectAmount(eur=eur, text="", role="granted", doc_id="d", link="d", lang="sv", qualifier=qualifier)

    assert _same_sum(amount(600_000, "cirka"), amount(640_000))
    assert not _same_sum(amount(600_500), amount(640_000))
    assert not _same_sum(amount(2_000_000, "noin"), amount(1_600_000))  # 20 % apart: two grants
    assert _same_sum(amount(1_500_000, "noin"), amount(1_498_000))


def test_a_list_under_a_perfect_tense_grant_and_people_seeking_help_are_grants() -> None:
    """'STM on rahoittanut alueiden hankkeita …:' over a list is a grant list, even on a page whose
    quotes say 'haetaan apua' (people seeking help, not applications); a 'Relaterade nyheter' teaser's
    sum is no project's."""
    thl, sv = _docs(
        ("thl_list", "Päihdetyön mallit leviävät", (
            "Päihdetyön mallit leviävät",
            "Sosiaali- ja terveysministeriö on rahoittanut alueiden hankkeita yhteensä 1,1 miljoonalla eurolla:",
            "Lapin hyvinvointialue, Päihdetyö tunturissa: 520 000 euroa\n"
            "Kainuun hyvinvointialue, Riippuvuustyön polku Kainuussa: 580 000 euroa",
            "– Apua haetaan usein liian myöhään. Kun apua voi hakea lähellä, kynnys hakea apua madaltuu.",
        ), "fi"),
        ("hel_sv", "Projektet Trygg stad får EU-medel", (
            "Projektet Trygg stad får EU-medel",
            "Helsingfors deltar i projektet Trygg stad. Projektets totala budget är 2 miljoner euro.",
            "Relaterade nyheter\nHelsingfors ungdomsstation får 1,2 miljoner euro av SHM",
        ), "sv"),
    )
    assert thl.facts is not None
    roles = {a.eur: a.role for a in thl.facts.amounts}
    assert roles[520_000] == roles[580_000] == "granted"
    assert _attached(thl)[520_000] == "Päihdetyö tunturissa"
    assert _attached(sv).get(1_200_000) is None  # (left out, or kept without a project)


def test_a_fi_name_joins_a_sv_name_only_when_the_whole_names_read_alike() -> None:
    """'Mielenterveyden tuki Kymenlaaksossa' and 'Psykisk hälsa i första linjen i Kymmenedalen' share
    their translated words but are two projects; 'Teknologiaa kotiin Varsinais-Suomessa' and 'Teknik i
    hemmet i Egentliga Finland' are one."""
    from hakemisto.facts.projects import _Mention, _same_name

    def mention(name: str, lang: str) -> _Mention:
        return _Mention(name=name, region="Kymenlaakso", doc_id=name, lang=lang, order=0)

    assert not _same_name(mention("Mielenterveyden tuki Kymenlaaksossa", "fi"),
                          mention("Psykisk hälsa i första linjen i Kymmenedalen", "sv"))
    assert _same_name(mention("Teknologiaa kotiin Varsinais-Suomessa", "fi"),
                      mention("Teknik i hemmet i Egentliga Finland", "sv"))


def test_a_towns_co_financing_share_is_budget_not_a_grant() -> None:
    """'Borgå stad deltar med 34 000 euro', '… rahoitetaan kaupungin talousarviosta': a town's own share
    is budget in fi and in sv alike, so the project's granted € is the state grant only; a grant *to*
    a town is still a grant."""
    (sv,) = _docs(("ost_sv", "Unga i arbete", (
        "Unga i arbete",
        "Projektet Unga i arbete i Borgå får 544 000 euro av Europeiska socialfonden plus och staten.",
        "Borgå stad deltar med 34 000 euro. Den del som överstiger stödet, 12 000 euro, täcks ur stadens budget.",
    ), "sv"))
    (fi,) = _docs(("js_fi", "Perheiden tuki", (
        "Perheiden tuki",
        "STM myönsi Perheiden tuki Jyväskylässä -hankkeelle 780 000 euroa. Jyväskylän kaupunki osallistuu "
        "hankkeen rahoitukseen 60 000 eurolla. STM myönsi lisäksi Jyväskylän kaupungille 90 000 euroa.",
    ), "fi"))
    assert sv.facts is not None and fi.facts is not None
    sv_roles = {a.eur: a.role for a in sv.facts.amounts}
    fi_roles = {a.eur: a.role for a in fi.facts.amounts}
    assert sv_roles[544_000] == "granted" and sv_roles[34_000] == sv_roles[12_000] == "budget"
    assert fi_roles[780_000] == "granted" and fi_roles[60_000] == "budget" and fi_roles[90_000] == "granted"
