"""Whoosh analyzers and query construction, Finnish- and Swedish-aware.

Documents are indexed paragraph by paragraph into per-language fields (``text_fi`` / ``text_sv``).
Finnish words are reduced to voikko base forms. A word's compound parts are computed here too, but
only hyphenated parts are indexed; closed compounds are reached at query time (``Compounds``), so
'alue' finds 'hyvinvointialueen' but ranks it below an exact 'alue'. Coordinated
truncations ('hoito-, kuntoutus- ja palveluvelkaa') are completed with the head of the final
compound ('hoitovelka'). Words voikko does not know (acronyms, names, 'RRP-hankkeen', 'STM:n') are
split on hyphens and colons and Snowball-stemmed. Swedish is Snowball plus definite-form and
lexicon-based compound splitting. Queries are analysed with the field's own analyzer (query side =
index side) and expanded across languages through the fi↔sv glossary in ``data/glossary.tsv``.

Analyzers are module-level classes holding only their settings: Whoosh pickles the schema, and the
voikko handle and caches live in this module, created lazily per process.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from whoosh.analysis import Analyzer, LanguageAnalyzer, Token
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.query import And, DisjunctionMax, NullQuery, Or, Query, Term

from hakemisto.core import glossary, voikko
from hakemisto.core.caches import LRU
from hakemisto.search import generations, whoosh_compat

# Per-language text fields and their boosts: a title hit weighs more than a body hit.
FIELDS: dict[str, dict[str, float]] = {
    "fi": {"title_fi": 2.0, "text_fi": 1.0},
    "sv": {"title_sv": 2.0, "text_sv": 1.0},
}

# Term boosts of a word's analysis: a compound part is evidence, not the word itself.
PART_BOOST = 0.3
HYPHEN_PART_BOOST = 0.6  # 'RRP-hanke', 'sote-keskus': the parts stand on their own more
SUBCOMPOUNDS = True  # runs of components count as parts (mielenterveys in mielenterveyspalvelu)
# Closed-compound parts (boost below this) are not indexed: they were 40 % of all postings. A query
# term reaches the compounds containing it through ``Compounds`` instead, at COMPOUND_BOOST.
INDEX_MIN_BOOST = HYPHEN_PART_BOOST
COMPOUND_BOOST = 0.2  # of the query word's own weight; 0.3 measured 0.002 nDCG@10 lower
MAX_COMPOUNDS = 60  # per query term, the most frequent in the index
# A query term already on more than this share of the pages is broad ('hanke', 'palvelu'): its
# compounds add postings to read but no discrimination, so it is not expanded (issue 17).
COMPOUND_CAP_SHARE = 0.25
# Query side: how much a glossary translation and a spelling suggestion count compared with the word
# itself (a query word's closed-compound parts are left out; hyphen parts count at their own boost).
SV_RESTEM = True  # an inflected Swedish word's Snowball stem is stemmed once more (see sv_stem)
PART_FALLBACK = 0.5  # weight of each part when a query compound is not indexed in that language
FI_PARTS_FALLBACK = True  # Finnish compounds fall back to their components too (not only Swedish ones)
PARTS_BESIDE_COMPOUND = False  # the parts also search beside an indexed compound, at PART_FALLBACK_INDEXED
PART_FALLBACK_INDEXED = 0.25
HYPHEN_PARTS_COMPETE = False  # the parts of a hyphenated query word compete with it instead of adding up
READINGS_COMPETE = True  # a word's alternative base forms compete (max) instead of adding up
TRANSLATION_BOOST = 0.4  # at 0.5 a translation-only page outranked the original-language page (q02)
SUGGESTION_BOOST = 0.6
ENGLISH_BOOST = 0.7  # English query words' fi / sv terms (data/glossary_en.tsv); no page is English, so the
# translation carries the word's meaning: dev nDCG@10 0.912 → 0.916 (0.4: ±0, 1.0: 0.915)
TRANSLATION_PER_WORD = True  # a multi-word translation's words share its weight (dev: see README)
SYNONYM_BOOST = TRANSLATION_BOOST  # same-language terms of the glossary that translate the same word
REGISTRY_BOOST = TRANSLATION_BOOST  # a funder's / programme's other names (data/funding.toml): 'RRP' ~ 'kestävän kasvun ohjelma'

KINDS = ("voikko", "snowball")
CACHE_SIZE = 200_000

_TOKEN = re.compile(r"[^\W_]+(?:[-:'’][^\W_]+)*-?", re.UNICODE)
_COORD_FI = frozenset({"ja", "tai", "sekä", "eli", "että", "and", "och", "eller", "samt"})
_COORD_SV = frozenset({"och", "eller", "samt", "ja", "tai", "sekä"})
_SUFFIX_CASE = re.compile(r":[^\W\d_]{1,4}$", re.UNICODE)  # 'STM:n', 'EU:ssa', 'THL:n'

_FI_STOP = frozenset(stopwords_for_language("fi")) | {"olla", "voida", "mm", "esim", "myös"}
_SV_STOP = frozenset(stopwords_for_language("sv"))
_fi_snowball = stemmer_for_language("fi")
_sv_snowball = stemmer_for_language("sv")

Terms = tuple[tuple[str, float], ...]  # (term, boost) per word, the word's own terms first


# --- voikko ------------------------------------------------------------------------------------------

def _voikko_analyze(word: str) -> list[dict[str, str]]:
    return voikko.analyze(word)


@lru_cache(maxsize=20_000)
def fi_suggestions(word: str) -> tuple[str, ...]:
    """voikko's spelling suggestions for an unknown Finnish word (query side only)."""
    return tuple(voikko.suggest(word)[:2])


_HYPHEN = ("-", "-")
_PARENS = re.compile(r"\(([^)]*)\)")


def _segments(wordbases: str) -> list[str]:
    """WORDBASES cut at each '+' outside parentheses: '+tule(tulla)+vai(+a)su(+nen)+us(+us)' →
    'tule(tulla)', 'vai(+a)su(+nen)', 'us(+us)' (a segment may chain several derivations)."""
    segments: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in wordbases:
        depth += (ch == "(") - (ch == ")")
        if ch == "+" and depth == 0:
            if current:
                segments.append("".join(current))
            current = []
        else:
            current.append(ch)
    if current:
        segments.append("".join(current))
    return segments


def _groups(wordbases: str) -> list[tuple[str, str]]:
    """Compound components of one voikko analysis as (surface, base form) pairs.

    WORDBASES reads like '+valtion(valtio)+avust(avustaa)+us(+us)+hanke(hanke)': a base starting
    with '+' is a derivational suffix that belongs to the previous component ('avustus'), and a
    bare '+-' marks a hyphen (kept as a ``_HYPHEN`` group so runs do not cross it). A segment may
    chain derivations ('vai(+a)su(+nen)' in 'tulevaisuus'): its surface is the text outside the
    parentheses, and it belongs to the previous component too, as does a bare one- or two-letter
    segment ('+ikäänty(ikääntyä)+n+yt(+yt)'); before, 'tulevaisuus' split into 'tulevai' and
    'nen)us', 'ikääntynyt' into 'ikääntyä' and 'nyt'.
    """
    parts: list[list[str]] = []
    for segment in _segments(wordbases):
        if segment == "-":
            parts.append(list(_HYPHEN))
            continue
        surface = _PARENS.sub("", segment)
        bases = _PARENS.findall(segment)
        base = bases[0] if bases else surface
        bound = base.startswith("+") or (not bases and len(surface) <= 2)  # '+n' in 'ikäänty+n+yt'
        if bound and parts and parts[-1] != list(_HYPHEN):
            parts[-1][0] += surface
            parts[-1][1] = parts[-1][0]
        else:
            parts.append([surface, (base or surface).replace("=", "")])
    return [(s.lower(), b.lower()) for s, b in parts if b]


