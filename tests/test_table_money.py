"""Sums in table cells without a currency sign (issue 12/13): the column header names the unit.

Unit rules run on the text the loaders produce (cells joined by ' | ', one row a paragraph); the
last tests run small fi / sv HTML pages through the real loader and extractor (spaCy, voikko).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hakemisto.core.config import load_settings
from hakemisto.crawl.extract import html_to_document
from hakemisto.documents.loaders import text_to_document
from hakemisto.facts.entities import gold_record
from hakemisto.facts.money import find_amounts, header_unit
from hakemisto.facts.roles import column_role
from hakemisto.facts.tables import column_header
from hakemisto.jobs.pipeline import extract_paths


def sums(text: str) -> list[tuple[str, float]]:
    return [(a.text, a.eur) for a in find_amounts(text)]


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("Myönnetty avustus (€)", 1.0),
        ("Summa, euroa", 1.0),
        ("Beviljat belopp (euro)", 1.0),
        ("EUR", 1.0),
        ("€", 1.0),
        ("Avustus (1000 €)", 1e3),
        ("Avustus, t€", 1e3),
        ("Rahoitus, tuhatta euroa", 1e3),
        ("Beviljat (1 000 euro)", 1e3),
        ("Budjetti milj. €", 1e6),
        ("Anslag, miljoner euro", 1e6),
        ("Hanke", None),
        ("Vuosi", None),
        ("Osuus (%)", None),
        ("Europe-hanke", None),
        ("€/asukas", None),
        ("Euro per invånare", None),
        ("Euroa / hlö", None),
        ("Avustus asukasta kohden (€)", None),
        ("Haettu / myönnetty (€)", 1.0),
        ("Kustannukset 2024/2025, €", 1.0),
    ],
)
def test_header_unit(header: str, unit: float | None) -> None:
    assert header_unit(header) == unit


def test_bare_numbers_under_a_euro_header_are_sums_as_written() -> None:
    fi = ("Myönnetyt avustukset\n\nHyvinvointialue | Hanke | Myönnetty avustus (€)\n\n"
          "Kainuun hyvinvointialue | Arki Kainuu | 412 300\n\n"
          "Lapin hyvinvointialue | Pohjoinen polku | 1\u00a0498\u00a0000\n\n"
          "Satakunnan hyvinvointialue | Kotona | 2 612 000,00\n\n"
          "Yhteensä | 4 522 300")
    assert sums(fi) == [("412 300", 412_300), ("1 498 000", 1_498_000), ("2 612 000,00", 2_612_000),
                        ("4 522 300", 4_522_300)]  # the total row spans two columns: read from the right
    sv = "Välfärdsområde | Beviljat belopp (euro)\n\nKajanaland | 250 000\n\nLappland | 1.250.000"
    assert sums(sv) == [("250 000", 250_000), ("1.250.000", 1_250_000)]


def test_header_scale_multiplies_and_is_no_sum_itself() -> None:
    thousands = "Hanke | Avustus (1000 €)\n\nArki | 412,5\n\nPolku | 1 200"
    assert sums(thousands) == [("412,5", 412_500), ("1 200", 1_200_000)]
    euroa = "Hanke | Summa, tuhatta euroa\n\nArki | 95"
    assert sums(euroa) == [("95", 95_000)]
    millions = "Ohjelma | Budjetti milj. €\n\nRRP | 2,6"
    assert sums(millions) == [("2,6", 2_600_000)]
    # a sum with its own sign in such a table is read as written, once
    assert sums("Hanke | Avustus (€)\n\nArki | 80 000 €") == [("80 000 €", 80_000)]


def test_years_counts_percentages_phones_and_columns_without_euros_are_no_money() -> None:
    mixed = ("Vuosi | Hankkeita | Osuus (%) | Avustus (€) | Puhelin\n\n"
             "2024 | 12 | 80 | 640 000 | 040 123 4567\n\n"
             "2025 | 9 | 75,5 | 310 000 | 00100")
    assert sums(mixed) == [("640 000", 640_000), ("310 000", 310_000)]
    assert sums("Hanke | Vuosi | Henkilöä\n\nArki | 2024 | 186\n\nPolku | 2025 | 1 200") == []
    assert sums("Postinumero | Toimipaikka\n\n00100 | Helsinki") == []
    # a cell with words besides the number is no bare number
    assert sums("Hanke | Avustus (€)\n\nArki | 2023–2025") == []
    # rows of a list without any header
    assert sums("Arki | 412 300\n\nPolku | 95 000") == []


def test_the_header_lookup_is_shared_with_roles() -> None:
    text = "Hanke | Haettu (€) | Myönnetty (€)\n\nArki | 80 000 | 70 000"
    applied, granted = find_amounts(text)
    assert column_header(text, applied.start or 0, applied.end or 0) == "Haettu (€)"
    assert column_role(text, applied.start or 0, applied.end or 0) == "applied"
    assert column_role(text, granted.start or 0, granted.end or 0) == "granted"


def test_a_header_row_of_th_cells_stays_cells() -> None:
    html = ("<html><body><main><h1>Hankkeen kustannusarvio</h1><table>"
            "<tr><th>Kustannukset</th><th>euroa</th></tr>"
            "<tr><td>Henkilöstökulut</td><td>236 400</td></tr>"
            "<tr><th>Budjetti</th><td>420 000 €</td></tr></table></main></body></html>")
    doc = html_to_document(html.encode("utf-8"), url="https://example.fi/a")
    assert "Kustannukset | euroa" in doc.paragraphs  # a header, not a 'Kustannukset: euroa' field
    assert "Budjetti: 420 000 €" in doc.paragraphs  # a th label beside a td value stays a field


FI_PAGE = """<html lang="fi"><head><title>Valtionavustukset hyvinvointialueille</title></head><body><main>
<h1>Ministeriö myönsi valtionavustukset hoitoonpääsyn hankkeille</h1>
<p>Sosiaali- ja terveysministeriö on myöntänyt valtionavustusta kolmelle hyvinvointialueelle.</p>
<table>
<tr><th>Hyvinvointialue</th><th>Hanke</th><th>Myönnetty avustus (€)</th></tr>
<tr><td>Kainuun hyvinvointialue</td><td>Arkiapu Kainuu</td><td>412 300</td></tr>
<tr><td>Lapin hyvinvointialue</td><td>Pohjoinen hoitopolku</td><td>1 498 000</td></tr>
</table>
<table>
<tr><th>Vuosi</th><th>Asiakkaita</th><th>Kustannukset (1000 €)</th></tr>
<tr><td>2024</td><td>1 200</td><td>350</td></tr>
</table>
<table>
<tr><th>Yhteyshenkilö</th><th>Puhelin</th><th>Postinumero</th></tr>
<tr><td>Maija Mallikas</td><td>040 123 4567</td><td>87100</td></tr>
</table>
</main></body></html>"""

SV_PAGE = """<html lang="sv"><head><title>Statsunderstöd till välfärdsområden</title></head><body><main>
<h1>Ministeriet beviljade statsunderstöd till projekt för vård</h1>
<p>Social- och hälsovårdsministeriet har beviljat statsunderstöd till två välfärdsområden.</p>
<table>
<tr><th>Välfärdsområde</th><th>Projekt</th><th>Beviljat belopp, euro</th></tr>
<tr><td>Österbottens välfärdsområde</td><td>Vård nära dig</td><td>2 612 000,00</td></tr>
<tr><td>Kajanalands välfärdsområde</td><td>Digital vardag</td><td>740 000</td></tr>
</table>
</main></body></html>"""


PARTNER_PAGE = """<html lang="sv"><head><title>BalticVård – Egentliga Finlands välfärdsområde</title></head>
<body><main><h1>Projektet BalticVård utvecklar akutvården i Egentliga Finland</h1>
<p>Egentliga Finlands välfärdsområde leder projektet BalticVård tillsammans med partner kring Östersjön.</p>
<table>
<tr><th>Partner</th><th>Budget (euro)</th></tr>
<tr><td>Egentliga Finlands välfärdsområde</td><td>820 000</td></tr>
<tr><td>Östra Nylands välfärdsområde</td><td>460 000</td></tr>
<tr><td>Region Gotland</td><td>380 000</td></tr>
</table>
</main></body></html>"""


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    base = tmp_path_factory.mktemp("tables")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "stm_fi.html").write_text(FI_PAGE, encoding="utf-8")
    (corpus / "stm_sv.html").write_text(SV_PAGE, encoding="utf-8")
    (corpus / "partner_sv.html").write_text(PARTNER_PAGE, encoding="utf-8")
    settings = load_settings(index_dir=base / "index", corpus_dir=corpus, n_process=1)
    docs, _ = extract_paths([corpus], settings)
    return {Path(r["doc"]).stem: r for r in (gold_record(d) for d in docs)}


@pytest.mark.slow  # the spaCy pipeline over whole pages
def test_table_sums_on_pages_get_county_project_and_role(records: dict[str, dict]) -> None:
    fi = {a["eur"]: a for a in records["stm_fi"]["amounts"]}
    assert set(fi) == {412_300, 1_498_000, 350_000}  # no year, count, phone or postcode
    assert (fi[412_300]["text"], fi[412_300]["role"], fi[412_300]["region"], fi[412_300]["project"]) == (
        "412 300", "granted", "Kainuu", "Arkiapu Kainuu")
    assert (fi[1_498_000]["region"], fi[1_498_000]["project"]) == ("Lappi", "Pohjoinen hoitopolku")
    sv = {a["eur"]: a for a in records["stm_sv"]["amounts"]}
    assert set(sv) == {2_612_000, 740_000}
    assert (sv[2_612_000]["text"], sv[2_612_000]["role"], sv[2_612_000]["region"]) == (
        "2 612 000,00", "granted", "Pohjanmaa")
    assert (sv[740_000]["region"], sv[740_000]["project"]) == ("Kainuu", "Digital vardag")


def test_plain_text_dump_tables_become_cells() -> None:
    dump = ("Etusivu  Uutiset  Haku\n\nTarkistettu kustannusarvio\n\n"
            "Kustannuslaji                 Yhteensä €\n"
            "Henkilöstökulut                  855 000\n"
            "Laite- ja ohjelmistohankinnat\t127 000\n"
            "Kokonaiskustannukset           1 317 000\n\n"
            "Yhteystiedot  puh. 040 123 4567\n")
    doc = text_to_document(dump, doc_id="d.txt")
    assert "Kustannuslaji | Yhteensä €" in doc.paragraphs
    assert "Laite- ja ohjelmistohankinnat | 127 000" in doc.paragraphs
    assert "Etusivu Uutiset Haku" in doc.paragraphs  # a menu bar has no numbers: stays a line
    assert "Yhteystiedot puh. 040 123 4567" in doc.paragraphs  # one line is no table
    assert sums("\n\n".join(doc.paragraphs)) == [("855 000", 855_000), ("127 000", 127_000),
                                                  ("1 317 000", 1_317_000)]
    sv = "Partner      Budget (euro)\nRegion Gotland     380 000\nTallinna Kiirabi   300 000\n"
    assert sums("\n\n".join(text_to_document(sv, doc_id="s.txt").paragraphs)) == [
        ("380 000", 380_000), ("300 000", 300_000)]
    # aligned columns without a euro header: cells, but no money
    counts = "Vuosi      Asiakkaita\n2023       1 200\n2024       1 450\n"
    assert sums("\n\n".join(text_to_document(counts, doc_id="c.txt").paragraphs)) == []


def test_an_empty_cell_keeps_the_columns_of_its_row() -> None:
    html = ("<html><body><main><h1>Haetut ja myönnetyt avustukset</h1><table>"
            "<tr><th>Hanke</th><th>Haettu (€)</th><th>Myönnetty (€)</th></tr>"
            "<tr><td>Arkiapu</td><td>80 000</td><td></td></tr>"
            "<tr><td>Kotiapu</td><td></td><td>70 000</td></tr></table></main></body></html>")
    doc = html_to_document(html.encode("utf-8"), url="https://example.fi/b")
    assert "Arkiapu | 80 000 | –" in doc.paragraphs
    text = "\n\n".join(doc.paragraphs)
    applied, granted = find_amounts(text)
    assert (applied.eur, granted.eur) == (80_000, 70_000)
    assert column_role(text, applied.start or 0, applied.end or 0) == "applied"
    assert column_role(text, granted.start or 0, granted.end or 0) == "granted"


@pytest.mark.slow  # the spaCy pipeline over a whole page
def test_a_partner_table_row_naming_no_county_is_no_county_s(records: dict[str, dict]) -> None:
    rows = {a["eur"]: (a["role"], a["region"]) for a in records["partner_sv"]["amounts"]}
    assert rows == {820_000: ("budget", "Varsinais-Suomi"), 460_000: ("budget", "Itä-Uusimaa"),
                    380_000: ("budget", None)}
