"""Whose money and whose person: a sum's role, county and project; a contact's project.

A planner's total per county and per project is only honest when every sum knows what it is
(``roles``), whose it is (the county — None for a national pot) and which project it belongs to, and
when a part never counts beside its whole. This module puts those facts on the ``Amount`` and
``Contact`` values the extractor found, from the page text and the offsets of project names and
county mentions. Pure: text and values in, new frozen values out.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import cache, lru_cache
from importlib import resources

from hakemisto.core.model import Amount, Contact, Entity
from hakemisto.core.regions import normalize_region, related_offset, sentence_at
from hakemisto.facts import tables
from hakemisto.facts.roles import amount_roles, find_cues, part_links
from hakemisto.facts.roles import vocab as role_vocab

# How far back (characters) a sentence without a project name may look for the project it speaks of.
RECENT_WINDOW = 1200
# A person first named in a line this long is named in running text (not in a label or contact block),
# so the project the text spoke of just before is theirs.
_RUNNING_TEXT_WORDS = 8
_PROJECT_WORD = re.compile(r"(?<!\w)(?:hank\w*|projekt\w*|-hank\w*|jatkohank\w*|kehittämishank\w*)", re.IGNORECASE)


@cache
def vocab() -> dict:
    return tomllib.loads(resources.files("hakemisto").joinpath("data/projects.toml").read_text("utf-8"))


# --- where projects and counties are named -------------------------------------------------------


_DASHES = "-‐‑‒–—"


def _word_pattern(word: str, inflects: bool) -> str:
    """One word of a name: dashes of any kind; a long word may inflect ('Kestävät' → 'Kestävien')."""
    def literal(w: str) -> str:
        return "".join(f"[{_DASHES}]" if ch in _DASHES else re.escape(ch) for ch in w)

    if inflects and len(word) > 5 and word[-1].isalpha():
        return literal(word[: max(4, len(word) - 3)]) + r"[\w:-]*"
    return literal(word)


@cache
def _name_pattern(name: str) -> re.Pattern[str] | None:
    """A project name as a page writes it again: its last word free to inflect ('Kohti' →
    'Kohti-hankkeen', 'Päijät-Kotia'), its other long words too when the name has three or more
    ('Kestävien ja vaikuttavien sote-palvelujen'), any dash for any dash, and a '-hanke' suffix glued
    or not ('X -hanke' / 'X-hankkeelle'). Names of two words or more match in any case."""
    words = name.split()
    if not words:
        return None
    body = ""
    for i, word in enumerate(words):
        last = i == len(words) - 1
        part = _word_pattern(word, last or len(words) >= 3)
        if i:
            body += (r"\s*" if word[0] in _DASHES else r"\s+") + part
        else:
            body = part
    flags = re.IGNORECASE if len(words) >= 2 else 0
    return re.compile(r"(?<![\w-])" + body, flags)


@lru_cache(maxsize=8)
def _name_spans(text: str, names: tuple[str, ...]) -> dict[str, tuple[tuple[int, int], ...]]:
    """Every match of each project name's pattern in ``text`` (a county's name is no project name; its
    mentions are places), remembered per page and names: the amounts, the contacts and the page's own
    project each asked for the same scans."""
    out: dict[str, tuple[tuple[int, int], ...]] = {}
    for name in names:
        if name in out or normalize_region(name):
            continue
        pattern = _name_pattern(name)
        if pattern is not None:
            out[name] = tuple((m.start(), m.end()) for m in pattern.finditer(text))
    return out


def project_occurrences(text: str, names: Sequence[str]) -> list[tuple[int, int, str]]:
    """Every place a project of ``names`` is named in ``text``: (start, end, name), no overlaps, the
    longer name winning ('Tulevaisuuden sote-keskus' over 'Sote-keskus')."""
    spans = _name_spans(text, tuple(names))
    found: list[tuple[int, int, str]] = []
    for name in names:
        found += [(a, b, name) for a, b in spans.get(name, ())]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, str]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue
        out.append(f)
    return out


def _paragraph_start(text: str, pos: int) -> int:
    cut = text.rfind("\n\n", 0, pos)
    return 0 if cut < 0 else cut + 2


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """[start, end) of the line holding ``pos`` (one copy for the attachment and funder rules)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _nearest(items: Sequence[tuple[int, int, str]], lo: int, hi: int, start: int, end: int) -> str | None:
    """The item inside [lo, hi) nearest to [start, end); one after the sum counts 1.5× its distance."""
    best: tuple[float, str] | None = None
    for s, e, value in items:
        if s < lo or e > hi:
            continue
        distance = start - e if e <= start else (s - end) * 1.5 if s >= end else 0
        if best is None or distance < best[0]:
            best = (distance, value)
    return best[1] if best else None


def _recent(items: Sequence[tuple[int, int, str]], before: int, window: int) -> str | None:
    prior = [i for i in items if i[1] <= before and before - i[1] <= window]
    return prior[-1][2] if prior else None


_SEQUEL = re.compile(r"^(?:\d+(?:\.\d+)?|[IVX]{1,4})$")
_FOREIGN_WORD = re.compile(r"^[A-Z][a-z]{1,12}$")


