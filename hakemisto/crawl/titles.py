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
_DATE = rf"(?:\d{{4}}-\d{{1,2}}(?:-\d{{1,2}})?\b|\d{{1,2}}\.\s?\d{{1,2}}\.\s?(?:\d{{4}})?|\d{{1,2}}\.?\s+(?:{_MONTHS})(?:\s+\d{{4}})?)"


# A press service's dateline glued after the headline: '9.9.2025 20:54:46 EEST | Tiedote'.
_DATELINE = re.compile(r"\s+\d{1,2}\.\d{1,2}\.\d{4}\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s+(?:EES?T|CES?T|UTC)\b.*$")
# 'Kaupunginhallitus, kokous 18.5.2020', 'Nämnden, sammanträde 3.4.2024': a meeting portal's heading.
_MEETING = re.compile(rf"^[^,]{{3,60}},\s+(?:kokous|sammanträde|möte)\s+{_DATE}\s*$", re.I)
# A photo credit ending a line ('LEHTIKUVA / MARKKU ULANDER', 'STT / ANNA EK') or a 'Kuva:' label.
_CAPTION = re.compile(r"\b[A-ZÅÄÖ]{3,}\s*/\s*[A-ZÅÄÖ-]{2,}(?:\s+[A-ZÅÄÖ-]{2,})*\s*$|"
                      r"(?:^|\s|\()(?i:kuva|kuvat|foto|bild|photo)\s*:\s*\S")


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
    mastheads: frozenset[str]
    minutes: re.Pattern[str]
    emblem: re.Pattern[str]
    icon_junk: re.Pattern[str]
    sections: frozenset[str]
    organs: tuple[str, ...]
    search_box: re.Pattern[str]
    widget: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _rules() -> _Rules:
    data = tomllib.loads(resources.files("hakemisto").joinpath("data/titles.toml").read_text("utf-8"))
    switch = _alternation(data["switcher_words"])
    return _Rules(
        skip=re.compile(rf"^(?:(?:{_alternation(data['skip_links'])}|{data['skip_link_pattern']})\b{_SEP})+", re.I),
        # two or more switcher words in a row: 'En ny satsning' keeps its Swedish article
        switcher=re.compile(rf"^(?:(?:{switch})(?![\w-]){_SEP}){{2,}}", re.I),
        switcher_tail=re.compile(rf"(?:{_SEP}(?<![\w-])(?:{switch})){{2,}}$", re.I),
        date_prefix=re.compile(rf"^(?:(?:{_alternation(data['date_labels'])})\b:?\s*)?{_DATE}\b{_SEP}", re.I),
        crumb_roots=frozenset(w.casefold() for w in data["breadcrumb_roots"]),
        never=frozenset(w.casefold() for w in data["never_titles"]),
        sites=frozenset(_key(w) for w in data["site_names"]),
        nav=frozenset(w.casefold() for w in data["nav_words"]),
        mastheads=frozenset(w.casefold() for w in data["masthead_tails"]),
        # a label, not a headline that opens with the body's name ('Aluevaltuusto päätti strategiasta')
        minutes=re.compile(rf"^(?:{_alternation(data['minutes_labels'])})(?![\w-])"
                           rf"(?!(?-i:\s+[a-zåäö]{{3,}}\s+[a-zåäö]{{2,}}))", re.I),
        emblem=re.compile(rf"(?:{_alternation(data['emblems'])})(?![\w-])", re.I),
        icon_junk=re.compile(rf"^.*?(?:{_alternation(data['icon_junk'])})\s*", re.I),
        sections=frozenset(w.casefold() for w in data["section_labels"]),
        organs=tuple(w.casefold() for w in data["organ_tails"]),
        widget=re.compile(rf"^(?:{_alternation(data['widget_labels'])})(?![\w-])", re.I),
        search_box=re.compile(rf"(?<![\w-])(?:{_alternation(data['search_boxes'])})\s*$", re.I),
    )


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s:-]", " ", text.casefold()).split())