def _subcompounds(groups: list[tuple[str, str]]) -> list[str]:
    """Contiguous runs of two or more components ('mielen'+'terveys' → 'mielenterveys')."""
    runs = []
    for i in range(len(groups)):
        for j in range(i + 2, len(groups) + 1):
            if (i == 0 and j == len(groups)) or _HYPHEN in groups[i:j]:
                continue
            runs.append("".join(s for s, _ in groups[i : j - 1]) + groups[j - 1][1])
    return runs


def _add(out: dict[str, float], term: str, boost: float) -> None:
    if term and boost > out.get(term, 0.0):
        out[term] = boost


@lru_cache(maxsize=CACHE_SIZE)
def fi_word_terms(word: str) -> Terms:
    """Index terms of one Finnish word: base forms (boost 1) and compound parts (lower boosts).

    Cached: the vocabulary is Zipfian, and tuples cannot be mutated by callers.
    """
    out: dict[str, float] = {}
    analyses = _voikko_analyze(word) if len(word) < 60 else []
    if analyses:
        for analysis in analyses:
            base = analysis.get("BASEFORM", word).lower()
            _add(out, base, 1.0)
        for analysis in analyses:
            wordbases = analysis.get("WORDBASES", "")
            groups = _groups(wordbases)
            if len([g for g in groups if g != _HYPHEN]) > 1:
                boost = HYPHEN_PART_BOOST if "+-" in wordbases else PART_BOOST
                for _, part in groups:
                    if part != "-":
                        _add(out, part, boost)
                for run in _subcompounds(groups) if SUBCOMPOUNDS else ():
                    _add(out, run, PART_BOOST)
        return tuple(out.items())
    stripped = _SUFFIX_CASE.sub("", word)
    pieces = [p for p in re.split(r"[-:'’]", stripped) if p]
    if len(pieces) > 1:
        heads = [fi_word_terms(p)[0][0] for p in pieces]
        _add(out, "-".join(heads), 1.0)
        for piece in pieces:
            for term, boost in fi_word_terms(piece):
                _add(out, term, min(boost, HYPHEN_PART_BOOST))
        return tuple(out.items())
    lowered = stripped.lower()
    _add(out, _fi_snowball(lowered) if lowered.isalpha() else lowered, 1.0)
    return tuple(out.items())


@lru_cache(maxsize=CACHE_SIZE)
def fi_known(word: str) -> bool:
    """Whether voikko knows the word (cached: highlighting and did-you-mean ask for the same words)."""
    return bool(_voikko_analyze(word))


@lru_cache(maxsize=CACHE_SIZE)
def fi_head(word: str) -> str | None:
    """Base form of the last component of a Finnish compound ('palveluvelkaa' → 'velka')."""
    analyses = _voikko_analyze(word)
    if not analyses:
        return None
    groups = _groups(analyses[0].get("WORDBASES", ""))
    return groups[-1][1] if groups else None


# --- Swedish -----------------------------------------------------------------------------------------


_SV_OR_NOUN = re.compile(r"or(?:n|s|ns|er|erna|ernas)?$")  # 'koordinator', 'koordinatorn', 'koordinatorer'


@lru_cache(maxsize=CACHE_SIZE)
def sv_stem(word: str) -> str:
    """``_sv_stem_once``, and once more for an inflected word whose stem still ends in a suffix that
    the base form loses (``SV_RESTEM``): 'ambulansen' → 'ambulans' met no page saying 'ambulans'
    (→ 'ambul'), nor 'kostnaden' a page's 'kostnad', nor 'områdenas' 'område'. Only a second cut of
    two or more letters from a stem of six or more counts, so 'hälsan' stays 'häls' (not 'häl'), and
    -or nouns keep the stem ``_sv_stem_once`` gives all their forms ('koordinatorn' → 'koordinat')."""
    stem = _sv_stem_once(word)
    if SV_RESTEM and stem != word and len(stem) >= 6 and not _SV_OR_NOUN.search(word):
        again = _sv_stem_once(stem)
        if 4 <= len(again) <= len(stem) - 2:
            return again
    return stem


@lru_cache(maxsize=CACHE_SIZE)
def _sv_stem_once(word: str) -> str:
    """Snowball Swedish plus the inflected forms it leaves apart from their base form: definite
    forms ('området' → 'områd', 'garantin' → 'garanti', 'områdena' → 'områd'), a final consonant
    doubled before an ending ('programmet', 'hemmet' → 'program', 'hem': Snowball kept 'programm',
    so the glossary's 'programmet för hållbar tillväxt' missed pages saying 'program för hållbar
    tillväxt') and -or nouns ('koordinatorn', 'koordinatorer' → 'koordinat', as 'koordinator')."""
    base = _sv_short_base(word)
    if base:
        return sv_stem(base)
    if word.endswith("tret"):  # 'centret', 'numret' → 'center', 'nummer'-like stems
        word = word[:-3] + "er"
    elif len(word) >= 7 and word.endswith("ena"):  # 'områdena': Snowball drops only the final 'a'
        word = word[:-1]
    stem = _sv_snowball(word)
    if len(stem) >= 6 and stem.endswith("et"):
        stem = _sv_snowball(stem[:-2])
    elif len(stem) >= 5 and stem[-1] == "n" and stem[-2] in "åaiö":  # 'byrån', 'skolan', 'garantin', 'vårdkön'
        stem = _sv_snowball(stem[:-1])
    elif len(stem) >= 7 and stem.endswith("orn"):  # 'koordinatorn', 'direktorn' (definite of -or nouns)
        stem = _sv_snowball(stem[:-1])
    elif len(stem) >= 8 and stem.endswith("or") and stem != word:  # 'koordinatorer' (Snowball: 'koordinator')
        stem = _sv_snowball(stem)
    if len(stem) >= 4 and stem.endswith("mm"):
        stem = stem[:-1]
    return stem


_SV_SHORT_ENDINGS = ("ernas", "arnas", "ornas", "erna", "arna", "orna", "ena", "ens", "ets", "er", "ar", "or", "na", "en",
                     "et", "n", "s")
SV_SHORT_WORD = 7  # Snowball's R1 leaves short words' endings on ('köerna' → 'köern', 'köer')


@lru_cache(maxsize=1)
def _sv_words() -> frozenset[str]:
    """The Swedish lexicon's words as written (``data/sv_words.txt`` plus the glossary's words)."""
    words = {w.lower() for w in _data_lines("sv_words.txt")}
    for _, sv in glossary.search_pairs():
        words.update(w for w in sv.lower().split() if w.isalpha())
    return frozenset(words)


def _sv_short_base(word: str) -> str | None:
    """A short inflected word's lexicon base ('köerna', 'köer', 'kön' → 'kö'), where Snowball's
    region rules leave the ending on; None for words the lexicon knows as they are."""
    if len(word) > SV_SHORT_WORD or word in _sv_words():
        return None
    for ending in _SV_SHORT_ENDINGS:
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= 2 and base in _sv_words():
            return base
    return None


