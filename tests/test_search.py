"""Search over a small on-disk index: inflection, language, filters, facets, snippets, errors."""

from __future__ import annotations

import pytest

from hakemisto.core.errors import IndexMissingError, UsageError
from hakemisto.search import index as idx
from hakemisto.search.engine import MARK_END, MARK_START, Filters, plain_snippet, search
from tests.test_index import FI, SV, make_doc

pytestmark = pytest.mark.slow  # an ingested index

OTHER = make_doc(
    "fi-2",
    "Pohjanmaan hyvinvointialueen perhekeskus\nPohjanmaan perhekeskuksessa kehitetään palveluja lapsiperheille.",
    funders=("ESR",),
    programmes=("Tulevaisuuden sote-keskus",),
    region="Pohjanmaa",
)


@pytest.fixture
def indexed(settings):
    idx.write(settings, [FI, SV, OTHER])
    return settings


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_finnish_inflection(indexed) -> None:
    assert ids(search(indexed, "hoitotakuu")) == ["fi-1"]
    assert ids(search(indexed, "hoitotakuun")) == ["fi-1"]
    assert "fi-2" in ids(search(indexed, "Pohjanmaa"))


def test_swedish_and_lang_filter(indexed) -> None:
    assert ids(search(indexed, "projektbyrån", Filters(lang="sv"))) == ["sv-1"]
    assert search(indexed, "projektbyrån", Filters(lang="fi")).hits == []


def test_filters_combine(indexed) -> None:
    assert ids(search(indexed, "", Filters(funder="STM"))) == ["fi-1"]
    assert ids(search(indexed, "", Filters(region="Pohjanmaa", lang="fi"))) == ["fi-2"]
    assert ids(search(indexed, "", Filters(programme="RRP", min_amount=1_000_000))) == ["fi-1"]
    assert search(indexed, "", Filters(programme="RRP", min_amount=20_000_000)).hits == []
    assert ids(search(indexed, "", Filters(year=2023, region="Päijät-Häme"))) == ["fi-1"]


def test_filter_values_are_case_insensitive(indexed) -> None:
    assert ids(search(indexed, "", Filters(funder="stm"))) == ["fi-1"]


def test_facets_count_all_matches(indexed) -> None:
    results = search(indexed, "")
    assert results.total == 3
    assert results.facets["region"] == {"Pohjanmaa": 2, "Päijät-Häme": 1}
    assert results.facets["lang"] == {"fi": 2, "sv": 1}
    assert results.facets["funders"]["STM"] == 1
    assert results.facets["programmes"] == {"KATI": 1, "RRP": 1, "Tulevaisuuden sote-keskus": 1}


def test_hits_carry_facts_and_marked_snippets(indexed) -> None:
    (hit,) = search(indexed, "hoitovelka").hits or search(indexed, "hoitotakuu").hits
    assert hit.region == "Päijät-Häme"
    assert hit.amounts[0]["eur"] == 11_700_000
    assert hit.contacts[0]["phone"] == "+358444823328"
    assert MARK_START in hit.snippet and MARK_END in hit.snippet
    assert "[" in plain_snippet(hit.snippet)
    as_json = search(indexed, "hoitotakuu").to_dict()
    assert MARK_START not in as_json["hits"][0]["snippet"]


def test_unknown_filter_values_suggest(indexed) -> None:
    with pytest.raises(UsageError, match="did you mean 'STM'"):
        search(indexed, "", Filters(funder="STN"))
    with pytest.raises(UsageError, match="unknown region"):
        search(indexed, "", Filters(region="Atlantis"))


def test_bad_limits(indexed) -> None:
    with pytest.raises(UsageError):
        search(indexed, "x", limit=0)
    with pytest.raises(UsageError):
        search(indexed, "x", page=0)


def test_pagination(indexed) -> None:
    first = search(indexed, "", limit=2, page=1)
    second = search(indexed, "", limit=2, page=2)
    assert len(first.hits) == 2 and len(second.hits) == 1
    assert not set(ids(first)) & set(ids(second))


def test_no_index(settings) -> None:
    with pytest.raises(IndexMissingError):
        search(settings, "RRP")


# --- facets, combined filters, matched entities, did-you-mean over the seed index (issue 7) -----


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    from hakemisto.core.config import load_settings
    from tests.seed_index import build_seed_index

    root = tmp_path_factory.mktemp("seeds")
    return build_seed_index(load_settings(index_dir=root / "index", corpus_dir=root / "corpus", report_dir=root / "runs"))


def cli(seeds, *args: str):
    from click.testing import CliRunner

    from hakemisto.cli import main

    result = CliRunner().invoke(main, ["search", *args, "--index-dir", str(seeds.index_dir)])
    assert result.exit_code == 0, result.output
    return result.output


def test_seed_facets_per_region_funder_programme_year_lang(seeds) -> None:
    facets = search(seeds, "").facets
    assert facets["region"] == {"Pohjanmaa": 3, "Kainuu": 2, "Päijät-Häme": 2, "Keski-Pohjanmaa": 1}
    assert facets["lang"] == {"fi": 6, "sv": 2}
    assert facets["programmes"]["RRP"] == 7 and facets["programmes"]["KATI"] == 2
    assert facets["funders"]["STM"] == 4 and facets["funders"]["Hyvinvointialue"] == 1
    assert facets["years"]["2023"] == 4 and facets["years"]["2022"] == 2
    assert search(seeds, "", Filters(region="Pohjanmaa")).facets["lang"] == {"fi": 2, "sv": 1}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--region", "Österbotten", "--lang", "sv"], {"seeds/001_289a19efa96ceebd.txt"}),
        (["--funder", "stm", "--programme", "RRP", "--year", "2023"], {"seeds/003_98fa6ec4f8cc1730.txt"}),
        (["--programme", "RRP", "--min-amount", "3000000", "--lang", "sv"], {"fixtures/kainuu-rrp-sv"}),
        (["--region", "Kainuu", "--funder", "Hyvinvointialue", "--year", "2024"], {"fixtures/kainuu-rrp-fi"}),
        (["--region", "Keski-Pohjanmaa", "--min-amount", "1"], set()),
    ],
)
def test_cli_filters_combine(seeds, args, expected) -> None:
    import json

    data = json.loads(cli(seeds, "", *args, "--json"))
    assert {h["id"] for h in data["hits"]} == expected
    assert set(data["facets"]) == {"region", "funders", "programmes", "years", "lang"}
    assert data["total"] >= len(expected)


def test_cli_prints_facets_and_matched_entities(seeds) -> None:
    import json

    out = cli(seeds, "RRP hoitotakuu", "--region", "Päijät-Häme")
    assert "matched: regions Päijät-Häme; programmes RRP" in out
    assert "region: Päijät-Häme (" in out and "programmes: " in out
    data = json.loads(cli(seeds, "Nousiainen RRP", "--funder", "STM", "--json"))
    hit = next(h for h in data["hits"] if h["region"] == "Päijät-Häme")
    assert hit["matched"] == {"funders": ["STM"], "programmes": ["RRP"], "persons": ["Katri Nousiainen"]}
    other = next(h for h in data["hits"] if h["region"] == "Keski-Pohjanmaa")
    assert other["matched"] == {"funders": ["STM"], "programmes": ["RRP"]}


def test_cli_did_you_mean_and_no_hit_notes(seeds) -> None:
    assert "Did you mean: projektbyrån" in cli(seeds, "projktbyrån")
    out = cli(seeds, "hoitotakuu", "--lang", "sv", "--region", "Kainuu")
    assert "No results" in out and "Without --region Kainuu" in out
