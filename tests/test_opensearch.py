"""`hakemisto export --format opensearch`: templates in OpenSearch's format, every bulk line fits them,
and the analysed text fields hold exactly the terms the Whoosh index holds for the same page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hakemisto.core.config import Settings, load_settings
from hakemisto.search import index as idx
from hakemisto.search.opensearch import (
    PAGES_INDEX,
    TEXT_FIELDS,
    check_template,
    pages_template,
    projects_template,
    validate_bulk,
    validate_export,
)
from tests.seed_index import KAINUU_FI, build_seed_index

pytestmark = pytest.mark.slow  # an indexed collection and its export


@pytest.fixture
def exported(tmp_path: Path, runner: Any) -> tuple[Settings, Path, dict[str, Any]]:
    from hakemisto.cli import main

    settings = build_seed_index(load_settings(index_dir=tmp_path / "index", report_dir=tmp_path / "runs"))
    out = tmp_path / "opensearch"
    result = runner.invoke(main, ["export", "--format", "opensearch", str(out), "--index-dir",
                                  str(settings.index_dir), "--json"])
    assert result.exit_code == 0, result.output
    return settings, out, json.loads(result.output)


def _bulk(out: Path, stem: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    lines = [json.loads(x) for p in sorted((out / "bulk").glob(f"{stem}-*.ndjson"))
             for x in p.read_text(encoding="utf-8").splitlines()]
    return list(zip(lines[::2], lines[1::2], strict=True))


def test_templates_are_composable_index_templates() -> None:
    for template in (pages_template(), projects_template()):
        assert check_template(template) == []
        assert set(template) >= {"index_patterns", "template", "priority"}
        body = template["template"]
        assert set(body) == {"settings", "mappings"} and body["mappings"]["dynamic"] == "strict"
        analyzer = body["settings"]["analysis"]["analyzer"]["hakemisto_terms"]
        assert analyzer == {"type": "custom", "tokenizer": "whitespace", "filter": []}
    props = pages_template()["template"]["mappings"]["properties"]
    assert props["amounts"]["type"] == "nested" and props["amounts"]["properties"]["eur"]["type"] == "double"
    assert props["funders"]["type"] == "keyword" and props["published"]["type"] == "date"
    assert all(props[f]["analyzer"] == "hakemisto_terms" for f in TEXT_FIELDS)


def test_every_bulk_line_fits_its_template(exported: Any) -> None:
    settings, out, report = exported
    assert report["valid"] and report["pages"] == len(list(idx.iter_documents(settings)))
    assert report["projects"] >= 1
    assert validate_export(out) == []
    pages = _bulk(out, "pages")
    assert [a["index"]["_index"] for a, _ in pages] == [PAGES_INDEX] * report["pages"]
    assert {a["index"]["_id"] for a, _ in pages} == {s["id"] for _, s in pages}
    kainuu = next(s for _, s in pages if s["id"] == KAINUU_FI)
    assert kainuu["amounts"] and all(isinstance(a["eur"], int | float) and a["role"] for a in kainuu["amounts"])
    assert kainuu["twin"] and kainuu["region"] == "Kainuu"
    assert all(p["pages"] for _, p in _bulk(out, "projects"))
    assert (out / "load.sh").read_text(encoding="utf-8").count("_bulk") >= 1


def test_the_validator_rejects_what_opensearch_would(exported: Any) -> None:
    _, out, _ = exported
    templates = [pages_template(), projects_template()]
    good = (out / "bulk" / "pages-0001.ndjson").read_text(encoding="utf-8")
    action, source = good.splitlines()[:2]
    doc = json.loads(source)
    bad_cases = {
        "unknown field": {**doc, "colour": "red"},
        "text as number": {**doc, "text_fi": 3},
        "amount as string": {**doc, "amount": "2,6 M€"},
        "nested eur not a number": {**doc, "amounts": [{"eur": "many", "role": "granted"}]},
        "bad date": {**doc, "published": "1.2.2024"},
        "null": {**doc, "region": None},
    }
    for what, bad in bad_cases.items():
        errors = validate_bulk(templates, f"{action}\n{json.dumps(bad)}\n")
        assert errors, what
    assert validate_bulk(templates, f"{action}\n{source}")  # no final newline
    assert validate_bulk(templates, f"{action}\n")  # an action without its source
    other = json.dumps({"index": {"_index": "somewhere-else", "_id": "x"}})
    assert validate_bulk(templates, f"{other}\n{source}\n")
    assert validate_bulk(templates, f"{action}\n{source}\n") == []


def test_analysed_text_is_exactly_what_whoosh_indexed(exported: Any) -> None:
    """Per page and field: the bulk terms (full + parts) = the Whoosh terms whose postings hold the page."""
    settings, out, _ = exported
    ix = idx.open_index(settings.index_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        docnums = {searcher.stored_fields(n)["id"]: n for n in range(reader.doc_count_all())}
        indexed: dict[tuple[str, int], set[str]] = {}
        for field in TEXT_FIELDS:
            for term in reader.field_terms(field):
                for n in reader.postings(field, term).all_ids():
                    indexed.setdefault((field, n), set()).add(term)
        checked = 0
        for _, source in _bulk(out, "pages"):
            for field in TEXT_FIELDS:
                exported_terms = set((source.get(field, "") + " " + source.get(f"{field}_parts", "")).split())
                assert exported_terms == indexed.get((field, docnums[source["id"]]), set()), (source["id"], field)
                checked += bool(exported_terms)
        assert checked >= 8


def test_export_without_an_index_is_one_clear_line(runner: Any, tmp_path: Path) -> None:
    from hakemisto.cli import main

    result = runner.invoke(main, ["export", "--format", "opensearch", str(tmp_path / "out"), "--index-dir",
                                  str(tmp_path / "none")])
    assert result.exit_code != 0 and "no index" in result.output and "Traceback" not in result.output


def _matches(dsl: dict[str, Any], doc: dict[str, Any]) -> bool:
    """A small oracle for the DSL clauses ``to_dsl`` emits, evaluated on a bulk source."""
    (kind, spec), = dsl.items()
    if kind == "match_all":
        return True
    if kind == "match_none":
        return False
    if kind == "term":
        (field, arg), = spec.items()
        value = doc.get(field)
        if field.startswith(("title_", "text_")):
            return arg["value"] in (value or "").split()
        return arg["value"] in (value if isinstance(value, list) else [value])
    if kind == "terms":
        (field, values), = spec.items()
        return doc.get(field) in values
    if kind == "range":
        (field, bounds), = spec.items()
        value = doc.get(field)
        return value is not None and value >= bounds.get("gte", value) and value <= bounds.get("lte", value)
    if kind == "dis_max":
        return any(_matches(s, doc) for s in spec["queries"])
    if kind == "bool":
        return (all(_matches(s, doc) for s in spec.get("must", []) + spec.get("filter", []))
                and not any(_matches(s, doc) for s in spec.get("must_not", []))
                and (not spec.get("should") or any(_matches(s, doc) for s in spec["should"])))
    raise AssertionError(f"oracle has no rule for {kind}")


@pytest.mark.parametrize("text, filters", [
    ("hoitotakuu", {}),
    ("RRP kotihoito", {"region": "Kainuu"}),
    ("vårdgaranti", {}),
    ("hanke NOT Kainuu", {"min_amount": 1_000_000}),
    ("rahoitus AND hyvinvointialue", {"funder": "STM"}),
    ("", {"programme": "RRP"}),
])
def test_the_opensearch_query_finds_the_pages_whoosh_finds(exported: Any, text: str, filters: dict) -> None:
    """Same query builder, same analysed terms: the _search body matches the same pages on the bulk
    sources as the Whoosh search does on its index, and names only mapped fields and keyword facets."""
    from hakemisto.search.engine import Filters, _snapshot, search
    from hakemisto.search.opensearch import fields_in, search_body, twin_body

    settings, out, _ = exported
    body = search_body(settings, text, Filters(**filters), size=100)
    props = pages_template()["template"]["mappings"]["properties"]
    assert fields_in(body) <= set(props)
    assert all(props[a["terms"]["field"]]["type"] == "keyword" for a in body["aggs"].values())
    sources = [s for _, s in _bulk(out, "pages")]
    found = {s["id"] for s in sources if _matches(body["query"], s)}
    second = twin_body(body, sorted(found))
    assert fields_in(second) <= set(props)
    found |= {s["id"] for s in sources if _matches(second["query"], s)}
    assert found, "a query that finds nothing proves little"
    # Whoosh's match set (before the page shows republished duplicates once: that stays in the app)
    snap = _snapshot(settings.index_dir)
    query, mask, concepts = snap.plan_concepts(text, Filters(**filters))
    matched, _ = snap.ranked(query, mask, 1000, "relevance", concepts)
    whoosh = {snap.searcher.stored_fields(int(n))["id"] for n in np.flatnonzero(matched)}
    assert found == whoosh
    assert search(settings, text, Filters(**filters), limit=100).total == len(found)
