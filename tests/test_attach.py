"""Amount → project attachment by scope: clause, title, heading, paragraph, inflected names."""

from __future__ import annotations

from hakemisto.facts.attach import attach_amounts, main_project, project_occurrences
from hakemisto.facts.entities import sentences
from hakemisto.facts.money import find_amounts


def _projects(text: str, names: list[str], title: str | None = None, region: str | None = "Kainuu") -> list:
    amounts = attach_amounts(text, find_amounts(text), sentences(text), names, [], region,
                             national=region is None, title=title)
    return [a.project for a in amounts]


def test_title_names_the_pages_own_project_for_an_unnamed_table() -> None:
    text = ("Hyvinvointialue > Hankkeet\n\nArjen tuki -hankkeen talous\n\n"
            "Arjen tuki -hanke jatkaa Kotona kotoisasti -hankkeen työtä.\n\n"
            "Erä | 2023 | 2024 | Yhteensä\n"
            "Haettu | 100 000 € | 200 000 € | 300 000 €\n"
            "Kustannukset | 90 000 € | 180 000 € | 270 000 €\n")
    names = ["Arjen tuki", "Kotona kotoisasti"]
    assert main_project(text, names) is None  # each named twice or once: counts alone cannot tell
    assert main_project(text, names, "Arjen tuki -hankkeen talous") == "Arjen tuki"
    assert set(_projects(text, names, title="Arjen tuki -hankkeen talous")) == {"Arjen tuki"}
    # without the title, the rows stand under no project heading that is theirs alone: no guess
    assert _projects(text, names) == [None] * 6


def test_a_card_field_belongs_to_the_heading_above_it() -> None:
    text = ("Hankkeet\n\nSujuva arki Kainuussa\n\nHankkeessa kehitetään kotihoitoa. " + "Sana " * 300 +
            "\n\nBudjetti: 840 000 €\n\nKotihoidon kehittäminen\n\nJatkuvat palvelut\n\nBudjetti: 120 000 €")
    assert _projects(text, ["Sujuva arki Kainuussa", "Jatkuvat palvelut"]) == \
        ["Sujuva arki Kainuussa", "Jatkuvat palvelut"]


def test_each_sum_takes_the_project_of_its_own_clause() -> None:
    text = ("Ministeriö myönsi avustusta 300 000 euroa Arjen tuki -hankkeelle, "
            "ja 200 000 euroa Kotona kotoisasti -hankkeelle.")
    assert _projects(text, ["Arjen tuki", "Kotona kotoisasti"]) == ["Arjen tuki", "Kotona kotoisasti"]


def test_a_paragraph_speaking_of_the_project_keeps_it() -> None:
    text = ("Satakunnan Tulevaisuuden sote-keskus -hanke\n\n"
            "Ministeriö on myöntänyt hankkeelle valtionavustusta 5,6 miljoonaa euroa. "
            "Vuodelle 2023 siitä on myönnetty 1,2 miljoonaa euroa.\n\n"
            "Toinen hanke, Kotona kotoisasti, alkaa ensi vuonna.")
    names = ["Satakunnan Tulevaisuuden sote-keskus -hanke", "Kotona kotoisasti"]
    assert _projects(text, names, region="Satakunta") == [names[0], names[0]]


def test_inflected_multiword_names_and_any_dash_are_found() -> None:
    text = ("Kestävien ja vaikuttavien sote-palvelujen Päijät-Hämeessä -hankkeen tulokset. "
            "Sote-keskus lähellä – Pohjois-Karjala jatkuu; sote-keskus lähellä - Pohjois-Karjala-hankkeelle.")
    found = project_occurrences(text, ["Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä",
                                       "Sote-keskus lähellä – Pohjois-Karjala"])
    assert [name for _s, _e, name in found] == ["Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä",
                                                 "Sote-keskus lähellä – Pohjois-Karjala",
                                                 "Sote-keskus lähellä – Pohjois-Karjala"]
    # a one-word name (an acronym) keeps its case: 'kohti' in running text is a word, not KOHTI
    assert project_occurrences("Kohti-hanke etenee kohti tavoitetta.", ["Kohti"]) == [(0, 5, "Kohti")]


def test_a_teaser_for_another_story_is_neither_the_pages_county_nor_its_project() -> None:
    text = ("Sote-keskus lähellä -hanke\n\nLieksan osuus hankkeen rahoituksesta on noin 250 000 euroa.\n\n"
            "LUE MYÖS:\nNurmeksen sairaalan vuodeosasto suljetaan kesäksi\nKainuussa Arjen tuki -hanke sai 900 000 euroa")
    amounts = attach_amounts(text, find_amounts(text), sentences(text), ["Sote-keskus lähellä"], [],
                             "Pohjois-Karjala")
    assert [(a.region, a.project) for a in amounts] == [("Pohjois-Karjala", "Sote-keskus lähellä"), (None, None)]
