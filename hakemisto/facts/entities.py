"""Documents → facts: funders, programmes, euro amounts, contacts, persons, organisations, region.

Finnish runs through the real ``spacy_fi_experimental_web_md`` pipeline (NER + voikko lemmas; the
parser and tagger are excluded: NER and lemmas do not need them, PERFORMANCE-NOTES.md) with our
rule components added to the same pipeline. Swedish has no installable model, so it runs through
``spacy.blank("sv")`` with the same rule components plus title / contact / known-name rules.
Both pipelines load once per process, lazily.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from hakemisto.core import voikko
from hakemisto.core.errors import ModelMissingError
from hakemisto.core.model import Amount, Contact, Document, Entity, Facts
from hakemisto.core.prefilter import Scan, scan
from hakemisto.core.regions import find_mentions, normalize_region, page_region, related_offset
from hakemisto.facts import contacts as contacts_mod
from hakemisto.facts import modelcache
from hakemisto.facts.attach import attach_amounts, attach_contacts, line_bounds, sentence_bounds
from hakemisto.facts.canon import canonical_org
from hakemisto.facts.funding import funding_vocab, registry_name, registry_words
from hakemisto.facts.funding import registry_ids as funding_ids
from hakemisto.facts.mentions import project_mentions
from hakemisto.facts.money import find_amounts, one_per_figure, with_context
from hakemisto.facts.payers import Payer, find_payers

FI_MODEL = "spacy_fi_experimental_web_md"
FI_EXCLUDE = ("parser", "tagger")
# The model's vocabulary ships one lookup table, ``lexeme_prob`` (500,000 word probabilities, read
# only by ``Token.prob``, which no component and no rule of ours uses; the tables hold no
# ``lexeme_norm``, so the model's features do not change). Filling it in Python was ~60 % of every
# model load, paid on each ingest before any worker starts (see the README's Performance section).
FI_SKIP_LOOKUPS = ("lookups",)
FUNDING = "hakemisto_funding"
MONEY = "hakemisto_money"
TITLES = "hakemisto_titles"
PERSONS = "hakemisto_persons"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'”A-ZÅÄÖ0-9])|\n+")


_TEXT = modelcache.TEXT_KEY  # the Doc's text, kept by ``doc_text`` (and set by ``modelcache`` on a stored Doc)


def doc_text(doc: Any) -> str:
    """``doc.text``, joined once per spaCy ``Doc``: spaCy rebuilds ``Doc.text`` from every token on
    each access, and the rules read it ~40 times a page (a third of a rules-only rebuild's time).
    Kept in ``user_data``, which the model-output store leaves out."""
    data = getattr(doc, "user_data", None)
    if data is None:
        return doc.text
    text = data.get(_TEXT)
    if text is None:
        text = data[_TEXT] = doc.text
    return text


def token_strings(doc: Any, attr: str) -> list[str]:
    """Every token's ``ORTH`` (text), ``LOWER`` or ``LEMMA`` string, read once per ``Doc`` from its
    arrays: the rule components and fact rules walked the tokens one ``Token`` object at a time, for
    one string each, several times a page. Kept in ``user_data`` like ``doc_text``."""
    data = doc.user_data
    key = f"hakemisto_tok_{attr}"
    found = data.get(key)
    if found is None:
        strings = doc.vocab.strings
        found = data[key] = [strings[h] for h in doc.to_array(attr).tolist()] if len(doc) else []
    return found


# --- vocabulary --------------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def _bases(word: str) -> frozenset[str]:
    """Every voikko base form of a word (lower case), plus the word itself."""
    forms = {word.lower()}
    forms.update(str(a.get("BASEFORM", "")).lower() for a in voikko.analyze(word))
    if ":" in word:  # 'STM:n', 'EU:n'
        forms.add(word.split(":")[0].lower())
    forms.discard("")
    return frozenset(forms)


@dataclass(frozen=True)
class _Pattern:
    kind: str  # FUNDER / PROGRAMME
    ident: str
    tokens: tuple[frozenset[str], ...]
    prefix: bool


_GLUE = tuple("-–:+0123456789")
# Finnish case endings an all-caps acronym ending in a vowel takes without a colon ('STEAn', 'STEAlta')
_CASE_ENDINGS = frozenset({"n", "a", "ta", "lla", "lta", "lle", "ssa", "sta", "han", "ksi", "na", "in", "ineen"})


class FundingMatcher:
    """Token-sequence matcher over lemmas (fi) or lower-cased tokens (sv), plus case-sensitive acronyms.

    Faster than spaCy's Matcher with REGEX attributes, and prefix matching of the last word lets a
    base form cover compounds ('valtionavustus*' → 'valtionavustushankkeita').
    """

    def __init__(self, nlp: Language, lang: str) -> None:
        self.lang = lang
        self.patterns: dict[str, list[_Pattern]] = defaultdict(list)
        self.prefix_first: dict[str, list[_Pattern]] = defaultdict(list)
        self.acronyms: dict[str, tuple[str, str]] = {}
        self._entries: dict[tuple[str, str], tuple[frozenset[str], tuple[str, str] | None, list[_Pattern]]] = {}
        vocab = funding_vocab()
        for kind, table in (("FUNDER", "funder"), ("PROGRAMME", "programme")):
            for entry in vocab[table]:
                for acronym in entry.get("acronyms", ()):
                    self.acronyms[acronym] = (kind, entry["id"])
                for form in entry.get(lang, ()):
                    self._add(nlp, kind, entry["id"], form)
                # The other language's names too, as written: a bilingual page read as Finnish names
                # 'Social- och hälsovårdsministeriet' in its Swedish half, a Swedish page quotes
                # 'Sosiaali- ja terveysministeriö' or 'Euroopan unionin osarahoittama' under a logo.
                for form in entry.get("sv" if lang == "fi" else "fi", ()):
                    self._add(nlp, kind, entry["id"], form, literal=True)

    def _add(self, nlp: Language, kind: str, ident: str, form: str, literal: bool = False) -> None:
        prefix = form.endswith("*")
        words = [t.text for t in nlp.make_doc(form.rstrip("*"))]
        if self.lang == "fi" and not literal:
            tokens = tuple(_bases(w) for w in words)
        else:
            tokens = tuple(frozenset({w.lower()}) for w in words)
        pattern = _Pattern(kind, ident, tokens, prefix)
        if prefix and len(tokens) == 1:
            for key in tokens[0]:
                self.prefix_first[key[:3]].append(pattern)
        else:
            for key in tokens[0]:
                self.patterns[key].append(pattern)

    def _entry(self, text: str, lemma: str) -> tuple[frozenset[str], tuple[str, str] | None, list[_Pattern]]:
        """A token's keys, acronym and candidate patterns, which depend only on its text and lemma:
        worked out once per distinct (text, lemma) instead of once per token."""
        found = self._entries.get((text, lemma))
        if found is None:
            keys = frozenset({text.lower(), lemma.lower()}) if self.lang == "fi" else frozenset({text.lower()})
            candidates = [p for k in keys for p in self.patterns.get(k, ())]
            candidates += [p for k in keys for p in self.prefix_first.get(k[:3], ())
                           if any(k.startswith(w) for w in p.tokens[0])]
            if len(self._entries) >= 200_000:
                self._entries.clear()
            found = self._entries[(text, lemma)] = (keys, self._acronym(text), candidates)
        return found

    def _matches(self, keys: list[frozenset[str]], i: int, p: _Pattern) -> int:
        """End token index when ``p`` matches at ``i``, else -1."""
        n = len(p.tokens)
        if i + n > len(keys):
            return -1
        for j, wanted in enumerate(p.tokens):
            have = keys[i + j]
            last = j == n - 1
            if have & wanted:
                continue
            if last and p.prefix and any(h.startswith(w) for h in have for w in wanted):
                continue
            return -1
        return i + n

    def __call__(self, doc: Doc) -> Doc:
        texts = token_strings(doc, "ORTH")
        lemmas = token_strings(doc, "LEMMA") if self.lang == "fi" else texts
        entries = [self._entry(text, lemma) for text, lemma in zip(texts, lemmas, strict=True)]
        keys = [e[0] for e in entries]
        spans: list[Span] = []
        for i, (_, acr, candidates) in enumerate(entries):
            if acr:
                spans.append(Span(doc, i, i + 1, label=acr[0], kb_id=acr[1]))
                continue
            if not candidates:
                continue
            best = max(((self._matches(keys, i, p), p) for p in candidates), default=(-1, None),
                       key=lambda x: x[0])
            if best[0] > i and best[1] is not None:
                spans.append(Span(doc, i, best[0], label=best[1].kind, kb_id=best[1].ident))
        doc.spans[FUNDING] = spans
        return doc

    def _acronym(self, text: str) -> tuple[str, str] | None:
        """'RRF', 'RRF-Keski-Pohjanmaa', 'RRP2', 'ESR+': the acronym, then a glue character; an acronym
        ending in a vowel also takes a Finnish case ending without a colon ('STEAn', 'STEAlta', 'SITRAn')."""
        hit = self.acronyms.get(text)
        if hit or not text[:1].isupper():
            return hit
        for i in range(2, min(len(text), 18)):
            if text[i] in _GLUE and text[:i] in self.acronyms:
                return self.acronyms[text[:i]]
        for i in range(3, min(len(text), 12)):
            head, tail = text[:i], text[i:]
            if (head in self.acronyms and head.isupper() and head[-1] in "AEIOUYÄÖ"
                    and tail in _CASE_ENDINGS):
                return self.acronyms[head]
        return None


@Language.factory("hakemisto_funding_v1", default_config={"lang": "fi"})
def _funding_factory(nlp: Language, name: str, lang: str) -> FundingMatcher:
    return FundingMatcher(nlp, lang)


@Language.component("hakemisto_money_v1")
def money_component(doc: Doc) -> Doc:
    """MONEY spans from ``money.find_amounts``; the parsed values ride along in ``user_data``."""
    amounts = find_amounts(doc_text(doc))
    spans = []
    for a in amounts:
        span = doc.char_span(a.start, a.end, label="MONEY", alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[MONEY] = spans
    doc.user_data[MONEY] = [[a.text, a.eur, a.qualifier, a.start, a.end] for a in amounts]
    return doc


class TitleMarker:
    """TITLE spans: Finnish words whose lemma ends in a role ('hankepäällikkö', 'päällikkönä'),
    Swedish words starting with one ('projektledare', 'chefen')."""

    def __init__(self, lang: str) -> None:
        titles = contacts_mod.vocab()["titles"]
        self.lang = lang
        self.fi = tuple(titles["fi_suffixes"])
        self.fi_exclude = frozenset(titles["fi_exclude"])
        self.sv = tuple(titles["sv"])
        self.sv_suffixes = tuple(titles.get("sv_suffixes", ()))

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        alpha = doc.to_array("IS_ALPHA").tolist() if len(doc) else []
        texts = token_strings(doc, "ORTH")
        # 'hankinta-asiantuntija', 'TKI-asiantuntija' are titles too
        hyphened = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
        alpha = [bool(a) or bool(hyphened.fullmatch(w)) for a, w in zip(alpha, texts, strict=True)]
        if self.lang == "fi":
            for i, lemma in enumerate(token_strings(doc, "LEMMA")):
                if not alpha[i]:
                    continue
                lemma = lemma.lower()
                if lemma.endswith(self.fi) and lemma not in self.fi_exclude:
                    spans.append(Span(doc, i, i + 1, label="TITLE", kb_id=lemma))
        else:
            for i, low in enumerate(token_strings(doc, "LOWER")):
                if alpha[i] and (low.startswith(self.sv) or (low.endswith(self.sv_suffixes) and len(texts[i]) > 5)):
                    spans.append(Span(doc, i, i + 1, label="TITLE", kb_id=low))
        doc.spans[TITLES] = spans
        return doc


@Language.factory("hakemisto_titles_v1", default_config={"lang": "fi"})
def _titles_factory(nlp: Language, name: str, lang: str) -> TitleMarker:
    return TitleMarker(lang)


class PersonMarker:
    """PERSON spans. Finnish: the model's PERSON entities that look like full names, plus a name
    right after a title. Swedish: title + name, and a first name (voikko class) + capitalised word."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        if self.lang == "fi":
            spans += [e for e in (_first_line(e) for e in doc.ents if e.label_ == "PERSON") if _plausible(e)]
        taken = {t.i for s in spans for t in s}
        # (a word whose first letter is not upper case is no capitalised word: most tokens skip the look-up)
        caps = [w[:1].isupper() and _capitalised_word(w) for w in token_strings(doc, "ORTH")]
        mailed = _mailed_names(doc_text(doc))  # (``doc.text`` joined every token again)
        for start in range(len(doc)):
            if start in taken or not (caps[start] and start + 1 < len(caps) and caps[start + 1]):
                continue  # a run needs two capitalised words (``_capitalised_run``)
            span = _capitalised_run(doc, start)
            if span is None:
                continue
            prev = doc[start - 1] if start else None
            after_title = prev is not None and prev.i in {s.start for s in doc.spans.get(TITLES, ())}
            # 'Backlund Fredrik, avdelningschef': form fields and minutes write the surname first
            surname_first = (len(span) == 2 and span.end < len(doc) and doc[span.end].text == ","
                             and contacts_mod.is_first_name(doc[start + 1].text))
            # 'Ánde Sammallahti, palveluohjaaja': a name voikko does not know, with its title after it
            title_after = (span.end + 1 < len(doc) and doc[span.end].text == ","
                           and span.end + 1 in {s.start for s in doc.spans.get(TITLES, ())})
            if surname_first is False and len(span) == 2 and _alone_on_line(span) \
                    and contacts_mod.is_first_name(doc[start + 1].text):
                surname_first = True  # 'Syrjänen Markus' on its own line, 'nimi: Kaunismaa Pekka'
            # 'Jannike Rosenholm … jannike.rosenholm(a)luckan.fi': the page's own address spells the
            # name voikko does not know as a first name
            by_mail = len(span) >= 2 and _mail_key(doc[start].text, doc[start + 1].text) in mailed
            if by_mail and len(span) > 2:
                span = doc[start:start + 2]
            if after_title or surname_first or title_after or by_mail or contacts_mod.is_first_name(doc[start].text):
                spans.append(Span(doc, span.start, span.end, label="PERSON"))
                taken.update(range(span.start, span.end))
        title_starts = {s.start for s in doc.spans.get(TITLES, ())}
        cleaned: list[Span] = []
        for s in spans:
            if s.start in title_starts and len(s) > 2:
                s = Span(doc, s.start + 1, s.end, label="PERSON")  # 'Controller Kalle Peltonen'
            if len(s) == 4 and contacts_mod.is_first_name(s[2].text):
                cleaned += [Span(doc, s.start, s.start + 2, label="PERSON"), Span(doc, s.start + 2, s.end, label="PERSON")]
            else:
                cleaned.append(s)
        doc.spans[PERSONS] = sorted((s for s in cleaned if not _named_after(s) and not _not_a_name(s)),
                                    key=lambda s: s.start)
        return doc


@cache
def _programme_words() -> frozenset[str]:
    """people.toml's programme words and every registry word voikko does not know as a first name
    ('Kati Räsänen' is a person although KATI is a programme)."""
    named = contacts_mod.vocab()["named_after"]
    registry = {w for w in registry_words() if not contacts_mod.is_first_name(w.capitalize())}
    return frozenset(registry.union(named.get("programme_words", ())))


_MAIL_FOLD = str.maketrans("äöåüéáčšž", "aoaueacsz")


def _mail_key(first: str, last: str) -> str:
    return f"{first}.{last}".lower().translate(_MAIL_FOLD)


def _mailed_names(text: str) -> frozenset[str]:
    """'etunimi.sukunimi' local parts of the page's e-mail addresses, folded to ASCII."""
    if "@" not in text and "(a" not in text and " at " not in text:
        return frozenset()
    return frozenset(m.value.split("@")[0].translate(_MAIL_FOLD) for m in contacts_mod.find_emails(text))


def _county_name(span: Span) -> bool:
    """'Östra Nylands', 'Södra Savolax': a county's name in any form (exact, never fuzzy) is no person."""
    from hakemisto.core.regions import key_variants, lookup_key

    return any(lookup_key(key) for key in key_variants(span.text))


def _not_a_name(span: Span) -> bool:
    """'Aamun Sanomat', 'Forssan Seutu': a newspaper's or firm's name read as a person; 'Hyvinvointialue
    Sote-uudistus' (a tag list): every word an ordinary noun voikko knows, none a name; 'Östra Nylands':
    a county's name."""
    if _county_name(span):
        return True
    named = contacts_mod.vocab()["named_after"]
    if span[-1].lower_ in named["last_words"] or any(t.lower_ in _programme_words() for t in span):
        return True
    if any(t.lower_ in named.get("company_words", ()) for t in span):
        return True  # 'Sampo Oyj Tilinumero': a firm's name and a form label
    return all(contacts_mod.common_word_only(t.text) for t in span)


def _alone_on_line(span: Span) -> bool:
    """The span is a whole line, or a whole field value after a label's colon."""
    doc = span.doc
    before = doc[span.start - 1] if span.start else None
    starts = before is None or before.is_space or "\n" in before.whitespace_ or before.text == ":"
    after = doc[span.end] if span.end < len(doc) else None
    ends = after is None or after.is_space or "\n" in doc[span.end - 1].whitespace_
    return starts and ends


def _named_after(span: Span) -> bool:
    """'Urho Kekkosen katu 5', 'Ilmari Kiannon tie', 'Anna Ekin koulu': a street, building or
    organisation named after a person is not the person (people.toml ``named_after``)."""
    if span.end >= len(span.doc):
        return False
    nxt = span.doc[span.end]
    words = contacts_mod.vocab()["named_after"]["words"]
    return any(form.startswith(w) for form in (nxt.lower_, nxt.lemma_.lower()) for w in words)


_CAPITALISED = re.compile(
    rf"[{contacts_mod.UPPER}][{contacts_mod.LOWER}'’]+(?:-[{contacts_mod.UPPER}][{contacts_mod.LOWER}]+)?")


@lru_cache(maxsize=50_000)
def _capitalised_word(text: str) -> bool:
    return _CAPITALISED.fullmatch(text) is not None


def _capitalised_run(doc: Doc, start: int) -> Span | None:
    """2–3 capitalised word tokens starting at ``start`` ('Anna Ek', 'Jenny Björndahl-Öhman')."""
    end = start
    while end < len(doc) and end - start < 3 and _capitalised_word(doc[end].text):
        if end > start and doc[end - 1].whitespace_ == "":
            break
        end += 1
    if end - start < 2:
        return None
    return doc[start:end]


def _first_line(span: Span) -> Span:
    """The part of an entity before any line break (the model sometimes runs across field labels)."""
    for t in span:
        if t.is_space or "\n" in t.whitespace_:
            end = t.i if t.is_space else t.i + 1
            return Span(span.doc, span.start, max(end, span.start), label=span.label)
    return span


def _plausible(span: Span) -> bool:
    return contacts_mod.looks_like_name(span.text)


@Language.factory("hakemisto_persons_v1", default_config={"lang": "fi"})
def _persons_factory(nlp: Language, name: str, lang: str) -> PersonMarker:
    return PersonMarker(lang)


def _add_rules(nlp: Language, lang: str) -> Language:
    nlp.add_pipe("hakemisto_funding_v1", config={"lang": lang})
    nlp.add_pipe("hakemisto_money_v1")
    nlp.add_pipe("hakemisto_titles_v1", config={"lang": lang})
    nlp.add_pipe("hakemisto_persons_v1", config={"lang": lang})
    return nlp


def _load_fi() -> Language:
    """The Finnish model without the components in ``FI_EXCLUDE`` and without the vocabulary's
    lookup tables (``FI_SKIP_LOOKUPS``)."""
    try:
        return spacy.load(FI_MODEL, exclude=[*FI_EXCLUDE, *FI_SKIP_LOOKUPS])
    except OSError as exc:
        raise ModelMissingError(
            f"spaCy model {FI_MODEL} is not installed: pip install -e . (it is a project dependency)"
        ) from exc


@cache
def fi_base() -> Language:
    """The bare Finnish model with the components NER and lemmas need (benchmark baseline)."""
    return _load_fi()


@cache
def fi_nlp() -> Language:
    """Finnish: the real model + our rule components (one instance per process)."""
    return _add_rules(_load_fi(), "fi")


@cache
def fi_meta() -> dict[str, Any]:
    """The Finnish model's package metadata (name, version, pipeline), read without loading it."""
    from spacy.util import get_model_meta, get_package_path

    try:
        return get_model_meta(get_package_path(FI_MODEL))
    except (OSError, ValueError) as exc:
        raise ModelMissingError(
            f"spaCy model {FI_MODEL} is not installed: pip install -e . (it is a project dependency)"
        ) from exc


@cache
def fi_stored() -> Language:
    """Finnish for texts whose model output is stored (``modelcache``): the model's tokenizer and our
    rule components, without its neural components and its vocabulary (weights, 50,000 vectors, the
    string table) — 0.2 s to load instead of 1.7 s. A stored ``Doc`` brings its own strings, and no
    rule reads vectors; the lexical attributes come from the language's defaults either way (the
    lookup tables are skipped in ``fi_nlp`` too: ``FI_SKIP_LOOKUPS``)."""
    try:
        nlp = spacy.load(FI_MODEL, exclude=[*fi_meta()["pipeline"], *FI_SKIP_LOOKUPS, "vocab"])
    except OSError as exc:
        raise ModelMissingError(
            f"spaCy model {FI_MODEL} is not installed: pip install -e . (it is a project dependency)"
        ) from exc
    return _add_rules(nlp, "fi")


def fi_pipelines() -> modelcache.Pipelines:
    """The Finnish pipelines for ``modelcache.pipe``: the model is loaded only for texts not stored."""
    neural = [n for n in fi_meta()["pipeline"] if n not in FI_EXCLUDE]
    return modelcache.Pipelines(modelcache.model_id(fi_meta(), neural), fi_nlp, fi_stored)


def load_before_fork(texts: Sequence[str]) -> None:
    """Load the pipelines that worker processes forked next will need for ``texts``, so they share
    them copy-on-write instead of each loading its own: Swedish, and the Finnish model — unless a
    model-output store is active and holds most of the texts (a rules-only rebuild, where only the
    Swedish pages and new ones miss): then the stand-in ``fi_stored``, and a worker that meets a
    Finnish text not stored loads the model itself."""
    if modelcache.active() and modelcache.stored_share(fi_pipelines().model_id, texts) >= 0.5:
        fi_stored()
    else:
        fi_nlp()
    sv_nlp()


@cache
def sv_nlp() -> Language:
    """Swedish: spaCy's Swedish tokenizer + our rule components."""
    return _add_rules(spacy.blank("sv"), "sv")


def pipeline_for(lang: str) -> Language:
    return sv_nlp() if lang == "sv" else fi_nlp()


# --- spaCy Doc → Facts ---------------------------------------------------------------------------


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence/line offsets: the parser is excluded, and lines matter on labelled pages."""
    out, pos = [], 0
    for m in _SENTENCE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _funding_line(text: str, pos: int) -> bool:
    """True when ``pos`` sits in a 'Rahoittaja' / 'Finansiär' field (a label line above it). Another
    field's label in between ('Kumppanit', 'Samarbetspartner', 'Hallinnoija') ends the funders' field:
    a card's partners are not its financers."""
    cues = funding_vocab()["cues"]
    labels, others = set(cues["labels"]), set(cues.get("other_labels", ()))
    lines = text[:pos].split("\n")
    current = lines[-1].strip().lower()
    if any(current.startswith(o) and current[len(o):len(o) + 1] in (":", "") for o in others):
        return False  # 'Kumppanit: THL, Kela'
    for line in reversed(lines[:-1][-6:]):
        label = " ".join(line.strip().rstrip(":").lower().split())
        if label in labels:
            return True
        if label in others or len(line.split()) > 8:
            return False
    return False


@cache
def _cue_pattern() -> re.Pattern[str]:
    cues = funding_vocab()["cues"]
    return re.compile("|".join(re.escape(c) for c in (*cues["fi"], *cues["sv"], "myönn")))


def _partner_between(sentence: str, start: int, end: int) -> bool:
    """'Hanketta rahoittaa STM, ja kumppaneina ovat THL ja Kela', 'finansieras av SHM och genomförs i
    samarbete med THL': a partner or another role ('kumppani', 'arvioi', 'samarbete', 'genomförs') stands
    between the named actor and the funding word nearest to it, so the actor is not who pays."""
    low = sentence.lower()
    vocab_cues = funding_vocab()["cues"]
    for phrase in vocab_cues.get("partner_funding", ()):
        low = low.replace(phrase, " " * (len(phrase) - len(phrase.split()[-1])) + phrase.split()[-1])
    if _own_role(low, end):
        return True
    cues = [(m.start(), m.end()) for m in _cue_pattern().finditer(low)]
    if not cues:
        return False
    before = [c for c in cues if c[1] <= start]
    after = [c for c in cues if c[0] >= end]
    gap_before = start - before[-1][1] if before else None
    gap_after = after[0][0] - end if after else None
    if gap_after is not None and (gap_before is None or gap_after < gap_before):
        segment = low[end:after[0][0]]
    elif gap_before is not None:
        segment = low[before[-1][1]:start]
    else:
        return False
    return any(w in segment for w in funding_vocab()["cues"].get("partner_words", ()))


# funding words proper (not 'hakemus', 'budjetti'): they make the actor's own clause a payment
_STRONG_CUE = re.compile(r"rahoit|avustu|myönt|maksa|kustann|finansi|bidrag|understöd|betal|bekost|bevilj")
# the rest of a compound glued to a named actor that still speaks of its money or its project
# ('STM-rahoitteinen', 'Kela-hanke'); other compounds name something else ('Kela-kyyti', 'THL-raportti')
_GLUED_OK = re.compile(r"(?:rahoit|avustu|tuki|tuke|tuen|raha|hank|ohjelm|finansi|bidrag|stöd|understöd|medel|projekt|program)")
_LOGO_WORDS = re.compile(r"(?i)^(?:logo|logotyp|tunnus)\s*:?\s*|[\s-]*(?:logo|logotyp|logotypen|tunnus|-logo)\.?$")


def _logo_line(sentence: str, name: str) -> bool:
    """A line that is the name alone, as a logo's alt text writes it ('Sitra', 'Sitran logo', 'Logo: Kela',
    'FPA:s logotyp'): the name with at most a genitive ending and the word 'logo'."""
    line = sentence.strip()
    if line == name:
        return True
    bare = _LOGO_WORDS.sub("", line).strip()
    if bare == line:
        return False
    return bare == name or (bare.startswith(name) and len(bare) - len(name) <= 3 and bare[len(name):].lstrip(":") in
                            ("n", "s", "in", "an", "en", ""))


# The rules' fixed patterns are compiled here once, and the vocabulary's through ``prefilter.scan``: a
# pattern given to ``re.search`` as a string is looked up in ``re``'s own cache of 512, which the
# per-name patterns of the other rules keep evicting (each call then compiled it again).
_OWN_CLAUSE_END = re.compile(r"[,;:.()]|\b(?:ja|sekä|och|samt|mutta|men)\b")


def _own_role(low: str, end: int) -> bool:
    """'…, ja THL arvioi sen vaikutuksia': a non-paying verb opens the actor's own clause right after its
    name (within a few words, before any funding word or clause break)."""
    rest = _OWN_CLAUSE_END.split(low[end:], maxsplit=1)[0]
    head = " ".join(rest.split()[:4])
    if _STRONG_CUE.search(head):
        return False  # 'Kela on osallistunut hankkeen rahoitukseen' pays
    return any(p.match(head) for p in _own_role_patterns())


@cache
def _own_role_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?:\S+ )?{re.escape(r)}\b") for r in funding_vocab()["cues"].get("own_roles", ()))