@lru_cache(maxsize=1)
def _sv_lexicon() -> frozenset[str]:
    """Stems of Swedish words that may be compound parts (data file plus the glossary's words)."""
    words = set(_data_lines("sv_words.txt"))
    for _, sv in glossary.search_pairs():
        words.update(sv.lower().split())
    return frozenset(sv_stem(w) for w in words if len(w) >= 3)


@lru_cache(maxsize=CACHE_SIZE)
def sv_split(word: str) -> tuple[str, ...]:
    """Cheap compound split against the lexicon: modifier (linking -s/-e dropped) + known head."""
    if len(word) < 7:
        return ()
    lexicon = _sv_lexicon()
    for i in range(3, len(word) - 1):
        head = sv_stem(word[i:])
        # short heads ('kö' in 'vårdköerna') only after a long modifier, else 'ö' or 'en' would split anything
        if len(head) < (2 if i >= 4 else 3) or head not in lexicon:
            continue
        mod = word[:i]
        for candidate in (mod, mod[:-1] if mod[-1] in "se" else None):
            if candidate and len(candidate) >= 3:
                stem = sv_stem(candidate)
                if stem in lexicon or candidate in lexicon:
                    return (stem, head)
                inner = sv_split(candidate)
                if inner:
                    return (*inner, head)
    return ()


@lru_cache(maxsize=CACHE_SIZE)
def sv_word_terms(word: str) -> Terms:
    """Index terms of one Swedish word: its stem, and compound parts at a lower boost."""
    out: dict[str, float] = {}
    stripped = _SUFFIX_CASE.sub("", word).lower()
    pieces = [p for p in re.split(r"[-:'’]", stripped) if p]
    if len(pieces) > 1:
        _add(out, "-".join(sv_stem(p) for p in pieces), 1.0)
        for piece in pieces:
            for term, boost in sv_word_terms(piece):
                _add(out, term, min(boost, HYPHEN_PART_BOOST))
        return tuple(out.items())
    _add(out, sv_stem(stripped), 1.0)
    for part in sv_split(stripped):
        _add(out, part, PART_BOOST)
    return tuple(out.items())


def sv_head(word: str) -> str | None:
    parts = sv_split(word.lower())
    return parts[-1] if parts else None


# --- tokenising with coordination --------------------------------------------------------------------


@dataclass(frozen=True)
class WordTerms:
    """One surface word and its weighted terms, with character offsets for highlighting."""

    text: str
    start: int
    end: int
    terms: Terms
    stop: bool = False


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


_TRUNCATED = re.compile(r"[^\W_]-(?![^\W_])", re.UNICODE)  # a word the tokenizer ends with '-'


@lru_cache(maxsize=CACHE_SIZE)
def _surface_terms(word: str, lang: str, kind: str) -> Terms | None:
    """Terms of one word as the tokenizer cut it (case kept), or None for a stop word. Cached."""
    bare = word.rstrip("-")
    return None if bare.lower() in (_FI_STOP if lang == "fi" else _SV_STOP) else _word_terms(bare, lang, kind)


def _analyze(text: str, lang: str, kind: str) -> list[WordTerms]:
    """Per-word terms of a text with character offsets (queries, highlighting)."""
    words = _words(text)
    return [
        WordTerms(word, start, end, terms or (), stop=terms is None)
        for (word, start, end), terms in zip(words, _term_stream(text, lang, kind, words), strict=True)
    ]


def _with_completion(terms: Terms, joined: Terms) -> Terms:
    """A truncated word's own terms become parts; the completed compound's terms lead."""
    if not joined:
        return terms
    merged: dict[str, float] = {t: min(b, PART_BOOST) for t, b in terms}
    for term, boost in joined:
        _add(merged, term, boost)
    return tuple(merged.items())


def _term_stream(
    text: str, lang: str, kind: str, located: list[tuple[str, int, int]] | None = None
) -> list[Terms | None]:
    """The terms of each word position (None for stop words), completing truncated coordinated
    compounds with their head. ``located``: the words with offsets, when the caller has them.

    The indexing path needs no offsets: only texts with a truncated word ('hoito-, kuntoutus- ja …')
    need the neighbouring words; all others are a cached lookup per word.
    """
    words = [w for w, _, _ in located] if located is not None else _TOKEN.findall(text)
    out = [_surface_terms(word, lang, kind) for word in words]
    if kind == "voikko" and _TRUNCATED.search(text):
        located = located if located is not None else _words(text)
        coords = _COORD_FI if lang == "fi" else _COORD_SV
        for i, word in enumerate(words):
            terms = out[i]
            if terms is not None and word.endswith("-"):
                out[i] = _with_completion(terms, _complete_truncation(located, i, text, coords, lang))
    return out


def _word_terms(word: str, lang: str, kind: str) -> Terms:
    if kind == "snowball":
        lowered = word.lower()
        return (((_fi_snowball if lang == "fi" else _sv_snowball)(lowered), 1.0),)
    return fi_word_terms(word) if lang == "fi" else sv_word_terms(word)


def _complete_truncation(
    words: list[tuple[str, int, int]], i: int, text: str, coords: frozenset[str], lang: str
) -> Terms:
    """'hoito-' in 'hoito-, kuntoutus- ja palveluvelkaa' → the terms of 'hoitovelka'.

    Only between truncated words may there be commas; one conjunction then leads to the head word.
    """
    j = i + 1
    while j < len(words) and words[j][0].endswith("-") and text[words[j - 1][2] : words[j][1]].strip() in ",":
        j += 1
    if j + 1 >= len(words) or words[j][0].lower() not in coords:
        return ()
    if text[words[j - 1][2] : words[j][1]].strip(" ,") or text[words[j][2] : words[j + 1][1]].strip():
        return ()
    head_word = words[j + 1][0]
    prefix = words[i][0].rstrip("-").lower()
    if lang == "fi":
        head = fi_head(head_word)
        if not head:
            return ()
        compound = prefix + head
        return fi_word_terms(compound) if fi_known(compound) else ((compound, 1.0), (prefix, PART_BOOST))
    head = sv_head(head_word)
    if not head:
        return ()
    return ((sv_stem(prefix + head), 1.0), (sv_stem(prefix), PART_BOOST), (head, PART_BOOST))


# --- Whoosh analyzers --------------------------------------------------------------------------------


