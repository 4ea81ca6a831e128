"""Euro amounts written the way Finnish and Finland-Swedish readers expect, in one place.

The CLI, the report and the web pages all call ``format_eur`` so that "11,7 milj. €" looks the same
everywhere; Babel's CLDR data (fi_FI, sv_FI) decides separators, the currency sign's position and the
abbreviation of millions, instead of hand-written rules per language.
"""

from __future__ import annotations

import re
from functools import cache

from babel.numbers import format_compact_currency, format_currency, format_decimal

LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
NBSP = "\u00a0"
_DECIMALS = re.compile(r"[,.]\d+(?=[^\d])")


@cache
def _locale(lang: str | None) -> str:
    return LOCALES.get((lang or "fi")[:2], "fi_FI")


def format_eur(value: float | int | None, lang: str | None = "fi", *, exact: bool = False) -> str:
    """'11,7 milj. €' (fi) / '11,7 mn €' (sv) from a million up, '250 000 €' below; '–' for None.

    ``exact=True`` writes every euro ('11 700 000 €'), for tables a planner copies figures from."""
    if value is None:
        return "–"
    locale = _locale(lang)
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
    return format_decimal(value, locale=_locale(lang), format="#,##0")