def _has_cue(sentence: str) -> bool:
    cues = funding_vocab()["cues"]
    low = sentence.lower()
    return any(c in low for c in (*cues["fi"], *cues["sv"], "myönn"))


_SHARE_WORD = re.compile(r"\d\s*(?:%|prosent|procent)")


def _funding(doc: Doc, bounds: Sequence[tuple[int, int]], lang: str = "fi") -> tuple[list[str], list[str], list[Entity]]:
    vocab = funding_vocab()
    context_ids = {f["id"] for f in vocab["funder"] if f.get("context")}
    context_forms = {f["id"]: tuple(f.get("context_forms", ())) for f in vocab["funder"] if f.get("context_forms")}
    text = doc_text(doc)
    funders: list[str] = []
    programmes: list[str] = []
    spans: list[Entity] = []
    by_sentence: dict[tuple[int, int], set[str]] = defaultdict(set)
    related = related_offset(text)
    named_elsewhere: set[str] = set()
    refused: set[str] = set()
    logos: list[Span] = []
    granting: dict[str, bool] = defaultdict(bool)
    for span in doc.spans[FUNDING]:
        if span.start_char >= related:
            continue  # 'Lue myös: Kainuun hyvinvointialue haki JTF-rahaa' is another story
        ident = span.kb_id_
        sent = sentence_bounds(bounds, span.start_char)
        needs_context = ident in context_ids or span.text.lower().startswith(context_forms.get(ident, ("\0",)))
        glued = (span.text.partition("-")[2].lower()
                 if span.label_ == "FUNDER" and ident in context_ids and len(span) == 1 and " " not in span.text else "")
        if glued and not _GLUED_OK.match(glued):
            continue  # 'Kela-kyytikustannuksia', 'THL-raportti': another thing named after the actor
        if span.label_ == "FUNDER" and needs_context:
            sentence = text[sent[0]:sent[1]]
            money_in_sentence = any(sent[0] <= m.start_char < sent[1] for m in doc.spans[MONEY])
            share = ident not in context_ids and _SHARE_WORD.search(sentence)
            if (not (money_in_sentence or share or _has_cue(sentence)
                     or _funding_line(text, span.start_char))
                    or (ident in context_ids and _partner_between(
                        sentence, span.start_char - sent[0], span.end_char - sent[0]))):
                named_elsewhere.add(ident)
                if _logo_line(sentence, span.text) and len(span.text) <= 60:
                    logos.append(span)  # a line that is the name alone: a logo's alt text, judged below
                continue
        if span.label_ == "FUNDER" and (_negated(text, span.start_char, span.end_char)
                                        or _denied_later(doc, text, span, sent)):
            if _refusal(vocab, text[sent[0]:sent[1]]):
                refused.add(ident)  # 'hakemus STEA:lle ei menestynyt': a refusal, as below
            continue
        if span.label_ == "FUNDER" and _someone_elses(vocab, ident, text[sent[0]:span.start_char]):
            continue
        if span.label_ == "FUNDER" and not _owner_on_page(vocab, ident, text):
            continue
        if span.label_ == "FUNDER" and _not_project_funding(vocab, text[sent[0]:sent[1]]):
            if _refusal(vocab, text[sent[0]:sent[1]]):
                refused.add(ident)
            continue
        if span.label_ == "FUNDER":
            granting[ident] |= _grants(vocab, text[sent[0]:sent[1]])
        if span.label_ == "PROGRAMME" and any(
                c in text[sent[0]:sent[1]].lower() for c in vocab["cues"].get("other_programme_cues", ())):
            continue  # 'Työ jatkuu X -hankkeessa (RRP2)': the successor's programme
        target = funders if span.label_ == "FUNDER" else programmes
        if ident not in target:
            target.append(ident)
        by_sentence[sent].add(ident)
        spans.append(Entity(span.text, span.label_, ident, span.start_char, span.end_char))
    for ident, start, end in _column_funders(text[:related]):
        # a table's 'Rahoittaja' / 'Finansiär' column: each cell names who pays for its row's project
        if ident not in funders:
            funders.append(ident)
        by_sentence[sentence_bounds(bounds, start)].add(ident)
        spans.append(Entity(text[start:end], "FUNDER", ident, start, end))
    by_role: set[tuple[int, int]] = set()
    for payer in _payers(doc, text, bounds, lang, related):
        # the county, a town or the state as who pays in its clause ('Hyvinvointialue myönsi …', 'rahoitusta
        # valtiolta', 'bekostas av Vasa stad'): the same sentence tests as a named funder
        sent = sentence_bounds(bounds, payer.start)
        if payer.ident not in funders:
            funders.append(payer.ident)
        by_sentence[sent].add(payer.ident)
        spans.append(Entity(text[payer.start:payer.end], "FUNDER", payer.ident, payer.start, payer.end))
        by_role.add((payer.start, payer.end))
    for entry in vocab["funder"]:
        # 'STM:n valtionavustus' is the ministry's money; 'ESR+ ja valtion rahoitus' in another sentence of
        # the same page is still the state's: dropped only when every mention stands beside a ministry
        blockers = set(entry.get("superseded_in_sentence_by", ()))
        with_it = [ids for ids in by_sentence.values() if entry["id"] in ids]
        if blockers and entry["id"] in funders and with_it and all(ids & blockers for ids in with_it):
            funders.remove(entry["id"])
    for span in logos:
        # a financer's logo in a row of funder logos: its name alone on a line next to a funding line
        # ('Sosiaali- ja terveysministeriö' above 'Euroopan unionin rahoittama – NextGenerationEU')
        if span.kb_id_ not in funders and _beside_funding_line(text, span, spans):
            funders.append(span.kb_id_)
            spans.append(Entity(span.text, span.label_, span.kb_id_, span.start_char, span.end_char))
    for ident in refused:
        # 'päätti hakea Interreg Aurora -ohjelmasta rahoitusta … Interreg Aurora -ohjelma ei myöntänyt haettua
        # rahoitusta': a funder the page names as refusing, and nowhere as granting, pays for nothing here
        if ident in funders and not granting[ident]:
            funders.remove(ident)
    by_pattern: set[str] = set()
    head = text[:related]
    for kind, target in (("programme", programmes), ("funder", funders)):
        for entry, scans in _pattern_scans(kind):
            # ``Scan``: a page without the literal text a pattern needs is not scanned with it
            found = [m for s in scans for m in s.finditer(head)
                     if _affirmed(text, m) and not _pattern_elsewhere(vocab, text, bounds, m)]
            ident = entry["id"]
            if found and all(_own_town(entry, text, m) for m in found):
                ident = entry["own_town_is"]  # 'Stadens andel … 12 000 euro' on Helsinki's own page
            if found:
                if ident not in target:
                    target.append(ident)
                by_pattern.add(ident)
    for entry in vocab["programme"]:
        implied = entry.get("implies_funder") or ()
        for funder in [implied] if isinstance(implied, str) else implied:
            if entry["id"] in programmes and funder not in funders:
                funders.append(funder)
    ministries = [m for m in vocab["cues"].get("ministries", ()) if m in named_elsewhere]
    if len(ministries) == 1 and not set(vocab["cues"].get("ministries", ())) & set(funders):
        # 'Social- och hälsovårdsministeriet meddelar … Ministeriet delar ut 20 miljoner euro': the ministry
        # the page names pays when 'the ministry' hands out money in a sentence
        for sent in {sentence_bounds(bounds, m.start_char) for m in doc.spans[MONEY] if m.start_char < related}:
            if _ministry_pays().search(text[sent[0]:sent[1]]):
                funders.append(ministries[0])
                break
    for entry in vocab["funder"]:
        # a state grant on a page that names a ministry (its site line, its call) is that ministry's
        only = tuple(entry.get("superseded_only_forms", ()))
        if only and entry["id"] in funders and not set(entry["superseded_on_page_by"]) & set(funders):
            forms = [e.text.lower() for e in spans if e.canonical == entry["id"] and (e.start, e.end) not in by_role]
            ministries = [m for m in entry["superseded_on_page_by"] if m in named_elsewhere
                          and m in vocab["cues"].get("ministries", ())]
            if len(ministries) == 1 and forms and all(f.startswith(only) for f in forms):
                funders.append(ministries[0])
    for entry in vocab["funder"]:
        ident = entry["id"]
        if ident not in funders or not set(entry.get("superseded_on_page_by", ())) & set(funders):
            continue
        # a payer found by its role ('rahoitusta valtiolta') reads as a state grant: the named ministry's
        forms = [e.text.lower() for e in spans if e.canonical == ident and (e.start, e.end) not in by_role]
        if ident in by_pattern:
            continue  # 'ESR+ ja valtion osuus': the state's share beside a fund, whatever ministry the page names
        if any(f.startswith(tuple(entry.get("keep_when_form_starts", ()))) for f in forms if entry.get(
                "keep_when_form_starts")):
            continue
        if entry.get("kept_for_own_sums") and _own_sum(doc, bounds, spans, ident, set(entry["superseded_on_page_by"])):
            continue  # 'X -hanke sai EU-rahoitusta 1,2 miljoonaa euroa' beside 'Erasmus+-ohjelmasta 64 000 euroa' for Y
        only = tuple(entry.get("superseded_only_forms", ()))
        if only and not all(f.startswith(only) for f in forms):
            continue
        blockers = set(entry.get("superseded_on_page_by", ()))
        rows = [e for e in spans if e.canonical == ident and _table_row(text, e.start)
                and not blockers & _ids_on_line(text, e.start, spans)]
        if entry.get("kept_in_table_rows") and rows and any(
                e.canonical in blockers and _table_row(text, e.start) for e in spans):
            continue  # a table's 'Rahoittaja' cell 'valtionavustus' where other rows say 'STM': a distinct funder
        funders.remove(ident)
    return funders, programmes, spans


