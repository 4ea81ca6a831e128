"""The library façade: one object, ``Hakemisto(settings)``, that the CLI, the web app and the nightly
command call — and nothing below it.

Why: the shells used to reach into a dozen modules each, and the CLI, the nightly job and
``extract`` each ran their own copy of the ingest sequence. Here every use case is one method that
delegates to the stage that owns it (crawl → documents → facts → search → report); the shells keep
only parsing and wording. The façade is thin on purpose: argument normalisation, error typing and
delegation, never a second implementation.

Imports stay lazy (inside the methods and in ``__getattr__``): a cold ``hakemisto search`` must not
pay for babel, rapidfuzz or the project records. Result types, error types and the presentation
helpers the shells need are re-exported here, so ``from hakemisto.app import X`` is all a shell needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hakemisto.core.caches import LRU
from hakemisto.core.config import Settings, load_settings
from hakemisto.core.errors import (
    DocumentNotFound,
    ExportInvalid,
    HakemistoError,
    IndexLockedError,
    IndexMissingError,
    InputError,
    InvalidValue,
    NoPageSplits,
    SourcesFileError,
    UnknownRegion,
    UsageError,
)

if TYPE_CHECKING:  # pragma: no cover - types only
    from hakemisto.core.model import Document, Skip
    from hakemisto.crawl.fetch import CrawlReport
    from hakemisto.crawl.sources import Source
    from hakemisto.evaluation.evaluate import Report as ExtractionScores
    from hakemisto.evaluation.relevance import Evaluation
    from hakemisto.facts.canon import CanonicalEntity
    from hakemisto.facts.projects import Person, Project, ProjectFilters, ProjectSet
    from hakemisto.jobs.nightly import CheckResult, IndexSummary, RunReport
    from hakemisto.jobs.pipeline import IngestReport
    from hakemisto.report.changes import Change
    from hakemisto.report.digest import Digest, DigestFilter
    from hakemisto.report.overview import Report
    from hakemisto.report.watch import Watch, WatchResult
    from hakemisto.search.engine import Filters, SearchResults
    from hakemisto.search.index import IndexStats
    from hakemisto.search.opensearch import ExportReport

Progress = Callable[[str, int, int], None]
Log = Callable[[str], None]

__all__ = [
    "DocumentNotFound", "ExportInvalid", "HakemistoError", "Hakemisto", "IndexLockedError", "IndexMissingError",
    "InputError", "InvalidValue", "LRU", "NoPageSplits", "Settings", "SourcesFileError", "UnknownRegion", "UsageError", "load_settings",
]


# --- results the façade adds (everything else is the owning stage's own result type) ------------------


@dataclass(frozen=True)
class Extraction:
    """Annotated, twin-linked documents of ``extract`` and the inputs that could not be used."""

    documents: list[Document]
    skipped: list[Skip]


@dataclass(frozen=True)
class ExtractionEval:
    """Extraction scores per split (``"gold"`` for one gold/docs pair) and the inputs skipped."""

    reports: dict[str, ExtractionScores]
    skipped: list[Skip]
    heldout: frozenset[str] = frozenset()  # splits under a 'heldout' directory: numbers only


@dataclass(frozen=True)
class CrawlRun:
    """A crawl and, unless it was asked not to, the ingest of what it stored."""

    crawl: CrawlReport
    ingest: IngestReport | None


@dataclass(frozen=True)
class OptimizeResult:
    """Segments and size before/after a merge, crash leftovers removed and change-log runs pruned."""

    before: IndexSummary
    after: IndexSummary
    removed: list[str]
    pruned: int


@dataclass(frozen=True)
class ProjectSelection:
    """The resolved project filters and the records they select, in the asked order."""

    filters: ProjectFilters
    projects: list[Project]


@dataclass(frozen=True)
class SourceCheck:
    """A sources file checked: its registry and, per source, which URLs each rule admits."""

    path: Path
    sources: dict[str, Source]
    results: list[dict[str, Any]] = field(default_factory=list)


# The web's sort columns for project tables (None: the records' own order, as the CLI prints them).
PROJECT_SORTS: dict[str, Callable[[Project], Any]] = {
    "county": lambda p: (p.region is None, p.region or "", p.name.casefold()),
    "granted": lambda p: (p.granted_eur, p.name.casefold()),
    "period": lambda p: (p.start_year or 0, p.end_year or 0, p.name.casefold()),
    "name": lambda p: p.name.casefold(),
}


class Hakemisto:
    """Every use case of hakemisto over one index (``settings.index_dir``) and corpus.

    Example::

        app = Hakemisto(load_settings(None, index_dir=Path("index")))
        app.ingest(["corpus/"])
        results = app.search("hoitotakuu", regions=["Kainuu"])
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings if settings is not None else load_settings(None)

    @classmethod
    def from_config(cls, config_file: Path | None = None, **overrides: Any) -> Hakemisto:
        """Settings from ``config_file`` (or ./hakemisto.toml, $HAKEMISTO_CONFIG) plus ``overrides``."""
        return cls(load_settings(config_file, **{k: v for k, v in overrides.items() if v is not None}))

    def __repr__(self) -> str:
        return f"Hakemisto(index_dir={str(self.settings.index_dir)!r})"

    # --- writing: ingest, crawl, the nightly update, maintenance -------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path] = (),
        *,
        documents: Iterable[Document] | None = None,
        skipped: Iterable[Skip] = (),
        progress: Progress | None = None,
        purpose: str = "hakemisto ingest",
    ) -> IngestReport:
        """Bring the index up to date with files/directories/globs, or with ready ``documents``.

        Both go through the one ingest pipeline (``pipeline.ingest_documents``): unchanged documents
        are not processed again, and the index changes in one atomic commit under the writer lock."""
        from hakemisto.jobs import pipeline

        if documents is not None:
            return pipeline.ingest_documents(documents, self.settings, skipped=skipped, progress=progress,
                                             purpose=purpose)
        return pipeline.ingest_paths([str(p) for p in paths], self.settings, progress=progress)

    def crawl(
        self,
        regions: Sequence[str] = (),
        *,
        since: datetime | None = None,
        ingest: bool = True,
        log: Log | None = None,
        progress: Progress | None = None,
    ) -> CrawlRun:
        """Fetch new and changed pages of the chosen sources; then ingest what was stored."""
        from hakemisto.core.model import Document
        from hakemisto.crawl import fetch
        from hakemisto.crawl.sources import load_sources, select_sources
        from hakemisto.crawl.store import snapshot_document

        registry = load_sources(self.settings.sources_file)
        chosen = select_sources(registry, regions)
        report = fetch.crawl(self.settings, chosen, since=since, log=log, progress=progress)
        ingested = None
        if report.stored_paths and ingest:
            results = [snapshot_document(p, registry) for p in report.stored_paths]
            documents = [r for r in results if isinstance(r, Document)]
            skipped = [r for r in results if not isinstance(r, Document)]
            ingested = self.ingest(documents=documents, skipped=skipped, purpose="hakemisto crawl")
        return CrawlRun(report, ingested)

    def update(
        self,
        crawl: bool = True,
        *,
        regions: Sequence[str] = (),
        extra_paths: Sequence[str | Path] = (),
        watch: bool = False,
        progress: Progress | None = None,
        log: Log | None = None,
    ) -> RunReport:
        """The nightly job: crawl, re-index what changed, remove what is gone, write a run report."""
        from hakemisto.jobs.nightly import NightlyOptions, run_nightly

        options = NightlyOptions(crawl=crawl, regions=tuple(regions), extra_paths=tuple(Path(p) for p in extra_paths),
                                 watch=watch)
        return run_nightly(self.settings, options, progress=progress, log=log)

    def runs(self, last: int | None = 10) -> list[dict[str, Any]]:
        """Past nightly run reports, newest last."""
        from hakemisto.jobs.nightly import list_runs

        return list_runs(self.settings.runs_dir, last)

    def last_run(self) -> dict[str, Any] | None:
        """The newest nightly run report, if the job has run against this index."""
        runs = self.runs(1)
        return runs[-1] if runs else None

    def check(self, *, corpus: bool = True, extra_paths: Sequence[str | Path] = (), repair: bool = False) -> CheckResult:
        """Verify the index (whole documents, twin/duplicate links, crash leftovers, the corpus)."""
        from hakemisto.jobs.nightly import check_index

        return check_index(self.settings, corpus=corpus, extra_paths=tuple(Path(p) for p in extra_paths),
                           repair=repair)

    def optimize(self) -> OptimizeResult:
        """Merge the index's segments into one, remove crash leftovers, prune the old change log."""
        from hakemisto.core.lock import writer_lock
        from hakemisto.jobs.nightly import index_summary
        from hakemisto.report.changes import ChangeLog
        from hakemisto.search.index import open_index
        from hakemisto.search.index import optimize as optimize_index

        settings = self.settings
        before = index_summary(settings.index_dir)
        if before.documents == 0 and before.segments == 0:
            open_index(settings.index_dir)
        with writer_lock(settings, "hakemisto optimize"):
            removed = optimize_index(settings)
            pruned = ChangeLog(settings.index_dir).prune(settings.changes_keep_days)
        return OptimizeResult(before, index_summary(settings.index_dir), removed, pruned)

    # --- extraction and evaluation -------------------------------------------------------------------

    def extract(self, paths: Iterable[str | Path]) -> Extraction:
        """Files → annotated, twin-linked documents, through the ingest pipeline's own stages."""
        from hakemisto.jobs.pipeline import extract_paths

        docs, skipped = extract_paths(paths, self.settings)
        return Extraction(docs, skipped)

    def eval_extract(self, gold_dir: Path, docs_dir: Path | None = None) -> ExtractionEval:
        """Extraction scored against gold: ``{"gold": …}`` for a gold dir and its documents, else one
        report per split of a page-set root (dev/, heldout/); ``NoPageSplits`` when it is neither."""
        from hakemisto.evaluation.evaluate import is_heldout, load_gold, page_splits, score
        from hakemisto.facts.entities import gold_record

        splits = {"gold": (gold_dir, docs_dir)} if docs_dir is not None else page_splits(gold_dir)
        if not splits:
            raise NoPageSplits(gold_dir)
        reports: dict[str, ExtractionScores] = {}
        skipped: list[Skip] = []
        for name, (gdir, ddir) in splits.items():
            gold = load_gold(gdir)
            extraction = self.extract([ddir])
            skipped.extend(extraction.skipped)
            reports[name] = score(gold, [gold_record(d) for d in extraction.documents])
        heldout = frozenset(name for name, (gdir, ddir) in splits.items() if is_heldout(gdir, ddir))
        return ExtractionEval(reports, skipped, heldout)

    @staticmethod
    def eval_search(sets: Sequence[str] = (), *, kind: str = "voikko", glossary: bool = True,
                    relevance_dir: Path | None = None, pages_dir: Path | None = None,
                    seeds_dir: Path | None = None) -> dict[str, Evaluation]:
        """Search quality per query set (nDCG@10, recall@20) on temporary indexes; the judged
        collections' folders default to the repository layout relative to the working directory."""
        from hakemisto.evaluation.relevance import DEFAULT, SETS, Collections, evaluate_sets

        where = Collections(relevance_dir or DEFAULT.relevance_dir, pages_dir or DEFAULT.pages_dir,
                            seeds_dir or DEFAULT.seeds_dir)
        chosen = tuple(name for name in SETS if name in sets) if sets else SETS
        return evaluate_sets(chosen, kind=kind, glossary=glossary, where=where)

    def eval_projects(self, split_dir: Path, docs_dir: Path | None = None,
                      show_heldout_details: bool = False) -> dict[str, Any]:
        """Project records of a page split against its project gold (a held-out split: numbers only
        unless ``show_heldout_details``)."""
        from hakemisto.evaluation.project_eval import evaluate_dir

        return evaluate_dir(split_dir, docs_dir, self.settings, show_heldout_details)

    # --- reading: search, documents, statistics ------------------------------------------------------

    def search(
        self,
        query: str = "",
        filters: Filters | None = None,
        *,
        regions: Sequence[str] | str | None = None,
        lang: str | None = None,
        funders: Sequence[str] | str | None = None,
        programmes: Sequence[str] | str | None = None,
        year: int | None = None,
        min_amount: float | None = None,
        limit: int = 10,
        page: int = 1,
        sort: str = "relevance",
        with_facets: bool = True,
    ) -> SearchResults:
        """Ranked hits; give ``filters`` or the filter keywords (empty lists mean 'no filter')."""
        from hakemisto.search.engine import search

        if filters is None:
            filters = self.filters(regions=regions, lang=lang, funders=funders, programmes=programmes, year=year,
                                   min_amount=min_amount)
        return search(self.settings, query, filters, limit=limit, page=page, sort=sort, with_facets=with_facets)

    @staticmethod
    def filters(
        *,
        regions: Sequence[str] | str | None = None,
        lang: str | None = None,
        funders: Sequence[str] | str | None = None,
        programmes: Sequence[str] | str | None = None,
        year: int | None = None,
        min_amount: float | None = None,
    ) -> Filters:
        """Search filters from plain values (empty sequences mean 'no filter')."""
        from hakemisto.search.engine import Filters

        def many(value: Sequence[str] | str | None) -> tuple[str, ...] | str | None:
            if value is None or isinstance(value, str):
                return value
            return tuple(value) or None

        return Filters(many(regions), lang, many(funders), many(programmes), year, min_amount)

    def document(self, doc_id: str) -> Document | None:
        """One stored document with its facts, or None."""
        from hakemisto.search.index import get_document

        return get_document(self.settings, doc_id)

    def require_document(self, doc_id: str) -> Document:
        """One stored document; ``DocumentNotFound`` (with the id and index) when there is none."""
        doc = self.document(doc_id)
        if doc is None:
            raise DocumentNotFound(doc_id, self.settings.index_dir)
        return doc

    def documents(self) -> Iterable[Document]:
        """Every stored document (a generator over the index)."""
        from hakemisto.search.index import iter_documents

        return iter_documents(self.settings)

    def stats(self) -> IndexStats:
        """Index size, segments and document counts per language and region."""
        from hakemisto.search.index import stats

        return stats(self.settings)

    def document_count(self) -> int:
        """Documents in the index; ``IndexMissingError`` when there is no index yet."""
        from hakemisto.search.index import open_index

        return open_index(self.settings.index_dir).doc_count()

    def generation(self) -> tuple:
        """A key that changes with every commit to the index or its project records (for caches): the
        index's one freshness key (``generations.freshness``) plus the records file's time."""
        from hakemisto.facts.projects import projects_path
        from hakemisto.search.generations import freshness

        folder = self.settings.index_dir
        index = freshness(folder)
        if index[1] == -1:
            return ()  # no index (yet): nothing to key
        try:
            records = projects_path(folder).stat().st_mtime_ns
        except OSError:
            records = 0
        return (index, records)

    def entities(self, kind: str | None = None, region: str | None = None) -> Iterable[CanonicalEntity]:
        """Canonical entities with variants and document counts; ``region`` in any known form."""
        from hakemisto.facts.canon import build_entities

        canonical = self.region(region) if region else None
        return build_entities(self.documents(), kind=kind, region=canonical)

    @staticmethod
    def region(value: str) -> str:
        """The county a planner's region value means (any fi/sv form, a municipality, no ä/ö needed);
        ``UnknownRegion`` with the known counties and the closest one."""
        from hakemisto.core.regions import resolve_county

        return resolve_county(value)

    # --- the report and project records ---------------------------------------------------------------

    def report(self, *, programme: str | None = None, funder: str | None = None,
               regions: Sequence[str] | None = None, query: str | None = None) -> Report:
        """Per county: pages, projects, funders, euro amounts (each counted once), themes, contacts."""
        from hakemisto.report.overview import build_report

        return build_report(self.settings, programme=programme, funder=funder,
                            regions=list(regions) if regions else None, query=query)

    def project_records(self) -> ProjectSet:
        """Every project record stored beside the index."""
        from hakemisto.search.records import load_projects

        return load_projects(self.settings)

    def projects(
        self,
        *,
        programme: str | None = None,
        region: str | None = None,
        funder: str | None = None,
        year: int | None = None,
        status: str | None = None,
        sort: str | None = None,
        descending: bool = False,
        records: ProjectSet | None = None,
    ) -> ProjectSelection:
        """The project records the filters select; ``sort`` one of ``PROJECT_SORTS`` (None: record order).

        ``records``: an already loaded set (the web keeps one per index generation)."""
        from hakemisto.facts.projects import resolve_filters, select

        records = records if records is not None else self.project_records()
        filters = resolve_filters(records, programme, region, funder, year, status)
        rows = select(records, filters)
        if sort is not None:
            if sort not in PROJECT_SORTS:
                raise InvalidValue("sort", sort, tuple(PROJECT_SORTS))
            rows = sorted(rows, key=PROJECT_SORTS[sort], reverse=descending)
        return ProjectSelection(filters, rows)

    def project(self, project_id: str, records: ProjectSet | None = None) -> Project | None:
        """One project record by id, or None."""
        return (records if records is not None else self.project_records()).get(project_id)

    def contacts(self, *, region: str | None = None, project: str | None = None,
                 records: ProjectSet | None = None) -> list[Person]:
        """The contact directory: one entry per person across pages and languages."""
        from hakemisto.facts.projects import select_people

        return select_people(records if records is not None else self.project_records(), region, project)

    # --- what is new: digests and saved searches ------------------------------------------------------

    @staticmethod
    def digest_filter(regions: Iterable[str] = (), programmes: Iterable[str] = (),
                      query: str | None = None) -> DigestFilter:
        """A digest/watch filter from any known county and programme names."""
        from hakemisto.report.digest import make_filter

        return make_filter(regions, programmes, query)

    def changes(self, filt: DigestFilter | None = None, *, since: datetime | None = None,
                last_run: bool = False) -> tuple[list[Change], str | None]:
        """Change-log entries (since a moment, or of the last run) that ``filt`` selects, and the
        run's time when ``last_run`` (None when nothing ran yet)."""
        from hakemisto.report.changes import ChangeLog
        from hakemisto.report.digest import select

        log = ChangeLog(self.settings.index_dir)
        label = None
        if last_run:
            last = log.last_run()
            entries = log.entries(runs=[last.run]) if last else []
            label = last.at if last else None
        else:
            entries = log.entries(since=since)
        return select(entries, filt or self.digest_filter(), self.settings.index_dir), label

    def digest(
        self,
        *,
        since: datetime | None = None,
        since_last_run: bool = False,
        regions: Iterable[str] = (),
        programmes: Iterable[str] = (),
        query: str | None = None,
        lang: str = "fi",
        label: str | None = None,
    ) -> Digest:
        """What is new or changed, grouped by county and project (``label``: the 'since' shown)."""
        from hakemisto.report.digest import build_digest

        changes, run_at = self.changes(self.digest_filter(regions, programmes, query), since=since,
                                       last_run=since_last_run)
        return build_digest(changes, lang, since=run_at if since_last_run else label)

    def feed_digest(self, filt: DigestFilter, *, since: datetime, lang: str, title: str,
                    max_entries: int) -> Digest:
        """The newest ``max_entries`` changes since a moment, as a titled digest (for Atom feeds)."""
        from hakemisto.report.digest import build_digest

        changes, _ = self.changes(filt, since=since)
        recent = sorted(changes, key=lambda c: (c.at, c.run), reverse=True)[:max_entries]
        return build_digest(recent, lang, title=title)

    def watch_add(self, name: str, *, regions: Iterable[str] = (), programmes: Iterable[str] = (),
                  query: str | None = None, lang: str = "fi", mail_to: str | None = None,
                  smtp: str | None = None) -> Watch:
        """Save a search that delivers what changes from now on."""
        from hakemisto.report import watch as watches

        if mail_to is not None and smtp is not None:
            watches.parse_smtp(smtp)
        return watches.add(self.settings.index_dir, name, self.digest_filter(regions, programmes, query), lang,
                           mail_to=mail_to, smtp=smtp)

    def watches(self, read_only: bool = False) -> list[Watch]:
        """The saved searches."""
        from hakemisto.report.watch import list_watches

        return list_watches(self.settings.index_dir, read_only=read_only)

    def watch(self, name: str, read_only: bool = False) -> Watch:
        """One saved search; ``UsageError`` naming the saved ones when there is none."""
        from hakemisto.report.watch import get

        return get(self.settings.index_dir, name, read_only=read_only)

    def watch_remove(self, name: str) -> None:
        """Delete a saved search."""
        from hakemisto.report.watch import remove

        remove(self.settings.index_dir, name)

    def watch_run(self, name: str, deliver: Callable[[Watch, Digest], str], *,
                  since: datetime | None = None) -> WatchResult:
        """Deliver one saved search's digest through ``deliver`` and remember what was delivered."""
        from hakemisto.report.watch import run_watch

        return run_watch(self.settings.index_dir, name, deliver, since=since)

    @staticmethod
    def check_smtp(value: str) -> tuple[str, int]:
        """HOST[:PORT] → (host, port); ``InvalidValue`` otherwise."""
        from hakemisto.report.watch import parse_smtp

        return parse_smtp(value)

    @staticmethod
    def mail_digest(digest: Digest, *, name: str, mail_to: str, smtp: str) -> str:
        """Send a digest by e-mail; returns where it went."""
        from hakemisto.report.watch import send_mail

        return send_mail(digest, name=name, mail_to=mail_to, smtp=smtp)

    # --- sources and export ---------------------------------------------------------------------------

    def sources(self, path: Path | None = None) -> dict[str, Source]:
        """The crawl registry: ``path`` or the settings' sources file (None: the built-in one)."""
        from hakemisto.crawl.sources import load_sources

        return load_sources(path if path is not None else self.settings.sources_file)

    def check_sources(self, path: Path, urls: Sequence[str] = ()) -> SourceCheck:
        """Validate a sources file; per source, what each include/exclude rule admits among its seeds,
        sitemaps, the URLs already crawled and ``urls``."""
        from hakemisto.crawl.sources import check_rules
        from hakemisto.crawl.store import SnapshotStore

        registry = self.sources(path)
        store = SnapshotStore(self.settings.crawl_dir)
        results = []
        for s in registry.values():
            known = [*s.seeds, *s.sitemaps]
            known += sorted({m.get("url") for _, m in store.iter_metas(s.key) if m.get("url")})
            results.append(check_rules(s, [*known, *urls]))
        return SourceCheck(path, registry, results)

    def export_opensearch(self, directory: Path) -> ExportReport:
        """OpenSearch index templates and ``_bulk`` files, every line checked against its template."""
        from hakemisto.search.opensearch import export, validate_export

        if directory.exists() and not directory.is_dir():
            raise UsageError(f"{directory}: exists and is not a directory")
        report = export(self.settings, directory)
        problems = validate_export(directory)
        if problems:
            raise ExportInvalid(directory, tuple(problems))
        return report


