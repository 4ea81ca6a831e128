"""What a sum of money is: granted, applied, budget, cost, pool or other — and which sums are parts.

A regional total may add only granted money, never a national pot, a budget beside its own state
share, or an application beside the later grant (shared/gold/README.md, "Amount roles"). The role is
read from the sum's own clause first (the nearest cue word wins, a strong cue — a verb or a label
such as 'myönnettiin', 'haettu', 'kokonaisbudjetti' — beats a weak one such as 'rahoitus'), then from
a label line right above it, then from what the page as a whole speaks of (a ministry release that
announces grants, a board minute that decides to apply). Cue words are data (``data/roles.toml``).
This module is pure: text and offsets in, roles and part links out.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from hakemisto.core.model import AMOUNT_ROLES
from hakemisto.core.prefilter import Literals, Scan, scan
from hakemisto.facts.tables import SEP, cell_at, column_header, is_data_row, table_rows

# Dashes are no clause breaks: project names carry them ('Prima Botnia – Hyvinvoiva Pohjanmaa'); nor
# is 'ja' / 'och', which joins nouns as often as clauses (a cue near another sum is that sum's anyway).
_CLAUSE_BREAK = re.compile(r",\s|;\s|:\s|\n")
_LABEL_MAX_WORDS = 6
_LEAD_MAX_WORDS = 8
# A sentence ending in a colon right above a list is the list's lead-in up to this length ('Ministeriö
# on rahoittanut alueiden hankkeita yhteensä 1,7 miljoonalla eurolla vuosille 2025–2026:').
_LEAD_IN_MAX_WORDS = 18
_LIST_MAX_LINES = 15
# How near (characters) a scope cue ('koko maassa', '24 projekt') must stand to make a grant a pot.
SCOPE_REACH = 150


# Counts written as words ('kahdeksalle hankkeelle', 'åtta projekt'), for the '#' of cue phrases.
# Digits: one to three — a four-digit number is a year ('vuonna 2023 Kainuun hyvinvointialueelle').
_NUMBER_WORDS = (r"kaksi|kolme|neljä|viisi|kuusi|kahdelle|kolmelle|neljälle|viidelle|kuudelle|seitsemälle"
                 r"|kahdeksalle|yhdeksälle|kymmenelle|kahteen|kolmeen|neljään|viiteen|kuuteen|seitsemään"
                 r"|kahdeksaan|yhdeksään|kymmeneen|kahta|kolmea|neljää|viittä|kuutta|seitsemää|kahdeksaa"
                 r"|yhdeksää|kymmentä|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv")


_WORD_START = r"(?<!\w)"


@dataclass(frozen=True)
class Cue:
    """One cue word (or phrase) found in a text: where, which role, and how strongly it speaks."""

    start: int
    end: int
    role: str
    strong: bool
    spec: int = 0  # how specific the cue is: exact words beat wildcards, longer stems shorter ones


# Internal cue roles: a partner's own money (budget inside a project, else other: ``resolve_partner``)
# and words that only cover a cue word without speaking of the sum (dropped after covering).
PARTNER = "partner"
NEUTRAL = "none"


@cache
def vocab() -> dict:
    return tomllib.loads(resources.files("hakemisto").joinpath("data/roles.toml").read_text("utf-8"))


def _word_pattern(phrase: str) -> str:
    parts = []
    for word in phrase.lower().split():
        if word == "#":  # a number and up to two words ('24 nya gränsöverskridande projekt')
            # never the tail of a bigger number ('1 435 050 euroa neljälle hankkeelle')
            parts.append(rf"(?:(?<![\d.,])(?<!\d\s)\d{{1,3}}(?![\d.,]\d)|{_NUMBER_WORDS})(?:\s+[\w-]+){{0,2}}?")
        elif word == "?":  # any one word ('maksaa Jämsän kaupunki' for 'maksaa ? kaupunki')
            parts.append(r"[\w-]+")
        elif word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w-]*")
        elif word.startswith("*"):  # the end of a compound ('kotoutumishanketta' for '*hanketta')
            parts.append(r"[\w-]*" + re.escape(word[1:]) + r"(?![\w-])")
        else:
            parts.append(re.escape(word) + r"(?![\w-])")
    return _WORD_START + r"\s+".join(parts)


def _words_pattern(phrases: Sequence[str]) -> str:
    """The phrases' ``_word_pattern``s as one alternation, in the same order, with the word-start test
    they all begin with said once before it: the same matches, but ``re`` tests it once per position
    rather than once per phrase, and most positions are inside a word (10–20× faster scans of a
    sentence for the part, funder and scope words)."""
    if not phrases:
        return ""
    return _WORD_START + "(?:" + "|".join(_word_pattern(p)[len(_WORD_START):] for p in phrases) + ")"


@cache
def _cue_phrases() -> tuple[tuple[str, bool, str], ...]:
    """(role, strong, phrase) of every cue in the vocabulary, in a fixed order."""
    out = []
    v = vocab()
    for role in AMOUNT_ROLES:
        table = v.get(role, {})
        for strong in (True, False):
            kind = "strong" if strong else "weak"
            for word in sorted({*table.get(f"{kind}_fi", ()), *table.get(f"{kind}_sv", ())}):
                out.append((role, strong, word))
    for word in sorted({*v["partner"]["strong_fi"], *v["partner"]["strong_sv"]}):
        out.append((PARTNER, True, word))
    for word in sorted({*v["neutral"]["fi"], *v["neutral"]["sv"]}):
        out.append((NEUTRAL, False, word))
    return tuple(out)


@cache
def _cue_patterns() -> tuple[tuple[str, bool, int, re.Pattern[str]], ...]:
    """(role, strong, specificity, pattern) per cue: of two cues over the same words the more specific
    wins — an exact word beats a wildcard ('haettavissa' is a pool, 'haettava*' an application), a
    longer stem a shorter one ('myönnettävä*' is a call's rule, 'myönn*' a grant)."""
    return tuple((role, strong, _spec(word), re.compile(_word_pattern(word))) for role, strong, word in _cue_phrases())


def _spec(word: str) -> int:
    return len(word) + (0 if "*" in word else 1000)


@cache
def _scope_pattern() -> re.Pattern[str]:
    words = [*vocab()["pool"]["scope_fi"], *vocab()["pool"]["scope_sv"]]
    return re.compile(_words_pattern(sorted(words, key=len, reverse=True)))


@cache
def _part_pattern() -> re.Pattern[str]:
    words = [*vocab()["parts"]["fi"], *vocab()["parts"]["sv"]]
    return re.compile(_words_pattern(sorted(words, key=len, reverse=True)))


def _literal_start(phrase: str) -> str:
    """Text every match of the cue ``phrase`` contains: its first word without the wildcard ('' for a
    number placeholder), so a page without it skips that cue's regex."""
    first = phrase.lower().split()[0]
    return "" if first == "#" else first.strip("*")


def _scan_pattern(phrase: str) -> re.Pattern[str]:
    """``_word_pattern(phrase)`` with its literal first: '(?<!\\w)myönn[\\w-]*' becomes
    'myönn(?<!\\wmyönn)[\\w-]*' — the same matches (the look-behind after the literal asks the same
    of the character before it), but a pattern that starts with a literal lets ``re`` jump between its
    occurrences instead of trying the look-behind at every position of the page (a scan of a 3,000-
    character page per cue was ~170 µs; most of ``page_role``). Placeholders and '*word' stay as they are."""
    pattern = _word_pattern(phrase)
    first = phrase.lower().split()[0]
    literal = first.rstrip("*")
    head = _WORD_START + re.escape(literal)
    if first == "#" or first.startswith("*") or not literal or not pattern.startswith(head):
        return re.compile(pattern)
    return re.compile(re.escape(literal) + rf"(?<!\w{re.escape(literal)})" + pattern[len(head):])


_CueScan = tuple[tuple[int, str, bool, int, re.Pattern[str]], ...]


@cache
def _cue_scan() -> tuple[tuple[str, _CueScan], ...]:
    """The cue patterns grouped by ``_literal_start``: one substring test per group, then only the
    patterns whose literal occurs in the text run (a page holds few of the ~400 cues; one regex scan
    of the whole page per cue was 12 % of the extraction workers' time)."""
    groups: dict[str, list[tuple[int, str, bool, int, re.Pattern[str]]]] = {}
    for n, (role, strong, phrase) in enumerate(_cue_phrases()):  # ``_cue_patterns``' order, not compiled twice
        groups.setdefault(_literal_start(phrase), []).append((n, role, strong, _spec(phrase), _scan_pattern(phrase)))
    return tuple((literal, tuple(cues)) for literal, cues in groups.items())


# Literals this long index their groups by where they start in a text (shorter ones, 'on', 'i', 'ur',
# occur in most words and are cheaper to find by their own pattern's scan).
_INDEXED_MIN = 3


_CueTests = tuple[tuple[int, str, bool, int, Scan], ...]


@cache
def _cue_index() -> tuple[Literals, dict[str, _CueScan], tuple[tuple[str, _CueTests], ...]]:
    """The groups whose patterns can only match where their literal starts a word (every pattern
    starts with ``(?<!\\w)``), by that literal, with one ``prefilter.Literals`` scan that finds where
    each of them starts in a text; and the rest (short literals, '*word' cues, placeholders), whose
    literal is tested on every text and whose patterns scan it after their own ``prefilter.Scan``
    test (the other words of 'on saanut', 'i enlighet med': the short literals are in most lines).
    A page then runs each indexed pattern only at the words its literal starts (one scan of the page
    per cue group was most of ``find_cues``)."""
    indexed: dict[str, _CueScan] = {}
    always: list[tuple[str, _CueTests]] = []
    for literal, cues in _cue_scan():
        anchored = all(p.pattern.startswith(re.escape(literal)) for *_, p in cues)
        if anchored and len(literal) >= _INDEXED_MIN:
            indexed[literal] = cues
        else:
            always.append((literal, tuple((n, role, strong, spec, scan(p.pattern)) for n, role, strong, spec, p in cues)))
    return Literals(indexed, word_start=True), indexed, tuple(always)


def find_cues(text: str) -> list[Cue]:
    """Every role cue in ``text``; a cue inside a longer cue of another role is dropped."""
    return list(_find_cues(text))


@lru_cache(maxsize=4096)
def _find_cues(text: str) -> tuple[Cue, ...]:
    """``find_cues``, remembered per text: the roles of every sum of a sentence ask about the same
    sentence, and a page's lines and cells repeat (one scan per distinct text)."""
    low = text.lower()
    literals, indexed, always = _cue_index()
    hits = [(n, Cue(m.start(), m.end(), role, strong, spec))
            for literal, cues in always if literal in low
            for n, role, strong, spec, test in cues for m in test.finditer(low)]
    for literal, starts in literals.starts(low).items():
        for n, role, strong, spec, pattern in indexed[literal]:
            end = 0  # what ``finditer`` does: the next match is looked for after the last one
            for at in starts:
                if at >= end and (m := pattern.match(low, at)):
                    hits.append((n, Cue(at, m.end(), role, strong, spec)))
                    end = m.end()
    hits.sort(key=lambda hit: hit[0])  # cue order, as one scan per cue gave them (ties keep it)
    found = [cue for _, cue in hits]
    kept = []
    for c in found:
        covered = any(o is not c and o.start <= c.start and c.end <= o.end
                      and ((o.end - o.start) > (c.end - c.start) or o.spec > c.spec)
                      for o in found)
        if not covered and c.role != NEUTRAL:
            kept.append(c)
    return tuple(sorted(kept, key=lambda c: c.start))


def _clause_index(text: str, pos: int) -> int:
    """Which clause of ``text`` the offset ``pos`` falls in (clauses end at , ; : ( ) and dashes)."""
    return bisect_right(_clause_ends(text), pos)


@lru_cache(maxsize=4096)
def _clause_ends(text: str) -> tuple[int, ...]:
    """Where the clauses of ``text`` end, in order: a sum's role asks for the clause of every cue and
    sum of its sentence, and each question scanned the sentence again."""
    return tuple(m.end() for m in _CLAUSE_BREAK.finditer(text))


@lru_cache(maxsize=4096)
def _part_breaks(text: str) -> tuple[int, ...]:
    """Where 'josta …' / 'varav …' parts start (remembered: asked once per sum of a sentence)."""
    return tuple(m.start() for m in _part_pattern().finditer(text.lower()))


def _gap(c: Cue, start: int, end: int) -> int:
    return start - c.end if c.end <= start else c.start - end if c.start >= end else 0


def cue_role(sentence: str, start: int, end: int,
             others: Sequence[tuple[int, int]] = ()) -> tuple[str, bool] | None:
    """The role the cues of ``sentence`` give the sum at ``sentence[start:end]`` and whether the cue
    was strong; None when the sentence has no cue.

    A cue nearer to another sum of the sentence (``others``) is that sum's ('josta valtionavustusta
    2,4 M€ ja omarahoitusta 0,6 M€'), unless no cue is nearer to this one ('myönsi Kainuulle 1 M€ ja
    Lapille 2 M€'). A 'josta …' / 'varav …' part speaks only of itself; within it (or the rest of the
    sentence) a cue in the sum's own clause beats one in another clause, a strong cue beats a weak
    one, and the nearer cue beats the farther one.
    """
    cues = [c for c in find_cues(sentence) if (c.end <= start or c.start >= end) and not _share_of_whole(sentence, c)]
    others = [o for o in others if o != (start, end)]
    breaks = _part_breaks(sentence)
    found = _best_cue(sentence, start, end, cues, others, breaks)
    if found is None or found[0] == "granted" or not found[1]:
        lo = max((b for b in breaks if b < start), default=0)
        hi = min((b for b in breaks if b > end), default=len(sentence))
        low = sentence.lower()
        for m in _scope_pattern().finditer(low, max(lo, start - SCOPE_REACH), min(hi, end + SCOPE_REACH)):
            if _scope_of_another(sentence, m.start(), m.end(), start, end, others):
                continue
            if m.end() <= start or m.start() >= end:
                # 'koko maassa', '21 hyvinvointialueelle', 'till välfärdsområdena' near a grant (or a sum
                # with only a weak cue: 'reserverat 15 miljoner euro för hela landet'): money for the
                # whole country or many recipients is a pot, whatever verb hands it out (an application
                # stays an application: 'genomförs i alla välfärdsområden och … ansöker om')
                return "pool", True
    return found


_PERCENT_BEFORE = re.compile(r"\d\s*(?:%|prosent\w*|procent\w*)\s+(?:[\w-]+\s+){0,2}$")


def _share_of_whole(sentence: str, c: Cue) -> bool:
    """A budget or cost word right after a percentage names the whole the sum is a share of, not the
    sum: 'AIKO-rahoitusta 18 848 € (50 % kokonaiskustannuksista)', '80 prosenttia hankkeen
    budjetista eli 640 000 euroa' are grants."""
    return c.role in ("budget", "cost") and bool(_PERCENT_BEFORE.search(sentence[:c.start].lower()))


def _scope_of_another(sentence: str, c_start: int, c_end: int, start: int, end: int,
                      others: Sequence[tuple[int, int]]) -> bool:
    """Whether the scope cue at ``sentence[c_start:c_end]`` speaks of another sum: it stands in another
    clause than this sum, and that clause has a sum of its own ('Kainuulle myönnettiin 640 000 euroa,
    kun koko maan hyvinvointialueille jaettiin 18 miljoonaa euroa': the country is the 18 M€'s scope).
    Sums of one clause share its scope ('hyvinvointialueille 3 M€ vuonna 2024 ja 4 M€ vuonna 2025')."""
    clause = _clause_index(sentence, c_start)
    if clause == _clause_index(sentence, start):
        return False
    return any(_clause_index(sentence, o[0]) == clause for o in others)


def _part_between(breaks: Sequence[int], c: Cue, other: tuple[int, int]) -> bool:
    """Whether a part word stands between the cue and the other sum."""
    lo, hi = (other[1], c.start) if other[1] <= c.start else (c.end, other[0])
    return any(lo <= b < hi for b in breaks)


def _best_cue(sentence: str, start: int, end: int, cues: list[Cue], others: Sequence[tuple[int, int]],
              breaks: Sequence[int]) -> tuple[str, bool] | None:
    if not cues:
        return None
    # a cue belongs to the nearest sum, but a part word between them ends the other sum's claim
    # ('… 1,3 miljoonaa euroa, josta haetaan valtionavustusta 1 miljoona euroa': 'haetaan' is the part's)
    own_cues = [c for c in cues if all(_gap(c, start, end) <= _gap(c, *o) or _part_between(breaks, c, o)
                                       for o in others)]
    all_cues, cues = cues, own_cues or cues
    own = _clause_index(sentence, start)
    own_part = sum(1 for b in breaks if b < start)

    def key(c: Cue) -> tuple[int, int, int, int]:
        same_part = sum(1 for b in breaks if b < c.start) == own_part
        same_clause = _clause_index(sentence, c.start) == own
        return (int(same_part), int(same_clause), int(c.strong), -_gap(c, start, end))

    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence) if m.end() <= start), default=0)
    if own and not any(_clause_index(sentence, c.start) == own for c in cues) \
            and _RESTATES.match(sentence[clause_start:start]):
        # 'ESR+ ja valtio rahoittavat 80 prosenttia, det vill säga 1,16 miljoner euro; …': a sum restating
        # the clause before it (a share in euros) is what that clause's verb — its first strong cue — says
        before = [c for c in cues if _clause_index(sentence, c.start) == own - 1]
        if before and not any(_clause_index(sentence, o[0]) == own - 1 for o in others):
            lead = next((c for c in before if c.strong), None) or min(before, key=lambda c: _gap(c, start, end))
            if lead.role == PARTNER and _funder_subject(sentence, lead):
                return "granted", True  # 'EU4Health-programmet står för 80 procent, det vill säga 412 000 euro'
            return lead.role, lead.strong
    best = max(cues, key=key)
    if best.role == "other":
        # 'Staden står för lokalerna och för en jobbcoachs lön, totalt 60 000 euro': the payer's verb
        # governs what it pays for
        # (not 'betalar': 'Staden betalar en hyra på 2 400 euro i månaden' is the rent)
        payer = [c for c in cues if c.role == PARTNER and c.end <= best.start
                 and sentence[c.start:c.end].lower() not in ("betalar", "betalade")
                 and _clause_index(sentence, c.start) == _clause_index(sentence, best.start)]
        if payer:
            best = payer[-1]
    if not best.strong and _clause_index(sentence, best.start) == own:
        # 'myönsi hankkeelle valtionavustusta kahdessa erässä: vuonna 2020 1 620 000 euroa ja vuoden 2021
        # täydentävässä haussa 2 340 000 euroa': a strong cue of a sum-less lead-in ending in a colon
        # governs the sums after it over a weak word of their own clause
        # (not over a part word: 'Kokonaisbudjetti: 540 000 €, josta ESR+:n osuus 432 000 €' is a field)
        lead_in = [c for c in all_cues if c.strong and c.start < start and _clause_index(sentence, c.start) < own
                   and sum(1 for b in breaks if b < c.start) == own_part
                   and _colon_lead_in(sentence, c.start, others)]
        if lead_in:
            best = lead_in[-1]
    if best.role == PARTNER and _funder_subject(sentence, best):
        # 'Sitra osallistuu 190 000 eurolla': a funder taking part pays a grant
        return "granted", True
    if best.role == "granted":
        # 'Loppuosan, 103 000 euroa, rahoittaa Pirkanmaan hyvinvointialue omasta talousarviostaan': the
        # county's or a town's own funds name whose money it is, whatever verb pays it
        own_funds = [c for c in cues if c.role == "budget" and c.strong
                     and _clause_index(sentence, c.start) == _clause_index(sentence, best.start)
                     and _OWN_FUNDS.match(sentence, c.start)]
        if own_funds:
            best = own_funds[0]
    if not best.strong and sentence[best.start:best.end].lower() in _share_words():
        # 'Omarahoitus jakautuu niin, että hyvinvointialueen osuus on 128 000 euroa': a share is a share of
        # the budget named before it in the sentence (not across a part word: 'josta Lapin
        # hyvinvointialueen osuus' of a grant stays the grant's)
        whole = [c for c in all_cues if c.strong and c.role == "budget" and c.end <= start
                 and sum(1 for b in breaks if b < c.start) == own_part]
        if whole:
            best = whole[-1]
    if not best.strong:
        # 'rahoitetaan Siun soten omasta kehittämisbudjetista, johon on varattu 95 000 euroa': a relative
        # clause with only a weak word speaks of its antecedent, named in the clause before it
        head = sentence[max((m.end() for m in _CLAUSE_BREAK.finditer(sentence) if m.end() <= start), default=0):start]
        before = [c for c in cues if c.strong and _clause_index(sentence, c.start) == own - 1]
        if before and _RELATIVE.match(head):
            best = min(before, key=lambda c: _gap(c, start, end))
    return best.role, best.strong