@cache
def _pattern_scans(kind: str) -> tuple[tuple[dict[str, Any], tuple[Scan, ...]], ...]:
    """Each registry entry of ``kind`` with its patterns' ``Scan``s, looked up once per process rather
    than once per pattern and page."""
    return tuple((entry, tuple(scan(p) for p in entry.get("patterns", ()))) for entry in funding_vocab()[kind])


def _payers(doc: Doc, text: str, bounds: Sequence[tuple[int, int]], lang: str, related: int) -> list[Payer]:
    """``payers.find_payers`` passed through the tests every named funder passes: not denied around it, not
    a sentence about general state funding or a refusal, not another organisation's own money; a town on
    the own pages of a town that runs its health and social services (Helsinki) is the county."""
    vocab = funding_vocab()
    kunnat = next((f for f in vocab["funder"] if f["id"] == "Kunnat"), {})
    out = []
    for payer in find_payers(doc, lang, bounds, related, text):
        sent = sentence_bounds(bounds, payer.start)
        sentence = text[sent[0]:sent[1]]
        if _negated(text, payer.start, payer.end) or _not_project_funding(vocab, sentence):
            continue
        if payer.ident == "Kunnat" and _own_town_clause(kunnat, text, sentence):
            payer = Payer(kunnat["own_town_is"], payer.start, payer.end)
        out.append(payer)
    return out


_CELL_PART = re.compile(r"[^,;/&]+")
_PAREN_TAIL = re.compile(r"\s*\([^)]*\)\s*$")


def _column_funders(text: str) -> list[tuple[str, int, int]]:
    """Funders named in the cells of a table's funder column ('Hanke | Rahoittaja | Myönnetty' above
    'Kotiutustiimi | STM | 1 180', 'Projekt | Finansiär | …' above '… | FPA | …'): (id, start, end) per cell
    part the registry knows ('EU (Horisont Europa)' → EU)."""
    labels = set(funding_vocab()["cues"]["labels"])
    out: list[tuple[str, int, int]] = []
    column: int | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if "|" not in line:
            if line.strip():
                column = None  # the table ended (rows may stand one paragraph apart)
            continue
        cells = line.split("|")
        names = [" ".join(c.strip().rstrip(":").lower().split()) for c in cells]
        header = [i for i, c in enumerate(names) if c in labels]
        if header:
            column = header[0]
            continue
        if column is None or column >= len(cells):
            continue
        offset = start + sum(len(c) + 1 for c in cells[:column])
        cell = cells[column]
        for part in _CELL_PART.finditer(cell):
            name = _PAREN_TAIL.sub("", part.group(0)).strip()
            ident = registry_name("funder", name) if name else None
            if ident:
                out.append((ident, offset + part.start(), offset + part.end()))
    return out


def _own_town_clause(entry: dict[str, Any], text: str, sentence: str) -> bool:
    """'Kaupunki myönsi …' on Helsinki's own pages, naming no other town: the county's money."""
    pages, others = entry.get("own_town_pages"), entry.get("own_town_others")
    if not pages or not entry.get("own_town_is") or not scan(pages).search(text):
        return False
    return not any(scan(o).search(sentence) for o in others or ())


_PART_OPENER = re.compile(r"\W*(?:josta|siitä|tästä|varav|därav|av detta|av dessa)\b", re.I)


def _own_sum(doc: Doc, bounds: Sequence[tuple[int, int]], spans: Sequence[Entity], ident: str,
             named: set[str]) -> bool:
    """Generic EU money with a sum of its own: every sentence naming a specific fund has its own sum, and
    none of those sums is the generic one's (a different grant for another project), so the named fund
    does not stand for it."""
    money = [(m[1], m[3]) for m in doc.user_data.get(MONEY, ()) if m[1]]

    def sums(sent: tuple[int, int]) -> set[float]:
        return {eur for eur, start in money if sent[0] <= start < sent[1]}

    generic = {sentence_bounds(bounds, e.start) for e in spans if e.canonical == ident}
    funds = {sentence_bounds(bounds, e.start) for e in spans if e.canonical in named}
    own = [sent for sent in generic if sent not in funds and sums(sent)]
    if not own or not funds or any(not sums(sent) for sent in funds):
        return False
    text = doc_text(doc)
    if any(_PART_OPENER.match(text[a:b]) for a, b in funds):
        return False  # 'Siitä ESR+:n osuus on 600 000 euroa': a part of the generic sum
    theirs = set().union(*(sums(sent) for sent in funds))
    # a named fund's sum at least as big as the generic one is the whole it belongs to, an equal one the same
    return all(b < a and abs(a - b) > 0.005 * a for sent in own for a in sums(sent) for b in theirs)


_CELL_BREAK = re.compile(r"\||\t| {3,}")


def _table_row(text: str, pos: int) -> bool:
    """A line of a table: cells split by '|', a tab or a run of spaces ('Perheen arki   valtionavustus   780 000')."""
    start, end = line_bounds(text, pos)
    return bool(_CELL_BREAK.search(text[start:end].strip()))


def _ids_on_line(text: str, pos: int, spans: Sequence[Entity]) -> set[str]:
    start, end = line_bounds(text, pos)
    return {e.canonical for e in spans if start <= e.start < end}


def _someone_elses(vocab: dict[str, Any], ident: str, before: str) -> bool:
    """'Centria yrkeshögskola svarar för utvärderingen med egen finansiering': the own money of the
    organisation the sentence is about (a university, an association, a firm), not the county's — unless
    the sentence names the county too."""
    entry = next((f for f in vocab["funder"] if f["id"] == ident), {})
    owners = entry.get("other_owners", ())
    if not owners:
        return False
    low = before.lower()
    if any(w in low for w in entry.get("own_owners", ())):
        return False
    return any(scan(rf"\b{re.escape(w)}").search(low) for w in owners)


@cache
def _denial_pattern() -> re.Pattern[str]:
    return re.compile("|".join(funding_vocab()["cues"].get("denied_later", ())) or r"(?!x)x")


def _denied_later(doc: Doc, text: str, span: Span, sent: tuple[int, int]) -> bool:
    """'Social- och hälsovårdsministeriet har deltagit i beredningen men finansierar inte projekten': the actor's
    own clause denies paying, later in its sentence, with no other funder named in between (so 'STM rahoittaa,
    mutta THL ei rahoita' denies only THL)."""
    m = _denial_pattern().search(text[span.end_char:sent[1]].lower())
    if not m:
        return False
    denial = span.end_char + m.start()
    return not any(span.end_char <= other.start_char < denial for other in doc.spans[FUNDING]
                   if other.label_ == "FUNDER")


def _owner_on_page(vocab: dict[str, Any], ident: str, text: str) -> bool:
    """An own-share word ('Omarahoitusosuus on 20 %') is the county's only on a page that names a county, its
    bodies or a place in one somewhere; on a page about residents' or a village's project it is theirs."""
    entry = next((f for f in vocab["funder"] if f["id"] == ident), {})
    owners = entry.get("page_owners")
    if not owners:
        return True
    low = text.lower()
    return any(w in low for w in owners) or bool(find_mentions(text))


_DENIED = re.compile(r"\s+(?:inte|ej|icke)\b|\s*,?\s*(?:eikä|mutta ei)\b")
_DENIAL_WORD = re.compile(r"\b(?:ei|eivät|inte)\b")


def _affirmed(text: str, match: re.Match[str]) -> bool:
    """A funder pattern's match that the text does not deny right after it: 'Välfärdsområdet finansierar
    inte försöket med egna medel' names no county money."""
    return not _DENIED.match(text, match.end()) and not _DENIAL_WORD.search(match.group(0)[-40:])


def _pattern_elsewhere(vocab: dict[str, Any], text: str, bounds: Sequence[tuple[int, int]],
                       match: re.Match[str]) -> bool:
    """A funder pattern's match in a sentence about a county's general funding or a refusal ('Valtio myönsi
    hyvinvointialueille yleiskatteellista rahoitusta', 'Valtio rahoittaa … mutta STM hylkäsi hakemuksen'):
    the same test the named funders pass, so a pattern is no back door."""
    sent = sentence_bounds(bounds, match.start())
    return _not_project_funding(vocab, text[sent[0]:max(sent[1], match.end())])


def _beside_funding_line(text: str, span: Span, accepted: Sequence[Entity]) -> bool:
    """The line before or after a logo's line names an accepted funder or speaks of funding."""
    start = text.rfind("\n", 0, span.start_char)
    end = text.find("\n", span.end_char)
    before = text[:max(start, 0)].rstrip("\n")
    prev = (before.rfind("\n") + 1, len(before)) if start > 0 else None
    rest = text[end:].lstrip("\n") if end >= 0 else ""
    nxt_start = len(text) - len(rest)
    nxt = (nxt_start, nxt_start + (rest.find("\n") if "\n" in rest else len(rest))) if end >= 0 else None
    for line in (prev, nxt):
        if line and line[1] > line[0] and (
                any(line[0] <= e.start < line[1] and e.label == "FUNDER" for e in accepted)
                or _has_cue(text[line[0]:line[1]])):
            return True
    return False


def _refusal(vocab: dict[str, Any], sentence: str) -> bool:
    """'Interreg Aurora -ohjelma ei myöntänyt haettua rahoitusta', 'SHM avslog ansökan': a refused application."""
    low = sentence.lower()
    return any(w in low for w in vocab["cues"].get("refusals", ()))


def _grants(vocab: dict[str, Any], sentence: str) -> bool:
    """A sentence where money is given or received ('myönsi', 'sai rahoitusta', 'beviljade', 'finansieras av')."""
    low = sentence.lower()
    return any(w in low for w in vocab["cues"].get("grant_words", ()))


def _own_town(entry: dict[str, Any], text: str, match: re.Match[str]) -> bool:
    """On the page of a town that runs its own health and social services (Helsinki), 'the city's share' is
    the county's money: a match of the towns' patterns naming no other town ('Stadens andel, uppskattningsvis
    12 000 euro')."""
    pages, others = entry.get("own_town_pages"), entry.get("own_town_others")
    if not pages or not entry.get("own_town_is") or not scan(pages).search(text):
        return False
    return not any(scan(o).search(match.group(0)) for o in others or ())


def _not_project_funding(vocab: dict[str, Any], sentence: str) -> bool:
    """A county's general state funding ('hyte-kertoimen perusteella valtion rahoitusta') or advice to
    others ('Yritykset voivat hakea rahoitusta Business Finlandilta'): no funder of the page's projects."""
    cues = vocab["cues"]
    low = sentence.lower()
    return (any(w in low for w in cues.get("not_project_funding", ()))
            or any(scan(p).search(sentence) for p in cues.get("advice_patterns", ())))


@cache
def _ministry_pays() -> re.Pattern[str]:
    """'Ministeriö jakaa …', 'Ministeriet delar ut …': the ministry, unnamed, handing out money."""
    verbs = "|".join(re.escape(v) for v in funding_vocab()["cues"]["ministry_verbs"])
    return re.compile(rf"\b(?:[Mm]inisteriö|[Mm]inisteriet)\s+(?:[\w-]+\s+){{0,2}}?(?:{verbs})\b")


_CLAUSE_STOP = re.compile(r"[.!?;\n]")  # (a name of its own: _SENTENCE_BREAK below is another rule's)
_WORD = re.compile(r"\w+")
_LABEL_DENIED = re.compile(r"[ \t]*(?::[ \t]*\n*|\n+)[ \t]*(?:ei|eikä|ingen|inget|inga|nej|0[ \t]*(?:€|euroa|euro))\b")


def _negated(text: str, start: int, end: int) -> bool:
    """'eikä omarahoitusta edellytetä', 'utan egen finansiering': the funder is denied, not named."""
    cues = funding_vocab()["cues"]
    window = _CLAUSE_STOP.split(text[max(0, start - 30):start])[-1]  # this sentence only
    before = _WORD.findall(window.lower())[-2:]
    after = " ".join(text[end:end + 30].lower().split())
    near = " ".join(_CLAUSE_STOP.split(text[max(0, start - 40):start])[-1].lower().split())
    clause = " ".join(_CLAUSE_STOP.split(text[max(0, start - 60):start])[-1].lower().split())
    # a card's field whose value denies it ('Omarahoitusosuus' / 'Ei omarahoitusta', 'Egen finansiering: ingen')
    label_denied = _LABEL_DENIED.match(text[end:end + 40].lower())
    return (bool(label_denied) or any(w in cues["negations"] for w in before)
            or any(after.startswith(n) for n in cues["negated_after"])
            or any(near.endswith(n) for n in cues.get("negated_before", ()))
            or any(scan(p).search(clause) for p in cues.get("negated_verbs", ())))


def _amounts(doc: Doc, bounds: Sequence[tuple[int, int]], fund_spans: Sequence[Entity],
             projects: Sequence[tuple[int, str]]) -> list[Amount]:
    out = []
    for text, eur, qualifier, start, end in doc.user_data.get(MONEY, ()):
        s, e = sentence_bounds(bounds, start)
        funder = next((f.canonical for f in fund_spans if f.label == "FUNDER" and s <= f.start < e), None)
        project = next((name for pos, name in projects if s <= pos < e), None)
        amount = Amount(text=text, eur=eur, qualifier=qualifier, start=start, end=end)
        out.append(with_context(amount, doc_text(doc)[s:e].strip(), funder=funder, project=project))
    return out


_CASE_RANK = {"nimento": 0, "omanto": 1, "osanto": 2}


