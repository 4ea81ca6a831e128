"""Payers without a fixed name — the county, the towns, the state — found by their role in a clause.

The registry (``data/funding.toml``) names funders by phrase, and its county / town / state patterns
list the wordings pages were seen to use; a new wording ('Hyvinvointialue myönsi järjestöavustuksia',
'Försöket bekostas av Vasa stad', 'Hanke saa rahoitusta valtiolta') slipped through. Here an actor
word (``data/payers.toml``) pays when the clause makes it the payer: the subject of a paying verb, the
agent of a paying participle, the source of money, or the owner of the money used. Finnish reads the
pipeline's case and verb-form analysis; Swedish, without a tagger, reads the words around the actor.
A clause with a negation or a non-paying role of the actor ('ohjaa', 'arvioi', 'styr') names nobody.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Token

from hakemisto.core.prefilter import Literals
from hakemisto.facts.funding import registry_name

_BREAKS = frozenset({".", ",", ";", ":", "!", "?", "(", ")", "mutta", "men", "vaan", "\n"})
# a sum or a share: '35 000 euro', '20 %', '1,2 miljoonaa' (not a street number: 'Kirkkokatu 10')
_SUM = re.compile(r"\d[\d \u00a0.,]*\s*(?:€|e\b|eur|euro|%|prosent|procent|milj|mn|m€|tuhat|tusen)", re.I)


@dataclass(frozen=True)
class Payer:
    """One clause naming an actor as who pays: the actor's id and its characters in the text."""

    ident: str
    start: int
    end: int


@cache
def payer_vocab() -> dict[str, Any]:
    """``data/payers.toml``: actors by language, paying verbs and nouns, negations and roles."""
    return tomllib.loads(resources.files("hakemisto").joinpath("data/payers.toml").read_text("utf-8"))


@cache
def _actor_index(lang: str) -> tuple[dict[str, str], dict[str, str], tuple[tuple[str, str], ...]]:
    """(word → actor id, genitive word → actor id, (name, actor id) …) for ``lang``."""
    words: dict[str, str] = {}
    genitives: dict[str, str] = {}
    names: list[tuple[str, str]] = []
    for ident, entry in payer_vocab()["actors"].items():
        for w in entry.get(lang, ()):
            words.setdefault(w.lower(), ident)
        for w in entry.get(f"{lang}_gen", ()):
            genitives.setdefault(w.lower(), ident)
        for n in entry.get(f"{lang}_names", ()):
            names.append((n, ident))
            if lang == "sv":
                genitives.setdefault(n.lower() + "s", ident)  # 'ur Varhas budget'
    return words, genitives, tuple(sorted(names, key=lambda x: -len(x[0])))


@cache
def _prefilter(lang: str) -> Literals:
    """Cheap test that a text can name an actor at all (most pages do; a few long ones do not): the
    actors' stems as one ``prefilter.Literals`` trie, the project's one mechanism for such tests."""
    words, genitives, names = _actor_index(lang)
    stems = {w[:5] for w in (*words, *genitives)} | {n.split()[0][:5].lower() for n, _ in names}
    stems |= set(payer_vocab().get(lang, {}).get("prefilter_stems", ()))  # 'kunnilta', 'kaupungin', 'valtiolta'
    return Literals(stems)


def _clauses(doc: Doc, start: int, end: int) -> list[list[Token]]:
    """Tokens of ``doc`` between ``start`` and ``end`` split into clauses at punctuation and 'mutta' / 'men'."""
    out: list[list[Token]] = [[]]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    for t in span:
        if t.text.lower() in _BREAKS or t.is_space and "\n" in t.text:
            if out[-1]:
                out.append([])
            continue
        out[-1].append(t)
    return [c for c in out if c]


