"""What one page says about each named project: other names, years, status, lead, programmes.

Project records (one per real project across pages and languages) are built from these
``ProjectMention`` values: the acronym in parentheses ('… iäkkäille -hankkeen (TulKoti)') ties two
names together, the years and status let a planner see what runs when, the lead organisation says
who to ask. Cue words are data (``data/projects.toml``); this module is pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from hakemisto.core.model import Entity, ProjectMention
from hakemisto.facts.attach import main_project, project_occurrences, vocab
from hakemisto.facts.funding import funding_vocab

_YEAR = r"(?:19|20)\d{2}"
_RANGE = re.compile(rf"(?<![\d.])(?:\d{{1,2}}\.\d{{1,2}}\.)?({_YEAR})\s*[–—-]\s*(?:\d{{1,2}}\.\d{{1,2}}\.)?({_YEAR})(?!\d)")
_SINGLE = re.compile(rf"(?:vuodelle|vuonna|vuoden|för år|år|under år|året)\s+({_YEAR})(?!\d)", re.IGNORECASE)
_PAREN = re.compile(r"\s*[–-]?\s*(?:hank\w*|projekt\w*)?\s*\(([^()]{2,80})\)")
_ACRONYM = re.compile(r"[A-ZÅÄÖ][\w-]{1,24}")


def _words(words: Sequence[str]) -> re.Pattern[str]:
    """One pattern for a word list ('word*' takes any ending), built once per list: the lead phrases
    are asked about for every project of every page."""
    return _words_pattern(tuple(words))


@lru_cache(maxsize=64)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alts = []
    for w in sorted(words, key=len, reverse=True):
        body = re.escape(w.rstrip("*").lower()).replace(r"\ ", r"\s+")
        alts.append(body + (r"[\w-]*" if w.endswith("*") else r"(?![\w-])"))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + ")")


@cache
def _status_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    table = vocab()["status"]
    return tuple((status, _words(table[status])) for status in table["order"])


@cache
def _period_cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = vocab()["period"]
    return _words(table["start"]), _words(table["end"])


def _sentence_spans(bounds: Sequence[tuple[int, int]], starts: Sequence[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for pos in starts:
        span = next(((s, e) for s, e in bounds if s <= pos < e), None)
        if span and span not in out:
            out.append(span)
    return out


def status_of(sentences: Sequence[str]) -> str | None:
    """The status the sentences state, by the data file's order of precedence."""
    low = " ".join(sentences).lower()
    for status, pattern in _status_patterns():
        if pattern.search(low):
            return status
    return None


def period_of(sentences: Sequence[str]) -> tuple[int | None, int | None]:
    """(start year, end year) from a range, else a start / end cue with a year, else one year."""
    for sentence in sentences:
        m = _RANGE.search(sentence)
        if m and int(m.group(1)) <= int(m.group(2)):
            return int(m.group(1)), int(m.group(2))
    start_cue, end_cue = _period_cues()
    start = end = None
    for sentence in sentences:
        low = sentence.lower()
        for cue, which in ((start_cue, "start"), (end_cue, "end")):
            for m in cue.finditer(low):
                year = re.search(_YEAR, low[max(0, m.start() - 30): m.end() + 30])
                if year and which == "start" and start is None:
                    start = int(year.group(0))
                elif year and which == "end" and end is None:
                    end = int(year.group(0))
    if start or end:
        return start, end
    for sentence in sentences:
        m = _SINGLE.search(sentence)
        if m:
            return int(m.group(1)), int(m.group(1))
    return None, None


def _label_value(text: str, labels: Sequence[str]) -> str | None:
    """The value of a labelled field: 'Kesto: 2022–2023', or 'Kesto' with the value on the next line."""
    wanted = {label.lower() for label in labels}
    lines = [line.strip() for line in text.split("\n")]
    for i, line in enumerate(lines):
        head, sep, rest = line.partition(":")
        key = " ".join(head.lower().split())
        if key in wanted and sep and rest.strip():
            return rest.strip()
        if key in wanted and not sep or key in wanted and not rest.strip():
            following = next((v for v in lines[i + 1:i + 3] if v), None)
            if following:
                return following
        if len(line) >= 120 or "  " not in line:
            continue  # no label and value on one line (lower-casing makes no spaces: the test is exact)
        low = line.lower()
        for label in wanted:  # card layouts that keep label and value on one line ('Kesto  2022–2023')
            if low.startswith(label + "  "):
                return line[len(label):].strip()
    return None


def lead_of(text: str, sentences: Sequence[str]) -> str | None:
    """The organisation leading the project: a 'Hallinnoija' field, or 'Hanketta hallinnoi X'."""
    table = vocab()["lead"]
    value = _label_value(text, table["labels"])
    if value:
        return _trim_org(value)
    phrase = _words(table["phrases"])
    for sentence in [*sentences, text]:
        m = phrase.search(sentence.lower())
        if m:
            return _trim_org(sentence[m.end():])
    return _lead_before(text)


def _lead_before(text: str) -> str | None:
    """'Österbottens välfärdsområde är leadpartner', 'Siun sote toimii hankkeen päätoteuttajana': the
    organisation written before the phrase, in its clause."""
    m = _words(vocab()["lead"]["after_phrases"]).search(text.lower())
    if not m:
        return None
    clause = re.split(r"[.;:!?]\s|,\s|\s(?:ja|och|sekä|samt)\s|\n", text[:m.start()])[-1].strip()
    words = clause.split()
    return clause if words and len(words) <= 6 and clause[0].isupper() else None


