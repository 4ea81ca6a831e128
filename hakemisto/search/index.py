"""The Whoosh index: schema, upsert by id, atomic commits, rebuild-and-swap, lock handling.

Whoosh commits are atomic (new segments, then a renamed TOC), so a reader or a killed writer never
sees half an update. When the pipeline version changes, analyzers may have changed too, so the
index is rebuilt in a sibling directory and swapped in; planners keep searching the old one meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError

from hakemisto import PIPELINE_VERSION
from hakemisto.core import glossary, voikko
from hakemisto.core.atomic import write_json
from hakemisto.core.config import Settings
from hakemisto.core.errors import IndexLockedError, IndexMissingError, IndexWriteError
from hakemisto.core.lock import WriterLock, pause_point
from hakemisto.core.model import Document, Facts
from hakemisto.search import analysis, generations, whoosh_compat

# Whoosh asked the file system once per posting for length columns a segment does not have: 8 % of an
# index write. The compat module caches the answer (a segment's files never change).
whoosh_compat.remember_missing_columns()

META_FILE = "hakemisto.json"
WRITE_TIMEOUT = 5.0


def build_schema(kind: str = "voikko") -> Schema:
    """Display fields are stored; text is analysed per language (``kind`` analyzers: voikko or
    snowball, a setting); facts are keyword facets."""
    fi, sv = analysis.finnish_analyzer(kind), analysis.swedish_analyzer(kind)
    keyword = dict(stored=True, commas=True, scorable=False, lowercase=False)
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=STORED(),
        url=STORED(),
        path=STORED(),
        title_fi=TEXT(analyzer=fi, phrase=True),
        text_fi=TEXT(analyzer=fi, phrase=True),
        title_sv=TEXT(analyzer=sv, phrase=True),
        text_sv=TEXT(analyzer=sv, phrase=True),
        lang=ID(stored=True),
        region=ID(stored=True),
        source=ID(stored=True),
        funders=KEYWORD(**keyword),
        programmes=KEYWORD(**keyword),
        persons=KEYWORD(**keyword),
        organizations=KEYWORD(**keyword),
        years=KEYWORD(**keyword),
        amount=NUMERIC(int, bits=64, stored=True, signed=False),
        published=DATETIME(stored=True),
        modified=DATETIME(stored=True),
        twin=ID(stored=True),
        content_hash=ID(stored=True),
        pipeline_version=ID(stored=True),
        doc=STORED(),
    )
    for name in ("title_fi", "text_fi", "title_sv", "text_sv"):
        field = schema[name]
        field.format = analysis.WordPositions(field_boost=field.format.field_boost)
    return schema


# --- document <-> index fields ------------------------------------------------------------------


def document_years(doc: Document) -> list[str]:
    """Years a planner filters by: publication year and the years money was granted for."""
    years: set[str] = set()
    if doc.published:
        years.add(str(doc.published.year))
    for amount in doc.facts.amounts if doc.facts else ():
        if amount.year:
            years.update(y for y in amount.year.replace("–", "-").split("-") if len(y) == 4 and y.isdigit())
    return sorted(years)


def _texts(doc: Document) -> tuple[str, str]:
    """``text_fi`` and ``text_sv``: each paragraph goes to the field of its own language."""
    fi_parts: list[str] = []
    sv_parts: list[str] = []
    for i, para in enumerate(doc.paragraphs):
        lang = doc.para_langs[i] if i < len(doc.para_langs) else doc.lang
        if lang not in ("fi", "sv"):
            lang = "sv" if doc.lang == "sv" else "fi"
        (sv_parts if lang == "sv" else fi_parts).append(para)
    return "\n".join(fi_parts), "\n".join(sv_parts)


def prepare(doc: Document, kind: str = "voikko") -> None:
    """Fill the analyzers' per-word caches with the words of ``doc``'s analysed text fields (the
    ones ``index_fields`` gives; facts and links do not change them) before it is written: the
    ingest calls this while the extraction workers still run (``jobs.workers.annotate_parallel``),
    which took the voikko look-ups — a third of a fresh index write — off the serial tail."""
    text_fi, text_sv = _texts(doc)
    title_lang = "sv" if doc.lang == "sv" else "fi"
    for text, lang in ((doc.title, title_lang), (text_fi, "fi"), (text_sv, "sv")):
        if text:
            analysis.prepare(text, lang, kind)


def index_fields(doc: Document) -> dict[str, Any]:
    """The Whoosh fields of one document; paragraphs go to the field of their own language."""
    text_fi, text_sv = _texts(doc)
    facts = doc.facts or Facts()
    region = doc.region or facts.region
    fields: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "path": doc.path,
        "text_fi": text_fi,
        "text_sv": text_sv,
        "lang": doc.lang,
        "funders": ",".join(facts.funders),
        "programmes": ",".join(facts.programmes),
        "persons": ",".join(p.replace(",", " ") for p in facts.persons),
        "organizations": ",".join(o.replace(",", " ") for o in facts.organizations),
        "years": ",".join(document_years(doc)),
        "content_hash": doc.content_hash,
        "pipeline_version": PIPELINE_VERSION,
        "doc": json.dumps(doc.to_dict(), ensure_ascii=False, default=str),
    }
    fields["title_sv" if doc.lang == "sv" else "title_fi"] = doc.title
    if region:
        fields["region"] = region
    if doc.source:
        fields["source"] = doc.source
    if doc.twin:
        fields["twin"] = doc.twin
    if facts.amounts:
        fields["amount"] = int(max(a.eur for a in facts.amounts))
    for key in ("published", "modified"):
        value = getattr(doc, key)
        if value:
            fields[key] = value.replace(tzinfo=None) if value.tzinfo else value
    return fields


def document_from_stored(stored: dict[str, Any]) -> Document:
    """Rebuild the full ``Document`` (with facts) from the stored JSON."""
    data = json.loads(stored["doc"])
    data.pop("text", None)
    facts = data.pop("facts", None)
    for key in ("published", "modified", "loaded_at"):
        data[key] = datetime.fromisoformat(data[key]) if data.get(key) else None
    for key in ("paragraphs", "para_langs", "duplicates"):
        data[key] = tuple(data.get(key) or ())
    data["alternates"] = tuple(tuple(pair) for pair in data.get("alternates") or ())
    known = set(Document.__dataclass_fields__)
    doc = Document(**{k: v for k, v in data.items() if k in known})
    if facts:
        from dataclasses import replace

        doc = replace(doc, facts=Facts.from_dict(facts))
    return doc


# --- opening, metadata ---------------------------------------------------------------------------


def exists(index_dir: Path) -> bool:
    return index_dir.is_dir() and whoosh_index.exists_in(str(index_dir))


def open_index(index_dir: Path):
    """The existing index, or a clear error saying how to create one."""
    if not exists(index_dir):
        raise IndexMissingError(f"no index in {index_dir}; build one with: hakemisto ingest corpus/")
    return whoosh_index.open_dir(str(index_dir))


def read_meta(index_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# Data files the index-side analyzers read (``analysis._data_lines``): part of what decides the terms.
ANALYSIS_DATA = ("sv_words.txt", "glossary.tsv")


def analysis_fingerprint(schema: Schema) -> str:
    """What decides the indexed terms of a text: the analyzers of ``schema`` (their kind), their code
    and data (with the glossary's reader), voikko's wrapper and Whoosh's version. Two indexes with the
    same fingerprint analyse a text alike, so a rebuild for new extraction rules may keep the postings
    of documents whose fields did not change."""
    import whoosh

    digest = hashlib.sha256()
    for module in (analysis, glossary, voikko):
        digest.update(Path(module.__file__).read_bytes())
    data = resources.files("hakemisto.data")
    for name in ANALYSIS_DATA:
        digest.update(data.joinpath(name).read_bytes())
    digest.update(whoosh.versionstring().encode())
    for name in sorted(schema.names()):
        field = schema[name]
        analyzer = getattr(field, "analyzer", None)
        digest.update(f"|{name}:{type(field).__name__}:{type(analyzer).__name__}:{getattr(analyzer, 'kind', '')}".encode())
    return digest.hexdigest()[:16]


def _write_meta(index_dir: Path, schema: Schema, fresh: bool = False, **extra: Any) -> None:
    """``fresh``: every document was just analysed by ``schema``'s analyzers (a new index or a
    rebuild); otherwise an existing index whose stored fingerprint differs becomes mixed (None)."""
    before = read_meta(index_dir)
    meta = before | {"pipeline_version": PIPELINE_VERSION, "schema": sorted(build_schema().names())}
    fingerprint: str | None = analysis_fingerprint(schema)
    if not fresh and before.get("analysis") != fingerprint:
        fingerprint = None  # documents analysed by other analyzers are in this index too
    meta["analysis"] = fingerprint
    meta.update(extra)
    write_json(index_dir / META_FILE, meta)


def current_versions(index_dir: Path) -> frozenset[str]:
    """Per-document pipeline versions that count as the current one in this index: the current
    version, plus older ones a reusing rebuild (``rebuild(reuse=True)``) re-extracted and found
    unchanged — their documents kept their postings and their old version tag."""
    meta = read_meta(index_dir)
    if meta.get("pipeline_version") != PIPELINE_VERSION:
        return frozenset({PIPELINE_VERSION})
    return frozenset({PIPELINE_VERSION, *meta.get("carried_versions", ())})


def is_current(index_dir: Path) -> bool:
    """True when the index was written by this pipeline version with this schema."""
    meta = read_meta(index_dir)
    return (
        exists(index_dir)
        and meta.get("pipeline_version") == PIPELINE_VERSION
        and meta.get("schema") == sorted(build_schema().names())
    )


# --- reading ---------------------------------------------------------------------------------------


def stored_hashes(index_dir: Path) -> dict[str, tuple[str, str]]:
    """id → (content hash, pipeline version) of every stored document: the 'unchanged' test."""
    if not exists(index_dir):
        return {}
    current = current_versions(index_dir)
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        out = {}
        for f in searcher.all_stored_fields():
            version = f.get("pipeline_version", "")
            out[f["id"]] = (f.get("content_hash", ""), PIPELINE_VERSION if version in current else version)
        return out


def iter_documents(settings: Settings) -> Iterator[Document]:
    """Every stored document with its facts."""
    ix = open_index(settings.index_dir)
    with ix.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            yield document_from_stored(stored)


def get_document(settings: Settings, doc_id: str) -> Document | None:
    ix = open_index(settings.index_dir)
    with ix.searcher() as searcher:
        stored = searcher.document(id=doc_id)
    return document_from_stored(stored) if stored else None


@dataclass(frozen=True)
class IndexStats:
    index_dir: str
    documents: int
    size_bytes: int
    segments: int
    pipeline_version: str | None
    by_lang: dict[str, int]
    by_region: dict[str, int]


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def stats(settings: Settings) -> IndexStats:
    ix = open_index(settings.index_dir)
    by_lang: dict[str, int] = {}
    by_region: dict[str, int] = {}
    with ix.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            by_lang[stored.get("lang", "und")] = by_lang.get(stored.get("lang", "und"), 0) + 1
            region = stored.get("region") or "(unknown)"
            by_region[region] = by_region.get(region, 0) + 1
        count = searcher.doc_count()
        segments = whoosh_compat.segment_count(ix)
    return IndexStats(
        index_dir=str(settings.index_dir),
        documents=count,
        size_bytes=_dir_size(settings.index_dir),
        segments=segments,
        pipeline_version=read_meta(settings.index_dir).get("pipeline_version"),
        by_lang=dict(sorted(by_lang.items())),
        by_region=dict(sorted(by_region.items())),
    )


# --- writing ---------------------------------------------------------------------------------------


def _writer(ix):
    try:
        return ix.writer(timeout=WRITE_TIMEOUT)
    except LockError:
        raise IndexLockedError(
            f"the index in {ix.storage.folder} is being written by another process; try again when it finishes"
        ) from None


def write(
    settings: Settings,
    documents: Iterable[Document] = (),
    delete_ids: Iterable[str] = (),
    optimize: bool = False,
    purpose: str = "an index write",
) -> tuple[int, int]:
    """Upsert documents and delete ids in ONE atomic commit; returns (written, deleted).

    Anything raised before the commit (a bad document, Ctrl-C, a kill) cancels the writer, so the
    index stays exactly as it was. Holds the index's writer lock (re-entrant within a process).
    """
    with WriterLock(settings.index_dir, purpose, settings.lock_wait):
        remove_leftovers(settings.index_dir)  # what a killed writer left: we hold the lock, nobody else writes
        return _write(settings.index_dir, documents, delete_ids, optimize, settings.analyzer)


# The top-level ``"loaded_at": value, `` pair of ``Document.to_dict``'s JSON: inside a JSON string a
# quote is escaped, so this text only occurs as a key; the facts hold no such key.
_LOADED_AT = re.compile(r'"loaded_at": (?:null|"[^"\\]*"), ')


def _same_document(stored: str, fields: dict[str, Any]) -> bool:
    """The stored document JSON equals the new one, apart from when it was loaded (kept, as an
    incremental run keeps it for an unchanged page)."""
    new = fields["doc"]
    if stored == new:  # the same text is the same JSON: no parsing (most pages of a rules-only rebuild)
        return True
    if _LOADED_AT.sub("", stored, count=1) == _LOADED_AT.sub("", new, count=1):
        return True  # the page was read from disk again (a rebuild of a corpus): only its loading time differs
    before, after = json.loads(stored), json.loads(new)
    before.pop("loaded_at", None)
    after.pop("loaded_at", None)
    return before == after


def _write(
    index_dir: Path, documents: Iterable[Document], delete_ids: Iterable[str], optimize: bool,
    kind: str = "voikko",
    reuse: bool = False,
) -> tuple[int, int]:
    """With ``reuse`` the index holds a rebuild's copy of the old index: documents whose stored JSON
    is unchanged keep their postings, the others are rewritten, ids not in ``documents`` deleted."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fresh = not exists(index_dir)
    ix = whoosh_index.open_dir(str(index_dir)) if not fresh else whoosh_index.create_in(
        str(index_dir), build_schema(kind)
    )
    kept: dict[str, tuple[str, str]] = {}
    if reuse:
        with ix.searcher() as searcher:
            kept = {f["id"]: (f.get("doc", ""), f.get("pipeline_version", "")) for f in searcher.all_stored_fields()}
    carried: set[str] = set()
    writer = _writer(ix)
    written = deleted = 0
    try:
        for doc_id in delete_ids:
            deleted += writer.delete_by_term("id", doc_id)
        for doc in documents:
            fields = index_fields(doc)
            old = kept.pop(doc.id, None)
            if old is not None and _same_document(old[0], fields):
                carried.add(old[1])
                continue
            if reuse and old is None:
                writer.add_document(**fields)
            else:
                writer.update_document(**fields)
            written += 1
        for doc_id in kept:  # in the old index, not in this rebuild
            deleted += writer.delete_by_term("id", doc_id)
        pause_point("commit")
        writer.commit(optimize=optimize)
    except BaseException as exc:
        try:
            writer.cancel()
        except Exception:  # a writer that failed inside its commit may refuse to cancel; cleanup follows
            pass
        if isinstance(exc, OSError):
            remove_leftovers(index_dir)
            raise IndexWriteError(
                f"writing the index {index_dir} failed: {exc.strerror or exc}; the previous index is unchanged"
            ) from None
        raise
    try:
        if reuse:
            _write_meta(index_dir, ix.schema, fresh=True, carried_versions=sorted(carried - {PIPELINE_VERSION}))
        else:
            _write_meta(index_dir, ix.schema, fresh=fresh)
    except OSError as exc:
        raise IndexWriteError(f"writing {index_dir / META_FILE} failed: {exc.strerror or exc}") from None
    generations.write_term_lists(index_dir)  # the compound lookup and did-you-mean read these
    write_glossary_tables(index_dir, ix.schema)  # the first query's glossary expansion reads these
    return written, deleted