class _WordAnalyzer(Analyzer):
    """Yields every term of a word at the word's position, boosted by its token boost."""

    lang = "fi"

    def __init__(self, kind: str = "voikko") -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown analyzer kind {kind!r}; use one of {', '.join(KINDS)}")
        self.kind = kind

    def __getstate__(self) -> dict[str, Any]:
        return {"kind": self.kind}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.kind = state.get("kind", "voikko")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.kind == self.kind  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.kind))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r})"

    def words(self, text: str) -> list[WordTerms]:
        return _analyze(text, self.lang, self.kind)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        words = self.words(value) if tokenize else self.words(value.replace(" ", "_"))
        for pos, word in enumerate(words, start_pos):
            if word.stop:
                if not removestops:
                    yield self._token(word.text.lower(), 1.0, word, pos, positions, chars, start_char, True)
                continue
            for term, boost in word.terms:
                if boost < INDEX_MIN_BOOST:
                    continue
                token = self._token(term, boost, word, pos, positions, chars, start_char, False)
                if keeporiginal:
                    token.original = word.text
                yield token

    @staticmethod
    def _token(
        term: str,
        boost: float,
        word: WordTerms,
        pos: int,
        positions: bool,
        chars: bool,
        start_char: int,
        stopped: bool,
    ) -> Token:
        token = Token(positions=positions, chars=chars, removestops=True)
        token.text = term
        token.boost = boost
        token.stopped = stopped
        if positions:
            token.pos = pos
        if chars:
            token.startchar = start_char + word.start
            token.endchar = start_char + word.end
        return token


    def word_values(self, value: str, field_boost: float) -> Iterator[tuple[str, int, float, bytes]]:
        """(term, frequency, weight, encoded positions) per distinct term, as ``Positions`` would make
        them from this analyzer's tokens, without building a ``Token`` per term."""
        positions: dict[str, list[int]] = {}
        weights: dict[str, float] = {}
        for pos, terms in enumerate(_term_stream(value, self.lang, self.kind)):
            if not terms:
                continue
            for term, boost in terms:
                if boost < INDEX_MIN_BOOST:
                    continue
                found = positions.get(term)
                if found is None:
                    positions[term] = [pos]
                    weights[term] = boost
                else:
                    found.append(pos)
                    weights[term] += boost
        encode = WordPositions.encode_positions
        for term, poslist in positions.items():
            yield term, len(poslist), weights[term] * field_boost, encode(poslist)


class WordPositions(Positions):
    """Whoosh's ``Positions`` format, fed directly by a word analyzer (same postings, less overhead).

    Profiling showed a third of voikko indexing time in per-term ``Token`` objects and the generic
    token loop. Any other analyzer goes through the stock path.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        if isinstance(value, str) and isinstance(analyzer, _WordAnalyzer) and kwargs.get("mode") != "query":
            return analyzer.word_values(value, self.field_boost)
        return super().word_values(value, analyzer, **kwargs)

    encode_positions = staticmethod(whoosh_compat.encode_positions)


class FinnishAnalyzer(_WordAnalyzer):
    """Finnish: voikko base forms + compound parts (or plain Snowball when ``kind='snowball'``)."""

    lang = "fi"


class SwedishAnalyzer(_WordAnalyzer):
    """Swedish: Snowball + definite forms + lexicon compound parts (or plain Snowball)."""

    lang = "sv"


def finnish_analyzer(kind: str = "voikko") -> Analyzer:
    """The Finnish analyzer; ``kind='snowball'`` is the baseline Whoosh LanguageAnalyzer."""
    return LanguageAnalyzer("fi") if kind == "snowball" else FinnishAnalyzer(kind)


def swedish_analyzer(kind: str = "voikko") -> Analyzer:
    return LanguageAnalyzer("sv") if kind == "snowball" else SwedishAnalyzer(kind)


def analyzer_for(lang: str, kind: str = "voikko") -> Analyzer:
    return swedish_analyzer(kind) if lang == "sv" else finnish_analyzer(kind)


def prepare(text: str, lang: str, kind: str = "voikko") -> None:
    """Analyse ``text`` ahead of its index write, for the per-word caches only (``_surface_terms``,
    ``fi_word_terms`` …; pure functions of the word, so the postings are the same): an ingest calls
    this in its parent process on pages as the extraction workers return them, so the voikko
    look-ups of new words are done while the workers run instead of after them with a core idle."""
    if not isinstance(analyzer_for(lang, kind), _WordAnalyzer):
        return
    if kind == "voikko" and _TRUNCATED.search(text):
        _term_stream(text, lang, kind)  # truncated compounds are completed with their neighbours
        return
    for word in set(_TOKEN.findall(text)):  # each distinct word once: the write repeats the lookups anyway
        _surface_terms(word, lang, kind)


# --- glossary ----------------------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    text = resources.files("hakemisto.data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _key(analyzer: Analyzer, text: str) -> tuple[str, ...]:
    """A glossary term as the sequence of its words' main terms under the field's analyzer.

    The first term of weight 1 per word — the same terms a query is matched by: 'social-' in
    'social- och hälsocentral' is the completed 'socialcentral', not its part 'social'.
    """
    return tuple(next((t for t, b in word if b >= 1.0), word[0][0]) for word in _concepts(analyzer, text) if word)


_glossaries: LRU[tuple[str, str, str], dict[tuple[str, ...], list[str]]] = LRU(16)


def _glossary(source: Analyzer, lang: str) -> dict[tuple[str, ...], list[str]]:
    """Analysed source-language key → target-language terms, built once per analyzer kind."""

    def build() -> dict[tuple[str, ...], list[str]]:
        table: dict[tuple[str, ...], list[str]] = {}
        for fi, sv in glossary.search_pairs():
            src, dst = (fi, sv) if lang == "fi" else (sv, fi)
            key = _key(source, src)
            if key and dst not in table.setdefault(key, []):
                table[key].append(dst)
        return table

    return _glossaries.get((type(source).__name__, getattr(source, "kind", "snowball"), lang), build)


_synonym_tables: LRU[tuple[str, str, str], dict[tuple[str, ...], list[str]]] = LRU(16)


def _synonyms(source: Analyzer, lang: str) -> dict[tuple[str, ...], list[str]]:
    """Analysed ``lang`` glossary term → the other ``lang`` terms of the glossary that translate the
    same word ('familjecentral' → 'familjecenter': both are 'perhekeskus'; 'hanke' → 'projekti')."""

    def build() -> dict[tuple[str, ...], list[str]]:
        by_translation: dict[str, list[str]] = {}
        for fi, sv in glossary.search_pairs():
            own, other = (fi, sv) if lang == "fi" else (sv, fi)
            if own not in by_translation.setdefault(other.casefold(), []):
                by_translation[other.casefold()].append(own)
        table: dict[tuple[str, ...], list[str]] = {}
        for group in by_translation.values():
            for term in group:
                key = _key(source, term)
                if not key:
                    continue
                found = table.setdefault(key, [])
                found.extend(t for t in group if t not in found and _key(source, t) != key)
        return table

    return _synonym_tables.get((type(source).__name__, getattr(source, "kind", "snowball"), lang), build)


@lru_cache(maxsize=1)
def _registry_names() -> tuple[tuple[tuple[str, ...], dict[str, tuple[str, ...]]], ...]:
    """(acronyms, {'fi': names, 'sv': names}) of every funder and programme in ``data/funding.toml``
    that has an acronym or is a programme: the registry extraction already uses to recognise them,
    so its names are synonyms with provenance (wildcards dropped)."""
    import tomllib

    data = tomllib.loads(resources.files("hakemisto.data").joinpath("funding.toml").read_text(encoding="utf-8"))
    out = []
    for kind in ("funder", "programme"):
        for entry in data.get(kind, ()):
            acronyms = tuple(entry.get("acronyms", ()))
            if not acronyms and kind != "programme":
                continue  # generic money words ('valtionavustus', 'omarahoitus'): no name to expand
            names = {lang: tuple(n.rstrip("*").strip() for n in entry.get(lang, ())) for lang in FIELDS}
            out.append((acronyms, names))
    return tuple(out)


_registries: LRU[tuple[str, str, str, str], dict[tuple[str, ...], list[str]]] = LRU(16)


def _registry(source: Analyzer, source_lang: str, target_lang: str) -> dict[tuple[str, ...], list[str]]:
    """Analysed name or acronym (``source_lang`` analysis) → the same funder's or programme's other
    names in ``target_lang`` and its acronyms, so 'RRP' also finds pages that only say 'kestävän
    kasvun ohjelma' or 'program för hållbar tillväxt', and the other way round."""

    def build() -> dict[tuple[str, ...], list[str]]:
        table: dict[tuple[str, ...], list[str]] = {}
        for acronyms, names in _registry_names():
            sources = {_key(source, form): form for form in (*acronyms, *names.get(source_lang, ()))}
            targets = [*acronyms, *names.get(target_lang, ())]
            for key, form in sources.items():
                if not key:
                    continue
                found = table.setdefault(key, [])
                for target in targets:
                    if target != form and target not in found and (source_lang != target_lang
                                                                    or _key(source, target) != key):
                        found.append(target)
        return table

    return _registries.get((type(source).__name__, getattr(source, "kind", "snowball"), source_lang, target_lang),
                           build)