# --- lazy re-exports: result types and presentation helpers the shells use ---------------------------


def _search_module() -> Any:
    from hakemisto.search import engine as search

    return search


def _report_module() -> Any:
    from hakemisto.report import overview as report

    return report


def _projects_module() -> Any:
    from hakemisto.facts import projects

    return projects


def _fmt_module() -> Any:
    from hakemisto.report import fmt

    return fmt


def _export_module() -> Any:
    from hakemisto.report import export

    return export


def _safe_output_module() -> Any:
    from hakemisto.core import safe_output

    return safe_output


def _regions_module() -> Any:
    from hakemisto.core import regions

    return regions


def _digest_module() -> Any:
    from hakemisto.report import digest

    return digest


def _watch_module() -> Any:
    from hakemisto.report import watch

    return watch


def _entities_module() -> Any:
    from hakemisto.facts import entities

    return entities


def _evaluate_module() -> Any:
    from hakemisto.evaluation import evaluate

    return evaluate


def _relevance_module() -> Any:
    from hakemisto.evaluation import relevance

    return relevance


def _nightly_module() -> Any:
    from hakemisto.jobs import nightly

    return nightly


def _sources_module() -> Any:
    from hakemisto.crawl import sources

    return sources


def _distributed_module() -> Any:
    from hakemisto.jobs import distributed

    return distributed