GLOSSARY_FILE = "glossary-tables.json"


def write_glossary_tables(index_dir: Path, schema: Any) -> None:
    """Store the analysed glossary tables of the index's analyzers beside it (issue 17: building them
    was 0.08–0.15 s of every cold search). Tagged with ``PIPELINE_VERSION``, which hashes the code and
    the data files, so a changed glossary is never read stale. A failure only costs the next process
    the analysis: the file is a cache, never the index."""
    try:
        write_json(index_dir / GLOSSARY_FILE, {"pipeline": PIPELINE_VERSION, "tables": analysis.glossary_tables(schema)})
    except OSError:
        pass


def read_glossary_tables(folder: str | os.PathLike | None) -> list[dict[str, Any]] | None:
    """The stored glossary tables, or None (no folder, an older index, another pipeline version)."""
    if folder is None:
        return None
    from hakemisto.core.atomic import read_json

    data = read_json(Path(folder) / GLOSSARY_FILE)
    if not isinstance(data, dict) or data.get("pipeline") != PIPELINE_VERSION or not isinstance(data.get("tables"), list):
        return None
    return data["tables"]


# What lives beside the Whoosh files and survives a rebuild swap: run reports, the change log, watches,
# the neural model's stored output (``modelcache``: what makes a rules-only rebuild cheap).
KEEP_ON_REBUILD = frozenset({"runs", ".gitkeep", "changes", "watches.sqlite", "model-cache.sqlite",
                             "model-cache.sqlite-wal", "model-cache.sqlite-shm"})


