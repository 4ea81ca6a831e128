"""The title a reader sees: page furniture around a headline removed, site names never a title.

Real county, ministry and press-release pages put skip links ("Hyppää pääsisältöön"), language
switchers ("FI SV"), date labels ("date 2025-08-22"), breadcrumbs ("Etusivu > Ajankohtaista > …"),
share buttons and the site's own name where a headline is expected. ``choose_title`` takes the
candidates in the order a page offers them (h1, og:title, <title>, first lines) and returns the first
one that is still a headline once the furniture is cleaned off. Word lists: ``data/titles.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

MAX_WORDS = 30
_SEP = r"\s*(?:[|/·•>»›,]|\s-\s|\s–\s)?\s*"
_MONTHS = (r"(?:tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)kuuta|januari|februari|mars|"
           r"april|maj|juni|juli|augusti|september|oktober|november|december")
_DATE = rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}\.\s?\d{{1,2}}\.\s?(?:\d{{4}})?|\d{{1,2}}\.?\s+(?:{_MONTHS})(?:\s+\d{{4}})?)"


@dataclass(frozen=True)
class _Rules:
    skip: re.Pattern[str]
    switcher: re.Pattern[str]
    switcher_tail: re.Pattern[str]
    date_prefix: re.Pattern[str]
    crumb_roots: frozenset[str]
    never: frozenset[str]
    sites: frozenset[str]
    nav: frozenset[str]
    minutes: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _rules() -> _Rules:
    data = tomllib.loads(resources.files("hakemisto").joinpath("data/titles.toml").read_text("utf-8"))
    switch = _alternation(data["switcher_words"])
    return _Rules(
        skip=re.compile(rf"^(?:(?:{_alternation(data['skip_links'])})\b{_SEP})+", re.I),
        # two or more switcher words in a row: 'En ny satsning' keeps its Swedish article
        switcher=re.compile(rf"^(?:(?:{switch})(?![\w-]){_SEP}){{2,}}", re.I),
        switcher_tail=re.compile(rf"(?:{_SEP}(?<![\w-])(?:{switch})){{2,}}$", re.I),
        date_prefix=re.compile(rf"^(?:(?:{_alternation(data['date_labels'])})\b:?\s*)?{_DATE}\b{_SEP}", re.I),
        crumb_roots=frozenset(w.casefold() for w in data["breadcrumb_roots"]),
        never=frozenset(w.casefold() for w in data["never_titles"]),
        sites=frozenset(_key(w) for w in data["site_names"]),
        nav=frozenset(w.casefold() for w in data["nav_words"]),
        minutes=re.compile(rf"^(?:{_alternation(data['minutes_labels'])})(?![\w-])", re.I),
    )


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s:-]", " ", text.casefold()).split())


@cache
def _county_sites() -> frozenset[str]:
    """County names as sites: 'Kainuun hyvinvointialue', 'Österbottens välfärdsområde', 'Pirha'."""
    from .regions import all_regions

    names: set[str] = set()
    for region in all_regions():
        for name in (region.canonical, region.sv, *region.aliases, *region.domains):
            names.add(_key(name))
        names.add(_key(f"{region.sv} välfärdsområde"))
        names.add(_key(f"{region.sv}s välfärdsområde"))
    return frozenset(names)


def is_site_name(text: str) -> bool:
    """A publisher's own name ('Pohjanmaan hyvinvointialue', 'Innokylä', 'STM'): never a headline."""
    key = _key(text)
    if not key:
        return False
    if key in _rules().sites or key in _county_sites():
        return True
    from .regions import normalize_region

    words = key.split()
    tail = words[-1]
    generic = tail.startswith(("hyvinvointialue", "välfärdsområde", "hyvinvointiyhtymä", "kaupunki", "stad"))
    return generic and len(words) <= 4 and normalize_region(" ".join(words[:-1])) is not None


def _breadcrumb_last(text: str) -> str:
    parts = [p.strip() for p in re.split(r"\s+[>»›/|]\s+|\s*[>»›]\s*", text) if p.strip()]
    if len(parts) >= 2 and parts[0].casefold() in _rules().crumb_roots:
        return parts[-1]
    return text


def clean_title(text: str) -> str:
    """Furniture cut off one candidate: skip links, switchers, date prefixes, breadcrumbs, site suffixes."""
    rules = _rules()
    title = " ".join(str(text).replace("\u00a0", " ").split())
    for _ in range(4):
        before = title
        title = rules.skip.sub("", title)
        title = rules.switcher.sub("", title)
        title = rules.date_prefix.sub("", title)
        title = _breadcrumb_last(title)
        title = re.sub(r"^§\s*\d+\s+(?=\w)", "", title)
        title = rules.switcher_tail.sub("", title).strip()
        title = title.strip(" |/·•>»›-–—:")
        if title == before:
            break
    for sep in (" | ", " – ", " — ", " - ", " :: "):
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if head and is_site_name(tail):
                title = head.strip()
            elif is_site_name(head.split(sep)[0]) and len(title.split(sep)) == 2:
                title = tail.strip()
    return title


def _nav_line(text: str) -> bool:
    """A menu or masthead line: only navigation words and place names, or three or more '|' parts."""
    if text.count(" | ") >= 2:
        return True
    from .regions import find_mentions

    words = re.findall(r"[\w+-]+", text.casefold())
    places = {w.casefold() for m in find_mentions(text) for w in re.findall(r"[\w+-]+", m.text)}
    return bool(words) and all(w in _rules().nav or w in places for w in words)


def is_furniture(text: str) -> bool:
    """Nothing of a headline is left: empty, only a label, button, menu, masthead or date, a meeting
    portal's label line, a URL, or a site name."""
    if not text or not re.search(r"[^\W\d_]{3,}", text):
        return True
    key = text.casefold().strip(" .:!")
    rules = _rules()
    if key in rules.never or is_site_name(text) or "://" in text or text.rstrip().endswith(":"):
        return True
    if not any(ch.islower() for ch in text):
        return True  # 'PIELISEN SANOMAT', 'LOPPURAPORTTI': mastheads and section labels
    if rules.minutes.match(text) or _nav_line(text):
        return True
    return bool(re.fullmatch(rf"{_DATE}", text.strip()))


def choose_title(candidates: Iterable[str | None]) -> str:
    """The first candidate that is still a headline after cleaning; '' when none is."""
    for candidate in candidates:
        if not candidate:
            continue
        title = clean_title(candidate)
        if not is_furniture(title) and len(title.split()) <= MAX_WORDS:
            return title
    return ""
