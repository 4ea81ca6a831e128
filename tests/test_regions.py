"""Region normalisation: inflected, Swedish, predecessor organisations, misspellings, never-merge."""

from __future__ import annotations

import pytest

from hakemisto.core.regions import all_regions, normalize_region, region_for_url, suggest_region


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Keski-Pohjanmaan", "Keski-Pohjanmaa"),
        ("Keski-Pohjanmaalle", "Keski-Pohjanmaa"),
        ("Pohjanmaalla", "Pohjanmaa"),
        ("Österbottens", "Pohjanmaa"),
        ("Österbottens välfärdsområde", "Pohjanmaa"),
        ("Pohjanaan", "Pohjanmaa"),
        ("Päijä-Hämeen", "Päijät-Häme"),
        ("Päijät-Hämeessä", "Päijät-Häme"),
        ("Mellersta Österbotten", "Keski-Pohjanmaa"),
        ("Södra Österbottens", "Etelä-Pohjanmaa"),
        ("Norra Österbotten", "Pohjois-Pohjanmaa"),
        ("Etelä-Pohjanmaalla", "Etelä-Pohjanmaa"),
        ("Pohjois-Pohjanmaan", "Pohjois-Pohjanmaa"),
        ("Soite", "Keski-Pohjanmaa"),
        ("Keski-Pohjanmaan sosiaali- ja terveyspalvelukuntayhtymä", "Keski-Pohjanmaa"),
        ("Essote", "Etelä-Savo"),
        ("Siun sote", "Pohjois-Karjala"),
        ("Eksote", "Etelä-Karjala"),
        ("Keusote", "Keski-Uusimaa"),
        ("PHHYKY", "Päijät-Häme"),
        ("Kymsote", "Kymenlaakso"),
        ("Oma Häme", "Kanta-Häme"),
        ("Pirha", "Pirkanmaa"),
        ("Varha", "Varsinais-Suomi"),
        ("Pohde", "Pohjois-Pohjanmaa"),
        ("Lapha", "Lappi"),
        ("Eloisa", "Etelä-Savo"),
        ("Hyvaks", "Keski-Suomi"),
        ("Vakehyva", "Vantaa-Kerava"),
        ("Luvn", "Länsi-Uusimaa"),
        ("Kainuun sote", "Kainuu"),
        ("Helsingfors", "Helsinki"),
        ("Egentliga Finland", "Varsinais-Suomi"),
    ],
)
def test_normalize(text: str, canonical: str) -> None:
    assert normalize_region(text) == canonical


@pytest.mark.parametrize(
    "names",
    [("Keski-Pohjanmaa", "Pohjanmaa", "Etelä-Pohjanmaa", "Pohjois-Pohjanmaa"),
     ("Keski-Pohjanmaan", "Pohjanmaan", "Etelä-Pohjanmaan", "Pohjois-Pohjanmaan"),
     ("Mellersta Österbotten", "Österbotten", "Södra Österbotten", "Norra Österbotten")],
)
def test_ostrobothnias_never_merge(names: tuple[str, ...]) -> None:
    assert [normalize_region(n) for n in names] == [
        "Keski-Pohjanmaa", "Pohjanmaa", "Etelä-Pohjanmaa", "Pohjois-Pohjanmaa"]


def test_near_misses_keep_their_direction() -> None:
    assert normalize_region("Keski-Pohjanma") == "Keski-Pohjanmaa"
    assert normalize_region("Etelä-Pohjanma") == "Etelä-Pohjanmaa"
    assert normalize_region("Pohjanma") == "Pohjanmaa"


def test_unknown_names() -> None:
    assert normalize_region("Pohjois-Suomen") is None
    assert normalize_region("Suomen") is None
    assert normalize_region("") is None


def test_registry_and_domains() -> None:
    assert len(all_regions()) == 22
    assert region_for_url("https://www.soite.fi/hankkeet/rrf") == "Keski-Pohjanmaa"
    assert region_for_url("https://hyvinvointialue.kainuu.fi/x") == "Kainuu"
    assert region_for_url("https://example.org/") is None
    assert suggest_region("Pohjanmaa")[0] == "Pohjanmaa"
