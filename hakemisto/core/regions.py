"""The 21 wellbeing services counties + Helsinki: names, aliases, domains and normalisation.

The one county registry is ``data/counties.toml`` (names, Swedish names, publisher, aliases and
predecessors, domains, municipalities); sources and the report read it through ``all_regions``.

``normalize_region`` maps inflected, Swedish, misspelled and predecessor-organisation forms to the
canonical Finnish name (gold README). Neighbouring counties differ by one direction word
('Keski-Pohjanmaa' / 'Pohjanmaa'), so fuzzy matching only ever compares names with the same
direction words: they can be close as strings and still never merge.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

from hakemisto.core import voikko

FUZZY_CUTOFF = 86.0
FUZZY_MIN_LEN = 6
_WORD = re.compile(r"[\w-]+(?:\.fi)?", re.UNICODE)


@dataclass(frozen=True)
class Region:
    canonical: str
    sv: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    org: str = ""  # the publisher as it names itself
    municipalities: tuple[tuple[str, str], ...] = ()  # (Finnish, Swedish or "")


@cache
def _data() -> dict:
    return tomllib.loads(resources.files("hakemisto").joinpath("data/counties.toml").read_text("utf-8"))


@cache
def all_regions() -> tuple[Region, ...]:
    """Every county in registry order."""
    return tuple(
        Region(r["canonical"], r["sv"], tuple(r.get("aliases", ())), tuple(r.get("domains", ())),
               r.get("org", ""), tuple(r.get("municipalities", {}).items()))
        for r in _data()["region"]
    )  # fmt: skip


def region_named(canonical: str) -> Region | None:
    """The registry entry of a canonical county name."""
    return next((r for r in all_regions() if r.canonical == canonical), None)



@lru_cache(maxsize=50_000)
@lru_cache(maxsize=50_000)
def _base(word: str) -> str:
    """Base form of one word, place names preferred ('Pohjanmaalla' → 'pohjanmaa')."""
    low = word.lower()
    if "-" in word and not word.endswith("-"):
        head, _, tail = word.rpartition("-")
        return f"{head.lower()}-{_base(tail)}"
    analyses = voikko.analyze(word)
    if not analyses:
        return low
    places = [a for a in analyses if a.get("CLASS") == "paikannimi"]
    best = (places or analyses)[0]
    return str(best.get("BASEFORM", word)).lower()


def key_variants(text: str) -> set[str]:
    """Lookup keys for a name: as written, word base forms, and Swedish genitive without -s."""
    words = _WORD.findall(text.strip())
    if not words:
        return set()
    low = [w.lower() for w in words]
    keys = {" ".join(low), " ".join(_base(w) for w in words)}
    if low[-1].endswith("s") and len(low[-1]) > 3:
        keys.add(" ".join([*low[:-1], low[-1][:-1]]))
    return keys


def directions(key: str) -> frozenset[str]:
    """The direction words of a name ('keski-pohjanmaa' → {'C'}); names with different sets never merge."""
    table = _data()["directions"]
    return frozenset(table[p] for p in re.split(r"[\s-]+", key) if p in table)


@cache
def _index() -> dict[str, str]:
    """Lookup key → canonical name, for names, Swedish names, aliases and domains."""
    index: dict[str, str] = {}
    for region in all_regions():
        for name in (region.canonical, region.sv, *region.aliases):
            for key in key_variants(name):
                index.setdefault(key, region.canonical)
        for domain in region.domains:
            index.setdefault(domain.lower(), region.canonical)
    return index


def lookup_key(key: str) -> str | None:
    """Exact lookup of an already normalised key (lower-case base forms)."""
    return _index().get(key)


@lru_cache(maxsize=20_000)
def normalize_region(text: str) -> str | None:
    """Canonical county for a name in any form, or None ('Keski-Pohjanmaan' → 'Keski-Pohjanmaa')."""
    if not text or not text.strip():
        return None
    index = _index()
    keys = key_variants(text)
    for key in sorted(keys, key=len, reverse=True):
        if key in index:
            return index[key]
    return _fuzzy(keys)


@cache
def _keys_by_directions() -> dict[frozenset[str], tuple[str, ...]]:
    """The lookup keys grouped by their direction words, each group in ``_index`` order: a fuzzy
    lookup compares a word only with keys of its own directions (it re-split every key of the index
    on each call — a twentieth of a rules-only rebuild)."""
    groups: dict[frozenset[str], list[str]] = {}
    for key in _index():
        groups.setdefault(directions(key), []).append(key)
    return {wanted: tuple(keys) for wanted, keys in groups.items()}


def _fuzzy(keys: set[str]) -> str | None:
    index = _index()
    groups = _keys_by_directions()
    best: tuple[float, str] | None = None
    for key in keys:
        if len(key) < FUZZY_MIN_LEN:
            continue
        wanted = directions(key)
        choices = [k for k in groups.get(wanted, ()) if abs(len(k) - len(key)) <= 3]
        if not choices:
            continue
        from rapidfuzz import fuzz, process  # only for a word long enough to be a misspelt name (issue 17)

        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], index[hit[0]])
    return best[1] if best else None


def region_for_url(url: str | None) -> str | None:
    """The county whose web domain publishes ``url`` (subdomains included)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for region in all_regions():
        for domain in region.domains:
            if host == domain or host.endswith("." + domain):
                return region.canonical
    return None


