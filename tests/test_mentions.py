"""Per-page project facts (issue 13 item 6): other names, years, status, lead, programmes — fi and sv."""

from __future__ import annotations

import pytest

from hakemisto.core.model import Entity
from hakemisto.facts.entities import sentences
from hakemisto.facts.mentions import aliases_of, period_of, project_mentions, status_of


def _mention(text: str, names: list[str], spans: tuple[Entity, ...] = ()) -> dict:
    return {m.name: m for m in project_mentions(text, names, sentences(text), spans)}


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Hanke toteutetaan vuosina 2023–2025.", (2023, 2025)),
        ("Hankkeelle myönnettiin rahoitus vuosille 2022-2023.", (2022, 2023)),
        ("Projektet genomförs under åren 2023–2025.", (2023, 2025)),
        ("Hankeaika on 1.1.2023–31.12.2025.", (2023, 2025)),
        ("Hanke käynnistettiin vuonna 2020.", (2020, None)),
        ("Toiminta-aika päättyi vuoden 2022 lopussa.", (None, 2022)),
        ("Projektet pågår till utgången av 2025.", (None, 2025)),
        ("Kunta hakee rahoitusta vuodelle 2022.", (2022, 2022)),
        ("Ansökan gäller för år 2024.", (2024, 2024)),
        ("Hankkeessa on 12 työntekijää.", (None, None)),
    ],
)
def test_period(sentence: str, period: tuple) -> None:
    assert period_of([sentence]) == period


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Kohti-hankkeen toiminta-aika on päättynyt.", "ended"),
        ("Projektet har avslutats och slutrapporten är klar.", "ended"),
        ("Hanke on käynnissä koko maakunnassa.", "ongoing"),
        ("Projektet pågår fram till 2025.", "ongoing"),
        ("Hanke käynnistettiin keväällä.", "started"),
        ("Projektet startade i januari.", "started"),
        ("Hankkeelle haetaan rahoitusta.", "applied"),
        ("Välfärdsområdet ansöker om finansiering för projektet.", "applied"),
        ("Uusi hanke on suunnitteilla.", "planned"),
        ("Ett nytt projekt planeras.", "planned"),
        ("Hanke käynnistettiin 2020, ja sen toinen kausi päättyy vuoden lopussa.", "ongoing"),
        ("Hankkeessa kehitetään kotihoitoa.", None),
    ],
)
def test_status(sentence: str, status: str | None) -> None:
    assert status_of([sentence]) == status


def test_acronym_long_form_and_other_language_names() -> None:
    from hakemisto.facts.attach import project_occurrences

    text = ("Tulevaisuuden kotona asumista tukevat palvelut -hankkeen (TulKoti) tavoitteena on tukea kotona "
            "asumista. Kati-hankkeessa (Kotona asumisen teknologiat ikäihmisille) kokeillaan laitteita. "
            "Prima Botnia – Hyvinvoiva Pohjanmaa (ruots. Prima Botnia – Välmående Österbotten) jatkuu. "
            "Sote-keskus (2020–2023) päättyi.")
    names = ["Tulevaisuuden kotona asumista tukevat palvelut", "Kati", "Prima Botnia – Hyvinvoiva Pohjanmaa",
             "Sote-keskus"]
    occ = project_occurrences(text, names)
    assert aliases_of(text, names[0], occ) == ["TulKoti"]
    assert aliases_of(text, "Kati", occ) == ["Kotona asumisen teknologiat ikäihmisille"]
    assert aliases_of(text, names[2], occ) == ["Prima Botnia – Välmående Österbotten"]
    assert aliases_of(text, "Sote-keskus", occ) == []
    other = "Arktinen ensihoito (Arctic Emergency Care) kehittää ensihoitoa. Kotiin-hanke (EAKR) jatkuu."
    occ = project_occurrences(other, ["Arktinen ensihoito", "Kotiin"])
    assert aliases_of(other, "Arktinen ensihoito", occ) == ["Arctic Emergency Care"]
    assert aliases_of(other, "Kotiin", occ) == []  # a funder's acronym is no other name


def test_acronym_listed_as_its_own_project_is_folded() -> None:
    text = "Tulevaisuuden kotona asumista tukevat palvelut -hankkeen (TulKoti) tavoitteena on tukea asumista."
    mentions = _mention(text, ["Tulevaisuuden kotona asumista tukevat palvelut", "TulKoti"])
    assert list(mentions) == ["Tulevaisuuden kotona asumista tukevat palvelut"]
    assert mentions["Tulevaisuuden kotona asumista tukevat palvelut"].aliases == ("TulKoti",)


def test_card_fields_give_lead_period_and_programmes() -> None:
    text = ("Arjen tuki Kainuussa\n\nArjen tuki Kainuussa -hanke kehittää perhepalveluja.\n\n"
            "Hallinnoija\nKainuun hyvinvointialue\nKesto\n1.3.2023–31.12.2025\n\n"
            "Arjen tuki Kainuussa -hankkeen tulokset julkaistaan.")
    spans = (Entity("Kestävän kasvun ohjelma", "PROGRAMME", "RRP", 0, 1),)
    (mention,) = _mention(text, ["Arjen tuki Kainuussa"], spans).values()
    assert (mention.start_year, mention.end_year) == (2023, 2025)
    assert mention.lead == "Kainuun hyvinvointialue"
    assert mention.programmes == ("RRP",)


def test_inline_lead_fi_and_sv() -> None:
    fi = ("RRF-Keski-Pohjanmaa -hanke edistää elpymistä. RRF-Keski-Pohjanmaa -hankkeen tavoitteet ovat selvät. "
          "RRF-Keski-Pohjanmaa jatkuu.\n\nHanketta hallinnoi ja toteuttaa Keski-Pohjanmaan sosiaali- ja "
          "terveyspalvelukuntayhtymä, jonka jäsenkuntia on kahdeksan.")
    assert _mention(fi, ["RRF-Keski-Pohjanmaa"])["RRF-Keski-Pohjanmaa"].lead == \
        "Keski-Pohjanmaan sosiaali- ja terveyspalvelukuntayhtymä"
    sv = "Projektet Vård i skärgården administreras av Västra Nylands välfärdsområde och pågår till 2025."
    mention = _mention(sv, ["Vård i skärgården"])["Vård i skärgården"]
    assert (mention.lead, mention.status, mention.end_year) == ("Västra Nylands välfärdsområde", "ongoing", 2025)


def test_programmes_and_years_stay_with_their_own_project() -> None:
    text = ("Kohti-hanke päättyi vuoden 2022 lopussa.\n\n"
            "Päijät-Koti-hanke sai rahoitusta Kotona asumisen teknologiat -ohjelmasta vuosille 2023–2025.")
    spans = (Entity("Kotona asumisen teknologiat", "PROGRAMME", "KATI", text.index("Kotona"), text.index(" -ohjelmasta")),)
    mentions = _mention(text, ["Kohti", "Päijät-Koti"], spans)
    assert (mentions["Kohti"].status, mentions["Kohti"].end_year, mentions["Kohti"].programmes) == ("ended", 2022, ())
    assert (mentions["Päijät-Koti"].start_year, mentions["Päijät-Koti"].end_year) == (2023, 2025)
    assert mentions["Päijät-Koti"].programmes == ("KATI",)


def test_lead_written_before_its_phrase() -> None:
    from hakemisto.facts.mentions import lead_of

    text = "Projektet pågår till 2027. Österbottens välfärdsområde är leadpartner."
    assert lead_of(text, []) == "Österbottens välfärdsområde"
    assert lead_of("Siun sote toimii hankkeen päätoteuttajana.", []) == "Siun sote"