def _sequel_word(word: str) -> bool:
    """A version ('2', '2.0', 'II') or a capitalised word no Finnish dictionary knows ('Link', 'Next'): a
    place ('Kainuussa', 'Oulu') or a common word is the same project's fuller name."""
    from hakemisto.core import voikko

    if _SEQUEL.match(word):
        return True
    return bool(_FOREIGN_WORD.match(word)) and normalize_region(word) is None and not voikko.analyze(word)


def sequel_name(a: str, b: str) -> bool:
    """Whether the longer name is the shorter plus one word of its own, with no dash or colon between:
    'Archipelago Care Link' beside 'Archipelago Care', 'Perhepolku 2.0' beside 'Perhepolku' are other
    projects (a sequel, a sister project); a subtitle after a dash ('Kotiin kotiutus – turvallinen …') or a
    place after 'och'/'ja' is the same project's fuller name."""
    short, long = sorted((" ".join(a.split()), " ".join(b.split())), key=len)
    if not long.casefold().startswith(short.casefold()):
        return False
    rest = long[len(short):]
    return rest[:1] == " " and len(rest.split()) == 1 and _sequel_word(rest.strip())


def main_project(text: str, names: Sequence[str], title: str | None = None) -> str | None:
    """The page's own project: the only one it names, or one named at least three times and twice
    as often as any other (an Innokylä card names its project again and again, a partner once), else
    the one project its title names. Each name is counted on its own, also inside a longer name that
    contains it."""
    counts: Counter[str] = Counter()
    spans = _name_spans(text, tuple(names))
    for name in names:
        if name in spans:
            counts[name] = len(spans[name])
    # a name holding another ('Kestävän kasvun -ohjelman mukaisesti RRF-Keski-Pohjanmaa') is a longer
    # reading of it, not a rival: its mentions are counted for the shorter name already
    # (a sequel is no longer reading: 'Satakunnan kotisairaala 2.0' is another project than the one it continues)
    counts = Counter({n: c for n, c in counts.items()
                      if c and not any(o != n and o in n and not sequel_name(o, n) for o in counts)})
    if not counts:
        return names[0] if len(names) == 1 and not normalize_region(names[0]) else None
    ranked = counts.most_common(2)
    if len(ranked) == 1 or ranked[0][1] >= max(3, 2 * ranked[1][1]):
        return ranked[0][0]
    return _title_names(title, counts)


def _title_names(title: str | None, names: Sequence[str]) -> str | None:
    """The one project of ``names`` a page title names ('Arjen tuki -hankkeen loppuraportti')."""
    if not title:
        return None
    named = {n for n in names if (pattern := _name_pattern(n)) and pattern.search(title)}
    named = {n for n in named if not any(o != n and n in o for o in named)}  # the longer reading
    return next(iter(named)) if len(named) == 1 else None


# --- amounts --------------------------------------------------------------------------------------


def amount_project(text: str, amount: Amount, sentence: tuple[int, int],
                   occurrences: Sequence[tuple[int, int, str]], single: str | None,
                   national: bool = False) -> str | None:
    """The project a sum belongs to: named in its sentence (nearest), else in its line or list item,
    else the latest one named earlier in its paragraph or in the text right before it, else the
    page's only project."""
    start, end = amount.start or 0, amount.end or 0
    line_start, line_end = line_bounds(text, start)
    # 'X:lle myönnettiin 300 000 euroa ja Y:lle 200 000 euroa': the sum's own clause first
    clause = _clause(text, *sentence, start)
    own = text[clause[0]:clause[1]].lower()
    if _county_money(text[clause[0]:clause[1]]) and not _nearest(occurrences, *clause, start, end):
        return None  # 'Pirkanmaalle myönnettiin näin yhteensä 1 420 000 euroa': the county's, no project's
    ended = _ended_projects(text, occurrences, start)
    if ended and _cue("predecessor").search(own):
        return ended[-1]  # 'Päättyneen hankkeen toteutuneet kustannukset olivat 1 140 000 euroa'
    if ended and _cue("follow_on").search(own) and not _nearest(occurrences, *clause, start, end):
        # 'Statsunderstödet för fortsättningsprojektet är 265 000 euro' after '… Nattro i hemvården, som
        # avslutades 2025': the follow-on's money, not the ended project's
        rest = [o for o in occurrences if o[2] not in ended]
        return amount_project(text, amount, sentence, rest, single if single not in ended else None, national)
    for lo, hi in (clause, sentence, (line_start, line_end)):
        hit = _nearest(occurrences, lo, hi, start, end)
        if hit:
            if (lo, hi) != clause and clause != sentence and any(
                    not _cue("follow_on").fullmatch(w.lower()) for w in _OWN_PROJECT.findall(text[clause[0]:clause[1]])):
                # '… X-hankkeelle 640 000 euroa ja Savon sosiaalipäivystyksen kehittämishankkeelle 880 000
                # euroa': the sum's clause names a project of its own that was not recognised; the other
                # clause's project is not it
                return None
            return hit
    if _PLURAL_PROJECTS.search(text[sentence[0]:sentence[1]]):
        # 'Kaikkiaan hankkeisiin on sidottu noin 2,7 miljoonaa euroa': a sum of several projects is none's
        return None
    line = text[line_start:line_end]
    rest = line.replace(amount.text, " ").strip(" |:;,.-–•*\t")
    card_field = len(rest.split()) <= 3 and bool(find_cues(rest) or not rest)  # 'Budjetti: 840 000 €'
    # (a sentence of its own that speaks of 'the project' — 'STM on myöntänyt jatkohankkeelle 540 000 euroa.'
    # — is running text, not a list row)
    sentence_line = line.rstrip().endswith(".") and bool(_PROJECT_WORD.search(line)) and "|" not in line
    if len(line.split()) <= _LIST_LINE_WORDS and len(rest) > 3 and not card_field and not sentence_line:
        # a list or table row of its own ('Helsingin kaupunki, Sujuvat palvelut Helsingissä: 3 650 000 €')
        # names its project or none; it does not borrow the row above's (nor, on a national page
        # listing many counties' grants, the one project the page happens to name)
        continued = _continued_row(text, occurrences, start)
        if continued:
            return continued
        if tables.SEP in line and _TOTAL_CELL.search(line.split(tables.SEP)[0]):
            return None  # 'Yhteensä | – | 1 890 | 1 820': the table's total, no project's
        return None if national else _heading_project(text, occurrences, start) or _in_item(text, occurrences,
                                                                                              single, start)
    paragraph = _paragraph_start(text, start)
    hit = _recent(occurrences, start, start - paragraph)
    if hit:
        return hit
    # 'Ministeriö on myöntänyt hankkeelle 5,6 M€ … Vuodelle 2023 avustuksesta on käytettävissä 1,2 M€':
    # a paragraph that speaks of "the project" before the sum speaks of the one named last above it
    if _PROJECT_WORD.search(text[min(paragraph, sentence[0]):sentence[1]]):
        hit = _recent(occurrences, start, RECENT_WINDOW)
        if hit:
            return hit
    return _heading_project(text, occurrences, start) or _in_item(text, occurrences, single, start)


