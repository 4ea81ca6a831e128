"""Language detection on whole pages, paragraphs and short snippets."""

from __future__ import annotations

import pytest

from hakemisto.documents.lang import detect_document, detect_paragraphs, detect_text, normalize_hint, url_hint
from hakemisto.documents.loaders import load_paths


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hanketoimisto aloitti toimintansa tammikuussa 2022", "fi"),
        ("Projektbyrån påbörjade sin verksamhet i januari 2022", "sv"),
        ("hoitotakuu toteutuu jatkossa", "fi"),
        ("Mer information om projektet", "sv"),
        ("The project office started its work in January", "other"),
    ],
)
def test_detect_text(text: str, lang: str) -> None:
    assert detect_text(text)[0] == lang


def test_detection_is_deterministic() -> None:
    results = {detect_text("RRP-hanke Kontaktperson")[0] for _ in range(20)}
    assert len(results) == 1


def test_short_paragraphs_inherit_surrounding_language() -> None:
    paragraphs = [
        "Projektet Framtidens social- och hälsocentral har som övergripande målsättning att förbättra tjänsterna.",
        "Kontaktperson",
        "RRP-hanke",
        "Anna Ek",
        "Hankkeen tavoitteena on parantaa sosiaali- ja terveyspalvelujen saatavuutta koko alueella.",
        "STM",
    ]
    doc_lang, labels = detect_paragraphs(paragraphs)
    assert labels == ["sv", "sv", "sv", "sv", "fi", "fi"]
    assert doc_lang in ("fi", "sv")


def test_hint_decides_when_text_is_too_short() -> None:
    assert detect_paragraphs(["Kontaktperson", "Anna Ek"], hint="fi")[0] == "fi"
    assert detect_paragraphs(["RRP"], hint="sv")[0] == "sv"


def test_hint_does_not_override_clear_text() -> None:
    text = ["Hanketoimisto aloitti toimintansa tammikuussa 2022 Pohjanmaan hyvinvointialueen toiminnan alkaessa."]
    assert detect_paragraphs(text * 3, hint="sv")[0] == "fi"


def test_mixed_page_gets_majority_and_keeps_paragraph_labels() -> None:
    fi = "Hankkeen tavoitteena on parantaa perustason sosiaali- ja terveyspalvelujen saatavuutta ja laatua."
    sv = "Projektet har som mål att förbättra tillgången till social- och hälsovårdstjänster i området."
    doc_lang, labels = detect_paragraphs([fi, fi, sv])
    assert doc_lang == "fi"
    assert labels == ["fi", "fi", "sv"]


def test_hints() -> None:
    assert normalize_hint("sv-FI") == "sv"
    assert normalize_hint("fi_FI") == "fi"
    assert normalize_hint("en") is None
    assert url_hint("https://osterbottensvalfard.fi/sv/projekt/kati") == "sv"
    assert url_hint("https://pohjanmaanhyvinvointi.fi/hankkeet/") is None


@pytest.mark.slow  # the spaCy pipeline over whole pages
def test_seed_pages(settings, seeds_dir) -> None:
    docs = {d.id.split("/")[-1][:3]: detect_document(d) for d in load_paths([seeds_dir], settings).documents}
    assert {k: d.lang for k, d in docs.items()} == {"000": "fi", "001": "sv", "002": "fi", "003": "fi", "004": "fi"}
    # The Swedish page's contact-name line stays Swedish, not Estonian or Tagalog.
    assert set(docs["001"].para_langs) == {"sv"}
    assert set(docs["003"].para_langs) == {"fi"}
