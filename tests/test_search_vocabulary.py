"""Vocabulary mismatch between a planner's words and a page's (issue 14, round 5): voikko's
derivation chains read as one component, a Finnish compound no page uses falls back to its parts,
and the general fi↔sv welfare vocabulary (data/glossary_general.tsv) bridges languages for search
only. Small real indexes, real voikko."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from whoosh import index

from hakemisto.core import glossary
from hakemisto.search import analysis
from tests.test_analysis import _language_schema, ranked


@pytest.mark.parametrize(
    ("word", "lemma", "garbage"),
    [
        ("tulevaisuuden", "tulevaisuus", {"tulevai", "nen)us"}),  # '+vai(+a)su(+nen)': two derivations in one segment
        ("ikääntyneiden", "ikääntynyt", {"nyt"}),  # '+n+yt(+yt)': a bare letter, then a derivation
        ("pilotoinnin", "pilotointi", {"nti"}),
    ],
)
def test_derivation_chains_stay_in_their_component(word: str, lemma: str, garbage: set[str]) -> None:
    found = dict(analysis.fi_word_terms(word))
    assert found[lemma] == 1.0
    assert not garbage & set(found), found
    assert analysis.fi_components(word) == ()  # one component: not a compound


def test_compounds_still_split_into_their_components() -> None:
    assert analysis.fi_components("lääkerobotit") == ("lääke", "robotti")
    assert analysis.fi_components("mielenterveyspalveluihin") == ("mieli", "terveys", "palvelu")
    assert analysis.fi_components("valtionavustushanke") == ("valtio", "avustus", "hanke")
    assert analysis.fi_components("sote-keskus") == ()  # hyphen parts are searched already
    found = dict(analysis.fi_word_terms("mielenterveyspalvelut"))
    assert found["mielenterveys"] == analysis.PART_BOOST  # runs of components are still parts


@pytest.fixture
def robot_index(tmp_path: Path):
    ix = index.create_in(str(tmp_path), _language_schema())
    with ix.writer() as w:
        w.add_document(id="split", text_fi="Kotihoidossa robotti annostelee asiakkaan lääkkeet kahdesti päivässä.")
        w.add_document(id="compound", text_fi="Lääkeannostelurobotti muistuttaa lääkkeiden ottamisesta.")
        w.add_document(id="robot-only", text_fi="Kirjaston robotti lajittelee palautetut kirjat.")
        for i, topic in enumerate(("Perhekeskus", "Neuvola", "Hammashoitola", "Terveysasema", "Päivystys", "Kirjasto")):
            w.add_document(id=f"other-{i}", text_fi=f"{topic} avautuu syksyllä uusissa tiloissa.")
    return ix


def test_a_finnish_compound_no_page_uses_finds_pages_with_its_parts(robot_index, monkeypatch) -> None:
    """'lääkerobotit' is on no page: pages that write the same thing split ('robotti annostelee
    lääkkeet', 'lääkeannostelurobotti') are found, a page with only one of the parts is not."""
    hits = ranked(robot_index, "lääkerobotit", glossary=False)
    assert set(hits) == {"split", "compound"}, hits
    monkeypatch.setattr(analysis, "FI_PARTS_FALLBACK", False)
    assert ranked(robot_index, "lääkerobotit", glossary=False) == []


def test_parts_stay_out_when_pages_use_the_compound_itself(tmp_path: Path) -> None:
    """Beside an indexed compound the parts add nothing (``PARTS_BESIDE_COMPOUND`` off: on dev they
    grew short lists past the feedback threshold and cost recall)."""
    ix = index.create_in(str(tmp_path), _language_schema())
    with ix.writer() as w:
        w.add_document(id="compound", text_fi="Lääkerobotit otetaan käyttöön.")
        w.add_document(id="split", text_fi="Robotti annostelee lääkkeet.")
    assert ranked(ix, "lääkerobotti", glossary=False) == ["compound"]


def _general_pairs() -> list[list[str]]:
    text = resources.files("hakemisto.data").joinpath("glossary_general.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_general_vocabulary_file_is_well_formed_and_new() -> None:
    rows = _general_pairs()
    assert len(rows) >= 150
    assert all(len(row) == 3 and row[0].strip() and row[1].strip() and row[2] == "general" for row in rows), [
        row for row in rows if len(row) != 3 or row[2] != "general"]
    own = {(fi.casefold(), sv.casefold()) for fi, sv in glossary.pairs()}
    repeated = [row for row in rows if (row[0].casefold(), row[1].casefold()) in own]
    assert not repeated, f"already in glossary.tsv: {repeated}"


def test_general_vocabulary_is_for_search_only() -> None:
    """Search reads the general pairs; project-name matching (facts/projects.py) reads ``pairs``
    only, so extraction figures do not move with the search vocabulary."""
    assert ("saattohoito", "vård i livets slutskede") in glossary.search_pairs()
    assert ("saattohoito", "vård i livets slutskede") not in glossary.pairs()
    assert set(glossary.pairs()) <= set(glossary.search_pairs())


def test_general_vocabulary_crosses_languages(tmp_path: Path) -> None:
    """'saattohoito' finds the Swedish page on 'vård i livets slutskede', and 'närvårdare' the Finnish
    page on 'lähihoitaja', below a page in the query's own language; not without the glossary."""
    ix = index.create_in(str(tmp_path), _language_schema())
    with ix.writer() as w:
        w.add_document(id="fi", text_fi="Saattohoidon yksikkö avataan keväällä.")
        w.add_document(id="sv", text_sv="Vården i livets slutskede flyttar till en ny enhet.")
        w.add_document(id="fi-staff", text_fi="Lähihoitajia rekrytoidaan kotihoitoon.")
        w.add_document(id="sv-staff", text_sv="Närvårdarna får ny utbildning.")
    assert ranked(ix, "saattohoito") == ["fi", "sv"]
    assert ranked(ix, "saattohoito", glossary=False) == ["fi"]
    assert ranked(ix, "närvårdare") == ["sv-staff", "fi-staff"]
    assert ranked(ix, "närvårdare", glossary=False) == ["sv-staff"]


@pytest.mark.parametrize(
    "forms",
    [
        ("ambulans", "ambulansen", "ambulanser", "ambulanserna"),
        ("kostnad", "kostnaden", "kostnader", "kostnaderna"),
        ("välfärdsområde", "välfärdsområdet", "välfärdsområdena", "välfärdsområdenas"),
    ],
)
def test_swedish_inflected_stems_meet_the_base_forms_stem(forms: tuple[str, ...], monkeypatch) -> None:
    """An inflected form whose Snowball stem still ends in what the base form loses is stemmed once
    more ('ambulansen' → 'ambulans' → 'ambul', as 'ambulans')."""
    assert len({analysis.sv_stem(f) for f in forms}) == 1, {f: analysis.sv_stem(f) for f in forms}
    monkeypatch.setattr(analysis, "SV_RESTEM", False)
    analysis.sv_stem.cache_clear()
    try:
        assert len({analysis.sv_stem(f) for f in forms}) > 1
    finally:
        analysis.sv_stem.cache_clear()


def test_second_swedish_cut_leaves_short_stems_alone() -> None:
    assert analysis.sv_stem("hälsan") == analysis.sv_stem("hälsa") == "häls"  # not 'häl'
    assert analysis.sv_stem("hemvården") == analysis.sv_stem("hemvård") == "hemvård"