@cache
def _county_sites() -> frozenset[str]:
    """County names as sites: 'Kainuun hyvinvointialue', 'Österbottens välfärdsområde', 'Pirha'."""
    from hakemisto.core.regions import all_regions

    names: set[str] = set()
    for region in all_regions():
        for name in (region.canonical, region.sv, *region.aliases, *region.domains):
            names.add(_key(name))
        names.add(_key(f"{region.sv} välfärdsområde"))
        names.add(_key(f"{region.sv}s välfärdsområde"))
    return frozenset(names)


def is_site_name(text: str) -> bool:
    """A publisher's own name ('Pohjanmaan hyvinvointialue', 'Innokylä', 'STM'): never a headline."""
    key = _key(re.sub(r"\s*\(.*$", "", text))  # 'Päijät-Hämeen hyvinvointialue (ent. PHHYKY)'
    if not key:
        return False
    if key in _rules().sites or key in _county_sites():
        return True
    from hakemisto.core.regions import normalize_region

    words = key.split()
    tail = words[-1]
    generic = tail.startswith(("hyvinvointialue", "välfärdsområde", "hyvinvointiyhtymä", "kaupunki", "stad",
                               "kunta", "kommun"))
    if not generic or len(words) > 4:
        return False
    from hakemisto.core.regions import municipality_county

    head = " ".join(words[:-1])
    return normalize_region(head) is not None or municipality_county(head) is not None


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
        title = rules.icon_junk.sub("", title)
        title = rules.switcher.sub("", title)
        title = rules.date_prefix.sub("", title)
        title = _breadcrumb_last(title)
        title = re.sub(r"^§\s*\d+\s+(?=\w)", "", title)
        title = _DATELINE.sub("", title)  # STT: '… 9.9.2025 20:54:46 EEST | Tiedote
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
    from hakemisto.core.regions import find_mentions

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
    if _site_with_section(text) or _keyword_line(text) or rules.skip.fullmatch(text.strip(" .")):
        return True
    if len(text.split()) <= 16 and re.search(r"\beväste\w*|\bkakor(?:na)?\b|\bcookie\w*", text, re.I):
        return True  # a cookie banner ('Salli evästeet, jotta voit käyttää automaattisia käännöksiä')
    words = text.split()
    if not any(ch.islower() for ch in text) and len(words) <= 3:
        return True  # 'PIELISEN SANOMAT', 'LOPPURAPORTTI': mastheads and section labels
    organ_headline = re.match(r"(?:aluehallitus|aluevaltuusto|regionstyrelsen|regionfullmäktige|kaupunginhallitus|"
                              r"kaupunginvaltuusto|kunnanhallitus|kommunstyrelsen)\s*:(?:\s+\S+){4,}", text, re.I)
    if (rules.minutes.match(text) and not organ_headline) or _nav_line(text) or _title_case_menu(words) or _masthead(words):
        return True  # ('Aluehallitus: strategialuonnoksesta voi antaa lausunnon …' is a release's headline)
    if re.match(r"[a-zåäö][\w-]*:\s", text):
        return True  # a news site's teaser of another story under a lower-case kicker ('uimarannat: …', 'pääkirjoitus: …')
    if key in rules.sections or rules.search_box.search(text) or rules.widget.match(text):
        return True  # a section kicker, or a header row ending in the site's search box
    if len(words) <= 5 and words[-1].casefold().strip(".,:").endswith(rules.organs):
        return True  # 'Hyvinvoinnin edistämisen lautakunta': the board's label on a minutes page  # 'Social- och hälsovård' (the last crumb of 'Hem > Nyheter > …'): a section, not a story
    if re.search(r"\s[>»›]\s", text):
        return True  # a breadcrumb that did not start at a known root ('Avoimet haut > Sosiaali- ja …')
    if "@" in text or re.search(r"(?:\+358|\b0\d{1,2})[\s-]?\d{2,4}[\s-]?\d{2,4}", text):
        return True  # a contact line ('projektipäällikkö Kirsi Öhman, p. 06 415 5012, …')
    if re.search(r"§\s*\d+\s*$", text) or _MEETING.match(text):
        return True  # 'Välfärdsområdesstyrelsen 20.02.2024 § 31', 'Kaupunginhallitus, kokous 18.5.2020'
    if not re.search(r"[^\W\d_]{3,}", rules.emblem.sub(" ", text)):
        return True  # the EU emblem's lines: 'Euroopan unioni Vipuvoimaa EU:lta'
    if re.fullmatch(r"[^|]{2,30} \| [^|]{2,40}", text) and len(words) <= 6:
        from hakemisto.core.regions import find_mentions, municipality_county

        head = text.split(" | ")[0].strip()
        if find_mentions(head) or municipality_county(head):
            return True  # a news site's section line: 'Kokkola | Sote', 'Joensuu | Sosiaali- ja terveyspalvelut'
    if _CAPTION.search(text):
        return True  # a photo caption: '… alueista. LEHTIKUVA / MARKKU ULANDER', 'Kuva: Anna Ek
    bare = re.sub(rf"{_DATE}|\bklo\b|\d{{1,2}}[:.]\d{{2}}|§\s*\d+|\d+", " ", text)
    return len(re.findall(r"[^\W\d_]{2,}", bare)) < 2 and len(words) > 1 or bool(re.fullmatch(rf"{_DATE}", text.strip()))