def find_payers(doc: Doc, lang: str, bounds: Sequence[tuple[int, int]], stop: int,
                text: str | None = None) -> list[Payer]:
    """Every clause before ``stop`` (the related-news block) naming the county, a town or the state as who
    pays, in the sentences ``bounds``. ``text``: ``doc.text`` when the caller has it (spaCy joins it
    from every token on each access)."""
    low = (doc.text if text is None else text).lower()
    prefilter = _prefilter(lang)
    if not prefilter.search(low, 0, stop):
        return []
    out: list[Payer] = []
    for s, e in bounds:
        if s >= stop:
            break
        if not prefilter.search(low, s, e):
            continue
        for clause in _clauses(doc, s, min(e, stop)):
            out.extend(_fi_clause(clause) if lang != "sv" else _sv_clause(clause))
    return out


def _fi_actor_of(lemma: str, text: str) -> str | None:
    """The actor a token names: its lemma an actor word, or its text a one-word short name with at most
    four letters of ending ('Eksoten')."""
    found = _actor_index("fi")[0].get(lemma)
    if found:
        return found
    for name, ident in _fi_names_by_initial().get(text[:1], ()):
        if text.startswith(name) and len(text) - len(name) <= 4:
            return ident
    return None


@cache
def _fi_names_by_initial() -> dict[str, tuple[tuple[str, str], ...]]:
    """The one-word short names by their first letter, longest first as in ``_actor_index``: a token
    is tested only against names it can start with (every name for every token was a third of
    ``_fi_clause``)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, ident in _actor_index("fi")[2]:
        if " " not in name:
            out.setdefault(name[:1], []).append((name, ident))
    return {k: tuple(v) for k, v in out.items()}


@cache
def _fi_name_pairs() -> dict[str, tuple[tuple[str, str], ...]]:
    """The two-word short names ('Siun sote', 'Oma Häme') by their first word: (second word in lower
    case, actor id), longest name first as in ``_actor_index``."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, ident in _actor_index("fi")[2]:
        parts = name.split()
        if len(parts) == 2:
            out.setdefault(parts[0], []).append((parts[1].lower(), ident))
    return {k: tuple(v) for k, v in out.items()}


_COLON_CASES = {"n": "Gen", "lta": "Abl", "ltä": "Abl", "lla": "Ade", "llä": "Ade", "sta": "Ela", "stä": "Ela", "": "Nom"}


def _colon_case(text: str) -> str:
    """The case of an abbreviation from its ending after the colon ('EU:lta' → Abl, 'STM:n' → Gen)."""
    return _COLON_CASES.get(text.partition(":")[2].lower(), "") if ":" in text else ""


def _fi_name_pair(clause: list[Token], i: int) -> str | None:
    """A two-word short name ('Siun sote', 'Oma Häme') starting at token ``i``."""
    if i + 1 >= len(clause):
        return None
    pairs = _fi_name_pairs().get(clause[i].text)
    if not pairs:
        return None
    second = clause[i + 1].text.lower()
    for rest, ident in pairs:
        if second.startswith(rest):
            return ident
    return None