def suggest_region(text: str, limit: int = 3) -> list[str]:
    """Closest canonical names for a CLI 'did you mean' (any direction: it is only a hint)."""
    from rapidfuzz import fuzz, process

    names = {r.canonical: r.canonical for r in all_regions()} | {r.sv: r.canonical for r in all_regions()}
    hits = process.extract(text, list(names), scorer=fuzz.WRatio, limit=limit * 2)
    out: list[str] = []
    for name, _score, _ in hits:
        if names[name] not in out:
            out.append(names[name])
    return out[:limit]


# --- a planner's --region value: any known name, municipalities and names typed without ä/ö/å ----------

_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "A", "Ö": "O", "Å": "A"})


def fold_diacritics(text: str) -> str:
    """'Päijät-Häme' → 'Paijat-Hame': what a planner types on a keyboard without Nordic letters."""
    return text.translate(_FOLD)


# --- mentions in running text (issue 12) ----------------------------------------------------------

# Finnish case endings tried on words voikko does not know ('Kymsoten', 'Essotessa', 'Siun soten',
# 'PHHYKY:n'), longest first; Swedish genitive / definite endings on every word
# ('Egentliga Finlands välfärdsområdes', 'välfärdsområdet').
_FI_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "seen", "hin", "na", "nä",
               "ta", "tä", "n", "a", "ä")
_SV_DIRECTIONS = ("östra", "västra", "mellersta", "norra", "södra", "egentliga")
_TOKEN = re.compile(r"[\w][\w:.-]*[\w]|\w", re.UNICODE)
MAX_WINDOW = 4


@dataclass(frozen=True)
class Mention:
    """One county named in a text: a county name or alias ('county'), or a municipality in it."""

    start: int
    end: int
    region: str
    kind: str
    text: str


@cache
def _municipalities() -> dict[str, str]:
    """Lookup key (fi/sv name, base forms, folded) → county, from the registry's municipalities."""
    out: dict[str, str] = {}
    for region in all_regions():
        county = region.canonical
        for fi, sv in region.municipalities:
            for name in (fi, sv):
                for key in key_variants(name) if name else ():
                    out.setdefault(key, county)
                    out.setdefault(fold_diacritics(key), county)
    return out


@cache
def _folded_index() -> dict[str, str]:
    """The county lookup keys with ä/ö/å folded ('paijat-hame' → 'Päijät-Häme')."""
    return {fold_diacritics(key): name for key, name in _index().items()}


def municipality_county(text: str) -> str | None:
    """The county of a municipality named in any form ('Vaasa', 'Vasa', 'Vaasassa' → 'Pohjanmaa')."""
    table = _municipalities()
    for key in sorted(key_variants(text), key=len, reverse=True):
        found = table.get(key) or table.get(fold_diacritics(key))
        if found:
            return found
    return None


@lru_cache(maxsize=5_000)
def resolve_filter(text: str) -> str | None:
    """The county a planner means by a filter value: a county name in any language or form, a
    predecessor organisation, a municipality, or any of these typed without ä/ö/å."""
    if not text or not text.strip():
        return None
    folded = {fold_diacritics(key) for key in key_variants(text)}
    for key in sorted(folded, key=len, reverse=True):
        if key in _folded_index():
            return _folded_index()[key]
    return municipality_county(text) or normalize_region(text) or normalize_region(fold_diacritics(text))


def resolve_county(value: str) -> str:
    """The county a ``--region`` value means, or one usage error listing all 22 counties.

    Every entry point (search, report, digest and watches, projects, contacts, entities, sources, the
    web API) resolves through here, so 'Vaasa' (a municipality), 'Vasa', 'Österbotten' and
    'Paijat-Hame' (typed without ä/ö/å) mean the same county everywhere.
    """
    from hakemisto.core.errors import UnknownRegion

    canonical = resolve_filter(value)
    if canonical:
        return canonical
    from rapidfuzz import process

    names = {name: r.canonical for r in all_regions() for name in (r.canonical, r.sv)}
    match = process.extractOne(value, list(names), score_cutoff=70)
    hint = names[match[0]] if match else None
    known = [r.canonical if r.sv == r.canonical else f"{r.canonical} / {r.sv}" for r in all_regions()]
    raise UnknownRegion(value, tuple(known), hint)


def region_names_line() -> str:
    """All 22 canonical names with their Swedish names, for error messages."""
    return ", ".join(r.canonical if r.sv == r.canonical else f"{r.canonical} ({r.sv})" for r in all_regions())


@cache
def _ambiguous_municipalities() -> frozenset[str]:
    """Municipality names that are also first names, surnames, companies or words (counties.toml ``[mentions]``)."""
    names = _data().get("mentions", {}).get("ambiguous_municipalities", ())
    return frozenset(k for name in names for k in key_variants(name))


def municipality_region(text: str) -> str | None:
    """The county of a municipality named in running text, in any inflection ('Vaasassa' → 'Pohjanmaa',
    'i Jakobstad'); names that are also people, firms or words ('Lahti', 'Nokia', 'Simo') are skipped."""
    index = _municipalities()
    skip = _ambiguous_municipalities()
    for key in sorted(_lookup_keys(text), key=len, reverse=True):
        if key in index and key not in skip:
            return index[key]
    return None


@lru_cache(maxsize=50_000)
def _known(word: str) -> bool:
    return bool(voikko.analyze(word))


_PROPER = {"etunimi", "sukunimi", "paikannimi", "nimi"}