def _site_with_section(text: str) -> bool:
    """A site's name followed by its section ('Valtioneuvosto ja ministeriöt Media', 'Kainuun
    hyvinvointialue Ajankohtaista'): the header of the page, not its headline."""
    words = text.split()
    nav = _rules().nav | _rules().never
    end = len(words)
    while end > 1 and words[end - 1].casefold().strip(".,") in nav:
        end -= 1
    return 1 <= end < len(words) and is_site_name(" ".join(words[:end]))


def _keyword_line(text: str) -> bool:
    """A subject-tag line ('Avustuksen hakeminen, valtionavustus, Kestävän kasvun ohjelma, Sosiaali- ja
    terveysministeriö'): four or more short comma-separated terms with no sentence end, no dash and no
    final 'ja' / 'och' joining the last term as a headline's list would."""
    parts = [p.strip() for p in text.split(", ")]
    if len(parts) < 4 or re.search(r"[.!?:;–—]\s|[.!?]$", text):
        return False
    if re.search(r"(?<!-)\s(?:ja|sekä|och|samt|and)\s", parts[-1]):
        return False  # 'A, B, C ja D' is a headline's list; 'Sosiaali- ja terveysministeriö' is one term
    return all(1 <= len(p.split()) <= 4 for p in parts)


def _masthead(words: list[str]) -> bool:
    """'ESS Etelä-Suomen Sanomat', 'Forssan Seutu', 'Åbo Underrättare': a newspaper's name."""
    return 1 <= len(words) <= 4 and words[-1].casefold().strip(".,") in _rules().mastheads


def _title_case_menu(words: list[str]) -> bool:
    """'Uutishuone Tiedotteet Kuvat Tapahtumat': four or more words nearly all capitalised is a menu
    (Finnish and Swedish headlines are written in sentence case). Roman
    numerals and numbers end many project names ('Kestävän kasvun Kainuu II'): they do not count."""
    if len(words) < 4 or re.search(r"[,:;–—\"”»()]|(?:^|\s)-\w", " ".join(words)):
        return False  # menus carry no punctuation: 'Projektipäällikkö, Nuorten mielenterveystalo …' is a title
    counted = [w for w in words if not (re.fullmatch(r"[IVX]{1,4}", w) or w.isdigit())]
    if len(counted) < 3:
        return False
    caps = sum(1 for w in counted if w[:1].isupper())
    return caps / len(counted) >= 0.75 and any(ch.islower() for ch in "".join(words))


def choose_title(candidates: Iterable[str | None], min_words: int = 1) -> str:
    """The first candidate that is still a headline (of at least ``min_words`` words) after cleaning."""
    for candidate in candidates:
        if not candidate:
            continue
        title = clean_title(candidate)
        if not is_furniture(title) and min_words <= len(title.split()) <= MAX_WORDS:
            return title
    return ""
