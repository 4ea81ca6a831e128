"""``hakemisto export --format opensearch DIR``: index templates and ``_bulk`` files for OpenSearch.

Why the text goes over already analysed: OpenSearch has no voikko analyzer, and a different
analyzer would find different pages than Whoosh does here. So each Finnish and Swedish text field
carries the output of ``analysis.py`` itself — voikko base forms, hyphen parts, completed
coordinated compounds, Swedish stems — as whitespace-separated terms, mapped with a custom analyzer
made of the ``whitespace`` tokenizer and no filters. OpenSearch then indexes exactly the terms Whoosh
indexes, and a query analysed by the same ``analysis.py`` matches exactly the same pages. Terms
that Whoosh weighs below 1 (hyphen parts, 0.6) go to a ``*_parts`` field searched at that boost.

Facets are ``keyword`` fields (terms aggregations), amounts and contacts are ``nested`` so an
amount's role, funder and year stay together, and project records (``projects.py``) are an index of
their own. Mappings are ``dynamic: strict``: a field the template does not know is rejected, and
``validate_bulk`` checks every bulk line against the template before anything is sent.
"""

from __future__ import annotations

import fnmatch
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hakemisto import PIPELINE_VERSION
from hakemisto.core.atomic import write_bytes
from hakemisto.core.config import Settings
from hakemisto.core.model import Document, Facts
from hakemisto.search import analysis
from hakemisto.search.index import document_years

PAGES_INDEX = "hakemisto-pages"
PROJECTS_INDEX = "hakemisto-projects"
TERMS_ANALYZER = "hakemisto_terms"
DOCS_PER_FILE = 2000  # ~5–10 MB per request: inside OpenSearch's recommended bulk request size
ID_MAX_BYTES = 512  # OpenSearch ≥ 2.9 rejects longer document ids in _bulk

KEYWORD = {"type": "keyword"}
TERMS = {"type": "text", "analyzer": TERMS_ANALYZER, "search_analyzer": TERMS_ANALYZER}
TERMS_PHRASES = {**TERMS, "index_options": "positions"}
STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}
TEXT_STORED = {"type": "text", "index": False}
EUR = {"type": "double"}
DATE = {"type": "date", "format": "strict_date_optional_time"}

TEXT_FIELDS = ("title_fi", "text_fi", "title_sv", "text_sv")


def write_text(path: Path, text: str) -> None:
    """Atomic write, readable by whoever loads the export into OpenSearch (mkstemp makes it 0600)."""
    write_bytes(path, text.encode("utf-8"))
    path.chmod(0o644)


def _amount_properties() -> dict[str, Any]:
    return {"eur": EUR, "role": KEYWORD, "year": KEYWORD, "funder": KEYWORD, "project": KEYWORD,
            "region": KEYWORD, "qualifier": KEYWORD, "part_of": {"type": "integer"}, "text": STORED_ONLY,
            "sentence": TEXT_STORED}


def _settings() -> dict[str, Any]:
    return {
        "number_of_shards": 1,
        "number_of_replicas": 1,
        "analysis": {"analyzer": {TERMS_ANALYZER: {"type": "custom", "tokenizer": "whitespace", "filter": []}}},
        # Lucene's BM25 defaults (k1 1.2, b 0.75) are the parameters of Whoosh's BM25F here.
        "similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}},
    }


def pages_template() -> dict[str, Any]:
    """Composable index template for page documents (``PUT _index_template/hakemisto-pages``)."""
    properties: dict[str, Any] = {
        "id": KEYWORD, "title": STORED_ONLY, "url": STORED_ONLY, "path": STORED_ONLY,
        "lang": KEYWORD, "region": KEYWORD, "regions": KEYWORD, "source": KEYWORD,
        "funders": KEYWORD, "programmes": KEYWORD, "persons": KEYWORD, "organizations": KEYWORD,
        "projects": KEYWORD, "years": KEYWORD, "amount": {"type": "long"},
        "published": DATE, "modified": DATE, "twin": KEYWORD, "duplicates": KEYWORD,
        "content_hash": KEYWORD, "pipeline_version": KEYWORD, "body": TEXT_STORED,
        "amounts": {"type": "nested", "properties": _amount_properties()},
        "contacts": {"type": "nested", "properties": {
            "name": KEYWORD, "title": KEYWORD, "phone": KEYWORD, "email": KEYWORD,
            "organization": KEYWORD, "project": KEYWORD}},
    }
    for name in TEXT_FIELDS:
        properties[name] = TERMS_PHRASES
        properties[f"{name}_parts"] = TERMS
    return _template(PAGES_INDEX, properties, "pages: analysed fi/sv text, facets, amounts and contacts")