def _name_word_base(word: str, first: bool) -> str | None:
    """voikko's base form of a name word, name classes only: the first word prefers a first name, later
    words a surname; among readings nominative < genitive < partitive < the rest ('Vuorista' in
    'kuultiin Pekka Vuorista' is Vuorinen, not 'from Vuori')."""
    readings = [a for a in voikko.analyze(word) if a.get("CLASS") in ("etunimi", "sukunimi")]
    if not readings:
        return None
    wanted = "etunimi" if first else "sukunimi"
    # 'Juhani' is a name of its own, not 'Juha' with a possessive suffix ('my Juha')
    readings.sort(key=lambda a: (a.get("CLASS") != wanted, a.get("POSSESSIVE") is not None,
                                 _CASE_RANK.get(a.get("SIJAMUOTO", ""), 3)))
    return str(readings[0].get("BASEFORM") or word)


def _genitive_context(span: Span) -> bool:
    """The name stands in the genitive: a postposition or agent participle follows it, past a
    parenthesis ('Saija Stenbackan (VSSHP) vastuulla', 'Björkqvistin mukaan'), or past the names it is
    listed with ('Laura Saraman (Turun kaupunki) sekä Saija … yhteisvastuulla')."""
    doc = span.doc
    words = contacts_mod.vocab()["genitive"]
    exact, stems = set(words["words"]), tuple(words["stems"])
    i, depth, seen = span.end, 0, 0
    coordinated = False
    while i < len(doc) and seen < (14 if coordinated else 3):
        t = doc[i]
        i += 1
        if t.text == "(":
            depth += 1
            continue
        if t.text == ")":
            depth = max(0, depth - 1)
            continue
        if depth or t.is_space:
            continue
        low = t.lower_
        if low in exact or low.startswith(stems):
            return True
        if t.text in {".", "!", "?", ":", ";"} or "\n" in t.whitespace_:
            return False
        if low in {"ja", "sekä", "och", ","}:
            coordinated = True
        seen += 1
    return False


def _strip_genitive(word: str) -> str:
    """Base form of a surname voikko does not know, in the genitive: 'Kauniskankaan' → 'Kauniskangas'
    (its last part is a word voikko inflects), 'Stenbackan' → 'Stenbacka', 'Nyqvistin' → 'Nyqvist'."""
    for k in range(2, len(word) - 3):
        tail = word[k:].lower()
        for a in voikko.analyze(tail):
            base = str(a.get("BASEFORM") or "")
            # the whole tail inflects ('kankaan' → 'kangas'), not just its first part
            if a.get("SIJAMUOTO") == "omanto" and a.get("CLASS") == "nimisana" and len(base) >= len(tail) - 3:
                return word[:k] + base
    if re.search(rf"[^aeiouyäöå{contacts_mod.UPPER}]in$", word):
        return word[:-2]
    if re.search(r"[aeiouyäö]n$", word):
        return word[:-1]
    return word


def _base_name(span: Span, lang: str) -> str:
    """Base form of a name: lemmas in Finnish ('Katri Nousiaisen' → 'Katri Nousiainen')."""
    if lang != "fi":
        words = [t.text for t in span]
    else:
        words = []
        for k, t in enumerate(span):
            base = _name_word_base(t.text, k == 0)
            if base:
                words.append(base)
                continue
            lemma = t.lemma_ or t.text
            if "-" in t.text and "-" not in lemma or k == 0 and len(span) > 1 or lemma.lower() == t.text.lower():
                # (a lemma that only changes the case is the model's acronym reading: 'Ek' → 'EK')
                lemma = t.text  # a full name inflects its last word only: 'Albana Mustafi' is not 'Alba'
            elif k and t.text.lower() in (lemma.lower() + "na", lemma.lower() + "nä"):
                lemma = t.text  # 'Julius Raappana' is no essive of a noun 'raappa': names are not written in essive
            if k == len(span) - 1 and k and lemma == t.text and t.text.endswith("n") \
                    and not voikko.analyze(t.text) and _genitive_context(span):
                lemma = _strip_genitive(t.text)
            words.append(lemma[:1].upper() + lemma[1:] if lemma else t.text)
        return contacts_mod.order_name(contacts_mod.clean_name(" ".join(words)))
    if len(words) >= 2 and words[-1].endswith("s") and span.end < len(span.doc) \
            and span.doc[span.end].is_lower and span.doc[span.end].is_alpha \
            and not voikko.analyze(words[-1]) and voikko.analyze(words[-1][:-1]):
        words[-1] = words[-1][:-1]  # Swedish genitive: 'statsminister Antti Rinnes regering'
    return contacts_mod.order_name(contacts_mod.clean_name(" ".join(words)))


_WORD_RUN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


class KnownNames:
    r"""One matcher over the distinct names already recognised elsewhere in the corpus.

    The names are indexed by their first word, and a page's words are scanned once: the cost is the
    page's length plus the candidates there, not one regex per name per page (quadratic over a run,
    ~19 % of a 2,000-page ingest). A name matches as a whole word, optionally with the Swedish
    genitive -s, exactly as ``(?<!\w)NAME s?(?!\w)`` would.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(n for n in names if n))
        self.rank = {n: i for i, n in enumerate(self.names)}
        self.by_first: dict[str, list[str]] = {}
        self.odd: list[str] = []  # names not starting with a word character: plain regex
        for name in self.names:
            first = _WORD_RUN.match(name)
            if first is None:
                self.odd.append(name)
            else:
                self.by_first.setdefault(first.group(), []).append(name)

    def __len__(self) -> int:
        return len(self.names)

    def _end(self, text: str, end: int) -> int | None:
        if text.startswith("s", end) and not _WORD_CHAR.match(text, end + 1):
            return end + 1
        return None if _WORD_CHAR.match(text, end) else end

    def mentions(self, text: str) -> list[contacts_mod.Mention]:
        """Every occurrence of a known name in ``text``, ordered by name then position."""
        hits: list[tuple[int, int, int, str]] = []
        if self.by_first:
            for word in _WORD_RUN.finditer(text):
                for name in self.by_first.get(word.group(), ()):
                    start = word.start()
                    if text.startswith(name, start):
                        end = self._end(text, start + len(name))
                        if end is not None:
                            hits.append((self.rank[name], start, end, name))
        for name in self.odd:
            for m in re.finditer(rf"(?<!\w){re.escape(name)}s?(?!\w)", text):
                hits.append((self.rank[name], m.start(), m.end(), name))
        hits.sort()
        return [contacts_mod.Mention(start, end, name) for _, start, end, name in hits]


def _known_mentions(text: str, known: Iterable[str] | KnownNames) -> list[contacts_mod.Mention]:
    """Names already recognised elsewhere in the corpus, found literally (plus Swedish genitive -s)."""
    matcher = known if isinstance(known, KnownNames) else KnownNames(known)
    return matcher.mentions(text) if len(matcher) else []


def _persons_and_contacts(doc: Doc, lang: str, known: Iterable[str] | KnownNames) -> tuple[list[Contact], list[str]]:
    text = doc_text(doc)
    persons = [contacts_mod.Mention(s.start_char, s.end_char, _base_name(s, lang)) for s in doc.spans[PERSONS]]
    covered = [(p.start, p.end) for p in persons]
    for m in _known_mentions(text, known):
        if not any(s < m.end and m.start < e for s, e in covered):
            persons.append(m)
    titles = []
    title_text: dict[contacts_mod.Mention, str] = {}
    for span in doc.spans[TITLES]:
        mention = contacts_mod.Mention(span.start_char, span.end_char, span.kb_id_)
        titles.append(mention)
        title_text[mention] = _title_phrase(span, lang)
    return contacts_mod.build_contacts(text, persons, titles, title_text)


def _title_phrase(span: Span, lang: str) -> str:
    """'hanketoimiston päällikkö', 'chefen för projektbyrån', 'hankepäällikkö'."""
    doc = span.doc
    modifiers = set(contacts_mod.vocab()["titles"].get("modifiers", ()))
    prev = doc[span.start - 1] if span.start else None
    # a capital only because the line starts there: 'Neuvotteleva virkamies …', 'Yksikön päällikkö …'
    line_start = prev is not None and (prev.i == 0 or "\n" in doc[prev.i - 1].whitespace_
                                       or doc[prev.i - 1].is_space or doc[prev.i - 1].text == ":")
    lower_ok = prev is not None and prev.is_alpha and (prev.is_lower or line_start and prev.text[1:].islower())
    if lang == "fi":
        head = span.kb_id_
        acronym = span.text.split("-")[0]
        if "-" in head and len(acronym) >= 2 and acronym.isupper():
            head = acronym + head[head.index("-"):]  # 'TKI-asiantuntija' keeps its acronym
        words = [head]
        employer = prev is not None and prev.lemma_.lower() in contacts_mod.vocab()["titles"].get("org_genitives", ())
        if lower_ok and not employer and prev.pos_ != "PRON" and not prev.lower_.startswith(("hankkee", "hankkei", "projekti")) \
                and (prev.lower_ in modifiers or prev.text.endswith("n")
                                                  and "Case=Gen" in str(prev.morph)):
            words.insert(0, prev.lower_)  # 'neuvotteleva virkamies', 'yksikön päällikkö' (not 'sen hankepäällikkö')
        return " ".join(words)
    acronym = span.text.split("-")[0]
    # 'HR-specialist' keeps its acronym, as 'TKI-asiantuntija' does in Finnish
    words = [acronym + span.text[len(acronym):].lower() if "-" in span.text and len(acronym) >= 2
             and acronym.isupper() else span.text.lower()]
    if span.end < len(doc) and doc[span.end].is_lower and span.end in {s.start for s in doc.spans.get(TITLES, ())}:
        words.append(doc[span.end].text)  # 'konsultativ tjänsteman'
    elif span.end + 1 < len(doc) and doc[span.end].lower_ == "för" and doc[span.end + 1].is_lower:
        words += ["för", doc[span.end + 1].text]
    if span.start >= 2 and doc[span.start - 1].lower_ == "och" and doc[span.start - 2].text.endswith("-"):
        words[:0] = [doc[span.start - 2].text.lower(), "och"]  # 'bildnings- och välfärdschef'
    return " ".join(words)


_PROJECT_BREAK = {"VERB", "AUX", "ADV", "ADP", "NUM", "PUNCT", "PRON", "SCONJ", "SYM"}
_SV_STOP = {"har", "är", "ska", "var", "kommer", "blir", "inom", "via", "i", "testar", "får", "fick",
            # a sum's hedge ends the name: 'projektet RRF Mellersta Österbotten ungefär 6,6 miljoner euro'
            "ungefär", "cirka", "drygt", "nästan", "närmare", "omkring", "sammanlagt", "totalt"}


def _projects(doc: Doc, lang: str) -> list[tuple[int, str]]:
    """Named projects as written: 'X -hanke', 'X-hankkeen', '(TulKoti)', 'projektet X', 'X-projektet'."""
    found: list[tuple[int, str]] = []
    glued: set[str] = set()
    for i, low in enumerate(token_strings(doc, "LOWER")):
        if "hank" not in low and "projekt" not in low:
            continue
        t = doc[i]
        if lang == "fi":
            lemma = t.lemma_.lower()
            # '… -hankkeeseen' is tokenised '-' + 'hankkeeseen': any case of 'hanke' right after a glued hyphen
            # (also a compound after a spaced hyphen: 'Yritetään yhdessä -kehittämishankkeella')
            after_hyphen = t.i > 0 and doc[t.i - 1].text in ("-", "–") and not doc[t.i - 1].whitespace_ \
                and bool(_hanke_head().match(low)) and bool(_hanke_head().match(lemma))
            compound_after = any(low.endswith(w) and low[: -len(w)] in _compound_heads() for w in _NAME_AFTER)
            if (low in _NAME_AFTER or compound_after or _owned_project_word(doc, t.i)) and not after_hyphen:
                after = _name_after(doc, t.i)
                if after:
                    found.append((doc[t.i + 1].idx, after))
            # glued to the name only as 'X-hanke' ('ICT-muutoshanke' is that project's own name)
            glued_head = re.search(r"-hank", low) if "-" in t.text[1:] else None
            if glued_head is None and "-" in t.text[1:] and re.search(r"\w{4,}-projekt(?:i|in|issa|iin|ille|ista)$", t.text):
                glued_head = re.search(r"-projekt", low)  # 'JOPA-projekti vastaa …' (not 'ICT-projekti')
            if after_hyphen or re.fullmatch(r"[-–]\s*hanke\w*|hanke|hankkeen|hankkeessa|hankkeelle", low) or \
                    (low.startswith(("-", "–")) and _hanke_head().match(lemma.lstrip("-–"))):
                hyphen = low.startswith(("-", "–")) or after_hyphen
                name = _name_before(doc, _before_parenthesis(doc, t.i), lenient=hyphen)
                if name and re.search(r"(?:seen|elle|esta|eeseen)$", low):
                    # 'Osallistuminen Prima Botnia – Hyvinvoiva Pohjanmaa -hankkeeseen': the verbal noun
                    # governs the illative; the project's name starts after it
                    name = re.sub(r"^[A-ZÅÄÖ][a-zåäö]+(?:minen|misen)\s+(?=[A-ZÅÄÖ0-9]\S*\s+\S)", "", name)
                if name:
                    found.append((t.idx, name))
            elif glued_head and t.text[0].isupper():
                head = t.text[: glued_head.start()]
                prev = doc[t.i - 1] if t.i else None
                after = _name_after(doc, t.i) if _is_programme_acronym(head) else None
                if after:
                    found.append((doc[t.i + 1].idx, after))  # 'KATI-hanke Turvallisesti kotona … sai': the name follows
                elif head.lower() in _project_vocab()["never"] and prev is not None and prev.text[:1].isupper() \
                        and prev.text.endswith("n"):  # a genitive owner; the tagger's case is unreliable here
                    found.append((prev.idx, f"{prev.text} {head}-hanke"))  # 'Varhan RRP2-hanke'
                else:
                    found.append((t.idx, head))
                    glued.add(head.lower().strip("\"'”“»«"))  # 'Kohti-hankkeen': written as a project's name
            elif lemma.endswith("hanke") and t.text[0].isupper() and "-" in t.text:
                found.append((t.idx, t.lemma_))
        else:
            if low.endswith("projektet") and low != "projektet" and t.i + 1 < len(doc) \
                    and doc[t.i + 1].text[:1].isupper() and (not t.text[0].isupper() or "-" not in t.text
                                                            or _is_programme_acronym(t.text[: low.index("-projekt")])
                                                            or _programme_family_before(doc, t.i)):
                # 'KATI-projektet Tryggt hemma …', 'Tandvårdsprojektet Munhälsa för alla avslutades': the name follows
                found.append((doc[t.i + 1].idx, _sv_name_after(doc, t.i)))
            elif low.endswith("-projektet") and t.text[0].isupper():
                found.append((t.idx, t.text[: low.index("-projektet")]))
            elif re.search(r"\w-projekt(?:et|ets)?$", low) and t.i > 0:
                named = _sv_name_before(doc, t.i)  # 'Hemvård på distans-projektet'
                if named:
                    found.append(named)
            elif low == "projektet" and t.i + 1 < len(doc) and doc[t.i + 1].text[:1].isupper():
                found.append((t.idx, _sv_name_after(doc, t.i)))
    if lang != "fi":  # 'för försöket Data för hälsa i Österbotten, där …': a trial's name after the word
        for t in doc:
            if (t.lower_ in _SV_TRIAL_WORDS or t.lower_.endswith("försöket") and t.text.islower()) and t.i + 1 < len(doc) and doc[t.i + 1].text[:1].isupper() \
                    and not doc[t.i + 1].is_punct:
                name = _sv_name_after(doc, t.i)
                if name:
                    found.append((doc[t.i + 1].idx, name))
    if lang == "fi":  # 'Perhekeskus iltaisin -kokeilu', 'Hoiva kotiin -projekti': a glued trial or project
        texts = token_strings(doc, "ORTH")
        for i, lemma in enumerate(token_strings(doc, "LEMMA")):
            if i > 1 and lemma.lower() in _TRIAL_NOUNS and texts[i - 1] in ("-", "–") \
                    and not doc[i - 1].whitespace_ and doc[i - 2].whitespace_:
                name = _name_before(doc, _before_parenthesis(doc, i), lenient=True)
                if name and len(name.split()) >= 2:
                    found.append((doc[i].idx, name))
    for m in re.finditer(r"\(([A-ZÅÄÖ][\w-]{2,30})\)", doc_text(doc)):
        if not m.group(1).isupper() and any(c.isupper() for c in m.group(1)[1:]) and not _plural_kind(m.group(1)):
            found.append((m.start(), m.group(1)))
    found += _listed_projects(doc_text(doc))
    headed = _headed_projects(doc_text(doc))
    found += headed
    glued.update(name.lower() for _pos, name in headed)  # a one-word heading over a project's text is its name
    found += _acronym_long_forms(doc_text(doc))
    vocab = _project_vocab()
    related = related_offset(doc_text(doc))
    head = doc_text(doc)[:related]
    for pattern in vocab["patterns"]:
        for m in scan(pattern).finditer(head):
            found.append((m.start("name"), m.group("name").strip(" -–")))
    seen, out = set(), []
    for pos, name in found:
        name = re.sub(r"\s+-\s?nimi\w*$", "", name)  # 'Lapin kotihoidon digiloikka -nimiselle (hankkeelle)'
        name = _caps_as_written(name.strip("\"'”“»«"), doc_text(doc))
        key = name.lower()
        if pos < related and name and key not in seen and _project_name_ok(name, key in glued):
            seen.add(key)
            out.append((pos, name))
    return out


def _plural_kind(name: str) -> bool:
    """'(OT-keskukset)': an acronym glued to a plural common noun abbreviates a kind of thing (centres,
    homes), not one project's name ('(TulKoti)', '(KotiIn)' stay)."""
    if "-" not in name:
        return False
    readings = voikko.analyze(name.rsplit("-", 1)[1])
    return bool(readings) and all(a.get("CLASS") == "nimisana" and a.get("NUMBER") == "plural" for a in readings)


