"""Granted € per project: money that is not the project's grant (issue 13, session 8).

Classes taken from the dev pages (per-document diff of granted € per project, expected vs the sums that
were added up); every page below is our own invented text, names and sums. Each test checks the sum's
role or project on its page and the granted euros of the project records built from the pages.
"""

from __future__ import annotations

import pytest

from hakemisto.facts.projects import build_projects
from tests.test_project_shapes import _attached, _docs, _granted

pytestmark = pytest.mark.slow  # the spaCy pipelines on every page


def _roles(doc) -> dict[float, str | None]:  # type: ignore[no-untyped-def]
    assert doc.facts is not None
    return {a.eur: a.role for a in doc.facts.amounts}


def test_own_share_rows_of_a_financing_table_are_budget_not_grants() -> None:
    """A project's financing table lists who pays ('Rahoittaja | 2025' over 'STEA | 84 000 €'): the rows of
    the county and a town are their own shares (budget), also with their names; only the funder's row is
    granted, and the record's grant is that row alone."""
    (doc,) = _docs(("assoc_fi", "Omaishoitajien iltapäivät", (
        "Omaishoitajien iltapäivät",
        "Omaishoitajien iltapäivät -hanke tarjoaa vertaistukea omaishoitajille Kajaanissa ja Sotkamossa "
        "vuosina 2025–2027.",
        "Rahoitus",
        "Rahoittaja | 2025",
        "STEA | 84 000 €",
        "Kainuun hyvinvointialue | 12 000 €",
        "Sotkamon kunta | 4 000 €",
    ), "fi"))
    roles = _roles(doc)
    assert roles[84_000] == "granted"
    assert roles[12_000] == "budget"
    assert roles[4_000] == "budget"
    assert _granted(build_projects([doc])) == {"Omaishoitajien iltapäivät": 84_000}


def test_a_ministry_list_of_grants_by_county_stays_granted() -> None:
    """The counter-case: a ministry's table of grants whose rows are counties ('Hakija | Hanke |
    Myönnetty') has no funder's row and no funder column: each county's row is its grant."""
    (doc,) = _docs(("stm_fi", "Valtionavustukset kotihoidon kehittämiseen", (
        "Valtionavustukset kotihoidon kehittämiseen",
        "Sosiaali- ja terveysministeriö myönsi valtionavustukset seuraavasti:",
        "Hakija | Hanke | Myönnetty",
        "Kainuun hyvinvointialue | Kotihoito etänä Kainuussa | 410 000 €",
        "Lapin hyvinvointialue | Yöpartio Lapissa | 385 000 €",
    ), "und"))
    roles = _roles(doc)
    assert roles[410_000] == "granted"
    assert roles[385_000] == "granted"


def test_running_cost_after_the_project_from_the_base_budget_is_no_grant() -> None:
    """'Niiden vuosikustannus on noin 120 000 euroa, ja se katetaan hyvinvointialueen perusbudjetista': the
    county's ordinary running money after a project is neither its grant nor its budget ('årskostnad …
    ordinarie budget' in Swedish)."""
    fi, sv = _docs(
        ("rep_fi", "Kotona kuntoutus -hankkeen loppuraportti", (
            "Kotona kuntoutus -hankkeen loppuraportti",
            "Sosiaali- ja terveysministeriö myönsi Kotona kuntoutus -hankkeelle 540 000 euroa valtionavustusta.",
            "Hankkeessa perustetut kaksi etäkuntoutuksen tehtävää jäävät pysyviksi. Niiden vuosikustannus on "
            "noin 95 000 euroa, ja se katetaan hyvinvointialueen perusbudjetista.",
        ), "fi"),
        ("rep_sv", "Slutrapport för projektet Rehab hemma", (
            "Slutrapport för projektet Rehab hemma",
            "Social- och hälsovårdsministeriet beviljade projektet Rehab hemma 310 000 euro i statsunderstöd.",
            "De två nya tjänsterna blir permanenta. Deras årskostnad är cirka 70 000 euro och den täcks ur "
            "välfärdsområdets ordinarie budget.",
        ), "sv"),
    )
    assert _roles(fi)[95_000] == "other"
    assert _roles(sv)[70_000] == "other"
    granted = _granted(build_projects([fi, sv]))
    assert granted["Kotona kuntoutus"] == 540_000
    assert granted["Rehab hemma"] == 310_000


