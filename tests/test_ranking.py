"""Ranking rules of issue 14 on small real indexes: rare words dominate common ones, concepts count
once however many compounds expand them, covering more of the query ranks higher, and a query in one
language finds its own pages first and their other-language twins next."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hakemisto.search import engine as search_module
from hakemisto.search import index as idx
from hakemisto.search.engine import search
from tests.test_index import make_doc

FILLER = " ".join(
    ["Hyvinvointialueen hanke tukee palveluja, ja hankkeen tuki kohdistuu kehittämiseen."] * 12
)


def ranked_docs() -> list:
    docs = [
        # short page about the rare word of the question
        make_doc("saattohoito", "Saattohoidon kehittäminen\nSaattohoito siirtyy kotiin, kertoo hankkeen vetäjä."),
        # long pages full of the common words, no saattohoito
        make_doc("yleinen-1", f"Hankkeiden tuki alueelle\n{FILLER} Hanke ja tuki ja hanke."),
        make_doc("yleinen-2", f"Tukea hankkeille\n{FILLER} Tuki hankkeelle, tuki hankkeen työlle."),
        # a long page that does mention saattohoito once, deep inside
        make_doc("pitka", f"Vuosikertomus\n{FILLER} Lisäksi aloitettiin saattohoidon hanke.\n{FILLER}"),
    ]
    # as in the real collection, most pages speak of 'hanke' and 'tuki'
    topics = ["kotihoito", "perhekeskus", "hoitotakuu", "mielenterveys", "ensihoito", "omaishoito", "päivystys",
              "kuntoutus", "suun terveys", "neuvola"]
    docs += [make_doc(f"muu-{i}", f"{t.capitalize()} kehittyy\nHanke tukee aluetta: {t} saa tukea hankkeesta.")
             for i, t in enumerate(topics)]
    return docs


@pytest.fixture
def ranked_index(settings):
    idx.write(settings, ranked_docs())
    return settings


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_rare_word_dominates_common_ones_whatever_the_length(ranked_index) -> None:
    found = ids(search(ranked_index, "saattohoito tuki hanke"))
    assert found[:2] == ["saattohoito", "pitka"], found


def test_coordination_is_what_lifts_the_covering_page(ranked_index, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "COORDINATION", 0.0)
    without = ids(search(ranked_index, "saattohoito tuki hanke"))
    monkeypatch.setattr(search_module, "COORDINATION", 2.0)
    with_coordination = ids(search(ranked_index, "saattohoito tuki hanke"))
    assert with_coordination.index("pitka") <= without.index("pitka")


@pytest.fixture
def twin_index(settings):
    fi = make_doc("fi-kotihoito", "Kotihoidon etäkäynnit laajenevat\nKotihoidon asiakkaat saavat etäkäyntejä.",
                  region="Pohjanmaa")
    sv = make_doc("sv-hemvard", "Distansbesök i hemvården utvidgas\nHemvårdens klienter får distansbesök.",
                  region="Pohjanmaa")
    other_fi = make_doc("fi-muu", "Perhekeskus avautuu\nPerhekeskus kokoaa palvelut.", region="Kainuu")
    idx.write(settings, [replace(fi, twin="sv-hemvard"), replace(sv, twin="fi-kotihoito"), other_fi])
    return settings


def test_swedish_query_finds_swedish_page_first_and_finnish_twin_next(twin_index) -> None:
    results = search(twin_index, "distansbesöken")
    assert ids(results) == ["sv-hemvard", "fi-kotihoito"], "the twin is found although no glossary pair links the words"
    assert results.hits[0].score > results.hits[1].score


def test_finnish_query_finds_finnish_page_first_and_swedish_twin_next(twin_index) -> None:
    assert ids(search(twin_index, "etäkäynnit"))[:2] == ["fi-kotihoito", "sv-hemvard"]


def test_twins_respect_the_language_filter(twin_index) -> None:
    from hakemisto.search.engine import Filters

    assert ids(search(twin_index, "distansbesöken", Filters(lang="sv"))) == ["sv-hemvard"]
    # --lang restricts the fields searched (query side = index side): no Swedish match, no twin
    assert ids(search(twin_index, "distansbesöken", Filters(lang="fi"))) == []


@pytest.mark.parametrize(
    ("word", "stem"),
    [("vårdkön", "vårdkö"), ("vårdköerna", "vårdkö"), ("projektkoordinatorn", "projektkoordinat"),  # as "projektkoordinator"
     ("hemvården", "hemvård"), ("familjecentralen", "familjecentral")],
)  # fmt: skip
def test_swedish_inflections_meet_their_base_form(word: str, stem: str) -> None:
    from hakemisto.search.analysis import sv_word_terms

    assert sv_word_terms(word)[0] == (stem, 1.0)


def test_swedish_compound_heads_are_parts() -> None:
    from hakemisto.search.analysis import sv_word_terms

    assert ("vårdgaranti", 0.3) in sv_word_terms("vårdgarantiteam")
    assert ("armband", 0.3) in sv_word_terms("trygghetsarmband")
    assert ("jour", 0.3) in sv_word_terms("socialjouren")


def test_unindexed_swedish_compound_falls_back_to_its_parts(settings) -> None:
    docs = [
        make_doc("sv-aldre", "Distansomsorg för äldre\nDe äldre får distansomsorg hemma i kommunen."),
        make_doc("sv-barn", "Familjecenter för barn\nBarnfamiljer får stöd i familjecentret."),
        make_doc("fi-vanhus", "Ikäihmisten etähoiva\nIkäihmiset saavat etähoivaa kotiin."),
    ]
    idx.write(settings, docs)
    assert ids(search(settings, "äldreomsorgen")) == ["sv-aldre"], "äldre + (distans)omsorg, no page says äldreomsorg"
    assert search(settings, "barnomsorgen").hits == [], "every part must be found"


def test_one_language_query_ranks_own_language_pages_first(settings) -> None:
    fi = make_doc("fi-koti", "Kotihoito\nKotihoito kotihoito.", region="Pohjanmaa")
    sv = make_doc("sv-hem", "Projekt i Vasa\nI projektet utvecklas hemvården i Vasa och Korsholm under tre år.",
                  region="Pohjanmaa")
    idx.write(settings, [fi, sv])
    assert ids(search(settings, "hemvården")) == ["sv-hem", "fi-koti"]
    assert ids(search(settings, "kotihoito"))[0] == "fi-koti"