# Own-funds phrases of the county or a town ('omasta talousarviostaan', 'omista varoista', 'ur stadens budget').
_OWN_FUNDS = re.compile(r"(?:omasta|oman|omista|omalla|ur\s+(?:stadens|kommunens|egen)|av\s+egen)(?!\w)", re.IGNORECASE)


@cache
def _share_words() -> frozenset[str]:
    return frozenset(vocab()["parts"]["shares"])


# Words opening a clause that restates the clause before it. Not 'yhteensä' / 'totalt': a total
# often sums the clause before it under a different role.
_RESTATES = re.compile(r"\s*(?:det vill säga|dvs\.?|d\.v\.s\.|eli|toisin sanoen|alltså)(?!\w)", re.IGNORECASE)


def _colon_lead_in(sentence: str, pos: int, others: Sequence[tuple[int, int]]) -> bool:
    """Whether the clause holding ``pos`` ends in a colon and has no sum of its own."""
    clause = _clause_index(sentence, pos)
    ends = [m for m in _CLAUSE_BREAK.finditer(sentence) if m.start() >= pos]
    if not ends or not sentence[ends[0].start():ends[0].end()].startswith(":"):
        return False
    return not any(_clause_index(sentence, o[0]) == clause for o in others)


_RELATIVE = re.compile(r"\s*(?:johon|jolle|jota|jonka|joihin|joille|joita|mihin|mille|som|vilken|vilket|till vilken"
                       r"|till vilket|för vilken|för vilket)\b", re.IGNORECASE)