def _common_word(word: str) -> bool:
    """'Sata' (a hundred), 'Itu' (a sprout): a short alias that voikko knows only as a common word."""
    analyses = voikko.analyze(word)
    return bool(analyses) and not any(a.get("CLASS") in _PROPER for a in analyses)


@lru_cache(maxsize=50_000)
def _lookup_keys(text: str) -> frozenset[str]:
    """key_variants plus inflection-stripped forms of unknown Finnish words and Swedish genitives."""
    keys = set(key_variants(text))
    words = [w.lower().replace(":", "") for w in _WORD.findall(text.replace(":", ""))]
    if not words:
        return frozenset(keys)
    last = words[-1]
    if not _known(words[-1]) or last.endswith("sote" + "n") or ":" in text:
        for ending in _FI_ENDINGS:
            if last.endswith(ending) and len(last) - len(ending) >= 3:
                keys.add(" ".join([*words[:-1], last[: -len(ending)]]))
    sv = [re.sub(r"(?<=område)(?:ts|t|s)$|(?<=\w\w\w)s$", "", w) for w in words]
    keys.add(" ".join(sv))
    return frozenset(keys)


def _window_region(words: list[str]) -> str | None:
    return _text_region(" ".join(words))


@lru_cache(maxsize=100_000)
def _text_region(text: str) -> str | None:
    """The county a window of words names, remembered per window (pages repeat their phrases)."""
    index = _index()
    for key in sorted(_lookup_keys(text), key=len, reverse=True):
        if key in index:
            return index[key]
    return None


@cache
def _name_first_words() -> frozenset[str]:
    """The first words of every county lookup key of two words or more."""
    return frozenset(key.split(" ", 1)[0] for key in _index() if " " in key)


@lru_cache(maxsize=50_000)
def _may_start_name(word: str) -> bool:
    """Whether a window of two or more words starting with ``word`` can name a county: every lookup key
    of such a window begins with one of the first words ``_lookup_keys`` gives ``word`` followed by any
    other word (the later words change only later key words). Most capitalised words of a page start
    no county name, and their three windows (each joined, keyed and looked up) are then skipped."""
    firsts = {key.split(" ", 1)[0] for key in _lookup_keys(f"{word} x")}
    return not firsts.isdisjoint(_name_first_words())


@lru_cache(maxsize=100_000)
def _single(word: str) -> tuple[str | None, str]:
    """One word → (county, kind): exact names and aliases, then municipalities, then fuzzy county names."""
    region = _window_region([word])
    if region:
        return region, "county"
    region = municipality_region(word)
    if region:
        return region, "municipality"
    if len(word) >= FUZZY_MIN_LEN and "-" in word:
        region = _fuzzy(set(key_variants(word)))
        if region:
            return region, "county"
    return None, ""


def find_mentions(text: str) -> list[Mention]:
    """Every county named in ``text``: names, Swedish and colloquial forms, predecessor organisations
    and short names in any inflection, and municipalities (kind 'municipality'). Longest match wins;
    a window starts at a capitalised word or a Swedish direction adjective ('östra Nylands')."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        start, _, word = tokens[i]
        first = word[:1]
        if not (first.isupper() or word.lower() in _SV_DIRECTIONS) or len(word) < 2:
            i += 1
            continue
        hit: tuple[int, str, str] | None = None
        for size in range(min(MAX_WINDOW, len(tokens) - i), 1, -1) if _may_start_name(word) else ():
            span = tokens[i:i + size]
            if any(text[a[1]:b[0]].strip() not in ("",) for a, b in zip(span, span[1:], strict=False)):
                continue  # punctuation between words: not one name
            region = _window_region([t[2] for t in span])
            if region:
                hit = (size, region, "county")
                break
        if hit is None and first.isupper():
            bare = word.rstrip(".:")
            region, kind = _single(bare)
            if region and len(bare) <= 4 and _common_word(bare):
                region = None  # 'Sata henkilöä' is a hundred people, not Satakunta
            if region and kind == "municipality" and i and _name_like(tokens[i - 1][2]) \
                    and not text[tokens[i - 1][1]:start].strip():
                region = None  # 'Maija Lahti', 'Anna Kemi': a surname after a first name
            if region:
                hit = (1, region, kind)
        if hit is None:
            i += 1
            continue
        size, region, kind = hit
        end = tokens[i + size - 1][1]
        out.append(Mention(start, end, region, kind, text[start:end]))
        i += size
    return out


@cache
def _collectives() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    return tuple((re.compile(c["pattern"]), tuple(c["regions"])) for c in _data().get("collective", ()))


def collective_mentions(text: str) -> list[Mention]:
    """A group's name names each of its counties ('Uudenmaan hyvinvointialueille': the four Uusimaa
    counties; counties.toml ``[[collective]]``): one county mention per member at the group's span."""
    out: list[Mention] = []
    for pattern, members in _collectives():
        for m in pattern.finditer(text):
            out += [Mention(m.start(), m.end(), region, "county", m.group()) for region in members]
    return out


