"""Euro amounts written the way Finnish and Finland-Swedish readers expect, in one place.

The CLI, the report and the web pages all call ``format_eur`` so that "11,7 milj. €" looks the same
everywhere; Babel's CLDR data (fi_FI, sv_FI) decides separators, the currency sign's position and the
abbreviation of millions, instead of hand-written rules per language.

Loading that data (Babel's locale pickles) cost ~40 ms of every cold `hakemisto search` whose hits
show an amount (issue 17), so fi and sv amounts are written from ``_CLDR`` below — the few symbols
of those two locales Babel reads, copied from its data — with Babel's own arithmetic (``Decimal``,
half-even rounding, the carry to the next unit). ``tests/test_fmt.py`` compares the two on thousands
of values; anything else (other locales, negative or huge amounts) goes to Babel.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
NBSP = "\u00a0"
_DECIMALS = re.compile(r"[,.]\d+(?=[^\d])")
# Babel's data for fi_FI and sv_FI: group and decimal symbols, the euro sign after a space, and the
# short compact units of 10^6, 10^9 and 10^12 (CLDR "0 milj'.' ¤" …, the same for every plural form).
_CLDR = {
    "fi_FI": {"group": NBSP, "decimal": ",", "units": ("milj.", "mrd.", "bilj.")},
    "sv_FI": {"group": NBSP, "decimal": ",", "units": ("mn", "md", "bn")},
}
_LARGEST = Decimal(10) ** 15  # Babel's largest compact unit is 10^12 (up to '999 bilj.')


@cache
def _locale(lang: str | None) -> str:
    return LOCALES.get((lang or "fi")[:2], "fi_FI")


def _grouped(digits: str, group: str) -> str:
    """'1234567' → '1 234 567' (Babel's ``#,##0`` grouping by threes)."""
    head, tail = digits[: len(digits) % 3 or 3], digits[len(digits) % 3 or 3:]
    return group.join([head, *(tail[i:i + 3] for i in range(0, len(tail), 3))])


def _cldr_eur(value: float | int, locale: str, exact: bool) -> str | None:
    """``format_eur`` for fi_FI and sv_FI without loading Babel, or None when Babel must answer."""
    data = _CLDR.get(locale)
    if data is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or number.is_signed() or number >= _LARGEST:
        return None
    number = number.normalize()
    if exact or number < 1_000_000:
        digits = 0 if float(value).is_integer() or number >= 1000 else 2
        whole, _, fraction = f"{number.quantize(Decimal(1).scaleb(-digits)):f}".partition(".")
        text = _grouped(whole, data["group"]) + (data["decimal"] + fraction if digits else "")
        return f"{text}{NBSP}€"
    digits = 1 if number >= 10_000_000 else 2
    power = 6 if number < 10**9 else 9 if number < 10**12 else 12
    rounded = round(number / Decimal(10) ** power, digits)
    if rounded >= 1000 and power < 12:  # 999,96 milj. → '1 mrd.', as Babel carries to the next unit
        rounded, power = Decimal(1), power + 3
    whole, _, fraction = f"{rounded.normalize():f}".partition(".")
    text = whole + (data["decimal"] + fraction if fraction else "")
    return f"{text}{NBSP}{data['units'][(power - 6) // 3]}{NBSP}€"


def format_eur(value: float | int | None, lang: str | None = "fi", *, exact: bool = False) -> str:
    """'11,7 milj. €' (fi) / '11,7 mn €' (sv) from a million up, '250 000 €' below; '–' for None.

    ``exact=True`` writes every euro ('11 700 000 €'), for tables a planner copies figures from."""
    if value is None:
        return "–"
    locale = _locale(lang)
    fast = _cldr_eur(value, locale, exact)
    return fast if fast is not None else _babel_eur(value, locale, exact)


def _babel_eur(value: float | int, locale: str, exact: bool) -> str:
    """``format_eur`` by Babel: any locale and amount (the reference ``_cldr_eur`` is tested against)."""
    from babel.numbers import format_compact_currency, format_currency

    if exact or abs(value) < 1_000_000:
        digits = 0 if float(value).is_integer() or abs(value) >= 1000 else 2
        pattern = "#,##0 ¤" if digits == 0 else "#,##0.00 ¤"
        text = format_currency(value, "EUR", format=pattern, locale=locale, currency_digits=False)
    else:
        digits = 1 if abs(value) >= 10_000_000 else 2
        text = format_compact_currency(value, "EUR", locale=locale, fraction_digits=digits)
        # CLDR keeps trailing zeros ('2,60 milj. €'); planners write '2,6 milj. €'.
        text = _DECIMALS.sub(lambda m: m.group(0).rstrip("0").rstrip(",."), text, count=1)
    return text.replace(" ", NBSP)


def format_number(value: float | int | None, lang: str | None = "fi") -> str:
    """'12 345' with the locale's grouping (a no-break space in fi and sv)."""
    if value is None:
        return "–"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(lang), format="#,##0")
