"""Whoosh analyzers and query construction, Finnish- and Swedish-aware.

Documents are indexed paragraph by paragraph into per-language fields (``text_fi`` / ``text_sv``),
so a query is parsed once per language with that language's analyzer: query side = index side.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer, LanguageAnalyzer
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import NullQuery, Query

# Per-language text fields and their boosts: a title hit weighs more than a body hit.
FIELDS: dict[str, dict[str, float]] = {
    "fi": {"title_fi": 2.0, "text_fi": 1.0},
    "sv": {"title_sv": 2.0, "text_sv": 1.0},
}


def finnish_analyzer() -> Analyzer:
    """Finnish: Snowball stemming with Finnish stop words."""
    return LanguageAnalyzer("fi")


def swedish_analyzer() -> Analyzer:
    """Swedish: Snowball stemming with Swedish stop words."""
    return LanguageAnalyzer("sv")


def analyzer_for(lang: str) -> Analyzer:
    return swedish_analyzer() if lang == "sv" else finnish_analyzer()


def build_query(text: str, schema, lang: str | None = None) -> Query:
    """Parse the planner's words against the per-language fields (all languages unless ``lang``)."""
    langs = [lang] if lang in FIELDS else list(FIELDS)
    boosts: dict[str, float] = {}
    for code in langs:
        boosts.update(FIELDS[code])
    parser = MultifieldParser(list(boosts), schema=schema, fieldboosts=boosts, group=OrGroup.factory(0.9))
    query = parser.parse(text)
    return query if query is not None else NullQuery
