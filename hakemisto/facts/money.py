"""Money expressions → euros ('hieman yli 2,6 milj. euroa' → 2 600 000, qualifier 'hieman yli').

A number is money only when a currency word or sign stands next to it, so phone numbers, years,
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


def parse_number(text: str) -> float | None:
    """'2,6' → 2.6, '500 000' → 500000, '1.500' → 1500, 'puoli' → 0.5; None when not a number."""
    words = _vocab()["number_words"]
    key = " ".join(text.lower().split())
    if key in words:
        return float(words[key])
    raw = re.sub(r"[\s\u00a0\u202f]", "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        raw = raw.replace(".", "")
    raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


def _scale(word: str | None, table: str) -> float:
    if not word:
        return 1.0
    key = re.sub(r"\s+", "", word.lower())
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
            if groups.get("cscale") and groups["cscale"][0].islower():
                continue  # 'me'/'te' in lower case are Finnish pronouns, not 'M€'/'t€'
            if groups.get("cscale"):
                multiplier = _scale(groups["cscale"], "currency_scales")
            else:
                multiplier = _scale(groups.get("scale"), "scales")
            qualifier, _ = _qualifier(text, m.start())
            if m.groupdict().get("num2"):
                qualifier = qualifier or "range"
            surface = " ".join(m.group(0).split())
            found.append(Amount(text=surface, eur=round(value * multiplier, 2), qualifier=qualifier,
                                start=m.start(), end=m.end()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda a: a.start or 0)


def with_context(amount: Amount, sentence: str, funder: str | None = None,
                 project: str | None = None) -> Amount:
    """The amount with the year(s), funder and project its sentence names."""
    rest = sentence.replace(amount.text, " ")
    return replace(amount, year=years_in(rest), funder=funder, project=project, sentence=sentence)