def _table_caches(schema: Any) -> list[tuple[str, LRU[Any, Any], tuple[str, ...], Callable[[], Any]]]:
    """Every analyzer-dependent glossary table ``concept_queries`` reads for ``schema``: (its name,
    its cache, its cache key, the call that builds it)."""
    out: list[tuple[str, LRU[Any, Any], tuple[str, ...], Callable[[], Any]]] = []
    for lang, fields in FIELDS.items():
        source = _field_analyzer(schema, fields, lang)
        kind = (type(source).__name__, getattr(source, "kind", "snowball"))
        out.append(("glossary", _glossaries, (*kind, lang), lambda s=source, g=lang: _glossary(s, g)))
        out.append(("synonyms", _synonym_tables, (*kind, lang), lambda s=source, g=lang: _synonyms(s, g)))
        for target in FIELDS:
            out.append(("registry", _registries, (*kind, lang, target),
                        lambda s=source, g=lang, t=target: _registry(s, g, t)))
    return out


def glossary_tables(schema: Any) -> list[dict[str, Any]]:
    """The analysed glossary, synonym and registry tables of ``schema``'s analyzers as JSON-ready
    records: stored beside the index at commit time (``generations.write_glossary_tables``) so a cold
    search reads them instead of analysing every glossary term (~3,000 voikko analyses)."""
    return [{"name": name, "key": list(key), "table": [[list(k), v] for k, v in build().items()]}
            for name, _, key, build in _table_caches(schema)]


def prime_glossary_tables(schema: Any, records: list[dict[str, Any]]) -> None:
    """Put stored ``glossary_tables`` records into the table caches (only for keys ``schema`` uses),
    so the first query finds them built; a table already cached is left alone."""
    stored = {(r["name"], *r["key"]): r["table"] for r in records}
    for name, cache, key, _ in _table_caches(schema):
        rows = stored.get((name, *key))
        if rows is not None:
            cache.get(key, lambda rows=rows: {tuple(k): list(v) for k, v in rows})


# --- compounds at query time ------------------------------------------------------------------------


class Compounds:
    """The index's compound lemmas that contain a query term as a part ('alue' → 'hyvinvointialue').

    Indexing every closed-compound part made 40 % of all postings and held voikko indexing at
    two thirds of Snowball's speed, so parts are found at query time instead: candidates are the
    lexicon's terms that start or end with the query term (two bisects over sorted lists), kept when
    the same word analysis that indexing uses names the term as one of their parts. The most frequent
    ``MAX_COMPOUNDS`` are added to the query at ``COMPOUND_BOOST``, unless the term itself is on
    more than ``COMPOUND_CAP_SHARE`` of the ``doc_count`` pages. One instance per index generation.
    """

    SCAN_LIMIT = 3_000

    def __init__(self, lexicons: dict[str, list[str]], doc_frequency: Callable[[str, str], int],
                 reversed_lexicons: dict[str, list[str]] | None = None, doc_count: int = 0) -> None:
        """``lexicons`` per language; already sorted and unique when ``reversed_lexicons`` (their
        reversed terms, sorted) are given, as the stored term lists are. ``doc_count`` (0: unknown,
        no cap) sizes the broad-term cap."""
        if reversed_lexicons is None:
            self.sorted = {lang: sorted(set(terms)) for lang, terms in lexicons.items()}
            self.reversed = {lang: sorted(t[::-1] for t in terms) for lang, terms in self.sorted.items()}
        else:
            self.sorted, self.reversed = lexicons, reversed_lexicons
        self.doc_frequency = doc_frequency
        self.doc_count = doc_count
        self._cache: LRU[tuple[str, str], tuple[str, ...]] = LRU(50_000)

    @classmethod
    def from_term_lists(cls, lists: generations.TermLists) -> Compounds:
        """From the term lists a commit stored beside the index (no lexicon walk, no sorting)."""

        def frequency(lang: str, term: str) -> int:
            terms = lists.sorted.get(lang, [])
            i = bisect_left(terms, term)
            return int(lists.frequency[lang][i]) if i < len(terms) and terms[i] == term else 0

        return cls(lists.sorted, frequency, lists.reversed, doc_count=lists.doc_count)

    def has(self, lang: str, term: str) -> bool:
        """Whether ``term`` is in the index's ``lang`` text fields."""
        terms = self.sorted.get(lang, [])
        i = bisect_left(terms, term)
        return i < len(terms) and terms[i] == term

    def expand(self, lang: str, term: str) -> tuple[str, ...]:
        return self._cache.get((lang, term), lambda: self._expand(lang, term))

    def _expand(self, lang: str, term: str) -> tuple[str, ...]:
        if len(term) < 3 or lang not in self.sorted or not term.isalpha():
            return ()
        if self.doc_count and self.doc_frequency(lang, term) > COMPOUND_CAP_SHARE * self.doc_count:
            return ()
        candidates = _with_prefix(self.sorted[lang], term, self.SCAN_LIMIT)
        candidates += [t[::-1] for t in _with_prefix(self.reversed[lang], term[::-1], self.SCAN_LIMIT)]
        word_terms = fi_word_terms if lang == "fi" else sv_word_terms
        kept = []
        for candidate in set(candidates):
            if len(candidate) < len(term) + 3 or not candidate.replace("-", "").isalpha():
                continue
            parts = dict(word_terms(candidate))
            if parts.get(term, 1.0) < INDEX_MIN_BOOST:
                kept.append(candidate)
        kept.sort(key=lambda c: (-self.doc_frequency(lang, c), c))
        return tuple(kept[:MAX_COMPOUNDS])


def _with_prefix(terms: list[str], prefix: str, limit: int) -> list[str]:
    out = []
    i = bisect_left(terms, prefix)
    while i < len(terms) and terms[i].startswith(prefix) and len(out) < limit:
        out.append(terms[i])
        i += 1
    return out


def compounds_for(searcher: Any) -> Compounds:
    """The ``Compounds`` of the searcher's index generation, from the term lists stored at commit time
    (``generations.term_lists``; indexes written before them walk the lexicon once)."""
    return generations.cached("compounds", searcher, lambda: Compounds.from_term_lists(generations.term_lists(searcher)))


# --- queries -----------------------------------------------------------------------------------------