_TOTAL_CELL = re.compile(r"(?<!\w)(?:yhteensä|kaikkiaan|summa|totalt|sammanlagt|total)\s*$", re.IGNORECASE)


def _continued_row(text: str, occurrences: Sequence[tuple[int, int, str]], pos: int) -> str | None:
    """A table row shorter than its table, whose first cell the loader dropped because it spans rows
    ('Nuorten mielen tuki | Valtionavustus | 1 250 t€' over '| Omarahoitusosuus | 140 t€' and
    '| Hanke yhteensä | 1 390 t€'), is the project of the nearest row above that names one; a total row
    above it closes that project's rows ('Rahoitus yhteensä | 1 730 t€' is no project's)."""
    rows = tables.table_rows(text, pos)
    if len(rows) < 2:
        return None
    width = max(len(text[lo:hi].split(tables.SEP)) for lo, hi in rows)
    here = next((r for r in rows if r[0] <= pos <= r[1]), None)
    if here is None or len(text[here[0]:here[1]].split(tables.SEP)) >= width:
        return None
    total = bool(_TOTAL_CELL.search(text[here[0]:here[1]].split(tables.SEP)[0]))
    for k, (lo, hi) in enumerate(reversed([r for r in rows if r[1] < here[0]])):
        named = [o for o in occurrences if lo <= o[0] < hi]
        if named:
            # a total right under one full row ('X | … | 340 000 €' over 'Yhteensä | | 4 097 000 €') is the
            # table's total, not that project's
            return None if total and k == 0 else named[0][2]
        if _TOTAL_CELL.search(text[lo:hi].split(tables.SEP)[0]):
            return None
    return None


@cache
def _cue(kind: str) -> re.Pattern[str]:
    return _cue_of("succession", kind)


def _county_money(clause: str) -> bool:
    """The clause gives the county money as a whole: it names the county (or 'hyvinvointialue'), no
    project word, and a total or the county's general funding ('hyte-kerroin', 'yhteensä')."""
    low = clause.lower()
    if _PROJECT_WORD.search(low) or _PLURAL_PROJECTS.search(low) or not _cue_of("county_money", "scope").search(low):
        return False
    from hakemisto.core.regions import find_mentions

    return bool(_cue_of("county_money", "county").search(low)) or bool(find_mentions(clause))