def test_a_partners_state_share_lies_inside_the_projects_stated_grant() -> None:
    """A page states the whole grant ('Interreg-finansiering: 1 200 000 €') and then one partner's part of
    the budget with its state share ('… hör 500 000 euro till välfärdsområdet, varav 400 000 euro
    finansieras av Interreg'): the share is inside the grant, not added to it. Without a stated whole grant
    the partner's state share is the grant the page gives (a board minute of the partner)."""
    card, minute = _docs(
        ("card_sv", "Care Bridge", (
            "Care Bridge",
            "Care Bridge är ett Interreg Central Baltic-projekt för vårdpersonal i skärgården 2025–2027.",
            "Total budget: 1,5 M€",
            "Interreg-finansiering: 1 200 000 € (80 %)",
            "Av den totala budgeten hör 500 000 euro till Egentliga Finlands välfärdsområde, varav 400 000 euro "
            "finansieras av Interreg Central Baltic.",
            "Välfärdsområdets egen finansiering täcker resten, 100 000 euro.",
        ), "sv"),
        ("minute_sv", "Styrelsen: projektet Skärgårdsvård", (
            "Styrelsen 12.3.2025",
            "Projektet Skärgårdsvård har beviljats finansiering ur programmet Interreg Central Baltic.",
            "Projektets totala budget är 2 000 000 euro för åren 2025–2027.",
            "Egentliga Finlands välfärdsområde 900 000 euro, varav Interreg-stöd 675 000 euro och egen "
            "finansiering 225 000 euro",
        ), "sv"),
    )
    assert _roles(card)[400_000] == "granted"
    granted = _granted(build_projects([card, minute]))
    assert granted["Care Bridge"] == 1_200_000
    assert granted["Skärgårdsvård"] == 675_000


def test_a_rounded_restatement_is_the_money_of_the_sum_it_restates() -> None:
    """'… statsunderstöd på 587 000 euro för projektet X.' ¶ 'Knappt 0,6 miljoner euro räcker till slutet
    av 2025.' ¶ then a second project: the rounded sum is X's money said again (counted once), not the
    page's other project's grant."""
    (doc,) = _docs(("paper_sv", "Välfärdsområdet prövar nattpatrull i skärgården", (
        "Välfärdsområdet prövar nattpatrull i skärgården – och hemvård med video",
        "Västra Nylands välfärdsområde har fått statsunderstöd på 412 000 euro för projektet med namnet "
        "Hemvård på distans i Raseborg.",
        "Pengarna kommer från social- och hälsovårdsministeriet. Drygt 0,4 miljoner euro räcker enligt "
        "välfärdsområdet till slutet av 2025.",
        "Dessutom startar i november ett försök kallat ”Nattpatrull i skärgården”. Försöket finansieras av "
        "Sitra med 90 000 euro.",
    ), "sv"))
    attached = _attached(doc)
    assert attached[412_000] == attached[400_000]
    assert attached[90_000] is not None and attached[90_000] != attached[412_000]
    granted = _granted(build_projects([doc]))
    assert granted[attached[412_000]] == 412_000
    assert granted[attached[90_000]] == 90_000


