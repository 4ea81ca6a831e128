"""Money expressions → euros ('hieman yli 2,6 milj. euroa' → 2 600 000, qualifier 'hieman yli').

A number is money only when a currency word or sign stands next to it, or when it fills a table cell
whose column header names euros ('Myönnetty avustus (€)' above '5 120 000'), so phone numbers, years,
dates, counts ('186 työntekijää') and percentages never become amounts. Vocabularies live in
``data/money.toml``; this module is pure (text in, ``Amount`` values out).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import cache
from importlib import resources

from hakemisto.core.model import Amount
from hakemisto.facts.tables import SEP, cell_at, column_header, is_data_row, table_rows

_NUM = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?![\d,])|\d+(?:[,.]\d+)?"
_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d{2})(?:\s*[–—-]\s*((?:19|20)\d{2}))?(?![\d,])")


def _alternation(words: list[str]) -> str:
    """Longest first, so 'milj.' wins over 'm' and 'hieman yli' over 'yli'."""
    escaped = [re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True)]
    return "|".join(escaped)


@cache
def _vocab() -> dict:
    text = resources.files("hakemisto").joinpath("data/money.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    v = _vocab()
    scale = _alternation(list(v["scales"]))
    cscale = _alternation(list(v["currency_scales"]))
    after = _alternation(v["currencies"]["after"])
    before = _alternation(v["currencies"]["before"])
    words = _alternation(list(v["number_words"]))
    qual = _alternation(v["qualifiers"]["words"])
    num = rf"(?P<num>{_NUM}|(?:{words})(?=\s))"
    tail = rf"(?:\s*[–—-]\s*(?P<num2>{_NUM}))?"
    number_first = re.compile(
        rf"(?<![\w,.]){num}{tail}\s*"
        rf"(?:(?P<cscale>{cscale})|(?:(?P<scale>{scale})\s*)?(?P<cur>{after}))(?![\w€])",
        re.IGNORECASE,
    )
    currency_first = re.compile(
        rf"(?<!\w)(?P<cur>{before})\s?(?P<num>{_NUM})(?:\s*(?P<scale>{scale})(?!\w))?", re.IGNORECASE
    )
    qualifier = re.compile(rf"(?:^|(?<=[\s(]))(?P<q>{qual})\s*$", re.IGNORECASE)
    return number_first, currency_first, qualifier


# compiled once (a pattern string given to ``re`` goes through its cache of 512, which the rules'
# per-name patterns keep evicting)
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_WHITESPACE = re.compile(r"\s+")
_DOTTED_DECIMAL = re.compile(r"\d{1,3}\.\d{3}")
_LINE = re.compile(r"[^\n]+")


def parse_number(text: str) -> float | None:
    """'2,6' → 2.6, '500 000' → 500000, '1.500' → 1500, 'puoli' → 0.5; None when not a number."""
    words = _vocab()["number_words"]
    key = " ".join(text.lower().split())
    if key in words:
        return float(words[key])
    raw = _SPACES.sub("", text)
    if _DOTTED_THOUSANDS.fullmatch(raw):
        raw = raw.replace(".", "")
    raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


def _scale(word: str | None, table: str) -> float:
    if not word:
        return 1.0
    key = _WHITESPACE.sub("", word.lower())
    return float(_vocab()[table].get(key, 1.0))


def _qualifier(text: str, start: int) -> tuple[str | None, int]:
    """The qualifier word(s) right before the number, and where they start."""
    window_start = max(0, start - 30)
    found = _patterns()[2].search(text[window_start:start])
    if not found:
        return None, start
    return " ".join(found.group("q").lower().split()), window_start + found.start("q")


def years_in(sentence: str) -> str | None:
    """The year or year range a sentence mentions ('vuosille 2023-2025' → '2023-2025')."""
    found = _YEAR.search(sentence)
    if not found:
        return None
    return f"{found.group(1)}-{found.group(2)}" if found.group(2) else found.group(1)


def find_amounts(text: str) -> list[Amount]:
    """Every money expression in ``text`` with its value in euros and character offsets."""
    number_first, currency_first, _ = _patterns()
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for pattern in (number_first, currency_first):
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = parse_number(m.groupdict().get("num2") or m.group("num"))
            if value is None:
                continue
            groups = m.groupdict()
            if groups.get("cscale") and groups["cscale"].isalpha() and groups["cscale"][0].islower():
                continue  # 'me'/'te' in lower case are Finnish pronouns, not 'M€'/'t€' ('1 250 t€' is a sum)
            if groups.get("cscale"):
                multiplier = _scale(groups["cscale"], "currency_scales")
            else:
                multiplier = _scale(groups.get("scale"), "scales")
            number = groups.get("num2") or groups["num"]
            if multiplier >= 1_000_000 and _DOTTED_DECIMAL.fullmatch(number.strip()):
                value = float(number.strip())  # '1.356 miljoonaa euroa': a decimal point before a scale word
            if value * multiplier == 1000 and _in_header(text, m.start(), m.end()):
                continue  # a header's unit ('Summa (1000 €)'), no sum
            qualifier, _ = _qualifier(text, m.start())
            if m.groupdict().get("num2"):
                qualifier = qualifier or "range"
            surface = " ".join(m.group(0).split())
            found.append(Amount(text=surface, eur=round(value * multiplier, 2), qualifier=qualifier,
                                start=m.start(), end=m.end()))
            taken.append((m.start(), m.end()))
    for a in table_amounts(text):
        if not any((a.start or 0) < e and s < (a.end or 0) for s, e in taken):
            found.append(a)
    return sorted(found, key=lambda a: a.start or 0)


def _in_header(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands in a table row that holds no values (a header)."""
    cell = cell_at(text, start, end)
    if cell is None:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return not is_data_row(text[line_start:len(text) if line_end < 0 else line_end].split(SEP))