_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+")


def label_role(text: str, line_start: int) -> str | None:
    """The role a short label line right above the sum's line gives it ('Myönnetty rahoitus',
    'Kokonaisbudjetti:', 'Beviljat belopp')."""
    before = text[:line_start].rstrip("\n")
    lines = before.split("\n")
    seen = 0
    for line in reversed(lines[-_LIST_MAX_LINES:]):
        words = line.split()
        if not words:
            continue
        if _MONEY.search(line) and not line.rstrip().endswith(":") \
                and (len(words) <= _LEAD_MAX_WORDS + 4 or not line.rstrip().endswith((".", "!", "?"))):
            # the list's earlier items ('Region Västerbotten 720 000 euro' under 'Budget …:', also a long
            # item without a full stop: '… 1 100 000 euro, varav Interreg-stöd 825 000 euro och …'); a line
            # ending in a colon is the list's lead-in even with a sum of its own ('Toteutuneet
            # kustannukset olivat yhteensä 1 712 345 euroa:')
            continue
        if SEP in line:
            # a table's rows: the label is the first cell of the section's header row ('Rahoitus |
            # euroa' over 'Business Finland | 248 000'), else the caption above the table
            head = line.split(SEP)
            cues = [] if is_data_row(head) else [c for c in find_cues(head[0]) if c.strong or c.role != "pool"]
            if cues:
                return _label_cue(cues).role
            continue
        seen += 1
        if seen > 3:
            return None
        if len(words) > _LABEL_MAX_WORDS:
            # a paragraph ending in a list's lead-in ('… Budgeten fördelas mellan partnerna så här:'):
            # its last sentence labels the list below
            lead = _SENTENCE_GAP.split(line.strip())[-1]
            if not line.rstrip().endswith(":") or len(lead.split()) > _LEAD_IN_MAX_WORDS:
                return None
            line = lead
        # 'jaetaan seuraavasti:' / 'fördelas enligt följande:' heads a list of grants, not of pots
        cues = [c for c in find_cues(line) if c.strong or c.role != "pool"]
        if cues:
            return _label_cue(cues).role
    return None


