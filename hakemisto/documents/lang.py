"""fi / sv language per document and per paragraph.

langdetect restricted to the fi, sv and en profiles with a fixed seed: deterministic, and it no
longer labels 'RRP-hanke' Danish or 'Kontaktperson' Indonesian (PERFORMANCE-NOTES.md). Paragraphs
too short to judge (names, acronyms, labels) inherit the language around them; ``<html lang>`` and
``/sv/`` URL paths count as evidence for the document language.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.language import Language
from langdetect.utils.ngram import NGram

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


_LATIN = re.compile("[A-z]")  # langdetect's latin test: 'A' <= ch <= 'z'
_NON_LATIN = re.compile("[^\x00-\u02ff]")  # ch >= U+0300
_SPACE_RUN = re.compile(" {2,}")


class _Normal(dict[int, str]):
    """``NGram.normalize`` as a ``str.translate`` table, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        out = self[code] = NGram.normalize(chr(code))
        return out


class _Judge:
    """langdetect's ``Detector.append`` + ``get_probabilities`` for one text, computed the same way —
    the same cleaning, n-grams, random draws (a ``Random`` seeded per text, as the Detector's) and
    floating-point steps in the same order, so the same answers — without its per-character
    Python overheads: a string grown by ``+=`` per character, a ``NGram`` object and a Unicode block
    search per character, ``random.choice`` and two method calls per sampled n-gram. Language
    detection was ~4 % of the ingest workers' time; this is 2.6x as fast (500 benchmark pages: 3.6 → 1.4 CPU s).
    ``tests/test_lang.py`` compares the answers with langdetect's own on real and random texts.

    One langdetect quirk is kept on purpose: its non-Latin count compares a block *number* with
    the name 'Latin Extended Additional', so every character from U+0300 up counts as non-Latin."""

    MAX_TEXT = 10000  # Detector.max_text_length
    TRIALS = 7  # Detector.n_trial

    def __init__(self, factory: DetectorFactory) -> None:
        self.known: dict[str, list[float]] = factory.word_lang_prob_map
        self.langs: list[str] = list(factory.langlist)
        self.seed = factory.seed
        self.normal = _Normal()  # NGram.normalize per character (a pure function), a str.translate table
        self.words: dict[tuple[str, bool], list[str]] = {}
        # ``Random.choice(seq)`` is ``seq[_randbelow(len(seq))]``, inlined below when it is this one
        self.inline = random.Random._randbelow is random.Random._randbelow_with_getrandbits  # type: ignore[attr-defined]

    def _clean(self, text: str) -> str:
        """``Detector.append`` then ``cleaning_text``."""
        text = Detector.URL_RE.sub(" ", text)
        text = Detector.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        text = _SPACE_RUN.sub(" ", text[: self.MAX_TEXT])  # append drops a space after a space
        if len(_LATIN.findall(text)) * 2 < len(_NON_LATIN.findall(text)):
            text = "".join(ch for ch in text if ch < "A" or "z" < ch)
        return text

    def _ngrams(self, text: str) -> list[str]:
        """``Detector._extract_ngrams``. Its n-gram buffer starts afresh after every (normalised)
        space, so the n-grams of a text are those of its space-separated words in turn — each word's
        worked out once (a word followed by a space also gives its last one or two letters + space)."""
        words = text.translate(self.normal).split(" ")
        last = len(words) - 1
        result: list[str] = []
        for i, word in enumerate(words):
            if word:
                result += self._word(word, i < last)
        return result

    def _word(self, word: str, spaced: bool) -> list[str]:
        """The n-grams ``NGram.add_char`` and ``get(1..3)`` give for one word (no spaces in it),
        and for the space after it when ``spaced``; remembered per word."""
        found = self.words.get((word, spaced))
        if found is not None:
            return found
        known = self.known
        found = []
        grams, capital, previous = " ", False, " "
        for n in word + " " if spaced else word:
            if len(grams) >= NGram.N_GRAM:
                grams = grams[1:]
            grams += n
            if n.isupper():
                if previous.isupper():
                    capital = True
            else:
                capital = False
            previous = n
            if capital:
                continue
            if n != " " and n in known:
                found.append(n)
            if len(grams) >= 2:
                pair = grams[-2:]
                if pair in known:
                    found.append(pair)
                if len(grams) >= 3 and grams in known:
                    found.append(grams)
        if len(self.words) >= 50_000:
            self.words.clear()
        self.words[(word, spaced)] = found
        return found

    def best(self, text: str) -> tuple[str, float] | None:
        """The most probable language and its probability (``get_probabilities()[0]``), or None."""
        ngrams = self._ngrams(self._clean(text))
        if not ngrams:
            return None  # langdetect raises 'No features in text.'
        known, count = self.known, len(self.langs)
        span = range(count)
        langprob = [0.0] * count
        rnd = random.Random(self.seed)  # per text, as each Detector has its own: threads may share this judge
        size = len(ngrams)
        width = size.bit_length()
        bits, choice, inline = rnd.getrandbits, rnd.choice, self.inline
        for _ in range(self.TRIALS):
            prob = [1.0 / count] * count
            alpha = Detector.ALPHA_DEFAULT + rnd.gauss(0.0, 1.0) * Detector.ALPHA_WIDTH
            weight = alpha / Detector.BASE_FREQ
            i = 0
            while True:
                if inline:
                    r = bits(width)
                    while r >= size:
                        r = bits(width)
                    word = ngrams[r]
                else:
                    word = choice(ngrams)
                lang_prob = known[word]
                for k in span:
                    prob[k] *= weight + lang_prob[k]
                if i % 5 == 0:
                    top, total = 0.0, sum(prob)
                    for k in span:
                        p = prob[k] / total
                        if top < p:
                            top = p
                        prob[k] = p
                    if top > Detector.CONV_THRESHOLD or i >= Detector.ITERATION_LIMIT:
                        break
                i += 1
            for k in span:
                langprob[k] += prob[k] / self.TRIALS
        found = [Language(lang, p) for lang, p in zip(self.langs, langprob, strict=True) if p > Detector.PROB_THRESHOLD]
        found.sort(reverse=True)
        return (found[0].lang, found[0].prob) if found else None


@lru_cache(maxsize=1)
def _judge() -> _Judge:
    return _Judge(_factory())


def detect_text(text: str) -> tuple[str, float]:
    """Best language for a text and its probability; ``und`` when there is nothing to judge."""
    if not _WORD.search(text):
        return UNKNOWN_LANG, 0.0
    best = _judge().best(text)
    if best is None:
        return UNKNOWN_LANG, 0.0
    return _label(best[0]), best[1]


def langdetect_text(text: str) -> tuple[str, float]:
    """``detect_text`` through langdetect's own ``Detector`` (the reference ``_Judge`` is tested against)."""
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