# Swedish words for a trial or an effort after which its name follows like after 'projektet'
_SV_TRIAL_WORDS = {"försöket", "satsningen", "pilotprojektet", "pilotförsöket"}


def _programme_family_before(doc: Doc, i: int) -> bool:
    """'Interreg Aurora-projektet Nordic Care Bridge': a programme family word ('Interreg') opens the
    words glued to '-projektet', so they name the programme and the project's name follows."""
    families = set(_project_vocab()["programme_families"])
    return any(doc[k].lower_ in families for k in range(max(0, i - 3), i + 1)
               if doc[k].text[:1].isupper()) or doc[i].lower_.split("-")[0] in families


_TRIAL_NOUNS = {"kokeilu", "projekti", "pilotti", "hankekokonaisuus", "niminen"}
# 'Hankkeessa Arjen turva Lapissa kokeillaan …': the case forms after which a name can follow the word
_NAME_AFTER = {"hankkeessa", "hankkeeseen", "hankkeelle", "hankkeesta", "projektissa", "projektiin", "projektille"}
# '… hyvinvointialueen hanke Sujuva arki sai …', '… uuden hankkeen Ikäihmisten digituki tavoitteena …': the
# word in the nominative or genitive names the project after it only when an owner or an adjective comes first
_OWNED_WORDS = {"hanke", "hankkeen", "projekti", "projektin", "kehittämishanke", "kehittämishankkeen"}


@cache
def _compound_heads() -> frozenset[str]:
    """'jatko', 'kehittämis' …: 'jatkohankkeessa Päihdeapu lähelle' names the project after it as 'hankkeessa' does."""
    return frozenset(_project_vocab()["compound_heads"])


@cache
def _hanke_head() -> re.Pattern[str]:
    """'hanke' in any case, also as the head of a compound ('kehittämishanke', 'kärkihankkeen')."""
    heads = "|".join(re.escape(h) for h in _project_vocab()["compound_heads"])
    return re.compile(rf"^(?:{heads})?hank")


def _owned_project_word(doc: Doc, i: int) -> bool:
    """'hyvinvointialueen hanke X', 'yhteinen hanke X': the project word after a lower-case genitive owner
    or an adjective, with a capitalised word next (the name)."""
    t = doc[i]
    if t.lower_ not in _OWNED_WORDS or i + 1 >= len(doc):
        return False
    if i == 0 or doc[i - 1].text in (".", "!", "?") or "\n" in doc[i - 1].whitespace_ + doc[i - 1].text:
        # 'Hankkeen Sujuvat siirtymät Pirkanmaalla tavoitteena on …' opening a sentence: a name of two words
        return t.text in ("Hankkeen", "Projektin") and doc[i + 1].text[:1].isupper() \
            and i + 2 < len(doc) and not doc[i + 2].is_punct
    prev = doc[i - 1]
    if prev.text == ")":  # 'Kanta-Hämeen hyvinvointialueen (Oma Häme) hanke Arjen apu Hämeessä'
        return True
    return prev.is_lower and prev.is_alpha and ("Case=Gen" in str(prev.morph) or prev.pos_ == "ADJ")


def _sv_name_after(doc: Doc, i: int) -> str:
    """The name after 'projektet' ('projektet Vård i skärgården har …'): to a verb, a function word or a
    punctuation mark, at most ten words."""
    stop = _SV_STOP | set(_project_vocab()["sv_verbs"])
    end, placed = i + 1, False
    while end < len(doc) and end - i <= 10 \
            and (not doc[end].like_num or (re.fullmatch(r"\d+\.\d", doc[end].text) and doc[end - 1].text[:1].isupper())) \
            and (doc[end].lower_ not in stop or _sv_place_after(doc, end)) \
            and not (doc[end].is_lower and re.search(r"(?:ades|ats|des|tes)$", doc[end].lower_)) \
            and not (doc[end].is_punct and doc[end].text not in "–-") and "\n" not in doc[end].text:
        if placed and doc[end].lower_ == "och" and end + 1 < len(doc) and doc[end - 1].text[:1].isupper() \
                and doc[end + 1].text[:1].isupper() and (end + 2 >= len(doc) or doc[end + 2].is_punct
                                                         or "\n" in doc[end + 1].whitespace_):
            end += 2  # 'Rehabilitering nära hemmet i Vanda och Kervo.': two places end the name
            break
        if placed and doc[end].is_lower:
            break  # the name ends with its place: 'Smidiga tjänster i Helsingfors | vid …'
        if _sv_place_after(doc, end) and doc[end + 1].is_lower:
            # 'Psykisk hälsa i första linjen i Kymmenedalen', 'Förebygg i tid – Lappland': through the
            # lower-case phrase to the place
            k = next(k for k in range(end + 1, len(doc) - 1)
                     if (doc[k].lower_ in ("i", "på") or doc[k].text in ("–", "-")) and doc[k + 1].text[:1].isupper())
            end = k + 2
            break
        placed = placed or _sv_place_after(doc, end)
        end += 1  # (a verb in the past or passive ends it: 'Munhälsa för alla avslutades 2024')
    return doc[i + 1:end].text.strip()


def _sv_place_after(doc: Doc, i: int) -> bool:
    """'i' + a place in a Swedish name ('Närvård i Sydösterbotten', 'Trygg hemma i Österbotten'), also
    after a lower-case phrase of the name ('Psykisk hälsa i första linjen i Kymmenedalen')."""
    if doc[i].lower_ not in ("i", "på") or i + 1 >= len(doc) or "\n" in doc[i].whitespace_:
        return False
    if doc[i + 1].text[:1].isupper():
        return True
    for k in range(i + 1, min(i + 5, len(doc) - 1)):  # 'i första linjen' + 'i Kymmenedalen'
        tok = doc[k]
        if tok.text in ("–", "-") and tok.whitespace_ and doc[k + 1].text[:1].isupper() \
                and normalize_region(doc[k + 1].text):
            return True  # 'i tid – Lappland'
        if not tok.is_lower or tok.is_punct or tok.like_num or "\n" in tok.whitespace_ \
                or tok.lower_ in _SV_STOP - {"i"} or re.search(r"(?:ades|ats|des|tes)$", tok.lower_):
            return False
        if tok.lower_ in ("i", "på") and doc[k + 1].text[:1].isupper() and normalize_region(doc[k + 1].text):
            return True
    return False


def _is_programme_acronym(word: str) -> bool:
    """'KATI', 'RRP2': a programme (or its round) written before the project word, not a name."""
    m = re.fullmatch(r"(\S+?)\d{0,2}", word.strip())
    return bool(m) and m.group(1).casefold() in _programme_acronyms()


def _sv_name_before(doc: Doc, i: int) -> tuple[int, str] | None:
    """A Swedish name glued to '-projektet' that has lower-case words ('Hemvård på distans-projektet',
    'Trygg vård-projektet'): back to a punctuation mark, a line break or a verb / function word; from its
    first capitalised word. (position, name) or None."""
    stop = set(_project_vocab()["sv_name_stop"])
    start = i
    head = doc[i].text[: doc[i].lower_.index("-projekt")]
    if head.lower() in _project_vocab()["never"]:
        return None  # 'Sjukskötare på båt – EU-projekt': a funder's project, no name
    while start > 0 and i - start < 5:
        tok = doc[start - 1]
        if tok.is_punct or "\n" in tok.text + tok.whitespace_ or tok.lower_ in stop or tok.like_num:
            break
        start -= 1
    while start < i and not doc[start].text[:1].isupper():
        start += 1
    if start + 1 < i and doc[start].text.endswith("s") and doc[start + 1].text[:1].isupper() \
            and normalize_region(doc[start].text):
        start += 1  # 'Österbottens Trygg vård-projekt': the owner in the genitive is not part of the name
    if start >= i:
        return None
    return doc[start].idx, f"{doc[start:i].text} {head}"


def _name_after(doc: Doc, i: int) -> str | None:
    """The name right after 'hankkeessa' / 'hankkeeseen' …: from a capitalised word to a finite verb, a
    partitive noun (the money asked), a number or a punctuation mark ('Hankkeessa Arjen turva Lapissa
    kokeillaan'); never a person ('hankkeessa Maija Virtanen vastaa')."""
    j = i + 1
    if j >= len(doc) or not doc[j].text[:1].isupper() or "\n" in doc[i].whitespace_:
        return None
    if ":" in doc[j].text or any(a.get("CLASS") == "etunimi" for a in voikko.analyze(doc[j].text)):
        return None  # 'hankkeessa STM:n rahoituksella' is the funder
    end = j
    while end < len(doc) and end - j < 8:
        tok = doc[end]
        morph = str(tok.morph)
        # an adverb before a place stays in the name ('Turvallisesti kotona Pohjois-Karjalassa')
        place_adverb = tok.pos_ in ("ADV", "ADP") and end > j and tok.lower_ not in _NAME_STOP and end + 1 < len(doc) \
            and (doc[end + 1].text[:1].isupper() or doc[end + 1].text in (".", ",", "!", "?", "–", "—")) \
            and "Mood=" not in morph  # ('Mielenterveyspalvelut lähelle.', 'Päihdeapu lähelle – Kanta-Häme')
        if (tok.is_punct and tok.text not in "-–") or "\n" in tok.text \
                or (tok.pos_ in ("ADP", "SCONJ", "PRON", "NUM") and not place_adverb) \
                or (tok.is_lower and not place_adverb and ("Mood=" in morph or tok.pos_ in ("AUX", "VERB", "ADV", "CCONJ"))) \
                or (tok.is_lower and tok.pos_ == "NOUN" and re.search(r"Case=(?:Par|Ess|Tra)\b", morph)):
            break  # '… digituki tavoitteena on': an essive or translative noun starts the sentence's own words
        end += 1
    if end == j or end >= len(doc):
        return None
    name = doc[j:end].text.strip(" -–")
    if any(w.lower().startswith(tuple(_project_vocab()["organisation_words"])) for w in name.split()[1:]):
        return None  # 'hankkeeseen Kainuun hyvinvointialueelta': an organisation, not the project
    return name


def _before_parenthesis(doc: Doc, i: int) -> int:
    """'Hälsa över Kvarken (Terveyttä yli Merenkurkun) -hankkeen': the name ends before the parenthesis
    (a translation or an acronym), so read it back from the '(' instead of from the hyphen."""
    j = i - 1
    while j >= 0 and doc[j].text in ("-", "–"):
        j -= 1
    if j < 1 or doc[j].text != ")":
        return i
    k = j - 1
    while k >= 0 and j - k <= 12 and doc[k].text != "(" and "\n" not in doc[k].text:
        k -= 1
    return k if k > 0 and doc[k].text == "(" else i


def _caps_as_written(name: str, text: str) -> str:
    """A heading in capitals ('PÄIJÄT-HÄMEEN TULEVAISUUDEN SOTE-KESKUS') is the name as the page writes it
    in running text ('Päijät-Hämeen Tulevaisuuden sote-keskus') when the page has that form."""
    if not name.isupper() or len(name) < 6:
        return name
    for m in re.finditer(re.escape(name), text, re.IGNORECASE):
        if not m.group(0).isupper():
            return m.group(0)
    return name


_REPORT_TITLE = re.compile(r"^(?P<name>[A-ZÅÄÖ][^.!?:;|]{3,90}?)\s+[–—-]\s+(?:hankkeen\s+|projektets\s+)?"
                           r"(?:loppuraportti|väliraportti|slutrapport|mellanrapport|lopputulokset)$", re.IGNORECASE)


def _title_project(document: Document, lang: str = "fi", weak: bool = False) -> str | None:
    """A project card's headline is the project's name ('Digitaalinen palveluohjaus Keski-Suomessa' on
    Innokylä, 'Arktinen ensihoito' under /kehittamishankkeet/): a page that is one project's page (its
    address, its card labels or its first paragraph say so, ``_one_project_page``) and whose title is a
    name, not a sentence."""
    report = _REPORT_TITLE.match((document.title or "").strip())
    if report and _project_name_ok(report.group("name")) and not _has_finite_verb(report.group("name").split()):
        return report.group("name")  # 'Päihdetyön palveluketju Kanta-Hämeessä – hankkeen loppuraportti'
    if not _one_project_page(document, lang, weak):
        return None
    title = re.sub(r"\s*\([^)]*\)\s*$", "", document.title or "").strip()
    if lang != "fi" and _sv_headline(title):
        return None  # 'Hemvård på distans utvidgas': a Swedish news headline, not a name
    words = [w for w in title.split() if w not in ("-", "–", "—")]
    if not (2 <= len(words) <= 8) or re.search(r"[.!?:;|]", title) or _site_dash(title) or not _project_name_ok(title) \
            or re.search(r"ohjelm|program", title, re.I) or (lang == "fi" and _has_finite_verb(words)) \
            or re.search(r"(?<![-–])\b(?:hanke|hankkee\w*|hankkei\w*|projekti|projektin|projekt|projektet\w*)\b",
                         title, re.I):
        return None  # a sentence, a 'Site - Section' heading, a programme page or 'ESR:n rahoittaman
        # hankkeen kuvaus' (a description of a project, not its name) is not a project name
    return title


def _sv_headline(title: str) -> bool:
    """A Swedish title with a verb ('får', 'utvidgas', 'startade'): voikko cannot tell, the word list can."""
    verbs = _SV_STOP | set(_project_vocab()["sv_verbs"]) | {"är", "har", "var", "blir"}
    return any(w.casefold() in verbs - {"i"} or re.search(r"(?:ats|ades|as)$", w) for w in title.split()[1:])


def _site_dash(title: str) -> bool:
    """'Hankkeet – Kainuun hyvinvointialue', 'X - Eksote': a dash before a site's or organisation's name
    (or an empty side) is a 'Page – Site' heading; 'Jobbstigen – arbetsförmåga för unga i Västnyland' and
    'Skärgårdsvård på distans – SeaCare' are names with a subtitle."""
    parts = re.split(r"\s[-–—]\s", title)
    if len(parts) == 1:
        return False
    if len(parts) > 2 or not all(p.strip() for p in parts):
        return True
    right = parts[1].strip()
    words = right.split()
    organisation = set(_project_vocab()["organisation_words"]) | {"hyvinvointialue", "välfärdsområde"}
    places = {w for m in find_mentions(right) for w in m.text.split()}
    return any(w.lower().strip(",") in organisation or w.lower().startswith(("hyvinvointialue", "välfärdsområde"))
               for w in words) or all(w in places for w in words) \
        or bool(re.fullmatch(r"(?:hanke|projekt\w*|kokeilu|etusivu|startsida|uutiset|nyheter)", right, re.I))


_TITLE_ITEM = re.compile(r"^(?P<label>[^:]{3,70}):\s*(?P<name>[A-ZÅÄÖ][^:]{2,90})$")


def _titled_item(document: Document) -> str | None:
    """A minute's item titled by what is done with a project ('Valtionavustuksen hakeminen: Arjen tuki
    Kainuussa', 'Ansökan om statsunderstöd: Tryggt boende i Österbotten'): the part after the colon, up to
    a comma, '-hanke' or a parenthesis; never a sentence."""
    m = _TITLE_ITEM.match((document.title or "").strip())
    if not m or not any(w in m.group("label").casefold() for w in _project_vocab()["title_actions"]):
        return None
    name = re.split(r",|\s\(|\s[-–]\s?(?:hanke|hankkeen|projekt)\w*", m.group("name"))[0].strip()
    words = name.split()
    sv_verbs = _SV_STOP | set(_project_vocab()["sv_verbs"]) | {"är", "har", "var", "blir"}
    if not 1 <= len(words) <= 10 or _has_finite_verb(words) or not _project_name_ok(name, glued=len(words) == 1) \
            or any(w.casefold() in sv_verbs - {"i"} or re.search(r"(?:ats|ades)$", w) for w in words[1:]):
        return None
    return name