def _fi_clause(clause: list[Token]) -> list[Payer]:
    v = payer_vocab()["fi"]
    lemmas = [t.lemma_.lower() for t in clause]
    # the actors first: most clauses of a page name none, and then no payer whatever their verbs say
    # (the morphology below is the costly part)
    actors: list[tuple[int, str, Token]] = []
    for i, t in enumerate(clause):
        ident = _fi_actor_of(lemmas[i], t.text)
        if ident is not None:
            actors.append((i, ident, t))
            continue
        ident = _fi_name_pair(clause, i)
        if ident is not None:
            actors.append((i, ident, clause[i + 1]))
    if not actors:
        return []
    if any(lem in v["negations"] for lem in lemmas):
        return []
    finite = [t.morph.get("VerbForm") == ["Fin"] for t in clause]
    if any(f and lem in v["roles"] for f, lem in zip(finite, lemmas, strict=True)):
        return []
    verbs, nouns = set(v["verbs"]), set(v["nouns"])
    out: list[Payer] = []
    for i, ident, head in actors:
        t = clause[i]
        case = _colon_case(head.text) or (head.morph.get("Case") or [""])[0]
        j = clause.index(head) + 1
        nxt = clause[j] if j < len(clause) else None
        if nxt is not None and nxt.lemma_.lower() == "oma" and j + 1 < len(clause):
            nxt = clause[j + 1]  # 'hyvinvointialueen omalla rahoituksella'
        paid = False
        if case == "Gen" and nxt is not None:
            nlem = nxt.lemma_.lower()
            generic = nxt.morph.get("Number") == ["Plur"] and nxt.morph.get("Case") != ["Nom"]
            if nlem in verbs and nxt.morph.get("PartForm") == ["Agt"] and not generic:
                paid = True  # 'Oulun kaupungin rahoittama' (not 'kokemusta valtion rahoittamista hankkeista')
            elif nlem in nouns and ((nxt.morph.get("Case") or [""])[0] in v["instrument_cases"]
                                    or nlem in v["money_any_case"]):
                paid = True  # 'valtion varoin', 'hyvinvointialueen rahoituksella', 'kaupungin budjetista'
        elif case == "Abl":
            # 'rahoitusta valtiolta', not 'haki valtiolta lisärahoitusta'
            paid = (any(lem in nouns or lem in verbs for lem in lemmas)
                    and not any(f and lem in v["asked"] for f, lem in zip(finite, lemmas, strict=True)))
        elif case == "Nom":
            paid = _fi_subject_pays(clause, clause.index(head), lemmas, finite)
        if paid:
            out.append(Payer(ident, t.idx, head.idx + len(head.text)))
    return out


def _fi_subject_pays(clause: list[Token], k: int, lemmas: list[str], finite: list[bool]) -> bool:
    """The actor at ``k`` is the subject of a paying verb in its clause ('Hyvinvointialue myönsi …',
    'Kokeilun rahoittaa Pohjois-Savon hyvinvointialue', 'Aluehallitus päätti rahoittaa …'), with no other
    finite verb (another predicate) in between."""
    v = payer_vocab()["fi"]
    verbs, need_sum, aux = set(v["verbs"]), set(v["verbs_need_sum"]), set(v["auxiliaries"])
    for j, t in enumerate(clause):
        if j == k or lemmas[j] not in verbs:
            continue
        form = t.morph.get("VerbForm")
        if form == ["Part"] and t.morph.get("PartForm") == ["Past"] and t.morph.get("Voice") != ["Pass"]:
            form = ["Inf"]  # 'Kunta on varannut …', 'Kaupunki on myöntänyt …': under 'olla' like an infinitive
        if form not in (["Fin"], ["Inf"]) or t.morph.get("Voice") == ["Pass"]:
            continue
        lo, hi = sorted((j, k))
        if lemmas[j] == "osallistua":
            if not any(lem.startswith(c) for lem in lemmas for c in v["cost_words"]):
                continue  # 'Kokeilun kustannuksiin osallistuvat myös alueen kunnat'
        elif lemmas[j] in need_sum and not _sum_after(clause, j, lemmas, v["cost_words"]):
            continue
        if any(finite[m] and lemmas[m] not in aux for m in range(lo + 1, hi)):
            continue
        if form == ["Inf"] and not any(finite[m] and lemmas[m] in aux for m in range(len(clause))):
            continue  # an infinitive pays only under 'päätti', 'on sitoutunut' …
        return True
    return False


def _sum_after(clause: list[Token], j: int, words: list[str], cost_words: Sequence[str]) -> bool:
    """A sum, a share or a cost word after the verb at ``j``, before another actor takes the clause over
    ('Välfärdsområdet står för personalen och staden bidrar med 35 000 euro': the sum is the town's)."""
    actors = set(_actor_index("fi")[0]) | set(_actor_index("sv")[0])
    end = next((m for m in range(j + 1, len(clause)) if words[m] in actors), len(clause))
    tail = clause[j + 1:end]
    if not tail:
        return False
    piece = clause[0].doc.text[tail[0].idx:tail[-1].idx + len(tail[-1].text)]
    return bool(_SUM.search(piece)) or any(w.startswith(c) for w in words[j + 1:end] for c in cost_words)