def _concepts(analyzer: Analyzer, text: str) -> list[Terms]:
    """Per query word, its weighted terms under ``analyzer`` (stop words dropped)."""
    if isinstance(analyzer, _WordAnalyzer):
        return [w.terms for w in analyzer.words(text) if not w.stop and w.terms]
    by_pos: dict[int, dict[str, float]] = {}
    for token in analyzer(text, positions=True, mode="query"):
        _add(by_pos.setdefault(token.pos, {}), token.text, 1.0)
    return [tuple(v.items()) for _, v in sorted(by_pos.items())]


def _phrase_concepts(analyzer: Analyzer, text: str) -> tuple[list[Terms], int]:
    """``_concepts`` of a quoted phrase plus the slop its dropped stop words leave: the index keeps a
    stop word's position ('uppföljningen av vårdgarantin' → positions 0 and 2), so the phrase's words
    stand that far apart in a page, never further."""
    if isinstance(analyzer, _WordAnalyzer):
        words = analyzer.words(text)
        positions = [i for i, w in enumerate(words) if not w.stop and w.terms]
        concepts = [words[i].terms for i in positions]
    else:
        by_pos: dict[int, dict[str, float]] = {}
        for token in analyzer(text, positions=True, mode="query"):
            _add(by_pos.setdefault(token.pos, {}), token.text, 1.0)
        positions = sorted(by_pos)
        concepts = [tuple(by_pos[p].items()) for p in positions]
    gaps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
    return concepts, max(gaps, default=1)


def _query_terms(analyzer: Analyzer, word: str, terms: Terms) -> Terms:
    """Query-side weights: the word's own terms at 1, its compound parts lower, plus suggestions."""
    out: dict[str, float] = {}
    for term, boost in terms:
        # Parts of a hyphenated query word ('RRP-rahoitus') are what the planner means; closed
        # compound parts are only a fallback.
        if boost >= HYPHEN_PART_BOOST:
            _add(out, term, min(boost, 1.0))
    if (
        isinstance(analyzer, FinnishAnalyzer)
        and analyzer.kind == "voikko"
        and word.isalpha()
        and len(word) >= 5
        and not fi_known(word)
    ):
        for suggestion in fi_suggestions(word):
            for term, boost in fi_word_terms(suggestion):
                if boost >= 1.0:
                    _add(out, term, SUGGESTION_BOOST)
    return tuple(out.items())


def _concept_query(fields: dict[str, float], terms: Terms, boost: float = 1.0) -> Query:
    return Or([Term(f, t, boost=fb * b * boost) for f, fb in fields.items() for t, b in terms])


def _field_analyzer(schema: Any, fields: dict[str, float], lang: str) -> Analyzer:
    for name in fields:
        if schema is not None and name in schema.names():
            return schema[name].analyzer
    return analyzer_for(lang)


def _concept_keys(analyzer: Analyzer, text: str) -> list[Any]:
    """Per query word of ``_concepts``, a key shared by the analyses of the same word in every language."""
    if isinstance(analyzer, _WordAnalyzer):
        return [w.start for w in analyzer.words(text) if not w.stop and w.terms]
    return [("pos", i) for i in range(len(_concepts(analyzer, text)))]


def _word_query(fields: dict[str, float], terms: Terms) -> Query:
    """One word in one language, scored by its best reading plus its hyphen parts.

    A word's base forms are alternative readings of one word ('tukee' → tuki / tukea / tukkia) and
    its lower-weight expansions (closed-compound parts, compounds containing it, spelling
    suggestions) are stand-ins for it: each competes alone (``DisjunctionMax``), so an ambiguous or
    productive common word never counts three or fifty times. The parts of a hyphenated word
    ('RRP-rahoitus' → rrp, rahoitus) are all meant, so they add up on top.
    """
    if not READINGS_COMPETE:
        main = tuple((t, b) for t, b in terms if b >= 1.0)
        rest = [(t, b) for t, b in terms if b < 1.0]
        options = ([_concept_query(fields, main)] if main else []) + [_concept_query(fields, ((t, b),)) for t, b in rest]
        return options[0] if len(options) == 1 else DisjunctionMax(options) if options else NullQuery
    compete = (lambda b: True) if HYPHEN_PARTS_COMPETE else (lambda b: b >= 1.0 or b < HYPHEN_PART_BOOST)
    alternatives = [_concept_query(fields, ((t, b),)) for t, b in terms if compete(b)]
    parts = [] if HYPHEN_PARTS_COMPETE else [(t, b) for t, b in terms if HYPHEN_PART_BOOST <= b < 1.0]
    best = alternatives[0] if len(alternatives) == 1 else DisjunctionMax(alternatives) if alternatives else None
    if not parts:
        return best if best is not None else NullQuery
    summed = _concept_query(fields, tuple(parts))
    return summed if best is None else Or([best, summed])


def fi_components(word: str) -> tuple[str, ...]:
    """The base forms of a closed Finnish compound's components, in order ('lääkerobotit' → lääke,
    robotti; 'mielenterveyspalvelut' → mieli, terveys, palvelu), from voikko's first analysis that
    splits it; () for a simple, hyphenated or unknown word. Unlike the index terms, these do not
    overlap (no 'mielenterveys' beside 'mieli' and 'terveys'), so they can be required together."""
    for analysis in _voikko_analyze(word) if len(word) < 60 else []:
        wordbases = analysis.get("WORDBASES", "")
        if "+-" in wordbases:
            return ()
        groups = _groups(wordbases)
        if len(groups) > 1:
            return tuple(base for _, base in groups)
    return ()


def _parts_fallback(fields: dict[str, float], terms: Terms, compounds: Compounds | None, lang: str,
                    word: str = "") -> Query | None:
    """A compound as all of its parts together, each in any compound of its own ('äldreomsorgen' →
    äldre AND omsorg…, 'lääkerobotit' → lääke AND robotti…): pages that write the same thing split
    differently ('robotti annostelee lääkkeet', 'omsorg om äldre'). At ``PART_FALLBACK`` per part
    when no page uses the compound itself; at ``PART_FALLBACK_INDEXED`` beside it when some do
    (``PARTS_BESIDE_COMPOUND``), so the compound's own pages stay first. Finnish parts are voikko's
    non-overlapping components (``fi_components``), Swedish ones the lexicon split; a broad part
    (on more than ``COMPOUND_CAP_SHARE`` of the pages) matches only itself, not its compounds.
    None when a part is on no page. Measured on dev (README, round 5): the Finnish fallback moves
    no judged query (none of them uses a compound absent from the pages); beside an indexed
    compound (at 0.25) the parts lowered dev recall 0.951 → 0.926, so that stays off."""
    if compounds is None:
        return None
    indexed = any(compounds.has(lang, t) for t, b in terms if b >= 1.0)
    if indexed and not PARTS_BESIDE_COMPOUND:
        return None
    if lang == "fi":
        if not FI_PARTS_FALLBACK or not word:
            return None
        parts = list(fi_components(word.lower()))
    else:
        parts = [t for t, b in terms if b < 1.0]
    if len(parts) < 2:
        return None
    weight = PART_FALLBACK_INDEXED if indexed else PART_FALLBACK
    queries = []
    for part in parts:
        options = ((part, weight),) if compounds.has(lang, part) else ()
        options += tuple((c, weight * COMPOUND_BOOST) for c in compounds.expand(lang, part))
        if not options:
            return None
        queries.append(_word_query(fields, options))
    return And(queries)