def _one_project_page(document: Document, lang: str = "fi", weak: bool = False) -> bool:
    """Whether the page is about one project: an Innokylä card or a county's project page by its address,
    two project-card labels ('Toteuttaja', 'Rahoittaja', 'Projekttid'), or a first body paragraph that
    speaks of 'the project' ('Hankkeella ei ole …', Finnish pages only); never a practice card ('toimintamalli')."""
    vocab = _project_vocab()["title_project"]
    where = " ".join(x for x in (document.url, document.canonical_url, document.id) if x).lower()
    paras = [p.strip() for p in document.paragraphs if p.strip()]
    heads = {p.lower().split(":")[0].strip() for p in paras if len(p.split(":")[0].split()) <= 4}
    if any(w in where for w in vocab["not_address"]) or heads & set(vocab["practice_labels"]):
        return False
    field_lines = Counter(ln.split(":")[0].strip().lower() for p in paras for ln in p.split("\n") if ":" in ln)
    if any(field_lines[label] >= 2 for label in vocab["card_labels"]):
        return False  # 'Rahoittaja:' under every project of a portfolio page: several cards, not one
    news = any(w in where for w in vocab.get("news_sections", ()))
    if (any(w in where for w in vocab["address"]) and not news) or len(heads & set(vocab["card_labels"])) >= 2 \
            or _crumbed_project(paras, document.title or ""):
        return True
    title = (document.title or "").strip().lower()
    bodies = [p for p in paras if len(p.split()) >= 8 and p.lower() != title][:3]
    body = bodies[0] if bodies else ""
    openers = tuple(w + " " for w in vocab["anaphora"])
    speaks = any(s.lower().startswith(openers) for s in re.split(r"(?<=[.!?])\s+", body)[:3])
    if weak:
        # a later body paragraph that opens with the project word ('Liikuntaneuvontaa viedään … ¶ Hankkeessa
        # kytketään …', '… ¶ Projektet genomförs i …') on a page with no publishing date line (a news item's
        # headline is no name): the page goes on about the project of its heading
        dated = any(re.match(vocab["news_line"], p, re.I) for p in paras[:4])
        return not dated and any(p.lower().startswith(tuple(w + " " for w in vocab["paragraph_anaphora"]))
                                 for p in bodies[1:])
    if lang != "fi":
        # the weakest sign only where the body opens with the title as its subject ('Jobbstigen i Österbotten
        # hjälper … Projektet samlar …'): voikko cannot tell a Swedish headline's verb ('utvidgas')
        return speaks and len(title.split()) >= 2 and body.lower().startswith(title + " ")
    return speaks


_CRUMB_SPLIT = re.compile(r"\s+(?:»|›|>|/|\|)\s+")


def _crumbed_project(paras: Sequence[str], title: str) -> bool:
    """A breadcrumb that ends in the page's title under a projects section ('Framsida » Om oss »
    Utvecklingsprojekt » Jobbstigen i Österbotten', 'Etusivu › Hankkeet › X'): the page is that project's."""
    head = re.split(r"\s+[|–—-]\s+", title.strip())[0].casefold()
    for para in paras[:8]:
        crumbs = [c.strip().casefold() for c in _CRUMB_SPLIT.split(para.strip())]
        if 3 <= len(crumbs) <= 8 and head and crumbs[-1] == head \
                and any(_HEADING_CUE.search(c) for c in crumbs[:-1]):
            return True
    return False


def _has_finite_verb(words: Sequence[str]) -> bool:
    """A headline with a finite verb is a sentence ('Kainuu sai rahoitusta'), not a name: a lower-case
    word voikko reads only as an inflected verb form."""
    for word in words[1:]:
        bare = word.strip("\"'”»(),")
        if not bare.islower():
            continue
        readings = voikko.analyze(bare)
        if readings and all(r.get("MOOD") in _FINITE_MOODS for r in readings):
            return True
    return False


def _same_case_pair(a: Token, b: Token) -> bool:
    """'työkykyä ja työllisyyttä', 'Varsinais-Suomeen ja Satakuntaan': two nouns (or two counties) in one
    case coordinated inside a name written before '-hanketta'."""
    case_a = a.morph.get("Case")
    return bool(case_a) and case_a == b.morph.get("Case") and a.pos_ in ("NOUN", "PROPN") \
        and b.pos_ in ("NOUN", "PROPN") and a.text[:1].isupper() == b.text[:1].isupper()


def _finite_only(word: str) -> bool:
    """A word voikko reads only as a finite verb ('Haemme', 'Myönsimme')."""
    readings = voikko.analyze(word.lower())
    return bool(readings) and all(r.get("MOOD") in _FINITE_MOODS for r in readings)


_FINITE_MOODS = frozenset({"indicative", "conditional", "imperative", "potential"})


_PROJECT_COLUMN = re.compile(r"^(?:hanke|hankkeen nimi|projekt|projektet|projektets namn|kokonaisuus)$", re.I)
_LIST_ITEM = re.compile(r"^(?P<org>[A-ZÅÄÖ][^,:\n]{2,60}), (?P<name>[A-ZÅÄÖ][^:\n]{2,80}): [^\n]*\d[^\n]*(?:€|euro)",
                        re.M)


_HEADING_CUE = re.compile(r"hank|projekt|kokeilu|försök|satsning|pilotti|pilot", re.I)
# '… -ohjelmaan kuuluva hanke sai 4,05 miljoonaa euroa': the text under the heading speaks of 'the project'
# as its subject
_HEADING_SUBJECT = re.compile(
    r"\b(?:[Hh]anke|[Pp]rojekti|[Kk]okeilu|[Pp]rojektet|[Ff]örsöket|[Ss]atsningen) (?:sai|saa|on|oli|kehittää|"
    r"kehitti|toteutetaan|toteutettiin|alkoi|käynnistyi|jatkuu|päättyi|tukee|fick|får|har|är|var|utvecklar|"
    r"startade|pågår|avslutades)\b")


_STATUS_NOTE = re.compile(r"\s*\((?=[^()]*(?:\d|päätty|käynniss|alkanut|avslutat|pågå|slutförd))[^()]{2,40}\)\s*$",
                          re.IGNORECASE)


@cache
def _vocab_words(key: str, word_start: bool, strip: bool = False) -> re.Pattern[str]:
    """One pattern that finds any word of ``_project_vocab()[key]`` (at a word start, or anywhere):
    whether one occurs is whether the alternation matches. Built per call and word, the patterns were
    looked up in ``re``'s cache (512 entries, thrashed by a page's other patterns) and searched one by
    one: ~250 µs per heading candidate, ~2 µs as one compiled alternation."""
    words = (w.strip() if strip else w for w in _project_vocab()[key])
    return re.compile(("(?<!\\w)" if word_start else "") + "(?:" + "|".join(map(re.escape, words)) + ")")


_ITEM_MARK = re.compile(r"^(?:\d{1,2}[.)]|[•*])\s+")
_NOT_A_HEADING = re.compile(r"[.!?:;|@,]|\d")
_ACRONYM_TAIL = re.compile(r"(?P<name>.+?)\s*\((?P<acr>[^()]{2,12})\)")


@lru_cache(maxsize=8192)
def _heading_name(para: str, word_start: bool = False) -> str | None:
    """A paragraph that can be a project's heading: one line of one to ten words, no sentence, no
    section heading ('Päättyneet hankkeet', 'Kontakt'); a trailing programme acronym in parentheses
    ('(KATI)') is the programme, not part of the name.

    Remembered per paragraph: ``_headed_projects`` and ``_card_sections`` ask about the same
    paragraphs of a page, and a site's menu and footer lines come back on each of its pages."""
    line = _ITEM_MARK.sub("", para.strip())  # a numbered or bulleted item: '1. Name'
    line = _STATUS_NOTE.sub("", line)  # 'X (päättyi 31.12.2023)': the card's status, not the name
    if "\n" in line or not line[:1].isupper() or _NOT_A_HEADING.search(line.replace(".0", "")):
        return None  # a sentence, a label ('Esittelijä: …'), a list or a number ('Asia 8')
    m = _ACRONYM_TAIL.fullmatch(line)
    if m and m.group("acr").strip().casefold() in _programme_acronyms():
        line = m.group("name")
    words = line.split()
    low = line.casefold()
    if not 1 <= len(words) <= 10 or _vocab_words("section_headings", word_start).search(low):
        return None
    if _has_finite_verb(words) or not _project_name_ok(line, glued=len(words) == 1) \
            or any(a.get("CLASS") == "etunimi" for w in words[:2] for a in voikko.analyze(w)):
        return None  # ('Annika Björkqvist, …': a person)
    return line


_ACRONYM_LONG = re.compile(r"(?:^|\n\n)(?P<acr>[A-ZÅÄÖ]{3,10}) \((?P<name>[A-ZÅÄÖ][^()\n]{5,80})\)")


def _acronym_long_forms(text: str) -> list[tuple[int, str]]:
    """'VIRTA (Virtuaalinen vastaanotto Pohjois-Karjalassa) päättyi …': a paragraph opening with an acronym
    and its long form, in a paragraph that speaks of a project; the long form is the name."""
    out = []
    for m in _ACRONYM_LONG.finditer(text):
        end = text.find("\n\n", m.end())
        para = text[m.start(): end if end >= 0 else len(text)]
        name = m.group("name").strip()
        if name[0] == m.group("acr")[0] and len(name.split()) >= 2 and _HEADING_CUE.search(para) \
                and not _is_programme_acronym(m.group("acr")):
            out.append((m.start("name"), name))
    return out


@cache
def _programme_acronyms() -> frozenset[str]:
    return frozenset(k for k in funding_ids("programme"))


def _repeats(name: str, sentence: str) -> bool:
    """The sentence writes the heading's name again, its last word maybe inflected ('Lapsiperheiden
    kotipalvelun kokeilua'), or the part before a dash ('Polku työhön -hanketta' under 'Polku työhön –
    Työkykyä Pohjois-Karjalaan', 'OMA-hankkeessa' under 'OMA – Omahoidon mallit arkeen')."""
    low = sentence.casefold()
    for form in {name, re.split(r"\s[–—-]\s", name)[0]}:
        words = form.casefold().split()
        last = words[-1]
        stem = last[: max(3, len(last) - 3)] if len(last) > 4 else last
        pattern = r"(?<![\w])" + r"\s+".join(map(re.escape, [*words[:-1], stem]))
        if re.search(pattern, low):
            return True
    return False


_NUMBERED = re.compile(r"\s*\d{1,2}[.)]\s")
_SHORT_PAREN_TAIL = re.compile(r"\s*\([^()\s]{2,20}\)\s*$")
_FIRST_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”–])")


def _headed_projects(text: str) -> list[tuple[int, str]]:
    """A page listing projects under headings ('Sote-keskus kaikille Pohjois-Karjalassa' ¶ 'Tulevaisuuden
    sote-keskus -ohjelmaan kuuluva hanke sai …'): a heading line whose next paragraph speaks of a project
    in its first sentence or repeats the heading's first word; a numbered item of a minute over a
    paragraph about a project or its money ('1. Kotiin vietävä palliatiivinen hoito' ¶ 'STM on myöntänyt
    … 1,2 milj. euroa …'); a name line over field lines of a grant list ('Vägen till arbete' / 'Sökande:
    …' / 'Beviljat stöd: 412 000 euro'). Only on a page with two such headings or more: one subheading of
    a news story is no list."""
    paras = text.split("\n\n")
    out: list[tuple[int, str]] = []
    funded: list[tuple[int, str]] = []
    pos = 0
    for i, para in enumerate(paras):
        lines = para.strip().split("\n")
        if len(lines) >= 2 and _label_lines(_leading_fields(lines[1:])):
            name = _heading_name(lines[0])  # 'Name' / 'Sökande: X' / 'Beviljat stöd: 412 000 euro' in one block
            if name:
                out.append((pos + max(para.find(name), 0), name))
            pos += len(para) + 2
            continue
        if len(lines) >= 2 and _NUMBERED.match(lines[0]):
            # '1. Matalan kynnyksen mielenterveyspalvelut nuorille Pirkanmaalla (Mielipirkka)' with its text on
            # the next line of the same block
            head = _SHORT_PAREN_TAIL.sub("", lines[0])
            name = _heading_name(head, word_start=True)
            first = _FIRST_SENTENCE_END.split(" ".join(lines[1:]), maxsplit=1)[0]
            if name and (_HEADING_CUE.search(first) or _MONEY_SENTENCE.search(" ".join(lines[1:]))):
                out.append((pos + max(para.find(name), 0), name))
            pos += len(para) + 2
            continue
        numbered_line = bool(_NUMBERED.match(para))
        # (a numbered item's words are read whole: 'mielenterveyspalvelut' is no section 'Palvelut')
        head = _SHORT_PAREN_TAIL.sub("", para) if numbered_line else para  # '… (Mielipirkka)'
        name = _heading_name(head, word_start=numbered_line) if i + 1 < len(paras) else None
        if name:
            nxt = paras[i + 1].strip()
            first = _FIRST_SENTENCE_END.split(nxt, maxsplit=1)[0]
            repeated = bool(_HEADING_CUE.search(nxt)) and _repeats(name, first)
            # a numbered item of a minute ('3. Digituki ikäihmisille') over a paragraph about a project or
            # its money
            numbered = numbered_line and bool(_HEADING_CUE.search(first) or _MONEY_SENTENCE.search(nxt))
            fields = _label_lines(nxt.split("\n"))
            if (len(nxt.split()) >= 6 or fields) and (repeated or numbered or fields
                                                      or _HEADING_SUBJECT.search(first)):
                out.append((pos + max(para.find(name), 0), name))
            elif len(nxt.split()) >= 6 and _HEADING_CUE.search(nxt) and _MONEY_SENTENCE.search(nxt):
                funded.append((pos + max(para.find(name), 0), name))
        pos += len(para) + 2
    if len(funded) >= 2 and (_several_projects(text)
                             or all(text.count(n) >= 2 for _p, n in funded)):
        # 'Saaristo etänä' ¶ 'STM:n myöntämällä 1 120 000 euron valtionavustuksella kehitetään … Hanke kestää …':
        # headings each over a paragraph of a project and its money, on a page that says it presents several
        # projects ('Kolme uutta kehittämishanketta', 'tre utvecklingsprojekt') or names each again (a contact
        # list 'Saaristo etänä: projektipäällikkö …')
        out += funded
    if len(out) < 2:
        out = []
    known = {n for _p, n in out}
    return out + [c for c in _card_sections(paras) if c[1] not in known]


