"""County totals on invented but realistic pages, through the real ingest (spaCy, rules, index).

tests/fixtures/projects/ holds seven pages written for this test (every name, phone and sum made up):

- Kainuu, "Etähoito Kainuussa": a county news item (fi) granting 1 498 000 € for 2024–2025, its Swedish
  twin ("Distansvård i Kajanaland", 1 498 000 euro), and a local paper's rounded "noin 1,5 miljoonaa".
- Kainuu, "Kotiin Kainuussa": a budget of 2 000 000 €, "josta valtionavustuksen osuus 1 600 000 euroa".
- Lappi, "Pohjoisen hoitotakuu": a board minute applying for 900 000 € and a later news item about the
  850 000 € grant.
- A ministry release (national): 38 M€ granted in total, a ceiling of 40 M€, a 190 M€ programme pot,
  and a list of two grants (Kainuu's 1 498 000 € and Lappi's 850 000 €).

Hand-computed granted totals: Kainuu 1 498 000 + 1 600 000 = 3 098 000 €; Lappi 850 000 €; every
other county 0 €; the ceiling, the pot and the release's total are in no county's total.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hakemisto.core.config import load_settings
from hakemisto.facts import projects as pj
from hakemisto.jobs.pipeline import ingest_paths
from hakemisto.search.records import load_projects

pytestmark = pytest.mark.slow  # extracts the shipped corpus

FIXTURES = Path(__file__).parent / "fixtures" / "projects"
EXPECTED = {"Kainuu": 3_098_000, "Lappi": 850_000}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> pj.ProjectSet:
    root = tmp_path_factory.mktemp("projects-fixture")
    settings = load_settings(index_dir=root / "index", report_dir=root / "runs")
    ingest_paths([str(FIXTURES)], settings)
    return load_projects(settings)


def test_one_record_per_project_across_pages_and_languages(records: pj.ProjectSet) -> None:
    etahoito = [p for p in records.projects if p.name == "Etähoito Kainuussa"]
    assert len(etahoito) == 1 and etahoito[0].region == "Kainuu"
    pages = {Path(p.doc_id).name for p in etahoito[0].pages}
    assert {"kainuu_etahoito_fi.html", "kainuu_etahoito_sv.html", "kainuu_lehti_etahoito.txt"} <= pages
    lappi = [p for p in records.projects if p.region == "Lappi"]
    assert [p.name for p in lappi] == ["Pohjoisen hoitotakuu"]
    assert {Path(p.doc_id).name for p in lappi[0].pages} >= {"lappi_aluehallitus_2023_10.txt",
                                                              "lappi_hoitotakuu_uutinen.html"}
    people = {p.name: p for p in records.people}
    assert people["Liisa Lumme"].phone == "+358447001234" and len(people["Liisa Lumme"].pages) >= 2


def test_county_totals_equal_the_hand_computed_granted_sums(records: pj.ProjectSet) -> None:
    for region in {p.region for p in records.projects if p.region} | set(EXPECTED):
        assert records.region_total(region) == EXPECTED.get(region, 0), region
    lappi = next(p for p in records.projects if p.region == "Lappi")
    assert lappi.total("applied") == 900_000
    kotiin = next(p for p in records.projects if p.name == "Kotiin Kainuussa")
    assert kotiin.total("budget") == 2_000_000 and kotiin.granted_eur == 1_600_000
    etahoito = next(p for p in records.projects if p.name == "Etähoito Kainuussa")
    reasons = [a.reason for a in etahoito.amounts]
    assert reasons.count(None) == 1 and {"same_rounded", "same_twin"} <= set(reasons)
    assert set(reasons) <= {None, "same_rounded", "same_twin", "same_repeat"}
    pools = [a for a in records.loose if a.eur in (38_000_000, 40_000_000, 190_000_000)]
    assert len(pools) == 3 and all(not a.counted for a in pools)


def test_shipped_corpus_rrp_projects(tmp_path: Path) -> None:
    """Issue 13's acceptance on corpus/: `hakemisto ingest corpus/` then `hakemisto projects --programme RRP`."""
    import json

    from click.testing import CliRunner

    from hakemisto.cli import main

    corpus = Path(__file__).parent.parent / "corpus"
    runner = CliRunner()
    index = ["--index-dir", str(tmp_path / "index")]
    assert runner.invoke(main, ["ingest", str(corpus), "--quiet", *index]).exit_code == 0
    result = runner.invoke(main, ["projects", "--programme", "RRP", "--json", *index])
    assert result.exit_code == 0, result.output
    rows = {p["name"]: p for p in json.loads(result.output)["projects"]}
    ph = rows["Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä"]
    assert ph["region"] == "Päijät-Häme" and ph["granted_eur"] == 11_700_000 and ph["period"] == "2023–2025"
    assert ph["lead_contact"] and ph["lead_contact"]["phone"]
    prima = rows["Prima Botnia – Hyvinvoiva Pohjanmaa"]
    assert prima["region"] == "Pohjanmaa" and prima["granted_eur"] == 0 and prima["period"] == "2022"
    assert abs(prima["applied_eur"] - 2_600_000) < 1
    kp = rows["RRF-Keski-Pohjanmaa"]
    assert kp["region"] == "Keski-Pohjanmaa" and kp["lead_contact"]["name"] == "Satu Marjakangas"
    everything = json.loads(runner.invoke(main, ["projects", "--region", "Päijät-Häme", "--json", *index]).output)
    sote = next(p for p in everything["projects"] if p["name"] == "Tulevaisuuden sote-keskus")
    assert sote["cost_eur"] == 4_100_000 and sote["granted_eur"] == 0
    assert [a["role"] for a in sote["amounts"]] == ["cost"]