def _trim_org(value: str) -> str | None:
    """An organisation name at the start of ``value``: up to a clause end, at most eight words."""
    value = re.split(r"[.;,]\s|(?<!-)\s(?:ja|och|sekä|samt|jonka|som|joka)\s|\n", value.strip(), maxsplit=1)[0]
    words = value.split()[:8]
    name = " ".join(words).strip(" .,:;")
    return name if name and name[0].isupper() else None


def aliases_of(text: str, name: str, occurrences: Sequence[tuple[int, int, str]]) -> list[str]:
    """Names in parentheses right after the project's name: an acronym ('(TulKoti)'), the long form
    of an acronym ('Kati-hankkeessa (Kotona asumisen teknologiat ikäihmisille)') or the name in the
    other language ('(ruots. Prima Botnia – Välmående Österbotten)')."""
    other = tuple(w.lower() for w in vocab()["aliases"]["other_language"])
    found: list[str] = []
    for _s, e, n in occurrences:
        if n != name:
            continue
        m = _PAREN.match(text, e)
        if not m:
            continue
        inner = m.group(1).strip()
        low = inner.lower()
        prefix = next((p for p in other if low.startswith(p)), None)
        if prefix:
            inner = inner[len(prefix):].strip(" :")
        elif not _alias_like(inner):
            continue
        if inner and inner != name and inner not in found:
            found.append(inner)
    return found


@cache
def _funding_acronyms() -> frozenset[str]:
    v = funding_vocab()
    return frozenset(a for table in ("funder", "programme") for e in v[table] for a in e.get("acronyms", ()))


def _alias_like(inner: str) -> bool:
    """'TulKoti', 'Arctic Emergency Care', 'Terveyttä yli Merenkurkun' — not '2020–2023', 'EAKR', 'ks. alla'."""
    if not inner[:1].isupper() or any(ch.isdigit() for ch in inner) or inner in _funding_acronyms():
        return False
    words = inner.split()
    if len(words) == 1:
        return bool(_ACRONYM.fullmatch(inner)) and any(c.isupper() for c in inner[1:])
    return len(words) <= 7


def project_mentions(text: str, names: Sequence[str], bounds: Sequence[tuple[int, int]],
                     spans: Sequence[Entity] = ()) -> list[ProjectMention]:
    """One ``ProjectMention`` per named project of the page; a name that is another's alias (its
    acronym in parentheses) is folded into that project's mention."""
    occurrences = project_occurrences(text, names)
    main = main_project(text, names)
    programmes = [(e.start, e.end, e.canonical) for e in spans if e.label == "PROGRAMME"]
    by_name = {n: [o for o in occurrences if o[2] == n] for n in names}
    aliases = {n: aliases_of(text, n, occurrences) for n in names}
    folded = {a for n in names for a in aliases[n] if a in names and a != n and not aliases.get(a)}
    out = []
    for name in names:
        if name in folded:
            continue
        places = _sentence_spans(bounds, [s for s, _e, _n in by_name[name]])
        sentences = [text[s:e] for s, e in places]
        # Paragraphs that name this project and no other speak of it as a whole.
        own_paragraphs = [p for p in _paragraphs(text, [s for s, _e, _n in by_name[name]])
                          if {o[2] for o in occurrences if p[0] <= o[0] < p[1]} == {name}]
        label = _label_value(text, vocab()["period"]["labels"]) if name == main else None
        start, end = period_of([label] if label else sentences)
        if start is None and end is None:
            start, end = period_of([text[s:e] for s, e in bounds
                                    if any(p[0] <= s < p[1] for p in own_paragraphs)])
        progs = sorted({p for a, b, p in programmes for s, e in places if s <= a and b <= e})
        if not progs:
            progs = sorted({p for a, _b, p in programmes if any(lo <= a < hi for lo, hi in own_paragraphs)})
        if name == main and not progs:
            progs = sorted({p for _a, _b, p in programmes})
        out.append(ProjectMention(
            name=name,
            aliases=tuple(aliases[name]),
            start_year=start,
            end_year=end,
            status=status_of(sentences),
            lead=lead_of(text, sentences) if name == main else _inline_lead(sentences),
            programmes=tuple(progs),
            sentence=sentences[0].strip() if sentences else None,
        ))
    return out


def _paragraphs(text: str, positions: Sequence[int]) -> list[tuple[int, int]]:
    """The blank-line-separated paragraphs holding ``positions``."""
    out: list[tuple[int, int]] = []
    for pos in positions:
        lo = text.rfind("\n\n", 0, pos)
        hi = text.find("\n\n", pos)
        span = (0 if lo < 0 else lo + 2, len(text) if hi < 0 else hi)
        if span not in out:
            out.append(span)
    return out


def _inline_lead(sentences: Sequence[str]) -> str | None:
    phrase = _words(vocab()["lead"]["phrases"])
    for sentence in sentences:
        m = phrase.search(sentence.lower())
        if m:
            return _trim_org(sentence[m.end():])
    return None
