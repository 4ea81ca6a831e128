"""Did-you-mean, no-hit explanations and query entities over the seed index."""

from __future__ import annotations

import pytest

from hakemisto.core.config import load_settings
from hakemisto.search import index as idx
from hakemisto.search.engine import Filters, explain_no_hits, search
from hakemisto.search.suggest import matched_entities, query_entities, suggest
from tests.seed_index import build_seed_index


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    root = tmp_path_factory.mktemp("suggest")
    return build_seed_index(load_settings(index_dir=root / "index", corpus_dir=root / "corpus", report_dir=root / "runs"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hoitotakuuu", "hoitotakuu"),
        ("Päijät-Hämme", "Päijät-Häme"),
        ("projktbyrån", "projektbyrån"),
        ("RRP hoitotakuuu", "RRP hoitotakuu"),
        ("Österbotens projektbyrå", "Österbotten projektbyrå"),
    ],
)
def test_misspellings_get_a_suggestion(settings, query, expected) -> None:
    assert suggest(settings, query) == expected


@pytest.mark.parametrize(
    "query", ["hoitotakuu", "hoitotakuun", "Päijät-Hämeessä", "projektbyrån", "RRP-hankkeen", "STM", "kissa", "2023"]
)
def test_existing_words_are_kept(settings, query) -> None:
    assert suggest(settings, query) is None


def test_accepts_an_open_searcher(settings) -> None:
    with idx.open_index(settings.index_dir).searcher() as searcher:
        assert suggest(searcher, "hoitotakuuu") == "hoitotakuu"


def test_search_fills_suggestion_and_notes(settings) -> None:
    few = search(settings, "projktbyrån")
    assert few.suggestion == "projektbyrån"
    none = search(settings, "hoitotakuu", Filters(lang="sv", region="Kainuu"))
    assert none.total == 0 and none.notes
    assert search(settings, "hoitotakuu palveluvelka").suggestion is None


def test_no_hit_explanations(settings) -> None:
    lang = explain_no_hits(settings, "hoitotakuu", Filters(lang="sv"))
    assert any(n.code == "other_lang" and n.params["lang"] == "fi" and "Finnish pages" in n for n in lang)
    region = explain_no_hits(settings, "hoitotakuu", Filters(region="Kainuu"))
    assert any(n.code == "without_filter" and n.params == {"filter": "region", "value": "Kainuu", "n": n.params["n"]}
               and "Without the region filter (Kainuu)" in n for n in region)
    assert not any("--" in n for n in lang + region)  # the CLI names its flags (cli.note_words), not the library
    unknown = explain_no_hits(settings, "zyxwv", Filters())
    assert any("'zyxwv'" in n for n in unknown)
    typo = explain_no_hits(settings, "qqhoitotakuu", Filters(), suggestion="hoitotakuu")
    assert any("Try 'hoitotakuu'" in n for n in typo)
    filters_only = explain_no_hits(settings, "", Filters(programme="KATI", region="Kainuu"))
    assert any("drop one of" in n for n in filters_only)


def test_no_hits_in_an_empty_index(tmp_path) -> None:
    empty = load_settings(index_dir=tmp_path / "index")
    idx.write(empty, [])
    assert "ingest" in explain_no_hits(empty, "hoitovelka")[0]


def test_query_entities_and_matches() -> None:
    wanted = query_entities("RRP-hanke Päijät-Hämeessä Nousiainen", Filters(funder="stm"))
    assert wanted.programmes == {"RRP"} and wanted.regions == {"Päijät-Häme"} and wanted.funders == {"STM"}
    facts = {
        "funders": ["STM", "Valtio"],
        "programmes": ["RRP", "KATI"],
        "persons": ["Katri Nousiainen", "Miia Ståhle"],
    }
    matched = matched_entities(wanted, facts, "Päijät-Häme")
    assert matched == {
        "regions": ["Päijät-Häme"],
        "funders": ["STM"],
        "programmes": ["RRP"],
        "persons": ["Katri Nousiainen"],
    }
    assert matched_entities(query_entities("kotihoito"), facts, "Päijät-Häme") == {}
