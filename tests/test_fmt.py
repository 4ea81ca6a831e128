"""Euro amounts without Babel's locale data (issue 17: cold start) read exactly as Babel writes them."""

from __future__ import annotations

import random

import pytest

from hakemisto.report import fmt

EDGES = [0, 1, 0.5, 0.005, 0.015, 9.99, 12.5, 999.994, 999.995, 999.5, 1000, 1000.5, 1001.5, 12_345.5, 99_999,
         250_000, 999_999, 999_999.4, 999_999.5, 999_999.995, 1_000_000, 1_004_999, 1_005_000, 1_015_000,
         2_600_000, 9_994_999, 9_995_000, 9_999_999, 10_000_000, 10_050_000, 11_700_000, 99_950_000, 99_949_999,
         999_949_999, 999_950_000, 999_999_999, 1_000_000_000, 1_250_000_000, 999_950_000_000, 10**12 - 1,
         10**12, 3.5 * 10**13, 999_950_000_000_000, 10**15 - 1, 10**15, 2 * 10**16]


def values() -> list[float | int]:
    rng = random.Random(17)
    out: list[float | int] = list(EDGES)
    for _ in range(3000):
        exponent = rng.uniform(0, 15.5)
        out.append(round(10**exponent))
        out.append(round(10**exponent, 2))
        out.append(rng.randrange(1, 2000) * 10 ** rng.randrange(0, 13) + rng.choice([0, 1, 5, 49, 50, 51, 500]))
    return out


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("exact", [False, True])
def test_fast_path_equals_babel(lang: str, exact: bool) -> None:
    locale = fmt._locale(lang)
    fast = 0
    for value in values():
        ours = fmt.format_eur(value, lang, exact=exact)
        assert ours == fmt._babel_eur(value, locale, exact), (value, lang, exact)
        fast += fmt._cldr_eur(value, locale, exact) is not None
    assert fast > 8000  # the values below 10^15 took the Babel-free path


def test_babel_answers_what_the_table_does_not_hold() -> None:
    assert fmt._cldr_eur(-1_500_000, "fi_FI", False) is None
    assert fmt.format_eur(-1_500_000, "fi") == fmt._babel_eur(-1_500_000, "fi_FI", False)
    assert fmt._cldr_eur(2_600_000, "en_GB", False) is None
    assert fmt.format_eur(2_600_000, "en") == fmt._babel_eur(2_600_000, "en_GB", False)
    assert fmt.format_eur(float("nan"), "fi") == fmt._babel_eur(float("nan"), "fi_FI", False)
    assert fmt.format_eur(None) == "–"


def test_planner_forms() -> None:
    assert fmt.format_eur(11_700_000, "fi") == "11,7\u00a0milj.\u00a0€"
    assert fmt.format_eur(11_700_000, "sv") == "11,7\u00a0mn\u00a0€"
    assert fmt.format_eur(2_600_000, "fi") == "2,6\u00a0milj.\u00a0€"
    assert fmt.format_eur(250_000, "fi") == "250\u00a0000\u00a0€"
    assert fmt.format_eur(11_700_000, "fi", exact=True) == "11\u00a0700\u00a0000\u00a0€"
    assert fmt.format_eur(999_960_000, "fi") == "1\u00a0mrd.\u00a0€"  # Babel's carry to the next unit
