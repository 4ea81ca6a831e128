"""Issue 14, round 4, on small real Whoosh indexes under tmp_path: pseudo-relevance feedback fills a short
result list after the matched pages (without person names as feedback words, each feedback page's
words weighted by its score), and a programme named in full is an entity that escapes the
other-language factor."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from hakemisto.search import engine as search_module
from hakemisto.search import index as idx
from hakemisto.search import suggest
from hakemisto.search.engine import search
from tests.test_index import make_doc

# pages on other topics, so that the feedback words are rare (on at most a fifth of the pages)
OTHER_TOPICS = ["kotihoito", "perhekeskus", "hoitotakuu", "mielenterveys", "ensihoito", "omaishoito", "päivystys",
                "kuntoutus", "suun terveys", "neuvola", "saattohoito", "lastensuojelu", "vammaispalvelu",
                "päihdetyö", "työterveys", "kotisairaala"]


def others() -> list:
    return [make_doc(f"muu-{i}", f"{t.capitalize()} kehittyy\nHyvinvointialue kehittää palvelua: {t} uudistuu.")
            for i, t in enumerate(OTHER_TOPICS)]


@pytest.fixture
def feedback_index(settings):
    docs = [
        make_doc("omalaakari-1", "Omalääkärimalli laajenee\nOmalääkäri hoitaa potilasta pitkään. Hoidon jatkuvuus "
                 "paranee, kun pysyvä hoitosuhde syntyy. Lisätietoja antaa Ilmari Virtanen.",
                 persons=("Ilmari Virtanen",)),
        make_doc("omalaakari-2", "Omalääkäri palaa terveysasemalle\nHoidon jatkuvuus ja pysyvä hoitosuhde ovat "
                 "tavoite, kertoo omalääkäri."),
        # no word of the query 'omalääkäri', but the words of its best hits
        make_doc("jatkuvuus", "Jatkuvuus terveysasemilla\nHoidon jatkuvuus paranee: pysyvä hoitosuhde lyhentää "
                 "jonoja, ja jatkuvuus näkyy tuloksissa."),
        # shares only the contact person's name with the best hit
        make_doc("virtanen", "Uusi johtaja aloittaa\nIlmari Virtanen aloittaa tehtävässä. Virtanen kiittää."),
        *others(),
    ]
    idx.write(settings, docs)
    return settings


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_short_list_is_filled_after_the_matches_with_related_pages(feedback_index) -> None:
    results = search(feedback_index, "omalääkäri")
    found = ids(results)
    assert set(found[:2]) == {"omalaakari-1", "omalaakari-2"}, found
    assert "jatkuvuus" in found[2:], found
    assert results.total == 2, "related pages are not counted as matches"
    related = {h.id: h.related for h in results.hits}
    assert related["jatkuvuus"] and not related["omalaakari-1"] and not related["omalaakari-2"]
    assert results.related == sum(related.values())
    assert results.to_dict()["hits"][found.index("jatkuvuus")]["related"] is True


def test_without_feedback_the_list_holds_only_matches(feedback_index, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "FEEDBACK_FILL", 0)
    results = search(feedback_index, "omalääkäri")
    assert ids(results) == ids(results)[:2] and "jatkuvuus" not in ids(results)
    assert results.related == 0


def test_contact_names_are_no_feedback_words(feedback_index, monkeypatch) -> None:
    assert "virtanen" not in ids(search(feedback_index, "omalääkäri"))
    monkeypatch.setattr(search_module, "FEEDBACK_NO_NAMES", False)
    search_module._local.__dict__.clear()  # a page's feedback words are cached with the index snapshot
    assert "virtanen" in ids(search(feedback_index, "omalääkäri")), "the name alone would pull the page in"


def test_long_lists_and_other_sorts_are_left_alone(feedback_index) -> None:
    by_date = search(feedback_index, "omalääkäri", sort="date")
    assert sorted(ids(by_date)) == ["omalaakari-1", "omalaakari-2"]
    assert search(feedback_index, "zzqx").hits == []


@pytest.fixture
def weighted_index(settings):
    docs = [
        # the best hit: short and all about the query word; its own topic word is 'palliatiivinen'
        make_doc("paras", "Saattohoito kotiin\nSaattohoito kotona: saattohoito palliatiivinen hoito."),
        # a weak hit: the query word once in a long page whose own topic is 'venesatama'
        make_doc("heikko", "Kaupungin kuulumiset\n" + " ".join(["Venesatama avataan keväällä."] * 12)
                 + " Myös saattohoito mainittiin."),
        make_doc("palliatiivinen", "Palliatiivinen keskus\nPalliatiivinen hoito kehittyy alueella."),
        make_doc("venesatama", "Venesatama kunnostetaan\nVenesatama saa uudet laiturit. Venesatama avautuu."),
        *[make_doc(f"muu-{i}", f"{t.capitalize()} kehittyy\nHyvinvointialue kehittää palvelua: {t} uudistuu.")
          for i, t in enumerate(OTHER_TOPICS) if t != "saattohoito"],
    ]
    idx.write(settings, docs)
    return settings


def test_feedback_words_count_by_the_hits_score(weighted_index, monkeypatch) -> None:
    found = ids(search(weighted_index, "saattohoito"))
    assert found[:2] == ["paras", "heikko"], found
    assert found.index("palliatiivinen") < found.index("venesatama"), found
    monkeypatch.setattr(search_module, "FEEDBACK_BY_SCORE", False)
    search_module._local.__dict__.clear()
    flat = ids(search(weighted_index, "saattohoito"))
    assert flat.index("venesatama") < flat.index("palliatiivinen"), "the weak hit's words would lead"


def test_programme_full_name_is_a_named_entity() -> None:
    named = suggest.query_entities("Framtidens social- och hälsocentral")
    assert named.programmes == frozenset({"Tulevaisuuden sote-keskus"})
    assert suggest.query_entities("hoitotakuu Suomen kestävän kasvun ohjelma").programmes == frozenset({"RRP"})
    assert suggest.query_entities("hälsocentral").programmes == frozenset()


@pytest.fixture
def programme_index(settings):
    text = "Sote-keskus uudistuu\nTulevaisuuden sote-keskus -ohjelma kehittää sote-keskuksen palveluja."
    sv = [make_doc(f"sv-{i}", f"Hälsocentralen i {town}\nFramtidens social- och hälsocentral utvecklar "
                   "hälsocentralen och socialcentralen.") for i, town in enumerate(["Vasa", "Borgå", "Åbo", "Kotka"])]
    docs = [
        make_doc("fi-ohjelma", text, programmes=("Tulevaisuuden sote-keskus",)),
        make_doc("fi-ei-faktaa", text),
        *sv,
        *others(),
    ]
    idx.write(settings, docs)
    return settings


def test_pages_carrying_the_named_programme_escape_the_other_language_factor(programme_index, monkeypatch) -> None:
    def ratio() -> float:
        scores = {h.id: h.score for h in search(programme_index, "Framtidens social- och hälsocentral", limit=30).hits}
        return scores["fi-ohjelma"] / scores["fi-ei-faktaa"]

    assert ratio() > 2.0, "same text, but the page whose facts carry the programme is not halved"
    monkeypatch.setattr(search_module, "ENTITY_ANY_LANGUAGE", False)
    assert ratio() < 1.5


@pytest.mark.parametrize(("lang", "label", "count"), [("fi", "Liittyvä sivu", "liittyvää sivua"),
                                                      ("sv", "Relaterad sida", "relaterade sidor")])
def test_web_page_and_api_mark_related_hits(feedback_index, lang: str, label: str, count: str) -> None:
    from fastapi.testclient import TestClient

    from hakemisto.web import create_app

    client = TestClient(create_app(feedback_index))
    client.cookies.set("hakemisto_lang", lang)
    page = BeautifulSoup(client.get("/", params={"q": "omalääkäri"}).text, "lxml")
    marked = [li.select_one("h2").get_text(strip=True) for li in page.select("li.hit") if li.select_one("p.related")]
    assert marked and all(label in li.select_one("p.related").get_text() for li in page.select("li.hit")
                          if li.select_one("p.related"))
    assert "Jatkuvuus terveysasemilla" in marked and not any(t.startswith("Omalääkäri") for t in marked)
    assert count in page.select_one("#result-count").get_text()
    data = client.get("/api/search", params={"q": "omalääkäri"}).json()
    assert data["total"] == 2 and data["related"] >= 1
    assert {h["id"]: h["related"] for h in data["hits"]}["jatkuvuus"] is True


def test_cli_marks_related_hits(feedback_index, runner) -> None:
    from hakemisto.cli import main

    result = runner.invoke(main, ["search", "omalääkäri", "--index-dir", str(feedback_index.index_dir)])
    assert result.exit_code == 0, result.output
    assert "2 results" in result.output and "related pages without the query words" in result.output
    related = [line for line in result.output.splitlines() if "(related: no query word)" in line]
    assert any("Jatkuvuus terveysasemilla" in line for line in related)
    assert not any("Omalääkäri" in line for line in related)


def test_related_pages_can_be_paged_to(feedback_index) -> None:
    first = search(feedback_index, "omalääkäri", limit=2)
    assert first.total == 2 and first.related == 0 and first.pages >= 2, "two matches fill page 1; related follow"
    second = search(feedback_index, "omalääkäri", limit=2, page=2)
    assert second.hits and all(h.related for h in second.hits) and not second.beyond_last_page
    assert "jatkuvuus" in ids(second) + ids(search(feedback_index, "omalääkäri", limit=2, page=3))
    past = search(feedback_index, "omalääkäri", limit=2, page=first.pages + 1)
    assert past.beyond_last_page and not past.hits