def concept_queries(
    text: str,
    schema: Any,
    lang: str | None = None,
    glossary: bool = True,
    compounds: Compounds | None = None,
) -> list[Query]:
    """One query per concept (query word) of ``text``: the word as analysed in each language's fields
    and its glossary translations, scored by the best of them (``DisjunctionMax``). Summing the
    concepts, a page ranks by how many of the planner's words it covers and how rare they are, not
    by how many surface variants of one common word it repeats."""
    text = cap_query(text)
    langs = [lang] if lang in FIELDS else list(FIELDS)
    groups: dict[Any, list[Query]] = {}
    for code in langs:
        fields = FIELDS[code]
        analyzer = _field_analyzer(schema, fields, code)
        keys = _concept_keys(analyzer, text)
        fallbacks: list[Query | None] = []
        if isinstance(analyzer, _WordAnalyzer):
            words = [w for w in analyzer.words(text) if not w.stop and w.terms]
            concepts = [_query_terms(analyzer, w.text, w.terms) for w in words]
            fallbacks = [_parts_fallback(fields, w.terms, compounds, code, w.text) for w in words]
            if compounds is not None:
                concepts = [_with_compounds(terms, compounds, code) for terms in concepts]
        else:
            concepts = _concepts(analyzer, text)
        for i, (key, terms) in enumerate(zip(keys, concepts, strict=True)):
            groups.setdefault(key, []).append(_word_query(fields, terms))
            if i < len(fallbacks) and fallbacks[i] is not None:
                groups[key].append(fallbacks[i])
        if not glossary:
            continue
        target = (compounds, code) if compounds is not None else None
        for other in FIELDS:
            source = _field_analyzer(schema, FIELDS[other], other)
            if other != code:
                for key, clause in _translations(source, other, text, analyzer, fields, target):
                    groups.setdefault(key, []).append(clause)
            elif SYNONYM_BOOST:
                for key, clause in _translations(source, other, text, analyzer, fields, target,
                                                 _synonyms(source, code), SYNONYM_BOOST):
                    groups.setdefault(key, []).append(clause)
            if ENGLISH_BOOST and other == code:
                for key, clause in _english(text, analyzer, fields, code, target):
                    groups.setdefault(key, []).append(clause)
            if REGISTRY_BOOST:
                table = _registry(source, other, code)
                for key, clause in _translations(source, other, text, analyzer, fields, target, table,
                                                 REGISTRY_BOOST):
                    groups.setdefault(key, []).append(clause)
    out = []
    for parts in groups.values():
        seen: set[str] = set()
        parts = [p for p in parts if p is not NullQuery and not (repr(p) in seen or seen.add(repr(p)))]
        if parts:
            out.append(parts[0] if len(parts) == 1 else DisjunctionMax(parts))
    return out


MAX_QUERY_CHARS = 1000  # a query longer than this is cut (at a word boundary)
MAX_QUERY_WORD = 60  # longer "words" are cut: the longest real compounds are ~50 characters
_LONG_WORD = re.compile(rf"\S{{{MAX_QUERY_WORD + 1},}}")


def cap_query(text: str) -> str:
    """The query with bounded size, so analysis, compound lookup and did-you-mean stay fast.

    A 30,000-character single word took 25 s and 950 MB before; the library cuts it, not only the web.
    """
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        text = cut.rsplit(None, 1)[0] if " " in cut.strip() else cut
    return _LONG_WORD.sub(lambda m: m.group(0)[:MAX_QUERY_WORD], text)


LANGUAGE_MARGIN = 3  # a word belongs to a language whose pages use it this many times more often


def query_language(
    text: str, schema: Any, compounds: Compounds, reader: Any = None
) -> str | None:
    """'sv' or 'fi' when every indexed word of the query is mostly a word of that language's pages
    (a Swedish query: 'hemvården'; a Swedish name quoted on a Finnish page does not change that),
    else None (mixed queries, names and acronyms both languages use). ``reader`` (the caller's live
    one) counts document frequencies: the ``Compounds`` of a generation may outlive its reader."""

    def frequency_of(code: str, term: str) -> int:
        if reader is None:
            return compounds.doc_frequency(code, term)
        return max(reader.doc_frequency(name, term) for name in FIELDS[code] if name in schema.names())

    langs: set[str] = set()
    for code in FIELDS:
        analyzer = _field_analyzer(schema, FIELDS[code], code)
        if not isinstance(analyzer, _WordAnalyzer):
            return None
    words = _words(text)
    for word, _, _ in words:
        frequency = {}
        for code in FIELDS:
            analyzer = _field_analyzer(schema, FIELDS[code], code)
            mains = [t for t, b in _word_terms(word, code, analyzer.kind) if b >= 1.0]
            frequency[code] = max((frequency_of(code, t) for t in mains if compounds.has(code, t)), default=0)
        (first, df_first), (_, df_second) = sorted(frequency.items(), key=lambda kv: -kv[1])
        if df_first == 0:
            continue  # unknown word: says nothing
        if df_first < LANGUAGE_MARGIN * df_second:
            return None  # a word both languages' pages use (RRP, Kainuu, KATI)
        langs.add(first)
    return langs.pop() if len(langs) == 1 else None


def build_query(
    text: str,
    schema: Any,
    lang: str | None = None,
    glossary: bool = True,
    compounds: Compounds | None = None,
) -> Query:
    """The planner's words as a query over the per-language fields (all languages unless ``lang``).

    Each word is analysed by each language's field analyzer and matched in that language's fields;
    glossary translations of the words (fi→sv, sv→fi) are added to the other language's fields at
    ``TRANSLATION_BOOST``. With ``lang`` only that language's fields are searched, but translations
    into it still count, so a Finnish query with ``lang='sv'`` finds Swedish pages. With
    ``compounds`` (the index's, see ``compounds_for``) each word also reaches the compounds it is a
    part of, at ``COMPOUND_BOOST``. The result is an ``Or`` of ``concept_queries``.
    """
    text = cap_query(text)
    concepts = concept_queries(text, schema, lang, glossary, compounds)
    return Or(concepts) if concepts else NullQuery


def _with_compounds(terms: Terms, compounds: Compounds, lang: str) -> Terms:
    out = dict(terms)
    for term, boost in terms:
        if boost >= INDEX_MIN_BOOST:
            for compound in compounds.expand(lang, term):
                _add(out, compound, COMPOUND_BOOST * boost)
    return tuple(out.items())


def _translations(
    source: Analyzer,
    source_lang: str,
    text: str,
    target: Analyzer,
    target_fields: dict[str, float],
    compounds: tuple[Compounds, str] | None = None,
    table: dict[tuple[str, ...], list[str]] | None = None,
    boost: float = TRANSLATION_BOOST,
) -> Iterable[tuple[Any, Query]]:
    """Glossary matches of the query (analysed as ``source_lang``) as queries in the target fields,
    each with the key of the query word it starts at (its character offset; a position without
    word offsets). ``table`` replaces the glossary (the funder/programme registry's names). With
    ``TRANSLATION_PER_WORD`` a translation's words share ``boost``, so a three-word translation
    weighs like one word ('kestävän kasvun ohjelma' outranked the pages that say 'RRP' itself).

    Longest match first over the query's words, so 'psykisk hälsa' wins over 'hälsa'.
    """
    table = _glossary(source, source_lang) if table is None else table
    concepts = _concepts(source, text)
    starts = _concept_keys(source, text)
    i = 0
    longest = max((len(k) for k in table), default=1)
    while i < len(concepts):
        matched = 0
        for n in range(min(longest, len(concepts) - i), 0, -1):
            window = concepts[i : i + n]
            candidates = {
                tuple(choice) for choice in _key_choices([[t for t, b in c if b >= 1.0] for c in window])
            }
            for key in candidates:
                for translation in table.get(key, ()):
                    clause = _translation_clause(target, target_fields, translation, compounds, boost)
                    if clause is None:
                        continue
                    yield starts[i], clause
                    matched = n
            if matched:
                break
        i += matched or 1


