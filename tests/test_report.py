"""The planner report over the 5 seeds plus a fictional twin pair and a republished copy."""

from __future__ import annotations

import csv
import io
import json

import pytest

from hakemisto.cli import main
from hakemisto.core.config import load_settings
from hakemisto.core.errors import UsageError
from hakemisto.report.overview import build_report, region_amounts, render_csv, render_markdown, render_table
from tests.seed_index import (
    KAINUU_FI,
    KAINUU_SV,
    S000,
    S001,
    S003,
    S003_COPY,
    build_seed_index,
    seed_documents,
)

pytestmark = pytest.mark.slow  # an ingested index

RRP_REGIONS = {"Keski-Pohjanmaa", "Päijät-Häme", "Pohjanmaa", "Kainuu"}


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    return build_seed_index(load_settings(index_dir=root / "index", corpus_dir=root / "corpus", report_dir=root / "runs"))


@pytest.fixture(scope="module")
def rrp(settings):
    return build_report(settings, programme="RRP")


def section(report, name):
    return next(r for r in report.regions if r.region == name)


def test_every_county_is_listed_and_empty_ones_say_so(rrp) -> None:
    assert len(rrp.regions) == 22
    assert {r.region for r in rrp.with_documents} == RRP_REGIONS
    assert "Lappi" in {r.region for r in rrp.without_documents}
    assert not section(rrp, "Helsinki").has_documents


def test_paijat_hame_counts_the_rrp_money_once(rrp, settings) -> None:
    ph = section(rrp, "Päijät-Häme")
    assert ph.total_eur == 11_700_000
    record = next(p for p in ph.records if p.name == "Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä")
    counted = [a for a in record.amounts if a.counted]
    assert [(a.eur, a.year) for a in counted] == [(11_700_000, "2023–2025")]
    assert "11,7 miljoonan euron" in counted[0].sentence and counted[0].link
    # the republished copy lists the same grant but is not counted again, and says so
    repeat = [a for a in record.amounts if not a.counted]
    assert len(repeat) == 1 and repeat[0].reason == "same_duplicate" and repeat[0].same_as in {S003, S003_COPY}
    # the 4.1 M€ is money spent by the sote-keskus project: cost, never in the granted total
    sote = next(p for p in section(build_report(settings), "Päijät-Häme").records if p.name == "Tulevaisuuden sote-keskus")
    assert sote.total("cost") == 4_100_000 and sote.granted_eur == 0
    assert {a.reason for a in sote.amounts} == {"cost"}
    assert {c.name for c in ph.contacts} == {"Katri Nousiainen", "Ville Saloranta", "Kati Honkanen"}
    assert next(c for c in ph.contacts if c.name == "Katri Nousiainen").phone == "+358444823328"


def test_fi_sv_twins_are_not_double_counted(rrp) -> None:
    pohjanmaa = section(rrp, "Pohjanmaa")
    # Prima Botnia's 2.6 M€ was applied for, on the fi page and its sv twin: one application, no grant
    assert pohjanmaa.total_eur == 0 and pohjanmaa.applied_eur == 2_600_000
    prima = next(p for p in pohjanmaa.records if p.name.startswith("Prima Botnia"))
    assert "Prima Botnia – Välmående Österbotten" in prima.names and prima.period == "2022"
    assert {d.id for d in pohjanmaa.documents} == {S000, S001}
    kainuu = section(rrp, "Kainuu")
    assert kainuu.total_eur == 3_200_000  # 3.2 M€ on both twins once; the 0.5 M€ own share is a budget item
    [record] = kainuu.records
    sv = next(a for a in record.amounts if a.doc_id == KAINUU_SV)
    assert not sv.counted and sv.reason == "same_twin" and sv.same_as == KAINUU_FI
    assert rrp.total_eur == 11_700_000 + 3_200_000
    cells = dict(rrp.matrix.rows)
    assert "RRP 2023–2025" in rrp.matrix.phases and "RRP 2022" in rrp.matrix.phases
    column = rrp.matrix.phases.index("RRP 2023–2025")
    assert cells["Päijät-Häme"][column].granted_eur == 11_700_000 and cells["Päijät-Häme"][column].projects == 1
    assert cells["Pohjanmaa"][rrp.matrix.phases.index("RRP 2022")].granted_eur == 0


def test_equal_amounts_on_unrelated_pages_both_count() -> None:
    docs = {d.id: d for d in seed_documents()}
    from dataclasses import replace

    unrelated = replace(docs[KAINUU_FI], id="other-project", twin=None, duplicates=())
    amounts = region_amounts([docs[KAINUU_FI], unrelated])
    assert sum(a.eur for a in amounts if a.counted) == 2 * 3_700_000