_LAZY: dict[str, Callable[[], Any]] = {
    # search results and highlighting
    **dict.fromkeys(("Filters", "SearchResults", "MARK_START", "MARK_END", "plain_snippet", "MAX_AMOUNT",
                     "MAX_LIMIT", "SORTS"), _search_module),
    # the regional report
    **dict.fromkeys(("Report", "RENDERERS", "UNKNOWN_REGION", "render_csv"), _report_module),
    # project records: statuses, table columns, reasons
    **dict.fromkeys(("Project", "ProjectSet", "ProjectFilters", "Person", "STATUSES", "TABLE_COLUMNS",
                     "EURO_COLUMNS", "table_rows", "reason_text"), _projects_module),
    **dict.fromkeys(("format_eur", "format_number"), _fmt_module),
    **dict.fromkeys(("to_csv", "to_xlsx"), _export_module),
    "escape_controls": _safe_output_module,
    **dict.fromkeys(("all_regions", "resolve_filter"), _regions_module),
    **dict.fromkeys(("Digest", "render", "render_atom", "labels"), _digest_module),
    **dict.fromkeys(("NAME_RE", "DeliveryError"), _watch_module),
    "gold_record": _entities_module,
    **dict.fromkeys(("format_report", "format_side_by_side"), _evaluate_module),
    **dict.fromkeys(("SETS", "format_sets"), _relevance_module),
    "summary_lines": _nightly_module,
    "source_to_dict": _sources_module,
    "parse_cluster": _distributed_module,
}


def __getattr__(name: str) -> Any:
    """``from hakemisto.app import X`` for the re-exports above, imported on first use."""
    loader = _LAZY.get(name)
    if loader is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(loader(), name)
    globals()[name] = value
    return value