# a page that presents several projects: 'Kolme uutta kehittämishanketta käynnistyy', '(kehittämis)hankkeille',
# 'tre nya utvecklingsprojekt', '(utvecklings)projekten får'. Only asked whether it occurs (``_several_projects``):
# a word ending ('…hankkeille') needs no leading ``\w*`` — one occurs exactly when the ending followed by a word
# boundary does — and a leading ``\w*`` made ``re`` re-scan every word from each of its letters (~10 ms a page).
_SEVERAL_PROJECTS = re.compile(
    r"\b(?:kaksi|kolme|neljä|viisi|kuusi|seitsemän|kahdeksan|yhdeksän|kymmenen|[2-9]|1\d) (?:\w+ ){0,2}"
    r"\w*(?:hanketta|kokeilua|projektia)\b|(?:hankkeet|hankkeille|hankkeisiin|hankkeita|kokeilut|kokeiluille)\b|"
    r"\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|[2-9]|1\d) (?:\w+ ){0,2}\w*(?:projekt|försök)\b|"
    r"(?:projekten|försöken)\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def _several_projects(text: str) -> bool:
    """Whether the page says it presents several projects (asked by the headed and the card rules)."""
    return _SEVERAL_PROJECTS.search(text) is not None


_FIELD_LABEL = re.compile(r"^(?P<label>[A-ZÅÄÖ][\w ./-]{1,30}?):\s", re.M)


def _card_sections(paras: Sequence[str]) -> list[tuple[int, str]]:
    """Project cards in a row, each a name line over its own section of text ('Digital hemvård i
    Mellersta Österbotten' ¶ 'Hemvården tar i bruk … Projektet ingår i …' ¶ 'Finansiering: 740 000 euro.'
    ¶ 'Kontaktperson: …'): a heading whose section (up to the next heading) speaks of a project and has a
    sum or a contact, on a page with two such cards or more that share a field label ('Finansiering:',
    'Kontaktperson:') — parallel cards, not a news story's subheadings."""
    heads: list[tuple[int, int, str]] = []  # (paragraph index, offset, name)
    pos = 0
    for i, para in enumerate(paras):
        # (a card's name is read word by word: 'Saamenkieliset etäpalvelut' is no section 'Palvelut')
        name = _heading_name(para, word_start=True) if "\n" not in para.strip() else None
        if name:
            heads.append((i, pos + max(para.find(name), 0), name))
        pos += len(para) + 2
    cards: list[tuple[int, str, frozenset[str], bool]] = []
    for k, (i, offset, name) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else len(paras)
        section = "\n\n".join(paras[i + 1: min(stop, i + 8)])
        if not (section and (_MONEY_SENTENCE.search(section) or _REACH.search(section))):
            continue  # no sum or contact: no card (its field labels are not read)
        labels = frozenset(m.group("label").casefold() for m in _FIELD_LABEL.finditer(section))
        if labels:
            cards.append((offset, name, labels, bool(_HEADING_CUE.search(section))))
    cued = [c for c in cards if c[3]]
    if not cued:
        return []  # (asked first: most pages have no card that speaks of a project, and the page-wide
        # ``_several_projects`` scan then decides nothing)
    several = _several_projects("\n\n".join(paras))
    # a page that says it lists projects ('Kehittäminen ja hankkeet') makes its parallel cards projects even
    # where one card's text does not say 'project'
    base = cards if several and cued else cued
    shared = Counter(lab for _o, _n, labels, _c in base for lab in labels)
    # a card of the row that does not say 'project' ('Seniorrådgivning i Raseborg' ¶ 'Raseborgs stad …
    # finansierar rådgivningen med 50 000 euro' ¶ 'Kontaktperson: …') is one by its shared field label
    return [(o, n) for o, n, labels, _c in cards if any(shared[lab] >= 2 for lab in labels)] \
        if len(cued) >= 2 or (several and cued and len(cards) >= 2) else []


_REACH = re.compile(r"@|\((?:at|ät)\)|\b(?:puh|tfn|tel|p)\.?\s*\+?\d", re.IGNORECASE)


_MONEY_SENTENCE = re.compile(r"\d\s*(?:€|e(?:uro|ur)\w*|milj\w*|M€|miljon\w*)", re.IGNORECASE)
_FIELD_LINE = re.compile(r"^(?P<label>[A-ZÅÄÖ][\w./ -]{1,40}?):\s+\S")


def _leading_fields(lines: Sequence[str]) -> list[str]:
    """The field lines right under a name line, up to the first line that is not one ('Rahoittaja: …' /
    'Kesto: …' / 'Myönnetty rahoitus: …' / then the card's text)."""
    out = []
    for ln in lines:
        if not _FIELD_LINE.match(ln.strip()):
            break
        out.append(ln)
    return out


def _label_lines(lines: Sequence[str]) -> bool:
    """Field lines of a grant list or card under a name ('Sökande: …', 'Beviljat stöd: 412 000 euro',
    'Hakija: …', 'Myönnetty: …'): every line a short 'Label: value', one of them a sum or a card label."""
    lines = [ln.strip() for ln in lines if ln.strip()]
    if not lines or len(lines) > 8:
        return False
    labels = [m.group("label").casefold() for ln in lines if (m := _FIELD_LINE.match(ln)) and len(m.group("label").split()) <= 4]
    if len(labels) != len(lines):
        return False
    known = set(_project_vocab()["title_project"]["card_labels"]) | set(_project_vocab()["title_project"]["list_labels"])
    return any(_MONEY_SENTENCE.search(ln) for ln in lines) or any(lab in known for lab in labels)


@cache
def _county_names() -> frozenset[str]:
    """Every county's fi and sv name and alias as written (no fuzzy match: 'Osoite' is no 'Soite')."""
    from hakemisto.core.regions import all_regions

    return frozenset(n.casefold() for r in all_regions() for n in (r.canonical, r.sv, *r.aliases))


_COUNTY_ITEM = re.compile(r"^(?P<county>[A-ZÅÄÖ][\w-]+(?: [A-ZÅÄÖ][\w-]+)?): (?P<name>[A-ZÅÄÖ][^.:;!?\n]{2,80})$", re.M)


_LIST_ITEM_COLON = re.compile(
    r"^(?P<org>[A-ZÅÄÖ][^:,\n]{2,80}): (?P<name>[A-ZÅÄÖ][^,:\n]{2,80}), [^\n]{0,30}?\d[\d  ,.]*\s*(?:€|euro|milj|M€)",
    re.M)


# '- Kuntayhtymä X, Y Oy ja Z: Hankkeen nimi, alaotsikko (LYHENNE) / (JTF). Haettu tukisumma on 364 442 euroa.':
# a council's list of applications — implementers (commas allowed), a colon, the name, the fund in brackets,
# then a sentence with the sum.
_ORG_COLON_SENTENCE = re.compile(
    r"^(?:[-•*–]\s+)?(?P<org>[A-ZÅÄÖ][^:\n]{2,160}): (?P<name>[A-ZÅÄÖ][^\n]{2,160}?)\.\s+[^\n.]{0,60}?\d[\d  ,.]*\s*(?:€|euro)",
    re.M)
_FUND_TAIL = re.compile(r"(?:\s*/?\s*\((?:JTF|ESR|ESF|EAKR|ERUF|RRF|AKKE|Interreg|Leader)[^()]{0,20}\))+\s*$", re.I)


def _listed_projects(text: str) -> list[tuple[int, str]]:
    """Projects in grant tables ('Hyvinvointialue | Hanke | Avustus' → the 'Hanke' column of each row)
    and grant lists ('Helsingin kaupunki, Sujuvat palvelut Helsingissä: 3 650 000 euroa')."""
    out: list[tuple[int, str]] = []
    column: int | None = None
    pos = 0
    for para in text.split("\n\n"):
        cells = [c.strip() for c in para.split(" | ")]
        if len(cells) >= 2:
            if column is None:
                column = next((k for k, c in enumerate(cells) if _PROJECT_COLUMN.match(c)), None)
            elif column < len(cells) and cells[column][:1].isupper():
                out.append((pos + para.find(cells[column]), cells[column]))
        else:
            column = None
        pos += len(para) + 2
    for m in _LIST_ITEM.finditer(text):
        out.append((m.start("name"), m.group("name").strip()))
    for m in _LIST_ITEM_COLON.finditer(text):  # 'Pohjanmaan hyvinvointialue: Työkyky fokukseen, 412 300 euroa'
        org, name = m.group("org").casefold(), m.group("name").strip()
        if (any(w in org for w in _project_vocab()["list_organisations"]) or org in _county_names()) \
                and not _has_finite_verb(name.split()):
            out.append((m.start("name"), name))
    for m in _ORG_COLON_SENTENCE.finditer(text):
        org, name = m.group("org").casefold(), _FUND_TAIL.sub("", m.group("name")).strip()
        if any(w in org for w in _project_vocab()["list_organisations"]) and name \
                and not _has_finite_verb(name.split()) and not _LIST_MONEY.search(name):
            out.append((m.start("name"), name))
    out += _sum_list_projects(text)
    out += _item_projects(text)
    for m in _COUNTY_ITEM.finditer(text):
        # 'Etelä-Karjala: Etelä-Karjalan LAPE' — a line of a per-county list of projects: a county, then a name
        # (no sentence: no finite verb)
        name = m.group("name").strip()
        if m.group("county").casefold() in _county_names() and not _has_finite_verb(name.split()):
            out.append((m.start("name"), name))
    return out


_LIST_MONEY = re.compile(r"\(?\s*(?:EUR\s*)?\d[\d  .,]*\s*(?:milj(?:oonaa|\.)?\s*(?:euroa|€)|miljoner\s+euro|M€|€|euroa?|eur)"
                         r"(?!\w)\s*\)?", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*[,:;]\s+|\s+[–—-]\s+|\s*\(([^()]*)\)\s*")
_MONEY_LABEL = re.compile(r"(?<!\w)(?:budjet|budget|myönne|haettu|haet|tuki$|tuki\s|tukea|avustus|valtionavustus|"
                          r"statsunderstöd|understöd|stöd$|varav|därav|josta|rahoitus|finansiering|kustannu|"
                          r"kostnad|beviljat|sökt|omarahoitus|egen)", re.IGNORECASE)
_LIST_BULLET = re.compile(r"^\s*(?:[•*·▪–-]|\d{1,2}[.)])\s+")
_LIST_LABEL = re.compile(r"^(?:hanke|hankkeen nimi|projekti|projekt|projektet|kokeilu)\s+(?=[A-ZÅÄÖ])", re.IGNORECASE)
_KIND_TAIL = re.compile(r"\s+[-–]\s?(?:hanke|projekti|projektet)$")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÅÄÖ]")
_DIGIT = re.compile(r"\d")


def _sum_list_projects(text: str) -> list[tuple[int, str]]:
    """Projects in a list of grants, one short line each, in any order of its parts: 'Satakunnan
    hyvinvointialue, Päihdetyön ketju Satakunnassa, 820 000 euroa', 'Pirkanmaan hyvinvointialue –
    Päihdepysäkki (1 100 000 €)', '• Hanke Kotihoidon yöpartio: 1,2 milj. €', '• Liikuntaneuvonta (THL)
    95 000 €'. The line holds one sum; what is left after the sum, the applicant (a county or an
    organisation), a funder in parentheses and a 'Hanke' label is the name, when it reads as one (a
    heading's tests: no sentence, no person). Only on a page with two such lines or more: a list."""
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        here, pos = pos, pos + len(line) + 1
        if not _DIGIT.search(line):
            continue  # no sum on the line (every sum has a digit); the sum pattern tried each position (~1 % of a rebuild)
        body = _LIST_BULLET.sub("", line).strip()
        sums = list(_LIST_MONEY.finditer(body))
        if len(sums) != 1 or len(body.split()) > 18 or _SENTENCE_BREAK.search(body):
            continue
        after = body[sums[0].end():].strip()
        if after[:1].islower() and body[: sums[0].start()].rstrip().endswith(":"):
            after = ""  # 'X: 1 950 000 euroa sähköisen asioinnin käyttöönottoon': what the money is for
        rest = body[: sums[0].start()] + " ; " + after
        parts = [p.strip(" -–") for p in _LIST_SPLIT.split(rest) if p and p.strip(" -–;")]
        names = []
        for part in parts:
            low = part.casefold()
            if _vocab_words("list_organisations", word_start=True, strip=True).search(low) \
                    or low in _county_names() \
                    or low in _programme_acronyms() or low in _funder_words():
                continue  # the applicant or the funder
            if len(part.split()) <= 3 and _MONEY_LABEL.search(low):
                names = []
                break  # 'Kokonaisbudjetti: 840 000 €', 'Varav statsunderstöd: …': a card's field, not a list line
            part = _KIND_TAIL.sub("", _LIST_LABEL.sub("", part))
            name = _heading_name(part, word_start=True)  # a section word starts a word ('etäpalvelut' is no 'Palvelut')
            if name is not None and _sv_clause_words() & {w.casefold() for w in name.split()[1:]}:
                name = None  # 'SHM beviljade …', 'Projektets totala budget är …': a Swedish sentence
            if name is None:
                names = []
                break  # a part that is neither applicant, funder nor name: a sentence, not a list line
            names.append(name)
        if len(names) == 1:
            out.append((here + max(line.find(names[0]), 0), names[0]))
    return out if len(out) >= 2 else []


_ITEM_LINE = re.compile(r"^(?P<bullet>[a-zåäö]\)|\d{1,2}[.)]|[•*▪–-])?\s*(?P<name>[A-ZÅÄÖ][^:()\n]{2,90}?)"
                        r"(?:\s*\((?P<paren>[^()\n]{1,40})\))?:\s+(?P<rest>\S.*)$")


def _item_projects(text: str) -> list[tuple[int, str]]:
    """Projects of a minute's list, one per line after an intro line that ends in a colon and speaks of
    projects ('… rahoituspäätökset kolmeen uuteen hankkeeseen:' ¶ 'Name: THL maksaa …', '… hanketta.
    Suurimmat niistä ovat:' ¶ 'a) Name (STM, NGEU/RRF): myönnetty …'): two such lines or more, each
    a name (a heading's tests, no money label) and then a clause about it."""
    cues = tuple(_project_vocab()["item_list_intro"])
    lines, starts, pos = [], [], 0
    for line in text.split("\n"):
        if line.strip():  # paragraphs are apart by a blank line
            lines.append(line)
            starts.append(pos)
        pos += len(line) + 1
    out: list[tuple[int, str]] = []
    k = 0
    while k < len(lines):
        intro = lines[k].strip()
        before = lines[k - 1].casefold() if k else ""
        if not (intro.endswith(":") and any(c in intro.casefold() or c in before for c in cues)):
            k += 1
            continue
        items: list[tuple[int, str]] = []
        j = k + 1
        while j < len(lines):
            m = _ITEM_LINE.match(lines[j].strip())
            if not m or len(m.group("rest").split()) < 4:
                break
            name = m.group("name").strip()
            bare = m.group("bullet") is None  # 'a) Nuorten mielen tuki (ESR+): …' is an item, 'Tuki: …' a field
            if (bare and _MONEY_LABEL.search(name.casefold())) or len(name.split()) > 10 or re.search(r"[.!?;,@|]|\d", name) \
                    or not _project_name_ok(name) or _has_finite_verb(name.split()):
                break  # a card's field ('Kokonaisbudjetti: …'), a sentence or a date: no list of projects
            items.append((starts[j] + lines[j].find(name), name))
            j += 1
        if len(items) >= 2:
            out += items
        k = max(j, k + 1)
    return out


@cache
def _sv_clause_words() -> frozenset[str]:
    """Swedish verbs and clause words voikko cannot tell ('beviljade', 'fick', 'är')."""
    return frozenset((_SV_STOP - {"i"}) | set(_project_vocab()["sv_verbs"])
                     | {"beviljade", "beviljar", "beviljas", "fick", "får", "är", "var", "har", "hade"})


@cache
def _funder_words() -> frozenset[str]:
    """Funder ids and acronyms written alone in a list line's parentheses ('(THL)', '(ESR+)')."""
    return frozenset(k.casefold() for k in funding_ids("funder")) | set(_project_vocab()["list_funder_words"])


@cache
def _sentence_adverbs() -> frozenset[str]:
    return frozenset(_project_vocab()["sentence_adverbs"])


@cache
def _project_vocab() -> dict[str, Any]:
    return tomllib.loads(resources.files("hakemisto").joinpath("data/project_names.toml").read_text("utf-8"))


@lru_cache(maxsize=8192)
def _project_name_ok(name: str, glued: bool = False) -> bool:
    """Never a programme or funder alone, a place alone, one common word ('Yhteistyötä', 'Hyvinvointialueen')
    or an amount; 'KOHTI' only in capitals. (Remembered: every candidate and heading of a page asks,
    several rules ask about the same name.)"""
    key = " ".join(name.lower().split())
    if key in set(_project_vocab()["never"]) or re.search(r"\d[\d\s,.]*\s*(?:€|euro|milj)", key) or "·" in key:
        return False  # (an Innokylä card's status line 'Hanke · Käynnissä' is no name)
    tail = (key.split() or [""])[-1].strip("\"'”»()")
    if tail in set(_project_vocab()["funder_tails"]) or tail.rsplit("-", 1)[-1] in set(_project_vocab()["funder_tails"]) \
            or any(part in key for part in _project_vocab()["funder_parts"]):
        return False  # 'Euroopan sosiaalirahasto plussan ja valtion (rahoittama)': who pays, not a name
    if re.search(r"ohjelm|\bprogram(?:met)?\b", key):
        return False  # 'Suomen kestävän kasvun -ohjelma (RRP)': a programme, not a project
    if re.search(r"(?:hankkeet|hankkeita|hankkeiden|hankkeissa|projekten|projekter|projektien)\b", key):
        return False  # 'LAPE-kärkihankkeessa rahoitettavat maakuntahankkeet': many projects, not one's name
    if re.search(r"(?<!\w)(?:oy|oyj|ab|ry|rf|sr)(?!\w)|\byliopisto\b|\bammattikorkeakoulu\b|\bkuntayhtymä\b", key):
        return False  # 'Centria-ammattikorkeakoulu Oy ja Oulun Yliopisto': the organisations that run it
    if re.match(r"(?:hankkeen|projektin|projektets|hankkeiden)\s", key) \
            or re.search(r"(?:hakemus|raportti|pöytäkirja|esityslista|ansökan|ansökningen|rapport|yhteystiedot|"
                         r"\bhakija|kontaktuppgifter|\bsökande|\byhteensä|\bkaikkiaan|\btotalt|\bsammanlagt|\bsumma)$", key):
        # a form's label ('Hankkeen kirjanpitotaho'), a document ('… KEHITTÄMISRAHAN RAHOITUSHAKEMUS') or a
        # table's total row ('Hanke yhteensä', 'Myönnetty ulkopuolinen rahoitus yhteensä')
        return False
    lead = [w for w in key.split() if w not in ("ett", "en", "the", "a", "an")][:1]
    if lead and lead[0].split("-")[0] in set(_project_vocab()["programme_families"]):
        return False  # 'Interreg Central Baltic', 'Ett Interreg Aurora': the programme a project belongs to
    from hakemisto.facts.funding import registry_name

    if registry_name("funder", name):
        return False  # 'NextGenEU' in '… elpymisväline (NextGenEU)': the funder, not a project
    words = name.split()
    genitive_words = set(contacts_mod.vocab()["genitive"]["words"])
    if len(words) >= 3 and contacts_mod.is_first_name(words[0]) and words[1][:1].isupper() \
            and (any(a.get("CLASS") == "sukunimi" for a in voikko.analyze(words[1]))
                 or "(" in name or any(w.lower() in genitive_words for w in words)):
        return False  # 'Arja Pesosen (VSSHP) vastuulla': a person's phrase
    places = {w for m in find_mentions(name) for w in m.text.split()}
    rest = [w for w in words if w not in places and w.lower() not in ("ja", "sekä", "och", "i", "på", "-", "–")]
    if not rest:
        return False  # 'Päijät-Hämeessä', 'Vantaalla ja Keravalla'
    if all(w.lower() in _project_vocab()["filler_words"] for w in words):
        return False  # 'Toinen uusi (hanke)', 'Det nya (projektet)'
    if len(rest) == 1 and len(words) == 2 and words[0] in places and rest[0].lower() in _project_vocab()["generic_heads"]:
        return False  # 'Lieksan osuus', 'Kainuun alue': a place's share or area ('Eksoten digiklinikka' is a name)
    if len(words) == 1 and not glued and not _name_like_word(words[0]):
        return False  # 'Yhteistyötä', 'Hyvinvointialueen', 'Kohti' (KOHTI in capitals is the project)
    if len(words) == 1 and "-" in words[0] and not glued:
        tail = words[0].rsplit("-", 1)[1]
        cases = {a.get("SIJAMUOTO") for a in voikko.analyze(tail)} if tail.islower() else set()
        if cases and cases <= {"sisaolento", "sisaeronto", "sisatulento", "ulkoolento", "ulkoeronto", "ulkotulento"}:
            return False  # 'IP-maakunnissa': a place phrase cut from a longer name, not a name
    last = words[-1].strip("\"'”»()")
    readings = voikko.analyze(last) if last.islower() else []
    if readings and all(r.get("PARTICIPLE") == "agent" for r in readings):
        return False  # 'Euroopan unionin osarahoittama (hanke)': who pays, not what it is called
    return True


def _name_like_word(word: str) -> bool:
    """A word that can be a one-word project name: an acronym, a camel-case or hyphenated coinage, or a
    word voikko does not know as a common word ('KOHTI', 'TulKoti', 'Digiarki')."""
    bare = word.strip("\"'”»()")
    if bare.isupper() and len(bare) >= 3 or any(c.isupper() for c in bare[1:]) or "-" in bare.strip("-"):
        return True
    readings = voikko.analyze(bare)
    return not readings or all(a.get("CLASS") in ("etunimi", "sukunimi", "paikannimi", "nimi") for a in readings)


# Personal pronouns inside a name written before '-hanke' ('Lähellä sinua -hanke', 'Meidän polku -hanke')
_NAME_PRONOUNS = {"minä", "sinä", "me", "te"}
_NAME_STOP = {"on", "ovat", "oli", "olivat", "sai", "saivat", "myös", "että", "joka", "jossa", "kun", "ja", "sekä"}


def _name_before(doc: Doc, i: int, lenient: bool = True) -> str | None:
    """The project name written before '-hanke' / 'hankkeen': back to a punctuation mark, a line break,
    a finite verb or a clause word; lowercase words inside names stay ('Sujuvasti yhdessä Etelä-Savossa',
    'Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä'); an owner in the genitive before the name
    is not part of it ('Eloisan …', 'Pohjois-Savon hyvinvointialueen …')."""
    start = i
    while start > 0 and i - start < 10:
        prev = doc[start - 1]
        if not lenient and prev.pos_ in _PROJECT_BREAK and prev.text not in "-–":
            break  # a bare 'hanke' ('… mukaan hanke') takes only a tight name
        if not lenient and start == i and prev.text in "-–" and prev.whitespace_ and start > 1 \
                and doc[start - 2].whitespace_:
            break  # 'Liikkuva vastaanotto kiertää Jämsän kyliä – hankkeelle …': a spaced dash ends a clause
        # 'Kestävät ja vaikuttavat …': a finite-looking word coordinated with a capitalised one is in the name
        coordinated = start >= 3 and doc[start - 2].lower_ in ("ja", "och") and doc[start - 3].text[:1].isupper()
        colon = lenient and prev.text == ":" and doc[start].is_lower and i - start <= 5 \
            and any(doc[k].text[:1].isupper() for k in range(max(0, start - 4), start - 1)) \
            and not any(doc[k].is_punct for k in range(max(0, start - 4), start - 1))  # 'Sujuva arki: kotihoidon … -hanke'
        if "PartForm=Agt" in str(prev.morph) and prev.is_lower:
            break  # 'Lisäksi Kelan rahoittama Työkyvyn polku -kokeilu': the funder's phrase is not the name
        if (prev.is_punct and prev.text not in "-–" and not colon) or "\n" in prev.whitespace_ + prev.text \
                or (("VerbForm=Fin" in str(prev.morph) or "Mood=" in str(prev.morph)) and not coordinated
                    and prev.is_lower) or prev.pos_ == "SCONJ" \
                or (prev.pos_ == "PRON" and not (lenient and prev.lemma_.lower() in _NAME_PRONOUNS)) \
                or (prev.pos_ == "NUM" and not re.fullmatch(r"\d+\.\d+", prev.text)
                    and not (lenient and all(doc[k].text in "-–" for k in range(start, i))
                             and re.fullmatch(r"(?:19|20)\d\d|\d", prev.text))) \
                or (prev.lower_ in _NAME_STOP and not (start - 2 >= 0 and prev.lower_ == "ja" and (
                    doc[start - 2].text.endswith("-")  # 'sosiaali- ja terveyskeskus'
                    or (doc[start - 2].text[:1].isupper() and doc[start].text[:1].islower())
                    or (lenient and _same_case_pair(doc[start - 2], doc[start]))))):
            break
        start -= 1
    while start < i and (not doc[start].text[:1].isupper() or doc[start].lower_ in _sentence_adverbs()
                         or ("VerbForm=Fin" in str(doc[start].morph) and start + 1 < i
                             and (start == 0 or doc[start - 1].is_punct or "\n" in doc[start - 1].whitespace_)
                             and _finite_only(doc[start].text))):
        start += 1  # ('Haemme hankekoordinaattoria Nuorten työkyky Lapissa -hankkeeseen': a verb opens the sentence)  # 'Lisäksi Arjen apu -hanke …': a sentence adverb opens the clause, not the name
    for k in range(start, i - 1):
        # 'hakee Hämeen ELY-keskukselta ESR+-rahoitusta Nuorten mielen ensiapu kouluihin -hankkeelle': who
        # pays (an ablative) and the money asked (a partitive funding word) come before the name
        if re.search(r"(?:rahoitusta|avustusta|tukea|keskukselta|ministeriöltä|liitolta|rahastolta)$", doc[k].lower_) \
                and doc[k + 1].text[:1].isupper():
            start = k + 1
    if start >= i:
        return None
    first = start
    while first < i - 1 and "Case=Gen" in str(doc[first].morph) and doc[first].text[:1].isupper() \
            and (doc[first].pos_ == "PROPN" or normalize_region(doc[first].text)):
        nxt = first + 1
        while nxt < i and not doc[nxt].text[:1].isupper():
            nxt += 1
        if nxt >= i or doc[nxt:i].text.lower().startswith(("tulevaisuuden sote", "framtidens")):
            break  # 'Kymenlaakson Tulevaisuuden sote-keskus': the county names the programme's project
        if not _project_name_ok(doc[nxt:i].text.strip(" -–")):
            break  # 'Matalan kynnyksen … nuorille Pirkanmaalla': what is left would be a place, not a name
        first = nxt
    name = doc[first:i].text.strip(" -–")
    if name.lower() in _project_vocab()["never"]:
        # 'Varhan RRP2-hanke': a programme acronym names the project only with its owner
        name = doc[start:i].text.strip(" -–") + "-hanke" if first > start else name
    return name


def _region(document: Document, doc: Doc, lang: str) -> tuple[str | None, list[str], list[Entity]]:
    """The county the document belongs to and every county it covers (regions.page_region)."""
    found = page_region(document.title, document.paragraphs, document.url, document.region)
    offset = 0 if doc_text(doc).startswith(document.text[:50]) else None
    spans = [Entity(m.text, "REGION", m.region, m.start, m.end) for m in found.mentions] if offset == 0 else []
    return found.region, list(found.regions), spans


def _organizations(doc: Doc, lang: str) -> list[str]:
    if lang != "fi":
        return []
    out: list[str] = []
    for e in doc.ents:
        if e.label_ != "ORG":
            continue
        e = _first_line(e)
        if not len(e):
            continue
        name = canonical_org(e.text, [t.lemma_ for t in e])
        if name and name[0].isupper() and len(name.split()) <= 8 and name not in out:
            out.append(name)
    return out


def _dates(doc: Doc) -> list[str]:
    out = []
    for m in re.finditer(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?!\d)", doc_text(doc)):
        day, month, year = (int(g) for g in m.groups())
        if 1 <= day <= 31 and 1 <= month <= 12:
            iso = f"{year:04d}-{month:02d}-{day:02d}"
            if iso not in out:
                out.append(iso)
    return out


def facts_from_doc(document: Document, doc: Doc, lang: str, known: Iterable[str] | KnownNames = ()) -> Facts:
    """Every fact of one document from its processed spaCy ``Doc``."""
    bounds = sentences(doc_text(doc))
    funders, programmes, fund_spans = _funding(doc, bounds, lang)
    projects = _projects(doc, lang)
    titled = _title_project(document, lang) or _titled_item(document)
    if not titled and all(name.lower() in (document.title or "").lower() for _, name in projects):
        titled = _title_project(document, lang, weak=True)  # a heading over '… ¶ Hankkeessa …', no other name
    if titled and not any(titled.lower() in name.lower() or name.lower() in titled.lower() for _, name in projects):
        projects.insert(0, (0, titled))
    amounts = _amounts(doc, bounds, fund_spans, projects)
    contacts, persons = _persons_and_contacts(doc, lang, known)
    region, regions, region_spans = _region(document, doc, lang)
    names = [name for _, name in projects]
    amounts = attach_amounts(doc_text(doc), amounts, bounds, names, region_spans, region, national=region is None,
                             title=document.title)
    contacts = attach_contacts(doc_text(doc), contacts, names, national=region is None, title=document.title)
    mentions = project_mentions(doc_text(doc), names, bounds, fund_spans)
    # a sum or contact of 'TYKE' on a page that writes 'Työkyvyn tuen kehittäminen Etelä-Savossa (TYKE)'
    # belongs to the project under its full name
    full = {a: m.name for m in mentions for a in m.aliases
            if a in names and a != m.name and " " not in a and len(a) <= 12 and len(m.name) > len(a)}
    if full:
        amounts = [replace(a, project=full.get(a.project or "", a.project)) for a in amounts]
        contacts = [replace(c, project=full.get(c.project or "", c.project)) for c in contacts]
    person_spans = [Entity(s.text, "PERSON", _base_name(s, lang), s.start_char, s.end_char)
                    for s in doc.spans[PERSONS]]
    money_spans = [Entity(a.text, "MONEY", str(a.eur), a.start or 0, a.end or 0) for a in amounts]
    return Facts(
        funders=tuple(funders),
        programmes=tuple(programmes),
        amounts=tuple(one_per_figure(amounts, until=related_offset(doc_text(doc)))),
        contacts=tuple(contacts),
        persons=tuple(persons),
        projects=tuple(name for _, name in projects),
        organizations=tuple(_organizations(doc, lang)),
        regions=tuple(regions),
        dates=tuple(_dates(doc)),
        spans=tuple(sorted([*fund_spans, *money_spans, *person_spans, *region_spans], key=lambda e: e.start)),
        region=region,
        project_mentions=tuple(mentions),
    )


# --- public API -----------------------------------------------------------------------------------


def extraction_lang(document: Document) -> str:
    """Which pipeline reads a document: 'sv' (blank Swedish + rules) or 'fi' (the Finnish model)."""
    return "sv" if document.lang == "sv" else "fi"


PART_CHARS = 100_000  # spaCy's guidance: NER memory grows with the text; longer texts go in parts


def text_parts(text: str, limit: int) -> list[str]:
    """``text`` cut into parts of at most ``limit`` characters that join back to exactly ``text``.

    Cuts fall at paragraph breaks, else at whitespace, else anywhere (a 100,000-character word).
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n\n")
        if cut <= 0:
            cut = max(window.rfind("\n"), window.rfind(" "))
        cut = cut + 1 if cut > 0 else limit
        parts.append(text[start : start + cut])
        start += cut
    parts.append(text[start:])
    return parts


def _pipe(nlp: Language, texts: list[str], batch_size: int, n_process: int,
          disable: Sequence[str] = ()) -> Iterator[Doc]:
    """``nlp.pipe`` that also takes texts over ``nlp.max_length`` (spaCy's E088): those go in parts,
    rejoined into one ``Doc`` with the same text, entities and span groups."""
    limit = max(1000, min(PART_CHARS, nlp.max_length - 1))
    split = [text_parts(t, limit) for t in texts]
    flat = [p for parts in split for p in parts]
    docs = nlp.pipe(flat, batch_size=batch_size, n_process=n_process, disable=list(disable))
    for parts in split:
        chunk = [next(docs) for _ in parts]
        if len(chunk) == 1:
            yield chunk[0]
            continue
        money, offset = [], 0
        for part in chunk:  # user data is not merged by spaCy: shift the amounts' offsets ourselves
            money.extend([t, e, q, s + offset, end + offset] for t, e, q, s, end in part.user_data.pop(MONEY, ()))
            offset += len(part.user_data.pop(_TEXT, None) or part.text)
        merged = Doc.from_docs(chunk, ensure_whitespace=False)
        merged.user_data[MONEY] = money
        yield merged


_lang_of = extraction_lang


def _neural(nlp: Language, texts: list[str], batch_size: int) -> Iterator[Doc]:
    """The model's components only (``modelcache.pipe`` runs the rule components after it)."""
    return _pipe(nlp, texts, batch_size, 1, [n for n in nlp.pipe_names if n.startswith(modelcache.RULE_PREFIX)])


def annotate(docs: Sequence[Document], batch_size: int = 32, known: Sequence[str] = ()) -> list[Document]:
    """The same documents (same order) with ``facts`` and ``region`` filled, in this process (the
    same work in forked worker processes: ``jobs.workers.annotate``).

    Finnish first: names it finds are then recognised in Swedish documents too (the twin of a
    Finnish page names the same people). ``known``: persons already found on Finnish pages read
    elsewhere (a Dask worker annotating a Swedish batch gets those of the whole run).
    """
    results: list[Document | None] = [None] * len(docs)
    known = list(known)
    for lang in ("fi", "sv"):
        idx = [i for i, d in enumerate(docs) if _lang_of(d) == lang]
        if not idx:
            continue
        texts = [docs[i].text for i in idx]
        matcher = KnownNames(known) if lang == "sv" else None  # built once, over distinct names
        if lang == "fi" and modelcache.active():  # the model's output stored per text: rules-only rebuilds
            processed = modelcache.pipe(fi_pipelines(), texts, batch_size, partial(_neural, batch_size=batch_size))
        else:
            processed = _pipe(pipeline_for(lang), texts, batch_size, 1)
        for i, sdoc in zip(idx, processed, strict=True):
            facts = facts_from_doc(docs[i], sdoc, lang, matcher if matcher is not None else ())
            results[i] = replace(docs[i], facts=facts, region=facts.region)
            if lang == "fi":
                known.extend(facts.persons)
    return [r for r in results if r is not None]


def _stem(ref: str | None) -> str | None:
    if not ref:
        return None
    name = Path(ref).name if "://" not in ref else ref
    return Path(name).stem if "://" not in ref and Path(name).suffix else name


def gold_record(doc: Document) -> dict[str, Any]:
    """The document's facts in the gold schema (shared/gold/README.md), plus organisations, dates, spans."""
    facts = doc.facts or Facts()
    jsonl = bool(doc.path) and Path(doc.path).suffix.lower() in (".jsonl", ".ndjson")
    name = Path(doc.path).name if doc.path and not jsonl else doc.id
    return {
        "doc": name,
        "lang": doc.lang,
        "title": doc.title,
        "region": doc.region or facts.region,
        "regions": list(facts.regions),
        "twin": _stem(doc.twin),
        "funders": list(facts.funders),
        "programmes": list(facts.programmes),
        "amounts": [
            {**{k: v for k, v in (("text", a.text), ("eur", a.eur), ("role", a.role), ("region", a.region),
                                  ("project", a.project)) if v is not None or k != "eur"},
             **{k: v for k, v in (("qualifier", a.qualifier), ("year", a.year), ("funder", a.funder),
                                  ("part_of", a.part_of)) if v is not None}}
            for a in facts.amounts
        ],
        "contacts": [
            {"name": c.name, "title": c.title, "phone": c.phone, "email": c.email, "project": c.project,
             **({"organization": c.organization} if c.organization else {})}
            for c in facts.contacts
        ],
        "persons": list(facts.persons),
        "projects": list(facts.projects),
        "project_mentions": [
            {"name": m.name, "aliases": list(m.aliases), "start_year": m.start_year, "end_year": m.end_year,
             "status": m.status, "lead": m.lead, "programmes": list(m.programmes)}
            for m in facts.project_mentions
        ],
        "organizations": list(facts.organizations),
        "dates": list(facts.dates),
        "spans": [{"text": e.text, "label": e.label, "canonical": e.canonical, "start": e.start, "end": e.end}
                  for e in facts.spans],
    }
