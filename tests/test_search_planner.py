"""What a planner meets first (issue 14, items 4–6), through the CLI and the JSON API.

Filters take every name the registries know (municipalities, names without ä/ö, Swedish county
names, full programme and funder names) and repeat with OR inside a filter and AND across filters;
no-hit notes only quote counts of pages that really match; paging past the end says so; AND, NOT
and quotes work the same in the CLI and the API; results sort by relevance, date or amount.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from web_fixtures import build_web_index

from hakemisto.cli import main
from hakemisto.core.config import Settings, load_settings
from hakemisto.core.regions import all_regions, resolve_filter
from hakemisto.web import create_app
from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.slow  # ingests the seeds with the spaCy pipeline

FI_POHJANMAA, SV_POHJANMAA, KESKI_POHJANMAA, PAIJAT_HAME, SOTE_KESKUS = (
    f"seeds/{name}.txt"
    for name in (
        "000_a2e82ce6035f6e98", "001_289a19efa96ceebd", "002_244ef9beec10c723", "003_98fa6ec4f8cc1730",
        "004_6768baf477cadcc1",
    )
)  # fmt: skip


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("planner") / "index"
    result = CliRunner().invoke(main, ["ingest", str(SEEDS_DIR), "--index-dir", str(index_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    return index_dir


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    root = tmp_path_factory.mktemp("planner-web")
    settings: Settings = build_web_index(load_settings(index_dir=root / "index", report_dir=root / "runs"))
    return TestClient(create_app(settings))


def cli(seeded: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["search", *args, "--index-dir", str(seeded), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ids(data: dict) -> list[str]:
    return [h["id"] for h in data["hits"]]


def api(client: TestClient, **params) -> dict:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


# --- item 4: every known name; repeated filters ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "county"),
    [("Vaasa", "Pohjanmaa"), ("Vasa", "Pohjanmaa"), ("Vaasassa", "Pohjanmaa"), ("Jakobstad", "Pohjanmaa"),
     ("Paijat-Hame", "Päijät-Häme"), ("Lahti", "Päijät-Häme"), ("Österbotten", "Pohjanmaa"),
     ("Osterbotten", "Pohjanmaa"), ("Sodra Karelen", "Etelä-Karjala"), ("Kokkola", "Keski-Pohjanmaa"),
     ("Oulu", "Pohjois-Pohjanmaa"), ("Helsingfors", "Helsinki"), ("Ita-Uusimaa", "Itä-Uusimaa")],
)  # fmt: skip
def test_region_names_municipalities_and_plain_letters(name: str, county: str) -> None:
    assert resolve_filter(name) == county


def test_cli_region_filter_takes_municipality_and_plain_letters(seeded: Path) -> None:
    assert set(ids(cli(seeded, "", "--region", "Vaasa"))) == {FI_POHJANMAA, SV_POHJANMAA, SOTE_KESKUS}
    assert ids(cli(seeded, "", "--region", "Paijat-Hame")) == [PAIJAT_HAME]
    assert set(ids(cli(seeded, "", "--region", "Österbotten"))) == {FI_POHJANMAA, SV_POHJANMAA, SOTE_KESKUS}
    data = cli(seeded, "", "--region", "Vaasa")
    assert data["resolved"] == {"region": ["Pohjanmaa"]} and data["filters"]["region"] == ["Vaasa"]


def test_cli_programme_and_funder_full_names(seeded: Path) -> None:
    rrp = set(ids(cli(seeded, "", "--programme", "RRP")))
    assert rrp and set(ids(cli(seeded, "", "--programme", "Suomen kestävän kasvun ohjelma"))) == rrp
    sote = set(ids(cli(seeded, "", "--programme", "Tulevaisuuden sote-keskus")))
    assert sote and set(ids(cli(seeded, "", "--programme", "Framtidens social- och hälsocentral"))) == sote
    stm = set(ids(cli(seeded, "", "--funder", "STM")))
    assert stm and set(ids(cli(seeded, "", "--funder", "Sosiaali- ja terveysministeriö"))) == stm
    assert set(ids(cli(seeded, "", "--funder", "sosiaali- ja terveysministeriön"))) == stm


def test_cli_repeated_filters_or_within_and_across(seeded: Path) -> None:
    both = cli(seeded, "", "--region", "Päijät-Häme", "--region", "Keski-Pohjanmaa", "--limit", "20")
    assert set(ids(both)) == {PAIJAT_HAME, KESKI_POHJANMAA}, "OR within --region, not the last one only"
    assert both["filters"]["region"] == ["Päijät-Häme", "Keski-Pohjanmaa"]
    across = cli(seeded, "", "--region", "Päijät-Häme", "--region", "Vaasa", "--funder", "STM")
    assert set(ids(across)) == {PAIJAT_HAME, FI_POHJANMAA}, "AND across filters"
    programmes = cli(seeded, "", "--programme", "KATI", "--programme", "Tulevaisuuden sote-keskus")
    assert set(ids(programmes)) == {FI_POHJANMAA, SV_POHJANMAA, PAIJAT_HAME, SOTE_KESKUS}


def test_cli_unknown_region_lists_all_22_counties(seeded: Path) -> None:
    result = CliRunner().invoke(main, ["search", "RRP", "--region", "Narnia", "--index-dir", str(seeded)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: unknown region 'Narnia'")
    assert all(r.canonical in lines[0] and r.sv in lines[0] for r in all_regions())
    assert len(all_regions()) == 22


def test_api_filters_take_every_name_and_repeat(client: TestClient) -> None:
    vaasa = api(client, region="Vaasa")
    assert {h["region"] for h in vaasa["hits"]} == {"Pohjanmaa"} and vaasa["total"] == 2
    two = api(client, region=["Paijat-Hame", "Lappi"])
    assert {h["region"] for h in two["hits"]} == {"Päijät-Häme", "Lappi"}
    assert api(client, funder="Sosiaali- ja terveysministeriö")["total"] == api(client, funder="STM")["total"] > 0
    assert api(client, programme="Suomen kestävän kasvun ohjelma")["total"] == api(client, programme="RRP")["total"]
    response = client.get("/api/search", params={"region": "Narnia"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_region" and all(r.canonical in body["detail"] for r in all_regions())


def test_every_cli_entry_point_resolves_a_municipality_to_its_county(seeded: Path) -> None:
    """One resolver (regions.resolve_county) behind every --region: 'Vaasa' failed in projects,
    contacts, entities and digest (they only knew county names) while search accepted it."""
    runner = CliRunner()
    for command in (["projects", "--json"], ["contacts", "--json"], ["entities", "--json"],
                    ["digest", "--since", "2000-01-01", "--json"]):
        for name in ("Vaasa", "Vasa", "Paijat-Hame"):
            result = runner.invoke(main, [*command, "--region", name, "--index-dir", str(seeded)])
            assert result.exit_code == 0, (command, name, result.output)
        bad = runner.invoke(main, [*command, "--region", "Narnia", "--index-dir", str(seeded)])
        assert bad.exit_code == 2 and "unknown region 'Narnia'" in bad.output, (command, bad.output)
        assert all(r.canonical in bad.output for r in all_regions()), command
    projects = json.loads(runner.invoke(main, ["projects", "--json", "--region", "Vaasa",
                                               "--index-dir", str(seeded)]).output)
    assert projects["filters"]["region"] == "Pohjanmaa"
    assert projects["projects"] and {p["region"] for p in projects["projects"]} == {"Pohjanmaa"}


def test_api_every_endpoint_resolves_a_municipality_to_its_county(client: TestClient) -> None:
    by_county = client.get("/api/projects", params={"region": "Päijät-Häme"}).json()
    for name in ("Lahti", "Paijat-Hame", "Päijät-Tavastland"):
        data = client.get("/api/projects", params={"region": name}).json()
        assert data["filters"]["region"] == "Päijät-Häme" and data["projects"] == by_county["projects"], name
    people = client.get("/api/contacts", params={"region": "Keski-Pohjanmaa"}).json()
    assert people and client.get("/api/contacts", params={"region": "Kokkola"}).json() == people
    assert client.get("/api/search", params={"q": "RRP", "region": "Vaasa"}).json()["resolved"] == {
        "region": ["Pohjanmaa"]}
    for path in ("/api/projects", "/api/contacts", "/api/report"):
        response = client.get(path, params={"region": "Narnia"})
        assert response.status_code == 400 and response.json()["code"] == "unknown_region", path


# --- item 5: honest no-hit notes, paging past the end ---------------------------------------------------


def test_no_hit_note_never_claims_hits_for_a_word_no_page_has(seeded: Path) -> None:
    data = cli(seeded, "hoitotakuu zzqxv", "--region", "Päijät-Häme")
    assert data["total"] == 0
    notes = " ".join(data["notes"])
    assert "No indexed page contains 'zzqxv'" in notes
    assert "for 'hoitotakuu', none of them with 'zzqxv'" in notes, notes
    assert "there are 2 hits: drop that filter" not in notes
    plain = cli(seeded, "hoitotakuu", "--region", "Päijät-Häme")
    assert plain["total"] == 0 and any("Without --region Päijät-Häme there are" in n for n in plain["notes"])


def test_page_past_the_end_says_so_with_the_last_page(seeded: Path) -> None:
    data = cli(seeded, "RRP", "--limit", "2", "--page", "9")
    assert data["hits"] == [] and data["total"] == 4 and data["pages"] == 2 and data["beyond_last_page"]
    assert data["note_codes"][0]["code"] == "beyond_last_page"
    text = CliRunner().invoke(main, ["search", "RRP", "--limit", "2", "--page", "9", "--index-dir", str(seeded)])
    assert "past the last page" in text.output and "use --page 2" in text.output
    assert "No results for" not in text.output


def test_api_page_past_the_end(client: TestClient) -> None:
    data = api(client, q="RRP", limit=2, page=40)
    assert data["hits"] == [] and data["beyond_last_page"] and data["pages"] == (data["total"] + 1) // 2


# --- item 5: operators, the same in CLI and API --------------------------------------------------------


def test_cli_phrase_not_and(seeded: Path) -> None:
    assert ids(cli(seeded, '"hoitotakuun toteutuminen"')) == [KESKI_POHJANMAA]
    assert ids(cli(seeded, '"asuminen kotona"')) == [], "a phrase is its words in this order"
    assert FI_POHJANMAA in ids(cli(seeded, '"kotona asuminen"'))
    rrp = set(ids(cli(seeded, "RRP", "--limit", "20")))
    without = set(ids(cli(seeded, "RRP NOT hoitotakuu", "--limit", "20")))
    assert KESKI_POHJANMAA in rrp and KESKI_POHJANMAA not in without and without < rrp
    both = set(ids(cli(seeded, "hanketoimisto AND KATI", "--limit", "20")))
    either = set(ids(cli(seeded, "hanketoimisto KATI", "--limit", "20")))
    assert both and both <= either
    assert set(ids(cli(seeded, "hanketoimisto OR KATI", "--limit", "20"))) == either
    lower = set(ids(cli(seeded, "RRP not hoitotakuu", "--limit", "20")))
    assert KESKI_POHJANMAA in lower, "lower-case 'not' is a plain word, not an operator"


def test_api_operators_match_the_library(client: TestClient) -> None:
    rrp = {h["id"] for h in api(client, q="RRP", limit=50)["hits"]}
    without = {h["id"] for h in api(client, q="RRP NOT Lapin", limit=50)["hits"]}
    assert "fixtures/web/lappi-rrp" in rrp and "fixtures/web/lappi-rrp" not in without
    phrase = api(client, q='"Lapin hyvinvointialueen"')
    assert [h["id"] for h in phrase["hits"]] == ["fixtures/web/lappi-rrp"]


# --- item 6: sorting -----------------------------------------------------------------------------------


def test_cli_sort_by_amount_and_date(seeded: Path) -> None:
    by_amount = cli(seeded, "", "--sort", "amount", "--limit", "20")
    largest = [max((a["eur"] for a in h["amounts"]), default=-1) for h in by_amount["hits"]]
    assert largest == sorted(largest, reverse=True) and by_amount["hits"][0]["id"] == PAIJAT_HAME
    by_date = cli(seeded, "", "--sort", "date", "--limit", "20")
    dated = [h["published"] for h in by_date["hits"] if h["published"]]
    assert dated == sorted(dated, reverse=True) and by_date["sort"] == "date"
    assert ids(by_date)[: len(dated)] == [h["id"] for h in by_date["hits"] if h["published"]]
    bad = CliRunner().invoke(main, ["search", "", "--sort", "size", "--index-dir", str(seeded)])
    assert bad.exit_code == 2 and "relevance" in bad.output


def test_api_sort(client: TestClient) -> None:
    data = api(client, q="RRP", sort="date", limit=20)
    dates = [h["published"] for h in data["hits"] if h["published"]]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3
    amounts = api(client, sort="amount", limit=20)["hits"]
    largest = [max((a["eur"] for a in h["amounts"]), default=-1) for h in amounts]
    assert largest == sorted(largest, reverse=True) and largest[0] > 0
    assert client.get("/api/search", params={"sort": "size"}).status_code == 422


def test_operator_notes_quote_only_words_pages_have(seeded: Path) -> None:
    data = cli(seeded, "zzqxv AND hoitotakuu")
    assert data["total"] == 0
    assert "Without AND, NOT and quotes, 'hoitotakuu' has" in " ".join(data["notes"])
    assert not any("'zzqxv hoitotakuu'" in n for n in data["notes"])
