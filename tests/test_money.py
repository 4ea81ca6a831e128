"""Every money expression and non-money case of issue 3 item 4."""

from __future__ import annotations

import pytest

from hakemisto.core.model import Amount
from hakemisto.facts.money import find_amounts, parse_number, years_in


@pytest.mark.parametrize(
    ("text", "eur", "qualifier"),
    [
        ("2,6 milj. euroa", 2_600_000, None),
        ("hieman yli 2,6 milj. euroa", 2_600_000, "hieman yli"),
        ("noin 4,1 miljoonaa euroa", 4_100_000, "noin"),
        ("11,7 miljoonan euron", 11_700_000, None),
        ("över 2,6 miljoner euro", 2_600_000, "över"),
        ("500 000 euroa", 500_000, None),
        ("1,2 M€", 1_200_000, None),
        ("250 000 €", 250_000, None),
        ("300 tuhatta euroa", 300_000, None),
        ("1,5 miljardia euroa", 1_500_000_000, None),
        ("EUR 40 000", 40_000, None),
        ("enintään 80 000 euroa", 80_000, "enintään"),
        ("cirka 1,2 miljoner euro", 1_200_000, "cirka"),
        ("puoli miljoonaa euroa", 500_000, None),
    ],
)
def test_money_expressions(text: str, eur: float, qualifier: str | None) -> None:
    amounts = find_amounts(f"Hanke sai {text} rahoitusta.")
    assert len(amounts) == 1
    assert amounts[0].eur == pytest.approx(eur)
    assert amounts[0].qualifier == qualifier
    assert amounts[0].text in text


@pytest.mark.parametrize(
    "text",
    [
        "Puhelin 040 805 1455",
        "+358 44 482 3328",
        "vuodelle 2022",
        "vuosille 2023-2025",
        "22.11.2021",
        "186 työntekijää",
        "12 henkilöä",
        "40 toimenpidekokonaisuutta",
        "lyhentää jonoja 35 %",
        "yli 15 eri projektia",
        "Me olemme 2 me",
    ],
)
def test_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_year_before_amount_is_not_glued() -> None:
    (amount,) = find_amounts("vuonna 2022 500 000 euroa")
    assert amount.eur == 500_000


def test_offsets_point_at_the_surface_text() -> None:
    text = "Hankkeelle myönnettiin noin 11,7 miljoonan euron rahoitus vuosille 2023-2025."
    (amount,) = find_amounts(text)
    assert text[amount.start:amount.end] == amount.text
    assert years_in(text) == "2023-2025"


def test_parse_number() -> None:
    assert parse_number("2,6") == 2.6
    assert parse_number("1 500 000") == 1_500_000
    assert parse_number("1.500") == 1500
    assert parse_number("abc") is None


def test_one_per_figure_keeps_the_richest_copy_and_follows_parts() -> None:
    from hakemisto.facts.money import one_per_figure

    heading = Amount(text="2,6 miljoonalla eurolla", eur=2_600_000, start=0, end=20, role="granted")
    body = Amount(text="2,6 M€", eur=2_600_000, start=50, end=56, role="granted", region="Kanta-Häme",
                  project="Duunipolku")
    part = Amount(text="700 000 €", eur=700_000, start=70, end=79, role="granted", region="Kanta-Häme", part_of=0)
    teaser = Amount(text="1,1 miljoonaa euroa", eur=1_100_000, start=200, end=219, role="granted")
    out = one_per_figure([heading, body, part, teaser], until=150)
    assert [a.text for a in out] == ["2,6 M€", "700 000 €"]
    assert out[1].part_of == 0  # the part follows its whole to the kept copy
    # equal sums of two counties are two sums
    kainuu = Amount(text="500 000 €", eur=500_000, start=0, end=9, region="Kainuu")
    lappi = Amount(text="500 000 €", eur=500_000, start=20, end=29, region="Lappi")
    assert len(one_per_figure([kainuu, lappi])) == 2
