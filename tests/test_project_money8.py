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
