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


def test_the_fast_judge_gives_langdetects_answers(settings) -> None:
    """``detect_text`` (``lang._Judge``) and langdetect's own ``Detector`` give the same language
    and the same probability, to the last bit, on every paragraph of the dev pages and on random
    texts with URLs, e-mail addresses, capitals, digits, runs of spaces and non-Latin scripts."""
    import random
    from pathlib import Path

    from hakemisto.documents.lang import judged_texts, langdetect_text

    dev = Path(__file__).parent / "pages" / "dev" / "docs"
    docs = load_paths([dev], settings).documents
    texts = list(dict.fromkeys(p for d in docs for p in [*d.paragraphs, d.title or ""]))
    assert len(judged_texts(texts)) > 500
    rng = random.Random(17)
    alphabet = "aäöåbcdefghijklmnopqrstuvwxyzABCDEFÅÄÖ   .,-–:;!?0123456789€@/_\u0301\u1ea1\u3042\u4e00\u0410\u0430\u05d0\u0627"
    for _ in range(1500):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90))))
    for _ in range(300):
        a, b = rng.choice(texts[:400]), rng.choice(texts[:400])
        texts.append(f"{a[: rng.randint(0, 80)]}  https://x.fi/a?b=1 nimi.sukunimi@hyvaks.fi {'Ж' * rng.randint(0, 60)}"
                     f"{b[-rng.randint(0, 80):]} {'ạ' * rng.randint(0, 5)}")
    texts.append("x" * 12000 + " sana " * 10)  # longer than langdetect reads
    assert [detect_text(t) for t in texts] == [langdetect_text(t) for t in texts]