def test_a_financing_table_in_thousands_with_spanning_project_cells_and_totals() -> None:
    """'Summat tuhansina euroina (t€)': a table whose project cell spans its rows (the loader drops it on
    the second row), an own-share row and a project total under each project, and a grand total of
    grants: '1 100 t€' is a sum; each project's grant is its funder's row only; the own share and the
    project total are budget of the project above; the grand total is no project's."""
    (doc,) = _docs(("pk_table", "Ulkopuolisella rahoituksella toteutettavat hankkeet", (
        "Ulkopuolisella rahoituksella toteutettavat hankkeet 2025–2027",
        "Pohjois-Karjalan hyvinvointialueella on kaksi ulkopuolisella rahoituksella toteutettavaa hanketta. "
        "Summat ovat tuhansina euroina (t€).",
        "Hanke | Rahoituslähde | Rahoitus | Kausi",
        "Arjen turva Pohjois-Karjalassa | Sosiaali- ja terveysministeriön valtionavustus | 1 100 t€ | 2025–2027",
        "Hyvinvointialueen omarahoitusosuus | 110 t€ | 2025–2027",
        "Hanke yhteensä | 1 210 t€ | –",
        "Kotiapu Joensuussa 2.0 | Euroopan sosiaalirahasto ESR+ ja valtion vastinrahoitus | 360 t€ | 2025–2027",
        "Hyvinvointialueen omarahoitusosuus | 90 t€ | 2025–2027",
        "Hanke yhteensä | 450 t€ | –",
        "Myönnetty ulkopuolinen rahoitus yhteensä | 1 460 t€ | –",
        "Kotiapu Joensuussa 2.0 jatkaa vuosina 2022–2024 toteutettua Kotiapu Joensuussa -hanketta, jolle "
        "myönnettiin valtionavustusta aikanaan 0,7 milj. euroa.",
    ), "fi"))
    roles, attached = _roles(doc), _attached(doc)
    assert roles[1_100_000] == "granted" and roles[360_000] == "granted" and roles[1_460_000] == "granted"
    assert roles[110_000] == roles[1_210_000] == roles[90_000] == roles[450_000] == "budget"
    assert attached[110_000] == attached[1_210_000] == "Arjen turva Pohjois-Karjalassa"
    assert attached[90_000] == attached[450_000] == "Kotiapu Joensuussa 2.0"
    assert attached[1_460_000] is None
    assert doc.facts is not None and not any("yhteensä" in p for p in doc.facts.projects)
    granted = _granted(build_projects([doc]))
    assert granted["Arjen turva Pohjois-Karjalassa"] == 1_100_000
    assert granted["Kotiapu Joensuussa 2.0"] == 360_000  # the predecessor's 0,7 M€ is not the sequel's


def test_similar_names_that_add_a_word_of_their_own_are_other_projects() -> None:
    """'Saariston hoitoketju' and 'Saariston hoitoketju Link' (a sister project), and Swedish names that
    differ by a word ('Trygg vardag i Nyland' / 'Trygg hemvård i Nyland'), are separate records with their
    own grants; a subtitle after a dash is the same project."""
    docs = _docs(
        ("a_fi", "Saariston hoitoketju sai rahoitusta", (
            "Saariston hoitoketju sai rahoitusta",
            "Varsinais-Suomen hyvinvointialueen Saariston hoitoketju -hanke sai 410 000 euroa Interreg-rahoitusta.",
        ), "fi"),
        ("b_fi", "Saariston hoitoketju Link jatkaa työtä", (
            "Saariston hoitoketju Link jatkaa työtä",
            "Varsinais-Suomen hyvinvointialueen Saariston hoitoketju Link -hankkeelle myönnettiin 760 000 euroa.",
        ), "fi"),
        ("c_sv", "Projektet Trygg vardag i Nyland", (
            "Projektet Trygg vardag i Nyland",
            "Västra Nylands välfärdsområde har beviljats 300 000 euro för projektet Trygg vardag i Nyland.",
        ), "sv"),
        ("d_sv", "Projektet Trygg hemvård i Nyland", (
            "Projektet Trygg hemvård i Nyland",
            "Västra Nylands välfärdsområde har beviljats 520 000 euro för projektet Trygg hemvård i Nyland.",
        ), "sv"),
    )
    granted = _granted(build_projects(docs))
    assert granted["Saariston hoitoketju"] == 410_000
    assert granted["Saariston hoitoketju Link"] == 760_000
    assert granted["Trygg vardag i Nyland"] == 300_000
    assert granted["Trygg hemvård i Nyland"] == 520_000