_TOC = re.compile(r"^_(MAIN)_(\d+)\.toc$")  # Whoosh's default index name
_SEGMENT = re.compile(r"^(MAIN)_([0-9a-z]+)\..+$")
_KEEP = {META_FILE, *KEEP_ON_REBUILD}


def leftovers(index_dir: Path) -> list[Path]:
    """Files a crashed or failed write left in the index directory: temporary files and directories
    (``*.tmp``), segment files no table of contents refers to, and superseded tables of contents.

    Only meaningful under the writer lock (a running writer's new segment is not referenced yet).
    """
    if not index_dir.is_dir():
        return []
    live: set[str] = set()
    generation = -1
    if exists(index_dir):
        ix = whoosh_index.open_dir(str(index_dir))
        found = whoosh_compat.segments(ix)
        if found is None:  # the live segments cannot be read: nothing can safely be called a leftover
            return []
        live = {seg.segment_id() for seg in found}
        generation = ix.latest_generation()
    found = []
    for path in sorted(index_dir.iterdir()):
        name = path.name
        if name in _KEEP or name.endswith("WRITELOCK"):
            continue
        toc, seg = _TOC.match(name), _SEGMENT.match(name)
        if name.endswith(".tmp"):
            found.append(path)
        elif toc and int(toc.group(2)) != generation:
            found.append(path)
        elif seg and not toc and f"{seg.group(1)}_{seg.group(2)}" not in live:
            found.append(path)
    return found