def _funder_span_before(clause: list[Token], j: int) -> bool:
    """A named funder (the registry matcher's span) stands in the clause before token ``j``: the subject
    ('Social- och hälsovårdsministeriet har beviljat Soite …' — Soite receives)."""
    if j <= 0:
        return False
    doc = clause[0].doc
    lo, hi = clause[0].idx, clause[j].idx
    return any(lo <= sp.start_char < hi for sp in doc.spans.get("hakemisto_funding", ()) if sp.label_ == "FUNDER")


def _sv_clause(clause: list[Token]) -> list[Payer]:
    v = payer_vocab()["sv"]
    words = [t.text.lower() for t in clause]
    if any(w in v["negations"] for w in words):
        return []
    if any(w in v["roles"] for w in words):
        return []
    actors, genitives, names = _actor_index("sv")
    name_ids = dict(names)
    verbs, need_sum, passives = set(v["verbs"]), set(v["verbs_need_sum"]), set(v["passives"])
    nouns, fillers = set(v["nouns"]), set(v["fillers"])
    out: list[Payer] = []
    for k, w in enumerate(words):
        ident = actors.get(w) or name_ids.get(w)
        gen = genitives.get(w)
        if w in ("stad", "kommun", "stads", "kommuns") and not (k and clause[k - 1].text[:1].isupper()):
            continue  # 'Vasa stad', not 'en stad'
        start = clause[k - 1].idx if w in ("stad", "kommun", "stads", "kommuns") else clause[k].idx
        end = clause[k].idx + len(clause[k].text)
        paid = False
        if ident:
            j = k + 1
            while j < len(words) and words[j] in fillers:
                j += 1
            if j < len(words) and words[j] in verbs and (
                    words[j] not in need_sum or _sum_after(clause, j, words, v["cost_words"])):
                paid = True  # 'Staden finansierar', 'Välfärdsområdet har beviljat'
            m = k + 1
            while m < len(words) and words[m] in v["deciders"]:
                m += 1
            if m > k + 1 and m < len(words) and words[m] in v["infinitives"]:
                paid = True  # 'Områdesstyrelsen beslutade att finansiera'
            named_before = any(x in actors or x in name_ids or registry_name("funder", clause[m].text)
                               for m, x in enumerate(words[:max(k - 1, 0)])) or _funder_span_before(clause, k - 1)
            if k and words[k - 1] in verbs and not named_before and (words[k - 1] not in need_sum or any(
                    c in x for x in words for c in v["cost_words"])):
                # ('SHM har beviljat Soite 420 000 euro': Soite after a named subject receives)
                paid = True  # 'I år finansierar välfärdsområdet …', 'Vikariekostnaderna betalar Soite själv'
            before = words[k - 2] if w in ("stad", "kommun") and k >= 2 else (words[k - 1] if k else "")
            at = k - 2 if w in ("stad", "kommun") else k - 1
            if before == "av" and any(x in passives for x in words[max(0, at - 3):at]):
                paid = True  # 'Försöket bekostas (helt) av Vasa stad', not '… och leds av Barcelonas stad'
            if before == "från" and any(x in nouns for x in words):
                paid = True  # 'stöd från staten'
        if gen:
            ident = gen
            nxt = words[k + 1] if k + 1 < len(words) else ""
            if nxt in ("egna", "egen") and k + 2 < len(words):
                nxt = words[k + 2]
            prep = words[k - 1] if k else ""
            if nxt in nouns and (nxt not in v["owned_only_after"] or prep in v["money_prepositions"]):
                paid = True  # 'statens medel', 'ur Varhas budget' (not 'Soites budget … är 3,2 miljoner euro')
        if paid and ident:
            out.append(Payer(ident, start, end))
    return out