def test_funders_projects_themes_contacts(rrp) -> None:
    kp = section(rrp, "Keski-Pohjanmaa")
    assert dict(kp.funders) == {"STM": 1, "EU": 1, "NextGenerationEU/RRF": 1}
    assert kp.projects == ("RRF-Keski-Pohjanmaa",)
    assert kp.contacts[0].email == "satu.marjakangas@soite.fi"
    assert kp.amounts == () and kp.total_eur == 0
    assert [p.name for p in kp.records] == ["RRF-Keski-Pohjanmaa"]
    assert "hoitotakuu" in kp.themes
    # twins count once per funder; county names and numbers are never themes
    assert dict(section(rrp, "Pohjanmaa").funders)["NextGenerationEU/RRF"] == 1
    for region in rrp.with_documents:
        assert not any(t.lower().startswith(("pohjanmaa", "kainuu", "päijät")) or t[0].isdigit() for t in region.themes)
    kainuu = section(rrp, "Kainuu")
    assert len(kainuu.contacts) == 1 and kainuu.contacts[0].phone and kainuu.contacts[0].email


def test_filters_narrow_the_report(settings) -> None:
    report = build_report(settings, programme="rrp", regions=["Österbotten", "Kajanaland"])
    assert [r.region for r in report.regions] == ["Pohjanmaa", "Kainuu"]
    assert report.programme == "RRP"
    stm = build_report(settings, funder="STM")
    assert {r.region for r in stm.with_documents} == {"Pohjanmaa", "Keski-Pohjanmaa", "Päijät-Häme"}
    queried = build_report(settings, programme="RRP", query="syrjäkylä")
    assert {r.region for r in queried.with_documents} == {"Kainuu"}
    nothing = build_report(settings, programme="KATI", regions=["Lappi"])
    assert nothing.documents == 0 and nothing.notes


def test_unknown_filter_values_say_what_to_do(settings) -> None:
    with pytest.raises(UsageError, match="did you mean 'RRP'"):
        build_report(settings, programme="RRPP")
    with pytest.raises(UsageError, match="unknown funder 'STMM'.*STM"):
        build_report(settings, funder="STMM")
    with pytest.raises(UsageError, match="unknown region 'Atlantis'"):
        build_report(settings, regions=["Atlantis"])


def test_renderers(rrp) -> None:
    table = render_table(rrp)
    assert "Päijät-Häme" in table and "11,7 milj. €" in table and "Katri Nousiainen" in table
    assert "not counted: the same grant on a republished page" in table and "Programme matrix" in table
    assert "No matching pages: Itä-Uusimaa" in table
    text = render_csv(rrp)
    # Finnish Excel: a BOM, ';' between cells, euros as numbers with a decimal comma
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert list(rows[0])[:3] == ["region", "kind", "name"]
    assert {r["region"] for r in rows} >= RRP_REGIONS | {"Lappi"}
    assert {"no documents", "total", "document", "amount", "contact", "funder", "theme"} <= {r["kind"] for r in rows}
    total = next(r for r in rows if r["region"] == "Päijät-Häme" and r["kind"] == "total")
    assert float(total["eur"].replace(",", ".")) == 11_700_000
    assert all("." not in r["eur"] for r in rows if r["eur"]), "decimal comma, no thousands point"
    markdown = render_markdown(rrp)
    assert "## Päijät-Häme" in markdown and "| 11,7 milj. € |" in markdown and "## No matching pages" in markdown
    assert "## Programme matrix" in markdown
    data = json.loads(json.dumps(rrp.to_dict(), ensure_ascii=False))
    assert set(data["regions_with_documents"]) == RRP_REGIONS
    assert len(data["regions"]) == 22


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_cli_report_formats(settings, fmt) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(
        main, ["report", "--programme", "RRP", "--format", fmt, "--index-dir", str(settings.index_dir)]
    )
    assert result.exit_code == 0, result.output
    for name in ("Keski-Pohjanmaa", "Päijät-Häme", "Pohjanmaa"):
        assert name in result.output
    assert "Katri Nousiainen" in result.output
    if fmt == "json":
        data = json.loads(result.output)
        ph = next(r for r in data["regions"] if r["region"] == "Päijät-Häme")
        assert ph["total_eur"] == 11_700_000


def test_cli_report_usage_error(settings) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["report", "--region", "Atlantis", "--index-dir", str(settings.index_dir)])
    assert result.exit_code == 2 and "unknown region 'Atlantis'" in result.output