def _label_cue(cues: list[Cue]) -> Cue:
    """The cue a label speaks with: a strong one, and among strong ones a verb of granting or applying
    over a pot's noun ('Beviljade anslag', 'Myönnetyt määrärahat' head granted sums)."""
    strong = [c for c in cues if c.strong] or cues
    return ([c for c in strong if c.role != "pool"] or strong)[-1]


def column_role(text: str, start: int, end: int) -> str | None:
    """The role a table's column header gives the sum at ``text[start:end]`` ('Hanke | Haettu |
    Myönnetty' above 'Muistiluotsi | 80 000 € | 70 000 €': the first sum is applied, the second
    granted); None when the sum stands in no table row (cells joined by ' | ') or its column's header
    says nothing. The header is found by ``tables.column_header``, shared with the money rules."""
    header = column_header(text, start, end)
    if header is None:
        return None
    cues = [c for c in find_cues(header) if c.strong or c.role != "pool"]
    if not cues and _funder_pattern().search(header.lower()) and not _own_payer_pattern().search(header.strip()):
        return "granted"  # a funder's column ('Toteuttaja | Kustannusarvio | ESR+ ja valtio | Omarahoitus')
    return _label_cue(cues).role if cues else None


_FIELD = re.compile(r"\s*(?:[•*–-]\s*)?([^:\n|]{2,60}):\s*(?:noin |n\. |ca |cirka |yhteensä |totalt )?$", re.IGNORECASE)


