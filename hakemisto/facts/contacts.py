"""Contacts: who is responsible or reachable, with title, phone (E.164) and e-mail.

Works on the document text plus the person and title mentions the pipeline found (character
offsets). Phones are parsed and validated by ``phonenumbers`` (never a hand-written regex); e-mails
are de-obfuscated ('etunimi.sukunimi(at)soite.fi'). A phone or e-mail belongs to the nearest name
above it; an author ('Tekijä', 'Text:') is a person, not a contact.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import phonenumbers
from phonenumbers.phonenumbermatcher import _INNER_MATCHES
from rapidfuzz import fuzz

from hakemisto.core import voikko
from hakemisto.core.model import Contact

# Capital letters of Finnish, Swedish and Sámi names ('Ánde', 'Čeavrris', 'Šaddo').
UPPER = "A-ZÅÄÖÜÉÁČĐŊŠŦŽ"
LOWER = "a-zåäöüéßáčđŋšŧžï"
PAIR_WINDOW = 320  # characters after a name in which its phone / e-mail may follow
NAME_MATCH = 90.0

_AT = r"(?:@|\s*\(\s*a\s*\)\s*|\s*\(\s*at\s*\)\s*|\s*\[\s*at\s*\]\s*|\s*\{\s*at\s*\}\s*|\s+at\s+|\s*\(\s*ät\s*\)\s*)"
_DOT = r"(?:\.|\s*\(\s*(?:dot|piste)\s*\)\s*|\s*\[\s*(?:dot|piste)\s*\]\s*)"
# The local part is an atomic group: ``_AT`` never starts with one of its characters or '.', so a shorter
# local part can never be followed by it, and re's backtracking into every shorter one at each word of
# a page was wasted (3–4 × the time of ``find_emails``). Same matches.
_EMAIL = re.compile(
    rf"(?<![\w.])(?P<local>(?>[A-Za-z0-9ÅÄÖåäöÉé_%+-]+(?:\.[A-Za-z0-9ÅÄÖåäöÉé_%+-]+)*)){_AT}"
    rf"(?P<domain>[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}(?P<tld>[A-Za-z]{{2,6}}))(?![\w])"
)


_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})")
_GROUPED_SUM = re.compile(r"\d{1,3}(?:\s\d{3})+")  # '1 180 000' (thousands apart, as sums are written)


@dataclass(frozen=True)
class Mention:
    """A span of the document text: a person (``value`` = base-form name) or a title (lemma)."""

    start: int
    end: int
    value: str


@cache
def vocab() -> dict:
    return tomllib.loads(resources.files("hakemisto").joinpath("data/people.toml").read_text("utf-8"))



def find_emails(text: str) -> list[Mention]:
    """E-mail addresses, de-obfuscated and lower-cased; templates ('etunimi.sukunimi@…') are skipped."""
    found = []
    templates = set(vocab()["roles"]["email_templates"])
    shared = tuple(vocab()["roles"]["email_shared"])
    for m in _EMAIL.finditer(text):
        domain = re.sub(_DOT, ".", m.group("domain"))
        local = m.group("local").lower()
        if "." not in domain or local in templates or local.split(".")[0] in shared:
            continue
        found.append(Mention(m.start(), m.end(), f"{m.group('local')}@{domain}".lower()))
    return found


MIN_PHONE_DIGITS = 7
# Tries the plain matcher can spend on one candidate of n characters, with the further candidates a
# dropped match inside it leads to: one per candidate plus two per inner-pattern position.
_TRIES_PER_CHAR = 2 * len(_INNER_MATCHES) + 1


class _PhoneMatcher(phonenumbers.PhoneNumberMatcher):
    """``PhoneNumberMatcher`` that does not parse candidates with fewer than ``MIN_PHONE_DIGITS``
    digits (years, dates, small sums: three quarters of a page's candidates; parsing and validating
    them was most of ``find_phones``' time). Whatever such a candidate gives is dropped by
    ``find_phones`` anyway — a match is a substring of its candidate — and the search then goes on
    after the candidate, where any further match inside it (fewer digits still) would be dropped
    too: the kept phones are the same (``tests/test_speed_paths.py`` compares with the plain
    matcher). The matcher gives up after ``max_tries`` failed parses; a skipped candidate is charged
    at least what the plain matcher could spend on it, so when this one never gives up, neither
    would the plain one (else ``find_phones`` asks the plain matcher).

    A candidate that is one date ('15.3.2028', a fifth of a page's long candidates) is skipped the
    same way: whole, it is a date, which ``find_phones`` drops; the only inner candidates the
    matcher cuts from it are its dot-separated parts, of four digits at most. So is a sum in
    groups of three digits followed by its currency ('1 180 000 euroa', another sixth): whole, it
    ends before the currency, which ``find_phones`` drops; its inner candidates are its groups."""

    def _extract_match(self, candidate: str, offset: int) -> Any:
        end = offset + len(candidate)
        if (sum(ch.isdigit() for ch in candidate) < MIN_PHONE_DIGITS or _DATE.fullmatch(candidate)
                or _GROUPED_SUM.fullmatch(candidate) and SUM_AFTER.match(self.text[end:end + 8].lower())):
            self._max_tries -= _TRIES_PER_CHAR * len(candidate)  # plus the one ``_find`` charges
            return None
        return super()._extract_match(candidate, offset)


# A number followed on its own line by a currency or a percentage is a sum ('1 498 000 euroa', '20 %'); the
# check never crosses a line break (a paragraph opening 'Euroopan unionin osarahoittama' under a phone).
SUM_AFTER = re.compile(r"[ \t\u00a0]*(?:€|eur|euro|milj|%)")


def find_phones(text: str, region: str = "FI") -> list[Mention]:
    """Valid phone numbers in E.164 ('040 805 1455' → '+358408051455')."""
    matcher = _PhoneMatcher(text, region)
    matches = list(matcher)
    if matcher._max_tries <= 0:  # a huge text of number-like runs: the plain matcher's own limit decides
        matches = list(phonenumbers.PhoneNumberMatcher(text, region))
    found = []
    for match in matches:
        digits = sum(ch.isdigit() for ch in match.raw_string)
        after = text[match.end: match.end + 8].lower()
        # a sum ('1 498 000 euroa', '20 %'), but not a number closing its line before a paragraph that
        # starts 'Euroopan unionin osarahoittama' (a funder's logo line under a contact block)
        if (digits < MIN_PHONE_DIGITS or SUM_AFTER.match(after)
                or _DATE.fullmatch(match.raw_string.strip())):
            continue
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append(Mention(match.start, match.end, e164))
    return found


@lru_cache(maxsize=20_000)
def _name_class(word: str) -> str | None:
    classes = {a.get("CLASS") for a in voikko.analyze(word)}
    if "etunimi" in classes:
        return "first"
    if "sukunimi" in classes:
        return "last"
    return None


@lru_cache(maxsize=20_000)
def common_word_only(word: str) -> bool:
    """voikko knows the word, and only as an ordinary word ('Hyvinvointialue', 'Sote-uudistus'): never
    a first name, surname or place name."""
    readings = voikko.analyze(word)
    names = ("etunimi", "sukunimi", "paikannimi", "nimi")
    return bool(readings) and not any(a.get("CLASS") in names for a in readings)


def is_first_name(word: str) -> bool:
    return _name_class(word) == "first"


def order_name(name: str) -> str:
    """'Virtanen Matti' (form fields list surname first) → 'Matti Virtanen'."""
    parts = name.split()
    if len(parts) == 2 and _name_class(parts[0]) != "first" and _name_class(parts[1]) == "first":
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 2 and _name_class(parts[0]) == "last" and not voikko.analyze(parts[1]):
        # 'Näkkäläjärvi Elle-Máret': a known surname before an unknown name ('Saana Vilkus' stays: Saana is
        # a first name voikko only knows as a place)
        return f"{parts[1]} {parts[0]}"
    return name


def clean_name(name: str) -> str:
    """Whitespace-normalised name with each part capitalised ('katri nousiainen' → 'Katri Nousiainen')."""
    parts = []
    for part in name.split():
        parts.append("-".join(p[:1].upper() + p[1:] for p in part.split("-")))
    return " ".join(parts)


def same_name(a: str, b: str) -> bool:
    """The gold README's name match: case-insensitive rapidfuzz ratio ≥ 90 after whitespace clean-up."""
    return fuzz.ratio(" ".join(a.lower().split()), " ".join(b.lower().split())) >= NAME_MATCH


def looks_like_name(text: str) -> bool:
    """2–4 capitalised words, letters and hyphens only: 'Jenny Björndahl-Öhman'."""
    parts = text.split()
    return 2 <= len(parts) <= 4 and all(re.fullmatch(rf"[{UPPER}][\w'’-]*", p) and not p.isupper()
                                        for p in parts)


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _label(line: str) -> str:
    return " ".join(line.strip().rstrip(":").lower().split())


def _field(line: str) -> tuple[str, str | None]:
    """A form field's attribute and same-line value: 'Hankkeen yhteyshenkilön nimi: Kaunismaa Pekka' →
    ('name', 'Kaunismaa Pekka'); a label alone on its line ('Yhteyshenkilön nimi') → ('name', None),
    its value is the next line. Project-register cards (EURA, Innokylä) prefix the labels with the
    project or applicant ('Hankkeen …', 'Projektin …')."""
    fields: dict[str, str] = vocab()["fields"]
    prefixes = tuple(vocab()["field_prefixes"]["words"])
    head, sep, rest = line.partition(":")
    label = _label(head if sep else line)
    for cand in (label, *(label[len(p) + 1:] for p in prefixes if label.startswith(p + " "))):
        attr = fields.get(cand)
        if attr:
            value = rest.strip() if sep else ""
            return attr, value or None
    return "", None


def _title_as_written(value: str) -> str:
    """'Projektisuunnittelija' → 'projektisuunnittelija'; 'TKI-päällikkö' keeps its acronym."""
    return value if value[:2].isupper() else value[:1].lower() + value[1:]


def _register_caps(value: str) -> str:
    """A register's name field in capitals, surname first, with every given name ('AINONEN MARTTI
    SAKARI') → the name as its holder writes it ('Martti Ainonen'); other values unchanged."""
    parts = value.split()
    if not (2 <= len(parts) <= 4 and value.isupper() and all(re.fullmatch(r"[\w'’-]+", p) for p in parts)):
        return value
    parts = [clean_name(p.lower()) for p in parts]
    if len(parts) >= 3 and _name_class(parts[0]) != "first" and _name_class(parts[1]) == "first":
        return f"{parts[1]} {parts[0]}"
    return " ".join(parts)


def labelled_contacts(text: str) -> list[Contact]:
    """Form fields of project cards: 'Yhteyshenkilön nimi' / next line 'Satu Marjakangas', or on one
    line ('Hankkeen yhteyshenkilön nimi: Kirsi Tontti', 'Yhteyshenkilön asema hakijaorganisaatiossa:
    projektisuunnittelija', 'Yhteyshenkilön puhelinnumero: 040 123 4567')."""
    lines = [(p, line) for p, line in _lines(text) if line.strip()]
    contacts: list[dict[str, str]] = []
    for i, (_, line) in enumerate(lines):
        attr, value = _field(line)
        if not attr:
            continue
        if value is None:
            if i + 1 >= len(lines):
                continue
            value = lines[i + 1][1].strip()
        if attr == "name":
            value = _register_caps(value)
            if not looks_like_name(value):
                continue
            sv = _label(line).startswith("kontaktperson")
            title = "kontaktperson" if sv else "yhteyshenkilö"
            after = lines[i + 2][1].strip() if _field(line)[1] is None and i + 2 < len(lines) else ""
            if after[:1].islower() and len(after.split()) <= 4 and _title_word(after.split(",")[0]):
                title = after  # 'Yhteyshenkilö' / 'Marjo Keränen' / 'hankepäällikkö': the title written under the name
            contacts.append({"name": order_name(value), "title": title})
        elif attr == "title" and contacts and value:
            contacts[-1]["title"] = _title_as_written(value)
        elif contacts and attr not in contacts[-1]:
            contacts[-1][attr] = value
    out = []
    for c in contacts:
        email = find_emails(c.get("email", ""))
        phone = find_phones(c.get("phone", ""))
        out.append(Contact(name=c["name"], title=c["title"], phone=phone[0].value if phone else None,
                           email=email[0].value if email else None, organization=c.get("organization")))
    return out


_GLUE = re.compile(rf"(?<=[{LOWER}])(?=[{UPPER}])|(?=(?:Puh|Tel|Tfn|Mob|Gsm)\s*[:.])")
_DIGITS_THEN_MAIL = re.compile(r"(?<=\d)(?=[A-Za-z][\w.-]*@)")
_FOLD = str.maketrans("äöåüé", "aoaue")


def _title_word(part: str) -> bool:
    low = part.lower()
    titles = vocab()["titles"]
    return any(low.endswith(t) for t in (*titles["fi_suffixes"], *titles["sv_suffixes"]))


def glued_contacts(text: str) -> tuple[list[Contact], list[tuple[int, int]]]:
    """Press-release contact cards whose fields lost their line breaks when the page was saved as
    text (STT / ePressi: 'Jani Ylälehtoaluehallituksen puheenjohtajaKeski-Suomen hyvinvointialue
    Puh:0400 922 636jani.ylalehto@hyvaks.fi'): split at a lower-case letter glued to a capital, before
    'Puh:' and between digits and an address; the address's local part tells where the surname ends
    when the title is glued to it. Returns the contacts and the lines they cover (the pipeline's own
    name spans there are glued words, not names)."""
    blocks = contact_blocks(text)
    out: list[Contact] = []
    covered: list[tuple[int, int]] = []
    for pos, line in _lines(text):
        if not _GLUE.search(line) or len(line) > 300:
            continue
        fixed = _DIGITS_THEN_MAIL.sub(" ", line)
        emails = find_emails(fixed)
        in_block = any(b <= pos < e for b, e in blocks)
        if not (emails or in_block or re.search(r"(?:Puh|Tel|Tfn)\s*[:.]", line)):
            continue
        parts = [p.strip() for p in _GLUE.split(_DIGITS_THEN_MAIL.sub("\n", line)) for p in p.split("\n")]
        parts = [p for p in parts if p]
        words = parts[0].split() if parts else []
        local = emails[0].value.split("@")[0] if emails else ""
        if len(words) < 2 or not (is_first_name(words[0])
                                  or local.startswith(words[0].lower().translate(_FOLD) + ".")):
            continue  # ('Saana' is a first name voikko knows only as a fell: the address confirms it)
        surname, title_words = words[1], words[2:]
        if emails:
            key = emails[0].value.split("@")[0].split(".")[-1]
            folded = surname.lower().translate(_FOLD)
            if folded.startswith(key) and len(folded) > len(key):
                surname, title_words = surname[:len(key)], [surname[len(key):], *title_words]
        name = f"{words[0]} {surname}"
        if not looks_like_name(name):
            continue
        title = " ".join(title_words) or None
        if title is None and len(parts) > 1 and _title_word(parts[1]):
            title = parts[1]
        phones = [p for part in parts if re.match(r"(?:Puh|Tel|Tfn|Mob|Gsm)", part) for p in find_phones(part)]
        email = next((e.value for e in emails if e.value.split("@")[0][:1].isalpha()), None)
        out.append(Contact(name=name, title=_title_as_written(title) if title else None,
                           phone=phones[0].value if phones else None, email=email))
        covered.append((pos, pos + len(line)))
    return out, covered


def authors(text: str) -> list[str]:
    """Names given as the page author ('Tekijä' + next line, 'Text: Anna Ek')."""
    labels = set(vocab()["blocks"]["author"])
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    found = []
    for i, line in enumerate(lines):
        head, sep, rest = line.partition(":")
        if sep and _label(head) in labels and looks_like_name(rest.strip()):
            found.append(rest.strip())
        elif _label(line) in labels and i + 1 < len(lines) and looks_like_name(lines[i + 1]):
            found.append(lines[i + 1])
    found += [m.group("name") for m in _credit_pattern().finditer(text)]
    return [order_name(n) for n in found]


@cache
def _credit_pattern() -> re.Pattern[str]:
    """A credit inside a line ('… Tampereella. Kuva: Ville Ruohonen / Pirkanmaan hyvinvointialue',
    '(Foto: Anna Ek)'): the photographer or writer named after a ``blocks.author`` label and ':'."""
    heads = "|".join(re.escape(h) for h in sorted(vocab()["blocks"]["author"], key=len, reverse=True))
    name = rf"[{UPPER}][{LOWER}'’]+(?:-[{UPPER}][{LOWER}]+)?"
    # the name's words on one line ('Kuva: Pekka Aho\n\nLapissa …' is Pekka Aho)
    return re.compile(rf"(?:^|(?<=[\s(.]))(?i:{heads})\s*:\s*(?P<name>{name}(?:[ \t]+{name}){{1,2}})(?![\w-])")


@cache
def _opener(kind: str) -> tuple[frozenset[str], re.Pattern[str]]:
    """The heads of ``vocab()['blocks'][kind]`` as a set and one pattern: a line is a head, or shorter
    than 80 characters and starts with a head and ':', ' ', ',' or '(' (the alternation backtracks
    into every head, as ``any`` tried them all). Per line of every page, the four strings per head
    were rebuilt each time."""
    heads = vocab()["blocks"][kind]
    pattern = re.compile("(?:" + "|".join(re.escape(h) for h in heads) + ")[: ,(]") if heads else re.compile("(?!)")
    return frozenset(heads), pattern


def _opens_kind(low: str, kind: str) -> bool:
    exact, pattern = _opener(kind)
    return low in exact or (len(low) < 80 and pattern.match(low) is not None)


def block_starts(text: str) -> list[int]:
    """Offsets where a contact block ('Lisätietoja', 'Mer information', 'Valmistelija', 'Beredare') starts."""
    return [pos for pos, line in _lines(text) if _opens_kind(line.strip().lower(), "contact")]


# A preparer's signature line of city minutes ('Järjestämistoiminto, palveluverkkojohtaja Minna Juselius
# 23.3.2022:', 'Talousarviopäällikkö Heikki Silpola 27.10.2009:'): the text below is theirs; the line
# alone is a contact block (the people the text then names are not).
_PREPARER_LINE = re.compile(r"^[^\n]{0,80}?\b[A-ZÅÄÖ][\w-]+ [A-ZÅÄÖ][\w-]+ \d{1,2}\.\d{1,2}\.\d{4}\s*:\s*$")


def contact_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each contact block: up to 400 characters, cut where the presenter, proposal,
    decision or chair of board minutes begins (those people are not contacts); and each preparer's
    signature line of city minutes on its own."""
    return list(_contact_blocks(text))


@lru_cache(maxsize=8)
def _contact_blocks(text: str) -> tuple[tuple[int, int], ...]:
    """``contact_blocks`` in one pass over the lines, remembered for the page being read (keyed by its
    text): ``build_contacts`` and ``glued_contacts`` both ask, and three passes split, stripped and
    lower-cased every line of the page again."""
    starts: list[int] = []
    enders: list[int] = []  # ascending: the first one after a start is found by bisection
    preparers: list[tuple[int, int]] = []
    for pos, line in _lines(text):
        stripped = line.strip()
        low = stripped.lower()
        if _opens_kind(low, "contact"):
            starts.append(pos)
        if _opens_kind(low, "block_end"):
            enders.append(pos)
        if _PREPARER_LINE.match(stripped):
            preparers.append((pos, pos + len(line)))
    out = []
    for start in starts:
        k = bisect_right(enders, start)
        out.append((start, min(enders[k], start + 400) if k < len(enders) else start + 400))
    return tuple(out + preparers)


def is_project_role(title: str | None) -> bool:
    """'hankepäällikkö', 'projektledare', 'yhteyshenkilö': a role that makes its holder a contact."""
    low = (title or "").lower()
    return any(key in low for key in vocab()["roles"]["project"])


def _same_line(text: str, a: int, b: int) -> bool:
    return "\n" not in text[min(a, b):max(a, b)]


def _title_near(person: Mention, titles: Sequence[Mention], text: str) -> Mention | None:
    """The title written next to the name: right before it ('Hankepäällikkö Katri …', '… päällikkönä
    toimii Jenny …') or right after it ('Pia Vähäkangas\n\nHankejohtaja', 'Anna Ek, projektledare',
    'Timo Pesonen\nviestinnän asiantuntija'). A title on the name's own line wins over a heading line
    above ('Yhteyshenkilö\nJari Öhman, projektipäällikkö'); otherwise the nearest one."""
    found: list[tuple[int, int, Mention]] = []
    for t in titles:
        if t.end <= person.start:
            between = text[t.end:person.start]
            if len(between) <= 40 and "\n\n" not in between and not re.search(r"[.;]\s", between):
                words = re.findall(r"\w+", between)
                if len(words) <= 4:
                    label = between.lstrip().startswith(":")  # 'Yhteyshenkilö: Jari Öhman, projektipäällikkö'
                    found.append((0 if _same_line(text, t.end, person.start) and not label else 1,
                                  len(between), t))
        elif t.start >= person.end:
            between = text[person.end:t.start]
            if len(between) <= 40 and re.fullmatch(r"[\s,:–-]*(?:[a-zåäö-]+\s+){0,2}", between) \
                    and "\n" not in between:
                found.append((0, len(between), t))  # 'Heikki Öhman, neuvotteleva virkamies'
            elif len(between) <= 6 and re.fullmatch(r"[\s,:–-]*", between):
                found.append((1, len(between), t))
            elif re.fullmatch(r"[\s,]*\n\s*(?:\n\s*)?(?:[a-zåäö-]+n\s+){0,2}", between):
                found.append((1, len(between), t))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def _second_title(person: Mention, title: Mention, titles: Sequence[Mention], text: str) -> Mention | None:
    """A second title listed after the first behind the name ('Pirjo Huotari, fysioterapeutti,
    hankekoordinaattori, …'): both are what the card says the person is."""
    if title.start < person.end:
        return None
    return next((t for t in titles if t.start > title.end and re.fullmatch(r",[ \t]*", text[title.end:t.start])),
                None)


def build_contacts(
    text: str,
    persons: Sequence[Mention],
    titles: Sequence[Mention],
    title_text: dict[Mention, str] | None = None,
) -> tuple[list[Contact], list[str]]:
    """Contacts and all person names (base forms) of one document."""
    title_text = title_text or {}
    emails = find_emails(text)
    phones = [p for p in find_phones(text) if not _switchboard(text, p.start)]
    blocks = contact_blocks(text)
    author_names = authors(text)
    glued, glued_lines = glued_contacts(text)
    ordered = sorted((m for m in persons if not any(s <= m.start < e for s, e in glued_lines)),
                     key=lambda m: m.start)
    contacts: list[Contact] = list(labelled_contacts(text)) + glued
    known_titles: dict[str, str] = {}
    for person in ordered:
        t = _title_near(person, titles, text)
        if t is not None and person.value not in known_titles:
            known_titles[person.value] = title_text.get(t, t.value)
    for i, person in enumerate(ordered):
        in_block = any(b <= person.start < e for b, e in blocks)
        limit = min(person.end + PAIR_WINDOW, ordered[i + 1].start if i + 1 < len(ordered) else len(text),
                    _paragraph_end(text, person.end, 3 if in_block else 1))
        phone = next((p.value for p in phones if person.end <= p.start < limit), None)
        email = next((e.value for e in emails if person.end <= e.start < limit), None)
        email = email or _email_for(person.value, emails)
        title = _title_near(person, titles, text)
        title_words = title_text.get(title, title.value) if title else known_titles.get(person.value)
        second = _second_title(person, title, titles, text) if title else None
        if second is not None and title_words:
            title_words = f"{title_words}, {title_text.get(second, second.value)}"
        is_author = any(same_name(person.value, a) for a in author_names)
        if is_author and not title:
            continue
        if is_project_role(title_words) or phone or email or in_block:
            contacts.append(Contact(name=person.value, title=title_words,
                                    phone=phone, email=email, sentence=_line_at(text, person.start)))
    names = [m.value for m in ordered] + author_names + [c.name for c in contacts]
    return merge_contacts(contacts), unique_names(names)


def _switchboard(text: str, pos: int) -> bool:
    """'Vaihde 02 627 71', 'växel': a switchboard or service number is nobody's personal phone."""
    before = text[max(0, pos - 24):pos].lower()
    return bool(re.search(r"(vaihde|växel|asiakaspalvelu|kundtjänst|neuvonta|rådgivning)\W*$", before))


def _paragraph_end(text: str, pos: int, paragraphs: int) -> int:
    """Where the ``paragraphs``-th paragraph break after ``pos`` is: a quoted person's details are in
    their own paragraph, not in the page footer ('Vaihde 02 627 71')."""
    for _ in range(paragraphs):
        found = text.find("\n\n", pos)
        if found < 0:
            return len(text)
        pos = found + 2
    return pos


def _email_for(name: str, emails: Iterable[Mention]) -> str | None:
    """An address whose local part spells the name ('satu.marjakangas@…' for 'Satu Marjakangas')."""
    key = name.lower().replace(" ", ".")
    for e in emails:
        if fuzz.ratio(e.value.split("@")[0], key) >= 85:
            return e.value
    return None


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start: end if end >= 0 else len(text)].strip()


def _inflected_of(name: str, base: str) -> bool:
    """'Saana Vilkuksen' is 'Saana Vilkus' in the genitive (a surname voikko does not know, left
    inflected where no postposition said so: 'valitsi tehtävään Saana Vilkuksen')."""
    a, b = name.split(), base.split()
    if len(a) != len(b) or a[:-1] != b[:-1] or len(a) < 2:
        return False
    long, short = a[-1], b[-1]
    return (long.endswith("n") and 1 <= len(long) - len(short) <= 4 and len(short) >= 4
            and long.startswith(short[:-1]) and not voikko.analyze(long))


def unique_names(names: Iterable[str]) -> list[str]:
    """Full names in first-seen order, variants collapsed by the README's name match; an inflected
    copy of a name gives way to its base form."""
    out: list[str] = []
    for name in names:
        if not looks_like_name(name):
            continue
        if any(same_name(name, seen) or _inflected_of(name, seen) for seen in out):
            continue
        inflected = next((i for i, seen in enumerate(out) if _inflected_of(seen, name)), None)
        if inflected is not None:
            out[inflected] = name
        else:
            out.append(name)
    return out


def merge_contacts(contacts: Iterable[Contact]) -> list[Contact]:
    """One contact per person: later mentions fill in what earlier ones lacked."""
    merged: list[Contact] = []
    for c in contacts:
        for i, seen in enumerate(merged):
            if same_name(c.name, seen.name):
                longer = bool(c.title and seen.title and c.title.endswith(seen.title) and len(c.title) > len(seen.title))
                # the title on the contact line (with its phone / e-mail) over one from a quote above it
                longer = longer or bool(c.title and c.title not in ("yhteyshenkilö", "kontaktperson")
                                        and (c.phone and not seen.phone or c.email and not seen.email))
                merged[i] = replace(
                    seen,
                    title=c.title if longer else seen.title or c.title,  # 'koordinaattori' → 'hankekoordinaattori'

                    phone=seen.phone or c.phone,
                    email=seen.email or c.email,
                    organization=seen.organization or c.organization,
                )
                break
        else:
            merged.append(c)
    return merged