@cache
def _cue_of(table: str, kind: str) -> re.Pattern[str]:
    """One compiled pattern per word list, built once (``re``'s own cache evicts under many patterns)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(vocab()[table][kind]) + r")(?!\w)")


def _ended_projects(text: str, occurrences: Sequence[tuple[int, int, str]], pos: int) -> list[str]:
    """The projects named before ``pos`` in a sentence that says they ended ('Vuoden 2025 lopussa päättynyt
    X -hanke saa jatkoa', 'Nattro i hemvården, som avslutades 2025'), in text order."""
    out: list[str] = []
    for s, e, name in occurrences:
        if e <= pos and name not in out and _cue("ended").search(sentence_at(text, s, e).lower()):
            out.append(name)
    return out


# The items of a minute or an agenda ('§ 52 Statsunderstöd för ICT-förändringskostnader', '§ 210 …',
# '12 § …'): each decides its own matter.
_ITEM = re.compile(r"^(?:§\s*\d{1,4}\b|\d{1,4}\s*§)", re.MULTILINE)


def _in_item(text: str, occurrences: Sequence[tuple[int, int, str]], single: str | None, pos: int) -> str | None:
    """The page's own project for a sum, unless the page is a minute of several items and the sum's item
    names no project ('§ 52 Statsunderstöd för ICT-förändringskostnader' beside '§ 53 Ansökan … för
    projektet Trygg ungdom'): a grant to the county in another matter is not that project's."""
    if single is None:
        return None
    starts = [m.start() for m in _ITEM.finditer(text)]
    if len(starts) < 2 or pos < starts[0]:
        return single
    lo = max(s for s in starts if s <= pos)
    hi = min((s for s in starts if s > pos), default=len(text))
    return single if any(lo <= s < hi for s, _e, _n in occurrences) else None


# Several projects spoken of together ('hankkeisiin', 'hankkeiden', 'projekten', 'projekterna', 'projektit').
_PLURAL_PROJECTS = re.compile(r"(?<![\w-])(?:\w*hankkei(?:siin|den|ssa|lle|sta|lla|ta|hin)(?:nsa|nsä|en|mme|nne)?|\w*hankkeet|\w*projektit"
                              r"|\w*projektei\w+|projekten|projekter(?:na|nas)?|\w+projekt(?:en|er|erna)"
                              r"|hakemusten|hakemuksi\w+|ansökningarna\w*"
                              r"|(?:kaksi|kahden|kahdelle|kahteen|kolme|kolmen|kolmelle|kolmeen|neljä|neljän|neljälle"
                              r"|neljään|viisi|viiden|viidelle|viiteen|två|tre|fyra|fem) (?:\w+ ){0,2}\w*(?:hank|projekt)\w*)"
                              r"(?![\w-])",
                              re.IGNORECASE)

# A project word of the clause's own ('kehittämishankkeelle', 'RRP-hankkeelle', 'utvecklingsprojektet'), not
# the bare anaphoric 'hankkeelle' / 'projektet' that speaks of a project named before.
_OWN_PROJECT = re.compile(r"(?<![\w-])\w{3,}hank\w*|\w-hank\w*|(?<![\w-])\w{3,}projekt\w*|\w-projekt\w*",
                          re.IGNORECASE)


def _heading_project(text: str, occurrences: Sequence[tuple[int, int, str]], pos: int) -> str | None:
    """The project named by the heading the sum stands under: the latest mention before ``pos`` on a
    short line of its own ('Arjen tuki Kainuussa' / 'Kainuu: Arjen tuki'), with no other project named
    between it and the sum (a card's 'Budjetti: 840 000 €' far below its title)."""
    prior = [o for o in occurrences if o[1] <= pos]
    if not prior:
        return None
    for s, _e, name in reversed(prior):
        line_start, line_end = line_bounds(text, s)
        line = text[line_start:line_end]
        if len(line.split()) <= _LIST_LINE_WORDS and not line.rstrip().endswith((".", "!", "?")) \
                and not _MONEY_HINT.search(line):
            between = {n for a, _b, n in prior if a > line_end}
            # the heading's own short forms below it ('NuMi-hanke …' under 'Nuorten mielen tuki … (NuMi)')
            return name if all(n == name or n in name for n in between) else None
    return None


_MONEY_HINT = re.compile(r"\d\s*(?:€|e(?:uro|ur)\w*|milj\w*|M€)", re.IGNORECASE)


def amount_region(text: str, amount: Amount, sentence: tuple[int, int], regions: Sequence[Entity],
                  page_region: str | None) -> str | None:
    """The county whose money a sum is.

    On a county page: the page's county, unless the sum's own clause names another ('Helsingin osuus
    on 410 000 euroa ja Länsi-Uudenmaan 320 000 euroa') or its sentence names only another county.
    On a national page (no page county): the county of its clause, or of its sentence when that names
    only one, or of its list item or the short heading line above it in its paragraph ('Pirkanmaa' /
    '2,1 miljoonaa euroa'); else None — a sum shared by several counties is nobody's alone.
    """
    start, end = amount.start or 0, amount.end or 0
    spans = _region_spans(regions)
    s, e = sentence
    in_sentence = {r for a, b, r in spans if s <= a and b <= e}
    near = _county_near(text, spans, sentence, start, end)
    if page_region is not None:
        if _international_whole_or_partner(text, sentence, start, end):
            return None  # an international project's whole sum or a foreign partner's share
        if near is None and (_other_counties_row(text, spans, start) or _other_counties_list(text, spans, start)):
            return None  # 'Region Gotland | 380 000' in a table of counties' shares: a partner's own
        if len(in_sentence) >= 2:
            clause = _clause(text, s, e, start)
            if _joint_counties(text, spans, *clause):
                # 'Pirkanmaa ja Kanta-Häme yhdistävät … – hankkeeseen 1,45 miljoonaa euroa': the counties
                # act together; the money is the lead county's, the page's
                return page_region
            return _nearest(spans, *clause, start, end) or page_region
        return near or page_region
    if near:
        return near
    line_start, line_end = line_bounds(text, start)
    if len(text[line_start:line_end].split()) <= _LIST_LINE_WORDS:
        hit = _nearest(spans, line_start, line_end, start, end)
        if hit:
            return hit
    paragraph = _paragraph_start(text, start)
    headings = [sp for sp in spans if paragraph <= sp[0] < line_start
                and len(text[slice(*line_bounds(text, sp[0]))].split()) <= _LIST_LINE_WORDS]
    if headings:
        return headings[-1][2]
    return _section_county(text, spans, paragraph)


def _international_whole_or_partner(text: str, sentence: tuple[int, int], start: int, end: int) -> bool:
    """Whether the sum is an international project's whole budget or grant ('Projektets totala budget är
    6,2 miljoner euro', 'Interreg-finansiering | 1 440 000 € (80 %)' under 'Total budget | 1,8 M€') or a
    foreign partner's share ('Region Norrbotten | 720 000 €'), on a page part that speaks of a project
    with partners abroad: no county's money. Words are data (``roles.toml``, [international])."""
    s, e = sentence
    window = text[max(0, start - _INTERNATIONAL_REACH):e].lower()
    if not _intl_pattern("markers").search(window):
        return False
    line_start, line_end = line_bounds(text, start)
    head = text[line_start:start].lower().lstrip(" -•*–")
    if _intl_pattern("partners", anchored=True).match(head):
        return True
    if not _OWN_SHARE_STATED.search(text):
        return False  # the county's own part is not told apart: the whole is its project's money
    clause_start = max([s, *(m.end() for m in _CLAUSE.finditer(text, s, start))])
    own = text[clause_start:start].lower()
    if _SHARE_OPENER.match(own):
        return False  # 'josta Soiten osuus on 48 000 euroa': a share of the whole
    label = text[line_start:start].lower() if len(text[line_start:start].split()) <= 6 else ""
    if _intl_pattern("wholes").search(own) or _intl_pattern("wholes").search(label) or _intl_pattern("wholes").search(text[end:min(e, end + 80)].lower()):
        return True
    if _PERCENT_AFTER.match(text[end:line_end]):
        # a share in per cent right under the whole's line of a fact box
        above = [line for line in text[:line_start].lower().split("\n")[-4:] if line.strip()][-2:]
        return any(_intl_pattern("wholes").search(line) for line in above)
    return False


_INTERNATIONAL_REACH = 600
# (compiled once here: a pattern string given to ``re.match`` goes through ``re``'s cache of 512, which
# the per-page name patterns keep evicting)
_SHARE_OPENER = re.compile(r"\s*(?:josta|joista|varav|därav|av vilka|av den|av det)\s")
_PERCENT_AFTER = re.compile(r"\s*\(\s*\d{1,3}\s*%\s*\)")
# A partner's share stated with its sum ('Helsingfors andel av budgeten är 525 000 euro', 'josta Soiten
# osuus on 48 000 euroa', 'Varhas andel' over its sum): only then is the whole no county's own.
_OWN_SHARE_STATED = re.compile(r"(?<!\w)(?:andel|andelen|osuus|osuudeksi)(?!\w)[^.]{0,40}?\d", re.IGNORECASE)


@cache
def _intl_pattern(kind: str, anchored: bool = False) -> re.Pattern[str]:
    words = sorted(role_vocab()["international"][kind], key=len, reverse=True)
    alternatives = "|".join(rf"{re.escape(w[:-1])}[\w-]*" if w.endswith("*") else rf"{re.escape(w)}(?![\w-])"
                            for w in words)
    return re.compile(rf"^(?:{alternatives})" if anchored else rf"(?<![\w-])(?:{alternatives})")


def _section_county(text: str, spans: Sequence[tuple[int, int, str]], paragraph: int) -> str | None:
    """The county a heading line of its own names right above the sum's paragraph ('Kainuu' /
    'Hankkeelle haettiin valtionavustusta 416 000 euroa.'), within ``_SECTION_REACH`` characters and
    with no other county named between the heading and the sum's paragraph."""
    prior = [sp for sp in spans if paragraph - _SECTION_REACH <= sp[0] < paragraph]
    if not prior:
        return None
    for a, _b, region in reversed(prior):
        lo, hi = line_bounds(text, a)
        line = text[lo:hi].strip()
        if line and len(line.split()) <= _HEADING_WORDS and not _MONEY_HINT.search(line) \
                and not line.endswith((".", "!", "?", ":")):
            between = {r for s, _e, r in prior if s >= lo}
            return region if between == {region} else None
    return None


# A county heading above a national page's section: a line this short ('Kainuu', 'Pohjois-Savo').
_HEADING_WORDS = 4
_SECTION_REACH = 600


def _joint_counties(text: str, spans: Sequence[tuple[int, int, str]], lo: int, hi: int) -> bool:
    """Whether a county named in text[lo:hi] is joined to another by 'ja' / 'och' / 'sekä' / a dash
    ('Pirkanmaa ja Kanta-Häme', 'Pirkanmaan ja Kanta-Hämeen hyvinvointialueet')."""
    inside = [sp for sp in spans if lo <= sp[0] and sp[1] <= hi]
    for a, _b, region in inside:
        for _a2, b2, other in spans:
            if other != region and b2 <= a and _JOINED.fullmatch(text[b2:a]):
                return True
    return False


_JOINED = re.compile(r"\w{0,4}\s+(?:ja|och|sekä|samt)\s+|\s*[–—-]\s*")


def _other_counties_list(text: str, spans: Sequence[tuple[int, int, str]], pos: int) -> bool:
    """Whether ``pos`` stands on a short list line naming no county, in a run of such lines with sums
    of which two or more name a county ('Österbottens välfärdsområde 1 120 000 euro' / 'Mellersta
    Österbottens välfärdsområde 540 000 euro' / 'Region Västerbotten 720 000 euro'): a partner's share."""
    lo, hi = line_bounds(text, pos)
    if len(text[lo:hi].split()) > _LIST_LINE_WORDS or any(lo <= a < hi for a, _b, _r in spans):
        return False
    named = 0
    for step in (-1, 1):
        a, b = lo, hi
        while True:
            if step < 0:
                if a == 0:
                    break
                b = a - 1
                while b > 0 and text[b - 1] == "\n":
                    b -= 1
                a = text.rfind("\n", 0, b) + 1
            else:
                a = b + 1
                while a < len(text) and text[a] == "\n":
                    a += 1
                if a >= len(text):
                    break
                b = text.find("\n", a)
                b = len(text) if b < 0 else b
            line = text[a:b]
            if not line.strip() or len(line.split()) > _LIST_LINE_WORDS or not _MONEY_HINT.search(line):
                break
            named += any(a <= s < b for s, _e, _r in spans)
    return named >= 2


def _other_counties_row(text: str, spans: Sequence[tuple[int, int, str]], pos: int) -> bool:
    """Whether ``pos`` stands in a table row naming no county, in a table one column of which names two
    counties or more (a partner table: each row's sum is that row's partner's, not the page county's)."""
    rows = tables.table_rows(text, pos)
    if len(rows) < 3:
        return False
    column = tables.cell_at(text, pos, pos)
    own = next(((a, b) for a, b in rows if a <= pos <= b), None)
    if column is None or own is None:
        return False
    by_column: dict[int, set[str]] = {}
    for a, b in rows:
        for s, _e, region in spans:
            if a <= s < b:
                by_column.setdefault(text[a:s].count(tables.SEP), set()).add(region)
    named = {c for c, regions in by_column.items() if len(regions) >= 2}
    return bool(named) and not any(own[0] <= s < own[1] for s, _e, _r in spans)


# A line this short is a heading or a list item ('Kainuun hyvinvointialue  1 200 000 €').
_LIST_LINE_WORDS = 12


def _county_near(text: str, spans: Sequence[tuple[int, int, str]], sentence: tuple[int, int],
                 start: int, end: int) -> str | None:
    """The county named in the sum's clause, or in its sentence when the sentence names only one."""
    s, e = sentence
    hit = _nearest(spans, *_clause(text, s, e, start), start, end)
    if hit:
        return hit
    named = {r for a, b, r in spans if s <= a and b <= e}
    return next(iter(named)) if len(named) == 1 else None


_CLAUSE = re.compile(r",\s|;\s|:\s|(?<!-)\s(?:ja|sekä|och|samt)\s")


def _clause(text: str, s: int, e: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence text[s:e] around ``pos`` (split at , ; : dashes and 'ja' / 'och')."""
    lo, hi = s, e
    for m in _CLAUSE.finditer(text, s, e):
        if m.end() <= pos:
            lo = m.end()
        elif m.start() >= pos:
            hi = m.start()
            break
    return lo, hi


def _region_spans(regions: Sequence[Entity]) -> list[tuple[int, int, str]]:
    """County mentions without overlaps (the first, longest reading of a stretch of text wins)."""
    out: list[tuple[int, int, str]] = []
    for r in sorted(regions, key=lambda r: (r.start, -(r.end - r.start))):
        if out and r.start < out[-1][1]:
            continue
        out.append((r.start, r.end, r.canonical))
    return out


def attach_amounts(text: str, amounts: Sequence[Amount], bounds: Sequence[tuple[int, int]],
                   projects: Sequence[str], regions: Sequence[Entity], page_region: str | None,
                   national: bool = False, title: str | None = None) -> list[Amount]:
    """The amounts with role, region, project and part_of filled.

    ``national``: the page speaks for the whole country (a ministry release): a granted sum that
    names no county and no project there is the ministry's total, a pool.
    """
    if not amounts:
        return []
    sentences = [sentence_bounds(bounds, a.start or 0) for a in amounts]
    spans = [(a.start or 0, a.end or 0, s, e) for a, (s, e) in zip(amounts, sentences, strict=True)]
    roles = amount_roles(text, spans)
    parts = part_links(text, spans)
    occurrences = project_occurrences(text, projects)
    single = main_project(text, projects, title)
    teasers = related_offset(text)
    out = []
    for amount, sentence, (role, strong), part in zip(amounts, sentences, roles, parts, strict=True):
        if (amount.start or 0) >= teasers:
            # 'LUE MYÖS / Kainuussa Arjen tuki -hanke sai 900 000 euroa': another story's teaser
            # is neither this page's county's money nor its project's
            out.append(replace(amount, role=role, region=None, project=None, part_of=part))
            continue
        if part is not None and roles[part][0] == "pool" and not strong:
            role = "pool"  # 'käytettävissä 14 M€, josta Kainuun osuus on 4,2 M€': a share of a pot
        region = amount_region(text, amount, sentence, regions, None if national else page_region)
        project = amount_project(text, amount, sentence, occurrences, single, national)
        if national and role == "granted" and region is None and project is None \
                and not _ONE_PROJECT.search(text[sentence[0]:sentence[1]]):
            role = "pool"
        if role == "granted" and (amount.eur or 0) > _GRANT_MAX \
                and (project is None or project.lower() not in text[sentence[0]:sentence[1]].lower()):
            role, strong = "pool", True  # '… myönnettiin yhteensä 31 miljoonaa euroa': no county's grant
        if role == "pool":
            # A pot has no project. It is a county's only when a weak cue made it a pot (a ceiling:
            # 'Keski-Suomen laskennallinen osuus on enintään …') and its sentence names the county;
            # a strong cue ('21 hyvinvointialueelle', 'jaettavissa') speaks of the whole country.
            region, project = None if strong else _named_region(text, amount, sentence, regions), None
        out.append(replace(amount, role=role, region=region, project=project, part_of=part))
    return _sum_parts(text, _restated_projects(text, out, sentences, occurrences))


_GRANT_MAX = role_vocab()["pool"]["granted_at_most_eur"]

# Words that say a sum is rounded ('Knappt 0,6 miljoner euro', 'noin 1,5 miljoonaa'); a sum written with
# at most two significant digits is rounded too.
_ROUNDING = frozenset({"noin", "n.", "arviolta", "lähes", "vajaa", "vajaat", "runsas", "runsaat", "reilu", "reilut",
                       "hieman yli", "hieman alle", "vähän yli", "cirka", "ca", "ca.", "c:a", "drygt", "nästan",
                       "knappt", "omkring", "ungefär"})
_RESTATE_REACH = 1200  # characters back to the exact sum a rounded one restates


def _rounded(amount: Amount) -> bool:
    if amount.qualifier and amount.qualifier.casefold() in _ROUNDING:
        return True
    digits = str(int(round(amount.eur))).rstrip("0")
    return amount.eur >= 100_000 and len(digits) <= 2


def _restates(rounded: Amount, exact: Amount) -> bool:
    """A rounded sum stands for an exact one within half its last written digit, at least 5 %, at most
    10 % ('knappt 0,6 miljoner' for 587 000 €)."""
    value, unit = int(round(rounded.eur)), 1
    while value and value % (unit * 10) == 0:
        unit *= 10
    tolerance = min(0.10, max(0.05, unit / 2 / max(rounded.eur, exact.eur, 1)))
    return abs(rounded.eur - exact.eur) <= tolerance * max(rounded.eur, exact.eur)


def _restated_projects(text: str, amounts: list[Amount], sentences: Sequence[tuple[int, int]],
                       occurrences: Sequence[tuple[int, int, str]]) -> list[Amount]:
    """A rounded sum whose sentence names no project and that restates an exact sum written shortly before
    ('… statsunderstöd på 587 000 euro för projektet X.' ¶ 'Knappt 0,6 miljoner euro räcker till slutet av
    2025.') is the same money: it takes that sum's project (and role), not the page's own project."""
    out = list(amounts)
    for j, a in enumerate(amounts):
        start, end = a.start or 0, a.end or 0
        said = text[sentences[j][0]:sentences[j][1]]
        if not _rounded(a) or a.role not in ("granted", "applied", "budget") or a.part_of is not None \
                or _nearest(occurrences, *sentences[j], start, end) or _PLURAL_PROJECTS.search(said) \
                or _county_money(said):
            continue
        earlier = [b for b in amounts[:j] if b.project and not _rounded(b) and b.role == a.role
                   and 0 < start - (b.end or 0) <= _RESTATE_REACH and _restates(a, b)]
        if earlier and earlier[-1].project != a.project:
            out[j] = replace(a, project=earlier[-1].project)
    return out

# A sentence speaking of one project ('myönsi hankkeeseen', 'projektet har beviljats'): its grant is that
# project's even when the project's name was not recognised — not a national pot.
_ONE_PROJECT = re.compile(r"(?<![\w-])(?:hanke|hankkee(?:n|lle|seen|ssa|lla|sta))(?![\w-])|-hank\w*"
                          r"|(?<![\w-])projekt(?:et|ets)(?![\w-])"
                          # one study or survey as the recipient ('Utredningen har beviljats 59 000 euro')
                          r"|(?<![\w-])(?:undersökningen|utredningen|studien|förstudien|(?:esi)?selvitykse(?:lle|en))(?![\w-])",
                          re.IGNORECASE)


def _named_region(text: str, amount: Amount, sentence: tuple[int, int], regions: Sequence[Entity]) -> str | None:
    return _county_near(text, _region_spans(regions), sentence, amount.start or 0, amount.end or 0)


def _sum_parts(text: str, amounts: list[Amount], reach: int = 4) -> list[Amount]:
    """A sum that equals the sum of the 2–``reach`` sums right before or after it in its paragraph
    ('aiempi valtionavustus oli 1 340 000 euroa, joten valtionavustus on yhteensä 1 620 000 euroa'
    after a 280 000 euroa grant) is their whole: they get ``part_of`` pointing at it."""
    out = list(amounts)
    for j, whole in enumerate(amounts):
        if whole.part_of is not None or whole.eur <= 0:
            continue
        paragraph = _paragraph_start(text, whole.start or 0)
        ends = paragraph + len(text[paragraph:].split("\n\n", 1)[0])
        for k in range(2, reach + 1):
            before = range(j - k, j)  # 'aiempi … 1 340 000 euroa, joten yhteensä 1 620 000 euroa'
            after = range(j + 1, j + 1 + k)  # 'yhteensä 4,9 miljoonaa euroa: … 1 780 000 ja 3 120 000 euroa'
            found = False
            for run in (before, after):
                if run.start < 0 or run.stop > len(amounts) or any(
                        not paragraph <= (amounts[i].start or 0) < ends or out[i].part_of is not None
                        # ('myönnettiin 500 000 … pienensi 430 000 euroon … tulot vähenevät 70 000 euroa': a
                        # changed grant and the difference are no parts of the first grant)
                        or (amounts[i].role in ("other", "pool") and amounts[i].role != whole.role) for i in run):
                    continue
                if abs(sum(amounts[i].eur for i in run) - whole.eur) <= 0.005 * whole.eur:
                    for i in run:
                        out[i] = replace(out[i], part_of=j)
                    found = True
                    break
            if found:
                break
    return out


def sentence_bounds(bounds: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span holding ``pos`` (an empty span at ``pos`` when none does)."""
    for s, e in bounds:
        if s <= pos < e:
            return s, e
    return pos, pos


# --- contacts -------------------------------------------------------------------------------------


def _mention_of(text: str, name: str) -> int | None:
    """Where a person is first named in running text, inflected or not ('Katri Nousiaisen')."""
    parts = name.split()
    if len(parts) < 2:
        return None
    first, last = parts[0], parts[-1]
    stem = last[: max(3, len(last) - 3)] if len(last) > 5 else last
    m = _person_pattern(first, stem).search(text)
    return m.start() if m else None


@lru_cache(maxsize=4096)
def _person_pattern(first: str, stem: str) -> re.Pattern[str]:
    """A person's first name and last-name stem, compiled once per name (not through ``re``'s cache)."""
    return re.compile(rf"(?<!\w){re.escape(first)}\s+{re.escape(stem)}")


def _named_in(line: str, projects: Sequence[str]) -> str | None:
    for name in sorted(projects, key=len, reverse=True):
        pattern = _name_pattern(name)
        if pattern and pattern.search(line) and not normalize_region(name):
            return name
    return None


def contact_project(text: str, contact: Contact, occurrences: Sequence[tuple[int, int, str]],
                    projects: Sequence[str], single: str | None, national: bool = False) -> str | None:
    """The project a contact runs or answers for: named in the contact's own line (or, for a name
    alone on its line, the title line under it), else — for a person first named in running text —
    the project the text spoke of just before, else the page's own project. Never for an office-wide
    title ('hanketoimiston päällikkö'); on a national page (a ministry's or a call's officials in
    'Lisätietoja') only for a project title or a project named on the person's own line."""
    if contact.title and _office_title().search(contact.title):
        return None
    if contact.sentence:
        hit = _named_in(contact.sentence, projects)
        if hit:
            return hit
    pos = _mention_of(text, contact.name)
    project_role = bool(contact.title and _project_title().search(contact.title))
    if pos is not None:
        line_start, line_end = line_bounds(text, pos)
        line = text[line_start:line_end]
        lines = [line]
        if len(line.split()) <= 4:  # 'Pia Vähäkangas' / 'Hankejohtaja, Pohjanmaan … hanke'
            lines.append(text[line_end:line_end + 200].strip().split("\n")[0])
        for candidate in lines:
            hit = _named_in(candidate, projects) if len(candidate) < 200 else None
            if hit:
                return hit
        if _running_text(line) and (project_role or not national):
            hit = _recent(occurrences, pos, RECENT_WINDOW)
            if hit:
                return hit
    return single if project_role or not national else None


_REACHABLE = re.compile(r"@|\((?:at|ät)\)|\[at\]|\b(?:puh|p|tel|tfn|telefon|puhelin)\b\.?\s*:?\s*\+?\d|\d{2,3}\s\d{3}\s?\d{3,4}",
                        re.IGNORECASE)


def _running_text(line: str) -> bool:
    """A sentence of the story, not a label, a list line or a contact block line with a phone / e-mail."""
    return len(line.split()) >= _RUNNING_TEXT_WORDS and not _REACHABLE.search(line)


@cache
def _project_title() -> re.Pattern[str]:
    words = vocab()["contacts"]["project_titles"]
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


@cache
def _office_title() -> re.Pattern[str]:
    words = vocab()["contacts"]["office_titles"]
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def attach_contacts(text: str, contacts: Sequence[Contact], projects: Sequence[str],
                    national: bool = False, title: str | None = None) -> list[Contact]:
    """The contacts with ``project`` filled (see ``contact_project``)."""
    occurrences = project_occurrences(text, projects)
    single = main_project(text, projects, title)
    return [replace(c, project=contact_project(text, c, occurrences, projects, single, national)) for c in contacts]