def field_role(text: str, start: int) -> str | None:
    """The role a field label right before the sum on its line gives it ('Budjetti: 400 000 € (EU- ja
    valtion rahoitus 80 %)', 'Beviljat belopp: 310 000 euro'): a label's strong word beats the words
    after the sum."""
    line_start = text.rfind("\n", 0, start) + 1
    m = _FIELD.fullmatch(text[line_start:start])
    if not m or len(m.group(1).split()) > 5:
        return None
    strong = [c for c in find_cues(m.group(1)) if c.strong and c.role != "pool"]
    return strong[-1].role if strong else None


_MONEY = re.compile(r"\d\s*(?:€|eur|euro|milj|M€|tuhat|mn|[tk]€|[tk]eur)", re.I)


# 'haetaan apua', 'hakea hoitoa', 'hakeutua töihin': people seeking help or work, not an application for money
_SEEKING_HELP = re.compile(r"\s+(?:apua|hoitoa|hoitoon|töitä|töihin|työtä|työpaikkaa|tukea itselleen|hjälp|vård|jobb)\b",
                           re.IGNORECASE)


_HELP_BEFORE = re.compile(r"(?<!\w)(?:apua|hoitoa|töitä|työtä|hjälp|vård|jobb)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _seeking_help(text: str, c: Cue) -> bool:
    """'haetaan apua', 'apua voi hakea lähellä': seeking help, care or work, not applying for money."""
    return bool(_SEEKING_HELP.match(text, c.end) or _HELP_BEFORE.search(text[max(0, c.start - 40):c.start]))


def page_role(text: str) -> str:
    """What the page as a whole speaks of when a sum's own words say nothing: 'applied' on pages whose
    strong cues are mostly applications (a board minute deciding to apply), else 'granted'."""
    counts: Counter[str] = Counter(c.role for c in find_cues(text) if c.strong and c.role in ("granted", "applied")
                                   and not (c.role == "applied" and _seeking_help(text, c)))
    low = text.lower()
    minutes = sum(1 for w in vocab()["pages"]["minutes"] if w in low) >= 2
    if counts["applied"] > counts["granted"] or (minutes and counts["applied"] and counts["applied"] >= counts["granted"]):
        return "applied"
    return "granted"


def amount_roles(text: str, spans: Sequence[tuple[int, int, int, int]]) -> list[tuple[str, bool]]:
    """The role of every sum and whether a strong cue said so: ``spans`` are (amount start, amount
    end, sentence start, sentence end) offsets in ``text``."""
    default: str | None = None  # the page's role, read only when a sum's own words say nothing
    out = []
    for start, end, s, e in spans:
        sentence = text[s:e]
        others = [(a - s, b - s) for a, b, s2, _e2 in spans if s2 == s]
        column = column_role(text, start, end) if not _cell_has_cue(text, start, end) else None
        row = _row_label_role(text, start, end)
        if row and (column is None or not _header_strong(text, start, end)):
            # 'Hyvinvointialueen omarahoitusosuus | 140 t€' under 'Rahoitus': the row's own strong word
            # beats a weak column header
            column = row
        field = None if column else field_role(text, start)
        found = (column or field, True) if column or field else cue_role(sentence, start - s, end - s, others)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start:len(text) if line_end < 0 else line_end]
        # a table row is an item of its table as a short line is of its list
        item = len(line.split()) <= _LEAD_MAX_WORDS or SEP in line
        if found is None or (not found[1] and item):
            # a list item's own weak word ('Henkilöstökulut 300 000 euroa') gives way to the list's
            # label ('Hankkeen kustannukset jakautuvat seuraavasti:')
            label = label_role(text, line_start)
            if label:
                found = (label, True)
        elif found[0] == "cost" and not column and SEP in line and label_role(text, line_start) == "budget":
            # 'Muut kulut | 25 000' in a cost estimate ('Kustannukset | euroa'): a line of the budget
            found = ("budget", True)
        if found and found[0] == PARTNER:
            # a payer in a sentence that names a budget share ('Kommunernas andel är sammanlagt 30 000 euro:
            # Lovisa stad betalar 18 000 euro, …') pays a line of that budget
            shared = any(c.role == "budget" and c.strong for c in find_cues(sentence))
            found = ("budget" if shared else resolve_partner(text, start, end), found[1])
        if (not found or not found[1] or (found[0] == "granted" and not column)) and _payer_before(text, start):
            found = ("budget", True)
        elif (not found or found[0] == "granted") and _own_row(text, start, end):
            found = ("budget", True)
        if not found:
            if default is None:
                default = page_role(text)
            found = (default, False)
        out.append(found)
    for j in range(1, len(spans)):
        # 'Varsinais-Suomen osuus budjetista on 1 410 000 euroa ja Satakunnan osuus 940 000 euroa': the
        # second share leaves its noun out and is what the first is
        if spans[j][2] == spans[j - 1][2] and not out[j][1] and out[j - 1][1] \
                and _SIBLING_SHARE.fullmatch(text[spans[j - 1][1]:spans[j][0]]):
            out[j] = out[j - 1]
    for j in range(1, len(spans)):
        # 'avustuksen, jonka suuruus on yhteensä 540 000 euroa eli 180 000 euroa vuodessa': the same money
        # restated (per year, rounded) is what the first sum is
        if spans[j][2] == spans[j - 1][2] and not out[j][1] and out[j - 1][1] \
                and _RESTATED_SUM.fullmatch(text[spans[j - 1][1]:spans[j][0]]):
            out[j] = out[j - 1]
    for j, (start, _end, _s, _e) in enumerate(spans):
        above = _rows_above(text, start, spans)
        if above and _TOTAL_ROW.match(text[text.rfind("\n", 0, start) + 1:start]) \
                and {"granted", "budget"} <= {out[i][0] for i in above}:
            # 'ESR+ 640 000 € / Omarahoitus 64 000 € / Yhteensä 800 000 €': a financing plan's total,
            # grants and own shares together, is the project's budget
            out[j] = ("budget", True)
        elif above and _TOTAL_LABEL.search(text[text.rfind("\n", 0, start) + 1:start]) \
                and _row_label_role(text, start, spans[j][1]) is None \
                and {"granted", "budget"} <= {out[i][0] for i in above}:
            out[j] = ("budget", True)  # 'Hanke yhteensä | 1 390 t€' below a grant's and an own share's rows
    inherited: set[int] = set()
    for j, whole in enumerate(part_links(text, spans)):
        if whole is None or out[whole][0] not in ("budget", "cost", "applied"):
            continue
        words = _part_words(text, spans[j])
        sibling = j - 1 in inherited and spans[j - 1][2] == spans[j][2]
        if out[whole][0] == "applied" and words == "share":
            # 'haetaan yhteensä 1 300 000 euroa, josta Kainuun osuus on 260 000 euroa': a share of an application
            out[j] = ("applied", out[j][1])
            continue
        if words == "line" or (words == "share" and (sibling or (out[whole][0] == "budget"
                                                                   and not _funder_share(text, spans[j])))):
            out[j] = (out[whole][0], out[j][1])
            inherited.add(j)
    return out


