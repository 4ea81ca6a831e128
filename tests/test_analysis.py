"""Analyzer behaviour on the cases planners hit: inflection, compounds, coordination, acronyms, sv."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.query import Term

from hakemisto.core import glossary
from hakemisto.search import analysis


def terms(text: str, lang: str = "fi", kind: str = "voikko") -> dict[str, float]:
    """term → highest token boost for a text under the given analyzer."""
    out: dict[str, float] = {}
    for token in analysis.analyzer_for(lang, kind)(text, positions=True):
        out[token.text] = max(out.get(token.text, 0.0), token.boost)
    return out


@pytest.fixture
def ix(tmp_path: Path):
    """A small on-disk index with the per-language fields the real schema uses."""
    schema = fields.Schema(
        id=fields.ID(stored=True),
        title_fi=fields.TEXT(analyzer=analysis.finnish_analyzer(), phrase=True),
        text_fi=fields.TEXT(analyzer=analysis.finnish_analyzer(), phrase=True),
        title_sv=fields.TEXT(analyzer=analysis.swedish_analyzer(), phrase=True),
        text_sv=fields.TEXT(analyzer=analysis.swedish_analyzer(), phrase=True),
    )
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(id="coord", text_fi="Tavoitteena on purkaa hoito-, kuntoutus- ja palveluvelkaa.")
        w.add_document(id="hoitovelan", text_fi="Hoitovelan purkaminen jatkuu.")
        w.add_document(id="alue", text_fi="Alueen asukkaat osallistuvat.")
        w.add_document(id="hva", text_fi="Hyvinvointialueen asukkaat osallistuvat.")
        w.add_document(id="sv", text_sv="Vårdskulden i välfärdsområdet minskar.")
        w.add_document(id="budget", text_fi="Velka kasvaa ja lainaa otetaan lisää.")
        w.add_document(id="sv2", text_sv="Familjecentret i Raseborg öppnar i höst för barnfamiljer.")
        w.add_document(id="sv3", text_sv="Hemvården får nya tekniska hjälpmedel för äldre klienter.")
    return ix


def ranked(ix, text: str, **kwargs) -> list[str]:
    """Ranked ids as the product scores them (scoring.Scorer: Whoosh's BM25F, and a DisjunctionMax
    that takes the best part — Whoosh's own DisMax matcher mixes in parts on other documents)."""
    from hakemisto.search import scoring

    with ix.searcher() as searcher:
        query = analysis.build_query(text, ix.schema, compounds=analysis.compounds_for(searcher), **kwargs)
        scores, matched = scoring.Scorer(searcher).evaluate(query)
        return [searcher.stored_fields(d)["id"] for _, d in scoring.top(scores, matched, 50)]


def test_inflected_compound_reduces_to_lemma_with_parts_at_lower_boost() -> None:
    found = dict(analysis.fi_word_terms("hoitovelan"))
    assert found["hoitovelka"] == 1.0
    assert found["velka"] == analysis.PART_BOOST
    assert terms("palveluvelkaa")["palveluvelka"] == 1.0


def test_closed_compound_parts_are_found_at_query_time_not_indexed(ix) -> None:
    assert "velka" not in terms("hoitovelan") and "alue" not in terms("hyvinvointialueen")
    assert terms("RRP-hankkeen")["hanke"] == analysis.HYPHEN_PART_BOOST  # hyphenated parts stay indexed
    with ix.searcher() as searcher:
        compounds = analysis.compounds_for(searcher)
        assert "hyvinvointialue" in compounds.expand("fi", "alue")
        assert "hoitovelka" in compounds.expand("fi", "velka")
        assert "alue" not in compounds.expand("fi", "alue")
        assert compounds.expand("fi", "asukas") == ()  # no compound of it in the index
        query = analysis.build_query("alue", ix.schema, lang="fi", glossary=False, compounds=compounds)
    boosts = {t.text: t.boost for t in query.leaves() if isinstance(t, Term) and t.fieldname == "text_fi"}
    assert boosts["alue"] == 1.0 and boosts["hyvinvointialue"] == pytest.approx(analysis.COMPOUND_BOOST)


def test_coordinated_truncation_joins_the_head_of_the_last_compound() -> None:
    found = terms("hoito-, kuntoutus- ja palveluvelan")
    assert found["hoitovelka"] == 1.0
    assert found["kuntoutusvelka"] == 1.0
    assert found["palveluvelka"] == 1.0
    assert terms("sosiaali- ja terveydenhuollon")["sosiaalihuolto"] == 1.0


def test_truncation_without_coordination_is_left_alone() -> None:
    found = terms("Kati- hankkeessa")
    assert "katihanke" not in found and found["hanke"] == 1.0


def test_unknown_words_split_on_hyphen_and_colon_case_endings() -> None:
    found = terms("RRP-hankkeen")
    assert found["rrp-hanke"] == 1.0
    assert found["rrp"] == analysis.HYPHEN_PART_BOOST and found["hanke"] == analysis.HYPHEN_PART_BOOST
    assert terms("STM:n") == {"stm": 1.0}


def test_swedish_genitive_definite_and_compounds() -> None:
    assert terms("Österbottens", "sv") == terms("Österbotten", "sv")
    assert analysis.sv_stem("vårdgarantin") == analysis.sv_stem("vårdgaranti")
    assert terms("vårdskulden", "sv")[analysis.sv_stem("vårdskuld")] == 1.0
    found = dict(analysis.sv_word_terms("vårdskulden"))
    assert found["vård"] == analysis.PART_BOOST and found["skuld"] == analysis.PART_BOOST
    assert "hemvård" in terms("hemvården", "sv")


@pytest.mark.parametrize(
    "forms",
    [("program", "programmet", "programmen", "programmets"), ("hem", "hemmet", "hemmen"),
     ("område", "området", "områden", "områdena"), ("koordinator", "koordinatorn", "koordinatorer"),
     ("direktor", "direktorn"), ("kö", "kön", "köer", "köerna", "köernas"), ("stöd", "stödet")],
)  # fmt: skip
def test_swedish_inflections_share_the_base_forms_stem(forms: tuple[str, ...]) -> None:
    """Snowball kept 'programm' for 'programmet' (vs 'program'), 'områden' for 'områdena' and
    'koordinator' for 'koordinatorer' (vs 'koordinat'): the glossary's 'programmet för hållbar
    tillväxt' never matched a page saying 'program för hållbar tillväxt'."""
    assert len({analysis.sv_stem(f) for f in forms}) == 1, [analysis.sv_stem(f) for f in forms]


def _language_schema() -> fields.Schema:
    """An id and the four per-language text fields, each with its language's own analyzer."""
    return fields.Schema(
        id=fields.ID(stored=True),
        **{name: fields.TEXT(analyzer=analysis.analyzer_for(name[-2:])) for name in
           ("title_fi", "text_fi", "title_sv", "text_sv")},
    )


def test_registry_names_are_synonyms_of_an_acronym(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'RRP' finds pages naming the programme only in words, in Finnish and Swedish, below a page
    that says 'RRP'; a funder's full name finds its acronym (data/funding.toml is the source)."""
    schema = _language_schema()
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(id="acronym", text_fi="Hanke kuuluu RRP:hen ja sai jatkoaikaa.")
        w.add_document(id="fi", text_fi="Hanke rahoitetaan Suomen kestävän kasvun ohjelmasta.")
        w.add_document(id="sv", text_sv="Projektet ingår i Finlands program för hållbar tillväxt.")
        w.add_document(id="other", text_fi="Kasvu on kestävää, ohjelma jatkuu.", text_sv="Ett program.")
        w.add_document(id="stm", text_fi="STM myönsi avustuksen.")
    hits = ranked(ix, "RRP")
    assert {"acronym", "fi", "sv"} <= set(hits), hits  # ("other" has the words apart: And, not phrases)
    assert "stm" in ranked(ix, "sosiaali- ja terveysministeriö")
    assert ranked(ix, "RRP", glossary=False) == ["acronym"]
    monkeypatch.setattr(analysis, "REGISTRY_BOOST", 0.0)  # the glossary alone: no Finnish name of STM
    assert "stm" not in ranked(ix, "sosiaali- ja terveysministeriö")


def test_glossary_synonyms_within_a_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two Swedish words the glossary gives for one Finnish word are synonyms: 'familjecentral'
    finds a page saying 'familjecenter' (both 'perhekeskus'), below a page with the word itself."""
    schema = _language_schema()
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(id="central", text_sv="Familjecentralen i Jakobstad öppnar i maj.")
        w.add_document(id="center", text_sv="Familjecentret i Vasa får nya lokaler.")
        w.add_document(id="other", text_sv="Biblioteket i Vasa får nya lokaler.")
    assert ranked(ix, "familjecentral", lang="sv") == ["central", "center"]
    monkeypatch.setattr(analysis, "SYNONYM_BOOST", 0.0)
    assert ranked(ix, "familjecentral", lang="sv") == ["central"]


def test_english_words_search_finnish_and_swedish_terms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An English-ish planner query ('home care services') finds the Finnish and Swedish pages through
    data/glossary_en.tsv (plural 'services' → 'service', 'home care' matched as one sequence); without
    the English list the query has no Finnish or Swedish term of it."""
    schema = _language_schema()
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(id="fi", text_fi="Kotihoidon palveluja kehitetään Kainuussa.")
        w.add_document(id="sv", text_sv="Hemvårdens tjänster utvecklas i Vasa.")
        w.add_document(id="other", text_fi="Kirjasto saa uudet tilat.")
    assert analysis._english_forms("services") == ("services", "service")
    assert set(ranked(ix, "home care services")) == {"fi", "sv"}
    with_english = {(t.fieldname, t.text) for t in analysis.build_query("home care services", ix.schema).leaves()}
    assert {("text_fi", "kotihoito"), ("text_sv", "hemvård"), ("text_fi", "palvelu")} <= with_english
    monkeypatch.setattr(analysis, "ENGLISH_BOOST", 0.0)
    without = {(t.fieldname, t.text) for t in analysis.build_query("home care services", ix.schema).leaves()}
    assert ("text_fi", "kotihoito") not in without and ("text_sv", "hemvård") not in without


def test_hoitovelka_finds_coordinated_and_inflected_forms(ix) -> None:
    hits = ranked(ix, "hoitovelka", glossary=False)
    assert {"coord", "hoitovelan"} <= set(hits)
    assert "budget" not in hits[:2]
    assert "coord" in ranked(ix, "palveluvelka")


def test_part_match_ranks_below_exact_lemma(ix) -> None:
    hits = ranked(ix, "alue", glossary=False)
    assert hits.index("alue") < hits.index("hva")


def test_glossary_crosses_languages_at_lower_weight(ix) -> None:
    hits = ranked(ix, "vårdskuld")
    assert hits[0] == "sv"
    assert "hoitovelan" in hits
    assert "hoitovelan" not in ranked(ix, "vårdskuld", glossary=False)
    assert "sv" in ranked(ix, "hoitovelka")


def test_lang_restricts_fields_but_keeps_translations(ix) -> None:
    hits = ranked(ix, "hoitovelka", lang="sv")
    assert hits == ["sv"]
    with ix.searcher():
        query = analysis.build_query("hoitovelka", ix.schema, lang="fi", glossary=False)
    assert {t[0] for t in query.iter_all_terms()} == {"title_fi", "text_fi"}


def test_translation_terms_weigh_less() -> None:
    query = analysis.build_query("vårdskuld", None, lang="fi")
    boosts = {t.text: t.boost for t in query.leaves() if isinstance(t, Term) and t.fieldname == "text_fi"}
    assert boosts["hoitovelka"] == pytest.approx(analysis.TRANSLATION_BOOST)


def test_spelling_suggestion_rescues_a_finnish_typo(ix) -> None:
    assert "hoitovelan" in ranked(ix, "hoitovelkka", glossary=False)


def test_glossary_has_enough_pairs() -> None:
    pairs = glossary.pairs()
    assert len(pairs) >= 150
    assert ("hoitovelka", "vårdskuld") in pairs and ("perhekeskus", "familjecenter") in pairs


@pytest.mark.parametrize("kind", analysis.KINDS)
def test_analyzers_pickle_and_compare_equal(kind: str) -> None:
    for make in (analysis.finnish_analyzer, analysis.swedish_analyzer):
        analyzer = make(kind)
        list(analyzer("hoitovelan Österbottens"))  # warm the caches and the voikko handle
        clone = pickle.loads(pickle.dumps(analyzer))
        assert clone == analyzer
        assert [t.text for t in clone("hoitovelan")] == [t.text for t in analyzer("hoitovelan")]


def test_analyzer_kind_is_a_parameter_of_the_schema() -> None:
    from hakemisto.search.index import build_schema

    assert not isinstance(build_schema("snowball")["text_fi"].analyzer, analysis.FinnishAnalyzer)
    assert isinstance(build_schema()["text_fi"].analyzer, analysis.FinnishAnalyzer)
    assert isinstance(analysis.finnish_analyzer(), analysis.FinnishAnalyzer)


def test_chars_point_at_the_surface_word() -> None:
    text = "Hoitovelan purku"
    token = next(iter(analysis.finnish_analyzer()(text, chars=True)))
    assert text[token.startchar : token.endchar] == "Hoitovelan"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_direct_word_values_equal_the_token_path(lang: str) -> None:
    """WordPositions skips Token objects; the postings must be exactly what Positions makes from tokens."""
    from whoosh.formats import Positions

    text = (
        "Tavoitteena on purkaa hoito-, kuntoutus- ja palveluvelkaa. RRP-hankkeen ja STM:n rahoitus "
        "hyvinvointialueelle, sosiaali- ja terveydenhuollon palvelut. Det är vårdskulden och hemvården."
    )
    analyzer = analysis.analyzer_for(lang)
    direct = list(analysis.WordPositions().word_values(text, analyzer, mode="index"))
    stock = list(Positions().word_values(text, analyzer, mode="index"))
    assert direct == stock and len(direct) > 10


def test_compound_expansion_is_capped_for_broad_terms() -> None:
    """A query term on more than COMPOUND_CAP_SHARE of the pages ('hanke' on 8 of 10) is not expanded
    into its compounds; a rare one ('velka') still is; without a page count nothing is capped."""
    lexicon = {"fi": sorted(["hanke", "kehittämishanke", "velka", "hoitovelka"])}
    frequency = {"hanke": 8, "kehittämishanke": 2, "velka": 1, "hoitovelka": 2}

    def df(lang: str, term: str) -> int:
        return frequency.get(term, 0)

    capped = analysis.Compounds(lexicon, df, doc_count=10)
    assert capped.expand("fi", "hanke") == ()
    assert capped.expand("fi", "velka") == ("hoitovelka",)
    assert analysis.Compounds(lexicon, df).expand("fi", "hanke") == ("kehittämishanke",)
    assert 8 > analysis.COMPOUND_CAP_SHARE * 10 > 1
