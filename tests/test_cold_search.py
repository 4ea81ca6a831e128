"""A cold `hakemisto search` (issue 17): it imports only what a search needs, and its first query
reads the glossary tables stored at commit time instead of analysing every glossary term."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hakemisto.core.config import Settings
from hakemisto.core.model import Amount, Document, Facts, content_hash
from hakemisto.search import analysis
from hakemisto.search import index as idx

PAGES = [
    ("fi/1", "fi", "Hoitotakuu Kainuussa", "Hoitotakuun toteutumista seurataan hyvinvointialueella.", "STM"),
    ("fi/2", "fi", "Perhekeskus", "Perhekeskus kehittää palveluohjausta ja kotihoitoa.", "ESR"),
    ("sv/1", "sv", "Vårdgaranti i Österbotten", "Välfärdsområdet följer upp vårdgarantin och familjecentralen.", "EU"),
]

# Modules a search never needs: the NLP pipeline, the web server, Babel (fi/sv amounts are written
# without it, ``report.fmt``), fuzzy matching (only for a misspelt name), and what Whoosh would drag in
# (urllib.request → email, http, ssl; cached_property → asyncio; English morphology).
NOT_IMPORTED = ("spacy", "fastapi", "uvicorn", "starlette", "langdetect", "babel", "rapidfuzz", "openpyxl",
                "hakemisto.facts.pipeline", "hakemisto.facts.projects", "hakemisto.jobs.pipeline",
                "hakemisto.web", "urllib.request", "http.client", "email.parser", "ssl", "asyncio",
                "whoosh.lang.morph_en")

SCRIPT = """
import json, sys
from hakemisto.cli import main
try:
    main(["search", "vårdgaranti hoitotakuu", "--index-dir", sys.argv[1], *sys.argv[2:]])
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {n.split(".")[0] for n in %r}
                        and any(m == n or m.startswith(n + ".") for n in %r))))
"""


def _docs() -> list[Document]:
    return [
        Document(id=doc_id, title=title, paragraphs=(text,), path=f"{doc_id}.txt", lang=lang, para_langs=(lang,),
                 region="Kainuu", content_hash=content_hash(text), loaded_at=datetime(2026, 1, 1, tzinfo=UTC),
                 facts=Facts(funders=(funder,), amounts=(Amount(text="2,6 miljoonaa euroa", eur=2_600_000.0),)))
        for doc_id, lang, title, text, funder in PAGES
    ]


@pytest.mark.parametrize("output", ["--json", "text"])
def test_a_search_imports_no_heavy_module(settings: Settings, output: str) -> None:
    idx.write(settings, _docs())
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAKEMISTO_")}
    args = [output] if output == "--json" else []
    done = subprocess.run([sys.executable, "-c", SCRIPT % (NOT_IMPORTED, NOT_IMPORTED), str(settings.index_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    if output == "--json":
        results = json.loads("\n".join(lines[:-1]))
        assert results["total"] >= 2  # the search really ran, both languages through the glossary
    else:  # the text output shows the amounts, formatted without Babel
        assert "amounts: 2,6 miljoonaa euroa (2,6 milj. €)" in done.stdout
    assert json.loads(lines[-1]) == []


def test_the_one_shot_settings_are_undone(settings: Settings) -> None:
    """`search` pauses the garbage collector and starts NumPy with one BLAS thread for its own run
    only: a process running several commands keeps the collector and the user's environment."""
    idx.write(settings, _docs())
    code = ("import gc, os, sys\nfrom click.testing import CliRunner\nfrom hakemisto.app import Hakemisto\n"
            "from hakemisto.cli import main\nstates, search = [], Hakemisto.search\n"
            "def spy(self, *a, **k):\n    states.append(gc.isenabled())\n    return search(self, *a, **k)\n"
            "Hakemisto.search = spy\n"
            "r = CliRunner().invoke(main, ['search', 'hoitotakuu', '--index-dir', sys.argv[1]])\n"
            "assert r.exit_code == 0 and 'Hoitotakuu' in r.output, r.output\n"
            "assert 'numpy' in sys.modules and 'OPENBLAS_NUM_THREADS' not in os.environ\n"
            "print(states, gc.isenabled())")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAKEMISTO_") and k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", code, str(settings.index_dir)], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[False] True"  # paused during the search, running again after it


def test_whoosh_still_has_what_the_stand_ins_replaced() -> None:
    """The stand-ins live only while Whoosh is imported: the real modules load afterwards."""
    code = ("import hakemisto.search.engine, sys, urllib.request, whoosh.compat, whoosh.reading\n"
            "assert urllib.request.urlopen and 'asyncio' not in sys.modules\n"
            "assert whoosh.compat.urlretrieve.__module__ == 'hakemisto.search.whoosh_lean'\n"
            "import cached_property; assert cached_property.__file__\n"
            "print(whoosh.reading.cached_property.__module__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "functools"


def test_commit_stores_the_glossary_tables_and_a_search_reads_them(settings: Settings) -> None:
    idx.write(settings, _docs())
    ix = idx.open_index(settings.index_dir)
    stored = idx.read_glossary_tables(settings.index_dir)
    assert stored is not None
    assert stored == json.loads(json.dumps(analysis.glossary_tables(ix.schema)))
    names = {r["name"] for r in stored}
    assert names == {"glossary", "synonyms", "registry"}
    assert any(r["table"] for r in stored if r["name"] == "glossary")

    # Primed from the file, the caches hold the same tables a build makes.
    built = {(name, *key): build() for name, _, key, build in analysis._table_caches(ix.schema)}
    for cache in (analysis._glossaries, analysis._synonym_tables, analysis._registries):
        cache.clear()
    analysis.prime_glossary_tables(ix.schema, stored)
    for name, cache, key, _ in analysis._table_caches(ix.schema):
        assert cache.peek(key) == built[(name, *key)]


def test_tables_of_another_pipeline_version_are_not_read(settings: Settings) -> None:
    idx.write(settings, _docs())
    path = Path(settings.index_dir) / idx.GLOSSARY_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "pipeline": "older"}), encoding="utf-8")
    assert idx.read_glossary_tables(settings.index_dir) is None
    path.write_text("{not json", encoding="utf-8")
    assert idx.read_glossary_tables(settings.index_dir) is None


def test_commit_stores_the_facet_postings(settings: Settings) -> None:
    """A commit writes every facet value's documents beside the term lists: the first result page's
    facets read them instead of the postings (``test_whoosh_compat`` compares the two)."""
    from hakemisto.search import generations

    idx.write(settings, _docs())
    ix = idx.open_index(settings.index_dir)
    with ix.reader() as reader:
        lists = generations.read_term_lists(Path(settings.index_dir), reader.generation())
    assert lists is not None and lists.facets is not None
    facets = {name: {value: len(ids) for value, ids in values} for name, values in lists.facets.items()}
    assert facets["lang"] == {"fi": 2, "sv": 1}
    assert facets["region"] == {"Kainuu": 3}
    assert facets["funders"] == {"ESR": 1, "EU": 1, "STM": 1}