_RESTATED_SUM = re.compile(r"\s*,?\s*(?:eli|dvs\.?|d\.v\.s\.|det vill säga|alltså|toisin sanoen)\s+(?:noin\s+|cirka\s+|ca\s+)?",
                           re.IGNORECASE)

_SIBLING_SHARE = re.compile(r"[\s,]*(?:ja|sekä|och|samt)\s+[^.;:\d]{0,60}?(?<!\w)(?:osuus|osuudeksi|andel|andelen"
                            r"|hyvinvointialue|kaupunki|kunta|välfärdsområde|välfärdsområdet|stad|kommun)"
                            r"(?:\s+(?:on|oli|är|var))?\s*", re.IGNORECASE)

# A project or its budget spoken of in a paragraph ('hanke', 'ESF+-projekt', 'projekttiden', 'andel av
# budgeten'), not a project worker's title ('hankepäällikkö', 'projektledare').
_PROJECT_TALK = re.compile(r"(?<!\w)[\w+-]*(?:hank(?:e|ke|kee|kei)|projekt|budjet|budget|kokeilu|försök)(?!\w*(?:päällik|johtaj|koordinaat|työntekij"
                           r"|sihteer|ledare|chef|koordinator|sekreterare|medarbetare|arbetare))\w*", re.IGNORECASE)