_CELL_NUMBER = re.compile(rf"(?:{_NUM})(?:,-)?")


@cache
def _header_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    v = _vocab()["table_headers"]

    def words(key: str) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w)(?:{_alternation(v[key])})(?!\w)", re.IGNORECASE)

    per = re.compile("|".join(v["per_unit"]), re.IGNORECASE)
    return words("currency"), words("thousands"), words("millions"), per


def header_unit(header: str) -> float | None:
    """Euros per unit of a column whose header names euros ('Summa, euroa' → 1, '(1000 €)' / 't€' →
    1000, 'milj. €' → 1e6); None for a header without euros or with a per-unit one ('€/asukas')."""
    text = " ".join(header.replace("\u00a0", " ").split())
    currency, thousands, millions, per = _header_patterns()
    if "€" not in text and not currency.search(text):
        return None
    if per.search(text):
        return None
    if millions.search(text):
        return 1e6
    if thousands.search(text):
        return 1e3
    return 1.0


_YEAR_CELL = re.compile(r"(?:19|20)\d{2}")


def _caption_unit(text: str, pos: int) -> float | None:
    """The euro unit of a table's caption, the line right above its first row ('Hankkeiden rahoitus,
    tuhatta euroa'): the unit of every column whose own header names none."""
    rows = table_rows(text, pos)
    if not rows:
        return None
    above = text[:rows[0][0]].rstrip("\n").rsplit("\n", 1)[-1]
    if SEP in above or len(above.split()) > 12:
        return None
    return header_unit(above)


def table_amounts(text: str) -> list[Amount]:
    """Bare numbers in table cells ('Digiarki Kainuu | 2 340 000') under a header naming euros:
    the cell's text as written, its value times the header's unit. Cells with anything besides the
    number (a year range, '80 %', a phone number with its words) and columns without a euro header
    are no money."""
    found: list[Amount] = []
    for line in _LINE.finditer(text):
        if SEP not in line.group(0):
            continue
        pos = line.start()
        for raw in line.group(0).split(SEP):
            lo, hi = pos + len(raw) - len(raw.lstrip()), pos + len(raw.rstrip())
            pos += len(raw) + len(SEP)
            cell = text[lo:hi]
            if not _CELL_NUMBER.fullmatch(cell):
                continue
            header = column_header(text, lo, hi)
            unit = header_unit(header) if header else None
            value = parse_number(cell.removesuffix(",-"))
            if unit is None and header and not _YEAR_CELL.fullmatch(cell.strip()):
                unit = _caption_unit(text, lo)  # 'Hankkeiden rahoitus, tuhatta euroa' over 'Haettu | Myönnetty'
            if unit is None or not value:
                continue
            found.append(Amount(text=" ".join(cell.split()), eur=round(value * unit, 2), qualifier=None,
                                start=lo, end=hi))
    return found


def with_context(amount: Amount, sentence: str, funder: str | None = None,
                 project: str | None = None) -> Amount:
    """The amount with the year(s), funder and project its sentence names."""
    rest = sentence.replace(amount.text, " ")
    return replace(amount, year=years_in(rest), funder=funder, project=project, sentence=sentence)


def _same_figure(a: Amount, b: Amount) -> bool:
    """One sum written twice: the same euros, and no two different counties, projects or roles named for
    it ('Haettu € | Myönnetty €' over '900 000 | 900 000', a grant and 'kustannusarvio on sama 612 400
    euroa' are two sums)."""
    return (a.eur == b.eur and (a.region is None or b.region is None or a.region == b.region)
            and (a.role is None or b.role is None or a.role == b.role)
            and (a.project is None or b.project is None or a.project.lower() == b.project.lower()))


def one_per_figure(amounts: list[Amount], until: int | None = None) -> list[Amount]:
    """Each figure once per page (shared/gold/README.md: the same grant written twice is one grant; a
    heading's '2,6 miljoonalla eurolla' is the body's '2,6 M€'), so no total counts it twice. Of the
    copies the one that names the most (project, then county) is kept, the first among equals; two
    equal sums of different counties or projects are two sums. Sums from offset ``until`` on (a
    'Lue myös' / 'Läs också' block of other stories) are no money of this page. ``part_of`` indices
    follow the kept copies."""
    keep: list[int] = []
    home: dict[int, int] = {}  # index in ``amounts`` → index of the copy kept for it
    for i, a in enumerate(amounts):
        if until is not None and (a.start or 0) >= until:
            continue
        k = next((k for k in keep if _same_figure(amounts[k], a)), None)
        if k is None:
            keep.append(i)
            home[i] = i
            continue
        home[i] = k
        if (a.project is not None, a.region is not None) > (amounts[k].project is not None, amounts[k].region is not None):
            # the richer copy takes the place of the first one
            keep[keep.index(k)] = i
            for j, h in home.items():
                if h == k:
                    home[j] = i
    position = {i: n for n, i in enumerate(keep)}
    out = []
    for i in keep:
        a = amounts[i]
        whole = None if a.part_of is None or a.part_of not in home else position.get(home[a.part_of])
        out.append(replace(a, part_of=None if whole == position[i] else whole))
    return out
