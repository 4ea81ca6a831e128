"""fi / sv language per document and per paragraph.

langdetect restricted to the fi, sv and en profiles with a fixed seed: deterministic, and it no
longer labels 'RRP-hanke' Danish or 'Kontaktperson' Indonesian (PERFORMANCE-NOTES.md). Paragraphs
too short to judge (names, acronyms, labels) inherit the language around them; ``<html lang>`` and
``/sv/`` URL paths count as evidence for the document language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from hakemisto.core.model import UNKNOWN_LANG, Document

OTHER = "other"
PROFILE_LANGS = ("fi", "sv", "en")
MIN_WORDS = 4  # below this a paragraph inherits its surroundings' language
HINT_WEIGHT = 0.25  # share of the document's evidence that a lang hint is worth
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    factory = DetectorFactory()
    profiles = [(Path(PROFILES_DIRECTORY) / code).read_text(encoding="utf-8") for code in PROFILE_LANGS]
    factory.load_json_profile(profiles)
    factory.set_seed(0)
    return factory


def _label(code: str) -> str:
    return code if code in ("fi", "sv") else OTHER


def detect_text(text: str) -> tuple[str, float]:
    """Best language for a text and its probability; ``und`` when there is nothing to judge."""
    if not _WORD.search(text):
        return UNKNOWN_LANG, 0.0
    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNKNOWN_LANG, 0.0
    return _label(best.lang), best.prob


def normalize_hint(hint: str | None) -> str | None:
    """'fi-FI', 'sv_SE', 'SV' → 'fi' / 'sv'; anything else → None."""
    if not hint:
        return None
    code = re.split(r"[-_]", hint.strip().lower())[0]
    return code if code in ("fi", "sv") else None


def url_hint(url: str | None) -> str | None:
    """Bilingual county sites put Swedish pages under /sv/ (or /sv-fi/, /svenska/)."""
    if url and re.search(r"/(sv|sv-fi|svenska|pa-svenska)(/|$)", url.lower()):
        return "sv"
    return None


Detect = Callable[[str], tuple[str, float]]


def judged_texts(paragraphs: Iterable[str]) -> list[str]:
    """The paragraphs ``detect_paragraphs`` asks langdetect about (long enough to judge)."""
    return [p for p in paragraphs if len(_WORD.findall(p)) >= MIN_WORDS]


def detect_paragraphs(paragraphs: list[str] | tuple[str, ...], hint: str | None = None,
                      detect: Detect = detect_text) -> tuple[str, list[str]]:
    """Document language and one label per paragraph.

    The document language is the length-weighted majority of the confidently detected paragraphs,
    with the hint adding a fixed share of evidence. Short paragraphs take the language of the
    nearest judged paragraph before them (else the document language). ``detect``: ``detect_text`` or
    a function giving the same answers (the stored ones of a rebuild, ``workers._first``).
    """
    judged: list[str | None] = []
    weights: dict[str, float] = {}
    for para in paragraphs:
        if len(_WORD.findall(para)) < MIN_WORDS:
            judged.append(None)
            continue
        code, prob = detect(para)
        if code == UNKNOWN_LANG:
            judged.append(None)
            continue
        judged.append(code)
        weights[code] = weights.get(code, 0.0) + len(para) * prob
    total = sum(weights.values())
    hint = normalize_hint(hint)
    if hint:
        weights[hint] = weights.get(hint, 0.0) + max(total, 1.0) * HINT_WEIGHT
    if not weights:
        # Nothing long enough: judge the whole text at once (short pages, snippets).
        code, _ = detect_text(" ".join(paragraphs))
        doc_lang = hint or code
    else:
        doc_lang = max(weights, key=weights.__getitem__)
    labels: list[str] = []
    previous: str | None = None
    for code in judged:
        if code is not None:
            previous = code
        labels.append(code or previous or doc_lang)
    return doc_lang, labels


def detect_document(doc: Document, detect: Detect = detect_text) -> Document:
    """The document with ``lang`` and ``para_langs`` set."""
    hint = normalize_hint(doc.lang_hint) or url_hint(doc.url)
    doc_lang, labels = detect_paragraphs(doc.paragraphs, hint, detect)
    if doc.title and not doc.paragraphs:
        doc_lang = detect_text(doc.title)[0]
    return replace(doc, lang=doc_lang, para_langs=tuple(labels))