def projects_template() -> dict[str, Any]:
    """Composable index template for project records (``PUT _index_template/hakemisto-projects``)."""
    properties = {
        "id": KEYWORD, "name": KEYWORD, "names": KEYWORD, "acronyms": KEYWORD,
        "name_fi": TERMS, "name_sv": TERMS, "region": KEYWORD, "regions": KEYWORD, "scope": KEYWORD,
        "programmes": KEYWORD, "funders": KEYWORD, "start_year": {"type": "integer"},
        "end_year": {"type": "integer"}, "years": {"type": "integer"}, "status": KEYWORD, "lead": KEYWORD,
        "granted_eur": EUR, "applied_eur": EUR, "budget_eur": EUR, "cost_eur": EUR,
        "amounts": {"type": "nested", "properties": {
            **_amount_properties(), "doc_id": KEYWORD, "lang": KEYWORD, "link": STORED_ONLY,
            "reason": KEYWORD, "same_as": KEYWORD, "counted": {"type": "boolean"},
            "distinct": {"type": "boolean"}}},
        "contacts": {"type": "nested", "properties": {
            "name": KEYWORD, "title": KEYWORD, "phone": KEYWORD, "email": KEYWORD, "organization": KEYWORD,
            "doc_id": KEYWORD, "link": STORED_ONLY, "seen": DATE}},
        "pages": {"type": "nested", "properties": {
            "doc_id": KEYWORD, "title": STORED_ONLY, "link": STORED_ONLY, "lang": KEYWORD, "region": KEYWORD,
            "date": DATE}},
    }
    return _template(PROJECTS_INDEX, properties, "project records across pages (projects.py)")


def _template(index: str, properties: dict[str, Any], what: str) -> dict[str, Any]:
    return {
        "index_patterns": [f"{index}*"],
        "priority": 100,
        "version": 1,
        "_meta": {"hakemisto": PIPELINE_VERSION, "what": what},
        "template": {"settings": _settings(), "mappings": {"dynamic": "strict", "properties": properties}},
    }


# --- documents → bulk sources ----------------------------------------------------------------------


