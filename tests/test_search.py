"""Search over a small on-disk index: inflection, language, filters, facets, snippets, errors."""

from __future__ import annotations

import pytest

from hakemisto import index as idx
from hakemisto.errors import IndexMissingError, UsageError
from hakemisto.search import MARK_END, MARK_START, Filters, plain_snippet, search
from tests.test_index import FI, SV, make_doc

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