def resolve_partner(text: str, pos: int, end: int | None = None) -> str:
    """What a partner's own money is ('Borgå stad deltar med 34 000 euro', 'Kommunen står för
    lokalerna, 22 000 euro'): a line of a project's budget when the sum's paragraph speaks of a
    project, else other money (a town paying for a service is no project funding). A running payment
    right after the sum (``end``: 'står för lokalerna, vilket motsvarar cirka 12 000 euro per år') is
    the partner's ordinary upkeep, other money."""
    if end is not None and _PER_PERIOD.match(text, end):
        return "other"
    lo = text.rfind("\n\n", 0, pos)
    hi = text.find("\n\n", pos)
    paragraph = text[lo + 1:len(text) if hi < 0 else hi]
    return "budget" if _PROJECT_TALK.search(paragraph) else "other"


_PER_PERIOD = re.compile(r"\s+(?:per år|om året|i månaden|per månad|vuodessa|kuukaudessa|vuosittain|årligen)(?!\w)",
                         re.IGNORECASE)

_TOTAL_ROW = re.compile(r"\s*(?:yhteensä|kaikkiaan|yht\.|summa|totalt|sammanlagt|summa|total)\b[\s:|]*$", re.IGNORECASE)


# A table row whose label ends in a total word ('Hanke yhteensä | 1 390 t€ | –').
_TOTAL_LABEL = re.compile(r"^[^|\n]{0,60}(?<!\w)(?:yhteensä|kaikkiaan|summa|totalt|sammanlagt|total)\s*\|[\s|]*$",
                          re.IGNORECASE)


def _row_label_role(text: str, start: int, end: int) -> str | None:
    """The role a table row's own label (its first cell) gives a sum in a later cell when it has a strong
    cue ('Hyvinvointialueen omarahoitusosuus | 140 t€', 'Myönnetty rahoitus yhteensä | 1 730 t€')."""
    cell = cell_at(text, start, end)
    if cell is None or cell.column == 0:
        return None
    line_start = text.rfind("\n", 0, start) + 1
    first = text[line_start:start].split(SEP)[0]
    cues = [c for c in find_cues(first) if c.strong and c.role != "pool"]
    return _label_cue(cues).role if cues else None


def _header_strong(text: str, start: int, end: int) -> bool:
    header = column_header(text, start, end)
    return bool(header) and any(c.strong for c in find_cues(header or ""))


def _rows_above(text: str, start: int, spans: Sequence[tuple[int, int, int, int]]) -> list[int]:
    """Indices of the sums on the unbroken run of lines right above the line of ``start`` (a list or
    a table's rows)."""
    line_start = text.rfind("\n", 0, start) + 1
    out: list[int] = []
    while line_start > 0:
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        if not text[prev_start:line_start].strip():
            line_start = prev_start  # rows are often paragraphs of their own
            continue
        row = [i for i, (a, _b, _s, _e) in enumerate(spans) if prev_start <= a < line_start - 1]
        if not row:
            break
        out.extend(row)
        line_start = prev_start
    return out


@cache
def _part_word_patterns(kind: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(_word_pattern(w) + "$") for w in vocab()["parts"].get(kind, ()))


def _part_words(text: str, span: tuple[int, int, int, int]) -> str:
    """What a part's own words name: 'line' (a cost line, with or without a share word: 'Niistä
    henkilöstökulujen osuus oli 1 021 900 euroa'), 'share' (only a share word: 'laitteiden osuus'),
    or 'own' (a grant, an application, a pot or a funder's share of its own: 'josta valtionavustusta')."""
    start, end, s, e = span
    sentence = text[s:e]
    breaks = _part_breaks(sentence)
    lo = max((b for b in breaks if b < start - s), default=0)
    hi = min((b for b in breaks if b > end - s), default=len(sentence))
    part = sentence[lo:hi]
    low = part.lower()
    found = [c for c in find_cues(part) if c.end <= start - s - lo or c.start >= end - s - lo]
    cues = [low[c.start:c.end] for c in found]
    # what the money goes to ('josta henkilöstökulut 96 000 euroa ja auton vuokra ja varustelu 42 000
    # euroa') is a line too: a rent or a salary inside a budget is the budget's
    lines = [low[c.start:c.end] for c in found if c.role == "other"
             or any(p.match(low[c.start:c.end]) for p in _part_word_patterns("lines"))]
    shares = [c for c in cues if any(p.match(c) for p in _part_word_patterns("shares"))]
    if not cues or len(lines) + len(shares) < len(cues):
        return "own"
    return "line" if lines else "share"


def _funder_subject(sentence: str, c: Cue) -> bool:
    """Whether a funder is the subject right before a partner's verb ('Sitra osallistuu', 'EU4Health-
    programmet står för'): what a funder pays is a grant."""
    return bool(_funder_pattern().search(" ".join(sentence[:c.start].lower().split()[-3:])))


@cache
def _funder_pattern() -> re.Pattern[str]:
    return re.compile(_words_pattern(vocab()["parts"]["funders"]))


def _funder_share(text: str, span: tuple[int, int, int, int]) -> bool:
    """Whether a funder names the share before the sum ('josta ESR+:n osuus 432 000 €'), from the part
    word (or the sentence start) on."""
    start, _end, s, _e = span
    head = text[s:start]
    breaks = [m.end() for m in _part_pattern().finditer(head.lower())]
    return bool(_funder_pattern().search(head[breaks[-1] if breaks else 0:].lower()))