def analysed(text: str, lang: str) -> tuple[str, str]:
    """(terms at full weight, terms at part weight), each whitespace-joined in text order: exactly the
    terms the Whoosh field of that language indexes (``analysis.py``), nothing re-analysed."""
    full: list[str] = []
    parts: list[str] = []
    for token in analysis.analyzer_for(lang)(text):
        term = token.text.replace(" ", "_")
        (full if token.boost >= 1.0 else parts).append(term)
    return " ".join(full), " ".join(parts)


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    return value.isoformat()


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """No nulls and no empty lists: OpenSearch treats both as missing, and the validator stays strict."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != ""}


def page_source(doc: Document) -> dict[str, Any]:
    """One page as an OpenSearch document of the ``hakemisto-pages`` template."""
    from hakemisto.search.index import index_fields

    fields = index_fields(doc)  # the same per-language split of paragraphs as the Whoosh index
    facts = doc.facts or Facts()
    out: dict[str, Any] = {
        "id": doc.id, "title": doc.title, "url": doc.url, "path": doc.path, "lang": doc.lang,
        "region": fields.get("region"), "regions": list(facts.regions), "source": doc.source,
        "funders": list(facts.funders), "programmes": list(facts.programmes), "persons": list(facts.persons),
        "organizations": list(facts.organizations), "projects": list(facts.projects),
        "years": document_years(doc), "amount": fields.get("amount"), "published": _iso(doc.published),
        "modified": _iso(doc.modified), "twin": doc.twin, "duplicates": list(doc.duplicates),
        "content_hash": doc.content_hash, "pipeline_version": PIPELINE_VERSION, "body": doc.text,
        "amounts": [_clean({"eur": a.eur, "role": a.role, "year": a.year, "funder": a.funder,
                            "project": a.project, "region": a.region, "qualifier": a.qualifier,
                            "part_of": a.part_of, "text": a.text, "sentence": a.sentence})
                    for a in facts.amounts if math.isfinite(a.eur)],
        "contacts": [_clean({"name": c.name, "title": c.title, "phone": c.phone, "email": c.email,
                             "organization": c.organization, "project": c.project}) for c in facts.contacts],
    }
    for name in TEXT_FIELDS:
        full, parts = analysed(fields.get(name) or "", name.rsplit("_", 1)[1])
        out[name], out[f"{name}_parts"] = full, parts
    return _clean(out)


def project_source(project: Any) -> dict[str, Any]:
    """One ``projects.Project`` as an OpenSearch document of the ``hakemisto-projects`` template."""
    data = project.to_dict()
    fi_names = " ".join(n for n in project.names or (project.name,))
    return _clean({
        "id": project.id, "name": project.name, "names": list(project.names), "acronyms": list(project.acronyms),
        "name_fi": analysed(fi_names, "fi")[0], "name_sv": analysed(fi_names, "sv")[0],
        "region": project.region, "regions": list(project.regions), "scope": project.scope,
        "programmes": list(project.programmes), "funders": list(project.funders),
        "start_year": project.start_year, "end_year": project.end_year, "years": sorted(project.years()),
        "status": project.status, "lead": project.lead, "granted_eur": data["granted_eur"],
        "applied_eur": data["applied_eur"], "budget_eur": data["budget_eur"], "cost_eur": data["cost_eur"],
        "amounts": [_clean({k: a.get(k) for k in ("eur", "role", "year", "funder", "region", "qualifier", "text",
                                                  "sentence", "doc_id", "lang", "link", "reason", "same_as",
                                                  "counted", "distinct")}) for a in data["amounts"]],
        "contacts": [_clean({k: c.get(k) for k in ("name", "title", "phone", "email", "organization", "doc_id",
                                                   "link", "seen")}) for c in data["contacts"]],
        "pages": [_clean({k: p.get(k) for k in ("doc_id", "title", "link", "lang", "region", "date")})
                  for p in data["pages"]],
    })


def bulk_lines(index: str, sources: Iterable[dict[str, Any]]) -> Iterator[str]:
    """``{"index": {...}}`` then the source, one JSON object per line (the ``_bulk`` NDJSON body)."""
    for source in sources:
        yield json.dumps({"index": {"_index": index, "_id": source["id"]}}, ensure_ascii=False)
        yield json.dumps(source, ensure_ascii=False)


@dataclass(frozen=True)
class ExportReport:
    directory: Path
    pages: int
    projects: int
    files: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "pages": self.pages, "projects": self.projects,
                "files": list(self.files)}


def _write_bulk(out: Path, stem: str, index: str, sources: Iterable[dict[str, Any]]) -> tuple[int, list[str]]:
    files: list[str] = []
    chunk: list[str] = []
    count = 0

    def flush() -> None:
        name = f"bulk/{stem}-{len(files) + 1:04d}.ndjson"
        write_text(out / name, "\n".join(chunk) + "\n")  # every line ends with a newline, the last too
        files.append(name)
        chunk.clear()

    for source in sources:
        chunk.extend(bulk_lines(index, [source]))
        count += 1
        if count % DOCS_PER_FILE == 0:
            flush()
    if chunk:
        flush()
    return count, files


LOAD_SCRIPT = """#!/bin/sh
# Load this export into OpenSearch: templates first, then every bulk file (see docs/scale.md).
# Usage: sh load.sh https://opensearch.example:9200   (add -u user:password to CURL if needed)
set -eu
URL="${1:-http://127.0.0.1:9200}"
CURL="curl -fsS"
cd "$(dirname "$0")"
$CURL -X PUT "$URL/_index_template/hakemisto-pages" -H 'Content-Type: application/json' --data-binary @index-template-pages.json
$CURL -X PUT "$URL/_index_template/hakemisto-projects" -H 'Content-Type: application/json' --data-binary @index-template-projects.json
for f in bulk/*.ndjson; do
  $CURL -X POST "$URL/_bulk" -H 'Content-Type: application/x-ndjson' --data-binary "@$f" | grep -q '"errors":false'
done
"""


def export(settings: Settings, out: Path) -> ExportReport:
    """Write both templates, the bulk files and ``load.sh`` into ``out`` from the index of ``settings``."""
    from hakemisto.search import index as idx
    from hakemisto.search.records import load_projects

    idx.open_index(settings.index_dir)  # one clear error when there is no index
    out.mkdir(parents=True, exist_ok=True)
    for old in (out / "bulk").glob("*.ndjson") if (out / "bulk").is_dir() else ():
        old.unlink()  # a re-export replaces the previous one instead of mixing with it
    pages_t, projects_t = pages_template(), projects_template()
    write_text(out / "index-template-pages.json", json.dumps(pages_t, ensure_ascii=False, indent=2) + "\n")
    write_text(out / "index-template-projects.json", json.dumps(projects_t, ensure_ascii=False, indent=2) + "\n")
    n_pages, page_files = _write_bulk(out, "pages", PAGES_INDEX,
                                      (page_source(d) for d in idx.iter_documents(settings)))
    records = load_projects(settings)
    n_projects, project_files = _write_bulk(out, "projects", PROJECTS_INDEX,
                                            (project_source(p) for p in records.projects))
    write_text(out / "load.sh", LOAD_SCRIPT)
    files = ["index-template-pages.json", "index-template-projects.json", *page_files, *project_files, "load.sh"]
    return ExportReport(out, n_pages, n_projects, tuple(files))


# --- validation: every bulk line against the template's mappings ------------------------------------

FIELD_TYPES = {"keyword", "text", "long", "integer", "double", "date", "boolean", "nested", "object"}
BUILTIN_ANALYZERS = {"standard", "simple", "whitespace", "keyword", "stop"}
_LIMITS = {"long": 2**63, "integer": 2**31}


def check_template(template: dict[str, Any]) -> list[str]:
    """Problems in a template itself: unknown field types, analyzers that are not defined."""
    problems: list[str] = []
    for key in ("index_patterns", "template"):
        if key not in template:
            problems.append(f"template has no {key!r}")
    body = template.get("template", {})
    defined = set(body.get("settings", {}).get("analysis", {}).get("analyzer", {})) | BUILTIN_ANALYZERS
    for name, spec in body.get("settings", {}).get("analysis", {}).get("analyzer", {}).items():
        if spec.get("type") == "custom" and "tokenizer" not in spec:
            problems.append(f"analyzer {name}: a custom analyzer needs a tokenizer")

    def walk(props: dict[str, Any], prefix: str) -> None:
        for field, spec in props.items():
            kind = spec.get("type", "object")
            if kind not in FIELD_TYPES:
                problems.append(f"{prefix}{field}: unknown type {kind!r}")
            for key in ("analyzer", "search_analyzer"):
                if key in spec and spec[key] not in defined:
                    problems.append(f"{prefix}{field}: analyzer {spec[key]!r} is not defined")
            if kind in ("nested", "object"):
                walk(spec.get("properties", {}), f"{prefix}{field}.")

    walk(body.get("mappings", {}).get("properties", {}), "")
    return problems


def _date_ok(value: str) -> bool:
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_value(kind: str, spec: dict[str, Any], value: Any, path: str, strict: bool) -> list[str]:
    if isinstance(value, list) and kind not in ("nested",):
        return [e for item in value for e in _check_value(kind, spec, item, path, strict)]
    if value is None:
        return [f"{path}: null (leave the field out instead)"]
    if kind in ("keyword", "text"):
        return [] if isinstance(value, str) else [f"{path}: {kind} needs a string, got {type(value).__name__}"]
    if kind in ("long", "integer"):
        ok = isinstance(value, int) and not isinstance(value, bool) and -_LIMITS[kind] <= value < _LIMITS[kind]
        return [] if ok else [f"{path}: {kind} needs an integer in range, got {value!r}"]
    if kind == "double":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        return [] if ok else [f"{path}: double needs a finite number, got {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: boolean needs true/false, got {value!r}"]
    if kind == "date":
        return [] if isinstance(value, str) and _date_ok(value) else [f"{path}: not an ISO date: {value!r}"]
    if kind in ("nested", "object"):
        items = value if isinstance(value, list) else [value]
        errors = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                errors.append(f"{path}[{i}]: {kind} needs an object")
                continue
            errors.extend(_check_object(item, spec.get("properties", {}), f"{path}[{i}].",
                                        strict and spec.get("dynamic", "strict") == "strict"))
        return errors
    return [f"{path}: no check for type {kind!r}"]


def _check_object(source: dict[str, Any], props: dict[str, Any], prefix: str, strict: bool) -> list[str]:
    errors = []
    for field, value in source.items():
        spec = props.get(field)
        if spec is None:
            if strict:
                errors.append(f"{prefix}{field}: not in the mapping (dynamic: strict rejects the document)")
            continue
        errors.extend(_check_value(spec.get("type", "object"), spec, value, f"{prefix}{field}", strict))
    return errors


def validate_bulk(templates: Iterable[dict[str, Any]], text: str, name: str = "bulk") -> list[str]:
    """Every problem of a ``_bulk`` body against the templates its ``_index`` names match: action
    lines, ids, one source per action, and each source field against the mapping's type."""
    templates = list(templates)
    errors: list[str] = []
    if not text.endswith("\n"):
        errors.append(f"{name}: the last line does not end with a newline")
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    if len(lines) % 2:
        errors.append(f"{name}: {len(lines)} lines: every action needs its source line")
    for i in range(0, len(lines) - 1, 2):
        where = f"{name}:{i + 1}"
        try:
            action, source = json.loads(lines[i]), json.loads(lines[i + 1])
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not JSON ({exc})")
            continue
        meta = action.get("index") if isinstance(action, dict) and len(action) == 1 else None
        if not isinstance(meta, dict) or not isinstance(meta.get("_index"), str):
            errors.append(f"{where}: the action line must be {{\"index\": {{\"_index\": …, \"_id\": …}}}}")
            continue
        doc_id = meta.get("_id")
        if not isinstance(doc_id, str) or not doc_id or len(doc_id.encode("utf-8")) > ID_MAX_BYTES:
            errors.append(f"{where}: _id must be a non-empty string of at most {ID_MAX_BYTES} bytes")
        template = next((t for t in templates if any(fnmatch.fnmatchcase(meta["_index"], p)
                                                     for p in t["index_patterns"])), None)
        if template is None:
            errors.append(f"{where}: no template matches index {meta['_index']!r}")
            continue
        mappings = template["template"]["mappings"]
        errors.extend(_check_object(source, mappings["properties"], f"{name}:{i + 2}: ",
                                    mappings.get("dynamic") == "strict"))
    return errors


def validate_export(out: Path) -> list[str]:
    """``check_template`` and ``validate_bulk`` over a whole export directory."""
    templates = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("index-template-*.json"))]
    errors = [e for t in templates for e in check_template(t)]
    for path in sorted((out / "bulk").glob("*.ndjson")):
        errors.extend(validate_bulk(templates, path.read_text(encoding="utf-8"), path.name))
    return errors


# --- queries: the same query builder, rendered as OpenSearch query DSL ------------------------------

FACETS = {"region": "region", "funder": "funders", "programme": "programmes", "year": "years", "lang": "lang"}
FACET_SIZE = 30  # more than the 22 counties, so no region bucket is cut off


def to_dsl(query: Any) -> dict[str, Any]:
    """A Whoosh query from ``analysis`` / ``search`` as OpenSearch query DSL, clause by clause.

    A term in an analysed text field also matches the field's ``_parts`` twin (hyphen parts), at the
    weight Whoosh gives such a posting (``analysis.HYPHEN_PART_BOOST``)."""
    from whoosh import query as q

    if isinstance(query, q.Term):
        field, value, boost = query.fieldname, query.text, float(getattr(query, "boost", 1.0))
        if field in TEXT_FIELDS:
            return {"bool": {"should": [
                {"term": {field: {"value": value, "boost": round(boost, 4)}}},
                {"term": {f"{field}_parts": {"value": value,
                                              "boost": round(boost * analysis.HYPHEN_PART_BOOST, 4)}}},
            ]}}
        return {"term": {field: {"value": value, "boost": round(boost, 4)}}}
    if isinstance(query, q.DisjunctionMax):
        return {"dis_max": {"queries": [to_dsl(s) for s in query.subqueries],
                            "tie_breaker": float(getattr(query, "tiebreak", 0.0))}}
    if isinstance(query, q.Or):
        return {"bool": {"should": [to_dsl(s) for s in query.subqueries], "minimum_should_match": 1}}
    if isinstance(query, q.And):
        return {"bool": {"must": [to_dsl(s) for s in query.subqueries]}}
    if isinstance(query, q.Not):
        return {"bool": {"must_not": [to_dsl(query.query)]}}
    if isinstance(query, q.NumericRange):
        bounds = {k: v for k, v in (("gte", query.start), ("lte", query.end)) if v is not None}
        return {"range": {query.fieldname: bounds}}
    if isinstance(query, q.Sequence):  # a phrase: consecutive words, each possibly several base forms
        clauses = []
        for word in query.subqueries:
            terms = word.subqueries if isinstance(word, q.Or) else [word]
            alts = [{"span_term": {t.fieldname: t.text}} for t in terms]
            clauses.append(alts[0] if len(alts) == 1 else {"span_or": {"clauses": alts}})
        return {"span_near": {"clauses": clauses, "slop": 0, "in_order": True}}
    if isinstance(query, q.Every):
        return {"match_all": {}}
    if query is q.NullQuery or isinstance(query, type(q.NullQuery)):
        return {"match_none": {}}
    raise ValueError(f"no OpenSearch form for {type(query).__name__}")


def search_body(settings: Settings, text: str, filters: Any = None, *, size: int = 10,
                page: int = 1) -> dict[str, Any]:
    """The ``_search`` body for a planner's query: ``analysis``'s concepts as ``bool.should`` of per-field
    boosted terms, the filters (resolved by ``search`` exactly as for Whoosh) in ``bool.filter``, and
    the facets as ``terms`` aggregations. The local index supplies the compound lexicon and the
    registries' canonical names, as it does for the Whoosh search."""
    from hakemisto.search.engine import Filters, _filter_parts, _snapshot

    filters = filters or Filters()
    snap = _snapshot(settings.index_dir)
    ranking, _, concepts = snap.plan_concepts(text, filters)
    parsed = analysis.parse_operators(text)
    schema = snap.searcher.schema
    compounds = analysis.compounds_for(snap.searcher)
    must: list[dict[str, Any]] = [to_dsl(analysis.build_query(v, schema, lang=filters.lang, compounds=compounds))
                                  for v in parsed.required]
    must += [to_dsl(analysis.phrase_query(v, schema, lang=filters.lang)) for v in parsed.phrases]
    must_not = [to_dsl(analysis.phrase_query(v, schema) if len(v.split()) > 1 else
                       analysis.build_query(v, schema, lang=filters.lang, compounds=compounds))
                for v in parsed.excluded]
    query: dict[str, Any] = {
        "bool": {
            "should": [to_dsl(c) for c in concepts],
            "filter": [to_dsl(p) for p in _filter_parts(snap.searcher, filters)] + must,
            "must_not": must_not,
        }
    }
    if concepts:
        query["bool"]["minimum_should_match"] = 1
    return {
        "from": (max(page, 1) - 1) * size,
        "size": size,
        "query": query,
        "aggs": {name: {"terms": {"field": field, "size": FACET_SIZE}} for name, field in FACETS.items()},
        "_source": {"excludes": [*TEXT_FIELDS, *(f"{f}_parts" for f in TEXT_FIELDS), "body"]},
    }


def twin_body(body: dict[str, Any], matched_ids: list[str], size: int = 100) -> dict[str, Any]:
    """The second request of a search: pages whose fi/sv twin matched join the hits (``search``'s
    ``TWIN_SHARE``: at 0.3 of the twin's score), within the same filters, ``AND`` and ``NOT`` parts."""
    bool_ = body["query"]["bool"]
    return {"size": size, "_source": ["id", "twin"], "query": {"bool": {
        "filter": [*bool_["filter"], {"terms": {"twin": list(matched_ids)}}],
        "must_not": list(bool_["must_not"])}}}


def fields_in(body: Any) -> set[str]:
    """Every field name a query body refers to (for checking a body against a template's mappings)."""
    out: set[str] = set()
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("term", "span_term", "range") and isinstance(value, dict):
                out.update(value)
            elif key == "terms" and isinstance(value, dict):
                out.update([value["field"]] if "field" in value else [k for k in value if k != "boost"])
            else:
                out |= fields_in(value)
    elif isinstance(body, list):
        for item in body:
            out |= fields_in(item)
    return out