def test_own_contribution_written_as_oma_panos_is_budget() -> None:
    """'Hyvinvointialueen oma panos on noin 85 000 euroa' beside a funder's grant is the county's own share."""
    (doc,) = _docs(("bf_fi", "Kotisensorit-hanke sai Business Finlandin rahoituksen", (
        "Kotisensorit-hanke sai Business Finlandin rahoituksen",
        "Business Finland myönsi Kotisensorit-hankkeelle 260 000 euroa. Hyvinvointialueen oma panos on noin "
        "65 000 euroa, joka koostuu henkilöstön työajasta.",
    ), "fi"))
    assert _roles(doc)[65_000] == "budget"
    assert _granted(build_projects([doc])) == {"Kotisensorit": 260_000}


def test_a_name_with_a_word_inserted_is_another_project() -> None:
    """'Trygg hemma i Nyland' is not 'Trygg teknik hemma i Nyland' (all its words are in the other, but not
    as one run): two records, each with its own grant."""
    docs = _docs(
        ("e_sv", "Projektet Trygg hemma i Nyland", (
            "Projektet Trygg hemma i Nyland",
            "Projektet Trygg hemma i Nyland har beviljats 1 200 000 euro i statsunderstöd av social- och "
            "hälsovårdsministeriet för Västra Nylands välfärdsområde.",
        ), "sv"),
        ("f_sv", "Trygg teknik hemma i Nyland", (
            "Trygg teknik hemma i Nyland",
            "Västra Nylands välfärdsområde har beviljats 480 000 euro för projektet Trygg teknik hemma i Nyland.",
        ), "sv"),
    )
    granted = _granted(build_projects(docs))
    assert granted["Trygg hemma i Nyland"] == 1_200_000
    assert granted["Trygg teknik hemma i Nyland"] == 480_000


def test_applied_and_granted_columns_with_equal_sums_and_a_caption_unit() -> None:
    """'Hankkeiden rahoitus, tuhatta euroa' over 'Hanke | Rahoittaja | Haettu | Myönnetty | Omarahoitus':
    bare cells are thousands of euros; a project granted all it applied for ('640 | 640') has two sums
    (applied and granted), not one; the total row is no project's; 'Soite sai hankkeilleen … yhteensä noin
    1,5 milj. euroa' is several projects' money, not the last row's."""
    (doc,) = _docs(("kp_fi", "Soiten hankkeet saivat rahoitusta", (
        "Soiten hankkeet saivat rahoitusta",
        "Hankkeiden rahoitus, tuhatta euroa",
        "Hanke | Rahoittaja | Haettu | Myönnetty | Omarahoitus",
        "Kotiutus yöllä | STM | 1 000 | 920 | 230",
        "Perhetalo Kokkola | THL | 560 | 560 | –",
        "Yhteensä | – | 1 560 | 1 480 | 230",
        "Soite sai hankkeilleen ulkopuolista rahoitusta siis yhteensä noin 1,5 milj. euroa.",
    ), "fi"))
    assert doc.facts is not None
    pairs = {(a.eur, a.role): a.project for a in doc.facts.amounts}
    assert pairs[(560_000, "applied")] == pairs[(560_000, "granted")] == "Perhetalo Kokkola"
    assert pairs[(920_000, "granted")] == "Kotiutus yöllä"
    assert pairs[(1_480_000, "granted")] is None
    assert pairs[(1_500_000, "granted")] is None
    granted = _granted(build_projects([doc]))
    assert granted["Kotiutus yöllä"] == 920_000
    assert granted["Perhetalo Kokkola"] == 560_000