@cache
def _payer_pattern() -> re.Pattern[str]:
    generic = _words_pattern(vocab()["parts"]["payers_generic"])
    named = "|".join(re.escape(w) for w in vocab()["parts"]["payers_named"])
    return re.compile(rf"(?:^|[,;:|(]\s*|\s(?:ja|och|sekä|samt)\s+)(?:(?i:{generic})|(?!Helsing)[A-ZÅÄÖ][\w-]+\s+(?:{named}))"
                      rf"(?:\s+(?:on|är))?\s*[:|]?\s*$")


def _payer_before(text: str, start: int) -> bool:
    """Whether the county's or a town's generic name (or a municipality's name) stands right before the
    sum with no verb: 'Kommunerna 42 000 €, välfärdsområdet 28 000 €', 'Korsholms kommun | 5 000 €'."""
    line_start = text.rfind("\n", 0, start) + 1
    head = text[max(line_start, start - 80):start]
    return bool(_payer_pattern().search(head))


@cache
def _own_payer_pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in vocab()["parts"]["own_payers"])
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)(?:\s*\([^()]{{1,40}}\))?\s*$", re.IGNORECASE)


def _own_row(text: str, start: int, end: int) -> bool:
    """Whether the sum stands in a project's financing table on the row of the county or a town itself
    ('Finansiär | År 2025' … 'Österbottens välfärdsområde | 15 000 €'): its own share, not a grant. A
    financing table is one whose first column's header names funders, or where another row is a funder's
    ('STEA | 96 000 €'); a ministry's list of grants by county has neither."""
    cell = cell_at(text, start, end)
    if cell is None or cell.column == 0:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    first = text[line_start:start].split(SEP)[0]
    if not _own_payer_pattern().search(first.strip()):
        return False
    header = column_header(text, line_start, line_start + len(first))
    columns = {w.casefold() for w in vocab()["parts"]["funder_columns"]}
    if header is not None and " ".join(header.casefold().split()) in columns:
        return True
    for lo, hi in table_rows(text, start):
        cells = text[lo:hi].split(SEP)
        if lo != line_start and is_data_row(cells) and not _own_payer_pattern().search(cells[0].strip()) \
                and _funder_pattern().search(cells[0].lower()):
            return True
    return False


def _cell_has_cue(text: str, start: int, end: int) -> bool:
    """Whether the table cell (or line) of the sum at ``text[start:end]`` has a cue of its own
    ('myönnetty 70 000 €'): its own words then beat its column's header."""
    lo = max(text.rfind("\n", 0, start), text.rfind(" | ", 0, start)) + 1
    hi = min(x for x in (text.find("\n", end), text.find(" | ", end), len(text)) if x >= 0)
    return any(c.end + lo <= start or c.start + lo >= end for c in find_cues(text[lo:hi]))


# Part words that open a sentence about the sum of the sentence before ('Niistä henkilöstökulujen osuus …').
_OPENERS = ("tästä", "siitä", "niistä", "näistä", "av detta", "av dem", "av dessa", "av summan", "av beloppet",
            "därav", "varav")


# a sum joined to a part by 'ja' / 'och' / a comma ('josta X 1 M€ ja Y 2 M€')
_JOINED_PART = re.compile(r"[\s,]*(?:ja|sekä|och|samt)?\b[^.;]{0,60}")


def part_links(text: str, spans: Sequence[tuple[int, int, int, int]]) -> list[int | None]:
    """For every sum, the index of the sum it is a part of, or None.

    A sum is a part when a part word ('josta', 'joista', 'varav', 'därav' …) stands between it and an
    earlier sum of the same sentence, or opens its sentence ('Tästä …', 'Av detta …') right after a
    sentence with a sum; a sum joined to a part by 'ja' / 'och' / a comma is a part of the same whole.
    """
    pattern = _part_pattern()
    links: list[int | None] = [None] * len(spans)
    for j, (start, _end, s, _e) in enumerate(spans):
        if j == 0:
            continue
        p_start, p_end, p_s, _p_e = spans[j - 1]
        if p_s == s:
            between = text[p_end:start].lower()
            if pattern.search(between):
                links[j] = j - 1
            elif links[j - 1] is not None and _JOINED_PART.fullmatch(between):
                links[j] = links[j - 1]
        else:
            head = text[s:start].lower()
            opener = pattern.match(head.lstrip())
            same_paragraph = "\n\n" not in text[p_end:s]
            if opener and same_paragraph and head.lstrip()[: opener.end()] in _OPENERS:
                links[j] = j - 1
            elif (same_paragraph or s - p_end < 400) and _SOURCE_PART.search(head):
                links[j] = j - 1  # 'Täydentävästä avustuksesta 410 000 euroa kohdennettiin …'
    return links


# A sentence taking its sum out of a grant spoken of just before, in the elative ('Täydentävästä
# avustuksesta 410 000 euroa kohdennettiin …', 'Vuodelle 2023 avustuksesta on käytettävissä 1,2 M€') or
# with 'av' ('Av statsunderstödet används 200 000 euro …'): a part of that grant, not a second one.
_SOURCE_PART = re.compile(r"^\W*(?:[\w–-]+\s){0,3}?(?:\w*avustuksesta|\w*rahoituksesta|\w*määrärahasta|\w*tuesta)"
                          r"(?!\s+(?:ja|sekä)\b)|^\W*(?:\w+\s){0,2}?av\s(?:\w+\s)?(?:\w*understödet|\w*stödet|"
                          r"\w*bidraget|finansieringen|anslaget)\b", re.IGNORECASE)