def _name_like(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and any(
        a.get("CLASS") == "etunimi" for a in voikko.analyze(word))


def _host_in(url: str | None, key: str) -> bool:
    host = (urlsplit(url or "").hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in _data().get("national", {}).get(key, ()))


# A press service's publisher line: '15.6.2023 11:39:03 EEST | Vantaan ja Keravan hyvinvointialue | Tiedote',
# 'date 2025-10-01 Keski-Uudenmaan hyvinvointialue (Keusote)'.
_PUBLISHER_LINE = re.compile(r"(?:\|\s*(?P<a>[^|\n]{4,80}?)\s*\|\s*(?:Tiedote|Pressmeddelande|Press release|Uutinen|Nyhet)\b"
                             r"|^\s*date\s+\d{4}-\d{2}-\d{2}\s+(?P<b>[^\n]{4,80}?)\s*$)", re.M | re.I)


def press_publisher_region(url: str | None, text: str) -> str | None:
    """The county that published a release on a press service (``[national] press_services``), from the
    service's publisher line; None for other pages and for releases of ministries, agencies or firms."""
    if not _host_in(url, "press_services"):
        return None
    for m in _PUBLISHER_LINE.finditer(text[:1500]):
        name = re.sub(r"\s*\(.*\)\s*$", "", m.group("a") or m.group("b") or "").strip()
        if re.search(r"hyvinvointialue|välfärdsområde|hyvinvointiyhtymä|kuntayhtymä|samkommun", name, re.I):
            # 'Pohjois-Pohjanmaan hyvinvointialue Pohde': the county's name with its short name after it
            found = normalize_region(name) or {m.region for m in find_mentions(name) if m.kind == "county"}
            if isinstance(found, set):
                found = found.pop() if len(found) == 1 else None
            if found:
                return found
    return None


# A county's own boards and director: they speak only in the county's own releases.
_COUNTY_ORGAN = re.compile(r"\baluehallitu\w*|\baluevaltuust\w*|\bhyvinvointialuejohtaj\w*|välfärdsområdesstyrelse\w*|"
                          r"välfärdsområdesfullmäktig\w*|välfärdsområdesdirektör\w*|\bregionstyrelse\w*", re.I)


@cache
def _national_actor() -> re.Pattern[str]:
    words = _data().get("national", {}).get("national_actors", ())
    short = [w for w in words if len(w) <= 4]  # acronyms and short names: whole words, case as written
    long = [w for w in words if len(w) > 4]  # inside compounds too: 'terveysministeriö'
    parts = [rf"\b(?:{'|'.join(map(re.escape, short))})\b"] if short else []
    parts += [rf"(?i:{'|'.join(map(re.escape, long))})"] if long else []
    return re.compile("|".join(parts) or r"(?!)")


def council_region(url: str | None) -> str | None:
    """The county whose regional council publishes at ``url`` (counties.toml ``[councils]``)."""
    host = (urlsplit(url or "").hostname or "").lower()
    for domain, county in _data().get("councils", {}).items():
        if host == domain or host.endswith("." + domain):
            return county
    return None


def is_national_url(url: str | None) -> bool:
    """A page published by a ministry, agency or national service (counties.toml ``[national]``)."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in _data().get("national", {}).get("domains", ()))


# --- which county a page belongs to ---------------------------------------------------------------

_PARTNER_BEFORE = re.compile(
    r"(kumppan\w*|yhteistyö\w*|mukana\w*|muun muassa|mm\.|kuten|esimerkiksi|esim\.|myös|sekä|partner\w*|"
    r"samarbet\w*|tillsammans med|deltar|bland annat|bl\.a\.|såsom|även|liksom|osallistu\w*)[^.!?]{0,80}$", re.I)
_PARTNER_AFTER = re.compile(r"^[^.!?]{0,40}?\b(lisäksi|ohella|kanssa|mukana)\b", re.I)
_PROJECT_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,4}?[\"'”»(]?[^.!?\n]{0,60}?-?(?:hank|projekt)", re.I)
_COUNTY_AFTER = re.compile(r"^\s*(?:hyvinvointialue|välfärdsområde)", re.I)
# A county that runs the project: '(hallinnoija)', 'Pohde hallinnoi', 'som leds av Lapplands välfärdsområde'.
_LEAD_BEFORE = re.compile(r"(?:leds av|som leds av|koordineras av|huvudman är|hallinnoijana(?: toimii)?|"
                          r"päätoteuttajana(?: toimii)?|hallinnoijana on|vetovastuussa on)\s*$", re.I)
_LEAD_AFTER = re.compile(r"^[^.!?\n]{0,40}?(?:\((?:hallinnoija|päätoteuttaja|huvudman|lead partner)\)|"
                         r"\bhallinnoi\b|\bkoordinoi\b|\bon (?:hankkeen )?hallinnoija|\btoimii hallinnoijana|"
                         r"\bleder projektet|\bkoordinerar|\bär huvudman)", re.I)
# 'hyvinvointialueilla ja Helsingissä', 'välfärdsområdena och Helsingfors stad': Helsinki as the 22nd
# organiser in a national phrase, not Helsinki's own page.
_NATIONAL_HELSINKI = re.compile(r"(?:hyvinvointialue\w*|välfärdsområde\w*)\s*(?:,|ja|sekä|och|tai|eller|samt)\s+"
                                r"(?:(?:i|myös|även|och|ja)\s+)?$", re.I)  # 'i alla välfärdsområden, i Helsingfors stad'
# University-hospital catchment areas ('OYS, KYS, TAYS, HYKS ja TYKS', 'området OYS', 'KYS område'): in a
# list of three or more they are the country's five areas, and 'KYS' there is no Pohjois-Savo mention.
_HOSPITAL_AREA = re.compile(r"\b(?:OYS|KYS|TAYS|TYKS|HYKS|HUCS|ÅUCS)\b")
# A county's own projects, money or people on the page: an amount in its sentence, a project it owns,
# or a role in the project; never a comparison ('Satakunnan tavoin', 'mallia on haettu Pohjanmaalta')
# or cooperation with its own separate project ('yhteistyötä … hyvinvointialueen kanssa').
_MONEY = re.compile(r"\d[\d\s,.]*\s*(?:€|e\b|euro|eur\b|milj|miljoon|miljard|tuhatta)", re.I)
_ROLE = re.compile(r"osatoteuttaj|toteuttaj|delgenomför|genomförare|\bdeltar\b|tillsammans med|\bmukana\b|"
                   r"osallistu|kumppan|partner|hallinnoi|\bleds av|huvudman|\bleder\b|samverkan|gemensam|"
                   r"yhtei(?:nen|sen|stä|sessä|siä)\b|yhdessä|käynnistä|"
                   # the project's own area: 'projektets syfte är … inom landskapen Södra Österbotten och Österbotten'
                   r"projekt\w*[^.!?]*\binom landskap(?:en|et)\b|hank\w*[^.!?]*\bmaakuntien alueella", re.I)
# A county asking for or receiving money without a sum in the sentence ('lisärahoitusta hakivat
# Etelä-Pohjanmaan, Etelä-Karjalan … hyvinvointialueet', 'beviljades statsunderstöd').
_FUNDING = re.compile(r"\b(?:lisä)?rahoitus\w*|\bavustus\w*|valtionavustu\w*|\bhak(?:i|ivat|ee|evat|enut|eneet)\b|"
                      r"\bmyönnet\w*|\bmyönsi\b|\bsai\b|\bsaivat\b|\bansök\w*|\bbevilja\w*|statsunderstöd\w*|"
                      r"\bfinansiering\w*", re.I)
_NOT_OWN = re.compile(r"\btavoin\b|\bliksom\b|\bmallia\b|esimerkki|förebild|\bkuten\b|yhteistyö\w*[^.!?]*\bkanssa\b|"
                      r"samarbet\w*\s+med|kilpailemme|konkurrerar", re.I)
# 'Etelä-Savon ELY-keskus', 'Lapin AVI', 'Pohjois-Pohjanmaan liitto': state agencies and regional councils
# carry a county's name but are not the county.
_STATE_AGENCY = re.compile(r"^\s*(?:ELY|AVI|TE-|liito|liitto|landskapsförbund|förbund|NTM|RFV|maakuntaliit|"
                           r"elinkeino-,\s*liikenne-|aluehallintoviras|elinvoimakesk|livskraftscent|"
                           r"lääninhallitu|lään(?:i|in)\b|län(?:s)?styrelse)", re.I)  # the ELY centre spelt out; the old provinces
# A city named in an institution's name ('Tampereen yliopisto', 'Tammerfors universitets utredning',
# 'Jyväskylän ammattikorkeakoulu'): where the institution sits, not whose project the page describes.
_INSTITUTION_AFTER = re.compile(r"^\s*(?:yliopisto|universitet|ammattikorkeakoulu|yrkeshögskol|högskol|"
                                r"kauppakorkeakoulu|handelshögskol|tuomiokirkkoseurakun|kauppakamari|handelskammar|"
                                r"diakonissalaito|ev\.?\s?lut|seurakun|församling)", re.I)
# A dateline or the place of an event: 'LAUSUNTO Helsinki 31.5.2018', 'julkistettiin Helsingissä
# 4. toukokuuta', 'Helsingfors den 20 juni 2018'. A city (or Helsinki) followed by a date is where a
# document was signed or announced, not whose projects it describes.
_FI_MONTHS = "tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu"
_DATE_AFTER = re.compile(rf"^\s*,?\s*(?:den\s+)?\d{{1,2}}\.\s?(?:\d{{1,2}}\.\s?(?:\d{{2,4}})?|\s*päivänä|\s*(?:{_FI_MONTHS})kuuta)"
                         r"|^\s*,?\s*den\s+\d{1,2}\s+[a-zåäö]+", re.I)
_STATE_AGENCY_BEFORE = re.compile(r"(?:(?:NTM|NMT)-central\w*|ELY-keskus\w*|regionförvaltningsverk\w*|AVI|miljöcentral\w*|"
                                  r"landskapsförbund\w*)\s+(?:i|för)\s+$", re.I)
# A page about the whole country: 'kaikilla hyvinvointialueilla', 'alla välfärdsområden', 'hela landet'.
_NATIONAL_CUE = re.compile(r"kaikill[ae] (?:21 )?hyvinvointialueill[ae]|kaikille (?:21 )?hyvinvointialueille|"
                           r"alla (?:21 )?välfärdsområden|valtakunnallis|nationell|koko maa(?:ssa|han)|hela landet|"
                           r"\b21 hyvinvointialue|\b21 välfärdsområde", re.I)
# Headings of related-news blocks at the foot of news pages: what follows is another story.
_RELATED = re.compile(r"^(?:lue myös|luetuimmat|muualla|aiheesta lisää|läs också|mest lästa|annanstans|"
                      r"relaterat|related|katso myös|se även|"
                      # list headings of other stories ('Fler nyheter', 'Muut uutiset', 'Uusimmat uutiset')
                      r"fler nyheter|andra nyheter|senaste nyheter(?:na)?|relaterade (?:nyheter|artiklar)|fler artiklar|"
                      r"muut uutiset|muita uutisia|lisää uutisia|uusimmat uutiset|viimeisimmät uutiset|tuoreimmat uutiset|"
                      r"aiheeseen liittyvät|aiheeseen liittyvää|liittyvät uutiset|more news|other news|latest news)\b", re.I)
# 'Projektet Teknik i hemmet i Egentliga Finland', 'hanke Kainuussa': a project placed in the county.
_PROJECT_BEFORE = re.compile(r"\b(?:projektet|hanke\w*|hankkee\w*)\b[^.!?\n]{0,60}\b(?:vid|inom|i|hos)\s+$", re.I)


# 'Helsingin ja Tornion välillä', 'mellan Helsingfors och Torneå': a town as the end of a route or line.
_ROUTE_AFTER = re.compile(r"^(?:\s+(?:ja|sekä|-)\s+[A-ZÅÄÖ][\w-]+)?\s+(?:välillä|välinen|välisen|väliselle|välisellä|"
                          r"väliseen|välisessä|välistä|väliset|välisten)\b|^\s*[-–]\s*[A-ZÅÄÖ][\w-]+\s+"
                          r"(?:-?rata|-?radan|-?yhteys|-?yhteyden|-?väli|-?välillä|-?banan|-?förbindelse)", re.I)
_ROUTE_BEFORE = re.compile(r"\bmellan\s+(?:[A-ZÅÄÖ][\w-]+\s+(?:och|-)\s+)?$")


# 'YTM Juha Fränti (Oulu)', 'Miia Ståhle (Helsinki)': a town alone in brackets after a person's name is
# where the person sits, not a county whose work the page describes.
_NAME_BEFORE_BRACKET = re.compile(r"([A-ZÅÄÖ][\w-]+)\s+[A-ZÅÄÖ][\w-]+\s*\(\s*$")


def _persons_seat(text: str, m: Mention) -> bool:
    if not re.match(r"\s*\)", text[m.end:m.end + 4]):
        return False
    before = _NAME_BEFORE_BRACKET.search(text[max(0, m.start - 60):m.start])
    return bool(before and _name_like(before.group(1)))


def _route_end(text: str, m: Mention) -> bool:
    return bool(_ROUTE_AFTER.match(text[m.end:m.end + 40]) or _ROUTE_BEFORE.search(text[max(0, m.start - 40):m.start]))


def _not_the_county(text: str, m: Mention) -> bool:
    """A name that places something without describing the county's work: a state agency or old
    province ('Lapin lääninhallitus'), an institution's seat ('Tampereen yliopisto') or a dateline
    ('Helsinki 31.5.2018')."""
    after = text[m.end:m.end + 30]
    if _STATE_AGENCY.match(after):
        return True
    if (m.kind == "municipality" or m.region == "Helsinki") and (_route_end(text, m) or _persons_seat(text, m)):
        return True
    if (m.kind == "municipality" or m.region == "Helsinki") and _INSTITUTION_AFTER.match(after):
        return True
    return (m.kind == "municipality" or m.region == "Helsinki") and bool(_DATE_AFTER.match(after))


@dataclass(frozen=True)
class PageRegion:
    """The county a page belongs to (None for national pages) and every county it covers."""

    region: str | None
    regions: tuple[str, ...]
    mentions: tuple[Mention, ...]
    national: bool = False


def _weight(text: str, m: Mention, head_end: int) -> float:
    weight = 1.0 if m.kind == "county" else 0.4
    if m.start <= head_end:
        weight *= 3.0
    before, after = text[max(0, m.start - 120):m.start], text[m.end:m.end + 80]
    if _PROJECT_AFTER.match(after) or _COUNTY_AFTER.match(after):
        weight *= 2.0
    if _partner_before(before) or _PARTNER_AFTER.match(after):
        weight *= 0.5
    return weight


def _partner_before(before: str) -> bool:
    """``_PARTNER_BEFORE`` in the text before a mention, searched only from the last sentence end on:
    after its cue word a match has no '.', '!' or '?' up to the end, and the cue's own dots ('mm.',
    'esim.', 'bl.a.') lie at most four characters after its start. The search from each of 120
    positions was the most expensive line of the county scan."""
    last = max(before.rfind("."), before.rfind("!"), before.rfind("?"))
    return _PARTNER_BEFORE.search(before, max(0, last - 4)) is not None


# the last letters of ``_LEAD_BEFORE``'s phrases ('leds av', 'huvudman är', 'toimii', 'hallinnoijana', 'on')
_LEAD_LAST = frozenset("vrianVRIAN")


def _lead_before(before: str) -> bool:
    """``_LEAD_BEFORE`` (a phrase, then only white space to the end) where the text's last letter can
    end one: most mentions follow other words, and the pattern was tried from each position."""
    last = before.rstrip()[-1:]
    if last.isascii() and last not in _LEAD_LAST:
        return False  # (a non-ASCII letter is left to the pattern: its case-insensitive matching decides)
    return _LEAD_BEFORE.search(before) is not None


def _leads(text: str, m: Mention) -> bool:
    return bool(_lead_before(text[max(0, m.start - 40):m.start]) or _LEAD_AFTER.match(text[m.end:m.end + 60]))


# A new clause ('…hyvinvointialueeseen, joten Keravan osuus hankkeesta päättyi'): the project word
# after it is not the county's own project.
_CLAUSE = re.compile(r",\s+(?:joten|mutta|koska|sillä|vaikka|jolloin|men|så|eftersom|fast|varvid)\b", re.I)
# A table row of a grant list ('Satakunnan hyvinvointialue | Satakunnan ruoka-apuverkosto | 220 352'):
# a bare sum in a cell of the county's row is its money.
_ROW_SUM = re.compile(r"\|\s*\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?\s*(?:€\s*)?(?:\||$)")


def _owns_project(text: str, m: Mention) -> bool:
    after = text[m.end:m.end + 80]
    clause = _CLAUSE.search(after)
    return bool(_PROJECT_AFTER.match(after[:clause.start()] if clause else after)
                or _PROJECT_BEFORE.search(text[max(0, m.start - 80):m.start]))


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding ``text[start:end]``: a cheap cut at '. ', '! ' and line ends,
    for cue tests that must not reach into the next sentence."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("! ", 0, start)) + 1
    stops = [i for i in (text.find(". ", end), text.find("\n", end), text.find("! ", end)) if i >= 0]
    return text[left:min(stops) if stops else len(text)]


@lru_cache(maxsize=4096)
def _not_own(sentence: str) -> bool:
    """``_NOT_OWN`` in a sentence, remembered per sentence: a table row or a list sentence names many
    counties, and the pattern ('yhteistyö… kanssa') was searched again for each of them."""
    return _NOT_OWN.search(sentence) is not None


def _own_evidence(text: str, m: Mention, sentence_owned: bool = False) -> bool:
    """The page describes this county's own projects, money or people (not a comparison, another
    county's separate project it cooperates with, or 'X:n lisäksi'). A county listed in the same
    sentence as a county that owns a project shares it ('Kanta-Hämeen, Päijät-Hämeen ja Pirkanmaan
    hyvinvointialueet käynnistävät yhteisen … -hankkeen')."""
    sentence = sentence_at(text, m.start, m.end)
    if _not_own(sentence) or _PARTNER_AFTER.match(text[m.end:m.end + 40]):
        return False
    return bool(sentence_owned or _MONEY.search(sentence) or _ROW_SUM.search(sentence) or _owns_project(text, m) or _ROLE.search(sentence)
                or _leads(text, m) or (m.kind == "county" and _FUNDING.search(sentence)))


def _related_start(paragraphs: tuple[str, ...] | list[str]) -> int:
    """Offset where a related-news block ('Lue myös', 'Läs också', 'Muualla:') begins; the text length
    when the page has none. Counties named there belong to other stories."""
    pos = 0
    for i, p in enumerate(paragraphs):
        if i >= 2 and _RELATED.match(p.strip()):
            return pos
        pos += len(p) + 2
    return pos


def related_offset(text: str) -> int:
    """Where a related-news block starts in a document's text (its paragraphs split at blank
    lines): what the money, project and funder rules leave out as other stories."""
    return _related_start(text.split("\n\n"))


def _domain_line(paragraphs: tuple[str, ...] | list[str]) -> str | None:
    """A page dump that starts with its site's address ('rakennerahastot.fi'): the publisher's domain."""
    for p in paragraphs[:3]:
        m = re.fullmatch(r"(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fi|se|eu|com|net|org))/?", p.strip())
        if m:
            return f"https://{m.group(1)}/"
    return None


_SITE_LINE = re.compile(r"^(?P<name>.+?)\s+(?:kommun|kunta|kaupunki|stad|hyvinvointialue|välfärdsområde)$", re.I)


def _site_line_region(paragraphs: tuple[str, ...] | list[str]) -> str | None:
    """A page dump whose header line is its site's name ('Helsingfors stad', 'Lovisa stad', 'Keski-Suomen
    hyvinvointialue'): the publisher's county. Only the first three lines: a site header, not an
    'about us' block at the foot of a joint release."""
    for p in paragraphs[:3]:
        m = _SITE_LINE.match(p.strip())
        if m and len(p.split()) <= 4:
            found = normalize_region(p.strip()) or municipality_county(m.group("name"))
            if found:
                return found
    return None


def _footer_address_region(paragraphs: tuple[str, ...] | list[str]) -> str | None:
    """The publisher's street address at the foot of a page ('Holmvägen 2, 68570 Larsmo'): evidence for
    its county. Helsinki addresses are left out: ministries and national agencies sit there."""
    for p in list(paragraphs)[-3:]:
        for m in re.finditer(r"\b\d{5}\s+([A-ZÅÄÖ][\w-]+)", p):
            county = municipality_county(m.group(1))
            if county and county != "Helsinki":
                return county
    return None


def _lede_end(paragraphs: tuple[str, ...] | list[str]) -> int:
    """End offset of the lede: the first paragraph of 12 words or more (headlines, datelines and
    bylines before it are short)."""
    pos = 0
    for p in paragraphs:
        pos += len(p) + 2
        if len(p.split()) >= 12:
            return pos
    return len(paragraphs[0]) if paragraphs else 0


_MAIL_DOMAIN = re.compile(r"[\w.+-]+(?:@|\(at\)|\[at\])([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.fi\b", re.I)


def _mail_domain_region(text: str) -> str | None:
    """The one county that the page's e-mail domains point to (a county's domain or a municipality's:
    'pirha.fi', 'jarvenpaa.fi'); None when they point to none or to several."""
    found: set[str] = set()
    for m in _MAIL_DOMAIN.finditer(text):
        label = m.group(1).lower().split(".")[-1]
        county = region_for_url(f"https://{label}.fi") or municipality_county(label)
        if county:
            found.add(county)
    return found.pop() if len(found) == 1 else None


def page_region(title: str, paragraphs: tuple[str, ...] | list[str], url: str | None = None,
                publisher: str | None = None) -> PageRegion:
    """The page's county: its publisher's (known source or domain); else the one county named as the
    project's lead ('hallinnoija', 'leds av'); else the county its headline, lead and project names
    point to. National: a national publisher, two or more leads, or three or more counties none of
    which owns a named project with half the weight — region None, every county in ``regions``.
    Partners ('…lisäksi', 'yhteistyössä …', 'kumppaneina …') weigh half; municipalities 0.4; Helsinki
    in 'hyvinvointialueet ja Helsinki' is the national phrase, not a mention."""
    text = "\n\n".join(paragraphs)
    related_from = _related_start(paragraphs)
    area_list = len(set(_HOSPITAL_AREA.findall(text))) >= 3
    found = find_mentions(text[:related_from])
    grouped = collective_mentions(text[:related_from])
    if grouped:
        found = sorted([*found, *grouped], key=lambda m: m.start)

    def listed_with_counties(m: Mention) -> bool:
        """'Päijät-Hämeen, Kymenlaakson ja Etelä-Karjalan hyvinvointialueet sekä Helsinki': a participant
        named after other counties in its sentence, not the national phrase."""
        sentence = sentence_at(text, m.start, m.end)
        return any(o.kind == "county" and o.region != "Helsinki" and o.end <= m.start
                   and sentence_at(text, o.start, o.end) == sentence for o in found)

    mentions = [m for m in found
                if not (m.region == "Helsinki" and _NATIONAL_HELSINKI.search(text[max(0, m.start - 40):m.start])
                        and not listed_with_counties(m))
                and not (area_list and _HOSPITAL_AREA.fullmatch(text[m.start:m.end]))
                and not _STATE_AGENCY.match(text[m.end:m.end + 30])
                and not _STATE_AGENCY_BEFORE.search(text[max(0, m.start - 40):m.start])
                and not re.search(r"\b\d{5}\s*$", text[max(0, m.start - 8):m.start])  # an address: '00170 Helsinki'
                and not _not_the_county(text, m)]
    head_end = _lede_end(paragraphs)
    scores: dict[str, float] = {}
    counties: list[str] = []
    leads: set[str] = set()
    owners: set[str] = set()
    own: set[str] = set()
    sentence_counties: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind == "county":
            sentence_counties.setdefault(sentence_at(text, m.start, m.end), set()).add(m.region)
    owned_sentences = {sentence_at(text, m.start, m.end) for m in mentions
                       if m.kind == "county" and _owns_project(text, m)}
    for m in mentions:
        scores[m.region] = scores.get(m.region, 0.0) + _weight(text, m, head_end)
        if m.kind == "county":
            if m.region not in counties:
                counties.append(m.region)
            if _own_evidence(text, m, sentence_at(text, m.start, m.end) in owned_sentences):
                own.add(m.region)
            if _leads(text, m):
                leads.add(m.region)
            if _owns_project(text, m) and len(sentence_counties.get(sentence_at(text, m.start, m.end), ())) == 1:
                owners.add(m.region)  # 'X:n, Y:n ja Z:n … yhteisen -hankkeen' has no single owner
    if title and (not paragraphs or title not in paragraphs[0]):
        for m in find_mentions(title):
            if _not_the_county(title, m):
                continue
            scores[m.region] = scores.get(m.region, 0.0) + (3.0 if m.kind == "county" else 1.2)
            if m.kind == "county" and m.region not in counties:
                counties.append(m.region)
    footer = _footer_address_region(paragraphs)
    if footer:
        scores[footer] = scores.get(footer, 0.0) + 2.5  # weighs like a lede mention; lists nothing by itself
    ranked = sorted(scores, key=lambda r: -scores[r])
    url = url or _domain_line(paragraphs)
    owner = publisher or region_for_url(url) or press_publisher_region(url, text) or _site_line_region(paragraphs)
    if owner is None and _host_in(url, "press_services"):
        only = {m.region for m in mentions if m.kind == "county"}
        if len(only) == 1 and (only <= own or _COUNTY_ORGAN.search(text)) and not _national_actor().search(text):
            owner = next(iter(only))  # a county's release that lost its publisher line
    national = False
    if owner is None:
        # counties the page describes come first; a county only compared with or cooperated with
        # cannot own the page nor make it national
        pool = [r for r in ranked if r in own] or ranked
        described = [r for r in counties if r in own] or counties
        total = sum(scores[r] for r in described) or 1.0
        if is_national_url(url) or len(leads) >= 2:
            national = True
        elif len(owners) >= 2 and _NATIONAL_CUE.search(text):
            national = True  # a national page with examples from several counties' projects
        elif len(leads) == 1:
            owner = next(iter(leads))
        elif len(described) >= 3 and not (pool and pool[0] in owners and scores[pool[0]] >= 0.5 * total):
            national = True
        elif pool:
            owner = pool[0]
    if owner is None and not national and not mentions:
        owner = _mail_domain_region(text)  # city minutes naming no place: 'merja.soosalu@jarvenpaa.fi'
    council = council_region(url) if owner is None else None
    if council:
        owner, national = council, False  # a regional council's page is its region's, never national
    fallback = national and not own  # a national page naming counties without money: list them all
    covered = [r for r in ranked if r in counties and (r in own or fallback)]
    if owner and not national:
        if owner in covered:
            covered.remove(owner)
        covered.insert(0, owner)
    return PageRegion(None if national else owner, tuple(covered), tuple(mentions), national)