def test_a_funders_column_is_granted() -> None:
    """'Toteuttaja | Kustannusarvio | ESR+ ja valtio | Omarahoitus': a column headed by the funders is the
    grant, the cost estimate and the own share are budget."""
    (doc,) = _docs(("ps_fi", "Sosiaalityön verkosto Itä-Suomeen", (
        "Sosiaalityön verkosto Itä-Suomeen",
        "Itä-Suomen sosiaalityön verkosto -hanke toteutetaan kolmen hyvinvointialueen yhteistyönä.",
        "Toteuttaja | Kustannusarvio | ESR+ ja valtio | Omarahoitus",
        "Pohjois-Savon hyvinvointialue | 700 000 € | 560 000 € | 140 000 €",
        "Etelä-Savon hyvinvointialue | 300 000 € | 240 000 € | 60 000 €",
    ), "fi"))
    roles = _roles(doc)
    assert roles[560_000] == roles[240_000] == "granted"
    assert roles[700_000] == roles[140_000] == roles[300_000] == roles[60_000] == "budget"


def test_a_grant_changed_by_a_later_decision_counts_as_changed() -> None:
    """'myönnettiin alun perin 600 000 euroa. Ministeriö pienensi avustusta 520 000 euroon … tulot vähenevät
    80 000 euroa': the project's grant is the changed 520 000 € (the original is superseded, with its
    reason in fi and sv); the same in Swedish ('ursprungligen' … 'Efter ändringen')."""
    from hakemisto.facts.projects import reason_text

    fi, sv = _docs(
        ("kh_fi", "Aluevaltuusto: talousarvion muutos", (
            "Kanta-Hämeen hyvinvointialue, aluevaltuusto 14.4.2025",
            "Nuorten päihdetyön polku -hankkeelle myönnettiin alun perin 600 000 euroa. Ministeriö pienensi "
            "avustusta 520 000 euroon, koska suunniteltu yksikkö ei avautunut. Talousarvion tulot vähenevät "
            "80 000 euroa ja menot saman verran.",
        ), "fi"),
        ("ka_sv", "Stödet för projektet Distansläkare i byarna i Kajanaland sänktes", (
            "Stödet för projektet Distansläkare i byarna i Kajanaland sänktes",
            "Projektet Distansläkare i byarna i Kajanaland beviljades ursprungligen 900 000 euro våren 2024.",
            "Efter ändringen är understödet 760 000 euro.",
        ), "sv"),
    )
    records = build_projects([fi, sv])
    granted = _granted(records)
    assert granted["Nuorten päihdetyön polku"] == 520_000
    assert granted["Distansläkare i byarna i Kajanaland"] == 760_000
    reasons = {a.eur: a.reason for p in records.projects for a in p.amounts}
    assert reasons[600_000] == reasons[900_000] == "superseded"
    assert reason_text("superseded", "fi") and reason_text("superseded", "sv") != reason_text("superseded", "fi")


def test_a_returned_sum_in_a_final_report_is_no_grant() -> None:
    """A final report's fields 'Myönnetty valtionavustus: 450 000 €' / 'Toteutuneet kustannukset' /
    'Palautettava avustus: 31 000 €': the sum to be paid back is not a second grant."""
    (doc,) = _docs(("vs_fi", "Etäkuntoutus saaristoon -hankkeen loppuraportti", (
        "Etäkuntoutus saaristoon -hankkeen loppuraportti",
        "Varsinais-Suomen hyvinvointialue",
        "Myönnetty valtionavustus: 450 000 €",
        "Toteutuneet kustannukset: 419 000 €",
        "Palautettava avustus: 31 000 €",
    ), "fi"))
    assert _roles(doc)[31_000] == "other"
    assert _granted(build_projects([doc])) == {"Etäkuntoutus saaristoon": 450_000}
