"""People and contacts on real-shaped snippets, through the real Finnish model (issue 12)."""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document
from hakemisto.facts.entities import annotate

pytestmark = pytest.mark.slow  # the Finnish spaCy pipeline on every case


def _facts(*paragraphs: str, lang: str = "fi"):
    doc = Document(id="x", title=paragraphs[0], paragraphs=paragraphs, lang=lang)
    return annotate([doc])[0].facts


def test_base_forms_streets_and_one_person_once() -> None:
    facts = _facts(
        "Kuultiin asiantuntijana talousjohtaja Pekka Vuorista.",
        "Hankejohtaja Maija Björkqvist kertoo, että Maija Björkqvistin tiimi aloittaa syksyllä.",
        "Terveysasema toimii osoitteessa Ilmari Kiannon tie 4, ja juhla pidetään Urho Kekkosen kadulla.",
    )
    assert "Pekka Vuorinen" in facts.persons
    assert [p for p in facts.persons if "Björkqvist" in p] == ["Maija Björkqvist"]
    assert not any("Kianto" in p or "Kekkonen" in p for p in facts.persons)


def test_quoted_officials_are_persons_not_contacts() -> None:
    facts = _facts(
        "Uusi palvelu avautuu Kajaanissa.",
        "– Tämä on iso askel, sanoo palvelujohtaja Lauri Kettunen.",
        "Aluehallituksen puheenjohtaja Tuomas Kärkkäinen piti päätöstä hyvänä.",
        "Lisätietoja:\nprojektipäällikkö Petra Väisänen, p. 040 651 4417, petra.vaisanen@eksote.fi",
        "Eksote, Valto Käkelän katu 3, Lappeenranta | Vaihde 05 352 000",
    )
    names = {c.name: c for c in facts.contacts}
    assert set(names) == {"Petra Väisänen"}
    assert names["Petra Väisänen"].title == "projektipäällikkö"
    assert {"Lauri Kettunen", "Tuomas Kärkkäinen"} <= set(facts.persons)


def test_minutes_preparer_is_contact_presenter_is_not() -> None:
    facts = _facts(
        "Aluehallitus 11.9.2023 § 8",
        "Valmistelija: kehittämispäällikkö Kaisa Hämäläinen, puh. 040 584 2207\n"
        "Esittelijä: hyvinvointialuejohtaja Pasi Nyqvist",
        "Puheenjohtaja Tuomas Kärkkäinen",
    )
    assert [(c.name, c.title, c.phone) for c in facts.contacts] == [
        ("Kaisa Hämäläinen", "kehittämispäällikkö", "+358405842207")]


def test_title_written_next_to_the_name_wins_over_a_label() -> None:
    facts = _facts(
        "Digitaalinen palveluohjaus -hanke.",
        "Yhteyshenkilö: Jari Öhman, projektipäällikkö, +358 40 584 1120",
        "Perhetyö jatkuu. Yhteyshenkilönä jatkaa palvelupäällikkö Marja Öhman, puh. 044 351 6610.",
        "Valmistelija\nkehittämisjohtaja Anne Kinnunen, p. 044 711 4400, etunimi.sukunimi@pshyvinvointialue.fi",
    )
    titles = {c.name: (c.title, c.email) for c in facts.contacts}
    assert titles["Jari Öhman"] == ("projektipäällikkö", None)
    assert titles["Marja Öhman"] == ("palvelupäällikkö", None)
    assert titles["Anne Kinnunen"] == ("kehittämisjohtaja", None)  # a template address is nobody's


def test_saami_and_surname_first_names_titles_from_other_mentions() -> None:
    facts = _facts(
        "Yhteystiedot",
        "Elle-Máret Näkkäläjärvi, projektipäällikkö, puh. 040 781 6602, elle-maret.nakkalajarvi(a)lapha.fi\n"
        "Ánde Sammallahti, palveluohjaaja, puh. 040 781 6617",
        "Beredare\nBacklund Fredrik, avdelningschef, tfn 040 352 1466",
        "– Matala kynnys on koko idea, sanoo hyvinvointikoordinaattori Noora Björkman.",
        "Lisätiedot: Noora Björkman, p. 040 806 5520, kirjaamo.stm@gov.fi",
    )
    got = {c.name: (c.title, c.email) for c in facts.contacts}
    assert got["Elle-Máret Näkkäläjärvi"] == ("projektipäällikkö", "elle-maret.nakkalajarvi@lapha.fi")
    assert "Ánde Sammallahti" in got and "Fredrik Backlund" in got
    assert got["Noora Björkman"] == ("hyvinvointikoordinaattori", None)  # a registry box is nobody's


def test_officials_titles_after_the_name_and_not_names() -> None:
    facts = _facts(
        "Lisätietoja",
        "Heikki Öhman, neuvotteleva virkamies, puh. 0295 163 412, heikki.ohman@gov.fi",
        "Controller Kalle Peltonen esitteli talouden. Asiasta kertoi Aamun Sanomat.",
    )
    got = {c.name: c.title for c in facts.contacts}
    assert got["Heikki Öhman"].endswith("virkamies")
    assert "Kalle Peltonen" in facts.persons and not any("Sanoma" in p for p in facts.persons)