def remove_leftovers(index_dir: Path) -> list[str]:
    """Delete ``leftovers``; the names removed (a failure to remove one is not an error)."""
    removed = []
    for path in leftovers(index_dir):
        try:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
            removed.append(path.name)
        except OSError:
            continue
    return removed


def can_reuse(index_dir: Path, kind: str = "voikko") -> bool:
    """True when a rebuild may keep the old index's postings for unchanged documents: its analyzers
    (of ``kind``) and schema are what a fresh rebuild would use (only extraction rules or
    vocabularies changed)."""
    meta = read_meta(index_dir)
    return exists(index_dir) and meta.get("analysis") == analysis_fingerprint(build_schema(kind)) and (
        meta.get("schema") == sorted(build_schema().names())
    )


def _link_index_files(source: Path, target: Path) -> None:
    """The old index's Whoosh files in ``target`` as hard links (a copy where links fail). Whoosh
    never changes a segment or table-of-contents file after writing it: new commits add files."""
    for path in source.iterdir():
        name = path.name
        if not path.is_file() or not (_TOC.match(name) or _SEGMENT.match(name)):
            continue  # only Whoosh's own files: stored structures beside them are written anew
        try:
            os.link(path, target / name)
        except OSError:
            shutil.copy2(path, target / name)


def rebuild(settings: Settings, documents: Iterable[Document], reuse: bool = False) -> int:
    """Write every document into a fresh index next to the old one, then swap directories.

    Used when the pipeline version or schema changed. Until the swap, readers use the old index;
    a crash leaves the old index in place and a ``.rebuild`` directory that the next run replaces.
    ``reuse`` (only when ``can_reuse``): the new index starts as the old one's files, and only
    documents whose stored JSON changed are written again — a rules-only change re-analyses (voikko,
    postings) just the pages whose facts, twins or duplicates changed.
    """
    with WriterLock(settings.index_dir, "an index rebuild", settings.lock_wait):
        return _rebuild(settings.index_dir, documents, settings.analyzer, reuse)


def _rebuild(index_dir: Path, documents: Iterable[Document], kind: str = "voikko", reuse: bool = False) -> int:
    staging = index_dir.with_name(index_dir.name + ".rebuild")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        if reuse:
            remove_leftovers(index_dir)  # under the writer lock: only what the live index refers to
            _link_index_files(index_dir, staging)
        written, _ = _write(staging, documents, (), False, kind, reuse=reuse)
    except (OSError, IndexWriteError):
        shutil.rmtree(staging, ignore_errors=True)  # a full disk: free what the staging copy took
        raise
    pause_point("swap")
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    keep = [p for p in index_dir.iterdir() if p.name in KEEP_ON_REBUILD] if index_dir.is_dir() else []
    for item in keep:
        os.replace(item, staging / item.name)
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(staging, index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return written


def optimize(settings: Settings) -> list[str]:
    """Merge all segments into one (faster searches after many small nightly commits), and remove
    what an earlier crash left behind (temporary files, unreferenced segments); the names removed."""
    with WriterLock(settings.index_dir, "hakemisto optimize", settings.lock_wait):
        removed = remove_leftovers(settings.index_dir)
        write(settings, optimize=True, purpose="hakemisto optimize")
        return removed + remove_leftovers(settings.index_dir)