def _translation_clause(
    target: Analyzer,
    target_fields: dict[str, float],
    translation: str,
    compounds: tuple[Compounds, str] | None,
    boost: float,
) -> Query | None:
    """One translation as a query in the target fields (None when it has no indexable word)."""
    words = _concepts(target, translation)
    if not words:
        return None
    mains = [_main(w) for w in words]
    if compounds is not None:
        mains = [_with_compounds(m, *compounds) for m in mains]
    share = boost / len(mains) if TRANSLATION_PER_WORD else boost
    parts = [_concept_query(target_fields, m, share) for m in mains]
    return parts[0] if len(parts) == 1 else And(parts)


@lru_cache(maxsize=1)
def _english_table() -> dict[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """English word sequence (casefolded) → {'fi': terms, 'sv': terms} from ``data/glossary_en.tsv``;
    a line without both translations is reported once on stderr and skipped."""
    table: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
    for line in _data_lines("glossary_en.tsv"):
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 3 or not all(cols[:3]):
            print(f"glossary_en.tsv: skipped line without English, Finnish and Swedish: {line!r}", file=sys.stderr)
            continue
        entry = table.setdefault(tuple(cols[0].casefold().split()), {"fi": (), "sv": ()})
        for code, term in (("fi", cols[1]), ("sv", cols[2])):
            if term not in entry[code]:
                entry[code] = (*entry[code], term)
    return table


def _english_forms(word: str) -> tuple[str, ...]:
    """The word casefolded, and its singular when it looks like an English plural ('services', 'studies')."""
    w = word.casefold()
    if len(w) > 4 and w.endswith("ies"):
        return (w, w[:-3] + "y")
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return (w, w[:-1])
    return (w,)


def _english(
    text: str, target: Analyzer, target_fields: dict[str, float], code: str,
    compounds: tuple[Compounds, str] | None = None,
) -> Iterator[tuple[Any, Query]]:
    """English words of the query (longest sequence first) as their ``code`` translations, keyed by
    the word's character offset like every other analysis of that word (word analyzers only)."""
    if not isinstance(target, _WordAnalyzer):
        return
    table = _english_table()
    longest = max((len(k) for k in table), default=1)
    words = _words(text)
    i = 0
    while i < len(words):
        matched = 0
        for n in range(min(longest, len(words) - i), 0, -1):
            for key in _key_choices([list(_english_forms(w)) for w, _, _ in words[i : i + n]]):
                entry = table.get(tuple(key))
                if not entry:
                    continue
                for translation in entry[code]:
                    clause = _translation_clause(target, target_fields, translation, compounds, ENGLISH_BOOST)
                    if clause is not None:
                        yield words[i][1], clause
                matched = n
                break
            if matched:
                break
        i += matched or 1


def _main(terms: Terms) -> Terms:
    """A translation's main terms only: parts of a translated compound would drift too far."""
    return tuple((t, b) for t, b in terms if b >= 1.0) or terms[:1]


def _key_choices(options: list[list[str]]) -> Iterator[list[str]]:
    """Every combination of one main term per word (ambiguous base forms give several keys)."""
    if not options:
        yield []
        return
    for head in options[0][:3]:
        for rest in _key_choices(options[1:]):
            yield [head, *rest]


# --- operators: AND, OR, NOT and "quoted phrases" ------------------------------------------------------

_OPERATOR_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class ParsedQuery:
    """A planner's query with its operators taken out (CLI and web parse it the same way).

    ``text`` holds every positive word (phrases included) and ranks the hits; ``required`` are words
    or phrases a hit must contain (``a AND b``), ``phrases`` quoted texts a hit must contain as
    consecutive words in one language, ``excluded`` what it must not contain (``NOT x``). ``OR``
    between words is what plain words already do: any word matches, pages with more of them rank
    higher. Operators are recognised only in capitals; lower-case 'and', 'or', 'not' are words.
    """

    text: str
    required: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def has_operators(self) -> bool:
        return bool(self.required or self.phrases or self.excluded)


def parse_operators(text: str) -> ParsedQuery:
    """Split ``text`` into ranked words, required words (AND), phrases ("…") and excluded items (NOT)."""
    items: list[tuple[str, bool]] = []  # (text, is a phrase)
    ops: list[str | None] = []  # the operator before each item
    pending: str | None = None
    for match in _OPERATOR_TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if word in ("AND", "OR", "NOT"):
            pending = "AND NOT" if pending == "AND" and word == "NOT" else word
            continue
        value = (phrase if phrase is not None else word).strip()
        if not value:
            continue
        items.append((value, phrase is not None and len(value.split()) > 1))
        ops.append(pending)
        pending = None
    positive: list[str] = []
    required: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    for i, ((value, is_phrase), op) in enumerate(zip(items, ops, strict=True)):
        if op in ("NOT", "AND NOT"):
            excluded.append(value)
            continue
        positive.append(value)
        if is_phrase:
            phrases.append(value)
        elif op == "AND" or (i + 1 < len(ops) and ops[i + 1] == "AND"):
            required.append(value)
    return ParsedQuery(" ".join(positive), tuple(required), tuple(phrases), tuple(excluded))


def phrase_query(text: str, schema: Any, lang: str | None = None, glossary: bool = True) -> Query:
    """``text`` as consecutive words in the title or body of either language (or only ``lang``).

    Each language's analyzer reads the phrase (so inflected forms match: "kotona asumisen" finds
    'kotona asuminen'); a word with several base forms may match any of them. When the whole phrase
    is a glossary entry, its translation is searched as a phrase in the other language too.
    """
    from whoosh.query import Sequence

    text = cap_query(text)
    langs = [lang] if lang in FIELDS else list(FIELDS)
    clauses: list[Query] = []

    def add(code: str, words_text: str) -> None:
        analyzer = _field_analyzer(schema, FIELDS[code], code)
        concepts, slop = _phrase_concepts(analyzer, words_text)
        words = [_main(terms) for terms in concepts]
        if not words:
            return
        for field in FIELDS[code]:
            parts = [Or([Term(field, t) for t, _ in terms]) if len(terms) > 1 else Term(field, terms[0][0])
                     for terms in words]
            clauses.append(parts[0] if len(parts) == 1 else Sequence(parts, slop=slop))

    for code in langs:
        add(code, text)
        if not glossary:
            continue
        for other in FIELDS:
            if other == code:
                continue
            source = _field_analyzer(schema, FIELDS[other], other)
            for translation in _glossary(source, other).get(_key(source, text), ()):
                add(code, translation)
    return Or(clauses) if clauses else NullQuery


# Whoosh pickles the schema, analyzers included, into every index: an index written before
# the stage sub-packages names this module by its old path, which must keep resolving.
sys.modules.setdefault("hakemisto.analysis", sys.modules[__name__])
